"""``danmark tabel`` (issue 20): the estimates table, its workbook and CSV, the honest map and its HTML.

The download is SYNTHETIC (tests/talportal_writer.random_truth, written into a temporary folder).
Until :func:`danmark.report.report_table` exists, :func:`scaffold_report_table` stands in for it:
test scaffolding that builds a table with exactly the report contract's columns from the
library's statistics (binomial_ci, shrink, prob_above, funnel_flags, overdispersion_fit,
hierarchical, grades). Once the report has ``report_table`` the tests use it instead.
"""

from __future__ import annotations

import html
import math
import re

import matplotlib
import numpy as np
import openpyxl
import pandas as pd
import pytest
import talportal_writer as tw
from browser import chromium, console_messages, needs_chromium

import danmark
import danmark.report
from danmark.cli import main
from danmark.errors import DataError
from danmark.plotting.maps import estimates_map
from danmark.plotting.save import source_lines
from danmark.tables_out import (
    COLUMNS,
    REPORT_COLUMNS,
    danish_view,
    estimates_map_html,
    estimates_table,
)
from danmark.tables_out.table import FORMATS, area_da, flag_da, period_da
from danmark.tables_out.workbook import ABOUT, SHEET, SOURCES, write_csv, write_workbook

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SAGSEMNER = ["Voksenhandicap", "Børnehandicap"]
PERIODS = ["2023", "2024"]
_SCAFFOLD_CACHE: dict = {}


# ------------------------------------------------------------------ scaffolding: the contract's report_table


def _official(name: str) -> str:
    return {"København": "Københavns Kommune", "Bornholm": "Bornholms Regionskommune"}.get(name, f"{name} Kommune")


def scaffold_report_table(data, *, area=None, period=None, prior_strength=30.0, level=0.95, grades=True):
    """A stand-in for danmark.report.report_table with the contract's columns (plus reference_sources)."""
    key = (str(data), area, period, prior_strength, level, grades)
    if key in _SCAFFOLD_CACHE and not isinstance(data, pd.DataFrame):
        return _SCAFFOLD_CACHE[key].copy()
    table = danmark.with_rates(data if isinstance(data, pd.DataFrame) else danmark.load_data(data))
    units, national = danmark.split_national(table)
    if area is not None:
        units = units[units["area"].str.lower() == str(area).lower()]
        if units.empty:
            raise DataError(f"no counts for area {area!r}; the data's areas are: "
                            f"{', '.join(sorted(table['area'].unique()))}")
    if period is not None:
        units = units[units["period"] == str(period)]
        if units.empty:
            raise DataError(f"no counts for period {period!r}")
    parts = []
    for (a, p), u in units.groupby(["area", "period"], sort=False):
        u = u.set_index("kommune", drop=False).copy()
        nat = national[(national["area"] == a) & (national["period"] == p)]
        k0, n0 = int(nat["omgjort"].sum()), int(nat["n"].sum())
        if 0 < k0 < n0:
            ref, origin, keys = k0 / n0, "download", "+".join(dict.fromkeys(nat["source"]))
            text = f"Hele landet i filen, samme område og periode ({k0} af {n0} sager)."
        else:
            ref, origin, keys, text = np.nan, "none", "", "Intet landsgennemsnit for området og perioden."
        has = u[u["n"] > 0]
        k, n = has["omgjort"], has["n"]
        ci = danmark.binomial_ci(k.to_numpy(), n.to_numpy(), level=level, method="exact").set_index(has.index)
        u["raw"] = (u["omgjort"] / u["n"].where(u["n"] > 0)).astype(float)
        u["lower"], u["upper"] = ci["lower"], ci["upper"]
        for c in ("estimate", "estimate_lower", "estimate_upper", "prob_above", "median_rank", "rank_lower",
                  "rank_upper", "p_top"):
            u[c] = np.nan
        u["flag"] = u["flag_od"] = pd.NA
        u["grade"] = pd.NA
        u["units"] = len(has)
        if not np.isnan(ref):
            prior = danmark.BetaPrior.from_mean(ref, prior_strength)
            post = danmark.shrink(k.to_numpy(), n.to_numpy(), prior=prior, level=level).set_index(has.index)
            u["estimate"], u["estimate_lower"], u["estimate_upper"] = post["estimate"], post["lower"], post["upper"]
            u["prob_above"] = danmark.prob_above(k.to_numpy(), n.to_numpy(), prior=prior,
                                                 reference=ref)["prob_above"].set_axis(has.index)
            if len(has) >= danmark.report.MIN_FULL:
                od = danmark.overdispersion_fit(k, n, reference=ref)
                kw = {"overdispersion": "additive", "tau2": od.tau2} if od.tau2 > 0 else {}
                u["flag"] = danmark.funnel_flags(k, n, reference=ref, level=(0.95, 0.998))["flag"].astype(str)
                u["flag_od"] = danmark.funnel_flags(k, n, reference=ref, level=(0.95, 0.998), **kw)["flag"].astype(str)
                h = danmark.hierarchical(k, n, seed=2024)
                r = h.rank_uncertainty(top=4, size=2000, seed=2024)
                u[["median_rank", "rank_lower", "rank_upper", "p_top"]] = r[
                    ["median_rank", "rank_lower", "rank_upper", "p_top"]]
                if grades:
                    u["grade"] = danmark.grades(danmark.pairwise_prob(h, size=2000, seed=2024)).grade
        u["reference"], u["reference_origin"], u["reference_text"] = ref, origin, text
        u["reference_sources"] = keys
        u["prior_strength"] = float(prior_strength)
        u["official_name"] = u["kommune"].map(_official)
        parts.append(u.reset_index(drop=True))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*REPORT_COLUMNS, "reference_sources"])
    for c in ("stadfaestet", "aendret", "hjemvist", "afvist", "n", "omgjort", "units", "grade"):
        out[c] = out[c].astype("Int64")
    out = out[[*REPORT_COLUMNS, "reference_sources"]]
    if not isinstance(data, pd.DataFrame):
        _SCAFFOLD_CACHE[key] = out.copy()
    return out


@pytest.fixture(scope="module", autouse=True)
def report_table():
    """The report's report_table, or the scaffold in its place until the report has it."""
    real = getattr(danmark.report, "report_table", None)
    if real is not None:
        yield real
        return
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(danmark.report, "report_table", scaffold_report_table, raising=False)
        yield scaffold_report_table


@pytest.fixture(scope="module")
def download(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic_tabel")
    truth = tw.random_truth(np.random.default_rng(20), n_kommuner=98, sagsemner=SAGSEMNER, periods=PERIODS,
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


def test_estimates_table_is_the_reports_table_with_level_and_grades(table, report_table, download):
    assert list(table.columns[:len(REPORT_COLUMNS)]) == list(REPORT_COLUMNS)
    assert set(COLUMNS) <= set(table.columns)
    report = report_table(download)
    pd.testing.assert_frame_equal(table[list(REPORT_COLUMNS)], report[list(REPORT_COLUMNS)].reset_index(drop=True))
    assert (table["level"] == 0.95).all()
    assert len(table) == len(report) and set(table["area"]) == {"voksenhandicap", "boernehandicap"}
    g = table.dropna(subset=["grade"]).groupby(["area", "period"])
    assert (g["n_grades"].first() == g["grade"].max()).all()


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


needs_report_table = pytest.mark.skipif(not hasattr(danmark.report, "report_table"),
                                        reason="danmark.report.report_table (the report contract) not there yet")


def _eq(got, want) -> bool:
    return (got is None and pd.isna(want)) or (got is not None and not pd.isna(want) and got == want)


@needs_report_table
def test_sampled_rows_are_the_kommune_reports(table, download):
    """The same numbers as danmark report / the faktaark for the same file: kommune_report's AreaReport."""
    codes = table["kommunekode"].drop_duplicates().sample(6, random_state=20)
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
            for c in ("flag", "flag_od", "median_rank", "rank_lower", "rank_upper", "p_top", "grade"):
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
                  "80 %", "overspredning"):
        assert words in about
    sources = "\n".join(str(c.value) for row in workbook[SOURCES].iter_rows() for c in row if c.value)
    assert download.name in sources and "Ankestyrelsen" in sources
    for text in table["reference_text"].unique():
        assert text in sources
    assert "talportal:" not in sources  # no source keys on a reader's page


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
    run = chromium(tmp_path, page, "--dump-dom")
    assert run.returncode == 0 and run.page_requests == []
    assert not [m for m in console_messages(run) if "Uncaught" in m or "error" in m.lower()]
    assert "dk-sortable" in run.stdout and "<svg" in run.stdout
    pdf = tmp_path / "kort.pdf"
    chromium(tmp_path, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert pdf.exists() and pdf.stat().st_size > 10_000


# ------------------------------------------------------------------ the command


def test_cli_writes_a_workbook_and_a_csv(download, tmp_path, capsys, table):
    out = tmp_path / "omgoerelser.xlsx"
    assert main(["tabel", "--data", str(download), "--out", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"Skrev {out}") and len(line.splitlines()) == 1
    ws = openpyxl.load_workbook(out)[SHEET]
    assert ws.max_row == len(table) + 1
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
    (["tabel", "--data", "{data}", "--level", "95", "--out", "t.xlsx"], "--level"),
    (["tabel", "--data", "{data}", "--prior-strength", "x", "--out", "t.xlsx"], "--prior-strength"),
])
def test_cli_bad_input_is_one_danish_line(argv, words, download, national_only, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    argv = [a.format(data=download, national=national_only) for a in argv]
    assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("danmark: fejl: ") and words in err
    assert "Traceback" not in err and not list(tmp_path.glob("t.*"))


def test_cli_help_is_danish(capsys):
    assert main(["tabel", "--help"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("brug: danmark tabel") and "tilvalg:" in text and "regneark" in text
    assert "show this help" not in text and "options:" not in text
