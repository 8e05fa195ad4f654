"""The repository tools: notebook sources, README and CI agree (the rendering: tests/test_pages.py)."""

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_notebook_has_its_source_and_a_verdict():
    build = _load("build_notebooks")
    sources = sorted(p.stem for p in (ROOT / "notebooks" / "src").glob("*.py"))
    built = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sources == built and len(built) == 10  # 00-08 the arguments, 09 the explorer
    for name in sources:
        cells = build.parse((ROOT / "notebooks" / "src" / f"{name}.py").read_text(encoding="utf-8"))
        assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# ")
        assert "NBVAL_IGNORE_OUTPUT" in cells[-1].source  # closing versions cell
        if name[:2] in ("02", "03", "04", "05"):  # the municipality notebooks end with a verdict (in Danish)
            assert any("konklusion" in c.source.lower() for c in cells if c.cell_type == "markdown"), name


def test_ci_runs_exactly_the_readme_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install = re.search(r"^python -m pip install .*$", readme, re.M).group(0)
    test = re.search(r"^python -m pytest.*$", readme, re.M).group(0)
    # the install line also runs the main job: every notebook executed and rendered to html/
    # (tests/test_pages.py checks the rendering)
    assert install == 'python -m pip install -e ".[dev]" && python tools/render_notebooks.py --execute'
    assert test == "python -m pytest"
    assert "grep -m1 -E '^python -m pip install ' README.md" in ci
    assert "grep -m1 -E '^python -m pytest' README.md" in ci


def test_cell_tags_from_the_header_and_one_verdict_table():
    build = _load("build_notebooks")
    cells = build.parse('# %%\nx = 1\n\n# %% tags=["verdict-table"]\ny = 2\n\n# %% [markdown] tags=["a", "b"]\n# Hej\n')
    assert [c.metadata.get("tags") for c in cells] == [None, ["verdict-table"], ["a", "b"]]
    cells = build.parse((ROOT / "notebooks" / "src" / "00_start_here.py").read_text(encoding="utf-8"))
    tagged = [c for c in cells if "verdict-table" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0].cell_type == "code"
