"""Build notebooks/*.ipynb from their percent-format sources in notebooks/src/ and execute them.

    python tools/build_notebooks.py            # all notebooks
    python tools/build_notebooks.py 02_solrod  # one notebook

A source is a Python file whose cells start with ``# %%`` (code) or ``# %% [markdown]``
(markdown, each line prefixed with ``# ``). A header may set cell tags, e.g.
``# %% tags=["verdict-table"]`` (a JSON list). The notebook is executed top to bottom in a fresh
kernel with notebooks/ as the working directory, and written with its outputs, ready to commit;
nbval then checks in CI that a re-run reproduces them.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor

ROOT = Path(__file__).resolve().parents[1]
NB = ROOT / "notebooks"


def parse(source: str) -> list:
    cells = []
    chunks = re.split(r"^# %%(.*)$", source, flags=re.M)
    # chunks: [preamble, header1, body1, header2, body2, ...]
    for header, body in zip(chunks[1::2], chunks[2::2], strict=True):
        body = body.strip("\n")
        tags = re.search(r"tags=(\[[^\]]*\])", header)
        metadata = {"tags": json.loads(tags.group(1))} if tags else {}
        if "[markdown]" in header:
            lines = [re.sub(r"^# ?", "", line) for line in body.splitlines()]
            cells.append(nbformat.v4.new_markdown_cell("\n".join(lines).strip("\n"), metadata=metadata))
        elif body.strip():
            cells.append(nbformat.v4.new_code_cell(body, metadata=metadata))
    return cells


def build(src: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = parse(src.read_text(encoding="utf-8"))
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    start = time.perf_counter()
    ExecutePreprocessor(timeout=600, kernel_name="python3").preprocess(nb, {"metadata": {"path": str(NB)}})
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"  # stable ids keep diffs small
        if cell.cell_type == "code":
            cell.metadata.pop("execution", None)
    target = NB / f"{src.stem}.ipynb"
    nbformat.write(nb, target)
    print(f"{target.relative_to(ROOT)}: {len(nb.cells)} cells, {time.perf_counter() - start:.1f} s")
    return target


def main(argv: list[str]) -> int:
    names = argv or [p.stem for p in sorted((NB / "src").glob("*.py"))]
    for name in names:
        build(NB / "src" / f"{name.removesuffix('.py')}.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
