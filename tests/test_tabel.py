"""``danmark tabel`` (issue 20): the estimates table, its workbook and CSV, the honest map and its HTML.

The download is SYNTHETIC (tests/talportal_writer.random_truth, written into a temporary folder).
The table is :func:`danmark.report.report_table`'s; the workbook's numbers are checked against
the table, and for sampled kommuner against what ``danmark report`` prints and what the faktaark
shows (parsed from their output) for the same file.
"""

from __future__ import annotations

import ast
import html
import math
import re

import browser
import matplotlib
import numpy as np
import openpyxl
import pandas as pd
import pytest
import talportal_writer as tw
from browser import needs_chromium

import danmark
import danmark.report
from danmark.cli import main
from danmark.errors import DataError
from danmark.plotting.maps import estimates_map
from danmark.plotting.save import source_lines
from danmark.report import report_table
from danmark.tables_out import (
    COLUMNS,
    REPORT_COLUMNS,
    danish_view,
    estimates_map_html,
    estimates_table,
)
from danmark.tables_out.table import FORMATS, GRADE_STATUS, _finish, area_da, flag_da, period_da
from danmark.tables_out.workbook import ABOUT, SHEET, SOURCES, write_csv, write_workbook

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SAGSEMNER = ["Voksenhandicap", "Børnehandicap"]
PERIODS = ["2023", "2024"]


@pytest.fixture(scope="module")
def download(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic_tabel")
    truth = tw.random_truth(np.random.default_rng(20), n_kommuner=40, sagsemner=SAGSEMNER, periods=PERIODS,
                            mean_cases=12)
    assert truth.attrs["synthetic"]
    return tw.write_csv_download(truth, folder / "SYNTHETIC_data.csv")


@pytest.fixture(scope="module")
def table(download):
    return estimates_table(download)


@pytest.fixture(scope="module")
def workbook(table, download, tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "omgoerelser.xlsx"
    write_workbook(table, path, data_name=download.name, sources=["talportal:" + download.name])
    return openpyxl.load_workbook(path)


# ------------------------------------------------------------------ the table


def test_estimates_table_is_the_reports_table(table, download):
    assert list(table.columns[:len(REPORT_COLUMNS)]) == list(REPORT_COLUMNS) and list(table.columns) == list(COLUMNS)
    report = report_table(download, grades=False)
    pd.testing.assert_frame_equal(table[list(REPORT_COLUMNS)], report[list(REPORT_COLUMNS)].reset_index(drop=True))
    assert (table["level"] == 0.95).all()
    assert len(table) == len(report) and set(table["area"]) == {"voksenhandicap", "boernehandicap"}
    # grades are off by default, and every row of a full download says so
    assert table["grade"].isna().all() and table["n_grades"].isna().all()
    assert set(table["grade_status"].dropna()) == {"not computed"}
    assert (table["reference_sources"] != "").all()


def test_grades_on_request_are_the_reports(download):
    t = estimates_table(download, area="voksenhandicap", period="2024", grades=True)
    report = report_table(download, area="voksenhandicap", period="2024", grades=True)
    assert set(t["grade_status"]) == {"optimal"}
    pd.testing.assert_series_equal(t["grade"], report["grade"].reset_index(drop=True))
    assert t["grade"].notna().all() and (t["n_grades"] == t["grade"].max()).all()
    view, _ = danish_view(t)
    assert view["karakterens betydning"].str.contains("80 % sikkerhed").all()


def test_a_grading_not_proven_optimal_is_not_shown(table):
    """A grade must not depend on the time limit (how fast the machine is): only a proven optimum is shown."""
    part = table[(table["area"] == "voksenhandicap")].copy()
    part["grade"] = pd.array([1] * len(part), dtype="Int64")
    status = {(a, p): "time limit" if p == "2024" else "optimal" for a, p in zip(part["area"], part["period"],
                                                                                  strict=True)}
    out = _finish(part.drop(columns=["level", "n_grades", "grade_status", "reference_sources"]), 0.95, status)
    late = out["period"] == "2024"
    assert out.loc[late, "grade"].isna().all() and (out.loc[~late, "grade"] == 1).all()
    view, _ = danish_view(out)
    assert (view.loc[late.to_numpy(), "karakterens betydning"] == GRADE_STATUS["time limit"]).all()
    assert view.loc[~late.to_numpy(), "karakterens betydning"].str.startswith("alle kommuner i samme gruppe").all()


def test_limits_are_passed_to_the_report(download):
    t = estimates_table(download, area="voksenhandicap", period="2024", prior_strength=10, level=0.9)
    assert set(t["area"]) == {"voksenhandicap"} and set(t["period"]) == {"2024"}
    assert (t["prior_strength"] == 10).all() and (t["level"] == 0.9).all()
    view, _ = danish_view(t)
    assert "nedre grænse (eksakt 90 %)" in view.columns


def test_danish_words():
    assert period_da("2022Q4") == "4. kvartal 2022" and period_da("2020-2023H1") == "2020–1. halvår 2023"
    assert area_da("socialomraadet") == "socialområdet" and flag_da("within") == "inden for grænserne"
    assert flag_da("above 95%") == "over 95 %-grænsen" and flag_da(pd.NA) == ""


def _eq(got, want) -> bool:
    return (got is None and pd.isna(want)) or (got is not None and not pd.isna(want) and got == want)


def test_sampled_rows_are_the_kommune_reports(table, download):
    """The same numbers as danmark report / the faktaark for the same file: kommune_report's AreaReport."""
    codes = table["kommunekode"].drop_duplicates().sample(3, random_state=20)
    for _, row in table[table["kommunekode"].isin(codes)].iterrows():
        rep = danmark.kommune_report(row["kommunekode"], area=row["area"], period=row["period"], data=download)
        (a,) = [x for x in rep.areas if x.period == row["period"]]
        assert rep.official_name == row["official_name"]
        assert (a.stadfaestet, a.n, a.omgjort) == (row["stadfaestet"], row["n"], row["omgjort"])
        assert _eq(a.rate, row["raw"]) and _eq(a.reference, row["reference"])
        assert a.reference_info.text == row["reference_text"] and a.reference_info.origin == row["reference_origin"]
        lo, hi = a.exact if a.exact else (None, None)
        assert _eq(lo, row["lower"]) and _eq(hi, row["upper"])
        est = a.shrunk if a.shrunk else (None, None, None)
        assert all(_eq(g, row[c]) for g, c in zip(est, ("estimate", "estimate_lower", "estimate_upper"), strict=True))
        assert _eq(a.prob_above, row["prob_above"])
        if a.field is not None and row["kommunekode"] in a.field.table.index:
            f = a.field.table.loc[row["kommunekode"]]
            assert a.field.units == row["units"]
            for c in ("flag", "flag_od", "median_rank", "rank_lower", "rank_upper", "p_top"):
                assert (pd.isna(f[c]) and pd.isna(row[c])) or str(f[c]) == str(row[c]), c


# ------------------------------------------------------------------ the workbook

HEADERS = ["kommune", "kommunekode", "region", "område", "periode", "stadfæstet", "ændret", "hjemvist", "afvist",
           "realitetsbehandlede sager", "omgjort (ændret + hjemvist)", "omgørelsesprocent",
           "nedre grænse (eksakt 95 %)", "øvre grænse (eksakt 95 %)", "landsgennemsnit (reference)",
           "reference: kilde", "justeret skøn", "justeret skøn, nedre grænse (95 %)",
           "justeret skøn, øvre grænse (95 %)", "P(over landsgennemsnittet)", "forhåndsfordelingens vægt (sager)",
           "kommuner i tragtdiagrammet", "tragtdiagram 95 %/99,8 % uden overspredning",
           "tragtdiagram 95 %/99,8 % med overspredning", "rang (median)", "rang, fra (95 %)", "rang, til (95 %)",
           "P(blandt de 4 højeste)", "karakter", "karakterens betydning"]


def test_workbook_sheets_headers_formats_pane_filter_widths(workbook, table):
    assert workbook.sheetnames == [SHEET, ABOUT, SOURCES]
    ws = workbook[SHEET]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.max_row == len(table) + 1 and ws.max_column == len(HEADERS)
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:AD{len(table) + 1}"
    _, columns = danish_view(table)
    for j, col in enumerate(columns, start=1):
        cells = [ws.cell(row=r, column=j) for r in range(2, ws.max_row + 1)]
        if col.kind in FORMATS:
            assert {c.number_format for c in cells} == {FORMATS[col.kind]}, col.header
            assert all(c.value is None or isinstance(c.value, int | float) for c in cells), col.header
        else:
            assert all(c.value is None or isinstance(c.value, str) for c in cells), col.header
        assert ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width >= 8
    fmt = {h: ws.cell(row=2, column=j).number_format for j, h in enumerate(HEADERS, start=1)}
    assert fmt["omgørelsesprocent"] == "0.0%" and fmt["realitetsbehandlede sager"] == "0"
    assert fmt["P(over landsgennemsnittet)"] == "0.00"


def _same(got, want) -> bool:
    """openpyxl writes floats with 16 significant digits ("%.16g"): equal to that precision, and in type."""
    if want is None or isinstance(want, str):
        return got == want
    if isinstance(want, float):
        return isinstance(got, int | float) and math.isclose(got, want, rel_tol=2e-16 * 10, abs_tol=0)
    return type(got) is int and got == want


def test_every_workbook_value_is_the_tables(workbook, table):
    view, _ = danish_view(table)
    ws = workbook[SHEET]
    for j, header in enumerate(view.columns, start=1):
        got = [ws.cell(row=r, column=j).value for r in range(2, ws.max_row + 1)]
        want = [None if (not isinstance(v, str) and pd.isna(v)) or v == "" else v for v in view[header]]
        want = [float(v) if isinstance(v, float | np.floating) else int(v) if isinstance(v, int | np.integer)
                else v for v in want]
        assert all(_same(g, w) for g, w in zip(got, want, strict=True)), header
    # the numbers are the estimates table's, not a rounding of them
    col = {h: j for j, h in enumerate(HEADERS, start=1)}
    for r, (_, row) in enumerate(table.iterrows(), start=2):
        for header, name in (("omgørelsesprocent", "raw"), ("P(over landsgennemsnittet)", "prob_above"),
                             ("justeret skøn, øvre grænse (95 %)", "estimate_upper"), ("omgjort (ændret + hjemvist)",
                                                                                      "omgjort")):
            v = ws.cell(row=r, column=col[header]).value
            assert (v is None and pd.isna(row[name])) or _same(v, float(row[name]) if name != "omgjort" else int(row[name]))
        assert ws.cell(row=r, column=col["kommune"]).value == row["official_name"]
        assert ws.cell(row=r, column=col["kommunekode"]).value == int(row["kommunekode"])
        assert ws.cell(row=r, column=col["periode"]).value == period_da(row["period"])


def test_about_and_sources_sheets(workbook, table, download):
    about = "\n".join(str(c.value) for row in workbook[ABOUT].iter_rows() for c in row if c.value)
    for header in HEADERS:
        assert header in about
    for words in ("SYNTETISKE DATA", "Forhåndsfordeling", "30 sager", "P(over landsgennemsnittet)", "Karakter",
                  "80 %", "overspredning", "IKKE beregnet", "danmark tabel --karakterer"):
        assert words in about
    ws = workbook[SHEET]  # no grade without --karakterer, and every row of the full download says why
    meaning = {ws.cell(row=r, column=len(HEADERS)).value for r in range(2, ws.max_row + 1)}
    assert meaning == {GRADE_STATUS["not computed"]}
    sources = "\n".join(str(c.value) for row in workbook[SOURCES].iter_rows() for c in row if c.value)
    assert download.name in sources and "Ankestyrelsen" in sources
    for text in table["reference_text"].unique():
        assert text in sources
    assert "talportal:" not in sources  # no source keys on a reader's page


# ------------------------------------------------------------------ one download, one story: the other surfaces


def _sheet_rows(workbook) -> dict:
    """(kommunekode, område, periode) -> {header: value} of the workbook's main sheet."""
    ws = workbook[SHEET]
    heads = [c.value for c in ws[1]]
    rows = ({h: c.value for h, c in zip(heads, r, strict=True)} for r in ws.iter_rows(min_row=2))
    return {(str(r["kommunekode"]).zfill(3), r["område"], r["periode"]): r for r in rows}


def _dk(text: str) -> float:
    """A Danish number from a page or the CLI ("1.234,5") as a float."""
    return float(text.replace(".", "").replace(",", "."))


def _near(shown: str, value, scale: float = 100.0, decimals: int = 1) -> bool:
    """*shown* (a Danish number with *decimals* decimals) is *value* (times *scale*) rounded."""
    return value is not None and abs(_dk(shown) - scale * value) <= 0.5 * 10 ** -decimals + 1e-9


def _cli_report(capsys, download, code, area, period) -> str:
    assert main(["report", code, "--data", str(download), "--area", area, "--period", period]) == 0
    return capsys.readouterr().out


def test_workbook_shows_what_danmark_report_and_the_faktaark_show(workbook, table, download, capsys):
    """For sampled kommuner of each area and period, the workbook's cells are the numbers ``danmark report``
    prints (parsed from its text, to its rounding) and the faktaark shows (its ``data-v``, exactly)."""
    cells = _sheet_rows(workbook)
    full = table[table["units"].notna() & (table["n"] > 0)]
    sample = full.groupby(["area", "period"]).sample(1, random_state=20).head(3)
    assert len(sample) == 3
    for _, row in sample.iterrows():
        code, area, period = row["kommunekode"], row["area"], row["period"]
        wb = cells[code, area_da(area), period_da(period)]
        lo_h, hi_h = "nedre grænse (eksakt 95 %)", "øvre grænse (eksakt 95 %)"

        text = _cli_report(capsys, download, code, area, period)
        m = re.search(r"(\d+) realitetsbehandlede sager \(stadfæstet (\d+)", text)
        assert (int(m[1]), int(m[2])) == (wb["realitetsbehandlede sager"], wb["stadfæstet"])
        m = re.search(r"Omgørelsesprocent: (\d+) af (\d+) = ([\d,]+) %; 95 %-interval ([\d,]+)–([\d,]+) %", text)
        assert (int(m[1]), int(m[2])) == (wb["omgjort (ændret + hjemvist)"], wb["realitetsbehandlede sager"])
        assert _near(m[3], wb["omgørelsesprocent"]) and _near(m[4], wb[lo_h]) and _near(m[5], wb[hi_h])
        assert f"\n  {wb['reference: kilde']}\n" in text  # the reference's sentence, verbatim
        m = re.search(r"Justeret skøn [^:]*: ([\d,]+) % \(95 %-interval ([\d,]+)–([\d,]+) %\)", text)
        assert _near(m[1], wb["justeret skøn"]) and _near(m[2], wb["justeret skøn, nedre grænse (95 %)"])
        assert _near(m[3], wb["justeret skøn, øvre grænse (95 %)"])
        m = re.search(r"er over ([\d,]+) %: ([\d,]+)", text)
        assert _near(m[1], wb["landsgennemsnit (reference)"]) and _near(m[2], wb["P(over landsgennemsnittet)"], 1, 2)
        m = re.search(r"Blandt (\d+) kommuner: tragtdiagram ([^;(]+?)(?: \(([^)]*) med overspredning\))?; rang nr\. "
                      r"(\d+) \(95 %-interval nr\. (\d+)–(\d+)\); [^\n]* højeste (\d+) %", text)
        assert int(m[1]) == wb["kommuner i tragtdiagrammet"]
        assert m[2] == wb["tragtdiagram 95 %/99,8 % uden overspredning"]
        assert (m[3] or m[2]) == wb["tragtdiagram 95 %/99,8 % med overspredning"]
        assert _near(m[4], wb["rang (median)"], 1, 0)
        assert (int(m[5]), int(m[6])) == (wb["rang, fra (95 %)"], wb["rang, til (95 %)"])
        assert _near(m[7], wb["P(blandt de 4 højeste)"], 100, 0)

        page = danmark.faktaark(code, data=download, area=area, period=period)
        v = {k: ast.literal_eval(html.unescape(x)) for k, x in re.findall(r'data-k="([^"]+)" data-v="([^"]*)"', page)}
        assert (v["kommunekode"], v["area"], v["period"]) == (code, area, period)
        exact = {"n": "realitetsbehandlede sager", "omgjort": "omgjort (ændret + hjemvist)", "stadfaestet": "stadfæstet",
                 "rate": "omgørelsesprocent", "exact_lower": lo_h, "exact_upper": hi_h,
                 "p0": "landsgennemsnit (reference)", "shrunk": "justeret skøn",
                 "shrunk_lower": "justeret skøn, nedre grænse (95 %)", "shrunk_upper": "justeret skøn, øvre grænse (95 %)",
                 "prob_above": "P(over landsgennemsnittet)", "units": "kommuner i tragtdiagrammet",
                 "rank_median": "rang (median)", "rank_lower": "rang, fra (95 %)", "rank_upper": "rang, til (95 %)",
                 "p_top": "P(blandt de 4 højeste)"}
        for key, header in exact.items():
            assert _same(wb[header], v[key]), (key, wb[header], v[key])
        assert flag_da(v["funnel_flag"]) == wb["tragtdiagram 95 %/99,8 % uden overspredning"]
        assert flag_da(v.get("funnel_flag_od", v["funnel_flag"])) == wb["tragtdiagram 95 %/99,8 % med overspredning"]
        assert wb["reference: kilde"] in html.unescape(page)


# ------------------------------------------------------------------ the CSV


def test_csv_round_trips_to_the_same_numbers(table, tmp_path):
    path = write_csv(table, tmp_path / "t.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw.splitlines()[1]
    back = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    view, columns = danish_view(table)
    assert len(back) == len(view)
    for col in columns:
        name = f"{col.header} (andel)" if col.kind == "pct" else col.header
        got, want = back[name], view[col.header]
        if col.kind == "text":
            assert got.fillna("").astype(str).tolist() == want.fillna("").astype(str).tolist(), name
        else:
            assert np.array_equal(got.to_numpy(dtype=float), pd.to_numeric(want).to_numpy(dtype=float, na_value=np.nan),
                                  equal_nan=True), name
    assert back["omgørelsesprocent (andel)"].tolist() == pytest.approx(
        table["raw"].to_numpy(dtype=float, na_value=np.nan).tolist(), nan_ok=True, abs=0)


# ------------------------------------------------------------------ the map


def _two(prob=(0.99, 0.01), n=(400, 400), raw=(0.2, 0.8)):
    return pd.DataFrame({"kommunekode": ["101", "751"], "official_name": ["A", "B"], "area": "voksenhandicap",
                         "period": "2024", "n": list(n), "omgjort": [int(r * k) for r, k in zip(raw, n, strict=True)],
                         "raw": list(raw), "prob_above": list(prob)})


def test_map_colours_follow_prob_above_not_the_raw_rate():
    ax = estimates_map(_two())  # the raw rates point the other way
    coll = next(c for c in ax.collections if c.get_gid() == "kommuner")
    face = coll.get_facecolors()
    assert len(face) == 2
    geo = danmark.load_boundaries()
    order = [str(f["properties"]["kommunekode"]).zfill(3) for f in geo["features"]]
    drawn = sorted(["101", "751"], key=order.index)
    by_code = dict(zip(drawn, face, strict=True))
    cm = plt.get_cmap("RdBu_r")
    assert np.allclose(by_code["101"], cm(0.99)) and np.allclose(by_code["751"], cm(0.01))
    assert np.allclose(cm(0.99), cm(1.0), atol=0.03) and np.allclose(cm(0.01), cm(0.0), atol=0.03)
    assert not np.allclose(by_code["101"], by_code["751"], atol=0.3)  # the two ends of the scale
    fig = ax.get_figure()
    assert source_lines(fig) and source_lines(fig)[0].startswith("Kilde: Ankestyrelsen")
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    assert any("over landsgennemsnittet" in t for t in texts) and any("sikkert over" in t for t in texts)
    plt.close("all")


def test_map_hatches_kommuner_with_few_cases_and_says_so():
    ax = estimates_map(_two(n=(400, 5)), min_cases=10)
    hatched = next(c for c in ax.collections if c.get_gid() == "kommuner-skraveret")
    assert len(hatched.get_paths()) == 1
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(label.startswith("under 10 sager") for label in labels)
    assert any("ingen sager" in label for label in labels)  # the 96 kommuner without a number
    plt.close("all")


def test_map_of_the_download_picks_one_area_and_period(table):
    ax = estimates_map(table, area="boernehandicap", period="2023")
    assert "Børnehandicap, 2023" in ax.get_title()
    with pytest.raises(DataError, match="no rows"):
        estimates_map(table, area="socialomraadet")
    with pytest.raises(DataError, match="min_cases"):
        estimates_map(table, min_cases=-1)
    plt.close("all")


def test_map_html_is_self_contained_and_its_table_is_the_estimates(table):
    page = estimates_map_html(table, area="voksenhandicap", period="2024", link=lambda c, k: f"{c}.html",
                              data_name="SYNTHETIC_data.csv")
    assert page.count("<svg") == 1 and "<figure>" in page and "Kilde:" not in page.split("<svg")[0]
    assert "<script src" not in page and not re.search(r"(src|href)=['\"]?(https?:)?//", page)
    assert "@import" not in page and "url(http" not in page
    field = table[(table["area"] == "voksenhandicap") & (table["period"] == "2024")]
    body = page.split("<tbody>")[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body)
    assert len(rows) == len(field)
    values = {}
    for r in rows:
        cells = [html.unescape(v) for v in re.findall(r'data-v="([^"]*)"', r)]
        values[cells[0]] = cells
    for _, row in field.iterrows():
        cells = values[row["official_name"]]
        assert int(cells[1]) == row["n"] and int(cells[2]) == row["omgjort"]
        for got, name in ((cells[3], "raw"), (cells[5], "estimate"), (cells[6], "prob_above"), (cells[9], "p_top")):
            assert (got == "" and pd.isna(row[name])) or float(got) == row[name]
    assert f"href='{field['kommunekode'].iloc[0]}.html'" in page


@needs_chromium
def test_map_html_in_headless_chromium(table, tmp_path):
    page = tmp_path / "kort.html"
    block = estimates_map_html(table, area="voksenhandicap", period="2024")
    page.write_text(f'<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>kort</title></head><body>'
                    f"{block}</body></html>", encoding="utf-8")
    loaded = browser.load(page)
    assert loaded.requests == [] and loaded.console == []  # no console message or page error at all
    assert "dk-sortable" in loaded.dom and "<svg" in loaded.dom  # printing: tests/test_faktaark.py (the index)


# ------------------------------------------------------------------ the command


def test_cli_writes_a_workbook_and_a_csv(download, tmp_path, capsys, table):
    out = tmp_path / "omgoerelser.xlsx"
    assert main(["tabel", "--data", str(download), "--period", "2024", "--karakterer", "--out", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"Skrev {out}") and len(line.splitlines()) == 1 and "med karakterer" in line
    wb = openpyxl.load_workbook(out)
    ws = wb[SHEET]
    assert ws.max_row == (table["period"] == "2024").sum() + 1
    grades = [r[0].value for r in ws.iter_rows(min_row=2, min_col=HEADERS.index("karakter") + 1,
                                                 max_col=HEADERS.index("karakter") + 1)]
    assert all(isinstance(g, int) and g >= 1 for g in grades)
    about = " ".join(str(c.value) for r in wb[ABOUT].iter_rows() for c in r if c.value)
    assert "Karaktererne er beregnet" in about and "IKKE beregnet" not in about
    csv = tmp_path / "voksen.csv"
    assert main(["tabel", "--data", str(download), "--area", "voksenhandicap", "--period", "2024",
                 "--out", str(csv)]) == 0
    back = pd.read_csv(csv, sep=";", decimal=",", encoding="utf-8-sig")
    assert set(back["område"]) == {"voksenhandicap"} and set(back["periode"].astype(str)) == {"2024"}


@pytest.fixture(scope="module")
def national_only(tmp_path_factory):
    truth = tw.random_truth(np.random.default_rng(3), n_kommuner=2, sagsemner=SAGSEMNER[:1], periods=["2024"])
    truth = truth[truth["kommune"] == "Hele landet"]
    return tw.write_csv_download(truth, tmp_path_factory.mktemp("nat") / "SYNTHETIC_hele_landet.csv")


@pytest.mark.parametrize("argv, words", [
    (["tabel", "--out", "t.xlsx"], "--data"),
    (["tabel", "--data", "{data}", "--out", "t.txt"], ".xlsx"),
    (["tabel", "--data", "{data}"], "--out"),
    (["tabel", "--data", "{data}", "--area", "ældreområdet", "--out", "t.xlsx"], "ældreområdet"),
    (["tabel", "--data", "{national}", "--out", "t.xlsx"], "danmark: fejl:"),
    (["tabel", "--data", "findes_ikke.csv", "--out", "t.xlsx"], "findes ikke"),
    (["tabel", "--data", "{data}", "--level", "95", "--out", "t.xlsx"], "--level skal være et tal mellem 0 og 1"),
    (["tabel", "--data", "{data}", "--prior-strength", "x", "--out", "t.xlsx"], "--prior-strength skal ligge"),
])
def test_cli_bad_input_is_one_danish_line(argv, words, download, national_only, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    argv = [a.format(data=download, national=national_only) for a in argv]
    assert main(argv) == (2 if words.startswith(("--level", "--prior-strength")) else 1)  # 2: a usage error
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("danmark: fejl: ") and words in err
    assert "Traceback" not in err and not list(tmp_path.glob("t.*"))


def test_cli_help_is_danish(capsys):
    assert main(["tabel", "--help"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("brug: danmark tabel") and "tilvalg:" in text and "regneark" in text
    assert "show this help" not in text and "options:" not in text
