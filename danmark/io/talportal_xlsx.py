"""The Talportal's "XLSX (Excel)" download, and that sheet saved as CSV or text.

The download (``excelfil.xlsx``, written by the Talportal with openxlsx) has
one sheet, ``Som tabel``, pivoted with the periods across:

* rows 1 and 2 are a two-level header. Columns A and B hold the row labels,
  ``Sagsemne`` and ``Kommune`` in either order, in row 2. From column C on,
  either row 1 names the measure (merged across its periods) and row 2 the
  period, or row 1 names the period (merged across its measures) and row 2
  the measure -- the analyst's choice of pivot;
* data from row 3, one row per Sagsemne × Kommune, **every missing value
  written as 0** (so the sheet cannot tell "no cases" from "no figure": a
  ``Realitetsbehandlede sager i alt`` of 0 is read as unknown unless the row
  has afviste sager), percentages as numbers 0-100 and a non-finite one as an
  error cell (``#NUM!``) or text (``Inf``);
* a blank row, then a footer ``Kilde: Ankestyrelsen ( 2023 )`` in column A.

The same sheet saved from Excel as CSV (``;``, cp1252, rows padded with
``;``, a Sagsemne written once per block) or as "Unicode text" (UTF-16, tabs)
is read by the same code. Each sheet row becomes one row per period, in the
flat layout of the CSV-fil download, and the measures are turned into counts
by :mod:`danmark.io.talportal_measures`.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from ._layout import TP_MEASURES, TP_NAMES, tp_field, two_row_header
from ._raw import RawTable, TextColumn, records_to_raw

__all__ = ["xlsx_records", "excel_raw", "is_zip"]

_ZIP_MAGIC = b"PK\x03\x04"
#: what openpyxl, zipfile, zlib and the XML parser raise for a damaged workbook (an XML
#: ParseError is a SyntaxError; a damaged zip header can claim an unknown compression
#: (NotImplementedError) or encryption (RuntimeError))
_DAMAGED = (
    zipfile.BadZipFile, zlib.error, EOFError, KeyError, IndexError, OSError, ValueError, TypeError,
    AttributeError, SyntaxError, NotImplementedError, RuntimeError,
)


def is_zip(path) -> bool:
    """Whether the file is a zip archive (an .xlsx is one), whatever its name."""
    with open(path, "rb") as fh:
        return fh.read(4) == _ZIP_MAGIC


def xlsx_records(path) -> tuple[list[list[str]], list[int]]:
    """The non-blank rows of the workbook's ``Som tabel`` sheet (else its first) as text, with row numbers.

    Numbers are written without exponent or thousands separator, with ``.`` as
    the decimal mark; error cells (``#NUM!``) keep their text.
    """
    try:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise DataError(
            "reading .xlsx files needs openpyxl (python -m pip install openpyxl); "
            "or save the sheet as CSV and read that",
            file=path,
        ) from None
    try:
        # from the bytes, not the name: openpyxl refuses a workbook whose name does not end in .xlsx
        # (a download renamed .csv), and the readers have already recognised it by its content
        book = openpyxl.load_workbook(io.BytesIO(Path(path).read_bytes()), read_only=True, data_only=True)
    except (InvalidFileException, *_DAMAGED) as err:
        raise DataError(
            f"not a readable Excel workbook ({type(err).__name__}: {err}); download the "
            "XLSX again, or choose the CSV-fil download",
            file=path,
        ) from None
    try:
        if not book.sheetnames:
            raise DataError("the workbook has no sheet", file=path)
        sheet = book["Som tabel"] if "Som tabel" in book.sheetnames else book.worksheets[0]
        rows, lines = [], []
        for i, rec in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in rec]
            if any(c.strip() for c in cells):
                rows.append(cells)
                lines.append(i)
    except _DAMAGED as err:
        raise DataError(f"the workbook is damaged ({type(err).__name__}: {err})", file=path) from None
    finally:
        book.close()
    return rows, lines


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v:
            return "NaN"
        if v in (float("inf"), float("-inf")):
            return "Inf" if v > 0 else "-Inf"
        if v.is_integer() and abs(v) < 2**53:
            return str(int(v))
        return np.format_float_positional(v, trim="-")
    return str(v)


def excel_raw(file, encoding, sep, records, lines) -> RawTable:
    """Reshape the two-row header (measures and periods, either on top) into the flat layout.

    Returns one row per sheet row and period, in sheet order; each measure
    column is labelled "<measure> <period>" so an error names the sheet's
    column.
    """
    if len(records) < 3:
        raise DataError("the Excel download has a header but no data rows", file=file)
    width = max(len(records[0]), len(records[1]))
    meas_row, per_row = two_row_header(records[0], records[1])
    measures = {j: tp_field(meas_row[j]) for j in range(2, width) if tp_field(meas_row[j]) in TP_MEASURES}
    ids: dict[str, int] = {}
    for j in range(2):
        for cell in (records[1][j] if j < len(records[1]) else "", records[0][j] if j < len(records[0]) else ""):
            f = tp_field(cell)
            if f in ("sagsemne", "kommune") and f not in ids:
                ids[f] = j
    if "kommune" not in ids:
        raise DataError("the two-row header has no Kommune column", file=file, row=lines[1])
    blocks: dict[str, dict[str, int]] = {}
    for j, f in measures.items():
        p = per_row[j]
        if p in blocks and f in blocks[p]:
            raise DataError(
                f"the header names {meas_row[j]!r} for period {p!r} twice (columns "
                f"{blocks[p][f] + 1} and {j + 1})",
                file=file, row=lines[1], column=meas_row[j],
            )
        blocks.setdefault(p, {})[f] = j
    # the pivot holds every measure for every period: a hole means a damaged header cell
    everything = dict.fromkeys(measures.values())
    for p, got in blocks.items():
        absent = [f for f in everything if f not in got]
        if absent:
            raise DataError(
                f"the header gives period {p!r} for {', '.join(meas_row[j] for j in got.values())} but not "
                f"for {', '.join(TP_NAMES.get(f, f) for f in absent)}: every measure should cover every "
                "period (is a header cell damaged?)",
                file=file, row=lines[1],
            )
    body = records_to_raw(
        file, encoding, sep, [str(j) for j in range(width)], records[2:], lines[2:], pad=encoding == "xlsx"
    )
    if body.n == 0:
        raise DataError("the Excel download has a header but no data rows", file=file)
    arr = {j: body.cols[str(j)].values() for j in range(width)}
    nrow = body.n
    if "sagsemne" in ids:
        # a sheet saved by Excel may write the Sagsemne once per block: carry it downwards
        sag = pd.Series(arr[ids["sagsemne"]]).replace("", np.nan).ffill().fillna("")
        arr[ids["sagsemne"]] = sag.to_numpy(dtype=object)
    periods = list(blocks)
    reps = len(periods)
    cols: dict = {}
    for f, j in ids.items():
        name = "Kommune" if f == "kommune" else "Sagsemne"
        cols[name] = TextColumn.from_values(np.repeat(arr[j], reps), name)
    # row-major: each sheet row gives one flat row per period
    cols["periode"] = TextColumn.from_values(np.tile(np.array(periods, dtype=object), nrow), "periode")
    for f in dict.fromkeys(measures.values()):
        where = [blocks[p].get(f) for p in periods]
        name = meas_row[next(j for j in where if j is not None)]
        values = [arr[j] if j is not None else np.full(nrow, "", dtype=object) for j in where]
        labels = [np.full(nrow, f"{name} {p}", dtype=object) for p in periods]
        cols[name] = TextColumn.from_values(
            np.column_stack(values).ravel(), name, names=np.column_stack(labels).ravel()
        )
    return RawTable(file, encoding, sep, list(cols), cols, np.repeat(body.lines, reps))
