"""Municipalities, periods and areas resolved once per distinct value; the tidy DataFrame built."""

from __future__ import annotations

import os
import threading

import numpy as np
import pandas as pd
import pyarrow as pa

from ..errors import DataError
from ..table.kommuner import NATIONAL_NAME, by_code, normalize_kommune
from ..table.periods import parse_period
from ..table.schema import CASE_COLUMNS, COUNT_COLUMNS, NATIONAL_CODE
from ._raw import RawTable, TextColumn
from ._text import fold

# --------------------------------------------------------------------------- municipalities, periods, areas


def skip_kommune(text: str) -> bool:
    key = fold(text)
    return key.startswith("region_") or key.startswith("landsdel_") or key in ("region", "landsdel")


def kommune_index(col: TextColumn, raw: RawTable, *, skip_regions: bool, skip_names=frozenset()):
    """Normalise distinct names: per-row index into distinct codes (-1 = skipped row).

    Names whose :func:`fold` key is in *skip_names* (such as the Talportal's
    "I alt") are skipped too.
    """
    codes_u = []
    for u, text in enumerate(col.uniques):
        if (skip_regions and skip_kommune(text)) or fold(text) in skip_names:
            codes_u.append(None)
            continue
        pos = None
        if text == "":
            pos = col.first_pos(u)
            raise DataError("kommune is empty", file=raw.file, row=int(raw.lines[pos]), column=col.label(pos))
        try:
            code, _ = normalize_kommune(text, allow_national=True)
        except DataError as err:
            pos = col.first_pos(u)
            raise DataError(err.message, file=raw.file, row=int(raw.lines[pos]), column=col.label(pos)) from None
        codes_u.append(code)
    distinct = list(dict.fromkeys(c for c in codes_u if c is not None))
    where = {c: i for i, c in enumerate(distinct)}
    map_u = np.array([-1 if c is None else where[c] for c in codes_u], dtype=np.int32)
    idx = map_u[col.codes] if len(map_u) else np.zeros(0, dtype=np.int32)
    return idx, distinct


def period_index(col: TextColumn, raw: RawTable):
    """Parse distinct period texts: per-row index into canonical (label, start, end)."""
    parsed = []
    for u, text in enumerate(col.uniques):
        try:
            parsed.append(parse_period(text))
        except DataError as err:
            pos = col.first_pos(u)
            raise DataError(err.message, file=raw.file, row=int(raw.lines[pos]), column=col.label(pos)) from None
    labels = list(dict.fromkeys(p[0] for p in parsed))
    where = {lab: i for i, lab in enumerate(labels)}
    bounds = {p[0]: p[1:] for p in parsed}
    map_u = np.array([where[p[0]] for p in parsed], dtype=np.int32)
    table = [(lab, *bounds[lab]) for lab in labels]
    return (map_u[col.codes] if len(map_u) else np.zeros(0, dtype=np.int32)), table


#: texts that mean "no value" and so cannot name an area
_NO_AREA = frozenset({"", ".", "..", "NA", "-"})

#: Sagsemne texts that name a Danmarkskort map unambiguously (folded key -> area)
AREA_NAMES = {
    "socialomraadet": "socialomraadet",
    "socialomradet": "socialomraadet",
    "boernehandicap": "boernehandicap",
    "boern_med_handicap": "boernehandicap",
    "boernehandicapomraadet": "boernehandicap",
    "voksenhandicap": "voksenhandicap",
    "voksne_med_handicap": "voksenhandicap",
    "voksenhandicapomraadet": "voksenhandicap",
}


def area_index(col: TextColumn | None, raw: RawTable, area, n: int, map_names: bool = True):
    """Area per row: (index, labels)."""
    if isinstance(area, str):
        if col is not None and len(set(col.uniques) - {""}) > 1:
            shown = ", ".join(repr(u) for u in list(col.uniques)[:5])
            raise DataError(
                f"area={area!r} would give one label to {len(col.uniques)} different "
                f"{col.name} values ({shown}); pass a dict mapping each to its area, or "
                "filter the file first",
                file=raw.file,
                column=col.name,
            )
        if not area.strip():
            raise DataError("area must not be empty", file=raw.file)
        return np.zeros(n, dtype=np.int32), [area.strip()]
    if col is None:
        raise DataError(
            "the file has no Sagsemne column: pass area='...' to say which area it covers",
            file=raw.file,
        )
    extra = {} if area is None else {str(k).strip(): str(v).strip() for k, v in dict(area).items()}
    extra_folded = {fold(k): v for k, v in extra.items()}
    labels_u = []
    for u, text in enumerate(col.uniques):
        if text in _NO_AREA:
            pos = col.first_pos(u)
            raise DataError(
                "area is empty" + (f" (written {text!r})" if text else ""),
                file=raw.file, row=int(raw.lines[pos]), column=col.label(pos),
            )
        key = fold(text)
        mapped = AREA_NAMES.get(key) if map_names else None
        labels_u.append(extra.get(text) or extra_folded.get(key) or mapped or text)
    labels = list(dict.fromkeys(labels_u))
    where = {lab: i for i, lab in enumerate(labels)}
    map_u = np.array([where[lab] for lab in labels_u], dtype=np.int32)
    return map_u[col.codes], labels


# --------------------------------------------------------------------------- building the tidy table


def string_array(idx: np.ndarray, labels) -> pd.api.extensions.ExtensionArray:
    """A pandas "str" array from indices into *labels*, built by pyarrow (fast for 1M rows)."""
    dictionary = pa.array([str(x) for x in labels], type=pa.large_string())
    if len(dictionary) == 1:
        return pd.array(pa.repeat(dictionary[0], len(idx)), dtype="str")
    return pd.array(dictionary.take(pa.array(np.asarray(idx, dtype=np.int32))), dtype="str")


def _by_code(column: str) -> dict[str, str]:
    """kommunekode -> *column* for the 98 municipalities and Hele landet."""
    out = by_code(column)
    out[NATIONAL_CODE] = NATIONAL_NAME
    return out


def _has_duplicates(key: np.ndarray, space: int) -> bool:
    """Whether non-negative int keys < *space* repeat (a bincount when the space is small)."""
    if len(key) < 2:
        return False
    if space <= max(4 * len(key), 1 << 20):
        return bool((np.bincount(key, minlength=space) > 1).any())
    return bool(pd.Series(key).duplicated().any())


class _Background:
    """Run *func* in a thread (pyarrow and numpy release the GIL); ``result()`` joins."""

    def __init__(self, func):
        self._out = self._err = None
        self._thread = threading.Thread(target=self._run, args=(func,), daemon=True)
        self._thread.start()

    def _run(self, func):
        try:
            self._out = func()
        except BaseException as err:  # re-raised in the caller's thread
            self._err = err

    def result(self):
        self._thread.join()
        if self._err is not None:
            raise self._err
        return self._out


_THREAD_ROWS = 100_000  # build string columns in a second thread from this many rows on


def assemble(raw: RawTable, kidx, kcodes, pidx, ptable, aidx, alabels, counts, afvist, afvist_missing,
              source, extras=None, checks=None, rows=None) -> pd.DataFrame:
    """Check (kommune, period, area) is unique and build the tidy DataFrame.

    *rows*, if given, are the positions to keep of every per-row argument
    (and of ``raw.lines``). *checks*, if given, runs first in this thread
    while, for large tables, another thread picks the kept rows of kommune,
    period and area, checks they are unique and builds the text columns, so
    validation and building overlap (pyarrow and numpy release the GIL).
    Missing afvist values (*afvist_missing*) may hold anything in *afvist*.
    """
    names, regions = _by_code("kommune"), _by_code("region")
    npd, na = max(len(ptable), 1), max(len(alabels), 1)
    starts = np.array([p[1] for p in ptable], dtype="datetime64[us]").reshape(-1)
    ends = np.array([p[2] for p in ptable], dtype="datetime64[us]").reshape(-1)
    n = len(kidx) if rows is None else len(rows)

    p = pidx if rows is None else pidx[rows]

    def keyed_columns():
        """(duplicate, None) for a repeated (kommune, period, area), else (None, columns)."""
        k, a = (kidx, aidx) if rows is None else (kidx[rows], aidx[rows])
        key = k.astype(np.int64)
        key *= npd
        key += p
        key *= na
        key += a
        if _has_duplicates(key, len(kcodes) * npd * na):
            pos = int(np.flatnonzero(pd.Series(key).duplicated().to_numpy())[0])
            first = int(np.flatnonzero(key == key[pos])[0])
            return (pos, first, int(k[pos]), int(p[pos]), int(a[pos])), None
        if isinstance(source, str):
            src = string_array(np.zeros(n, dtype=np.int32), [source])
        else:
            codes, labels = source
            src = string_array(codes if rows is None else codes[rows], labels)
        return None, {
            "kommunekode": string_array(k, kcodes),
            "kommune": string_array(k, [names[c] for c in kcodes]),
            "region": string_array(k, [regions[c] for c in kcodes]),
            "period": string_array(p, [q[0] for q in ptable]),
            "area": string_array(a, alabels),
            "source": src,
        }

    job = _Background(keyed_columns) if n >= _THREAD_ROWS else None
    if checks is not None:
        checks()
    numbers = {
        "period_start": starts[p] if len(starts) else np.zeros(0, "datetime64[us]"),
        "period_end": ends[p] if len(ends) else np.zeros(0, "datetime64[us]"),
    }
    for c in COUNT_COLUMNS:
        numbers[c] = (counts[c] if rows is None else counts[c][rows]).astype(np.int64)
    miss = np.asarray(afvist_missing if rows is None else afvist_missing[rows], dtype=bool)
    af = afvist if rows is None else afvist[rows]
    with np.errstate(invalid="ignore"):  # NaN where missing: set to 0 right after
        data = af.astype(np.int64)
    data[miss] = 0
    numbers["afvist"] = pd.arrays.IntegerArray(data, miss)
    dup, texts = job.result() if job is not None else keyed_columns()
    if dup is not None:
        pos, first, k, p, a = dup
        lines = raw.lines if rows is None else raw.lines[rows[[pos, first]]]
        pos, first = (pos, first) if rows is None else (0, 1)
        raise DataError(
            f"duplicate row for kommune {names[kcodes[k]]!r}, period {ptable[p][0]!r}, area "
            f"{alabels[a]!r} (first seen on row {int(lines[first])})",
            file=raw.file,
            row=int(lines[pos]),
        )
    # copy=False: the arrays are this function's own, and consolidating them into 2-D
    # blocks would copy a million-row table once more for nothing
    df = pd.DataFrame({c: texts[c] if c in texts else numbers[c] for c in CASE_COLUMNS}, copy=False)
    for name, values in (extras or {}).items():
        df[name] = values
    return df


def source_key(prefix: str, path) -> str:
    return f"{prefix}:{os.path.basename(os.fspath(path))}"

def skipped_note(raw: RawTable, col: TextColumn, kidx: np.ndarray) -> list[str]:
    """One warning counting the rows skipped as region/landsdel totals."""
    skipped = kidx < 0
    if not skipped.any():
        return []
    rows = np.unique(raw.lines[skipped]).size
    names = [u for u in col.uniques if skip_kommune(u)]
    shown = ", ".join(map(repr, names[:5])) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return [
        f"skipped {rows} row{'s' if rows != 1 else ''} for regions or landsdele ({shown}): "
        "they are sums of municipalities, not municipalities"
    ]
