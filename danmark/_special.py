"""Numerics shared by the statistics: log-gamma ratios stable for huge shapes, the
beta-binomial likelihood, the Beta HPD interval and q-values.

Below :mod:`danmark.stats`: the public functions import these, never the other way round.
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = ["STIRLING_FROM", "log_rising", "digamma_diff", "betabinom_loglik_core", "log_choose", "beta_hpd",
           "qvalues"]

#: above this shape the log-gamma ratios use Stirling series (the gammaln difference loses precision)
STIRLING_FROM = 1e5


def log_rising(a, k):
    """log Γ(a + k) − log Γ(a) for a > 0, k >= 0, accurate also for huge a.

    The plain gammaln difference loses all precision once a is ~1e12; above
    1e5 the difference of Stirling series is used instead.

    >>> float(log_rising(2.0, 3.0)) == float(np.log(2 * 3 * 4))
    True
    """
    a, k = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(k, dtype=float))
    big = a > STIRLING_FROM
    if not big.any():
        return special.gammaln(a + k) - special.gammaln(a)
    out = np.empty(a.shape)
    small = ~big
    out[small] = special.gammaln(a[small] + k[small]) - special.gammaln(a[small])
    ab = a[big]
    kb = k[big]
    b = ab + kb
    out[big] = (
        (ab - 0.5) * np.log1p(kb / ab)
        + kb * np.log(b)
        - kb
        + (1.0 / b - 1.0 / ab) / 12.0
        - (1.0 / b**3 - 1.0 / ab**3) / 360.0
    )
    return out


def digamma_diff(a, k):
    """ψ(a + k) − ψ(a), accurate also for huge a.

    >>> round(float(digamma_diff(1.0, 2.0)), 12)  # 1/1 + 1/2
    1.5
    """
    a, k = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(k, dtype=float))
    big = a > STIRLING_FROM
    if not big.any():
        return special.digamma(a + k) - special.digamma(a)
    out = np.empty(a.shape)
    small = ~big
    out[small] = special.digamma(a[small] + k[small]) - special.digamma(a[small])
    ab = a[big]
    kb = k[big]
    b = ab + kb
    out[big] = (
        np.log1p(kb / ab)
        - 0.5 * (1.0 / b - 1.0 / ab)
        - (1.0 / b**2 - 1.0 / ab**2) / 12.0
        + (1.0 / b**4 - 1.0 / ab**4) / 120.0
    )
    return out


def betabinom_loglik_core(a, b, k, n):
    """Beta-binomial log-likelihood per unit without the binomial coefficient.

    >>> round(float(betabinom_loglik_core(1.0, 1.0, 1, 2) + log_choose(2, 1)), 12) == round(float(np.log(1 / 3)), 12)
    True
    """
    return log_rising(a, k) + log_rising(b, n - k) - log_rising(a + b, n)


def log_choose(n, k):
    """log of the binomial coefficient C(n, k).

    >>> round(float(np.exp(log_choose(5, 2))), 9)
    10.0
    """
    return special.gammaln(n + 1.0) - special.gammaln(k + 1.0) - special.gammaln(n - k + 1.0)


def beta_hpd(a, b, level):
    """Highest-posterior-density interval of Beta(a, b), vectorised.

    Decreasing densities (a <= 1 < b) give [0, q(level)], increasing ones
    (b <= 1 < a) give [q(1 - level), 1]. U-shaped or flat densities (a <= 1
    and b <= 1) have no single HPD interval; the equal-tailed one is used.
    Otherwise solve for the lower tail mass p in (0, 1 - level) at which
    the density is equal at both ends, by Newton's method kept inside a
    bracket (the difference of log densities is increasing in p).

    >>> lo, hi = beta_hpd(1.0, 3.0, 0.95)  # decreasing density: starts at 0
    >>> float(lo), round(float(hi), 4)
    (0.0, 0.6316)
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    lo = special.betaincinv(a, b, (1.0 - level) / 2.0)
    hi = special.betaincinv(a, b, (1.0 + level) / 2.0)
    dec = (a <= 1.0) & (b > 1.0)
    inc = (b <= 1.0) & (a > 1.0)
    lo = np.where(dec, 0.0, lo)
    hi = np.where(dec, special.betaincinv(a, b, level), hi)
    lo = np.where(inc, special.betaincinv(a, b, 1.0 - level), lo)
    hi = np.where(inc, 1.0, hi)
    uni = (a > 1.0) & (b > 1.0)
    if not uni.any():
        return lo, hi
    idx = np.flatnonzero(uni)
    aa, bb = a[idx], b[idx]
    p = np.full(idx.size, (1.0 - level) / 2.0)
    p_lo = np.zeros(idx.size)
    p_hi = np.full(idx.size, 1.0 - level)
    x_l, x_u = lo[idx], hi[idx]
    active = np.arange(idx.size)
    for _ in range(100):
        if active.size == 0:
            break
        A, B = aa[active], bb[active]
        xl, xu = x_l[active], x_u[active]
        # an end can round to exactly 0 or 1 for extreme shapes: then g = -inf
        # or +inf and the bracket step below takes over
        with np.errstate(divide="ignore", invalid="ignore"):
            dl = (A - 1.0) * np.log(xl) + (B - 1.0) * np.log1p(-xl)
            du = (A - 1.0) * np.log(xu) + (B - 1.0) * np.log1p(-xu)
        g = dl - du
        pa = p[active]
        p_lo[active] = np.where(g < 0, pa, p_lo[active])
        p_hi[active] = np.where(g > 0, pa, p_hi[active])
        # dg/dp = (log f)'(xl) / f(xl) - (log f)'(xu) / f(xu)
        lbeta = special.betaln(A, B)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            fl = np.exp(dl - lbeta)
            fu = np.exp(du - lbeta)
            sl = (A - 1.0) / xl - (B - 1.0) / (1.0 - xl)
            su = (A - 1.0) / xu - (B - 1.0) / (1.0 - xu)
            step = g / (sl / fl - su / fu)
            new = pa - step
        bad = ~np.isfinite(new) | (new <= p_lo[active]) | (new >= p_hi[active])
        new = np.where(bad, 0.5 * (p_lo[active] + p_hi[active]), new)
        done = (np.abs(g) < 1e-10) | (p_hi[active] - p_lo[active] < 1e-15)
        new = np.where(done, pa, new)
        p[active] = new
        upd = active[~done]
        x_l[upd] = special.betaincinv(aa[upd], bb[upd], p[upd])
        x_u[upd] = special.betaincinv(aa[upd], bb[upd], p[upd] + level)
        active = upd
    lo[idx] = x_l
    hi[idx] = x_u
    return lo, hi


def qvalues(pep: np.ndarray) -> np.ndarray:
    """q-values from posterior error probabilities: the running mean of the sorted ones.

    >>> qvalues(np.array([0.2, 0.0, 0.1])).tolist()
    [0.1, 0.0, 0.05]
    """
    order = np.argsort(pep, kind="stable")
    q = np.empty_like(pep)
    q[order] = np.cumsum(pep[order]) / np.arange(1, pep.size + 1)
    return q
