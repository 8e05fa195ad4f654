"""Benchmark: ``danmark tabel`` on a full 98-kommune download, with and without grades, vs the floor.

The download is SYNTHETIC, written in the layout of the Talportal's CSV-fil download into a
temporary folder, never into the repository: the 98 kommuner plus Hele landet, three Sagsemner,
the nine years 2016-2024. Each kommune's cases in a Sagsemne and year are Poisson around its
share of the population (FOLK1A, bundled) of ``--cases`` cases a year nationally; its true
omgørelsesprocent in a Sagsemne is drawn once from Beta(12, 20) (mean 37.5 %, sd 8.5 points, as
``bench_grades.py``) so the kommuner really differ and the report-card grades have something to
separate (with no real spread every kommune gets grade 1 in well under a second, which would
flatter the grades).

Measured, each ``--repeat`` times (``--no-grades`` leaves the slow rows out):

``floor: report_table``
    ``danmark.report.report_table(FILE, grades=False)`` in a fresh interpreter, imports
    excluded: every number of the table but the grades, without writing.
``danmark tabel -> .xlsx``
    The command as a user runs it (``python -m danmark tabel --data FILE --out FILE.xlsx``),
    wall time of the whole process: interpreter start, imports, reading, the statistics, writing.
``write_workbook``
    Writing the table already computed (in the same interpreter as the floor).
``grades: one area x period`` / ``danmark tabel --karakterer -> .xlsx``
    The report's field with grades (``Download.field(area, period, grades=True)``, exact MILP)
    for each area's latest year, and the whole command with ``--karakterer`` (grades for all
    27 area x years).

Target (issue 20): the workbook in under a minute on the 2-core development machine.

Run::

    python benchmarks/bench_tabel.py               # one round
    python benchmarks/bench_tabel.py --repeat 3 --no-grades
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import talportal_writer as tw  # noqa: E402  (tests/talportal_writer.py: the Talportal's layouts)

TARGET_S = 60.0
SAGSEMNER = ["Voksenhandicap", "Børnehandicap", "Socialområdet"]
PERIODS = [str(y) for y in range(2016, 2025)]

FLOOR = textwrap.dedent(
    """
    import sys, time, json
    sys.path.insert(0, {repo!r})
    import danmark
    from danmark.report import read_download, report_table
    from danmark.tables_out import estimates_table, write_workbook
    import openpyxl, scipy.stats, statsmodels.api  # imports excluded from the times
    start = time.perf_counter()
    floor = report_table({data!r}, grades=False)
    t_floor = time.perf_counter() - start
    start = time.perf_counter()
    table = estimates_table({data!r})  # the same download, read and fitted once: the view's own cost
    t_view = time.perf_counter() - start
    start = time.perf_counter()
    write_workbook(table, {out!r} + ".xlsx", data_name="SYNTHETIC_data.csv")
    t_xlsx = time.perf_counter() - start
    grades = {{}}
    if {grades!r}:
        d = read_download({data!r})
        for area in d.areas():
            period = max(p for a, p in d.fits() if a == area)
            start = time.perf_counter()
            f = d.field(area, period, grades=True)
            grades[f"{{area}} {{period}}"] = (time.perf_counter() - start, f.grade_status,
                                              int(f.table["grade"].max()))
    print(json.dumps({{"floor": t_floor, "view": t_view, "xlsx": t_xlsx, "rows": len(table), "grades": grades}}))
    """
)


def synthetic_download(rng, cases: int) -> pd.DataFrame:
    """The SYNTHETIC truth table (talportal_writer's layout) with real spread between kommuner."""
    import danmark

    kom = danmark.municipalities()
    names = {danmark.normalize_kommune(k)[0]: k for k in tw.APP_KOMMUNER}
    share = kom.set_index("kommunekode")["population"] / kom["population"].sum()
    rows, national = [], {}
    for area in SAGSEMNER:
        theta = dict(zip(share.index, rng.beta(12, 20, len(share)), strict=True))
        for year in PERIODS:
            for code, s in share.items():
                n = int(rng.poisson(cases * s))
                k = int(rng.binomial(n, theta[code]))
                aendr = int(rng.binomial(k, 0.25))
                counts = (n - k, aendr, k - aendr, int(rng.poisson(0.05 * n)))
                rows.append((names[code], area, year, *(c or None for c in counts)))
                total = national.setdefault((area, year), np.zeros(4, dtype=int))
                total += counts
    rows += [(tw.HELE_LANDET, a, y, *(int(c) for c in t)) for (a, y), t in national.items()]
    truth = tw.make_truth(rows)
    truth.attrs["synthetic"] = True
    return truth


def _run(argv, cwd) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "danmark", *argv], check=True, cwd=cwd, stdout=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": str(REPO)})
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--cases", type=int, default=3000, help="cases a year nationally per Sagsemne")
    parser.add_argument("--no-grades", action="store_true", help="leave out the grades (minutes)")
    args = parser.parse_args()

    times: dict[str, list[float]] = {"floor: report_table": [], "estimates_table (warm)": [],
                                     "write_workbook": [], "danmark tabel -> .xlsx": []}
    if not args.no_grades:
        times["danmark tabel --karakterer -> .xlsx"] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        truth = synthetic_download(np.random.default_rng(args.seed), args.cases)
        data = str(tw.write_csv_download(truth, tmp / "SYNTHETIC_data.csv"))
        for i in range(args.repeat):
            times["danmark tabel -> .xlsx"].append(_run(["tabel", "--data", data, "--out", str(tmp / f"t{i}.xlsx")],
                                                        REPO))
            floor = subprocess.run([sys.executable, "-c", FLOOR.format(repo=str(REPO), data=data, out=str(tmp / f"f{i}"),
                                                                       grades=not args.no_grades)],
                                   check=True, capture_output=True, text=True, cwd=REPO)
            got = json.loads(floor.stdout.strip().splitlines()[-1])
            times["floor: report_table"].append(got["floor"])
            times["estimates_table (warm)"].append(got["view"])
            times["write_workbook"].append(got["xlsx"])
            if not args.no_grades:
                times["danmark tabel --karakterer -> .xlsx"].append(
                    _run(["tabel", "--data", data, "--karakterer", "--out", str(tmp / f"g{i}.xlsx")], REPO))

    print(f"SYNTHETIC CSV-fil download: {got['rows']} rows (98 kommuner x 3 Sagsemner x {len(PERIODS)} years, "
          f"{args.cases} cases a year per Sagsemne); {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    print(f"{'':38s} {'best':>8s} {'median':>8s}")
    for label, ts in times.items():
        print(f"{label:38s} {min(ts):7.1f}s {statistics.median(ts):7.1f}s")
    for key, (secs, status, n_grades) in got["grades"].items():
        print(f"grades {key}: {secs:.1f} s, {n_grades} grades, {status}")
    best = min(times["danmark tabel -> .xlsx"])
    ok = best < TARGET_S
    print(f"target: the workbook in < {TARGET_S:.0f} s: {'met' if ok else 'NOT met'} ({best:.1f} s; "
          f"{best / min(times['floor: report_table']):.2f}x the report_table floor)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
