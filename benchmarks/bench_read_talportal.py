"""Benchmark: danmark.read_talportal against a bare pandas read of the same file.

The file is SYNTHETIC: 1,000,000 rows in the Talportal export's layout with
made-up subjects ("SYNTHETIC sagsemne 001") and random counts. It is written to
a temporary directory and deleted afterwards; nothing is written to the repo.

Peak resident memory (``VmHWM`` from /proc/self/status; ``ru_maxrss`` where
that is missing) is measured in a fresh subprocess per reader, so it belongs
to that reader alone. Times come
from a third subprocess that alternates the two readers ``--repeat`` times
(so both see the same machine load) and reports the best of each and the
median of the paired ratios.

Target: read_talportal within 2x the time of
``pandas.read_csv(path, sep=";", engine="pyarrow")`` and under 1 GB peak RSS.

Run::

    python benchmarks/bench_read_talportal.py            # 1,000,000 rows
    python benchmarks/bench_read_talportal.py --rows 200000 --repeat 11
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
HEADER = [
    "Sagsemne", "Kommune", "Aar", "Kvartal", "periode", "Afvisning.Henvisning", "Hjemvisning",
    "Stadfæstelse", "Ændring.Ophævelse", "Antal_sager_ialt", "Sagsbehandlingstid",
]


def write_synthetic(path: Path, rows: int, seed: int = 2024, missing_share: float = 0.01) -> None:
    """Write a SYNTHETIC Talportal-format file with *rows* unique (subject, kommune, period) rows."""
    sys.path.insert(0, str(REPO))
    from danmark.kommuner import _table

    rng = np.random.default_rng(seed)
    old = {"Aarhus": "Århus", "Aalborg": "Ålborg"}  # the export's old spellings
    kommuner = ["Hele landet"] + [old.get(k, k) for k in _table()["kommune"]]
    periods = [str(y) for y in range(2014, 2025)] + [
        f"{y} - {q}. kvartal" for y in range(2014, 2025) for q in range(1, 5)
    ]
    per_subject = len(kommuner) * len(periods)
    subjects = [f"SYNTHETIC sagsemne {i:03d}" for i in range(-(-rows // per_subject))]
    s, k, p = (a.ravel()[:rows] for a in np.meshgrid(
        np.arange(len(subjects)), np.arange(len(kommuner)), np.arange(len(periods)), indexing="ij"))
    st, ae, hj, af = (rng.poisson(lam, rows) for lam in (8, 1, 3, 1))
    period_arr = np.array(periods, dtype=object)
    df = pd.DataFrame({
        "Sagsemne": np.array(subjects, dtype=object)[s],
        "Kommune": np.array(kommuner, dtype=object)[k],
        "Aar": np.array([x[:4] for x in periods], dtype=object)[p],
        "Kvartal": np.array([x[7:] if len(x) > 4 else "" for x in periods], dtype=object)[p],
        "periode": period_arr[p],
        "Afvisning.Henvisning": af.astype(object),
        "Hjemvisning": hj.astype(object),
        "Stadfæstelse": st.astype(object),
        "Ændring.Ophævelse": ae.astype(object),
        "Antal_sager_ialt": (st + ae + hj + af).astype(object),
        "Sagsbehandlingstid": rng.integers(20, 400, rows).astype(object),
    })
    # about 1 % of rows report no decisions: every count is '.', as in the export
    none = rng.random(rows) < missing_share
    for c in HEADER[5:]:
        df.loc[none, c] = "."
    df.to_csv(path, sep=";", index=False, encoding="utf-8-sig")


MEMORY_CHILD = textwrap.dedent(
    """
    import json, resource, sys
    sys.path.insert(0, {repo!r})
    import pandas as pd
    import danmark.readers as readers

    def peak_mb():
        # VmHWM: this process's own peak RSS. ru_maxrss would do on most systems, but
        # on Linux it starts from the parent's RSS at fork, which is not ours to count.
        try:
            with open("/proc/self/status") as fh:
                for line in fh:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    path, which = sys.argv[1], sys.argv[2]
    base = peak_mb()
    if which == "bare":
        out = pd.read_csv(path, sep=";", engine="pyarrow")
    else:
        out = readers.read_talportal(path)
    print(json.dumps({{"peak_mb": peak_mb(), "base_mb": base, "rows": len(out)}}))
    """
)

TIMING_CHILD = textwrap.dedent(
    """
    import json, sys, time
    sys.path.insert(0, {repo!r})
    import pandas as pd
    import danmark.readers as readers
    path, repeat = sys.argv[1], int(sys.argv[2])
    times = {{"bare": [], "danmark": []}}
    for _ in range(repeat):  # alternate, so both see the same machine load
        t = time.perf_counter()
        out = pd.read_csv(path, sep=";", engine="pyarrow")
        times["bare"].append(time.perf_counter() - t)
        del out
        t = time.perf_counter()
        out = readers.read_talportal(path)
        times["danmark"].append(time.perf_counter() - t)
        del out
    print(json.dumps(times))
    """
)


def _child(code: str, *args) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code.format(repo=str(REPO)), *map(str, args)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="danmark_bench_") as tmp:
        path = Path(tmp) / "SYNTHETIC_talportal.csv"
        write_synthetic(path, args.rows)
        size = path.stat().st_size / 2**20
        mem_bare = _child(MEMORY_CHILD, path, "bare")
        mem_ours = _child(MEMORY_CHILD, path, "danmark")
        times = _child(TIMING_CHILD, path, args.repeat)
    bare, ours = min(times["bare"]), min(times["danmark"])
    med = float(np.median(np.array(times["danmark"]) / np.array(times["bare"])))
    print(f"SYNTHETIC Talportal file: {args.rows:,} rows, {size:.0f} MB; "
          f"{args.repeat} alternating runs, best time shown")
    print(f"pandas.read_csv(sep=';', engine='pyarrow'): {bare:.3f} s, "
          f"peak RSS {mem_bare['peak_mb']:.0f} MB (after imports {mem_bare['base_mb']:.0f} MB)")
    print(f"danmark.read_talportal:                     {ours:.3f} s, "
          f"peak RSS {mem_ours['peak_mb']:.0f} MB (after imports {mem_ours['base_mb']:.0f} MB), "
          f"{mem_ours['rows']:,} tidy rows")
    print(f"ratio of best times: {ours / bare:.2f}x; median of paired ratios: {med:.2f}x "
          f"(target <= 2x); peak memory {'under' if mem_ours['peak_mb'] < 1024 else 'OVER'} 1 GB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
