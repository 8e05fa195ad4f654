"""Empirical-Bayes beta-binomial shrinkage of reversal rates.

The model: kommune *j* has a true reversal rate θ_j drawn from a population
Beta(α, β); its *k_j* reversed out of *n_j* decided cases are binomial given
θ_j. :func:`fit_prior` estimates (α, β) from all kommuner (the "prior", as in
ebbr), :func:`shrink` returns each kommune's posterior Beta(α + k, β + n − k)
and :func:`prob_above` the posterior probability that the true rate exceeds a
reference rate, with ebbr-style posterior error probabilities and q-values.

Small kommuner are pulled hardest towards the population mean: the column
``weight`` = (α + β) / (α + β + n) is the share of the estimate that comes
from the population rather than from the kommune's own cases.

Functions that take counts accept ``k, n`` (arrays, Series) or a DataFrame in
place of *k* (with *n* omitted) holding either columns ``k`` and ``n`` or the
tidy count columns ``stadfaestet``, ``aendret``, ``hjemvist`` (then k =
omgjort = aendret + hjemvist and n = all three, as in
:func:`danmark.with_rates`). Given a DataFrame they return it with the new
columns added.

See :mod:`danmark.hierarchical_model` for the full-Bayes version that also carries
the uncertainty about (α, β).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._defaults import DEFAULT_LEVEL
from .._special import qvalues
from .._units import as_units, output
from .._validate import align, check_choice, check_level, check_probability, check_real
from ..errors import ArgumentError, DataError
from .beta_prior import (  # noqa: F401  (re-exported: the names' public home since 0.1)
    DEFAULT_PRIOR_STRENGTH,
    POOLED_STRENGTH_FACTOR,
    BetaPrior,
    PoolingWarning,
    fit_beta_prior,
)
from .prior_protocol import Prior
from .prior_regression import fit_prior_regression
from .priors_nonparametric import fit_mixture_prior, fit_npmle_prior

__all__ = ["BetaPrior", "PoolingWarning", "as_prior", "fit_prior", "prior_sensitivity", "prob_above", "shrink"]

def as_prior(prior, count=None, frame=None) -> Prior:
    """A prior of danmark for *count* units (*frame*: their table), from a fitted prior or an (alpha, beta) pair.

    Examples
    --------
    >>> as_prior((2, 8))
    BetaPrior(alpha=2, beta=8, mean=0.2, strength=10, method='given')
    """
    if isinstance(prior, Prior):
        return prior.for_units(count, frame)
    if isinstance(prior, tuple | list) and len(prior) == 2:
        return BetaPrior(*prior)
    raise ArgumentError(f"prior must be a BetaPrior, an (alpha, beta) pair or a fitted prior of danmark; "
                        f"got {prior!r}", column="prior")




def fit_prior(k, n=None, *, method="mle", formula=None, strength_formula=None):
    """Estimate the population Beta(α, β) from many units' counts.

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

    formula, strength_formula : str, optional
        One-sided patsy formulas (e.g. ``"~ C(year) + np.log(population)"``)
        for the logit of the prior mean and the log of its strength, with *k*
        a DataFrame holding their columns: a beta-binomial regression prior,
        see :mod:`danmark.stats.prior_regression`. Each row then gets its own
        prior. Give either one; the other defaults to ``"~ 1"``.

    Returns
    -------
    Prior
        A :class:`BetaPrior` (a :class:`~danmark.stats.prior_regression.PriorRegression` with a
        formula; a grid or mixture prior for ``"npmle"`` / ``"mixture"``, see
        :mod:`danmark.stats.priors_nonparametric`)

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

    Examples
    --------
    >>> k = [0, 1, 2, 3, 5, 8, 1, 4]
    >>> n = [20, 19, 25, 24, 21, 20, 10, 30]
    >>> fit_prior(k, n, method="mm")
    BetaPrior(alpha=0.9484, beta=5.771, mean=0.1411, strength=6.72, method='mm')
    >>> fit_prior(k, n)
    BetaPrior(alpha=2.283, beta=13.75, mean=0.1424, strength=16.03, method='mle')
    """
    from threadpoolctl import threadpool_limits

    check_choice(method, "method", ("mle", "mm", "npmle", "mixture"))
    if (formula is not None or strength_formula is not None) and (n is not None or method != "mle"):
        raise ArgumentError("fit_prior with a formula takes one DataFrame (no n) and method 'mle'", column="formula")
    # small vectors in the optimisers (L-BFGS-B, BFGS, Newton): one BLAS thread is 2-3x faster than two
    # waking each other on a busy machine, with the same answer
    with threadpool_limits(1):
        if formula is not None or strength_formula is not None:
            return fit_prior_regression(k, formula or "~ 1", strength_formula or "~ 1")
        if method == "npmle":
            return fit_npmle_prior(k, n)
        if method == "mixture":
            return fit_mixture_prior(k, n)
        return fit_beta_prior(k, n, method=method, stacklevel=3)


# ---------------------------------------------------------------------------
# posterior per unit


def shrink(k, n=None, *, prior=None, level=DEFAULT_LEVEL, interval="equal-tailed") -> pd.DataFrame:
    """Empirical-Bayes estimate of each unit's rate: the posterior Beta(α + k, β + n − k).

    Parameters
    ----------
    k, n : array-like or Series, or a DataFrame as *k*
        See the module docstring.
    prior : BetaPrior or (alpha, beta), optional
        The population distribution. Default: :func:`fit_prior` by maximum
        likelihood on the same units.
    level : float
        Posterior probability inside ``[lower, upper]``.
    interval : {"equal-tailed", "hpd"}
        ``"hpd"`` gives the shortest interval (highest posterior density);
        for k = 0 (or k = n) with a decreasing (increasing) density it starts
        at 0 (ends at 1).

    Returns
    -------
    DataFrame
        ``k``, ``n``; ``raw`` = k/n (NaN when n = 0); ``estimate`` = posterior
        mean (α + k) / (α + β + n); ``median``; ``lower``, ``upper``;
        ``weight`` = (α + β) / (α + β + n), the pull towards the population
        mean; ``alpha1``, ``beta1`` = the posterior Beta's shapes. Index from
        the Series, or the caller's DataFrame with these columns added.

    Examples
    --------
    The current rat experiment of BDA3 §5.1, 4 tumours in 14 rats, under the
    method-of-moments prior Beta(1.4, 8.6):

    >>> shrink(4, 14, prior=BetaPrior(1.4, 8.6)).round(3)
       k   n    raw  estimate  median  lower  upper  weight  alpha1  beta1
    0  4  14  0.286     0.225   0.217  0.085  0.408   0.417     5.4   18.6
    """
    interval_key = str(interval).lower() if isinstance(interval, str) else None
    if interval_key not in ("equal-tailed", "hpd"):
        raise ArgumentError(f"unknown interval {interval!r}; use 'equal-tailed' or 'hpd'", column="interval")
    level = check_level(level)
    k_arr, n_arr, index, frame = as_units(k, n, where="shrink")
    prior = fit_prior(k_arr, n_arr, method="mle") if prior is None else as_prior(prior, k_arr.size, frame)
    kf, nf = k_arr.astype(float), n_arr.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(n_arr > 0, kf / nf, np.nan)
    lower, upper = prior.posterior_interval(kf, nf, level=level, kind=interval_key)
    cols = {
        "k": k_arr,
        "n": n_arr,
        "raw": raw,
        "estimate": prior.posterior_mean(kf, nf),
        "median": prior.posterior_quantile(kf, nf, q=0.5),
        "lower": lower,
        "upper": upper,
        "weight": prior.prior_weight(kf, nf),
        **prior.posterior_shapes(kf, nf),
    }
    return output(cols, index, frame)


def prob_above(k, n=None, *, prior=None, reference=None) -> pd.DataFrame:
    """Posterior probability that each unit's true rate exceeds *reference*.

    Parameters
    ----------
    k, n : array-like or Series, a DataFrame as *k*, or a HierarchicalResult
        Counts as in :func:`shrink`; or the result of
        :func:`danmark.hierarchical`, in which case the probability is the
        exact mixture over its hyperparameter grid (no sampling) and *n*
        and *prior* must be omitted.
    prior : BetaPrior or (alpha, beta), optional
        Default: fitted by maximum likelihood on the same units.
    reference : float or array-like, optional
        Rate(s) in [0, 1], one for all units or one per unit. Default: the
        population mean (the prior mean; for a HierarchicalResult the
        posterior mean of α / (α + β)), i.e. "worse than the typical unit".

    Returns
    -------
    DataFrame
        ``k``, ``n``, ``prob_above`` = P(θ > reference | data), ``pep`` = 1 −
        prob_above (the posterior error probability of declaring the unit
        above the reference) and ``qvalue``: the mean PEP of all units at
        least as convincing as this one, i.e. the expected share of false
        discoveries if every unit with a q-value this small is declared
        above (ebbr's ``add_ebb_prop_test``; Robinson, *Introduction to
        Empirical Bayes*, ch. "Hypothesis testing").

    Examples
    --------
    >>> prob_above([4, 12], [14, 22], prior=BetaPrior(1.4, 8.6), reference=0.2).round(3)
        k   n  prob_above    pep  qvalue
    0   4  14       0.582  0.418   0.210
    1  12  22       0.997  0.003   0.003
    """
    if hasattr(k, "prob_above") and not isinstance(k, pd.DataFrame | pd.Series | np.ndarray):
        # a HierarchicalResult computes its own (exact mixture) probabilities
        if n is not None or prior is not None:
            raise ArgumentError("prob_above: with a HierarchicalResult give only reference", column="prior")
        return k.prob_above(reference=reference)
    k_arr, n_arr, index, frame = as_units(k, n, where="prob_above")
    prior = fit_prior(k_arr, n_arr, method="mle") if prior is None else as_prior(prior, k_arr.size, frame)
    t = prior.mean if reference is None else reference
    if isinstance(t, pd.Series):  # one reference per unit: paired by label
        _, t = align(pd.Series(np.zeros(len(index)), index=index), t, names=("the units", "reference"))
    t = check_probability(t, "reference")
    try:
        t = np.broadcast_to(t, k_arr.shape).astype(float)
    except ValueError:
        raise ArgumentError(f"reference must be one number or one per unit ({k_arr.size})",
                            column="reference") from None
    p = prior.posterior_sf(k_arr.astype(float), n_arr.astype(float), reference=t)
    return prob_table(k_arr, n_arr, p, index, frame)


def prob_table(k_arr, n_arr, p, index, frame) -> pd.DataFrame:
    """The columns of :func:`prob_above` from P(θ > reference) per unit (shared with the hierarchical model)."""
    p = np.clip(np.asarray(p, dtype=float), 0.0, 1.0)
    pep = 1.0 - p
    cols = {"k": k_arr, "n": n_arr, "prob_above": p, "pep": pep, "qvalue": qvalues(pep)}
    return output(cols, index, frame)


def prior_sensitivity(k, n=None, *, means, strengths, level=DEFAULT_LEVEL, reference=None) -> pd.DataFrame:
    """Shrunk estimate and P(above) for one unit over a grid of prior means and strengths.

    When only one kommune's counts are known, the prior has to be anchored on an
    external figure (the national rate) with an assumed strength; this shows how
    much the answer depends on both choices.

    Parameters
    ----------
    k, n : int, or a one-row DataFrame as *k*
        The unit's reversed and decided cases (a DataFrame with ``k``/``n`` or
        the tidy counts, read as :func:`shrink` reads it, must hold one unit).
    means : float or sequence of float
        Prior means in (0, 1), e.g. candidate national rates.
    strengths : float or sequence of float
        Prior strengths α + β ("cases' worth").
    level : float
        Interval level for :func:`shrink`.
    reference : float, optional
        Rate for ``prob_above``; default each row's prior mean.

    Returns
    -------
    DataFrame
        One row per mean × strength (means outer, strengths inner): the
        columns of :func:`shrink` plus ``mean``, ``strength`` and
        ``prob_above``.

    Examples
    --------
    >>> out = prior_sensitivity(10, 14, means=[0.385], strengths=[10, 30, 100])
    >>> out[["strength", "estimate", "prob_above"]].round(3)
       strength  estimate  prob_above
    0      10.0     0.577       0.971
    1      30.0     0.490       0.919
    2     100.0     0.425       0.808
    """
    if isinstance(k, pd.DataFrame):
        k_arr, n_arr, _, _ = as_units(k, n, where="prior_sensitivity")
        if k_arr.size != 1:
            raise DataError(f"prior_sensitivity takes one unit: the table has {k_arr.size} rows of units")
        k, n = int(k_arr[0]), int(n_arr[0])
    elif np.ndim(k) or np.ndim(n):
        raise DataError("prior_sensitivity takes one unit: k and n must be single counts")
    mean_grid = check_probability(means, "means", open_interval=True)
    if mean_grid.ndim > 1 or mean_grid.size == 0:
        raise ArgumentError(f"means must be one rate or a flat, non-empty sequence of rates; got {means!r}",
                            column="means")
    strength_grid = check_real(strengths, "strengths", minimum=0, strict=True, scalar=False)
    rows = []
    for m in np.atleast_1d(mean_grid):
        for s in strength_grid:
            prior = BetaPrior.from_mean(m, s)
            cut = m if reference is None else reference
            row = shrink(k, n, prior=prior, level=level)
            row["mean"], row["strength"] = m, s
            row["prob_above"] = prob_above(k, n, prior=prior, reference=cut)["prob_above"].to_numpy()
            rows.append(row)
    return pd.concat(rows, ignore_index=True)
