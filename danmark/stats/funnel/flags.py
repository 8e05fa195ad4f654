"""Which units lie outside the funnel's limits, and how many would by chance alone."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..._special import binom_cdf, binom_ppf, binom_sf
from ..._validate import as_counts
from ...errors import DataError
from ._checks import (
    check_funnel_levels,
    check_method,
    check_reference,
    check_trim,
    from_cases,
    index_of,
    level_label,
    rates,
    resolve_overdispersion,
)
from .limits import inflation, limit_arrays, with_attrs
from .overdispersion import fit_dispersion

__all__ = ["funnel_flags", "expected_flags"]


def _flag_categories(levels: np.ndarray) -> list[str]:
    wide_first = levels[::-1]
    return (
        [f"below {level_label(lv)}" for lv in wide_first]
        + ["within"]
        + [f"above {level_label(lv)}" for lv in levels]
    )


def funnel_flags(
    k,
    n=None,
    *,
    reference=None,
    level=(0.95, 0.998),
    method: str = "exact",
    overdispersion: str | None = None,
    phi: float | None = None,
    tau2: float | None = None,
    trim: float = 0.1,
) -> pd.DataFrame:
    """Say which units lie outside the funnel's control limits.

    Each unit's observed rate ``raw = k/n`` is compared with the limits at its own
    ``n`` (strictly: a rate equal to a limit is inside). The flag names the
    widest limit crossed: ``"above 99.8%"``, ``"above 95%"``, ``"within"``,
    ``"below 95%"``, ``"below 99.8%"`` (for the default levels).

    Parameters
    ----------
    k, n : array-like or Series of int
        Reversed cases (ændret + hjemvist) and cases (realitetsbehandlede) per
        unit. Or pass the tidy DataFrame as *k* (``n`` omitted): ``k`` and
        ``n`` are then derived from ``stadfaestet``, ``aendret``, ``hjemvist``.
    reference : float, optional
        Target proportion; default the pooled rate ``Σk / Σn``.
    level, method, overdispersion, phi, tau2
        As in :func:`funnel_limits`. With *overdispersion* set and no *phi* /
        *tau2*, they are estimated from these units (:func:`overdispersion_fit`).
    trim : float
        Winsorising share for that estimate.

    Returns
    -------
    DataFrame
        Caller's index. For arrays / Series: columns ``k``, ``n``, ``raw``,
        ``z``, ``p_value``, ``flag``, ``reference``. For a DataFrame: the
        caller's columns followed by the same seven (overwriting any of those
        names). ``z`` is ``(raw - p0)/sqrt(p0(1 - p0)/n)`` with p0 the
        reference, divided by the over-dispersion inflation when one is
        applied. ``p_value`` is the exact one-sided binomial tail in the
        direction of the deviation, ``P(X >= k | p0)`` when ``raw >= p0``
        else ``P(X <= k | p0)`` (no over-dispersion). ``flag`` is an ordered
        categorical. ``attrs`` holds ``method`` and any ``phi`` / ``tau2``
        used.

    Notes
    -----
    With ``method="exact"`` (and no over-dispersion) a unit is flagged by the
    exact binomial test, the same way in both directions: above level ``L``
    when ``P(X >= k | p0) < (1 - L)/2`` and below when
    ``P(X <= k | p0) < (1 - L)/2``, so ``flag`` always agrees with
    ``p_value``. The limits :func:`funnel_limits` draws use Spiegelhalter's
    interpolation, which spreads each count ``r`` over ``(r - 1, r]`` to give
    smooth lines; on the high side that line can sit just below a count whose
    tail probability is still above ``(1 - L)/2``, so a point drawn a hair
    above the line may be "within" (e.g. 10 of 14 at p0 = 0.33, where
    ``P(X >= 10) = 0.004``: "above 95%", not "above 99.8%"). Other methods
    compare the rate with the drawn limits.

    Examples
    --------
    >>> out = funnel_flags([10, 30, 3], [14, 90, 20], reference=0.36)
    >>> out[["raw", "flag"]].round(3)
         raw         flag
    0  0.714  above 95%
    1  0.333       within
    2  0.150       within
    """
    frame, k, n = from_cases(k, n)
    levels = check_funnel_levels(level)
    method = check_method(method)
    index = frame.index if frame is not None else index_of(k, n)
    k_arr, n_arr, p0 = rates(k, n, reference)
    kind, value = resolve_overdispersion(overdispersion, phi, tau2)
    if kind != "none" and value is None:
        fit_phi, fit_tau2, _, _ = fit_dispersion(k_arr, n_arr, p0, check_trim(trim))
        value = fit_phi if kind == "multiplicative" else fit_tau2
    lower, upper = limit_arrays(n_arr, p0, levels, method, kind, value)
    rate = k_arr / n_arr
    factor = inflation(n_arr, p0, kind, value)
    z = (rate - p0) / np.sqrt(p0 * (1 - p0) / n_arr) / factor

    p_upper = binom_sf(k_arr - 1, n_arr, p0)  # P(X >= k | p0)
    p_lower = binom_cdf(k_arr, n_arr, p0)  # P(X <= k | p0)
    flag = np.full(rate.size, "within", dtype=object)
    for i in range(len(levels)):  # narrow to wide: the widest crossed wins
        lab = level_label(levels[i])
        if method == "exact" and (kind == "none" or (kind == "multiplicative" and value <= 1)):
            # φ <= 1 leaves the limits unchanged (they only widen), so the flags must not change either
            # the exact test, the same in both directions (see Notes)
            tail = (1 - levels[i]) / 2
            above, below = p_upper < tail, p_lower < tail
        else:
            above, below = rate > upper[i], rate < lower[i]
        flag[above] = f"above {lab}"
        flag[below] = f"below {lab}"
    cat = pd.Categorical(flag, categories=_flag_categories(levels), ordered=True)

    idx = index if index is not None and len(index) == rate.size else None
    p_value = np.where(rate >= p0, p_upper, p_lower)
    cols = {"k": k_arr, "n": n_arr, "raw": rate, "z": z, "p_value": p_value, "flag": cat}
    if frame is not None:
        out = frame.copy()
        for name, col in cols.items():
            out[name] = col
    else:
        out = pd.DataFrame(cols, index=idx)
    return with_attrs(out, p0, method, kind, value)


def expected_flags(n, *, reference, level=(0.95, 0.998)) -> pd.DataFrame:
    """How many units the exact funnel flags would mark by chance alone.

    If every unit's true rate is *reference* (p0), each is flagged above level ``L`` with
    probability ``P(P(X >= k | p0) < (1 - L)/2)``, and likewise below — the
    rule :func:`funnel_flags` uses with ``method="exact"``. With whole counts
    that probability is at most ``(1 - L)/2`` and often much less, so the
    expected number of chance flags is below the nominal ``(1 - L)/2 · units``.

    Parameters
    ----------
    n : array-like of int
        Cases per unit.
    reference : float
        Common true rate.
    level : float or sequence of float

    Returns
    -------
    DataFrame
        One row per level: ``level``, ``units``, ``expected_above``,
        ``expected_below``, and ``nominal`` = ``(1 - level)/2 · units`` (each
        side).

    Examples
    --------
    >>> expected_flags([14, 14, 100], reference=0.4).round(3)
       level  units  expected_above  expected_below  nominal
    0  0.950      3           0.052           0.041    0.075
    1  0.998      3           0.002           0.002    0.003
    """
    n_arr = np.atleast_1d(as_counts(n, "n"))
    if n_arr.size == 0:
        raise DataError("n is empty: give every unit's number of cases", column="n")
    if (n_arr == 0).any():
        raise DataError("every unit needs at least one case (n > 0)", column="n")
    p0 = check_reference(reference)
    levels = check_funnel_levels(level)
    rows = []
    for level in levels:
        tail = (1 - level) / 2
        # above: the smallest k with P(X >= k) < tail; the chance of reaching it
        q = binom_ppf(1 - tail, n_arr, p0)
        k_up = np.where(binom_cdf(q, n_arr, p0) > 1 - tail, q, q + 1) + 1
        above = binom_sf(k_up - 1, n_arr, p0)
        # below: the largest k with P(X <= k) < tail
        k_lo = binom_ppf(tail, n_arr, p0) - 1
        below = np.where(k_lo >= 0, binom_cdf(k_lo, n_arr, p0), 0.0)
        rows.append({"level": float(level), "units": int(n_arr.size), "expected_above": float(above.sum()),
                     "expected_below": float(below.sum()), "nominal": float(tail * n_arr.size)})
    return pd.DataFrame(rows)
