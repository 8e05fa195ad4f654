"""Selection rules compared on simulated maps: raw rates, shrunk estimates, P(above) and a minimum n.

Also :func:`simulate_prior_fits`: how well a prior is recovered from one map of simulated counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._validate import check_choice, check_probability, check_whole, check_work
from ..errors import ArgumentError, DataError
from ..stats.shrinkage import (
    DEFAULT_PRIOR_STRENGTH,
    BetaPrior,
    PoolingWarning,
    as_prior,
    fit_prior,
    prob_above,
    shrink,
)
from ._engine import BinomialSampler, Chunks, check_units, chunk_size, make_rng

__all__ = ["compare_rules", "RulesResult", "simulate_prior_fits"]

# ---------------------------------------------------------------------------
# comparing selection rules

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
    rate_when_selected, next_rate_when_selected : DataFrame
        Units × rules: the unit's mean raw rate in the repetitions where the
        rule picked it, and in the independent next period (NaN if never).
    p, strength, prior, top, small, wide, min_n, size, seed, chunk : as used.
    """

    summary: pd.DataFrame
    p_selected: pd.DataFrame = field(repr=False)
    n: pd.Series = field(repr=False)
    rate_when_selected: pd.DataFrame = field(repr=False)
    next_rate_when_selected: pd.DataFrame = field(repr=False)
    p: float
    strength: float | None
    prior: object
    top: int
    small: int
    wide: int
    min_n: int
    size: int
    seed: object = None
    chunk: int = 0
    elapsed: float = field(default=0.0, repr=False)

    def units(self, rule) -> pd.DataFrame:
        """One rule's units, in the shape of :attr:`SelectionResult.units`.

        Columns ``n``, ``p`` (the true rate; with a *strength*, the mean of
        the varying true rates), ``p_selected``, ``p_selected_se`` (Monte
        Carlo), ``rate_when_selected``, ``next_rate_when_selected``: the frame
        :func:`danmark.plotting.selection_bars` draws.
        """
        if rule not in self.p_selected.columns:
            raise ArgumentError(f"unknown rule {rule!r}; the rules are {list(self.p_selected.columns)}", column="rule")
        p_sel = self.p_selected[rule]
        return pd.DataFrame(
            {"n": self.n, "p": self.p, "p_selected": p_sel,
             "p_selected_se": np.sqrt(p_sel * (1 - p_sel) / self.size),
             "rate_when_selected": self.rate_when_selected[rule],
             "next_rate_when_selected": self.next_rate_when_selected[rule]}
        )


def _rule_scorer(name: str, prior, p: float, min_n: int):
    """The scoring function of a built-in rule: (k, n) of distinct pairs -> scores."""

    if name == "raw":
        return lambda k, n: k / n
    if name == "shrunk":
        return lambda k, n: shrink(k, n, prior=prior)["estimate"].to_numpy()
    if name == "prob_above":
        return lambda k, n: prob_above(k, n, prior=prior, reference=p)["prob_above"].to_numpy()
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
            raise ArgumentError(f"rules must be rule names, callables or a mapping; got {rules!r}",
                                column="rules") from None
    if not items:
        raise ArgumentError("give at least one rule", column="rules")
    out = {}
    for label, rule in items:
        if isinstance(rule, str):
            if rule not in _BUILTIN_RULES:
                raise ArgumentError(f"unknown rule {rule!r}; use one of {_BUILTIN_RULES} or a callable",
                                    column="rules")
        elif not callable(rule):
            raise ArgumentError(f"a rule must be one of {_BUILTIN_RULES} or a callable; got {rule!r}", column="rules")
        if label in out:
            raise ArgumentError(f"rule label {label!r} appears twice; pass a mapping {{label: rule}}", column="rules")
        out[label] = rule
    return out


def _check_strength(strength) -> float | None:
    if strength is None:
        return None
    bad = isinstance(strength, bool) or not isinstance(strength, int | float | np.integer | np.floating)
    if bad or not (np.isfinite(float(strength)) and strength > 0):
        raise ArgumentError(f"strength must be None or a positive Beta strength (α + β); got {strength!r}",
                            column="strength")
    return float(strength)


def _check_rate(p) -> float:
    try:
        arr = check_probability(p, "p", open_interval=True)
    except (TypeError, ValueError) as err:
        if isinstance(err, DataError):
            raise
        raise ArgumentError(f"p must be one rate in (0, 1); got {p!r}", column="p") from None
    if arr.ndim != 0:
        raise ArgumentError(f"p must be one rate (the common or mean true rate); got shape {arr.shape}", column="p")
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
    *,
    rules=_BUILTIN_RULES,
    top: int = 4,
    size: int = 10_000,
    seed=None,
    strength=None,
    prior=None,
    min_n: int = 20,
    small: int = 10,
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
    size : int
        Repetitions (maps). One call is capped at
        ``danmark._validate.MAX_WORK`` = 10**11 unit-draws (size × units ×
        rules): beyond it an :class:`~danmark.ArgumentError` is raised at once.
    seed : int, numpy Generator or None
        Same seed (and chunk) → same numbers.
    strength : float or None
        Beta strength S of the true rates, or None for one common rate.
    prior : BetaPrior or (alpha, beta), optional
        The prior of ``"shrunk"`` and ``"prob_above"``. Default
        ``BetaPrior.from_mean(p, 30)`` (``DEFAULT_PRIOR_STRENGTH``): centred on
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
        Bad counts, or a callable rule that does not return one number per pair.
    ArgumentError
        A rate outside (0, 1) or not a single number, a bad *top* / *size* /
        *strength* / *prior* / *min_n* / *small* / *wide* / *chunk*, a *size*
        beyond the work cap, an unknown rule, fewer than *top* units with
        *min_n* cases.

    Examples
    --------
    Two small and two large units, all with the true rate 0.3, one pick:

    >>> res = compare_rules([10, 10, 100, 100], 0.3, rules=["raw", "shrunk"], top=1,
    ...                     size=2000, seed=1, small=2)
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

    >>> res = compare_rules([5, 10, 20, 40, 80, 160, 320, 640], 0.3, top=2, size=4000,
    ...                     seed=1, strength=30, small=2, wide=4)
    >>> res.summary[["share_smallest", "mean_n_selected", "share_true_top"]].round(2)
                share_smallest  mean_n_selected  share_true_top
    rule
    raw                   0.34           131.88            0.60
    shrunk                0.18           189.65            0.64
    prob_above            0.12           237.16            0.61
    min_n                 0.00           205.15            0.59
    """
    n_arr, index = check_units(n)
    units = n_arr.size
    p = _check_rate(p)
    strength = _check_strength(strength)
    labels = _parse_rules(rules)
    top = check_whole(top, "top")
    if top >= units:
        raise ArgumentError(f"top must be smaller than the number of units ({units}); got {top}", column="top")
    reps = check_whole(size, "size")
    check_work(reps, units * len(labels))
    min_n = check_whole(min_n, "min_n")
    small = min(check_whole(small, "small"), units)
    wide = min(check_whole(wide, "wide"), units)
    chunk = chunk_size(chunk, reps, units)

    prior = BetaPrior.from_mean(p, DEFAULT_PRIOR_STRENGTH) if prior is None else as_prior(prior)
    if "min_n" in labels.values() and int((n_arr >= min_n).sum()) < top:
        raise ArgumentError(
            f"only {int((n_arr >= min_n).sum())} units have at least min_n = {min_n} cases; "
            f"the 'min_n' rule cannot pick {top}",
            column="min_n",
        )
    scorers = {
        label: _rule_scorer(rule, prior, p, min_n) if isinstance(rule, str) else rule for label, rule in labels.items()
    }

    rng = make_rng(seed)
    sampler = BinomialSampler(n_arr, np.full(units, p)) if strength is None else None
    pairs = _PairIndex(n_arr)
    smallest = np.zeros(units, dtype=bool)
    smallest[np.argsort(n_arr, kind="stable")[:small]] = True
    kth = sorted({top - 1, wide - 1})

    acc = {
        label: {"times": np.zeros(units), "rate": np.zeros(units), "next": np.zeros(units), "true": 0.0,
                "hit_top": 0, "hit_wide": 0}
        for label in scorers
    }
    blocks = Chunks(reps, chunk, units=units, work=reps * len(scorers), progress=progress, desc="compare_rules")
    for m in blocks:
        if strength is None:
            theta = None
            counts = sampler.draw(rng, m)
            nxt = sampler.draw(rng, m)
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
            flat = picked.ravel()
            a["times"] += np.bincount(flat, minlength=units)
            n_picked = n_arr[picked]
            a["rate"] += np.bincount(flat, weights=(np.take_along_axis(counts, picked, axis=1) / n_picked).ravel(),
                                     minlength=units)
            a["next"] += np.bincount(flat, weights=(np.take_along_axis(nxt, picked, axis=1) / n_picked).ravel(),
                                     minlength=units)
            if theta is None:
                a["true"] += p * picked.size
            else:
                true_picked = np.take_along_axis(theta, picked, axis=1)
                a["true"] += float(true_picked.sum())
                a["hit_top"] += int((true_picked >= cut_top).sum())
                a["hit_wide"] += int((true_picked >= cut_wide).sum())
    elapsed = blocks.elapsed

    total = reps * top
    rows = {}
    for label, a in acc.items():
        times = a["times"]
        rows[label] = {
            "share_smallest": times[smallest].sum() / total,
            "mean_n_selected": (times * n_arr).sum() / total,
            "mean_rate_selected": a["rate"].sum() / total,
            "mean_next_rate_selected": a["next"].sum() / total,
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

    def per_unit(key):
        with np.errstate(invalid="ignore", divide="ignore"):
            frame = pd.DataFrame({label: np.where(a["times"] > 0, a[key] / a["times"], np.nan)
                                  for label, a in acc.items()}, index=p_selected.index)
        frame.columns.name = "rule"
        return frame

    return RulesResult(
        summary=summary,
        p_selected=p_selected,
        n=pd.Series(n_arr, index=p_selected.index, name="n"),
        rate_when_selected=per_unit("rate"),
        next_rate_when_selected=per_unit("next"),
        p=p,
        strength=strength,
        prior=prior,
        top=top,
        small=small,
        wide=wide,
        min_n=min_n,
        size=reps,
        seed=seed,
        chunk=chunk,
        elapsed=elapsed,
    )


def simulate_prior_fits(n, p, *, strength=None, size: int = 20, seed=None, method: str = "mle") -> pd.DataFrame:
    """Fit the empirical-Bayes prior to simulated maps: would the fit see the variation?

    Draws *size* maps as :func:`compare_rules` does (true rates all *p*, or
    drawn from Beta(S·p, S·(1 − p)) with S = *strength*; ``k_j ~
    Binomial(n_j, θ_j)``) and fits :func:`danmark.fit_prior` to each. When a
    map shows no variation beyond binomial chance, ``fit_prior`` returns
    complete pooling with a :class:`~danmark.shrinkage.PoolingWarning`; here
    those warnings are caught and reported in the column ``pooled``.

    Parameters
    ----------
    n, p, strength, seed
        As in :func:`compare_rules`.
    size : int
        Number of simulated maps (capped as in :func:`compare_rules`).
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
    ...                            size=5, seed=3)
    >>> fits.columns.tolist()
    ['mean', 'strength', 'sd', 'pooled']
    >>> len(fits), bool(fits["mean"].between(0.3, 0.5).all())
    (5, True)
    """
    import warnings


    n_arr, _ = check_units(n)
    p = _check_rate(p)
    strength = _check_strength(strength)
    maps = check_whole(size, "size")
    check_work(maps, n_arr.size)
    check_choice(method, "method", ("mle", "mm"))
    rng = make_rng(seed)
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
