"""Rows whose ændret/hjemvist split is unknown, and Hele landet, through the table functions."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import danmark
from danmark import DataError, NationalTotalWarning

# invented counts, in the tidy layout a download with only n and Omgørelsesprocent gives
ROWS = pd.DataFrame({
    "kommune": ["Solrød", "Solrød", "Køge", "Hele landet"],
    "period": ["2021", "2022", "2022", "2022"],
    "area": ["voksenhandicap"] * 4,
    "stadfaestet": [4, 3, 8, 600],
    "aendret": pd.array([1, pd.NA, pd.NA, pd.NA], dtype="Int64"),
    "hjemvist": pd.array([2, pd.NA, pd.NA, pd.NA], dtype="Int64"),
    "omgjort": pd.array([3, 10, 2, 400], dtype="Int64"),
    "source": "invented",
})


def tidy():
    return danmark.validate_cases(ROWS)


def test_with_rates_uses_omgjort_where_the_split_is_unknown():
    out = danmark.with_rates(tidy())
    assert out["n"].tolist() == [7, 13, 10, 1000]
    assert out["omgjort"].tolist() == [3, 10, 2, 400]
    assert out["aendret"].isna().tolist() == [False, True, True, True]


def test_with_rates_refuses_a_row_without_any_count_of_reversals():
    bad = ROWS.copy()
    bad["omgjort"] = pd.array([3, pd.NA, 2, 400], dtype="Int64")
    with pytest.raises(DataError, match="no count of reversals|missing"):
        danmark.with_rates(bad)


def test_with_rates_refuses_an_omgjort_that_contradicts_the_split():
    bad = ROWS.copy()
    bad["omgjort"] = pd.array([4, 10, 2, 400], dtype="Int64")
    with pytest.raises(DataError, match="omgjort = 4 but aendret"):
        danmark.with_rates(bad)


def test_with_rates_refuses_negative_and_text_counts():
    df = pd.DataFrame({"stadfaestet": [-5], "aendret": [1], "hjemvist": [2]})
    with pytest.raises(DataError, match="negative"):
        danmark.with_rates(df)
    with pytest.raises(DataError, match="whole numbers"):
        danmark.with_rates(df.assign(stadfaestet=["5"]))


def test_aggregate_pools_omgjort_and_leaves_the_split_unknown():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pooled = danmark.aggregate(tidy(), by=["kommunekode", "area"])
    solrod = danmark.with_rates(pooled).set_index("kommune").loc["Solrød"]
    assert (solrod["n"], solrod["omgjort"], solrod["stadfaestet"]) == (20, 13, 7)
    assert pd.isna(solrod["aendret"]) and pd.isna(solrod["hjemvist"])


def test_the_tidy_csv_round_trip_keeps_omgjort(tmp_path):
    tidy().to_csv(tmp_path / "cases.csv", index=False)
    back = danmark.read_cases(tmp_path / "cases.csv")
    pd.testing.assert_frame_equal(danmark.with_rates(back)[["n", "omgjort"]],
                                  danmark.with_rates(tidy())[["n", "omgjort"]])


def test_outcome_split_refuses_rows_without_a_split():
    with pytest.raises(DataError, match="split is unknown for 3 row"):
        danmark.outcome_split(tidy())


def test_split_national():
    units, national = danmark.split_national(tidy())
    assert national["kommune"].tolist() == ["Hele landet"]
    assert "000" not in set(units["kommunekode"])


@pytest.mark.parametrize("func", ["fit_prior", "shrink", "prob_above", "hierarchical", "funnel_flags"])
def test_unit_level_analyses_leave_out_hele_landet(func):
    table = danmark.with_rates(tidy())
    table = pd.concat([table, table.assign(kommunekode="259", kommune="Køge", period="2019")])
    with pytest.warns(NationalTotalWarning, match="Hele landet"):
        out = getattr(danmark, func)(table)
    if isinstance(out, pd.DataFrame):
        assert "000" not in set(out["kommunekode"])
    elif func == "fit_prior":  # the national 400/1000 would pull the mean towards 0.4
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            units, _ = danmark.split_national(table)
            assert np.isclose(out.mean, danmark.fit_prior(units).mean)
