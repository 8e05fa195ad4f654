"""The numerics behind :func:`danmark.hierarchical`: the log posterior of the hyperparameters,
the adaptive grid over (logit mean, log strength), the mixing grid and its smoothed components.

Package-private (the leading underscore): its functions have public names for
:mod:`danmark.stats.hierarchical_model`, the one module that uses them.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import special

from .._special import STIRLING_FROM, log_rising
from ..errors import DataError

_LOG_CUT = math.log(1e-6)  # the grid covers density > 1e-6 x max
_X_LIMITS = (-30.0, 30.0)
_Z_LIMITS = (-25.0, 60.0)
#: grid cells x units per block of work
CHUNK = 2_000_000
#: a mixture-CDF error below this makes the next Halley step the quantile search's last
HALLEY_DONE = 1e-4


def make_logpost(ku, nu, cu):
    """Unnormalised log p(x, z | y) for x = log(α/β), z = log(α+β)."""

    total = cu.sum()

    def loglik(a, b, S):
        """Σ_u c_u log[B(a + k_u, b + n_u - k_u) / B(a, b)] for cells (a, b, S = a + b)."""
        ll = np.zeros(a.size)
        # moderate α+β: log Γ(a) etc. once per cell, log Γ(a + k_u) per cell and unit
        small = S <= STIRLING_FROM
        if small.any():
            a_s, b_s, S_s = a[small], b[small], S[small]
            Su, si = np.unique(S_s, return_inverse=True)  # grids share α+β along rows
            part = np.zeros(a_s.size)
            step = max(1, CHUNK // max(a_s.size, 1))
            for i in range(0, ku.size, step):
                kk = ku[i : i + step][None, :]
                nn = nu[i : i + step][None, :]
                cc = cu[i : i + step]
                part += (special.gammaln(a_s[:, None] + kk) + special.gammaln(b_s[:, None] + (nn - kk))) @ cc
                part -= (special.gammaln(Su[:, None] + nn) @ cc)[si]
            part -= total * (special.gammaln(a_s) + special.gammaln(b_s) - special.gammaln(S_s))
            ll[small] = part
        # huge α+β: differences of Stirling series, per cell and unit
        big = ~small
        if big.any():
            a_b, b_b, S_b = a[big], b[big], S[big]
            part = np.zeros(a_b.size)
            step = max(1, CHUNK // max(a_b.size, 1))
            for i in range(0, ku.size, step):
                kk = ku[i : i + step][None, :]
                nn = nu[i : i + step][None, :]
                cc = cu[i : i + step]
                part += (
                    log_rising(a_b[:, None], kk) + log_rising(b_b[:, None], nn - kk) - log_rising(S_b[:, None], nn)
                ) @ cc
            ll[big] = part
        return ll

    def logpost(x, z):
        x, z = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(z, dtype=float))
        shape = x.shape
        xf = x.ravel()
        zf = z.ravel()
        S = np.exp(zf)
        a = S * special.expit(xf)
        b = S * special.expit(-xf)
        # log prior (α+β)^(-5/2) plus log Jacobian log α + log β
        out = loglik(a, b, S) - 0.5 * zf + special.log_expit(xf) + special.log_expit(-xf)
        out[~np.isfinite(out)] = -np.inf
        return out.reshape(shape)

    return logpost


def _widen(lo: float, hi: float, idx: np.ndarray, m: int, limits) -> tuple[tuple[float, float], bool]:
    """Extend a grid axis by half its width on each side where mass touches the edge (within *limits*)."""
    width, grew = hi - lo, False
    if idx[0] == 0 and lo > limits[0]:
        lo, grew = lo - width / 2, True
    if idx[-1] == m - 1 and hi < limits[1]:
        hi, grew = hi + width / 2, True
    return (lo, hi), grew


def find_box(logpost, x0, z0, m=25):
    """Box in (x, z) holding every point with density > 1e-6 x max."""
    xlo, xhi = x0 - 3.0, x0 + 3.0
    zlo, zhi = z0 - 4.0, z0 + 6.0
    for _ in range(60):
        xlo, xhi = max(xlo, _X_LIMITS[0]), min(xhi, _X_LIMITS[1])
        zlo, zhi = max(zlo, _Z_LIMITS[0]), min(zhi, _Z_LIMITS[1])
        xs = np.linspace(xlo, xhi, m)
        zs = np.linspace(zlo, zhi, m)
        L = logpost(xs[:, None], zs[None, :])
        top = L.max()
        if not np.isfinite(top):
            raise DataError("hierarchical: the posterior could not be evaluated (check the counts)")
        keep = L >= top + _LOG_CUT
        ix = np.flatnonzero(keep.any(axis=1))
        iz = np.flatnonzero(keep.any(axis=0))
        (xlo, xhi), grow_x = _widen(xlo, xhi, ix, m, _X_LIMITS)
        (zlo, zhi), grow_z = _widen(zlo, zhi, iz, m, _Z_LIMITS)
        if grow_x or grow_z:
            continue
        dx, dz = xs[1] - xs[0], zs[1] - zs[0]
        new = (xs[ix[0]] - dx, xs[ix[-1]] + dx, zs[iz[0]] - dz, zs[iz[-1]] + dz)
        narrow = (ix[-1] - ix[0] + 1) < m // 3 or (iz[-1] - iz[0] + 1) < m // 3
        xlo, xhi, zlo, zhi = new
        if not narrow:
            return xlo, xhi, zlo, zhi
    warnings.warn("hierarchical: the adaptive grid did not settle; results may be inaccurate", stacklevel=3)
    return xlo, xhi, zlo, zhi


def posterior_grid(logpost, box, size):
    """Regular grid over the box; returns centres, log density and cell probabilities."""
    xlo, xhi, zlo, zhi = box
    xs = np.linspace(xlo, xhi, size)
    zs = np.linspace(zlo, zhi, size)
    L = logpost(xs[:, None], zs[None, :])
    w = np.exp(L - L.max())
    return xs, zs, L, w / w.sum()


def mixing_grid(logpost, xs, zs, L, size):
    """Grid for mixing the conditional Betas, adapted row by row.

    Rows in z are spaced at most 0.5 apart and at most one posterior sd of
    log(α+β) (the midpoint rule's error for a smooth density at that spacing
    is of order exp(-2π²) ≈ 3e-9). In each row the x-range is where the conditional density
    of log(α/β) exceeds 1e-8 of that row's maximum (read off the fine grid),
    covered by *size* points: a posterior that narrows at large α+β, as BDA3
    Fig. 5.3 does, stays resolved in every row.
    """
    dxf = xs[1] - xs[0]
    rel = L - L.max(axis=0, keepdims=True)
    keep = rel >= math.log(1e-8)
    first = keep.argmax(axis=0)
    last = xs.size - 1 - keep[::-1].argmax(axis=0)
    lo_f = np.maximum(xs[first] - dxf, xs[0])
    hi_f = np.minimum(xs[last] + dxf, xs[-1])
    zmass = np.exp(L - L.max()).sum(axis=0)
    zmass /= zmass.sum()
    mz = zmass @ zs
    sdz = math.sqrt(max(zmass @ (zs - mz) ** 2, 1e-12))
    dz_target = min(0.5, sdz / 1.5)
    nz = int(np.clip(math.ceil((zs[-1] - zs[0]) / dz_target) + 1, size, 8 * size))
    zm = np.linspace(zs[0], zs[-1], nz)
    j = np.clip(np.searchsorted(zs, zm), 1, zs.size - 1)
    lo = np.minimum(lo_f[j - 1], lo_f[j])
    hi = np.maximum(hi_f[j - 1], hi_f[j])
    u = np.linspace(0.0, 1.0, size)
    Xm = lo[:, None] + (hi - lo)[:, None] * u[None, :]
    Zm = np.broadcast_to(zm[:, None], Xm.shape)
    dxm = np.broadcast_to(((hi - lo) / (size - 1))[:, None], Xm.shape)
    Lm = logpost(Xm, Zm) + np.log(dxm)
    w = np.exp(Lm - Lm.max()).ravel()
    w /= w.sum()
    order = np.argsort(w)
    keep = np.ones(w.size, dtype=bool)
    keep[order[np.cumsum(w[order]) < 1e-9]] = False  # drop cells holding 1e-9 in all
    dzm = zm[1] - zm[0]
    return (
        Xm.ravel()[keep],
        np.asarray(Zm).ravel()[keep],
        w[keep] / w[keep].sum(),
        np.asarray(dxm).ravel()[keep],
        np.full(int(keep.sum()), dzm),
    )


def smoothed_betas(a, b, dx, dz, k, n):
    """Conditional Betas of θ per mixing cell, widened by the spread within the cell.

    At large α+β a conditional Beta is far narrower than the step between
    neighbouring cells, so a mixture of point-like components has a
    staircase CDF and its quantiles converge slowly. Each component keeps
    its mean m = (α+k)/(α+β+n) but its variance v gets v_c² / (v_c + v),
    where v_c is the variance of m over the cell (uniform in x and z): a
    fourth-order change where the Betas are wide, the full cell spread where
    they are spikes. Arrays are (cells, 1) against (1, units).
    """
    S = a + b
    N = S + n
    m = (a + k) / N
    mu1 = a * b / S  # S μ(1-μ)
    dmdx = mu1 / N
    dmdz = (a * n - k * S) / N**2
    v_cell = ((dmdx * dx) ** 2 + (dmdz * dz) ** 2) / 12.0
    v_beta = m * (1.0 - m) / (N + 1.0)
    rho = v_cell / v_beta
    c = (N + 1.0) / (1.0 + rho * rho / (1.0 + rho)) - 1.0
    return m * c, (1.0 - m) * c


def refine_mode(L, xs, zs):
    """Maximum of the log density: a quadratic through the best grid point's 3 x 3 block."""
    i, j = np.unravel_index(int(np.argmax(L)), L.shape)
    i = min(max(i, 1), xs.size - 2)
    j = min(max(j, 1), zs.size - 2)
    dx, dz = xs[1] - xs[0], zs[1] - zs[0]
    u, v = np.meshgrid([-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0], indexing="ij")
    block = L[i - 1 : i + 2, j - 1 : j + 2].ravel()
    if not np.all(np.isfinite(block)):
        return xs[i], zs[j]
    design = np.column_stack([np.ones(9), u.ravel(), v.ravel(), u.ravel() ** 2, u.ravel() * v.ravel(), v.ravel() ** 2])
    c = np.linalg.lstsq(design, block, rcond=None)[0]
    H = np.array([[2 * c[3], c[4]], [c[4], 2 * c[5]]])
    if np.all(np.linalg.eigvalsh(H) < 0):
        du, dv = np.linalg.solve(H, -c[1:3])
        if abs(du) <= 1 and abs(dv) <= 1:
            return xs[i] + du * dx, zs[j] + dv * dz
    return xs[i], zs[j]


def marginal_quantiles(centres, weights, probs):
    h = centres[1] - centres[0]
    edges = np.concatenate([[centres[0] - h / 2], centres + h / 2])
    cdf = np.concatenate([[0.0], np.cumsum(weights)])
    return np.interp(probs, cdf / cdf[-1], edges)


def weighted_quantile(values, weights, probs):
    order = np.argsort(values, kind="stable")
    v = values[order]
    w = weights[order]
    cw = np.cumsum(w) - 0.5 * w
    return np.interp(probs, cw, v)


def alpha_beta(x, z):
    S = np.exp(z)
    return S * special.expit(x), S * special.expit(-x)
