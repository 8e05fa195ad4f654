"""Posterior predictive checks against exact expectations and planted misfit."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import danmark


def _bb_data(seed, units=80):
    rng = np.random.default_rng(seed)
    n = rng.integers(10, 200, units)
    return rng.binomial(n, rng.beta(8, 12, units)), n


def test_replicated_counts_and_exact_expected_number_above():
    k, n = _bb_data(0)
    post = danmark.shrink(k, n)
    ppc = danmark.posterior_predictive(post, size=4000, seed=3, reference=0.5)
    assert ppc.replicated.shape == (4000, len(k))
    assert (ppc.replicated >= 0).all() and (ppc.replicated <= n).all()
    # E[#units above 0.5] = sum_j P(k_rep > 0.5 n_j) under each unit's beta-binomial posterior predictive
    cut = np.floor(0.5 * n).astype(int)
    exact = stats.betabinom.sf(cut, n, post["alpha1"], post["beta1"]).sum()
    se = ppc.draws["above"].std() / np.sqrt(4000)
    assert ppc.draws["above"].mean() == pytest.approx(exact, abs=4 * se)
    t = ppc.tests
    assert list(t.index) == ["sd", "above", "max", "min"]
    assert t.loc["sd", "observed"] == pytest.approx(np.std(k / n, ddof=1))
    assert t.loc["above", "observed"] == (k / n > 0.5).sum()
    rep, obs = ppc.draws["max"], (k / n).max()
    assert t.loc["max", "ppp"] == pytest.approx((rep > obs).mean() + 0.5 * (rep == obs).mean())
    assert t.loc["max", "ties"] == pytest.approx((rep == obs).mean())


def test_a_model_that_fits_is_not_flagged_and_complete_pooling_is():
    k, n = _bb_data(1, units=150)
    fitted = danmark.posterior_predictive(danmark.shrink(k, n), size=2000, seed=1)
    assert 0.05 < fitted.tests.loc["sd", "ppp"] < 0.95
    # a prior that pools everything cannot reproduce the spread of the rates
    pooled = danmark.BetaPrior.from_mean(k.sum() / n.sum(), 1e6)
    bad = danmark.posterior_predictive(danmark.shrink(k, n, prior=pooled), size=2000, seed=1)
    assert bad.tests.loc["sd", "ppp"] < 0.01


def test_hierarchical_result_and_rats():
    rats = pd.read_csv(__import__("pathlib").Path(__file__).parents[1] / "notebooks" / "data" / "rat_tumor_bda3.csv")
    r = danmark.hierarchical(rats["y"], rats["n"], seed=1)
    ppc = danmark.posterior_predictive(r, size=1000, seed=2)
    assert ppc.replicated.shape == (1000, len(rats))
    # BDA3's rats are well described by the hierarchical model: no extreme p-values for the spread
    assert 0.05 < ppc.tests.loc["sd", "ppp"] < 0.95
    again = danmark.posterior_predictive(r, size=1000, seed=2)
    np.testing.assert_array_equal(again.replicated, ppc.replicated)


def test_ppc_plot_has_danish_labels_and_source():
    import matplotlib.pyplot as plt

    k, n = _bb_data(2)
    ppc = danmark.posterior_predictive(danmark.shrink(k, n), size=300, seed=1)
    for q in ("sd", "above", "max", "min"):
        ax = danmark.plotting.ppc_plot(ppc, quantity=q, source="test", simulated=True)
        texts = [t.get_text() for t in ax.figure.texts]
        assert "Kilde: test" in texts and ax.get_title(loc="left").startswith("SIMULERET")
        plt.close(ax.figure)
    with pytest.raises(danmark.ArgumentError):
        danmark.plotting.ppc_plot(ppc, quantity="mean")


def test_bad_input():
    with pytest.raises(danmark.DataError):
        danmark.posterior_predictive(pd.DataFrame({"k": [1], "n": [2]}))
    with pytest.raises(danmark.ArgumentError):
        danmark.posterior_predictive(danmark.shrink([1, 2], [5, 5], prior=(2, 3)), size=0)


def test_a_unit_with_no_case_omgjort_does_not_read_as_misfit():
    """With a unit at 0 omgjort, P(min_rep >= min_obs) = 1 whatever the model; the mid-p counts ties as half."""
    rng = np.random.default_rng(4)
    n = rng.integers(3, 12, 60)  # small units: a replicated 0 is common under a model that fits
    k = rng.binomial(n, rng.beta(2, 14, 60))
    assert (k == 0).any()
    t = danmark.posterior_predictive(danmark.shrink(k, n), size=2000, seed=1).tests
    assert t.loc["min", "observed"] == 0 and t.loc["min", "ties"] > 0.9
    assert 0.05 < t.loc["min", "ppp"] < 0.95  # the plain P(T_rep >= T_obs) would be exactly 1
    # a model that cannot replicate the zero still shows: large units pooled at a rate far from 0
    big = np.full(40, 400)
    kb = rng.binomial(big, 0.4)
    kb[0] = 0
    pooled = danmark.BetaPrior.from_mean(kb.sum() / big.sum(), 1e7)
    tb = danmark.posterior_predictive(danmark.shrink(kb, big, prior=pooled), size=500, seed=1).tests
    assert tb.loc["min", "ppp"] > 0.99 and tb.loc["min", "ties"] == 0


def _post():
    return danmark.shrink([1, 5, 9, 2], [20, 20, 20, 20], prior=(2, 8))


@pytest.mark.parametrize("column, value", [("alpha1", np.nan), ("alpha1", -1.0), ("beta1", np.inf), ("beta1", 0.0),
                                           ("k", 50), ("k", np.nan), ("k", -1), ("n", 2.5), ("k", "x")])
def test_a_result_with_impossible_values_is_a_data_error(column, value):
    post = _post().astype({column: object})
    post.loc[post.index[0], column] = value
    with pytest.raises(danmark.DataError) as err:
        danmark.posterior_predictive(post, size=10, seed=1)
    assert err.value.column == column


def test_a_hierarchical_result_with_impossible_values_is_a_data_error():
    class Fake:
        k, n = np.array([1, 30]), np.array([20, 20])

        def draws(self, size, *, seed=None):
            return np.full((size, 2), 0.3)

    with pytest.raises(danmark.DataError, match="exceeds"):
        danmark.posterior_predictive(Fake(), size=10)
    Fake.k = np.array([1, 3])
    Fake.draws = lambda self, size, seed=None: np.full((size, 2), 1.5)
    with pytest.raises(danmark.DataError, match=r"\[0, 1\]"):
        danmark.posterior_predictive(Fake(), size=10)
    Fake.draws = lambda self, size, seed=None: np.full((size, 2), np.nan)
    with pytest.raises(danmark.DataError, match="missing"):
        danmark.posterior_predictive(Fake(), size=10)


@pytest.mark.parametrize("size", [10**12, 10**30, 10**8])
def test_size_beyond_the_work_or_memory_cap_is_an_argument_error(size):
    with pytest.raises(danmark.ArgumentError) as err:
        danmark.posterior_predictive(_post(), size=size)
    assert err.value.column == "size" and "size" in str(err.value)


@pytest.mark.parametrize("seed", ["abc", 1.5, -1, float("nan"), True, [1, -2], {"a": 1}])
def test_a_bad_seed_is_an_argument_error_naming_seed(seed):
    with pytest.raises(danmark.ArgumentError) as err:
        danmark.posterior_predictive(_post(), size=10, seed=seed)
    assert err.value.column == "seed" and "whole number" in str(err.value)


@pytest.mark.parametrize("reference", [0, 1, -0.1, 1.5, float("nan"), "0.5", None, [0.5]])
def test_a_reference_outside_the_open_unit_interval_is_an_argument_error(reference):
    with pytest.raises(danmark.ArgumentError) as err:
        danmark.posterior_predictive(_post(), size=10, reference=reference)
    assert err.value.column == "reference"
    assert "(0, 1)" in str(err.value) or "number" in str(err.value)


def test_good_seeds_are_reproducible():
    a = danmark.posterior_predictive(_post(), size=50, seed=np.int64(3))
    b = danmark.posterior_predictive(_post(), size=50, seed=3)
    np.testing.assert_array_equal(a.replicated, b.replicated)
    c = danmark.posterior_predictive(_post(), size=50, seed=np.random.default_rng(3))
    assert c.replicated.shape == (50, 4)
