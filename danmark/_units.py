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

import numpy as np
import pandas as pd

from ._validate import check_k_n
from .errors import DataError, NationalTotalWarning
from .table.schema import COUNT_COLUMNS, NATIONAL_CODE, split_national, with_rates

__all__ = ["as_units", "frame_units", "output"]


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
            f"(kommunekode {NATIONAL_CODE!r}): the national total is the reference the kommuner are compared "
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


def as_units(k, n, *, where: str, names: tuple[str, str] = ("k", "n")):
    """Return (k, n, index, frame) from arrays/Series or a DataFrame.

    *names* are the two arguments' names in the caller's signature (for the
    messages; a DataFrame always gives columns ``k``/``n`` or the tidy counts).
    """
    k_name, n_name = names
    if isinstance(k, pd.DataFrame):
        if n is not None:
            raise DataError(f"{where}: give {n_name} only when {k_name} is an array or Series, not with a DataFrame")
        frame, kk, nn = frame_units(k, where=where)
        k_arr, n_arr = check_k_n(kk, nn)
        return np.atleast_1d(k_arr).ravel(), np.atleast_1d(n_arr).ravel(), frame.index, frame
    if n is None:
        raise DataError(f"{where}: {n_name} is required when {k_name} is not a DataFrame")
    k_arr, n_arr = check_k_n(k, n, k_name=k_name, n_name=n_name)
    k_arr = np.atleast_1d(k_arr).ravel()
    n_arr = np.atleast_1d(n_arr).ravel()
    index = None
    for v in (k, n):
        if isinstance(v, pd.Series) and len(v) == k_arr.size:
            index = v.index
            break
    if index is None:
        index = pd.RangeIndex(k_arr.size)
    return k_arr, n_arr, index, None


def output(columns: dict, index, frame):
    if frame is None:
        return pd.DataFrame(columns, index=index)
    out = frame.copy()
    for name, values in columns.items():
        out[name] = values
    return out
