"""danmark._special's distribution functions give what scipy.stats and statsmodels give.

The report imports only scipy.special (scipy.stats and statsmodels cost ~0.8 s to import), so
these functions must be the very numbers scipy.stats.binom / norm / beta and statsmodels'
NormalIndPower give: bit for bit for the binomial, normal and Beta functions (they call the same
kernels), and to the root finder's tolerance for statsmodels' solve_power.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from danmark._special import (
    arcsine_effect,
    beta_pdf,
    beta_ppf,
    beta_sf,
    binom_cdf,
    binom_ppf,
    binom_sf,
    norm_isf,
    norm_ppf,
    normal_nobs,
    normal_power,
)


def _same(a, b):
    """Equal bit for bit, NaN where NaN, and the same shape and float type."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape
    assert a.dtype == b.dtype == np.float64
    np.testing.assert_array_equal(a, b)


def _grid():
    """(k, n, p): every k from -2 to n + 2 for small n, random k for huge n, p with its edges."""
    rng = np.random.default_rng(19)
    ps = np.array([0.0, 1e-300, 1e-12, 1e-6, 0.01, 0.1, 0.36, 0.5, 0.9, 1 - 1e-9, 1 - 1e-16, 1.0])
    ks, ns, pp = [], [], []
    for n in [0, 1, 2, 3, 5, 14, 40, 101]:
        k = np.arange(-2, n + 3)
        for p in ps:
            ks.append(k)
            ns.append(np.full(k.size, n))
            pp.append(np.full(k.size, p))
    n_big = rng.integers(10**3, 10**9, 4000)
    ks.append(np.floor(rng.random(n_big.size) * (n_big + 2)) - 1)
    ns.append(n_big)
    pp.append(rng.choice(ps, n_big.size))
    ks.append(np.round(n_big * 0.36 + rng.normal(0, 1, n_big.size) * np.sqrt(n_big)))  # the body
    ns.append(n_big)
    pp.append(np.full(n_big.size, 0.36))
    return np.concatenate(ks).astype(float), np.concatenate(ns), np.concatenate(pp)


def test_binomial_cdf_and_sf_are_scipy_stats_bit_for_bit():
    k, n, p = _grid()
    _same(binom_cdf(k, n, p), stats.binom.cdf(k, n, p))
    _same(binom_sf(k, n, p), stats.binom.sf(k, n, p))
    _same(binom_sf(k - 1, n, p), stats.binom.sf(k - 1, n, p))  # P(X >= k), as the tests use it


def test_binomial_edges_and_invalid_arguments_as_scipy_stats():
    k = np.array([-np.inf, -1.0, 0.0, 0.5, 2.7, 3.0, 4.0, np.inf, np.nan, 1.0, 1.0, 1.0, 1.0])
    n = np.array([3, 3, 3, 3, 3, 3, 3, 3, 3, -1, 2.5, 3, 3], dtype=float)
    p = np.array([0.4] * 11 + [-0.1, 1.5])
    _same(binom_cdf(k, n, p), stats.binom.cdf(k, n, p))
    _same(binom_sf(k, n, p), stats.binom.sf(k, n, p))
    q = np.array([0.0, 1.0, -0.1, 1.1, np.nan, 0.5, 0.5, 0.5])
    nn = np.array([3, 3, 3, 3, 3, -1, 2.5, 0], dtype=float)
    _same(binom_ppf(q, nn, 0.4), stats.binom.ppf(q, nn, 0.4))
    # scalars in, numpy scalars out, as scipy.stats
    assert type(binom_cdf(1, 2, 0.5)) is type(stats.binom.cdf(1, 2, 0.5))
    assert binom_sf(1, 2, 0.5) == stats.binom.sf(1, 2, 0.5)
    assert binom_ppf(0.3, 14, 0.36) == stats.binom.ppf(0.3, 14, 0.36)


def test_binomial_ppf_is_scipy_stats_bit_for_bit():
    rng = np.random.default_rng(3)
    qs = np.concatenate([[0.0, 1e-300, 1e-12, 0.001, 0.025, 0.05, 0.5, 0.95, 0.975, 0.999, 1 - 1e-12, 1.0],
                         rng.random(200)])
    n = np.concatenate([np.arange(0, 120), rng.integers(120, 10**9, 80)])
    for p in [1e-9, 0.01, 0.36, 0.5, 0.97, 1.0, 0.0]:
        q_b, n_b = np.meshgrid(qs, n)
        _same(binom_ppf(q_b, n_b, p), stats.binom.ppf(q_b, n_b, p))
    # the q that are exactly a cdf value: the step is where rounding could differ
    n = np.repeat(np.arange(1, 60), 61)
    k = np.tile(np.arange(-1, 60), 59)
    q = stats.binom.cdf(k, n, 0.36)
    ok = (q > 0) & (q < 1)
    _same(binom_ppf(q[ok], n[ok], 0.36), stats.binom.ppf(q[ok], n[ok], 0.36))


def test_normal_quantiles_are_scipy_stats_bit_for_bit():
    q = np.concatenate([[0.0, 1e-300, 1e-20, 0.001, 0.025, 0.05, 0.5, 0.95, 1 - 1e-16, 1.0, -0.5, 1.5, np.nan],
                        np.random.default_rng(0).random(1000)])
    _same(norm_isf(q), stats.norm.isf(q))
    _same(norm_ppf(q), stats.norm.ppf(q))
    assert str(norm_isf(0.5)) == str(stats.norm.isf(0.5)) == "0.0"  # not -0.0


@pytest.mark.filterwarnings("ignore:Error in function boost")  # scipy.stats warns alike on extreme shapes
def test_beta_pdf_sf_and_ppf_are_scipy_stats_bit_for_bit():
    rng = np.random.default_rng(5)
    x = np.concatenate([[-0.5, 0.0, 1e-300, 1e-12, 0.5, 1 - 1e-12, 1.0, 1.5, np.nan], rng.random(300)])
    shapes = np.array([1e-3, 0.5, 1.0, 1.5, 2.0, 10.0, 37.5, 1e3, 1e6, 1e9])
    xx, aa, bb = (v.ravel() for v in np.meshgrid(x, shapes, shapes))
    _same(beta_pdf(xx, aa, bb), stats.beta.pdf(xx, aa, bb))
    _same(beta_sf(xx, aa, bb), stats.beta.sf(xx, aa, bb))
    q = np.concatenate([[0.0, 1e-300, 1e-12, 0.025, 0.5, 0.975, 1 - 1e-12, 1.0, -0.1, 1.1, np.nan], rng.random(60)])
    qq, aa, bb = (v.ravel() for v in np.meshgrid(q, shapes, shapes))
    _same(beta_ppf(qq, aa, bb), stats.beta.ppf(qq, aa, bb))
    bad = np.array([0.0, -1.0, np.nan])
    _same(beta_ppf(0.5, bad, 2.0), stats.beta.ppf(0.5, bad, 2.0))
    _same(beta_pdf(0.5, bad, 2.0), stats.beta.pdf(0.5, bad, 2.0))
    _same(beta_sf(0.5, 2.0, bad), stats.beta.sf(0.5, 2.0, bad))


@pytest.mark.parametrize("alternative", ["larger", "smaller"])
@pytest.mark.parametrize("ratio", [0, 1])
def test_normal_power_is_statsmodels_bit_for_bit(alternative, ratio):
    p = np.array([1e-6, 0.01, 0.2, 0.36, 0.37, 0.5, 0.8, 0.99, 1 - 1e-6])
    n = np.array([1, 2, 3, 14, 100, 12345, 10**9], dtype=float)
    for p1 in p:
        for p0 in p:
            h = proportion_effectsize(p1, p0)
            assert arcsine_effect(p1, p0) == h
            for alpha in (0.05, 0.002, 0.3):
                expect = NormalIndPower().power(effect_size=h, nobs1=n, alpha=alpha, ratio=ratio,
                                                alternative=alternative)
                nobs = n if ratio == 0 else 1.0 / (1.0 / n + 1.0 / n)
                _same(normal_power(h, nobs, alpha, alternative), expect)


@pytest.mark.parametrize("alternative", ["larger", "smaller"])
def test_normal_nobs_solves_what_statsmodels_solves(alternative):
    p = np.array([0.01, 0.1, 0.3, 0.36, 0.37, 0.5, 0.7, 0.9, 0.99])
    checked = 0
    for p1 in p:
        for p0 in p:
            h = proportion_effectsize(p1, p0)
            for alpha, target in [(0.05, 0.8), (0.002, 0.9), (0.1, 0.5)]:
                n = float(normal_nobs(h, alpha, target, alternative))
                if (h > 0) != (alternative == "larger") or h == 0:
                    assert np.isnan(n)  # no number of cases: the effect points the other way
                    continue
                # the closed form is the root: the power there is the target
                assert abs(float(normal_power(h, n, alpha, alternative)) - target) < 1e-12
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    sm = NormalIndPower().solve_power(effect_size=h, nobs1=None, alpha=alpha, power=target, ratio=0,
                                                      alternative=alternative)
                if n < 2:  # statsmodels searches from 2 observations up, so finds no root below
                    assert np.isnan(sm)
                    continue
                assert abs(sm - n) <= 1e-9 * n + 1e-5  # statsmodels' root finder: xtol 1e-5
                if abs(n - round(n)) > 1e-4:
                    assert np.ceil(sm) == np.ceil(n)
                checked += 1
    assert checked > 50


def test_normal_nobs_two_equal_groups_as_statsmodels():
    h = proportion_effectsize(0.55, 0.40)
    sm = NormalIndPower().solve_power(effect_size=h, nobs1=None, alpha=0.05, power=0.8, ratio=1, alternative="larger")
    assert abs(2 * float(normal_nobs(h, 0.05, 0.8, "larger")) - sm) < 1e-5  # statsmodels' xtol
