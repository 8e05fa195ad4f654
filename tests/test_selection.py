"""Tests for danmark.simulate.selection: selection on noisy rates."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from danmark import ArgumentError, DataError, simulate_selection
from danmark.simulate._engine import use_progress as _use_progress
from danmark.simulate.rules import compare_rules, simulate_prior_fits
from danmark.simulate.selection import SelectionResult, prob_at_least


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
    res = simulate_selection(n, p, top=top, size=reps, seed=11)
    exact_p, exact_rate = _exact_selection(n, p, top)
    se = np.sqrt(exact_p * (1 - exact_p) / reps)
    np.testing.assert_allclose(res.units["p_selected"], exact_p, atol=5 * se.max())
    np.testing.assert_allclose(res.units["rate_when_selected"], exact_rate, atol=0.006)
    # the next period is drawn independently: no selection effect left
    np.testing.assert_allclose(res.units["next_rate_when_selected"], p, atol=0.01)
    assert res.units["p_selected"].sum() == pytest.approx(top)


def test_ties_split_evenly():
    # two identical units, one slot: each is picked half the time, whatever the outcome
    res = simulate_selection([4, 4], 0.5, top=1, size=100_000, seed=2)
    np.testing.assert_allclose(res.units["p_selected"], 0.5, atol=0.006)
    # a unit that can only score 0 is picked only when it ties with the other at 0
    res = simulate_selection([14, 1], [0.36, 0.0], top=1, size=100_000, seed=3)
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
    res = simulate_selection(n, 0.36, size=reps, seed=5, reference=10 / 14)
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
    res = simulate_selection(n, 0.36, top=2, size=20_000, seed=8)
    assert list(res.units.index) == list("abcdefgh")
    assert res.units["p_selected"].iloc[:3].sum() > 1.0  # 3 of 8 units, 2 slots: 0.75 if fair
    s = res.summary
    assert s["mean_n_selected"] < s["mean_n_all"]
    assert s["share_selected_below_median_n"] > s["share_units_below_median_n"]
    assert s["mean_rate_selected"] > 0.45 > s["mean_next_rate_selected"]
    assert s["mean_next_rate_selected"] == pytest.approx(0.36, abs=0.01)
    assert s["size"] == 20_000 and s["units"] == 8 and s["top"] == 2
    assert s["mean_p_selected"] == pytest.approx(0.36)


def test_next_n_changes_only_the_next_period():
    a = simulate_selection([10, 20, 30], [0.2, 0.5, 0.8], top=1, size=5_000, seed=4)
    b = simulate_selection([10, 20, 30], [0.2, 0.5, 0.8], top=1, size=5_000, seed=4, next_n=[1000] * 3)
    pd.testing.assert_series_equal(a.units["p_selected"], b.units["p_selected"])
    assert b.units.loc[2, "next_rate_when_selected"] == pytest.approx(0.8, abs=0.01)


def test_same_seed_same_numbers_and_chunking():
    kw = dict(n=[5, 9, 14, 30], p=0.4, top=2, size=3_001, seed=123)
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
    assert g.summary["size"] == 3_001


def test_progress_only_for_long_runs(capsys):
    assert not _use_progress(None, 100_000, 98)
    assert _use_progress(None, 10_000_000, 98)
    assert not _use_progress(False, 10_000_000, 98)
    assert _use_progress(True, 10, 2)
    simulate_selection([3, 4], 0.5, top=1, size=1_000, seed=1)
    assert capsys.readouterr().err == ""
    simulate_selection([3, 4], 0.5, top=1, size=1_000, seed=1, progress=True)
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
        {"n": [5, 6], "size": 0},
        {"n": [5, 6], "chunk": 0},
        {"n": [5, 6], "next_n": [5]},
        {"n": [5, 6], "next_n": [5, 0]},
        {"n": [5, 6], "reference": 1.2},
    ],
)
def test_bad_input(kwargs):
    args = {"p": 0.3, "top": 1, "size": 10} | kwargs
    # bad case counts are data errors; rates, top, size, chunk and reference are argument errors
    data = set(kwargs) <= {"n", "next_n"}
    with pytest.raises(DataError if data else ArgumentError):
        simulate_selection(**args)


def test_prob_at_least_bad_input():
    with pytest.raises(DataError):
        prob_at_least(15, 14, 0.3)
    with pytest.raises(DataError):
        prob_at_least(-1, 14, 0.3)
    with pytest.raises(ArgumentError):
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
    res = simulate_selection(n, p, top=top, size=300, seed=seed)
    u = res.units
    assert u["p_selected"].sum() == pytest.approx(top)
    assert u["p_selected"].between(0, 1).all()
    sel = u["rate_when_selected"].dropna()
    assert sel.between(0, 1).all() and u["next_rate_when_selected"].dropna().between(0, 1).all()
    assert u["rate_when_selected"].isna().equals(u["p_selected"] == 0)
    again = simulate_selection(n, p, top=top, size=300, seed=seed)
    pd.testing.assert_frame_equal(u, again.units)


# ---------------------------------------------------------------------------
# compare_rules / simulate_prior_fits

RULES4 = ("raw", "shrunk", "prob_above", "min_n")


def _exact_rules(n, pmfs, top, scores):
    """Enumerate every map: P(picked) per unit and the probability-weighted pick indicator per outcome.

    *scores(k, n)* scores one (k, n) pair; NaN ranks last; exactly equal
    scores share the remaining slots equally (a uniformly random order).
    Returns P(picked) per unit and a function summing a per-unit quantity
    q(j, k_j) over picks, weighted by probability.
    """
    units = len(n)
    outcomes = []
    for ks in itertools.product(*(range(m + 1) for m in n)):
        prob = math.prod(pmfs[j][k] for j, k in enumerate(ks))
        s = np.array([scores(k, m) for k, m in zip(ks, n, strict=True)], dtype=float)
        s = np.where(np.isnan(s), -np.inf, s)
        share = np.zeros(units)
        for j in range(units):
            greater, tied = int((s > s[j]).sum()), int((s == s[j]).sum())
            share[j] = 0.0 if greater >= top else min(1.0, (top - greater) / tied)
        outcomes.append((prob, ks, share))
    p_sel = sum(prob * share for prob, _, share in outcomes)

    def expect(q):
        return sum(prob * sum(share[j] * q(j, ks[j]) for j in range(units)) for prob, ks, share in outcomes)

    return p_sel, expect


@pytest.mark.parametrize("spread", [None, 10.0])
def test_compare_rules_matches_exact_enumeration(spread):
    from danmark import BetaPrior, prob_above, shrink

    n, p, top, reps = [3, 5, 8], 0.35, 1, 60_000
    prior = BetaPrior.from_mean(p, 30)
    if spread is None:
        pmfs = [stats.binom.pmf(np.arange(m + 1), m, p) for m in n]
    else:  # fresh Beta true rates per repetition: k is beta-binomial, independent across units
        pmfs = [stats.betabinom.pmf(np.arange(m + 1), m, spread * p, spread * (1 - p)) for m in n]
    rules = {
        "raw": lambda k, m: k / m,
        "shrunk": lambda k, m: shrink([k], [m], prior=prior)["estimate"].iloc[0],
        "prob_above": lambda k, m: prob_above([k], [m], prior=prior, reference=p)["prob_above"].iloc[0],
        "min_n": lambda k, m: k / m if m >= 5 else np.nan,
        "excess": lambda k, m: k - p * m,  # a callable rule: excess count, favours large units
    }
    res = compare_rules(n, p, rules=[*RULES4, rules["excess"]], top=top, size=reps, seed=21, strength=spread, min_n=5)
    assert list(res.p_selected.columns) == [*RULES4, "<lambda>"]
    for (label, rule), col in zip(rules.items(), res.p_selected.columns, strict=True):
        exact_p, expect = _exact_rules(n, pmfs, top, rule)
        se = np.sqrt(exact_p * (1 - exact_p) / reps)
        np.testing.assert_allclose(res.p_selected[col], exact_p, atol=5 * se.max() + 1e-12, err_msg=label)
        s = res.summary.loc[col]
        # E[raw rate | picked] and E[true rate | picked]: θ_j | k_j has mean (S p + k) / (S + n)
        rate = expect(lambda j, k: k / n[j]) / top
        true = p if spread is None else expect(lambda j, k: (spread * p + k) / (spread + n[j])) / top
        assert s["mean_rate_selected"] == pytest.approx(rate, abs=0.006), label
        assert s["mean_p_selected"] == pytest.approx(true, abs=0.004), label
        assert s["mean_next_rate_selected"] == pytest.approx(true, abs=0.006), label
        assert s["mean_n_selected"] == pytest.approx(float(np.dot(exact_p, n)) / top, rel=0.02), label
    assert res.p_selected["min_n"].iloc[0] == 0  # n = 3 < min_n never picked


@pytest.mark.parametrize("spread", [None, 20.0])
def test_compare_rules_fair_when_units_are_alike(spread):
    units, top, reps = 8, 3, 20_000
    res = compare_rules([15] * units, 0.4, rules=[*RULES4, lambda k, n: np.zeros(k.size)], top=top, size=reps,
                        seed=5, strength=spread, min_n=10, small=2, wide=4)
    fair = top / units
    se = math.sqrt(fair * (1 - fair) / reps)
    np.testing.assert_allclose(res.p_selected, fair, atol=5 * se)
    np.testing.assert_allclose(res.p_selected.sum(), top)
    s = res.summary
    np.testing.assert_allclose(s["share_smallest"], 2 / units, atol=0.01)
    np.testing.assert_allclose(s["mean_n_selected"], 15)
    if spread is None:
        assert s[["share_true_top", "share_true_wide"]].isna().all().all()
        np.testing.assert_allclose(s["mean_p_selected"], 0.4)
    else:
        # a rule that ignores the data (all scores tied) picks at random
        assert s.loc["<lambda>", "share_true_top"] == pytest.approx(top / units, abs=0.01)
        assert s.loc["<lambda>", "share_true_wide"] == pytest.approx(4 / units, abs=0.01)
        assert s.loc["<lambda>", "mean_p_selected"] == pytest.approx(0.4, abs=0.003)
        # with equal n the four built-in rules order units the same way: they pick the same units
        assert s.loc["raw", "share_true_top"] > 0.5
        for rule in RULES4[1:]:
            assert s.loc[rule, "share_true_top"] == pytest.approx(s.loc["raw", "share_true_top"], abs=1e-12)


def test_raw_rule_reproduces_simulate_selection():
    n = pd.Series([5, 8, 12, 40, 80, 150], index=list("abcdef"))
    reps = 20_000
    a = compare_rules(n, 0.36, rules="raw", top=2, size=reps, seed=1)
    b = simulate_selection(n, 0.36, top=2, size=reps, seed=2)
    assert list(a.p_selected.index) == list("abcdef")
    ps = b.units["p_selected"]
    se = np.sqrt(2 * ps * (1 - ps) / reps)
    np.testing.assert_array_less(np.abs(a.p_selected["raw"] - ps), 5 * se + 1e-3)
    s = a.summary.loc["raw"]
    for mine, theirs in [("mean_n_selected", "mean_n_selected"), ("mean_rate_selected", "mean_rate_selected"),
                         ("mean_next_rate_selected", "mean_next_rate_selected"), ("mean_p_selected", "mean_p_selected")]:
        assert s[mine] == pytest.approx(b.summary[theirs], rel=0.02), mine
    units = a.units("raw")
    assert list(units.columns) == list(b.units.columns)  # one shape for both results
    assert units["n"].tolist() == n.tolist()
    assert units["rate_when_selected"].mean() == pytest.approx(b.units["rate_when_selected"].mean(), rel=0.05)
    with pytest.raises(ArgumentError):
        a.units("shrunk")


def test_compare_rules_truly_worst_found_when_counts_are_large():
    # big n and a wide spread of true rates: the raw rate finds the truly worst unit
    res = compare_rules([2000] * 6, 0.3, rules=["raw"], top=1, size=2_000, seed=3, strength=2.0)
    assert res.summary.loc["raw", "share_true_top"] > 0.95
    assert res.summary.loc["raw", "share_true_wide"] == 1.0  # wide = 10 is clipped to the 6 units
    assert res.wide == 6 and res.small == 6


def test_compare_rules_same_seed_same_numbers():
    kw = dict(n=[4, 9, 14, 30, 60], p=0.4, top=2, size=3_001, seed=123, strength=15)
    a, b = compare_rules(**kw), compare_rules(**kw)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.p_selected, b.p_selected)
    c = compare_rules(**(kw | {"seed": 124}))
    assert not a.p_selected.equals(c.p_selected)
    # the rules share the maps: a rule's numbers do not depend on which other rules run
    raw_only = compare_rules(**(kw | {"rules": {"raw rate": "raw"}}))
    np.testing.assert_array_equal(raw_only.p_selected["raw rate"], a.p_selected["raw"])
    # other block sizes change the random stream but not the answer
    d = compare_rules(**(kw | {"chunk": 100}))
    assert d.chunk == 100
    np.testing.assert_allclose(d.p_selected, a.p_selected, atol=0.05)
    np.testing.assert_allclose(d.p_selected.sum(), 2)


def test_compare_rules_pair_index_fallback(monkeypatch):
    import danmark.simulate.rules as sel

    kw = dict(n=[4, 9, 14, 30, 60], p=0.4, top=2, size=1_000, seed=7, strength=15)
    a = compare_rules(**kw)
    monkeypatch.setattr(sel, "_PAIR_TABLE_MAX", 0)  # np.unique instead of the lookup table
    b = compare_rules(**kw)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.p_selected, b.p_selected)


def test_compare_rules_progress(capsys):
    compare_rules([3, 4, 5], 0.5, top=1, size=200, seed=1, min_n=4)
    assert capsys.readouterr().err == ""
    compare_rules([3, 4, 5], 0.5, top=1, size=200, seed=1, min_n=4, progress=True)
    assert "compare_rules" in capsys.readouterr().err


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n": [5]},
        {"n": [5, 0, 6]},
        {"n": [5, 2.5, 6]},
        {"p": 0.0},
        {"p": 1.0},
        {"p": [0.3, 0.4, 0.5]},
        {"p": "x"},
        {"top": 3},
        {"top": 0},
        {"size": 0},
        {"chunk": 0},
        {"strength": 0},
        {"strength": -1.0},
        {"strength": float("inf")},
        {"strength": "wide"},
        {"prior": (1.0, -2.0)},
        {"prior": "fit"},
        {"min_n": 0},
        {"min_n": 6},  # only one unit has 6 cases: 'min_n' cannot pick two
        {"small": 0},
        {"wide": 0},
        {"rules": []},
        {"rules": ["raw", "best"]},
        {"rules": ["raw", "raw"]},
        {"rules": [3]},
        {"rules": [lambda k, n: k[:1]]},
        {"rules": [lambda k, n: np.array(["a"] * k.size)]},
    ],
)
def test_compare_rules_bad_input(kwargs):
    args = {"n": [5, 5, 6], "p": 0.3, "top": 2, "size": 10, "min_n": 5} | kwargs
    # bad counts, and a rule whose scores are not one number per pair, are data errors; settings are arguments
    data = "n" in kwargs or ("rules" in kwargs and kwargs["rules"] and callable(kwargs["rules"][0]))
    with pytest.raises(DataError if data else ArgumentError):
        compare_rules(**args)


def test_simulate_prior_fits():
    n = np.array([40, 60, 80, 100, 150, 200, 300] * 6)
    wide = simulate_prior_fits(n, 0.35, strength=20, size=12, seed=4)
    assert list(wide.columns) == ["mean", "strength", "sd", "pooled"] and wide.index.name == "map"
    assert not wide["pooled"].any()
    assert 10 < wide["strength"].median() < 40
    assert wide["mean"].median() == pytest.approx(0.35, abs=0.03)
    same = simulate_prior_fits(n, 0.35, strength=20, size=12, seed=4)
    pd.testing.assert_frame_equal(wide, same)
    # all equal: maps show little or no variation beyond chance (complete pooling), silently
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        equal = simulate_prior_fits(n, 0.35, size=6, seed=4)
    assert equal["pooled"].any() and (equal["strength"] > 100).all()
    np.testing.assert_allclose(equal.loc[equal["pooled"], "strength"], 1e6 * 300)
    # a map where no Beta fits (all k = 0) gives NaN
    tiny = simulate_prior_fits([1, 1], 0.01, size=3, seed=0)
    assert tiny["strength"].isna().all() and not tiny["pooled"].any()
    for bad in [{"size": 0}, {"method": "bayes"}, {"strength": -1}, {"p": 1.2}]:
        with pytest.raises(ArgumentError):
            simulate_prior_fits(**({"n": n, "p": 0.35} | bad))


def test_prob_at_least_beta_binomial():
    # strength -> infinity recovers the binomial; a finite strength fattens the tail
    from scipy import stats as st_

    from danmark import prob_at_least

    assert prob_at_least(10, 14, 0.36, strength=1e5) == pytest.approx(prob_at_least(10, 14, 0.36), rel=1e-3)
    assert prob_at_least(10, 14, 0.36, strength=30) > prob_at_least(10, 14, 0.36)
    want = st_.betabinom.sf(9, 14, 30 * 0.36, 30 * 0.64)
    assert prob_at_least(10, 14, 0.36, strength=30) == pytest.approx(want)
    with pytest.raises(ArgumentError, match="strength"):
        prob_at_least(10, 14, 0.36, strength=-1)
