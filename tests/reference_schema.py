"""Reference (row-by-row) implementation of validate_cases, kept to test the vectorised one.

This is the first, loop-based version of danmark.validate_cases. danmark now
validates with danmark.io.tidy_frame; tests compare the two on random tables.

Original docstring: the tidy table of appeal outcomes that every loader returns.

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

Derived, never stored (see :func:`with_rates`): ``n`` = stadfaestet + aendret
+ hjemvist (realitetsbehandlede sager), ``omgjort`` = aendret + hjemvist and
``omg_pct`` = 100 · omgjort / n.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from danmark.errors import DataError
from danmark.table.kommuner import NATIONAL_CODE, NATIONAL_NAME, _table, normalize_kommune
from danmark.table.periods import parse_period

__all__ = ["CASE_COLUMNS", "COUNT_COLUMNS", "KEY_COLUMNS", "validate_cases"]

COUNT_COLUMNS = ["stadfaestet", "aendret", "hjemvist"]
KEY_COLUMNS = ["kommunekode", "period", "area"]
CASE_COLUMNS = [
    "kommunekode", "kommune", "region", "period", "period_start", "period_end",
    "area", "stadfaestet", "aendret", "hjemvist", "afvist", "source",
]


def _counts(col: pd.Series, name: str, file, nullable: bool, row_offset: int) -> pd.Series:
    raw = col
    num = pd.to_numeric(raw, errors="coerce")
    bad_text = num.isna() & raw.notna()
    if bad_text.any():
        pos = int(np.flatnonzero(bad_text.to_numpy())[0])
        raise DataError(f"{name} is not a number: {raw.iloc[pos]!r}", file=file, row=pos + row_offset, column=name)
    if num.isna().any() and not nullable:
        pos = int(np.flatnonzero(num.isna().to_numpy())[0])
        raise DataError(f"{name} is missing; a count is required here", file=file, row=pos + row_offset, column=name)
    vals = num.to_numpy(dtype=float, na_value=np.nan)
    frac = np.isfinite(vals) & (vals != np.round(vals))
    if frac.any():
        pos = int(np.flatnonzero(frac)[0])
        raise DataError(f"{name} must be a whole number; got {vals[pos]:g}", file=file, row=pos + row_offset, column=name)
    neg = vals < 0
    if neg.any():
        pos = int(np.flatnonzero(neg)[0])
        raise DataError(f"{name} must not be negative; got {vals[pos]:g}", file=file, row=pos + row_offset, column=name)
    if nullable:
        nan = np.isnan(vals)
        return pd.arrays.IntegerArray(np.where(nan, 0, vals).astype(np.int64), nan)
    return pd.Series(vals.astype(np.int64), index=col.index)


def validate_cases(df: pd.DataFrame, *, file=None, row_offset: int = 2, source=None) -> pd.DataFrame:
    """Check a table of appeal outcomes and return it in the tidy schema.

    Required columns: a municipality (``kommunekode`` or ``kommune``),
    ``period``, ``area``, ``stadfaestet``, ``aendret``, ``hjemvist`` and
    ``source`` (or the *source* argument). ``afvist`` is optional. Names are
    normalised with :func:`danmark.normalize_kommune`; periods with
    :func:`danmark.table.periods.parse_period`. Extra columns are kept after the
    schema's own.

    Raises :class:`DataError` naming *file*, row (``row_offset`` + position;
    the default 2 matches a CSV with one header line) and column for missing
    columns, unknown municipalities, unreadable periods, non-integer or
    negative counts and duplicate (kommune, period, area) rows.

    Examples
    --------
    >>> raw = pd.DataFrame({"kommune": ["Solrød"], "period": ["2020-2023H1"],
    ...     "area": ["voksenhandicap"], "stadfaestet": [4], "aendret": [1],
    ...     "hjemvist": [9], "source": ["solrod_2024"]})
    >>> validate_cases(raw)[["kommunekode", "period", "hjemvist"]]
      kommunekode       period  hjemvist
    0         269  2020-2023H1         9
    """
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"expected a pandas DataFrame, got {type(df).__name__}", file=file)
    if df.empty:
        raise DataError("the table has no rows", file=file)
    df = df.copy()
    df.columns = [str(c).strip() for c in df.columns]
    if source is not None and "source" not in df:
        df["source"] = source
    need = ["period", "area", *COUNT_COLUMNS, "source"]
    missing = [c for c in need if c not in df.columns]
    if "kommunekode" not in df.columns and "kommune" not in df.columns:
        missing.insert(0, "kommunekode or kommune")
    if missing:
        raise DataError(
            f"missing required column(s) {', '.join(missing)}; found {', '.join(map(str, df.columns))}",
            file=file,
        )
    df = df.reset_index(drop=True)
    key_col = "kommunekode" if "kommunekode" in df.columns else "kommune"
    cache: dict = {}
    codes, names = [], []
    for i, v in enumerate(df[key_col]):
        if v not in cache:
            cache[v] = normalize_kommune(v, allow_national=True, file=file, row=i + row_offset, column=key_col)
        codes.append(cache[v][0])
        names.append(cache[v][1])
    regions = dict(zip(_table()["kommunekode"], _table()["region"], strict=True))
    regions[NATIONAL_CODE] = NATIONAL_NAME
    pcache: dict = {}
    labels, starts, ends = [], [], []
    for i, v in enumerate(df["period"]):
        if v not in pcache:
            pcache[v] = parse_period(v, file=file, row=i + row_offset, column="period")
        lab, s, e = pcache[v]
        labels.append(lab)
        starts.append(s)
        ends.append(e)
    area = df["area"].astype(str).str.strip()
    empty = (area == "") | df["area"].isna()
    if empty.any():
        pos = int(np.flatnonzero(empty.to_numpy())[0])
        raise DataError("area is empty", file=file, row=pos + row_offset, column="area")
    out = pd.DataFrame(
        {
            "kommunekode": codes,
            "kommune": names,
            "region": [regions.get(c) for c in codes],
            "period": labels,
            "period_start": pd.to_datetime(starts),
            "period_end": pd.to_datetime(ends),
            "area": area.to_numpy(),
        }
    )
    for c in COUNT_COLUMNS:
        out[c] = _counts(df[c], c, file, False, row_offset).to_numpy()
    out["afvist"] = _counts(df["afvist"], "afvist", file, True, row_offset) if "afvist" in df else pd.array([pd.NA] * len(df), dtype="Int64")
    src = df["source"]
    if src.isna().any() or (src.astype(str).str.strip() == "").any():
        pos = int(np.flatnonzero((src.isna() | (src.astype(str).str.strip() == "")).to_numpy())[0])
        raise DataError("source is empty: every row needs a source key", file=file, row=pos + row_offset, column="source")
    out["source"] = src.astype(str).str.strip().to_numpy()
    dup = out.duplicated(KEY_COLUMNS, keep="first")
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        r = out.iloc[pos]
        raise DataError(
            f"duplicate row for kommune {r['kommune']!r}, period {r['period']!r}, area {r['area']!r}",
            file=file,
            row=pos + row_offset,
        )
    extra = [c for c in df.columns if c not in out.columns and c not in ("kommune", "kommunekode")]
    for c in extra:
        out[c] = df[c].to_numpy()
    return out
