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
    from .statbank import read_statbank
    from .talportal import read_talportal
    from .tidy_csv import read_cases

    path = Path(path)
    if not path.exists():
        raise DataError(f"file not found: {path}")
    errors = []
    readers = (
        lambda p: read_talportal(p, decimal=decimal),
        lambda p: read_statbank(p, decimal=decimal),
        read_cases,
    )
    for name, reader in zip(("read_talportal", "read_statbank", "read_cases"), readers, strict=True):
        try:
            return reader(path)
        except DataError as err:
            errors.append(f"  {name}: {err}")
    raise DataError(f"could not read {path} as a Talportal, Statistikbank or tidy CSV file:\n" + "\n".join(errors))


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
    from ..bundle import load_cases
    from ..schema import with_rates

    path = path or os.environ.get(DATA_ENV) or None
    if path is None:
        return load_cases()
    return with_rates(read_any(path))
