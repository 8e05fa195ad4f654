"""The versions of Python and the packages, for a notebook's closing cell."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["VERSION", "versions"]

#: danmark's version (``danmark.__version__``; pyproject.toml names the same)
VERSION = "0.2.0"


def versions(packages=("danmark", "numpy", "pandas", "scipy", "statsmodels", "matplotlib")) -> pd.Series:
    """Python and package versions, for the closing cell of a notebook.

    Examples
    --------
    >>> "python" in versions().index
    True
    """
    # here, as pandas: `import danmark` (which reads VERSION) stays light
    import platform
    from importlib import metadata

    import pandas as pd

    out = {"python": platform.python_version()}
    for name in packages:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return pd.Series(out, name="version")
