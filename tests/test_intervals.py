"""Tests for danmark.stats.intervals: binomial_ci and audit_bound."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from results import ankestyrelsen_example as ank
from results import binom_reference as ref
from scipy import stats

from danmark import ArgumentError, DataError, audit_bound, binomial_ci

METHODS = ["wilson", "jeffreys", "exact", "agresti_coull"]


# ------------------------------------------------------------------ references


@pytest.mark.parametrize("case", sorted(ref.NEWCOMBE_1998))
@pytest.mark.parametrize("method", ["wilson", "exact"])
def test_newcombe_1998_table_1(case, method):
    k, n = case
    lo, hi = ref.NEWCOMBE_1998[case][method]
    row = binomial_ci(k, n, method=method).iloc[0]
    assert abs(row["lower"] - lo) <= ref.NEWCOMBE_TOL
    assert abs(row["upper"] - hi) <= ref.NEWCOMBE_TOL


@pytest.mark.parametrize("case", sorted(ref.R_BINOM_CONFINT))
def test_r_binom_confint(case):
    k, n = case
    tol = ref.R_BINOM_SHORT_TOL if case in ref.R_BINOM_SHORT_ROWS else ref.R_BINOM_TOL
    for method, (lo, hi) in ref.R_BINOM_CONFINT[case].items():
        row = binomial_ci(k, n, method=method).iloc[0]
        assert row["lower"] == pytest.approx(lo, abs=tol), method
        assert row["upper"] == pytest.approx(hi, abs=tol), method


@pytest.mark.parametrize("alternative", ["less", "greater", "two.sided"])
def test_r_binom_test_one_sided_exact_bounds(alternative):
    lo, hi = ref.R_BINOM_TEST[alternative]
    ours = {"less": "smaller", "greater": "larger", "two.sided": "two-sided"}[alternative]
    for alt in (ours, alternative):  # R's names are accepted too
        row = binomial_ci(ref.R_BINOM_TEST_K, ref.R_BINOM_TEST_N, method="exact", alternative=alt).iloc[0]
        assert row["lower"] == pytest.approx(lo, abs=ref.R_BINOM_TEST_TOL)
        assert row["upper"] == pytest.approx(hi, abs=ref.R_BINOM_TEST_TOL)


def test_ankestyrelsen_worked_example():
    n = ank.HJEMVIST + ank.AENDRET + ank.STADFAESTET
    k = ank.HJEMVIST + ank.AENDRET
    assert (n, k) == (ank.N, ank.OMGJORT)
    row = binomial_ci(k, n).iloc[0]
    assert 100 * row["raw"] == pytest.approx(ank.UNROUNDED_PCT, abs=1e-9)
    assert abs(100 * row["raw"] - ank.PUBLISHED_PCT) <= ank.PUBLISHED_TOL
    assert row["lower"] < row["raw"] < row["upper"]


# ------------------------------------------------------------------ conventions


@pytest.mark.parametrize("method", METHODS)
def test_boundaries_follow_brown_cai_dasgupta(method):
    n = np.array([1, 5, 20, 1000])
    zero = binomial_ci(np.zeros(4, dtype=int), n, method=method)
    full = binomial_ci(n, n, method=method)
    assert (zero["lower"] == 0).all()
    assert (full["upper"] == 1).all()
    assert zero["upper"].between(0, 1, inclusive="neither").all()
    assert full["lower"].between(0, 1, inclusive="neither").all()


def test_jeffreys_and_exact_boundary_values():
    n = np.array([5, 20, 300])
    jz = binomial_ci(0, n, method="jeffreys")
    np.testing.assert_allclose(jz["upper"], stats.beta.ppf(0.975, 0.5, n + 0.5), rtol=1e-12)
    jf = binomial_ci(n, n, method="jeffreys")
    np.testing.assert_allclose(jf["lower"], stats.beta.ppf(0.025, n + 0.5, 0.5), rtol=1e-12)
    ez = binomial_ci(0, n, method="exact")
    np.testing.assert_allclose(ez["upper"], 1 - 0.025 ** (1 / n), rtol=1e-12)


def test_one_sided_bounds_are_the_matching_end_of_a_wider_two_sided_interval():
    k, n = [3, 0, 7], [10, 12, 7]
    for method in METHODS:
        two = binomial_ci(k, n, level=0.90, method=method)
        up = binomial_ci(k, n, level=0.95, method=method, alternative="smaller")
        down = binomial_ci(k, n, level=0.95, method=method, alternative="larger")
        np.testing.assert_allclose(up["upper"], two["upper"])
        np.testing.assert_allclose(down["lower"], two["lower"])
        assert (up["lower"] == 0).all() and (down["upper"] == 1).all()


def test_zero_cases_give_the_vacuous_interval():
    out = binomial_ci([0, 3], [0, 9])
    assert np.isnan(out["raw"].iloc[0])
    assert (out.iloc[0][["lower", "upper"]].to_numpy() == [0.0, 1.0]).all()
    assert not out.iloc[1].isna().any()


def test_series_index_and_columns_are_kept():
    k = pd.Series([10, 4], index=["Solrød", "Odsherred"])
    n = pd.Series([14, 20], index=["Solrød", "Odsherred"])
    out = binomial_ci(k, n)
    assert list(out.columns) == ["k", "n", "raw", "lower", "upper"]
    assert list(out.index) == ["Solrød", "Odsherred"]
    scalar = binomial_ci(10, 14)
    assert len(scalar) == 1 and scalar["k"].iloc[0] == 10


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("k", "n", "kwargs"),
    [
        (5, 4, {}),
        (-1, 4, {}),
        (1.5, 4, {}),
        ([1, 2], [3, 4, 5], {}),
        ("3", 4, {}),
        (1, 4, {"level": 0}),
        (1, 4, {"level": 1}),
        (1, 4, {"level": 1.5}),
        (1, 4, {"level": "high"}),
        (1, 4, {"level": True}),
        (1, 4, {"method": "wald"}),
        (1, 4, {"alternative": "both"}),
    ],
)
def test_bad_input_raises_data_error(k, n, kwargs):
    # bad counts are bad data; a bad level, method or alternative is a bad argument
    with pytest.raises(ArgumentError if kwargs else DataError):
        binomial_ci(k, n, **kwargs)


def test_bad_count_is_located():
    with pytest.raises(DataError) as err:
        binomial_ci(pd.Series([1, 9], index=["a", "b"]), pd.Series([3, 4], index=["a", "b"]))
    assert err.value.row == "b"


# ------------------------------------------------------------------ properties


@st.composite
def counts(draw):
    n = draw(st.integers(min_value=1, max_value=1_000_000))
    k = draw(st.integers(min_value=0, max_value=n))
    return k, n


@settings(max_examples=150, deadline=None)
@given(
    kn=counts(),
    method=st.sampled_from(METHODS),
    level=st.floats(min_value=0.8, max_value=0.999),
    alternative=st.sampled_from(["two-sided", "larger", "smaller"]),
)
def test_interval_contains_estimate_and_stays_in_unit_interval(kn, method, level, alternative):
    k, n = kn
    row = binomial_ci(k, n, level=level, method=method, alternative=alternative).iloc[0]
    assert not row.isna().any()
    assert 0.0 <= row["lower"] <= row["raw"] <= row["upper"] <= 1.0


@settings(max_examples=40, deadline=None)
@given(n=st.integers(min_value=1, max_value=3000), method=st.sampled_from(METHODS))
def test_bounds_are_monotone_in_k(n, method):
    out = binomial_ci(np.arange(n + 1), n, method=method)
    assert (np.diff(out["lower"]) >= -1e-12).all()
    assert (np.diff(out["upper"]) >= -1e-12).all()


@settings(max_examples=40, deadline=None)
@given(kn=counts(), method=st.sampled_from(METHODS))
def test_higher_level_gives_wider_interval(kn, method):
    k, n = kn
    narrow = binomial_ci(k, n, level=0.8, method=method).iloc[0]
    wide = binomial_ci(k, n, level=0.99, method=method).iloc[0]
    assert wide["lower"] <= narrow["lower"] + 1e-12
    assert wide["upper"] >= narrow["upper"] - 1e-12


# ------------------------------------------------------------------ audit_bound


def test_audit_no_errors_in_fifteen():
    row = audit_bound(0, 15).iloc[0]
    assert row["upper_exact"] == pytest.approx(1 - 0.05 ** (1 / 15), rel=1e-12)
    assert row["rule_of_three"] == pytest.approx(-np.log(0.05) / 15, rel=1e-12)
    assert row["rule_of_three"] == pytest.approx(3 / 15, abs=3e-4)
    assert row["raw"] == 0 and row["level"] == 0.95


def test_audit_one_error_matches_exact_one_sided_bound():
    out = audit_bound([1, 2, 0], [15, 40, 7], level=0.9)
    np.testing.assert_allclose(
        out["upper_exact"], stats.beta.ppf(0.9, np.array([2, 3, 1]), np.array([14, 38, 7])), rtol=1e-12
    )
    same = binomial_ci([1, 2, 0], [15, 40, 7], level=0.9, method="exact", alternative="smaller")
    np.testing.assert_allclose(out["upper_exact"], same["upper"], rtol=1e-10)
    assert out["rule_of_three"].isna().tolist() == [True, True, False]


def test_audit_all_reviewed_cases_wrong():
    row = audit_bound(5, 5).iloc[0]
    assert row["upper_exact"] == 1.0 and row["raw"] == 1.0


def test_audit_bound_is_monotone_and_keeps_index():
    errors = pd.Series([0, 1, 2, 3], index=list("abcd"))
    out = audit_bound(errors, 30)
    assert list(out.index) == list("abcd")
    assert (np.diff(out["upper_exact"]) > 0).all()
    more = audit_bound(0, [5, 10, 20, 50])
    assert (np.diff(more["upper_exact"]) < 0).all()


@pytest.mark.parametrize(
    ("errors", "reviewed", "level"),
    [(0, 0, 0.95), (3, 2, 0.95), (-1, 5, 0.95), (0.5, 5, 0.95), (0, 5, 1.0), (0, 5, -0.1)],
)
def test_audit_bad_input(errors, reviewed, level):
    with pytest.raises(DataError if 0 < level < 1 else ArgumentError):
        audit_bound(errors, reviewed, level=level)


@pytest.mark.parametrize("level", [0.95, 0.998, 0.5])
@pytest.mark.parametrize("alternative", ["two-sided", "larger", "smaller"])
def test_wilson_and_exact_are_statsmodels_proportion_confint(level, alternative):
    # Wilson and Clopper-Pearson are computed without importing statsmodels (the report shows them);
    # they are statsmodels' proportion_confint: Wilson to the last bit, Clopper-Pearson to rounding
    from statsmodels.stats.proportion import proportion_confint

    n = np.repeat(np.array([1, 2, 3, 7, 14, 90, 1000, 123457]), 9)
    k = np.minimum(np.tile(np.array([0, 1, 2, 3, 5, 10, 50, 500, 123457]), 8), n)
    alpha = 1 - level if alternative == "two-sided" else 2 * (1 - level)
    for method, sm in [("wilson", "wilson"), ("exact", "beta")]:
        out = binomial_ci(k, n, level=level, method=method, alternative=alternative)
        lo, hi = proportion_confint(k.astype(float), n.astype(float), alpha=alpha, method=sm)
        lo = np.where(k == 0, 0.0, lo) if alternative != "smaller" else np.zeros(k.size)
        hi = np.where(k == n, 1.0, hi) if alternative != "larger" else np.ones(k.size)
        if method == "wilson":
            np.testing.assert_array_equal(out["lower"], lo)
            np.testing.assert_array_equal(out["upper"], hi)
        else:
            np.testing.assert_allclose(out["lower"], lo, rtol=1e-12, atol=1e-300)
            np.testing.assert_allclose(out["upper"], hi, rtol=1e-12, atol=1e-300)
