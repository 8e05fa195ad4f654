"""Funnel plots: control limits around a target rate, and which units fall outside.

A funnel plot shows each kommune's omgørelsesprocent against its number of
cases, with control limits that narrow as the number of cases grows
(Spiegelhalter 2005). A point outside the 95 % limits is expected for about
one unit in twenty by chance alone; outside the 99.8 % limits for about one in
five hundred.

Three ways to draw the limits around a target proportion, the ``reference``
(written p0 in the formulas below):

``"exact"``
    Binomial quantiles with Spiegelhalter's interpolation for discrete counts
    (Spiegelhalter 2005, appendix A.1.1): with ``r`` the smallest count whose
    binomial CDF reaches the tail probability ``q``, the limit is
    ``(r - a) / n`` with ``a = (F(r) - q) / (F(r) - F(r - 1))``, which is where
    the CDF, drawn as straight lines between whole counts, crosses ``q``.
``"wilson"``
    The proportion at denominator ``n`` whose Wilson score interval just
    touches ``p0``: PHE's method (PHEindicatormethods, ``calculate_funnel_limits``,
    ``sigma_adjustment``), reproduced to 6 decimals in the tests.
``"normal"``
    ``p0 ± z·sqrt(p0(1 - p0)/n)``.

All limits are clipped to [0, 1]. A level ``L`` means two-sided limits at the
tail probabilities ``(1 - L)/2`` and ``(1 + L)/2``, so 0.95 ↔ z = 1.96 and
0.998 ↔ z = 3.09.

Over-dispersion (more spread between units than binomial noise allows, e.g.
because case mix differs) is handled as in Spiegelhalter (2005, §6) and
FunnelPlotR: :func:`overdispersion_fit` estimates φ from 10 % Winsorised
z-scores and τ² by DerSimonian–Laird; ``"multiplicative"`` widens the limits by
``sqrt(φ)`` (only when φ > 1), ``"additive"`` replaces the binomial variance
``s² = p0(1 - p0)/n`` by ``s² + τ²``. For ``"normal"`` this gives
``p0 ± z·sqrt(φ s²)`` and ``p0 ± z·sqrt(s² + τ²)`` exactly; for ``"exact"`` and
``"wilson"`` the distance of each limit from ``p0`` is stretched by the same
factor.

References
----------
Spiegelhalter DJ (2005). Funnel plots for comparing institutional
performance. Statistics in Medicine 24:1185–1202. doi:10.1002/sim.1970
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .._validate import as_counts, check_real
from ..errors import ArgumentError, DataError
from ._funnel_checks import (
    OVERDISPERSION,
    _check_levels,
    _check_method,
    _check_p0,
    _check_trim,
    _from_cases,
    _index_of,
    _level_label,
    _rates,
)
from .overdispersion import _fit

__all__ = ["funnel_limits", "expected_flags", "funnel_flags"]



# --------------------------------------------------------------------------- grid


def _phe_axis(lo: int, hi: int, points: int = 100) -> np.ndarray:
    """Whole denominators from *lo* to *hi*, as PHEindicatormethods lays out its x axis.

    Each step multiplies by the geometric ratio that would still reach *hi* in
    the remaining steps, rounded (half to even, as R's ``round``), and moves
    on by at least one.
    """
    out = [max(1, int(lo))]
    for j in range(2, points + 1):
        prev = out[-1]
        step = round((hi / prev) ** (1 / (points + 1 - j)) * prev)
        out.append(max(int(step), prev + 1))
    return np.asarray(out, dtype=np.int64)


def _denominators(n) -> np.ndarray:
    arr = as_counts(n, "n")
    if arr.ndim == 0:
        top = int(arr)
        if top < 1:
            raise DataError(f"n must be at least 1; got {top}", column="n")
        if top <= 100:
            return np.arange(1, top + 1, dtype=np.int64)
        return _phe_axis(1, top)
    arr = arr.ravel()
    if arr.size == 0:
        raise DataError("n is empty", column="n")
    if (arr < 1).any():
        pos = int(np.flatnonzero(arr < 1)[0])
        raise DataError("n must be at least 1 (a rate needs cases)", row=pos, column="n")
    return arr


# --------------------------------------------------------------------------- limits


def _exact(n: np.ndarray, p0: float, q: float) -> np.ndarray:
    r = stats.binom.ppf(q, n, p0)
    f_r = stats.binom.cdf(r, n, p0)
    f_below = stats.binom.cdf(r - 1, n, p0)
    with np.errstate(invalid="ignore", divide="ignore"):
        a = np.where(f_r > f_below, (f_r - q) / (f_r - f_below), 0.0)
    return (r - a) / n


def _wilson(n: np.ndarray, p0: float, z: float, upper: bool) -> np.ndarray:
    # Observed proportion y at which one end of y's Wilson interval equals p0:
    # (y - a)^2 = c*y*(1 - y) + c^2/4 with c = z^2/n and a = p0(1 + c) - c/2,
    # i.e. (1 + c) y^2 - (2a + c) y + a^2 - c^2/4 = 0; the upper root is where
    # the interval's lower end touches p0 from above.
    n = n.astype(float)
    c = z * z / n
    a = p0 * (1 + c) - c / 2
    b = 2 * a + c
    disc = np.maximum(b * b - 4 * (1 + c) * (a * a - c * c / 4), 0.0)
    sign = 1.0 if upper else -1.0
    return (b + sign * np.sqrt(disc)) / (2 * (1 + c))


def _raw_limits(n: np.ndarray, p0: float, level: float, method: str) -> tuple[np.ndarray, np.ndarray]:
    q = (1 - level) / 2
    if method == "exact":
        return _exact(n, p0, q), _exact(n, p0, 1 - q)
    z = stats.norm.isf(q)
    if method == "wilson":
        return _wilson(n, p0, z, upper=False), _wilson(n, p0, z, upper=True)
    half = z * np.sqrt(p0 * (1 - p0) / n)
    return p0 - half, p0 + half


def _resolve_overdispersion(overdispersion, phi, tau2):
    """Return ("none" | "multiplicative" | "additive", value)."""
    if overdispersion is not None and (not isinstance(overdispersion, str) or overdispersion not in OVERDISPERSION):
        raise ArgumentError(
            f"overdispersion must be None, 'multiplicative' or 'additive'; got {overdispersion!r}",
            column="overdispersion",
        )
    if phi is not None and tau2 is not None:
        raise ArgumentError("give phi (multiplicative) or tau2 (additive), not both", column="phi")
    if overdispersion is None:
        if phi is not None:
            overdispersion = "multiplicative"
        elif tau2 is not None:
            overdispersion = "additive"
        else:
            return "none", None
    if overdispersion == "multiplicative":
        if tau2 is not None:
            raise ArgumentError("multiplicative over-dispersion takes phi, not tau2", column="tau2")
        if phi is None:
            return overdispersion, None
        return overdispersion, check_real(phi, "phi", minimum=0, strict=True)
    if phi is not None:
        raise ArgumentError("additive over-dispersion takes tau2, not phi", column="phi")
    if tau2 is None:
        return overdispersion, None
    return overdispersion, check_real(tau2, "tau2", minimum=0)


def _inflation(n: np.ndarray, p0: float, kind: str, value) -> np.ndarray:
    if kind == "multiplicative":
        return np.full(n.shape, np.sqrt(max(value, 1.0)))
    if kind == "additive":
        s2 = p0 * (1 - p0) / n
        return np.sqrt(1 + value / s2)
    return np.ones(n.shape)


def _limits(n, p0, levels, method, kind, value):
    """Arrays (levels × units) of lower and upper limits, clipped to [0, 1]."""
    factor = _inflation(n, p0, kind, value)
    lower = np.empty((len(levels), n.size))
    upper = np.empty((len(levels), n.size))
    for i, level in enumerate(levels):
        lo, hi = _raw_limits(n, p0, level, method)
        # The interpolated exact quantile can land on the wrong side of p0 when
        # n*p0 (or n*(1 - p0)) is below about 1; keep each limit on its side.
        # This never changes a flag: no whole count lies between the two.
        lo, hi = np.minimum(lo, p0), np.maximum(hi, p0)
        lower[i] = np.clip(p0 - factor * (p0 - lo), 0.0, 1.0)
        upper[i] = np.clip(p0 + factor * (hi - p0), 0.0, 1.0)
    return lower, upper


def _with_attrs(out: pd.DataFrame, p0, method, kind, value) -> pd.DataFrame:
    """The reference as a column; method and any over-dispersion used in ``out.attrs``."""
    out["reference"] = p0
    out.attrs.update(method=method, overdispersion=None if kind == "none" else kind)
    if kind == "multiplicative":
        out.attrs["phi"] = value
    elif kind == "additive":
        out.attrs["tau2"] = value
    return out


def funnel_limits(
    n,
    *,
    reference,
    level=(0.95, 0.998),
    method: str = "exact",
    overdispersion: str | None = None,
    phi: float | None = None,
    tau2: float | None = None,
) -> pd.DataFrame:
    """Control limits around the target proportion *reference* for a range of case counts.

    Parameters
    ----------
    n : int or array of int
        Either the denominators to compute limits at (e.g. every kommune's
        number of cases), or a single largest denominator: then a grid of
        whole denominators from 1 to *n* is used — every integer when
        ``n <= 100``, else 100 roughly geometric steps laid out as
        PHEindicatormethods does.
    reference : float
        Target proportion, strictly between 0 and 1 (e.g. the national rate).
    level : float or sequence of float
        Two-sided coverage of each pair of limits; default 95 % and 99.8 %.
    method : {"exact", "wilson", "normal"}
        See the module description.
    overdispersion : {None, "multiplicative", "additive"}
        Widen the limits for over-dispersion. Needs *phi* or *tau2* (from
        :func:`overdispersion_fit`); passing one of them alone implies the kind.
    phi, tau2 : float, optional
        Dispersion factor φ (used only if > 1) or between-unit variance τ² on
        the proportion scale.

    Returns
    -------
    DataFrame
        Long format, one row per level and denominator (sorted by level, then
        n): ``n``, ``level``, ``lower``, ``upper`` (proportions in [0, 1]),
        ``reference``. ``attrs`` records ``method``, ``overdispersion`` and
        its value (``phi`` or ``tau2``).

    Raises
    ------
    DataError
        For denominators below 1.
    ArgumentError
        For *reference* or a level outside (0, 1), an unknown method, or
        over-dispersion without φ / τ².

    Examples
    --------
    >>> funnel_limits([14, 140], reference=0.36, level=0.95, method="normal").round(3)
         n  level  lower  upper  reference
    0   14   0.95  0.109  0.611       0.36
    1  140   0.95  0.280  0.440       0.36
    >>> funnel_limits([14], reference=0.36, method="exact").round(3)
        n  level  lower  upper  reference
    0  14  0.950  0.081  0.586       0.36
    1  14  0.998  0.000  0.740       0.36
    """
    p0 = _check_p0(reference)
    levels = _check_levels(level)
    method = _check_method(method)
    kind, value = _resolve_overdispersion(overdispersion, phi, tau2)
    if kind != "none" and value is None:
        need = "phi" if kind == "multiplicative" else "tau2"
        raise ArgumentError(
            f"{kind} over-dispersion needs {need}; estimate it with overdispersion_fit(k, n, reference=...) "
            f"or use funnel_flags, which estimates it from the units",
            column=need,
        )
    den = _denominators(n)
    lower, upper = _limits(den, p0, levels, method, kind, value)
    out = pd.DataFrame(
        {
            "n": np.tile(den, len(levels)),
            "level": np.repeat(levels, den.size),
            "lower": lower.ravel(),
            "upper": upper.ravel(),
        }
    )
    return _with_attrs(out, p0, method, kind, value)


# --------------------------------------------------------------------------- flags


def _flag_categories(levels: np.ndarray) -> list[str]:
    wide_first = levels[::-1]
    return (
        [f"below {_level_label(lv)}" for lv in wide_first]
        + ["within"]
        + [f"above {_level_label(lv)}" for lv in levels]
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
    frame, k, n = _from_cases(k, n)
    levels = _check_levels(level)
    method = _check_method(method)
    index = frame.index if frame is not None else _index_of(k, n)
    k_arr, n_arr, p0 = _rates(k, n, reference)
    kind, value = _resolve_overdispersion(overdispersion, phi, tau2)
    if kind != "none" and value is None:
        fit_phi, fit_tau2, _, _ = _fit(k_arr, n_arr, p0, _check_trim(trim))
        value = fit_phi if kind == "multiplicative" else fit_tau2
    lower, upper = _limits(n_arr, p0, levels, method, kind, value)
    rate = k_arr / n_arr
    factor = _inflation(n_arr, p0, kind, value)
    z = (rate - p0) / np.sqrt(p0 * (1 - p0) / n_arr) / factor

    p_upper = stats.binom.sf(k_arr - 1, n_arr, p0)  # P(X >= k | p0)
    p_lower = stats.binom.cdf(k_arr, n_arr, p0)  # P(X <= k | p0)
    flag = np.full(rate.size, "within", dtype=object)
    for i in range(len(levels)):  # narrow to wide: the widest crossed wins
        lab = _level_label(levels[i])
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
    return _with_attrs(out, p0, method, kind, value)


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
    p0 = _check_p0(reference)
    levels = _check_levels(level)
    rows = []
    for level in levels:
        tail = (1 - level) / 2
        # above: the smallest k with P(X >= k) < tail; the chance of reaching it
        q = stats.binom.ppf(1 - tail, n_arr, p0)
        k_up = np.where(stats.binom.cdf(q, n_arr, p0) > 1 - tail, q, q + 1) + 1
        above = stats.binom.sf(k_up - 1, n_arr, p0)
        # below: the largest k with P(X <= k) < tail
        k_lo = stats.binom.ppf(tail, n_arr, p0) - 1
        below = np.where(k_lo >= 0, stats.binom.cdf(k_lo, n_arr, p0), 0.0)
        rows.append({"level": float(level), "units": int(n_arr.size), "expected_above": float(above.sum()),
                     "expected_below": float(below.sum()), "nominal": float(tail * n_arr.size)})
    return pd.DataFrame(rows)
