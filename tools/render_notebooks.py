"""Render every notebook, with its committed outputs, to HTML for reviewers without Jupyter.

    python tools/render_notebooks.py [--out html] [--execute]

Writes html/<notebook>.html and html/index.html. By default the committed outputs are
rendered as they are (fast, no kernel); --execute re-runs each notebook first.
"""

from __future__ import annotations

import argparse
import html
import json
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import ExecutePreprocessor

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "html"), help="output folder (default: html/)")
    parser.add_argument("--execute", action="store_true", help="re-run each notebook before rendering")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter()
    exporter.embed_images = True
    links = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if args.execute:
            ExecutePreprocessor(timeout=600).preprocess(nb, {"metadata": {"path": str(path.parent)}})
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        target = out / f"{path.stem}.html"
        target.write_text(body, encoding="utf-8")
        title = next((c.source.splitlines()[0].lstrip("# ") for c in nb.cells if c.cell_type == "markdown"), path.stem)
        links.append(f'<li><a href="{target.name}">{html.escape(path.stem)}</a> — {html.escape(title)}</li>')
        print(f"wrote {target}")
    (out / "index.html").write_text(
        "<!doctype html><meta charset='utf-8'><title>danmark notebooks</title>"
        "<h1>danmark notebooks</h1><ul>" + "\n".join(links) + "</ul>", encoding="utf-8")
    print(json.dumps({"notebooks": len(links), "folder": str(out)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
