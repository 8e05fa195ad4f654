"""Every notebook that reads a download runs top to bottom on a full SYNTHETIC download, in a kernel.

The companion of tests/test_notebooks_full_download.py (which holds the downloads, the cases and
the cell-by-cell runs on every example download): kept in a file of its own so that the test run,
which keeps each file on one worker, can run these kernels beside the cell runs.
"""

from __future__ import annotations

import nbformat
import pytest
from nbconvert.preprocessors import CellExecutionError, ExecutePreprocessor
from test_notebooks_full_download import CASES, downloads  # noqa: F401 (the fixture)


@pytest.mark.parametrize("notebook, fmt", CASES, ids=[f"{p.stem}-{f}" for p, f in CASES])
def test_notebook_runs_on_a_full_download(downloads, notebook, fmt, monkeypatch):  # noqa: F811 (the fixture)
    monkeypatch.setenv("DANMARK_DATA", str(downloads[fmt]))
    nb = nbformat.read(notebook, as_version=4)
    try:
        ExecutePreprocessor(timeout=600, kernel_name="python3").preprocess(nb, {"metadata": {"path": str(notebook.parent)}})
    except CellExecutionError as err:  # pragma: no cover - the failure message is the point
        pytest.fail(f"{notebook.name} failed on the {fmt} download:\n{str(err)[-3000:]}")
    text = "\n".join(
        str(out.get("text", "")) + str(out.get("data", {}).get("text/plain", ""))
        for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])
    )
    assert "Traceback" not in text
