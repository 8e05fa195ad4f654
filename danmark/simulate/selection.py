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

from .._validate import as_counts, check_k_n, check_probability
from ..errors import DataError

__all__ = [
    "simulate_selection",
    "SelectionResult",
    "prob_at_least",
    "compare_rules",
    "RulesResult",
    "simulate_prior_fits",
]

# Rough throughput of the simulation loop on a small machine (unit-draws per
# second); used only to decide whether a progress bar is worth showing.
_UNIT_DRAWS_PER_SECOND = 1e7
_PROGRESS_AFTER_SECONDS = 2.0
# Default chunk: about this many unit-draws per block (≈ 4 MB per array).
_CHUNK_CELLS = 500_000


def prob_at_least(k, n, p, strength=None) -> np.ndarray | float:
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
    k_arr = as_counts(k, "k")
    n_arr = as_counts(n, "n")
    p_arr = check_probability(p, "p")
    if np.any(k_arr > n_arr):
        # P(X >= k) = 0 is well defined for k > n, but it is almost always a typo
        check_k_n(k_arr, n_arr)
    if strength is None:
        out = stats.binom.sf(k_arr - 1, n_arr, p_arr)
    else:
        s_arr = np.asarray(strength, dtype=float)
        if not np.all(np.isfinite(s_arr) & (s_arr > 0)):
            raise DataError(f"strength must be a positive number; got {strength!r}", column="strength")
        if np.any((p_arr <= 0) | (p_arr >= 1)):
            raise DataError("with a strength, p must lie strictly between 0 and 1", column="p")
        out = stats.betabinom.sf(k_arr - 1, n_arr, s_arr * p_arr, s_arr * (1 - p_arr))
    return float(out) if np.ndim(out) == 0 else out


@dataclass
class SelectionResult:
    """Outcome of :func:`simulate_selection`.

    Attributes
    ----------
    units : DataFrame
        One row per unit (caller's index): ``n``, ``p`` (true rate),
        ``p_selected`` (share of repetitions in which the unit was among the
        top), ``p_selected_se`` (its Monte Carlo standard error),
        ``rate_when_selected`` (mean raw rate in the repetitions where it was
        selected; NaN if never), ``next_rate_when_selected`` (mean raw rate in
        an independent next period with ``next_n`` cases, in those same
        repetitions — regression to the mean), and, when a *threshold* was
        given, ``p_rate_at_least`` (share of repetitions with raw rate ≥
        threshold).
    summary : Series
        ``reps``, ``units``, ``top``, ``mean_n_all``, ``mean_n_selected``
        (mean case count of the selected units), ``median_n``,
        ``share_units_below_median_n``, ``share_selected_below_median_n``
        (share of all selections that went to units with n strictly below the
        median), ``mean_p_all``, ``mean_p_selected``, ``mean_rate_selected``,
        ``mean_next_rate_selected``, and with a threshold
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
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise DataError(f"{name} must be a whole number of at least 1; got {value!r}", column=name)
    return int(value)


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
    return bool(progress)


def _threshold_counts(threshold: float, n: np.ndarray) -> np.ndarray:
    """Smallest whole k with k / n >= threshold, consistent with float division."""
    k = np.ceil(threshold * n).astype(np.int64)
    k = np.where((k - 1) / n >= threshold, k - 1, k)
    k = np.where(k / n < threshold, k + 1, k)
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
    top: int = 4,
    reps: int = 100_000,
    seed=None,
    next_n=None,
    chunk: int | None = None,
    progress: bool | None = None,
    *,
    threshold: float | None = None,
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
    reps : int
        Repetitions.
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
    threshold : float, optional
        Also count how often each unit (and at least one unit) reaches a raw
        rate ≥ *threshold*; the exact per-unit answer is
        ``prob_at_least(ceil(threshold·n), n, p)``.

    Returns
    -------
    SelectionResult

    Examples
    --------
    >>> res = simulate_selection([10, 10, 100, 100], 0.3, top=1, reps=2000, seed=1)
    >>> res.units[["n", "p_selected"]]
         n  p_selected
    0   10       0.311
    1   10       0.325
    2  100       0.176
    3  100       0.188
    """
    n_arr, index = _check_units(n)
    units = n_arr.size
    p_in = check_probability(p, "p")
    if p_in.ndim == 0:
        p_arr = np.full(units, float(p_in))
    elif p_in.ndim == 1 and p_in.size == units:
        p_arr = p_in.astype(float)
    else:
        raise DataError(f"p must be one rate or one per unit ({units}); got shape {p_in.shape}", column="p")
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
        raise DataError(f"top must be smaller than the number of units ({units}); got {top}", column="top")
    reps = _check_positive_int(reps, "reps")
    if chunk is None:
        chunk = max(1, min(reps, _CHUNK_CELLS // units))
    chunk = _check_positive_int(chunk, "chunk")
    k_threshold = None
    if threshold is not None:
        threshold = float(threshold)
        if not 0 <= threshold <= 1:
            raise DataError(f"threshold must lie in [0, 1]; got {threshold!r}", column="threshold")
        k_threshold = _threshold_counts(threshold, n_arr)

    rng = np.random.default_rng(seed)
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
        "reps": reps,
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


# ---------------------------------------------------------------------------
# comparing selection rules

#: the prior strength used by the "shrunk" and "prob_above" rules when none is given
DEFAULT_RULE_STRENGTH = 30.0
_BUILTIN_RULES = ("raw", "shrunk", "prob_above", "min_n")
# (k, n) pairs are indexed through a lookup table when the number of possible
# pairs (sum over distinct n of n + 1) is at most this; otherwise np.unique
_PAIR_TABLE_MAX = 4_000_000
_SUMMARY_COLUMNS = [
    "share_smallest",
    "mean_n_selected",
    "mean_rate_selected",
    "mean_next_rate_selected",
    "mean_p_selected",
    "share_true_top",
    "share_true_wide",
]


@dataclass
class RulesResult:
    """Outcome of :func:`compare_rules`.

    Attributes
    ----------
    summary : DataFrame
        One row per rule (index ``rule``, in the order given):

        * ``share_smallest``: share of all picks that went to the *small*
          units with the fewest cases (a lottery gives small / units);
        * ``mean_n_selected``: mean case count of the picked units;
        * ``mean_rate_selected``: mean raw rate k/n of the picked units in
          the period they were picked on;
        * ``mean_next_rate_selected``: their mean raw rate in an independent
          next period (same n, same true rates): regression to the mean;
        * ``mean_p_selected``: mean true rate of the picked units;
        * ``share_true_top``, ``share_true_wide``: share of the picks that
          are among the *top* (resp. *wide*) units with the highest true
          rate in that repetition; NaN when all units share one rate
          (``strength=None``), where there is no truly worst group. A lottery
          gives top / units (resp. wide / units).
    p_selected : DataFrame
        Units × rules: share of repetitions in which the unit was picked
        (the caller's index when *n* was a Series; columns named ``rule``).
        Each column sums to *top*.
    n : Series
        Cases per unit (same index).
    p, strength, prior, top, small, wide, min_n, reps, seed, chunk : as used.
    """

    summary: pd.DataFrame
    p_selected: pd.DataFrame = field(repr=False)
    n: pd.Series = field(repr=False)
    p: float
    strength: float | None
    prior: object
    top: int
    small: int
    wide: int
    min_n: int
    reps: int
    seed: object = None
    chunk: int = 0
    elapsed: float = field(default=0.0, repr=False)

    def units(self, rule) -> pd.DataFrame:
        """``n``, ``p_selected`` and ``p_selected_se`` (Monte Carlo) for one rule.

        The frame :func:`danmark.plotting.selection_bars` draws.
        """
        if rule not in self.p_selected.columns:
            raise DataError(f"unknown rule {rule!r}; the rules are {list(self.p_selected.columns)}", column="rule")
        p_sel = self.p_selected[rule]
        return pd.DataFrame(
            {"n": self.n, "p_selected": p_sel, "p_selected_se": np.sqrt(p_sel * (1 - p_sel) / self.reps)}
        )


def _rule_scorer(name: str, prior, p: float, min_n: int):
    """The scoring function of a built-in rule: (k, n) of distinct pairs -> scores."""
    from ..stats.shrinkage import prob_above, shrink

    if name == "raw":
        return lambda k, n: k / n
    if name == "shrunk":
        return lambda k, n: shrink(k, n, prior=prior)["estimate"].to_numpy()
    if name == "prob_above":
        return lambda k, n: prob_above(k, n, prior=prior, threshold=p)["prob_above"].to_numpy()
    return lambda k, n: np.where(n >= min_n, k / n, np.nan)  # "min_n": smaller units never qualify


def _parse_rules(rules) -> dict:
    """{label: str or callable} from a name, a callable, a sequence or a mapping."""
    if isinstance(rules, str) or callable(rules):
        rules = [rules]
    if isinstance(rules, dict):
        items = list(rules.items())
    else:
        try:
            items = [(r if isinstance(r, str) else getattr(r, "__name__", repr(r)), r) for r in rules]
        except TypeError:
            raise DataError(f"rules must be rule names, callables or a mapping; got {rules!r}", column="rules") from None
    if not items:
        raise DataError("give at least one rule", column="rules")
    out = {}
    for label, rule in items:
        if isinstance(rule, str):
            if rule not in _BUILTIN_RULES:
                raise DataError(f"unknown rule {rule!r}; use one of {_BUILTIN_RULES} or a callable", column="rules")
        elif not callable(rule):
            raise DataError(f"a rule must be one of {_BUILTIN_RULES} or a callable; got {rule!r}", column="rules")
        if label in out:
            raise DataError(f"rule label {label!r} appears twice; pass a mapping {{label: rule}}", column="rules")
        out[label] = rule
    return out


def _check_strength(strength) -> float | None:
    if strength is None:
        return None
    bad = isinstance(strength, bool) or not isinstance(strength, int | float | np.integer | np.floating)
    if bad or not (np.isfinite(strength) and strength > 0):
        raise DataError(f"strength must be None or a positive Beta strength (α + β); got {strength!r}", column="strength")
    return float(strength)


def _check_rate(p) -> float:
    try:
        arr = check_probability(p, "p", open_interval=True)
    except (TypeError, ValueError) as err:
        if isinstance(err, DataError):
            raise
        raise DataError(f"p must be one rate in (0, 1); got {p!r}", column="p") from None
    if arr.ndim != 0:
        raise DataError(f"p must be one rate (the common or mean true rate); got shape {arr.shape}", column="p")
    return float(arr)


def _draw_true_rates(rng, p: float, strength: float, shape) -> np.ndarray:
    return rng.beta(strength * p, strength * (1.0 - p), size=shape)


class _PairIndex:
    """Number every possible (k, n) pair of the units, k = 0..n, to score each distinct pair once."""

    def __init__(self, n_arr: np.ndarray):
        self.n_uniq, code = np.unique(n_arr, return_inverse=True)
        sizes = self.n_uniq + 1
        self.base = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self.total = int(sizes.sum())
        self.unit_base = self.base[code]

    def __call__(self, counts: np.ndarray):
        """(k of each distinct pair, n of each distinct pair, pair number of each cell)."""
        key = counts + self.unit_base
        if self.total <= _PAIR_TABLE_MAX:
            present = np.zeros(self.total, dtype=bool)
            present[key.ravel()] = True
            ids = np.flatnonzero(present)
            lookup = np.zeros(self.total, dtype=np.int64)
            lookup[ids] = np.arange(ids.size)
            inv = lookup[key]
        else:
            ids, inv = np.unique(key, return_inverse=True)
            inv = inv.reshape(key.shape)
        which = np.searchsorted(self.base, ids, side="right") - 1
        return ids - self.base[which], self.n_uniq[which], inv


def _score_pairs(label, scorer, k_pairs, n_pairs) -> np.ndarray:
    """Dense ranks of the rule's scores (NaN ranks below every number; equal scores tie)."""
    try:
        scores = np.asarray(scorer(k_pairs.copy(), n_pairs.copy()), dtype=float)
    except DataError:
        raise
    except (TypeError, ValueError) as err:
        raise DataError(f"rule {label!r} did not return numeric scores: {err}", column="rules") from None
    if scores.shape != k_pairs.shape:
        raise DataError(
            f"rule {label!r} returned {scores.shape} scores for {k_pairs.size} (k, n) pairs; "
            "it must return one score per pair",
            column="rules",
        )
    scores = np.where(np.isnan(scores), -np.inf, scores)
    return np.unique(scores, return_inverse=True)[1]


def compare_rules(
    n,
    p,
    rules=_BUILTIN_RULES,
    top: int = 4,
    reps: int = 10_000,
    seed=None,
    strength=None,
    prior=None,
    min_n: int = 20,
    small: int = 10,
    *,
    wide: int = 10,
    chunk: int | None = None,
    progress: bool | None = None,
) -> RulesResult:
    """Compare rules for picking the *top* "worst" units off simulated maps.

    Each repetition draws one map: unit ``j`` gets a true rate ``θ_j`` and
    ``k_j ~ Binomial(n_j, θ_j)`` reversals. Every rule scores every unit
    from its own ``(k_j, n_j)`` and picks the *top* highest scores (ties,
    i.e. exactly equal scores, broken uniformly at random with one random
    order per repetition shared by all rules). All rules see the same maps,
    so their differences are not Monte Carlo noise between maps. A next
    period ``k'_j ~ Binomial(n_j, θ_j)`` is drawn independently with the same
    true rates, to show how much of the picked units' excess survives.

    Two worlds:

    * ``strength=None``: all units share the true rate *p*. Every pick is then
      noise, and a fair rule gives each unit the chance top / units.
    * ``strength=S``: the true rates are drawn afresh in each repetition from
      Beta(S·p, S·(1 − p)) (mean *p*, between-unit standard deviation
      √(p(1 − p)/(S + 1))). There is a truly worst group, and
      ``share_true_top`` says how often a rule finds it.

    The built-in rules:

    * ``"raw"``: the raw rate k/n (the league-table rule);
    * ``"shrunk"``: the empirical-Bayes estimate, the posterior mean of
      :func:`danmark.shrink` under *prior*;
    * ``"prob_above"``: :func:`danmark.prob_above` under *prior* with
      threshold *p*, i.e. the units most *certainly* above the common rate;
    * ``"min_n"``: the raw rate among units with at least *min_n* cases
      (smaller units are never picked).

    A rule may also be any callable ``f(k, n)`` taking two equal-length
    integer arrays of (k, n) pairs and returning one score per pair (higher
    = picked first; NaN = never picked while enough others have scores),
    e.g. ``lambda k, n: danmark.binomial_ci(k, n)["lower"]``. Scores must
    depend on the pair only, not on the rest of the map: each distinct pair
    in a block of repetitions is scored once, which is what makes library
    calls such as :func:`danmark.shrink` affordable here.

    Parameters
    ----------
    n : array-like or Series of int
        Cases per unit (each ≥ 1). A Series keeps its index.
    p : float
        The common true rate (``strength=None``) or the mean of the true
        rates, in (0, 1); also the threshold of ``"prob_above"``.
    rules : str, callable, sequence of them, or mapping {label: rule}
        Default all four built-in rules. A mapping sets the labels used in
        the results (a callable in a sequence is labelled by its
        ``__name__``).
    top : int
        Units picked per repetition (``1 <= top < units``).
    reps : int
        Repetitions (maps).
    seed : int, numpy Generator or None
        Same seed (and chunk) → same numbers.
    strength : float or None
        Beta strength S of the true rates, or None for one common rate.
    prior : BetaPrior or (alpha, beta), optional
        The prior of ``"shrunk"`` and ``"prob_above"``. Default
        ``BetaPrior.from_mean(p, 30)`` (``DEFAULT_RULE_STRENGTH``): centred on
        the true mean, with a between-unit standard deviation of about
        8.7 points at p = 0.375. It is fixed, not fitted to each simulated
        map: a maximum-likelihood fit per map (:func:`danmark.fit_prior`,
        about 3 ms, 50 ms when it ends in complete pooling) is too slow
        for thousands of maps;
        :func:`simulate_prior_fits` shows what the fit would give.
    min_n : int
        Minimum cases of the ``"min_n"`` rule; at least *top* units must
        have that many.
    small : int
        ``share_smallest`` counts picks of the *small* units with the fewest
        cases (ties in n by position); at most the number of units.
    wide : int
        Size of the wider truly-worst group of ``share_true_wide``.
    chunk : int, optional
        Repetitions per block; default about 500,000 unit-draws per block
        (memory ≈ chunk × units × 70 bytes).
    progress : bool or None
        tqdm progress bar; ``None`` shows one only for long runs.

    Returns
    -------
    RulesResult
        ``.summary`` (one row per rule) and ``.p_selected`` (units × rules);
        ``.units(rule)`` gives the frame :func:`danmark.plotting.selection_bars`
        draws.

    Raises
    ------
    DataError
        Bad counts, a rate outside (0, 1) or not a single number, a bad
        *top* / *reps* / *strength* / *prior* / *min_n* / *small* / *wide* /
        *chunk*, an unknown rule or a callable that does not return one
        number per pair, fewer than *top* units with *min_n* cases.

    Examples
    --------
    Two small and two large units, all with the true rate 0.3, one pick:

    >>> res = compare_rules([10, 10, 100, 100], 0.3, rules=["raw", "shrunk"], top=1,
    ...                     reps=2000, seed=1, small=2)
    >>> res.p_selected.round(2)
    rule   raw  shrunk
    0     0.32    0.25
    1     0.32    0.25
    2     0.17    0.24
    3     0.19    0.26
    >>> res.summary[["share_smallest", "mean_n_selected"]].round(2)
            share_smallest  mean_n_selected
    rule
    raw               0.63            43.12
    shrunk            0.50            55.36

    When the true rates differ (Beta strength 30 around 0.3), which rule
    finds the two truly worst of eight units?

    >>> res = compare_rules([5, 10, 20, 40, 80, 160, 320, 640], 0.3, top=2, reps=4000,
    ...                     seed=1, strength=30, small=2, wide=4)
    >>> res.summary[["share_smallest", "mean_n_selected", "share_true_top"]].round(2)
                share_smallest  mean_n_selected  share_true_top
    rule
    raw                   0.34           131.88            0.60
    shrunk                0.18           189.65            0.64
    prob_above            0.12           237.16            0.61
    min_n                 0.00           205.15            0.59
    """
    n_arr, index = _check_units(n)
    units = n_arr.size
    p = _check_rate(p)
    strength = _check_strength(strength)
    labels = _parse_rules(rules)
    top = _check_positive_int(top, "top")
    if top >= units:
        raise DataError(f"top must be smaller than the number of units ({units}); got {top}", column="top")
    reps = _check_positive_int(reps, "reps")
    min_n = _check_positive_int(min_n, "min_n")
    small = min(_check_positive_int(small, "small"), units)
    wide = min(_check_positive_int(wide, "wide"), units)
    if chunk is None:
        chunk = max(1, min(reps, _CHUNK_CELLS // units))
    chunk = _check_positive_int(chunk, "chunk")
    from ..stats.shrinkage import BetaPrior, _as_prior

    prior = BetaPrior.from_mean(p, DEFAULT_RULE_STRENGTH) if prior is None else _as_prior(prior)
    if "min_n" in labels.values() and int((n_arr >= min_n).sum()) < top:
        raise DataError(
            f"only {int((n_arr >= min_n).sum())} units have at least min_n = {min_n} cases; "
            f"the 'min_n' rule cannot pick {top}",
            column="min_n",
        )
    scorers = {
        label: _rule_scorer(rule, prior, p, min_n) if isinstance(rule, str) else rule for label, rule in labels.items()
    }

    rng = np.random.default_rng(seed)
    tables = _cdf_tables(n_arr, np.full(units, p)) if strength is None else None
    pairs = _PairIndex(n_arr)
    smallest = np.zeros(units, dtype=bool)
    smallest[np.argsort(n_arr, kind="stable")[:small]] = True
    kth = sorted({top - 1, wide - 1})

    acc = {
        label: {"times": np.zeros(units), "rate": 0.0, "next": 0.0, "true": 0.0, "hit_top": 0, "hit_wide": 0}
        for label in scorers
    }
    bar = _progress_bar(progress, reps, reps * len(scorers), units, "compare_rules")
    start = time.perf_counter()
    done = 0
    while done < reps:
        m = min(chunk, reps - done)
        if strength is None:
            theta = None
            counts = _draw_counts(rng, tables, m)
            nxt = _draw_counts(rng, tables, m)
        else:
            theta = _draw_true_rates(rng, p, strength, (m, units))
            counts = rng.binomial(n_arr, theta)
            nxt = rng.binomial(n_arr, theta)
            ordered = -np.partition(-theta, kth, axis=1)
            cut_top = ordered[:, top - 1 : top]
            cut_wide = ordered[:, wide - 1 : wide]
        jitter = rng.random((m, units)) * 0.5  # below the gap of 1 between distinct ranks
        k_pairs, n_pairs, inv = pairs(counts)
        for label, scorer in scorers.items():
            rank = _score_pairs(label, scorer, k_pairs, n_pairs)
            picked = np.argpartition(-(rank[inv] + jitter), top - 1, axis=1)[:, :top]
            a = acc[label]
            a["times"] += np.bincount(picked.ravel(), minlength=units)
            n_picked = n_arr[picked]
            a["rate"] += float((np.take_along_axis(counts, picked, axis=1) / n_picked).sum())
            a["next"] += float((np.take_along_axis(nxt, picked, axis=1) / n_picked).sum())
            if theta is None:
                a["true"] += p * picked.size
            else:
                true_picked = np.take_along_axis(theta, picked, axis=1)
                a["true"] += float(true_picked.sum())
                a["hit_top"] += int((true_picked >= cut_top).sum())
                a["hit_wide"] += int((true_picked >= cut_wide).sum())
        done += m
        if bar is not None:
            bar.update(m)
    if bar is not None:
        bar.close()
    elapsed = time.perf_counter() - start

    total = reps * top
    rows = {}
    for label, a in acc.items():
        times = a["times"]
        rows[label] = {
            "share_smallest": times[smallest].sum() / total,
            "mean_n_selected": (times * n_arr).sum() / total,
            "mean_rate_selected": a["rate"] / total,
            "mean_next_rate_selected": a["next"] / total,
            "mean_p_selected": a["true"] / total,
            "share_true_top": np.nan if strength is None else a["hit_top"] / total,
            "share_true_wide": np.nan if strength is None else a["hit_wide"] / total,
        }
    summary = pd.DataFrame.from_dict(rows, orient="index", columns=_SUMMARY_COLUMNS).astype(float)
    summary.index.name = "rule"
    p_selected = pd.DataFrame(
        {label: a["times"] / reps for label, a in acc.items()},
        index=index if index is not None else pd.RangeIndex(units),
    )
    p_selected.columns.name = "rule"
    return RulesResult(
        summary=summary,
        p_selected=p_selected,
        n=pd.Series(n_arr, index=p_selected.index, name="n"),
        p=p,
        strength=strength,
        prior=prior,
        top=top,
        small=small,
        wide=wide,
        min_n=min_n,
        reps=reps,
        seed=seed,
        chunk=chunk,
        elapsed=elapsed,
    )


def simulate_prior_fits(n, p, strength=None, maps: int = 20, seed=None, method: str = "mle") -> pd.DataFrame:
    """Fit the empirical-Bayes prior to simulated maps: would the fit see the variation?

    Draws *maps* maps as :func:`compare_rules` does (true rates all *p*, or
    drawn from Beta(S·p, S·(1 − p)) with S = *strength*; ``k_j ~
    Binomial(n_j, θ_j)``) and fits :func:`danmark.fit_prior` to each. When a
    map shows no variation beyond binomial chance, ``fit_prior`` returns
    complete pooling with a :class:`~danmark.shrinkage.PoolingWarning`; here
    those warnings are caught and reported in the column ``pooled``.

    Parameters
    ----------
    n, p, strength, seed
        As in :func:`compare_rules`.
    maps : int
        Number of simulated maps.
    method : {"mle", "mm"}
        Passed to :func:`danmark.fit_prior`.

    Returns
    -------
    DataFrame
        One row per map (index ``map``): ``mean``, ``strength`` (α + β),
        ``sd`` (between-unit standard deviation of the fitted Beta) and
        ``pooled`` (the fit is complete pooling: strength = 1e6 × the
        largest n). A map on which no Beta can be fitted (all k = 0 or all
        k = n) gives NaN and ``pooled`` False.

    Examples
    --------
    >>> fits = simulate_prior_fits([40, 60, 80, 100, 150, 200] * 5, 0.4, strength=20,
    ...                            maps=5, seed=3)
    >>> fits.columns.tolist()
    ['mean', 'strength', 'sd', 'pooled']
    >>> len(fits), bool(fits["mean"].between(0.3, 0.5).all())
    (5, True)
    """
    import warnings

    from ..stats.shrinkage import PoolingWarning, fit_prior

    n_arr, _ = _check_units(n)
    p = _check_rate(p)
    strength = _check_strength(strength)
    maps = _check_positive_int(maps, "maps")
    if method not in ("mle", "mm"):
        raise DataError(f"unknown method {method!r}; use 'mle' or 'mm'", column="method")
    rng = np.random.default_rng(seed)
    theta = p if strength is None else _draw_true_rates(rng, p, strength, (maps, n_arr.size))
    counts = rng.binomial(n_arr, theta, size=(maps, n_arr.size))
    rows = []
    for k in counts:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", PoolingWarning)
                fit = fit_prior(k, n_arr, method=method)
        except DataError:
            rows.append({"mean": np.nan, "strength": np.nan, "sd": np.nan, "pooled": False})
            continue
        rows.append(
            {
                "mean": fit.mean,
                "strength": fit.strength,
                "sd": fit.sd,
                "pooled": bool(fit.pooled),
            }
        )
    out = pd.DataFrame(rows, columns=["mean", "strength", "sd", "pooled"])
    out.index.name = "map"
    return out
