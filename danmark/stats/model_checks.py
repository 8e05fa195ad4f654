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

The posterior predictive p-value is P(T(y_rep) ≥ T(y) | y); values near 0
or 1 say the model does not reproduce that feature of the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._validate import check_probability, check_real
from ..errors import DataError

__all__ = ["PosteriorPredictive", "posterior_predictive"]

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
        """observed, replicated mean and 95 % range, and the p-value P(T_rep ≥ T_obs) per quantity."""
        rows = {}
        for q in self.draws.columns:
            rep = self.draws[q].to_numpy()
            obs = float(self.observed[q])
            lo, hi = np.quantile(rep, [0.025, 0.975])
            rows[q] = {"observed": obs, "replicated": float(rep.mean()), "lower": lo, "upper": hi,
                       "ppp": float((rep >= obs).mean())}
        out = pd.DataFrame(rows).T
        out.index.name = "quantity"
        return out


def posterior_predictive(result, n=None, *, size=1000, seed=None, reference=0.55) -> PosteriorPredictive:
    """Replicated counts per unit and posterior predictive p-values of test quantities.

    Parameters
    ----------
    result : HierarchicalResult, or the DataFrame of :func:`danmark.shrink`
        The fitted model: a :class:`~danmark.HierarchicalResult` (θ drawn
        jointly with the hyperparameters' uncertainty), or an empirical-Bayes
        table with columns ``k``, ``n``, ``alpha1``, ``beta1`` (θ_j drawn
        from each unit's Beta posterior).
    size : int
        Number of replicated data sets.
    seed : int, optional
        Seed of the random draws.
    reference : float
        Rate for the ``above`` quantity (default 0.55).

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
        raise DataError("posterior_predictive takes a fitted model (a HierarchicalResult or a shrink() table)")
    size = int(check_real(size, "size", minimum=1))
    reference = float(check_probability(reference, "reference"))
    rng = np.random.default_rng(seed)
    if hasattr(result, "draws") and callable(result.draws) and hasattr(result, "k"):
        k = np.asarray(result.k, dtype=float)
        nn = np.asarray(result.n, dtype=float)
        theta = np.asarray(result.draws(size, seed=int(rng.integers(2**32))), dtype=float)
    elif isinstance(result, pd.DataFrame) and {"k", "n", "alpha1", "beta1"} <= set(result.columns):
        k = result["k"].to_numpy(dtype=float)
        nn = result["n"].to_numpy(dtype=float)
        theta = rng.beta(result["alpha1"].to_numpy(float), result["beta1"].to_numpy(float),
                         size=(size, len(result)))
    else:
        raise DataError("posterior_predictive needs a HierarchicalResult or the table of danmark.shrink "
                        "(columns k, n, alpha1, beta1)")
    keep = nn > 0
    if keep.sum() < 2:
        raise DataError("posterior_predictive needs at least two units with n > 0")
    k, nn, theta = k[keep], nn[keep], theta[:, keep]
    rep = rng.binomial(nn.astype(np.int64)[None, :], np.clip(theta, 0.0, 1.0))
    draws = pd.DataFrame(_quantities(rep.astype(float), nn[None, :], reference))
    observed = pd.Series({q: float(v) for q, v in _quantities(k, nn, reference).items()})
    return PosteriorPredictive(k.astype(np.int64), nn.astype(np.int64), rep, draws, observed, reference)
