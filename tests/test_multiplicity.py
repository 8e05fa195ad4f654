"""map_multiplicity: THE calculation of notebook 07 (cited by 02) stays stable."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import danmark
from danmark.errors import DataError


def _reference():
    return float(danmark.national_rate("voksenhandicap", "2020-2022")["omg_pct"].mean()) / 100


def test_the_taskforce_numbers_cited_by_02_and_07():
    counts = danmark.calibrated_case_counts("Solrød", 14, years=3.5, minimum=1).set_index("kommune")
    m = danmark.map_multiplicity(counts["n"], reference=_reference(), k=10, n_observed=14)
    assert counts.attrs["total_per_year"] == 1002 and counts.loc["Solrød", "n"] == 14
    assert m.summary["expected_as_improbable"] == pytest.approx(0.756, abs=5e-4)
    assert m.summary["p_any_as_improbable"] == pytest.approx(0.532, abs=5e-4)
    assert m.summary["tail"] == pytest.approx(stats.binom.sf(9, 14, _reference()))


def test_matches_brute_force_and_independence():
    n = pd.Series([1, 5, 14, 40], index=list("abcd"))
    m = danmark.map_multiplicity(n, reference=0.4, k=10, n_observed=14)
    tail = stats.binom.sf(9, 14, 0.4)
    for name, size in n.items():
        x = np.arange(size + 1)
        pmf, tails = stats.binom.pmf(x, size, 0.4), stats.binom.sf(x - 1, size, 0.4)
        assert m.units.loc[name, "p_as_improbable"] == pytest.approx(pmf[tails <= tail].sum())
        assert m.units.loc[name, "p_rate_at_least"] == pytest.approx(pmf[x / size >= 10 / 14 - 1e-12].sum())
    assert m.summary["p_any_as_improbable"] == pytest.approx(1 - np.prod(1 - m.units["p_as_improbable"]))
    assert m.without(["a"])["expected_at_rate"] == pytest.approx(m.units["p_rate_at_least"].drop("a").sum())


def test_bad_arguments():
    with pytest.raises(DataError):
        danmark.map_multiplicity([0, 3], reference=0.4, k=1, n_observed=2)
    with pytest.raises(DataError):
        danmark.map_multiplicity([3], reference=1.0, k=1, n_observed=2)
    with pytest.raises(DataError):
        danmark.map_multiplicity([3], reference=0.4, k=3, n_observed=2)
    with pytest.raises(DataError):
        danmark.calibrated_case_counts("Atlantis", 14, years=3.5)


def test_rank_on_aendret_and_overlap():
    t = pd.DataFrame({"stadfaestet": [4, 6, 5, 9], "aendret": [0, 3, 1, 1], "hjemvist": [6, 1, 4, 0]},
                     index=["A", "B", "C", "D"])
    out = danmark.rank_on_aendret(t, top=2)
    assert list(out.index) == ["A", "C", "B", "D"] and out.attrs["overlap"] == 1
    assert list(out.loc[["A", "B"], "rank_aendret"]) == [4, 1]
    n = pd.Series([30] * 12, index=[f"k{i}" for i in range(12)])
    sim = danmark.simulate_outcome_map(n, reference=0.4, aendret_share=0.25, seed=3)
    assert (sim[["stadfaestet", "aendret", "hjemvist"]].sum(axis=1) == 30).all() and sim["simulated"].all()
    same = danmark.aendret_selection_overlap(n, reference=0.4, aendret_share=0.999, share_strength=1e6, top=3,
                                             size=50, seed=4)
    assert same["mean_overlap"] > 2.5  # when (nearly) every reversal is ændret, the two rankings agree
    with pytest.raises(DataError):
        danmark.aendret_selection_overlap(n, reference=0.4, aendret_share=0.2, top=12)
