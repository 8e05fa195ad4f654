"""Grid (NPMLE) and Beta-mixture priors against direct computations."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import integrate, special, stats

import danmark
from danmark.stats.priors_nonparametric import BetaMixturePrior, GridPrior, npmle_em


def _two_groups(seed=0, units=500):
    rng = np.random.default_rng(seed)
    n = rng.integers(20, 150, units)
    theta = np.where(rng.random(units) < 0.7, rng.beta(20, 80, units), rng.beta(30, 30, units))
    return rng.binomial(n, theta), n


def _beta_mle(k, n):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return danmark.fit_prior(k, n)


def test_npmle_is_the_best_prior_and_satisfies_its_optimality_condition():
    k, n = _two_groups()
    g = danmark.fit_prior(k, n, method="npmle")
    assert isinstance(g, GridPrior)
    assert g.loglik >= _beta_mle(k, n).loglik - 1e-6
    mix = danmark.fit_prior(k, n, method="mixture")
    assert g.loglik >= mix.loglik - 0.05  # the grid NPMLE is (up to its grid) the best of all priors
    # Kiefer-Wolfowitz condition: the directional derivative sum_i L_i(t) / f_i <= N at every grid point
    L = stats.binom.pmf(k[:, None], n[:, None], g.theta[None, :])
    f = L @ g.weights
    assert (L / f[:, None]).sum(0).max() / k.size < 1 + 1e-3
    # independently computed log-likelihood of the fitted prior
    assert g.loglik == pytest.approx(np.log(f).sum(), abs=1e-6)


def test_accelerated_em_matches_a_plain_em_loop():
    k, n = _two_groups(seed=1, units=300)
    theta = special.expit(np.linspace(-4, 2, 200))
    w_fast, _, it_fast = npmle_em(k.astype(float), n.astype(float), theta, tol=1e-6, max_iter=100000)
    L = stats.binom.pmf(k[:, None], n[:, None], theta[None, :])
    w = np.full(theta.size, 1 / theta.size)
    for _ in range(20000):  # plain EM, written out here
        w = w * (L / (L @ w)[:, None]).mean(0)
    plain, fast = np.log(L @ w).sum(), np.log(L @ w_fast).sum()
    assert it_fast < 20000
    assert fast >= plain - 1e-9  # better than 20000 plain EM steps, in fewer (accelerated) steps


def test_grid_prior_posterior_by_hand():
    p = GridPrior([0.2, 0.5], [0.75, 0.25])
    post = np.array([0.75 * 0.2**3 * 0.8**7, 0.25 * 0.5**10])
    post /= post.sum()
    out = danmark.shrink([3], [10], prior=p)
    assert out["estimate"].item() == pytest.approx(post @ [0.2, 0.5])
    assert out["median"].item() == 0.2 and out["upper"].item() == 0.5
    assert danmark.prob_above([3], [10], prior=p, reference=0.3)["prob_above"].item() == pytest.approx(post[1])
    with pytest.raises((danmark.DataError, danmark.ArgumentError), match="hpd"):
        danmark.shrink([3], [10], prior=p, interval="hpd")


def test_mixture_posterior_against_numerical_integration():
    p = BetaMixturePrior([0.6, 0.4], [3.0, 12.0], [9.0, 10.0])
    k, n = 7, 20

    def dens(x):
        prior = 0.6 * stats.beta.pdf(x, 3, 9) + 0.4 * stats.beta.pdf(x, 12, 10)
        return prior * stats.binom.pmf(k, n, x)

    z = integrate.quad(dens, 0, 1, epsabs=1e-13)[0]
    mean = integrate.quad(lambda x: x * dens(x), 0, 1, epsabs=1e-13)[0] / z
    out = danmark.shrink([k], [n], prior=p, level=0.9)
    assert out["estimate"].item() == pytest.approx(mean, abs=1e-9)
    assert integrate.quad(dens, 0, out["lower"].item(), epsabs=1e-13)[0] / z == pytest.approx(0.05, abs=1e-6)
    assert integrate.quad(dens, 0, out["upper"].item(), epsabs=1e-13)[0] / z == pytest.approx(0.95, abs=1e-6)
    above = integrate.quad(dens, 0.4, 1, epsabs=1e-13)[0] / z
    assert danmark.prob_above([k], [n], prior=p, reference=0.4)["prob_above"].item() == pytest.approx(above, abs=1e-9)
    # full log-likelihood of one unit
    assert p.mean == pytest.approx(0.6 * 3 / 12 + 0.4 * 12 / 22)


def test_mixture_fit_recovers_two_groups_and_nests_the_beta():
    k, n = _two_groups(seed=3, units=1500)
    mix = danmark.fit_prior(k, n, method="mixture")
    means = mix.alphas / (mix.alphas + mix.betas)
    np.testing.assert_allclose(means, [0.2, 0.5], atol=0.03)
    np.testing.assert_allclose(mix.weights, [0.7, 0.3], atol=0.06)
    beta = _beta_mle(k, n)
    assert mix.loglik > beta.loglik
    direct = np.log(sum(w * stats.betabinom.pmf(k, n, a, b) for w, a, b in zip(mix.weights, mix.alphas, mix.betas, strict=True))).sum()
    assert mix.loglik == pytest.approx(direct, abs=1e-6)
    assert mix.aic == pytest.approx(-2 * mix.loglik + 2 * 5)


def test_compare_priors_prefers_the_mixture_for_two_groups():
    k, n = _two_groups(seed=4, units=800)
    table = danmark.compare_priors(k, n)
    assert list(table.index) == ["beta", "mixture", "npmle"]
    assert table.loc["beta", "delta_aic"] > 10
    assert table["loglik"].is_monotonic_increasing or table.loc["npmle", "loglik"] >= table.loc["beta", "loglik"]
    assert table.loc["beta", "loglik"] == pytest.approx(_beta_mle(k, n).loglik)


def test_shaped_priors_work_on_a_dataframe():
    import pandas as pd

    k, n = _two_groups(seed=5, units=60)
    df = pd.DataFrame({"k": k, "n": n, "name": [f"u{i}" for i in range(60)]})
    for method in ("npmle", "mixture"):
        prior = danmark.fit_prior(df, method=method)
        out = danmark.shrink(df, prior=prior)
        assert {"name", "estimate", "lower", "upper"} <= set(out.columns)
        # (a discrete posterior's mean may lie outside its interval; the median never does)
        assert ((out["lower"] <= out["median"]) & (out["median"] <= out["upper"])).all()
        assert danmark.prob_above(df, prior=prior)["prob_above"].between(0, 1).all()
