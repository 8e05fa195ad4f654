"""Funnel limits as the flagging rule draws them: one step per whole number of cases.

:func:`danmark.funnel_limits` draws smooth lines (Spiegelhalter's interpolation
between whole counts). At a given ``n`` a smooth line can pass *between* two
possible counts in a way that puts a point that :func:`danmark.funnel_flags`
calls "within" visibly outside the line (10 of 14 against 45.9 %: the smooth
95 % line sits at 69.2 %, the point at 71.4 %, the exact tail 0.049 > 0.025).

:func:`funnel_steps` instead asks :func:`danmark.funnel_flags` itself, at every
whole ``n``, which counts it flags, and places each limit half a count beyond
the last count that is *not* flagged: ``upper = (k_upper - 0.5) / n`` where
``k_upper`` is the smallest count flagged above, and ``lower = (k_lower + 0.5) / n``
where ``k_lower`` is the largest count flagged below. A point ``k/n`` therefore
lies above the drawn upper step exactly when it is flagged above, and below the
lower step exactly when it is flagged below; no point ever sits on a line. The
same holds for over-dispersed limits (pass ``overdispersion`` with ``phi`` or
``tau2``, as :func:`danmark.funnel_flags` takes them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..._validate import as_counts
from ...errors import DataError
from ._checks import check_funnel_levels, check_reference
from .flags import funnel_flags
from .limits import funnel_limits

__all__ = ["funnel_steps"]

_WINDOW = 3  # counts searched either side of the smooth limit


def _whole_ns(n) -> np.ndarray:
    arr = np.atleast_1d(as_counts(n, "n")).ravel()
    if arr.size == 0:
        raise DataError("n is empty", column="n")
    if arr.size == 1:
        top = int(arr[0])
        if top < 1:
            raise DataError(f"n must be at least 1; got {top}", column="n")
        return np.arange(1, top + 1, dtype=np.int64)
    if (arr < 1).any():
        pos = int(np.flatnonzero(arr < 1)[0])
        raise DataError("n must be at least 1 (a rate needs cases)", row=pos, column="n")
    return np.unique(arr)


def _flagged(ks, ns, reference, level, side, options):
    """Boolean array: is count ks[i] of ns[i] flagged on *side* at *level*?"""
    out = funnel_flags(ks, ns, reference=reference, level=(level,), **options)
    return (out["flag"].astype(str).str.startswith(side)).to_numpy()


def _threshold(ns, reference, level, side, smooth, options):
    """Smallest flagged count above (side "above") or largest flagged count below, per n.

    Candidates are the counts within a few of the smooth limit; where the
    transition is not inside that window (it always is for the built-in
    methods) every count 0..n is tried.
    """
    centre = np.rint(smooth * ns).astype(np.int64)
    offsets = np.arange(-_WINDOW, _WINDOW + 1)
    ks = np.clip(centre[:, None] + offsets[None, :], 0, ns[:, None])
    flags = _flagged(ks.ravel(), np.repeat(ns, offsets.size), reference, level, side, options).reshape(ks.shape)
    result = np.empty(ns.size, dtype=float)
    for i, n in enumerate(ns):
        f = flags[i]
        inside_window = (not f[0] or ks[i, 0] == 0) and (f[-1] or ks[i, -1] == n) if side == "above" else \
            (f[0] or ks[i, 0] == 0) and (not f[-1] or ks[i, -1] == n)
        if not inside_window:  # search every count (slow path, never hit by the built-in methods)
            all_k = np.arange(n + 1)
            f = _flagged(all_k, np.full(n + 1, n), reference, level, side, options)
            row = all_k
        else:
            row = ks[i]
        if side == "above":
            result[i] = row[f].min() if f.any() else np.nan
        else:
            result[i] = row[f].max() if f.any() else np.nan
    return result


def funnel_steps(n, *, reference, level=(0.95, 0.998), method: str = "exact",
                 overdispersion: str | None = None, phi: float | None = None,
                 tau2: float | None = None) -> pd.DataFrame:
    """Funnel limits at whole numbers of cases, placed by the flagging rule itself.

    Parameters
    ----------
    n : int or array of int
        A single largest number of cases (limits at every whole n from 1 to
        it) or the numbers of cases to compute limits at.
    reference : float
        Reference rate (national rate), strictly between 0 and 1.
    level, method, overdispersion, phi, tau2
        As in :func:`danmark.funnel_flags`. With *overdispersion* give *phi*
        (multiplicative) or *tau2* (additive), e.g. from
        :func:`danmark.overdispersion_fit`.

    Returns
    -------
    DataFrame
        One row per n and level: ``n``, ``level``, ``k_lower`` (largest count
        flagged below; NaN when none can be), ``k_upper`` (smallest count
        flagged above; NaN when none can be), and ``lower = (k_lower + 0.5)/n``,
        ``upper = (k_upper - 0.5)/n`` as proportions (NaN where no count is
        flagged), and ``reference``. ``attrs`` hold ``method``, ``overdispersion``,
        ``phi`` / ``tau2`` and ``steps = True``.

    Examples
    --------
    >>> steps = funnel_steps(14, reference=0.459, level=0.95)
    >>> row = steps[steps["n"] == 14].iloc[0]
    >>> int(row["k_upper"]), round(100 * float(row["upper"]), 1)  # 10 of 14 is within, 11 is flagged
    (11, 75.0)
    """
    reference = check_reference(reference)
    levels = check_funnel_levels(level)
    ns = _whole_ns(n)
    options = {"method": method, "overdispersion": overdispersion, "phi": phi, "tau2": tau2}
    smooth = funnel_limits(ns, reference=reference, level=levels, method=method, overdispersion=overdispersion,
                           phi=phi, tau2=tau2)
    rows = []
    for level in levels:
        part = smooth[smooth["level"] == level]
        k_up = _threshold(ns, reference, level, "above", part["upper"].to_numpy(), options)
        k_lo = _threshold(ns, reference, level, "below", part["lower"].to_numpy(), options)
        rows.append(pd.DataFrame({"n": ns, "level": float(level), "k_lower": k_lo, "k_upper": k_up,
                                  "lower": (k_lo + 0.5) / ns, "upper": (k_up - 0.5) / ns,
                                  "reference": reference}))
    out = pd.concat(rows, ignore_index=True)
    out.attrs.update(smooth.attrs)
    out.attrs["steps"] = True
    return out
