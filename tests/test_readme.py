"""Every code block in the README runs as written (issue 10).

Python blocks run in order in one namespace; in shell blocks, the ``danmark`` and ``cp``
commands run (installation, pytest and JupyterLab lines are what the rest of the test
suite and CI exercise). They run in a scratch folder holding a copy of the repository's
format examples, as a reader who followed the README would have them.
"""

from __future__ import annotations

import re
import shlex
import shutil
import warnings
from pathlib import Path

import pytest

from danmark.cli import main

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"^```(\w+)\n(.*?)^```", (ROOT / "README.md").read_text(encoding="utf-8"), re.M | re.S)


@pytest.fixture
def reader_folder(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "tests" / "fixtures" / "downloads", tmp_path / "tests" / "fixtures" / "downloads")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DANMARK_DATA", raising=False)
    return tmp_path


def test_the_readme_has_python_and_shell_blocks():
    kinds = [kind for kind, _ in BLOCKS]
    assert kinds.count("python") >= 1 and kinds.count("sh") >= 3


def test_every_readme_block_runs(reader_folder, capsys):
    namespace: dict = {}
    commands = 0
    for kind, code in BLOCKS:
        if kind == "python":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the README's own text explains each warning
                exec(compile(code, "README.md", "exec"), namespace)
            continue
        for line in code.splitlines():
            argv = shlex.split(line)
            if not argv:
                continue
            if argv[0] == "cp":
                shutil.copy(argv[1], argv[2])
            elif argv[0] == "danmark":
                commands += 1
                try:
                    rc = main(argv[1:])
                except SystemExit as stop:  # --help
                    rc = stop.code
                out = capsys.readouterr()
                assert rc == 0, f"{line}: {out.err}"
    assert commands >= 6
    assert namespace["pooled"]["kommunekode"].nunique() > 1
    assert "000" not in set(namespace["pooled"]["kommunekode"])
