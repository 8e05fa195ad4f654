"""Over-dispersion of rates around a reference: the multiplicative φ and additive τ² of
Spiegelhalter (2005), fitted with winsorised z-scores as in PHE's funnel-plot methods."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._checks import check_trim, from_cases, index_of, rates

__all__ = ["overdispersion_fit", "Overdispersion"]

# --------------------------------------------------------------------------- over-dispersion


@dataclass(frozen=True)
class Overdispersion:
    """Over-dispersion estimates from :func:`overdispersion_fit`.

    Attributes
    ----------
    phi : float
        Mean of the squared Winsorised z-scores; about 1 when the units vary
        only by binomial noise.
    tau2 : float
        DerSimonian–Laird between-unit variance on the proportion scale
        (0 when ``N·phi <= N - 1``).
    reference : float
        Target proportion the z-scores are measured from.
    z : Series
        Unadjusted z-scores ``(y - reference) / sqrt(reference(1 - reference)/n)``, caller's index.
    z_winsorised : Series
        The same, pulled in to their 10th and 90th percentiles (by default).
    trim : float
        Share Winsorised at each end.
    """

    phi: float
    tau2: float
    reference: float
    z: pd.Series
    z_winsorised: pd.Series
    trim: float

    @property
    def n_units(self) -> int:
        """Number of units the estimates are based on."""
        return int(self.z.size)


def _winsorise(z: np.ndarray, trim: float) -> np.ndarray:
    lo, hi = np.quantile(z, [trim, 1 - trim])  # R's default quantile (type 7)
    return np.clip(z, lo, hi)


def fit_dispersion(k_arr, n_arr, p0, trim):
    s2 = p0 * (1 - p0) / n_arr
    z = (k_arr / n_arr - p0) / np.sqrt(s2)
    zw = _winsorise(z, trim)
    units = z.size
    phi = float(np.mean(zw**2))
    w = 1 / s2
    denom = w.sum() - (w**2).sum() / w.sum()
    if units * phi <= units - 1 or denom <= 0:
        tau2 = 0.0
    else:
        tau2 = float((units * phi - (units - 1)) / denom)
    return phi, tau2, z, zw


def overdispersion_fit(k, n=None, *, reference=None, trim: float = 0.1) -> Overdispersion:
    """Estimate over-dispersion φ and τ² from the units' counts (Spiegelhalter 2005, §6).

    z-scores ``z_i = (y_i - p0) / sqrt(p0(1 - p0)/n_i)`` are Winsorised at the
    *trim* and ``1 - trim`` quantiles; ``phi`` is the mean of their squares and
    ``tau2 = (N·phi - (N - 1)) / (Σw - Σw²/Σw)`` with ``w_i = 1/s_i²``
    (DerSimonian–Laird, truncated at 0), as in FunnelPlotR.

    Parameters
    ----------
    k, n : array-like of int, or the tidy DataFrame as *k*
        Reversed cases and cases per unit; a DataFrame with ``stadfaestet``,
        ``aendret`` and ``hjemvist`` may be passed as *k* instead.
    reference : float, optional
        Target; default the pooled rate ``Σk / Σn``.
    trim : float
        Share Winsorised at each end, in [0, 0.5).

    Returns
    -------
    Overdispersion

    Examples
    --------
    >>> fit = overdispersion_fit([5, 20, 9, 30, 2], [40, 50, 30, 60, 20])
    >>> round(fit.phi, 2), round(fit.tau2, 4)
    (3.37, 0.0183)
    """
    _, k, n = from_cases(k, n)
    trim = check_trim(trim)
    index = index_of(k, n)
    k_arr, n_arr, p0 = rates(k, n, reference)
    phi, tau2, z, zw = fit_dispersion(k_arr, n_arr, p0, trim)
    idx = index if index is not None and len(index) == z.size else None
    return Overdispersion(
        phi=phi,
        tau2=tau2,
        reference=p0,
        z=pd.Series(z, index=idx, name="z"),
        z_winsorised=pd.Series(zw, index=idx, name="z_winsorised"),
        trim=trim,
    )
