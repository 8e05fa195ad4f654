"""Every prior of danmark through the one protocol: shrink, prob_above, prior_sensitivity, compare_priors."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

import danmark
from danmark.stats.prior_protocol import Prior
from danmark.stats.prior_regression import RowBetas


def _data(seed=0, units=120):
    rng = np.random.default_rng(seed)
    n = rng.integers(20, 150, units)
    theta = np.where(rng.random(units) < 0.7, rng.beta(20, 80, units), rng.beta(30, 30, units))
    df = pd.DataFrame({"k": rng.binomial(n, theta), "n": n, "x": rng.normal(size=units)})
    return df


def _priors(df):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            "beta": danmark.fit_prior(df),
            "given": danmark.BetaPrior(3, 9),
            "npmle": danmark.fit_prior(df, method="npmle"),
            "mixture": danmark.fit_prior(df, method="mixture"),
            "regression": danmark.fit_prior(df, formula="~ x"),
            "grid by hand": danmark.GridPrior([0.1, 0.2, 0.5], [0.3, 0.5, 0.2]),
            "mixture by hand": danmark.BetaMixturePrior([0.6, 0.4], [4, 15], [16, 15]),
        }


@pytest.fixture(scope="module")
def fitted():
    df = _data()
    return df, _priors(df)


def test_every_prior_is_a_prior_with_the_whole_interface(fitted):
    df, priors = fitted
    k, n = df["k"].to_numpy(float), df["n"].to_numpy(float)
    for name, prior in priors.items():
        assert isinstance(prior, Prior), name
        text = prior.describe()
        assert isinstance(text, str) and text.isascii() and 10 < len(text) < 200, (name, text)
        assert isinstance(prior.n_params, int) and prior.n_params >= 1
        mean = prior.posterior_mean(k, n)
        lo, hi = prior.posterior_interval(k, n, level=0.9)
        med = prior.posterior_quantile(k, n, q=0.5)
        assert mean.shape == lo.shape == hi.shape == med.shape == k.shape, name
        assert np.all((lo <= med) & (med <= hi) & (lo >= 0) & (hi <= 1)), name
        sf = prior.posterior_sf(k, n, reference=med)
        assert np.all((sf >= 0) & (sf <= 0.5 + 1e-9)), name  # P(θ > median) is at most a half
        ll = prior.marginal_loglik(k, n)
        assert np.isfinite(ll) and ll < 0
        if prior.loglik is not None:
            assert ll == pytest.approx(prior.loglik, rel=1e-9, abs=1e-6), name


def test_beta_protocol_matches_scipy(fitted):
    df, priors = fitted
    p = priors["beta"]
    k, n = df["k"].to_numpy(float), df["n"].to_numpy(float)
    a1, b1 = p.alpha + k, p.beta + n - k
    np.testing.assert_allclose(p.posterior_sf(k, n, reference=0.3), stats.beta.sf(0.3, a1, b1), rtol=1e-12)
    np.testing.assert_allclose(p.posterior_quantile(k, n, q=0.1), stats.beta.ppf(0.1, a1, b1), rtol=1e-10)
    assert p.marginal_loglik(k, n) == pytest.approx(stats.betabinom.logpmf(k, n, p.alpha, p.beta).sum())


def test_mixture_marginal_loglik_by_integration():
    p = danmark.BetaMixturePrior([0.6, 0.4], [4.0, 15.0], [16.0, 15.0])
    k, n = 7, 25

    def dens(x):
        return (0.6 * stats.beta.pdf(x, 4, 16) + 0.4 * stats.beta.pdf(x, 15, 15)) * stats.binom.pmf(k, n, x)

    assert p.marginal_loglik([k], [n]) == pytest.approx(np.log(integrate.quad(dens, 0, 1, epsabs=1e-14)[0]), abs=1e-9)


@pytest.mark.parametrize("name", ["beta", "given", "npmle", "mixture", "regression", "grid by hand",
                                  "mixture by hand"])
def test_shrink_and_prob_above_take_every_prior(fitted, name):
    df, priors = fitted
    prior = priors[name]
    out = danmark.shrink(df, prior=prior)
    assert {"estimate", "median", "lower", "upper", "weight"} <= set(out.columns)
    assert ((out["lower"] <= out["median"]) & (out["median"] <= out["upper"])).all()
    k, n = df["k"].to_numpy(float), df["n"].to_numpy(float)
    target = prior.for_units(len(df), df)
    np.testing.assert_allclose(out["estimate"], target.posterior_mean(k, n))
    above = danmark.prob_above(df, prior=prior, reference=0.3)
    np.testing.assert_allclose(above["prob_above"], np.clip(target.posterior_sf(k, n, reference=0.3), 0, 1))
    default = danmark.prob_above(df, prior=prior)  # reference: the prior mean (one per row for a regression)
    assert default["prob_above"].between(0, 1).all()
    if isinstance(target, RowBetas) or isinstance(prior, danmark.BetaPrior):
        assert {"alpha1", "beta1"} <= set(out.columns)
        assert danmark.shrink(df, prior=prior, interval="hpd")["lower"].notna().all()
    else:
        with pytest.raises(danmark.ArgumentError, match="hpd"):
            danmark.shrink(df, prior=prior, interval="hpd")


def test_prior_sensitivity_and_compare_priors_run_through_the_protocol(fitted):
    df, _ = fitted
    table = danmark.prior_sensitivity(10, 14, means=[0.385], strengths=[10, 30, 100])
    for _, row in table.iterrows():
        p = danmark.BetaPrior.from_mean(row["mean"], row["strength"])
        assert row["estimate"] == pytest.approx(float(p.posterior_mean(10, 14)))
        assert row["prob_above"] == pytest.approx(float(p.posterior_sf(10, 14, reference=row["mean"])))
    cmp = danmark.compare_priors(df)
    assert cmp.loc["npmle", "loglik"] >= cmp.loc["beta", "loglik"]
    assert cmp.loc["mixture", "loglik"] >= cmp.loc["beta", "loglik"] - 1e-9


def test_a_prior_that_is_not_one_is_refused():
    with pytest.raises(danmark.ArgumentError, match="prior"):
        danmark.shrink([1], [10], prior="beta")


_PRIOR_MODULES = ["shrinkage", "beta_prior", "prior_protocol", "priors_nonparametric", "prior_regression", "npmle"]


def _all_imports(name):
    """danmark.stats modules a prior module imports, at module level or inside functions."""
    path = Path(danmark.__file__).parent / "stats" / f"{name}.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(_PRIOR_MODULES)


def test_the_prior_modules_form_no_import_circle_even_inside_functions():
    graph = {m: _all_imports(m) for m in _PRIOR_MODULES}

    def reach(start):
        seen, todo = set(), [start]
        while todo:
            for t in graph[todo.pop()]:
                if t not in seen:
                    seen.add(t)
                    todo.append(t)
        return seen

    assert all(m not in reach(m) for m in _PRIOR_MODULES), graph
    assert "shrinkage" not in set().union(*(graph[m] for m in _PRIOR_MODULES if m != "shrinkage"))


def test_no_hasattr_dispatch_or_private_calls_on_priors():
    text = (Path(danmark.__file__).parent / "stats" / "shrinkage.py").read_text(encoding="utf-8")
    for word in ("_posterior_sf", "_row_betas", "_shrink_columns", 'hasattr(prior'):
        assert word not in text
