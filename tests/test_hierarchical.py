"""Tests for danmark.hierarchical against BDA3 §5.3 and a brute-force integral."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from results import bda3_rats as rats
from scipy import special

from danmark import ArgumentError, DataError, HierarchicalResult, hierarchical, shrink

COLUMNS = ["k", "n", "raw", "estimate", "median", "lower", "upper", "weight", "alpha1", "beta1"]


@pytest.fixture(scope="module")
def rat():
    return rats.load()


@pytest.fixture(scope="module")
def fit(rat):
    return hierarchical(rat["y"], rat["n"], seed=2013)


@pytest.fixture(scope="module")
def brute(rat):
    """BDA3's posterior on a fixed, fine, wide grid, computed directly here."""
    y = rat["y"].to_numpy(float)
    n = rat["n"].to_numpy(float)
    x = np.linspace(-3.2, -0.4, 201)
    z = np.linspace(0.0, 8.0, 241)
    X, Z = np.meshgrid(x, z, indexing="ij")
    a = np.exp(Z) / (1 + np.exp(-X))
    b = np.exp(Z) / (1 + np.exp(X))
    lp = -2.5 * np.log(a + b) + np.log(a) + np.log(b)
    for yi, ni in zip(y, n, strict=True):
        lp = lp + special.betaln(a + yi, b + ni - yi) - special.betaln(a, b)
    w = np.exp(lp - lp.max())
    w /= w.sum()
    return {"a": a.ravel(), "b": b.ravel(), "w": w.ravel(), "x": X.ravel(), "z": Z.ravel(), "y": y, "n": n}


# ------------------------------------------------------------------ BDA3 §5.3


def test_bda3_fig_5_3_mode(fit):
    h = fit.hyper
    assert abs(h.loc["log(alpha/beta)", "mode"] - rats.MODE_LOGIT) <= rats.MODE_TOL
    assert abs(h.loc["log(alpha+beta)", "mode"] - rats.MODE_LOG_STRENGTH) <= rats.MODE_TOL
    assert abs(h.loc["alpha", "mode"] - rats.MODE_ALPHA) <= rats.MODE_AB_TOL
    assert abs(h.loc["beta", "mode"] - rats.MODE_BETA) <= rats.MODE_AB_TOL


def test_bda3_posterior_means_of_alpha_and_beta(fit):
    h = fit.hyper
    assert abs(h.loc["alpha", "mean"] - rats.POSTERIOR_MEAN_ALPHA) <= rats.POSTERIOR_MEAN_TOL
    assert abs(h.loc["beta", "mean"] - rats.POSTERIOR_MEAN_BETA) <= rats.POSTERIOR_MEAN_TOL


def test_hyperparameters_agree_with_brute_force(fit, brute):
    w = brute["w"]
    h = fit.hyper
    for name, values in {
        "alpha": brute["a"],
        "beta": brute["b"],
        "mean": brute["a"] / (brute["a"] + brute["b"]),
        "log(alpha/beta)": brute["x"],
        "log(alpha+beta)": brute["z"],
    }.items():
        assert h.loc[name, "mean"] == pytest.approx(w @ values, rel=2e-3), name
    # the grid mean of α + β is a truncated mean (see the docstring): agree loosely
    assert h.loc["strength", "mean"] == pytest.approx(w @ (brute["a"] + brute["b"]), rel=1e-2)


def test_units_agree_with_brute_force(fit, brute):
    w, a, b, y, n = brute["w"], brute["a"], brute["b"], brute["y"], brute["n"]
    A = a[:, None] + y[None, :]
    B = b[:, None] + (n - y)[None, :]
    est = w @ (A / (A + B))
    weight = w @ ((a + b)[:, None] / ((a + b)[:, None] + n[None, :]))
    units = fit.units
    np.testing.assert_allclose(units["estimate"], est, atol=2e-5)
    np.testing.assert_allclose(units["weight"], weight, atol=2e-5)
    # the interval ends have the right posterior mass under the brute-force mixture
    for j in (0, 40, 70):
        for col, q in (("lower", 0.025), ("median", 0.5), ("upper", 0.975)):
            cdf = w @ special.betainc(A[:, j], B[:, j], units[col].iloc[j])
            assert cdf == pytest.approx(q, abs=5e-5), (j, col)


def test_current_experiment_is_shrunk_less_than_with_the_crude_prior(fit, rat):
    hist = rat[rat["role"] == "historical"]
    from danmark import fit_prior

    crude = shrink(4, 14, prior=fit_prior(hist["y"], hist["n"], method="mm")).iloc[0]
    full = fit.units.iloc[-1]
    assert full["raw"] == pytest.approx(4 / 14)
    # the BDA3 crude prior (strength 10) pulls harder than the posterior (strength ~15)
    assert crude["weight"] < full["weight"] < 1
    assert full["lower"] < full["estimate"] < full["upper"]


# ------------------------------------------------------------------ result object


def test_result_shape_and_columns(fit, rat):
    assert isinstance(fit, HierarchicalResult)
    assert list(fit.units.columns) == COLUMNS
    assert len(fit.units) == len(rat)
    assert list(fit.hyper.index) == ["alpha", "beta", "mean", "strength", "log(alpha/beta)", "log(alpha+beta)"]
    assert list(fit.hyper.columns) == ["mean", "mode", "median", "lower", "upper"]
    assert set(fit.grid.columns) == {"x", "z", "alpha", "beta", "density", "weight"}
    assert fit.grid["weight"].sum() == pytest.approx(1.0)
    assert fit.grid["density"].max() == pytest.approx(1.0)
    # the grid edges carry (almost) no density: the adaptive box covers the mass
    g = fit.grid
    edge = g["x"].isin([g["x"].min(), g["x"].max()]) | g["z"].isin([g["z"].min(), g["z"].max()])
    assert g.loc[edge, "density"].max() < 1e-5
    assert "71 units" in repr(fit)


def test_moment_matched_beta_matches_mixture_mean(fit):
    u = fit.units
    np.testing.assert_allclose(u["alpha1"] / (u["alpha1"] + u["beta1"]), u["estimate"], rtol=1e-10)


def test_series_index_and_dataframe_input(rat):
    k = pd.Series(rat["y"].to_numpy()[:20], index=[f"u{i}" for i in range(20)])
    n = pd.Series(rat["n"].to_numpy()[:20], index=k.index)
    a = hierarchical(k, n)
    assert list(a.units.index) == list(k.index)
    b = hierarchical(pd.DataFrame({"k": k, "n": n, "note": "x"}))
    assert list(b.units.columns) == ["k", "n", "note"] + COLUMNS[2:]
    np.testing.assert_allclose(a.units["estimate"], b.units["estimate"])


def test_draws_are_reproducible_and_centred(fit):
    d1 = fit.draws(2000)
    d2 = fit.draws(2000)
    d3 = fit.draws(2000, seed=7)
    assert d1.shape == (2000, 71)
    np.testing.assert_array_equal(d1, d2)
    assert not np.array_equal(d1, d3)
    assert ((d1 > 0) & (d1 < 1)).all()
    se = d1.std(axis=0) / np.sqrt(2000)
    assert (np.abs(d1.mean(axis=0) - fit.units["estimate"].to_numpy()) < 5 * se).all()
    with pytest.raises(ArgumentError):
        fit.draws(0)


def test_unit_without_cases_gets_the_population_distribution(rat):
    res = hierarchical(np.append(rat["y"], 0), np.append(rat["n"], 0))
    last = res.units.iloc[-1]
    assert np.isnan(last["raw"]) and last["weight"] == pytest.approx(1.0)
    assert last["estimate"] == pytest.approx(res.population_mean(), abs=1e-6)


def test_no_overdispersion_runs_and_pools():
    rng = np.random.default_rng(8)
    n = rng.integers(50, 400, 40)
    k = rng.binomial(n, 0.3)
    res = hierarchical(k, n)
    u = res.units
    assert not u.isna().any().any()
    assert (u["weight"] > 0.5).all()
    assert u["estimate"].std() < (k / n).std()
    assert ((u["lower"] <= u["median"]) & (u["median"] <= u["upper"])).all()


def test_large_counts_are_stable():
    n = np.array([10**6, 5 * 10**5, 2 * 10**5, 10**6])
    k = np.array([300_000, 160_000, 58_000, 305_000])
    res = hierarchical(k, n)
    u = res.units
    assert not u.isna().any().any()
    np.testing.assert_allclose(u["estimate"], k / n, atol=2e-3)
    assert ((u["lower"] < u["estimate"]) & (u["estimate"] < u["upper"])).all()


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("k", "n", "kwargs"),
    [
        ([0, 0, 0], [5, 7, 9], {}),  # no unit with 0 < k < n: improper posterior
        ([0, 5], [5, 5], {}),
        ([6, 1], [5, 5], {}),
        ([-1, 1], [5, 5], {}),
        ([1.5, 1], [5, 5], {}),
        ([1, 2], [5, 5], {"level": 1.0}),
        ([1, 2], [5, 5], {"grid_size": 3}),
        ([1, 2], [5, 5], {"mix_size": 2.5}),
        ([1, 2], None, {}),
    ],
)
def test_bad_input(k, n, kwargs):
    # bad counts are data errors; a bad level or grid size is an argument error
    with pytest.raises(ArgumentError if kwargs else DataError):
        hierarchical(k, n, **kwargs)


# ------------------------------------------------------------------ properties


@settings(max_examples=8, deadline=None)
@given(
    size=st.integers(min_value=2, max_value=30),
    nmax=st.integers(min_value=2, max_value=10**6),
    mean=st.floats(min_value=0.05, max_value=0.95),
    strength=st.floats(min_value=1.0, max_value=1e4),
    seed=st.integers(min_value=0, max_value=2**31),
)
def test_summaries_are_ordered_and_in_range(size, nmax, mean, strength, seed):
    rng = np.random.default_rng(seed)
    n = rng.integers(1, nmax + 1, size)
    k = rng.binomial(n, rng.beta(mean * strength, (1 - mean) * strength, size))
    if not np.any((k > 0) & (k < n)):
        with pytest.raises(DataError):
            hierarchical(k, n)
        return
    u = hierarchical(k, n).units
    assert not u.drop(columns="raw").isna().any().any()
    assert (u["lower"] >= 0).all() and (u["upper"] <= 1).all()
    assert (u["lower"] <= u["median"] + 1e-12).all() and (u["median"] <= u["upper"] + 1e-12).all()
    assert ((u["weight"] > 0) & (u["weight"] <= 1)).all()
