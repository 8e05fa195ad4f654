"""Period labels: "2024", "2022Q4", "2023H1", "2020-2023H1".

Ankestyrelsen and Danmarks Statistik write periods in several ways
("2022 - 4. kvartal", "2022K4", "2022Q4"). :func:`parse_period` turns any of
them into a canonical label and the first and last day it covers.
"""

from __future__ import annotations

import re

import pandas as pd

from ..errors import DataError

__all__ = ["parse_period", "period_label"]

_YEAR = r"(?P<y{i}>(?:19|20)\d\d)"
_SUB = r"(?:\s*(?:-\s*)?(?:(?P<q{i}>[1-4])\.?\s*kvartal|[QK](?P<k{i}>[1-4])|H(?P<h{i}>[12])|(?P<hh{i}>[12])\.?\s*halvår|M(?P<m{i}>\d\d)))?"
_ONE = _YEAR + _SUB
_RE = re.compile(
    r"^\s*" + _ONE.format(i=1) + r"(?:\s*(?:-|–|til)\s*" + _ONE.format(i=2) + r")?\s*$",
    re.IGNORECASE,
)


def _bounds(y: str, q, k, h, hh, m) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    year = int(y)
    if q or k:
        quarter = int(q or k)
        start = pd.Timestamp(year, 3 * quarter - 2, 1)
        end = start + pd.offsets.QuarterEnd(0)
        return start, end, f"{year}Q{quarter}"
    if h or hh:
        half = int(h or hh)
        start = pd.Timestamp(year, 6 * half - 5, 1)
        end = pd.Timestamp(year, 6 * half, 30 if half == 1 else 31)
        return start, end, f"{year}H{half}"
    if m:
        month = int(m)
        if not 1 <= month <= 12:
            raise ValueError
        start = pd.Timestamp(year, month, 1)
        return start, start + pd.offsets.MonthEnd(0), f"{year}M{month:02d}"
    return pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31), f"{year}"


def parse_period(label, *, file=None, row=None, column=None):
    """Parse a period label into ``(label, start, end)``.

    Accepts years ("2024"), quarters ("2022Q4", "2022K4", "2022 - 4. kvartal"),
    halves ("2023H1", "2023 1. halvår"), months ("2024M03") and ranges of any
    of these ("2020-2023H1", "2020 - 2023"). The label returned is canonical.

    Raises :class:`DataError` for anything else, naming *file*, *row* and
    *column* when given.

    Examples
    --------
    >>> parse_period("2020-2023H1")
    ('2020-2023H1', Timestamp('2020-01-01 00:00:00'), Timestamp('2023-06-30 00:00:00'))
    >>> parse_period("2022 - 4. kvartal")[0]
    '2022Q4'
    """
    text = str(label).strip() if label is not None else ""
    match = _RE.match(text)
    if not match:
        raise DataError(
            f"cannot read period {label!r}; expected e.g. '2024', '2022Q4', "
            "'2022 - 4. kvartal', '2023H1' or '2020-2023H1'",
            file=file,
            row=row,
            column=column,
        )
    g = match.groupdict()
    try:
        start, end1, lab1 = _bounds(g["y1"], g["q1"], g["k1"], g["h1"], g["hh1"], g["m1"])
        if g["y2"] is None:
            return lab1, start, end1
        start2, end, lab2 = _bounds(g["y2"], g["q2"], g["k2"], g["h2"], g["hh2"], g["m2"])
    except ValueError:
        raise DataError(f"cannot read period {label!r}", file=file, row=row, column=column) from None
    if end < start:
        raise DataError(
            f"period {label!r} ends before it starts", file=file, row=row, column=column
        )
    return f"{lab1}-{lab2}", start, end


def period_label(start, end) -> str:
    """Canonical label for a span that starts and ends on year, half or quarter bounds.

    Examples
    --------
    >>> period_label("2020-01-01", "2023-06-30")
    '2020-2023H1'
    >>> period_label("2022-10-01", "2022-12-31")
    '2022Q4'
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    for label in (f"{start.year}", f"{start.year}H1", f"{start.year}H2",
                  *(f"{start.year}Q{q}" for q in range(1, 5))):
        if parse_period(label)[1:] == (start, end):
            return label

    def first(ts):
        for label in (f"{ts.year}", f"{ts.year}H2", *(f"{ts.year}Q{q}" for q in range(2, 5))):
            if parse_period(label)[1] == ts:
                return label
        return ts.strftime("%Y-%m-%d")

    def last(ts):
        for label in (f"{ts.year}", f"{ts.year}H1", *(f"{ts.year}Q{q}" for q in range(1, 4))):
            if parse_period(label)[2] == ts:
                return label
        return ts.strftime("%Y-%m-%d")

    return f"{first(start)}-{last(end)}"
