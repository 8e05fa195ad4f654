"""One entry point for analyses: the bundled figures, or a full official download.

Notebooks call :func:`load_data`; pointing the environment variable
``DANMARK_DATA`` at a Talportal download, an ANKEAST1/ANKEAST2 download or a
tidy CSV reruns them on that file instead of the bundled figures. A relative
``DANMARK_DATA`` means relative to where the command was typed, although a
notebook kernel runs in ``notebooks/`` (:func:`resolve_data_path`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..errors import DataError

__all__ = ["load_data", "read_any", "resolve_data_path", "DATA_ENV"]

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
    from ._layout import detect_layout, wrong_format
    from ._text import sniff
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
    _, _, header, rows = sniff(path, None, path)
    layout = detect_layout(rows)
    if layout in ("talportal", "talportal_excel"):
        return read_talportal(path, decimal=decimal)
    if layout == "tidy":
        return read_cases(path)
    try:  # a Statistikbank table is recognised by its columns' content
        return read_statbank(path, decimal=decimal)
    except DataError as err:
        if layout == "statbank":
            raise
        raise wrong_format(
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

    path = resolve_data_path(path)
    if path is None:
        return load_cases()
    return with_rates(read_any(path))


def resolve_data_path(path=None) -> Path | None:
    """The download to analyse: *path*, else ``DANMARK_DATA``; None when neither is given.

    A relative path means relative to where the command was typed. A notebook
    kernel started by ``DANMARK_DATA=data/data.csv jupyter lab notebooks/``
    runs in ``notebooks/``, so a relative path not found from the current
    folder is looked for, in this order, from the folder in the ``PWD``
    environment variable (set by the shell to where the command was typed, and
    inherited by the kernel) and from the repository root (the folder that
    holds ``notebooks/``: the parent of a ``notebooks`` current folder, or of
    the installed source checkout). ``~`` is expanded.

    Raises
    ------
    DataError
        When the file is in none of these places; the message lists where it
        looked.

    Examples
    --------
    >>> import os, pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "data.csv").write_text("x\\n", encoding="utf-8")
    >>> resolve_data_path(folder / "data.csv") == folder / "data.csv"
    True
    >>> _ = os.environ.pop("DANMARK_DATA", None)
    >>> resolve_data_path() is None
    True
    """
    given = path if path is not None and str(path) != "" else os.environ.get(DATA_ENV) or None
    if given is None:
        return None
    origin = "" if path is not None and str(path) != "" else f"{DATA_ENV}="
    wanted = Path(os.path.expanduser(str(given)))
    if wanted.is_absolute():
        if wanted.exists():
            return wanted
        raise DataError(f"{origin}{given!s}: file not found")
    tried = []
    for base in _bases():
        candidate = base / wanted
        if candidate in tried:
            continue
        tried.append(candidate)
        if candidate.exists():
            return candidate
    raise DataError(
        f"{origin}{given!s}: file not found. A relative path is read from the folder where the command "
        f"was typed; looked in: {'; '.join(str(t) for t in tried)}. Give the full path, or start the "
        "command from the folder the path is relative to"
    )


def _bases() -> list[Path]:
    """Folders a relative data path may be relative to, most likely first."""
    cwd = Path.cwd()
    bases = [cwd]
    pwd = os.environ.get("PWD")
    if pwd and Path(pwd).is_absolute():
        bases.append(Path(pwd))
    for base in list(bases):
        if base.name == "notebooks":
            bases.append(base.parent)
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "notebooks").is_dir():
        bases.append(checkout)
    return list(dict.fromkeys(bases))
