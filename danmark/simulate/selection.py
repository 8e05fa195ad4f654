"""Selection on noisy rates: who lands in the top of a league table by chance alone?

If every kommune had the same true omgørelsesprocent, the raw rates would
still differ, and the most extreme would mostly be small kommuner whose few
cases make their rates jumpy. :func:`simulate_selection` draws binomial
outcomes for all units many times, picks the *top* highest raw rates each
time, and reports who gets picked, how high their rates look when picked, and
what their rates look like in a fresh period (regression to the mean).
:func:`prob_at_least` gives the exact binomial tail for one unit, e.g. the
chance of 10 or more reversals out of 14 cases at the national rate.

:func:`compare_rules` asks which *rule* picks best: the raw rate, the
empirical-Bayes shrunk rate, the posterior probability of being above the
national rate, the raw rate among units with enough cases, or any rule of the
caller's, on the same simulated maps, when all units are equal or when their
true rates differ. :func:`simulate_prior_fits` shows what fitting the
empirical-Bayes prior to such maps would give.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .._validate import (
    align,
    as_counts,
    check_k_n,
    check_probability,
    check_real,
    check_whole,
    check_work,
)
from ..errors import ArgumentError, DataError

__all__ = [
    "simulate_selection",
    "SelectionResult",
    "prob_at_least",
]

# Rough throughput of the simulation loop on a small machine (unit-draws per
# second); used only to decide whether a progress bar is worth showing.
_UNIT_DRAWS_PER_SECOND = 1e7
_PROGRESS_AFTER_SECONDS = 2.0
# Default chunk: about this many unit-draws per block (≈ 4 MB per array).
_CHUNK_CELLS = 500_000


def prob_at_least(k, n, p, *, strength=None) -> np.ndarray | float:
    """Tail ``P(X >= k)``: binomial, or beta-binomial when rates vary between units.

    With ``strength=None``, ``X ~ Binomial(n, p)``: every unit has the true
    rate *p*. With a prior strength ``s = α + β``, true rates vary as
    ``Beta(s·p, s·(1 − p))`` and ``X`` is beta-binomial: the share of units
    with n cases expected to show k or more reversals when they really
    differ. Vectorised over all arguments (broadcast). ``k = 0`` gives 1;
    ``k > n`` raises :class:`DataError` (it is almost always a typo).

    Examples
    --------
    >>> round(prob_at_least(10, 14, 0.36), 5)   # 10 or more of 14 at a 36 % rate
    0.00759
    >>> round(prob_at_least(10, 14, 0.36, strength=30), 4)   # ... when rates vary (strength 30)
    0.0226
    """
    k, n, p, strength = align(k, n, p, strength, names=("k", "n", "p", "strength"))
    # P(X >= k) = 0 is well defined for k > n, but it is almost always a typo: refused
    k_arr, n_arr = check_k_n(k, n)
    p_arr = check_probability(p, "p")
    if p_arr.size == 0:
        raise ArgumentError("p is empty", column="p")
    s_arr = None
    if strength is not None:
        s_arr = check_real(strength, "strength", minimum=0, strict=True, scalar=np.ndim(strength) == 0)
        if np.any((p_arr <= 0) | (p_arr >= 1)):
            raise ArgumentError("with a strength, p must lie strictly between 0 and 1", column="p")
    try:
        np.broadcast_shapes(*(np.shape(a) for a in (k_arr, n_arr, p_arr, s_arr) if a is not None))
    except ValueError:
        shapes = ", ".join(str(np.shape(a)) for a in (k_arr, n_arr, p_arr, s_arr) if a is not None)
        raise DataError(f"k, n, p{', strength' if s_arr is not None else ''} have different lengths ({shapes})") from None
    if p_arr.ndim > 1:
        raise ArgumentError(f"p must be one rate or a one-dimensional sequence of rates; got shape {p_arr.shape}",
                            column="p")
    if s_arr is None:
        out = stats.binom.sf(k_arr - 1, n_arr, p_arr)
    else:
        # shapes below the smallest normal float make scipy's log-Beta overflow (NaN); at that size the
        # tail is 0 (or 1) to double precision either way
        tiny = np.finfo(float).tiny
        out = stats.betabinom.sf(
            k_arr - 1, n_arr, np.maximum(s_arr * p_arr, tiny), np.maximum(s_arr * (1 - p_arr), tiny)
        )
    return float(out) if np.ndim(out) == 0 else out


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


def _check_positive_int(value, name):
    return check_whole(value, name)


def _check_units(n) -> tuple[np.ndarray, pd.Index | None]:
    """Case counts per unit (at least two units, each with a case) and the caller's index."""
    index = n.index if isinstance(n, pd.Series) else None
    n_arr = as_counts(n, "n").ravel()
    if n_arr.size < 2:
        raise DataError("need at least two units to select from", column="n")
    if (n_arr < 1).any():
        pos = int(np.flatnonzero(n_arr < 1)[0])
        raise DataError("every unit needs at least one case", row=index[pos] if index is not None else pos, column="n")
    return n_arr, index


def _progress_bar(progress, total: int, work: int, units: int, desc: str):
    """A tqdm bar over *total* repetitions when the run is long (see :func:`_use_progress`), else None."""
    if not _use_progress(progress, work, units):
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="rep")


def _use_progress(progress, reps, units):
    if progress is None:
        return reps * units / _UNIT_DRAWS_PER_SECOND > _PROGRESS_AFTER_SECONDS
    if not isinstance(progress, bool | np.bool_):
        raise ArgumentError(f"progress must be True, False or None; got {progress!r}", column="progress")
    return bool(progress)


def _rng(seed) -> np.random.Generator:
    """numpy's Generator for *seed* (an int, a sequence of ints, a Generator or None), or an ArgumentError."""
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError) as err:
        raise ArgumentError(f"seed must be a whole number, a numpy Generator or None; got {seed!r} ({err})",
                        column="seed") from None


def _threshold_counts(reference: float, n: np.ndarray) -> np.ndarray:
    """Smallest whole k with k / n >= reference, consistent with float division."""
    k = np.ceil(reference * n).astype(np.int64)
    k = np.where((k - 1) / n >= reference, k - 1, k)
    k = np.where(k / n < reference, k + 1, k)
    return k


def _cdf_tables(n: np.ndarray, p: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """Per unit: (offset, binomial CDF over the counts that can realistically occur).

    Counts further than 40 standard deviations (+10) from the mean have
    probability far below 1e-300 and are left out of the table.
    """
    cache: dict[tuple[int, float], tuple[int, np.ndarray]] = {}
    out = []
    for n_j, p_j in zip(n.tolist(), p.tolist(), strict=True):
        key = (n_j, p_j)
        if key not in cache:
            mean = n_j * p_j
            spread = 40 * np.sqrt(n_j * p_j * (1 - p_j)) + 10
            lo = max(0, int(np.floor(mean - spread)))
            hi = min(n_j, int(np.ceil(mean + spread)))
            cdf = stats.binom.cdf(np.arange(lo, hi + 1), n_j, p_j)
            cdf[-1] = 1.0  # a uniform draw in [0, 1) never lands beyond the table
            cache[key] = (lo, cdf)
        out.append(cache[key])
    return out


def _draw_counts(rng: np.random.Generator, tables, m: int) -> np.ndarray:
    """Binomial counts (m × units) by inverting each unit's CDF at uniform draws."""
    units = len(tables)
    u = rng.random((units, m))
    counts = np.empty((m, units), dtype=np.int64)
    for j, (lo, cdf) in enumerate(tables):
        counts[:, j] = np.searchsorted(cdf, u[j], side="right") + lo
    return counts


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
    n_arr, index = _check_units(n)
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
    top = _check_positive_int(top, "top")
    if top >= units:
        raise ArgumentError(f"top must be smaller than the number of units ({units}); got {top}", column="top")
    reps = _check_positive_int(size, "size")
    check_work(reps, units)
    if chunk is None:
        chunk = max(1, min(reps, _CHUNK_CELLS // units))
    chunk = _check_positive_int(chunk, "chunk")
    k_threshold = None
    if reference is not None:
        t = check_probability(reference, "reference")
        if t.ndim != 0:
            raise ArgumentError(f"reference must be one rate; got {reference!r}", column="reference")
        k_threshold = _threshold_counts(float(t), n_arr)

    rng = _rng(seed)
    tables = _cdf_tables(n_arr, p_arr)
    # Distinct rates k_i/n_i and k_j/n_j differ by at least 1/(n_i n_j); a jitter
    # below half of that breaks ties at random without reordering anything else.
    jitter = 0.5 / float(n_arr.max()) ** 2
    inv_n = 1.0 / n_arr

    times_selected = np.zeros(units)
    rate_sum = np.zeros(units)
    next_sum = np.zeros(units)
    at_least = np.zeros(units)
    any_at_least = 0

    bar = _progress_bar(progress, reps, reps, units, "simulate_selection")
    start = time.perf_counter()
    done = 0
    while done < reps:
        m = min(chunk, reps - done)
        counts = _draw_counts(rng, tables, m)
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
        done += m
        if bar is not None:
            bar.update(m)
    if bar is not None:
        bar.close()
    elapsed = time.perf_counter() - start

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

