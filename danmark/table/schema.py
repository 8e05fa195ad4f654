"""The tidy table of appeal outcomes that every loader returns.

One row per kommune × period × area:

=============== ============================================================
column          meaning
=============== ============================================================
kommunekode     3-digit string ("269"); "000" = Hele landet (national total)
kommune         official name ("Solrød"); "Hele landet" for the total
region          region name ("Region Sjælland")
period          canonical label: "2024", "2022Q4", "2020-2023H1"
period_start    first day covered (datetime64)
period_end      last day covered (datetime64)
area            "socialomraadet", "boernehandicap", "voksenhandicap" or a
                named paragraph group such as "SEL §§ 96-97"
stadfaestet     decisions upheld (int)
aendret         decisions changed or annulled, ændret/ophævet (int)
hjemvist        decisions sent back to the kommune, hjemvist (int)
afvist          appeals rejected or referred (nullable Int64; not in rates)
source          key into ``data/sources.csv``
=============== ============================================================

Derived (see :func:`with_rates`): ``n`` = stadfaestet + aendret + hjemvist
(realitetsbehandlede sager), ``omgjort`` = aendret + hjemvist and ``omg_pct``
= 100 · omgjort / n.

**When the split is unknown.** A Talportal download that holds only
``Realitetsbehandlede sager i alt`` and ``Omgørelsesprocent`` gives n and
omgjort but not how the omgjorte split into ændret and hjemvist. Such rows
have ``aendret`` and ``hjemvist`` = <NA> (the columns are then nullable
Int64) and the table carries one more column, ``omgjort`` (Int64), with the
known sum; :func:`with_rates` uses it, the rate analyses work as usual and
:func:`danmark.outcome_split` refuses those rows.

**Hele landet** (kommunekode ``"000"``) is the national total: it stays in the
table as the reference, and every unit-level analysis (fit_prior, shrink,
prob_above, hierarchical, funnels) leaves it out with a warning
(:class:`danmark.errors.NationalTotalWarning`); :func:`split_national` separates it.

**Text, not bytes.** A ``kommunekode`` (or ``kommune``) is text or a number;
a bytes value -- even valid UTF-8 such as ``b"269"`` -- is a :class:`DataError`
naming the column and row: decode the column first
(``df["kommunekode"].str.decode("utf-8")``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validate import as_counts, check_no_bytes
from ..errors import DataError

__all__ = ["CASE_COLUMNS", "COUNT_COLUMNS", "KEY_COLUMNS", "NATIONAL_CODE", "split_national", "with_rates"]

#: kommunekode of the national total, "Hele landet"
NATIONAL_CODE = "000"

COUNT_COLUMNS = ["stadfaestet", "aendret", "hjemvist"]
KEY_COLUMNS = ["kommunekode", "period", "area"]
CASE_COLUMNS = [
    "kommunekode", "kommune", "region", "period", "period_start", "period_end",
    "area", "stadfaestet", "aendret", "hjemvist", "afvist", "source",
]


def with_rates(cases: pd.DataFrame) -> pd.DataFrame:
    """Add the derived columns ``n``, ``omgjort`` and ``omg_pct`` to a tidy table.

    ``n`` counts realitetsbehandlede sager (stadfæstet + ændret + hjemvist);
    afviste sager are excluded, as in Ankestyrelsen's definition. Where the
    ændret/hjemvist split is unknown (both <NA>), the table's own ``omgjort``
    column gives their sum; where the split is known, a given ``omgjort``
    must equal it.

    Raises :class:`DataError` for missing columns and for counts that are
    negative, fractional, text or (outside a known ``omgjort``) missing.

    Examples
    --------
    >>> df = pd.DataFrame({"stadfaestet": [105], "aendret": [5], "hjemvist": [19]})
    >>> with_rates(df)[["n", "omgjort", "omg_pct"]].round(1)
         n  omgjort  omg_pct
    0  129       24     18.6

    A row whose split is unknown carries its sum:

    >>> df = pd.DataFrame({"stadfaestet": [4], "aendret": pd.array([pd.NA], "Int64"),
    ...     "hjemvist": pd.array([pd.NA], "Int64"), "omgjort": [10]})
    >>> with_rates(df)[["n", "omgjort"]]
        n  omgjort
    0  14       10
    """
    if not isinstance(cases, pd.DataFrame):
        raise DataError(f"expected a pandas DataFrame, got {type(cases).__name__}")
    missing = [c for c in COUNT_COLUMNS if c not in cases.columns]
    if missing:
        raise DataError(f"missing count column(s): {', '.join(missing)}")
    given = "omgjort" in cases.columns
    s = as_counts(cases["stadfaestet"], "stadfaestet")
    a = as_counts(cases["aendret"], "aendret", allow_missing=given)
    h = as_counts(cases["hjemvist"], "hjemvist", allow_missing=given)
    split = ~(np.isnan(a) | np.isnan(h)) if given else np.ones(len(cases), dtype=bool)
    omg = np.where(split, np.nan_to_num(a) + np.nan_to_num(h), 0)
    if given:
        stored = as_counts(cases["omgjort"], "omgjort", allow_missing=True)
        unknown = ~split & np.isnan(stored)
        if unknown.any():
            pos = int(np.flatnonzero(unknown)[0])
            raise DataError("aendret/hjemvist are missing and so is omgjort: the row has no count of reversals",
                            row=cases.index[pos], column="omgjort")
        clash = split & ~np.isnan(stored) & (stored != omg)
        if clash.any():
            pos = int(np.flatnonzero(clash)[0])
            raise DataError(f"omgjort = {stored[pos]:g} but aendret + hjemvist = {omg[pos]:g}",
                            row=cases.index[pos], column="omgjort")
        omg = np.where(split, omg, np.nan_to_num(stored))
    out = cases.copy()
    out["n"] = (s + omg).astype(np.int64)
    out["omgjort"] = omg.astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["omg_pct"] = np.where(out["n"] > 0, 100.0 * out["omgjort"] / out["n"].where(out["n"] > 0, 1), np.nan)
    return out


def split_national(cases: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a tidy table into its kommuner and its national rows (kommunekode ``"000"``).

    The Talportal's "Hele landet" is the total of all kommuner, not one more
    kommune: use it as the reference rate, never as a unit. A kommunekode
    that is bytes is a :class:`DataError` naming its row (decode it first).

    Examples
    --------
    >>> df = pd.DataFrame({"kommunekode": ["269", "000"], "stadfaestet": [4, 900]})
    >>> units, national = split_national(df)
    >>> units["kommunekode"].tolist(), national["kommunekode"].tolist()
    (['269'], ['000'])
    """
    if "kommunekode" not in cases.columns:
        return cases, cases.iloc[:0]
    check_no_bytes(cases["kommunekode"], "kommunekode")
    is_national = (cases["kommunekode"].astype(str) == NATIONAL_CODE).to_numpy()
    return cases[~is_national], cases[is_national]
