"""Benchmark: danmark.hierarchical (grid, no MCMC) against PyMC's NUTS, same model.

Model (BDA3 §5.3): k_j ~ Binomial(n_j, θ_j), θ_j ~ Beta(α, β),
p(α, β) ∝ (α+β)^(−5/2). In PyMC it is written on BDA3's transform
x = log(α/β), z = log(α+β) with flat priors on x and z and a
``pm.Potential`` holding log p(α, β) plus the log Jacobian log α + log β,
so both programs target exactly the same posterior; θ_j are sampled
(non-marginalised), as a PyMC user would write the model.

Data sets:
  * the 71 rat tumour experiments of BDA3 Table 5.1 (tests/data);
  * 98 units of SYNTHETIC data (simulated, labelled as such; not real
    kommuner): n_j ~ U{10, ..., 500}, θ_j ~ Beta(mean 0.35, strength 30),
    k_j ~ Binomial(n_j, θ_j).

Reported: danmark's wall time (median of repeats), PyMC's model build,
compile (logp + gradient, when the NUTS step is created) and sampling times,
the wall-time ratios, and the largest |difference| between the two
posterior means of θ_j (with PyMC's Monte Carlo standard error for scale).

Needs the separate benchmark environment (see requirements-bench.txt):

    .venv-bench/bin/python benchmarks/bench_hierarchical_vs_pymc.py
    .venv-bench/bin/python benchmarks/bench_hierarchical_vs_pymc.py --cold
        (--cold: a fresh, empty PyTensor compile cache, i.e. first-run cost)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def rats():
    d = pd.read_csv(ROOT / "tests" / "data" / "rat_tumor_bda3.csv")
    return "BDA3 rats (71 experiments)", d["y"].to_numpy(), d["n"].to_numpy()


def synthetic(seed=98):
    rng = np.random.default_rng(seed)
    n = rng.integers(10, 501, 98)
    theta = rng.beta(0.35 * 30, 0.65 * 30, 98)
    k = rng.binomial(n, theta)
    return "SYNTHETIC (98 simulated units)", k, n


def run_grid(k, n, repeats=15):
    from danmark import hierarchical

    hierarchical(k, n)  # warm-up (imports, caches)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        res = hierarchical(k, n)
        times.append(time.perf_counter() - t0)
    return res, statistics.median(times), min(times)


def run_pymc(k, n, *, draws, tune, chains, cores, seed):
    import arviz as az
    import pymc as pm
    import pytensor.tensor as pt

    t0 = time.perf_counter()
    with pm.Model() as model:
        x = pm.Flat("x")  # log(alpha / beta)
        z = pm.Flat("z")  # log(alpha + beta)
        alpha = pm.Deterministic("alpha", pt.exp(z) * pm.math.sigmoid(x))
        beta = pm.Deterministic("beta", pt.exp(z) * pm.math.sigmoid(-x))
        # BDA3 hyperprior (alpha+beta)^(-5/2) on (alpha, beta), moved to (x, z)
        # with the Jacobian alpha * beta
        pm.Potential("hyperprior", -2.5 * z + pt.log(alpha) + pt.log(beta))
        theta = pm.Beta("theta", alpha=alpha, beta=beta, shape=len(k))
        pm.Binomial("y", n=n, p=theta, observed=k)
    t_build = time.perf_counter() - t0

    t1 = time.perf_counter()
    with model:
        step = pm.NUTS(target_accept=0.95)  # compiles logp and dlogp
    t_compile = time.perf_counter() - t1

    t2 = time.perf_counter()
    with model:
        idata = pm.sample(
            draws=draws,
            tune=tune,
            chains=chains,
            cores=cores,
            step=step,
            random_seed=seed,
            progressbar=False,
            compute_convergence_checks=False,
        )
    t_sample = time.perf_counter() - t2

    summ = az.summary(idata, var_names=["theta", "x", "z"], kind="all", round_to="none")
    post = idata.posterior["theta"].mean(("chain", "draw")).to_numpy()
    divergences = int(idata.sample_stats["diverging"].sum())
    theta_rows = summ.index.str.startswith("theta")
    return {
        "mean": post,
        "mcse": summ.loc[theta_rows, "mcse_mean"].to_numpy(),
        "rhat_max": float(summ["r_hat"].max()),
        "ess_bulk_min": float(summ["ess_bulk"].min()),
        "divergences": divergences,
        "build": t_build,
        "compile": t_compile,
        "sample": t_sample,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=2000)
    ap.add_argument("--tune", type=int, default=1000)
    ap.add_argument("--chains", type=int, default=4)
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2013)
    ap.add_argument("--cold", action="store_true", help="use a fresh, empty PyTensor compile cache")
    args = ap.parse_args()
    if args.cold:
        cache = tempfile.mkdtemp(prefix="pytensor-cold-")
        os.environ["PYTENSOR_FLAGS"] = f"compiledir={cache}"

    import pymc
    import pytensor

    print(f"python {sys.version.split()[0]}, pymc {pymc.__version__}, pytensor {pytensor.__version__}")
    print(f"PyMC: {args.chains} chains x ({args.tune} tune + {args.draws} draws), cores={args.cores}, "
          f"NUTS target_accept=0.95; compile cache: {'fresh (cold)' if args.cold else 'default (warm after first run)'}")
    print()
    for name, k, n in (rats(), synthetic()):
        res, grid_med, grid_min = run_grid(k, n)
        pm_res = run_pymc(k, n, draws=args.draws, tune=args.tune, chains=args.chains, cores=args.cores, seed=args.seed)
        diff = np.abs(res.units["estimate"].to_numpy() - pm_res["mean"])
        total = pm_res["build"] + pm_res["compile"] + pm_res["sample"]
        j = int(np.argmax(diff))
        print(f"== {name}")
        print(f"  danmark.hierarchical      {grid_med * 1e3:9.1f} ms  (min {grid_min * 1e3:.1f} ms, median of 15)")
        print(f"  PyMC model build          {pm_res['build'] * 1e3:9.1f} ms")
        print(f"  PyMC compile (NUTS step)  {pm_res['compile'] * 1e3:9.1f} ms")
        print(f"  PyMC sampling             {pm_res['sample'] * 1e3:9.1f} ms")
        print(f"  ratio PyMC total / grid   {total / grid_med:9.0f} x  (vs grid min: {total / grid_min:.0f} x)")
        print(f"  ratio PyMC sampling only  {pm_res['sample'] / grid_med:9.0f} x  (vs grid min: {pm_res['sample'] / grid_min:.0f} x)")
        print(f"  max |E_grid(theta_j) - E_pymc(theta_j)| = {diff.max():.5f} (unit {j}; "
              f"PyMC MCSE there {pm_res['mcse'][j]:.5f}; max MCSE {pm_res['mcse'].max():.5f})")
        print(f"  mean |difference| {diff.mean():.5f}; PyMC r_hat max {pm_res['rhat_max']:.3f}, "
              f"min bulk ESS {pm_res['ess_bulk_min']:.0f}, divergences {pm_res['divergences']}")
        print()


if __name__ == "__main__":
    main()
