"""Benchmark: ``danmark faktaark --all`` on a full 98-kommune download vs ``kommune_report`` alone.

The download is SYNTHETIC: drawn by tests/talportal_writer.random_truth (98 kommuner plus
Hele landet, three Sagsemner, the nine years 2016-2024, about 12 cases per kommune,
Sagsemne and year) and written in the layout of the Talportal's CSV-fil download (or its
XLSX with ``--xlsx``) into a temporary folder, never into the repository.

Measured, each ``--repeat`` times:

``faktaark --all``
    The command as a user runs it (``python -m danmark faktaark --all --data FILE --out
    DIR``), wall time of the whole process: interpreter start, imports, reading the file,
    the worker processes (one per CPU, at most 4), every page and the index.
``faktaark --all, 1 process`` (with ``--sequential``)
    The same through ``danmark.faktaark_all(workers=1)`` in a fresh interpreter.
``floor: kommune_report``
    The report calls the pages make, for the same kommuner, areas and periods (read back
    from the pages), one after another in a fresh interpreter, the file read once
    (``danmark.read_download``) and imports excluded: ``kommune_report(kommune, area=...,
    data=download, by_size=False)`` (the trend), ``kommune_report(..., period=...)`` (the
    page's period, with the field and the size prior) and its ``needs``. Every number on the
    pages, the field and the size-prior fits included, without figures or HTML.

Target (issue 9): all 98 pages in under a minute on the 2-core development machine.

Run::

    python benchmarks/bench_faktaark.py                 # CSV-fil, one round
    python benchmarks/bench_faktaark.py --repeat 3 --sequential --xlsx
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import talportal_writer as tw  # noqa: E402  (tests/talportal_writer.py: the Talportal's layouts)

TARGET_S = 60.0
SAGSEMNER = ["Voksenhandicap", "Børnehandicap", "Socialområdet"]
PERIODS = [str(y) for y in range(2016, 2025)]

FLOOR = textwrap.dedent(
    """
    import json, sys, time
    sys.path.insert(0, {repo!r})
    import danmark
    jobs = json.loads({jobs!r})
    import danmark.report  # imports excluded
    start = time.perf_counter()
    d = danmark.read_download({data!r})
    for code, area, period in jobs:
        danmark.kommune_report(code, area=area, data=d, by_size=False)
        danmark.kommune_report(code, area=area, period=period, data=d).areas[0].needs
    print(time.perf_counter() - start)
    """
)
SEQUENTIAL = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {repo!r})
    import danmark
    danmark.faktaark_all(data={data!r}, out={out!r}, workers=1, progress=False)
    """
)


def run(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def pages_jobs(folder: Path) -> list[tuple[str, str, str]]:
    """(kommunekode, area, period) of every page, as the page states them."""
    jobs = []
    for page in sorted(folder.glob("[0-9]*.html")):
        text = page.read_text(encoding="utf-8")
        code, area, period = (re.search(rf'data-k="{key}" data-v="&#x27;([^&]+)&#x27;"', text).group(1)
                              for key in ("kommunekode", "area", "period"))
        jobs.append((code, area, period))
    return jobs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--xlsx", action="store_true", help="the XLSX download instead of the CSV-fil")
    parser.add_argument("--sequential", action="store_true", help="also time faktaark_all(workers=1)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        truth = tw.random_truth(np.random.default_rng(args.seed), n_kommuner=98, sagsemner=SAGSEMNER,
                                periods=PERIODS, mean_cases=12)
        assert truth.attrs["synthetic"]
        write = tw.write_xlsx_download if args.xlsx else tw.write_csv_download
        data = write(truth, tmp / ("SYNTHETIC_excelfil.xlsx" if args.xlsx else "SYNTHETIC_data.csv"))
        times: dict[str, list[float]] = {"faktaark --all": [], "floor: kommune_report": []}
        if args.sequential:
            times["faktaark --all, 1 process"] = []
        n_pages = 0
        for i in range(args.repeat):
            out = tmp / f"pages{i}"
            times["faktaark --all"].append(run([sys.executable, "-m", "danmark", "faktaark", "--all",
                                                "--data", str(data), "--out", str(out)]))
            jobs = pages_jobs(out)
            n_pages = len(jobs)
            floor = subprocess.run([sys.executable, "-c", FLOOR.format(repo=str(REPO), jobs=json.dumps(jobs),
                                                                        data=str(data))],
                                   check=True, capture_output=True, text=True, cwd=REPO)
            times["floor: kommune_report"].append(float(floor.stdout.strip().splitlines()[-1]))
            if args.sequential:
                times["faktaark --all, 1 process"].append(run([sys.executable, "-c", SEQUENTIAL.format(
                    repo=str(REPO), data=str(data), out=str(tmp / f"seq{i}"))]))

    print(f"SYNTHETIC {'XLSX' if args.xlsx else 'CSV-fil'} download: {n_pages} kommuner x 3 Sagsemner x "
          f"{len(PERIODS)} years; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    print(f"{'':32s} {'best':>8s} {'median':>8s}  per page")
    for label, ts in times.items():
        print(f"{label:32s} {min(ts):7.1f}s {statistics.median(ts):7.1f}s  {min(ts) / n_pages:6.3f}s")
    best = min(times["faktaark --all"])
    ok = best < TARGET_S
    print(f"target: {n_pages} pages in < {TARGET_S:.0f} s: {'met' if ok else 'NOT met'} ({best:.1f} s; "
          f"{best / min(times['floor: kommune_report']):.1f}x the kommune_report floor)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
