"""The one way from a table of cases to units: reversals k and cases n per kommune.

A unit-level analysis (:func:`danmark.fit_prior`, :func:`danmark.shrink`,
:func:`danmark.prob_above`, :func:`danmark.hierarchical`, the funnels) given a
DataFrame takes its counts from here: columns ``k`` and ``n``, or the tidy
counts through :func:`danmark.with_rates` (so a row whose ændret/hjemvist
split is unknown still counts with its ``omgjort``). Rows for Hele landet
(kommunekode ``"000"``) are left out with a
:class:`~danmark.errors.NationalTotalWarning`: the national total is the
reference, not a kommune.
"""

from __future__ import annotations

import warnings

import pandas as pd

from .errors import DataError, NationalTotalWarning
from .table.schema import COUNT_COLUMNS, split_national, with_rates

__all__ = ["frame_units"]


def frame_units(frame: pd.DataFrame, *, where: str, stacklevel: int = 4) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """(frame without national rows, k, n) for a DataFrame of units.

    Examples
    --------
    >>> df = pd.DataFrame({"kommunekode": ["269", "000"], "stadfaestet": [4, 900],
    ...     "aendret": [1, 100], "hjemvist": [9, 300]})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     units, k, n = frame_units(df, where="shrink")
    >>> k.tolist(), n.tolist()
    ([10], [14])
    """
    units, national = split_national(frame)
    if len(national):
        warnings.warn(
            f"{where}: left out {len(national)} row{'s' if len(national) != 1 else ''} for Hele landet "
            "(kommunekode '000'): the national total is the reference the kommuner are compared "
            "with, not one of them (danmark.split_national separates it)",
            NationalTotalWarning,
            stacklevel=stacklevel,
        )
    if units.empty:
        raise DataError(f"{where}: the table has no kommuner (only national rows)" if len(national)
                        else f"{where}: the table has no rows")
    cols = set(units.columns)
    if {"k", "n"} <= cols:
        return units, units["k"], units["n"]
    if set(COUNT_COLUMNS) <= cols:
        rates = with_rates(units)
        return units, rates["omgjort"], rates["n"]
    raise DataError(
        f"{where}: a DataFrame needs columns 'k' and 'n', or the tidy counts {', '.join(COUNT_COLUMNS)}"
    )
