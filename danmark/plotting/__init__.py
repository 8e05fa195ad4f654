"""Figures for the notebooks: forest plots, funnels, maps, ranks and power.

Every function takes ``ax=None`` (a new figure is made when it is None),
draws on it and returns the :class:`~matplotlib.axes.Axes`. Inputs are the
DataFrames the statistics functions return; rates come in as proportions in
[0, 1] and are *displayed* in percent, with Danish axis labels
("omgørelsesprocent (%)", "realitetsbehandlede sager (n)", "kommune").
Colours come from the Okabe–Ito palette, which stays distinguishable for the
common forms of colour blindness; the map uses ``viridis``.

Nothing here is random, so the same input always gives the same picture, and
:func:`save_figure` strips the date and software stamps so that saving the
same figure twice gives byte-identical files.

Use :func:`style` (or the :data:`RC` dict) around a whole figure, including
the call to :func:`save_figure`, for fully consistent fonts; each plotting
function also applies it while it draws.

The figures live in one module per kind (:mod:`.forest`, :mod:`.funnels`, :mod:`.bars`,
:mod:`.maps`, :mod:`.curves`), sharing :mod:`._style` and :mod:`.save`.
"""

from __future__ import annotations

from ._style import (
    AREA_COLORS,
    OUTCOME_COLORS,
    OUTCOME_LABELS,
    PALETTE,
    RC,
    area_color,
    area_name,
    fmt_pct,
    style,
)
from .bars import outcome_bars, rank_plot, selection_bars
from .checks import ppc_plot
from .curves import power_curve, sensitivity_curve, trend
from .forest import caterpillar, shrinkage_arrows
from .funnels import funnel_plot
from .maps import estimates_map, kommune_map
from .save import MissingSourceWarning, save_figure, source_lines

__all__ = [
    "RC",
    "PALETTE",
    "OUTCOME_COLORS",
    "OUTCOME_LABELS",
    "AREA_COLORS",
    "area_color",
    "area_name",
    "style",
    "save_figure",
    "source_lines",
    "MissingSourceWarning",
    "fmt_pct",
    "caterpillar",
    "shrinkage_arrows",
    "funnel_plot",
    "outcome_bars",
    "kommune_map",
    "estimates_map",
    "rank_plot",
    "power_curve",
    "trend",
    "selection_bars",
    "sensitivity_curve",
    "ppc_plot",
]
