"""A file read as columns (text as codes into distinct values, or numbers), with line numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..errors import DataError
from ._text import (
    MISSING,
    check_utf8_damage,
    csv_records,
    fold,
    footer_cut,
    is_footer,
    is_mojibake,
    is_utf16,
    mojibake_error,
    sniff,
)

# --------------------------------------------------------------------------- column containers


class TextColumn:
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
    def from_values(cls, values, name: str, names=None) -> TextColumn:
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

    def take(self, idx) -> TextColumn:
        names = None if self.names is None else self.names[idx]
        # keep only the values still present, so every unique has a row to point at
        codes, used = pd.factorize(self.codes[idx])
        return TextColumn(codes, self.uniques[used], self.name, names)


class NumberColumn:
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

    def take(self, idx) -> NumberColumn:
        return NumberColumn(self.values[idx], self.name, None if self.names is None else self.names[idx], self.whole)


class RawTable:
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




def records_to_raw(file, encoding, sep, header, records, lines, *, pad: bool = False) -> RawTable:
    """Square up parsed records under *header*: trailing footer/notes, width.

    A row with fewer fields than the header is an error (a cut-off file) unless
    *pad* (a workbook, whose empty trailing cells carry no meaning).
    """
    width = len(header)
    # drop the "Kilde: Ankestyrelsen (YYYY)" footer and any one-cell notes after it
    end = len(records)
    for i, rec in enumerate(records):
        if is_footer(rec):
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
            if not pad:
                raise DataError(
                    f"this row has {len(rec)} field{'s' if len(rec) != 1 else ''} but the header has "
                    f"{width}: the file is cut off or the row was damaged (download it again)",
                    file=file,
                    row=line,
                )
            rec = rec + [""] * (width - len(rec))
        grid.append(rec)
    arr = np.array(grid, dtype=object).reshape(len(grid), width)
    cols = {}
    for j, name in enumerate(header):
        cols[name] = TextColumn.from_values(arr[:, j], name)
    return RawTable(file, encoding, sep, header, cols, lines)


def drop_blank_header_columns(raw: RawTable) -> None:
    for name in list(raw.cols):
        col = raw.cols[name]
        if name.strip() == "" and isinstance(col, TextColumn) and all(u == "" for u in col.uniques):
            del raw.cols[name]
    raw.header = [h for h in raw.header if h in raw.cols]




def load_csv(path, encoding, *, text_cols=None, int_cols=(), missing=MISSING) -> RawTable:
    """Read a one-header-line CSV: pyarrow when the file is regular, csv module otherwise.

    *text_cols* (header names; ``None`` = all) are read as text, *int_cols* as
    numbers with *missing* tokens as NaN. Irregular files (footer, ragged rows,
    odd numbers) fall back to Python's csv module, which reports exact lines.
    """
    enc, sep, header, _ = sniff(path, encoding, path)
    names = [h for h in header if h] if text_cols is None else list(text_cols)
    names = [h for h in dict.fromkeys(names) if h not in set(int_cols)]
    int_cols = list(int_cols)
    arrow_enc = "utf8" if fold(enc) in ("utf_8", "utf8", "utf_8_sig") else enc
    # pyarrow for regular files; UTF-16 (rare, small) goes through the csv module
    if len(set(header)) == len(header) and all(h.strip() == h for h in names + int_cols) and not is_utf16(enc):
        cut = footer_cut(path)
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
                    _utf8_or_cp1252(path)
                    enc = "cp1252"
                    continue
                break
            except (pa.ArrowKeyError, KeyError):
                break
            except UnicodeDecodeError:  # a byte cp1252 does not define: the csv module reports it
                break
            raw = _from_arrow(path, enc, sep, header, table, names, int_cols)
            if raw is not None:
                return raw
            break
    records, lines, enc = csv_records(path, None if enc == "utf-8-sig" else enc, sep)
    raw = records_to_raw(path, enc, sep, [h.replace("\ufeff", "") for h in records[0]], records[1:], lines[1:])
    drop_blank_header_columns(raw)
    return raw


def _utf8_or_cp1252(path) -> None:
    """Before a cp1252 retry: a UTF-8 file with one bad byte is an error at that byte's line."""
    with open(path, "rb") as fh:
        data = fh.read()
    check_utf8_damage(data, path)


def _from_arrow(path, enc, sep, header, table, names, int_cols) -> RawTable | None:
    table = table.unify_dictionaries()
    n = table.num_rows
    cols: dict = {}
    for name in names:
        arr = table.column(name)
        arr = arr.combine_chunks() if arr.num_chunks else pa.array([], pa.dictionary(pa.int32(), pa.string()))
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        codes = arr.indices.to_numpy(zero_copy_only=False)
        cols[name] = TextColumn(codes, arr.dictionary.to_numpy(zero_copy_only=False), name)
    for name in int_cols:
        cols[name] = NumberColumn(table.column(name).to_numpy().astype(np.float64, copy=False), name, whole=True)
    raw = RawTable(path, enc, sep, header, cols, np.arange(2, n + 2, dtype=np.int64))
    # rows that are blank or a trailing "Kilde:" footer padded with delimiters
    blank = np.zeros(n, dtype=bool)
    first_text = next((c for c in cols.values() if isinstance(c, TextColumn)), None)
    empty_first = [i for i, u in enumerate(first_text.uniques) if u == ""] if first_text is not None else []
    if first_text is None or empty_first:
        blank = np.ones(n, dtype=bool) if first_text is None else (first_text.codes == empty_first[0])
        if blank.any():
            for c in cols.values():
                if isinstance(c, TextColumn):
                    empty_u = np.array([u == "" for u in c.uniques], dtype=bool)
                    blank &= empty_u[c.codes] if len(c.uniques) else True
                else:
                    blank &= np.isnan(c.values)
    if n and names:
        first = cols[names[0]] if header and names[0] == header[0] else None
        if first is not None and len(first.uniques):
            foot = np.array([fold(u).startswith("kilde") for u in first.uniques], dtype=bool)
            hit = np.flatnonzero(foot[first.codes])
            others = [c for k, c in cols.items() if k != names[0]]
            # a footer row has nothing else in it ("Kildeskat;Solrød;..." is data)
            hit = [
                int(i) for i in hit
                if all((c.uniques[c.codes[i]] == "") if isinstance(c, TextColumn) else np.isnan(c.values[i]) for c in others)
            ]
            if hit:
                i = hit[0]
                if not blank[i + 1 :].all():
                    return None  # text after the footer: let the csv module report it
                blank[i:] = True
    if blank.any():
        raw.take(np.flatnonzero(~blank))
    return raw


def check_mojibake(raw: RawTable) -> None:
    for h in raw.header:
        if is_mojibake(h):
            raise mojibake_error(h, raw.encoding, raw.file, row=1, column=h)
    for col in raw.cols.values():
        if isinstance(col, TextColumn):
            for u, text in enumerate(col.uniques):
                if is_mojibake(text):
                    pos = col.first_pos(u)
                    raise mojibake_error(text, raw.encoding, raw.file, row=int(raw.lines[pos]), column=col.label(pos))


