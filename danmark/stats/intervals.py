"""Confidence intervals for a reversal rate, and what a clean audit sample allows.

:func:`binomial_ci` gives the usual intervals for *k* reversed out of *n*
decided cases: Wilson (score), Jeffreys, exact (Clopper–Pearson) and
Agresti–Coull, as :func:`statsmodels.stats.proportion.proportion_confint` computes
them (the exact and Wilson intervals, which every report shows, with the same formulas
on :mod:`scipy.special`, so the report need not import statsmodels; the tests check they
are statsmodels' numbers) and then held to the conventions of Brown, Cai & DasGupta (2001):

* every bound lies in [0, 1] (Agresti–Coull is clipped);
* at ``k = 0`` the lower bound is exactly 0 and at ``k = n`` the upper bound
  is exactly 1, for every method (for Jeffreys this is BCD's modification;
  for Clopper–Pearson and Wilson it is the exact value);
* ``n = 0`` (no decided cases) gives ``raw = NaN`` and the vacuous
  interval [0, 1]: nothing was observed, so nothing is excluded.

One-sided bounds use ``alternative="larger"`` (a lower bound: the true rate is
at least ``lower``; ``upper`` is 1) or ``alternative="smaller"`` (an upper bound:
the rate is at most ``upper``; ``lower`` is 0). The names follow statsmodels'
hypothesis tests (H1: rate larger / smaller); R's ``"greater"`` and ``"less"``
are accepted as synonyms. A one-sided bound at level 1 − α is the matching end
of the two-sided interval at level 1 − 2α.

:func:`audit_bound` answers "no errors in 15 randomly reviewed cases" with the
exact one-sided upper bound on the error rate, next to the rule of three.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from .._defaults import DEFAULT_LEVEL
from .._special import norm_isf
from .._units import as_units, output
from .._validate import check_level
from ..errors import ArgumentError, DataError

__all__ = ["audit_bound", "binomial_ci"]

_METHODS = {
    "wilson": "wilson",
    "jeffreys": "jeffreys",
    "exact": "beta",
    "clopper-pearson": "beta",
    "clopper_pearson": "beta",
    "agresti_coull": "agresti_coull",
    "agresti-coull": "agresti_coull",
}

_ALTERNATIVES = {
    "two-sided": "two-sided",
    "two.sided": "two-sided",
    "larger": "larger",
    "greater": "larger",
    "smaller": "smaller",
    "less": "smaller",
}


def _wilson(k: np.ndarray, n: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """statsmodels' ``proportion_confint(k, n, alpha, method="wilson")``, line for line (the report's
    second interval: tests/test_intervals.py checks it is statsmodels' to the last bit)."""
    q_ = k / n
    crit = norm_isf(alpha / 2.0)
    crit2 = crit**2
    denom = 1 + crit2 / n
    center = (q_ + crit2 / (2 * n)) / denom
    dist = crit * np.sqrt(q_ * (1.0 - q_) / n + crit2 / (4.0 * n**2))
    dist /= denom
    return np.clip(center - dist, 0, 1), np.clip(center + dist, 0, 1)


def binomial_ci(k, n=None, *, level=DEFAULT_LEVEL, method="wilson", alternative="two-sided") -> pd.DataFrame:
    """Confidence interval for the rate *k* / *n*, vectorised over units.

    Parameters
    ----------
    k, n : int, array-like or Series, or a DataFrame as *k*
        Reversed (omgjort) and decided (realitetsbehandlede) cases; shapes
        broadcast. A DataFrame (columns ``k``/``n`` or the tidy counts) is
        read as every unit-level function reads it (Hele landet rows left
        out with a NationalTotalWarning); the result then keeps its columns.
    level : float
        Confidence level in (0, 1).
    method : {"wilson", "jeffreys", "exact", "agresti_coull"}
        ``"exact"`` is Clopper–Pearson (``"clopper-pearson"`` also works).
    alternative : {"two-sided", "larger", "smaller"}
        ``"larger"`` returns a one-sided lower bound (upper = 1),
        ``"smaller"`` a one-sided upper bound (lower = 0).

    Returns
    -------
    DataFrame
        Columns ``k``, ``n``, ``raw`` (k/n, NaN only when n = 0),
        ``lower``, ``upper``. The index is the Series index when *k* or *n*
        is a Series, else 0, 1, ...; for a DataFrame its rows and columns.

    Raises
    ------
    DataError
        Bad counts.
    ArgumentError
        A level outside (0, 1), an unknown method or alternative.

    Examples
    --------
    >>> binomial_ci([10, 0], [14, 20]).round(4)
        k   n     raw   lower   upper
    0  10  14  0.7143  0.4535  0.8828
    1   0  20  0.0000  0.0000  0.1611
    >>> binomial_ci(0, 15, method="exact", alternative="smaller").round(4)
       k   n  raw  lower   upper
    0  0  15  0.0    0.0  0.1810
    """
    level = check_level(level)
    key = str(method).lower() if isinstance(method, str) else None
    if key not in _METHODS:
        raise ArgumentError(f"unknown method {method!r}; use one of 'wilson', 'jeffreys', 'exact', 'agresti_coull'",
                            column="method")
    alt = _ALTERNATIVES.get(str(alternative).lower()) if isinstance(alternative, str) else None
    if alt is None:
        raise ArgumentError(f"unknown alternative {alternative!r}; use 'two-sided', 'larger' or 'smaller'",
                            column="alternative")
    k_arr, n_arr, index, frame = as_units(k, n, where="binomial_ci")
    size = k_arr.size
    lower = np.zeros(size)
    upper = np.ones(size)
    estimate = np.full(size, np.nan)
    ok = n_arr > 0
    if ok.any():
        kk = k_arr[ok].astype(float)
        nn = n_arr[ok].astype(float)
        estimate[ok] = kk / nn
        alpha = 1.0 - level if alt == "two-sided" else 2.0 * (1.0 - level)
        with np.errstate(divide="ignore", invalid="ignore"):
            if key == "exact":
                # Clopper-Pearson from the Beta quantiles, as statsmodels' method "beta" computes it
                # (tests/test_intervals.py checks the two agree), without importing statsmodels and
                # scipy.stats (~1 s) for the interval every report shows
                lo = special.betaincinv(kk, nn - kk + 1, alpha / 2)
                hi = special.betaincinv(kk + 1, nn - kk, 1 - alpha / 2)
            elif key == "wilson":  # the same, for the report's comparison
                lo, hi = _wilson(kk, nn, alpha)
            else:
                from statsmodels.stats.proportion import proportion_confint

                lo, hi = proportion_confint(kk, nn, alpha=alpha, method=_METHODS[key])
        lo = np.clip(np.nan_to_num(np.asarray(lo, dtype=float), nan=0.0), 0.0, 1.0)
        hi = np.clip(np.nan_to_num(np.asarray(hi, dtype=float), nan=1.0), 0.0, 1.0)
        # Brown, Cai & DasGupta (2001) boundary conventions, for every method
        lo[kk == 0] = 0.0
        hi[kk == nn] = 1.0
        if alt == "larger":
            hi[:] = 1.0
        elif alt == "smaller":
            lo[:] = 0.0
        lower[ok] = lo
        upper[ok] = hi
    return output({"k": k_arr, "n": n_arr, "raw": estimate, "lower": lower, "upper": upper}, index, frame)


def audit_bound(errors, reviewed=None, *, level=DEFAULT_LEVEL) -> pd.DataFrame:
    """How high can the true error rate be, given *errors* in *reviewed* random cases?

    A kommune that reviews 15 randomly drawn cases and finds no errors has not
    shown that its error rate is zero; at 95 % it has shown that the rate is
    at most about 18 %. This is the exact (Clopper–Pearson) one-sided upper
    bound ``upper_exact``, the largest rate p with
    P(X <= errors | reviewed, p) >= 1 - level.

    ``rule_of_three`` is the textbook shortcut −ln(1 − level) / reviewed
    (= 2.996 / n ≈ 3 / n at 95 %; Hanley & Lippman-Hand 1983). It
    approximates the exact bound only when no errors were found, so it is
    NaN whenever ``errors > 0``.

    Parameters
    ----------
    errors, reviewed : int, array-like or Series, or a DataFrame as *errors*
        Errors found and cases reviewed (``reviewed`` must be positive). A
        DataFrame gives them as columns ``k`` and ``n`` (or the tidy counts).
    level : float
        One-sided confidence level in (0, 1).

    Returns
    -------
    DataFrame
        Columns ``errors``, ``reviewed``, ``raw`` (errors / reviewed),
        ``upper_exact``, ``rule_of_three``, ``level``.

    Examples
    --------
    >>> audit_bound([0, 1], 15).round(3)
       errors  reviewed    raw  upper_exact  rule_of_three  level
    0       0        15  0.000        0.181          0.200   0.95
    1       1        15  0.067        0.279            NaN   0.95
    """
    level = check_level(level)
    e_arr, r_arr, index, frame = as_units(errors, reviewed, where="audit_bound", names=("errors", "reviewed"))
    if (r_arr == 0).any():
        pos = int(np.flatnonzero(r_arr == 0)[0])
        raise DataError("reviewed must be positive: no cases reviewed gives no bound", row=index[pos], column="reviewed")
    e = e_arr.astype(float)
    r = r_arr.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        upper = np.where(e < r, special.betaincinv(e + 1.0, np.maximum(r - e, 1e-300), level), 1.0)
    rule = np.where(e == 0, -np.log1p(-level) / r, np.nan)
    cols = {"errors": e_arr, "reviewed": r_arr, "raw": e / r, "upper_exact": upper, "rule_of_three": rule,
            "level": level}
    return output(cols, index, frame)

