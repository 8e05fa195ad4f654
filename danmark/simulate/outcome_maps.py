"""A simulated map with the three outcomes (stadfæstet, ændret/ophævet, hjemvist) per kommune.

Used to *demonstrate* league tables, rank intervals and the ændret-only ranking
where no real, comparable counts are bundled. Every row is marked
``simulated``; nothing here is a municipal figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._defaults import DEFAULT_PRIOR_STRENGTH
from .._validate import as_counts, check_real, check_whole, check_work
from ..errors import ArgumentError, DataError
from ._engine import make_rng

__all__ = ["simulate_outcome_map", "aendret_selection_overlap"]


def simulate_outcome_map(n, *, reference, aendret_share, strength=DEFAULT_PRIOR_STRENGTH, share_strength=20.0,
                         seed=None) -> pd.DataFrame:
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
        Beta strengths (larger = kommuner more alike); *strength* defaults to
        ``DEFAULT_PRIOR_STRENGTH`` (30), the strength the shrinkage assumes.
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
    rng = make_rng(seed)
    true_rate = rng.beta(p * s, (1 - p) * s, size=n_arr.size)
    true_share = rng.beta(share * s2, (1 - share) * s2, size=n_arr.size)
    probs = np.column_stack([1 - true_rate, true_rate * true_share, true_rate * (1 - true_share)])
    draws = rng.multinomial(n_arr, probs).reshape(-1, 3)
    return pd.DataFrame({"n": n_arr, "stadfaestet": draws[:, 0], "aendret": draws[:, 1], "hjemvist": draws[:, 2],
                         "true_rate": true_rate, "true_aendret": true_rate * true_share, "simulated": True},
                        index=n.index)


def _top(scores: np.ndarray, top: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of the *top* highest *scores*, ties broken at random."""
    order = np.lexsort((rng.random(scores.size), -scores))  # last key sorts first
    return order[:top]


def aendret_selection_overlap(n, *, reference, aendret_share, strength=DEFAULT_PRIOR_STRENGTH, share_strength=20.0,
                              top=4, size=2000, seed=None) -> pd.Series:
    """How far a selection on the omgørelsesprocent agrees with one on ændret/ophævet alone.

    On *size* maps drawn as in :func:`simulate_outcome_map`, the *top*
    kommuner with the highest omgørelsesprocent and the *top* with the highest
    ændret/ophævet share (remands removed) are picked (ties at random).

    Returns
    -------
    Series
        ``mean_overlap`` (kommuner picked by both rules, of *top*),
        ``p_same`` (both rules pick the same kommuner), ``share_true_top``
        and ``share_true_top_aendret`` (share of each rule's picks among the
        *top* kommuner with the highest true ændret/ophævet rate), and
        ``share_true_top_rate`` (share of the omgørelsesprocent rule's picks
        among the *top* with the highest true omgørelsesprocent).

    Examples
    --------
    >>> n = pd.Series(np.full(20, 40), index=[f"k{i}" for i in range(20)])
    >>> out = aendret_selection_overlap(n, reference=0.375, aendret_share=0.24, top=2, size=200, seed=1)
    >>> bool(0 <= out["mean_overlap"] <= 2)
    True
    """
    if not isinstance(n, pd.Series):
        raise DataError("n must be a Series of case counts indexed by kommune", column="n")
    top = check_whole(top, "top")
    size = check_whole(size, "size")
    if top >= len(n):
        raise ArgumentError(f"top must be below the number of kommuner ({len(n)}); got {top}", column="top")
    check_work(size, len(n))
    rng = make_rng(seed)
    n_arr = np.atleast_1d(as_counts(n, "n")).astype(np.int64)
    if (n_arr < 1).any():
        raise DataError("every kommune needs at least one case", column="n")
    overlap = np.empty(size)
    hits = np.empty((size, 3))
    for rep in range(size):
        m = simulate_outcome_map(n, reference=reference, aendret_share=aendret_share, strength=strength,
                                 share_strength=share_strength, seed=rng)
        k = (m["aendret"] + m["hjemvist"]).to_numpy()
        picked = _top(k / n_arr, top, rng)
        picked_ae = _top(m["aendret"].to_numpy() / n_arr, top, rng)
        true_ae = set(_top(m["true_aendret"].to_numpy(), top, rng))
        true_rate = set(_top(m["true_rate"].to_numpy(), top, rng))
        overlap[rep] = len(set(picked) & set(picked_ae))
        hits[rep] = [len(set(picked) & true_ae), len(set(picked_ae) & true_ae), len(set(picked) & true_rate)]
    return pd.Series({"mean_overlap": overlap.mean(), "p_same": float((overlap == top).mean()),
                      "share_true_top": hits[:, 0].mean() / top, "share_true_top_aendret": hits[:, 1].mean() / top,
                      "share_true_top_rate": hits[:, 2].mean() / top})
