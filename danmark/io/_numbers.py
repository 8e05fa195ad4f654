"""Numbers as the agencies write them: decimal marks, thousands separators, missing tokens."""

from __future__ import annotations

import re

import numpy as np

from .._validate import MAX_COUNT
from ..errors import DataError
from ._raw import NumberColumn, RawTable, TextColumn

# --------------------------------------------------------------------------- numbers

_NUMLIKE = re.compile(r"[+-]?[\d.,]*\d[\d.,]*")
_DK = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
_EN = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
# a token that reads as a whole number with either mark as a thousands separator
_GROUPED = {
    ".": re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+"),
    ",": re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+"),
}
_OTHER_MARK = {",": ".", ".": ","}
# R's write.table writes a double in scientific notation when that is shorter: 100000 -> "1e+05"
_SCIENTIFIC = re.compile(r"[+-]?\d(?:[.,]\d+)?e[+-]\d+", re.IGNORECASE)
_INNER_SPACE = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?:\D|$))")

#: status codes of :func:`parse_numbers`
STATUS_OK, STATUS_MISSING, STATUS_BAD, STATUS_AMBIGUOUS = 0, 1, 2, 3


def _decimal_mark(tokens: list[str], decimal=None, hint=None) -> tuple[str, frozenset]:
    """The decimal mark for one column's numbers, and the tokens it leaves ambiguous.

    A token settles the convention when only one reading is possible: both
    marks ("1.234,5": the last is the decimal mark), one mark twice
    ("1.234.567": a thousands separator) or a mark not followed by exactly
    three digits of a thousands group ("11,0", "12.50", "0,500", "1234,000": a
    decimal mark). A token like "2,000" or "5.000" reads either way. When
    nothing in the column settles it, *hint* (the decimal mark of the source's
    locale, or None) reads the tokens grouped with the *other* mark as
    thousands ("5.000" in a Danish file: the way Danish sources write five
    thousand); tokens grouped with the hint's own mark would be counts written
    with three decimals, which neither convention produces, so they are
    returned as ambiguous. *decimal*, when given, decides without looking.
    """
    if decimal is not None:
        return decimal, frozenset()
    votes: list[str] = []
    candidates = []
    for t in tokens:
        has_comma, has_dot = "," in t, "." in t
        if has_comma and has_dot:
            votes.append("," if t.rfind(",") > t.rfind(".") else ".")
        elif has_comma or has_dot:
            m = "," if has_comma else "."
            if t.count(m) > 1:
                if _GROUPED[m].fullmatch(t):
                    votes.append(_OTHER_MARK[m])
            elif _GROUPED[m].fullmatch(t):
                candidates.append(t)
            else:
                votes.append(m)
    if votes:
        # a column mixing both conventions: the first settled token decides, and
        # the tokens that do not fit it are reported as not numbers
        return votes[0], frozenset()
    if hint is None:
        return ",", frozenset(candidates)
    return hint, frozenset(t for t in candidates if hint in t)


def parse_numbers(uniques, missing, decimal=None, hint=None) -> tuple[np.ndarray, np.ndarray, str]:
    """Parse distinct texts: values (NaN unless ok), status per text, and the decimal mark used.

    Status is ``STATUS_OK``, ``STATUS_MISSING`` (a missing-value token), ``STATUS_BAD`` (not a
    number) or ``STATUS_AMBIGUOUS`` (see :func:`_decimal_mark`).
    """
    toks = [_INNER_SPACE.sub("", str(u).strip()) for u in uniques]
    mark, ambiguous = _decimal_mark(
        [t for t in toks if t not in missing and _NUMLIKE.fullmatch(t)], decimal, hint
    )
    pattern = _DK if mark == "," else _EN
    thousands = _OTHER_MARK[mark]
    vals = np.full(len(toks), np.nan)
    status = np.zeros(len(toks), dtype=np.int8)
    for i, t in enumerate(toks):
        if t in missing:
            status[i] = STATUS_MISSING
        elif t in ambiguous:
            status[i] = STATUS_AMBIGUOUS
        elif pattern.fullmatch(t):
            vals[i] = float(t.replace(thousands, "").replace(mark, "."))
        elif _SCIENTIFIC.fullmatch(t):
            vals[i] = float(t.replace(",", "."))
        else:
            status[i] = STATUS_BAD
    return vals, status, mark


def _ambiguity_error(value: str, col, pos: int, raw) -> DataError:
    label = col.label(pos)
    row = int(raw.lines[pos])
    mark = "," if "," in value else "."
    other = _OTHER_MARK[mark]
    whole = value.replace(mark, "")
    frac = f"{float(value.replace(mark, '.')):g}"
    if raw.hint is not None:
        how = (
            f"pass decimal={other!r} if {mark!r} separates thousands in this file "
            f"({value!r} = {whole}), or decimal={mark!r} if it is a decimal mark ({value!r} = {frac})"
        )
    else:
        how = f"write the count without separators ({whole} or {frac})"
    return DataError(
        f"ambiguous number {value!r} in count column {label} row {row}: thousands separator "
        f"or decimal mark? Nothing else in the column settles which (Danish sources write "
        f"two thousand as '2.000' and two as '2,0'; English ones '2,000' and '2.0'), and the "
        f"two readings differ a thousandfold; {how}",
        file=raw.file,
        row=row,
        column=label,
    )


def number_column(col, raw: RawTable, missing) -> np.ndarray:
    """Column as float64 (NaN = missing); text that is not a number is a DataError."""
    if isinstance(col, NumberColumn):
        return col.values
    vals, status, mark = parse_numbers(col.uniques, missing, raw.decimal, raw.hint)
    bad = np.flatnonzero(status >= STATUS_BAD)
    if bad.size:
        pos = col.first_pos(bad)
        u = col.codes[pos]
        value = col.uniques[u]
        if status[u] == STATUS_AMBIGUOUS:
            raise _ambiguity_error(value, col, pos, raw)
        why = ""
        if _NUMLIKE.fullmatch(_INNER_SPACE.sub("", value)):
            why = (
                f" (the column's numbers are read with {mark!r} as the decimal mark"
                + (f": decimal={raw.decimal!r} was passed" if raw.decimal is not None else "")
                + ")"
            )
        raise DataError(
            f"{col.label(pos)} is not a number: {value!r}{why}",
            file=raw.file,
            row=int(raw.lines[pos]),
            column=col.label(pos),
        )
    return vals[col.codes]


def check_counts(vals: np.ndarray, col, raw: RawTable) -> None:
    """Whole, non-negative numbers (NaN allowed: the caller decides about missing)."""

    def shown(pos):
        got = f"{vals[pos]:g}"
        if isinstance(col, TextColumn):
            written = col.uniques[col.codes[pos]]
            if written != got:
                return f"{got} (written {written!r})"
        return got

    with np.errstate(invalid="ignore"):
        whole = isinstance(col, NumberColumn) and col.whole
        frac = None if whole else np.isfinite(vals) & (vals != np.floor(vals))
        if frac is not None and frac.any():
            pos = int(np.flatnonzero(frac)[0])
            raise DataError(
                f"{col.label(pos)} must be a whole number of cases; got {shown(pos)}",
                file=raw.file,
                row=int(raw.lines[pos]),
                column=col.label(pos),
            )
        neg = vals < 0
        # a float64 of 2**53 may be a rounded 2**53 + 1: the text is no longer known exactly
        huge = vals >= MAX_COUNT
    if huge.any():
        pos = int(np.flatnonzero(huge)[0])
        raise DataError(
            f"{col.label(pos)} = {shown(pos)} is too large to be a number of cases (2**53 or more: "
            "beyond what danmark can count exactly)",
            file=raw.file,
            row=int(raw.lines[pos]),
            column=col.label(pos),
        )
    if neg.any():
        pos = int(np.flatnonzero(neg)[0])
        raise DataError(
            f"{col.label(pos)} must not be negative; got {shown(pos)}",
            file=raw.file,
            row=int(raw.lines[pos]),
            column=col.label(pos),
        )

