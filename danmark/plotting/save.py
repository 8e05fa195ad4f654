"""Saving a figure reproducibly (byte-identical files for the same figure), with its "Kilde:" line."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import matplotlib as mpl
from matplotlib.text import Text

from ..errors import DataError
from ._style import RC


class MissingSourceWarning(UserWarning):
    """A figure was saved without a line of text starting with "Kilde:" (its source)."""


def source_lines(fig) -> list[str]:
    """The visible lines of text in *fig* that start with "Kilde:" (titles, labels, notes, legends).

    >>> fig, ax = plt.subplots()
    >>> _ = fig.text(0.01, 0.01, "SIMULERET\\nKilde: Ankestyrelsen, Danmarkskort 2023 (ast.dk)")
    >>> source_lines(fig)
    ['Kilde: Ankestyrelsen, Danmarkskort 2023 (ast.dk)']
    >>> plt.close(fig)
    """
    lines = []
    for artist in fig.findobj(Text):
        if artist.get_visible():
            lines += [line.strip() for line in artist.get_text().splitlines()
                      if line.strip().startswith("Kilde:")]
    return lines

# --------------------------------------------------------------- saving


#: the value of ``DANMARK_FIGURES`` that writes no figure files (the test run's)
FIGURES_OFF = "off"


def save_figure(fig, name, *, formats=("png",), folder=None, dpi=200):
    """Save *fig* as ``<folder>/<name>.<format>`` with reproducible bytes.

    Every figure that leaves a notebook names its source: a figure with no visible line of
    text starting with "Kilde:" is saved, but with a :class:`MissingSourceWarning` (which
    then shows in the notebook's output).

    Date and software stamps are left out (``metadata={"Software": None}``
    for PNG, ``{"Date": None, "Creator": None}`` for SVG, no dates or
    producer for PDF) and ``svg.hashsalt`` is fixed, so saving the same
    figure twice writes identical files.

    Parameters
    ----------
    fig : matplotlib Figure
    name : str
        File name without folder (a suffix matching a format is dropped).
    formats : str or sequence of str
        Any of ``"png"``, ``"svg"``, ``"pdf"``.
    folder : path-like, optional
        Default: the folder named by the environment variable
        ``DANMARK_FIGURES`` (``tools/render_notebooks.py --execute`` sets it),
        else the repository's ``figures/`` folder (next to the ``danmark``
        package); created if missing. Its subfolder ``DANMARK_DATA/`` when the
        environment variable ``DANMARK_DATA`` names a downloaded table, so the
        committed figures are not overwritten. ``DANMARK_FIGURES=off`` writes
        nothing (the checks below still run): the test run uses it, as it
        checks the notebooks' outputs, not the figure files the main job writes.
    dpi : int
        Resolution for PNG.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of *formats* (none with ``DANMARK_FIGURES=off``).

    Examples
    --------
    >>> import tempfile
    >>> fig, ax = plt.subplots()
    >>> _ = fig.text(0.01, 0.01, "Kilde: Ankestyrelsen, Danmarkskort over omgørelsesprocenter 2023")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in save_figure(fig, "demo", formats=("png", "svg"), folder=tmp)]
    ['demo.png', 'demo.svg']
    >>> plt.close(fig)
    """
    if isinstance(formats, str):
        formats = (formats,)
    formats = [str(f).lower().lstrip(".") for f in formats]
    metadata = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
    }
    unknown = [f for f in formats if f not in metadata]
    if unknown:
        raise DataError(f"unsupported figure format(s) {unknown}; use png, svg or pdf")
    name = str(name)
    if not name or "/" in name or "\\" in name or name in {".", ".."}:
        raise DataError(f"figure name must be a plain file name; got {name!r}")
    stem = Path(name)
    if stem.suffix.lstrip(".").lower() in metadata:
        name = stem.stem
    off = folder is None and os.environ.get("DANMARK_FIGURES") == FIGURES_OFF
    if folder is None:
        # the figures/ folder beside the danmark package (this file is danmark/plotting/save.py)
        folder = Path(os.environ.get("DANMARK_FIGURES") or Path(__file__).resolve().parents[2] / "figures")
        if os.environ.get("DANMARK_DATA"):
            # a run on a downloaded table must not overwrite the committed figures
            folder = folder / "DANMARK_DATA"
    if not source_lines(fig):
        warnings.warn(f"figure {name!r} has no line starting with 'Kilde:' naming its source; "
                      "add one (e.g. fig.text(..., 'Kilde: ...'))", MissingSourceWarning, stacklevel=2)
    if off:
        return []
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with mpl.rc_context({"svg.hashsalt": RC["svg.hashsalt"]}):
        for fmt in formats:
            path = folder / f"{name}.{fmt}"
            fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata[fmt], bbox_inches="tight")
            paths.append(path)
    return paths
