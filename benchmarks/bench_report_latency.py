"""`danmark report Solrød` from the shell, side by side with its floor.

The floor is what any command that computes these numbers in Python must pay before it starts:
``python -c "import pandas, scipy.stats"``. Both commands run alternately in fresh processes
(so both see the same load), and the script prints the median wall time of each and their ratio.

    python benchmarks/bench_report_latency.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "danmark report Solrød": [sys.executable, "-m", "danmark", "report", "Solrød"],
    "floor: import pandas, scipy.stats": [sys.executable, "-c", "import pandas, scipy.stats"],
    "bare python": [sys.executable, "-c", "pass"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.repeat):
        for name, cmd in COMMANDS.items():  # alternate, so a burst of load hits every command
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - start)
    med = {name: statistics.median(t) for name, t in times.items()}
    for name, t in med.items():
        print(f"{name:38s} {t:6.2f} s (median of {args.repeat})")
    report, floor = med["danmark report Solrød"], med["floor: import pandas, scipy.stats"]
    print(f"ratio report / floor: {report / floor:.2f}")


if __name__ == "__main__":
    main()
