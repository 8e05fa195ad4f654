"""Tests for danmark.stats.shrinkage: BetaPrior, fit_prior, shrink, prob_above."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from results import ankestyrelsen_example as ank
from results import bda3_rats as rats
from scipy import stats

from danmark import ArgumentError, BetaPrior, DataError, fit_prior, hierarchical, prob_above, shrink
from danmark._special import beta_hpd as _beta_hpd
from danmark._special import digamma_diff as _dpsi
from danmark._special import log_rising as _lrf
from danmark.stats.shrinkage import POOLED_STRENGTH_FACTOR, PoolingWarning

COLUMNS = ["k", "n", "raw", "estimate", "median", "lower", "upper", "weight", "alpha1", "beta1"]


@pytest.fixture(scope="module")
def rat():
    return rats.load()


@pytest.fixture(scope="module")
def historical(rat):
    return rat[rat["role"] == "historical"]


# ------------------------------------------------------------------ BDA3 §5.1


def test_bda3_historical_rates(historical):
    r = historical["y"] / historical["n"]
    assert abs(r.mean() - rats.HISTORICAL_MEAN) <= rats.HISTORICAL_TOL
    assert abs(r.std(ddof=1) - rats.HISTORICAL_SD) <= rats.HISTORICAL_TOL


def test_bda3_method_of_moments_prior(historical):
    prior = fit_prior(historical["y"], historical["n"], method="mm")
    assert prior.method == "mm"
    assert abs(prior.alpha - rats.MM_ALPHA) <= rats.MM_TOL
    assert abs(prior.beta - rats.MM_BETA) <= rats.MM_TOL
    # the unrounded values match the published mean and sd exactly
    r = historical["y"] / historical["n"]
    assert prior.mean == pytest.approx(r.mean(), rel=1e-12)
    assert prior.sd == pytest.approx(r.std(ddof=1), rel=1e-12)


def test_bda3_current_experiment_posterior(historical):
    prior = fit_prior(historical["y"], historical["n"], method="mm")
    row = shrink(rats.CURRENT_K, rats.CURRENT_N, prior=prior).iloc[0]
    assert abs(row["raw"] - rats.CURRENT_RAW) <= rats.POSTERIOR_MOMENT_TOL
    assert abs(row["alpha1"] - rats.POSTERIOR_ALPHA) <= rats.POSTERIOR_SHAPE_TOL
    assert abs(row["beta1"] - rats.POSTERIOR_BETA) <= rats.POSTERIOR_SHAPE_TOL
    assert abs(row["estimate"] - rats.POSTERIOR_MEAN) <= rats.POSTERIOR_MOMENT_TOL
    sd = stats.beta.std(row["alpha1"], row["beta1"])
    assert abs(sd - rats.POSTERIOR_SD) <= rats.POSTERIOR_MOMENT_TOL


def test_bayesgof_beta_binomial_mle(historical):
    prior = fit_prior(historical["y"], historical["n"])
    assert prior.method == "mle"
    assert abs(prior.alpha - rats.MLE_ALPHA) <= rats.MLE_TOL
    assert abs(prior.beta - rats.MLE_BETA) <= rats.MLE_TOL


def test_mle_loglik_is_scipy_betabinom_and_a_maximum(rat):
    prior = fit_prior(rat["y"], rat["n"])
    ll = stats.betabinom.logpmf(rat["y"], rat["n"], prior.alpha, prior.beta).sum()
    assert prior.loglik == pytest.approx(ll, rel=1e-10)
    for da, db in [(0.05, 0), (-0.05, 0), (0, 0.3), (0, -0.3), (0.05, 0.3)]:
        other = stats.betabinom.logpmf(rat["y"], rat["n"], prior.alpha + da, prior.beta + db).sum()
        assert other < ll


def test_ankestyrelsen_example_through_tidy_counts():
    cases = pd.DataFrame(
        {"stadfaestet": [ank.STADFAESTET], "aendret": [ank.AENDRET], "hjemvist": [ank.HJEMVIST]},
        index=["example"],
    )
    out = shrink(cases, prior=BetaPrior.from_mean(0.3, 40))
    row = out.loc["example"]
    assert (row["k"], row["n"]) == (ank.OMGJORT, ank.N)
    assert 100 * row["raw"] == pytest.approx(ank.UNROUNDED_PCT)
    assert abs(100 * row["raw"] - ank.PUBLISHED_PCT) <= ank.PUBLISHED_TOL
    # the caller's columns are kept
    assert list(out.columns[:3]) == ["stadfaestet", "aendret", "hjemvist"]


# ------------------------------------------------------------------ numerics


def test_log_rising_factorial_is_accurate_for_huge_shapes():
    k = np.array([0.0, 1.0, 7.0, 40.0])
    for a in [0.3, 50.0, 1e4, 1e6, 1e9, 1e14]:
        exact = np.array([sum(np.log(a + i) for i in range(int(kk))) for kk in k])
        np.testing.assert_allclose(_lrf(a, k), exact, rtol=1e-11, atol=1e-11)
        dexact = np.array([sum(1 / (a + i) for i in range(int(kk))) for kk in k])
        np.testing.assert_allclose(_dpsi(a, k), dexact, rtol=1e-8, atol=1e-300)


# ------------------------------------------------------------------ fit_prior edge cases


def test_no_overdispersion_is_complete_pooling_with_a_warning():
    k = [6, 6, 6, 6, 6]
    n = [20, 20, 20, 20, 20]
    for method in ("mle", "mm"):
        with pytest.warns(PoolingWarning):
            prior = fit_prior(k, n, method=method)
        assert prior.mean == pytest.approx(0.3)
        assert prior.strength == pytest.approx(POOLED_STRENGTH_FACTOR * 20)
    with pytest.warns(PoolingWarning):
        out = shrink(k, n)
    assert (out["weight"] >= 1 - 1e-6).all()
    np.testing.assert_allclose(out["estimate"], 0.3, atol=1e-6)
    assert not out.isna().any().any()


def test_underdispersed_units_pool_rather_than_run_away():
    rng = np.random.default_rng(3)
    n = np.full(60, 400)
    k = np.full(60, 120) + rng.integers(-2, 3, 60)  # far less spread than binomial
    with pytest.warns(PoolingWarning):
        prior = fit_prior(k, n)
    assert prior.mean == pytest.approx(k.sum() / n.sum())
    assert np.isfinite(prior.loglik)


def test_all_or_nothing_units_warn():
    with pytest.warns(PoolingWarning, match="lower limit"):
        fit_prior([0, 10, 0, 10, 0, 10], [10, 10, 10, 10, 10, 10])


@pytest.mark.parametrize(
    ("k", "n", "match"),
    [
        ([0, 0, 0], [5, 9, 12], "k = 0"),
        ([5, 9, 12], [5, 9, 12], "k = n"),
        ([3], [10], "at least two"),
        ([3, 0], [10, 0], "at least two"),
    ],
)
def test_degenerate_input_raises(k, n, match):
    with pytest.raises(DataError, match=match):
        fit_prior(k, n)


def test_mm_rejects_rates_too_spread_for_a_beta():
    with pytest.raises(DataError, match="vary too much"):
        fit_prior([0, 1, 0, 1], [1, 1, 1, 1], method="mm")


def test_units_without_cases_are_ignored_by_the_fit(rat):
    k = np.append(rat["y"].to_numpy(), 0)
    n = np.append(rat["n"].to_numpy(), 0)
    a = fit_prior(rat["y"], rat["n"])
    b = fit_prior(k, n)
    assert (a.alpha, a.beta) == pytest.approx((b.alpha, b.beta), rel=1e-9)


# ------------------------------------------------------------------ BetaPrior


@pytest.mark.parametrize(
    "args", [(-1.0, 2.0), (0.0, 2.0), (1.0, np.inf), (np.nan, 1.0), ("1", 2.0), (True, 2.0)]
)
def test_bad_prior_raises(args):
    with pytest.raises(ArgumentError):
        BetaPrior(*args)


@pytest.mark.parametrize(("mean", "strength"), [(1.2, 5), (0.0, 5), (0.3, -1), (0.3, np.inf), (0.3, "x")])
def test_bad_from_mean_raises(mean, strength):
    with pytest.raises(ArgumentError):
        BetaPrior.from_mean(mean, strength)


def test_beta_prior_properties():
    p = BetaPrior.from_mean(0.25, 40)
    assert (p.alpha, p.beta, p.mean, p.strength) == pytest.approx((10, 30, 0.25, 40))
    assert p.sd == pytest.approx(stats.beta.std(10, 30))
    assert p.interval(level=0.9) == pytest.approx(tuple(stats.beta.ppf([0.05, 0.95], 10, 30)))
    assert "mean=0.25" in repr(p) and "strength=40" in repr(p)
    with pytest.raises(AttributeError):
        p.alpha = 3  # frozen


# ------------------------------------------------------------------ shrink


def test_shrink_matches_the_conjugate_posterior():
    prior = BetaPrior(3.0, 7.0)
    k = pd.Series([0, 4, 10, 0], index=["a", "b", "c", "d"])
    n = pd.Series([10, 14, 10, 0], index=["a", "b", "c", "d"])
    out = shrink(k, n, prior=prior, level=0.9)
    assert list(out.columns) == COLUMNS
    assert list(out.index) == ["a", "b", "c", "d"]
    a1 = 3 + k.to_numpy()
    b1 = 7 + (n - k).to_numpy()
    np.testing.assert_allclose(out["estimate"], a1 / (a1 + b1))
    np.testing.assert_allclose(out["lower"], stats.beta.ppf(0.05, a1, b1), rtol=1e-10)
    np.testing.assert_allclose(out["upper"], stats.beta.ppf(0.95, a1, b1), rtol=1e-10)
    np.testing.assert_allclose(out["median"], stats.beta.median(a1, b1), rtol=1e-10)
    np.testing.assert_allclose(out["weight"], 10 / (10 + n.to_numpy()))
    # no cases: the posterior is the prior
    d = out.loc["d"]
    assert np.isnan(d["raw"]) and d["weight"] == 1 and d["estimate"] == pytest.approx(0.3)


def test_shrink_accepts_a_dataframe_with_k_and_n():
    df = pd.DataFrame({"kommune": ["A", "B"], "k": [3, 9], "n": [10, 20]}).set_index("kommune")
    out = shrink(df, prior=(2, 8))
    assert list(out.index) == ["A", "B"]
    assert list(out.columns) == COLUMNS
    with pytest.raises(DataError):
        shrink(df, [10, 20], prior=(2, 8))
    with pytest.raises(DataError):
        shrink(pd.DataFrame({"x": [1]}), prior=(2, 8))


def test_shrink_fits_the_prior_by_default(rat):
    out = shrink(rat["y"], rat["n"])
    prior = fit_prior(rat["y"], rat["n"])
    np.testing.assert_allclose(out["alpha1"] - out["k"], prior.alpha)


def test_hpd_is_shortest_with_right_mass():
    a = np.array([2.0, 5.0, 30.0, 3.0, 40.5])
    b = np.array([8.0, 5.0, 3.0, 1e5, 120.5])
    for level in (0.5, 0.9, 0.95):
        lo, hi = _beta_hpd(a, b, level)
        mass = stats.beta.cdf(hi, a, b) - stats.beta.cdf(lo, a, b)
        np.testing.assert_allclose(mass, level, atol=1e-9)
        np.testing.assert_allclose(stats.beta.logpdf(lo, a, b), stats.beta.logpdf(hi, a, b), atol=1e-6)
        et = stats.beta.ppf([[(1 - level) / 2], [(1 + level) / 2]], a, b)
        assert ((hi - lo) <= (et[1] - et[0]) + 1e-12).all()


def test_hpd_monotone_densities_touch_the_boundary():
    out = shrink([0, 12], [12, 12], prior=BetaPrior(0.5, 0.8), interval="hpd", level=0.9)
    first, last = out.iloc[0], out.iloc[1]
    assert first["lower"] == 0.0
    assert stats.beta.cdf(first["upper"], first["alpha1"], first["beta1"]) == pytest.approx(0.9)
    assert last["upper"] == 1.0
    assert stats.beta.sf(last["lower"], last["alpha1"], last["beta1"]) == pytest.approx(0.9)


def test_hpd_falls_back_to_equal_tailed_for_u_shaped_posteriors():
    hpd = shrink(0, 0, prior=BetaPrior(0.5, 0.5), interval="hpd").iloc[0]
    et = shrink(0, 0, prior=BetaPrior(0.5, 0.5)).iloc[0]
    assert (hpd["lower"], hpd["upper"]) == pytest.approx((et["lower"], et["upper"]))


@pytest.mark.parametrize(
    "kwargs",
    [{"level": 0}, {"level": 2}, {"level": "x"}, {"interval": "shortest"}, {"prior": "flat"}, {"prior": (1, -2)}],
)
def test_shrink_bad_arguments(kwargs):
    kwargs.setdefault("prior", (1, 1))
    with pytest.raises(ArgumentError):
        shrink([1, 2], [5, 6], **kwargs)


@pytest.mark.parametrize(("k", "n"), [([3, 7], [5, 6]), ([-1, 2], [5, 6]), ([1.5, 2], [5, 6]), ([1, 2], None)])
def test_shrink_bad_counts(k, n):
    with pytest.raises(DataError):
        shrink(k, n, prior=(1, 1))


# ------------------------------------------------------------------ properties


@st.composite
def unit_and_prior(draw):
    n = draw(st.integers(min_value=0, max_value=1_000_000))
    k = draw(st.integers(min_value=0, max_value=n))
    mean = draw(st.floats(min_value=0.01, max_value=0.99))
    strength = draw(st.floats(min_value=1.0, max_value=1e4))
    return k, n, BetaPrior.from_mean(mean, strength)


@settings(max_examples=150, deadline=None)
@given(case=unit_and_prior(), interval=st.sampled_from(["equal-tailed", "hpd"]))
def test_posterior_sits_between_data_and_prior(case, interval):
    k, n, prior = case
    row = shrink(k, n, prior=prior, interval=interval).iloc[0]
    assert not row.drop("raw").isna().any()
    assert 0.0 <= row["lower"] <= row["median"] <= row["upper"] <= 1.0
    assert 0.0 < row["weight"] <= 1.0
    if n > 0:
        lo, hi = sorted([row["raw"], prior.mean])
        assert lo - 1e-12 <= row["estimate"] <= hi + 1e-12


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=2000),
    mean=st.floats(min_value=0.02, max_value=0.98),
    strength=st.floats(min_value=0.5, max_value=500),
)
def test_shrink_is_monotone_in_k(n, mean, strength):
    out = shrink(np.arange(n + 1), n, prior=BetaPrior.from_mean(mean, strength))
    for col in ("estimate", "median", "lower", "upper"):
        assert (np.diff(out[col]) >= -1e-12).all(), col


@settings(max_examples=30, deadline=None)
@given(
    rates=st.lists(st.floats(min_value=0.02, max_value=0.98), min_size=3, max_size=40),
    size=st.integers(min_value=5, max_value=100_000),
    seed=st.integers(min_value=0, max_value=2**31),
)
def test_fit_prior_is_finite_and_warns_only_with_pooling(rates, size, seed):
    rng = np.random.default_rng(seed)
    n = rng.integers(1, size + 1, len(rates))
    k = rng.binomial(n, rates)
    assume(0 < k.sum() < n.sum() and not np.all(k == 0) and not np.all(k == n))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        prior = fit_prior(k, n)
    assert np.isfinite([prior.alpha, prior.beta, prior.loglik]).all()
    assert prior.alpha > 0 and prior.beta > 0
    if not caught:
        assert prior.strength < POOLED_STRENGTH_FACTOR * n.max()


# ------------------------------------------------------------------ prob_above


def test_prob_above_pep_and_ebbr_qvalues():
    prior = BetaPrior(2.0, 8.0)
    k = np.array([1, 9, 5, 14, 0])
    n = np.array([10, 15, 20, 20, 3])
    out = prob_above(k, n, prior=prior, reference=0.25)
    p = stats.beta.sf(0.25, 2 + k, 8 + n - k)
    np.testing.assert_allclose(out["prob_above"], p)
    np.testing.assert_allclose(out["pep"], 1 - p)
    # ebbr: .qvalue = cummean(.pep[order(.pep)]) put back in the original order
    order = np.argsort(1 - p)
    q = np.empty(5)
    q[order] = np.cumsum((1 - p)[order]) / np.arange(1, 6)
    np.testing.assert_allclose(out["qvalue"], q)
    assert list(out.columns) == ["k", "n", "prob_above", "pep", "qvalue"]


def test_prob_above_defaults_to_the_prior_mean_and_takes_per_unit_thresholds():
    prior = BetaPrior(3.0, 7.0)
    a = prob_above([2, 5], [10, 10], prior=prior)
    b = prob_above([2, 5], [10, 10], prior=prior, reference=0.3)
    np.testing.assert_allclose(a["prob_above"], b["prob_above"])
    c = prob_above([2, 5], [10, 10], prior=prior, reference=[0.1, 0.9])
    assert c["prob_above"].iloc[0] > 0.5 > c["prob_above"].iloc[1]
    with pytest.raises(ArgumentError):
        prob_above([2, 5], [10, 10], prior=prior, reference=1.5)
    with pytest.raises(ArgumentError):
        prob_above([2, 5], [10, 10], prior=prior, reference=[0.1, 0.2, 0.3])


def test_prob_above_accepts_a_hierarchical_result(rat):
    res = hierarchical(rat["y"], rat["n"], seed=11)
    out = prob_above(res, reference=0.2)
    draws = res.draws(4000)
    mc = (draws > 0.2).mean(axis=0)
    assert np.abs(out["prob_above"].to_numpy() - mc).max() < 0.035
    default = prob_above(res)
    mc_default = (draws > res.population_mean()).mean(axis=0)
    assert np.abs(default["prob_above"].to_numpy() - mc_default).max() < 0.035
    with pytest.raises(ArgumentError):
        prob_above(res, rat["n"])


def test_pooled_flag_marks_complete_pooling():
    import warnings

    from danmark import BetaPrior, PoolingWarning, fit_prior

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PoolingWarning)
        pooled = fit_prior([5, 10, 20], [50, 100, 200])  # identical rates: no overdispersion
    assert pooled.pooled and "pooled=True" in repr(pooled)
    assert not BetaPrior.from_mean(0.3, 20).pooled


def test_prior_sensitivity_matches_shrink_and_prob_above_cell_by_cell():
    from danmark import BetaPrior, DataError, prior_sensitivity, prob_above, shrink

    out = prior_sensitivity(10, 14, means=[0.343, 0.46], strengths=[5, 30])
    assert list(zip(out["mean"], out["strength"], strict=True)) == [(0.343, 5), (0.343, 30), (0.46, 5), (0.46, 30)]
    for _, r in out.iterrows():
        prior = BetaPrior.from_mean(r["mean"], r["strength"])
        assert r["estimate"] == pytest.approx(shrink(10, 14, prior=prior)["estimate"].iloc[0])
        assert r["prob_above"] == pytest.approx(prob_above(10, 14, prior=prior, reference=r["mean"])["prob_above"].iloc[0])
    with pytest.raises(DataError, match="one unit"):
        prior_sensitivity([10, 3], [14, 5], means=0.4, strengths=10)
