"""The Talportal's "I alt" rows: sums of other rows, used as a checksum and never counted.

With several kommuner (or several Sagsemner) selected and "i alt" ticked, the
Talportal adds rows with Kommune = ``I alt`` (per Sagsemne × periode) or
Sagsemne = ``I alt`` (per Kommune × periode) holding the sums of the rows they
total, missing counted as 0. danmark checks each against the sum of its rows
where every row's counts are known, and then leaves it out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError
from ._raw import RawTable, TextColumn
from ._text import fold
from .talportal_measures import Counts

__all__ = ["TOTAL_NAMES", "total_rows", "check_totals"]

#: folded texts of a total row
TOTAL_NAMES = frozenset({"i_alt", "ialt"})


def _is_total(col: TextColumn | None) -> np.ndarray | None:
    if col is None:
        return None
    total_u = np.array([fold(u) in TOTAL_NAMES for u in col.uniques], dtype=bool)
    return total_u[col.codes] if len(total_u) else np.zeros(len(col), dtype=bool)


def total_rows(kcol: TextColumn, scol: TextColumn | None) -> np.ndarray:
    """Rows whose Kommune or Sagsemne is "I alt"."""
    out = _is_total(kcol)
    s = _is_total(scol)
    return out if s is None else out | s


def check_totals(raw: RawTable, counts: Counts, totals, kcol: TextColumn, scol: TextColumn | None, pidx, fields) -> None:
    """Each "I alt" row must be the sum of the rows it totals (where all of them are known)."""
    k_total = _is_total(kcol)
    s_total = _is_total(scol) if scol is not None else np.zeros(raw.n, dtype=bool)
    national = np.array([fold(u) == "hele_landet" for u in kcol.uniques], dtype=bool)[kcol.codes]
    scodes = scol.codes if scol is not None else np.zeros(raw.n, dtype=np.int64)
    frame = pd.DataFrame({
        "kommune": kcol.codes, "sagsemne": scodes, "period": pidx,
        "stadfaestet": counts.stadfaestet, "omgjort": counts.omgjort,
        "aendret": counts.aendret, "hjemvist": counts.hjemvist, "afvist": counts.afvist,
        # a row of zeros in the Excel download may hide cases: only recovered rows are known
        "known": counts.recovered,
    })
    measures = ["stadfaestet", "aendret", "hjemvist", "afvist", "omgjort"]  # the named counts first
    # one total per Kommune (or Sagsemne) and periode: a second one is a damaged or edited file
    twice = frame[totals].duplicated(["kommune", "sagsemne", "period"])
    if twice.any():
        pos = int(twice.index[int(np.flatnonzero(twice.to_numpy())[0])])
        raise DataError(
            "this 'I alt' row repeats an earlier one (the same Kommune, Sagsemne and periode): "
            "the file is damaged or was edited",
            file=raw.file, row=int(raw.lines[pos]), column=kcol.label(pos),
        )
    parts = frame[~totals & ~national]
    for kind, rows, keys in (
        ("Kommune", k_total & ~s_total, ["sagsemne", "period"]),
        ("Sagsemne", s_total & ~k_total, ["kommune", "period"]),
    ):
        if not rows.any():
            continue
        grouped = parts.assign(**{m: parts[m].fillna(0) for m in ("stadfaestet", "omgjort")}).groupby(keys)
        sums = grouped[measures].sum(min_count=1)
        # a group can be checked only where each of its rows' counts is known
        sums = sums[grouped["known"].all()]
        sums.loc[:, ["aendret", "hjemvist", "afvist"]] = sums[["aendret", "hjemvist", "afvist"]].where(
            grouped[["aendret", "hjemvist", "afvist"]].count().eq(grouped.size(), axis=0)
        )
        target = frame[rows & frame["known"]]
        got = target.join(sums.add_suffix("_sum"), on=keys, how="inner")
        for m in measures:
            a, b = got[m].to_numpy(float), got[f"{m}_sum"].to_numpy(float)
            bad = np.isfinite(a) & np.isfinite(b) & (a != b)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                pos = int(got.index[i])
                col = raw.cols[fields[m]] if m in fields else (
                    raw.cols[fields["pct_omgjort"]] if "pct_omgjort" in fields else kcol)
                raise DataError(
                    f"this 'I alt' row has {a[i]:g} {m} sager, but the rows it totals (same "
                    f"{'Sagsemne' if kind == 'Kommune' else 'Kommune'} and periode) sum to {b[i]:g}: "
                    "the file is incomplete or was edited",
                    file=raw.file, row=int(raw.lines[pos]), column=col.label(pos),
                )
