"""Tests for danmark.plotting.

All numbers below are made up for the tests; they are not real rates of any
municipality. Only the bundled boundaries (data/geo/kommuner.geojson) are real.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.container import BarContainer

import danmark
from danmark import DataError
from danmark import plotting as P

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def legend_texts(ax):
    leg = ax.get_legend()
    return [] if leg is None else [t.get_text() for t in leg.get_texts()]


# made-up units: k reversed of n, shrunk estimates with intervals
UNITS = pd.DataFrame(
    {
        "k": [10, 3, 40, 7],
        "n": [14, 30, 100, 20],
        "estimate": [0.55, 0.2, 0.39, 0.36],
        "lower": [0.35, 0.1, 0.3, 0.2],
        "upper": [0.75, 0.33, 0.48, 0.52],
    },
    index=["Aby", "Bby", "Cby", "Dby"],
)


# ---------------------------------------------------------------- style / save


def test_style_context_applies_rc():
    with P.style():
        assert plt.rcParams["svg.hashsalt"] == "danmark"
        assert plt.rcParams["axes.spines.top"] is False


def test_save_figure_is_byte_identical(tmp_path):
    ax = P.caterpillar(UNITS, reference=0.36)
    fig = ax.figure
    fig.text(0.01, 0.01, "Kilde: testdata")
    first = P.save_figure(fig, "cat", formats=("png", "svg"), folder=tmp_path / "a")
    second = P.save_figure(fig, "cat.png", formats=("png", "svg"), folder=tmp_path / "b")
    assert [p.name for p in first] == ["cat.png", "cat.svg"] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.exists() and a.stat().st_size > 0
        assert a.read_bytes() == b.read_bytes()
    assert b"Date" not in first[1].read_bytes()
    assert b"Software" not in first[0].read_bytes()


def test_save_figure_same_input_same_bytes(tmp_path):
    # deterministic drawing: two independent figures from the same input
    def funnel():
        fig = P.funnel_plot([5, 30], [10, 100], LIMITS, reference=0.36).figure
        fig.text(0.01, 0.01, "Kilde: testdata")
        return fig

    a = P.save_figure(funnel(), "f1", folder=tmp_path)[0]
    b = P.save_figure(funnel(), "f2", folder=tmp_path)[0]
    assert a.read_bytes() == b.read_bytes()


def test_save_figure_rejects_bad_input(tmp_path):
    fig, _ = plt.subplots()
    with pytest.raises(DataError, match="format"):
        P.save_figure(fig, "x", formats=("gif",), folder=tmp_path)
    with pytest.raises(DataError, match="plain file name"):
        P.save_figure(fig, "sub/x", folder=tmp_path)
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------- caterpillar


def test_caterpillar_labels_order_and_percent():
    ax = P.caterpillar(UNITS, reference=(0.36, "landsplan"), highlight="Cby")
    assert ax.get_xlabel() == "omgørelsesprocent (%)"
    assert ax.get_ylabel() == "kommune"
    # sorted by estimate, highest at the top (largest y)
    ticks = sorted(zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()], strict=True))
    assert [name for _, name in ticks][::-1] == ["Aby", "Cby", "Dby", "Bby"]
    assert "landsplan (36 %)" in legend_texts(ax)
    assert "rå andel (k/n)" in legend_texts(ax)
    est_line = next(line for line in ax.lines if line.get_label() == "krympet skøn")
    np.testing.assert_allclose(sorted(est_line.get_xdata()), [20, 36, 39, 55])
    raw_line = next(line for line in ax.lines if line.get_label() == "rå andel (k/n)")
    assert raw_line.get_markerfacecolor() == "none"
    np.testing.assert_allclose(sorted(raw_line.get_xdata()), sorted(100 * UNITS["k"] / UNITS["n"]))
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["Cby"]


def test_caterpillar_label_column_raw_interval_and_no_sort():
    df = UNITS.reset_index(names="kommune").assign(raw_lower=0.05, raw_upper=0.9)
    ax = P.caterpillar(df, sort=False)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Aby", "Bby", "Cby", "Dby"]
    assert sum(isinstance(c, LineCollection) for c in ax.collections) == 2  # shrunk + raw intervals


def test_caterpillar_rejects_percent_and_missing_columns():
    with pytest.raises(DataError, match="proportion"):
        P.caterpillar(UNITS.assign(estimate=UNITS["estimate"] * 100))
    with pytest.raises(DataError, match="upper"):
        P.caterpillar(UNITS.drop(columns="upper"))
    with pytest.raises(DataError, match="highlight"):
        P.caterpillar(UNITS, highlight="Nowhere")


# -------------------------------------------------------------- shrinkage arrows


def test_shrinkage_arrows_one_arrow_per_moved_unit():
    df = UNITS.copy()
    df.loc["Dby", "estimate"] = 7 / 20  # does not move: no arrow
    ax = P.shrinkage_arrows(df, reference=0.36, label="index", highlight=["Aby"])
    arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    assert len(arrows) == 3
    assert [t.get_text() for t in ax.texts if t.get_text()] == ["Aby"]
    assert ax.get_xscale() == "log"
    assert ax.get_xlabel() == "realitetsbehandlede sager (n)"
    assert "priorens middelværdi (36 %)" in legend_texts(ax)


def test_shrinkage_arrows_rejects_zero_n_on_log_scale():
    with pytest.raises(DataError, match="positive"):
        P.shrinkage_arrows(pd.DataFrame({"n": [0, 5], "raw": [0.0, 0.2], "estimate": [0.3, 0.25]}))


# ------------------------------------------------------------------------ funnel

LIMITS = pd.DataFrame(
    {
        "n": [10, 50, 100, 10, 50, 100],
        "level": [0.95, 0.95, 0.95, 0.998, 0.998, 0.998],
        "lower": [0.10, 0.23, 0.27, 0.02, 0.17, 0.22],
        "upper": [0.70, 0.50, 0.46, 0.80, 0.57, 0.52],
    }
)


def test_funnel_plot_levels_p0_and_flags():
    k = pd.Series([5, 30, 2, 60], index=["Aby", "Bby", "Cby", "Dby"])
    n = pd.Series([10, 100, 50, 100], index=k.index)
    ax = P.funnel_plot(k, n, LIMITS, reference=0.36, highlight="Aby")
    assert legend_texts(ax)[:3] == ["95 %", "99,8 %", "p₀ = 36 %"]
    assert ax.get_xlabel() == "realitetsbehandlede sager (n)"
    assert ax.get_ylabel() == "omgørelsesprocent (%)"
    # 2 lines per level + p0 + points + highlight
    assert len(ax.lines) == 2 * 2 + 1 + 1 + 1
    # Cby (4 %) and Dby (60 %) lie outside the 99.8 % limits; Aby is highlighted
    assert sorted(t.get_text() for t in ax.texts) == ["Aby", "Cby", "Dby"]


def test_funnel_plot_level_labels_in_percent_and_validation():
    lim = LIMITS.assign(level=LIMITS["level"] * 100)
    ax = P.funnel_plot([5, 30], [10, 100], lim, reference=0.36, logx=True)
    assert legend_texts(ax)[:2] == ["95 %", "99,8 %"]
    with pytest.raises(DataError, match="exceeds"):
        P.funnel_plot([11], [10], LIMITS, reference=0.36)
    with pytest.raises(DataError, match="level"):
        P.funnel_plot([1], [10], LIMITS.drop(columns="level"), reference=0.36)


# ---------------------------------------------------------------------- outcomes


def test_outcome_bars_wide_counts():
    wide = pd.DataFrame({"stadfaestet": [105, 20], "aendret": [5, 4], "hjemvist": [19, 6]}, index=["Aby", "Bby"])
    ax = P.outcome_bars(wide)
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert [c.get_label() for c in bars] == ["ændret/ophævet", "hjemvist", "stadfæstet"]
    total = sum(np.array([r.get_width() for r in c]) for c in bars)
    np.testing.assert_allclose(total, [100, 100])
    np.testing.assert_allclose([r.get_width() for r in bars[1]], [100 * 19 / 129, 100 * 6 / 30])
    assert "n = 129" in [t.get_text() for t in ax.texts]
    assert ax.get_xlabel() == "andel af realitetsbehandlede sager (%)"


def test_outcome_bars_long_with_whiskers():
    long = pd.DataFrame(
        {
            "unit": ["Aby"] * 3 + ["Bby"] * 3,
            "outcome": ["stadfaestet", "aendret", "hjemvist"] * 2,
            "estimate": [0.6, 0.1, 0.3, 0.5, 0.2, 0.3],
            "lower": [0.5, 0.05, 0.2, 0.4, 0.1, 0.2],
            "upper": [0.7, 0.15, 0.4, 0.6, 0.3, 0.4],
        }
    )
    omg = pd.DataFrame({"unit": ["Aby", "Bby"], "outcome": "omgjort", "estimate": [0.4, 0.5],
                        "lower": [0.3, 0.4], "upper": [0.5, 0.6]})
    ax = P.outcome_bars(pd.concat([long, omg]).assign(level=0.95), sort=True)
    # whiskers on the bar's own scale: the ændret share from 0, the omgjort share where hjemvist ends
    labels = [c.get_label() for c in ax.collections]
    assert "95 %-interval, ændret/ophævet" in labels and "95 %-interval, omgjort i alt" in labels
    omg_line = next(c for c in ax.collections if c.get_label() == "95 %-interval, omgjort i alt")
    xs = sorted(float(x) for seg in omg_line.get_segments() for x in seg[:, 0])
    assert xs == pytest.approx([30, 40, 50, 60])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Bby", "Aby"]  # 50 % omgjort before 40 %
    with pytest.raises(DataError, match="twice"):
        P.outcome_bars(pd.concat([long, long.iloc[:1]]))
    with pytest.raises(DataError, match="no row"):
        P.outcome_bars(long.iloc[:-1])
    with pytest.raises(DataError, match="outcome"):
        P.outcome_bars(pd.DataFrame({"x": [1]}))


# --------------------------------------------------------------------------- map


def map_paths(ax, gid):
    colls = [c for c in ax.collections if isinstance(c, PathCollection) and c.get_gid() == gid]
    return sum(len(c.get_paths()) for c in colls), colls


def test_kommune_map_draws_98_and_marks_missing():
    values = pd.Series({"101": 0.30, "147": 0.45, "269": 0.70, "751": 0.25, "400": np.nan})
    ax = P.kommune_map(values, annotate=["269", "Aarhus"])
    n_data, _ = map_paths(ax, "kommuner")
    n_missing, (missing,) = map_paths(ax, "kommuner-mangler")
    assert (n_data, n_missing) == (4, 94)  # Bornholm's NaN counts as missing
    assert missing.get_hatch()
    assert legend_texts(ax) == ["ingen data i pakken"]
    assert sorted(t.get_text() for t in ax.texts) == ["Aarhus", "Solrød"]
    cbar_ax = ax.figure.axes[-1]
    assert cbar_ax.get_ylabel() == "omgørelsesprocent (%)"
    assert cbar_ax.get_ylim() == pytest.approx((25, 70))
    assert not ax.get_xticks().size and not ax.get_yticks().size
    assert ax.get_aspect() == pytest.approx(1 / np.cos(np.radians(56)), rel=0.03)
    assert any(p.get_gid() == "bornholm-inset" for p in ax.patches)


def test_kommune_map_uncertainty_fades_and_names_accepted():
    values = pd.Series([0.3, 0.5], index=["København", 269])
    widths = pd.Series({"101": 0.0, "269": 0.5})
    ax = P.kommune_map(values, uncertainty=widths, hatch_missing=False, colorbar=False, vmin=0, vmax=1)
    _, (coll,) = map_paths(ax, "kommuner")
    np.testing.assert_allclose(coll.get_facecolors()[:, 3], [1.0, 0.25])
    _, (missing,) = map_paths(ax, "kommuner-mangler")
    assert not missing.get_hatch()
    assert len(ax.figure.axes) == 1


def test_kommune_map_outlines_only():
    ax = P.kommune_map(bornholm_inset=False)
    assert map_paths(ax, "kommuner")[0] == 98
    assert ax.get_legend() is None and len(ax.figure.axes) == 1


def test_kommune_map_rejects_bad_values():
    with pytest.raises(DataError, match="percentages"):
        P.kommune_map(pd.Series({"101": 36.3}))
    with pytest.raises(DataError, match="unknown"):
        P.kommune_map(pd.Series({"999": 0.3}))
    with pytest.raises(DataError, match="more than once"):
        P.kommune_map(pd.Series([0.3, 0.4], index=["101", "København"]))
    with pytest.raises(DataError, match="FeatureCollection"):
        P.kommune_map(boundaries={"type": "Feature"})


def test_kommune_map_polygon_with_hole():
    # made-up geometry: a square with a square hole, and a two-part MultiPolygon
    square = [[0, 0], [0, 4], [4, 4], [4, 0], [0, 0]]  # clockwise exterior on purpose
    hole = [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]]
    geo = {
        "type": "FeatureCollection",
        "features": [
            {"properties": {"kommunekode": "101", "navn": "Hul"},
             "geometry": {"type": "Polygon", "coordinates": [square, hole]}},
            {"properties": {"kommunekode": 147},
             "geometry": {"type": "MultiPolygon", "coordinates": [
                 [[[5, 0], [6, 0], [6, 1], [5, 0]]], [[[7, 0], [8, 0], [8, 1], [7, 0]]]]}},
        ],
    }
    ax = P.kommune_map(pd.Series({"101": 0.2}), boundaries=geo, annotate=["101"])
    fig = ax.figure
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())

    def pixel(x, y):
        px, py = ax.transData.transform((x, y))
        return rgba[int(rgba.shape[0] - py), int(px)]

    assert tuple(pixel(0.5, 0.5)[:3]) != (255, 255, 255)  # filled ring
    assert tuple(pixel(1.5, 2.7)[:3]) == (255, 255, 255)  # the hole stays empty (label sits at 2, 2)
    assert map_paths(ax, "kommuner-mangler")[0] == 1
    assert [t.get_text() for t in ax.texts] == ["Hul"]


# ------------------------------------------------------------------------- ranks


def test_rank_plot_orders_and_writes_p_top():
    df = pd.DataFrame(
        {"mean_rank": [2.5, 1.2, 3.6, 2.7], "rank_lower": [1, 1, 2, 1], "rank_upper": [4, 3, 4, 4],
         "p_top": [0.3, 0.8, 0.02, 0.25]},
        index=["Aby", "Bby", "Cby", "Dby"],
    )
    ax = P.rank_plot(df, top=3)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Bby", "Aby", "Dby"]
    assert ax.get_xlabel() == "rang (1 = højeste omgørelsesprocent)"
    assert [t.get_text() for t in ax.texts] == ["P(top)", "80 %", "30 %", "25 %"]
    assert ax.get_xlim() == (0.5, 4.5) and ax.get_xticks()[0] == 1
    with pytest.raises(DataError, match="not valid"):
        P.rank_plot(df.assign(rank_lower=5))


# ------------------------------------------------------------------------- power


def test_power_curve_groups_and_target():
    n = [10, 50, 100, 200]
    df = pd.concat([
        pd.DataFrame({"n": n, "power": [0.1, 0.5, 0.85, 0.99], "p1": 0.5}),
        pd.DataFrame({"n": n, "power": [0.05, 0.2, 0.4, 0.7], "p1": 0.45}),
    ])
    ax = P.power_curve(df)
    assert ax.get_xlabel() == "antal realitetsbehandlede sager (n)"
    assert ax.get_ylabel() == "teststyrke (%)"
    assert legend_texts(ax) == ["sand omgørelsesprocent 50 %", "sand omgørelsesprocent 45 %", "mål: 80 %"]
    assert [t.get_text() for t in ax.texts] == ["n = 100"]  # only the first curve reaches 80 %
    with pytest.raises(DataError, match="proportion"):
        P.power_curve(pd.DataFrame({"n": [10], "power": [80]}))


# ------------------------------------------------------------------------- trend


def test_trend_lines_per_area_and_split():
    nat = pd.DataFrame({
        "period": ["2020", "2021", "2022", "2020", "2021", "2019H1", "2021"],
        "area": ["socialomraadet"] * 3 + ["voksenhandicap"] * 2 + ["voksenhandicap", "socialomraadet"],
        "raw": [0.36, 0.32, 0.37, 0.42, 0.34, 0.40, 0.99],
        "raw_aendret": [0.09, 0.08, 0.09, np.nan, np.nan, np.nan, 0.50],
        "raw_hjemvist": [0.27, 0.24, 0.28, np.nan, np.nan, np.nan, 0.49],
        "preferred": [True, True, True, True, True, True, False],
    })
    ax = P.trend(nat, split="socialomraadet")
    lines = {line.get_label(): line for line in ax.lines}
    assert set(lines) == {"socialområdet", "voksenhandicap"}
    np.testing.assert_allclose(lines["socialområdet"].get_ydata(), [36, 32, 37])  # not-preferred row dropped
    np.testing.assert_allclose(lines["voksenhandicap"].get_xdata(), [2020, 2021])  # half-year dropped
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert [len(c) for c in bars] == [3, 3]
    assert ax.get_xlabel() == "år" and ax.get_ylabel() == "omgørelsesprocent (%)"


def test_trend_takes_proportions_and_rejects_percent_and_bad_split():
    nat = pd.DataFrame({"year": [2020], "area": ["socialomraadet"], "raw": [36.0]})
    with pytest.raises(DataError, match="proportion"):
        P.trend(nat)
    with pytest.raises(DataError, match="raw"):
        P.trend(nat.drop(columns="raw").assign(omg_pct=36.0))  # percent columns alone are not read
    with pytest.raises(DataError, match="raw_aendret"):
        P.trend(nat.assign(raw=0.36), split=True)
    # the bundled national table carries the proportions
    ax = P.trend(danmark.load_national())
    assert max(max(line.get_ydata()) for line in ax.lines) > 1  # drawn in percent
    plt.close("all")


# --------------------------------------------------------------------- selection


def test_selection_bars():
    units = pd.DataFrame({"n": [12, 40, 150, 600], "p_selected": [0.42, 0.2, 0.06, 0.01]})
    ax = P.selection_bars(units, reference=0.1, logx=True)
    (bars,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(bars.get_segments()) == 4
    assert bars.get_segments()[0][1, 1] == pytest.approx(42)
    assert legend_texts(ax) == ["kommune", "lige chance for alle (10 %)"]
    assert ax.get_xlabel() == "realitetsbehandlede sager (n)"


# ------------------------------------------------------------------- sensitivity


def test_sensitivity_curve_band_and_groups():
    df = pd.DataFrame({
        "prior_strength": [1, 10, 100] * 2,
        "prob": [0.9, 0.8, 0.6, 0.7, 0.6, 0.5],
        "lower": [0.8, 0.7, 0.5, 0.6, 0.5, 0.4],
        "upper": [0.95, 0.9, 0.7, 0.8, 0.7, 0.6],
        "prior": ["a"] * 3 + ["b"] * 3,
    })
    ax = P.sensitivity_curve(df, "prior_strength", "prob", group="prior", percent=True,
                             xlabel="priorstyrke", reference=0.5, reference_label="halvdelen")
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 2
    assert ax.get_ylabel() == "prob (%)" and ax.get_xlabel() == "priorstyrke"
    assert legend_texts(ax) == ["a", "b", "halvdelen"]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [90, 80, 60])
    plain = P.sensitivity_curve(df.drop(columns=["lower"]), "prior_strength", "prob")
    assert not plain.collections and plain.get_ylabel() == "prob"


def test_outcome_bars_ignores_omgjort_rows_and_uses_index():
    # long table shaped like danmark.outcome_split: unit in the index, an extra "omgjort" row
    long = pd.DataFrame(
        {
            "outcome": ["stadfaestet", "aendret", "hjemvist", "omgjort"],
            "count": [6, 1, 3, 4],
            "estimate": [0.6, 0.1, 0.3, 0.4],
            "lower": [0.3, 0.01, 0.1, 0.2],
            "upper": [0.8, 0.3, 0.6, 0.7],
        },
        index=pd.Index(["Aby"] * 4, name="unit"),
    )
    ax = P.outcome_bars(long)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Aby"]
    assert [t.get_text() for t in ax.texts] == ["n = 10"]


def test_funnel_plot_takes_the_reference_from_the_limits():
    lim = LIMITS.assign(reference=0.36)
    assert "p₀ = 36 %" in legend_texts(P.funnel_plot([5], [10], lim))
    with pytest.raises(DataError, match="reference"):
        P.funnel_plot([5], [10], LIMITS)


def test_outcome_bars_takes_the_level_from_outcome_split():
    split = danmark.outcome_split([105], [5], [19], level=0.9)
    labels = [c.get_label() for c in P.outcome_bars(split).collections]
    assert "90 %-interval, ændret/ophævet" in labels and not any("95" in t for t in labels)
    plt.close("all")


def test_outcome_bars_mixes_counted_and_published_units():
    # one unit with counts (observed shares drawn), one with published shares only (estimates drawn)
    long = pd.DataFrame({
        "unit": ["A"] * 3 + ["B"] * 3,
        "outcome": ["stadfaestet", "aendret", "hjemvist"] * 2,
        "estimate": [0.5, 0.1, 0.4, 0.494, 0.156, 0.35],
        "count": [4, 0, 5, np.nan, np.nan, np.nan],
    })
    ax = P.outcome_bars(long)
    widths = [round(p.get_width(), 1) for p in ax.containers[0].patches]  # ændret segment per unit
    assert widths == [0.0, 15.6]
    assert [t.get_text() for t in ax.texts] == ["n = 9"]
    plt.close("all")


def test_trend_split_true_only_draws_areas_with_a_split():
    nat = pd.DataFrame({"year": [2020, 2021, 2020, 2021], "area": ["socialomraadet"] * 2 + ["voksenhandicap"] * 2,
                        "raw": [0.363, 0.318, 0.424, 0.343], "raw_aendret": [0.092, 0.077, np.nan, np.nan],
                        "raw_hjemvist": [0.271, 0.241, np.nan, np.nan]})
    ax = P.trend(nat, split=True)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(ax.containers) == 2 and not any("voksenhandicap," in t for t in legend)
    plt.close("all")


def test_danmark_figures_off_writes_nothing_but_still_checks(tmp_path, monkeypatch):
    import warnings

    from danmark.plotting import MissingSourceWarning, save_figure

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DANMARK_FIGURES", "off")
    fig, _ = plt.subplots()
    with pytest.warns(MissingSourceWarning):
        assert save_figure(fig, "uden_kilde", formats=("png", "svg")) == []
    fig.text(0.01, 0.01, "Kilde: SYNTETISK")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert save_figure(fig, "med_kilde") == []
    with pytest.raises(DataError, match="unsupported"):
        save_figure(fig, "x", formats=("gif",))
    assert list(tmp_path.iterdir()) == []
    assert [p.name for p in save_figure(fig, "her", folder=tmp_path)] == ["her.png"]  # a folder given: written
    plt.close(fig)
