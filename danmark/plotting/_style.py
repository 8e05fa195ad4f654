"""The house style shared by every figure: palette, rc settings, Danish number formats and input checks."""

from __future__ import annotations

import contextlib
import functools

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from ..errors import DataError

PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "skyblue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#7F7F7F",
    "lightgrey": "#DDDDDD",
}

#: line colours in the order they are used (yellow left out: too pale on white)
LINE_COLORS = [PALETTE[c] for c in ("blue", "vermillion", "green", "orange", "purple", "skyblue", "black")]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "<", ">", "*"]

#: colours of the three decision outcomes (omgjort = warm, stadfæstet = cool)
OUTCOME_COLORS = {
    "aendret": PALETTE["vermillion"],
    "hjemvist": PALETTE["orange"],
    "stadfaestet": PALETTE["skyblue"],
}
#: Danish labels of the three outcomes
OUTCOME_LABELS = {"aendret": "ændret/ophævet", "hjemvist": "hjemvist", "stadfaestet": "stadfæstet"}
OUTCOME_ORDER = ["aendret", "hjemvist", "stadfaestet"]
OUTCOME_ALIASES = {
    "aendret": "aendret", "ændret": "aendret", "ændret/ophævet": "aendret", "aendret/ophaevet": "aendret",
    "aendret_ophaevet": "aendret", "ændring/ophævelse": "aendret",
    "hjemvist": "hjemvist", "hjemvisning": "hjemvist",
    "stadfaestet": "stadfaestet", "stadfæstet": "stadfaestet", "stadfæstelse": "stadfaestet",
}

#: display names of the ``area`` codes used in the bundled tables
_AREA_NAMES = {
    "socialomraadet": "socialområdet",
    "boernehandicap": "børnehandicap",
    "voksenhandicap": "voksenhandicap",
    "kommunale_social_beskaeftigelse_i_alt": "social- og beskæftigelsesområdet i alt",
    "lov_om_aktiv_beskaeftigelsesindsats": "lov om aktiv beskæftigelsesindsats",
    "lov_om_social_pension": "lov om social pension",
    "oevrige_sagsomraader": "øvrige sagsområder",
}

#: one colour per area, the same in every figure (an area not listed is drawn grey)
AREA_COLORS = {
    "voksenhandicap": PALETTE["blue"],
    "boernehandicap": PALETTE["vermillion"],
    "socialomraadet": PALETTE["green"],
    "kommunale_social_beskaeftigelse_i_alt": PALETTE["black"],
    "lov_om_aktiv_beskaeftigelsesindsats": PALETTE["orange"],
    "lov_om_social_pension": PALETTE["purple"],
    "oevrige_sagsomraader": PALETTE["skyblue"],
}


def area_color(area: str) -> str:
    """The colour of an ``area`` code in every danmark figure.

    >>> area_color("voksenhandicap")
    '#0072B2'
    """
    return AREA_COLORS.get(area, PALETTE["grey"])


def area_name(area: str) -> str:
    """The Danish display name of an ``area`` code.

    >>> area_name("boernehandicap")
    'børnehandicap'
    """
    return _AREA_NAMES.get(area, str(area).replace("_", " "))


#: rcParams applied by :func:`style` and while each plotting function draws
RC = {
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.labelsize": 9.0,
    "xtick.labelsize": 8.0,
    "ytick.labelsize": 8.0,
    "legend.fontsize": 8.0,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=LINE_COLORS),
    "image.cmap": "viridis",
    "hatch.linewidth": 0.6,
    "savefig.dpi": 200,
    "svg.hashsalt": "danmark",
    # text stays text in SVG files, so the "Kilde:" line can be searched and copied
    "svg.fonttype": "none",
    "figure.autolayout": False,
}

PCT_LABEL = "omgørelsesprocent (%)"
N_LABEL = "realitetsbehandlede sager (n)"

# Bornholm (kommunekode 400) lies 2° east of the rest: the map can draw it in a box
BORNHOLM = "400"
BORNHOLM_BOX = (11.95, 57.28)  # lower-left corner (lon, lat) of the moved island


@contextlib.contextmanager
def style():
    """Context manager applying danmark's figure style (:data:`RC`).

    Examples
    --------
    >>> with style():
    ...     fig, ax = plt.subplots()
    >>> plt.close(fig)
    """
    with mpl.rc_context(RC):
        yield


def styled(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with mpl.rc_context(RC):
            return func(*args, **kwargs)

    return wrapper


# ---------------------------------------------------------------- helpers


def axes_or_new(ax, figsize):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def require_columns(df, columns, what):
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"{what} needs a DataFrame; got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(
            f"{what} needs column(s) {', '.join(repr(c) for c in missing)}; "
            f"got {', '.join(repr(str(c)) for c in df.columns)}",
            column=missing[0],
        )


def as_floats(values, name):
    if isinstance(values, pd.Series | pd.Index):
        try:
            return values.to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError):
            raise DataError(f"{name} must be numbers", column=name) from None
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise DataError(f"{name} must be numbers", column=name) from None


def as_proportions(values, name, *, allow_nan=False, labels=None):
    """Float array of proportions in [0, 1]; DataError (with a percent hint) otherwise."""
    arr = as_floats(values, name)
    nan = np.isnan(arr)
    if nan.any() and not allow_nan:
        pos = int(np.flatnonzero(nan)[0])
        raise DataError(f"{name} is missing (NaN)", row=labels[pos] if labels is not None else pos, column=name)
    bad = ~nan & ((arr < -1e-12) | (arr > 1 + 1e-12) | ~np.isfinite(arr))
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        hint = " (percentages? give proportions, e.g. 0.363 for 36.3 %)" if 1 < arr[pos] <= 100 else ""
        raise DataError(
            f"{name} must be a proportion in [0, 1]; got {arr[pos]:g}{hint}",
            row=labels[pos] if labels is not None else pos,
            column=name,
        )
    return np.clip(arr, 0.0, 1.0)


def unit_names(df, label):
    """Unit names: the *label* column when there is one, otherwise the index."""
    if label is not None and label in df.columns:
        return [str(v) for v in df[label]]
    return [str(v) for v in df.index]


def as_str_list(x):
    if x is None:
        return []
    if isinstance(x, str | int | np.integer):
        return [str(x)]
    return [str(v) for v in x]


def fmt_number(x, decimals=1):
    """Number with a Danish decimal comma and no trailing zeros: 99.8 -> '99,8', 95.0 -> '95'."""
    s = f"{x:.{decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s.replace(".", ",").replace("-", "−")


def fmt_pct(p, *, decimals=1):
    """Proportion as Danish percent text, for labels: 0.363 -> '36,3 %', 0.5 -> '50 %'.

    Examples
    --------
    >>> fmt_pct(0.385), fmt_pct(1.0)
    ('38,5 %', '100 %')
    """
    return f"{fmt_number(100 * p, decimals)} %"




def level_label(level):
    """Funnel limit level as a legend text: 0.95 -> '95 %', 0.998 -> '99,8 %'."""
    try:
        v = float(level)
    except (TypeError, ValueError):
        return str(level)
    if v <= 1:
        v *= 100
    return f"{fmt_number(v, 2)} %"


def danish_ticks(axis):
    axis.set_major_formatter(FuncFormatter(lambda v, pos: fmt_number(v, 4)))


def log_x(ax):
    """Log scale for x with plain numbers (10, 100, 1000) instead of powers of ten."""
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, pos: fmt_number(v, 4)))
    ax.xaxis.set_minor_formatter(NullFormatter())


def parse_reference(reference, default_label):
    """``reference`` as (value, label): a number or a (number, label) pair."""
    if reference is None:
        return None
    if isinstance(reference, tuple | list) and len(reference) == 2:
        value, label = reference
    else:
        value, label = reference, default_label
    value = float(as_proportions([value], "reference")[0])
    return value, f"{label} ({fmt_pct(value)})"
