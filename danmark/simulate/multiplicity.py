"""Multiplicity on a searched map: how often a result as improbable as one kommune's turns up somewhere.

One kommune named in advance with 10 reversals out of 14 at a national rate of
38.5 % is rare (P(X >= 10) ≈ 0.013). But a map of 98 kommuner is searched, not
named in advance. :func:`map_multiplicity` computes, exactly (independent
binomial kommuner, no simulation), how many kommuner on such a map show

* a rate at least as high as the observed ``k / n_observed`` (each at its own
  n, so 1 of 1 counts), and
* a result **as improbable** as the observed one: a binomial tail
  ``P(X >= x | n_i, reference)`` no larger than the observed
  ``P(X >= k | n_observed, reference)`` — the fair multiple-comparison figure.

:func:`calibrated_case_counts` gives the case counts the taskforce scenario of
notebook 07 uses (population-proportional, calibrated so that one kommune's
expected count over the period equals its known count). Notebook 07 holds THE
calculation for Solrød; notebook 02 cites it by calling the same functions
with the same arguments::

    counts = calibrated_case_counts("Solrød", 14, years=3.5, minimum=1)
    reference = national_rate("voksenhandicap", "2020-2022")["omg_pct"].mean() / 100
    m = map_multiplicity(counts["n"], reference=reference, k=10, n_observed=14)
    m.summary["expected_as_improbable"], m.summary["p_any_as_improbable"]   # ≈ 0.76, 0.53
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._validate import as_counts, check_real
from ..errors import DataError
from .scenarios import population_case_counts

__all__ = ["map_multiplicity", "Multiplicity", "calibrated_case_counts"]


@dataclass(frozen=True)
class Multiplicity:
    """Result of :func:`map_multiplicity`.

    Attributes
    ----------
    units : DataFrame
        One row per kommune (caller's index): ``n``, ``p_rate_at_least``
        (chance its rate reaches ``k / n_observed``) and ``p_as_improbable``
        (chance of a result whose tail is no larger than the observed one).
    summary : Series
        ``tail`` (the observed one-sided tail), ``expected_at_rate``,
        ``p_any_at_rate``, ``p_any_at_rate_n_at_least`` (only kommuner with at
        least ``n_observed`` cases), ``expected_as_improbable`` and
        ``p_any_as_improbable``.
    reference, k, n_observed :
        The arguments.
    """

    units: pd.DataFrame
    summary: pd.Series
    reference: float
    k: int
    n_observed: int

    def without(self, names) -> pd.Series:
        """The summary recomputed with some kommuner left out (e.g. islands left off a list)."""
        kept = self.units.drop(index=list(names), errors="ignore")
        return _summary(kept, self.summary["tail"], self.n_observed)


def _summary(units: pd.DataFrame, tail: float, n_observed: int) -> pd.Series:
    at, rare = units["p_rate_at_least"], units["p_as_improbable"]
    return pd.Series({
        "tail": tail,
        "expected_at_rate": float(at.sum()),
        "p_any_at_rate": float(1 - np.prod(1 - at)),
        "p_any_at_rate_n_at_least": float(1 - np.prod(1 - at[units["n"] >= n_observed])),
        "expected_as_improbable": float(rare.sum()),
        "p_any_as_improbable": float(1 - np.prod(1 - rare)),
    })


def map_multiplicity(n, *, reference, k, n_observed, tail=None) -> Multiplicity:
    """How many kommuner on a searched map show a result as extreme as *k* of *n_observed*.

    Parameters
    ----------
    n : Series or array of int
        Every kommune's number of cases (each at least 1).
    reference : float
        The common true rate of every kommune (e.g. the national rate).
    k, n_observed : int
        The observed result (e.g. Solrød's 10 of 14).
    tail : float, optional
        The improbability to count results against; default the observed
        result's own tail ``P(X >= k | n_observed, reference)``. Give it to
        ask "as improbable as 1 in 77" on a map with another reference rate.

    Returns
    -------
    Multiplicity

    Examples
    --------
    >>> m = map_multiplicity(pd.Series([14, 14, 30], index=["A", "B", "C"]), reference=0.385, k=10, n_observed=14)
    >>> round(float(m.summary["tail"]), 4), round(float(m.summary["expected_as_improbable"]), 3)
    (0.013, 0.031)
    """
    index = n.index if isinstance(n, pd.Series) else None
    n_arr = np.atleast_1d(as_counts(n, "n")).ravel()
    if n_arr.size == 0:
        raise DataError("n is empty: give every kommune's number of cases", column="n")
    if (n_arr < 1).any():
        pos = int(np.flatnonzero(n_arr < 1)[0])
        raise DataError("every kommune needs at least one case", row=index[pos] if index is not None else pos,
                        column="n")
    p = check_real(reference, "reference", minimum=0, strict=True)
    if not p < 1:
        raise DataError(f"reference must lie strictly between 0 and 1; got {reference!r}", column="reference")
    k_obs = int(as_counts(k, "k"))
    n_obs = int(as_counts(n_observed, "n_observed"))
    if n_obs < 1 or k_obs > n_obs:
        raise DataError(f"need 0 <= k <= n_observed and n_observed >= 1; got {k_obs} of {n_obs}", column="k")
    if tail is None:
        tail = float(stats.binom.sf(k_obs - 1, n_obs, p))
    else:
        tail = check_real(tail, "tail", minimum=0, strict=True)
    k_rate = -(-k_obs * n_arr // n_obs)  # smallest x with x / n >= k / n_observed
    at_rate = stats.binom.sf(k_rate - 1, n_arr, p)
    as_rare = np.empty(n_arr.size)
    for i, m in enumerate(n_arr):
        tails = stats.binom.sf(np.arange(m + 1) - 1, m, p)  # P(X >= x) for x = 0..m, decreasing
        as_rare[i] = tails[tails <= tail].max(initial=0.0)
    units = pd.DataFrame({"n": n_arr, "p_rate_at_least": at_rate, "p_as_improbable": as_rare}, index=index)
    return Multiplicity(units=units, summary=_summary(units, tail, n_obs), reference=p, k=k_obs, n_observed=n_obs)


def calibrated_case_counts(kommune: str, n: int, *, years: float, minimum: int = 0) -> pd.DataFrame:
    """Population-proportional case counts, calibrated so that *kommune*'s expected count is *n*.

    The national total per year is ``round(n / (years · share))`` with
    ``share`` the kommune's share of the population (FOLK1A 2020); the counts
    are then :func:`danmark.population_case_counts` of that total. An
    assumption, not data (column ``simulated`` is True).

    Examples
    --------
    >>> counts = calibrated_case_counts("Solrød", 14, years=3.5, minimum=1)
    >>> int(counts.set_index("kommune").loc["Solrød", "n"]), counts.attrs["total_per_year"]
    (14, 1002)
    """
    from ..table.kommuner import municipalities

    m = municipalities().set_index("kommune")
    if kommune not in m.index:
        raise DataError(f"unknown kommune {kommune!r}", column="kommune")
    count = int(as_counts(n, "n"))
    yrs = check_real(years, "years", minimum=0, strict=True)
    share = m["population"] / m["population"].sum()
    total = round(count / (yrs * share[kommune]))
    out = population_case_counts(total, years=yrs, minimum=minimum)
    out.attrs["total_per_year"] = int(total)
    return out
