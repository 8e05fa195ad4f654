"""Funnel limits drawn as steps by the flagging rule: a point is outside iff funnel_flags flags it."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import danmark
from danmark import plotting as P
from danmark.errors import ArgumentError, DataError


def _drawn(ax, level_label):
    """(n, lower, upper) arrays of the step lines drawn for one level."""
    lines = ax.get_lines()
    i = [ln.get_label() for ln in lines].index(level_label)
    upper, lower = lines[i], lines[i + 1]
    return np.asarray(upper.get_xdata(), float), np.asarray(lower.get_ydata(), float) / 100, \
        np.asarray(upper.get_ydata(), float) / 100


@pytest.mark.parametrize("p0, options", [
    (0.459, {}),
    (0.2, {}),
    (0.375, {"overdispersion": "multiplicative", "phi": 2.4}),
    (0.4, {"overdispersion": "additive", "tau2": 0.004}),
    (0.35, {"method": "wilson"}),
])
def test_point_drawn_outside_iff_flagged(p0, options):
    n_max = 60
    n = np.repeat(np.arange(1, n_max + 1), np.arange(1, n_max + 1) + 1)
    k = np.concatenate([np.arange(m + 1) for m in range(1, n_max + 1)])
    limits = danmark.funnel_limits(n_max, reference=p0, **options)
    ax = P.funnel_plot(k, n, limits, reference=p0)
    flags = danmark.funnel_flags(k, n, reference=p0, **options)["flag"].astype(str).to_numpy()
    for level, label in [(0.95, "95 %"), (0.998, "99,8 %")]:
        xs, lo, hi = _drawn(ax, label)
        assert ax.get_lines()[[ln.get_label() for ln in ax.get_lines()].index(label)].get_drawstyle() == "steps-mid"
        at = {int(x): (a, b) for x, a, b in zip(xs, lo, hi, strict=True)}
        lev = danmark.funnel_flags(k, n, reference=p0, level=(level,), **options)["flag"].astype(str).to_numpy()
        for kk, nn, f in zip(k, n, lev, strict=True):
            a, b = at[int(nn)]
            rate = kk / nn
            above = np.isfinite(b) and rate > b
            below = np.isfinite(a) and rate < a
            assert above == f.startswith("above"), (kk, nn, f, b)
            assert below == f.startswith("below"), (kk, nn, f, a)
            assert not (np.isfinite(b) and np.isclose(rate, b)) and not (np.isfinite(a) and np.isclose(rate, a))
    assert len(flags) == len(k)
    plt.close("all")


def test_solrod_10_of_14_is_drawn_inside_as_the_table_says():
    limits = danmark.funnel_limits(100, reference=0.459, method="exact")
    smooth = limits[(limits["n"] == 14) & (limits["level"] == 0.95)]["upper"].iloc[0]
    assert smooth < 10 / 14  # the smooth line would put the point outside
    steps = danmark.funnel_steps(100, reference=0.459)
    row = steps[(steps["n"] == 14) & (steps["level"] == 0.95)].iloc[0]
    assert row["k_upper"] == 11 and row["upper"] == pytest.approx(10.5 / 14)
    assert str(danmark.funnel_flags([10], [14], reference=0.459)["flag"].iloc[0]) == "within"


def test_named_units_are_the_flagged_ones():
    k = pd.Series([10, 22, 5, 60], index=["Solrød", "Sorø", "Vordingborg", "Stor"])
    n = pd.Series([14, 64, 9, 100], index=k.index)
    limits = danmark.funnel_limits(100, reference=0.459)
    ax = P.funnel_plot(k, n, limits, reference=0.459, flag_level=0.95)
    flagged = danmark.funnel_flags(k, n, reference=0.459)
    assert sorted(t.get_text() for t in ax.texts) == sorted(flagged.index[flagged["flag"] != "within"])
    plt.close("all")


def test_funnel_steps_arguments():
    out = danmark.funnel_steps([14, 30], reference=0.4, level=0.95)
    assert list(out["n"]) == [14, 30] and out.attrs["steps"]
    with pytest.raises(DataError):
        danmark.funnel_steps(0, reference=0.4)
    with pytest.raises(ArgumentError):
        danmark.funnel_steps(10, reference=1.2)


def test_phi_at_most_one_changes_no_flag():
    k, n = np.array([10, 22, 5, 12, 13]), np.array([14, 64, 9, 22, 26])
    plain = danmark.funnel_flags(k, n, reference=0.459)["flag"]
    adjusted = danmark.funnel_flags(k, n, reference=0.459, overdispersion="multiplicative", phi=0.85)["flag"]
    assert list(plain) == list(adjusted)
