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
    assert t.loc["max", "ppp"] == pytest.approx((ppc.draws["max"] >= (k / n).max()).mean())


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
    with pytest.raises(danmark.DataError):
        danmark.plotting.ppc_plot(ppc, quantity="mean")


def test_bad_input():
    with pytest.raises(danmark.DataError):
        danmark.posterior_predictive(pd.DataFrame({"k": [1], "n": [2]}))
    with pytest.raises((danmark.DataError, danmark.ArgumentError)):
        danmark.posterior_predictive(danmark.shrink([1, 2], [5, 5], prior=(2, 3)), size=0)
