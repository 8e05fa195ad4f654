"""Confidence intervals for a reversal rate, and what a clean audit sample allows.

:func:`binomial_ci` gives the usual intervals for *k* reversed out of *n*
decided cases: Wilson (score), Jeffreys, exact (Clopper–Pearson) and
Agresti–Coull, computed by :func:`statsmodels.stats.proportion.proportion_confint`
and then held to the conventions of Brown, Cai & DasGupta (2001):

* every bound lies in [0, 1] (Agresti–Coull is clipped);
* at ``k = 0`` the lower bound is exactly 0 and at ``k = n`` the upper bound
  is exactly 1, for every method (for Jeffreys this is BCD's modification;
  for Clopper–Pearson and Wilson it is the exact value);
* ``n = 0`` (no decided cases) gives ``estimate = NaN`` and the vacuous
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
from statsmodels.stats.proportion import proportion_confint

from .._validate import check_k_n, check_level
from ..errors import DataError

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


def _index_of(*values, size: int) -> pd.Index:
    for v in values:
        if isinstance(v, pd.Series) and len(v) == size:
            return v.index
    return pd.RangeIndex(size)


def binomial_ci(k, n, level=0.95, method="wilson", alternative="two-sided") -> pd.DataFrame:
    """Confidence interval for the rate *k* / *n*, vectorised over units.

    Parameters
    ----------
    k, n : int, array-like or Series
        Reversed (omgjort) and decided (realitetsbehandlede) cases. Checked
        with :func:`danmark.validate.check_k_n`; shapes broadcast.
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
        Columns ``k``, ``n``, ``estimate`` (k/n, NaN only when n = 0),
        ``lower``, ``upper``. The index is the Series index when *k* or *n*
        is a Series, else 0, 1, ...

    Raises
    ------
    DataError
        Bad counts, a level outside (0, 1), an unknown method or alternative.

    Examples
    --------
    >>> binomial_ci([10, 0], [14, 20]).round(4)
        k   n  estimate   lower   upper
    0  10  14    0.7143  0.4535  0.8828
    1   0  20    0.0000  0.0000  0.1611
    >>> binomial_ci(0, 15, method="exact", alternative="smaller").round(4)
       k   n  estimate  lower   upper
    0  0  15       0.0    0.0  0.1810
    """
    k_arr, n_arr = check_k_n(k, n)
    level = check_level(level)
    key = str(method).lower() if isinstance(method, str) else None
    if key not in _METHODS:
        raise DataError(f"unknown method {method!r}; use one of 'wilson', 'jeffreys', 'exact', 'agresti_coull'")
    alt = _ALTERNATIVES.get(str(alternative).lower()) if isinstance(alternative, str) else None
    if alt is None:
        raise DataError(f"unknown alternative {alternative!r}; use 'two-sided', 'larger' or 'smaller'")

    k_arr = np.atleast_1d(k_arr).ravel()
    n_arr = np.atleast_1d(n_arr).ravel()
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
    index = _index_of(k, n, size=size)
    return pd.DataFrame(
        {"k": k_arr, "n": n_arr, "estimate": estimate, "lower": lower, "upper": upper},
        index=index,
    )


def audit_bound(errors, reviewed, level=0.95) -> pd.DataFrame:
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
    errors, reviewed : int, array-like or Series
        Errors found and cases reviewed (``reviewed`` must be positive).
    level : float
        One-sided confidence level in (0, 1).

    Returns
    -------
    DataFrame
        Columns ``errors``, ``reviewed``, ``estimate`` (errors / reviewed),
        ``upper_exact``, ``rule_of_three``, ``level``.

    Examples
    --------
    >>> audit_bound([0, 1], 15).round(3)
       errors  reviewed  estimate  upper_exact  rule_of_three  level
    0       0        15     0.000        0.181          0.200   0.95
    1       1        15     0.067        0.279            NaN   0.95
    """
    e_arr, r_arr = check_k_n(errors, reviewed, k_name="errors", n_name="reviewed")
    level = check_level(level)
    e_arr = np.atleast_1d(e_arr).ravel()
    r_arr = np.atleast_1d(r_arr).ravel()
    if (r_arr == 0).any():
        pos = int(np.flatnonzero(r_arr == 0)[0])
        raise DataError("reviewed must be positive: no cases reviewed gives no bound", row=pos, column="reviewed")
    e = e_arr.astype(float)
    r = r_arr.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        upper = np.where(e < r, special.betaincinv(e + 1.0, np.maximum(r - e, 1e-300), level), 1.0)
    rule = np.where(e == 0, -np.log1p(-level) / r, np.nan)
    index = _index_of(errors, reviewed, size=e_arr.size)
    return pd.DataFrame(
        {
            "errors": e_arr,
            "reviewed": r_arr,
            "estimate": e / r,
            "upper_exact": upper,
            "rule_of_three": rule,
            "level": level,
        },
        index=index,
    )

