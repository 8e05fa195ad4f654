"""Benchmark: danmark.hierarchical (grid, no MCMC) against PyMC's NUTS, same model.

Model (BDA3 §5.3): k_j ~ Binomial(n_j, θ_j), θ_j ~ Beta(α, β),
p(α, β) ∝ (α+β)^(−5/2). In PyMC it is written on BDA3's transform
x = log(α/β), z = log(α+β) with flat priors on x and z and a
``pm.Potential`` holding log p(α, β) plus the log Jacobian log α + log β,
so both programs target exactly the same posterior; θ_j are sampled
(non-marginalised), as a PyMC user would write the model.

Data sets:
  * 98 units of SYNTHETIC data (simulated, labelled as such; not real
    kommuner): n_j ~ U{10, ..., 500}, θ_j ~ Beta(mean 0.35, strength 30),
    k_j ~ Binomial(n_j, θ_j);
  * the 71 rat tumour experiments of BDA3 Table 5.1 (tests/data), with --data both/rats.

Protocol (issue 19): PyMC NUTS, 4 chains × 3000 draws (after 1000 tuning
steps, PyMC's default), cores=2 (PyMC's default for 4 chains on a 2-core
machine). The model is built and its NUTS step compiled once; then, for each
repeat, danmark.hierarchical is timed (median of 15 calls, run as the library
runs it: one BLAS thread through threadpoolctl) right before PyMC's
``pm.sample`` is timed (sampling only: tuning + draws, no build or compile),
so both see the same machine load. The ratio uses PyMC's own sampling time
(``idata.posterior.attrs["sampling_time"]``: tuning + draws, without starting
the worker processes or building the InferenceData); the wall time of the
``pm.sample`` call is printed beside it. Printed per repeat and as median [range]:
both times and the ratio PyMC sampling / danmark; also the largest
|difference| between the two posterior means of θ_j (with PyMC's Monte Carlo
standard error for scale), r_hat, bulk ESS, divergences, and the load average.

Needs the separate benchmark environment (see requirements-bench.txt):

    .venv-bench/bin/python benchmarks/bench_hierarchical_vs_pymc.py [--repeats 3]
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
GOAL_RATIO = 200.0
GOAL_DIFF = 0.005


def rats():
    d = pd.read_csv(ROOT / "tests" / "data" / "rat_tumor_bda3.csv")
    return "BDA3 rats (71 experiments)", d["y"].to_numpy(), d["n"].to_numpy()


def synthetic(seed=98):
    rng = np.random.default_rng(seed)
    n = rng.integers(10, 501, 98)
    theta = rng.beta(0.35 * 30, 0.65 * 30, 98)
    k = rng.binomial(n, theta)
    return "SYNTHETIC (98 simulated units)", k, n


def time_grid(k, n, calls=15):
    from danmark import hierarchical

    times = []
    for _ in range(calls):
        t0 = time.perf_counter()
        res = hierarchical(k, n)
        times.append(time.perf_counter() - t0)
    return res, statistics.median(times), min(times)


def build_pymc(k, n, *, target_accept):
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
        step = pm.NUTS(target_accept=target_accept)  # compiles logp and dlogp
    t_compile = time.perf_counter() - t1
    return model, step, t_build, t_compile


def sample_pymc(model, step, *, draws, tune, chains, cores, seed):
    import arviz as az
    import pymc as pm

    t0 = time.perf_counter()
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
    t_sample = time.perf_counter() - t0
    summ = az.summary(idata, var_names=["theta", "x", "z"], kind="all", round_to="none")
    theta_rows = summ.index.str.startswith("theta")
    return {
        "mean": idata.posterior["theta"].mean(("chain", "draw")).to_numpy(),
        "mcse": summ.loc[theta_rows, "mcse_mean"].to_numpy(),
        "rhat_max": float(summ["r_hat"].max()),
        "ess_bulk_min": float(summ["ess_bulk"].min()),
        "divergences": int(idata.sample_stats["diverging"].sum()),
        "wall": t_sample,
        # PyMC's own sampling time (tuning + draws in the chains, without starting the worker
        # processes and building the InferenceData): the smaller and fairer number for PyMC
        "sample": float(idata.posterior.attrs.get("sampling_time", t_sample)),
    }


def blas_threads() -> str:
    from threadpoolctl import threadpool_info

    info = [f"{p['internal_api']}={p['num_threads']}" for p in threadpool_info() if p["user_api"] == "blas"]
    return ", ".join(info) or "none loaded"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def med_range(values, fmt) -> str:
    return f"{fmt(statistics.median(values))} [{fmt(min(values))}-{fmt(max(values))}]"


def run(name, k, n, args) -> None:
    from danmark import hierarchical

    hierarchical(k, n)  # warm-up (imports, caches)
    model, step, t_build, t_compile = build_pymc(k, n, target_accept=args.target_accept)
    print(f"== {name}")
    print(f"  PyMC model build {t_build * 1e3:.0f} ms, compile (NUTS step) {t_compile * 1e3:.0f} ms "
          "(not in the ratio)")
    grid_t, pm_t, walls, ratios, diffs = [], [], [], [], []
    for r in range(args.repeats):
        res, g_med, g_min = time_grid(k, n)
        p = sample_pymc(model, step, draws=args.draws, tune=args.tune, chains=args.chains,
                        cores=args.cores, seed=args.seed + r)
        diff = np.abs(res.units["estimate"].to_numpy() - p["mean"])
        j = int(np.argmax(diff))
        grid_t.append(g_med)
        pm_t.append(p["sample"])
        walls.append(p["wall"])
        ratios.append(p["sample"] / g_med)
        diffs.append(diff.max())
        print(f"  repeat {r + 1}: danmark {g_med * 1e3:6.1f} ms (min {g_min * 1e3:.1f}, median of 15)  "
              f"PyMC sampling {p['sample']:6.2f} s (pm.sample wall {p['wall']:.2f} s)  ratio {p['sample'] / g_med:5.0f}x  "
              f"max|dmean| {diff.max():.5f} (unit {j}, MCSE {p['mcse'][j]:.5f})  "
              f"r_hat {p['rhat_max']:.3f}  ESS {p['ess_bulk_min']:.0f}  div {p['divergences']}  "
              f"load {load()}")
    print(f"  danmark.hierarchical       {med_range(grid_t, lambda v: f'{v * 1e3:.1f} ms')}")
    print(f"  PyMC sampling only         {med_range(pm_t, lambda v: f'{v:.2f} s')}  (PyMC's sampling_time)")
    print(f"  PyMC pm.sample wall time   {med_range(walls, lambda v: f'{v:.2f} s')}  "
          f"(ratio {statistics.median(walls) / statistics.median(grid_t):.0f}x)")
    print(f"  ratio PyMC / danmark       {med_range(ratios, lambda v: f'{v:.0f}x')}  (goal >= {GOAL_RATIO:.0f}x)")
    print(f"  max |E_grid - E_pymc|      {med_range(diffs, lambda v: f'{v:.5f}')}  (goal <= {GOAL_DIFF})")
    met = statistics.median(ratios) >= GOAL_RATIO and max(diffs) <= GOAL_DIFF
    print(f"  goal {'met' if met else 'NOT met'} (median ratio, largest difference)")
    print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=3000)
    ap.add_argument("--tune", type=int, default=1000)
    ap.add_argument("--chains", type=int, default=4)
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--target-accept", type=float, default=0.8, help="NUTS target acceptance (PyMC's default 0.8)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=2013)
    ap.add_argument("--data", choices=("synthetic", "rats", "both"), default="synthetic")
    ap.add_argument("--cold", action="store_true", help="use a fresh, empty PyTensor compile cache")
    args = ap.parse_args()
    if args.cold:
        cache = tempfile.mkdtemp(prefix="pytensor-cold-")
        os.environ["PYTENSOR_FLAGS"] = f"compiledir={cache}"

    import pymc
    import pytensor

    print(f"python {sys.version.split()[0]}, pymc {pymc.__version__}, pytensor {pytensor.__version__}, "
          f"numpy {np.__version__}; PyTensor C compiler: {pytensor.config.cxx or 'NONE (slow Python fallback)'}")
    print(f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}; BLAS threads: {blas_threads()}; "
          f"CPUs: {os.cpu_count()}; load average {load()}")
    print(f"PyMC: {args.chains} chains x ({args.tune} tune + {args.draws} draws), cores={args.cores}, "
          f"NUTS target_accept={args.target_accept}; compile cache: "
          f"{'fresh (cold)' if args.cold else 'default (warm after first run)'}")
    print()
    sets = {"synthetic": [synthetic()], "rats": [rats()], "both": [synthetic(), rats()]}[args.data]
    for name, k, n in sets:
        run(name, k, n, args)


if __name__ == "__main__":
    main()
