"""danmark.stats.what_if: what would it take, and which reference for a pooled period."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import danmark
from danmark import ArgumentError, DataError


def test_solrod_and_helsingor_numbers():
    out = danmark.what_it_takes([10, 12], [14, 22], reference=[0.385, 0.389], hjemvist=[9, 10])
    # each reversal is 7.1 points of Solrød's rate and 4.5 of Helsingør's (issue 8)
    assert out["points_per_case"].round(3).tolist() == [0.071, 0.045]
    assert out["fewer_reversals"].tolist() == [5, 4]
    assert out["hjemvist_left_out"].tolist() == [8, 6]
    assert (out["rate_after_fewer"] <= out["reference"]).all()
    assert (out["rate_after_left_out"] <= out["reference"]).all()
    # one fewer would not be enough: the counts are the smallest
    assert ((out["k"] - out["fewer_reversals"] + 1) / out["n"] > out["reference"]).all()
    left = out["hjemvist_left_out"] - 1
    assert ((out["k"] - left) / (out["n"] - left) > out["reference"]).all()
    assert out["enough_hjemvist"].all()


def test_already_at_or_below_reference_needs_nothing():
    out = danmark.what_it_takes([2, 5], [10, 10], reference=0.5)
    assert out["fewer_reversals"].tolist() == [0, 0]
    assert out["hjemvist_left_out"].tolist() == [0, 0]
    assert out["excess"].tolist() == [-3.0, 0.0]


def test_even_odds_matches_beta_posterior():
    out = danmark.what_it_takes(10, 14, reference=0.385, strength=30)
    j = int(out["fewer_for_even_odds"].iloc[0])
    a, b = 0.385 * 30, 0.615 * 30
    assert stats.beta.sf(0.385, a + 10 - j, b + 4 + j) <= 0.5 < stats.beta.sf(0.385, a + 11 - j, b + 3 + j)
    assert out["prob_above"].iloc[0] == pytest.approx(stats.beta.sf(0.385, a + 10, b + 4))


def test_period_references_bracket_and_windows():
    refs = danmark.period_references({"2020": 0.424, "2021": 0.343, "2022": 0.389},
                                     weights={"2020": 1, "2021": 1, "2022": 0.5}, window=2)
    assert refs["lowest"] == 0.343 and refs["highest"] == 0.424
    assert refs["2021–2022"] == pytest.approx(0.366)
    assert refs["pooled"] == pytest.approx((0.424 + 0.343 + 0.5 * 0.389) / 2.5)
    assert "2020–2021" in refs.index
    assert "2020–2021" not in danmark.period_references({"2020": 0.4, "2021": 0.3}, window=0).index


def test_period_sensitivity_matches_binomial_and_beta():
    refs = pd.Series({"a": 0.3, "b": 0.46})
    out = danmark.period_sensitivity(10, 14, refs, strength=30, level=0.9)
    assert out.loc["a", "p_value"] == pytest.approx(stats.binom.sf(9, 14, 0.3))
    a1, b1 = 0.46 * 30 + 10, 0.54 * 30 + 4
    assert out.loc["b", "prob_above"] == pytest.approx(stats.beta.sf(0.46, a1, b1))
    assert out.loc["b", "lower"] == pytest.approx(stats.beta.ppf(0.05, a1, b1))
    assert np.all(out["lower"] < out["estimate"]) and np.all(out["estimate"] < out["upper"])
    assert "prob_above" not in danmark.period_sensitivity(10, 14, refs).columns


def test_practice_change_moves_the_gap_only_by_the_disproportion():
    out = danmark.practice_change([0.02, 0.1], ratio=[0.5, 1, 3], rate=0.62, reference=0.506)
    assert len(out) == 6
    assert np.allclose(out["gap_without"] - out["gap"], -(out["ratio"] - 1) * out["affected"])
    same = out[out["ratio"] == 1]
    assert np.allclose(same["gap_without"], same["gap"])
    assert np.allclose(out["reference_without"], 0.506 - out["affected"])
    assert "gap" not in danmark.practice_change(0.05).columns


@pytest.mark.parametrize("call", [
    lambda: danmark.practice_change(1.0),
    lambda: danmark.practice_change(0.1, ratio=-1),
    lambda: danmark.practice_change(0.1, rate=0.5),
    lambda: danmark.practice_change("0.1"),
    lambda: danmark.what_it_takes(15, 14, reference=0.4),
    lambda: danmark.what_it_takes(1, 0, reference=0.4),
    lambda: danmark.what_it_takes(10, 14, reference=1.2),
    lambda: danmark.what_it_takes(10, 14, reference="0.4"),
    lambda: danmark.what_it_takes(10, 14, reference=0.4, hjemvist=11),
    lambda: danmark.what_it_takes(10, 14, reference=0.4, strength=0),
    lambda: danmark.what_it_takes([10, 3], [14, 5], reference=[0.3, 0.4, 0.5]),
    lambda: danmark.period_references([0.4, 0.3]),
    lambda: danmark.period_references({}),
    lambda: danmark.period_references({"2020": 0.4}, weights={"2019": 1}),
    lambda: danmark.period_references({"2020": 0.4}, window=-1),
    lambda: danmark.period_sensitivity([1, 2], [3, 4], {"a": 0.3}),
    lambda: danmark.period_sensitivity(10, 14, {"a": 0.3}, level=95),
])
def test_bad_input_is_a_data_or_argument_error(call):
    with pytest.raises((DataError, ArgumentError)):
        call()
