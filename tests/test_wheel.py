"""A wheel built from the repository carries the bundled data and runs outside the checkout (issue 12)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "-q", "-w", str(out / "dist"), str(ROOT)],
        capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next((out / "dist").glob("danmark-*.whl"))
    target = out / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(target), str(wheel)],
        capture_output=True, text=True,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    return wheel, target


def _run(target: Path, code: str) -> subprocess.CompletedProcess:
    prelude = f"import sys; sys.path.insert(0, {str(target)!r}); import danmark; " \
              f"assert danmark.__file__.startswith({str(target)!r}), danmark.__file__; "
    return subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True,
                          cwd=target.parent)


def test_the_wheel_holds_the_data(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("cases.csv", "sources.csv", "kommuner.csv", "national.csv", "README.md", "geo/kommuner.geojson"):
        assert f"danmark/data/{name}" in names


def test_the_installed_wheel_loads_the_cases(installed):
    _, target = installed
    run = _run(target, "print(len(danmark.load_cases()), danmark.load_cases()['source'].notna().all())")
    assert run.returncode == 0, run.stderr[-2000:]
    here = pd.read_csv(Path(__file__).resolve().parents[1] / "danmark" / "data" / "cases.csv")
    assert run.stdout.split() == [str(len(here)), "True"]


def test_the_installed_wheel_reports_solrod(installed):
    _, target = installed
    run = _run(target, "from danmark.cli import main; sys.exit(main(['report', 'Solrød']))")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "10 af 14 = 71,4 %" in run.stdout
