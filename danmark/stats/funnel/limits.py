"""The smooth control limits of the funnel (see :mod:`danmark.stats.funnel` for the methods)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..._special import binom_cdf, binom_ppf, norm_isf
from ..._validate import as_counts
from ...errors import ArgumentError, DataError
from ._checks import check_funnel_levels, check_method, check_reference, resolve_overdispersion

__all__ = ["funnel_limits"]


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
    r = binom_ppf(q, n, p0)
    f_r = binom_cdf(r, n, p0)
    f_below = binom_cdf(r - 1, n, p0)
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
    z = norm_isf(q)
    if method == "wilson":
        return _wilson(n, p0, z, upper=False), _wilson(n, p0, z, upper=True)
    half = z * np.sqrt(p0 * (1 - p0) / n)
    return p0 - half, p0 + half



def inflation(n: np.ndarray, p0: float, kind: str, value) -> np.ndarray:
    if kind == "multiplicative":
        return np.full(n.shape, np.sqrt(max(value, 1.0)))
    if kind == "additive":
        s2 = p0 * (1 - p0) / n
        return np.sqrt(1 + value / s2)
    return np.ones(n.shape)


def limit_arrays(n, p0, levels, method, kind, value):
    """Arrays (levels × units) of lower and upper limits, clipped to [0, 1]."""
    factor = inflation(n, p0, kind, value)
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


def with_attrs(out: pd.DataFrame, p0, method, kind, value) -> pd.DataFrame:
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
        See :mod:`danmark.stats.funnel`.
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
    p0 = check_reference(reference)
    levels = check_funnel_levels(level)
    method = check_method(method)
    kind, value = resolve_overdispersion(overdispersion, phi, tau2)
    if kind != "none" and value is None:
        need = "phi" if kind == "multiplicative" else "tau2"
        raise ArgumentError(
            f"{kind} over-dispersion needs {need}; estimate it with overdispersion_fit(k, n, reference=...) "
            f"or use funnel_flags, which estimates it from the units",
            column=need,
        )
    den = _denominators(n)
    lower, upper = limit_arrays(den, p0, levels, method, kind, value)
    out = pd.DataFrame(
        {
            "n": np.tile(den, len(levels)),
            "level": np.repeat(levels, den.size),
            "lower": lower.ravel(),
            "upper": upper.ravel(),
        }
    )
    return with_attrs(out, p0, method, kind, value)
