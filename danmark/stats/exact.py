"""Exact tail probabilities of counts: binomial, or beta-binomial when true rates vary.

:func:`prob_at_least` is the exact answer the selection simulations
(:mod:`danmark.simulate`) approximate by drawing: the chance of *k* or more
reversals out of *n* cases at a true rate *p*.
"""

from __future__ import annotations

import numpy as np

from .._special import binom_sf
from .._validate import align, check_k_n, check_probability, check_real
from ..errors import ArgumentError, DataError

__all__ = ["prob_at_least"]


def prob_at_least(k, n, p, *, strength=None) -> np.ndarray | float:
    """Tail ``P(X >= k)``: binomial, or beta-binomial when rates vary between units.

    With ``strength=None``, ``X ~ Binomial(n, p)``: every unit has the true
    rate *p*. With a prior strength ``s = α + β``, true rates vary as
    ``Beta(s·p, s·(1 − p))`` and ``X`` is beta-binomial: the share of units
    with n cases expected to show k or more reversals when they really
    differ. Vectorised over all arguments (broadcast). ``k = 0`` gives 1;
    ``k > n`` raises :class:`DataError` (it is almost always a typo).

    Examples
    --------
    >>> round(prob_at_least(10, 14, 0.36), 5)   # 10 or more of 14 at a 36 % rate
    0.00759
    >>> round(prob_at_least(10, 14, 0.36, strength=30), 4)   # ... when rates vary (strength 30)
    0.0226
    """
    k, n, p, strength = align(k, n, p, strength, names=("k", "n", "p", "strength"))
    # P(X >= k) = 0 is well defined for k > n, but it is almost always a typo: refused
    k_arr, n_arr = check_k_n(k, n)
    p_arr = check_probability(p, "p")
    if p_arr.size == 0:
        raise ArgumentError("p is empty", column="p")
    s_arr = None
    if strength is not None:
        s_arr = check_real(strength, "strength", minimum=0, strict=True, scalar=np.ndim(strength) == 0)
        if np.any((p_arr <= 0) | (p_arr >= 1)):
            raise ArgumentError("with a strength, p must lie strictly between 0 and 1", column="p")
    try:
        np.broadcast_shapes(*(np.shape(a) for a in (k_arr, n_arr, p_arr, s_arr) if a is not None))
    except ValueError:
        shapes = ", ".join(str(np.shape(a)) for a in (k_arr, n_arr, p_arr, s_arr) if a is not None)
        raise DataError(f"k, n, p{', strength' if s_arr is not None else ''} have different lengths ({shapes})") from None
    if p_arr.ndim > 1:
        raise ArgumentError(f"p must be one rate or a one-dimensional sequence of rates; got shape {p_arr.shape}",
                            column="p")
    if s_arr is None:
        out = binom_sf(k_arr - 1, n_arr, p_arr)
    else:
        # here: the binomial tail needs only scipy.special, and scipy.stats costs ~0.6 s to import
        from scipy import stats

        # shapes below the smallest normal float make scipy's log-Beta overflow (NaN); at that size the
        # tail is 0 (or 1) to double precision either way
        tiny = np.finfo(float).tiny
        out = stats.betabinom.sf(
            k_arr - 1, n_arr, np.maximum(s_arr * p_arr, tiny), np.maximum(s_arr * (1 - p_arr), tiny)
        )
    return float(out) if np.ndim(out) == 0 else out
