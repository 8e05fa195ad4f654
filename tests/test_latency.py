"""`danmark report` starts fast: the bundled report imports neither scipy.stats, scipy.optimize nor statsmodels.

Importing scipy.stats and statsmodels costs ~0.8 s on the development machine, more than the report
computes; the report's numbers come from danmark._special (scipy.special) instead, which
tests/test_distributions.py checks against scipy.stats and statsmodels.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HEAVY = ("scipy.stats", "scipy.optimize", "statsmodels")


def test_the_bundled_report_leaves_scipy_stats_optimize_and_statsmodels_unimported():
    code = ("import sys; from danmark.cli import main; main(['report', 'Solrød']); "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] == 'statsmodels' or m.startswith({HEAVY[:2]!r})))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=ROOT)
    assert "Solrød" in run.stdout  # the report ran
    assert ast.literal_eval(run.stdout.strip().splitlines()[-1]) == []


def test_the_version_literal_is_the_packages_version():
    # danmark.__version__ is a literal (reading the installed metadata costs an import at start-up)
    from danmark._versions import VERSION

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert VERSION == project["version"]
    from importlib import metadata

    try:
        installed = metadata.version("danmark")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree without installing
        return
    assert installed == VERSION
