"""Pairwise posterior comparisons and report-card grades (Kline, Rose & Walters 2023).

:func:`pairwise_prob` turns a posterior into the matrix π with π_ij = P(θ_i >
θ_j | data), from joint draws (a :class:`~danmark.HierarchicalResult` or an
array) or exactly, by numerical integration, for independent Beta posteriors
(the empirical-Bayes table of :func:`danmark.shrink`).

:func:`grades` groups the units into ordered grades (1 = highest rate) as in
Kline, Rose & Walters, "A Discrimination Report Card" (arXiv 2306.13005,
2023; American Economic Review 2024): a grading is a weak order of the units,
and it is chosen to maximise

    λ · E[pairs put in the right order] − E[pairs put in the wrong order],

where a pair in the same grade counts neither way. Putting i above j earns
λ π_ij − π_ji, which is positive exactly when π_ij > 1/(1 + λ): for two units
they get different grades only when the posterior is that sure of their order.
For more units the same holds on average: in an optimal grading, the pairs
split between two adjacent grades have a mean π above 1/(1 + λ) (otherwise
merging the two grades would pay). λ ∈ (0, 1]: λ = 1 is the Condorcet ranking (order
whenever π_ij > 1/2); smaller λ demands more certainty. The default λ = 0.25
(different grades need π_ij > 0.8, i.e. a mis-ordering costs four times what
a correct ordering gains) is the value in the authors' own package's
documented example (DRrank, README "Usage": ``fit(p_ij, lamb = 0.25)``).

The authors solve the integer programme with Gurobi. Here it is solved with
scipy's mixed-integer solver (HiGHS) by row generation: binaries d_ij ("i
above j"), asymmetry d_ij + d_ji ≤ 1, and the transitivity (d_ij + d_jk −
d_ik ≤ 1) and negative-transitivity (d_ik ≤ d_ij + d_jk) triangles added only
where the current solution breaks them. Every intermediate programme is a
relaxation, so its optimum bounds the true optimum from above; a feasible
grading (the best contiguous grouping of the units in their Borda order, found
exactly by dynamic programming) bounds it from below. The result reports both,
and the gap is zero when the solver proved optimality.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from .._validate import (
    MAX_CELLS,
    check_labels,
    check_matrix,
    check_real,
    check_seed,
    check_whole,
)
from ..errors import ArgumentError, DataError
from .draws import as_draws

__all__ = ["GradeResult", "grades", "pairwise_prob"]

DEFAULT_LAMBDA = 0.25


# ---------------------------------------------------------------------------
# π


#: above this strength a + b, Beta CDFs and quantiles use the normal approximation (scipy's betainc returns
#: NaN near the mean from about 1e18; at 1e12 the normal's error is below 1e-6)
_NORMAL_ABOVE = 1e12


def _normal(a, b):
    """Mean and standard deviation of Beta(a, b), without overflow for huge a + b."""
    s = a + b
    m = a / s
    return m, np.sqrt(m * (b / s) / (s + 1.0))


def _beta_cdf(a, b, x):
    out = special.betainc(a, b, x)
    big = (a + b) > _NORMAL_ABOVE
    if np.any(big):
        m, sd = _normal(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            normal = np.where(sd > 0, special.ndtr((x - m) / sd), (x >= m).astype(float))
        out = np.where(big, normal, out)
    return out


def _beta_ppf(a, b, q):
    m, sd = _normal(a, b)
    with np.errstate(invalid="ignore", over="ignore"):
        return np.where((a + b) > _NORMAL_ABOVE, np.clip(m + sd * special.ndtri(q), 0.0, 1.0),
                        special.betaincinv(a, b, q))


def _beta_pairwise(a, b, grid_size=8001, per_unit=32):
    """π_ij = P(X_i > X_j) for independent X_i ~ Beta(a_i, b_i), by integration on a fine grid.

    π_ij = ∫ F_j dF_i, summed over bins with the exact mass of X_i in each bin
    and the mean of F_j at the bins' ends. The grid joins an even grid over the
    posteriors' common support (1e-13 to 1 − 1e-13 quantiles) with *per_unit*
    quantiles of every posterior and points far in its tails, so that a
    narrow posterior among wide ones is resolved too (no bin holds more than
    1/per_unit of any posterior, nor much of two posteriors' tails).
    """
    lo = float(_beta_ppf(a, b, 1e-13).min())
    hi = float(_beta_ppf(a, b, 1.0 - 1e-13).max())
    tails = np.array([1e-13, 1e-10, 1e-7, 1e-5, 1e-4, 1e-3, 5e-3])
    q = np.concatenate([tails, (np.arange(per_unit) + 0.5) / per_unit, 1.0 - tails])
    own = _beta_ppf(a[:, None], b[:, None], q[None, :]).ravel()
    x = np.unique(np.concatenate([[0.0, 1.0], np.linspace(lo, hi, grid_size), own]))
    F = _beta_cdf(a[:, None], b[:, None], x[None, :])  # (units, grid)
    dF = np.diff(F, axis=1)
    Fmid = (F[:, 1:] + F[:, :-1]) / 2.0
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # a small product: one BLAS thread is faster on a busy machine, same answer
        return dF @ Fmid.T


def pairwise_prob(draws, names=None, *, size=4000, seed=None) -> pd.DataFrame:
    """The matrix π_ij = P(θ_i > θ_j | data) for every pair of units.

    Parameters
    ----------
    draws : Draws, array (size × units), DataFrame, HierarchicalResult or the table of :func:`danmark.shrink`
        Joint posterior draws, one column per unit (a
        :class:`~danmark.stats.draws.Draws`, or a DataFrame whose columns
        name the units); a :class:`~danmark.HierarchicalResult`, whose
        ``draws(size, seed)`` are used; or a DataFrame with the columns
        ``alpha1`` and ``beta1`` of :func:`danmark.shrink` (independent Beta
        posteriors), integrated numerically without sampling.
    names : sequence, optional
        Distinct unit labels, one per unit (default: the DataFrame's columns
        or index, or 0, 1, ...).
    size, seed : int, optional
        Draws taken from a HierarchicalResult (``size`` a whole number >= 1
        within the work and memory caps; ``seed`` None, a whole number >= 0 or
        a numpy Generator).

    Returns
    -------
    DataFrame
        Square, labelled by unit; diagonal 0. From draws, ties count neither
        way (π_ij + π_ji ≤ 1); from Beta posteriors π_ij + π_ji = 1.

    Raises
    ------
    DataError
        Draws that are not a table of finite real numbers (text, booleans,
        ragged rows, a shape that is not draws × units with two units or
        more), Beta parameters that are not positive and finite, or names
        that are not one distinct label per unit.
    ArgumentError
        A bad ``size`` or ``seed``.

    Examples
    --------
    >>> import danmark
    >>> post = danmark.shrink([4, 12, 5], [14, 22, 40], prior=danmark.BetaPrior(2, 6))
    >>> pairwise_prob(post, names=["A", "B", "C"]).round(3)
           A      B      C
    A  0.000  0.071  0.890
    B  0.929  0.000  0.999
    C  0.110  0.001  0.000
    """
    size = check_whole(size, "size")
    seed = check_seed(seed)
    if isinstance(draws, pd.DataFrame) and {"alpha1", "beta1"} <= set(draws.columns):
        if draws.empty:
            raise DataError("the shrink() table has no rows; pairwise_prob needs at least one unit", column="alpha1")
        a = check_real(draws["alpha1"], "alpha1", minimum=0, strict=True, scalar=False, error=DataError)
        b = check_real(draws["beta1"], "beta1", minimum=0, strict=True, scalar=False, error=DataError)
        labels = check_labels(names if names is not None else list(draws.index), len(a))
        pi = _beta_pairwise(a, b)
        pi = (pi + 1.0 - pi.T) / 2.0  # exact antisymmetry (integration error is far below 1e-5)
        np.fill_diagonal(pi, 0.0)
        pi = np.clip(pi, 0.0, 1.0)
        return _label(pi, labels)
    labelled = as_draws(draws, names, size=size, seed=seed)
    return _from_draws(labelled.matrix, list(labelled.labels))


def _from_draws(arr, labels):
    units = arr.shape[1]
    pi = np.empty((units, units))
    for i in range(units):
        pi[i] = (arr[:, [i]] > arr).mean(axis=0)
    np.fill_diagonal(pi, 0.0)
    return _label(pi, labels)


def _label(pi, names):
    return pd.DataFrame(pi, index=names, columns=names)


# ---------------------------------------------------------------------------
# grades


@dataclass(frozen=True)
class GradeResult:
    """Report-card grades from :func:`grades`.

    Attributes
    ----------
    grade : Series
        One grade per unit, 1 = highest rate, consecutive integers.
    objective : float
        λ · E[correctly ordered pairs] − E[mis-ordered pairs] of these grades.
    bound : float
        Upper bound on the best attainable objective (equal to *objective*
        when optimality was proven).
    gap : float
        bound − objective (0 when proven optimal).
    status : str
        ``"optimal"`` or ``"time limit"`` (then the grades are the best found).
    lam : float
        The λ used; pairs in different grades need π_ij > ``threshold`` = 1/(1 + λ)
        for a grading to gain from separating them.
    """

    grade: pd.Series
    objective: float
    bound: float
    gap: float
    status: str
    lam: float

    @property
    def threshold(self) -> float:
        return 1.0 / (1.0 + self.lam)

    @property
    def n_grades(self) -> int:
        return int(self.grade.max())

    def expected_pairs(self, pi) -> dict:
        """E[correctly ordered], E[mis-ordered] and the number of pairs in different grades."""
        P = np.asarray(pi, dtype=float)
        D = _order_matrix(self.grade.to_numpy())
        return {"correct": float((P * D).sum()), "misordered": float((P.T * D).sum()), "separated": int(D.sum())}


def _order_matrix(g):
    """D_ij = 1 when unit i has a better (smaller) grade than unit j."""
    g = np.asarray(g)
    return (g[:, None] < g[None, :]).astype(float)


def _objective(W, g):
    return float((W * _order_matrix(g)).sum())


def _grades_from_D(D):
    above = D.sum(axis=0)  # units graded above each unit
    _, g = np.unique(above, return_inverse=True)
    return g + 1


def _dp_contiguous(W, order):
    """Best grading whose grades are contiguous runs of *order* (exact O(n²) dynamic programme)."""
    Wo = W[np.ix_(order, order)]
    n = len(order)
    # C[a, b] = sum of Wo[u, v] for u < a <= v < b: gain of separating block [a, b) from everything before a
    cum_cols = np.cumsum(Wo, axis=0)  # cum_cols[a-1, v] = sum_{u < a} Wo[u, v]
    best = np.full(n + 1, -np.inf)
    best[0] = 0.0
    cut = np.zeros(n + 1, dtype=int)
    for b in range(1, n + 1):
        for a in range(b):
            gain = 0.0 if a == 0 else cum_cols[a - 1, a:b].sum()
            if best[a] + gain > best[b]:
                best[b] = best[a] + gain
                cut[b] = a
    g_sorted = np.empty(n, dtype=int)
    b, blocks = n, []
    while b > 0:
        blocks.append((cut[b], b))
        b = cut[b]
    for rank, (a, b) in enumerate(reversed(blocks), start=1):
        g_sorted[a:b] = rank
    g = np.empty(n, dtype=int)
    g[order] = g_sorted
    return g


def grades(pi, *, lam=DEFAULT_LAMBDA, time_limit=60.0) -> GradeResult:
    """Report-card grades that the posterior supports (Kline, Rose & Walters 2023).

    Parameters
    ----------
    pi : DataFrame or square array
        π_ij = P(θ_i > θ_j | data), e.g. from :func:`pairwise_prob`: finite
        numbers in [0, 1] with π_ij + π_ji ≤ 1 (the diagonal is ignored); a
        DataFrame's columns name the same units as its index.
    lam : float in (0, 1]
        Value of a correctly ordered pair relative to the cost of a
        mis-ordered one. Default 0.25: separating two units in different grades pays
        only when π_ij > 1/(1 + λ) = 0.8 (see the module docstring).
    time_limit : float
        Seconds for the integer-programming solver; past it the best grading
        found is returned with ``status="time limit"`` and its gap.

    Returns
    -------
    GradeResult
        ``.grade`` (Series, 1 = highest rate), ``.objective``, ``.bound``,
        ``.gap``, ``.status``.

    Examples
    --------
    >>> pi = [[0, .95, .99, .99], [.05, 0, .6, .9], [.01, .4, 0, .85], [.01, .1, .15, 0]]
    >>> r = grades(pi)
    >>> r.grade.tolist(), r.status, round(r.objective, 3)
    ([1, 2, 2, 3], 'optimal', 0.85)
    >>> grades(pi, lam=1.0).grade.tolist()   # the Condorcet ranking
    [1, 2, 3, 4]
    """
    P = check_matrix(pi, "pi", square=True, what="probabilities P(θ_i > θ_j) in [0, 1]")
    if isinstance(pi, pd.DataFrame):
        names = check_labels(list(pi.index), P.shape[0], name="pi's index")
        if list(pi.columns) != names:
            if pi.columns.has_duplicates or set(pi.columns) != set(names):
                raise DataError("pi's columns must name the same units as its index (π_ij = P(θ_i > θ_j), unit i "
                                f"in row, unit j in column); got index {names[:5]} and columns {list(pi.columns)[:5]}",
                                column="pi")
            P = pi.loc[:, names].to_numpy(dtype=float)  # the same units in another order: pair by label
    else:
        names = list(range(P.shape[0]))
    outside = (P < 0) | (P > 1)
    if outside.any():
        i, j = (int(x) for x in np.argwhere(outside)[0])
        raise DataError(f"pi must hold probabilities in [0, 1]; got {P[i, j].item()!r} at row {i}, column {j}", column="pi")
    off = ~np.eye(P.shape[0], dtype=bool)
    over = ((P + P.T) > 1 + 1e-6) & off
    if over.any():
        i, j = (int(x) for x in np.argwhere(over)[0])
        raise DataError(f"pi is not a matrix of P(θ_i > θ_j): π_ij + π_ji = {P[i, j] + P[j, i]:.6g} exceeds 1 at "
                        f"row {i}, column {j}", column="pi")
    if P.shape[0] ** 3 > MAX_CELLS:  # the triangle constraints are units³ numbers
        raise DataError(f"grades handles at most {int(MAX_CELLS ** (1 / 3))} units (the integer programme's "
                        f"triangle constraints grow as units³); got {P.shape[0]}", column="pi")
    lam = check_real(lam, "lam", minimum=0, strict=True)
    if lam > 1:
        raise ArgumentError(f"lam must lie in (0, 1]; got {lam!r}", column="lam")
    time_limit = check_real(time_limit, "time_limit", minimum=0, strict=True)
    n = P.shape[0]
    W = lam * P - P.T
    np.fill_diagonal(W, 0.0)

    # a feasible grading: contiguous groups of the Borda order (exact DP over cut points)
    order = np.argsort(-(P - P.T).sum(axis=1), kind="stable")
    g_best = _dp_contiguous(W, order)
    lower = _objective(W, g_best)
    if n == 1:
        return GradeResult(pd.Series([1], index=names, name="grade"), 0.0, 0.0, 0.0, "optimal", lam)
    g, upper, status = _milp(W, time_limit, lower)
    if g is not None and _objective(W, g) >= lower - 1e-12:
        g_best, lower = g, _objective(W, g)
    upper = max(upper, lower)
    gap = upper - lower
    if status == "optimal" and gap > 1e-6 * max(1.0, abs(upper)):
        status = "time limit"
    return GradeResult(pd.Series(g_best, index=names, name="grade"), lower, upper,
                       gap if status != "optimal" else 0.0, status, lam)


def _milp(W, time_limit, lower):
    """Row generation over the triangle constraints; returns (grades or None, upper bound, status)."""
    # here: importing the module (as the report does) stays light
    from scipy import optimize, sparse

    n = W.shape[0]
    idx = -np.ones((n, n), dtype=np.int64)
    ii, jj = np.nonzero(~np.eye(n, dtype=bool))
    idx[ii, jj] = np.arange(ii.size)
    c = -W[ii, jj]
    iu, ju = np.triu_indices(n, 1)
    rows = [np.stack([idx[iu, ju], idx[ju, iu], np.zeros(iu.size, dtype=np.int64)], 1)]
    coefs = [np.tile([1.0, 1.0, 0.0], (iu.size, 1))]  # asymmetry d_ij + d_ji <= 1 (third entry unused)
    ubs = [np.ones(iu.size)]
    start = time.monotonic()
    upper = float(np.clip(W, 0, None).sum())
    g = None
    for _ in range(200):
        remaining = time_limit - (time.monotonic() - start)
        if remaining <= 0:
            return g, upper, "time limit"
        R = np.concatenate(rows)
        V = np.concatenate(coefs)
        A = sparse.csr_matrix((V.ravel(), (np.repeat(np.arange(len(R)), R.shape[1]), R.ravel())),
                              shape=(len(R), ii.size))
        res = optimize.milp(
            c, constraints=optimize.LinearConstraint(A, -np.inf, np.concatenate(ubs)),
            integrality=np.ones(ii.size), bounds=optimize.Bounds(0, 1),
            options={"time_limit": remaining, "mip_rel_gap": 1e-7},
        )
        if res.x is None:
            return g, upper, "time limit"
        bound = -float(getattr(res, "mip_dual_bound", res.fun) if res.status != 0 else res.fun)
        upper = min(upper, bound)
        if res.status != 0:
            return g, upper, "time limit"
        D = np.zeros((n, n))
        D[ii, jj] = np.round(res.x)
        new = _violated(D, idx)
        if new is None:
            return _grades_from_D(D), upper, "optimal"
        r, v = new
        rows.append(r)
        coefs.append(v)
        ubs.append(np.where(v[:, 1] > 0, 1.0, 0.0))  # transitivity <= 1, negative transitivity <= 0
    return g, upper, "time limit"


def _violated(D, idx, cap=20000):
    """Triangle constraints the 0/1 order D breaks, as (variable indices, coefficients)."""
    N = 1.0 - D
    np.fill_diagonal(N, 0.0)
    # transitivity: D_ij = D_jk = 1, D_ik = 0, i != k
    trans = np.argwhere((D[:, :, None] * D[None, :, :] * N[:, None, :]) > 0)
    # negative transitivity: D_ik = 1, D_ij = D_jk = 0, j distinct from i and k
    neg = np.argwhere((D[:, None, :] * N[:, :, None] * N[None, :, :]) > 0)
    if len(trans) == 0 and len(neg) == 0:
        return None
    trans, neg = trans[:cap], neg[:cap]
    r1 = np.stack([idx[trans[:, 0], trans[:, 1]], idx[trans[:, 1], trans[:, 2]], idx[trans[:, 0], trans[:, 2]]], 1)
    v1 = np.tile([1.0, 1.0, -1.0], (len(trans), 1))
    r2 = np.stack([idx[neg[:, 0], neg[:, 2]], idx[neg[:, 0], neg[:, 1]], idx[neg[:, 1], neg[:, 2]]], 1)
    v2 = np.tile([1.0, -1.0, -1.0], (len(neg), 1))
    return np.concatenate([r1, r2]), np.concatenate([v1, v2])
