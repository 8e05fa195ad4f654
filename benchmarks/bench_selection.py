"""Benchmark: danmark.simulate_selection, 100,000 repetitions × 98 municipalities.

The case counts are a SIMULATION INPUT, not data: each kommune's population on
1 January 2020 (``danmark.municipalities()``) scaled so the 98 counts sum to
about 8,631 — the number of realitetsbehandlede cases on socialområdet in 2022
(data/README.md) — rounded, with at least one case each. Every kommune gets the
same true rate, the 2022 national omgørelsesprocent of 37.5 %, so every
difference between their simulated rates is noise.

Reported: wall time (best and median of ``--repeat`` runs, no progress bar),
peak memory allocated during one run (``tracemalloc``, which sees numpy's
buffers) and the process's peak resident memory (``VmHWM`` from
/proc/self/status, or ``ru_maxrss``), which includes Python, numpy, pandas and
scipy themselves.

Target: under 2 s and under 1 GB.

Run::

    python benchmarks/bench_selection.py
    python benchmarks/bench_selection.py --reps 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import danmark  # noqa: E402
from danmark.simulate.selection import simulate_selection  # noqa: E402

NATIONAL_CASES = 8_631  # socialområdet 2022, realitetsbehandlede (data/README.md)
NATIONAL_RATE = 0.375  # socialområdet 2022 omgørelsesprocent


def case_counts(total: int = NATIONAL_CASES):
    """SIMULATED case counts: population shares of *total*, at least 1 each."""
    kom = danmark.municipalities()
    counts = np.maximum(1, np.round(kom["population"] / kom["population"].sum() * total)).astype(int)
    counts.index = kom["kommune"]
    return counts


def peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=100_000)
    parser.add_argument("--top", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)

    n = case_counts()
    print(f"SIMULATION: {len(n)} kommuner, {n.sum():,} cases in all (min {n.min()}, median "
          f"{int(n.median())}, max {n.max()}), true rate {NATIONAL_RATE} everywhere")

    simulate_selection(n, NATIONAL_RATE, top=args.top, size=1_000, seed=0, progress=False)  # warm-up
    times = []
    for i in range(args.repeat):
        t0 = time.perf_counter()
        res = simulate_selection(n, NATIONAL_RATE, top=args.top, size=args.reps, seed=args.seed + i, progress=False)
        times.append(time.perf_counter() - t0)

    tracemalloc.start()
    simulate_selection(n, NATIONAL_RATE, top=args.top, size=args.reps, seed=args.seed, progress=False)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"reps × units: {args.reps:,} × {len(n)}  (chunk {res.chunk:,} repetitions)")
    print(f"time: best {min(times):.3f} s, median {statistics.median(times):.3f} s over {args.repeat} runs")
    print(f"peak memory allocated during one run (tracemalloc): {traced_peak / 2**20:.1f} MB")
    print(f"peak resident memory of this process (VmHWM): {peak_rss_mb():.1f} MB")
    s = res.summary
    print(
        "result (last timed run): selected kommuner have on average "
        f"{s['mean_n_selected']:.1f} cases vs {s['mean_n_all']:.1f} for all; "
        f"{100 * s['share_selected_below_median_n']:.1f} % of selections go to kommuner below the "
        f"median n ({s['median_n']:.0f}); their raw rate when selected averages "
        f"{100 * s['mean_rate_selected']:.1f} % and {100 * s['mean_next_rate_selected']:.1f} % the next period"
    )
    top = res.units.sort_values("p_selected", ascending=False).head(5)
    print("most often in the top", args.top, "(share of repetitions):")
    for name, row in top.iterrows():
        print(f"  {name:<18} n = {int(row['n']):>4}  {100 * row['p_selected']:.1f} %")


if __name__ == "__main__":
    main()
