"""The table written for an analyst: an Excel workbook (openpyxl through pandas) or a Danish CSV.

The workbook has three sheets: *Omgørelser* (the table: Danish headers, numbers stored as numbers
with Excel number formats, header row and kommune column frozen, autofilter, readable widths),
*Om tallene* (every column and the model in plain Danish) and *Kilder* (the download's file name,
the reference rates used and their sources). The CSV is the same table, semicolon-separated with
decimal commas, UTF-8 with BOM, as Danish Excel opens it; it holds the workbook's stored values (percentages
as proportions, their headers ending in "(andel)"), so both files give the same numbers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import ArgumentError
from ..stats.grades import DEFAULT_LAMBDA
from ..table.words import date_da
from .table import FORMATS, TOP, WIDTHS, _level, _pct_text, area_da, danish_view, period_da

__all__ = ["SUFFIXES", "write_workbook", "write_csv", "write_table", "table_sources"]

SUFFIXES = (".xlsx", ".csv")
SHEET, ABOUT, SOURCES = "Omgørelser", "Om tallene", "Kilder"


def table_sources(table: pd.DataFrame) -> list[str]:
    """The source keys of the table's reference rates (its ``reference_sources`` column, keys joined by "+").

    Examples
    --------
    >>> table_sources(pd.DataFrame({"reference_sources": ["a+b", "b", None]}))
    ['a', 'b']
    """
    if "reference_sources" not in table.columns:
        return []
    keys = (str(k) for whole in table["reference_sources"].dropna() for k in str(whole).split("+"))
    return list(dict.fromkeys(k for k in keys if k))


def _synthetic(data_name) -> bool:
    return data_name is not None and "synthetic" in str(data_name).lower()


def _about_rows(table: pd.DataFrame, columns, data_name) -> list[tuple[str, str]]:
    """(heading, text) rows of the sheet *Om tallene*."""
    lvl = _pct_text(_level(table))
    strengths = sorted(pd.unique(pd.to_numeric(table.get("prior_strength", pd.Series(dtype=float))).dropna()))
    s = "/".join(f"{x:g}".replace(".", ",") for x in strengths) or "30"
    sure = f"{round(100 / (1 + DEFAULT_LAMBDA))} %"
    rows = []
    if _synthetic(data_name):
        rows.append(("SYNTETISKE DATA", "Filen er simuleret til afprøvning: tallene er ikke Ankestyrelsens, og "
                     "kommunenavnene er kun pladsholdere."))
    rows += [("Om tallene", "Én række pr. kommune, sagsområde og periode i filen. Alle tal er beregnet med "
              "danmark, på samme måde som i »danmark report« og på kommunens faktaark."), ("", ""),
             ("Kolonne", "Forklaring")]
    rows += [(c.header, c.about) for c in columns]
    rows += [("", ""), ("Modellen", ""),
             ("Omgørelsesprocent", "(ændret + hjemvist) / (stadfæstet + ændret + hjemvist). Afviste sager tæller "
              "ikke med. Med få sager svinger procenten meget af ren tilfældighed: 3 af 4 sager er 75 %, men "
              f"siger langt mindre end 300 af 400. Det eksakte {lvl}-interval viser hvor meget."),
             ("Forhåndsfordeling (prior)", "Før kommunens egne sager ses, antager modellen, at kommunens sande "
              "omgørelsesprocent ligger omkring landsgennemsnittet: en Beta-fordeling centreret på "
              "landsgennemsnittet. Kommunens egne sager lægges oven i. Har kommunen mange sager, bestemmer de "
              "næsten alene det justerede skøn; har den få, trækkes skønnet mod landsgennemsnittet."),
             ("Vægt (styrke)", f"Forhåndsfordelingen vejer som {s} sager. Det er et valg, ikke et resultat: "
              "»danmark report« viser også svaret ved 10 og 100 sagers vægt, og vægten kan ændres med "
              "--prior-strength."),
             ("P(over landsgennemsnittet)", "Sandsynligheden, givet kommunens sager og forhåndsfordelingen, for at "
              "kommunens sande omgørelsesprocent (den, den ville have over rigtig mange sager) ligger over "
              "landsgennemsnittet. 0,5 betyder, at tallene intet siger om retningen; tæt på 1 (eller 0), at "
              "kommunen næsten sikkert ligger over (under). Det er ikke sandsynligheden for, at kommunen har "
              "gjort noget forkert."),
             ("Tragtdiagram", "Grænser om landsgennemsnittet, der bliver smallere, jo flere sager en kommune har "
              "(Spiegelhalter 2005). Også når alle kommuner i virkeligheden er ens, ligger omkring 1 af 20 uden "
              "for 95 %-grænserne og 1 af 500 uden for 99,8 %-grænserne. Spreder kommunerne sig mere, end "
              "tilfældighed forklarer (overspredning), udvides grænserne med den spredning."),
             ("Rang", "Rangen (1 = højeste) er beregnet i en hierarkisk beta-binomial model over alle kommuner i "
              f"området og perioden; intervallet viser, hvor usikker placeringen er. P(blandt de {TOP} højeste) "
              "er sandsynligheden for en plads i top " f"{TOP}."),
             ("Karakter", "Kommunerne deles i ordnede grupper (Kline, Rose & Walters 2023, »A Discrimination Report "
              "Card«), så den forventede gevinst λ · (par i rigtig rækkefølge) − (par i forkert rækkefølge) bliver "
              f"størst, med λ = {DEFAULT_LAMBDA:g}".replace(".", ",") + ": en forkert ordning koster fire gange, hvad "
              f"en rigtig vinder. To kommuner kommer derfor kun i forskellige grupper, når modellen er mindst {sure} "
              "sikker på deres rækkefølge (i gennemsnit over parrene mellem to grupper). Én gruppe for alle betyder, "
              "at tallene ikke kan skille kommunerne ad. " + _grades_said(table)),
             ("Tomme celler", "Tallet findes ikke: ingen realitetsbehandlede sager, intet landsgennemsnit, eller "
              "området og perioden er ikke en fuld download (tragtdiagram, rang og karakter)."),
             ("Talformater", "Procenter er gemt som andele (0,714 vises som 71,4 %), så der kan regnes videre med "
              "dem; cellerne viser en decimal, men rummer det fulde tal.")]
    return rows


def _grades_said(table: pd.DataFrame) -> str:
    """Whether this file's grades were computed, in one or two Danish sentences."""
    status = set(table["grade_status"].dropna()) if "grade_status" in table.columns else set()
    if not status:
        return "Filen har ingen karakterer: de kræver en fuld download (alle kommuner i samme område og periode)."
    if status == {"not computed"}:
        return ("Karaktererne er IKKE beregnet i denne fil (kolonnen er tom): de kræver en heltalsoptimering, der "
                "for 98 kommuner tager 10-60 sekunder pr. område og periode. Kør »danmark tabel --karakterer« "
                "(evt. med --area og --period for at begrænse tiden).")
    said = "Karaktererne er beregnet for hvert område og hver periode med en fuld download"
    if "time limit" in status:
        said += ("; hvor optimeringen ikke kunne bevises optimal inden for tidsgrænsen, er karakteren udeladt, så "
                 "en karakter aldrig afhænger af, hvor hurtig computeren er")
    return said + "."


def _source_rows(table: pd.DataFrame, data_name, sources) -> tuple[list[tuple[str, str]], pd.DataFrame]:
    from .._versions import VERSION as __version__
    from ..io.bundle import describe_sources

    head = [("Data", str(data_name) if data_name else "de tal, der følger med danmark (offentliggjorte dokumenter)"),
            ("Beregnet med", f"danmark {__version__}")]
    if _synthetic(data_name):
        head.insert(0, ("SYNTETISKE DATA", "filen er simuleret til afprøvning, ikke Ankestyrelsens tal"))
    if "reference_text" in table.columns:  # the reference of each area and period, in the report's words
        refs = table[["area", "period", "reference_text"]].dropna().drop_duplicates()
        head += [(f"Landsgennemsnit, {area_da(a)}, {period_da(p)}", str(text))
                 for a, p, text in refs.to_numpy() if str(text)]
    described = describe_sources(list(sources)) if sources else pd.DataFrame(
        columns=["publisher", "title", "date", "url_or_document", "source_type"])
    kind = ["sekundær (andres gengivelse af officielle tal)" if str(t).startswith("secondary") else "officiel"
            for t in described["source_type"]]
    listed = pd.DataFrame({"udgiver": described["publisher"], "titel": described["title"],
                           "dato": described["date"].map(date_da), "adresse eller dokument": described["url_or_document"],
                           "kildetype": kind})
    return head, listed


def write_workbook(table: pd.DataFrame, path, *, data_name=None, sources=()) -> Path:
    """Write *table* (:func:`danmark.estimates_table`) as an Excel workbook; returns the path.

    Parameters
    ----------
    table : DataFrame
        The estimates table (any subset of its rows).
    path : path-like
        The ``.xlsx`` file.
    data_name : str, optional
        The download's file name, shown on the sheet *Kilder* (None: the bundled figures).
    sources : sequence of str
        Source keys (:func:`danmark.describe_sources`) of the reference rates, listed on *Kilder*.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> t = pd.DataFrame({"official_name": ["Solrød Kommune"], "kommunekode": ["269"], "n": [14], "raw": [10 / 14]})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     wb = openpyxl.load_workbook(write_workbook(t, f"{d}/t.xlsx", data_name="data.csv"))
    >>> wb.sheetnames, wb["Omgørelser"]["D2"].value, wb["Omgørelser"]["D2"].number_format
    (['Omgørelser', 'Om tallene', 'Kilder'], 0.7142857142857143, '0.0%')
    """
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    view, columns = danish_view(table)
    head, listed = _source_rows(table, data_name, sources)
    wrap = Alignment(wrap_text=True, vertical="top")
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        view.to_excel(xw, sheet_name=SHEET, index=False)
        ws = xw.sheets[SHEET]
        rows = len(view) + 1
        for j, col in enumerate(columns, start=1):
            letter = get_column_letter(j)
            fmt = FORMATS.get(col.kind)
            if fmt:
                for (cell,) in ws.iter_rows(min_row=2, max_row=rows, min_col=j, max_col=j):
                    cell.number_format = fmt
            width = WIDTHS[col.kind]
            if col.kind == "text" and len(view):
                width = max(width, min(50, int(view[col.header].astype(str).str.len().max()) + 2))
            ws.column_dimensions[letter].width = max(width, min(18, len(col.header) // 2 + 3))
            ws.cell(row=1, column=j).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[1].height = 45
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(columns)))}{rows}"

        about = pd.DataFrame(_about_rows(table, columns, data_name), columns=["a", "b"])
        about.to_excel(xw, sheet_name=ABOUT, index=False, header=False)
        wa = xw.sheets[ABOUT]
        wa.column_dimensions["A"].width, wa.column_dimensions["B"].width = 42, 110
        for (a, b) in wa.iter_rows(min_row=1, max_row=len(about)):
            b.alignment = wrap
            a.alignment = wrap
            if a.value in ("Om tallene", "Kolonne", "Modellen", "SYNTETISKE DATA"):
                a.font = Font(bold=True)
                b.font = Font(bold=True)

        pd.DataFrame(head).to_excel(xw, sheet_name=SOURCES, index=False, header=False)
        listed.to_excel(xw, sheet_name=SOURCES, index=False, startrow=len(head) + 1)
        wk = xw.sheets[SOURCES]
        for letter, width in zip("ABCDE", (34, 70, 12, 60, 22), strict=True):
            wk.column_dimensions[letter].width = width
        for (a, *rest) in wk.iter_rows(min_row=1, max_row=len(head)):
            a.font = Font(bold=True)
            for c in rest:
                c.alignment = wrap
    return path


def write_csv(table: pd.DataFrame, path) -> Path:
    """Write *table* as a Danish CSV: semicolons, decimal commas, UTF-8 with BOM; returns the path.

    Percentages are written as proportions, as the workbook stores them (header ending in "(andel)", 0,5 = 50 %),
    so that reading the file back gives exactly the table's numbers.

    Examples
    --------
    >>> import tempfile
    >>> t = pd.DataFrame({"official_name": ["Solrød Kommune"], "kommunekode": ["269"], "raw": [0.5]})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     print(write_csv(t, f"{d}/t.csv").read_text(encoding="utf-8-sig"), end="")
    kommune;kommunekode;omgørelsesprocent (andel)
    Solrød Kommune;269;0,5
    """
    path = Path(path)
    view, columns = danish_view(table)
    out = pd.DataFrame(index=view.index)
    for col in columns:
        if col.kind == "pct":
            out[f"{col.header} (andel)"] = view[col.header]
        else:
            out[col.header] = view[col.header]
    out.to_csv(path, sep=";", decimal=",", encoding="utf-8-sig", index=False)
    return path


def write_table(table: pd.DataFrame, path, *, data_name=None, sources=()) -> Path:
    """Write *table* as a workbook (``.xlsx``) or a Danish CSV (``.csv``), by the suffix of *path*."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return write_workbook(table, path, data_name=data_name, sources=sources)
    if suffix == ".csv":
        return write_csv(table, path)
    raise ArgumentError(f"the file must end in .xlsx or .csv; got {str(path)!r}", column="out")
