"""Where the bundled data lives."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import DataError

__all__ = ["data_dir", "data_path"]


def data_dir() -> Path:
    """The project's ``data/`` folder (override with ``DANMARK_BUNDLE_DIR``)."""
    env = os.environ.get("DANMARK_BUNDLE_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "data"


def data_path(name: str) -> Path:
    path = data_dir() / name
    if not path.exists():
        raise DataError(
            f"bundled data file not found: {path}. Install danmark from its repository "
            "with `python -m pip install -e .` so data/ sits beside the package, "
            "or set DANMARK_BUNDLE_DIR."
        )
    return path
