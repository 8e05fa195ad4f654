"""Numerics shared by the statistics: log-gamma ratios stable for huge shapes, the
beta-binomial likelihood, the Beta HPD interval, q-values, and the few distribution
functions the report needs (binomial, normal, Beta, the arcsine normal power).

Below :mod:`danmark.stats`: the public functions import these, never the other way round.

The distribution functions give exactly what :mod:`scipy.stats` (``binom``, ``norm``,
``beta``) and statsmodels' ``NormalIndPower`` give (tests/test_distributions.py checks them
on dense grids), on :mod:`scipy.special` alone: importing ``scipy.stats`` and statsmodels
costs ~0.8 s, more than ``danmark report`` computes. The binomial and Beta functions call
the same Boost kernels ``scipy.stats`` calls, with its edge handling (k < 0, k >= n,
q = 0 or 1, invalid shapes give NaN); a scipy without those kernels gets ``scipy.stats``
itself, imported when first used.
"""

from __future__ import annotations

import numpy as np
from scipy import special

try:  # the kernels scipy.stats.binom and scipy.stats.beta call (scipy.special's compiled ufuncs)
    from scipy.special import _ufuncs as _scipy_ufuncs
except ImportError:  # pragma: no cover - another scipy layout: scipy.stats is used instead
    _scipy_ufuncs = None

__all__ = ["STIRLING_FROM", "log_rising", "digamma_diff", "betabinom_loglik_core", "log_choose", "beta_hpd",
           "qvalues", "binom_cdf", "binom_sf", "binom_ppf", "norm_ppf", "norm_isf", "beta_pdf", "beta_sf", "beta_ppf",
           "arcsine_effect", "normal_power", "normal_nobs"]

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


# --------------------------------------------------------------------------- distributions


def _kernel(name: str):
    """scipy.stats' own compiled kernel *name* (e.g. ``_binom_cdf``), or None in a scipy without it."""
    return getattr(_scipy_ufuncs, name, None)


def _binom_args(k, n, p):
    """k, n, p as broadcast float arrays and where (n, p) are a binomial's parameters (scipy's check)."""
    k, n, p = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (k, n, p)))
    with np.errstate(invalid="ignore"):
        valid = (n >= 0) & (n == np.round(n)) & (p >= 0) & (p <= 1)
    return k, n, p, valid


def binom_cdf(k, n, p):
    """P(X <= k) for X ~ Binomial(n, p): ``scipy.stats.binom.cdf(k, n, p)``.

    >>> float(binom_cdf(1, 2, 0.5)), float(binom_cdf(-1, 2, 0.5)), float(binom_cdf(2, 2, 0.5))
    (0.75, 0.0, 1.0)
    """
    return _binom_tail("cdf", k, n, p, below=0.0, above=1.0)


def binom_sf(k, n, p):
    """P(X > k) for X ~ Binomial(n, p): ``scipy.stats.binom.sf(k, n, p)``.

    >>> float(binom_sf(0, 2, 0.5)), float(binom_sf(-1, 2, 0.5)), float(binom_sf(2, 2, 0.5))
    (0.75, 1.0, 0.0)
    """
    return _binom_tail("sf", k, n, p, below=1.0, above=0.0)


def _binom_tail(which: str, k, n, p, *, below: float, above: float):
    """scipy.stats.binom's *which* ("cdf" or "sf") from its kernel: *below* under the support (k < 0),
    *above* from n on, NaN for an invalid n or p or a NaN k."""
    kernel = _kernel(f"_binom_{which}")
    if kernel is None:  # pragma: no cover - a scipy without the kernel
        from scipy import stats

        return getattr(stats.binom, which)(k, n, p)
    k, n, p, valid = _binom_args(k, n, p)
    out = np.where(k < 0, below, above)
    inside = valid & (k >= 0) & (k < n)
    out[inside] = np.clip(kernel(np.floor(k[inside]), n[inside], p[inside]), 0.0, 1.0)
    out[~valid | np.isnan(k)] = np.nan
    return out[()]


def binom_ppf(q, n, p):
    """The smallest k with P(X <= k) >= q for X ~ Binomial(n, p): ``scipy.stats.binom.ppf(q, n, p)``.

    A float, as scipy's: -1 for q = 0, n for q = 1, NaN for q outside [0, 1].

    >>> float(binom_ppf(0.5, 10, 0.5)), float(binom_ppf(0.0, 10, 0.5)), float(binom_ppf(1.0, 10, 0.5))
    (5.0, -1.0, 10.0)
    """
    kernel = _kernel("_binom_ppf")
    if kernel is None:  # pragma: no cover - a scipy without the kernel
        from scipy import stats

        return stats.binom.ppf(q, n, p)
    q, n, p, valid = _binom_args(q, n, p)
    out = np.full(q.shape, np.nan)
    out[valid & (q == 0)] = -1.0
    edge = valid & (q == 1)
    out[edge] = n[edge]
    inside = valid & (q > 0) & (q < 1)
    out[inside] = kernel(q[inside], n[inside], p[inside])
    return out[()]


def norm_ppf(q):
    """The standard normal quantile: ``scipy.stats.norm.ppf(q)``.

    >>> round(float(norm_ppf(0.975)), 6)
    1.959964
    """
    return special.ndtri(np.asarray(q, dtype=float)) + 0.0  # + 0.0: scipy's loc, so -0.0 becomes 0.0


def norm_isf(q):
    """The standard normal upper quantile: ``scipy.stats.norm.isf(q)``.

    >>> round(float(norm_isf(0.025)), 6)
    1.959964
    """
    return -special.ndtri(np.asarray(q, dtype=float)) + 0.0


def beta_pdf(x, a, b):
    """Density of Beta(a, b) at x: ``scipy.stats.beta.pdf(x, a, b)`` (0 outside [0, 1]).

    >>> float(beta_pdf(0.5, 2.0, 2.0))
    1.5
    """
    kernel = _kernel("_beta_pdf")
    if kernel is None:  # pragma: no cover - a scipy without the kernel
        from scipy import stats

        return stats.beta.pdf(x, a, b)
    x, a, b = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (x, a, b)))
    valid = (a > 0) & (b > 0)
    out = np.zeros(x.shape)
    inside = valid & (x >= 0) & (x <= 1)
    with np.errstate(over="ignore"):
        out[inside] = kernel(x[inside], a[inside], b[inside])
    out[~valid | np.isnan(x)] = np.nan
    return out[()]


def beta_sf(x, a, b):
    """P(X > x) for X ~ Beta(a, b): ``scipy.stats.beta.sf(x, a, b)``.

    >>> float(beta_sf(0.5, 2.0, 2.0)), float(beta_sf(0.0, 2.0, 2.0))
    (0.5, 1.0)
    """
    x, a, b = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (x, a, b)))
    valid = (a > 0) & (b > 0)
    out = np.where(x <= 0, 1.0, 0.0)  # below the support 1, from 1 on 0
    inside = valid & (x > 0) & (x < 1)
    out[inside] = special.betaincc(a[inside], b[inside], x[inside])
    out[~valid | np.isnan(x)] = np.nan
    return out[()]


def beta_ppf(q, a, b):
    """The q quantile of Beta(a, b): ``scipy.stats.beta.ppf(q, a, b)`` (NaN for q outside [0, 1]).

    >>> float(beta_ppf(0.5, 2.0, 2.0)), float(beta_ppf(0.0, 2.0, 2.0)), float(beta_ppf(1.0, 2.0, 2.0))
    (0.5, 0.0, 1.0)
    """
    kernel = _kernel("_beta_ppf")
    if kernel is None:  # pragma: no cover - a scipy without the kernel
        from scipy import stats

        return stats.beta.ppf(q, a, b)
    q, a, b = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (q, a, b)))
    valid = (a > 0) & (b > 0)
    out = np.full(q.shape, np.nan)
    out[valid & (q == 0)] = 0.0
    out[valid & (q == 1)] = 1.0
    inside = valid & (q > 0) & (q < 1)
    out[inside] = kernel(q[inside], a[inside], b[inside])
    return out[()]


def arcsine_effect(p1, p0):
    """Cohen's h = 2·asin(√p1) − 2·asin(√p0): statsmodels' ``proportion_effectsize(p1, p0)``.

    >>> round(float(arcsine_effect(0.6, 0.36)), 6)
    0.485152
    """
    return 2 * (np.arcsin(np.sqrt(p1)) - np.arcsin(np.sqrt(p0)))


def normal_power(effect, nobs, alpha, alternative):
    """Power of the one-sided z-test with standardised *effect* on *nobs* effective observations.

    What statsmodels' ``normal_power`` (behind ``NormalIndPower().power``) computes for
    *alternative* "larger", Φ(effect·√nobs − z₁₋α), and "smaller", Φ(z_α − effect·√nobs).
    One sample (``ratio=0``): nobs = n; two equal groups (``ratio=1``): nobs = 1 / (1/n + 1/n).

    >>> round(float(normal_power(0.5, 25, 0.05, "larger")), 6)
    0.803765
    """
    d = effect * np.sqrt(nobs)
    if alternative == "larger":
        return special.ndtr(-(norm_isf(alpha) - d))
    if alternative == "smaller":
        return special.ndtr(norm_ppf(alpha) - d)
    raise ValueError(f"alternative must be 'larger' or 'smaller', not {alternative!r}")


def normal_nobs(effect, alpha, power, alternative):
    """Effective observations at which :func:`normal_power` equals *power*, in closed form.

    statsmodels' ``NormalIndPower().solve_power`` finds the same root numerically (to its
    tolerance, and not below 2 observations); here ((z₁₋α + z_power) / effect)². NaN when
    *effect* is 0 or points away from *alternative* (no number of observations reaches *power*).

    >>> round(float(normal_nobs(0.5, 0.05, 0.8, "larger")), 4)
    24.7302
    """
    if alternative not in ("larger", "smaller"):
        raise ValueError(f"alternative must be 'larger' or 'smaller', not {alternative!r}")
    z = norm_isf(alpha) + norm_ppf(power) if alternative == "larger" else norm_ppf(alpha) - norm_ppf(power)
    with np.errstate(divide="ignore", invalid="ignore"):
        root = z / np.asarray(effect, dtype=float)
    return np.where(np.isfinite(root) & (root > 0), root * root, np.nan)[()]
