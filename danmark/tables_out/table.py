"""Every kommune's numbers as one table, and that table's Danish view.

:func:`estimates_table` is a thin wrapper on :func:`danmark.report.report_table` (one row per
kommune x area x period, every number of :func:`danmark.kommune_report`): it computes nothing
itself. :func:`danish_view` turns the table into the columns a reader sees (Danish headers,
Danish words for the funnel flags, areas and periods; numbers kept as numbers, each with an
Excel number format), which the workbook, the CSV and the map's HTML table all write.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._defaults import DEFAULT_LEVEL
from ..errors import DataError
from ..stats.grades import DEFAULT_LAMBDA
from ..stats.shrinkage import DEFAULT_PRIOR_STRENGTH
from ..table.words import area_da, flag_da, period_da  # noqa: F401 (the view's words)

__all__ = ["REPORT_COLUMNS", "COLUMNS", "GRADE_STATUS", "TOP", "estimates_table", "danish_view", "period_da", "area_da",
           "flag_da", "grade_meaning"]

#: the columns of :func:`danmark.report.report_table`, in its order (the report contract)
REPORT_COLUMNS = (
    "kommunekode", "kommune", "official_name", "region", "area", "period", "stadfaestet", "aendret", "hjemvist",
    "afvist", "n", "omgjort", "raw", "lower", "upper", "reference", "reference_origin", "reference_text",
    "estimate", "estimate_lower", "estimate_upper", "prob_above", "prior_strength", "units", "flag", "flag_od",
    "median_rank", "rank_lower", "rank_upper", "p_top", "grade",
)
#: estimates_table's columns: the report's, then the interval level, the number of grades in the area x period,
#: whether the grades were computed (:data:`GRADE_STATUS`) and the source keys of the reference rate
COLUMNS = (*REPORT_COLUMNS, "level", "n_grades", "grade_status", "reference_sources")
#: ``grade_status``: why a row has or lacks a grade (<NA>: not a full download, so no grades at all)
GRADE_STATUS = {
    "optimal": "",
    "not computed": "ikke beregnet: karakterer kræver en tung optimering for hvert område og hver periode; "
                    "beregnes med »danmark tabel --karakterer«",
    "time limit": "ikke vist: optimeringen kunne ikke bevises optimal inden for tidsgrænsen, og en karakter skal "
                  "ikke afhænge af, hvor hurtig computeren er",
    "no ranks": "kan ikke beregnes: ingen kommune har både omgjorte og ikke-omgjorte sager",
}
#: p_top is P(among the TOP highest) (the report's Field.top: the taskforce's four courses a year)
TOP = 4


def estimates_table(data, *, area=None, period=None, prior_strength=DEFAULT_PRIOR_STRENGTH,
                    level: float = DEFAULT_LEVEL, grades: bool = False) -> pd.DataFrame:
    """Every kommune x area x period of a download with every number of its report, as one DataFrame.

    The numbers are :func:`danmark.report.report_table`'s (the same as ``danmark report`` and the
    faktaark for the same file); this adds only ``level``, ``n_grades``, ``grade_status`` and
    ``reference_sources``.

    Parameters
    ----------
    data : path, DataFrame or None
        A Talportal or Statistikbank download (or a tidy table read from one); None: the bundled figures.
    area, period : str, optional
        Only this area / period (default: all in the data).
    prior_strength : float
        Weight, in cases, of the prior centred on the reference rate.
    level : float
        Level of the exact and the shrunk intervals.
    grades : bool
        Also the report-card grades (an exact integer programme per area and period of a full
        download: 10-60 s each for 98 kommuner with real spread, so off by default). Only a grading
        proven optimal is shown: one the solver had to stop early (``grade_status`` "time limit")
        is left <NA>, so a grade never depends on how fast the machine is.

    Returns
    -------
    DataFrame
        One row per kommune x area x period (Hele landet left out), columns :data:`COLUMNS`:

        - ``kommunekode``, ``kommune``, ``official_name`` ("Københavns Kommune"), ``region``,
          ``area`` and ``period`` (codes: "voksenhandicap", "2022Q4");
        - counts ``stadfaestet``, ``aendret``, ``hjemvist``, ``afvist``, ``n`` (realitetsbehandlede
          sager), ``omgjort`` (nullable Int64; <NA> where the file does not say);
        - ``raw`` = omgjort / n with the exact (Clopper-Pearson) interval ``lower``, ``upper``;
        - ``reference`` (the reference rate), ``reference_origin`` ("download", "published",
          "published_earlier", "none") and ``reference_text`` (one Danish sentence naming it);
        - ``estimate``, ``estimate_lower``, ``estimate_upper``: the rate shrunk toward the reference
          with a Beta prior of weight ``prior_strength`` cases; ``prob_above`` = P(rate > reference);
        - with a full download of the area and period (``units`` kommuner with cases): ``flag`` and
          ``flag_od`` (funnel at 95 % and 99.8 %, without / with over-dispersion: "within",
          "above 95%", ...), ``median_rank``, ``rank_lower``, ``rank_upper`` (1 = highest rate),
          ``p_top`` = P(among the :data:`TOP` highest) and ``grade`` (report-card grade, 1 = highest,
          λ = 0.25); <NA> otherwise;
        - ``level``, ``n_grades`` (grades in the area and period), ``grade_status`` ("optimal",
          "not computed", "time limit", "no ranks"; <NA> without a full download) and
          ``reference_sources`` (the reference's source keys, joined by "+").

    Examples
    --------
    >>> t = estimates_table("data.csv")                     # doctest: +SKIP
    >>> t.loc[t["kommune"] == "Solrød", ["period", "raw", "prob_above"]]  # doctest: +SKIP
    """
    from ..report import read_download, report_table

    d = read_download(data)  # read once: the report's table and its fields' grade status from the same download
    table = report_table(d, area=area, period=period, prior_strength=prior_strength, level=level, grades=grades)
    status, sources = {}, {}
    for a, p in table[["area", "period"]].drop_duplicates().itertuples(index=False):
        field = d.field(a, p, grades=grades)  # cached: the field report_table used
        sources[a, p] = "+".join(d.reference(a, p).sources)
        if field is not None:
            status[a, p] = ("not computed" if not grades else "no ranks" if not field.ranked else
                            "optimal" if field.grade_status == "optimal" else "time limit")
    return _finish(table, level, status, sources)


def _finish(table: pd.DataFrame, level: float, status: dict | None = None, sources: dict | None = None) -> pd.DataFrame:
    """The report's table with ``level``, ``n_grades``, ``grade_status`` and ``reference_sources`` added (checks
    that it has the contract's columns); a grade not proven optimal is blanked."""
    missing = [c for c in REPORT_COLUMNS if c not in table.columns]
    if missing:
        raise DataError(f"the report's table lacks the columns {', '.join(missing)}")
    out = table.reset_index(drop=True).copy()
    out["level"] = float(level)
    keys = list(zip(out["area"], out["period"], strict=True))
    out["grade_status"] = pd.Series([(status or {}).get(k, pd.NA) for k in keys], index=out.index, dtype=object)
    out.loc[out["grade_status"] != "optimal", "grade"] = pd.NA
    grade = pd.to_numeric(out["grade"], errors="coerce")
    out["n_grades"] = grade.groupby([out["area"], out["period"]]).transform("max").astype("Int64")
    out["reference_sources"] = [(sources or {}).get(k, "") for k in keys]
    return out[[*REPORT_COLUMNS, "level", "n_grades", "grade_status", "reference_sources",
                *(c for c in out.columns if c not in COLUMNS)]]


# ------------------------------------------------------------------ Danish words



def grade_meaning(grade, n_grades) -> str:
    """The report-card grade's meaning in one Danish line (1 = the highest omgørelsesprocenter).

    Two kommuner get different grades only when the model is sure enough of their order: with
    λ = 0.25 a pair is separated only when P(one above the other) exceeds 1/(1 + λ) = 80 %
    (on average over the pairs split between two grades; :func:`danmark.grades`).

    Examples
    --------
    >>> grade_meaning(1, 3)
    'gruppe 1 af 3, de højeste omgørelsesprocenter; kommuner i forskellige grupper er ordnet med mindst 80 % sikkerhed'
    >>> grade_meaning(1, 1)
    'alle kommuner i samme gruppe: tallene kan ikke skille dem ad med 80 % sikkerhed'
    """
    if grade is None or pd.isna(grade) or n_grades is None or pd.isna(n_grades):
        return ""
    g, total = int(grade), int(n_grades)
    sure = f"{round(100 / (1 + DEFAULT_LAMBDA))} %"
    if total == 1:
        return f"alle kommuner i samme gruppe: tallene kan ikke skille dem ad med {sure} sikkerhed"
    where = ", de højeste omgørelsesprocenter" if g == 1 else ", de laveste omgørelsesprocenter" if g == total else ""
    return f"gruppe {g} af {total}{where}; kommuner i forskellige grupper er ordnet med mindst {sure} sikkerhed"


# ------------------------------------------------------------------ the Danish view


@dataclass(frozen=True)
class Column:
    """One column a reader sees: Danish header, kind of number (its Excel format) and what it means."""

    header: str
    kind: str        # "text", "code", "count", "pct", "prob", "rank", "number"
    about: str


#: Excel number formats by kind (Excel shows them with decimal commas on a Danish machine)
FORMATS = {"code": "0", "count": "0", "pct": "0.0%", "prob": "0.00", "rank": "General", "number": "General"}
#: column widths (characters) by kind
WIDTHS = {"text": 16, "code": 8, "count": 11, "pct": 12, "prob": 12, "rank": 9, "number": 10}


def _level(table: pd.DataFrame) -> float:
    levels = pd.unique(table["level"].dropna()) if "level" in table.columns else np.array([0.95])
    if len(levels) > 1:
        raise DataError(f"the table mixes interval levels ({', '.join(map(str, levels))}); write one level at a time",
                        column="level")
    return float(levels[0]) if len(levels) else 0.95


def _pct_text(level: float) -> str:
    return f"{100 * level:.1f}".rstrip("0").rstrip(".").replace(".", ",") + " %"


def danish_view(table: pd.DataFrame) -> tuple[pd.DataFrame, list[Column]]:
    """The table as a reader sees it: Danish headers and words, numbers kept as numbers.

    Returns the DataFrame (Danish headers, in reading order) and the :class:`Column` of each
    of its columns (kind and explanation), for the writers.

    Examples
    --------
    >>> t = pd.DataFrame({"kommunekode": ["269"], "official_name": ["Solrød Kommune"], "area": ["voksenhandicap"],
    ...                   "period": ["2022Q4"], "n": [14], "omgjort": [10], "raw": [10 / 14]})
    >>> view, cols = danish_view(t)
    >>> view.columns.tolist()
    ['kommune', 'kommunekode', 'område', 'periode', 'realitetsbehandlede sager', 'omgjort (ændret + hjemvist)', 'omgørelsesprocent']
    >>> view.loc[0, "periode"], float(view.loc[0, "omgørelsesprocent"])
    ('4. kvartal 2022', 0.7142857142857143)
    >>> [c.kind for c in cols]
    ['text', 'code', 'text', 'text', 'count', 'count', 'pct']
    """
    t = table
    lvl = _pct_text(_level(t))
    n_grades = t["n_grades"] if "n_grades" in t.columns else pd.Series(pd.NA, index=t.index)
    status = t["grade_status"] if "grade_status" in t.columns else pd.Series(pd.NA, index=t.index, dtype=object)

    def num(name, integer=False):
        s = t[name]
        return s.astype("Int64") if integer else pd.to_numeric(s, errors="coerce").astype(float)

    spec = [
        ("official_name", Column("kommune", "text", "Kommunens officielle navn."),
         lambda: t["official_name" if "official_name" in t.columns else "kommune"].astype(str)),
        ("kommunekode", Column("kommunekode", "code", "Kommunekoden (Danmarks Statistik)."),
         lambda: pd.to_numeric(t["kommunekode"]).astype("Int64")),
        ("region", Column("region", "text", "Regionen, kommunen ligger i."), lambda: t["region"].astype(str)),
        ("area", Column("område", "text", "Sagsområdet, som Ankestyrelsen opgør det."), lambda: t["area"].map(area_da)),
        ("period", Column("periode", "text", "Perioden, afgørelserne er truffet i."), lambda: t["period"].map(period_da)),
        ("stadfaestet", Column("stadfæstet", "count", "Sager, hvor Ankestyrelsen gav kommunen ret."),
         lambda: num("stadfaestet", True)),
        ("aendret", Column("ændret", "count", "Sager, hvor Ankestyrelsen ændrede eller ophævede afgørelsen "
                           "(tom: filen giver kun summen af ændret og hjemvist)."), lambda: num("aendret", True)),
        ("hjemvist", Column("hjemvist", "count", "Sager, Ankestyrelsen sendte tilbage til kommunen til ny "
                            "behandling (tom: filen giver kun summen)."), lambda: num("hjemvist", True)),
        ("afvist", Column("afvist", "count", "Afviste klager (fx for sent indgivet); tæller ikke med i "
                          "omgørelsesprocenten (tom: ikke i filen)."), lambda: num("afvist", True)),
        ("n", Column("realitetsbehandlede sager", "count", "Stadfæstet + ændret + hjemvist: sagerne, "
                     "omgørelsesprocenten regnes af."), lambda: num("n", True)),
        ("omgjort", Column("omgjort (ændret + hjemvist)", "count", "Ændrede og hjemviste sager."),
         lambda: num("omgjort", True)),
        ("raw", Column("omgørelsesprocent", "pct", "Omgjort divideret med realitetsbehandlede sager, som på "
                       "Ankestyrelsens Danmarkskort."), lambda: num("raw")),
        ("lower", Column(f"nedre grænse (eksakt {lvl})", "pct", f"Nedre grænse for et eksakt {lvl}-interval "
                         "(Clopper-Pearson) om omgørelsesprocenten: hvor meget tallet kan svinge alene fordi "
                         "sagerne er få."), lambda: num("lower")),
        ("upper", Column(f"øvre grænse (eksakt {lvl})", "pct", f"Øvre grænse for samme {lvl}-interval."),
         lambda: num("upper")),
        ("reference", Column("landsgennemsnit (reference)", "pct", "Det landsgennemsnit, kommunen sammenlignes "
                             "med (samme område og periode)."), lambda: num("reference")),
        ("reference_text", Column("reference: kilde", "text", "Hvilket landsgennemsnit der er brugt, og hvor "
                                  "det kommer fra."), lambda: t["reference_text"].fillna("").astype(str)),
        ("estimate", Column("justeret skøn", "pct", "Omgørelsesprocenten trukket mod landsgennemsnittet, mere "
                            "jo færre sager kommunen har (se »Modellen« nedenfor)."), lambda: num("estimate")),
        ("estimate_lower", Column(f"justeret skøn, nedre grænse ({lvl})", "pct", f"Nedre grænse for et {lvl}-"
                                  "interval om det justerede skøn."), lambda: num("estimate_lower")),
        ("estimate_upper", Column(f"justeret skøn, øvre grænse ({lvl})", "pct", f"Øvre grænse for samme "
                                  f"{lvl}-interval."), lambda: num("estimate_upper")),
        ("prob_above", Column("P(over landsgennemsnittet)", "prob", "Sandsynligheden (0 til 1) for, at kommunens "
                              "sande omgørelsesprocent ligger over landsgennemsnittet, givet tallene og modellen."),
         lambda: num("prob_above")),
        ("prior_strength", Column("forhåndsfordelingens vægt (sager)", "number", "Hvor mange sagers vægt "
                                  "landsgennemsnittet har i det justerede skøn."), lambda: num("prior_strength")),
        ("units", Column("kommuner i tragtdiagrammet", "count", "Kommuner med sager i området og perioden "
                         "(tragtdiagram, rang og karakter kræver en fuld download)."), lambda: num("units", True)),
        ("flag", Column("tragtdiagram 95 %/99,8 % uden overspredning", "text", "Hvor kommunen ligger i forhold "
                        "til tragtdiagrammets 95 %- og 99,8 %-grænser om landsgennemsnittet, når kun tilfældighed "
                        "skiller kommunerne ad: »inden for«, »over 95 %-grænsen«, »over 99,8 %-grænsen«, "
                        "»under …«."), lambda: t["flag"].map(flag_da)),
        ("flag_od", Column("tragtdiagram 95 %/99,8 % med overspredning", "text", "Det samme, når grænserne er "
                           "udvidet med den spredning mellem kommunerne, som tilfældighed ikke forklarer "
                           "(overspredning); det er den mere forsigtige læsning."), lambda: t["flag_od"].map(flag_da)),
        ("median_rank", Column("rang (median)", "rank", "Kommunens rang blandt kommunerne i området og perioden, "
                               "1 = højeste omgørelsesprocent (medianen over modellens mulige rækkefølger)."),
         lambda: num("median_rank")),
        ("rank_lower", Column("rang, fra (95 %)", "rank", "Bedste rang i et 95 %-interval for rangen."),
         lambda: num("rank_lower")),
        ("rank_upper", Column("rang, til (95 %)", "rank", "Dårligste rang i samme interval."),
         lambda: num("rank_upper")),
        ("p_top", Column(f"P(blandt de {TOP} højeste)", "prob", f"Sandsynligheden for, at kommunen er blandt de "
                         f"{TOP} kommuner med den højeste sande omgørelsesprocent i området og perioden."),
         lambda: num("p_top")),
        ("grade", Column("karakter", "count", "Karakter som i Kline, Rose & Walters' »report card«: kommunerne "
                         "deles i ordnede grupper, 1 = højeste omgørelsesprocenter."), lambda: num("grade", True)),
        ("n_grades", Column("karakterens betydning", "text", "Karakteren i ord, eller hvorfor der ingen er."),
         lambda: pd.Series([grade_meaning(g, k) or GRADE_STATUS.get(st, "") if isinstance(st, str) else
                            grade_meaning(g, k) for g, k, st in zip(t["grade"], n_grades, status, strict=True)],
                           index=t.index, dtype=object)),
    ]
    present = [(name, col, make) for name, col, make in spec if name in t.columns
               or (name == "n_grades" and "grade" in t.columns) or (name == "official_name" and "kommune" in t.columns)]
    view = pd.DataFrame({col.header: make() for _, col, make in present}, index=t.index).reset_index(drop=True)
    return view, [col for _, col, _ in present]
