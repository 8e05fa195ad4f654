# Keep pytest's collection to the tests, the package's docstrings and the built notebooks.
collect_ignore = ["danmark/__main__.py"]
collect_ignore_glob = ["notebooks/src/*", "benchmarks/*", "tools/*", "build/*", "html/*"]

# The test run checks the committed notebooks against the bundled data: an analyst's
# DANMARK_DATA (a downloaded table) must not leak into the nbval kernels or the tests.
import os  # noqa: E402

os.environ.pop("DANMARK_DATA", None)

# The notebooks' figures from a test run (nbval, the full-download runs) are drawn and checked but not
# written (danmark.plotting.save_figure reads DANMARK_FIGURES; "off" writes nothing): the test run
# checks the notebooks' outputs, the main job writes the figure files, and the committed figures/
# are never overwritten. A second or so per figure, a few dozen figures.
os.environ["DANMARK_FIGURES"] = "off"

# One BLAS thread in the tests and the notebook kernels they start (unless the caller chose a count):
# on a busy 2-core machine OpenBLAS's thread wake-ups make the many small fits 10-35x slower, and the
# committed notebook outputs, made with the machine's default count, are checked under another one.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pytest  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

threadpool_limits(1)  # numpy may already be loaded (by a plugin) with the default count


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    """numpy, pandas and pyplot as ``np``, ``pd`` and ``plt`` in every docstring example, as they write them."""
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    doctest_namespace.setdefault("np", np)
    doctest_namespace.setdefault("pd", pd)
    doctest_namespace.setdefault("plt", plt)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """The whole suite (``python -m pytest`` with no paths) runs on every core, one file per worker.

    pytest-xdist (in the dev extra) spreads the files over ``-n auto`` workers; ``--dist loadfile``
    keeps each file, and so each notebook's nbval cells and kernel, on one worker. A run of
    chosen files or tests stays in one process unless it asks for ``-n``; ``-n 0`` turns it off.
    """
    if hasattr(config, "workerinput") or os.environ.get("PYTEST_XDIST_WORKER") or os.environ.get("DANMARK_TEST_WORKERS"):
        # a worker (its own command line has no paths either): never start workers from a worker
        if hasattr(config.option, "benchmark_disable") and hasattr(config, "workerinput"):
            config.option.benchmark_disable = True  # pytest-benchmark cannot time in parallel: run each once
        return
    if (config.args_source == pytest.Config.ArgsSource.TESTPATHS and config.pluginmanager.hasplugin("xdist")
            and config.getoption("numprocesses", None) is None and not config.getoption("collectonly")
            and not config.getoption("usepdb", False)):
        config.option.numprocesses = "auto"
        os.environ["DANMARK_TEST_WORKERS"] = "auto"  # inherited by the workers: a second guard
        if hasattr(config.option, "benchmark_disable"):
            config.option.benchmark_disable = True  # pytest-benchmark cannot time in parallel: run each once
        if config.option.dist == "no":
            config.option.dist = "loadfile"
