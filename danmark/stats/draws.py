"""Posterior draws of the units' rates, labelled by unit: one type, one adapter.

:func:`danmark.rank_uncertainty`, :func:`danmark.pairwise_prob` and
:func:`danmark.posterior_predictive` all read joint posterior draws. They take
them through :func:`as_draws`, which turns every kind they accept into one
:class:`Draws`: a matrix (draws × units), one label per unit and, when the
draws come from a fitted model, the counts it was fitted to.

Accepted: a :class:`Draws`; a fitted model with a ``draws(size, seed=...)``
method (a :class:`~danmark.HierarchicalResult`: labels from its ``units``,
counts from its ``k`` and ``n``); a DataFrame with one column per unit (the
columns are the labels); an array or a list of equal-length rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._validate import (
    check_labels,
    check_matrix,
    check_memory,
    check_seed,
    check_whole,
    check_work,
)

__all__ = ["Draws", "as_draws"]

#: what a draws matrix is, for the error messages
WHAT = "posterior draws of the units' rates (draws x units)"


@dataclass(frozen=True, eq=False)
class Draws:
    """Joint posterior draws of the units' rates, labelled by unit.

    Parameters
    ----------
    matrix : array-like (draws × units)
        Finite real numbers, one column per unit.
    labels : sequence, optional
        One distinct label per unit; default ``RangeIndex`` named ``"unit"``.
    k, n : array-like of int, optional
        The counts the draws were fitted to (reversed cases and cases per
        unit), when known; :func:`danmark.posterior_predictive` needs them.

    Examples
    --------
    >>> d = Draws([[0.2, 0.5], [0.3, 0.4], [0.1, 0.6]], labels=["A", "B"])
    >>> d.matrix.shape, list(d.labels)
    ((3, 2), ['A', 'B'])
    >>> d.frame().mean().round(2).tolist()
    [0.2, 0.5]
    """

    matrix: np.ndarray
    labels: pd.Index = None
    k: np.ndarray | None = None
    n: np.ndarray | None = None

    def __post_init__(self):
        matrix = check_matrix(self.matrix, "draws", what=WHAT)
        object.__setattr__(self, "matrix", matrix)
        if self.labels is None:
            labels = pd.RangeIndex(matrix.shape[1], name="unit")
        else:
            labels = pd.Index(check_labels(self.labels, matrix.shape[1]))
        object.__setattr__(self, "labels", labels)
        for name in ("k", "n"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, np.asarray(value))

    @property
    def size(self) -> int:
        """Number of draws (rows)."""
        return int(self.matrix.shape[0])

    @property
    def n_units(self) -> int:
        """Number of units (columns)."""
        return int(self.matrix.shape[1])

    def frame(self) -> pd.DataFrame:
        """The draws as a DataFrame, one column per unit."""
        return pd.DataFrame(self.matrix, columns=self.labels)


def _is_model(value) -> bool:
    return hasattr(value, "draws") and callable(value.draws)


def as_draws(draws, names=None, *, size=4000, seed=None, min_units: int = 2, name: str = "draws",
             what: str = WHAT) -> Draws:
    """Any accepted kind of posterior draws as one :class:`Draws` (see the module description).

    *names* relabel the units (one distinct label each). From a fitted model
    *size* draws are taken with *seed* (None: the model's own seed), after the
    work and memory caps. *min_units*, *name* and *what* shape the check of
    the matrix and its error messages.

    Examples
    --------
    >>> as_draws(pd.DataFrame({"A": [0.2, 0.3], "B": [0.5, 0.4]})).labels.tolist()
    ['A', 'B']
    >>> as_draws([[0.2, 0.5], [0.3, 0.4]]).labels
    RangeIndex(start=0, stop=2, step=1, name='unit')
    """
    if isinstance(draws, Draws):
        check_matrix(draws.matrix, name, min_cols=min_units, what=what)
        if names is None:
            return draws
        return Draws(draws.matrix, labels=names, k=draws.k, n=draws.n)
    if _is_model(draws):
        size = check_whole(size, "size")
        seed = check_seed(seed)
        labels = list(draws.units.index) if hasattr(draws, "units") else None
        if labels is not None:
            check_work(size, len(labels))
            check_memory(size, len(labels))
        arr = check_matrix(draws.draws(size, seed=seed), name, min_cols=min_units, what=what)
        return Draws(arr, labels=names if names is not None else labels,
                     k=getattr(draws, "k", None), n=getattr(draws, "n", None))
    arr = check_matrix(draws, name, min_cols=min_units, what=what)
    if isinstance(draws, pd.DataFrame) and names is None:
        names = pd.Index(check_labels(list(draws.columns), arr.shape[1], name="draws' columns"))
    return Draws(arr, labels=names)
