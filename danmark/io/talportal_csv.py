"""The Talportal's "CSV-fil" download (and the flat internal table), read fast by pyarrow.

The download is written by R's ``write.table(x, sep = ";", dec = ",",
row.names = FALSE, fileEncoding = "latin1")``: Latin-1 without a byte-order
mark, ``;``, every text cell and header in double quotes, numbers unquoted,
``NA`` for a missing value, ``Inf``/``-Inf``/``NaN`` for R's non-finite
numbers, decimal comma with up to 15 significant digits
(``33,3333333333333``). It is long, one row per Kommune × Sagsemne ×
periode, with the columns ``Kommune``, ``Lovgivning``, ``Sagsemne``,
``periode`` (``2022`` or ``2022 - 4. kvartal``) and then, in this order, the
measures the analyst ticked: ``Realitetsbehandlede sager i alt``,
``Stadfæstede sager``, ``Ændrede/ophævede sager``, ``Hjemviste sager``,
``Afviste sager``, ``Stadfæstelsesprocent``, ``Omgørelsesprocent``,
``Ændrings-/ophævelsesprocent``, ``Hjemvisningsprocent``.

Every column is read as text into a dictionary (each distinct value once), so
a number is parsed once per distinct value and one odd cell costs no more
than any other: no cell can send the file down a slow path.
"""

from __future__ import annotations

from ._layout import tp_field
from ._raw import RawTable, load_csv

__all__ = ["flat_raw"]


def flat_raw(path, encoding, header: list[str]) -> RawTable:
    """The columns of a flat Talportal file that danmark reads, as dictionary-coded text."""
    wanted = [h for h in header if tp_field(h) is not None]
    return load_csv(path, encoding, text_cols=wanted)
