"""read_talportal: every Talportal file an analyst can have."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataError
from ._layout import _layout, _neither, _tp_field
from ._raw import _load
from ._text import _check_decimal, _csv_records, _sniff, _warn
from .talportal_internal import _talportal_from_records, _talportal_tidy
from .talportal_xlsx import _xlsx_records


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


