"""Sensitivity of a ranking to what is counted: omgørelsesprocent against ændret/ophævet only.

A hjemvisning sends a case back for a new decision; it may end with the same
result. Ranking kommuner on ændret/ophævet alone (remands removed) is a check
on any selection from the map: kommuner picked on the omgørelsesprocent that
drop far down on ændret alone are picked mainly on hjemvisninger.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validate import as_counts
from ..errors import DataError

__all__ = ["rank_on_aendret"]

_COUNTS = ("stadfaestet", "aendret", "hjemvist")


def rank_on_aendret(cases: pd.DataFrame, *, top: int = 4) -> pd.DataFrame:
    """Rank units on the omgørelsesprocent and on the ændret/ophævet share alone.

    Parameters
    ----------
    cases : DataFrame
        One row per unit (index = unit name) with counts ``stadfaestet``,
        ``aendret`` and ``hjemvist``.
    top : int
        Size of the group picked from the top of each ranking.

    Returns
    -------
    DataFrame
        Caller's index, sorted by ``rank``: ``n``, ``omgjort``, ``aendret``,
        ``raw`` (omgjort / n), ``raw_aendret`` (aendret / n), ``rank`` and
        ``rank_aendret`` (1 = highest; ties share the best rank), ``top`` and
        ``top_aendret`` (in the top group of each ranking; ties at the border
        are all in). ``attrs["overlap"]``: units in both top groups.

    Examples
    --------
    >>> t = pd.DataFrame({"stadfaestet": [4, 6, 5], "aendret": [0, 3, 1], "hjemvist": [6, 1, 4]},
    ...                  index=["A", "B", "C"])
    >>> out = rank_on_aendret(t, top=1)
    >>> out[["raw", "raw_aendret", "rank", "rank_aendret"]]
       raw  raw_aendret  rank  rank_aendret
    A  0.6          0.0     1             3
    C  0.5          0.1     2             2
    B  0.4          0.3     3             1
    >>> out.attrs["overlap"]
    0
    """
    if not isinstance(cases, pd.DataFrame):
        raise DataError(f"rank_on_aendret needs a DataFrame of counts; got {type(cases).__name__}")
    missing = [c for c in _COUNTS if c not in cases.columns]
    if missing:
        raise DataError(f"rank_on_aendret: column(s) {missing} missing", column=missing[0])
    counts = {c: np.atleast_1d(as_counts(cases[c], c)).astype(np.int64) for c in _COUNTS}
    top = int(as_counts(top, "top"))
    if top < 1:
        raise DataError("top must be at least 1", column="top")
    n = counts["stadfaestet"] + counts["aendret"] + counts["hjemvist"]
    if (n < 1).any():
        pos = int(np.flatnonzero(n < 1)[0])
        raise DataError("every unit needs at least one decided case", row=cases.index[pos], column="stadfaestet")
    omgjort = counts["aendret"] + counts["hjemvist"]
    out = pd.DataFrame({"n": n, "omgjort": omgjort, "aendret": counts["aendret"],
                        "raw": omgjort / n, "raw_aendret": counts["aendret"] / n}, index=cases.index)
    out["rank"] = out["raw"].rank(ascending=False, method="min").astype(int)
    out["rank_aendret"] = out["raw_aendret"].rank(ascending=False, method="min").astype(int)
    out["top"] = out["rank"] <= top
    out["top_aendret"] = out["rank_aendret"] <= top
    out = out.sort_values(["rank", "rank_aendret"], kind="stable")
    out.attrs["overlap"] = int((out["top"] & out["top_aendret"]).sum())
    out.attrs["top"] = top
    return out
