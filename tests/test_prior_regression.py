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
    with pytest.warns(danmark.PoolingWarning):  # k ~ Binomial(n, 0.35): no spread beyond chance
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


# --------------------------------------------------------------------------- hostile formulas and tables (issue 21)


@pytest.mark.parametrize("formula, strength", [(1, None), (b"~ x", None), (["~ x"], None), (2.5, None),
                                               ("~ x", 3), ("~ x", {"a": 1})])
def test_a_formula_that_is_not_text_is_an_argument_error(formula, strength):
    df = _simulate(seed=9, units=40)
    with pytest.raises(danmark.ArgumentError, match="must be text") as err:
        danmark.fit_prior(df, formula=formula, strength_formula=strength)
    assert err.value.column == ("formula" if strength is None else "strength_formula")
    assert "'~ C(year)'" in str(err.value)  # says what would be valid


@pytest.mark.parametrize("formula, strength, column", [("~ 0", None, "formula"), ("~ -1", None, "formula"),
                                                       ("~ x - x - 1", None, "formula"),
                                                       ("~ 1", "~ 0", "strength_formula")])
def test_a_formula_with_no_terms_is_an_argument_error(formula, strength, column):
    """'~ 0' fixed the prior mean at 0.5 without a word and lr_test() returned df = -1."""
    df = _simulate(seed=9, units=40)
    with pytest.raises(danmark.ArgumentError, match="no terms") as err:
        danmark.fit_prior(df, formula=formula, strength_formula=strength)
    assert err.value.column == column and "'~ 1'" in str(err.value)


def test_lr_test_needs_the_constant_prior_nested_and_a_covariate():
    df = _simulate(seed=10, units=80)
    with pytest.raises(danmark.ArgumentError, match="intercept"):
        danmark.fit_prior(df, formula="~ 0 + x").lr_test()
    with pytest.raises(danmark.ArgumentError, match="no covariates"):
        danmark.fit_prior(df, formula="~ 1").lr_test()
    lr = danmark.fit_prior(df, formula="~ 0 + area").lr_test()  # one mean per area contains the constant
    assert lr.df == 1 and 0 <= lr.pvalue <= 1


@pytest.mark.parametrize("values", [pd.date_range("2020-01-01", periods=40),
                                    pd.date_range("2020-01-01", periods=2).repeat(20).tz_localize("UTC"),
                                    pd.period_range("2020-01", periods=40, freq="M"),
                                    [pd.Timestamp("2021-01-01").date()] * 20 + [pd.Timestamp("2022-01-01").date()] * 20])
@pytest.mark.parametrize("formula", ["~ when", "~ C(when)", "~ 1 + Q('when')"])
def test_a_date_column_in_a_formula_is_a_data_error_naming_it(values, formula):
    df = _simulate(seed=11, units=40).assign(when=values)
    with pytest.raises(danmark.DataError, match="dates") as err:
        danmark.fit_prior(df, formula=formula)
    assert err.value.column == "when" and "year" in str(err.value)


@pytest.mark.parametrize("start", [["2022K1"] * 40, ["2022-01-01", "x"] * 20, [None] * 40])
def test_a_period_start_that_is_not_a_date_is_a_data_error(start):
    df = _simulate(seed=12, units=40).assign(period_start=start)
    with pytest.raises(danmark.DataError, match="period_start") as err:
        danmark.fit_prior(df, formula="~ year")
    assert err.value.column == "period_start"


def test_year_from_period_start_dates():
    df = _simulate(seed=13, units=80).assign(period_start=pd.to_datetime(["2021-01-01", "2022-07-01"] * 40))
    m = danmark.fit_prior(df, formula="~ year")
    assert list(m.params.index) == ["Intercept", "year", "log_strength:Intercept"]


@pytest.mark.parametrize("formula", [
    "~ " + " + ".join(["x"] * 20000),
    "~ " + "(" * 5000 + "x" + ")" * 5000,
    "~ " + "I(" * 40 + "x" + ")" * 40,
    "~ (" + " + ".join(f"x{i}" for i in range(20)) + ")**20",
    "~ " + " * ".join(f"x{i}" for i in range(20)),
    "~ x**1000000000",
    "~ x**y",
])
def test_a_pathological_formula_is_an_argument_error_at_once(formula):
    """A 20,000-term formula raised RecursionError; an expansion to 2**20 terms would take hours."""
    import time

    df = _simulate(seed=14, units=30)
    start = time.monotonic()
    with pytest.raises(danmark.ArgumentError) as err:
        danmark.fit_prior(df, formula=formula)
    assert err.value.column == "formula"
    assert time.monotonic() - start < 2.0


@pytest.mark.parametrize("extra, formula, named", [
    ({"x2": lambda d: 2 * d["x"] + 1}, "~ x + x2", ["'x'", "'x2'"]),
    ({"c": lambda d: 1.0}, "~ c", ["'Intercept'", "'c'", "does not vary"]),
    ({"z": lambda d: 0.0}, "~ x + z", ["'z'", "zero"]),
])
def test_collinear_columns_are_a_data_error_naming_them(extra, formula, named):
    df = _simulate(seed=15, units=60).assign(**extra)
    with pytest.raises(danmark.DataError, match="collinear|zero") as err:
        danmark.fit_prior(df, formula=formula)
    for word in named:
        assert word in str(err.value)


def test_a_missing_population_names_every_kommune_that_lacks_it():
    kom = danmark.municipalities()["kommunekode"].head(38).tolist()
    df = _simulate(seed=16, units=40).assign(kommunekode=kom + ["999", "998"])
    with pytest.raises(danmark.DataError) as err:
        danmark.fit_prior(df, formula="~ np.log(population)")
    assert "'999'" in str(err.value) and "'998'" in str(err.value) and "2 kommunekode" in str(err.value)
    assert err.value.column == "kommunekode" and "'population' column" in str(err.value)


@pytest.mark.parametrize("value, what", [(np.nan, "missing"), (None, "missing"), (np.inf, "inf")])
def test_a_missing_or_infinite_covariate_is_a_data_error_naming_column_and_row(value, what):
    df = _simulate(seed=17, units=40).astype({"x": object})
    df.loc[[3, 7], "x"] = value
    with pytest.raises(danmark.DataError, match=what) as err:
        danmark.fit_prior(df.astype({"x": float}), formula="~ x")
    assert err.value.column == "x" and err.value.row == 3


def test_a_transform_that_gives_missing_values_names_its_rows():
    df = _simulate(seed=18, units=40)
    with pytest.raises(danmark.DataError, match=r"np\.log\(x\) is missing") as err:
        danmark.fit_prior(df, formula="~ np.log(x)")
    assert err.value.row == int(np.flatnonzero(df["x"] <= 0)[0])


def test_a_boundary_fit_gives_the_pooling_warning_of_fit_prior():
    """No spread beyond chance: fit_prior(k, n) warns; the formula fit of the same data did not."""
    n = np.array([50, 80, 120, 60, 90, 200, 40, 70] * 4)
    df = pd.DataFrame({"k": np.round(0.3 * n).astype(int), "n": n, "x": np.arange(32) % 3})
    with pytest.warns(danmark.PoolingWarning):
        danmark.fit_prior(df["k"], df["n"])
    for formula, strength in [("~ 1", "~ 1"), ("~ x", "~ 1"), ("~ 1", "~ x")]:
        with pytest.warns(danmark.PoolingWarning, match="complete pooling"):
            m = danmark.fit_prior(df, formula=formula, strength_formula=strength)
        assert (m.priors()["strength"] > 1e6 * n.max()).any()


def test_a_fit_with_spread_gives_no_pooling_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", danmark.PoolingWarning)
        danmark.fit_prior(_simulate(seed=19), formula="~ x", strength_formula="~ area")


@pytest.mark.parametrize("change, match", [
    (lambda d: d.drop(columns="x"), "does not fit"),
    (lambda d: d.assign(x=[np.nan] + [0.0] * (len(d) - 1)), "missing"),
    (lambda d: d.assign(x=[np.inf] + [0.0] * (len(d) - 1)), "finite"),
    (lambda d: d.assign(x=pd.date_range("2020-01-01", periods=len(d))), "dates"),
    (lambda d: d.assign(x="a"), "does not fit"),
    (lambda d: d.assign(area="c"), "does not fit"),
    (lambda d: d.assign(x=1e300), "not a proper Beta"),
    (lambda d: list(d["x"]), "DataFrame"),
])
def test_priors_for_new_rows_refuse_what_does_not_fit(change, match):
    """inf and 1e300 gave a prior mean of exactly 0 (a silent, improper prior); dates and text an AttributeError."""
    df = _simulate(seed=20, units=80)
    m = danmark.fit_prior(df, formula="~ x + area")
    with pytest.raises(danmark.DataError, match=match):
        m.priors(change(df))
    if not isinstance(change(df), list):
        with pytest.raises(danmark.DataError, match=match):
            danmark.shrink(change(df), prior=m)


@pytest.mark.parametrize("formula", ["~ I(9**9**9)", "~ I(population ** 99)", "~ I(2 ** 1000000)",
                                     "~ np.log(population ** 2 ** 40)"])
def test_a_power_that_would_never_finish_is_refused_at_once(formula):
    # patsy evaluates the Python inside a term: arithmetic on huge integers would hang, so it is refused
    table = pd.DataFrame({"k": [1, 3, 5, 2], "n": [10, 12, 14, 11], "population": [1e4, 2e4, 3e4, 4e4]})
    with pytest.raises(danmark.ArgumentError, match="power"):
        danmark.fit_prior(table, formula=formula)
