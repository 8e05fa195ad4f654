"""How certain is a league-table position? Rank distributions from posterior draws.

Ranking kommuner by their omgørelsesprocent invites statements like "the
third worst in the country". With posterior draws of each kommune's true rate
(from :func:`danmark.hierarchical` or from independent Beta posteriors), every
draw gives one complete ranking; across draws each unit gets a distribution of
ranks, whose spread says how much the league table can be trusted
(Goldstein & Spiegelhalter 1996; Marshall & Spiegelhalter 1998).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._defaults import DEFAULT_LEVEL
from .._validate import check_flag, check_level, check_whole
from ..errors import DataError
from .draws import as_draws

__all__ = ["rank_uncertainty"]


def rank_uncertainty(draws, names=None, *, top: int = 4, level: float = DEFAULT_LEVEL,
                     descending: bool = True) -> pd.DataFrame:
    """Distribution of each unit's rank across posterior draws.

    Parameters
    ----------
    draws : Draws, array (draws × units), DataFrame with one column per unit, or HierarchicalResult
        Posterior draws of the units' rates: finite real numbers, at least one
        draw of at least two units (text, booleans and ragged rows are a
        :class:`~danmark.DataError`); any kind
        :func:`danmark.stats.draws.as_draws` reads (from a fitted model, 4000
        of its draws with its own seed).
    names : sequence, optional
        Distinct unit labels for an array, one per column (default 0, 1, ...).
    top : int
        ``p_top`` is the probability of being among the *top* units (1 when
        *top* is at least the number of units). Units tied in a draw share the
        top places they straddle equally, so the ``p_top`` of all units always
        sums to *top*.
    level : float
        Coverage of the equal-tailed rank interval.
    descending : bool
        Rank 1 is the highest rate (default); ``False`` makes rank 1 the lowest.

    Returns
    -------
    DataFrame
        One row per unit, indexed by unit and sorted by ``mean_rank``:
        ``mean_rank``, ``median_rank``, ``rank_lower``, ``rank_upper`` (the
        ``(1 - level)/2`` and ``(1 + level)/2`` quantiles of the rank, taken
        from the draws' empirical distribution so they are actual ranks) and
        ``p_top``. Tied values within a draw share the average of their ranks.

    Examples
    --------
    >>> draws = [[0.9, 0.5, 0.1], [0.4, 0.6, 0.2], [0.8, 0.3, 0.5], [0.7, 0.2, 0.1]]
    >>> rank_uncertainty(draws, names=["A", "B", "C"], top=1)
       mean_rank  median_rank  rank_lower  rank_upper  p_top
    A       1.25          1.0         1.0         2.0   0.75
    B       2.00          2.0         1.0         3.0   0.25
    C       2.75          3.0         2.0         3.0   0.00
    """
    if isinstance(draws, pd.DataFrame) and names is not None:
        raise DataError("names are taken from the DataFrame's columns; do not pass names too", column="names")
    labelled = as_draws(draws, names)
    arr, labels = labelled.matrix, labelled.labels
    top = check_whole(top, "top")
    level = check_level(level)
    descending = check_flag(descending, "descending")
    top = min(int(top), arr.shape[1])  # at least the number of units: every unit is in the top
    keyed = -arr if descending else arr
    # each draw's ranks (pandas' rank: scipy.stats.rankdata's numbers, tests/test_ranks.py checks, without
    # importing scipy.stats); ties: a group occupying places lo..hi shares the top places among them equally
    by_draw = pd.DataFrame(keyed)
    # (C order as scipy's: the means below then sum in the same order, to the last bit)
    ranks, lo, hi = (np.ascontiguousarray(by_draw.rank(axis=1, method=m).to_numpy())
                     for m in ("average", "min", "max"))
    in_top = np.clip((top - lo + 1) / (hi - lo + 1), 0.0, 1.0)
    tail = (1 - level) / 2
    lower, median, upper = np.quantile(ranks, [tail, 0.5, 1 - tail], axis=0, method="inverted_cdf")
    out = pd.DataFrame(
        {
            "mean_rank": ranks.mean(axis=0),
            "median_rank": median,
            "rank_lower": lower,
            "rank_upper": upper,
            "p_top": in_top.mean(axis=0),
        },
        index=labels,
    )
    return out.sort_values("mean_rank", kind="stable")
