"""Priors of any shape: a nonparametric grid prior (Kiefer–Wolfowitz) and a two-Beta mixture.

One Beta is a convenient prior but not a law of nature: the kommuner's true
rates may cluster in two groups, or have a long tail. Two alternatives are
fitted by maximum likelihood from the same counts:

* ``fit_prior(k, n, method="npmle")`` — the nonparametric maximum-likelihood
  estimate of Kiefer & Wolfowitz (1956): the prior is any distribution on a
  fine grid of rates, its weights found by EM (Laird 1978), as in
  g-modelling (Efron 2016; R's ``REBayes``/``deconvolveR``). The NPMLE is
  discrete, usually with a handful of support points.
* ``fit_prior(k, n, method="mixture")`` — a two-component Beta mixture, as
  ebbr's ``ebb_fit_mixture``, here by direct maximisation of the marginal
  likelihood from several starts.

Both return prior objects with ``.loglik`` (beta-binomial/binomial marginal
log-likelihood including the binomial coefficients, comparable with
``BetaPrior.loglik``), ``.n_params``, ``.aic``, ``.mean`` and ``.sd``, that
:func:`danmark.shrink` and :func:`danmark.prob_above` accept as ``prior=``.
:func:`compare_priors` puts the three fits side by side so an analyst sees
whether one Beta is enough.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from scipy import optimize, sparse, special

from .._special import _bb_loglik_core, _log_choose
from .._units import as_units
from ..errors import ArgumentError, DataError

__all__ = ["BetaMixturePrior", "GridPrior", "compare_priors", "fit_mixture_prior", "fit_npmle_prior"]


def _units(k, n, where):
    k_arr, n_arr, _, _ = as_units(k, n, where=where)
    keep = n_arr > 0
    k_arr, n_arr = k_arr[keep].astype(float), n_arr[keep].astype(float)
    if k_arr.size < 2:
        raise DataError(f"{where} needs at least two units with n > 0; got {k_arr.size}")
    return k_arr, n_arr


def _compress(k, n):
    pairs, counts = np.unique(np.stack([k, n]), axis=1, return_counts=True)
    return pairs[0], pairs[1], counts.astype(float)


def _bisect_quantiles(cdf, q, shape, iters=60):
    """Solve cdf(t) = q for t in [0, 1] per unit by bisection (cdf maps a (U,) array of t to (U,))."""
    lo, hi = np.zeros(shape), np.ones(shape)
    for _ in range(iters):
        mid = (lo + hi) / 2.0
        below = cdf(mid) < q
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return (lo + hi) / 2.0


class _ShapedPrior:
    """What grid and mixture priors share: the fit summary and the table of :func:`danmark.shrink`."""

    loglik: float
    n_params: int
    pooled = False

    @property
    def aic(self) -> float:
        """−2 loglik + 2 × n_params."""
        return -2.0 * self.loglik + 2.0 * self.n_params

    def _shrink_columns(self, k_arr, n_arr, *, level, interval):
        if interval != "equal-tailed":
            raise ArgumentError(f"interval='hpd' needs a Beta prior; a {self.method} prior gives equal-tailed intervals")
        k, n = k_arr.astype(float), n_arr.astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            raw = np.where(n > 0, k / n, np.nan)
        est = self._posterior_mean(k, n)
        qs = [self._posterior_quantile(q, k, n) for q in ((1.0 - level) / 2.0, 0.5, (1.0 + level) / 2.0)]
        with np.errstate(divide="ignore", invalid="ignore"):
            weight = np.where(np.abs(self.mean - raw) > 1e-12, (est - raw) / (self.mean - raw), np.nan)
        return {"k": k_arr, "n": n_arr, "raw": raw, "estimate": est, "median": qs[1],
                "lower": qs[0], "upper": qs[2], "weight": np.where(n > 0, weight, 1.0)}


class GridPrior(_ShapedPrior):
    """A discrete prior: rate ``theta[g]`` with probability ``weights[g]`` (the NPMLE).

    Examples
    --------
    >>> p = GridPrior([0.2, 0.5], [0.75, 0.25])
    >>> round(p.mean, 3), round(p.sd, 3)
    (0.275, 0.13)
    >>> import danmark
    >>> danmark.prob_above([3], [10], prior=p, reference=0.3).round(3)["prob_above"].tolist()
    [0.162]
    """

    method = "npmle"

    def __init__(self, theta, weights, loglik=None, n_params=None):
        self.theta = np.asarray(theta, dtype=float)
        w = np.asarray(weights, dtype=float)
        if self.theta.shape != w.shape or self.theta.ndim != 1 or w.size == 0:
            raise DataError("theta and weights must be flat sequences of equal length")
        if (self.theta < 0).any() or (self.theta > 1).any() or (w < 0).any() or w.sum() <= 0:
            raise DataError("theta must lie in [0, 1] and weights be non-negative")
        self.weights = w / w.sum()
        self.loglik = loglik
        self.n_params = n_params if n_params is not None else 2 * _atoms(self.theta, self.weights) - 1

    mean = property(lambda self: float(self.weights @ self.theta), doc="Prior mean rate.")
    sd = property(lambda self: float(math.sqrt(max(self.weights @ (self.theta - self.mean) ** 2, 0.0))),
                  doc="Prior standard deviation of the rates.")

    def __repr__(self) -> str:
        ll = "" if self.loglik is None else f", loglik={self.loglik:.4g}"
        return f"GridPrior(grid={self.theta.size}, atoms={_atoms(self.theta, self.weights)}, mean={self.mean:.4g}, sd={self.sd:.4g}{ll})"

    def _post(self, k, n):
        """Posterior weights over the grid, (units, grid)."""
        with np.errstate(divide="ignore"):
            logl = (special.xlogy(k[:, None], self.theta[None, :])
                    + special.xlog1py(n[:, None] - k[:, None], -self.theta[None, :])
                    + np.log(self.weights)[None, :])
        logl -= logl.max(axis=1, keepdims=True)
        p = np.exp(logl)
        return p / p.sum(axis=1, keepdims=True)

    def _posterior_mean(self, k, n):
        return self._post(k, n) @ self.theta

    def _posterior_quantile(self, q, k, n):
        cdf = np.cumsum(self._post(k, n), axis=1)
        pos = (cdf < q - 1e-12).sum(axis=1)
        return self.theta[np.minimum(pos, self.theta.size - 1)]

    def _posterior_sf(self, t, k, n):
        t = np.broadcast_to(np.asarray(t, dtype=float), np.shape(k))
        return (self._post(np.asarray(k, float), np.asarray(n, float)) * (self.theta[None, :] > t[:, None])).sum(1)


class BetaMixturePrior(_ShapedPrior):
    """A mixture Σ_c weights[c] · Beta(alphas[c], betas[c]).

    Examples
    --------
    >>> p = BetaMixturePrior([0.5, 0.5], [2, 8], [8, 2])
    >>> round(p.mean, 3)
    0.5
    >>> import danmark
    >>> danmark.shrink([1], [10], prior=p)["estimate"].round(3).tolist()
    [0.151]
    """

    method = "mixture"

    def __init__(self, weights, alphas, betas, loglik=None):
        self.weights = np.asarray(weights, dtype=float) / np.sum(weights)
        self.alphas = np.asarray(alphas, dtype=float)
        self.betas = np.asarray(betas, dtype=float)
        if not (self.weights.shape == self.alphas.shape == self.betas.shape) or (self.alphas <= 0).any() or (
            self.betas <= 0
        ).any():
            raise DataError("a Beta mixture needs positive shapes, one weight per component")
        self.loglik = loglik
        self.n_params = 3 * self.weights.size - 1

    @property
    def mean(self) -> float:
        return float(self.weights @ (self.alphas / (self.alphas + self.betas)))

    @property
    def sd(self) -> float:
        m = self.alphas / (self.alphas + self.betas)
        second = m * (self.alphas + 1) / (self.alphas + self.betas + 1)
        return float(math.sqrt(max(self.weights @ second - self.mean**2, 0.0)))

    def __repr__(self) -> str:
        comps = ", ".join(f"{w:.3g}×Beta({a:.4g}, {b:.4g})" for w, a, b in zip(self.weights, self.alphas, self.betas, strict=True))
        ll = "" if self.loglik is None else f", loglik={self.loglik:.4g}"
        return f"BetaMixturePrior({comps}{ll})"

    def _post(self, k, n):
        """Posterior component weights (units, components) and shapes."""
        a, b = self.alphas[None, :], self.betas[None, :]
        logw = np.log(self.weights)[None, :] + _bb_loglik_core(a, b, k[:, None], n[:, None])
        logw -= logw.max(axis=1, keepdims=True)
        w = np.exp(logw)
        return w / w.sum(axis=1, keepdims=True), a + k[:, None], b + (n - k)[:, None]

    def _posterior_mean(self, k, n):
        w, A, B = self._post(k, n)
        return (w * A / (A + B)).sum(1)

    def _posterior_quantile(self, q, k, n):
        w, A, B = self._post(k, n)
        return _bisect_quantiles(lambda t: (w * special.betainc(A, B, t[:, None])).sum(1), q, k.shape)

    def _posterior_sf(self, t, k, n):
        k, n = np.asarray(k, float), np.asarray(n, float)
        w, A, B = self._post(k, n)
        t = np.broadcast_to(np.asarray(t, dtype=float), k.shape)
        return (w * special.betainc(B, A, 1.0 - t[:, None])).sum(1)


# ---------------------------------------------------------------------------
# fitting


def npmle_em(k, n, theta, counts=None, *, max_iter=10000, tol=1e-5, accelerate=True):
    """EM for the weights of a grid prior; returns (weights, loglik without binomial coefficients, iterations).

    With *accelerate*, each step is a SQUAREM extrapolation of two EM steps
    (Varadhan & Roland 2008), kept only when it does not lower the likelihood.
    Stops when the Kiefer–Wolfowitz optimality condition holds to *tol*:
    max over the grid of (1/N) Σ_i L_i(θ) / f_i ≤ 1 + tol (then the
    log-likelihood is within N · tol of the grid's maximum). EM converges
    slowly near the optimum, so this is a first-order method, not an
    interior-point solver (REBayes uses Mosek): past *max_iter* the weights are
    returned as they are (the likelihood then is a little below the maximum).
    """
    counts = np.ones(k.size) if counts is None else counts
    with np.errstate(divide="ignore"):
        logL = special.xlogy(k[:, None], theta[None, :]) + special.xlog1py((n - k)[:, None], -theta[None, :])
    shift = logL.max(axis=1, keepdims=True)
    L = np.exp(logL - shift)
    # likelihoods below 1e-15 of a row's largest change no sum by more than ~1e-13: a sparse matrix
    # skips them (large n makes each row's likelihood narrow on the grid)
    L[L < 1e-15] = 0.0
    if np.count_nonzero(L) < 0.4 * L.size:
        L = sparse.csr_matrix(L)
    total = counts.sum()
    const = float(counts @ shift[:, 0])

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


def _atoms(theta, w, floor=1e-3):
    """Runs of adjacent grid points carrying weight: the NPMLE's support points."""
    on = w > floor * w.max()
    return int(on[0]) + int(np.sum(on[1:] & ~on[:-1]))


def fit_npmle_prior(k, n=None, *, grid_size=200, max_iter=2000, tol=1e-5) -> GridPrior:
    """Kiefer–Wolfowitz NPMLE of the prior on a grid of rates, by EM.

    Parameters
    ----------
    k, n : counts, or a DataFrame as *k* (see :func:`danmark.shrink`).
    grid_size : int
        Grid points, equally spaced on the logit scale between the smallest
        and largest plausible rates (so small rates get fine resolution).
    max_iter, tol : EM stopping rule (see :func:`npmle_em`).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> theta = rng.choice([0.2, 0.5], size=400)
    >>> n = np.full(400, 60)
    >>> p = fit_npmle_prior(rng.binomial(n, theta), n)
    >>> round(p.mean, 2), round(float(p.weights[p.theta < 0.35].sum()), 2), p.n_params
    (0.37, 0.45, 5)
    """
    k_arr, n_arr = _units(k, n, "fit_prior(method='npmle')")
    ku, nu, cu = _compress(k_arr, n_arr)
    raw = k_arr / n_arr
    lo = max(min(raw[raw > 0].min() if (raw > 0).any() else 0.5 / n_arr.max(), 0.5 / n_arr.max()) / 2.0, 1e-6)
    hi = 1.0 - max(min((1 - raw[raw < 1]).min() if (raw < 1).any() else 0.5 / n_arr.max(), 0.5 / n_arr.max()) / 2.0, 1e-6)
    theta = special.expit(np.linspace(special.logit(lo), special.logit(hi), int(grid_size)))
    w, ll, _ = npmle_em(ku, nu, theta, cu, max_iter=max_iter, tol=tol)
    ll += float(cu @ _log_choose(nu, ku))
    return GridPrior(theta, w, loglik=ll)


def _mixture_negll(par, ku, nu, cu):
    logit_p, t1, s1, t2, s2 = par
    p = special.expit(logit_p)
    comps = []
    for t, s, wt in ((t1, s1, p), (t2, s2, 1.0 - p)):
        S = math.exp(min(s, 30.0))
        comps.append(math.log(max(wt, 1e-300)) + _bb_loglik_core(S * special.expit(t), S * special.expit(-t), ku, nu))
    return -float(cu @ np.logaddexp(comps[0], comps[1]))


def fit_mixture_prior(k, n=None, *, starts=6) -> BetaMixturePrior:
    """Two-component Beta mixture prior by maximum marginal likelihood (as ebbr's ``ebb_fit_mixture``).

    Started from splits of the raw rates at several quantiles; the best fit
    is kept. Components are ordered by mean.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> theta = np.where(rng.random(600) < 0.7, rng.beta(20, 80, 600), rng.beta(30, 30, 600))
    >>> n = np.full(600, 80)
    >>> p = fit_mixture_prior(rng.binomial(n, theta), n)
    >>> p.weights.round(1).tolist(), (p.alphas / (p.alphas + p.betas)).round(2).tolist()
    ([0.7, 0.3], [0.2, 0.5])
    """
    from .shrinkage import fit_prior

    k_arr, n_arr = _units(k, n, "fit_prior(method='mixture')")
    ku, nu, cu = _compress(k_arr, n_arr)
    raw = k_arr / n_arr
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one = fit_prior(k_arr, n_arr)
    best = None
    for q in np.linspace(0.2, 0.8, max(int(starts), 1)):
        cut = np.quantile(raw, q)
        low, high = raw[raw <= cut], raw[raw > cut]
        if low.size < 2 or high.size < 2:
            continue
        m1 = float(np.clip(low.mean(), 1e-3, 1 - 1e-3))
        m2 = float(np.clip(high.mean(), 1e-3, 1 - 1e-3))
        s = math.log(max(min(one.strength, 1e4), 2.0)) + 1.0
        start = [special.logit(np.clip(low.size / raw.size, 0.05, 0.95)), special.logit(m1), s, special.logit(m2), s]
        res = optimize.minimize(_mixture_negll, start, args=(ku, nu, cu), method="L-BFGS-B",
                                bounds=[(-10, 10), (-15, 15), (-5, 30), (-15, 15), (-5, 30)])
        if best is None or res.fun < best.fun:
            best = res
    if best is None:
        raise DataError("fit_prior(method='mixture') needs rates that vary: too few distinct units to split")
    lp, t1, s1, t2, s2 = best.x
    p = float(special.expit(lp))
    S1, S2 = math.exp(s1), math.exp(s2)
    comps = sorted([(p, S1 * special.expit(t1), S1 * special.expit(-t1)),
                    (1.0 - p, S2 * special.expit(t2), S2 * special.expit(-t2))],
                   key=lambda c: c[1] / (c[1] + c[2]))
    ll = -best.fun + float(cu @ _log_choose(nu, ku))
    w, a, b = (np.array(x) for x in zip(*comps, strict=True))
    return BetaMixturePrior(w, a, b, loglik=ll)


def compare_priors(k, n=None) -> pd.DataFrame:
    """One Beta, a two-Beta mixture and the NPMLE fitted to the same counts, side by side.

    Returns
    -------
    DataFrame
        One row per prior (``beta``, ``mixture``, ``npmle``): ``loglik``,
        ``n_params``, ``aic`` and ``delta_aic`` (to the smallest). One Beta is
        enough when the others do not improve the AIC (a rule of thumb:
        ``delta_aic`` of the Beta below about 2). The NPMLE's parameter count
        (2 × support points − 1) is a convention; its log-likelihood is the
        ceiling any prior can reach.

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> n = rng.integers(20, 200, 300)
    >>> table = compare_priors(rng.binomial(n, rng.beta(8, 16, 300)), n)
    >>> table.index.tolist(), bool(table.loc["beta", "delta_aic"] < 4)
    (['beta', 'mixture', 'npmle'], True)
    """
    from .shrinkage import fit_prior

    k_arr, n_arr = _units(k, n, "compare_priors")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        beta = fit_prior(k_arr, n_arr)
    fits = {"beta": (beta.loglik, 2), "mixture": None, "npmle": None}
    mix = fit_mixture_prior(k_arr, n_arr)
    fits["mixture"] = (mix.loglik, mix.n_params)
    grid = fit_npmle_prior(k_arr, n_arr)
    fits["npmle"] = (grid.loglik, grid.n_params)
    out = pd.DataFrame(fits, index=["loglik", "n_params"]).T
    out["n_params"] = out["n_params"].astype(int)
    out["aic"] = -2.0 * out["loglik"] + 2.0 * out["n_params"]
    out["delta_aic"] = out["aic"] - out["aic"].min()
    out.index.name = "prior"
    return out
