"""danmark's own tidy table, as a CSV file or a DataFrame."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validate import check_no_bytes
from ..errors import DataError
from ..table.kommuner import normalize_kommune
from ..table.schema import CASE_COLUMNS, COUNT_COLUMNS
from ._build import area_index, assemble, kommune_index, period_index, string_array
from ._layout import LAYOUT_HINT, detect_layout, wrong_format
from ._numbers import STATUS_MISSING, STATUS_OK, check_counts, number_column, parse_numbers
from ._raw import NumberColumn, RawTable, TextColumn, check_mojibake, load_csv
from ._text import DERIVED_COLUMNS, sniff

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
    >>> from danmark.io import validate_cases
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "cases.csv"
    >>> raw = pd.DataFrame({"kommune": ["Solrød"], "period": ["2020-2023H1"],
    ...     "area": ["voksenhandicap"], "stadfaestet": [4], "aendret": [1],
    ...     "hjemvist": [9], "source": ["solrod_2024"]})
    >>> validate_cases(raw).to_csv(path)
    >>> read_cases(path)[["kommunekode", "period", "hjemvist", "afvist"]]
      kommunekode       period  hjemvist  afvist
    0         269  2020-2023H1         9    <NA>
    """
    enc, sep, header, rows = sniff(path, None, path)
    layout = detect_layout(rows)
    if layout in ("talportal", "talportal_excel", "statbank"):
        raise wrong_format(path, header, "danmark's tidy table", layout)
    raw = load_csv(path, None, missing=frozenset({""}))
    return _tidy(raw)


def _tidy(raw: RawTable, source=None) -> pd.DataFrame:
    """Validate columns of the tidy table (vectorised over distinct values)."""
    check_mojibake(raw)
    cols = dict(raw.cols)
    names = list(cols)
    if names and names[0] in ("", "Unnamed: 0"):
        first = cols[names[0]]
        if isinstance(first, NumberColumn) or (parse_numbers(first.uniques, frozenset())[1] == STATUS_OK).all():
            del cols[names[0]]
    cols = {k.strip(): v for k, v in cols.items()}
    omg_col = cols.get("omgjort")
    for c in DERIVED_COLUMNS + ("period_start", "period_end"):
        cols.pop(c, None)
    if source is not None and "source" not in cols:
        cols["source"] = TextColumn(np.zeros(raw.n, dtype=np.intp), [str(source)], "source")
    need = ["period", "area", *COUNT_COLUMNS, "source"]
    missing = [c for c in need if c not in cols]
    if "kommunekode" not in cols and "kommune" not in cols:
        missing.insert(0, "kommunekode or kommune")
    if missing:
        layout = detect_layout([raw.header])
        hint = f"; {LAYOUT_HINT[layout]}" if layout in LAYOUT_HINT and layout != "tidy" else ""
        raise DataError(
            f"missing required column(s) {', '.join(missing)}; found {', '.join(map(repr, raw.header))}{hint}",
            file=raw.file,
        )
    if raw.n == 0:
        raise DataError("the table has no rows", file=raw.file)
    key_col = cols["kommunekode"] if "kommunekode" in cols else cols["kommune"]
    if isinstance(key_col, NumberColumn):
        key_col = TextColumn.from_values([_num_text(v) for v in key_col.values], key_col.name)
    kidx, kcodes = kommune_index(key_col, raw, skip_regions=False)
    if "kommunekode" in cols and isinstance(cols.get("kommune"), TextColumn):
        _check_names_match(cols["kommune"], kidx, kcodes, raw)
    pcol = cols["period"]
    if isinstance(pcol, NumberColumn):
        pcol = TextColumn.from_values([_num_text(v) for v in pcol.values], pcol.name)
    pidx, ptable = period_index(pcol, raw)
    acol = cols["area"]
    if isinstance(acol, NumberColumn):
        acol = TextColumn.from_values([_num_text(v) for v in acol.values], acol.name)
    aidx, alabels = area_index(acol, raw, {}, raw.n, map_names=False)
    counts = {}
    for c in COUNT_COLUMNS:
        v = number_column(cols[c], raw, frozenset({""}))
        check_counts(v, cols[c], raw)
        counts[c] = v
    unknown_split, omgjort = _split(counts, omg_col, raw)
    if "afvist" in cols:
        af = number_column(cols["afvist"], raw, frozenset({""}))
        check_counts(af, cols["afvist"], raw)
    else:
        af = np.full(raw.n, np.nan)
    scol = cols["source"]
    if isinstance(scol, NumberColumn):
        scol = TextColumn.from_values([_num_text(v) for v in scol.values], scol.name)
    empty = np.array([u == "" for u in scol.uniques], dtype=bool)
    if empty[scol.codes].any():
        pos = int(np.flatnonzero(empty[scol.codes])[0])
        raise DataError("source is empty: every row needs a source key", file=raw.file, row=int(raw.lines[pos]), column="source")
    extras = {}
    for name, col in cols.items():
        if name in CASE_COLUMNS:
            continue
        extras[name] = _extra(col)
    if unknown_split.any():
        for c in ("aendret", "hjemvist"):
            extras[c] = pd.arrays.IntegerArray(np.nan_to_num(counts[c]).astype(np.int64), np.isnan(counts[c]))
            counts[c] = np.zeros(raw.n)
        extras["omgjort"] = pd.array(omgjort.astype(np.int64), dtype="Int64")
    df = assemble(
        raw, kidx, kcodes, pidx, ptable, aidx, alabels, counts,
        np.nan_to_num(af), np.isnan(af), (scol.codes, list(scol.uniques)), extras,
    )
    if unknown_split.any():  # the nullable counts take their places in the schema's order
        df = df[CASE_COLUMNS + [c for c in df.columns if c not in CASE_COLUMNS]]
    return df


def _split(counts, omg_col, raw: RawTable) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose ændret/hjemvist split is unknown, and omgjort per row.

    A missing ``stadfaestet`` is an error; ``aendret`` and ``hjemvist`` may
    both be missing where an ``omgjort`` column gives their sum (see
    :mod:`danmark.schema`), and where they are given, ``omgjort`` must agree.
    """
    s, a, h = counts["stadfaestet"], counts["aendret"], counts["hjemvist"]
    omg = np.full(raw.n, np.nan)
    if omg_col is not None:
        omg = number_column(omg_col, raw, frozenset({""}))
        check_counts(omg, omg_col, raw)
    unknown = np.isnan(a) & np.isnan(h) & ~np.isnan(omg)
    for c, v in (("stadfaestet", s), ("aendret", a), ("hjemvist", h)):
        gap = np.isnan(v) & (~unknown if c != "stadfaestet" else True)
        if gap.any():
            pos = int(np.flatnonzero(gap)[0])
            why = "" if c == "stadfaestet" else " (or give both aendret and hjemvist as missing and omgjort)"
            raise DataError(f"{c} is missing; a count is required here{why}", file=raw.file,
                            row=int(raw.lines[pos]), column=c)
    known = ~unknown
    clash = known & ~np.isnan(omg) & (omg != a + h)
    if clash.any():
        pos = int(np.flatnonzero(clash)[0])
        raise DataError(f"omgjort = {omg[pos]:g} but aendret + hjemvist = {a[pos] + h[pos]:g}",
                        file=raw.file, row=int(raw.lines[pos]), column="omgjort")
    return unknown, np.where(unknown, omg, a + h)


def _num_text(v) -> str:
    return "" if np.isnan(v) else (str(int(v)) if float(v).is_integer() else str(v))


def _extra(col):
    if isinstance(col, NumberColumn):
        return col.values
    vals, status, _ = parse_numbers(col.uniques, frozenset({""}))
    # numbers only when every value reads as one (an ambiguous "2,000" keeps the column text)
    if len(status) and np.isin(status, (STATUS_OK, STATUS_MISSING)).all() and (status == STATUS_OK).any():
        return vals[col.codes]
    return string_array(col.codes, list(col.uniques))


def _check_names_match(kcol: TextColumn, kidx, kcodes, raw: RawTable) -> None:
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


def _frame_to_raw(df: pd.DataFrame, file=None, row_offset: int = 2) -> RawTable:
    cols = {}
    for name in df.columns:
        key = str(name)
        if key.strip() in ("period_start", "period_end", "n", "omg_pct"):
            continue  # recomputed from period / derived: not read
        s = df[name]
        if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_complex_dtype(s.dtype):
            # as text ("True", "(1+1j)"): never read as the number 1
            cols[key] = TextColumn.from_values(s.astype(str).to_numpy(dtype=object), key)
        elif pd.api.types.is_numeric_dtype(s.dtype):
            cols[key] = NumberColumn(s.to_numpy(dtype=np.float64, na_value=np.nan), key)
        elif pd.api.types.is_datetime64_any_dtype(s.dtype):
            cols[key] = TextColumn.from_values(s.astype(str).to_numpy(dtype=object), key)
        else:
            if s.dtype == object:  # factorize holds True and 1 equal: a boolean stays text, never the count 1
                check_no_bytes(s, key, file=file, row_offset=row_offset)
                s = s.map(lambda v: str(v) if isinstance(v, bool | np.bool_) else v)
            try:
                codes, uniques = pd.factorize(s, use_na_sentinel=True)
            except TypeError:  # an unhashable value (a list, a dict) in a hand-made table
                pos = next(i for i, v in enumerate(s) if not _hashable(v))
                raise DataError(f"{key} holds a {type(s.iloc[pos]).__name__}, not text or a number",
                                file=file, row=int(_lines_of(df, row_offset)[pos]), column=key) from None
            uniques = list(np.asarray(uniques, dtype=object))
            if (codes < 0).any():
                codes = np.where(codes < 0, len(uniques), codes)
                uniques.append("")
            if any(not isinstance(u, str) for u in uniques):
                numbers = (int, float, np.integer, np.floating)
                if all((isinstance(u, numbers) and not isinstance(u, bool | np.bool_)) or u == "" for u in uniques):
                    vals = np.array([np.nan if u == "" else float(u) for u in uniques], dtype=float)
                    cols[key] = NumberColumn(vals[codes], key)
                    continue
                uniques = [str(u) for u in uniques]
            cols[key] = TextColumn(codes, uniques, key)
    lines = _lines_of(df, row_offset)
    _refuse_text_counts(cols, file, lines)
    return RawTable(file, "utf-8", ",", [str(c) for c in df.columns], cols, lines)


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _lines_of(df: pd.DataFrame, row_offset: int) -> np.ndarray:
    """The row numbers a DataFrame's rows are reported under (position + *row_offset*)."""
    return np.arange(len(df)) + row_offset


def _refuse_text_counts(cols: dict, file, lines) -> None:
    """A DataFrame's counts must be numbers: text (even "12") is a DataError naming column and row.

    The one rule shared with :func:`danmark.with_rates` (and every function
    that takes a DataFrame of counts): files are parsed by the readers, which
    handle decimal commas and thousands separators; a DataFrame built in Python
    already holds numbers, so text there is a mistake to fix, not to guess at
    (``pd.to_numeric`` converts a column on purpose).
    """
    for name in (*COUNT_COLUMNS, "afvist", "omgjort"):
        col = cols.get(name)
        if not isinstance(col, TextColumn):
            continue
        text = [i for i, u in enumerate(col.uniques) if u != ""]
        if not text:
            continue
        pos = int(np.flatnonzero(np.isin(col.codes, text))[0])
        raise DataError(
            f"{name} must be numbers in a DataFrame; got text {col.uniques[col.codes[pos]]!r} (the file readers "
            "parse text; convert a column on purpose with pd.to_numeric)",
            file=file, row=int(lines[pos]), column=name,
        )


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


def validate_cases(df: pd.DataFrame, *, file=None, row_offset: int = 2, source=None) -> pd.DataFrame:
    """Check a table of appeal outcomes and return it in the tidy schema.

    Required columns: a municipality (``kommunekode`` or ``kommune``),
    ``period``, ``area``, ``stadfaestet``, ``aendret``, ``hjemvist`` and
    ``source`` (or the *source* argument). ``afvist`` is optional. Names are
    normalised with :func:`danmark.normalize_kommune`; periods with
    :func:`danmark.periods.parse_period`. Extra columns are kept after the
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
    # one implementation for every table: the readers' vectorised validation
    # (names, periods and areas are resolved once per distinct value)
    return tidy_frame(df, file=file, row_offset=row_offset, source=source)
