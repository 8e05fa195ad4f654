"""Pairwise posterior probabilities and report-card grades against independent computations."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

import danmark


def _random_pi(rng, units, spread=1.0):
    """π from independent normal posteriors with random means and sds (a consistent, realistic π)."""
    mean = rng.normal(0, spread, units)
    sd = rng.uniform(0.2, 1.0, units)
    pi = stats.norm.cdf((mean[:, None] - mean[None, :]) / np.sqrt(sd[:, None] ** 2 + sd[None, :] ** 2))
    np.fill_diagonal(pi, 0.0)
    return pi


def _brute_force(pi, lam):
    """Best objective over every weak order of the units (grade vectors using 1..m with no gaps)."""
    n = pi.shape[0]
    best, best_g = -np.inf, None
    for g in itertools.product(range(1, n + 1), repeat=n):
        if set(g) != set(range(1, max(g) + 1)):
            continue
        ga = np.array(g)
        D = ga[:, None] < ga[None, :]
        value = (lam * pi * D).sum() - (pi.T * D).sum()
        if value > best + 1e-12:
            best, best_g = value, ga
    return best, best_g


@pytest.mark.parametrize("units, seed, lam", [(3, 0, 0.25), (4, 1, 0.25), (5, 2, 0.25), (5, 3, 1.0),
                                              (5, 4, 0.5), (6, 5, 0.25), (6, 6, 0.1), (6, 7, 1.0)])
def test_grades_match_brute_force(units, seed, lam):
    rng = np.random.default_rng(seed)
    pi = _random_pi(rng, units, spread=1.5)
    r = danmark.grades(pi, lam=lam)
    best, _ = _brute_force(pi, lam)
    assert r.status == "optimal" and r.gap == 0
    assert r.objective == pytest.approx(best, abs=1e-9)
    assert r.bound == pytest.approx(best, abs=1e-6)
    g = r.grade.to_numpy()
    assert sorted(set(g)) == list(range(1, g.max() + 1))


def test_grades_match_brute_force_for_an_incoherent_pi():
    """π that no linear order explains (a cycle) still gets the exact optimum."""
    pi = np.array([[0, .9, .1, .85], [.1, 0, .9, .8], [.9, .1, 0, .95], [.15, .2, .05, 0]])
    for lam in (0.25, 0.5, 1.0):
        r = danmark.grades(pi, lam=lam)
        assert r.objective == pytest.approx(_brute_force(pi, lam)[0], abs=1e-9)


def test_two_units_get_different_grades_exactly_when_pi_exceeds_the_threshold():
    for lam in (0.1, 0.25, 0.9):
        cut = 1 / (1 + lam)
        for p in (cut - 0.01, cut + 0.01):
            g = danmark.grades([[0, p], [1 - p, 0]], lam=lam).grade.tolist()
            assert g == ([1, 2] if p > cut else [1, 1])


def test_adjacent_grades_are_supported_on_average():
    """In an optimal grading, the pairs split by two adjacent grades have mean π > 1/(1+λ)."""
    rng = np.random.default_rng(11)
    pi = _random_pi(rng, 25, spread=2.0)
    for lam in (0.25, 0.5):
        r = danmark.grades(pi, lam=lam)
        g = r.grade.to_numpy()
        assert r.status == "optimal" and r.n_grades >= 2
        for a in range(1, r.n_grades):
            upper, lower = g == a, g == a + 1
            assert pi[np.ix_(upper, lower)].mean() > 1 / (1 + lam)
        pairs = r.expected_pairs(pi)
        assert lam * pairs["correct"] - pairs["misordered"] == pytest.approx(r.objective)


def test_grades_of_a_labelled_pi_and_condorcet():
    pi = pd.DataFrame(_random_pi(np.random.default_rng(3), 5, spread=3.0), index=list("abcde"), columns=list("abcde"))
    r = danmark.grades(pi, lam=1.0)
    assert list(r.grade.index) == list("abcde")
    # with λ = 1 and a π from a linear order, every pair with π > 1/2 is ordered
    order = (-pi.sum(axis=1)).rank().astype(int)
    assert r.grade.tolist() == order.tolist()


def test_pairwise_prob_beta_matches_quadrature_and_monte_carlo():
    post = danmark.shrink([4, 12, 5, 30], [14, 22, 40, 90], prior=danmark.BetaPrior(2, 6))
    pi = danmark.pairwise_prob(post)
    a, b = post["alpha1"].to_numpy(), post["beta1"].to_numpy()
    for i, j in [(0, 1), (0, 2), (2, 3), (3, 1)]:
        exact, _ = integrate.quad(lambda x, i=i, j=j: stats.beta.pdf(x, a[i], b[i]) * stats.beta.cdf(x, a[j], b[j]), 0, 1,
                                  epsabs=1e-12, limit=200)
        assert pi.iloc[i, j] == pytest.approx(exact, abs=1e-6)
    rng = np.random.default_rng(0)
    draws = rng.beta(a, b, size=(200_000, 4))
    mc = danmark.pairwise_prob(draws)
    np.testing.assert_allclose(mc.to_numpy(), pi.to_numpy(), atol=5e-3)
    np.testing.assert_allclose(pi.to_numpy() + pi.to_numpy().T + np.eye(4), 1.0, atol=1e-12)


def test_pairwise_prob_from_draws_counts_ties_neither_way_and_names():
    draws = pd.DataFrame({"x": [1.0, 2.0, 3.0, 3.0], "y": [2.0, 1.0, 3.0, 0.0]})
    pi = danmark.pairwise_prob(draws)
    assert pi.loc["x", "y"] == 0.5 and pi.loc["y", "x"] == 0.25
    with pytest.raises(danmark.DataError, match="names"):
        danmark.pairwise_prob(draws, names=["a"])


def test_pairwise_prob_from_a_hierarchical_result():
    r = danmark.hierarchical([3, 10, 20, 5], [30, 30, 30, 30], seed=1)
    pi = danmark.pairwise_prob(r, size=2000, seed=2)
    assert pi.shape == (4, 4)
    assert pi.iloc[2, 0] > 0.95 and pi.iloc[0, 2] < 0.05


def test_bad_input():
    with pytest.raises(danmark.DataError):
        danmark.grades([[0, 0.9], [0.9, 0]])
    with pytest.raises(danmark.DataError):
        danmark.grades([[0, 0.5]])
    with pytest.raises(danmark.ArgumentError):
        danmark.grades([[0, 0.5], [0.5, 0]], lam=2)


# --------------------------------------------------------------------------- hostile input (issue 21)

BAD_DRAWS = {
    "text": "abc",
    "text rows": [["a", "b"], ["c", "d"]],
    "numbers as text": [["0.1", "0.2"], ["0.3", "0.1"]],
    "ragged": [[0.1, 0.2], [0.3]],
    "one-dimensional": [0.1, 0.2, 0.3],
    "three-dimensional": np.zeros((2, 2, 2)),
    "scalar": 0.5,
    "None": None,
    "booleans": [[True, False], [False, True]],
    "dict": {"a": 1},
    "empty": [],
    "one unit": [[0.2], [0.3]],
    "NaN": [[0.1, np.nan], [0.3, 0.1]],
    "complex": [[1j, 0], [0, 1]],
    "objects": [[object(), 1], [1, 2]],
    "text column": pd.DataFrame({"a": ["x", "y"], "b": [0.1, 0.2]}),
    "date columns": pd.DataFrame({"a": pd.date_range("2020", periods=2), "b": pd.date_range("2021", periods=2)}),
}


@pytest.mark.parametrize("what", sorted(BAD_DRAWS))
def test_bad_draws_and_bad_pi_are_data_errors_naming_the_argument(what):
    value = BAD_DRAWS[what]
    with pytest.raises(danmark.DataError) as err:
        danmark.pairwise_prob(value)
    assert err.value.column == "draws"
    assert "draws x units" in str(err.value) or "finite numbers" in str(err.value)  # says what would be valid
    with pytest.raises(danmark.DataError) as err:
        danmark.grades(value)
    assert err.value.column == "pi"
    assert "square" in str(err.value) or "finite numbers" in str(err.value)


@pytest.mark.parametrize("names", [["a"], "ab", 3, ["a", "a"], None])
def test_bad_names_are_a_data_error(names):
    draws = [[0.1, 0.2], [0.3, 0.1]]
    if names is None:
        assert danmark.pairwise_prob(draws).shape == (2, 2)
        return
    with pytest.raises(danmark.DataError) as err:
        danmark.pairwise_prob(draws, names=names)
    assert err.value.column == "names"


@pytest.mark.parametrize("column, value", [("alpha1", np.nan), ("alpha1", -1.0), ("beta1", np.inf), ("beta1", "x")])
def test_a_shrink_table_with_impossible_posteriors_is_a_data_error(column, value):
    post = danmark.shrink([4, 12, 5], [14, 22, 40], prior=(2, 6)).astype({column: object})
    post.loc[post.index[0], column] = value
    with pytest.raises(danmark.DataError) as err:
        danmark.pairwise_prob(post)
    assert err.value.column == column


def test_beta_pairwise_resolves_narrow_posteriors_and_huge_strengths():
    """A narrow posterior among wide ones fell between grid points (error 2e-4); a + b = 1e300 gave NaN."""
    a, b = np.array([2.0, 3e6, 3.00003e6, 50.0]), np.array([8.0, 7e6, 7e6, 50.0])
    post = pd.DataFrame({"alpha1": a, "beta1": b})
    pi = danmark.pairwise_prob(post)
    exact, _ = integrate.quad(lambda x: stats.beta.pdf(x, a[2], b[2]) * stats.beta.cdf(x, a[1], b[1]),
                              *stats.beta.ppf([1e-14, 1 - 1e-14], a[2], b[2]), epsabs=1e-13, limit=500)
    assert pi.iloc[2, 1] == pytest.approx(exact, abs=1e-5)
    huge = danmark.pairwise_prob(pd.DataFrame({"alpha1": [1e300, 3e21, 3.0000001e21, 5.0],
                                               "beta1": [10.0, 7e21, 7e21, 5.0]}))
    assert np.isfinite(huge.to_numpy()).all()
    assert huge.iloc[0, 3] == pytest.approx(1.0) and huge.iloc[2, 1] == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize("kwargs", [{"size": 0}, {"size": 2.5}, {"size": 10**12}, {"size": 10**8},
                                    {"seed": "abc"}, {"seed": 1.5}, {"seed": -1}, {"seed": True}])
def test_bad_size_and_seed_for_a_hierarchical_result_are_argument_errors(kwargs):
    r = danmark.hierarchical([3, 10, 20, 5], [30, 30, 30, 30], grid_size=10, mix_size=8, seed=1)
    with pytest.raises(danmark.ArgumentError) as err:
        danmark.pairwise_prob(r, **kwargs)
    assert err.value.column == next(iter(kwargs))


def test_grades_pairs_a_dataframe_by_label_and_refuses_other_labels():
    pi = pd.DataFrame([[0, 0.95, 0.99], [0.05, 0, 0.6], [0.01, 0.4, 0]], index=list("abc"), columns=list("abc"))
    shuffled = pi.loc[:, ["c", "a", "b"]]
    assert danmark.grades(shuffled).grade.tolist() == danmark.grades(pi).grade.tolist()
    with pytest.raises(danmark.DataError, match="same units"):
        danmark.grades(pi.set_axis(list("xyz"), axis=1))
    with pytest.raises(danmark.DataError, match="distinct"):
        danmark.grades(pi.set_axis(list("aab"), axis=0).set_axis(list("aab"), axis=1))
    with pytest.raises(danmark.DataError, match=r"π_ij \+ π_ji"):
        danmark.grades([[0, 0.9], [0.9, 0]])
    with pytest.raises(danmark.DataError, match="at most"):
        danmark.grades(np.zeros((400, 400)))
