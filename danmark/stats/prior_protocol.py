"""The one interface every fitted prior of danmark implements.

A prior is the population distribution of the units' true rates θ. Given a
unit's counts (k reversed out of n decided) the posterior of its θ follows,
and :func:`danmark.shrink`, :func:`danmark.prob_above`,
:func:`danmark.prior_sensitivity` and :func:`danmark.compare_priors` need only
these few things from it:

==========================================  ==========================================================
``mean``                                    prior mean rate (one number, or one per unit)
``n_params``                                number of fitted parameters (for AIC)
``loglik``                                  marginal log-likelihood of the data it was fitted to, or None
``method``, ``pooled``                      how it was obtained; True for complete pooling
``posterior_mean(k, n)``                    E[θ | k, n] per unit
``posterior_quantile(k, n, q=)``            the q-quantile of θ | k, n per unit
``posterior_interval(k, n, level, kind)``   ``(lower, upper)``: equal-tailed, or ``"hpd"`` where defined
``posterior_sf(k, n, reference=)``           P(θ > reference | k, n) per unit (the tail probability)
``prior_weight(k, n)``                      the pull toward the prior mean: (estimate − k/n) / (mean − k/n)
``posterior_shapes(k, n)``                  closed-form posterior parameters as columns (``{}`` if none)
``marginal_loglik(k, n)``                   Σ log P(k | n) under the prior, binomial coefficients included
``for_units(count, frame)``                 the prior of each of *count* units (a regression prior's rows)
``describe()``                              one line of English saying what the prior is
==========================================  ==========================================================

Counts are float arrays of equal shape with 0 <= k <= n (n = 0 allowed: the
posterior is then the prior). The implementations are :class:`BetaPrior`
(:mod:`danmark.stats.beta_prior`), :class:`GridPrior` and
:class:`BetaMixturePrior` (:mod:`danmark.stats.priors_nonparametric`) and
:class:`PriorRegression` with its per-row :class:`RowBetas`
(:mod:`danmark.stats.prior_regression`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from .._defaults import DEFAULT_LEVEL
from ..errors import ArgumentError

__all__ = ["Prior", "bisect_quantiles"]


class Prior(ABC):
    """Abstract base of every prior: subclasses implement the abstract methods, the rest has defaults.

    Examples
    --------
    >>> import danmark
    >>> p = danmark.BetaPrior(2, 8)
    >>> isinstance(p, Prior), p.describe()
    (True, 'one Beta(2, 8): mean 0.2, strength 10')
    >>> [round(float(x), 4) for x in (p.posterior_mean(3, 10), p.posterior_sf(3, 10, reference=0.3))]
    [0.25, 0.2822]
    """

    loglik: float | None = None
    method: str = "given"
    pooled: bool = False

    @property
    @abstractmethod
    def mean(self):
        """Prior mean rate."""

    @property
    @abstractmethod
    def n_params(self) -> int:
        """Number of fitted parameters (AIC counts them)."""

    @property
    def aic(self) -> float:
        """−2 loglik + 2 × n_params (NaN when the prior was not fitted)."""
        return float("nan") if self.loglik is None else -2.0 * self.loglik + 2.0 * self.n_params

    @abstractmethod
    def posterior_mean(self, k, n) -> np.ndarray:
        """Posterior mean of θ per unit."""

    @abstractmethod
    def posterior_quantile(self, k, n, *, q) -> np.ndarray:
        """The *q*-quantile (one probability) of the posterior of θ per unit."""

    @abstractmethod
    def posterior_sf(self, k, n, *, reference) -> np.ndarray:
        """P(θ > reference | k, n) per unit (*reference* one rate or one per unit)."""

    @abstractmethod
    def marginal_loglik(self, k, n) -> float:
        """Σ_i log P(k_i | n_i) with θ drawn from the prior (binomial coefficients included)."""

    @abstractmethod
    def describe(self) -> str:
        """A short English description of the prior."""

    def posterior_interval(self, k, n, *, level=DEFAULT_LEVEL, kind="equal-tailed"):
        """``(lower, upper)`` holding posterior probability *level*; only equal-tailed unless overridden."""
        if kind != "equal-tailed":
            raise ArgumentError(f"interval={kind!r} needs a Beta prior; a {self.method} prior gives "
                                "equal-tailed intervals", column="interval")
        return (self.posterior_quantile(k, n, q=(1.0 - level) / 2.0),
                self.posterior_quantile(k, n, q=(1.0 + level) / 2.0))

    def prior_weight(self, k, n) -> np.ndarray:
        """Share of the estimate from the prior: (estimate − k/n) / (mean − k/n); 1 where n = 0."""
        k, n = _floats(k, n)
        with np.errstate(divide="ignore", invalid="ignore"):
            raw = np.where(n > 0, k / n, np.nan)
            gap = self.mean - raw
            weight = np.where(np.abs(gap) > 1e-12, (self.posterior_mean(k, n) - raw) / gap, np.nan)
        return np.where(n > 0, weight, 1.0)

    def posterior_shapes(self, k, n) -> dict:
        """Closed-form posterior parameters as named columns; none for a prior without them."""
        return {}

    def for_units(self, count: int, frame=None) -> Prior:
        """The prior of each of *count* units (*frame*: their table); a common prior is its own answer."""
        return self


def _floats(k, n):
    return np.asarray(k, dtype=float), np.asarray(n, dtype=float)


def bisect_quantiles(cdf, q, shape, iters=60) -> np.ndarray:
    """Solve cdf(t) = q for t in [0, 1] per unit by bisection (*cdf* maps an array of t of *shape* to it).

    Examples
    --------
    >>> bisect_quantiles(lambda t: t**2, 0.25, (1,)).round(6).tolist()
    [0.5]
    """
    lo, hi = np.zeros(shape), np.ones(shape)
    for _ in range(iters):
        mid = (lo + hi) / 2.0
        below = cdf(mid) < q
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return (lo + hi) / 2.0
