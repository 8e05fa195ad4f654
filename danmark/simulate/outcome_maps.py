"""A simulated map with the three outcomes (stadfæstet, ændret/ophævet, hjemvist) per kommune.

Used to *demonstrate* league tables, rank intervals and the ændret-only ranking
where no real, comparable counts are bundled. Every row is marked
``simulated``; nothing here is a municipal figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validate import as_counts, check_real
from ..errors import DataError

__all__ = ["simulate_outcome_map"]


def simulate_outcome_map(n, *, reference, aendret_share, strength=30.0, share_strength=20.0, seed=None) -> pd.DataFrame:
    """Draw one map: true rates differ between kommuner, outcomes are multinomial.

    Each kommune's true omgørelsesprocent is drawn from a Beta with mean
    *reference* and strength α + β = *strength*; the share of its reversals
    that are ændret/ophævet (rather than hjemvist) from a Beta with mean
    *aendret_share* and strength *share_strength*. Its *n* cases are then
    split multinomially into stadfæstet, ændret and hjemvist.

    Parameters
    ----------
    n : Series of int
        Cases per kommune (index = kommune).
    reference : float
        Mean true omgørelsesprocent (proportion).
    aendret_share : float
        Mean share of reversals that are ændret/ophævet (e.g. 9.0 / 37.5 for socialområdet 2022).
    strength, share_strength : float
        Beta strengths (larger = kommuner more alike).
    seed : int, optional

    Returns
    -------
    DataFrame
        Caller's index: ``n``, ``stadfaestet``, ``aendret``, ``hjemvist``,
        ``true_rate``, ``true_aendret``, ``simulated`` (True).

    Examples
    --------
    >>> m = simulate_outcome_map(pd.Series([20, 50], index=["A", "B"]), reference=0.375, aendret_share=0.24, seed=1)
    >>> list(m.columns), bool((m[["stadfaestet", "aendret", "hjemvist"]].sum(axis=1) == m["n"]).all())
    (['n', 'stadfaestet', 'aendret', 'hjemvist', 'true_rate', 'true_aendret', 'simulated'], True)
    """
    if not isinstance(n, pd.Series):
        raise DataError("n must be a Series of case counts indexed by kommune", column="n")
    n_arr = np.atleast_1d(as_counts(n, "n")).astype(np.int64)
    p = check_real(reference, "reference", minimum=0, strict=True)
    share = check_real(aendret_share, "aendret_share", minimum=0, strict=True)
    if not (p < 1 and share < 1):
        raise DataError("reference and aendret_share must lie strictly between 0 and 1", column="reference")
    s = check_real(strength, "strength", minimum=0, strict=True)
    s2 = check_real(share_strength, "share_strength", minimum=0, strict=True)
    rng = np.random.default_rng(seed)
    true_rate = rng.beta(p * s, (1 - p) * s, size=n_arr.size)
    true_share = rng.beta(share * s2, (1 - share) * s2, size=n_arr.size)
    probs = np.column_stack([1 - true_rate, true_rate * true_share, true_rate * (1 - true_share)])
    draws = np.array([rng.multinomial(m, pr) for m, pr in zip(n_arr, probs, strict=True)]).reshape(-1, 3)
    return pd.DataFrame({"n": n_arr, "stadfaestet": draws[:, 0], "aendret": draws[:, 1], "hjemvist": draws[:, 2],
                         "true_rate": true_rate, "true_aendret": true_rate * true_share, "simulated": True},
                        index=n.index)
