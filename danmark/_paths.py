"""Where the bundled data lives: ``danmark/data/``, shipped inside the package (and the wheel)."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from .errors import DataError

__all__ = ["data_dir", "data_path"]


def data_dir() -> Path:
    """The bundled ``danmark/data/`` folder (override with ``DANMARK_BUNDLE_DIR``)."""
    env = os.environ.get("DANMARK_BUNDLE_DIR")
    if env:
        return Path(env)
    return Path(str(resources.files("danmark") / "data"))


def data_path(name: str) -> Path:
    path = data_dir() / name
    if not path.exists():
        raise DataError(
            f"bundled data file {name!r} not found in {data_dir()}: the installation is incomplete "
            "(reinstall danmark) or DANMARK_BUNDLE_DIR points elsewhere"
        )
    return path
