"""Selection on noisy rates: who lands in the top of a league table by chance alone?

If every kommune had the same true omgørelsesprocent, the raw rates would
still differ, and the most extreme would mostly be small kommuner whose few
cases make their rates jumpy. :func:`simulate_selection` draws binomial
outcomes for all units many times, picks the *top* highest raw rates each
time, and reports who gets picked, how high their rates look when picked, and
what their rates look like in a fresh period (regression to the mean).
:func:`prob_at_least` (from :mod:`danmark.stats.exact`) gives the exact
binomial tail for one unit, e.g. the chance of 10 or more reversals out of 14
cases at the national rate.

:func:`compare_rules` asks which *rule* picks best: the raw rate, the
empirical-Bayes shrunk rate, the posterior probability of being above the
national rate, the raw rate among units with enough cases, or any rule of the
caller's, on the same simulated maps, when all units are equal or when their
true rates differ. :func:`simulate_prior_fits` shows what fitting the
empirical-Bayes prior to such maps would give.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._validate import align, as_counts, check_probability, check_whole, check_work
from ..errors import ArgumentError, DataError
from ..stats.exact import prob_at_least
from ._engine import BinomialSampler, Chunks, check_units, chunk_size, make_rng

__all__ = [
    "simulate_selection",
    "SelectionResult",
    "prob_at_least",
]


@dataclass
class SelectionResult:
    """Outcome of :func:`simulate_selection`.

    Attributes
    ----------
    units : DataFrame
        One row per unit (caller's index; the same columns as
        :meth:`RulesResult.units`): ``n``, ``p`` (true rate),
        ``p_selected`` (share of repetitions in which the unit was among the
        top), ``p_selected_se`` (its Monte Carlo standard error),
        ``rate_when_selected`` (mean raw rate in the repetitions where it was
        selected; NaN if never), ``next_rate_when_selected`` (mean raw rate in
        an independent next period with ``next_n`` cases, in those same
        repetitions — regression to the mean), and, when a *reference* was
        given, ``p_rate_at_least`` (share of repetitions with raw rate ≥
        reference).
    summary : Series
        ``size``, ``units``, ``top``, ``mean_n_all``, ``mean_n_selected``
        (mean case count of the selected units), ``median_n``,
        ``share_units_below_median_n``, ``share_selected_below_median_n``
        (share of all selections that went to units with n strictly below the
        median), ``mean_p_all``, ``mean_p_selected``, ``mean_rate_selected``,
        ``mean_next_rate_selected``, and with a reference
        ``p_any_rate_at_least``.
    seed, chunk : as passed.
    """

    units: pd.DataFrame
    summary: pd.Series
    seed: object = None
    chunk: int = 0
    elapsed: float = field(default=0.0, repr=False)

    prob_at_least = staticmethod(prob_at_least)


def _threshold_counts(reference: float, n: np.ndarray) -> np.ndarray:
    """Smallest whole k with k / n >= reference, consistent with float division."""
    k = np.ceil(reference * n).astype(np.int64)
    k = np.where((k - 1) / n >= reference, k - 1, k)
    k = np.where(k / n < reference, k + 1, k)
    return k


def simulate_selection(
    n,
    p,
    *,
    top: int = 4,
    size: int = 100_000,
    seed=None,
    next_n=None,
    chunk: int | None = None,
    progress: bool | None = None,
    reference: float | None = None,
) -> SelectionResult:
    """Simulate picking the *top* highest raw rates when all differences are noise (or known).

    In each repetition every unit ``j`` gets ``X_j ~ Binomial(n_j, p_j)``; the
    units are ranked by raw rate ``X_j / n_j`` and the *top* highest are
    selected. Ties at the cut are broken uniformly at random (each repetition
    adds an independent random order among equal rates). For the selected
    units a next-period count ``Y_j ~ Binomial(next_n_j, p_j)`` is drawn
    independently, so ``next_rate_when_selected`` shows how much of the
    selected units' excess survives into a new period.

    Counts are drawn by inverting each unit's binomial CDF at uniform random
    numbers (exact up to floating point), which is about twice as fast as
    :meth:`numpy.random.Generator.binomial` with a different ``n`` per column;
    the work is done in blocks of *chunk* repetitions with numpy only
    (``argpartition`` picks the top), so 100,000 repetitions of 98 units take
    well under 2 seconds and a few tens of MB.

    Parameters
    ----------
    n : array-like or Series of int
        Cases per unit (each ≥ 1). A Series keeps its index in ``.units``.
    p : float or array-like
        True rate per unit in [0, 1], e.g. the national rate for all.
    top : int
        How many units are selected per repetition (``1 <= top < units``).
    size : int
        Repetitions (simulated maps). One call is capped at
        ``danmark._validate.MAX_WORK`` = 10**11 unit-draws (size × units):
        beyond it an :class:`~danmark.ArgumentError` is raised at once.
    seed : int, numpy Generator or None
        Same seed (and chunk) → same numbers.
    next_n : array-like of int, optional
        Cases in the next period; default *n*.
    chunk : int, optional
        Repetitions per block (memory ≈ chunk × units × 50 bytes); default
        about 500,000 unit-draws per block.
    progress : bool or None
        Show a tqdm progress bar; ``None`` shows one only when the run is
        expected to take more than about 2 seconds.
    reference : float, optional
        Also count how often each unit (and at least one unit) reaches a raw
        rate ≥ *reference*; the exact per-unit answer is
        ``prob_at_least(ceil(reference·n), n, p)``.

    Returns
    -------
    SelectionResult

    Examples
    --------
    >>> res = simulate_selection([10, 10, 100, 100], 0.3, top=1, size=2000, seed=1)
    >>> res.units[["n", "p_selected"]]
         n  p_selected
    0   10       0.311
    1   10       0.325
    2  100       0.176
    3  100       0.188
    """
    n, p = align(n, p, names=("n", "p"))
    n_arr, index = check_units(n)
    units = n_arr.size
    p_in = check_probability(p, "p")
    if p_in.ndim == 0:
        p_arr = np.full(units, float(p_in))
    elif p_in.ndim == 1 and p_in.size == units:
        p_arr = p_in.astype(float)
    else:
        raise ArgumentError(f"p must be one rate or one per unit ({units}); got shape {p_in.shape}", column="p")
    if next_n is None:
        next_arr = n_arr
    else:
        next_arr = as_counts(next_n, "next_n").ravel()
        if next_arr.size != units:
            raise DataError(f"next_n has {next_arr.size} values for {units} units", column="next_n")
        if (next_arr < 1).any():
            raise DataError("next_n must be at least 1 for every unit", row=int(np.flatnonzero(next_arr < 1)[0]), column="next_n")
    top = check_whole(top, "top")
    if top >= units:
        raise ArgumentError(f"top must be smaller than the number of units ({units}); got {top}", column="top")
    reps = check_whole(size, "size")
    check_work(reps, units)
    chunk = chunk_size(chunk, reps, units)
    k_threshold = None
    if reference is not None:
        t = check_probability(reference, "reference")
        if t.ndim != 0:
            raise ArgumentError(f"reference must be one rate; got {reference!r}", column="reference")
        k_threshold = _threshold_counts(float(t), n_arr)

    rng = make_rng(seed)
    sampler = BinomialSampler(n_arr, p_arr)
    # Distinct rates k_i/n_i and k_j/n_j differ by at least 1/(n_i n_j); a jitter
    # below half of that breaks ties at random without reordering anything else.
    jitter = 0.5 / float(n_arr.max()) ** 2
    inv_n = 1.0 / n_arr

    times_selected = np.zeros(units)
    rate_sum = np.zeros(units)
    next_sum = np.zeros(units)
    at_least = np.zeros(units)
    any_at_least = 0

    blocks = Chunks(reps, chunk, units=units, progress=progress, desc="simulate_selection")
    for m in blocks:
        counts = sampler.draw(rng, m)
        rates = counts * inv_n
        key = rates + rng.random((m, units)) * jitter
        picked = np.argpartition(-key, top - 1, axis=1)[:, :top]
        flat = picked.ravel()
        times_selected += np.bincount(flat, minlength=units)
        rate_sum += np.bincount(flat, weights=np.take_along_axis(rates, picked, axis=1).ravel(), minlength=units)
        nxt = rng.binomial(next_arr[picked], p_arr[picked])
        next_sum += np.bincount(flat, weights=(nxt / next_arr[picked]).ravel(), minlength=units)
        if k_threshold is not None:
            hit = counts >= k_threshold
            at_least += hit.sum(axis=0)
            any_at_least += int(hit.any(axis=1).sum())
    elapsed = blocks.elapsed

    p_sel = times_selected / reps
    with np.errstate(invalid="ignore", divide="ignore"):
        rate_when = np.where(times_selected > 0, rate_sum / times_selected, np.nan)
        next_when = np.where(times_selected > 0, next_sum / times_selected, np.nan)
    units_df = pd.DataFrame(
        {
            "n": n_arr,
            "p": p_arr,
            "p_selected": p_sel,
            "p_selected_se": np.sqrt(p_sel * (1 - p_sel) / reps),
            "rate_when_selected": rate_when,
            "next_rate_when_selected": next_when,
        },
        index=index,
    )
    if k_threshold is not None:
        units_df["p_rate_at_least"] = at_least / reps

    median_n = float(np.median(n_arr))
    below = n_arr < median_n
    total_sel = reps * top
    summary = {
        "size": reps,
        "units": units,
        "top": top,
        "mean_n_all": float(n_arr.mean()),
        "mean_n_selected": float((times_selected * n_arr).sum() / total_sel),
        "median_n": median_n,
        "share_units_below_median_n": float(below.mean()),
        "share_selected_below_median_n": float(times_selected[below].sum() / total_sel),
        "mean_p_all": float(p_arr.mean()),
        "mean_p_selected": float((times_selected * p_arr).sum() / total_sel),
        "mean_rate_selected": float(rate_sum.sum() / total_sel),
        "mean_next_rate_selected": float(next_sum.sum() / total_sel),
    }
    if k_threshold is not None:
        summary["p_any_rate_at_least"] = any_at_least / reps
    return SelectionResult(
        units=units_df,
        summary=pd.Series(summary, dtype=float),
        seed=seed,
        chunk=chunk,
        elapsed=elapsed,
    )

