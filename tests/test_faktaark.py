"""The faktaark (issue 9): its numbers are the report's, it is self-contained, and it prints.

Every shown number carries its exact value in ``data-v`` (named by ``data-k``); the tests
read those and compare them with :func:`danmark.kommune_report` on the bundled figures and on
SYNTHETIC downloads (written by tests/talportal_writer.py into a temporary folder, never
committed); tests/test_report.py checks every kommune of a download against the CLI and the
estimates table. The browser tests load the pages in headless Chromium (Debian package
``chromium``; .ci/run installs it).
"""

from __future__ import annotations

import ast
import html
import re

import browser
import numpy as np
import pytest
import talportal_writer as tw
from browser import assert_not_blank, needs_chromium

import danmark
from danmark.cli import main
from danmark.faktaark_page import MIN_FULL, page_file_name

SAGSEMNER = ["Voksenhandicap", "Børnehandicap", "Socialområdet"]
PERIODS = ["2023", "2024"]
BUNDLED = {"Solrød": "269", "Helsingør": "217", "Køge": "259", "Vordingborg": "390", "Sorø": "340", "Morsø": "773"}


def values(page: str) -> dict:
    """The ``data-k`` -> ``data-v`` pairs of a page, as Python values."""
    pairs = re.findall(r'data-k="([^"]+)" data-v="([^"]*)"', page)
    out = {k: ast.literal_eval(html.unescape(v)) for k, v in pairs}
    assert len(out) == len({k for k, _ in pairs})  # each key once
    return out


def shown(page: str, key: str) -> str:
    return html.unescape(re.search(rf'data-k="{re.escape(key)}" data-v="[^"]*">([^<]*)<', page).group(1))


def visible_text(page: str) -> str:
    return html.unescape(re.sub(r"<svg.*?</svg>|<style>.*?</style>|<script>.*?</script>|<[^>]+>", " ", page,
                                flags=re.S))


def assert_self_contained(page: str, inline_script: bool = False) -> None:
    """Nothing fetched; a faktaark has no script at all, the index (*inline_script*) only its inline sorting."""
    assert page.startswith("<!DOCTYPE html>") and '<html lang="da">' in page and '<meta charset="utf-8">' in page
    assert not re.search(r"<link\b|<iframe\b|<object\b|<embed\b|@import", page, flags=re.I)
    scripts = re.findall(r"<script\b[^>]*>", page, flags=re.I)
    assert scripts == (["<script>"] if inline_script else []), scripts
    for attr, target in re.findall(r'\b(src|href)\s*=\s*["\']([^"\']*)', page, flags=re.I):
        assert not re.match(r"(https?:)?//", target), (attr, target)  # nothing to fetch
        assert attr.lower() == "href" and (target.startswith(("#", "data:image/png;base64,"))
                                           or target.endswith(".html")), target[:80]  # data: the map's colour bar
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    text = visible_text(page)
    for bad in ("nan", "NaN", "<NA>", "None", "inf"):
        assert not re.search(rf"\b{re.escape(bad)}\b", text), bad


def approx(a, b):
    return a == pytest.approx(b, rel=1e-12, abs=1e-15)


# ----------------------------------------------------------------- the bundled figures


@pytest.mark.parametrize("kommune", ["Solrød", "Helsingør"])
def test_bundled_page_numbers_are_the_reports(kommune):
    page = danmark.faktaark(kommune)
    v = values(page)
    rep = danmark.kommune_report(kommune)
    a = rep.areas[0]
    assert (v["kommunekode"], v["area"], v["period"]) == (rep.kommunekode, a.area, a.period)
    for key in ("n", "omgjort", "stadfaestet", "aendret", "hjemvist"):
        assert v[key] == getattr(a, key)
    assert v["rate"] == a.rate and (v["exact_lower"], v["exact_upper"]) == a.exact
    # the bundled data have no Hele landet row: the reference is the report's, and so are its numbers
    assert v["p0"] == a.reference
    assert (v["shrunk"], v["shrunk_lower"], v["shrunk_upper"]) == a.shrunk
    assert v["prob_above"] == a.prob_above
    assert (v["prior_alpha"], v["prior_beta"]) == (a.prior.alpha, a.prior.beta)
    for strength, p in a.prob_above_other.items():
        assert v[f"sens_prob_above_{strength:g}"] == p
    out = a.outcomes.set_index("outcome")
    for outcome in ("stadfaestet", "aendret", "hjemvist"):  # exact per outcome, each containing its share
        assert (v[f"split_{outcome}_lower"], v[f"split_{outcome}_upper"]) == tuple(out.loc[outcome, ["lower", "upper"]])
        assert v[f"split_{outcome}_lower"] <= out.loc[outcome, "raw"] <= v[f"split_{outcome}_upper"]
    assert "split_omgjort_lower" not in v  # one interval for the omgørelsesprocent, in section 1
    need = danmark.cases_needed(a.shrunk[0], reference=a.reference, alternative="larger" if a.shrunk[0] > a.reference else "smaller")
    assert v["cases_needed"] == need["n_stable"].iloc[0] == a.needs.cases_needed
    assert v["fewer"] == int(np.ceil(a.omgjort - a.reference * a.n - 1e-9)) == a.needs.fewer
    assert shown(page, "reference_origin") == a.reference_info.text
    assert_self_contained(page)
    assert "<svg" not in page  # one period, five kommuner of different areas: no trend, no funnel
    assert "Getting the official data" in page


def test_solrod_page_reads_as_danmark_report_writes():
    page = danmark.faktaark("Solrød")
    text = visible_text(page)
    assert shown(page, "rate") == "71,4 %" and "10 af 14" in text
    assert "41,9" in shown(page, "exact_lower") and shown(page, "exact_upper") == "91,6 %"  # as danmark report
    assert shown(page, "prob_above") == "0,92" and "vægt som 30 sager" in text
    assert "2020–1. halvår 2023" in text and "udvalgte paragraffer" in text
    assert "5 færre omgjorte sager" in text and "151" in text  # as notebook 02: n_stable 151 at 49 %
    assert "Solrød Kommune: Vedr. taskforce-forløb" in text and "cfdblogger.dk" in text and "sekundær kilde" in text
    summary = re.search(r"<h2>Kort fortalt</h2><div class='box'><p>(.*?)</p>", page, flags=re.S).group(1)
    assert "Hele intervallet ligger over landsgennemsnittet" in summary and "Tallene siger ikke" in summary


@pytest.mark.parametrize("kommune", ["Sorø", "Morsø", "Vordingborg"])
def test_other_bundled_kommuner_get_pages(kommune):
    page = danmark.faktaark(kommune)
    v = values(page)
    a = danmark.kommune_report(kommune).areas[0]
    assert (v["n"], v["rate"], v["exact_lower"]) == (a.n, a.rate, a.exact[0])
    assert v.get("p0") == a.reference  # Sorø and Morsø: no national rate for their scope, and the page says so
    if a.reference is None:
        assert "intet landsgennemsnit" in page and "prob_above" not in v
    assert_self_contained(page)


@pytest.mark.parametrize("kommune", ["Aarhus", "København", "851"])
def test_a_kommune_without_bundled_counts_gets_a_page_saying_what_is_missing(kommune, tmp_path):
    out = tmp_path / "page.html"
    page = danmark.faktaark(kommune, out=out)
    assert out.read_text(encoding="utf-8") == page
    assert "Der mangler tal" in page and "Helsingør, Køge, Morsø, Solrød, Sorø og Vordingborg" in page
    assert "Talportal" in page and "Getting the official data" in page and "--data data.csv" in page
    assert "<svg" not in page and "data-v" not in page  # no figure and no number at all
    assert_self_contained(page)


def test_defaults_are_the_reports():
    import inspect

    from danmark.stats.shrinkage import DEFAULT_PRIOR_STRENGTH

    for func in (danmark.faktaark, danmark.faktaark_all):
        params = inspect.signature(func).parameters
        assert params["prior_strength"].default == DEFAULT_PRIOR_STRENGTH
        assert params["level"].default == inspect.signature(danmark.kommune_report).parameters["level"].default


def test_out_folder_gets_the_page_file_name(tmp_path):
    danmark.faktaark("Solrød", out=tmp_path)
    assert (tmp_path / "269_solroed.html").exists()
    assert page_file_name("492", "Ærø") == "492_aeroe.html"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["faktaark", "Solrøød"], "did you mean 'Solrød'"),
        (["faktaark"], "angiv enten en KOMMUNE eller --all"),
        (["faktaark", "Solrød", "--all"], "angiv enten en KOMMUNE eller --all"),
        (["faktaark", "Solrød", "--area", "boernehandicap"], "no counts for area 'boernehandicap'"),
        (["faktaark", "Solrød", "--period", "2019"], "no counts for period '2019'"),
        (["faktaark", "Solrød", "--data", "no/such/file.csv"], "file not found"),
        (["faktaark", "--all", "--data", "no/such/file.csv"], "file not found"),
    ],
)
def test_cli_errors_are_one_line_messages(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and err.startswith("danmark: fejl:") and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_cli_writes_one_page(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["faktaark", "Helsingør Kommune", "--period", "2024"]) == 0
    assert capsys.readouterr().out.strip() == "Skrev 217_helsingoer.html"
    assert values((tmp_path / "217_helsingoer.html").read_text(encoding="utf-8"))["n"] == 22
    assert main(["faktaark", "Solrød", "--out", str(tmp_path / "s.html"), "--prior-strength", "10"]) == 0
    v = values((tmp_path / "s.html").read_text(encoding="utf-8"))
    assert v["prob_above"] == danmark.kommune_report("Solrød", prior_strength=10).areas[0].prob_above


def test_cli_all_on_the_bundled_data(tmp_path, capsys):
    assert main(["faktaark", "--all", "--out", str(tmp_path)]) == 0
    assert f"Skrev {len(BUNDLED)} faktaark" in capsys.readouterr().out
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["index.html", *(page_file_name(c, k) for k, c in BUNDLED.items())])
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert_self_contained(index, inline_script=True)
    assert "Danmarkskortet over alle kommuner kræver en fuld download" in index and "<svg" not in index
    assert re.findall(r"<a href='([^']+)'", index) == [page_file_name(BUNDLED[k], k) for k in sorted(BUNDLED)]


def test_a_period_without_cases_and_a_download_without_the_split(tmp_path):
    # INVENTED counts in the Talportal's layout: Solrød had only afviste sager in 2024
    truth = tw.make_truth([("Solrød", "Voksenhandicap", "2023", 4, 1, 9, None),
                           ("Solrød", "Voksenhandicap", "2024", None, None, None, 3),
                           ("Køge", "Voksenhandicap", "2024", 10, None, 2, 1),
                           ("Hele landet", "Voksenhandicap", "2023", 620, 70, 240, 30),
                           ("Hele landet", "Voksenhandicap", "2024", 600, 80, 250, 30)])
    full = tw.write_csv_download(truth, tmp_path / "INVENTED_data.csv")
    assert values(danmark.faktaark("Solrød", data=full))["period"] == "2023"  # the latest period with cases
    page = danmark.faktaark("Solrød", data=full, period="2024")
    v = values(page)
    assert (v["n"], v["afvist"], v["p0"]) == (0, 3, 330 / 930) and "rate" not in v and "prob_above" not in v
    assert "ingen realitetsbehandlede sager" in page
    assert_self_contained(page)
    bare = tw.write_csv_download(truth, tmp_path / "INVENTED_bare.csv", measures=[tw.REAL, tw.OMG_PCT])
    page = danmark.faktaark("Køge", data=bare)
    v = values(page)
    assert (v["n"], v["omgjort"], v["rate"]) == (12, 2, 2 / 12) and "fordelingen står ikke i data" in page
    assert not any(k.startswith("split_") for k in v) and "aendret" not in v
    assert_self_contained(page)


# ----------------------------------------------------------------- a SYNTHETIC full download


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    """A SYNTHETIC 26-kommune Talportal CSV-fil download with Hele landet, and its pages via the CLI."""
    folder = tmp_path_factory.mktemp("synthetic_faktaark")
    truth = tw.random_truth(np.random.default_rng(9), n_kommuner=26, sagsemner=SAGSEMNER[:2], periods=PERIODS,
                            mean_cases=14)
    assert truth.attrs["synthetic"]
    path = tw.write_csv_download(truth, folder / "SYNTHETIC_data.csv")
    out = folder / "pages"
    # two worker processes write the pages (test_worker_processes_write_the_same_pages compares them with
    # pages written here)
    assert main(["faktaark", "--all", "--data", str(path), "--out", str(out), "--workers", "2"]) == 0
    return path, out


def test_all_writes_one_page_per_kommune_and_an_index(full, capsys):
    path, out = full
    table = danmark.load_data(path)
    units, _ = danmark.split_national(table)
    expected = {page_file_name(c, k) for c, k in units[["kommunekode", "kommune"]].drop_duplicates().to_numpy()}
    assert len(expected) >= MIN_FULL
    assert {p.name for p in out.iterdir()} == expected | {"index.html"}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert set(re.findall(r"<a href='([^']+)'", index)) == expected and "SYNTETISKE DATA" in index
    assert_self_contained(index, inline_script=True)
    assert index.count("<svg") == 1 and "SYNTETISKE DATA: ikke Ankestyrelsens tal" in index  # the map, labelled


def test_a_full_page_is_the_report(full):
    path, out = full
    page = (out / "269_solroed.html").read_text(encoding="utf-8") if (out / "269_solroed.html").exists() else \
        next(out.glob("[0-9]*.html")).read_text(encoding="utf-8")
    v = values(page)
    assert "SYNTETISKE DATA" in page and "SYNTHETIC_data.csv" in page
    assert_self_contained(page)
    a = danmark.kommune_report(v["kommunekode"], area=v["area"], period=v["period"], data=path).areas[0]
    assert v["period"] == max(x.period for x in danmark.kommune_report(v["kommunekode"], area=v["area"],
                                                                         data=path).areas if x.n)
    assert (v["rate"], v["exact_lower"], v["exact_upper"], v["p0"]) == (a.rate, *a.exact, a.reference)
    assert a.reference_info.origin == "download" and shown(page, "reference_origin") == a.reference_info.text
    assert (v["shrunk"], v["prob_above"]) == (a.shrunk[0], a.prob_above)
    assert v["units"] == a.field.units and approx(v["phi"], a.field.phi) and v["funnel_flag"] == a.flag
    assert (v["rank_lower"], v["rank_upper"], v["p_top"]) == tuple(a.rank[["rank_lower", "rank_upper", "p_top"]])
    assert page.count("<svg") == 2  # the funnel and the trend
    # no doubled citation marks, and every mark is one of the numbered sources
    marks = re.findall(r"<span class='small'>([^<]*)</span>", page)
    for m in marks:
        items = m.split()
        assert len(items) == len(set(items)), m


def test_worker_processes_write_the_same_pages(full):
    """The fixture's pages come from two spawned workers (chunks of four pages each); pages from both
    workers' chunks, written again in this process, are the same bytes."""
    path, out = full
    order = sorted(out.glob("[0-9]*.html"))
    codes = [values(p.read_text(encoding="utf-8"))["kommunekode"] for p in order]
    d = danmark.read_download(path)
    sample = [c for c in d.kommuner()["kommunekode"] if c in codes]
    sample = sample[:2] + sample[4:6] + sample[-2:]  # the first two chunks and the last
    for code in sample:
        page = out / page_file_name(code, d.kommuner().set_index("kommunekode").loc[code, "kommune"])
        assert danmark.faktaark(code, data=path) == page.read_text(encoding="utf-8"), page.name


@pytest.mark.parametrize("workers", [0, -1, 1.5, "2", True, 65])
def test_workers_must_be_a_whole_number_from_1_to_64(workers, tmp_path):
    with pytest.raises(danmark.ArgumentError, match="workers"):
        danmark.faktaark_all(out=tmp_path, workers=workers, progress=False)


@pytest.mark.parametrize("text", ["0", "x", "65", "-2", "1,5"])
def test_cli_workers_is_one_danish_line(text, capsys, tmp_path):
    assert main(["faktaark", "--all", "--workers", text, "--out", str(tmp_path / "p")]) != 0
    err = capsys.readouterr().err
    assert err.startswith("danmark: fejl:") and "--workers skal være et helt tal fra 1 til 64" in err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "p").exists()


def test_full_page_for_one_kommune_is_the_same_as_in_all(full):
    path, out = full
    first = next(out.glob("[0-9]*.html"))
    v = values(first.read_text(encoding="utf-8"))
    page = danmark.faktaark(v["kommunekode"], data=path)
    assert page == first.read_text(encoding="utf-8")  # byte for byte, from a worker process
    other = danmark.faktaark(v["kommunekode"], data=path, area="boernehandicap", period="2023")
    assert (values(other)["area"], values(other)["period"]) == ("boernehandicap", "2023")


def test_over_dispersion_widens_the_funnel(tmp_path):
    # SYNTHETIC: 40 kommuner whose true rates differ a lot (Beta(2, 3)), 30-80 cases each
    rng = np.random.default_rng(3)
    rows = []
    for name in tw.APP_KOMMUNER[:40]:
        n = int(rng.integers(30, 80))
        k = int(rng.binomial(n, rng.beta(2, 3)))
        rows.append((name, "Voksenhandicap", "2024", n - k, k // 3, k - k // 3, 1))
    total = np.array([r[3:] for r in rows]).sum(axis=0)
    rows.append(("Hele landet", "Voksenhandicap", "2024", *(int(x) for x in total)))
    path = tw.write_csv_download(tw.make_truth(rows), tmp_path / "SYNTHETIC_spread.csv")
    name = danmark.normalize_kommune(tw.APP_KOMMUNER[0])[1]
    page = danmark.faktaark(name, data=path)
    v = values(page)
    units, national = danmark.split_national(danmark.load_data(path))
    units = units.set_index("kommune")
    p0 = national["omgjort"].sum() / national["n"].sum()
    od = danmark.overdispersion_fit(units["omgjort"], units["n"], reference=p0)
    assert od.tau2 > 0 and approx(v["tau2"], od.tau2) and approx(v["phi"], od.phi)
    flags = danmark.funnel_flags(units["omgjort"], units["n"], reference=p0, overdispersion="additive", tau2=od.tau2)
    assert v["funnel_flag_od"] == str(flags.loc[name, "flag"]) and "udvidet for overspredning" in page
    assert_self_contained(page)


# ----------------------------------------------------------------- in a real headless browser

@pytest.fixture(scope="module")
def pages(full, tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser_pages")
    out = {}
    code = values(next(full[1].glob("[0-9]*.html")).read_text(encoding="utf-8"))["kommunekode"]
    for name, kwargs in {"solrod": {"kommune": "Solrød"}, "helsingor": {"kommune": "Helsingør"},
                         "aarhus_missing": {"kommune": "Aarhus"},
                         "full": {"kommune": code, "data": full[0]}}.items():
        out[name] = folder / f"{name}.html"
        danmark.faktaark(**kwargs, out=out[name])
    out["index"] = full[1] / "index.html"
    return out


SHOWN = ["solrod", "helsingor", "full"]  # the pages with figures (the one saying what is missing is short)


@pytest.fixture(scope="module")
def browsed_pages(pages, tmp_path_factory):
    """Every page loaded once in the test process's Chromium: DOM, console, requests, a print, a screenshot (SHOWN)."""
    folder = tmp_path_factory.mktemp("browsed")
    return {name: browser.load(path, width=900, height=1400,
                               screenshot=folder / f"{name}.png" if name in SHOWN else None,
                               pdf=None if name == "index" else folder / f"{name}.pdf")
            for name, path in pages.items()}


@needs_chromium
@pytest.mark.parametrize("name", ["solrod", "helsingor", "aarhus_missing", "full", "index"])
def test_page_loads_offline_without_console_errors(browsed_pages, name):
    page = browsed_pages[name]
    assert "Faktaark" in page.dom and "</html>" in page.dom  # the page was parsed and laid out
    assert page.console == []  # no console message, no page error, no failed load
    assert page.requests == []  # nothing requested beyond the browser's own services (and none left)
    assert not re.search(r'\b(src|href)="https?://', page.dom)


@needs_chromium
@pytest.mark.parametrize("name", SHOWN)
def test_screenshot_is_not_blank(browsed_pages, name):
    assert_not_blank(browsed_pages[name].screenshot)  # text and figures, not a blank page


@needs_chromium
@pytest.mark.parametrize("name", ["solrod", "helsingor", "aarhus_missing", "full"])
def test_printing_gives_one_or_two_a4_pages(browsed_pages, name):
    raw = browsed_pages[name].pdf.read_bytes()
    n_pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", raw))
    assert 1 <= n_pages <= 2
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", raw)
    assert len(boxes) >= n_pages
    for box in boxes:
        assert abs(float(box[0]) - 595.3) < 2 and abs(float(box[1]) - 841.9) < 2  # A4 in points (the page's @page)


# ----------------------------------------------------------------- the index's Danmarkskort


@pytest.fixture(scope="module")
def mapped(tmp_path_factory):
    """A SYNTHETIC 24-kommune download (one area, one year) in which one kommune is surely above the national
    rate and one surely below, and its pages; returns (path, index page, the report's table)."""
    folder = tmp_path_factory.mktemp("synthetic_map")
    truth = tw.random_truth(np.random.default_rng(11), n_kommuner=24, sagsemner=SAGSEMNER[:1], periods=["2024"],
                            mean_cases=14)
    names = [k for k in truth["kommune"].unique() if k != tw.HELE_LANDET]
    for name, counts in ((names[0], (10, 30, 60, 2)), (names[1], (95, 1, 1, 2))):  # 90 of 100 and 2 of 97 omgjort
        rows = truth["kommune"] == name
        for col, x in zip(("stadf", "aendr", "hjem", "afvist"), counts, strict=True):
            truth.loc[rows, col] = x
    path = tw.write_csv_download(truth, folder / "SYNTHETIC_kort.csv")
    paths = danmark.faktaark_all(data=path, out=folder / "sider", workers=1, progress=False)
    table = danmark.report.report_table(path, grades=False)
    return path, paths[0], table


def _map_fills(page: str) -> dict:
    """kommunekode -> fill colour of the map's kommuner (the collection ``kommuner``, in the boundaries' order)."""
    group = re.search(r'<g id="danmarkskort-kommuner">(.*?)</g>', page, flags=re.S).group(1)
    return re.findall(r'style="fill: (#[0-9a-f]{6})', group)


def test_index_opens_with_the_map_coloured_by_prob_above(mapped):
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    path, index_path, table = mapped
    index = index_path.read_text(encoding="utf-8")
    assert_self_contained(index, inline_script=True)
    assert index.index("<svg") < index.index("<h2>Alle kommuner</h2>")  # the map first, then the table
    assert "SYNTETISKE DATA" in index and "ikke den rå procent" in index and "Skraveret: under 10" in index
    assert "Karakterer" in index and "danmark tabel --karakterer" in index  # grades left out, and said so
    prob = table.set_index("kommunekode")["prob_above"].astype(float).dropna()
    assert prob.max() >= 0.99 and prob.min() <= 0.01
    order = [str(f["properties"]["kommunekode"]).zfill(3) for f in danmark.load_boundaries()["features"]]
    drawn = [c for c in order if c in prob.index]
    fills = _map_fills(index)
    assert len(fills) == len(drawn)
    by_code = dict(zip(drawn, fills, strict=True))
    cmap = plt.get_cmap("RdBu_r")
    for code, p in prob.items():  # every colour is P(above)'s, not the raw rate's
        assert by_code[code] == to_hex(cmap(p)), code
    top, bottom = by_code[prob.idxmax()], by_code[prob.idxmin()]
    assert (top, bottom) == (to_hex(cmap(prob.max())), to_hex(cmap(prob.min())))
    assert np.allclose(cmap(prob.max())[:3], cmap(1.0)[:3], atol=0.03)  # the two ends of the scale
    assert np.allclose(cmap(prob.min())[:3], cmap(0.0)[:3], atol=0.03)


def test_index_table_sorts_and_links_every_page(mapped):
    _, index_path, table = mapped
    index = index_path.read_text(encoding="utf-8")
    body = index.split("<h2>Alle kommuner</h2>")[1]
    links = re.findall(r"<a href='([^']+)'", body)
    assert sorted(links) == sorted(page_file_name(c, k) for c, k in table[["kommunekode", "kommune"]].to_numpy())
    assert (index_path.parent / links[0]).exists()
    assert "class='dk-sortable'" in body and "<thead>" in body and "data-v=" in body


@needs_chromium
def test_index_with_the_map_in_headless_chromium(mapped, tmp_path):
    page = browser.load(mapped[1], width=1000, height=1400, screenshot=tmp_path / "index.png",
                        pdf=tmp_path / "index.pdf")
    assert page.requests == [] and page.console == []
    assert 'id="danmarkskort-kommuner"' in page.dom
    assert_not_blank(page.screenshot)
    assert page.pdf.stat().st_size > 10_000


def test_workers_from_a_script_on_standard_input_do_not_hang(tmp_path):
    """A spawned worker re-imports the main script; one read from standard input cannot be, so the pool
    never started and the call hung. The pages are then written in this process."""
    import subprocess
    import sys

    script = (f"import danmark; paths = danmark.faktaark_all(out={str(tmp_path)!r}, workers=2, progress=False); "
              "print(len(paths))")
    run = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert int(run.stdout.strip()) == len(list(tmp_path.glob("*.html"))) == 7  # six bundled kommuner and the index
