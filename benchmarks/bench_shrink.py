"""Benchmark: danmark.shrink on 100,000 units against bare scipy.stats.beta.ppf.

The baseline is what anyone would write by hand for the same intervals:
``scipy.stats.beta.ppf([lo, hi], α + k, β + n − k)`` on the same arrays.
``shrink`` does more (posterior mean, median, weight, a DataFrame); the target
is under 1 s and within 3x of the baseline.

Run from the repository root:

    python benchmarks/bench_shrink.py

The data are simulated (labelled as such): n ~ U{1, ..., 2000},
θ ~ Beta(6, 24), k ~ Binomial(n, θ).
"""

from __future__ import annotations

import statistics
import time
import warnings

import numpy as np
from scipy import stats

from danmark import BetaPrior, shrink

N_UNITS = 100_000
REPEATS = 7


def timed(fn, repeats=REPEATS):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def main() -> None:
    rng = np.random.default_rng(20240306)
    n = rng.integers(1, 2001, N_UNITS)
    k = rng.binomial(n, rng.beta(6.0, 24.0, N_UNITS))
    prior = BetaPrior(6.0, 24.0)
    a1 = prior.alpha + k
    b1 = prior.beta + (n - k)
    q = np.array([[0.025], [0.975]])

    results = {
        "bare scipy.stats.beta.ppf (lower, upper)": timed(lambda: stats.beta.ppf(q, a1, b1)),
        "shrink(k, n, prior) equal-tailed": timed(lambda: shrink(k, n, prior=prior)),
        "shrink(k, n, prior) hpd": timed(lambda: shrink(k, n, prior=prior, interval="hpd"), repeats=3),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results["shrink(k, n) incl. fit_prior MLE"] = timed(lambda: shrink(k, n), repeats=3)

    # the same numbers?
    out = shrink(k, n, prior=prior)
    ref = stats.beta.ppf(q, a1, b1)
    agree = max(np.abs(out["lower"] - ref[0]).max(), np.abs(out["upper"] - ref[1]).max())

    base = results["bare scipy.stats.beta.ppf (lower, upper)"][0]
    print(f"{N_UNITS:,} simulated units, median (min) of repeated runs")
    for name, (med, best) in results.items():
        print(f"  {name:45s} {med * 1e3:8.1f} ms ({best * 1e3:.1f})   x{med / base:.2f} of baseline")
    print(f"  max |shrink - bare ppf| over lower/upper: {agree:.2e}")


if __name__ == "__main__":
    main()
