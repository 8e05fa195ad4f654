"""read_talportal: every Talportal file an analyst can have, one tidy table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from ..table.schema import COUNT_COLUMNS
from ._build import area_index, assemble, kommune_index, period_index, skipped_note, source_key
from ._layout import (
    carried,
    detect_layout,
    looks_like_period,
    tp_field,
    two_row_header,
    wrong_format,
)
from ._raw import RawTable, check_mojibake, drop_blank_header_columns, records_to_raw
from ._text import check_decimal, csv_records, sniff, warn_each
from .talportal_csv import flat_raw
from .talportal_internal import check_year_vs_period, period_from_year, unchecked_notes
from .talportal_measures import BOXES, can_give_counts, counts_from_measures
from .talportal_totals import TOTAL_NAMES, check_totals, total_rows
from .talportal_xlsx import excel_raw, is_zip, xlsx_records

__all__ = ["read_talportal"]

_EXPECTED = "a Talportal export or download (Kommune, Sagsemne, periode and the counts)"


def read_talportal(path, *, area=None, encoding=None, decimal=None) -> pd.DataFrame:
    """Read a Talportal file into the tidy table.

    Reads the two downloads the Talportal offers (menu *Sagsudfald og
    omgørelsesprocenter* → *KSB-sager* → *Download data*):

    * **CSV-fil** -- Latin-1, ``;``, quoted text, ``NA``, ``Inf``, decimal comma,
      columns ``Kommune``, ``Lovgivning``, ``Sagsemne``, ``periode`` and the
      measures ticked (see :mod:`danmark.io.talportal_csv`);
    * **XLSX (Excel)** -- sheet ``Som tabel`` with a two-row header, either
      pivot, missing written as 0 (see :mod:`danmark.io.talportal_xlsx`); also
      that sheet saved from Excel as CSV or as Unicode text;

    and the Talportal's internal data table (``Sagsemne``, ``Kommune``,
    ``Aar``, ``Kvartal``, ``periode``, ``Afvisning.Henvisning``, ...). The
    format is recognised from the file's content, not its name.

    Parameters
    ----------
    path : str or path-like
    area : None, str or mapping, optional
        None: ``area`` is the Sagsemne text, except the Danmarkskort map
        names in :data:`danmark.io._build.AREA_NAMES` ("Socialområdet" →
        ``"socialomraadet"``, "Børnehandicap" → ``"boernehandicap"``,
        "Voksenhandicap" → ``"voksenhandicap"``). A str labels every row (for a
        file without Sagsemne, or with a single one). A mapping from Sagsemne
        text to area label is applied first.
    encoding : str, optional
        Forced text encoding; by default UTF-8, falling back to cp1252/Latin-1.
    decimal : {None, ",", "."}, optional
        The decimal mark of the file's numbers, for a count such as ``2,000``
        that nothing in its column settles (None refuses it).

    Returns
    -------
    DataFrame
        The tidy table (:data:`danmark.CASE_COLUMNS`), one row per Kommune ×
        periode × Sagsemne, in file order. Hele landet is kommunekode
        ``"000"``. ``source`` is ``"talportal:<file name>"``. When the file
        cannot tell ændret from hjemvist for some rows (only
        ``Realitetsbehandlede sager i alt`` and ``Omgørelsesprocent`` ticked),
        ``aendret`` and ``hjemvist`` are <NA> there and the extra column
        ``omgjort`` carries their sum (see :mod:`danmark.schema`).

    Warns
    -----
    ReaderWarning
        When rows had to be left out because the measures in the file cannot
        give their counts (the message says which boxes to tick), when the
        counts cannot be checked against a total, and when rows for regions or
        landsdele were skipped.

    Raises
    ------
    DataError
        Naming file, row and column: measures that contradict each other
        (Realitetsbehandlede ≠ stadfæstede + ændrede + hjemviste, a percentage
        that is not the counts', an ``I alt`` row that is not the sum of its
        rows), text, fractional, negative or huge counts, a file whose measures
        give no counts at all, missing or repeated columns, ``Aar``/``Kvartal``
        that disagree with ``periode``, unknown municipalities, unreadable
        periods, duplicate rows, an empty, truncated or binary file, a damaged
        workbook, a wrong delimiter or wrongly decoded text.

    Examples
    --------
    A CSV-fil download in the Talportal's layout (made-up numbers): Solrød's
    quarter has no afviste sager, so Realitetsbehandlede is ``NA`` and the
    rate ``Inf``, but the parts give n = 6 and omgjort = 3:

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "data.csv"
    >>> _ = path.write_bytes(
    ...     b'"Kommune";"Lovgivning";"Sagsemne";"periode";"Realitetsbehandlede sager i alt";'
    ...     b'"Stadf\\xe6stede sager";"\\xc6ndrede/oph\\xe6vede sager";"Hjemviste sager";'
    ...     b'"Afviste sager";"Omg\\xf8relsesprocent"\\n'
    ...     b'"\\xc5rhus";"Serviceloven";"Voksenhandicap";"2022";30;20;3;7;2;33,3333333333333\\n'
    ...     b'"Solr\\xf8d";"Serviceloven";"Voksenhandicap";"2022 - 4. kvartal";NA;3;NA;3;NA;Inf\\n')
    >>> from danmark import with_rates
    >>> df = with_rates(read_talportal(path))
    >>> df[["kommune", "period", "stadfaestet", "aendret", "hjemvist", "afvist", "n"]]
       kommune  period  stadfaestet  aendret  hjemvist  afvist   n
    0   Aarhus    2022           20        3         7       2  30
    1   Solrød  2022Q4            3        0         3       0   6
    """
    file = path
    check_decimal(decimal, file)
    path = Path(path)
    if path.is_dir():
        raise DataError("this is a folder, not a file", file=file)
    if not path.exists():
        raise DataError("file not found", file=file)
    xlsx = is_zip(path)
    if not xlsx and path.suffix.lower() in (".xlsx", ".xlsm"):
        raise DataError(
            "the file is named .xlsx but is not an Excel workbook (a workbook is a zip archive): "
            "download the XLSX again, or choose the CSV-fil download",
            file=file,
        )
    if xlsx:
        records, lines = xlsx_records(path)
        if not records:
            raise DataError("the workbook's sheet is empty", file=file)
        raw = _from_records(file, "xlsx", ";", records, lines)
        raw.decimal = "."  # the workbook's numbers were written out with "."
    else:
        enc, sep, header, rows = sniff(path, encoding, file)
        layout = detect_layout(rows)
        if layout == "talportal":
            raw = flat_raw(path, encoding, header)
            raw.unknown = _unknown_columns(header)
        elif layout == "talportal_excel":
            records, lines, enc = csv_records(path, encoding, sep)
            raw = _from_records(file, enc, sep, records, lines)
        else:
            raise wrong_format(file, header, _EXPECTED, layout)
        raw.decimal = decimal
    raw.hint = ","  # the Talportal is Danish: "5.000" is five thousand
    df, notes = _tidy(raw, area, zero_is_missing=xlsx or _is_excel(raw))
    unknown = getattr(raw, "unknown", [])
    if unknown:
        notes.append(
            f"{path.name}: column{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
            f"{'are' if len(unknown) > 1 else 'is'} not a Talportal measure danmark knows and "
            f"{'were' if len(unknown) > 1 else 'was'} not read (misspelt, or a new measure?); the known "
            "measures are the Talportal's own names, e.g. 'Hjemviste sager', 'Omgørelsesprocent'"
        )
    warn_each(notes)
    return df


def _unknown_columns(cells) -> list[str]:
    """Header cells that name no Talportal field: never ignored silently (a ReaderWarning names them)."""
    out = []
    for cell in cells:
        text = str(cell).strip()
        if text and tp_field(text) is None and not looks_like_period(text) and text not in out:
            out.append(text)
    return out


def _is_excel(raw: RawTable) -> bool:
    return getattr(raw, "excel", False)


def _from_records(file, enc, sep, records, lines) -> RawTable:
    layout = detect_layout(records[:3])
    if layout == "talportal":
        raw = records_to_raw(file, enc, sep, [h.strip() for h in records[0]], records[1:], lines[1:])
        drop_blank_header_columns(raw)
        raw.unknown = _unknown_columns(records[0])
        return raw
    if layout == "talportal_excel":
        raw = excel_raw(file, enc, sep, records, lines)
        raw.excel = True
        header = two_row_header(records[0], records[1])
        width = max(len(records[0]), len(records[1]))
        raw.unknown = _unknown_columns(header[0][2:] if header else carried(records[0], width)[2:])
        return raw
    raise wrong_format(file, records[0], _EXPECTED, layout)


def _fields(raw: RawTable) -> dict[str, str]:
    """Measure or label -> column, refusing a measure given twice."""
    fields: dict[str, str] = {}
    for h in raw.cols:
        f = tp_field(h)
        if f is None:
            continue
        if f in fields:
            raise DataError(
                f"columns {fields[f]!r} and {h!r} are the same measure: which one holds the figures?",
                file=raw.file, row=1, column=h,
            )
        fields[f] = h
    return fields


def _tidy(raw: RawTable, area, *, zero_is_missing: bool) -> tuple[pd.DataFrame, list[str]]:
    """The tidy table and the warnings to issue once it is built."""
    check_mojibake(raw)
    fields = _fields(raw)
    missing = []
    if "kommune" not in fields:
        missing.append("Kommune")
    if "periode" not in fields and "aar" not in fields:
        missing.append("periode")
    if missing:
        raise DataError(
            f"missing required column(s) {', '.join(missing)}; found {', '.join(repr(h) for h in raw.header)}",
            file=raw.file,
        )
    if raw.n == 0:
        raise DataError("the file has a header but no data rows", file=raw.file)
    counts = counts_from_measures(raw, fields, zero_is_missing=zero_is_missing)
    kcol = raw.cols[fields["kommune"]]
    scol = raw.cols.get(fields.get("sagsemne", ""))
    totals = total_rows(kcol, scol)
    kidx, kcodes = kommune_index(kcol, raw, skip_regions=True, skip_names=TOTAL_NAMES)
    pcol = raw.cols[fields["periode"]] if "periode" in fields else period_from_year(raw, fields)
    pidx, ptable = period_index(pcol, raw)
    aidx, alabels = area_index(scol, raw, area, raw.n)
    if totals.any():
        check_totals(raw, counts, totals, kcol, scol, pidx, fields)
    unit = (kidx >= 0) & ~totals
    keep = unit & counts.recovered & ~counts.empty
    lost = unit & ~counts.recovered & ~counts.empty
    notes = unchecked_notes(fields) + skipped_note(raw, kcol, np.where(totals, 0, kidx))
    has_cases = keep & (counts.stadfaestet + counts.omgjort > 0)
    if not can_give_counts(fields) or (lost.any() and not has_cases.any()):
        raise DataError(
            "the measures in this file do not give the number of cases for any row "
            f"(it has {', '.join(repr(fields[f]) for f in fields if f not in _LABELS) or 'no counts'}); "
            f"in the Talportal tick {BOXES} under 'Tabel' and download the file again",
            file=raw.file,
        )
    if lost.any():
        notes.append(
            f"left out {int(lost.sum())} of {int((keep | lost).sum())} kommune × sagsemne × periode cells "
            "whose number of cases cannot be recovered from the measures in the file (Realitetsbehandlede "
            "sager i alt is missing, and the rates infinite, where a cell had no afviste sager); "
            f"tick {BOXES} in the Talportal to read every row"
        )
    if not keep.any():
        if unit.any():
            raise DataError("every row reports no cases: no decisions to read", file=raw.file)
        raise DataError("the file has only region totals (or I alt rows), no municipalities", file=raw.file)
    split_known = counts.split[keep].all()
    af = counts.afvist
    af_missing = np.isnan(af)
    extras = {}
    values = {"stadfaestet": counts.stadfaestet}
    if split_known:
        values["aendret"], values["hjemvist"] = counts.aendret, counts.hjemvist
    else:
        rows = np.flatnonzero(keep)
        for f in ("aendret", "hjemvist"):
            v = getattr(counts, f)[rows]
            extras[f] = pd.arrays.IntegerArray(np.nan_to_num(v).astype(np.int64), np.isnan(v))
        extras["omgjort"] = counts.omgjort[rows].astype(np.int64)
        values["aendret"] = values["hjemvist"] = np.zeros(raw.n)

    def checks():
        if "periode" in fields and "aar" in fields:
            check_year_vs_period(raw, fields, pidx, ptable, keep)

    df = assemble(
        raw, kidx, kcodes, pidx, ptable, aidx, alabels,
        {f: values[f] for f in COUNT_COLUMNS}, np.nan_to_num(af), af_missing,
        source_key("talportal", raw.file), checks=checks,
        rows=None if keep.all() else np.flatnonzero(keep),
    )
    for name, v in extras.items():
        df[name] = v
    if extras:
        df["omgjort"] = pd.array(df["omgjort"], dtype="Int64")
    return df, notes


_LABELS = ("kommune", "sagsemne", "periode", "aar", "kvartal", "lovgivning", "tid")
