"""Every cell a download changes runs on a full SYNTHETIC download, in notebooks where cells outside
the download cells use what those computed.

The companion of tests/test_notebooks_full_download.py (which holds the downloads, the cases and
the cell-by-cell runs on every example download): kept in a file of its own so that the test run,
which keeps each file on one worker, can run these beside the cell runs. The cells run in this
process's IPython shell, as there; the cells no download changes (the notebooks' own SYNTHETIC
simulations, the bundled figures) are nbval's to run against their committed outputs.
"""

from __future__ import annotations

import nbformat
import pytest
from test_notebooks_full_download import (  # noqa: F401
    CASES,
    cells_a_download_changes,
    downloads,
    run_download_cells,
)


@pytest.mark.parametrize("notebook, fmt", CASES, ids=[f"{p.stem}-{f}" for p, f in CASES])
def test_notebook_runs_on_a_full_download(downloads, notebook, fmt, monkeypatch, tmp_path):  # noqa: F811 (the fixture)
    printed = run_download_cells(notebook, downloads[fmt], monkeypatch, tmp_path, everything=True)
    assert "Traceback" not in printed


@pytest.mark.parametrize("notebook, fmt", CASES, ids=[f"{p.stem}-{f}" for p, f in CASES])
def test_the_cells_a_download_changes_include_every_reader_of_its_results(notebook, fmt):
    nb = nbformat.read(notebook, as_version=4)
    kept = cells_a_download_changes(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(kept) > len([c for c in code if set(c.metadata.get("tags", [])) & {"setup", "download"}])
    assert [c for c in code if "load_data(" in c.source or "resolve_data_path(" in c.source] == \
        [c for c in kept if "load_data(" in c.source or "resolve_data_path(" in c.source]
