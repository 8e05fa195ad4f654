"""Tests for danmark.selection: selection on noisy rates."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from danmark import DataError, simulate_selection
from danmark.selection import SelectionResult, _use_progress, prob_at_least


def _exact_selection(n, p, top):
    """Enumerate every outcome: P(selected) and E[rate | selected] per unit.

    Ties at the cut are shared equally, which is what a uniformly random order
    among tied units gives on average.
    """
    n, p = np.asarray(n), np.asarray(p)
    units = len(n)
    p_sel = np.zeros(units)
    rate_sel = np.zeros(units)
    pmfs = [stats.binom.pmf(np.arange(m + 1), m, q) for m, q in zip(n, p, strict=True)]
    for ks in itertools.product(*(range(m + 1) for m in n)):
        prob = math.prod(pmfs[j][k] for j, k in enumerate(ks))
        rates = np.array(ks) / n
        for j in range(units):
            greater = int((rates > rates[j]).sum())
            tied = int((rates == rates[j]).sum())
            share = 0.0 if greater >= top else min(1.0, (top - greater) / tied)
            p_sel[j] += prob * share
            rate_sel[j] += prob * share * rates[j]
    return p_sel, rate_sel / p_sel


@pytest.mark.parametrize("top", [1, 2])
def test_matches_exact_enumeration(top):
    n, p = [3, 5, 8], [0.3, 0.45, 0.35]
    reps = 200_000
    res = simulate_selection(n, p, top=top, reps=reps, seed=11)
    exact_p, exact_rate = _exact_selection(n, p, top)
    se = np.sqrt(exact_p * (1 - exact_p) / reps)
    np.testing.assert_allclose(res.units["p_selected"], exact_p, atol=5 * se.max())
    np.testing.assert_allclose(res.units["rate_when_selected"], exact_rate, atol=0.006)
    # the next period is drawn independently: no selection effect left
    np.testing.assert_allclose(res.units["next_rate_when_selected"], p, atol=0.01)
    assert res.units["p_selected"].sum() == pytest.approx(top)


def test_ties_split_evenly():
    # two identical units, one slot: each is picked half the time, whatever the outcome
    res = simulate_selection([4, 4], 0.5, top=1, reps=100_000, seed=2)
    np.testing.assert_allclose(res.units["p_selected"], 0.5, atol=0.006)
    # a unit that can only score 0 is picked only when it ties with the other at 0
    res = simulate_selection([14, 1], [0.36, 0.0], top=1, reps=100_000, seed=3)
    p_zero = stats.binom.pmf(0, 14, 0.36)
    assert res.units["p_selected"].iloc[1] == pytest.approx(p_zero / 2, abs=0.001)


def test_prob_at_least_exact_and_simulated():
    # Solrød-type question: 10 or more of 14 reversed if the true rate were 36 %
    direct = sum(math.comb(14, k) * 0.36**k * 0.64 ** (14 - k) for k in range(10, 15))
    assert prob_at_least(10, 14, 0.36) == pytest.approx(direct, rel=1e-12)
    assert SelectionResult.prob_at_least(10, 14, 0.36) == pytest.approx(direct, rel=1e-12)
    assert prob_at_least(0, 14, 0.36) == 1.0
    np.testing.assert_allclose(prob_at_least([10, 11], 14, 0.36), [direct, direct - stats.binom.pmf(10, 14, 0.36)])

    n = np.array([14, 30, 60, 14, 7])
    reps = 200_000
    res = simulate_selection(n, 0.36, reps=reps, seed=5, threshold=10 / 14)
    k_needed = np.array([10, 22, 43, 10, 5])  # smallest k with k/n >= 10/14
    exact = prob_at_least(k_needed, n, 0.36)
    sim = res.units["p_rate_at_least"].to_numpy()
    assert np.all(np.abs(sim - exact) <= 5 * np.sqrt(exact * (1 - exact) / reps) + 1e-4)
    exact_any = 1 - np.prod(1 - exact)
    assert res.summary["p_any_rate_at_least"] == pytest.approx(
        exact_any, abs=5 * math.sqrt(exact_any * (1 - exact_any) / reps)
    )


def test_small_units_are_selected_more_often():
    n = pd.Series([5, 8, 12, 40, 80, 150, 300, 600], index=list("abcdefgh"))
    res = simulate_selection(n, 0.36, top=2, reps=20_000, seed=8)
    assert list(res.units.index) == list("abcdefgh")
    assert res.units["p_selected"].iloc[:3].sum() > 1.0  # 3 of 8 units, 2 slots: 0.75 if fair
    s = res.summary
    assert s["mean_n_selected"] < s["mean_n_all"]
    assert s["share_selected_below_median_n"] > s["share_units_below_median_n"]
    assert s["mean_rate_selected"] > 0.45 > s["mean_next_rate_selected"]
    assert s["mean_next_rate_selected"] == pytest.approx(0.36, abs=0.01)
    assert s["reps"] == 20_000 and s["units"] == 8 and s["top"] == 2
    assert s["mean_p_selected"] == pytest.approx(0.36)


def test_next_n_changes_only_the_next_period():
    a = simulate_selection([10, 20, 30], [0.2, 0.5, 0.8], top=1, reps=5_000, seed=4)
    b = simulate_selection([10, 20, 30], [0.2, 0.5, 0.8], top=1, reps=5_000, seed=4, next_n=[1000] * 3)
    pd.testing.assert_series_equal(a.units["p_selected"], b.units["p_selected"])
    assert b.units.loc[2, "next_rate_when_selected"] == pytest.approx(0.8, abs=0.01)


def test_same_seed_same_numbers_and_chunking():
    kw = dict(n=[5, 9, 14, 30], p=0.4, top=2, reps=3_001, seed=123)
    a = simulate_selection(**kw)
    b = simulate_selection(**kw)
    pd.testing.assert_frame_equal(a.units, b.units)
    pd.testing.assert_series_equal(a.summary, b.summary)
    c = simulate_selection(**(kw | {"seed": 124}))
    assert not a.units.equals(c.units)
    d = simulate_selection(**(kw | {"chunk": 100}))  # 31 blocks, last one short
    assert d.chunk == 100 and d.units["p_selected"].sum() == pytest.approx(2)
    np.testing.assert_allclose(d.units["p_selected"], a.units["p_selected"], atol=0.05)
    g = simulate_selection(**(kw | {"seed": np.random.default_rng(9)}))
    assert g.summary["reps"] == 3_001


def test_progress_only_for_long_runs(capsys):
    assert not _use_progress(None, 100_000, 98)
    assert _use_progress(None, 10_000_000, 98)
    assert not _use_progress(False, 10_000_000, 98)
    assert _use_progress(True, 10, 2)
    simulate_selection([3, 4], 0.5, top=1, reps=1_000, seed=1)
    assert capsys.readouterr().err == ""
    simulate_selection([3, 4], 0.5, top=1, reps=1_000, seed=1, progress=True)
    assert "simulate_selection" in capsys.readouterr().err


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n": [5]},
        {"n": [5, 0]},
        {"n": [5, -2]},
        {"n": [5, 2.5]},
        {"n": [5, 6], "p": 1.5},
        {"n": [5, 6], "p": [0.2, 0.3, 0.4]},
        {"n": [5, 6], "top": 2},
        {"n": [5, 6], "top": 0},
        {"n": [5, 6], "reps": 0},
        {"n": [5, 6], "chunk": 0},
        {"n": [5, 6], "next_n": [5]},
        {"n": [5, 6], "next_n": [5, 0]},
        {"n": [5, 6], "threshold": 1.2},
    ],
)
def test_bad_input(kwargs):
    args = {"p": 0.3, "top": 1, "reps": 10} | kwargs
    with pytest.raises(DataError):
        simulate_selection(**args)


def test_prob_at_least_bad_input():
    with pytest.raises(DataError):
        prob_at_least(15, 14, 0.3)
    with pytest.raises(DataError):
        prob_at_least(-1, 14, 0.3)
    with pytest.raises(DataError):
        prob_at_least(3, 14, 1.3)


@settings(max_examples=40, deadline=None)
@given(
    n=st.lists(st.integers(1, 60), min_size=2, max_size=7),
    p=st.floats(0, 1),
    seed=st.integers(0, 2**32 - 1),
    data=st.data(),
)
def test_selection_bookkeeping(n, p, seed, data):
    top = data.draw(st.integers(1, len(n) - 1))
    res = simulate_selection(n, p, top=top, reps=300, seed=seed)
    u = res.units
    assert u["p_selected"].sum() == pytest.approx(top)
    assert u["p_selected"].between(0, 1).all()
    sel = u["rate_when_selected"].dropna()
    assert sel.between(0, 1).all() and u["next_rate_when_selected"].dropna().between(0, 1).all()
    assert u["rate_when_selected"].isna().equals(u["p_selected"] == 0)
    again = simulate_selection(n, p, top=top, reps=300, seed=seed)
    pd.testing.assert_frame_equal(u, again.units)
