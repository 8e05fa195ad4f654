# Keep pytest's collection to the tests, the package's docstrings and the built notebooks.
collect_ignore = ["danmark/__main__.py"]
collect_ignore_glob = ["notebooks/src/*", "benchmarks/*", "tools/*", "build/*", "html/*"]

# The test run checks the committed notebooks against the bundled data: an analyst's
# DANMARK_DATA (a downloaded table) must not leak into the nbval kernels or the tests.
import os  # noqa: E402

os.environ.pop("DANMARK_DATA", None)

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    """numpy, pandas and pyplot as ``np``, ``pd`` and ``plt`` in every docstring example, as they write them."""
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    doctest_namespace.setdefault("np", np)
    doctest_namespace.setdefault("pd", pd)
    doctest_namespace.setdefault("plt", plt)
