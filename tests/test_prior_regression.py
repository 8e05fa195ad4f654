"""Beta-binomial regression prior: against an independent likelihood maximisation and simulated truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, special, stats

import danmark
from danmark.stats.prior_regression import PriorRegression


def _simulate(seed=0, units=300, beta=(-0.6, 0.5), gamma=(2.5, -0.4)):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"x": rng.normal(size=units), "area": rng.choice(["a", "b"], units),
                       "n": rng.integers(5, 120, units)})
    mu = special.expit(beta[0] + beta[1] * df["x"])
    s = np.exp(gamma[0] + gamma[1] * (df["area"] == "b"))
    df["k"] = rng.binomial(df["n"], rng.beta(mu * s, (1 - mu) * s))
    return df


def _direct_mle(df):
    """Independent fit: scipy.stats.betabinom on (β0, β1, γ0, γ1) with Nelder-Mead then BFGS."""
    k, n, x, b = df["k"].to_numpy(), df["n"].to_numpy(), df["x"].to_numpy(), (df["area"] == "b").to_numpy(float)

    def nll(p):
        mu = 1 / (1 + np.exp(-(p[0] + p[1] * x)))
        s = np.exp(p[2] + p[3] * b)
        return -stats.betabinom.logpmf(k, n, mu * s, (1 - mu) * s).sum()

    res = optimize.minimize(nll, [0, 0, 1, 0], method="Nelder-Mead", options={"maxiter": 20000, "xatol": 1e-8, "fatol": 1e-10})
    res = optimize.minimize(nll, res.x, method="BFGS", options={"gtol": 1e-7})
    return res.x, -res.fun


def test_matches_an_independent_likelihood_maximisation():
    df = _simulate(seed=1)
    m = danmark.fit_prior(df, formula="~ x", strength_formula="~ area")
    assert isinstance(m, PriorRegression)
    direct, llf = _direct_mle(df)
    np.testing.assert_allclose(m.params.to_numpy(), direct, atol=2e-4)
    assert m.llf == pytest.approx(llf, abs=1e-6)
    assert m.aic == pytest.approx(2 * 4 - 2 * llf, abs=1e-5)
    assert m.bic == pytest.approx(4 * np.log(len(df)) - 2 * llf, abs=1e-5)
    assert list(m.params.index) == ["Intercept", "x", "log_strength:Intercept", "log_strength:area[T.b]"]
    assert "log_strength:area[T.b]" in str(m.summary())


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_recovers_known_coefficients_within_their_standard_errors(seed):
    truth = np.array([-0.6, 0.5, 2.5, -0.4])
    df = _simulate(seed=seed, units=600)
    m = danmark.fit_prior(df, formula="~ x", strength_formula="~ area")
    z = (m.params.to_numpy() - truth) / m.bse.to_numpy()
    assert np.all(np.abs(z) < 3.5), z
    assert np.all(m.bse.to_numpy() > 0)


def test_constant_formula_is_the_constant_prior_and_lr_test():
    df = _simulate(seed=5)
    const = danmark.fit_prior(df[["k", "n"]])
    m0 = danmark.fit_prior(df, formula="~ 1")
    assert m0.llf == pytest.approx(const.loglik, abs=1e-6)
    assert special.expit(m0.params.iloc[0]) == pytest.approx(const.mean, rel=1e-5)
    m = danmark.fit_prior(df, formula="~ x", strength_formula="~ area")
    lr = m.lr_test()
    assert lr.df == 2
    assert lr.llf_constant == pytest.approx(const.loglik, abs=1e-6)
    assert lr.statistic == pytest.approx(2 * (m.llf - const.loglik), abs=1e-5)
    assert lr.pvalue == pytest.approx(stats.chi2.sf(lr.statistic, 2))


def test_no_formula_keeps_todays_fit_prior():
    k, n = [0, 1, 2, 3, 5, 8, 1, 4], [20, 19, 25, 24, 21, 20, 10, 30]
    p = danmark.fit_prior(k, n)
    assert isinstance(p, danmark.BetaPrior)
    assert (round(p.alpha, 3), round(p.beta, 2)) == (2.283, 13.75)


def test_shrink_and_prob_above_use_each_rows_own_prior():
    df = _simulate(seed=6)
    m = danmark.fit_prior(df, formula="~ x")
    rows = m.priors()
    out = danmark.shrink(df, prior=m)
    a1 = rows["alpha"].to_numpy() + df["k"].to_numpy()
    b1 = rows["beta"].to_numpy() + df["n"].to_numpy() - df["k"].to_numpy()
    np.testing.assert_allclose(out["estimate"], a1 / (a1 + b1))
    np.testing.assert_allclose(out["weight"], rows["strength"] / (rows["strength"] + df["n"]))
    # the estimate lies between the raw rate and the row's own prior mean
    lo = np.minimum(out["raw"], rows["mean"]) - 1e-12
    hi = np.maximum(out["raw"], rows["mean"]) + 1e-12
    assert ((out["estimate"] >= lo) & (out["estimate"] <= hi)).all()
    p = danmark.prob_above(df, prior=m)
    np.testing.assert_allclose(p["prob_above"], stats.beta.sf(rows["mean"], a1, b1))
    # arrays of the fitted length pair row by row; another length is refused
    np.testing.assert_allclose(danmark.shrink(df["k"], df["n"], prior=m)["estimate"], out["estimate"])
    with pytest.raises(danmark.DataError, match="regression prior"):
        danmark.shrink([1, 2], [10, 10], prior=m)


def test_year_and_population_are_added_from_the_table():
    rng = np.random.default_rng(7)
    kom = danmark.municipalities()
    df = pd.DataFrame([(c, f"{y}") for c in kom["kommunekode"] for y in (2021, 2022)],
                      columns=["kommunekode", "period"])
    df["n"] = rng.integers(10, 80, len(df))
    df["k"] = rng.binomial(df["n"], 0.35)
    m = danmark.fit_prior(df, formula="~ C(year) + np.log(population)")
    assert list(m.params.index) == ["Intercept", "C(year)[T.2022]", "np.log(population)", "log_strength:Intercept"]
    pop = m.data["population"].to_numpy()
    assert pop[0] == kom.loc[kom["kommunekode"] == df["kommunekode"][0], "population"].item()


def test_bad_formulas_and_inputs_are_data_errors():
    df = _simulate(seed=8)
    bad = (danmark.DataError, danmark.ArgumentError)  # a formula is an argument; the table is data
    with pytest.raises(bad, match="does not fit"):
        danmark.fit_prior(df, formula="~ nosuchcolumn")
    with pytest.raises(bad, match="one-sided"):
        danmark.fit_prior(df, formula="k ~ x")
    with pytest.raises(bad, match="DataFrame"):
        danmark.fit_prior([1, 2, 3], formula="~ 1")
    with pytest.raises(bad, match="collinear"):
        danmark.fit_prior(df.assign(c=1.0), formula="~ c")
