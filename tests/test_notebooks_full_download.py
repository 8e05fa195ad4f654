"""Every notebook's DANMARK_DATA branch runs on a full 98-kommune Talportal download (issue 7).

The downloads are SYNTHETIC: drawn by tests/talportal_writer.random_truth and written in the
layouts of the Talportal's CSV-fil and XLSX downloads, in a temporary folder, never committed.
nbval checks the committed outputs on the bundled figures; this test checks that the other
branch -- the one an analyst with a real download takes -- executes without an error.

Both files read to the same table (checked here, and format by format in tests/test_downloads.py),
so each notebook runs once, on the CSV-fil or the XLSX download in turn: every notebook runs on a
full download and both formats go through the notebooks, at half the cost of running all on both.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
import talportal_writer as tw
from nbconvert.preprocessors import CellExecutionError, ExecutePreprocessor

import danmark

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# the map names danmark recognises, so the notebooks find their areas; nine years as the notebooks need
SAGSEMNER = ["Voksenhandicap", "Børnehandicap", "Socialområdet"]
PERIODS = [str(y) for y in range(2016, 2025)]
# each notebook on one of the two downloads, alternating
CASES = [(path, ("csv", "xlsx")[i % 2]) for i, path in enumerate(NOTEBOOKS)]


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


@pytest.mark.parametrize("notebook, fmt", CASES, ids=[f"{p.stem}-{f}" for p, f in CASES])
def test_notebook_runs_on_a_full_download(downloads, notebook, fmt, monkeypatch):
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
