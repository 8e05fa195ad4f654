"""How many cases does it take to tell a kommune's rate from the national one?

:func:`power` gives the power of the exact one-sided binomial test of
H0: p = reference when the true rate is p1; :func:`cases_needed` inverts it.

The test's significance is given, as everywhere in danmark, by a ``level``:
the test at ``level`` 0.95 rejects when the one-sided ``level`` confidence
bound excludes the reference, i.e. at significance α = 1 − level = 0.05.

The exact test rejects when the count of reversed cases reaches the critical
value ``c``: the smallest ``c`` with ``P(X >= c | reference) <= 1 - level``
(alternative "larger"; mirrored for "smaller"). Because counts are whole
numbers the actual size ``P(X >= c | reference)`` is usually below 1 − level
and jumps as ``n`` grows, so
the power curve is a sawtooth: one more case can *lower* the power (Chernick &
Liu 2002). :func:`cases_needed` therefore reports both the first ``n`` that
reaches the target power and the ``n`` from which the power stays at or above
it.

The normal approximation (``method="normal"``) is Cohen's arcsine effect size
``h = 2·asin(sqrt(p1)) - 2·asin(sqrt(reference))`` with the power of
:class:`statsmodels.stats.power.NormalIndPower` (``ratio=0``: one sample),
the same calculation as R's ``pwr.p.test``. The binomial and normal functions
come from :mod:`danmark._special` (the numbers of ``scipy.stats`` and statsmodels,
checked in tests/test_distributions.py, without importing them for the report).

References
----------
Chernick MR, Liu CY (2002). The saw-toothed behavior of power versus sample
size and software solutions: single binomial proportion using exact methods.
The American Statistician 56:149–155.
Cohen J (1988). Statistical Power Analysis for the Behavioral Sciences, 2nd ed.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd

from .._defaults import DEFAULT_LEVEL
from .._special import (
    arcsine_effect,
    binom_cdf,
    binom_ppf,
    binom_sf,
    norm_isf,
    normal_nobs,
    normal_power,
)
from .._validate import as_counts, check_choice, check_level, check_probability, check_whole
from ..errors import ArgumentError, DataError

__all__ = ["power", "cases_needed", "power_two_periods"]

ALTERNATIVES = ("larger", "smaller")
METHODS = ("exact", "normal")


def _check_common(level, alternative) -> float:
    """The test's significance α = 1 − *level* (the name the engines use), after checking the options."""
    value = check_level(level)
    if value <= 0.5:
        raise ArgumentError(
            f"level is the test's confidence level (e.g. 0.95: significance 0.05), so it must be above 0.5; "
            f"got {level!r}" + (f" (did you mean level={1 - value:.3g}?)" if value < 0.5 else ""),
            column="level",
        )
    check_choice(alternative, "alternative", ALTERNATIVES)
    return round(1.0 - value, 12)


def _single_rate(p, name: str) -> float:
    arr = check_probability(p, name, open_interval=True)
    if arr.ndim != 0:
        raise ArgumentError(f"{name} must be a single rate", column=name)
    return float(arr)


def _check_reference(reference):
    if reference is None:
        raise ArgumentError("give the reference rate (e.g. the national rate), reference=0.36", column="reference")
    return _single_rate(reference, "reference")


def _case_counts(n) -> np.ndarray:
    """Numbers of cases: whole numbers of at least 1, one or a non-empty flat sequence."""
    n_arr = as_counts(n, "n")
    if n_arr.size == 0:
        raise DataError("n is empty: give one or more numbers of cases", column="n")
    if (n_arr < 1).any():
        raise DataError("n must be at least 1", row=int(np.flatnonzero(np.ravel(n_arr) < 1)[0]), column="n")
    return n_arr


def _critical(n: np.ndarray, p0: float, level: float, alternative: str) -> np.ndarray:
    """Critical count: reject if X >= c ("larger") or X <= c ("smaller"); *level* is the significance.

    "larger": the smallest c in 0 .. n+1 with P(X >= c | p0) <= level; "smaller": the largest c in
    -1 .. n with P(X <= c | p0) <= level. Found from the normal approximation's guess by whole steps
    checked with the exact tail (a few passes over the array; the binomial ppf as a fallback).
    """
    n = np.asarray(n)
    nf = n.astype(float)
    sd = np.sqrt(nf * p0 * (1.0 - p0))
    if alternative == "larger":
        c = np.clip(np.ceil(nf * p0 + float(norm_isf(level)) * sd), 0, nf + 1)

        def too_low(c):  # c rejects too often: P(X >= c) > level (c = n + 1 never rejects)
            return (c <= nf) & (binom_sf(c - 1, n, p0) > level)

        def too_high(c):  # c - 1 would do too
            return (c >= 1) & (binom_sf(c - 2, n, p0) <= level)
    else:
        c = np.clip(np.floor(nf * p0 - float(norm_isf(level)) * sd), -1, nf)

        def too_low(c):  # c + 1 would do too
            return (c + 1 <= nf) & (binom_cdf(c + 1, n, p0) <= level)

        def too_high(c):  # c rejects too often: P(X <= c) > level (c = -1 never rejects)
            return (c >= 0) & (binom_cdf(c, n, p0) > level)
    for move, wrong in ((1.0, too_low), (-1.0, too_high)):
        for _ in range(_CRITICAL_STEPS):
            bad = wrong(c)
            if not bad.any():
                break
            c = np.where(bad, c + move, c)
        else:  # the guess was far off (never seen): the exact ppf for what is left
            return _critical_by_ppf(n, p0, level, alternative)
    return c.astype(np.int64)


#: whole steps from the normal guess before the binomial ppf takes over (the guess is within a few)
_CRITICAL_STEPS = 12


def _critical_by_ppf(n: np.ndarray, p0: float, level: float, alternative: str) -> np.ndarray:
    """:func:`_critical` from the binomial ppf, corrected for rounding in 1 - level."""
    if alternative == "larger":
        c = binom_ppf(1 - level, n, p0) + 1
        c = np.where(binom_sf(c - 1, n, p0) > level, c + 1, c)
        c = np.where((c >= 1) & (binom_sf(c - 2, n, p0) <= level), c - 1, c)
        return c.astype(np.int64)
    c = binom_ppf(level, n, p0)
    c = np.where(binom_cdf(c, n, p0) > level, c - 1, c)
    c = np.where(binom_cdf(c + 1, n, p0) <= level, c + 1, c)
    return c.astype(np.int64)


@functools.lru_cache(maxsize=64)
def _critical_table(size: int, p0: float, level: float, alternative: str) -> np.ndarray:
    """The critical counts for n = 1 .. *size* (read-only): they depend on the null rate only, so the
    power curves of many p1 against one reference (a page per kommune) share them."""
    table = _critical(np.arange(1, size + 1), p0, level, alternative)
    table.flags.writeable = False
    return table


def _critical_upto(horizon: int, p0: float, level: float, alternative: str) -> np.ndarray:
    """:func:`_critical` for n = 1 .. *horizon*, from a cached table (sizes by powers of two)."""
    size = max(256, 1 << (int(horizon) - 1).bit_length())
    return _critical_table(size, float(p0), float(level), alternative)[:horizon]


def _exact_power(n, p1, p0, level, alternative):
    c = _critical(n, p0, level, alternative)
    if alternative == "larger":
        return c, binom_sf(c - 1, n, p0), binom_sf(c - 1, n, p1)
    return c, binom_cdf(c, n, p0), binom_cdf(c, n, p1)


def _normal_power(n, p1, p0, level, alternative):
    """statsmodels' ``NormalIndPower().power(h, n, level, ratio=0)`` (one sample: n observations)."""
    return normal_power(arcsine_effect(p1, p0), np.asarray(n, dtype=float), level, alternative)


def power(n, p1, *, reference, level: float = DEFAULT_LEVEL, alternative: str = "larger",
          method: str = "exact") -> pd.DataFrame:
    """Power of the one-sided test of H0: p = *reference* when the true rate is *p1*.

    Parameters
    ----------
    n : int or array of int
        Numbers of cases (≥ 1).
    p1 : float or array of float
        True rate(s) in [0, 1]; broadcast against *n*.
    reference : float
        Rate under the null hypothesis, in (0, 1) (e.g. the national rate).
    level : float
        Confidence level of the one-sided test (default 0.95: significance
        1 − level = 0.05); above 0.5.
    alternative : {"larger", "smaller"}
        Direction of the alternative.
    method : {"exact", "normal"}
        Exact binomial test, or the arcsine normal approximation.

    Returns
    -------
    DataFrame
        One row per (n, p1): ``n``, ``reference``, ``p1``, ``critical`` (reject if the
        count is ≥ it, or ≤ it for "smaller"; -1 / n+1 mean never),
        ``size`` (actual type I error) and ``power``. For ``method="normal"``
        ``critical`` is missing and ``size`` is the nominal 1 − level.

    Examples
    --------
    >>> power([10, 14, 20], 0.6, reference=0.36).round(3)
        n  reference   p1  critical   size  power
    0  10       0.36  0.6         7  0.031  0.382
    1  14       0.36  0.6         9  0.029  0.486
    2  20       0.36  0.6        12  0.025  0.596
    """
    check_choice(method, "method", METHODS)
    level = _check_common(level, alternative)  # the engines below take the significance 1 - level
    p0 = _check_reference(reference)
    n_arr = _case_counts(n)
    p1_arr = check_probability(p1, "p1")
    if p1_arr.ndim > 1:
        raise ArgumentError(f"p1 must be one rate or a one-dimensional sequence of rates; got shape {p1_arr.shape}", column="p1")
    try:
        n_b, p1_b = np.broadcast_arrays(n_arr, p1_arr)
    except ValueError:
        raise DataError(f"n and p1 do not broadcast: shapes {n_arr.shape} and {p1_arr.shape}") from None
    n_b, p1_b = n_b.ravel(), p1_b.ravel()
    if method == "exact":
        crit, size, pw = _exact_power(n_b, p1_b, p0, level, alternative)
        critical = pd.array(crit, dtype="Int64")
    else:
        pw = _normal_power(n_b, p1_b, p0, level, alternative)
        size = np.full(n_b.shape, level)
        critical = pd.array([pd.NA] * n_b.size, dtype="Int64")
    return pd.DataFrame(
        {"n": n_b, "reference": p0, "p1": p1_b, "critical": critical, "size": size, "power": np.asarray(pw, dtype=float)}
    )


def _normal_n(p1, p0, target, level, alternative) -> float:
    """The root statsmodels' ``NormalIndPower().solve_power(ratio=0)`` searches for, in closed form."""
    return float(normal_nobs(arcsine_effect(p1, p0), level, target, alternative))


def cases_needed(
    p1,
    *,
    reference,
    power: float = 0.8,
    level: float = DEFAULT_LEVEL,
    alternative: str = "larger",
    n_max: int = 100_000,
) -> pd.DataFrame:
    """Smallest number of cases for which the exact test reaches *power*.

    Parameters
    ----------
    p1 : float or array of float
        True rate(s); must lie on the *alternative* side of *reference*.
    reference : float
        Null rate in (0, 1).
    power : float
        Target power in (0, 1).
    level : float
        Confidence level of the one-sided test (default 0.95: significance 0.05).
    alternative : {"larger", "smaller"}
    n_max : int
        Largest n searched.

    Returns
    -------
    DataFrame
        One row per *p1*: ``reference``, ``p1``, ``n_first`` (first n whose exact
        power reaches the target), ``power_first`` (its power), ``n_stable``
        (smallest n from which the exact power stays at or above the target
        for every larger n up to the search horizon: at least three times the
        normal-approximation n plus 50), ``power_stable`` and ``n_normal``
        (the arcsine normal-approximation n, statsmodels' ``NormalIndPower`` with
        ``ratio=0``, solved in closed form and rounded up) with ``n_normal_raw`` unrounded. Plot :func:`power` over a range of n to
        see the sawtooth between ``n_first`` and ``n_stable``.

    Raises
    ------
    ArgumentError
        If *p1* is not on the alternative side of *reference*, or the target
        is not reached by *n_max*.

    Examples
    --------
    >>> cases_needed(0.6, reference=0.36)[["n_first", "n_stable", "n_normal"]]
       n_first  n_stable  n_normal
    0       26        32        27
    """
    level = _check_common(level, alternative)
    p0 = _check_reference(reference)
    target = check_level(power, "power")
    n_max = check_whole(n_max, "n_max")
    p1_arr = check_probability(p1, "p1", open_interval=True)
    if p1_arr.ndim > 1 or p1_arr.size == 0:
        raise ArgumentError(f"p1 must be one rate or a flat, non-empty sequence of rates; got {p1!r}", column="p1")
    p1_arr = np.atleast_1d(p1_arr)
    wrong = p1_arr <= p0 if alternative == "larger" else p1_arr >= p0
    if wrong.any():
        side = "above" if alternative == "larger" else "below"
        raise ArgumentError(
            f"p1 must lie {side} reference = {p0} for alternative {alternative!r}; got {p1_arr[wrong][0]}",
            column="p1",
        )
    rows = []
    for p1_j in p1_arr.tolist():
        n_norm = _normal_n(p1_j, p0, target, level, alternative)
        horizon = min(n_max, max(3 * math.ceil(n_norm) + 50, 200))
        ns = np.arange(1, horizon + 1)
        c = _critical_upto(horizon, p0, level, alternative)  # the test's size is not needed here: power only
        pw = binom_sf(c - 1, ns, p1_j) if alternative == "larger" else binom_cdf(c, ns, p1_j)
        ok = pw >= target
        if not ok.any():
            raise ArgumentError(
                f"power {target} is not reached for p1 = {p1_j} by n = {horizon}; raise n_max",
                column="n_max",
            )
        first = int(np.argmax(ok))
        below = np.flatnonzero(~ok)
        stable = int(below[-1] + 1) if below.size else 0
        if stable >= ns.size:
            raise ArgumentError(
                f"power for p1 = {p1_j} still dips below {target} at n = {horizon}; raise n_max",
                column="n_max",
            )
        rows.append(
            {
                "reference": p0,
                "p1": p1_j,
                "n_first": int(ns[first]),
                "power_first": float(pw[first]),
                "n_stable": int(ns[stable]),
                "power_stable": float(pw[stable]),
                "n_normal": math.ceil(n_norm),
                "n_normal_raw": n_norm,
            }
        )
    return pd.DataFrame(rows)


def power_two_periods(n, p_before, p_after, *, level: float = DEFAULT_LEVEL,
                      alternative: str = "smaller") -> pd.DataFrame:
    """Power to see a change between two periods when *both* rates are estimated.

    The comparison an analyst makes after a taskforce: *n* decided cases before
    and *n* after, true rates *p_before* and *p_after*, a one-sided test at
    *alpha*. Unlike :func:`power`, the "before" rate is not known exactly, so
    many more cases are needed. *level* is the one-sided test's confidence
    level (0.95: significance 0.05). Normal approximation with Cohen's arcsine
    effect size (:class:`statsmodels.stats.power.NormalIndPower`, equal
    groups), as R's ``pwr.2p.test``.

    Parameters
    ----------
    n : int or array-like
        Cases in *each* period.
    p_before, p_after : float
        True rates in (0, 1).
    alternative : {"smaller", "larger"}
        Direction of the change looked for: "smaller" = the rate fell.

    Returns
    -------
    DataFrame
        ``n`` (per period), ``p_before``, ``p_after``, ``power`` and
        ``n_needed_80``: the cases per period for 80 % power (the same on
        every row).

    Examples
    --------
    >>> out = power_two_periods([22, 66, 132], 0.55, 0.40)
    >>> out["power"].round(3).tolist(), round(out["n_needed_80"].iloc[0])
    ([0.26, 0.535, 0.79], 136)
    """
    level = _check_common(level, alternative)
    p_b, p_a = (_single_rate(p, name) for p, name in ((p_before, "p_before"), (p_after, "p_after")))
    if p_a == p_b:
        raise ArgumentError("p_before and p_after are equal: there is no change to detect", column="p_after")
    n_arr = np.atleast_1d(_case_counts(n))
    # effect in the direction of the alternative: positive when the change is the one looked for
    h = arcsine_effect(p_b, p_a) if alternative == "smaller" else arcsine_effect(p_a, p_b)
    # statsmodels' NormalIndPower with ratio=1: two groups of n, the effective n is 1 / (1/n + 1/n)
    n_float = n_arr.astype(float)
    pw = normal_power(h, 1.0 / (1.0 / n_float + 1.0 / n_float), level, "larger")
    out = pd.DataFrame({"n": n_arr, "p_before": p_b, "p_after": p_a, "power": np.asarray(pw, dtype=float)})
    # the n per period with effective n = n / 2 at 80 % power (NaN when the rates move the other way)
    out["n_needed_80"] = 2.0 * float(normal_nobs(h, level, 0.8, "larger"))
    return out
