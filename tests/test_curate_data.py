"""tools/curate_data.py rebuilds the committed tables in danmark/data/ from ../shared/data.

The committed tables are what the code reads; the script is how they were made. Rebuilt into a
temporary folder, every table has the same rows and values as the committed one (CSV quoting and
row order aside), so a rerun cannot overwrite the verified quotations or sources. Skipped without
../shared/data (the tests never need it otherwise).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
TABLES = {"national.csv": None, "cases.csv": None, "published_rates.csv": None, "claims.csv": "claim_id",
          "sources.csv": "key"}


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data beside the repository")
def test_the_script_rebuilds_the_committed_tables(tmp_path):
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "curate_data.py"), str(SHARED), str(tmp_path)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    for name, key in TABLES.items():
        built = pd.read_csv(tmp_path / name, dtype=str, keep_default_na=False)
        committed = pd.read_csv(ROOT / "danmark" / "data" / name, dtype=str, keep_default_na=False)
        if key is not None:
            built, committed = (t.sort_values(key).reset_index(drop=True) for t in (built, committed))
        pd.testing.assert_frame_equal(built, committed, obj=name)
