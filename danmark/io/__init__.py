"""Data in: the agencies' own downloads, read into the tidy table.

Every reader returns the tidy table described in :mod:`danmark.schema` (one
row per kommune × period × area) and raises :class:`danmark.DataError` naming
the file, the row (as a spreadsheet shows it: the header is row 1) and the
column for anything it cannot read. One module per format:

================================ ==========================================
module                           format
================================ ==========================================
:mod:`.talportal_csv`            the Talportal's "CSV-fil" download
:mod:`.talportal_xlsx`           the Talportal's "XLSX (Excel)" download,
                                 and that sheet saved as CSV or text
:mod:`.talportal_internal`       the Talportal's internal data table
:mod:`.talportal_measures`       counts from the measures a download holds
:mod:`.talportal`                :func:`read_talportal`, which picks one
:mod:`.statbank`                 Statistikbanken ANKEAST1 / ANKEAST2
                                 (:mod:`._statbank_codes`: "kode og tekst")
:mod:`.tidy_csv`                 danmark's own tidy table (CSV, DataFrame)
:mod:`.dispatch`                 :func:`read_any`, :func:`load_data`
================================ ==========================================

:mod:`.aggregate` pools a tidy table's periods and areas (:func:`danmark.aggregate`).

Shared rules
------------
* **Missing means no cases.** The Talportal writes a count with no cases as
  missing (``NA`` in the CSV-fil, ``.`` in the internal table, ``0`` in the
  Excel download) and computes every rate with missing as 0; danmark does the
  same. A row with no cases at all is dropped. ``afvist`` is <NA> only when
  the file has no column of afviste sager.
* **Encoding.** Without ``encoding=`` a file is read as UTF-8 (a byte-order
  mark is allowed) and, if that fails, as cp1252/Latin-1 (what the Talportal's
  CSV-fil and Excel on Danish Windows write). Text such as ``"SolrÃ¸d"`` means
  UTF-8 was decoded as Latin-1 somewhere; the readers refuse it. A UTF-8 file
  with one byte that is not UTF-8 (a damaged or spliced file) is refused at
  that byte's row, not read as cp1252.
* **Numbers.** Counts may be written ``1234``, ``1.234`` (Danish thousands
  separator), ``1 234`` or ``12,0``; a column's convention is settled by a value
  that reads only one way, and ``2,000`` -- two thousand in English, two in
  Danish -- is an error unless ``decimal=`` settles it. Fractional, negative,
  hexadecimal or astronomically large counts are errors: a count, or a row's
  sum of counts, of 2**53 or more cannot be held exactly and is refused, never
  rounded.
* **A row that contradicts itself** is an error: the measures of a row are
  checked against each other (in the internal table, ``.`` in
  ``Afvisning.Henvisning`` is no afviste sager, so ``Antal_sager_ialt`` must
  then be the three outcomes).
* **Municipalities** go through :func:`danmark.normalize_kommune` (the
  Talportal's "Århus", "Ålborg", "Nordfyns" are accepted); "Hele landet"
  becomes kommunekode ``"000"`` and stays in the table: the unit-level
  analyses leave it out (see :func:`danmark.schema.split_national`). Rows named
  ``I alt`` are sums of other rows: they are checked and dropped. Rows for
  regions and landsdele are skipped with a :class:`ReaderWarning`.
* **Source keys** are ``"talportal:<file name>"`` and ``"statbank:<file
  name>"``; they name the download, not a row of ``data/sources.csv``.
"""

from __future__ import annotations

from ..errors import ReaderWarning
from .dispatch import load_data, read_any
from .statbank import read_statbank
from .talportal import read_talportal
from .tidy_csv import read_cases, tidy_frame, validate_cases

__all__ = [
    "read_talportal", "read_statbank", "read_cases", "read_any", "load_data", "tidy_frame", "validate_cases",
    "ReaderWarning",
]
