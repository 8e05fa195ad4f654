"""Tests for danmark.stats.power_analysis: exact binomial power and cases needed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from danmark import ArgumentError, DataError, cases_needed, power

# ----------------------------------------------------------------- published values

# G*Power 3.1 manual (Faul, Erdfelder, Buchner, Lang; Heinrich-Heine-Universität
# Düsseldorf), chapter "Exact: Proportion – difference from constant (one sample case)",
# example: constant proportion π0 = 0.65, effect size g = 0.15 (π = 0.80), α = 0.05,
# total N = 20, one tail. Printed: lower critical N = 17, power = 0.411449,
# actual α = 0.044376. (Numbers as printed in the manual; the page itself could not be
# opened from the test environment. They coincide with an independent scipy calculation
# in test_power_matches_binomtest below.)
GPOWER = {"n": 20, "p0": 0.65, "p1": 0.80, "critical": 17, "power": 0.411449, "size": 0.044376}

# R package pwr, vignette "Getting started with the pwr package" (heliosdrm/pwr,
# vignettes/pwr-vignette.Rmd): pwr.p.test(h = ES.h(p1 = 0.75, p2 = 0.50),
# sig.level = 0.05, power = 0.80, alternative = "greater") gives n = 22.55127,
# "which we round up to 23".
PWR_VIGNETTE = {"p1": 0.75, "p0": 0.50, "n_raw": 22.55127, "n": 23}


def test_gpower_manual_example():
    row = power(GPOWER["n"], GPOWER["p1"], reference=GPOWER["p0"]).iloc[0]
    assert row["critical"] == GPOWER["critical"]
    assert row["power"] == pytest.approx(GPOWER["power"], abs=5e-7)
    assert row["size"] == pytest.approx(GPOWER["size"], abs=5e-7)


def test_pwr_vignette_normal_n():
    out = cases_needed(PWR_VIGNETTE["p1"], reference=PWR_VIGNETTE["p0"], power=0.8).iloc[0]
    # R's uniroot (tolerance ~1e-4) printed to 5 decimals; the exact root is 22.5512646
    assert out["n_normal_raw"] == pytest.approx(PWR_VIGNETTE["n_raw"], abs=1e-5)
    h = 2 * np.arcsin(np.sqrt(0.75)) - 2 * np.arcsin(np.sqrt(0.5))  # = pi / 6
    assert out["n_normal_raw"] == pytest.approx(((stats.norm.isf(0.05) + stats.norm.ppf(0.8)) / h) ** 2, rel=1e-13)
    assert out["n_normal"] == PWR_VIGNETTE["n"]
    # and the normal power at that n is the target
    p = power(23, 0.75, reference=0.5, method="normal")["power"].iloc[0]
    assert p > 0.8 and power(22, 0.75, reference=0.5, method="normal")["power"].iloc[0] < 0.8


# ----------------------------------------------------------------- definitions


@pytest.mark.parametrize("alternative", ["larger", "smaller"])
@pytest.mark.parametrize("n, p0, p1", [(14, 0.36, 0.6), (20, 0.65, 0.8), (57, 0.3, 0.2), (3, 0.5, 0.9)])
def test_power_matches_binomtest(n, p0, p1, alternative):
    # Power = probability under p1 of the counts that scipy's exact test rejects.
    sp_alt = "greater" if alternative == "larger" else "less"
    counts = np.arange(n + 1)
    reject = np.array([stats.binomtest(int(k), n, p0, alternative=sp_alt).pvalue <= 0.05 for k in counts])
    row = power(n, p1, reference=p0, alternative=alternative).iloc[0]
    assert row["power"] == pytest.approx(stats.binom.pmf(counts[reject], n, p1).sum(), abs=1e-12)
    assert row["size"] == pytest.approx(stats.binom.pmf(counts[reject], n, p0).sum(), abs=1e-12)
    if reject.any():
        edge = counts[reject].min() if alternative == "larger" else counts[reject].max()
        assert row["critical"] == edge


def test_smaller_mirrors_larger():
    n = np.arange(1, 80)
    a = power(n, 0.2, reference=0.35, alternative="smaller")
    b = power(n, 0.8, reference=0.65, alternative="larger")
    np.testing.assert_allclose(a["power"], b["power"], atol=1e-12)
    np.testing.assert_allclose(a["size"], b["size"], atol=1e-12)


def test_sawtooth_and_columns():
    curve = power(np.arange(1, 60), 0.6, reference=0.36)
    assert list(curve.columns) == ["n", "reference", "p1", "critical", "size", "power"]
    assert (np.diff(curve["power"]) < 0).any()  # one more case can lower the power
    assert (curve["size"] <= 0.05).all()
    assert curve.loc[0, "power"] == 0  # one case can never reject at 5 %
    normal = power(np.arange(1, 60), 0.6, reference=0.36, method="normal")
    assert normal["critical"].isna().all() and (normal["size"] == 0.05).all()
    assert normal["power"].is_monotonic_increasing


def test_broadcast_n_and_p1():
    out = power(30, [0.4, 0.5, 0.6], reference=0.36)
    assert list(out["n"]) == [30, 30, 30] and list(out["p1"]) == [0.4, 0.5, 0.6]
    with pytest.raises(DataError):
        power([10, 20], [0.4, 0.5, 0.6], reference=0.36)


def test_cases_needed_first_and_stable():
    out = cases_needed([0.6, 0.75], reference=0.36)
    assert list(out.columns) == [
        "reference", "p1", "n_first", "power_first", "n_stable", "power_stable", "n_normal", "n_normal_raw",
    ]
    for _, row in out.iterrows():
        curve = power(np.arange(1, 400), row["p1"], reference=0.36).set_index("n")["power"]
        first, stable = int(row["n_first"]), int(row["n_stable"])
        assert curve[first] >= 0.8 and (curve[:first - 1] < 0.8).all()
        assert (curve[stable:] >= 0.8).all() and curve[stable - 1] < 0.8
        assert first <= stable
        assert row["power_first"] == pytest.approx(curve[first])
    smaller = cases_needed(0.2, reference=0.3, alternative="smaller").iloc[0]
    assert smaller["n_first"] <= smaller["n_stable"]


@pytest.mark.parametrize(
    "call",
    [
        lambda: power(10, 0.5, reference=0.0),
        lambda: power(10, 0.5, reference=1.0),
        lambda: power(10, 1.5, reference=0.3),
        lambda: power(0, 0.5, reference=0.3),
        lambda: power(-3, 0.5, reference=0.3),
        lambda: power(10, 0.5, reference=0.3, level=1),
        lambda: power(10, 0.5, reference=0.3, alternative="two-sided"),
        lambda: power(10, 0.5, reference=0.3, method="arcsine"),
        lambda: power(10, 0.5, reference=[0.3, 0.4]),
        lambda: cases_needed(0.3, reference=0.5),  # p1 on the wrong side
        lambda: cases_needed(0.6, reference=0.5, alternative="smaller"),
        lambda: cases_needed(0.6, reference=0.5, power=1.0),
        lambda: cases_needed(0.51, reference=0.5, n_max=50),
    ],
)
def test_bad_input(call):
    # bad case counts are data errors; rates, levels and options are argument errors
    with pytest.raises((DataError, ArgumentError)):
        call()


# ----------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 300),
    p0=st.floats(0.02, 0.98),
    a=st.floats(0, 1),
    b=st.floats(0, 1),
    method=st.sampled_from(["exact", "normal"]),
)
def test_power_monotone_in_effect_size(n, p0, a, b, method):
    lo, hi = sorted((a, b))
    up = power(n, [lo, hi], reference=p0, method=method)["power"].to_numpy()
    assert up[0] <= up[1] + 1e-12
    down = power(n, [lo, hi], reference=p0, method=method, alternative="smaller")["power"].to_numpy()
    assert down[0] >= down[1] - 1e-12
    exact = power(n, p0, reference=p0)
    assert exact["size"].iloc[0] <= 0.05 + 1e-12
    assert exact["power"].iloc[0] == pytest.approx(exact["size"].iloc[0])


def test_power_is_dataframe_for_plotting():
    curve = power(range(5, 50, 5), 0.55, reference=0.36)
    assert isinstance(curve, pd.DataFrame) and len(curve) == 9
    assert str(curve["critical"].dtype) == "Int64"


def test_public_name_is_the_function_in_any_import_order():
    # the module is power_analysis, so importing it never shadows the function danmark.power
    import danmark
    import danmark.stats.power_analysis as module

    assert danmark.power is module.power
    assert danmark.cases_needed is module.cases_needed


def test_power_two_periods_matches_the_closed_form():
    # Cohen (1988) §6: n per group = 2 ((z_{1-alpha} + z_{power}) / h)^2 for a one-sided test,
    # h = 2 asin(sqrt(p1)) - 2 asin(sqrt(p2)); R: pwr.2p.test(h = ES.h(0.55, 0.40), power = 0.8,
    # alternative = "greater") gives the same n.
    from danmark import DataError, power_two_periods

    h = 2 * np.arcsin(np.sqrt(0.55)) - 2 * np.arcsin(np.sqrt(0.40))
    n_closed = 2 * ((stats.norm.ppf(0.95) + stats.norm.ppf(0.8)) / h) ** 2
    out = power_two_periods([22, 136], 0.55, 0.40)
    assert out["n_needed_80"].iloc[0] == pytest.approx(n_closed, rel=1e-6)
    assert out["power"].iloc[0] == pytest.approx(stats.norm.cdf(h * np.sqrt(22 / 2) - stats.norm.ppf(0.95)), rel=1e-6)
    assert (np.diff(out["power"]) > 0).all()
    up = power_two_periods(50, 0.40, 0.55, alternative="larger")
    assert up["power"].iloc[0] == pytest.approx(power_two_periods(50, 0.55, 0.40)["power"].iloc[0])
    with pytest.raises(ArgumentError, match="equal"):
        power_two_periods(50, 0.4, 0.4)
    with pytest.raises(DataError):
        power_two_periods(0, 0.5, 0.4)


def test_level_is_a_confidence_level_not_a_significance_level():
    from danmark import power_two_periods

    for call in (lambda: power(14, 0.6, reference=0.385, level=0.05),
                 lambda: cases_needed(0.6, reference=0.385, level=0.05),
                 lambda: power_two_periods(20, 0.55, 0.4, level=0.05)):
        with pytest.raises(ArgumentError, match="did you mean level=0.95"):
            call()
    # level 0.95 is the test at significance 0.05: the same critical values as before
    assert power(20, 0.8, reference=0.65)["critical"].iloc[0] == 17


def test_cases_needed_for_an_effect_reached_with_one_or_two_cases():
    # the normal approximation's n is below 2 here; statsmodels' root finder searches from 2 up and
    # returned NaN, which cases_needed turned into a traceback (math.ceil(nan)); the closed form answers
    out = cases_needed([0.95, 0.99], reference=0.05)
    assert out["n_normal_raw"].between(0, 2).all() and (out["n_normal"] >= 1).all()
    assert (out["n_first"] <= out["n_stable"]).all()
    down = cases_needed(0.01, reference=0.9, alternative="smaller").iloc[0]
    assert down["n_stable"] >= down["n_first"] >= 1
    h = 2 * np.arcsin(np.sqrt(0.95)) - 2 * np.arcsin(np.sqrt(0.05))
    assert out["n_normal_raw"].iloc[0] == pytest.approx(((stats.norm.isf(0.05) + stats.norm.ppf(0.8)) / h) ** 2,
                                                        rel=1e-12)


@pytest.mark.parametrize("alternative", ["larger", "smaller"])
@pytest.mark.parametrize("reference", [0.001, 0.05, 0.36, 0.5, 0.93, 0.999])
def test_critical_counts_are_the_definition(reference, alternative):
    """The critical count (found from a normal guess by exact steps) is, for every n, the definition
    computed with scipy.stats: the smallest c with P(X >= c) <= 5 % ("larger"), the largest c with
    P(X <= c) <= 5 % ("smaller")."""
    n = np.arange(1, 801)
    got = power(n, 0.5 if reference != 0.5 else 0.6, reference=reference, alternative=alternative)["critical"]
    c = np.arange(-1, 802)
    if alternative == "larger":
        ok = stats.binom.sf(c[None, :] - 1, n[:, None], reference) <= 0.05
        want = c[np.argmax(ok, axis=1)]
    else:
        ok = (stats.binom.cdf(c[None, :], n[:, None], reference) <= 0.05) | (c[None, :] < 0)
        want = c[ok.shape[1] - 1 - np.argmax(ok[:, ::-1], axis=1)]
    np.testing.assert_array_equal(got.to_numpy(dtype=np.int64), want)
