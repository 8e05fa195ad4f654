"""Argument checks and the counts adapter shared by the funnel's limits, flags, steps and over-dispersion fit.

Package-private (the leading underscore): the helpers have public names for the funnel's own modules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..._units import frame_units
from ..._validate import check_choice, check_k_n, check_levels, check_real
from ...errors import ArgumentError, DataError

METHODS = ("exact", "wilson", "normal")
OVERDISPERSION = ("multiplicative", "additive")

# --------------------------------------------------------------------------- checks


def check_funnel_levels(level) -> np.ndarray:
    """The levels: each strictly between 0 and 1."""
    return check_levels(level, "level")


def check_reference(reference) -> float:
    """The reference rate: one number strictly between 0 and 1."""
    msg = f"reference must be a number in (0, 1); got {reference!r}"
    if isinstance(reference, str | bytes | bool | np.bool_):
        raise ArgumentError(msg, column="reference")
    try:
        value = float(reference)
    except (TypeError, ValueError):
        raise ArgumentError(msg, column="reference") from None
    if not np.isfinite(value) or not 0 < value < 1:
        raise ArgumentError(f"reference must lie strictly between 0 and 1; got {reference!r}", column="reference")
    return value


def check_trim(trim) -> float:
    value = check_real(trim, "trim", minimum=0)
    if not value < 0.5:
        raise ArgumentError(f"trim must lie in [0, 0.5); got {trim!r}", column="trim")
    return value


def check_method(method: str) -> str:
    return check_choice(method, "method", METHODS)


def resolve_overdispersion(overdispersion, phi, tau2):
    """Return ("none" | "multiplicative" | "additive", value)."""
    if overdispersion is not None and (not isinstance(overdispersion, str) or overdispersion not in OVERDISPERSION):
        raise ArgumentError(
            f"overdispersion must be None, 'multiplicative' or 'additive'; got {overdispersion!r}",
            column="overdispersion",
        )
    if phi is not None and tau2 is not None:
        raise ArgumentError("give phi (multiplicative) or tau2 (additive), not both", column="phi")
    if overdispersion is None:
        if phi is not None:
            overdispersion = "multiplicative"
        elif tau2 is not None:
            overdispersion = "additive"
        else:
            return "none", None
    if overdispersion == "multiplicative":
        if tau2 is not None:
            raise ArgumentError("multiplicative over-dispersion takes phi, not tau2", column="tau2")
        if phi is None:
            return overdispersion, None
        return overdispersion, check_real(phi, "phi", minimum=0, strict=True)
    if phi is not None:
        raise ArgumentError("additive over-dispersion takes tau2, not phi", column="phi")
    if tau2 is None:
        return overdispersion, None
    return overdispersion, check_real(tau2, "tau2", minimum=0)


def level_label(level: float) -> str:
    return f"{100 * level:.10g}%"


def index_of(*values):
    for v in values:
        if isinstance(v, pd.Series | pd.DataFrame):
            return v.index
    return None


def from_cases(k, n):
    """Accept the tidy table (or any frame with the three counts) in place of k, n."""
    if isinstance(k, pd.DataFrame):
        if n is not None:
            raise DataError("pass either a table of cases or k and n, not both")
        frame, k_series, n_series = frame_units(k, where="funnel")
        return frame, k_series, n_series
    if n is None:
        raise DataError("n is required unless a table of cases is given")
    return None, k, n


def rates(k, n, p0, *, need_positive_n=True):
    k_arr, n_arr = check_k_n(k, n)
    k_arr, n_arr = k_arr.ravel(), n_arr.ravel()
    if k_arr.size == 0:
        raise DataError("no units given", column="n")
    if need_positive_n and (n_arr < 1).any():
        pos = int(np.flatnonzero(n_arr < 1)[0])
        index = index_of(k, n)
        raise DataError(
            "n must be at least 1 for every unit (a rate needs cases)",
            row=index[pos] if index is not None else pos,
            column="n",
        )
    if p0 is None:
        total = n_arr.sum()
        p0 = k_arr.sum() / total
        if not 0 < p0 < 1:
            raise DataError(
                f"the pooled rate sum(k)/sum(n) = {p0:g} is not strictly between 0 and 1; give reference",
                column="reference",
            )
    p0 = check_reference(p0)
    return k_arr, n_arr, p0
