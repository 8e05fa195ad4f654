"""Benchmark: the beta-binomial regression prior on 98 kommuner x 10 years (SYNTHETIC data).

``danmark.fit_prior(df, formula="~ C(year) + np.log(population)")`` (statsmodels
GenericLikelihoodModel with an analytic score) against the same likelihood
maximised directly with ``scipy.optimize.minimize`` on
``scipy.stats.betabinom.logpmf`` (numerical gradient, BFGS), the floor a user
would write by hand without standard errors. Target: under 1 s (warm, after
the first import of statsmodels). Checks that both reach the same maximum.

Run from the repository root:

    python benchmarks/bench_prior_regression.py [--repeat 5]

The data are SYNTHETIC: n proportional to each kommune's population (FOLK1A
2020) with Poisson noise, logit mean rising 0.05 a year and 0.1 per unit of
log population, strength 30.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

import danmark


def synthetic(seed=3):
    rng = np.random.default_rng(seed)
    kom = danmark.municipalities()
    df = pd.DataFrame([(c, y) for c in kom["kommunekode"] for y in range(2014, 2024)], columns=["kommunekode", "year"])
    pop = df["kommunekode"].map(kom.set_index("kommunekode")["population"]).to_numpy(float)
    df["n"] = rng.poisson(pop / 1000) + 1
    mu = special.expit(-0.5 + 0.05 * (df["year"] - 2019) + 0.1 * (np.log(pop) - 10.5))
    df["k"] = rng.binomial(df["n"], rng.beta(mu * 30, (1 - mu) * 30))
    return df, pop


def by_hand(df, pop):
    X = np.column_stack([np.ones(len(df))] + [(df["year"] == y).to_numpy(float) for y in range(2015, 2024)]
                        + [np.log(pop)])
    k, n = df["k"].to_numpy(), df["n"].to_numpy()

    def nll(p):
        mu = special.expit(X @ p[:-1])
        s = np.exp(p[-1])
        return -stats.betabinom.logpmf(k, n, mu * s, (1 - mu) * s).sum()

    start = np.zeros(X.shape[1] + 1)
    start[0], start[-1] = special.logit(k.sum() / n.sum()), np.log(30)
    return optimize.minimize(nll, start, method="BFGS")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    df, pop = synthetic()
    t0 = time.perf_counter()
    danmark.fit_prior(df, formula="~ C(year) + np.log(population)")
    first = time.perf_counter() - t0
    times, hand = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        m = danmark.fit_prior(df, formula="~ C(year) + np.log(population)")
        times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        res = by_hand(df, pop)
        hand.append(time.perf_counter() - t0)
    print(f"SYNTHETIC data: {len(df)} rows (98 kommuner x 10 years), {len(m.params)} coefficients")
    print(f"danmark.fit_prior(formula=...): first call {first:.2f} s (imports statsmodels, patsy); "
          f"warm median {statistics.median(times):.3f} s (min {min(times):.3f} s), with standard errors")
    print(f"by hand (scipy BFGS on betabinom.logpmf, numerical gradient, no SEs): "
          f"median {statistics.median(hand):.3f} s")
    print(f"log-likelihoods: danmark {m.llf:.4f}, by hand {-res.fun:.4f} (difference {m.llf + res.fun:.2e})")
    print(f"target: < 1 s warm -> {'OK' if statistics.median(times) < 1 else 'MISSED'}")


if __name__ == "__main__":
    main()
