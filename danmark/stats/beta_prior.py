"""One Beta prior for the units' true rates, and its fit by marginal maximum likelihood.

The model: unit *j* has a true rate θ_j drawn from a population Beta(α, β);
its *k_j* reversed out of *n_j* decided cases are binomial given θ_j. The
posterior of θ_j is Beta(α + k_j, β + n_j − k_j). :func:`fit_beta_prior`
estimates (α, β) from all units (as ebbr); :func:`danmark.fit_prior` calls it
by default.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import special

from .._defaults import DEFAULT_LEVEL, DEFAULT_PRIOR_STRENGTH
from .._special import beta_hpd, betabinom_loglik_core, digamma_diff, log_choose
from .._units import as_units
from .._validate import check_choice, check_level, check_probability, check_real
from ..errors import ArgumentError, DataError
from .prior_protocol import Prior

__all__ = ["DEFAULT_PRIOR_STRENGTH", "POOLED_STRENGTH_FACTOR", "BetaConjugate", "BetaPrior", "PoolingWarning",
           "fit_beta_prior"]

#: when the data show no extra-binomial variation the beta-binomial MLE of the
#: strength α + β is infinite; it is then reported as this multiple of the
#: largest n, which makes every unit's weight at least 1 − 1e-6.
POOLED_STRENGTH_FACTOR = 1e6

_MIN_STRENGTH = 1e-3


class PoolingWarning(UserWarning):
    """The data carry no sign of variation between units beyond chance.

    The fitted prior is then (almost) complete pooling: every unit is
    estimated by the common rate. It is a warning, not an error, because
    "no detectable difference between kommuner" is a legitimate finding.
    """


# ---------------------------------------------------------------------------
# the prior


def _floats(k, n):
    return np.asarray(k, dtype=float), np.asarray(n, dtype=float)


class BetaConjugate(Prior):
    """What every Beta-shaped prior shares: the conjugate posterior Beta(α + k, β + n − k).

    Subclasses hold ``alpha`` and ``beta`` (numbers, or one per unit); the
    posterior methods of :class:`~danmark.stats.prior_protocol.Prior` follow in
    closed form, including the HPD interval.
    """

    alpha: float | np.ndarray
    beta: float | np.ndarray

    @property
    def mean(self):
        """α / (α + β)."""
        return self.alpha / (self.alpha + self.beta)

    @property
    def strength(self):
        """α + β: the prior is worth this many cases."""
        return self.alpha + self.beta

    def _shapes(self, k, n):
        k, n = _floats(k, n)
        return self.alpha + k, self.beta + (n - k)

    def posterior_mean(self, k, n) -> np.ndarray:
        a1, b1 = self._shapes(k, n)
        return a1 / (a1 + b1)

    def posterior_quantile(self, k, n, *, q) -> np.ndarray:
        a1, b1 = self._shapes(k, n)
        return special.betaincinv(a1, b1, q)

    def posterior_interval(self, k, n, *, level=DEFAULT_LEVEL, kind="equal-tailed"):
        a1, b1 = self._shapes(k, n)
        if kind == "hpd":
            return beta_hpd(a1, b1, level)
        if kind != "equal-tailed":
            raise ArgumentError(f"unknown interval {kind!r}; use 'equal-tailed' or 'hpd'", column="interval")
        return special.betaincinv(a1, b1, (1.0 - level) / 2.0), special.betaincinv(a1, b1, (1.0 + level) / 2.0)

    def posterior_sf(self, k, n, *, reference) -> np.ndarray:
        a1, b1 = self._shapes(k, n)
        return special.betaincc(a1, b1, np.asarray(reference, dtype=float))

    def prior_weight(self, k, n) -> np.ndarray:
        s = self.strength
        return s / (s + _floats(k, n)[1])

    def posterior_shapes(self, k, n) -> dict:
        a1, b1 = self._shapes(k, n)
        return {"alpha1": a1, "beta1": b1}

    def marginal_loglik(self, k, n) -> float:
        k, n = _floats(k, n)
        return float(np.sum(log_choose(n, k) + betabinom_loglik_core(self.alpha, self.beta, k, n)))


@dataclass(frozen=True, repr=False)
class BetaPrior(BetaConjugate):
    """A Beta(α, β) population distribution of true rates.

    Parameters
    ----------
    alpha, beta : float
        Positive shape parameters.
    loglik : float, optional
        Beta-binomial log-likelihood of the data it was fitted to (including
        the binomial coefficients, as ``scipy.stats.betabinom.logpmf``).
    method : str
        How it was obtained: ``"mle"``, ``"mm"`` or ``"given"``.
    pooled : bool
        True when :func:`fit_prior` found no variation beyond binomial chance
        and returned complete pooling (a :class:`PoolingWarning` was issued;
        the strength is then a large stand-in for infinity).

    Examples
    --------
    >>> p = BetaPrior.from_mean(0.2, 50)
    >>> p
    BetaPrior(alpha=10, beta=40, mean=0.2, strength=50, method='given')
    >>> round(p.sd, 4), [round(x, 4) for x in p.interval(level=0.9)]
    (0.056, [0.1151, 0.2986])
    """

    alpha: float
    beta: float
    loglik: float | None = None
    method: str = "given"
    pooled: bool = False

    def __post_init__(self):
        for name in ("alpha", "beta"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
                raise ArgumentError(f"BetaPrior {name} must be a positive number; got {value!r}", column=name)
            if not (math.isfinite(float(value)) and float(value) > 0):
                raise ArgumentError(f"BetaPrior {name} must be a positive finite number; got {value!r}", column=name)
            object.__setattr__(self, name, float(value))

    @classmethod
    def from_mean(cls, mean, strength, **kwargs) -> BetaPrior:
        """The Beta with mean *mean* and strength α + β = *strength*."""
        m = check_probability(mean, "mean", open_interval=True)
        if m.ndim != 0:
            raise ArgumentError(f"mean must be one rate; got shape {m.shape}", column="mean")
        s = check_real(strength, "strength", minimum=0, strict=True)
        return cls(float(m) * s, (1.0 - float(m)) * s, **kwargs)

    @property
    def sd(self) -> float:
        """Standard deviation of the true rates across units."""
        m, s = self.mean, self.strength
        return math.sqrt(m * (1.0 - m) / (s + 1.0))

    @property
    def n_params(self) -> int:
        """Two: α and β."""
        return 2

    def describe(self) -> str:
        """One line: the Beta's shapes, mean and strength."""
        return (f"one Beta({self.alpha:.4g}, {self.beta:.4g}): mean {self.mean:.4g}, strength {self.strength:.4g}"
                + (" (complete pooling)" if self.pooled else ""))

    def ppf(self, q):
        """Quantiles of the population distribution."""
        return special.betaincinv(self.alpha, self.beta, np.asarray(q, dtype=float))

    def interval(self, *, level=DEFAULT_LEVEL) -> tuple[float, float]:
        """Central interval holding *level* of the population's true rates."""
        level = check_level(level)
        lo, hi = self.ppf([(1.0 - level) / 2.0, (1.0 + level) / 2.0])
        return float(lo), float(hi)

    def __repr__(self) -> str:
        return (
            f"BetaPrior(alpha={self.alpha:.4g}, beta={self.beta:.4g}, mean={self.mean:.4g}, "
            f"strength={self.strength:.4g}, method={self.method!r}"
            + (", pooled=True)" if self.pooled else ")")
        )


def _full_loglik(alpha, beta, k, n) -> float:
    k = k.astype(float)
    n = n.astype(float)
    return float(np.sum(log_choose(n, k) + betabinom_loglik_core(alpha, beta, k, n)))



def fit_beta_prior(k, n=None, *, method="mle", stacklevel=2) -> BetaPrior:
    """Estimate the population Beta(α, β) from many units' counts (what ``danmark.fit_prior`` does by default).

    Parameters
    ----------
    k, n : array-like or Series, or a DataFrame as *k*
        Reversed and decided cases per unit. Units with n = 0 carry no
        information and are ignored.
    method : {"mle", "mm"}
        ``"mle"`` maximises the beta-binomial marginal likelihood over
        (logit mean, log strength), started from the method-of-moments
        values. ``"mm"`` is the crude method of moments of BDA3 §5.1: the
        mean and sample variance (ddof = 1) of the raw rates k/n are matched
        to a Beta, ignoring the binomial noise in each rate.

    Returns
    -------
    BetaPrior

    Warns
    -----
    PoolingWarning
        When the rates vary no more than binomial chance allows, the
        likelihood keeps rising as α + β → ∞. The prior is then returned as
        complete pooling: mean = Σk / Σn and strength =
        ``POOLED_STRENGTH_FACTOR`` × max(n) (1e6 × the largest unit), so every
        weight is at least 1 − 1e-6. (Also when the MLE hits the lower limit
        α + β = 1e-3, i.e. units that are all-or-nothing.)

    Raises
    ------
    DataError
        Fewer than two units with cases; all k = 0 or all k = n (the mean is
        then on the boundary and no Beta fits); for ``"mm"`` a spread of rates
        too large for any Beta.
    ArgumentError
        An unknown method.

    (*stacklevel*: where the warnings point, as in :func:`warnings.warn`.)

    Examples
    --------
    >>> k = [0, 1, 2, 3, 5, 8, 1, 4]
    >>> n = [20, 19, 25, 24, 21, 20, 10, 30]
    >>> fit_beta_prior(k, n, method="mm")
    BetaPrior(alpha=0.9484, beta=5.771, mean=0.1411, strength=6.72, method='mm')
    >>> fit_beta_prior(k, n)
    BetaPrior(alpha=2.283, beta=13.75, mean=0.1424, strength=16.03, method='mle')
    """
    check_choice(method, "method", ("mle", "mm"))
    k_arr, n_arr, _, _ = as_units(k, n, where="fit_prior")
    keep = n_arr > 0
    k_arr = k_arr[keep]
    n_arr = n_arr[keep]
    if k_arr.size < 2:
        raise DataError(f"fit_prior needs at least two units with n > 0; got {k_arr.size}")
    if np.all(k_arr == 0):
        raise DataError("all units have k = 0: the fitted mean would be 0; give a prior with BetaPrior.from_mean")
    if np.all(k_arr == n_arr):
        raise DataError("all units have k = n: the fitted mean would be 1; give a prior with BetaPrior.from_mean")
    s_max = POOLED_STRENGTH_FACTOR * float(n_arr.max())
    pooled = float(k_arr.sum() / n_arr.sum())

    rates = k_arr / n_arr
    m = float(rates.mean())
    v = float(rates.var(ddof=1))
    if method == "mm":
        if v <= 0:
            return _pooled_prior(pooled, s_max, k_arr, n_arr, "mm", "the raw rates are all equal", stacklevel)
        strength = m * (1.0 - m) / v - 1.0
        if strength <= 0:
            raise DataError(
                f"the raw rates vary too much for a Beta (variance {v:.4g} >= mean(1 - mean) = {m * (1 - m):.4g})"
            )
        if strength >= s_max:
            return _pooled_prior(m, s_max, k_arr, n_arr, "mm", "the raw rates hardly vary", stacklevel)
        alpha, beta = m * strength, (1.0 - m) * strength
        return BetaPrior(alpha, beta, loglik=_full_loglik(alpha, beta, k_arr, n_arr), method="mm")

    # --- maximum likelihood on (logit mean, log strength)
    pairs, counts = np.unique(np.stack([k_arr, n_arr]), axis=1, return_counts=True)
    ku = pairs[0].astype(float)
    nu = pairs[1].astype(float)
    cu = counts.astype(float)
    total = cu.sum()
    s_lo, s_hi = math.log(_MIN_STRENGTH), math.log(s_max)

    def negll(par):
        t, s = par
        mu = special.expit(t)
        S = math.exp(s)
        a = S * mu
        b = S * special.expit(-t)
        ll = float(np.dot(cu, betabinom_loglik_core(a, b, ku, nu)))
        ga = np.dot(cu, digamma_diff(a, ku) - digamma_diff(S, nu))
        gb = np.dot(cu, digamma_diff(b, nu - ku) - digamma_diff(S, nu))
        dt = S * mu * (1.0 - mu) * (ga - gb)
        ds = a * ga + b * gb
        return -ll / total, -np.array([dt, ds]) / total

    m0 = min(max(m, 1e-6), 1 - 1e-6)
    s0 = m0 * (1 - m0) / v - 1.0 if v > 0 else np.inf
    if not np.isfinite(s0) or s0 <= 0:
        s0 = 10.0
    start = np.array([special.logit(min(max(pooled, 1e-6), 1 - 1e-6)), np.clip(math.log(s0), s_lo + 1, s_hi - 1)])
    from scipy import optimize  # imported here: ``import danmark`` stays light

    res = optimize.minimize(
        negll,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=[(-30.0, 30.0), (s_lo, s_hi)],
        options={"maxiter": 1000, "ftol": 1e-14, "gtol": 1e-10},
    )
    t_hat, s_hat = res.x
    ll_hat = -res.fun * total
    with np.errstate(divide="ignore", invalid="ignore"):
        ll_pool = float(
            np.dot(cu, special.xlogy(ku, pooled) + special.xlogy(nu - ku, 1.0 - pooled))
        )
    if s_hat > s_hi - 1.0 or ll_hat <= ll_pool:
        return _pooled_prior(pooled, s_max, k_arr, n_arr, "mle", "the beta-binomial MLE of the strength is infinite",
                             stacklevel)
    if s_hat < s_lo + 1.0:
        warnings.warn(
            "fit_prior: the MLE of the strength alpha + beta is at its lower limit "
            f"({_MIN_STRENGTH}); the units look all-or-nothing (rates near 0 or 1)",
            PoolingWarning,
            stacklevel=stacklevel,
        )
    mu = float(special.expit(t_hat))
    S = math.exp(s_hat)
    alpha, beta = S * mu, S * float(special.expit(-t_hat))
    return BetaPrior(alpha, beta, loglik=_full_loglik(alpha, beta, k_arr, n_arr), method="mle")



def _pooled_prior(mean, strength, k_arr, n_arr, method, why, stacklevel) -> BetaPrior:
    warnings.warn(
        f"fit_prior: {why}; no variation between units beyond binomial chance, so the prior is "
        f"complete pooling (mean {mean:.4g}, strength {strength:.3g} = "
        f"{POOLED_STRENGTH_FACTOR:g} x the largest n)",
        PoolingWarning,
        stacklevel=stacklevel + 1,
    )
    alpha, beta = mean * strength, (1.0 - mean) * strength
    return BetaPrior(alpha, beta, loglik=_full_loglik(alpha, beta, k_arr, n_arr), method=method, pooled=True)


