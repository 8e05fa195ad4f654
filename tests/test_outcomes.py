"""Tests for danmark.stats.outcomes.outcome_split."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from danmark import ArgumentError, DataError, outcome_split
from danmark.stats.outcomes import OUTCOMES


def test_worked_example_exact_values():
    # Ankestyrelsen's worked example: 105 stadfæstet, 5 ændret, 19 hjemvist (n = 129).
    out = outcome_split([105], [5], [19], prior=(1, 1, 1), level=0.9)
    assert list(out["outcome"]) == list(OUTCOMES)
    assert list(out["count"]) == [105, 5, 19, 24]
    assert (out["n"] == 129).all()
    np.testing.assert_allclose(out["raw"], np.array([105, 5, 19, 24]) / 129)
    # Dirichlet(106, 6, 20): marginal Beta(a_i, 132 - a_i); omgjort Beta(26, 106)
    np.testing.assert_allclose(out["estimate"], np.array([106, 6, 20, 26]) / 132)
    a = np.array([106, 6, 20, 26])
    np.testing.assert_allclose(out["lower"], stats.beta.ppf(0.05, a, 132 - a))
    np.testing.assert_allclose(out["upper"], stats.beta.ppf(0.95, a, 132 - a))
    assert out["p_hjemvist_gt_aendret"].iloc[0] == pytest.approx(stats.beta.sf(0.5, 20, 6))


def test_against_dirichlet_sampling():
    rng = np.random.default_rng(17)
    counts = np.array([4, 1, 9])  # Solrød-like: 4 stadfæstet, 1 ændret, 9 hjemvist
    prior = np.array([0.5, 0.5, 0.5])
    draws = rng.dirichlet(prior + counts, size=400_000)
    shares = np.column_stack([draws, draws[:, 1] + draws[:, 2]])
    out = outcome_split(*counts, prior=prior)
    np.testing.assert_allclose(out["estimate"], shares.mean(axis=0), atol=2e-3)
    np.testing.assert_allclose(out["lower"], np.quantile(shares, 0.025, axis=0), atol=4e-3)
    np.testing.assert_allclose(out["upper"], np.quantile(shares, 0.975, axis=0), atol=4e-3)
    p = (draws[:, 2] > draws[:, 1]).mean()
    assert out["p_hjemvist_gt_aendret"].iloc[0] == pytest.approx(p, abs=3e-3)


def test_tidy_table_keeps_columns_and_index():
    cases = pd.DataFrame(
        {
            "kommune": ["Solrød", "Vordingborg"],
            "period": ["2020-2023H1", "2019"],
            "stadfaestet": [4, 4],
            "aendret": [1, 0],
            "hjemvist": [9, 5],
        },
        index=pd.Index([269, 390], name="kommunekode"),
    )
    out = outcome_split(cases)
    assert list(out.columns[:2]) == ["kommune", "period"]
    assert list(out.index) == [269] * 4 + [390] * 4 and out.index.name == "kommunekode"
    assert list(out.loc[390, "outcome"]) == list(OUTCOMES)
    assert list(out.loc[269, "count"]) == [4, 1, 9, 10]
    series_in = outcome_split(cases["stadfaestet"], cases["aendret"], cases["hjemvist"])
    assert list(series_in.index) == list(out.index)
    assert "kommune" not in series_in.columns


def test_zero_cases_give_prior():
    out = outcome_split([0], [0], [0], prior=(2, 1, 1))
    assert out["raw"].isna().all()
    np.testing.assert_allclose(out["estimate"], [0.5, 0.25, 0.25, 0.5])
    assert out["p_hjemvist_gt_aendret"].iloc[0] == pytest.approx(0.5)


def test_broadcast_and_array_index():
    out = outcome_split([3, 5], 1, [2, 0])
    assert out.index.name == "unit" and list(out.index) == [0] * 4 + [1] * 4
    assert list(out["count"]) == [3, 1, 2, 3, 5, 1, 0, 1]


@pytest.mark.parametrize(
    "args, kwargs",
    [
        (([3], [-1], [2]), {}),
        (([3], [1.5], [2]), {}),
        (([3], [1], [np.nan]), {}),
        (([3, 4], [1, 2, 3], [2]), {}),
        (([3], [1], [2]), {"prior": (1, 1)}),
        (([3], [1], [2]), {"prior": (1, 0, 1)}),
        (([3], [1], [2]), {"level": 1.2}),
        (([3], None, [2]), {}),
        (([], [], []), {}),
        ((["3"], [1], [2]), {}),
    ],
)
def test_bad_input(args, kwargs):
    # bad counts are data errors; a bad prior or level is an argument error
    with pytest.raises(ArgumentError if kwargs else DataError):
        outcome_split(*args, **kwargs)


def test_bad_table():
    with pytest.raises(DataError):
        outcome_split(pd.DataFrame({"stadfaestet": [1], "aendret": [2]}))
    with pytest.raises(DataError):
        outcome_split(pd.DataFrame({"stadfaestet": [1], "aendret": [2], "hjemvist": [1]}), [1], [1])


@settings(max_examples=60, deadline=None)
@given(
    s=st.integers(0, 300),
    a=st.integers(0, 300),
    h=st.integers(0, 300),
    prior=st.tuples(*[st.floats(0.1, 5)] * 3),
    level=st.floats(0.5, 0.999),
)
def test_properties(s, a, h, prior, level):
    out = outcome_split([s], [a], [h], prior=prior, level=level).set_index("outcome")
    assert (out["lower"] <= out["upper"]).all()
    if level >= 0.9 and min(prior) >= 0.5:
        # (a skewed Beta's mean can lie outside a narrow equal-tailed interval)
        assert (out["lower"] <= out["estimate"] + 1e-12).all()
        assert (out["estimate"] <= out["upper"] + 1e-12).all()
    assert ((out["lower"] >= 0) & (out["upper"] <= 1)).all()
    est = out["estimate"]
    assert est[["stadfaestet", "aendret", "hjemvist"]].sum() == pytest.approx(1)
    assert est["omgjort"] == pytest.approx(est["aendret"] + est["hjemvist"])
    assert 0 <= out["p_hjemvist_gt_aendret"].iloc[0] <= 1


# ----------------------------------------------------------- reclassify_hjemvist

def test_reclassify_hjemvist_national_boernehandicap_2019():
    # sm.dk Danmarkskort page (national.csv): 15.6 % ændret, 35.0 % hjemvist, 49.4 % stadfæstet = 50.6 %
    from danmark import reclassify_hjemvist

    out = reclassify_hjemvist(49.4, 15.6, 35.0, share=[0.0, 1.0])
    assert out["rate"].tolist() == pytest.approx([0.506, 0.156])
    ex = reclassify_hjemvist(49.4, 15.6, 35.0, share=1.0, treatment="exclude")
    assert ex["rate"].iloc[0] == pytest.approx(15.6 / 65.0)


def test_reclassify_hjemvist_counts_and_errors():
    from danmark import DataError, reclassify_hjemvist

    solrod = reclassify_hjemvist(4, 1, 9, share=0.5)  # Solrød 2020-H1 2023: 4/1/9
    assert solrod["rate"].iloc[0] == pytest.approx((1 + 4.5) / 14)
    with pytest.raises(ArgumentError, match="share"):
        reclassify_hjemvist(4, 1, 9, share=1.5)
    with pytest.raises(DataError, match="non-negative"):
        reclassify_hjemvist(4, -1, 9, share=0.5)
    with pytest.raises(ArgumentError, match="treatment"):
        reclassify_hjemvist(4, 1, 9, share=0.5, treatment="drop")
