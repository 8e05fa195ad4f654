"""The Kiefer–Wolfowitz NPMLE of a prior on a grid, solved to its optimum with a certificate.

Given binomial counts (k_i, n_i) with multiplicities c_i (N = Σ c_i) and
candidate rates θ_1 < … < θ_m, the NPMLE maximises the concave

    ℓ(w) = Σ_i c_i log Σ_j w_j L_ij,   L_ij = θ_j^k_i (1 − θ_j)^(n_i − k_i),   w ≥ 0, Σ w = 1.

Its optimality (KKT) condition is D_j(w) = (1/N) Σ_i c_i L_ij / (L w)_i ≤ 1 for
every j, with equality where w_j > 0; and by concavity ℓ(w*) − ℓ(w) ≤ N ·
(max_j D_j(w) − 1) for *every* w, so ``gap = max_j D_j − 1`` is a duality-gap
certificate (relative, per unit). :func:`mixsqp` is the sequential quadratic
programming method of Kim, Carbonetto & Stephens (2020, *J. Comput. Graph.
Stat.* 29:261; R's ``mixsqp``): each step minimises the second-order model
of −ℓ/N + Σ w over w ≥ 0 by an active-set method, then a backtracking line
search; it stops when ``gap <= tol``. :func:`npmle_em` (EM with SQUAREM
acceleration) is only the fallback.

:func:`npmle_grid` places the candidate rates: a grid equally spaced on the
logit scale, made finer wherever a unit's likelihood is narrower than the
grid's spacing (large n), so the grid resolves every unit.

The small matrix products run with one BLAS thread (``threadpoolctl``): on a
busy machine, threads fighting over two cores make them many times slower
and change nothing in the answer.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy import sparse, special

__all__ = ["MixSQPResult", "likelihood_matrix", "mixsqp", "npmle_em", "npmle_grid", "solve_npmle", "support_runs"]

#: likelihood entries below this fraction of their row's largest are dropped (they change no sum by more
#: than ~1e-13); the rows of large n then make a sparse matrix
_DROP = 1e-15


class MixSQPResult(NamedTuple):
    """What :func:`mixsqp` returns: weights on the grid and their certificate."""

    weights: np.ndarray
    loglik: float  # Σ c_i log (L w)_i of the (row-scaled) matrix given
    gap: float  # max_j D_j(w) − 1: the relative duality gap
    gradient: np.ndarray  # D_j(w) for every grid point
    iterations: int
    converged: bool


def likelihood_matrix(k, n, theta):
    """Row-scaled binomial likelihoods L_ij / max_j L_ij (dense, or sparse CSR when mostly zero) and log max_j.

    Examples
    --------
    >>> L, shift = likelihood_matrix(np.array([1.0]), np.array([2.0]), np.array([0.25, 0.5]))
    >>> np.round(L, 3).tolist(), np.round(np.exp(shift), 3).tolist()
    ([[0.75, 1.0]], [0.25])
    """
    inside = (theta > 0) & (theta < 1)
    if inside.all():
        L = k[:, None] * np.log(theta) + (n - k)[:, None] * np.log1p(-theta)
    else:
        with np.errstate(divide="ignore"):
            L = special.xlogy(k[:, None], theta[None, :]) + special.xlog1py((n - k)[:, None], -theta[None, :])
    shift = L.max(axis=1)
    L -= shift[:, None]
    np.exp(L, out=L)
    L[L < _DROP] = 0.0
    if np.count_nonzero(L) < 0.3 * L.size:
        return sparse.csr_matrix(L), shift
    return L, shift


class _Hessian:
    """H(r2) = L' diag(r2) L, the curvature of the mix-SQP model, for one L and many r2.

    Each row of L is non-zero on one stretch of the grid (its likelihood), so
    the rows, sorted by where that stretch lies, are cut into blocks and each
    block adds only to its own square of H: units × (its stretch)² products
    instead of units × grid².
    """

    def __init__(self, L, blocks=24):
        self.L = L
        self.parts = None
        if sparse.issparse(L) or L.shape[0] < 4 * blocks or L.shape[1] < 64:
            return
        nz = L > 0
        first = np.argmax(nz, axis=1)
        last = L.shape[1] - 1 - np.argmax(nz[:, ::-1], axis=1)
        order = np.argsort(first + last, kind="stable")
        self.parts = []
        for rows in np.array_split(order, blocks):
            lo, hi = int(first[rows].min()), int(last[rows].max()) + 1
            self.parts.append((rows, lo, hi, np.ascontiguousarray(L[np.ix_(rows, np.arange(lo, hi))])))

    def __call__(self, r2):
        L = self.L
        if sparse.issparse(L):
            return (L.T @ sparse.diags(r2) @ L).toarray()
        if self.parts is None:
            A = L * np.sqrt(r2)[:, None]
            return A.T @ A
        H = np.zeros((L.shape[1], L.shape[1]))
        for rows, lo, hi, block in self.parts:
            A = block * np.sqrt(r2[rows])[:, None]
            H[lo:hi, lo:hi] += A.T @ A
        return H


def _active_set_qp(H, b, *, tol, max_iter):
    """min ½ y'Hy + b'y over y >= 0, by a primal active-set method from y = 0.

    Each pass solves the problem on the free set exactly; a solution with a
    negative part steps back to the boundary, otherwise the most negative
    gradient outside the free set joins it (Lawson–Hanson).
    """
    m = b.size
    y = np.zeros(m)
    free: list[int] = []
    scale = max(float(np.max(np.abs(b))), 1.0)
    for _ in range(max_iter):
        if free:
            H_ff = H[np.ix_(free, free)]
            ridge = 1e-13 * float(np.max(np.diag(H_ff)))
            try:
                z = np.linalg.solve(H_ff + ridge * np.eye(len(free)), -b[free])
            except np.linalg.LinAlgError:
                z = np.linalg.lstsq(H_ff, -b[free], rcond=None)[0]
            if np.any(z <= 0):
                yf = y[free]
                bad = z <= 0
                step = float(np.min(yf[bad] / (yf[bad] - z[bad])))
                yf = yf + step * (z - yf)
                keep = yf > 1e-300
                keep[np.flatnonzero(bad)[np.argmin(yf[bad])]] = False  # the blocking variable leaves
                y[free] = np.where(keep, yf, 0.0)
                free = [j for j, kept in zip(free, keep, strict=True) if kept]
                continue
            y[free] = z
            grad = H[:, free] @ z + b
        else:
            grad = b
        out = np.ones(m, dtype=bool)
        out[free] = False
        if not out.any():
            break
        j = int(np.flatnonzero(out)[np.argmin(grad[out])])
        if grad[j] >= -tol * scale:
            break
        free.append(j)
    return y


def mixsqp(L, counts=None, x0=None, *, tol=1e-8, max_iter=300) -> MixSQPResult:
    """Maximise Σ_i c_i log (L w)_i over the simplex by mix-SQP; stop at relative duality gap *tol*.

    Parameters
    ----------
    L : (units, grid) array or sparse matrix
        Non-negative likelihoods, every row with a positive entry.
    counts : (units,) array, optional
        Multiplicities c_i (default all 1).
    x0 : (grid,) array, optional
        Starting weights (default: ten EM steps from uniform weights); zeros stay reachable.

    Examples
    --------
    >>> L = np.array([[1.0, 0.2], [0.3, 1.0], [1.0, 0.1]])
    >>> res = mixsqp(L)
    >>> res.weights.round(4).tolist(), res.converged, res.gap <= 1e-8
    ([0.8937, 0.1063], True, True)
    """
    from threadpoolctl import threadpool_limits

    m = L.shape[1]
    c = np.ones(L.shape[0]) if counts is None else np.asarray(counts, dtype=float)
    total = float(c.sum())
    if x0 is None:  # ten EM steps from uniform weights: the SQP then needs a third of the iterations
        x = np.full(m, 1.0 / m)
        with threadpool_limits(1):
            for _ in range(10):
                x = x * np.asarray(L.T @ (c / (L @ x))) / total
    else:  # a warm start; a little of every grid point so that every row starts with a positive likelihood
        x = np.maximum(np.asarray(x0, dtype=float), 0.0)
        x = (1.0 - 1e-6) * x / x.sum() + 1e-6 / m
    with threadpool_limits(1):
        hessian = _Hessian(L)

        def objective(v):
            d = L @ v
            if np.any(d <= 0):
                return math.inf
            return -float(c @ np.log(d)) / total + float(v.sum())

        f = objective(x)
        for it in range(1, max_iter + 1):  # noqa: B007  (returned: the number of iterations)
            d = L @ x
            u = c / (d * total)
            D = np.asarray(L.T @ u)
            s = float(x.sum())
            gap = float(D.max()) * s - 1.0
            if gap <= tol:
                break
            y = _active_set_qp(hessian(u / d), 1.0 - 2.0 * D, tol=1e-3 * tol, max_iter=4 * m + 50)
            p = y - x
            slope = float((1.0 - D) @ p)
            step = 1.0
            while step > 1e-12:
                f_new = objective(x + step * p)
                if f_new <= f + 0.01 * step * slope:
                    break
                step *= 0.5
            else:
                # below double precision the objective cannot show the descent: the certificate decides
                trial = np.maximum(x + p, 0.0)
                d_t = L @ trial
                if np.any(d_t <= 0) or float(np.max(L.T @ (c / (d_t * total)))) * float(trial.sum()) - 1.0 >= gap:
                    break
                step, f_new = 1.0, objective(trial)
            x = np.maximum(x + step * p, 0.0)
            f = f_new
        w = x / x.sum()
        d = L @ w
        D = np.asarray(L.T @ (c / (d * total)))
        gap = float(D.max()) - 1.0
        return MixSQPResult(w, float(c @ np.log(d)), gap, D, it, gap <= tol)


def npmle_em(k, n, theta, counts=None, *, max_iter=10000, tol=1e-5, accelerate=True):
    """EM for the weights of a grid prior; returns (weights, loglik without binomial coefficients, iterations).

    With *accelerate*, each step is a SQUAREM extrapolation of two EM steps
    (Varadhan & Roland 2008), kept only when it does not lower the likelihood.
    Stops when the Kiefer–Wolfowitz condition holds to *tol* (max_j D_j ≤ 1 +
    tol); past *max_iter* the weights are returned as they are. A first-order
    method, slow near the optimum: danmark uses it only when :func:`mixsqp`
    fails.
    """
    counts = np.ones(k.size) if counts is None else counts
    L, shift = likelihood_matrix(k, n, theta)
    total = counts.sum()
    const = float(counts @ shift)

    def loglik(w):
        return float(counts @ np.log(np.maximum(L @ w, 1e-300))) + const

    def grad(w):  # (1/N) Σ_i L_i(θ) / f_i: EM multiplies w by it, and its maximum is 1 at the optimum
        return (L.T @ (counts / np.maximum(L @ w, 1e-300))) / total

    w = np.full(theta.size, 1.0 / theta.size)
    for it in range(1, max_iter + 1):  # noqa: B007  (returned: the number of iterations)
        g = grad(w)
        if g.max() - 1.0 < tol:
            break
        w1 = w * g
        if accelerate:
            w2 = w1 * grad(w1)
            r, v = w1 - w, w2 - 2.0 * w1 + w
            alpha = min(-math.sqrt(float(r @ r) / max(float(v @ v), 1e-300)), -1.0)
            # floored above 0: a weight set to exactly 0 could never come back under EM's multiplicative steps
            wx = np.clip(w - 2.0 * alpha * r + alpha * alpha * v, 1e-12 / w.size, None)
            wx /= wx.sum()
            wx = wx * grad(wx)
            w = wx if loglik(wx) >= loglik(w2) else w2
        else:
            w = w1
    return w, loglik(w), it


def npmle_grid(k, n, grid_size=200, *, resolution=0.5, max_points=4000) -> np.ndarray:
    """Candidate rates for the NPMLE: *grid_size* points equally spaced in logit, refined where the data need it.

    Between the smallest and largest plausible rates (half the smallest
    non-zero raw rate, or half of 0.5 / max n, and symmetrically at 1). Each
    grid cell within six standard errors of a unit's rate gets points no
    farther apart than *resolution* × that unit's standard error
    √(p(1 − p)/n), so no unit's likelihood falls between grid points; at most
    *max_points* in all (the resolution is coarsened to fit).

    Examples
    --------
    >>> k, n = np.array([3.0, 9.0]), np.array([20.0, 30.0])
    >>> npmle_grid(k, n, 5).size, npmle_grid(k, n, 200).size   # 5 points are too coarse for n = 30
    (25, 200)
    >>> npmle_grid(k * 10_000, n * 10_000, 200).size           # n = 300,000 needs more than 200
    481
    """
    raw = k / n
    half = 0.5 / n.max()
    lo = max(min(raw[raw > 0].min() if (raw > 0).any() else half, half) / 2.0, 1e-6)
    hi = 1.0 - max(min((1 - raw[raw < 1]).min() if (raw < 1).any() else half, half) / 2.0, 1e-6)
    base = special.expit(np.linspace(special.logit(lo), special.logit(hi), int(grid_size)))
    if base.size < 2:
        return base
    p = (k + 0.5) / (n + 1.0)
    sd = np.sqrt(p * (1.0 - p) / n)
    width = np.diff(base)
    a = np.clip(np.searchsorted(base, raw - 6.0 * sd) - 1, 0, width.size - 1)
    b = np.clip(np.searchsorted(base, raw + 6.0 * sd), 0, width.size - 1)
    narrow = resolution * sd < np.maximum(width[a], width[b])
    need = np.full(width.size, np.inf)
    if narrow.any():
        a, b, s = a[narrow], b[narrow], sd[narrow]
        lengths = b - a + 1
        cells = np.repeat(a, lengths) + (np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths))
        np.minimum.at(need, cells, np.repeat(s, lengths))
    extra = np.zeros(width.size)
    finite = np.isfinite(need)
    for factor in (1.0, 2.0, 4.0, 8.0, 16.0, 64.0, 256.0):
        extra[finite] = np.ceil(width[finite] / (factor * resolution * need[finite])) - 1.0
        extra = np.maximum(extra, 0.0)
        if base.size + extra.sum() <= max_points:
            break
    if not extra.any():
        return base
    pieces = [base[:1]]
    for j in range(width.size):
        e = int(extra[j])
        pieces.append(np.linspace(base[j], base[j + 1], e + 2)[1:])
    return np.concatenate(pieces)


def support_runs(weights, gradient=None, *, active=1e-6, floor=1e-9) -> int:
    """Number of support points: runs of adjacent grid points where the optimality condition is active.

    With the KKT gradient D (from :func:`mixsqp`), a run is a maximal stretch of
    grid points with D_j ≥ 1 − *active* that carries weight above *floor*;
    adjacent points of one run are one atom smeared over the grid. Without it
    (a hand-made prior), the points with positive weight.

    Examples
    --------
    >>> support_runs(np.array([0.5, 0.0, 0.3, 0.2]))
    3
    >>> support_runs(np.array([0.5, 0.0, 0.3, 0.2]), np.array([1.0, 0.9, 1.0, 1.0]))
    2
    """
    w = np.asarray(weights, dtype=float)
    if gradient is None:
        return int(np.count_nonzero(w > 0))
    on = np.asarray(gradient) >= 1.0 - active
    starts = np.flatnonzero(on & ~np.r_[False, on[:-1]])
    ends = np.flatnonzero(on & ~np.r_[on[1:], False])
    return int(sum(w[s : e + 1].sum() > floor for s, e in zip(starts, ends, strict=True)))


def solve_npmle(k, n, counts, theta, *, tol=1e-8, rounds=6, max_iter=300, gain=1e-3):
    """The NPMLE's weights on *theta*, refined around its support; returns (theta, result, log-likelihood shift).

    After :func:`mixsqp` on the grid, the midpoint of every grid interval next
    to a support point is tried: where the optimality condition fails there
    (D > 1 + *tol*: a better support point lies between the grid's), the
    midpoint joins the grid and the weights are solved again, up to *rounds*
    times or until a round gains less than *gain* in log-likelihood. A
    re-solve works on the support, the new points and their neighbours, and
    adds any grid point that then breaks the optimality condition until none
    does (column generation), so the certificate holds on the whole grid.
    The returned *theta* is unsorted; the log-likelihood is ``result.loglik +
    counts @ shift`` (without the binomial coefficients).

    Examples
    --------
    >>> k, n = np.array([1.0, 9.0, 5.0]), np.array([10.0, 10.0, 10.0])
    >>> theta, res, shift = solve_npmle(k, n, np.ones(3), np.linspace(0.05, 0.95, 19))
    >>> res.converged, bool(res.gap <= 1e-8)
    (True, True)
    """
    from threadpoolctl import threadpool_limits

    L, shift = likelihood_matrix(k, n, theta)
    res = mixsqp(L, counts, tol=tol, max_iter=max_iter)
    total = float(counts.sum())
    is_sparse = sparse.issparse(L)
    if is_sparse:
        L = L.tocsc()
    for _ in range(rounds):
        if not res.converged:
            break
        order = np.argsort(theta, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(order.size)
        on = rank[res.weights > 0]
        left = np.unique(np.concatenate([on - 1, on]))
        left = left[(left >= 0) & (left < theta.size - 1)]
        mids = (theta[order[left]] + theta[order[left + 1]]) / 2.0
        with threadpool_limits(1):
            extra = _columns_like(k, n, mids, shift, is_sparse)
            D = np.asarray(extra.T @ (counts / ((L @ res.weights) * total))).ravel()
        new = np.flatnonzero(D > 1.0 + tol)
        if not new.size:
            break
        m = theta.size
        theta = np.concatenate([theta, mids[new]])
        L = sparse.hstack([L, extra[:, new]], format="csc") if is_sparse else np.hstack([L, extra[:, new]])
        near = np.concatenate([order[np.clip(np.concatenate([on - 1, on, on + 1]), 0, m - 1)],
                               m + np.arange(new.size)])
        refined = _reduced(L, counts, np.unique(near), np.concatenate([res.weights, np.zeros(new.size)]),
                           tol=tol, max_iter=max_iter)
        if not refined.converged:  # keep the last certified solution (on the grid without the new points)
            theta, L = theta[:m], L[:, :m]
            break
        before, res = res.loglik, refined
        if res.loglik - before < gain:
            break
    return theta, res, shift


def _reduced(L, counts, cols, x0, *, tol, max_iter):
    """mix-SQP on the columns *cols*, grown by the grid points that break the condition, certified on all of L."""
    from threadpoolctl import threadpool_limits

    total = float(counts.sum())
    for _ in range(50):
        sub = mixsqp(L[:, cols], counts, x0=x0[cols], tol=tol, max_iter=max_iter)
        w = np.zeros(L.shape[1])
        w[cols] = sub.weights
        with threadpool_limits(1):
            d = L @ w
            D = np.asarray(L.T @ (counts / (d * total))).ravel()
        gap = float(D.max()) - 1.0
        if not sub.converged or gap <= tol:
            break
        bad = np.flatnonzero(D > 1.0 + tol)
        cols = np.union1d(cols, bad[np.argsort(-D[bad])][:20])
        x0 = w
    return MixSQPResult(w, float(counts @ np.log(d)), gap, D, sub.iterations, sub.converged and gap <= tol)


def _columns_like(k, n, theta, shift, as_sparse):
    """Likelihood columns for extra rates *theta*, scaled by the rows' existing *shift*."""
    with np.errstate(divide="ignore"):
        logL = special.xlogy(k[:, None], theta[None, :]) + special.xlog1py((n - k)[:, None], -theta[None, :])
    L = np.exp(logL - shift[:, None])
    L[L < _DROP] = 0.0
    return sparse.csr_matrix(L) if as_sparse else L
