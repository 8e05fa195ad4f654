"""One entry point for analyses: the bundled figures, or a full official download.

Notebooks call :func:`load_data`; pointing the environment variable
``DANMARK_DATA`` at a Talportal download, an ANKEAST1/ANKEAST2 download or a
tidy CSV reruns them on that file instead of the bundled figures.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..errors import DataError

__all__ = ["load_data", "read_any", "DATA_ENV"]

#: environment variable naming a full official download to analyse
DATA_ENV = "DANMARK_DATA"


def read_any(path, *, decimal=None) -> pd.DataFrame:
    """Read a Talportal export, a Statistikbank ANKEAST1/2 download or a tidy CSV.

    The format is recognised from the file itself; when none fits, the
    :class:`DataError` lists what each reader objected to. *decimal* ("," or
    ".") settles an ambiguous number such as "2,000" in the official
    downloads (see :func:`danmark.read_talportal`).

    Examples
    --------
    A Talportal-layout file holding Helsingør's 2024 counts (seed_helsingor_2025):

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "export.csv"
    >>> _ = path.write_text(
    ...     "Sagsemne;Kommune;Aar;Kvartal;periode;Afvisning.Henvisning;Hjemvisning;"
    ...     "Stadfæstelse;Ændring.Ophævelse;Antal_sager_ialt;Sagsbehandlingstid\\n"
    ...     "Voksenhandicap;Helsingør;2024;;2024;.;10;10;2;22;.\\n", encoding="utf-8")
    >>> read_any(path)[["kommune", "period", "hjemvist", "source"]]
         kommune period  hjemvist              source
    0  Helsingør   2024        10  talportal:export.csv
    """
    from ._layout import _layout, _neither
    from ._text import _sniff
    from .statbank import read_statbank
    from .talportal import read_talportal
    from .talportal_xlsx import is_zip
    from .tidy_csv import read_cases

    path = Path(path)
    if path.is_dir():
        raise DataError("this is a folder, not a file", file=path)
    if not path.exists():
        raise DataError("file not found", file=path)
    if is_zip(path) or path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_talportal(path, decimal=decimal)
    _, _, header, rows = _sniff(path, None, path)
    layout = _layout(rows)
    if layout in ("talportal", "talportal_excel"):
        return read_talportal(path, decimal=decimal)
    if layout == "tidy":
        return read_cases(path)
    try:  # a Statistikbank table is recognised by its columns' content
        return read_statbank(path, decimal=decimal)
    except DataError as err:
        if layout == "statbank":
            raise
        raise _neither(
            path, header, "a Talportal download, a Statistikbank ANKEAST1/ANKEAST2 table or danmark's tidy table"
        ) from err


def load_data(path=None) -> pd.DataFrame:
    """Appeal outcomes with ``n``, ``omgjort`` and ``omg_pct``, ready for analysis.

    Parameters
    ----------
    path : str or Path, optional
        A file to read (see :func:`read_any`). Default: the file named by the
        environment variable ``DANMARK_DATA`` if set, else the bundled
        figures (:func:`danmark.load_cases`).

    Examples
    --------
    >>> import os
    >>> _ = os.environ.pop("DANMARK_DATA", None)
    >>> load_data()["source"].notna().all()
    np.True_
    """
    from ..table.schema import with_rates
    from .bundle import load_cases

    path = path or os.environ.get(DATA_ENV) or None
    if path is None:
        return load_cases()
    return with_rates(read_any(path))
