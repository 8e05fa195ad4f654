"""Read the agencies' own downloads into the tidy table.

Three readers, one result: every function returns the tidy table described in
:mod:`danmark.schema` (one row per kommune × period × area, counts as int64,
``afvist`` as nullable Int64) and raises :class:`danmark.DataError` naming the
file, the row (as a spreadsheet shows it: the header is row 1) and the column
for anything it cannot read.

* :func:`read_talportal` -- Ankestyrelsen's Talportal export: the wide
  ``;``-separated CSV, the same table saved from its Excel export (two-row
  header, "Kilde:" footer) and, with openpyxl installed, the ``.xlsx``;
* :func:`read_statbank` -- Statistikbanken ANKEAST1 (years) and ANKEAST2
  (quarters), long format with one column per dimension and ``INDHOLD``;
* :func:`read_cases` -- the tidy table itself, as written by ``df.to_csv``.

Shared rules
------------
* **Encoding.** Without ``encoding=`` a file is read as UTF-8 (a byte-order
  mark is allowed) and, if that fails, as cp1252 (what Excel on Danish Windows
  writes). Text such as ``"SolrÃ¸d"`` means UTF-8 was decoded as cp1252/Latin-1
  somewhere; the readers refuse it rather than guess.
* **Delimiter.** ``;``, ``,`` or tab, sniffed from the header line.
* **Numbers.** Counts may be written ``1234``, ``1.234`` (Danish thousands
  separator), ``1 234`` or ``12,0``/``12.0``. Each column's convention is
  settled by a value that reads only one way: ``1.234,5`` (both marks),
  ``1.234.567`` (a repeated mark separates thousands) or ``11,0``/``12.50``
  (a mark not followed by a group of three digits is a decimal mark). When
  nothing settles it, the Danish convention of the agencies' downloads reads
  ``5.000`` as five thousand, but ``2,000`` -- two thousand in English, two
  with three decimals in Danish -- is an error naming the row (pass
  ``decimal=","`` or ``decimal="."`` to the reader to decide). A count that is
  not a whole number, is negative or is text is an error.
* **UTF-16.** Excel's "Unicode text" export (UTF-16, tab-separated) is
  recognised by its byte-order mark or its NUL bytes and read as such.
* **Missing values.** ``.`` and ``..`` (and ``-`` in Statistikbanken) mean "no
  figure". A row in which *every* count is missing reports no decisions and is
  dropped. A row with some counts but a missing stadfæstelse, ændring or
  hjemvisning is an error: danmark never turns a missing count into NaN or 0.
  A missing afvisning gives ``afvist`` = <NA>.
* **Municipalities** go through :func:`danmark.normalize_kommune` (old
  spellings "Århus", "Ålborg" are accepted); "Hele landet" becomes kommunekode
  ``"000"``. In the agencies' downloads, rows for regions and landsdele
  (names starting "Region " or "Landsdel ") are skipped: they are sums of
  municipalities, not municipalities. A :class:`ReaderWarning` says how many.
* **Source keys** are ``"talportal:<file name>"`` and ``"statbank:<file
  name>"``; they name the download, not a row of ``data/sources.csv``.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import threading
import unicodedata
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from .errors import DataError
from .kommuner import NATIONAL_CODE, NATIONAL_NAME, _table, normalize_kommune
from .periods import parse_period
from .schema import CASE_COLUMNS, COUNT_COLUMNS

__all__ = ["read_talportal", "read_statbank", "read_cases", "ReaderWarning"]


class ReaderWarning(UserWarning):
    """A file was read, but something about it deserves the analyst's attention.

    Issued (once per call) when a check could not be made or rows were left
    out on purpose: a Talportal export without ``Afvisning.Henvisning`` or
    ``Antal_sager_ialt`` (the counts cannot be checked against the total), or
    rows for regions and landsdele that were skipped.
    """


def _warn(messages, stacklevel: int = 3) -> None:
    for message in messages:
        warnings.warn(message, ReaderWarning, stacklevel=stacklevel)


def _check_decimal(decimal, file) -> None:
    if decimal not in (None, ",", "."):
        raise DataError(f"decimal must be ',' or '.' (or None to decide from the file), got {decimal!r}", file=file)

_HEAD_BYTES = 1 << 16
_MISSING = frozenset({"", ".", ".."})
_MISSING_STATBANK = frozenset({"", ".", "..", "-"})
_DERIVED = ("n", "omgjort", "omg_pct")


# --------------------------------------------------------------------------- text helpers


def _fold(text) -> str:
    """Lower-case ASCII key: æ→ae, ø→oe, å→aa, anything else non-alphanumeric → "_"."""
    s = str(text).replace("\ufeff", "").strip().lower()
    s = s.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


def _is_mojibake(text: str) -> bool:
    """True for UTF-8 text that was decoded as cp1252/Latin-1 ("SolrÃ¸d")."""
    if text.isascii():
        return False
    for enc in ("cp1252", "latin-1"):
        try:
            fixed = text.encode(enc).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        return fixed != text
    return False


def _mojibake_error(text: str, encoding: str, file, row=None, column=None) -> DataError:
    try:
        fixed = text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        fixed = text.encode("latin-1", errors="replace").decode("utf-8", errors="replace")
    how = (
        f"read it with encoding='utf-8' instead of {encoding!r}"
        if _fold(encoding) not in ("utf_8", "utf8", "utf_8_sig")
        else "the file itself holds the garbled text (it was opened and saved in the wrong "
        "encoding): download it again, or repair it with "
        "text.encode('cp1252').decode('utf-8')"
    )
    return DataError(
        f"{text!r} looks like UTF-8 text decoded as cp1252/Latin-1 (should it read {fixed!r}?): "
        f"the file was decoded wrongly; {how}",
        file=file,
        row=row,
        column=column,
    )


# --------------------------------------------------------------------------- column containers


class _Col:
    """A text column as integer codes into its (stripped) distinct values."""

    __slots__ = ("codes", "uniques", "name", "names")

    def __init__(self, codes, uniques, name: str, names=None):
        uniques = np.asarray([("" if u is None else str(u)).strip() for u in uniques], dtype=object)
        codes = np.asarray(codes)
        if codes.dtype.kind != "i":  # pyarrow's int32 indices are kept as they are
            codes = codes.astype(np.intp)
        if len(uniques):
            # stripping can make two values equal ("Solrød" and "Solrød "): merge them
            remap, merged = pd.factorize(uniques)
            if len(merged) < len(uniques):
                codes = remap[codes]
                uniques = np.asarray(merged, dtype=object)
        self.codes = codes
        self.uniques = uniques
        self.name = name
        self.names = names

    @classmethod
    def from_values(cls, values, name: str, names=None) -> _Col:
        arr = np.asarray(values, dtype=object)
        codes, uniques = pd.factorize(arr, use_na_sentinel=False)
        return cls(codes, np.asarray(uniques, dtype=object), name, names)

    def __len__(self) -> int:
        return len(self.codes)

    def first_pos(self, u) -> int:
        return int(np.flatnonzero(np.isin(self.codes, np.atleast_1d(u)))[0])

    def label(self, pos: int) -> str:
        return self.name if self.names is None else str(self.names[pos])

    def values(self) -> np.ndarray:
        return self.uniques[self.codes]

    def take(self, idx) -> _Col:
        names = None if self.names is None else self.names[idx]
        # keep only the values still present, so every unique has a row to point at
        codes, used = pd.factorize(self.codes[idx])
        return _Col(codes, self.uniques[used], self.name, names)


class _Num:
    """A numeric column (float64, NaN = missing); *whole* if parsed from integers."""

    __slots__ = ("values", "name", "names", "whole")

    def __init__(self, values, name: str, names=None, whole: bool = False):
        self.values = np.asarray(values, dtype=np.float64)
        self.name = name
        self.names = names
        self.whole = whole

    def __len__(self) -> int:
        return len(self.values)

    def label(self, pos: int) -> str:
        return self.name if self.names is None else str(self.names[pos])

    def take(self, idx) -> _Num:
        return _Num(self.values[idx], self.name, None if self.names is None else self.names[idx], self.whole)


class _Raw:
    """A file read as columns of text (or numbers), with each row's line number.

    ``decimal`` is the caller's decimal mark for counts (None: decide per column)
    and ``hint`` the decimal mark of the source's locale (None: no hint); see
    :func:`_decimal_mark`.
    """

    decimal: str | None = None
    hint: str | None = None

    def __init__(self, file, encoding: str, sep: str, header: list[str], cols: dict, lines):
        self.file = file
        self.encoding = encoding
        self.sep = sep
        self.header = header
        self.cols = cols
        self.lines = np.asarray(lines, dtype=np.int64)

    @property
    def n(self) -> int:
        return len(self.lines)

    def take(self, idx) -> None:
        self.cols = {k: v.take(idx) for k, v in self.cols.items()}
        self.lines = self.lines[idx]


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
_INNER_SPACE = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?:\D|$))")

#: status codes of :func:`_parse_numbers`
_OK, _MISS, _BAD, _AMBIGUOUS = 0, 1, 2, 3


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


def _parse_numbers(uniques, missing, decimal=None, hint=None) -> tuple[np.ndarray, np.ndarray, str]:
    """Parse distinct texts: values (NaN unless ok), status per text, and the decimal mark used.

    Status is ``_OK``, ``_MISS`` (a missing-value token), ``_BAD`` (not a
    number) or ``_AMBIGUOUS`` (see :func:`_decimal_mark`).
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
            status[i] = _MISS
        elif t in ambiguous:
            status[i] = _AMBIGUOUS
        elif pattern.fullmatch(t):
            vals[i] = float(t.replace(thousands, "").replace(mark, "."))
        else:
            status[i] = _BAD
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


def _numbers(col, raw: _Raw, missing) -> np.ndarray:
    """Column as float64 (NaN = missing); text that is not a number is a DataError."""
    if isinstance(col, _Num):
        return col.values
    vals, status, mark = _parse_numbers(col.uniques, missing, raw.decimal, raw.hint)
    bad = np.flatnonzero(status >= _BAD)
    if bad.size:
        pos = col.first_pos(bad)
        u = col.codes[pos]
        value = col.uniques[u]
        if status[u] == _AMBIGUOUS:
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


def _check_counts(vals: np.ndarray, col, raw: _Raw) -> None:
    """Whole, non-negative numbers (NaN allowed: the caller decides about missing)."""

    def shown(pos):
        got = f"{vals[pos]:g}"
        if isinstance(col, _Col):
            written = col.uniques[col.codes[pos]]
            if written != got:
                return f"{got} (written {written!r})"
        return got

    with np.errstate(invalid="ignore"):
        whole = isinstance(col, _Num) and col.whole
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
    if neg.any():
        pos = int(np.flatnonzero(neg)[0])
        raise DataError(
            f"{col.label(pos)} must not be negative; got {shown(pos)}",
            file=raw.file,
            row=int(raw.lines[pos]),
            column=col.label(pos),
        )


# --------------------------------------------------------------------------- file access


def _utf16(data: bytes) -> str | None:
    """"utf-16" (with a byte-order mark), "utf-16-le"/"-be" (NUL-byte pattern) or None."""
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        return None  # UTF-32: not something Excel writes
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    sample = data[:4096]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    # ASCII text in UTF-16: every other byte is NUL
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _utf16_error(path, encoding: str) -> DataError:
    return DataError(
        f"the file is UTF-16 (Excel's 'Unicode text' export), but encoding={encoding!r} was "
        "given: leave encoding out (danmark reads UTF-16) or pass encoding='utf-16', or save "
        "the sheet from Excel as 'CSV UTF-8'",
        file=path,
    )


def _is_utf16(encoding: str) -> bool:
    return _fold(encoding).startswith("utf_16")


def _head(path, encoding):
    """First bytes of *path* decoded: (text, encoding, whole_file_read)."""
    path = Path(path)
    with open(path, "rb") as fh:
        raw = fh.read(_HEAD_BYTES)
        more = bool(fh.read(1))
    wide = _utf16(raw)
    if wide is not None:
        if encoding is not None and not _is_utf16(encoding):
            raise _utf16_error(path, encoding)
        encoding = encoding or wide
        raw = raw[: len(raw) // 2 * 2] if more else raw
    elif not raw.replace(codecs.BOM_UTF8, b"").strip():
        raise DataError("the file is empty", file=path)
    if encoding is not None:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(raw, final=not more)
        except LookupError:
            raise DataError(f"unknown encoding {encoding!r}", file=path) from None
        except UnicodeDecodeError as err:
            raise DataError(
                f"cannot decode the file as {encoding!r} (byte {err.start}); try "
                "encoding='cp1252' for files saved by Excel on Windows, or encoding='utf-8'",
                file=path,
            ) from None
        text = text.lstrip("\ufeff")
        if not text.strip():
            raise DataError("the file is empty", file=path)
        return text, encoding, not more
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(raw, final=not more)
        return text, "utf-8-sig", not more
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252", not more


def _head_rows(text: str, k: int = 3) -> tuple[str, list[list[str]]]:
    """Sniff the delimiter from the first non-blank line and parse up to *k* rows."""
    # split on newlines only: str.splitlines() also breaks at "\x85", which is what
    # Latin-1 makes of the second byte of a UTF-8 "Å"
    lines = [ln.rstrip("\r") for ln in text.split("\n") if ln.strip(" \t\r;,")]
    first = lines[0] if lines else ""
    counts = {s: first.count(s) for s in (";", ",", "\t")}
    sep = max(counts, key=lambda s: counts[s]) if max(counts.values()) > 0 else ";"
    rows = list(csv.reader(io.StringIO("\n".join(lines[:k])), delimiter=sep))
    return sep, rows


def _sniff(path, encoding, file):
    """Decode the file's first lines: (encoding, delimiter, header cells, head rows), width checked."""
    head, enc, _ = _head(path, encoding)
    sep, rows = _head_rows(head)
    header = [c.replace("\ufeff", "") for c in rows[0]] if rows else []
    _check_width(file, header, sep, enc)
    return enc, sep, header, rows


def _read_text(path, encoding) -> tuple[str, str]:
    data = Path(path).read_bytes()
    if encoding is None:
        encoding = _utf16(data)
    if encoding is None:
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace"), "cp1252"
    try:
        return data.decode(encoding).lstrip("\ufeff"), encoding
    except UnicodeDecodeError as err:
        raise DataError(
            f"cannot decode the file as {encoding!r} (byte {err.start}); try "
            "encoding='cp1252' for files saved by Excel on Windows, or encoding='utf-8'",
            file=path,
        ) from None


def _csv_records(path, encoding, sep) -> tuple[list[list[str]], list[int], str]:
    """All non-blank records of a text file with their (1-based) line numbers."""
    text, enc = _read_text(path, encoding)
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    rows, lines = [], []
    prev = 0
    for rec in reader:
        start = prev + 1
        prev = reader.line_num
        if any(c.strip() for c in rec):
            rows.append(rec)
            lines.append(start)
    return rows, lines, enc


def _xlsx_records(path) -> tuple[list[list[str]], list[int]]:
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise DataError(
            "reading .xlsx files needs openpyxl (python -m pip install openpyxl); "
            "or save the sheet as CSV and read that",
            file=path,
        ) from None
    sheet = pd.read_excel(path, header=None, dtype=object, sheet_name=0)
    rows, lines = [], []
    for i, rec in enumerate(sheet.itertuples(index=False), start=1):
        cells = ["" if v is None or (isinstance(v, float) and v != v) else _cell_text(v) for v in rec]
        if any(c.strip() for c in cells):
            rows.append(cells)
            lines.append(i)
    return rows, lines


def _cell_text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _is_footer(rec: list[str]) -> bool:
    if not rec or not rec[0][:12].strip().lower().startswith("kilde"):
        return False
    cells = [c for c in rec if c.strip()]
    return len(cells) == 1 and _fold(cells[0]).startswith("kilde")


def _records_to_raw(file, encoding, sep, header, records, lines) -> _Raw:
    """Square up parsed records under *header*: trailing footer/notes, padding, width."""
    width = len(header)
    # drop the "Kilde: Ankestyrelsen (YYYY)" footer and any one-cell notes after it
    end = len(records)
    for i, rec in enumerate(records):
        if _is_footer(rec):
            rest = records[i + 1 :]
            if all(len([c for c in r if c.strip()]) <= 1 for r in rest):
                end = i
                break
    records, lines = records[:end], lines[:end]
    grid = []
    for rec, line in zip(records, lines, strict=True):
        if len(rec) == 1 and width > 1:
            raise DataError(
                f"this row has 1 field but the header has {width}: wrong delimiter? "
                f"(the header is split on {sep!r}; this row reads {rec[0][:60]!r})",
                file=file,
                row=line,
            )
        if len(rec) > width:
            if any(c.strip() for c in rec[width:]):
                raise DataError(
                    f"this row has {len(rec)} fields but the header has {width}: wrong "
                    f"delimiter, or an unquoted {sep!r} inside a value?",
                    file=file,
                    row=line,
                )
            rec = rec[:width]
        elif len(rec) < width:
            rec = rec + [""] * (width - len(rec))
        grid.append(rec)
    arr = np.array(grid, dtype=object).reshape(len(grid), width)
    cols = {}
    for j, name in enumerate(header):
        cols[name] = _Col.from_values(arr[:, j], name)
    return _Raw(file, encoding, sep, header, cols, lines)


def _drop_blank_header_columns(raw: _Raw) -> None:
    for name in list(raw.cols):
        col = raw.cols[name]
        if name.strip() == "" and isinstance(col, _Col) and all(u == "" for u in col.uniques):
            del raw.cols[name]
    raw.header = [h for h in raw.header if h in raw.cols]


def _check_width(file, header: list[str], sep: str, encoding: str = "utf-8") -> None:
    for h in header:
        if _is_mojibake(h):
            raise _mojibake_error(h, encoding, file, row=1)
    if len([h for h in header if h.strip()]) <= 1:
        shown = header[0][:80] if header else ""
        raise DataError(
            f"found only one column ({shown!r}): wrong delimiter? danmark reads files "
            "separated by ';', ',' or tabs",
            file=file,
            row=1,
        )


def _footer_cut(path) -> int | None:
    """Byte offset where a trailing "Kilde: ..." footer (and blank lines) begins, if any."""
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        fh.seek(max(0, size - 8192))
        tail = fh.read()
    lines = tail.split(b"\n")
    pos = size
    cut = None
    seen_footer = False
    for line in reversed(lines[1:] if size > 8192 else lines):
        start = pos - len(line)
        text = line.strip(b" \t\r;,")
        one_cell = (b";" not in text and b"," not in text) or (
            text[:1] == b'"' and text[-1:] == b'"' and text.count(b'"') == 2
        )
        if not text.strip(b'"'):
            pass
        elif one_cell and text.lstrip(b'"')[:5].lower() == b"kilde":
            seen_footer = True
            cut = start
        elif seen_footer:
            break
        else:
            # a note after the footer, or data: only notes count, and only once a footer is found
            if b";" in line.strip(b" \t\r;") or b"," in line.strip(b" \t\r,"):
                break
        pos = start - 1
        if pos < 0:
            break
    return cut if seen_footer else None


def _load(path, encoding, *, text_cols=None, int_cols=(), missing=_MISSING) -> _Raw:
    """Read a one-header-line CSV: pyarrow when the file is regular, csv module otherwise.

    *text_cols* (header names; ``None`` = all) are read as text, *int_cols* as
    numbers with *missing* tokens as NaN. Irregular files (footer, ragged rows,
    odd numbers) fall back to Python's csv module, which reports exact lines.
    """
    enc, sep, header, _ = _sniff(path, encoding, path)
    names = [h for h in header if h] if text_cols is None else list(text_cols)
    names = [h for h in dict.fromkeys(names) if h not in set(int_cols)]
    int_cols = list(int_cols)
    arrow_enc = "utf8" if _fold(enc) in ("utf_8", "utf8", "utf_8_sig") else enc
    # pyarrow for regular files; UTF-16 (rare, small) goes through the csv module
    if len(set(header)) == len(header) and all(h.strip() == h for h in names + int_cols) and not _is_utf16(enc):
        cut = _footer_cut(path)
        for attempt in (arrow_enc, "cp1252") if encoding is None else (arrow_enc,):
            source = path
            if cut is not None:
                source = pa.BufferReader(pa.memory_map(str(path)).read_buffer()[:cut])
            try:
                table = pacsv.read_csv(
                    source,
                    read_options=pacsv.ReadOptions(encoding=attempt, block_size=1 << 23),
                    parse_options=pacsv.ParseOptions(delimiter=sep, ignore_empty_lines=False),
                    convert_options=pacsv.ConvertOptions(
                        include_columns=names + int_cols,
                        column_types={
                            **{c: pa.dictionary(pa.int32(), pa.string()) for c in names},
                            **{c: pa.int64() for c in int_cols},
                        },
                        null_values=sorted(missing),
                        strings_can_be_null=False,
                        quoted_strings_can_be_null=False,
                    ),
                )
            except pa.ArrowInvalid as err:
                if "UTF8" in str(err) and attempt != "cp1252" and encoding is None:
                    enc = "cp1252"
                    continue
                break
            except (pa.ArrowKeyError, KeyError):
                break
            raw = _from_arrow(path, enc, sep, header, table, names, int_cols)
            if raw is not None:
                return raw
            break
    records, lines, enc = _csv_records(path, None if enc == "utf-8-sig" else enc, sep)
    raw = _records_to_raw(path, enc, sep, [h.replace("\ufeff", "") for h in records[0]], records[1:], lines[1:])
    _drop_blank_header_columns(raw)
    return raw


def _from_arrow(path, enc, sep, header, table, names, int_cols) -> _Raw | None:
    table = table.unify_dictionaries()
    n = table.num_rows
    cols: dict = {}
    for name in names:
        arr = table.column(name)
        arr = arr.combine_chunks() if arr.num_chunks else pa.array([], pa.dictionary(pa.int32(), pa.string()))
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        codes = arr.indices.to_numpy(zero_copy_only=False)
        cols[name] = _Col(codes, arr.dictionary.to_numpy(zero_copy_only=False), name)
    for name in int_cols:
        cols[name] = _Num(table.column(name).to_numpy().astype(np.float64, copy=False), name, whole=True)
    raw = _Raw(path, enc, sep, header, cols, np.arange(2, n + 2, dtype=np.int64))
    # rows that are blank or a trailing "Kilde:" footer padded with delimiters
    blank = np.zeros(n, dtype=bool)
    first_text = next((c for c in cols.values() if isinstance(c, _Col)), None)
    empty_first = [i for i, u in enumerate(first_text.uniques) if u == ""] if first_text is not None else []
    if first_text is None or empty_first:
        blank = np.ones(n, dtype=bool) if first_text is None else (first_text.codes == empty_first[0])
        if blank.any():
            for c in cols.values():
                if isinstance(c, _Col):
                    empty_u = np.array([u == "" for u in c.uniques], dtype=bool)
                    blank &= empty_u[c.codes] if len(c.uniques) else True
                else:
                    blank &= np.isnan(c.values)
    if n and names:
        first = cols[names[0]] if header and names[0] == header[0] else None
        if first is not None and len(first.uniques):
            foot = np.array([_fold(u).startswith("kilde") for u in first.uniques], dtype=bool)
            hit = np.flatnonzero(foot[first.codes])
            others = [c for k, c in cols.items() if k != names[0]]
            # a footer row has nothing else in it ("Kildeskat;Solrød;..." is data)
            hit = [
                int(i) for i in hit
                if all((c.uniques[c.codes[i]] == "") if isinstance(c, _Col) else np.isnan(c.values[i]) for c in others)
            ]
            if hit:
                i = hit[0]
                if not blank[i + 1 :].all():
                    return None  # text after the footer: let the csv module report it
                blank[i:] = True
    if blank.any():
        raw.take(np.flatnonzero(~blank))
    return raw


def _check_mojibake(raw: _Raw) -> None:
    for h in raw.header:
        if _is_mojibake(h):
            raise _mojibake_error(h, raw.encoding, raw.file, row=1, column=h)
    for col in raw.cols.values():
        if isinstance(col, _Col):
            for u, text in enumerate(col.uniques):
                if _is_mojibake(text):
                    pos = col.first_pos(u)
                    raise _mojibake_error(text, raw.encoding, raw.file, row=int(raw.lines[pos]), column=col.label(pos))


# --------------------------------------------------------------------------- recognising formats

_TP_FIELDS = {
    "sagsemne": ("sagsemne", "emne"),
    "kommune": ("kommune", "kommunenavn"),
    "periode": ("periode", "period"),
    "aar": ("aar", "year"),
    "kvartal": ("kvartal", "quarter"),
    "afvist": ("afvisning_henvisning", "afvisning", "afvist_henvist"),
    "hjemvist": ("hjemvisning", "hjemvist"),
    "stadfaestet": ("stadfaestelse", "stadfaestet"),
    "aendret": ("aendring_ophaevelse", "aendring", "aendret_ophaevet"),
    "total": ("antal_sager_ialt", "antal_sager_i_alt", "sager_i_alt", "antal_sager"),
    "tid": ("sagsbehandlingstid",),
}
_TP_NAMES = {
    "kommune": "Kommune",
    "periode": "periode",
    "afvist": "Afvisning.Henvisning",
    "hjemvist": "Hjemvisning",
    "stadfaestet": "Stadfæstelse",
    "aendret": "Ændring.Ophævelse",
    "total": "Antal_sager_ialt",
}
_TP_MEASURES = ("afvist", "hjemvist", "stadfaestet", "aendret", "total", "tid")
_TP_LOOKUP = {alias: field for field, aliases in _TP_FIELDS.items() for alias in aliases}


def _tp_field(cell) -> str | None:
    return _TP_LOOKUP.get(_fold(cell))


def _looks_like_period(cell) -> bool:
    try:
        parse_period(cell)
    except DataError:
        return False
    return True


def _measure_columns(meas_row: list[str], width: int) -> dict[int, str]:
    """Column -> measure field, carrying a measure over the blank cells Excel leaves after it."""
    out, current = {}, None
    for j in range(width):
        cell = meas_row[j] if j < len(meas_row) else ""
        if cell.strip():
            f = _tp_field(cell)
            current = f if f in _TP_MEASURES else None
        if current is not None:
            out[j] = current
    return out


def _two_row_header(r1: list[str], r2: list[str]) -> tuple[list[str], list[str]] | None:
    """(measure row, period row) when r1/r2 are the Excel export's two header rows."""
    width = max(len(r1), len(r2))
    r1 = r1 + [""] * (width - len(r1))
    r2 = r2 + [""] * (width - len(r2))
    for meas_row, per_row in ((r1, r2), (r2, r1)):
        cols = _measure_columns(meas_row, width)
        if len(set(cols.values())) < 2:
            continue
        cells = [per_row[j].strip() for j in cols]
        if all(c == "" or _looks_like_period(c) for c in cells) and any(cells):
            if any(_tp_field(c) == "kommune" for c in r1 + r2):
                return meas_row, per_row
    return None


def _layout(rows: list[list[str]]) -> str | None:
    """Name the layout of a file from its first rows (None: not recognised)."""
    if not rows:
        return None
    top = [_fold(c) for c in rows[0]]
    fields = [_tp_field(c) for c in rows[0]]
    measures = {f for f in fields if f in _TP_MEASURES}
    if {"period", "area", "stadfaestet", "aendret", "hjemvist"} <= set(top) and (
        "kommunekode" in top or "kommune" in top
    ):
        return "tidy"
    if "kommune" in fields and len(measures) >= 2 and ("periode" in fields or "aar" in fields):
        return "talportal"
    if len(rows) >= 2 and _two_row_header(rows[0], rows[1]) is not None:
        return "talportal_excel"
    if "indhold" in top:
        return "statbank"
    return None


_LAYOUT_HINT = {
    "tidy": "this is danmark's tidy table: read it with danmark.read_cases",
    "talportal": "this looks like a Talportal export: read it with danmark.read_talportal",
    "talportal_excel": "this looks like a Talportal Excel export: read it with danmark.read_talportal",
    "statbank": "this looks like a Statistikbank table: read it with danmark.read_statbank",
}


def _neither(file, header, expected: str, layout=None) -> DataError:
    hint = _LAYOUT_HINT.get(layout, "")
    found = ", ".join(repr(h) for h in header[:12] if h) or "nothing"
    return DataError(
        f"not {expected}: found columns {found}" + (f"; {hint}" if hint else ""),
        file=file,
    )


# --------------------------------------------------------------------------- municipalities, periods, areas


def _skip_kommune(text: str) -> bool:
    key = _fold(text)
    return key.startswith("region_") or key.startswith("landsdel_") or key in ("region", "landsdel")


def _kommuner(col: _Col, raw: _Raw, *, skip_regions: bool):
    """Normalise distinct names: per-row index into distinct codes (-1 = skipped row)."""
    codes_u = []
    for u, text in enumerate(col.uniques):
        if skip_regions and _skip_kommune(text):
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


def _periods(col: _Col, raw: _Raw):
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


def _areas(col: _Col | None, raw: _Raw, area, n: int, map_names: bool = True):
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
    extra_folded = {_fold(k): v for k, v in extra.items()}
    labels_u = []
    for u, text in enumerate(col.uniques):
        if text == "":
            pos = col.first_pos(u)
            raise DataError("area is empty", file=raw.file, row=int(raw.lines[pos]), column=col.label(pos))
        key = _fold(text)
        mapped = AREA_NAMES.get(key) if map_names else None
        labels_u.append(extra.get(text) or extra_folded.get(key) or mapped or text)
    labels = list(dict.fromkeys(labels_u))
    where = {lab: i for i, lab in enumerate(labels)}
    map_u = np.array([where[lab] for lab in labels_u], dtype=np.int32)
    return map_u[col.codes], labels


# --------------------------------------------------------------------------- building the tidy table


def _strings(idx: np.ndarray, labels) -> pd.api.extensions.ExtensionArray:
    """A pandas "str" array from indices into *labels*, built by pyarrow (fast for 1M rows)."""
    dictionary = pa.array([str(x) for x in labels], type=pa.large_string())
    if len(dictionary) == 1:
        return pd.array(pa.repeat(dictionary[0], len(idx)), dtype="str")
    return pd.array(dictionary.take(pa.array(np.asarray(idx, dtype=np.int32))), dtype="str")


def _regions() -> dict[str, str]:
    kom = _table()
    out = dict(zip(kom["kommunekode"], kom["region"], strict=True))
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


def _assemble(raw: _Raw, kidx, kcodes, pidx, ptable, aidx, alabels, counts, afvist, afvist_missing,
              source, extras=None, checks=None, rows=None) -> pd.DataFrame:
    """Check (kommune, period, area) is unique and build the tidy DataFrame.

    *rows*, if given, are the positions to keep of every per-row argument
    (and of ``raw.lines``). *checks*, if given, runs first in this thread
    while, for large tables, another thread picks the kept rows of kommune,
    period and area, checks they are unique and builds the text columns, so
    validation and building overlap (pyarrow and numpy release the GIL).
    Missing afvist values (*afvist_missing*) may hold anything in *afvist*.
    """
    names = dict(zip(_table()["kommunekode"], _table()["kommune"], strict=True))
    names[NATIONAL_CODE] = NATIONAL_NAME
    regions = _regions()
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
            src = _strings(np.zeros(n, dtype=np.int32), [source])
        else:
            codes, labels = source
            src = _strings(codes if rows is None else codes[rows], labels)
        return None, {
            "kommunekode": _strings(k, kcodes),
            "kommune": _strings(k, [names[c] for c in kcodes]),
            "region": _strings(k, [regions[c] for c in kcodes]),
            "period": _strings(p, [q[0] for q in ptable]),
            "area": _strings(a, alabels),
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


def _source_key(prefix: str, path) -> str:
    return f"{prefix}:{os.path.basename(os.fspath(path))}"


# --------------------------------------------------------------------------- Talportal


def _talportal_excel_raw(file, encoding, sep, records, lines) -> _Raw:
    """Reshape the Excel export's two-row header (measure; period) into the flat layout."""
    width = max(len(records[0]), len(records[1]))
    r1 = records[0] + [""] * (width - len(records[0]))
    r2 = records[1] + [""] * (width - len(records[1]))
    meas_row, per_row = _two_row_header(r1, r2)
    measures = _measure_columns(meas_row, width)
    ids: dict[str, int] = {}
    for j in range(width):
        for cell in (r1[j], r2[j]):
            f = _tp_field(cell)
            if f in ("sagsemne", "kommune") and f not in ids and j not in measures:
                ids[f] = j
    if "kommune" not in ids:
        raise DataError("the two-row header has no Kommune column", file=file, row=lines[0])
    # the measure's own header text, carried over the blank cells after it
    shown, current = {}, ""
    for j in range(width):
        if meas_row[j].strip():
            current = meas_row[j].strip()
        if j in measures:
            shown[j] = current
    blocks: dict[str, dict[str, int]] = {}
    for j, f in measures.items():
        p = per_row[j].strip()
        if p:
            blocks.setdefault(p, {})[f] = j
    body = _records_to_raw(file, encoding, sep, [str(j) for j in range(width)], records[2:], lines[2:])
    if body.n == 0:
        raise DataError("the Excel export has a header but no data rows", file=file)
    arr = {j: body.cols[str(j)].values() for j in range(width)}
    nrow = body.n
    if "sagsemne" in ids:
        # Excel pivot layout: Sagsemne is written once per block; carry it downwards
        sag = pd.Series(arr[ids["sagsemne"]]).replace("", np.nan).ffill().fillna("")
        arr[ids["sagsemne"]] = sag.to_numpy(dtype=object)
    periods = list(blocks)
    reps = len(periods)
    cols: dict = {}
    for j in ids.values():
        name = (r1[j] or r2[j]).strip()
        cols[name] = _Col.from_values(np.repeat(arr[j], reps), name)
    # row-major: each spreadsheet row gives one tidy row per period, in column order
    cols["periode"] = _Col.from_values(np.tile(np.array(periods, dtype=object), nrow), "periode")
    for f in _TP_MEASURES:
        where = [blocks[p].get(f) for p in periods]
        if all(j is None for j in where):
            continue
        name = shown[next(j for j in where if j is not None)]
        values = [arr[j] if j is not None else np.full(nrow, "", dtype=object) for j in where]
        labels = [
            np.full(nrow, f"{shown[j] if j is not None else name} {p}", dtype=object)
            for j, p in zip(where, periods, strict=True)
        ]
        cols[name] = _Col.from_values(
            np.column_stack(values).ravel(), name, names=np.column_stack(labels).ravel()
        )
    return _Raw(file, encoding, sep, list(cols), cols, np.repeat(body.lines, reps))


def read_talportal(path, *, area=None, encoding=None, decimal=None) -> pd.DataFrame:
    """Read an Ankestyrelsen Talportal export into the tidy table.

    Reads the wide CSV export (``;``-separated, UTF-8 with or without BOM,
    columns ``Sagsemne``, ``Kommune``, ``Aar``, ``Kvartal``, ``periode``,
    ``Afvisning.Henvisning``, ``Hjemvisning``, ``Stadfæstelse``,
    ``Ændring.Ophævelse``, ``Antal_sager_ialt``, ``Sagsbehandlingstid``), the
    same table saved as CSV from its Excel export (a two-row header, measure
    over period, and a "Kilde: Ankestyrelsen (YYYY)" footer; a Sagsemne
    written only on the first row of its block is carried down) and, when
    openpyxl is installed, the ``.xlsx`` itself.

    Parameters
    ----------
    path : str or path-like
    area : None, str or mapping, optional
        None: ``area`` is the Sagsemne text, except the Danmarkskort map
        names in :data:`AREA_NAMES` ("Socialområdet" → ``"socialomraadet"``,
        "Børnehandicap"/"Børn med handicap" → ``"boernehandicap"``,
        "Voksenhandicap"/"Voksne med handicap" → ``"voksenhandicap"``). Law
        names such as "Serviceloven" are kept as written: the map's scope is
        not the same as the law's. A str labels every row (for a file without
        Sagsemne, or with a single one). A mapping from Sagsemne text to area
        label is applied first; unmapped texts follow the rule above.
    encoding : str, optional
        Forced text encoding; by default UTF-8, falling back to cp1252 (UTF-16
        is recognised by its byte-order mark).
    decimal : {None, ",", "."}, optional
        The decimal mark of the file's numbers. None (default) decides per
        column and refuses counts such as ``2,000`` that nothing in the column
        settles; ``"."`` reads them as 2000 (English format), ``","`` as 2.

    Returns
    -------
    DataFrame
        The tidy table (:data:`danmark.CASE_COLUMNS`), one row per Kommune ×
        periode × Sagsemne, in file order. ``source`` is
        ``"talportal:<file name>"``. ``Sagsbehandlingstid`` (an average) is not
        carried: it cannot be pooled by summing.

    Warns
    -----
    ReaderWarning
        When the file has no ``Afvisning.Henvisning`` or no
        ``Antal_sager_ialt`` column (so the counts cannot be checked against
        the total), and when rows for regions or landsdele were skipped.

    Raises
    ------
    DataError
        Naming file, row and column: missing columns, text or fractional or
        negative counts, ambiguous numbers (``2,000``), stadfæstelse + ændring
        + hjemvisning ≠ Antal_sager_ialt − Afvisning.Henvisning
        (realitetsbehandlede sager), ``Aar``/``Kvartal`` that disagree with
        ``periode``, unknown municipalities, unreadable periods, duplicate
        rows, an empty file, a wrong delimiter or wrongly decoded text.

    Notes
    -----
    A row whose counts are all ``.`` (no decisions) is dropped. A row with
    cases but a ``.`` in Stadfæstelse, Ændring.Ophævelse or Hjemvisning is an
    error. A ``.`` in Afvisning.Henvisning gives ``afvist`` = <NA>; then only
    stadfæstelse + ændring + hjemvisning ≤ Antal_sager_ialt can be checked.

    Examples
    --------
    A two-row file with made-up numbers, in the export's layout:

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "talportal.csv"
    >>> _ = path.write_text(
    ...     "Sagsemne;Kommune;Aar;Kvartal;periode;Afvisning.Henvisning;Hjemvisning;"
    ...     "Stadfæstelse;Ændring.Ophævelse;Antal_sager_ialt;Sagsbehandlingstid\\n"
    ...     "Voksenhandicap;Århus;2022;;2022;2;3;10;1;16;95\\n"
    ...     "Voksenhandicap;Hele landet;2022;4;2022 - 4. kvartal;.;6;30;4;.;.\\n",
    ...     encoding="utf-8")
    >>> df = read_talportal(path)
    >>> df[["kommunekode", "kommune", "period", "area", "stadfaestet", "afvist"]]
      kommunekode      kommune  period            area  stadfaestet  afvist
    0         751       Aarhus    2022  voksenhandicap           10       2
    1         000  Hele landet  2022Q4  voksenhandicap           30    <NA>
    >>> df["source"].iloc[0]
    'talportal:talportal.csv'
    """
    file = path
    _check_decimal(decimal, file)
    if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        records, lines = _xlsx_records(path)
        if not records:
            raise DataError("the file is empty", file=file)
        raw = _talportal_from_records(file, "xlsx", ";", records, lines)
    else:
        enc, sep, header, rows = _sniff(path, encoding, file)
        layout = _layout(rows)
        if layout == "talportal":
            fields = {}
            for h in header:
                f = _tp_field(h)
                if f is not None and f not in fields:
                    fields[f] = h
            int_cols = [fields[f] for f in ("afvist", "hjemvist", "stadfaestet", "aendret", "total") if f in fields]
            text_cols = [fields[f] for f in ("sagsemne", "kommune", "periode", "aar", "kvartal") if f in fields]
            raw = _load(path, encoding, text_cols=text_cols, int_cols=int_cols)
        elif layout == "talportal_excel":
            records, lines, enc = _csv_records(path, encoding, sep)
            raw = _talportal_from_records(file, enc, sep, records, lines)
        else:
            raise _neither(file, header, "a Talportal export (Sagsemne, Kommune, periode, Stadfæstelse, ...)", layout)
    raw.decimal, raw.hint = decimal, ","  # Talportal is Danish: "5.000" is five thousand
    df, notes = _talportal_tidy(raw, area)
    _warn(notes)
    return df


def _talportal_from_records(file, enc, sep, records, lines) -> _Raw:
    layout = _layout(records[:3])
    if layout == "talportal":
        raw = _records_to_raw(file, enc, sep, [h.strip() for h in records[0]], records[1:], lines[1:])
        _drop_blank_header_columns(raw)
        return raw
    if layout == "talportal_excel":
        if len(records) < 3:
            raise DataError("the Excel export has a header but no data rows", file=file)
        return _talportal_excel_raw(file, enc, sep, records, lines)
    raise _neither(file, records[0], "a Talportal export (Sagsemne, Kommune, periode, Stadfæstelse, ...)", layout)


def _talportal_tidy(raw: _Raw, area) -> tuple[pd.DataFrame, list[str]]:
    """The tidy table and the warnings to issue once it is built."""
    _check_mojibake(raw)
    fields: dict[str, str] = {}
    for h in raw.cols:
        f = _tp_field(h)
        if f is not None and f not in fields:
            fields[f] = h
    need = ["kommune", "stadfaestet", "aendret", "hjemvist"]
    missing = [_TP_NAMES[f] for f in need if f not in fields]
    if "periode" not in fields and "aar" not in fields:
        missing.append("periode (or Aar)")
    if "afvist" not in fields and "total" not in fields:
        missing.append("Afvisning.Henvisning or Antal_sager_ialt")
    if missing:
        raise DataError(
            f"missing required column(s) {', '.join(missing)}; found {', '.join(repr(h) for h in raw.header)}",
            file=raw.file,
        )
    if raw.n == 0:
        raise DataError("the file has a header but no data rows", file=raw.file)
    vals, cols = {}, {}
    for f in ("stadfaestet", "aendret", "hjemvist", "afvist", "total"):
        if f in fields:
            col = raw.cols[fields[f]]
            v = _numbers(col, raw, _MISSING)
            _check_counts(v, col, raw)
            vals[f], cols[f] = v, col
    miss = {f: np.isnan(v) for f, v in vals.items()}
    # a row whose counts are all '.' reports no decisions: it is dropped
    keep = ~np.logical_and.reduce(list(miss.values()))
    if not keep.any():
        raise DataError("every row's counts are missing ('.'): no decisions to read", file=raw.file)
    kidx, kcodes = _kommuner(raw.cols[fields["kommune"]], raw, skip_regions=True)
    pcol = raw.cols[fields["periode"]] if "periode" in fields else _period_from_year(raw, fields)
    pidx, ptable = _periods(pcol, raw)
    aidx, alabels = _areas(raw.cols.get(fields.get("sagsemne", "")), raw, area, raw.n)
    keep &= kidx >= 0
    if not keep.any():
        raise DataError("the file has only region totals, no municipalities", file=raw.file)
    notes = _unchecked_notes(fields) + _skipped_note(raw, raw.cols[fields["kommune"]], kidx)
    if "afvist" in vals:
        af, af_missing = vals["afvist"], miss["afvist"]
    else:
        af, af_missing = np.zeros(raw.n), np.ones(raw.n, dtype=bool)

    def checks():
        _talportal_checks(raw, vals, miss, cols, keep)
        if "periode" in fields and "aar" in fields:
            _check_year_vs_period(raw, fields, pidx, ptable, keep)

    df = _assemble(
        raw, kidx, kcodes, pidx, ptable, aidx, alabels,
        {f: vals[f] for f in COUNT_COLUMNS}, af, af_missing, _source_key("talportal", raw.file),
        checks=checks, rows=None if keep.all() else np.flatnonzero(keep),
    )
    return df, notes


def _unchecked_notes(fields) -> list[str]:
    """Warnings for a Talportal file whose counts cannot be checked against the total."""
    if "afvist" not in fields:
        return [
            "the file has no Afvisning.Henvisning column, so stadfæstelse + ændring + "
            "hjemvisning = Antal_sager_ialt − Afvisning.Henvisning could not be checked (only "
            "that the three do not exceed Antal_sager_ialt); afvist is <NA>"
        ]
    if "total" not in fields:
        return [
            "the file has no Antal_sager_ialt column, so the counts could not be checked "
            "against the total (stadfæstelse + ændring + hjemvisning = Antal_sager_ialt − "
            "Afvisning.Henvisning)"
        ]
    return []


def _skipped_note(raw: _Raw, col: _Col, kidx: np.ndarray) -> list[str]:
    """One warning counting the rows skipped as region/landsdel totals."""
    skipped = kidx < 0
    if not skipped.any():
        return []
    rows = np.unique(raw.lines[skipped]).size
    names = [u for u in col.uniques if _skip_kommune(u)]
    shown = ", ".join(map(repr, names[:5])) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return [
        f"skipped {rows} row{'s' if rows != 1 else ''} for regions or landsdele ({shown}): "
        "they are sums of municipalities, not municipalities"
    ]


_QUARTER = re.compile(r"(?<!\d)([1-4])(?!\d)")


def _check_year_vs_period(raw: _Raw, fields, pidx, ptable, keep) -> None:
    """Where a row gives Aar (and Kvartal) next to periode, they must name the same period.

    An empty Aar or Kvartal says nothing; Aar alone must contain the periode
    (Aar 2022 with periode "2022 - 4. kvartal" is fine), Aar with a Kvartal
    must be that very quarter.
    """
    aar = raw.cols[fields["aar"]]
    kv = raw.cols.get(fields.get("kvartal", ""))
    nk = max(len(kv.uniques), 1) if kv is not None else 1
    npd = max(len(ptable), 1)
    key = aar.codes.astype(np.int64)
    key *= nk
    if kv is not None:
        key += kv.codes
    key *= npd
    key += pidx
    space = max(len(aar.uniques), 1) * nk * npd
    if space <= max(4 * len(key), 1 << 20):
        present = np.flatnonzero(np.bincount(key, minlength=space))
    else:
        present = pd.unique(key)
    years: dict[str, tuple | None] = {}
    bad = []
    for k in present.tolist():
        a = aar.uniques[k // (nk * npd)]
        q_text = kv.uniques[(k // npd) % nk] if kv is not None else ""
        _, p_start, p_end = ptable[k % npd]
        if a == "":
            continue
        if a not in years:
            try:
                years[a] = parse_period(a)
            except DataError:
                years[a] = None
        if years[a] is None:
            bad.append((k, "aar", f"Aar {a!r} is not a year, so it cannot be checked against periode"))
            continue
        _, a_start, a_end = years[a]
        if not (a_start <= p_start and p_end <= a_end):
            bad.append((k, "aar", f"Aar {a!r} disagrees with periode"))
            continue
        q = _QUARTER.search(q_text) if q_text else None
        if q is not None and re.fullmatch(r"\d{4}", a):
            _, q_start, q_end = parse_period(f"{a}Q{q.group(1)}")
            if (q_start, q_end) != (p_start, p_end):
                bad.append((k, "kvartal", f"Aar {a!r} and Kvartal {q_text!r} disagree with periode"))
    # rows that are not read (regions, no decisions) are not held against the file
    first = {k: hit[0] for k, _, _ in bad if (hit := np.flatnonzero((key == k) & keep)).size}
    bad = [b for b in bad if b[0] in first]
    if not bad:
        return
    k, field, message = min(bad, key=lambda b: first[b[0]])
    pos = first[k]
    pcol = raw.cols[fields["periode"]]
    shown = pcol.uniques[pcol.codes[pos]]
    raise DataError(
        f"{message} {shown!r} ({ptable[k % npd][0]}) on this row: which period do its counts "
        "belong to? Correct the row, or drop the Aar and Kvartal columns to go by periode",
        file=raw.file,
        row=int(raw.lines[pos]),
        column=fields[field],
    )


def _talportal_checks(raw: _Raw, vals, miss, cols, keep) -> None:
    """Missing counts in rows with cases, and the identity with Antal_sager_ialt."""
    for f in ("stadfaestet", "aendret", "hjemvist"):
        partial = miss[f] & keep
        if partial.any():
            pos = int(np.flatnonzero(partial)[0])
            raise DataError(
                f"{cols[f].label(pos)} is missing ('.') in a row that has cases; danmark does "
                "not guess a count (drop the row or fill in the figure)",
                file=raw.file,
                row=int(raw.lines[pos]),
                column=cols[f].label(pos),
            )
    if "total" not in vals:
        return
    with np.errstate(invalid="ignore"):
        s3 = vals["stadfaestet"] + vals["aendret"]
        s3 += vals["hjemvist"]
        real = vals["total"] - vals["afvist"] if "afvist" in vals else np.full(raw.n, np.nan)
        # every failure below has s3 != real (NaN included): look closer at those rows only
        at = np.flatnonzero(s3 != real)
    if at.size == 0:
        return
    s3, real = s3[at], real[at]
    ae, hj, tot = vals["aendret"][at], vals["hjemvist"][at], vals["total"][at]
    af = vals["afvist"][at] if "afvist" in vals else np.full(at.size, np.nan)
    with np.errstate(invalid="ignore"):
        known = ~np.isnan(real)

        def fail(mask, message, field):
            i = int(np.flatnonzero(mask)[0])
            pos = int(at[i])
            raise DataError(message(i), file=raw.file, row=int(raw.lines[pos]), column=cols[field].label(pos))

        neg = known & (real < 0)
        if neg.any():
            fail(neg, lambda i: f"Afvisning.Henvisning = {af[i]:g} exceeds Antal_sager_ialt = {tot[i]:g}", "afvist")
        over = known & (ae + hj > real)
        if over.any():
            fail(over, lambda i: (
                f"ændret + hjemvist = {ae[i] + hj[i]:g} exceeds realitetsbehandlede = "
                f"Antal_sager_ialt − Afvisning.Henvisning = {real[i]:g}"), "hjemvist")
        bad = known & (s3 != real)
        if bad.any():
            fail(bad, lambda i: (
                f"stadfæstelse + ændring + hjemvisning = {s3[i]:g} but Antal_sager_ialt − "
                f"Afvisning.Henvisning = {tot[i]:g} − {af[i]:g} = {real[i]:g}: the counts do "
                "not add up"), "total")
        over_tot = ~known & ~np.isnan(tot) & (s3 > tot)
        if over_tot.any():
            fail(over_tot, lambda i: (
                f"stadfæstelse + ændring + hjemvisning = {s3[i]:g} exceeds "
                f"Antal_sager_ialt = {tot[i]:g}"), "total")


def _period_from_year(raw: _Raw, fields) -> _Col:
    """Build period texts from Aar (+ Kvartal) when the file has no periode column."""
    aar = raw.cols[fields["aar"]]
    kv = raw.cols.get(fields.get("kvartal", ""))
    kv_codes = kv.codes if kv is not None else np.zeros(raw.n, dtype=np.intp)
    kv_uniques = kv.uniques if kv is not None else np.array([""], dtype=object)
    pair = aar.codes.astype(np.int64) * max(len(kv_uniques), 1) + kv_codes
    codes, pairs = pd.factorize(pair)
    texts = []
    for p in pairs:
        year = aar.uniques[p // max(len(kv_uniques), 1)]
        q = re.search(r"[1-4]", str(kv_uniques[p % max(len(kv_uniques), 1)]))
        texts.append(f"{year}Q{q.group()}" if q else str(year))
    return _Col(codes, texts, aar.name)


# --------------------------------------------------------------------------- Statistikbanken

#: decision types in ANKEAST1/2 (folded, alphanumerics only) -> tidy column
_DECISIONS = {
    "stadfaestelse": "stadfaestet",
    "stadfaestet": "stadfaestet",
    "stadfaestelser": "stadfaestet",
    "aendringophaevelse": "aendret",
    "aendringogophaevelse": "aendret",
    "aendretophaevet": "aendret",
    "aendring": "aendret",
    "hjemvisning": "hjemvist",
    "hjemvist": "hjemvist",
    "hjemvisninger": "hjemvist",
    "afvisninghenvisning": "afvist",
    "afvisthenvist": "afvist",
    "afvisning": "afvist",
    "ialt": "total",
    "afgoerelserialt": "total",
    "alleafgoerelser": "total",
    "afgoerelsestypeialt": "total",
}


def _decision_key(text) -> str:
    key = re.sub(r"[^a-z]", "", _fold(re.sub(r"^\s*\d+(\.\d+)*\s+", "", str(text))))
    return key


def _classify_statbank(raw: _Raw) -> dict[str, str]:
    """Find the value, decision, period, municipality and law-basis columns."""
    folded = {h: _fold(h) for h in raw.cols}
    roles: dict[str, str] = {}
    value = next((h for h, f in folded.items() if f in ("indhold", "value", "vaerdi")), None)
    if value is None:
        last = list(raw.cols)[-1]
        col = raw.cols[last]
        _, status, _ = _parse_numbers(col.uniques, _MISSING_STATBANK, raw.decimal, raw.hint)
        if len(status) and (status != _BAD).all():
            value = last
    if value is None:
        raise _neither(raw.file, raw.header, "a Statistikbank table (no INDHOLD value column)", _layout([raw.header]))
    roles["value"] = value
    for h in raw.cols:
        if h == value:
            continue
        col = raw.cols[h]
        texts = [u for u in col.uniques if u]
        if not texts:
            continue
        keys = [_decision_key(u) for u in texts]
        if "decision" not in roles and sum(k in _DECISIONS for k in keys) >= max(1, len(keys) // 2):
            roles["decision"] = h
            continue
        if "period" not in roles and (folded[h] in ("tid", "time", "periode") or all(_looks_like_period(u) for u in texts)):
            roles["period"] = h
            continue
        if "kommune" not in roles and (folded[h] in ("omraade", "kommune")
                                      or _mostly_kommuner(texts)):
            roles["kommune"] = h
            continue
        roles.setdefault("others", "")
        roles["others"] += ("\t" if roles["others"] else "") + h
    return roles


def _mostly_kommuner(texts) -> bool:
    hits = 0
    for t in texts[:50]:
        if _skip_kommune(t):
            hits += 1
            continue
        try:
            normalize_kommune(t, allow_national=True)
            hits += 1
        except DataError:
            pass
    return hits >= max(1, 0.8 * min(len(texts), 50))


def _rates_error(file, why: str) -> DataError:
    return DataError(
        f"{why}: this looks like ANKEAST3/ANKEAST4, which hold omgørelsesprocenter (rates), "
        "not counts, so cases cannot be counted from it; download ANKEAST1 (years) or "
        "ANKEAST2 (quarters) with all afgørelsestyper instead",
        file=file,
    )


def read_statbank(path, *, encoding=None, decimal=None) -> pd.DataFrame:
    """Read a Statistikbank ANKEAST1 (yearly) or ANKEAST2 (quarterly) download.

    The long format Danmarks Statistik writes: one column per dimension
    (municipality ``OMRÅDE``, law basis ``LOVGRUNDLAG``, decision type
    ``AFGØRELSE``, time ``TID`` as "2022" or "2022K4") and the value column
    ``INDHOLD``. Headers vary, so columns are recognised by name *and* by
    content: the decision column is the one holding Stadfæstelse,
    Ændring/ophævelse, Hjemvisning and Afvisning/henvisning; the period column
    the one whose values are periods; the municipality column the one whose
    values are municipality names; the remaining one is the law basis, kept as
    written ("1 Serviceloven", "1.9 Børn - efterværn - §§ 68 og 76") as
    ``area`` (the map names in :data:`AREA_NAMES` are mapped as in
    :func:`read_talportal`). ``;`` or ``,`` separated, UTF-8 or cp1252, decimal
    comma or point (see *decimal*).

    The table is pivoted to one row per municipality × law basis × period.
    Rows for regions and landsdele are skipped; "Hele landet" becomes ``"000"``.
    An "I alt" decision type, if present, is checked against the sum of the
    four and then dropped. ``.``, ``..`` and ``-`` are missing values (see
    :mod:`danmark.readers`; if your download writes ``-`` for zero, replace it
    with 0). ``source`` is ``"statbank:<file name>"``.

    Parameters
    ----------
    path : str or path-like
    encoding : str, optional
        Forced text encoding; by default UTF-8, falling back to cp1252.
    decimal : {None, ",", "."}, optional
        The decimal mark of ``INDHOLD``. None (default) decides from the
        column ("11,0" settles a decimal comma) and refuses a value such as
        ``5,000`` that nothing settles; ``"."`` reads it as 5000 (the English
        download's format), ``","`` as 5.

    Warns
    -----
    ReaderWarning
        When rows for regions or landsdele were skipped.

    Raises
    ------
    DataError
        For ANKEAST3/ANKEAST4 (percentages: download ANKEAST1/2 instead), text
        decoded with the wrong encoding, fractional, negative or ambiguous
        (``5,000``) counts, missing decision types, duplicate cells, unknown
        municipalities, unreadable periods, and files that are not
        Statistikbank tables.

    Examples
    --------
    Made-up numbers in the download's layout:

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ANKEAST1.csv"
    >>> rows = ["OMRÅDE;LOVGRUNDLAG;AFGØRELSE;TID;INDHOLD"] + [
    ...     f"Solrød;1 Serviceloven;{a};2022;{v}" for a, v in
    ...     [("Stadfæstelse", 12), ("Ændring/ophævelse", 2),
    ...      ("Hjemvisning", 5), ("Afvisning/henvisning", 1)]]
    >>> _ = path.write_text("\\n".join(rows) + "\\n", encoding="utf-8")
    >>> read_statbank(path)[["kommune", "period", "area", "stadfaestet", "aendret", "hjemvist", "afvist"]]
      kommune period            area  stadfaestet  aendret  hjemvist  afvist
    0  Solrød   2022  1 Serviceloven           12        2         5       1
    """
    file = path
    _check_decimal(decimal, file)
    if re.search(r"ankeast[34](?!\d)", _fold(Path(path).name)):
        raise _rates_error(file, f"the file name {Path(path).name!r} names a table of percentages")
    enc, sep, header, rows = _sniff(path, encoding, file)
    layout = _layout(rows)
    if layout in ("tidy", "talportal", "talportal_excel"):
        raise _neither(file, header, "a Statistikbank table", layout)
    raw = _load(path, encoding, missing=_MISSING_STATBANK)
    # the decision types must be Danish ("Stadfæstelse"), so is the number format: "5.000"
    raw.decimal, raw.hint = decimal, ","
    _check_mojibake(raw)
    if raw.n == 0:
        raise DataError("the file has a header but no data rows", file=file)
    for h in raw.header:
        if "procent" in _fold(h):
            raise _rates_error(file, f"column {h!r} holds percentages")
    for col in raw.cols.values():
        if isinstance(col, _Col) and any("procent" in _fold(u) for u in col.uniques[:200]):
            raise _rates_error(file, f"column {col.name!r} holds percentages")
    roles = _classify_statbank(raw)
    vcol = raw.cols[roles["value"]]
    values = _numbers(vcol, raw, _MISSING_STATBANK)
    finite = values[np.isfinite(values)]
    if "decision" not in roles:
        if finite.size and (finite != np.floor(finite)).any() and finite.max() <= 100:
            raise _rates_error(file, "INDHOLD has fractional values and no decision-type column")
        raise DataError(
            "not a Statistikbank table: no column of decision types (Stadfæstelse, "
            "Ændring/ophævelse, Hjemvisning, Afvisning/henvisning) found; columns: "
            f"{', '.join(map(repr, raw.header))}",
            file=file,
        )
    frac = np.isfinite(values) & (values != np.floor(values))
    if frac.any() and finite.max() <= 100:
        pos = int(np.flatnonzero(frac)[0])
        raise DataError(
            f"INDHOLD = {values[pos]:g} is not a whole number of cases; if this is a table of "
            "percentages (ANKEAST3/ANKEAST4), download ANKEAST1 (years) or ANKEAST2 (quarters) "
            "instead",
            file=file, row=int(raw.lines[pos]), column=roles["value"],
        )
    _check_counts(values, vcol, raw)
    if "period" not in roles:
        raise DataError(f"no period column (TID) found; columns: {', '.join(map(repr, raw.header))}", file=file)
    if "kommune" not in roles:
        raise DataError(f"no municipality column (OMRÅDE) found; columns: {', '.join(map(repr, raw.header))}", file=file)
    others = [h for h in roles.get("others", "").split("\t") if h]
    law = next((h for h in others if _fold(h).startswith("lov")), None)
    if law is None and others:
        law = next((h for h in others if len(set(raw.cols[h].uniques) - {""}) > 1), others[0])
    for h in others:
        if h != law and len(set(raw.cols[h].uniques) - {""}) > 1:
            raise DataError(
                f"column {h!r} is a further dimension with {len(raw.cols[h].uniques)} values; "
                "select a single value for it in Statistikbanken, or filter the file",
                file=file, column=h,
            )
    if law is None:
        raise DataError(
            "no law-basis column (LOVGRUNDLAG) found: danmark needs it to name the area",
            file=file,
        )
    # decisions
    dcol = raw.cols[roles["decision"]]
    dkind = []
    for u, text in enumerate(dcol.uniques):
        kind = _DECISIONS.get(_decision_key(text))
        if kind is None:
            pos = dcol.first_pos(u)
            raise DataError(
                f"unknown decision type {text!r}; expected Stadfæstelse, Ændring/ophævelse, "
                "Hjemvisning, Afvisning/henvisning (or I alt)",
                file=file, row=int(raw.lines[pos]), column=dcol.name,
            )
        dkind.append(kind)
    kinds = ["stadfaestet", "aendret", "hjemvist", "afvist", "total"]
    kind_u = np.array([kinds.index(k) for k in dkind], dtype=np.intp)
    d = kind_u[dcol.codes]
    kidx, kcodes = _kommuner(raw.cols[roles["kommune"]], raw, skip_regions=True)
    pidx, ptable = _periods(raw.cols[roles["period"]], raw)
    aidx, alabels = _areas(raw.cols[law], raw, None, raw.n)
    keep = np.flatnonzero(kidx >= 0)
    if keep.size == 0:
        raise DataError("the file has only region totals, no municipalities", file=file)
    notes = _skipped_note(raw, raw.cols[roles["kommune"]], kidx)
    lines = raw.lines[keep]
    kidx, pidx, aidx, d, values = kidx[keep], pidx[keep], aidx[keep], d[keep], values[keep]
    present = set(d.tolist())
    for need, shown in ((0, "Stadfæstelse"), (1, "Ændring/ophævelse"), (2, "Hjemvisning")):
        if need not in present:
            raise DataError(
                f"the table has no {shown} rows: download it with all afgørelsestyper selected",
                file=file, column=dcol.name,
            )
    npd, na = max(len(ptable), 1), max(len(alabels), 1)
    cell = (kidx.astype(np.int64) * npd + pidx) * na + aidx
    g, cells = pd.factorize(cell)
    slot = g.astype(np.int64) * 5 + d
    dup = pd.Series(slot).duplicated().to_numpy()
    if dup.any():
        pos = int(np.flatnonzero(dup)[0])
        first = int(np.flatnonzero(slot == slot[pos])[0])
        raise DataError(
            f"duplicate cell: the same municipality, law basis, decision type and period also on row {int(lines[first])}",
            file=file, row=int(lines[pos]),
        )
    ng = len(cells)
    wide = np.full((ng, 5), np.nan)
    there = np.zeros((ng, 5), dtype=bool)
    wide[g, d] = values
    there[g, d] = True
    line_of = np.full((ng, 5), -1, dtype=np.int64)
    line_of[g, d] = lines
    first_line = np.full(ng, np.iinfo(np.int64).max)
    np.minimum.at(first_line, g, lines)
    for k, shown in ((0, "Stadfæstelse"), (1, "Ændring/ophævelse"), (2, "Hjemvisning")):
        absent = ~there[:, k]
        if absent.any():
            i = int(np.flatnonzero(absent)[0])
            raise DataError(
                f"no {shown} row for the cell first seen on this row (municipality, law basis, period)",
                file=file, row=int(first_line[i]), column=dcol.name,
            )
    miss = np.isnan(wide)
    none = miss[:, :4].all(axis=1)
    for k, shown in ((0, "Stadfæstelse"), (1, "Ændring/ophævelse"), (2, "Hjemvisning")):
        partial = ~none & miss[:, k]
        if partial.any():
            i = int(np.flatnonzero(partial)[0])
            raise DataError(
                f"{shown} is missing in a cell that has cases; danmark does not guess a count",
                file=file, row=int(line_of[i, k]), column=roles["value"],
            )
    tot_known = there[:, 4] & ~miss[:, 4] & ~miss[:, :4].any(axis=1)
    sums = np.nansum(wide[:, :4], axis=1)
    bad = tot_known & (sums != wide[:, 4])
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"the four decision types sum to {sums[i]:g} but 'I alt' is {wide[i, 4]:g}",
            file=file, row=int(line_of[i, 4]), column=roles["value"],
        )
    rows = np.flatnonzero(~none)
    if rows.size == 0:
        raise DataError("every count is missing: no decisions to read", file=file)
    first_idx = np.full(ng, len(g), dtype=np.int64)
    np.minimum.at(first_idx, g, np.arange(len(g)))
    order = rows[np.argsort(first_idx[rows], kind="stable")]
    pos = first_idx[order]
    out_raw = _Raw(file, raw.encoding, raw.sep, raw.header, {}, first_line[order])
    afv = wide[order, 3]
    df = _assemble(
        out_raw, kidx[pos], kcodes, pidx[pos], ptable, aidx[pos], alabels,
        {"stadfaestet": wide[order, 0], "aendret": wide[order, 1], "hjemvist": wide[order, 2]},
        np.nan_to_num(afv), np.isnan(afv), _source_key("statbank", file),
    )
    _warn(notes)
    return df


# --------------------------------------------------------------------------- the tidy table


def read_cases(path) -> pd.DataFrame:
    """Read the tidy table from a CSV file (as written by ``df.to_csv``) and validate it.

    Columns as in :mod:`danmark.schema`; ``kommunekode`` (or ``kommune``),
    ``period``, ``area``, ``stadfaestet``, ``aendret``, ``hjemvist`` and
    ``source`` are required, ``afvist`` is optional (empty = <NA>). A leading
    index column written by ``to_csv`` is dropped; ``period_start`` and
    ``period_end`` are recomputed from ``period``; the derived columns ``n``,
    ``omgjort`` and ``omg_pct`` are dropped (recompute them with
    :func:`danmark.with_rates`). Other columns are kept after the schema's own
    (numbers as numbers, the rest as text).

    Raises :class:`DataError` naming file, row and column for the problems
    listed in :func:`danmark.validate_cases`, and suggests the right reader for
    a Talportal or Statistikbank download.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from danmark.schema import validate_cases
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "cases.csv"
    >>> raw = pd.DataFrame({"kommune": ["Solrød"], "period": ["2020-2023H1"],
    ...     "area": ["voksenhandicap"], "stadfaestet": [4], "aendret": [1],
    ...     "hjemvist": [9], "source": ["solrod_2024"]})
    >>> validate_cases(raw).to_csv(path)
    >>> read_cases(path)[["kommunekode", "period", "hjemvist", "afvist"]]
      kommunekode       period  hjemvist  afvist
    0         269  2020-2023H1         9    <NA>
    """
    enc, sep, header, rows = _sniff(path, None, path)
    layout = _layout(rows)
    if layout in ("talportal", "talportal_excel", "statbank"):
        raise _neither(path, header, "danmark's tidy table", layout)
    raw = _load(path, None, missing=frozenset({""}))
    return _tidy(raw)


def _tidy(raw: _Raw, source=None) -> pd.DataFrame:
    """Validate columns of the tidy table (vectorised over distinct values)."""
    _check_mojibake(raw)
    cols = dict(raw.cols)
    names = list(cols)
    if names and names[0] in ("", "Unnamed: 0"):
        first = cols[names[0]]
        if isinstance(first, _Num) or (_parse_numbers(first.uniques, frozenset())[1] == _OK).all():
            del cols[names[0]]
    for c in _DERIVED + ("period_start", "period_end"):
        cols.pop(c, None)
    cols = {k.strip(): v for k, v in cols.items()}
    if source is not None and "source" not in cols:
        cols["source"] = _Col(np.zeros(raw.n, dtype=np.intp), [str(source)], "source")
    need = ["period", "area", *COUNT_COLUMNS, "source"]
    missing = [c for c in need if c not in cols]
    if "kommunekode" not in cols and "kommune" not in cols:
        missing.insert(0, "kommunekode or kommune")
    if missing:
        layout = _layout([raw.header])
        hint = f"; {_LAYOUT_HINT[layout]}" if layout in _LAYOUT_HINT and layout != "tidy" else ""
        raise DataError(
            f"missing required column(s) {', '.join(missing)}; found {', '.join(map(repr, raw.header))}{hint}",
            file=raw.file,
        )
    if raw.n == 0:
        raise DataError("the table has no rows", file=raw.file)
    key_col = cols["kommunekode"] if "kommunekode" in cols else cols["kommune"]
    if isinstance(key_col, _Num):
        key_col = _Col.from_values([_num_text(v) for v in key_col.values], key_col.name)
    kidx, kcodes = _kommuner(key_col, raw, skip_regions=False)
    if "kommunekode" in cols and isinstance(cols.get("kommune"), _Col):
        _check_names_match(cols["kommune"], kidx, kcodes, raw)
    pcol = cols["period"]
    if isinstance(pcol, _Num):
        pcol = _Col.from_values([_num_text(v) for v in pcol.values], pcol.name)
    pidx, ptable = _periods(pcol, raw)
    acol = cols["area"]
    if isinstance(acol, _Num):
        acol = _Col.from_values([_num_text(v) for v in acol.values], acol.name)
    aidx, alabels = _areas(acol, raw, {}, raw.n, map_names=False)
    counts = {}
    for c in COUNT_COLUMNS:
        v = _numbers(cols[c], raw, frozenset({""}))
        _check_counts(v, cols[c], raw)
        if np.isnan(v).any():
            pos = int(np.flatnonzero(np.isnan(v))[0])
            raise DataError(f"{c} is missing; a count is required here", file=raw.file, row=int(raw.lines[pos]), column=c)
        counts[c] = v
    if "afvist" in cols:
        af = _numbers(cols["afvist"], raw, frozenset({""}))
        _check_counts(af, cols["afvist"], raw)
    else:
        af = np.full(raw.n, np.nan)
    scol = cols["source"]
    if isinstance(scol, _Num):
        scol = _Col.from_values([_num_text(v) for v in scol.values], scol.name)
    empty = np.array([u == "" for u in scol.uniques], dtype=bool)
    if empty[scol.codes].any():
        pos = int(np.flatnonzero(empty[scol.codes])[0])
        raise DataError("source is empty: every row needs a source key", file=raw.file, row=int(raw.lines[pos]), column="source")
    extras = {}
    for name, col in cols.items():
        if name in CASE_COLUMNS:
            continue
        extras[name] = _extra(col)
    return _assemble(
        raw, kidx, kcodes, pidx, ptable, aidx, alabels, counts,
        np.nan_to_num(af), np.isnan(af), (scol.codes, list(scol.uniques)), extras,
    )


def _num_text(v) -> str:
    return "" if np.isnan(v) else (str(int(v)) if float(v).is_integer() else str(v))


def _extra(col):
    if isinstance(col, _Num):
        return col.values
    vals, status, _ = _parse_numbers(col.uniques, frozenset({""}))
    # numbers only when every value reads as one (an ambiguous "2,000" keeps the column text)
    if len(status) and np.isin(status, (_OK, _MISS)).all() and (status == _OK).any():
        return vals[col.codes]
    return _strings(col.codes, list(col.uniques))


def _check_names_match(kcol: _Col, kidx, kcodes, raw: _Raw) -> None:
    """When both kommunekode and kommune are given they must name the same municipality."""
    pairs, uniq = pd.factorize(kcol.codes.astype(np.int64) * (len(kcodes) + 1) + kidx)
    for p in uniq:
        name = kcol.uniques[p // (len(kcodes) + 1)]
        code = kcodes[p % (len(kcodes) + 1)]
        if name == "":
            continue
        try:
            got, _ = normalize_kommune(name, allow_national=True)
        except DataError:
            got = None
        if got != code:
            pos = int(np.flatnonzero(pairs == list(uniq).index(p))[0])
            raise DataError(
                f"kommune {name!r} does not match kommunekode {code!r}",
                file=raw.file, row=int(raw.lines[pos]), column=kcol.name,
            )


def _frame_to_raw(df: pd.DataFrame, file=None, row_offset: int = 2) -> _Raw:
    cols = {}
    for name in df.columns:
        key = str(name)
        if key.strip() in ("period_start", "period_end", *_DERIVED):
            continue  # recomputed from period / derived: not read
        s = df[name]
        if pd.api.types.is_bool_dtype(s.dtype):
            cols[key] = _Col.from_values(s.astype(object).to_numpy(), key)
        elif pd.api.types.is_numeric_dtype(s.dtype):
            cols[key] = _Num(s.to_numpy(dtype=np.float64, na_value=np.nan), key)
        elif pd.api.types.is_datetime64_any_dtype(s.dtype):
            cols[key] = _Col.from_values(s.astype(str).to_numpy(dtype=object), key)
        else:
            codes, uniques = pd.factorize(s, use_na_sentinel=True)
            uniques = list(np.asarray(uniques, dtype=object))
            if (codes < 0).any():
                codes = np.where(codes < 0, len(uniques), codes)
                uniques.append("")
            if any(not isinstance(u, str) for u in uniques):
                if all(isinstance(u, int | float | np.integer | np.floating) or u == "" for u in uniques):
                    vals = np.array([np.nan if u == "" else float(u) for u in uniques], dtype=float)
                    cols[key] = _Num(vals[codes], key)
                    continue
                uniques = [str(u) for u in uniques]
            cols[key] = _Col(codes, uniques, key)
    return _Raw(file, "utf-8", ",", [str(c) for c in df.columns], cols, np.arange(len(df)) + row_offset)


def tidy_frame(df: pd.DataFrame, *, file=None, row_offset: int = 2, source=None) -> pd.DataFrame:
    """Vectorised :func:`danmark.validate_cases`: same checks, same columns, fast for large tables.

    Names, periods and areas are normalised once per distinct value, counts
    are checked with numpy; errors name ``row_offset`` + position.

    Examples
    --------
    >>> raw = pd.DataFrame({"kommune": ["Solrød", "Århus"], "period": ["2022K4", "2022"],
    ...     "area": ["x", "x"], "stadfaestet": [4, 5], "aendret": [1, 0],
    ...     "hjemvist": [2, 1], "source": ["made-up", "made-up"]})
    >>> tidy_frame(raw)[["kommunekode", "period", "stadfaestet"]]
      kommunekode  period  stadfaestet
    0         269  2022Q4            4
    1         751    2022            5
    """
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"expected a pandas DataFrame, got {type(df).__name__}", file=file)
    if df.empty:
        raise DataError("the table has no rows", file=file)
    return _tidy(_frame_to_raw(df.reset_index(drop=True), file, row_offset), source=source)
