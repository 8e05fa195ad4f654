"""Notebook 09's explorer (danmark.explore, issue 22): the controls draw kommune_report's numbers.

The callbacks are driven as JupyterLab would drive them (setting the widgets' values), for several
kommuner, areas, periods and prior weights, on the bundled figures and on a SYNTHETIC 98-kommune
Talportal download (tests/talportal_writer.random_truth, in a temporary folder); every number
drawn is checked against kommune_report's. The committed notebook is checked by nbval in the
suite (notebooks/09_udforsk.ipynb); here its rendered page is loaded offline in headless Chromium.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import SimpleNamespace

import browser
import matplotlib.figure
import nbformat
import numpy as np
import pytest
import talportal_writer as tw
from browser import assert_not_blank, needs_chromium

import danmark
from danmark import ArgumentError, DataError
from danmark.explore import WEIGHTS, Explorer, png

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "09_udforsk.ipynb"
BUNDLED = ["Solrød", "Helsingør", "Køge", "Morsø", "Sorø", "Vordingborg"]


@pytest.fixture(scope="module")
def bundled():
    return Explorer()


@pytest.fixture(scope="module")
def download(tmp_path_factory):
    truth = tw.random_truth(np.random.default_rng(22), n_kommuner=98, sagsemner=["Voksenhandicap", "Børnehandicap"],
                            periods=["2022", "2023", "2024"], mean_cases=12)
    assert truth.attrs["synthetic"]
    path = tw.write_csv_download(truth, tmp_path_factory.mktemp("synthetic") / "SYNTHETIC_data.csv")
    return path, Explorer(path)


def _area_report(kommune, area, period, weight, data=None):
    rep = danmark.kommune_report(kommune, area=area, period=period, data=data, prior_strength=weight)
    return rep.areas[0]


def assert_same_numbers(view, a):
    """The view's numbers are the report's, and its table shows them."""
    x = view.numbers
    assert (x["n"], x["omgjort"], x["stadfaestet"], x["aendret"], x["hjemvist"], x["afvist"]) == (
        a.n, a.omgjort, a.stadfaestet, a.aendret, a.hjemvist, a.afvist)
    assert x["raw"] == a.rate and (x["lower"], x["upper"]) == a.exact
    assert x["reference"] == a.reference and x["prob_above"] == a.prob_above
    assert (x["estimate"], x["estimate_lower"], x["estimate_upper"]) == (a.shrunk or (None, None, None))
    shown = view.table.data.iloc[:, 0].to_dict()
    iv = view.table.data.iloc[:, 1].to_dict()
    assert shown["Realitetsbehandlede sager"] == danmark.danish_number(a.n)
    assert shown["Omgørelsesprocent"] == danmark.danish_number(a.rate, percent=True)
    lo, hi = a.exact
    assert iv["Omgørelsesprocent"] == f"{danmark.danish_number(100 * lo)}–{danmark.danish_number(hi, percent=True)}"
    if a.shrunk is not None:
        key = next(k for k in shown if k.startswith("Skøn med prior"))
        assert shown[key] == danmark.danish_number(a.shrunk[0], percent=True)
        assert shown["Sandsynlighed for at ligge over landsgennemsnittet"] == danmark.danish_number(
            a.prob_above, percent=True, decimals=0)
    assert "nan" not in view.table.to_html().lower()


# ---------------------------------------------------------------- the bundled figures


def test_the_bundled_figures_offer_the_kommuner_with_counts_and_say_how_to_get_the_rest(bundled):
    assert [n for n, _ in bundled.kommuner()] == [f"{k} Kommune" for k in sorted(BUNDLED)]  # official names
    assert "Talportal" in bundled.about() and "Getting the official data" in bundled.about()
    view = bundled.draw("Solrød")
    assert isinstance(view.funnel, str) and "fuldt udtræk" in view.funnel and "Talportal" in view.funnel
    with pytest.raises(DataError, match="kommuner with cases are: Helsingør Kommune"):
        bundled.draw("Odense")


@pytest.mark.parametrize("kommune", BUNDLED)
@pytest.mark.parametrize("weight", [5, 30, 137])
def test_draw_gives_kommune_reports_numbers(bundled, kommune, weight):
    view = bundled.draw(kommune, prior_strength=weight)
    a = danmark.kommune_report(kommune, prior_strength=weight).areas[0]
    assert (view.area, view.period) == (a.area, a.period)
    assert_same_numbers(view, a)
    assert isinstance(view.figure, matplotlib.figure.Figure)
    assert danmark.plotting.source_lines(view.figure)  # a "Kilde:" line
    assert png(view.figure)[:4] == b"\x89PNG"


@pytest.mark.parametrize("kommune", ["Solrød", "Helsingør", "Vordingborg"])
def test_the_curve_across_weights_is_kommune_report_at_every_weight(bundled, kommune):
    code, area, period = bundled.defaults(kommune)
    curve = bundled.weights(code, area=area, period=period, prior_strength=45)
    assert curve["prior_strength"].tolist() == sorted({*WEIGHTS, 45.0})
    for row in curve.itertuples():
        a = _area_report(kommune, area, period, row.prior_strength)
        np.testing.assert_allclose([row.estimate, row.lower, row.upper, row.prob_above],
                                   [*a.shrunk, a.prob_above], rtol=1e-12, atol=1e-14)


def test_without_a_reference_there_is_no_estimate_and_the_page_says_so(bundled):
    view = bundled.draw("Morsø")
    assert view.numbers["reference"] is None and view.weights["estimate"].isna().all()
    assert "intet landsgennemsnit, ingen prior" in view.table.to_html()
    info = getattr(view.report, "reference_info", None)  # the report's own sentence (the report contract)
    assert view.table.caption == (info.text if info is not None else
                                  "Der er intet offentliggjort landsgennemsnit for området og perioden.")


def test_bad_choices_are_named(bundled):
    with pytest.raises(DataError, match="area 'boernehandicap'"):
        bundled.draw("Solrød", area="boernehandicap")
    with pytest.raises(DataError, match="periods are: 2020-2023H1"):
        bundled.draw("Solrød", period="2019")
    with pytest.raises(ArgumentError, match="prior_strength"):
        bundled.draw("Solrød", prior_strength=0)
    with pytest.raises(ArgumentError, match="level"):
        Explorer(level=1.5)


# ---------------------------------------------------------------- the controls' callbacks


class _Handle:
    """Stands in for IPython's DisplayHandle: records what the controls show."""

    def __init__(self):
        self.shown = []

    def update(self, obj):
        self.shown.append(obj)


def _handles(ui):
    hs = {part: _Handle() for part in ("table", "figure", "funnel")}
    for part, h in hs.items():
        ui._handles[part].append(h)
    return hs


def test_the_controls_follow_every_change_on_the_bundled_figures(bundled):
    ui = bundled.controls("Solrød")
    hs = _handles(ui)
    assert ui.kommune.value == "269" and [v for _, v in ui.area.options] == ["voksenhandicap"]
    assert_same_numbers(ui.view, danmark.kommune_report("Solrød").areas[0])
    ui.prior_strength.value = 100
    assert_same_numbers(ui.view, danmark.kommune_report("Solrød", prior_strength=100).areas[0])
    assert len(hs["table"].shown) == 1 and len(hs["figure"].shown) == 1
    assert hs["funnel"].shown == []  # a new weight leaves the funnel as it is
    ui.kommune.value = "259"  # Køge: another area and period, filled in
    assert [v for _, v in ui.area.options] == ["boernehandicap"] and ui.period.value == "2020"
    assert_same_numbers(ui.view, danmark.kommune_report("Køge", prior_strength=100).areas[0])
    assert len(hs["table"].shown) == 2 and len(hs["funnel"].shown) == 1  # one redraw per change
    assert hs["table"].shown[-1] is ui.view.table


def test_the_controls_follow_every_change_on_a_full_download(download):
    path, ex = download
    # the whole table, as a user would pass it, read into a Download of its own (not the explorer's), so
    # the report's fields are computed once for the steps below, independently of the explorer's cache
    data = danmark.read_download(danmark.load_data(path))
    names = dict(ex.kommuner())
    first, second = list(names)[3], list(names)[40]
    ui = ex.controls(first, prior_strength=30)
    hs = _handles(ui)
    assert ui.period.value == ex.periods(first, ui.area.value)[-1][1]  # the latest period first
    steps = [("kommune", names[second]), ("prior_strength", 10), ("area", "voksenhandicap"),
             ("period", "2022"), ("prior_strength", 250), ("kommune", names[first])]
    for control, value in steps:
        if control == "area" and value not in [v for _, v in ui.area.options]:
            continue
        if control == "period" and value not in [v for _, v in ui.period.options]:
            continue
        getattr(ui, control).value = value
        v = ui.view
        assert (v.kommunekode, v.area, v.period, v.prior_strength) == (
            ui.kommune.value, ui.area.value, ui.period.value, float(ui.prior_strength.value))
        assert [p for _, p in ui.period.options] == [p for _, p in ex.periods(v.kommunekode, v.area)]
        assert_same_numbers(v, _area_report(v.kommunekode, v.area, v.period, v.prior_strength, data=data))
    assert len(hs["table"].shown) >= 4


def test_the_funnel_is_drawn_from_the_reports_field(download, monkeypatch):
    """With a full download the funnel comes from AreaReport.field (the report contract); a stand-in here."""
    path, ex = download
    code, area, period = ex.defaults(list(dict(ex.kommuner()).values())[5])
    sub = ex.cases[(ex.cases["area"] == area) & (ex.cases["period"] == period) & (ex.cases["n"] > 0)]
    units = sub[sub["kommunekode"] != "000"].set_index("kommunekode")
    p0 = 0.38
    flags = danmark.funnel_flags(units["omgjort"].to_numpy(), units["n"].to_numpy(), reference=p0)
    table = units[["kommune", "omgjort", "n"]].assign(flag=flags["flag"].astype(str).to_numpy(),
                                                      flag_od=flags["flag"].astype(str).to_numpy())
    fld = SimpleNamespace(table=table, limits=danmark.funnel_limits(np.arange(1, 60), reference=p0),
                          units=len(units), adjusted=False)
    original = Explorer.report

    def with_field(self, kommune, **kw):
        rep, a = original(self, kommune, **kw)
        return rep, SimpleNamespace(**{**vars(a), "rate": a.rate, "field": fld, "rank": table.loc[code]})

    monkeypatch.setattr(Explorer, "report", with_field)
    view = ex.draw(code, area=area, period=period)
    assert isinstance(view.funnel, matplotlib.figure.Figure)
    assert any("fremhævet" in t.get_text() for t in view.funnel.axes[0].get_legend().get_texts())
    assert view.numbers["flag"] == table.loc[code, "flag"]
    assert "Tragtplot" in view.table.to_html()


@pytest.mark.skipif(not hasattr(danmark.report, "read_download"), reason="the report has no funnel field yet")
def test_a_full_download_draws_the_reports_own_funnel(download):
    path, ex = download
    code = list(dict(ex.kommuner()).values())[7]
    view = ex.draw(code, area="voksenhandicap", period="2024")
    a = view.report
    assert a.field is not None and isinstance(view.funnel, matplotlib.figure.Figure)
    assert view.numbers["flag"] == a.field.table.loc[code, "flag"]


# ---------------------------------------------------------------- the notebook and its page


def test_the_committed_notebook_shows_solrod_and_says_the_controls_need_a_kernel():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "kræver JupyterLab med en kørende kerne" in text
    ignored = [c for c in nb.cells if c.cell_type == "code" and "NBVAL_IGNORE_OUTPUT" in c.source]
    assert len(ignored) == 2 and "controls" in ignored[0].source and "versions" in ignored[1].source
    html = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if "text/html" in o.get("data", {})]
    assert len(html) == 1 and "Solrød Kommune: voksenhandicap" in html[0]
    assert html[0] == Explorer().draw("Solrød").table.to_html()
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == 1


def _render():
    spec = importlib.util.spec_from_file_location("render_notebooks", ROOT / "tools" / "render_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_chromium
def test_the_rendered_page_loads_offline_and_shows_the_first_state(tmp_path):
    out = tmp_path / "html"
    _render().render(out, notebooks=[NOTEBOOK])
    page = out / "09_udforsk.html"
    source = page.read_text(encoding="utf-8")
    assert "<script" not in source and "widget-view" not in source and "widget-state" not in source
    loaded = browser.load(page, width=1000, height=2400, screenshot=tmp_path / "shot.png")
    assert loaded.console == [] and loaded.requests == []
    dom = loaded.dom
    assert "Solrød Kommune: voksenhandicap" in dom and "kræver JupyterLab" in dom and "Tragtplottet kræver" in dom
    assert re.search(r'<img[^>]+src="data:image/png', dom)
    assert "VBox(" not in dom and "Dropdown(" not in dom
    assert_not_blank(loaded.screenshot)


def test_numbers_are_never_computed_in_the_notebook():
    src = (ROOT / "notebooks" / "src" / "09_udforsk.py").read_text(encoding="utf-8")
    code = "\n".join(line for line in src.splitlines() if not line.startswith("#"))
    assert not re.search(r"shrink|prob_above|binomial_ci|funnel_|prior_sensitivity|\bomgjort\b", code)
