"""Benchmark: report-card grades for 98 units (SIMULATED), HiGHS via scipy.optimize.milp.

``danmark.pairwise_prob`` on empirical-Bayes posteriors of 98 simulated
kommuner, then ``danmark.grades`` for several λ. The authors' package needs
Gurobi; here the integer programme is solved by row generation with HiGHS.
Reported: time, number of grades, objective, upper bound, gap and status.
Target: within a minute per λ.

Run from the repository root:

    python benchmarks/bench_grades.py [--lam 0.25 0.5 1.0]

The data are SIMULATED: n proportional to each kommune's population
(FOLK1A 2020, 8,631 cases in all), θ ~ Beta(12, 20), k ~ Binomial(n, θ).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import danmark


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lam", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    kom = danmark.municipalities()
    n = np.maximum(np.round(8631 * kom["population"] / kom["population"].sum()).astype(int), 1)
    k = rng.binomial(n, rng.beta(12, 20, len(n)))
    post = danmark.shrink(k, n)
    t0 = time.perf_counter()
    pi = danmark.pairwise_prob(post)
    print(f"SIMULATED data: 98 kommuner, {n.sum():,} cases; pairwise_prob (exact, by integration): "
          f"{time.perf_counter() - t0:.2f} s")
    for lam in args.lam:
        t0 = time.perf_counter()
        r = danmark.grades(pi, lam=lam)
        secs = time.perf_counter() - t0
        print(f"lam={lam:g}: {secs:.1f} s, {r.n_grades} grades, objective {r.objective:.3f}, bound {r.bound:.3f}, "
              f"gap {r.gap:.2g}, status {r.status} -> {'OK' if secs < 60 else 'MISSED'} (< 60 s)")


if __name__ == "__main__":
    main()
