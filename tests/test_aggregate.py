"""Pooling periods and areas. All counts here are invented for the tests."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from danmark import DataError
from danmark.io import ReaderWarning, read_statbank, read_talportal, validate_cases
from danmark.io.aggregate import MissingPeriodsWarning, aggregate
from danmark.table.schema import CASE_COLUMNS

FIX = Path(__file__).parent / "fixtures"


def cases(rows, source="made_up"):
    df = pd.DataFrame(rows, columns=["kommune", "period", "area", "stadfaestet", "aendret", "hjemvist", "afvist"])
    df["afvist"] = df["afvist"].astype("Int64")
    df["source"] = source
    return validate_cases(df)


SOLROD = cases([
    ("Solrød", "2020", "SEL § 96", 1, 0, 3, 0),
    ("Solrød", "2021", "SEL § 96", 2, 1, 2, 1),
    ("Solrød", "2022", "SEL § 107", 0, 0, 2, 0),
    ("Solrød", "2023H1", "SEL § 107", 1, 0, 2, 0),
    ("Køge", "2021", "SEL § 96", 5, 1, 1, 0),
])


def missing_periods(match="Køge"):
    return pytest.warns(MissingPeriodsWarning, match=match)


def test_pools_years_and_a_half_year_into_one_row_per_kommune():
    with missing_periods():
        out = aggregate(SOLROD)
    assert list(out.columns) == CASE_COLUMNS
    assert list(out["kommune"]) == ["Solrød", "Køge"]
    sol = out.iloc[0]
    assert (sol["stadfaestet"], sol["aendret"], sol["hjemvist"], sol["afvist"]) == (4, 1, 9, 1)
    # one span label for every kommune, even one with rows in a single year
    assert set(out["period"]) == {"2020-2023H1"}
    assert out["period_start"].iloc[1] == pd.Timestamp("2020-01-01")
    assert out["period_end"].iloc[1] == pd.Timestamp("2023-06-30")
    assert set(out["area"]) == {"SEL § 96 + SEL § 107"}
    pd.testing.assert_frame_equal(out, validate_cases(out))


def test_labels_can_be_given():
    with missing_periods():
        out = aggregate(SOLROD, area_label="SEL §§ 96 og 107", period_label="2020 - 2023H1")
    assert out["area"].iloc[0] == "SEL §§ 96 og 107"
    assert out["period"].iloc[0] == "2020-2023H1"
    with pytest.raises(DataError, match="covers"):
        aggregate(SOLROD, period_label="2020-2023")


def test_quarters_pool_to_the_year():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # both kommuner have all four quarters
        out = aggregate(read_talportal(FIX / "talportal_quarterly.csv"))
    assert list(out["period"]) == ["2022", "2022"]
    assert out["stadfaestet"].tolist() == [3 + 2 + 4 + 2, 20 + 18 + 25 + 19]


def test_by_keeps_periods_or_areas_apart():
    with missing_periods():
        by_area = aggregate(SOLROD, by=["kommune", "area"])
    assert len(by_area) == 3
    assert set(by_area["period"]) == {"2020-2023H1"}
    by_period = aggregate(SOLROD, by="period")
    assert len(by_period) == len(SOLROD)
    assert list(by_period["period"][:4]) == ["2020", "2021", "2022", "2023H1"]
    same = aggregate(SOLROD, by=["kommunekode", "period", "area"])
    pd.testing.assert_frame_equal(same, SOLROD)


def test_selecting_periods_and_areas():
    with missing_periods(r"Køge \(2020\)"):
        out = aggregate(SOLROD, periods=["2020", "2021"])
    assert out["period"].iloc[0] == "2020-2021" and out["stadfaestet"].iloc[0] == 3
    within = aggregate(SOLROD, periods="2022-2023")
    assert list(within["kommune"]) == ["Solrød"] and within["period"].iloc[0] == "2022-2023H1"
    only = aggregate(SOLROD, areas="SEL § 107")
    assert only["area"].iloc[0] == "SEL § 107" and only["period"].iloc[0] == "2022-2023H1"
    with pytest.raises(DataError, match="'2019' not in the table"):
        aggregate(SOLROD, periods=["2019", "2020"])
    with pytest.raises(DataError, match="'SEL § 85' not in the table"):
        aggregate(SOLROD, areas=["SEL § 85"])
    with pytest.raises(DataError, match="no rows lie within"):
        aggregate(SOLROD, periods="2015")


def test_refuses_overlapping_periods():
    df = cases([
        ("Solrød", "2022", "x", 1, 0, 3, 0),
        ("Solrød", "2022K4", "x", 1, 0, 1, 0),
    ])
    with pytest.raises(DataError, match="overlapping periods '2022' and '2022Q4'"):
        aggregate(df)
    # different areas in the same period are fine
    ok = cases([("Solrød", "2022", "x", 1, 0, 3, 0), ("Solrød", "2022K4", "y", 1, 0, 1, 0)])
    assert aggregate(ok)["stadfaestet"].iloc[0] == 2


def test_refuses_overlap_hidden_behind_a_shorter_period():
    df = cases([
        ("Solrød", "2020-2022", "x", 1, 0, 3, 0),
        ("Solrød", "2021H1", "x", 1, 0, 1, 0),
        ("Solrød", "2022Q3", "x", 1, 0, 1, 0),
    ])
    with pytest.raises(DataError, match="overlapping"):
        aggregate(df)


def test_refuses_nested_areas():
    with pytest.warns(ReaderWarning, match="regions"):
        sb = read_statbank(FIX / "statbank_ankeast1_semicolon_utf8.csv")
    with pytest.raises(DataError, match="contains"):
        aggregate(sb, periods=["2022"])
    assert aggregate(sb, periods=["2022"], areas=["1 Serviceloven"])["stadfaestet"].tolist() == [5000, 9, 200]
    tp = read_talportal(FIX / "talportal_bom.csv")
    with pytest.raises(DataError, match="part of socialomraadet"):
        aggregate(tp)


def test_gap_needs_a_label():
    df = cases([("Solrød", "2020", "x", 1, 0, 3, 0), ("Solrød", "2022", "x", 1, 0, 1, 0)])
    with pytest.raises(DataError, match="gap from 2021-01-01 to 2021-12-31"):
        aggregate(df)
    out = aggregate(df, period_label="2020 og 2022")
    assert out["period"].iloc[0] == "2020 og 2022" and out["stadfaestet"].iloc[0] == 2


def test_afvist_is_na_when_any_pooled_row_is_na():
    df = cases([
        ("Solrød", "2021", "x", 1, 0, 3, 2),
        ("Solrød", "2022", "x", 1, 0, 1, None),
        ("Køge", "2022", "x", 1, 0, 1, 4),
    ])
    with missing_periods(r"Køge \(2021\)"):
        out = aggregate(df)
    assert out["afvist"].dtype == "Int64"
    assert out["afvist"].iloc[0] is pd.NA and out["afvist"].iloc[1] == 4


def test_sources_are_joined():
    a = cases([("Solrød", "2021", "x", 1, 0, 3, 0)], source="a")
    b = cases([("Solrød", "2022", "x", 1, 0, 1, 0)], source="b")
    c = cases([("Solrød", "2023", "x", 1, 0, 1, 0)], source="a")
    assert aggregate(pd.concat([a, b, c]))["source"].iloc[0] == "a+b"


def test_a_kommune_missing_pooled_periods_is_named_in_a_warning():
    # Køge has a row for 2021 only: its 2020, 2022 and 2023H1 are read as zero decisions
    with pytest.warns(MissingPeriodsWarning, match=r"1 of 2 kommuner have no row for some of the pooled "
                      r"periods, which are counted as zero decisions: Køge \(2020, 2022, 2023H1\)") as record:
        aggregate(SOLROD)
    assert len(record) == 1


def test_missing_periods_are_named_per_area_when_areas_stay_apart():
    with pytest.warns(MissingPeriodsWarning, match=r"3 of 3 kommune × area groups.*Solrød / SEL § 96 "
                      r"\(2022, 2023H1\); Solrød / SEL § 107 \(2020, 2021\); Køge / SEL § 96 "
                      r"\(2020, 2022, 2023H1\)"):
        aggregate(SOLROD, by=["kommune", "area"])


def test_quarters_and_a_year_cover_each_other_without_a_warning():
    df = cases([("Solrød", f"2022K{q}", "x", 1, 0, 1, 0) for q in range(1, 5)] + [("Køge", "2022", "x", 4, 0, 4, 0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = aggregate(df)
    assert out["period"].tolist() == ["2022", "2022"] and out["stadfaestet"].tolist() == [4, 4]


def test_bad_arguments_and_tables():
    with pytest.raises(DataError, match="by='region'"):
        aggregate(SOLROD, by="region")
    with pytest.raises(DataError, match="area_label"):
        aggregate(SOLROD, by="area", area_label="x")
    with pytest.raises(DataError, match="period_label"):
        aggregate(SOLROD, by="period", period_label="2020")
    bad = SOLROD.copy()
    bad.loc[2, "hjemvist"] = -1
    with pytest.raises(DataError, match="negative"):
        aggregate(bad)
    with pytest.raises(DataError, match="DataFrame"):
        aggregate([1, 2])


years = st.sampled_from(["2019", "2020", "2021", "2022"])
kommuner = st.sampled_from(["Solrød", "Køge", "Hele landet"])
n = st.integers(0, 50)


@pytest.mark.filterwarnings("ignore::danmark.io.aggregate.MissingPeriodsWarning")
@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(kommuner, years, st.sampled_from(["a", "b"]), n, n, n, n), min_size=1, max_size=20,
                unique_by=lambda r: r[:3]))
def test_pooling_keeps_every_count(rows):
    df = cases(rows)
    out = aggregate(df, by=["kommune", "area"], period_label="pooled")
    for c in ["stadfaestet", "aendret", "hjemvist", "afvist"]:
        assert out[c].sum() == df[c].sum()
    per = df.groupby(["kommunekode", "area"])["hjemvist"].sum()
    got = out.set_index(["kommunekode", "area"])["hjemvist"]
    assert got.sort_index().tolist() == per.sort_index().tolist()
