"""The bundled data, municipality names, periods, the tidy schema and count validation."""

import numpy as np
import pandas as pd
import pytest

import danmark
from danmark import DataError
from danmark._validate import as_counts, check_k_n
from danmark.table.periods import parse_period, period_label

# ---------------------------------------------------------------- names

@pytest.mark.parametrize(
    "spelling, expected",
    [
        ("Aarhus", ("751", "Aarhus")), ("Århus", ("751", "Aarhus")), ("Århus Kommune", ("751", "Aarhus")),
        ("Aalborg", ("851", "Aalborg")), ("Ålborg", ("851", "Aalborg")), ("ÅLBORG KOMMUNE", ("851", "Aalborg")),
        ("Høje-Taastrup", ("169", "Høje-Taastrup")), ("Høje Taastrup", ("169", "Høje-Taastrup")),
        ("Lyngby Taarbæk", ("173", "Lyngby-Taarbæk")), ("Nordfyn", ("480", "Nordfyns")),
        ("Nordfyns Kommune", ("480", "Nordfyns")), ("Bornholms Regionskommune", ("400", "Bornholm")),
        ("Kommune Solrød", ("269", "Solrød")), ("solrød", ("269", "Solrød")),
        (269, ("269", "Solrød")), ("269", ("269", "Solrød")), ("0269", ("269", "Solrød")), (269.0, ("269", "Solrød")),
        ("København", ("101", "København")), ("Helsingør Kommune", ("217", "Helsingør")),
    ],
)
def test_normalize_kommune_spellings(spelling, expected):
    assert danmark.normalize_kommune(spelling) == expected


def test_all_98_official_names_round_trip():
    m = danmark.municipalities()
    assert len(m) == 98 and m["kommunekode"].is_unique
    for code, name in zip(m["kommunekode"], m["kommune"], strict=True):
        assert danmark.normalize_kommune(name) == (code, name)
        assert danmark.normalize_kommune(int(code)) == (code, name)


def test_unknown_kommune_suggests_closest():
    with pytest.raises(DataError, match="did you mean 'Solrød'"):
        danmark.normalize_kommune("Solrøød")
    with pytest.raises(DataError, match="unknown kommunekode"):
        danmark.normalize_kommune(999)
    with pytest.raises(DataError, match="encoding"):
        danmark.normalize_kommune("SolrÃ¸d")
    with pytest.raises(DataError, match="missing"):
        danmark.normalize_kommune(None)


def test_national_total_only_when_allowed():
    assert danmark.normalize_kommune("Hele landet", allow_national=True) == ("000", "Hele landet")
    with pytest.raises(DataError):
        danmark.normalize_kommune("Hele landet")


def test_population_matches_published_national_total():
    # FOLK1A 2020K1: 5,822,763 including Christiansø (84), which is not a municipality
    assert int(danmark.municipalities()["population"].sum()) + 84 == 5_822_763


# ---------------------------------------------------------------- periods

@pytest.mark.parametrize(
    "label, canonical, start, end",
    [
        ("2024", "2024", "2024-01-01", "2024-12-31"),
        ("2022 - 4. kvartal", "2022Q4", "2022-10-01", "2022-12-31"),
        ("2022K4", "2022Q4", "2022-10-01", "2022-12-31"),
        ("2023H1", "2023H1", "2023-01-01", "2023-06-30"),
        ("2020-2023H1", "2020-2023H1", "2020-01-01", "2023-06-30"),
        ("2024M02", "2024M02", "2024-02-01", "2024-02-29"),
    ],
)
def test_parse_period(label, canonical, start, end):
    assert parse_period(label) == (canonical, pd.Timestamp(start), pd.Timestamp(end))
    if "M" not in canonical:
        assert period_label(start, end) == canonical


@pytest.mark.parametrize("bad", ["", "20x", "2023H3", "2022Q5", "2023-2020", None])
def test_parse_period_rejects(bad):
    with pytest.raises(DataError):
        parse_period(bad, file="f.csv", row=3, column="period")


# ---------------------------------------------------------------- counts

@pytest.mark.parametrize(
    "k, n, message",
    [
        ([11], [10], "exceeds"), ([-1], [3], "negative"), ([2.5], [3], "whole numbers"),
        (["3"], [4], "whole numbers"), ([np.nan], [3], "missing"), ([1, 2], [3, 4, 5], "different lengths"),
        ([np.inf], [3], "finite"), ([True], [3], "whole numbers"),
    ],
)
def test_check_k_n_rejects(k, n, message):
    with pytest.raises(DataError, match=message):
        check_k_n(k, n)


def test_check_k_n_names_series_label():
    k = pd.Series([3, 9], index=["Solrød", "Sorø"])
    n = pd.Series([4, 8], index=["Solrød", "Sorø"])
    with pytest.raises(DataError, match="row Sorø"):
        check_k_n(k, n)


def test_as_counts_accepts_whole_floats():
    assert as_counts([1.0, 2.0]).dtype == np.int64


# ---------------------------------------------------------------- schema

def _raw(**over):
    base = {"kommune": ["Solrød"], "period": ["2020-2023H1"], "area": ["voksenhandicap"],
            "stadfaestet": [4], "aendret": [1], "hjemvist": [9], "source": ["seed_solrod_2024"]}
    base.update(over)
    return pd.DataFrame(base)


def test_validate_cases_happy_path():
    out = danmark.validate_cases(_raw())
    assert list(out.columns) == danmark.CASE_COLUMNS
    assert out.loc[0, "region"] == "Region Sjælland"
    assert str(out["afvist"].dtype) == "Int64"


@pytest.mark.parametrize(
    "over, message, column",
    [
        ({"hjemvist": [-1]}, "negative", "hjemvist"),
        ({"hjemvist": [1.5]}, "whole number", "hjemvist"),
        ({"hjemvist": ["ni"]}, "must be numbers in a DataFrame", "hjemvist"),
        ({"hjemvist": [None]}, "missing", "hjemvist"),
        ({"kommune": ["Atlantis"]}, "unknown municipality", "kommune"),
        ({"period": ["sidste år"]}, "cannot read period", "period"),
        ({"source": [""]}, "source", "source"),
    ],
)
def test_validate_cases_rejects(over, message, column):
    with pytest.raises(DataError, match=message) as info:
        danmark.validate_cases(_raw(**over), file="mine.csv")
    assert info.value.file == "mine.csv" and info.value.row == 2 and info.value.column == column


def test_validate_cases_missing_columns_and_duplicates():
    with pytest.raises(DataError, match="missing required column"):
        danmark.validate_cases(_raw().drop(columns=["hjemvist"]))
    with pytest.raises(DataError, match="duplicate row"):
        danmark.validate_cases(pd.concat([_raw(), _raw()]))
    with pytest.raises(DataError, match="no rows"):
        danmark.validate_cases(_raw().iloc[:0])


def test_with_rates_excludes_afviste():
    # Ankestyrelsen's worked example: (19 + 5) / 129 = 18.6 %, printed as 19 %
    out = danmark.with_rates(pd.DataFrame({"stadfaestet": [105], "aendret": [5], "hjemvist": [19], "afvist": [40]}))
    assert out.loc[0, "n"] == 129 and out.loc[0, "omgjort"] == 24
    assert round(out.loc[0, "omg_pct"]) == 19


# ---------------------------------------------------------------- bundle

def test_load_cases_has_the_seed_facts():
    cases = danmark.load_cases().set_index("kommune")
    s = cases.loc["Solrød"]
    assert (s["n"], s["omgjort"], s["hjemvist"], s["aendret"], s["period"]) == (14, 10, 9, 1, "2020-2023H1")
    h = cases.loc["Helsingør"]
    assert (h["n"], h["aendret"], h["hjemvist"], h["period"]) == (22, 2, 10, "2024")


def test_every_bundled_row_has_a_known_source():
    keys = set(danmark.load_sources()["key"])
    for table in (danmark.load_cases(), danmark.load_national(), danmark.load_published_rates(), danmark.load_claims()):
        assert table["source"].notna().all()
        assert set(table["source"]) <= keys


def test_sources_table_is_complete():
    src = danmark.load_sources()
    assert src["key"].is_unique
    for col in ("publisher", "title", "url_or_document", "kind"):
        assert (src[col].str.strip() != "").all(), col


def test_cases_agree_with_printed_percentages():
    # Helsingør: 12 of 22 = 55 %, ændret 9 %, hjemvist 45 % (agenda item 25/30718); Solrød 71 %
    cases = danmark.load_cases().set_index("kommune")
    assert round(cases.loc["Helsingør", "omg_pct"]) == 55
    assert round(100 * 2 / 22) == 9 and round(100 * 10 / 22) == 45
    assert round(cases.loc["Solrød", "omg_pct"]) == 71


def test_published_counts_agree_with_published_percentages():
    pub = danmark.load_published_rates()
    both = pub.dropna(subset=["n", "omgjort", "omg_pct"])
    assert len(both) >= 3
    for _, r in both.iterrows():
        assert abs(100 * r["omgjort"] / r["n"] - r["omg_pct"]) <= 0.5 + 1e-9, r.to_dict()
    split = pub.dropna(subset=["pct_aendret", "pct_hjemvist", "omg_pct"])
    for _, r in split.iterrows():
        # each printed percentage is rounded to whole numbers (±0.5), so the sum may differ by 1.5
        assert abs(r["pct_aendret"] + r["pct_hjemvist"] - r["omg_pct"]) <= 1.5, r.to_dict()


def test_national_splits_add_up_within_rounding():
    nat = danmark.load_national()
    split = nat.dropna(subset=["pct_aendret", "pct_hjemvist", "omg_pct"])
    assert len(split) >= 10
    for _, r in split.iterrows():
        step = 0.1 if any(v != round(v) for v in (r["pct_aendret"], r["pct_hjemvist"], r["omg_pct"])) else 1.0
        assert abs(r["pct_aendret"] + r["pct_hjemvist"] - r["omg_pct"]) <= 1.5 * step + 1e-9, r.to_dict()
        if pd.notna(r["pct_stadfaestet"]):
            assert abs(r["omg_pct"] + r["pct_stadfaestet"] - 100) <= 1.5 * step + 1e-9, r.to_dict()


def test_exactly_one_preferred_national_figure_per_period_and_area():
    nat = danmark.load_national()
    with_rate = nat.dropna(subset=["omg_pct"])
    counts = with_rate.groupby(["period", "area"])["preferred"].sum()
    assert (counts == 1).all(), counts[counts != 1]


def test_exactly_one_preferred_published_rate_per_key():
    pub = danmark.load_published_rates()
    counts = pub.groupby(["kommunekode", "period", "area"])["preferred"].sum()
    assert (counts == 1).all(), counts[counts != 1]


def test_national_rate_lookup_marks_missing_years():
    nat = danmark.national_rate("voksenhandicap", "2020-2023H1")
    assert list(nat["period"]) == ["2020", "2021", "2022", "2023"]
    assert nat["omg_pct"].iloc[:3].tolist() == [42.4, 34.3, 38.9]
    assert np.isnan(nat["omg_pct"].iloc[3])


def test_boundaries_cover_the_98_municipalities():
    geo = danmark.load_boundaries()
    codes = {f["properties"]["kommunekode"] for f in geo["features"]}
    assert codes == set(danmark.municipalities()["kommunekode"])


def test_series_are_paired_by_label_never_by_position():
    k = pd.Series([1, 9], index=["a", "b"])
    n = pd.Series([20, 10], index=["b", "a"])  # the same units in another order: paired by label
    assert danmark.binomial_ci(k, n).loc["a", "raw"] == pytest.approx(0.1)
    assert danmark.shrink(k, n, prior=(2, 3)).loc["a", "n"] == 10
    assert check_k_n(k, n)[1].tolist() == [10, 20]
    other = pd.Series([20, 10], index=["b", "c"])  # different units: refused
    for call in (lambda: danmark.binomial_ci(k, other), lambda: danmark.shrink(k, other, prior=(2, 3)),
                 lambda: check_k_n(k, other)):
        with pytest.raises(DataError, match="different labels"):
            call()


def test_every_function_pairing_series_pairs_them_by_label():
    n = pd.Series([10, 200], index=["small", "big"])
    p = pd.Series([0.9, 0.1], index=["big", "small"])  # small's rate is 0.1
    res = danmark.simulate_selection(n, p, top=1, size=2000, seed=1)
    assert res.units.loc["big", "p_selected"] > 0.9
    k = pd.Series([5, 1], index=["big", "small"])
    assert danmark.prob_at_least(k, n, p)[1] == pytest.approx(danmark.prob_at_least(1, 10, 0.1))  # in k's order
    split = danmark.outcome_split(pd.Series([5, 50], index=["x", "y"]), pd.Series([1, 0], index=["y", "x"]),
                                  pd.Series([0, 4], index=["x", "y"]))
    assert split.loc[(split.index == "y") & (split["outcome"] == "aendret"), "count"].item() == 1
    thr = pd.Series([0.9, 0.01], index=["small", "big"])
    above = danmark.prob_above(pd.Series([1, 100], index=["small", "big"]), n, prior=(1, 1), reference=thr)
    assert above.loc["big", "prob_above"] > 0.99 and above.loc["small", "prob_above"] < 0.01


@pytest.mark.parametrize("bad", ["0.4", True, None, "abc", [0.2, "x"]])
def test_probabilities_and_levels_must_be_numbers(bad):
    from danmark._validate import check_level, check_probability

    # rates and levels passed to danmark are settings: a bad one is an ArgumentError
    with pytest.raises(danmark.ArgumentError):
        check_probability(bad)
    with pytest.raises(danmark.ArgumentError):
        check_level(bad)
    with pytest.raises(danmark.ArgumentError):
        danmark.binomial_ci(3, 10, level=bad)
