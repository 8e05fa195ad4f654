"""Priors of any shape: a nonparametric grid prior (Kiefer–Wolfowitz) and a two-Beta mixture.

One Beta is a convenient prior but not a law of nature: the kommuner's true
rates may cluster in two groups, or have a long tail. Two alternatives are
fitted by maximum likelihood from the same counts:

* ``fit_prior(k, n, method="npmle")`` — the nonparametric maximum-likelihood
  estimate of Kiefer & Wolfowitz (1956): the prior is any distribution on a
  grid of rates fine enough to resolve every unit's likelihood, its weights
  solved to the optimum by mix-SQP (Kim, Carbonetto & Stephens 2020, R's
  ``mixsqp``), with the optimality condition reported as a duality gap
  (:mod:`danmark.stats.npmle`), as in g-modelling (Efron 2016; R's
  ``REBayes``/``deconvolveR``). The NPMLE is discrete, usually with a handful
  of support points, and no prior has a higher likelihood.
* ``fit_prior(k, n, method="mixture")`` — a two-component Beta mixture, as
  ebbr's ``ebb_fit_mixture``, here by direct maximisation of the marginal
  likelihood from several starts (one of them the one-Beta fit, so the
  mixture is never worse than one Beta).

Both are priors of the one protocol (:class:`danmark.stats.prior_protocol.Prior`):
:func:`danmark.shrink` and :func:`danmark.prob_above` accept them as
``prior=``. :func:`compare_priors` puts the three fits side by side so an
analyst sees whether one Beta is enough.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from scipy import special

from .._special import betabinom_loglik_core, log_choose
from .._units import as_units
from .._validate import check_probability, check_real
from ..errors import ArgumentError, DataError
from .beta_prior import BetaPrior, fit_beta_prior
from .npmle import likelihood_matrix, npmle_em, npmle_grid, solve_npmle, support_runs
from .prior_protocol import Prior, bisect_quantiles

__all__ = ["BetaMixturePrior", "GridPrior", "NPMLEWarning", "compare_priors", "fit_mixture_prior",
           "fit_npmle_prior", "npmle_em"]

#: a mixture component's log strength is kept below this (e^40: complete pooling)
_MAX_LOG_STRENGTH = 40.0
#: posterior computations take this many (unit, support point) cells at a time
_CELLS = 2_000_000


class NPMLEWarning(UserWarning):
    """The NPMLE's solver did not reach its optimality condition (the weights are then EM's best)."""


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


def _one_beta(k, n) -> BetaPrior:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit_beta_prior(k, n)


def _flat(values, name, *, minimum=None, strict=False, probability=False):
    """A hand-made prior's vector: finite numbers (rates in [0, 1]), else ArgumentError naming it."""
    if probability:
        arr = check_probability(values, name)
    else:
        arr = check_real(values, name, minimum=minimum, strict=strict, scalar=False)
    arr = np.atleast_1d(np.asarray(arr, dtype=float))
    if arr.ndim != 1 or arr.size == 0:
        raise ArgumentError(f"{name} must be a flat, non-empty sequence; got shape {arr.shape}", column=name)
    return arr


def _in_chunks(fn, k, n, *args, width):
    """fn(k, n, *args) over chunks of units, so that no (units × support) array exceeds _CELLS."""
    k, n = np.atleast_1d(np.asarray(k, dtype=float)), np.atleast_1d(np.asarray(n, dtype=float))
    args = [np.broadcast_to(np.asarray(a, dtype=float), k.shape) for a in args]
    step = max(1, _CELLS // max(width, 1))
    if k.size <= step:
        return fn(k, n, *args)
    return np.concatenate([fn(k[i:i + step], n[i:i + step], *(a[i:i + step] for a in args))
                           for i in range(0, k.size, step)])


class GridPrior(Prior):
    """A discrete prior: rate ``theta[g]`` with probability ``weights[g]`` (the NPMLE, or made by hand).

    Parameters
    ----------
    theta : sequence of float
        Rates in [0, 1] (sorted here).
    weights : sequence of float
        Non-negative, finite, not all zero (normalised here).
    loglik, n_params : optional
        Set by :func:`fit_npmle_prior`; ``n_params`` defaults to 2 × support
        points − 1.

    Attributes
    ----------
    duality_gap : float or None
        The fitted NPMLE's certificate: max over the grid of
        D(θ) = (1/N) Σ_i L_i(θ) / f_i, minus 1, where f_i is unit i's
        marginal likelihood. It is 0 at the optimum, and the log-likelihood is
        at most N × duality_gap below the grid's maximum.
    converged : bool or None
        duality_gap met the solver's tolerance.
    support : int
        Number of support points: runs of adjacent grid points where the
        optimality condition is active (D(θ) = 1) carrying weight.

    Examples
    --------
    >>> p = GridPrior([0.2, 0.5], [0.75, 0.25])
    >>> round(p.mean, 3), round(p.sd, 3)
    (0.275, 0.13)
    >>> import danmark
    >>> danmark.prob_above([3], [10], prior=p, reference=0.3).round(3)["prob_above"].tolist()
    [0.162]
    >>> p.describe()
    'grid prior: 2 support points on a 2-point grid, mean 0.275, sd 0.13'
    """

    method = "npmle"

    def __init__(self, theta, weights, loglik=None, n_params=None, *, duality_gap=None, converged=None,
                 gradient=None, solver=None):
        theta = _flat(theta, "theta", probability=True)
        w = _flat(weights, "weights", minimum=0)
        if theta.shape != w.shape:
            raise ArgumentError(f"theta and weights must have equal length; got {theta.size} and {w.size}",
                                column="weights")
        if not w.sum() > 0:
            raise ArgumentError("weights must not all be zero", column="weights")
        order = np.argsort(theta, kind="stable")
        self.theta = theta[order]
        self.weights = w[order] / w.sum()
        self.loglik = loglik
        self.duality_gap = duality_gap
        self.converged = converged
        self.solver = solver
        self.support = support_runs(self.weights, None if gradient is None else np.asarray(gradient)[order])
        self._n_params = 2 * self.support - 1 if n_params is None else int(n_params)
        on = self.weights > 0
        self._theta_on, self._logw_on = self.theta[on], np.log(self.weights[on])

    mean = property(lambda self: float(self.weights @ self.theta), doc="Prior mean rate.")
    sd = property(lambda self: float(math.sqrt(max(self.weights @ (self.theta - self.mean) ** 2, 0.0))),
                  doc="Prior standard deviation of the rates.")
    n_params = property(lambda self: self._n_params, doc="2 × support points − 1 (a convention).")

    def __repr__(self) -> str:
        ll = "" if self.loglik is None else f", loglik={self.loglik:.4g}"
        return (f"GridPrior(grid={self.theta.size}, atoms={self.support}, mean={self.mean:.4g}, "
                f"sd={self.sd:.4g}{ll})")

    def describe(self) -> str:
        text = (f"grid prior: {self.support} support points on a {self.theta.size}-point grid, "
                f"mean {self.mean:.4g}, sd {self.sd:.4g}")
        if self.duality_gap is not None:
            text += f"; NPMLE by {self.solver}, relative duality gap {self.duality_gap:.1e}"
        return text

    def _post(self, k, n):
        """Posterior weights over the support points, (units, support)."""
        t = self._theta_on
        with np.errstate(divide="ignore", invalid="ignore"):
            logl = special.xlogy(k[:, None], t[None, :]) + special.xlog1py((n - k)[:, None], -t[None, :]) + self._logw_on
        logl -= logl.max(axis=1, keepdims=True)
        p = np.exp(logl)
        return p / p.sum(axis=1, keepdims=True)

    def posterior_mean(self, k, n) -> np.ndarray:
        return _in_chunks(lambda k, n: self._post(k, n) @ self._theta_on, k, n, width=self._theta_on.size)

    def posterior_quantile(self, k, n, *, q) -> np.ndarray:
        def chunk(k, n):
            pos = (np.cumsum(self._post(k, n), axis=1) < q - 1e-12).sum(axis=1)
            return self._theta_on[np.minimum(pos, self._theta_on.size - 1)]
        return _in_chunks(chunk, k, n, width=self._theta_on.size)

    def posterior_sf(self, k, n, *, reference) -> np.ndarray:
        return _in_chunks(lambda k, n, x: (self._post(k, n) * (self._theta_on[None, :] > x[:, None])).sum(1),
                          k, n, reference, width=self._theta_on.size)

    def marginal_loglik(self, k, n) -> float:
        t = self._theta_on

        def chunk(k, n):
            with np.errstate(divide="ignore", invalid="ignore"):
                logl = special.xlogy(k[:, None], t[None, :]) + special.xlog1py((n - k)[:, None], -t[None, :])
            return special.logsumexp(logl + self._logw_on, axis=1) + log_choose(n, k)
        return float(np.sum(_in_chunks(chunk, k, n, width=t.size)))


class BetaMixturePrior(Prior):
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
        w = _flat(weights, "weights", minimum=0)
        self.alphas = _flat(alphas, "alphas", minimum=0, strict=True)
        self.betas = _flat(betas, "betas", minimum=0, strict=True)
        if not (w.shape == self.alphas.shape == self.betas.shape):
            raise ArgumentError(f"a Beta mixture needs one weight, alpha and beta per component; got "
                                f"{w.size}, {self.alphas.size} and {self.betas.size}", column="weights")
        if not w.sum() > 0:
            raise ArgumentError("weights must not all be zero", column="weights")
        self.weights = w / w.sum()
        self.loglik = loglik

    n_params = property(lambda self: 3 * self.weights.size - 1, doc="Weights, alphas and betas less one.")

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

    def describe(self) -> str:
        comps = " + ".join(f"{w:.3g} Beta({a:.4g}, {b:.4g})" for w, a, b in zip(self.weights, self.alphas, self.betas, strict=True))
        return f"mixture of {self.weights.size} Betas: {comps}; mean {self.mean:.4g}, sd {self.sd:.4g}"

    def _post(self, k, n):
        """Posterior component weights (units, components) and shapes."""
        a, b = self.alphas[None, :], self.betas[None, :]
        with np.errstate(divide="ignore"):
            logw = np.log(self.weights)[None, :] + betabinom_loglik_core(a, b, k[:, None], n[:, None])
        logw -= logw.max(axis=1, keepdims=True)
        w = np.exp(logw)
        return w / w.sum(axis=1, keepdims=True), a + k[:, None], b + (n - k)[:, None]

    def posterior_mean(self, k, n) -> np.ndarray:
        k, n = np.asarray(k, float), np.asarray(n, float)
        w, A, B = self._post(np.atleast_1d(k), np.atleast_1d(n))
        return (w * A / (A + B)).sum(1).reshape(k.shape)

    def posterior_quantile(self, k, n, *, q) -> np.ndarray:
        k, n = np.atleast_1d(np.asarray(k, float)), np.atleast_1d(np.asarray(n, float))
        w, A, B = self._post(k, n)
        return bisect_quantiles(lambda t: (w * special.betainc(A, B, t[:, None])).sum(1), q, k.shape)

    def posterior_sf(self, k, n, *, reference) -> np.ndarray:
        k, n = np.atleast_1d(np.asarray(k, float)), np.atleast_1d(np.asarray(n, float))
        w, A, B = self._post(k, n)
        t = np.broadcast_to(np.asarray(reference, dtype=float), k.shape)
        return (w * special.betaincc(A, B, t[:, None])).sum(1)

    def marginal_loglik(self, k, n) -> float:
        k, n = np.atleast_1d(np.asarray(k, float)), np.atleast_1d(np.asarray(n, float))
        with np.errstate(divide="ignore"):
            logw = np.log(self.weights)[None, :] + betabinom_loglik_core(self.alphas[None, :], self.betas[None, :],
                                                                  k[:, None], n[:, None])
        return float(np.sum(special.logsumexp(logw, axis=1) + log_choose(n, k)))


# ---------------------------------------------------------------------------
# fitting


def fit_npmle_prior(k, n=None, *, grid_size=200, tol=1e-8, max_iter=300) -> GridPrior:
    """Kiefer–Wolfowitz NPMLE of the prior, solved to its optimum by mix-SQP.

    Parameters
    ----------
    k, n : counts, or a DataFrame as *k* (see :func:`danmark.shrink`).
    grid_size : int
        Grid points equally spaced on the logit scale between the smallest
        and largest plausible rates (so small rates get fine resolution);
        more are added where a unit's likelihood is narrower than the grid
        (large n) and next to the support where the optimality condition asks
        for them (:func:`danmark.stats.npmle.npmle_grid`, ``solve_npmle``).
    tol : float
        Relative duality gap at which the solver stops (reported as
        ``duality_gap`` on the result).
    max_iter : int
        mix-SQP iterations; past them (never seen in practice) EM continues
        and an :class:`NPMLEWarning` says the optimum was not certified.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> theta = rng.choice([0.2, 0.5], size=400)
    >>> n = np.full(400, 60)
    >>> p = fit_npmle_prior(rng.binomial(n, theta), n)
    >>> round(p.mean, 2), round(float(p.weights[p.theta < 0.35].sum()), 2), p.support, p.duality_gap <= 1e-8
    (0.37, 0.45, 3, True)
    """
    k_arr, n_arr = _units(k, n, "fit_prior(method='npmle')")
    tol = check_real(tol, "tol", minimum=0, strict=True)
    ku, nu, cu = _compress(k_arr, n_arr)
    theta = npmle_grid(ku, nu, int(grid_size))
    try:
        theta, res, shift = solve_npmle(ku, nu, cu, theta, tol=tol, max_iter=int(max_iter))
    except (np.linalg.LinAlgError, FloatingPointError, ValueError):
        res = None
    if res is not None and res.converged:
        ll = res.loglik + float(cu @ shift) + float(cu @ log_choose(nu, ku))
        return GridPrior(theta, res.weights, loglik=ll, duality_gap=res.gap, converged=True,
                         gradient=res.gradient, solver="mix-SQP")
    # EM's work capped at about 1e9 likelihood-cell products: a fallback that answers, not one that hangs
    w, ll, _ = npmle_em(ku, nu, theta, cu, tol=tol, max_iter=max(50, min(20 * int(max_iter), int(1e9 / (ku.size * theta.size)))))
    L, _ = likelihood_matrix(ku, nu, theta)
    D = np.asarray(L.T @ (cu / (L @ w))) / cu.sum()
    gap = float(D.max() - 1.0)
    warnings.warn(f"fit_prior(method='npmle'): mix-SQP did not converge; EM's weights are returned with "
                  f"relative duality gap {gap:.2g} (tolerance {tol:g}): the log-likelihood may be below "
                  "the optimum", NPMLEWarning, stacklevel=3)
    return GridPrior(theta, w, loglik=ll + float(cu @ log_choose(nu, ku)), duality_gap=gap, converged=False,
                     gradient=D, solver="EM")


def _mixture_negll(par, ku, nu, cu):
    logit_p, t1, s1, t2, s2 = par
    p = special.expit(logit_p)
    comps = []
    for t, s, wt in ((t1, s1, p), (t2, s2, 1.0 - p)):
        S = math.exp(min(s, _MAX_LOG_STRENGTH))
        comps.append(math.log(max(wt, 1e-300)) + betabinom_loglik_core(S * special.expit(t), S * special.expit(-t), ku, nu))
    return -float(cu @ np.logaddexp(comps[0], comps[1]))


def fit_mixture_prior(k, n=None, *, starts=6, beta=None) -> BetaMixturePrior:
    """Two-component Beta mixture prior by maximum marginal likelihood (as ebbr's ``ebb_fit_mixture``).

    Started from splits of the raw rates at several quantiles and from the
    one-Beta fit (*beta*, fitted here when not given) split in two equal
    halves; the best fit is kept, so its log-likelihood is never below the
    one Beta's. Components are ordered by mean.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> theta = np.where(rng.random(600) < 0.7, rng.beta(20, 80, 600), rng.beta(30, 30, 600))
    >>> n = np.full(600, 80)
    >>> p = fit_mixture_prior(rng.binomial(n, theta), n)
    >>> p.weights.round(1).tolist(), (p.alphas / (p.alphas + p.betas)).round(2).tolist()
    ([0.7, 0.3], [0.2, 0.5])
    """
    from scipy import optimize  # imported here: ``import danmark`` stays light

    k_arr, n_arr = _units(k, n, "fit_prior(method='mixture')")
    ku, nu, cu = _compress(k_arr, n_arr)
    raw = k_arr / n_arr
    one = _one_beta(k_arr, n_arr) if beta is None else beta
    bounds = [(-10, 10), (-15, 15), (-5, _MAX_LOG_STRENGTH), (-15, 15), (-5, _MAX_LOG_STRENGTH)]
    t_one = float(np.clip(special.logit(one.mean), -15, 15))
    s_one = float(np.clip(math.log(one.strength), -5, _MAX_LOG_STRENGTH))
    at_one = np.array([0.0, t_one, s_one, t_one, s_one])  # the one Beta, as a mixture of two equal halves
    best = optimize.OptimizeResult(x=at_one, fun=_mixture_negll(at_one, ku, nu, cu))
    tried = False
    for q in np.linspace(0.2, 0.8, max(int(starts), 1)):
        cut = np.quantile(raw, q)
        low, high = raw[raw <= cut], raw[raw > cut]
        if low.size < 2 or high.size < 2:
            continue
        tried = True
        m1 = float(np.clip(low.mean(), 1e-3, 1 - 1e-3))
        m2 = float(np.clip(high.mean(), 1e-3, 1 - 1e-3))
        s = math.log(max(min(one.strength, 1e4), 2.0)) + 1.0
        start = [special.logit(np.clip(low.size / raw.size, 0.05, 0.95)), special.logit(m1), s, special.logit(m2), s]
        res = optimize.minimize(_mixture_negll, start, args=(ku, nu, cu), method="L-BFGS-B", bounds=bounds)
        if res.fun < best.fun:
            best = res
    if not tried:
        raise DataError("fit_prior(method='mixture') needs rates that vary: too few distinct units to split")
    lp, t1, s1, t2, s2 = best.x
    p = float(special.expit(lp))
    S1, S2 = math.exp(s1), math.exp(s2)
    comps = sorted([(p, S1 * special.expit(t1), S1 * special.expit(-t1)),
                    (1.0 - p, S2 * special.expit(t2), S2 * special.expit(-t2))],
                   key=lambda c: c[1] / (c[1] + c[2]))
    ll = -best.fun + float(cu @ log_choose(nu, ku))
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
        ceiling any prior can reach, and the mixture contains the one Beta:
        both are checked to be at least the one Beta's.

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> n = rng.integers(20, 200, 300)
    >>> table = compare_priors(rng.binomial(n, rng.beta(8, 16, 300)), n)
    >>> table.index.tolist(), bool(table.loc["beta", "delta_aic"] < 4)
    (['beta', 'mixture', 'npmle'], True)
    """
    k_arr, n_arr = _units(k, n, "compare_priors")
    beta = _one_beta(k_arr, n_arr)
    priors = {"beta": beta, "mixture": fit_mixture_prior(k_arr, n_arr, beta=beta),
              "npmle": fit_npmle_prior(k_arr, n_arr)}
    fits = {name: (p.marginal_loglik(k_arr, n_arr), p.n_params) for name, p in priors.items()}
    slack = 1e-9 * abs(fits["beta"][0]) + 1e-6
    for name in ("mixture", "npmle"):
        if fits[name][0] < fits["beta"][0] - slack:  # a solver failure, never a table that says otherwise
            raise AssertionError(f"compare_priors: the {name} prior's log-likelihood {fits[name][0]:.6f} is below "
                                 f"the one Beta's {fits['beta'][0]:.6f}, which it contains; please report this")
    out = pd.DataFrame(fits, index=["loglik", "n_params"]).T
    out["n_params"] = out["n_params"].astype(int)
    out["aic"] = -2.0 * out["loglik"] + 2.0 * out["n_params"]
    out["delta_aic"] = out["aic"] - out["aic"].min()
    out.index.name = "prior"
    return out
