"""Benchmark: the nonparametric (NPMLE) prior on 100,000 units, danmark's mix-SQP vs Clarabel (through cvxpy).

``danmark.fit_prior(k, n, method="npmle")`` (duplicate (k, n) pairs merged,
mix-SQP stopped at a relative duality gap of 1e-8, grid refined around the
support) against the off-the-shelf interior-point solver Clarabel, given the
same likelihood matrix on danmark's final grid. Printed side by side: time,
log-likelihood (higher is better; both are the maximum on that grid, so they
should agree to ~1e-6) and the ratio of the times. Clarabel's weights are
renormalised to sum to 1 before their log-likelihood is taken (an
interior-point solution meets the constraint only to its tolerance).

Run from the repository root (cvxpy and clarabel are in the dev extra; the
script says so and stops without them):

    python benchmarks/bench_npmle.py [--units 100000] [--repeat 3] [--no-clarabel]

The data are SIMULATED: n ~ U{10, ..., 300}, θ from a two-group mixture
(70 % Beta(20, 80), 30 % Beta(30, 30)), k ~ Binomial(n, θ).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy import special

import danmark
from danmark.stats.npmle import likelihood_matrix


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-clarabel", action="store_true")
    args = ap.parse_args()
    rng = np.random.default_rng(7)
    n = rng.integers(10, 301, args.units)
    theta = np.where(rng.random(args.units) < 0.7, rng.beta(20, 80, args.units), rng.beta(30, 30, args.units))
    k = rng.binomial(n, theta)
    danmark.fit_prior(k[:500], n[:500], method="npmle")  # imports and first-call costs out of the timing

    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        prior = danmark.fit_prior(k, n, method="npmle")
        times.append(time.perf_counter() - t0)
    t_fast = min(times)
    pairs, counts = np.unique(np.stack([k, n]), axis=1, return_counts=True)
    ku, nu, cu = pairs[0].astype(float), pairs[1].astype(float), counts.astype(float)
    const = float(cu @ (special.gammaln(nu + 1) - special.gammaln(ku + 1) - special.gammaln(nu - ku + 1)))
    print(f"SIMULATED data: {args.units:,} units, {ku.size:,} distinct (k, n); danmark's grid: {prior.theta.size} "
          f"rates, {prior.support} support points")
    print(f"danmark (mix-SQP):  {t_fast:6.2f} s (best of {args.repeat}: {', '.join(f'{t:.2f}' for t in times)}), "
          f"log-likelihood {prior.loglik:.6f}, relative duality gap {prior.duality_gap:.1e}")
    if args.no_clarabel:
        return
    try:
        import cvxpy as cp
    except ImportError:
        print("cvxpy is not installed (pip install cvxpy clarabel): no independent solver to compare with")
        return
    L, shift = likelihood_matrix(ku, nu, prior.theta)
    w = cp.Variable(prior.theta.size, nonneg=True)
    problem = cp.Problem(cp.Maximize((cu / cu.sum()) @ cp.log(L @ w)), [cp.sum(w) == 1])  # scaled per unit
    t0 = time.perf_counter()
    problem.solve(solver=cp.CLARABEL)
    t_ip = time.perf_counter() - t0
    w_ip = np.maximum(np.asarray(w.value), 0.0)
    w_ip /= w_ip.sum()
    ll_ip = float(cu @ np.log(L @ w_ip)) + float(cu @ shift) + const
    print(f"Clarabel (cvxpy):   {t_ip:6.2f} s (incl. cvxpy's compilation), log-likelihood {ll_ip:.6f} "
          f"(status {problem.status})")
    print(f"ratio: Clarabel / danmark time = {t_ip / t_fast:.1f}x; danmark - Clarabel log-likelihood = "
          f"{prior.loglik - ll_ip:+.2e}")


if __name__ == "__main__":
    main()
