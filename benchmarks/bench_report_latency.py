"""`danmark report Solrød` from the shell, side by side with its floors.

The floors are what any command that computes these numbers in Python must pay before it starts:
``python -c "import pandas"`` and ``python -c "import pandas, scipy.special"`` (what the report
imports to compute on the bundled data), and the old floor ``import pandas, scipy.stats`` (what it
imported before issue 19; scipy.stats and statsmodels are no longer imported on the bundled data).
All commands run alternately in fresh processes (so all see the same load); the script prints the
median wall time of each and the report's ratio to each floor.

``--full`` also times the report on a SYNTHETIC full download (98 kommuner, 3 Sagsemner x 9 years,
drawn by tests/talportal_writer.py into a temporary folder): it computes the field (funnel,
hierarchical model, ranks) and the size prior for every period, so its time is computation; its
floor is importing what it computes with (pandas, scipy.stats, statsmodels' likelihood model).

    python benchmarks/bench_report_latency.py [--repeat 7] [--full]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REPORT = "danmark report Solrød"
FLOORS = {
    "floor: import pandas": "import pandas",
    "floor: import pandas, scipy.special": "import pandas, scipy.special",
    "old floor: import pandas, scipy.stats": "import pandas, scipy.stats",
    "bare python": "pass",
}
FULL = "danmark report Solrød --data SYNTHETIC"
FULL_FLOOR = "floor: pandas, scipy.stats, statsmodels"


def synthetic_download(folder: Path) -> Path:
    """A SYNTHETIC 98-kommune Talportal CSV-fil download (tests/talportal_writer.py), in *folder*."""
    import numpy as np

    sys.path.insert(0, str(REPO / "tests"))
    import talportal_writer as tw

    truth = tw.random_truth(np.random.default_rng(2024), n_kommuner=98,
                            sagsemner=["Voksenhandicap", "Børnehandicap", "Socialområdet"],
                            periods=[str(y) for y in range(2016, 2025)], mean_cases=12)
    assert truth.attrs["synthetic"]
    return tw.write_csv_download(truth, folder / "SYNTHETIC_data.csv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--full", action="store_true", help="also the report on a SYNTHETIC full download")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    with tempfile.TemporaryDirectory() as tmp:
        commands = {REPORT: [sys.executable, "-m", "danmark", "report", "Solrød"]}
        commands.update({name: [sys.executable, "-c", code] for name, code in FLOORS.items()})
        if args.full:
            data = synthetic_download(Path(tmp))
            commands[FULL] = [sys.executable, "-m", "danmark", "report", "Solrød", "--data", str(data)]
            commands[FULL_FLOOR] = [sys.executable, "-c", "import pandas, scipy.stats, statsmodels.base.model"]
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, cmd in commands.items():  # alternate, so a burst of load hits every command
                start = time.perf_counter()
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env, cwd=REPO)
                times[name].append(time.perf_counter() - start)
    med = {name: statistics.median(t) for name, t in times.items()}
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; median of {args.repeat} alternated runs")
    for name, t in med.items():
        print(f"{name:42s} {t:6.2f} s")
    report = med[REPORT]
    for name in FLOORS:
        if name != "bare python":
            print(f"ratio report / {name.split(': ', 1)[1]:28s} {report / med[name]:5.2f}")
    print(f"report beyond the floor import pandas, scipy.special: {report - med['floor: import pandas, scipy.special']:.2f} s")
    if args.full:
        print(f"full download: report {med[FULL]:.2f} s, of which at most {med[FULL_FLOOR]:.2f} s is importing "
              f"what it computes with (ratio {med[FULL] / med[FULL_FLOOR]:.1f})")


if __name__ == "__main__":
    main()
