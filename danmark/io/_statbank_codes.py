"""Statistikbanken's "kode og tekst" presentation (the default of its API's CSV), read as the text.

In that presentation every dimension value is its code and its text:
``101 København``, ``000 Hele landet``, ``084 Region Hovedstaden`` and, for
time, the period twice (``2022K4 2022K4``). :func:`read_code_and_text` rewrites a
municipality column to the names (after checking each code against its name)
and a period column to the periods, so that the rest of
:func:`danmark.read_statbank` reads the file as the text presentation.
"""

from __future__ import annotations

import re

from ..errors import DataError
from ..table.kommuner import normalize_kommune
from ..table.periods import parse_period
from ._build import skip_kommune
from ._layout import looks_like_period
from ._raw import RawTable, TextColumn

#: a code and a name: "101 København", "000 Hele landet", "084 Region Hovedstaden"
_CODED = re.compile(r"(\d{1,4})\s+([^\W\d_].*)")


def read_code_and_text(raw: RawTable) -> None:
    """Statistikbanken's "kode og tekst" presentation, read as the text: "101 København", "2022K4 2022K4".

    A municipality column whose every value is a code and a name has the code
    checked against the name (a disagreement is a DataError) and is then read
    by name; a period column whose values are a period twice (code and text)
    is read as the period. Law-basis values ("1 Serviceloven") are kept as
    written, as in the text presentation.
    """
    for name, col in list(raw.cols.items()):
        if not isinstance(col, TextColumn) or not len(col.uniques):
            continue
        texts = [u for u in col.uniques if u]
        if not texts or not all(" " in t for t in texts[:50]):
            continue
        matches = [_CODED.fullmatch(t) for t in texts]
        if all(matches) and mostly_kommuner([m.group(2) for m in matches]):
            raw.cols[name] = TextColumn(col.codes, [_kommune_text(raw, col, u) for u in range(len(col.uniques))],
                                  col.name, col.names)
            continue
        periods = []
        for u in col.uniques:
            periods.append(_period_text(u))
            if periods[-1] is None:
                break
        else:
            raw.cols[name] = TextColumn(col.codes, periods, col.name, col.names)


def _kommune_text(raw: RawTable, col: TextColumn, u: int) -> str:
    text = col.uniques[u]
    m = _CODED.fullmatch(text)
    if m is None or skip_kommune(m.group(2)):
        return m.group(2) if m else text
    code, name = m.groups()
    try:
        by_name = normalize_kommune(name, allow_national=True)
        by_code = normalize_kommune(code, allow_national=True)
    except DataError as err:
        pos = col.first_pos(u)
        raise DataError(f"{text!r}: {err.message}", file=raw.file, row=int(raw.lines[pos]), column=col.label(pos)) from None
    if by_name[0] != by_code[0]:
        pos = col.first_pos(u)
        raise DataError(
            f"{text!r}: code {code} is {by_code[1]} (kommunekode {by_code[0]}), but the text names "
            f"{by_name[1]} (kommunekode {by_name[0]}): the code and the text disagree",
            file=raw.file, row=int(raw.lines[pos]), column=col.label(pos),
        )
    return name


def _period_text(text: str) -> str | None:
    """A period as "kode og tekst" writes it ("2022 2022", "2022K4 2022K4") → the period; None if not one."""
    if text == "" or looks_like_period(text):
        return text
    parts = text.split(None, 1)
    if len(parts) == 2 and looks_like_period(parts[0]):
        if parts[1].strip() == parts[0] or (
            looks_like_period(parts[1]) and parse_period(parts[1])[0] == parse_period(parts[0])[0]
        ):
            return parts[0]
    return None



def mostly_kommuner(texts) -> bool:
    hits = 0
    for t in texts[:50]:
        if skip_kommune(t):
            hits += 1
            continue
        try:
            normalize_kommune(t, allow_national=True)
            hits += 1
        except DataError:
            pass
    return hits >= max(1, 0.8 * min(len(texts), 50))
