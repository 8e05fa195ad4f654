"""Tests for danmark.stats.ranks.rank_uncertainty."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from danmark import ArgumentError, DataError, rank_uncertainty

# Three units with independent Beta posteriors, e.g. 10/14, 30/90 and 3/20 reversed
# with a uniform prior.
POSTERIORS = {"Solrød": (11, 5), "Aarhus": (31, 61), "Læsø": (4, 18)}


def _p_greater(a, b):
    """P(theta_a > theta_b) for independent Beta posteriors, by numeric integration."""
    fa, fb = stats.beta(*POSTERIORS[a]), stats.beta(*POSTERIORS[b])
    return integrate.quad(lambda x: fa.pdf(x) * fb.cdf(x), 0, 1, epsabs=1e-12)[0]


def _p_highest(a):
    fa = stats.beta(*POSTERIORS[a])
    others = [stats.beta(*POSTERIORS[b]) for b in POSTERIORS if b != a]
    return integrate.quad(lambda x: fa.pdf(x) * np.prod([f.cdf(x) for f in others]), 0, 1, epsabs=1e-12)[0]


def _draws(size=200_000, seed=3):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({name: rng.beta(a, b, size) for name, (a, b) in POSTERIORS.items()})


def test_against_exact_integration():
    draws = _draws()
    out = rank_uncertainty(draws, top=1)
    units = list(POSTERIORS)
    s = len(draws)
    for u in units:
        # E[rank] = 1 + sum over the others of P(other > u); rank 1 = highest
        exact_mean = 1 + sum(_p_greater(v, u) for v in units if v != u)
        ranks_sd = 1.0  # ranks lie in 1..3
        assert out.loc[u, "mean_rank"] == pytest.approx(exact_mean, abs=5 * ranks_sd / np.sqrt(s))
        p = _p_highest(u)
        assert out.loc[u, "p_top"] == pytest.approx(p, abs=5 * np.sqrt(p * (1 - p) / s) + 1e-9)
    # P(rank <= 2) = 1 - P(lowest), checked for one unit
    low = 1 - rank_uncertainty(draws, top=2).loc["Aarhus", "p_top"]
    exact_low = integrate.quad(
        lambda x: stats.beta(*POSTERIORS["Aarhus"]).pdf(x)
        * stats.beta(*POSTERIORS["Solrød"]).sf(x)
        * stats.beta(*POSTERIORS["Læsø"]).sf(x),
        0,
        1,
    )[0]
    assert low == pytest.approx(exact_low, abs=0.005)
    assert list(out.index) == ["Solrød", "Aarhus", "Læsø"]  # sorted by mean rank


def test_columns_and_interval():
    out = rank_uncertainty(_draws(20_000), level=0.9)
    assert list(out.columns) == ["mean_rank", "median_rank", "rank_lower", "rank_upper", "p_top"]
    assert (out["rank_lower"] <= out["median_rank"]).all()
    assert (out["median_rank"] <= out["rank_upper"]).all()
    assert set(np.unique(out[["rank_lower", "rank_upper"]])) <= {1.0, 2.0, 3.0}
    assert (out["p_top"] == 1).all()  # the default top=4 covers all 3 units


def test_ties_get_average_rank_and_direction():
    draws = np.array([[0.3, 0.3, 0.1], [0.3, 0.3, 0.1]])
    out = rank_uncertainty(draws, names=["a", "b", "c"], top=1)
    assert out.loc["a", "mean_rank"] == 1.5 and out.loc["b", "mean_rank"] == 1.5
    assert out.loc["c", "mean_rank"] == 3
    assert out.loc["a", "p_top"] == 0.5  # a shared first place is shared: half each
    low = rank_uncertainty(draws, names=["a", "b", "c"], descending=False)
    assert low.loc["c", "mean_rank"] == 1 and low.index[0] == "c"


def test_array_input_default_names():
    out = rank_uncertainty(np.array([[1.0, 2.0], [3.0, 0.5]]), top=1)
    assert out.index.name == "unit"
    assert sorted(out.index) == [0, 1]


@pytest.mark.parametrize(
    "draws, kwargs",
    [
        (np.ones(5), {}),
        (np.ones((3, 1)), {}),
        (np.ones((0, 3)), {}),
        (np.array([[0.1, np.nan]]), {}),
        (np.array([[0.1, np.inf]]), {}),
        (np.ones((2, 3)), {"names": ["a", "b"]}),
        (np.ones((2, 2)), {"names": ["a", "a"]}),
        (np.ones((2, 3)), {"top": 0}),
        (np.ones((2, 3)), {"top": 1.5}),
        (np.ones((2, 3)), {"level": 1.0}),
        (pd.DataFrame({"a": [1.0], "b": [2.0]}), {"names": ["x", "y"]}),
        ([["a", "b"]], {}),
    ],
)
def test_bad_input(draws, kwargs):
    # bad draws are data errors; a bad top or level is an argument error
    with pytest.raises(ArgumentError if ("top" in kwargs or "level" in kwargs) else DataError):
        rank_uncertainty(draws, **kwargs)


@settings(max_examples=50, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 40), st.integers(2, 8)),
    seed=st.integers(0, 2**32 - 1),
    top=st.integers(1, 10),
)
def test_rank_bookkeeping(shape, seed, top):
    draws = np.random.default_rng(seed).integers(0, 4, size=shape).astype(float)  # many ties
    out = rank_uncertainty(draws, top=top)
    units = shape[1]
    assert out["mean_rank"].sum() == pytest.approx(units * (units + 1) / 2)
    assert ((out["mean_rank"] >= 1) & (out["mean_rank"] <= units)).all()
    assert (out["p_top"].between(0, 1)).all()
    # without ties exactly `top` units are in the top in every draw
    smooth = rank_uncertainty(draws + np.random.default_rng(seed).random(shape) * 1e-3, top=top)
    assert smooth["p_top"].sum() == pytest.approx(min(top, units))
    assert out["mean_rank"].is_monotonic_increasing
    again = rank_uncertainty(draws, top=top)
    pd.testing.assert_frame_equal(out, again)


def test_p_top_shares_tied_places():
    # two units tied in every draw, top = 1: each holds the first place half the time
    from danmark import rank_uncertainty

    out = rank_uncertainty([[0.5, 0.5, 0.1]] * 4, names=["A", "B", "C"], top=1)
    assert out.loc["A", "p_top"] == pytest.approx(0.5) and out.loc["B", "p_top"] == pytest.approx(0.5)
    assert out["p_top"].sum() == pytest.approx(1.0)
    out2 = rank_uncertainty([[0.5, 0.5, 0.5, 0.1]] * 3, names=list("ABCD"), top=2)
    assert out2["p_top"].sum() == pytest.approx(2.0)


@pytest.mark.parametrize("draws, column", [
    ("abc", "draws"), ([[0.1, 0.2], [0.3]], "draws"), ([["0.1", "0.2"]], "draws"), ([[1j, 0.1]], "draws"),
    (pd.DataFrame({"a": pd.date_range("2020", periods=2), "b": [0.1, 0.2]}), "draws"),
    (pd.DataFrame([[0.1, 0.2]], columns=["a", "a"]), "draws' columns"),
])
def test_bad_draws_are_data_errors_naming_the_argument(draws, column):
    with pytest.raises(DataError) as err:
        rank_uncertainty(draws)
    assert err.value.column == column


def test_descending_must_be_a_flag():
    with pytest.raises(ArgumentError) as err:
        rank_uncertainty([[0.1, 0.2]], descending="no")
    assert err.value.column == "descending"


def test_ranks_are_scipy_rankdata_with_ties():
    # the per-draw ranks come from pandas' rank; the numbers scipy.stats.rankdata gives, ties included
    rng = np.random.default_rng(19)
    draws = np.round(rng.beta(2, 3, size=(3000, 12)), 2)  # many ties
    out = rank_uncertainty(draws, top=3, level=0.9)
    ranks = stats.rankdata(-draws, method="average", axis=1)
    lo, hi = stats.rankdata(-draws, method="min", axis=1), stats.rankdata(-draws, method="max", axis=1)
    in_top = np.clip((3 - lo + 1) / (hi - lo + 1), 0.0, 1.0)
    lower, median, upper = np.quantile(ranks, [0.05, 0.5, 0.95], axis=0, method="inverted_cdf")
    expect = pd.DataFrame({"mean_rank": ranks.mean(axis=0), "median_rank": median, "rank_lower": lower,
                           "rank_upper": upper, "p_top": in_top.mean(axis=0)}, index=out.index.sort_values())
    pd.testing.assert_frame_equal(out.sort_index(), expect.sort_index(), check_exact=True, check_names=False)
