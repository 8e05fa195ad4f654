"""Tests for danmark.stats.funnel (limits, flags, over-dispersion): control limits, over-dispersion and flags."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from results import phe_funnel as phe
from scipy import stats

from danmark import ArgumentError, DataError, funnel_flags, funnel_limits
from danmark.stats.funnel.limits import _phe_axis
from danmark.stats.funnel.overdispersion import overdispersion_fit


def _wide(limits: pd.DataFrame) -> pd.DataFrame:
    return limits.pivot(index="n", columns="level", values=["lower", "upper"])


# ----------------------------------------------------------------- PHE reference values


@pytest.mark.parametrize(
    "which",
    ["all inputs", "denominator < 31000"],
)
def test_phe_limits_every_row(which):
    inputs = phe.inputs()
    if which == "all inputs":
        expected, tol, baseline = phe.outputs(), phe.TOLERANCE, phe.BASELINE
    else:
        inputs = inputs[inputs["denominator"] < phe.AXIS_VARIATION_MAX_DENOMINATOR]
        expected, tol, baseline = (
            phe.outputs_axis_variation(),
            phe.TOLERANCE_AXIS_VARIATION,
            phe.BASELINE_AXIS_VARIATION,
        )
    p0 = inputs["numerator"].sum() / inputs["denominator"].sum()
    assert 100 * p0 == pytest.approx(baseline, abs=tol)
    assert (expected["Baseline"] == baseline).all()

    got = _wide(funnel_limits(expected["Population"], reference=p0, method="wilson"))
    assert list(got.index) == list(expected["Population"])
    for column, (side, level) in phe.LIMIT_COLUMNS.items():
        diff = np.abs(100 * got[(side, level)].to_numpy() - expected[column].to_numpy())
        worst = int(np.argmax(diff))
        assert diff[worst] <= tol, (
            f"{column} at Population {expected['Population'].iloc[worst]}: "
            f"{100 * got[(side, level)].iloc[worst]!r} vs {expected[column].iloc[worst]!r}"
        )


def test_phe_axis_and_scalar_n():
    # funnel_limits(max_n, reference=...) uses PHE's x axis: file 1 has axis 1 .. 110000
    # (signif.ceiling(1.05 * 102950)); file 2 has 10000 .. 33000 (its inputs have
    # max <= 2 * min, so the axis starts at signif.floor(0.95 * 16386)).
    out = phe.outputs()
    limits = funnel_limits(110_000, reference=phe.BASELINE / 100, method="wilson")
    assert list(limits["n"].unique()) == list(out["Population"])
    axis = phe.outputs_axis_variation()["Population"]
    assert list(_phe_axis(10_000, 33_000)) == list(axis)
    # small maxima give every whole denominator
    assert list(funnel_limits(5, reference=0.3, level=0.95)["n"]) == [1, 2, 3, 4, 5]


def test_phe_significance_labels():
    inputs = phe.inputs()
    p0 = inputs["numerator"].sum() / inputs["denominator"].sum()
    # PHE's numerators are not whole numbers (302 of 303 have decimals) and danmark only
    # takes whole counts, so they are rounded here; the target p0 is PHE's pooled rate
    # from the unrounded numerators. Rounding moves a rate by at most 0.5/16386 = 3e-5;
    # no unit lies that close to a limit, so every one of the 303 labels is reproduced.
    k = inputs["numerator"].round().astype("int64")
    flags = funnel_flags(k, inputs["denominator"], reference=p0, method="wilson")
    got = flags["flag"].astype(str).map(phe.LABELS)
    mismatches = inputs.loc[got != inputs["significance"], ["Area", "significance"]]
    assert mismatches.empty, mismatches
    # the same with the published (rounded) baseline as the target
    flags = funnel_flags(k, inputs["denominator"], reference=phe.BASELINE / 100, method="wilson")
    assert (flags["flag"].astype(str).map(phe.LABELS) == inputs["significance"]).all()


# ----------------------------------------------------------------- methods


def test_normal_limits_formula():
    n = np.array([10, 50, 400])
    out = _wide(funnel_limits(n, reference=0.36, method="normal"))
    for level in (0.95, 0.998):
        z = stats.norm.ppf(0.5 + level / 2)
        half = z * np.sqrt(0.36 * 0.64 / n)
        np.testing.assert_allclose(out[("lower", level)], np.clip(0.36 - half, 0, 1), rtol=1e-12)
        np.testing.assert_allclose(out[("upper", level)], np.clip(0.36 + half, 0, 1), rtol=1e-12)


@pytest.mark.parametrize("n, p0", [(14, 0.36), (20, 0.3), (57, 0.52), (300, 0.1), (5, 0.8)])
def test_exact_limits_interpolate_the_cdf(n, p0):
    # Spiegelhalter (2005, A.1.1): the limit n*y_p = r_p - a is where the binomial CDF,
    # joined by straight lines between whole counts, reaches p. Check it that way.
    grid = np.arange(-1, n + 1)
    cdf = stats.binom.cdf(grid, n, p0)
    row = funnel_limits([n], reference=p0, level=(0.95, 0.998), method="exact")
    for _, r in row.iterrows():
        q = (1 - r["level"]) / 2
        for limit, prob in ((r["lower"], q), (r["upper"], 1 - q)):
            if 0 < limit < 1:
                assert np.interp(n * limit, grid, cdf) == pytest.approx(prob, abs=1e-12)
            else:  # clipped: the crossing lies outside [0, n]
                assert (limit == 0 and cdf[1] >= prob) or (limit == 1 and cdf[-2] < prob)


def test_exact_close_to_normal_for_large_n():
    out = _wide(funnel_limits([20_000], reference=0.36, method="exact"))
    nor = _wide(funnel_limits([20_000], reference=0.36, method="normal"))
    np.testing.assert_allclose(out.to_numpy(), nor.to_numpy(), atol=2e-4)


def test_levels_scalar_and_ordering():
    out = funnel_limits([10, 20], reference=0.4, level=[0.998, 0.95, 0.8])
    assert list(out["level"].unique()) == [0.8, 0.95, 0.998]
    assert list(out.columns) == ["n", "level", "lower", "upper", "reference"]
    assert len(out) == 6
    assert (out["reference"] == 0.4).all() and out.attrs["method"] == "exact"


# ----------------------------------------------------------------- over-dispersion


def _overdispersed_units():
    rng = np.random.default_rng(7)
    n = rng.integers(20, 400, size=60)
    theta = np.clip(rng.normal(0.36, 0.08, size=60), 0.01, 0.99)
    k = rng.binomial(n, theta)
    return k, n


def test_overdispersion_fit_formulas():
    k, n = _overdispersed_units()
    p0 = k.sum() / n.sum()
    fit = overdispersion_fit(k, n)
    s2 = p0 * (1 - p0) / n
    z = (k / n - p0) / np.sqrt(s2)
    lo, hi = np.percentile(z, [10, 90])
    zw = np.clip(z, lo, hi)
    phi = np.mean(zw**2)
    w = 1 / s2
    tau2 = (60 * phi - 59) / (w.sum() - (w**2).sum() / w.sum())
    assert fit.reference == pytest.approx(p0)
    assert fit.phi == pytest.approx(phi, rel=1e-12)
    assert fit.tau2 == pytest.approx(tau2, rel=1e-12)
    assert fit.phi > 1.5 and fit.tau2 > 0
    np.testing.assert_allclose(fit.z, z)
    assert fit.n_units == 60
    # no Winsorising: phi is the plain mean of z^2
    assert overdispersion_fit(k, n, trim=0).phi == pytest.approx(np.mean(z**2))


def test_overdispersion_none_when_binomial():
    n = np.full(40, 200)
    k = np.full(40, 72)  # every unit exactly at p0: phi = 0, tau2 = 0
    fit = overdispersion_fit(k, n)
    assert fit.phi == 0 and fit.tau2 == 0


def test_overdispersed_limits():
    n = np.array([25, 100, 400])
    p0, z = 0.36, stats.norm.ppf(0.975)
    s2 = p0 * (1 - p0) / n
    mult = _wide(funnel_limits(n, reference=p0, level=0.95, method="normal", phi=2.5))
    np.testing.assert_allclose(mult[("upper", 0.95)], p0 + z * np.sqrt(2.5 * s2))
    add = _wide(funnel_limits(n, reference=p0, level=0.95, method="normal", overdispersion="additive", tau2=0.004))
    np.testing.assert_allclose(add[("lower", 0.95)], p0 - z * np.sqrt(s2 + 0.004))
    # phi below 1 never narrows the limits
    under = funnel_limits(n, reference=p0, method="exact", phi=0.5)
    plain = funnel_limits(n, reference=p0, method="exact")
    pd.testing.assert_frame_equal(under[["lower", "upper"]], plain[["lower", "upper"]])
    # exact and wilson limits are stretched away from p0 by the same factor
    for method in ("exact", "wilson"):
        base = funnel_limits(n, reference=p0, level=0.95, method=method)
        wide = funnel_limits(n, reference=p0, level=0.95, method=method, phi=4.0)
        np.testing.assert_allclose(wide["upper"] - p0, 2 * (base["upper"] - p0))


def test_flags_with_overdispersion_estimated():
    k, n = _overdispersed_units()
    plain = funnel_flags(k, n, method="normal")
    mult = funnel_flags(k, n, method="normal", overdispersion="multiplicative")
    add = funnel_flags(k, n, method="normal", overdispersion="additive")
    fit = overdispersion_fit(k, n)
    assert mult.attrs["phi"] == pytest.approx(fit.phi)
    assert add.attrs["tau2"] == pytest.approx(fit.tau2)
    outside = (plain["flag"] != "within").sum()
    assert (mult["flag"] != "within").sum() < outside
    assert (add["flag"] != "within").sum() < outside
    np.testing.assert_allclose(mult["z"], plain["z"] / np.sqrt(fit.phi))


# ----------------------------------------------------------------- flags


def test_flags_columns_index_and_pooled_p0():
    k = pd.Series([10, 30, 3, 0], index=["Solrød", "Aarhus", "Læsø", "Fanø"])
    n = pd.Series([14, 90, 20, 6], index=k.index)
    out = funnel_flags(k, n)
    assert list(out.index) == list(k.index)
    assert list(out.columns) == ["k", "n", "raw", "z", "p_value", "flag", "reference"]
    p0 = 43 / 130
    assert out["reference"].iloc[0] == pytest.approx(p0)
    assert out.loc["Solrød", "z"] == pytest.approx((10 / 14 - p0) / np.sqrt(p0 * (1 - p0) / 14))
    assert out.loc["Solrød", "p_value"] == pytest.approx(stats.binom.sf(9, 14, p0))
    assert out.loc["Læsø", "p_value"] == pytest.approx(stats.binom.cdf(3, 20, p0))
    # P(X >= 10) = 0.0038: beyond 95 % (0.025) but not 99.8 % (0.001) by the exact test,
    # as with the Wilson limits (see Notes)
    assert out.loc["Solrød", "flag"] == "above 95%"
    assert funnel_flags(k, n, method="wilson").loc["Solrød", "flag"] == "above 95%"
    assert list(out["flag"].cat.categories) == [
        "below 99.8%", "below 95%", "within", "above 95%", "above 99.8%",
    ]
    assert out["flag"].cat.ordered


def test_flags_exactly_on_a_limit_is_within():
    # 1 of 1 at p0 = 0.5: the normal upper limit 0.5 + 1.96 * 0.5 is clipped to 1.0,
    # and a rate equal to a limit is inside it.
    out = funnel_flags([1], [1], reference=0.5, method="normal")
    assert out["flag"].iloc[0] == "within"


def test_flags_from_tidy_table():
    cases = pd.DataFrame(
        {
            "kommune": ["Solrød", "Aarhus", "Odense"],
            "stadfaestet": [4, 60, 50],
            "aendret": [1, 10, 8],
            "hjemvist": [9, 20, 12],
        },
        index=[10, 20, 30],
    )
    out = funnel_flags(cases, reference=0.36, method="wilson")
    assert list(out.index) == [10, 20, 30]
    assert list(out.columns[:4]) == ["kommune", "stadfaestet", "aendret", "hjemvist"]
    assert list(out["k"]) == [10, 30, 20] and list(out["n"]) == [14, 90, 70]
    k = cases["aendret"] + cases["hjemvist"]
    n = cases[["stadfaestet", "aendret", "hjemvist"]].sum(axis=1)
    plain = funnel_flags(k, n, reference=0.36, method="wilson")
    assert "kommune" not in plain.columns
    pd.testing.assert_series_equal(plain["flag"], out["flag"])


def test_custom_levels_labels():
    out = funnel_flags([10], [14], reference=0.36, level=(0.9, 0.99))
    assert list(out["flag"].cat.categories) == ["below 99%", "below 90%", "within", "above 90%", "above 99%"]


# ----------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kwargs",
    [
        {"reference": 0.0},
        {"reference": 1.0},
        {"reference": -0.2},
        {"reference": float("nan")},
        {"reference": "0.3"},
        {"level": 1.0},
        {"level": (0.95, 0.95)},
        {"level": 0},
        {"level": 95},
        {"method": "poisson"},
        {"overdispersion": "multiplicative"},  # no phi given
        {"overdispersion": "additive", "phi": 2.0},
        {"phi": 2.0, "tau2": 0.01},
        {"phi": -1.0},
        {"tau2": -0.1},
        {"overdispersion": "both", "phi": 2.0},
    ],
)
def test_limits_bad_input(kwargs):
    args = {"n": [10, 20], "reference": 0.3} | kwargs
    with pytest.raises(ArgumentError):
        funnel_limits(**args)


@pytest.mark.parametrize("n", [[0, 10], [-3], [2.5], 0, [], ["12"]])
def test_limits_bad_denominators(n):
    with pytest.raises(DataError):
        funnel_limits(n, reference=0.3)


def test_flags_bad_input():
    with pytest.raises(DataError, match="exceeds"):
        funnel_flags([5, 11], [10, 10])
    with pytest.raises(DataError, match="negative"):
        funnel_flags([-1, 3], [10, 10])
    with pytest.raises(DataError):
        funnel_flags([1, 3], [0, 10])
    with pytest.raises(DataError):
        funnel_flags([0, 0], [10, 10])  # pooled rate 0: give reference
    with pytest.raises(ArgumentError):
        funnel_flags([1, 3], [10, 10], reference=1.2)
    with pytest.raises(DataError):
        funnel_flags([1, 3])
    with pytest.raises(DataError):
        funnel_flags(pd.DataFrame({"stadfaestet": [1], "aendret": [1]}))
    with pytest.raises(DataError, match="hjemvist"):
        funnel_flags(pd.DataFrame({"stadfaestet": [1, 2], "aendret": [1, 0], "hjemvist": ["3", 1]}))
    with pytest.raises(DataError):
        funnel_flags(pd.DataFrame({"stadfaestet": [1], "aendret": [1], "hjemvist": [1]}), [3])
    with pytest.raises(ArgumentError):
        overdispersion_fit([1, 2], [5, 5], trim=0.5)
    with pytest.raises(DataError, match="row b"):
        funnel_flags(pd.Series([1, 9], index=["a", "b"]), pd.Series([5, 5], index=["a", "b"]))


# ----------------------------------------------------------------- properties

_p0 = st.floats(0.01, 0.99)
_ns = st.lists(st.integers(1, 5000), min_size=1, max_size=20, unique=True)


@settings(max_examples=60, deadline=None)
@given(n=_ns, p0=_p0, method=st.sampled_from(["exact", "wilson", "normal"]), phi=st.sampled_from([None, 1.7]))
def test_limits_bounded_and_bracket_p0(n, p0, method, phi):
    out = funnel_limits(n, reference=p0, method=method, phi=phi)
    assert ((out["lower"] >= 0) & (out["upper"] <= 1)).all()
    assert (out["lower"] <= p0 + 1e-12).all() and (out["upper"] >= p0 - 1e-12).all()
    # the wider level always contains the narrower one
    w = _wide(out)
    assert (w[("lower", 0.998)] <= w[("lower", 0.95)] + 1e-12).all()
    assert (w[("upper", 0.998)] >= w[("upper", 0.95)] - 1e-12).all()


@settings(max_examples=60, deadline=None)
@given(p0=_p0, method=st.sampled_from(["wilson", "normal"]), top=st.integers(2, 3000))
def test_limits_narrow_as_n_grows(p0, method, top):
    out = _wide(funnel_limits(np.arange(1, top + 1), reference=p0, method=method))
    for level in (0.95, 0.998):
        assert (np.diff(out[("lower", level)]) >= -1e-12).all()
        assert (np.diff(out[("upper", level)]) <= 1e-12).all()


@settings(max_examples=80, deadline=None)
@given(n=st.integers(1, 400), p0=_p0, frac=st.floats(0, 1))
def test_exact_flags_are_binomial_tails(n, p0, frac):
    # Exact flags are the exact binomial test, symmetric in both directions (see Notes).
    k = int(round(frac * n))
    out = funnel_flags([k], [n], reference=p0, method="exact", level=(0.95, 0.998))
    expected = "within"
    for level in (0.95, 0.998):  # the widest limit crossed names the flag
        tail = (1 - level) / 2
        if stats.binom.sf(k - 1, n, p0) < tail:
            expected = f"above {100 * level:g}%"
        if stats.binom.cdf(k, n, p0) < tail:
            expected = f"below {100 * level:g}%"
    assert out["flag"].iloc[0] == expected


@settings(max_examples=40, deadline=None)
@given(n=st.lists(st.integers(1, 60), min_size=1, max_size=4), p0=st.floats(0.05, 0.95))
def test_expected_flags_equals_enumeration(n, p0):
    # the chance that funnel_flags(method="exact") flags a unit whose true rate is p0, by enumeration
    from danmark.stats.funnel.flags import expected_flags

    out = expected_flags(n, reference=p0, level=(0.95,))
    above = below = 0.0
    for ni in n:
        ks = np.arange(ni + 1)
        flags = funnel_flags(ks, np.full(ks.size, ni), reference=p0, method="exact", level=(0.95,))["flag"]
        pmf = stats.binom.pmf(ks, ni, p0)
        above += pmf[(flags == "above 95%").to_numpy()].sum()
        below += pmf[(flags == "below 95%").to_numpy()].sum()
    assert out["expected_above"].iloc[0] == pytest.approx(above, abs=1e-9)
    assert out["expected_below"].iloc[0] == pytest.approx(below, abs=1e-9)
    assert out["expected_above"].iloc[0] <= out["nominal"].iloc[0] + 1e-12
