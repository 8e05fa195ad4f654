"""Posterior predictive checks for the shrinkage models (BDA3 ch. 6).

A model that shrinks kommuner toward a common prior also predicts what the
whole map should look like. :func:`posterior_predictive` draws replicated
reversal counts for every unit from the fitted model (θ from its posterior,
then k_rep ~ Binomial(n, θ) with the unit's own n) and compares test
quantities of the replicated maps with the observed one:

* ``sd``: the standard deviation of the raw rates k/n (is the spread right?);
* ``above``: the number of units whose raw rate exceeds *reference* (default
  55 %, a level the Danmarkskort's darkest colour marks);
* ``max``: the largest raw rate; ``min``: the smallest.

The posterior predictive p-value is the mid-p P(T(y_rep) > T(y) | y) +
½ P(T(y_rep) = T(y) | y); values near 0 or 1 say the model does not
reproduce that feature of the data. The test quantities are discrete (counts
over whole n), and ties matter: when a unit has 0 cases omgjort the observed
``min`` is 0, and the plain P(T_rep ≥ T_obs) is then 1 whatever the model
(every replicated minimum is ≥ 0), which would read as misfit by construction;
likewise ``max`` when a unit has every case omgjort. The mid-p counts a tie
as half, so a model that often replicates the zero gets a p-value near ½, and
only a model that rarely does (large units that should not reach 0) gets one
near 1. ``.tests`` shows the share of ties (``ties``) next to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._validate import (
    check_k_n,
    check_matrix,
    check_memory,
    check_probability,
    check_real,
    check_seed,
    check_whole,
    check_work,
    make_rng,
)
from ..errors import DataError
from .draws import Draws, as_draws

__all__ = ["PosteriorPredictive", "posterior_predictive"]

#: the name the model's draws of θ go by in error messages
THETA = "the model's draws of θ"

#: Danish labels of the test quantities (for tables and figures)
QUANTITY_LABELS = {
    "sd": "spredning (SD) af omgørelsesprocenterne",
    "above": "antal over grænsen",
    "max": "højeste omgørelsesprocent",
    "min": "laveste omgørelsesprocent",
}


def _quantities(k, n, reference):
    """Test quantities for each row of k (draws × units), units with n > 0."""
    rates = k / n
    return {
        "sd": rates.std(axis=-1, ddof=1),
        "above": (rates > reference).sum(axis=-1).astype(float),
        "max": rates.max(axis=-1),
        "min": rates.min(axis=-1),
    }


@dataclass(frozen=True)
class PosteriorPredictive:
    """Replicated data and test quantities from :func:`posterior_predictive`.

    Attributes
    ----------
    k, n : arrays
        Observed counts of the units with n > 0.
    replicated : array (size × units)
        Replicated reversal counts.
    draws : DataFrame
        One row per replication: the test quantities of the replicated data.
    observed : Series
        The test quantities of the data.
    reference : float
        The rate ``above`` counts units above.
    """

    k: np.ndarray
    n: np.ndarray
    replicated: np.ndarray
    draws: pd.DataFrame
    observed: pd.Series
    reference: float

    @property
    def tests(self) -> pd.DataFrame:
        """observed, replicated mean and 95 % range, the mid-p P(T_rep > T_obs) + ½ P(T_rep = T_obs) (``ppp``)
        and the share of replications tied with the data (``ties``), per quantity."""
        rows = {}
        for q in self.draws.columns:
            rep = self.draws[q].to_numpy()
            obs = float(self.observed[q])
            lo, hi = np.quantile(rep, [0.025, 0.975])
            tied = np.isclose(rep, obs, rtol=0.0, atol=1e-12)
            rows[q] = {"observed": obs, "replicated": float(rep.mean()), "lower": lo, "upper": hi,
                       "ppp": float(((rep > obs) & ~tied).mean() + 0.5 * tied.mean()), "ties": float(tied.mean())}
        out = pd.DataFrame(rows).T
        out.index.name = "quantity"
        return out


def posterior_predictive(result, n=None, *, size=1000, seed=None, reference=0.55) -> PosteriorPredictive:
    """Replicated counts per unit and posterior predictive p-values of test quantities.

    Parameters
    ----------
    result : HierarchicalResult, Draws with counts, or the DataFrame of :func:`danmark.shrink`
        The fitted model: a :class:`~danmark.HierarchicalResult` (θ drawn
        jointly with the hyperparameters' uncertainty), a
        :class:`~danmark.stats.draws.Draws` that carries ``k`` and ``n``
        (e.g. :meth:`~danmark.HierarchicalResult.labelled_draws`; each
        replicate uses one of its draws, picked at random), or an
        empirical-Bayes table with columns ``k``, ``n``, ``alpha1``,
        ``beta1`` (θ_j drawn from each unit's Beta posterior).
    size : int
        Number of replicated data sets.
    seed : int, optional
        Seed of the random draws (None, a whole number >= 0 or a numpy Generator).
    reference : float in (0, 1)
        Rate for the ``above`` quantity (default 0.55).

    Raises
    ------
    DataError
        A result with impossible values: counts that are not whole, negative,
        missing or with k > n; posterior shapes that are not positive and
        finite; draws of θ outside [0, 1].
    ArgumentError
        A bad ``size`` (not a whole number >= 1, or beyond the work cap
        :data:`danmark._validate.MAX_WORK` or the memory cap
        :data:`danmark._validate.MAX_CELLS`), ``seed`` or ``reference``.

    Returns
    -------
    PosteriorPredictive
        ``.tests`` is the table an analyst reads.

    Examples
    --------
    >>> import danmark
    >>> k, n = [5, 8, 2, 12, 9, 4], [20, 25, 18, 30, 21, 19]
    >>> ppc = posterior_predictive(danmark.shrink(k, n), size=2000, seed=1)
    >>> ppc.tests.loc["sd", ["observed", "ppp"]].round(2).tolist()
    [0.12, 0.28]
    """
    if n is not None:
        raise DataError("posterior_predictive takes a fitted model (a HierarchicalResult or a shrink() table), "
                        "not k and n: fit one first, e.g. posterior_predictive(danmark.shrink(k, n))", column="n")
    size = check_whole(size, "size")
    seed = check_seed(seed)
    reference = float(check_probability(check_real(reference, "reference"), "reference", open_interval=True))
    k, nn, draw_theta = _fitted(result)
    check_work(size, len(k))
    check_memory(size, len(k))
    rng = make_rng(seed)
    keep = nn > 0
    if keep.sum() < 2:
        raise DataError("posterior_predictive needs at least two units with n > 0", column="n")
    theta = draw_theta(size, rng)
    theta = check_matrix(theta, THETA, what="rates in [0, 1]")
    if theta.shape != (size, len(k)) or (theta < 0).any() or (theta > 1).any():
        raise DataError(f"the model's draws of θ must be rates in [0, 1], {size} x {len(k)}; got shape "
                        f"{theta.shape}, range [{theta.min():g}, {theta.max():g}]", column="result")
    k, nn, theta = k[keep], nn[keep], theta[:, keep]
    rep = rng.binomial(nn.astype(np.int64)[None, :], theta)
    draws = pd.DataFrame(_quantities(rep.astype(float), nn[None, :], reference))
    observed = pd.Series({q: float(v) for q, v in _quantities(k, nn, reference).items()})
    return PosteriorPredictive(k.astype(np.int64), nn.astype(np.int64), rep, draws, observed, reference)


def _fitted(result):
    """(k, n, draw θ(size, rng)) of a fitted model, after checking that its counts and posteriors are possible."""
    labelled = isinstance(result, Draws)
    if (labelled or (hasattr(result, "draws") and callable(result.draws))) and hasattr(result, "k") \
            and hasattr(result, "n") and result.k is not None and result.n is not None:
        k, n = check_k_n(np.asarray(result.k), np.asarray(result.n), k_name="result.k", n_name="result.n")
        if labelled:  # fixed draws: each replicate from one of them, picked at random
            return (np.atleast_1d(k).astype(float), np.atleast_1d(n).astype(float),
                    lambda size, rng: result.matrix[rng.integers(result.size, size=size)])
        return (np.atleast_1d(k).astype(float), np.atleast_1d(n).astype(float),
                lambda size, rng: as_draws(result, size=size, seed=int(rng.integers(2**32)), min_units=1,
                                           name=THETA, what="rates in [0, 1]").matrix)
    if isinstance(result, pd.DataFrame) and {"k", "n", "alpha1", "beta1"} <= set(result.columns):
        if result.empty:
            raise DataError("posterior_predictive: the shrink() table has no rows", column="k")
        k, n = check_k_n(result["k"], result["n"])
        a = check_real(result["alpha1"], "alpha1", minimum=0, strict=True, scalar=False, error=DataError)
        b = check_real(result["beta1"], "beta1", minimum=0, strict=True, scalar=False, error=DataError)
        return (np.atleast_1d(k).astype(float), np.atleast_1d(n).astype(float),
                lambda size, rng: rng.beta(a, b, size=(size, len(a))))
    raise DataError("posterior_predictive needs a HierarchicalResult, draws with their counts (Draws with k and n) "
                    f"or the table of danmark.shrink (columns k, n, alpha1, beta1); got {type(result).__name__}",
                    column="result")
