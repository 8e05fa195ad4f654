"""Figures for model checks: posterior predictive distributions of test quantities."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from ..errors import ArgumentError, DataError
from ._style import PALETTE, axes_or_new, danish_ticks, fmt_number, fmt_pct, styled

__all__ = ["ppc_plot"]

_LABELS = {
    "sd": "spredning (SD) af omgørelsesprocenterne, procentpoint",
    "above": "antal enheder over grænsen",
    "max": "højeste omgørelsesprocent (%)",
    "min": "laveste omgørelsesprocent (%)",
}


@styled
def ppc_plot(ppc, *, quantity="sd", ax=None, source=None, title=None, xlabel=None, simulated=False):
    """Histogram of a test quantity over the replicated data, with the observed value marked.

    Parameters
    ----------
    ppc : PosteriorPredictive
        From :func:`danmark.posterior_predictive`.
    quantity : {"sd", "above", "max", "min"}
        The test quantity.
    ax : matplotlib Axes, optional
    source : str, optional
        Written under the figure as "Kilde: …" (documents, not file paths).
    title : str, optional
        Default: a Danish title with the posterior predictive p-value.
    xlabel : str, optional
        Default: the quantity's Danish label (for omgørelsesprocenter).
    simulated : bool or str
        Prefix the title with "SIMULERET: " (True) or with the given label
        (e.g. ``"SYNTETISK"``), for data that are not real.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import danmark, matplotlib.pyplot as plt
    >>> ppc = danmark.posterior_predictive(danmark.shrink([5, 8, 2, 12], [20, 25, 18, 30]), size=200, seed=1)
    >>> ax = ppc_plot(ppc, quantity="max", source="eksempel")
    >>> ax.get_xlabel()
    'højeste omgørelsesprocent (%)'
    >>> plt.close(ax.figure)
    """
    if not hasattr(ppc, "draws") or not hasattr(ppc, "observed"):
        raise DataError("ppc_plot needs the result of danmark.posterior_predictive")
    if quantity not in _LABELS:
        raise ArgumentError(f"unknown quantity {quantity!r}; use one of {', '.join(_LABELS)}", column="quantity")
    ax = axes_or_new(ax, (6.0, 3.6))
    rep = ppc.draws[quantity].to_numpy(dtype=float)
    obs = float(ppc.observed[quantity])
    scale = 1.0 if quantity == "above" else 100.0
    if quantity == "above":
        bins = np.arange(rep.min() - 0.5, max(rep.max(), obs) + 1.5)
    else:
        bins = 40
    ax.hist(rep * scale, bins=bins, color=PALETTE["skyblue"], edgecolor="white", label="replikerede data")
    ax.axvline(obs * scale, color=PALETTE["vermillion"], lw=2, label="observeret")
    if xlabel is None:
        xlabel = _LABELS[quantity] if quantity != "above" else f"antal enheder over {fmt_pct(ppc.reference)}"
    ax.set_xlabel(xlabel)
    ax.set_ylabel("antal replikationer")
    ppp = float(ppc.tests.loc[quantity, "ppp"])  # the mid-p posterior_predictive computed (ties count half)
    if title is None:
        title = f"Modelkontrol: {_LABELS[quantity].split(',')[0].split(' (')[0]} (p = {fmt_number(ppp, 2)})"
    prefix = f"{simulated}: " if isinstance(simulated, str) else ("SIMULERET: " if simulated else "")
    ax.set_title(prefix + title, loc="left")
    if quantity == "above":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    danish_ticks(ax.xaxis)
    ax.legend(frameon=False)
    if source:
        ax.figure.text(0.01, 0.005, f"Kilde: {source}", fontsize=6.5, color="#444444", ha="left", va="bottom")
        ax.figure.subplots_adjust(bottom=0.2)
    return ax
