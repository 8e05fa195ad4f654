"""Every notebook runs on any download: the committed examples and full SYNTHETIC downloads.

The downloads are SYNTHETIC: drawn by tests/talportal_writer.random_truth and written in the
layouts of the Talportal's CSV-fil and XLSX downloads, in a temporary folder, never committed.
nbval checks the committed outputs on the bundled figures; this test checks that the other
branch -- the one an analyst with a real download takes -- executes without an error.

Both files read to the same table (checked here, and format by format in tests/test_downloads.py).
Where a cell outside its download cells uses what they computed (found by reading the cells' names), every
cell that a download changes runs on a full download (tests/test_notebooks_full_runs.py); otherwise
its download cells are all that a download changes, and they run here on both full downloads.

**Any download.** A real download may lack the kommune, area or period a notebook looks for (the
committed examples in ``tests/fixtures/downloads/`` hold a handful of kommuner, two sagsemner and
two years or four quarters). Every cell that reads ``DANMARK_DATA`` is tagged ``download`` in the
notebook's source, and the cells it needs (imports and helpers) ``setup``; cells that only a full
download changes and that cost seconds (06's ranks) are tagged ``full-download`` and run in the
full-notebook test (tests/test_notebooks_full_runs.py). The setup and download cells run here on
every example file (CSV-fil and XLSX) and on the SYNTHETIC download the full run does not use, in this process (IPython's
shell, no kernel to start: a second or two per notebook and file). A section whose kommune, area
or period is not in the file must say so in Danish and move on: no error, no traceback.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
import talportal_writer as tw
from IPython.core.interactiveshell import InteractiveShell
from matplotlib.figure import Figure

import danmark

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# the map names danmark recognises, so the notebooks find their areas; nine years as the notebooks need
SAGSEMNER = ["Voksenhandicap", "Børnehandicap", "Socialområdet"]
PERIODS = [str(y) for y in range(2016, 2025)]
EXAMPLES = sorted(p for p in (ROOT / "tests" / "fixtures" / "downloads").iterdir() if p.suffix in (".csv", ".xlsx"))



def _reads_a_download(notebook: Path) -> bool:
    """Whether the notebook reads DANMARK_DATA at all (01 and 08 never do: their SYNTHETIC examples are
    their own, so a run on a download would repeat nbval's run cell for cell)."""
    source = (notebook.parent / "src" / f"{notebook.stem}.py").read_text(encoding="utf-8")
    return any(call in source for call in ("load_data(", "resolve_data_path(", "DANMARK_DATA"))


def _names(source: str) -> tuple[set[str], set[str]]:
    """The names a cell reads and the names it assigns (functions and classes included)."""
    tree = ast.parse(source.replace("%matplotlib inline", ""))
    read = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    stored = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    stored |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    return read, stored


def _needs_a_full_run(notebook: Path) -> bool:
    """Whether a cell outside the download cells reads what a download cell computed.

    Where none does, the download cells (run below on every example and both SYNTHETIC downloads)
    are all of the notebook that a download changes, and a kernel run on a download would repeat
    nbval's run cell for cell; where one does, the whole notebook runs on a download in a kernel
    (tests/test_notebooks_full_runs.py).
    """
    if not _reads_a_download(notebook):
        return False
    from_download: set[str] = set()
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", []))
        read, stored = _names(cell.source)
        if tags & {"download", "full-download"}:
            from_download |= stored
        elif not tags & {"setup"} and ((read - stored) & from_download
                                       or any(c in cell.source for c in ("load_data(", "resolve_data_path("))):
            return True
    return False


# each notebook that needs it on one of the two downloads, alternating
CASES = [(path, ("csv", "xlsx")[i % 2]) for i, path in enumerate(p for p in NOTEBOOKS if _needs_a_full_run(p))]


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic_downloads")
    truth = tw.random_truth(np.random.default_rng(2024), n_kommuner=98, sagsemner=SAGSEMNER,
                            periods=PERIODS, mean_cases=12)
    assert truth.attrs["synthetic"]
    return {
        "csv": tw.write_csv_download(truth, folder / "SYNTHETIC_data.csv"),
        "xlsx": tw.write_xlsx_download(truth, folder / "SYNTHETIC_excelfil.xlsx"),
    }


def test_both_downloads_read_to_the_same_table(downloads):
    csv, xlsx = (danmark.load_data(downloads[f]).drop(columns="source") for f in ("csv", "xlsx"))
    key = ["kommunekode", "area", "period"]
    pd.testing.assert_frame_equal(csv.sort_values(key).reset_index(drop=True),
                                  xlsx.sort_values(key).reset_index(drop=True))
    assert {fmt for _, fmt in CASES} == {"csv", "xlsx"}


def _tagged(nb, *tags):
    return [c for c in nb.cells if c.cell_type == "code" and set(c.metadata.get("tags", [])) & set(tags)]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_cell_that_reads_a_download_is_tagged(notebook):
    nb = nbformat.read(notebook, as_version=4)
    untagged = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "load_data(" in c.source
                and "download" not in c.metadata.get("tags", [])]
    assert not untagged, f"{notebook.name}: cells {untagged} read DANMARK_DATA but are not tagged 'download'"
    if _tagged(nb, "download"):
        assert _tagged(nb, "setup"), f"{notebook.name}: its download cells need the cells tagged 'setup'"


def cells_a_download_changes(nb) -> list:
    """The code cells a download changes, in order, with every cell they need: the ``setup`` and
    ``download``/``full-download`` cells, each later cell that reads what those computed (or reads a
    download itself), and then, for each of these, the latest earlier cell that assigns a name it reads.

    The cells left out compute the same on any download (the bundled figures, the SYNTHETIC examples'
    own simulations): nbval runs them against their committed outputs.
    """
    code = [c for c in nb.cells if c.cell_type == "code"]
    names = [_names(c.source) for c in code]
    tainted: set[str] = set()
    keep = set()
    for i, (cell, (read, stored)) in enumerate(zip(code, names, strict=True)):
        tags = set(cell.metadata.get("tags", []))
        if tags & {"setup", "download", "full-download"} or (read - stored) & tainted \
                or any(c in cell.source for c in ("load_data(", "resolve_data_path(")):
            keep.add(i)
            if not tags & {"setup"}:
                tainted |= stored
    changed = True
    while changed:  # the inputs of the kept cells: the latest earlier cell that assigns each name they read
        changed = False
        for i in sorted(keep):
            for name in names[i][0] - names[i][1]:
                source = next((j for j in range(i - 1, -1, -1) if name in names[j][1]), None)
                if source is not None and source not in keep:
                    keep.add(source)
                    changed = True
    return [code[i] for i in sorted(keep)]


def run_download_cells(notebook: Path, data: Path, monkeypatch, tmp_path, *, everything: bool = False) -> str:
    """Run the notebook's setup and download cells on *data* in an IPython shell; return what they print.

    *everything*: every cell a download changes (:func:`cells_a_download_changes`), not only the tagged ones."""
    monkeypatch.setenv("DANMARK_DATA", str(data))
    monkeypatch.setenv("DANMARK_FIGURES", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(notebook.parent)
    monkeypatch.setattr(Figure, "savefig", lambda self, *args, **kwargs: None)  # drawn, not written: the time is in the writing
    shell = InteractiveShell.instance()
    shell.reset(new_session=False)
    out = io.StringIO()
    nb = nbformat.read(notebook, as_version=4)
    for cell in (cells_a_download_changes(nb) if everything else _tagged(nb, "setup", "download")):
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            result = shell.run_cell(cell.source.replace("%matplotlib inline", ""), silent=True)
        if not result.success:
            err = result.error_in_exec or result.error_before_exec
            pytest.fail(f"{notebook.name} on {data.name}: {type(err).__name__}: {err}\nin cell:\n{cell.source[:800]}"
                        f"\nprinted before:\n{out.getvalue()[-1500:]}")
    import matplotlib.pyplot as plt

    plt.close("all")
    return out.getvalue()


DOWNLOAD_CASES = [(nb, ex) for nb in NOTEBOOKS for ex in EXAMPLES]


@pytest.mark.parametrize("notebook, example", DOWNLOAD_CASES,
                         ids=[f"{nb.stem}-{ex.name}" for nb, ex in DOWNLOAD_CASES])
def test_download_cells_run_on_every_example_download(notebook, example, monkeypatch, tmp_path):
    printed = run_download_cells(notebook, example, monkeypatch, tmp_path)
    assert "Traceback" not in printed


# the download cells on both SYNTHETIC downloads, but for the notebook and format a full run covers
SYNTHETIC_CASES = [(nb, fmt) for nb in NOTEBOOKS if _reads_a_download(nb) for fmt in ("csv", "xlsx")
                   if (nb, fmt) not in CASES]


@pytest.mark.parametrize("notebook, fmt", SYNTHETIC_CASES, ids=[f"{p.stem}-{f}" for p, f in SYNTHETIC_CASES])
def test_download_cells_run_on_the_synthetic_downloads(downloads, notebook, fmt, monkeypatch, tmp_path):
    """The download cells of every notebook on both full downloads (the full runs cover the rest)."""
    printed = run_download_cells(notebook, downloads[fmt], monkeypatch, tmp_path)
    assert "Traceback" not in printed
    assert os.environ["DANMARK_DATA"] == str(downloads[fmt])
