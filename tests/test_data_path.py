"""DANMARK_DATA as the README writes it: a relative path is relative to where the command was typed (issue 17, item 6).

``DANMARK_DATA=data/data.csv jupyter lab notebooks/`` starts kernels in ``notebooks/``; the shell's
``PWD`` (inherited by the kernel) still names the folder the command was typed in.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import danmark
from danmark import DataError
from danmark.io.dispatch import resolve_data_path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "tests" / "fixtures" / "downloads" / "talportal_csv_yearly_all.csv"


@pytest.fixture
def checkout(tmp_path):
    """A folder laid out like the repository: notebooks/ and data/data.csv (an example download)."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "data").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "data" / "data.csv")
    return tmp_path


def test_relative_path_found_from_pwd_when_the_kernel_runs_in_notebooks(checkout, monkeypatch):
    monkeypatch.chdir(checkout / "notebooks")
    monkeypatch.setenv("PWD", str(checkout))
    monkeypatch.setenv("DANMARK_DATA", "data/data.csv")
    assert resolve_data_path() == checkout / "data" / "data.csv"
    table = danmark.load_data()
    assert table["source"].eq("talportal:data.csv").all() and len(table) > 0


def test_relative_path_found_from_the_repository_root_without_pwd(checkout, monkeypatch):
    monkeypatch.chdir(checkout / "notebooks")
    monkeypatch.delenv("PWD", raising=False)
    monkeypatch.setenv("DANMARK_DATA", "data/data.csv")
    assert resolve_data_path() == checkout / "data" / "data.csv"


def test_pwd_elsewhere_falls_back_to_the_repository_root(checkout, monkeypatch, tmp_path_factory):
    monkeypatch.chdir(checkout / "notebooks")
    monkeypatch.setenv("PWD", str(tmp_path_factory.mktemp("elsewhere")))
    assert resolve_data_path("data/data.csv") == checkout / "data" / "data.csv"


def test_the_current_folder_comes_first(checkout, monkeypatch):
    (checkout / "notebooks" / "data").mkdir()
    shutil.copy(EXAMPLE, checkout / "notebooks" / "data" / "data.csv")
    monkeypatch.chdir(checkout / "notebooks")
    monkeypatch.setenv("PWD", str(checkout))
    assert resolve_data_path("data/data.csv") == checkout / "notebooks" / "data" / "data.csv"


def test_absolute_path_and_explicit_argument(checkout, monkeypatch):
    monkeypatch.delenv("DANMARK_DATA", raising=False)
    target = checkout / "data" / "data.csv"
    assert resolve_data_path(str(target)) == target
    assert resolve_data_path() is None
    assert resolve_data_path("") is None
    with pytest.raises(DataError, match="file not found"):
        resolve_data_path(checkout / "data" / "nothing.csv")


def test_not_found_says_where_it_looked(checkout, monkeypatch):
    monkeypatch.chdir(checkout / "notebooks")
    monkeypatch.setenv("PWD", str(checkout))
    monkeypatch.setenv("DANMARK_DATA", "data/excelfil.xlsx")
    with pytest.raises(DataError) as err:
        danmark.load_data()
    text = str(err.value)
    assert "DANMARK_DATA=data/excelfil.xlsx: file not found" in text
    assert str(checkout / "notebooks" / "data" / "excelfil.xlsx") in text
    assert str(checkout / "data" / "excelfil.xlsx") in text
    assert "where the command was typed" in text


def test_the_readme_command_line_as_a_kernel_sees_it(checkout):
    """`cd <repo> && DANMARK_DATA=data/data.csv jupyter lab notebooks/`: the kernel's cwd is notebooks/."""
    code = ("import os, danmark; os.chdir('notebooks'); t = danmark.load_data(); "
            "print(len(t), t['source'].iloc[0])")
    run = subprocess.run(
        ["bash", "-c", f'cd "{checkout}" && DANMARK_DATA=data/data.csv "{sys.executable}" -c "{code}"'],
        capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "HOME": str(checkout)},
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[1] == "talportal:data.csv"


def test_data_folder_is_documented_and_ignored():
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    for words in ("DANMARK_DATA=data/data.csv", "--data data/data.csv", "excelfil.xlsx", "ANKEAST", "faktaark"):
        assert words in readme
    ignore = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "data/*" in ignore and "!data/README.md" in ignore
