"""The Talportal's Excel download (sheet "Som tabel", two-row header)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError
from ._layout import _TP_MEASURES, _measure_columns, _tp_field, _two_row_header
from ._raw import _Col, _Raw, _records_to_raw


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


