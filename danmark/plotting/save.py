"""Saving a figure reproducibly (byte-identical files for the same figure), with its "Kilde:" line."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl

from ..errors import DataError
from ._style import RC

# --------------------------------------------------------------- saving


def save_figure(fig, name, *, formats=("png",), folder=None, dpi=200):
    """Save *fig* as ``<folder>/<name>.<format>`` with reproducible bytes.

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
        Default: the repository's ``figures/`` folder (next to the
        ``danmark`` package), created if missing; ``figures/DANMARK_DATA/``
        when the environment variable ``DANMARK_DATA`` names a downloaded
        table, so the committed figures are not overwritten.
    dpi : int
        Resolution for PNG.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of *formats*.

    Examples
    --------
    >>> import tempfile
    >>> fig, ax = plt.subplots()
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
    if folder is None:
        import os

        import danmark

        folder = Path(danmark.__file__).resolve().parents[1] / "figures"
        if os.environ.get("DANMARK_DATA"):
            # a run on a downloaded table must not overwrite the committed figures
            folder = folder / "DANMARK_DATA"
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with mpl.rc_context({"svg.hashsalt": RC["svg.hashsalt"]}):
        for fmt in formats:
            path = folder / f"{name}.{fmt}"
            fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata[fmt], bbox_inches="tight")
            paths.append(path)
    return paths
