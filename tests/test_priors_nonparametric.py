"""Grid (NPMLE) and Beta-mixture priors against direct computations."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import integrate, special, stats

import danmark
from danmark.stats.npmle import likelihood_matrix, mixsqp, npmle_grid
from danmark.stats.priors_nonparametric import BetaMixturePrior, GridPrior, NPMLEWarning, npmle_em


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
    assert (L / f[:, None]).sum(0).max() / k.size < 1 + 1e-8
    assert g.converged and 0 <= g.duality_gap <= 1e-8 and g.solver == "mix-SQP"
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


def test_mixsqp_is_never_below_an_independent_interior_point_solver():
    """Clarabel (through cvxpy) on the same grid: danmark's optimum is at least as high, and certified."""
    cp = pytest.importorskip("cvxpy")
    k, n = _two_groups(seed=6, units=400)
    ku, nu = k.astype(float), n.astype(float)
    theta = npmle_grid(ku, nu, 60)
    L, shift = likelihood_matrix(ku, nu, theta)
    res = mixsqp(L)
    w = cp.Variable(theta.size, nonneg=True)
    problem = cp.Problem(cp.Maximize(cp.sum(cp.log(L @ w))), [cp.sum(w) == 1])
    problem.solve(solver=cp.CLARABEL)
    w_ip = np.maximum(w.value, 0)
    w_ip /= w_ip.sum()  # an interior-point solution meets sum(w) = 1 only to its tolerance
    clarabel = float(np.sum(np.log(L @ w_ip)))
    assert res.converged and res.gap <= 1e-8
    assert res.loglik >= clarabel - 1e-9 * abs(clarabel)
    assert clarabel <= res.loglik + k.size * res.gap + 1e-9  # no weights beat the certificate's bound


def _beta_beats(k, n):
    table = danmark.compare_priors(k, n)
    assert table.loc["npmle", "loglik"] >= table.loc["beta", "loglik"]
    assert table.loc["mixture", "loglik"] >= table.loc["beta", "loglik"] - 1e-9
    return table


def test_npmle_is_never_below_one_beta_when_the_likelihoods_are_narrow():
    """Issue 21: 98 units with n 2,000-20,000, and n ~ 1e6 (the fixed grid could not resolve them)."""
    rng = np.random.default_rng(0)
    for lo, hi in ((2_000, 20_001), (900_000, 1_100_000)):
        n = rng.integers(lo, hi, 98)
        k = rng.binomial(n, rng.beta(8, 16, 98))
        table = _beta_beats(k, n)
        g = danmark.fit_prior(k, n, method="npmle")
        assert g.converged and g.duality_gap <= 1e-8
        assert g.marginal_loglik(k, n) == pytest.approx(table.loc["npmle", "loglik"], rel=1e-12)


def test_many_units_answer_quickly():
    """Issue 21: 200,000 units answered (the old EM ran for minutes)."""
    import time

    rng = np.random.default_rng(1)
    n = rng.integers(10, 301, 200_000)
    k = rng.binomial(n, rng.beta(8, 16, 200_000))
    start = time.perf_counter()
    g = danmark.fit_prior(k, n, method="npmle")
    assert g.converged and g.duality_gap <= 1e-8
    assert time.perf_counter() - start < 60  # a few seconds on an idle 2-core machine


_THREADS_SCRIPT = """
import sys, warnings
from pathlib import Path
sys.path.insert(0, str(Path("tests").resolve()))
import talportal_writer, danmark, tempfile
truth = talportal_writer.random_truth(2024, n_kommuner=98, periods=[str(y) for y in range(2016, 2025)], mean_cases=25.0)
with tempfile.TemporaryDirectory() as tmp:
    talportal_writer.write_csv_download(truth, Path(tmp) / "s.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = danmark.read_talportal(Path(tmp) / "s.csv")
kommuner, _ = danmark.split_national(cases)
g = danmark.fit_prior(kommuner, method="npmle")
print(g.support, g.n_params, f"{g.loglik:.6f}")
"""


def test_support_is_the_same_with_one_or_two_blas_threads():
    """Notebook 08's SYNTHETIC download: the support count comes from the optimality condition, not noise."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    out = []
    for threads in ("1", "2"):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=threads, OMP_NUM_THREADS=threads, PYTHONPATH=str(root))
        run = subprocess.run([sys.executable, "-c", _THREADS_SCRIPT], cwd=root, env=env, capture_output=True,
                             text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        out.append(run.stdout.strip())
    assert out[0] == out[1]


def test_em_fallback_says_it_did_not_converge(monkeypatch):
    import danmark.stats.priors_nonparametric as pn

    def broken(*args, **kwargs):
        raise np.linalg.LinAlgError("simulated failure")

    monkeypatch.setattr(pn, "solve_npmle", broken)
    k, n = _two_groups(seed=7, units=200)
    with pytest.warns(NPMLEWarning, match="did not converge"):
        g = danmark.fit_prior(k, n, method="npmle")
    assert g.solver == "EM" and g.converged is False and g.duality_gap > 0


@pytest.mark.parametrize("theta, weights, bad", [
    ([0.2, np.nan], [0.5, 0.5], "theta"),
    ([0.2, 1.5], [0.5, 0.5], "theta"),
    ([-0.1, 0.5], [0.5, 0.5], "theta"),
    ([0.2, 0.5], [np.nan, 0.5], "weights"),
    ([0.2, 0.5], [-1.0, 2.0], "weights"),
    ([0.2, 0.5], [np.inf, 0.5], "weights"),
    ([0.2, 0.5], [0.0, 0.0], "weights"),
    ([0.2, 0.5], [0.5], "weights"),
    (["a", 0.5], [0.5, 0.5], "theta"),
])
def test_hand_made_grid_prior_with_bad_values_names_the_argument(theta, weights, bad):
    with pytest.raises(danmark.ArgumentError, match=bad) as err:
        GridPrior(theta, weights)
    assert err.value.column == bad


@pytest.mark.parametrize("weights, alphas, betas, bad", [
    ([np.nan, 0.5], [2, 3], [5, 5], "weights"),
    ([-0.5, 1.5], [2, 3], [5, 5], "weights"),
    ([0.5, np.inf], [2, 3], [5, 5], "weights"),
    ([0.5, 0.5], [2, -3], [5, 5], "alphas"),
    ([0.5, 0.5], [2, 3], [np.nan, 5], "betas"),
    ([0.5, 0.5], [2, 3], [np.inf, 5], "betas"),
    ([0.5, 0.5], [2, 3], [5], "weights"),
])
def test_hand_made_mixture_with_bad_values_names_the_argument(weights, alphas, betas, bad):
    with pytest.raises(danmark.ArgumentError, match=bad) as err:
        BetaMixturePrior(weights, alphas, betas)
    assert err.value.column == bad


def test_unsorted_hand_made_grid_is_sorted():
    p = GridPrior([0.5, 0.2], [0.25, 0.75])
    q = GridPrior([0.2, 0.5], [0.75, 0.25])
    a = danmark.shrink([3, 7], [10, 10], prior=p)
    b = danmark.shrink([3, 7], [10, 10], prior=q)
    pd_testing = pytest.importorskip("pandas.testing")
    pd_testing.assert_frame_equal(a, b)
