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
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import re
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib import patheffects
from matplotlib.collections import PathCollection
from matplotlib.colors import Normalize, to_rgba
from matplotlib.patches import Patch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from .errors import DataError

__all__ = [
    "RC",
    "PALETTE",
    "OUTCOME_COLORS",
    "OUTCOME_LABELS",
    "style",
    "save_figure",
    "fmt_pct",
    "caterpillar",
    "shrinkage_arrows",
    "funnel_plot",
    "outcome_bars",
    "kommune_map",
    "rank_plot",
    "power_curve",
    "trend",
    "selection_bars",
    "sensitivity_curve",
]

#: Okabe & Ito (2008) colour-blind-safe colours, by name
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
_LINE_COLORS = [PALETTE[c] for c in ("blue", "vermillion", "green", "orange", "purple", "skyblue", "black")]
_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "<", ">", "*"]

#: colours of the three decision outcomes (omgjort = warm, stadfæstet = cool)
OUTCOME_COLORS = {
    "aendret": PALETTE["vermillion"],
    "hjemvist": PALETTE["orange"],
    "stadfaestet": PALETTE["skyblue"],
}
#: Danish labels of the three outcomes
OUTCOME_LABELS = {"aendret": "ændret/ophævet", "hjemvist": "hjemvist", "stadfaestet": "stadfæstet"}
_OUTCOME_ORDER = ["aendret", "hjemvist", "stadfaestet"]
_OUTCOME_ALIASES = {
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
    "axes.prop_cycle": cycler(color=_LINE_COLORS),
    "image.cmap": "viridis",
    "hatch.linewidth": 0.6,
    "savefig.dpi": 200,
    "svg.hashsalt": "danmark",
    "figure.autolayout": False,
}

PCT_LABEL = "omgørelsesprocent (%)"
N_LABEL = "realitetsbehandlede sager (n)"

# Bornholm (kommunekode 400) lies 2° east of the rest: the map can draw it in a box
_BORNHOLM = "400"
_BORNHOLM_BOX = (11.95, 57.28)  # lower-left corner (lon, lat) of the moved island


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


def _styled(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with mpl.rc_context(RC):
            return func(*args, **kwargs)

    return wrapper


# ---------------------------------------------------------------- helpers


def _axes(ax, figsize):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def _require(df, columns, what):
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"{what} needs a DataFrame; got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(
            f"{what} needs column(s) {', '.join(repr(c) for c in missing)}; "
            f"got {', '.join(repr(str(c)) for c in df.columns)}",
            column=missing[0],
        )


def _floats(values, name):
    if isinstance(values, pd.Series | pd.Index):
        try:
            return values.to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError):
            raise DataError(f"{name} must be numbers", column=name) from None
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise DataError(f"{name} must be numbers", column=name) from None


def _proportions(values, name, *, allow_nan=False, labels=None):
    """Float array of proportions in [0, 1]; DataError (with a percent hint) otherwise."""
    arr = _floats(values, name)
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


def _names(df, label):
    """Unit names: the *label* column when there is one, otherwise the index."""
    if label is not None and label in df.columns:
        return [str(v) for v in df[label]]
    return [str(v) for v in df.index]


def _as_list(x):
    if x is None:
        return []
    if isinstance(x, str | int | np.integer):
        return [str(x)]
    return [str(v) for v in x]


def _fmt(x, decimals=1):
    """Number with a Danish decimal comma and no trailing zeros: 99.8 -> '99,8', 95.0 -> '95'."""
    s = f"{x:.{decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s.replace(".", ",").replace("-", "−")


def fmt_pct(p, decimals=1):
    """Proportion as Danish percent text, for labels: 0.363 -> '36,3 %', 0.5 -> '50 %'.

    Examples
    --------
    >>> fmt_pct(0.385), fmt_pct(1.0)
    ('38,5 %', '100 %')
    """
    return f"{_fmt(100 * p, decimals)} %"


_fmt_pct = fmt_pct


def _level_label(level):
    """Funnel limit level as a legend text: 0.95 -> '95 %', 0.998 -> '99,8 %'."""
    try:
        v = float(level)
    except (TypeError, ValueError):
        return str(level)
    if v <= 1:
        v *= 100
    return f"{_fmt(v, 2)} %"


def _danish_ticks(axis):
    axis.set_major_formatter(FuncFormatter(lambda v, pos: _fmt(v, 4)))


def _logx(ax):
    """Log scale for x with plain numbers (10, 100, 1000) instead of powers of ten."""
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, pos: _fmt(v, 4)))
    ax.xaxis.set_minor_formatter(NullFormatter())


def _reference(reference, default_label):
    """``reference`` as (value, label): a number or a (number, label) pair."""
    if reference is None:
        return None
    if isinstance(reference, tuple | list) and len(reference) == 2:
        value, label = reference
    else:
        value, label = reference, default_label
    value = float(_proportions([value], "reference")[0])
    return value, f"{label} ({_fmt_pct(value)})"


# --------------------------------------------------------------- saving


def save_figure(fig, name, formats=("png",), folder=None, dpi=200):
    """Save *fig* as ``<folder>/<name>.<format>`` with reproducible bytes.

    Date and software stamps are left out (``metadata={"Software": None}``
    for PNG, ``{"Date": None, "Creator": None}`` for SVG, no dates or
    producer for PDF) and ``svg.hashsalt`` is fixed, so saving the same
    figure twice writes identical files.

    Parameters
    ----------
    fig : matplotlib Figure
    name : str
        File name without folder (a suffix matching a format is dropped).
    formats : str or sequence of str
        Any of ``"png"``, ``"svg"``, ``"pdf"``.
    folder : path-like, optional
        Default: the repository's ``figures/`` folder (next to the
        ``danmark`` package), created if missing; ``figures/DANMARK_DATA/``
        when the environment variable ``DANMARK_DATA`` names a downloaded
        table, so the committed figures are not overwritten.
    dpi : int
        Resolution for PNG.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of *formats*.

    Examples
    --------
    >>> import tempfile
    >>> fig, ax = plt.subplots()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in save_figure(fig, "demo", ("png", "svg"), folder=tmp)]
    ['demo.png', 'demo.svg']
    >>> plt.close(fig)
    """
    if isinstance(formats, str):
        formats = (formats,)
    formats = [str(f).lower().lstrip(".") for f in formats]
    metadata = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
    }
    unknown = [f for f in formats if f not in metadata]
    if unknown:
        raise DataError(f"unsupported figure format(s) {unknown}; use png, svg or pdf")
    name = str(name)
    if not name or "/" in name or "\\" in name or name in {".", ".."}:
        raise DataError(f"figure name must be a plain file name; got {name!r}")
    stem = Path(name)
    if stem.suffix.lstrip(".").lower() in metadata:
        name = stem.stem
    if folder is None:
        import os

        import danmark

        folder = Path(danmark.__file__).resolve().parents[1] / "figures"
        if os.environ.get("DANMARK_DATA"):
            # a run on a downloaded table must not overwrite the committed figures
            folder = folder / "DANMARK_DATA"
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with mpl.rc_context({"svg.hashsalt": RC["svg.hashsalt"]}):
        for fmt in formats:
            path = folder / f"{name}.{fmt}"
            fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata[fmt], bbox_inches="tight")
            paths.append(path)
    return paths


# ----------------------------------------------------------- caterpillar


@_styled
def caterpillar(df, label="kommune", ax=None, raw=True, sort=True, reference=None, highlight=None):
    """Forest plot of shrunk estimates with intervals, raw rates as hollow markers.

    Parameters
    ----------
    df : DataFrame
        Columns ``estimate``, ``lower``, ``upper`` (proportions in [0, 1],
        shown in %), and for the raw rate either ``raw`` or ``k`` and ``n``;
        optional ``raw_lower``/``raw_upper`` (an exact interval for the raw
        rate, drawn thin and grey just below). Unit names come from the
        *label* column, or from the index when there is no such column (as
        returned by ``danmark.shrink``).
    label : str
        Name column, also used as the y-axis label ("kommune").
    raw : bool
        Draw the raw rate k/n.
    sort : bool
        Highest estimate at the top (stable, so ties keep the input order);
        otherwise the first row is at the top.
    reference : float or (float, str), optional
        Vertical line, e.g. the national rate (a proportion), with a legend
        label (default "landsplan").
    highlight : str or list of str, optional
        Units whose names are drawn in bold and whose estimate is coloured.

    Examples
    --------
    >>> df = pd.DataFrame({"k": [10, 3], "n": [14, 30], "estimate": [0.5, 0.2],
    ...                    "lower": [0.3, 0.1], "upper": [0.7, 0.35]}, index=["A", "B"])
    >>> ax = caterpillar(df, reference=0.36)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('omgørelsesprocent (%)', 'kommune')
    >>> plt.close("all")
    """
    _require(df, ["estimate", "lower", "upper"], "caterpillar")
    names = _names(df, label)
    est = _proportions(df["estimate"], "estimate", labels=names)
    lo = _proportions(df["lower"], "lower", allow_nan=True, labels=names)
    hi = _proportions(df["upper"], "upper", allow_nan=True, labels=names)
    raw_rate = None
    if raw:
        if "raw" in df.columns:
            raw_rate = _proportions(df["raw"], "raw", allow_nan=True, labels=names)
        elif {"k", "n"} <= set(df.columns):
            k, n = _floats(df["k"], "k"), _floats(df["n"], "n")
            with np.errstate(invalid="ignore", divide="ignore"):
                raw_rate = _proportions(np.where(n > 0, k / n, np.nan), "k/n", allow_nan=True, labels=names)
        else:
            raise DataError("caterpillar(raw=True) needs a 'raw' column or 'k' and 'n'", column="raw")
    order = np.argsort(-est, kind="stable") if sort else np.arange(len(est))
    m = len(order)
    y = np.arange(m)[::-1].astype(float)  # first in order at the top
    ax = _axes(ax, (6.5, max(2.5, 0.2 * m + 1.2)))
    blue, verm = PALETTE["blue"], PALETTE["vermillion"]

    if raw and {"raw_lower", "raw_upper"} <= set(df.columns):
        rlo = _proportions(df["raw_lower"], "raw_lower", allow_nan=True, labels=names)[order]
        rhi = _proportions(df["raw_upper"], "raw_upper", allow_nan=True, labels=names)[order]
        ax.hlines(y - 0.22, 100 * rlo, 100 * rhi, color=PALETTE["grey"], lw=0.8, label="rå andel: eksakt interval")
    ax.hlines(y, 100 * lo[order], 100 * hi[order], color=blue, lw=1.6, label="krympet skøn: interval")
    ax.plot(100 * est[order], y, "o", color=blue, ms=4.5, label="krympet skøn", zorder=3)
    if raw_rate is not None:
        ax.plot(100 * raw_rate[order], y, "o", mfc="none", mec=verm, mew=1.0, ms=5,
                label="rå andel (k/n)", zorder=4)
    ref = _reference(reference, "landsplan")
    if ref is not None:
        ax.axvline(100 * ref[0], color=PALETTE["grey"], ls="--", lw=1, label=ref[1], zorder=1)

    hl = set(_as_list(highlight))
    unknown = hl - set(names)
    if unknown:
        raise DataError(f"highlight: unknown unit(s) {sorted(unknown)}", column=label)
    ordered_names = [names[i] for i in order]
    ax.set_yticks(y, ordered_names)
    if hl:
        sel = [i for i, nm in enumerate(ordered_names) if nm in hl]
        ax.plot(100 * est[order][sel], y[sel], "o", color=PALETTE["orange"], mec="black", mew=0.6, ms=6,
                label="fremhævet", zorder=3.5)
        for tick, nm in zip(ax.get_yticklabels(), ordered_names, strict=True):
            if nm in hl:
                tick.set_fontweight("bold")
    ax.set_ylim(-0.8, m - 0.2)
    ax.set_xlabel(PCT_LABEL)
    ax.set_ylabel(label)
    _danish_ticks(ax.xaxis)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3)
    return ax


@_styled
def shrinkage_arrows(df, ax=None, prior_mean=None, label=None, logx=True, highlight=None):
    """Arrows from each raw rate k/n to its shrunk estimate, against n.

    Small units move far towards the prior mean, large ones hardly move: the
    classic picture of partial pooling.

    Parameters
    ----------
    df : DataFrame
        Columns ``n`` and ``estimate`` (proportion) and either ``raw`` or
        ``k`` (raw = k/n). Rates are shown in %.
    prior_mean : float, optional
        Mean of the prior (proportion), drawn as a horizontal line.
    label : str, optional
        Column with unit names (``"index"`` for the index) to write next to
        the raw points; all units are labelled unless *highlight* is given.
    logx : bool
        Log scale for n (n must then be positive).
    highlight : str or list of str, optional
        Label only these units (names from *label*, default the index).

    Examples
    --------
    >>> df = pd.DataFrame({"k": [10, 30], "n": [14, 120], "estimate": [0.45, 0.27]})
    >>> ax = shrinkage_arrows(df, prior_mean=0.3)
    >>> ax.get_xlabel(), len(ax.texts)  # one arrow per unit
    ('realitetsbehandlede sager (n)', 2)
    >>> plt.close("all")
    """
    _require(df, ["n", "estimate"], "shrinkage_arrows")
    n = _floats(df["n"], "n")
    est = _proportions(df["estimate"], "estimate")
    if "raw" in df.columns:
        raw = _proportions(df["raw"], "raw")
    elif "k" in df.columns:
        k = _floats(df["k"], "k")
        if np.any(n <= 0):
            raise DataError("n must be positive to compute k/n", row=int(np.flatnonzero(n <= 0)[0]), column="n")
        raw = _proportions(k / n, "k/n")
    else:
        raise DataError("shrinkage_arrows needs a 'raw' or a 'k' column", column="raw")
    if logx and np.any(~(n > 0)):
        raise DataError("n must be positive on a log scale", row=int(np.flatnonzero(~(n > 0))[0]), column="n")
    ax = _axes(ax, (6.5, 4.0))
    for xi, r, e in zip(n, raw, est, strict=True):
        if abs(r - e) > 1e-9:
            ax.annotate("", xy=(xi, 100 * e), xytext=(xi, 100 * r),
                        arrowprops={"arrowstyle": "-|>", "color": PALETTE["grey"], "lw": 0.8,
                                    "shrinkA": 0, "shrinkB": 2, "mutation_scale": 7})
    ax.plot(n, 100 * raw, "o", mfc="none", mec=PALETTE["vermillion"], ms=5, ls="none", label="rå andel (k/n)")
    ax.plot(n, 100 * est, "o", color=PALETTE["blue"], ms=4, ls="none", label="krympet skøn")
    if prior_mean is not None:
        pm = float(_proportions([prior_mean], "prior_mean")[0])
        ax.axhline(100 * pm, color="black", ls="--", lw=1, label=f"priorens middelværdi ({_fmt_pct(pm)})")
    if label is not None or highlight is not None:
        names = [str(v) for v in df.index] if label in (None, "index") else _names(df, label)
        if label not in (None, "index") and label not in df.columns:
            raise DataError(f"label column {label!r} not found", column=label)
        chosen = set(_as_list(highlight)) if highlight is not None else set(names)
        for xi, r, nm in zip(n, raw, names, strict=True):
            if nm in chosen:
                ax.annotate(nm, (xi, 100 * r), xytext=(4, 2), textcoords="offset points", fontsize=7)
    if logx:
        _logx(ax)
    ax.set_xlabel(N_LABEL)
    ax.set_ylabel(PCT_LABEL)
    _danish_ticks(ax.yaxis)
    ax.legend(loc="best")
    return ax


# ----------------------------------------------------------------- funnel


@_styled
def funnel_plot(k, n, limits, p0, labels=None, ax=None, highlight=None, logx=False, flag_level=None):
    """Funnel plot: k/n against n with control limits around *p0*.

    Parameters
    ----------
    k, n : array-like of counts
        Reversed decisions and realitetsbehandlede sager per unit.
    limits : DataFrame
        Long table with columns ``n``, ``level``, ``lower``, ``upper`` (one
        row per n and level, limits as proportions), as returned by
        ``danmark.funnel_limits``. Each level is drawn as a pair of lines and
        named in the legend ("95 %", "99,8 %"; levels ≤ 1 are read as
        proportions).
    p0 : float or None
        Target / national rate (proportion): horizontal line. None takes
        ``limits.attrs["p0"]`` (set by ``danmark.funnel_limits``).
    labels : sequence of str, optional
        Unit names (default: the index of *k* when it is a Series). Units
        outside the *flag_level* limits (default the widest) and highlighted
        units are named in the plot. Which units fall outside is read off the
        drawn limits by linear interpolation in n; for the formal flags use
        ``danmark.funnel_flags``.
    highlight : str or list of str, optional
        Units drawn in orange and named.
    logx : bool
        Log scale for n.

    Examples
    --------
    >>> limits = pd.DataFrame({"n": [10, 100, 10, 100], "level": [0.95, 0.95, 0.998, 0.998],
    ...                        "lower": [0.1, 0.27, 0.02, 0.22], "upper": [0.7, 0.46, 0.8, 0.52]})
    >>> ax = funnel_plot([5, 30], [10, 100], limits, p0=0.36, labels=["A", "B"])
    >>> [t.get_text() for t in ax.get_legend().get_texts()][:2]
    ['95 %', '99,8 %']
    >>> plt.close("all")
    """
    from .validate import check_k_n, check_probability

    index = None
    for v in (k, n):
        if isinstance(v, pd.Series):
            index = v.index
            break
    k_arr, n_arr = check_k_n(k, n)
    k_arr, n_arr = np.atleast_1d(k_arr).astype(float), np.atleast_1d(n_arr).astype(float)
    _require(limits, ["n", "level", "lower", "upper"], "funnel_plot limits")
    if p0 is None:
        p0 = limits.attrs.get("p0")
        if p0 is None:
            raise DataError("funnel_plot needs p0 (limits.attrs has no 'p0')", column="p0")
    p0 = float(check_probability(p0, "p0"))
    if labels is None and index is not None:
        labels = [str(v) for v in index]
    if labels is not None:
        labels = [str(v) for v in labels]
        if len(labels) != len(k_arr):
            raise DataError(f"labels has {len(labels)} names for {len(k_arr)} units", column="labels")
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(n_arr > 0, k_arr / n_arr, np.nan)

    ax = _axes(ax, (6.5, 4.5))
    levels = list(pd.unique(limits["level"]))
    try:
        levels = sorted(levels, key=float)
    except (TypeError, ValueError):
        pass
    styles = ["--", "-", ":", "-."]
    outer = {}
    for i, level in enumerate(levels):
        part = limits[limits["level"] == level].sort_values("n", kind="stable")
        ln = _floats(part["n"], "n")
        lo = _proportions(part["lower"], "lower", allow_nan=True)
        hi = _proportions(part["upper"], "upper", allow_nan=True)
        kw = {"color": "black" if i else PALETTE["grey"], "ls": styles[i % len(styles)], "lw": 1.0}
        ax.plot(ln, 100 * hi, label=_level_label(level), **kw)
        ax.plot(ln, 100 * lo, label="_nolegend_", **kw)
        outer[level] = (ln, lo, hi)
    ax.axhline(100 * p0, color=PALETTE["blue"], lw=1.2, label=f"p₀ = {_fmt_pct(p0)}")
    ax.plot(n_arr, 100 * rate, "o", color=PALETTE["blue"], alpha=0.75, ms=4.5, mec="white", mew=0.4,
            ls="none", label="kommuner" if len(n_arr) else "_nolegend_", zorder=3)

    hl = set(_as_list(highlight))
    if hl:
        if labels is None:
            raise DataError("highlight needs unit names: pass labels or k/n as Series")
        unknown = hl - set(labels)
        if unknown:
            raise DataError(f"highlight: unknown unit(s) {sorted(unknown)}", column="labels")
        sel = np.array([nm in hl for nm in labels])
        ax.plot(n_arr[sel], 100 * rate[sel], "o", color=PALETTE["orange"], mec="black", mew=0.6, ms=6,
                ls="none", label="fremhævet", zorder=4)
    if labels is not None and levels:
        level = flag_level if flag_level is not None else levels[-1]
        if level not in outer:
            raise DataError(f"flag_level {level!r} is not a level in limits", column="level")
        ln, lo, hi = outer[level]
        ok = np.isfinite(lo) & np.isfinite(hi)
        lo_at = np.interp(n_arr, ln[ok], lo[ok]) if ok.any() else np.full_like(n_arr, np.nan)
        hi_at = np.interp(n_arr, ln[ok], hi[ok]) if ok.any() else np.full_like(n_arr, np.nan)
        outside = (rate < lo_at - 1e-12) | (rate > hi_at + 1e-12)
        for i, nm in enumerate(labels):
            if outside[i] or nm in hl:
                ax.annotate(nm, (n_arr[i], 100 * rate[i]), xytext=(4, 3), textcoords="offset points",
                            fontsize=7)
    if logx:
        _logx(ax)
    ax.set_xlabel(N_LABEL)
    ax.set_ylabel(PCT_LABEL)
    ax.set_ylim(bottom=0)
    _danish_ticks(ax.yaxis)
    ax.legend(loc="upper right")
    return ax


# ---------------------------------------------------------------- outcomes


def _outcome_code(value):
    key = str(value).strip().lower()
    code = _OUTCOME_ALIASES.get(key)
    if code is None:
        raise DataError(f"unknown outcome {value!r}; use 'stadfaestet', 'aendret' or 'hjemvist'", column="outcome")
    return code


@_styled
def outcome_bars(df, ax=None, label="kommune", sort=False, show_n=True, bars="observed"):
    """Stacked bars of ændret / hjemvist / stadfæstet shares per unit.

    The omgjort part (ændret/ophævet, then hjemvist) starts at 0, so the
    omgørelsesprocent is where the hjemvist segment ends.

    Parameters
    ----------
    df : DataFrame
        Either long, as from ``danmark.outcome_split``: columns ``outcome``
        (``"stadfaestet"``, ``"aendret"``, ``"hjemvist"``; ``"omgjort"`` rows
        are ignored), ``estimate``
        (share, a proportion), optional ``lower``/``upper`` (interval for the
        share) and ``count``; the unit in a ``unit`` or *label* column or the
        index. Or wide: one row per unit with count columns ``stadfaestet``,
        ``aendret``, ``hjemvist``; shares are then count / total.
        Two 95 % intervals are drawn as whiskers on the bar's own scale: the
        ændret share (from 0, where its segment starts) and, from the
        ``"omgjort"`` rows when present, the omgørelse share (ændret +
        hjemvist, ending where the hjemvist segment ends). The hjemvist share
        on its own has no whisker: in a stacked bar it has no fixed origin.
    bars : {"observed", "estimate"}
        Segment lengths: the observed shares count / n (default; units
        without counts, e.g. published percentages, keep ``estimate``) or the
        posterior means in ``estimate``.
    label : str
        Name column (used when there is no ``unit`` column) and y label.
    sort : bool
        Highest omgjort share first; otherwise input order, top to bottom.
    show_n : bool
        Write n (sum of counts) to the right of each bar when counts are known.

    Examples
    --------
    >>> wide = pd.DataFrame({"stadfaestet": [105, 20], "aendret": [5, 4], "hjemvist": [19, 6]},
    ...                     index=["A", "B"])
    >>> ax = outcome_bars(wide)
    >>> ax.get_xlabel(), len(ax.containers)
    ('andel af realitetsbehandlede sager (%)', 3)
    >>> plt.close("all")
    """
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"outcome_bars needs a DataFrame; got {type(df).__name__}")
    if bars not in ("observed", "estimate"):
        raise DataError(f"bars must be 'observed' or 'estimate'; got {bars!r}")
    counts = None
    omg_lower = omg_upper = None
    if {"outcome", "estimate"} <= set(df.columns):
        is_omg = df["outcome"].astype(str).str.strip().str.lower() == "omgjort"
        omg_rows = df[is_omg]
        df = df[~is_omg]  # derived row, not a segment
        unit_col = "unit" if "unit" in df.columns else (label if label in df.columns else None)
        units = [str(v) for v in (df[unit_col] if unit_col else df.index)]
        long = pd.DataFrame({
            "unit": units,
            "outcome": [_outcome_code(v) for v in df["outcome"]],
            "estimate": _proportions(df["estimate"], "estimate"),
            "lower": _proportions(df["lower"], "lower", allow_nan=True) if "lower" in df.columns else np.nan,
            "upper": _proportions(df["upper"], "upper", allow_nan=True) if "upper" in df.columns else np.nan,
            "count": _floats(df["count"], "count") if "count" in df.columns else np.nan,
        })
        dup = long.duplicated(["unit", "outcome"])
        if dup.any():
            pos = int(np.flatnonzero(dup.to_numpy())[0])
            raise DataError(f"unit {long['unit'].iloc[pos]!r} has outcome {long['outcome'].iloc[pos]!r} twice",
                            row=pos, column="outcome")
        order = list(pd.unique(long["unit"]))
        wide = {c: long.pivot(index="unit", columns="outcome", values=c).reindex(index=order, columns=_OUTCOME_ORDER)
                for c in ("estimate", "lower", "upper", "count")}
        if wide["estimate"].isna().any().any():
            miss = wide["estimate"].isna().stack()
            u, o = miss[miss].index[0]
            raise DataError(f"unit {u!r} has no row for outcome {o!r}", column="outcome")
        share = wide["estimate"].to_numpy(dtype=float)
        lower, upper = wide["lower"].to_numpy(dtype=float), wide["upper"].to_numpy(dtype=float)
        cnt = wide["count"].to_numpy(dtype=float)
        counts = cnt  # may hold NaN: units without counts keep their estimates and get no "n ="
        names = order
        if len(omg_rows) and {"lower", "upper"} <= set(omg_rows.columns):
            omg_units = [str(v) for v in (omg_rows[unit_col] if unit_col else omg_rows.index)]
            omg = pd.DataFrame({"lower": _proportions(omg_rows["lower"], "lower", allow_nan=True),
                                "upper": _proportions(omg_rows["upper"], "upper", allow_nan=True)},
                               index=omg_units).reindex(order)
            omg_lower, omg_upper = omg["lower"].to_numpy(float), omg["upper"].to_numpy(float)
        if bars == "observed":
            tot = counts.sum(axis=1)
            observed = np.isfinite(counts).all(axis=1) & (tot > 0)
            share = share.copy()
            share[observed] = counts[observed] / tot[observed, None]
    elif set(_OUTCOME_ORDER) <= set(df.columns):
        from .validate import as_counts

        names = _names(df, label)
        counts = np.column_stack([as_counts(df[c], c) for c in _OUTCOME_ORDER]).astype(float)
        tot = counts.sum(axis=1)
        if np.any(tot == 0):
            raise DataError(f"unit {names[int(np.flatnonzero(tot == 0)[0])]!r} has no realitetsbehandlede sager",
                            row=int(np.flatnonzero(tot == 0)[0]))
        share = counts / tot[:, None]
        lower = upper = np.full_like(share, np.nan)
    else:
        raise DataError("outcome_bars needs a long table (outcome, estimate, ...) or the count columns "
                        "stadfaestet, aendret, hjemvist", column="outcome")

    m = len(names)
    order_idx = np.argsort(-(share[:, 0] + share[:, 1]), kind="stable") if sort else np.arange(m)
    share, lower, upper = share[order_idx], lower[order_idx], upper[order_idx]
    if omg_lower is not None:
        omg_lower, omg_upper = omg_lower[order_idx], omg_upper[order_idx]
    names = [names[i] for i in order_idx]
    if counts is not None:
        counts = counts[order_idx]
    y = np.arange(m, dtype=float)
    ax = _axes(ax, (6.5, max(2.0, 0.3 * m + 1.2)))
    left = np.zeros(m)
    for j, oc in enumerate(_OUTCOME_ORDER):
        ax.barh(y, 100 * share[:, j], left=100 * left, height=0.7, color=OUTCOME_COLORS[oc],
                edgecolor="white", linewidth=0.6, label=OUTCOME_LABELS[oc])
        left = left + share[:, j]
    whiskers = [(lower[:, 0], upper[:, 0], 0.17, "95 %-interval, ændret/ophævet")]
    if omg_lower is not None:
        whiskers.append((omg_lower, omg_upper, -0.17, "95 %-interval, omgjort i alt"))
    for (lo, hi, dy, text), style in zip(whiskers, ("-", "--"), strict=False):
        ok = np.isfinite(lo) & np.isfinite(hi)
        if ok.any():
            ax.hlines(y[ok] + dy, 100 * lo[ok], 100 * hi[ok], colors="black", linestyles=style, lw=0.9, label=text)
            for edge in (lo, hi):
                ax.vlines(100 * edge[ok], y[ok] + dy - 0.08, y[ok] + dy + 0.08, colors="black", lw=0.9,
                          label="_nolegend_")
    if show_n and counts is not None:
        tot = counts.sum(axis=1)
        for yi, t in zip(y, tot, strict=True):
            if np.isfinite(t):
                ax.text(101, yi, f"n = {t:.0f}", va="center", ha="left", fontsize=7, clip_on=False)
    ax.set_yticks(y, names)
    ax.set_ylim(m - 0.4, -0.6)  # first unit at the top
    ax.set_xlim(0, 100)
    ax.set_xlabel("andel af realitetsbehandlede sager (%)")
    ax.set_ylabel(label)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=8)
    return ax


# -------------------------------------------------------------------- map


@functools.lru_cache(maxsize=1)
def _default_boundaries_text() -> str:
    from ._paths import data_path

    return data_path("geo/kommuner.geojson").read_text(encoding="utf-8")


def _load_boundaries(boundaries):
    if boundaries is None:
        return json.loads(_default_boundaries_text())
    if isinstance(boundaries, str | Path):
        with open(boundaries, encoding="utf-8") as fh:
            return json.load(fh)
    return boundaries


def _signed_area(ring):
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def _polygons(geometry, code):
    if not isinstance(geometry, dict) or "coordinates" not in geometry:
        raise DataError(f"kommune {code}: feature has no geometry", column="geometry")
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise DataError(f"kommune {code}: geometry type {kind!r} is not Polygon or MultiPolygon", column="geometry")


def _feature_path(polygons, shift=(0.0, 0.0)):
    """One compound Path per municipality; exteriors counter-clockwise, holes clockwise.

    With consistent orientation the holes stay empty under both the nonzero
    and the even-odd fill rule. Also returns the centroid of the largest part.
    """
    verts, codes = [], []
    best_area, centroid = -1.0, (np.nan, np.nan)
    for poly in polygons:
        for r, ring in enumerate(poly):
            arr = np.asarray(ring, dtype=float)[:, :2] + np.asarray(shift)
            if len(arr) > 1 and np.allclose(arr[0], arr[-1]):
                arr = arr[:-1]
            if len(arr) < 3:
                continue
            a = _signed_area(arr)
            if (r == 0 and a < 0) or (r > 0 and a > 0):
                arr, a = arr[::-1], -a
            if r == 0 and abs(a) > best_area:
                x, y = arr[:, 0], arr[:, 1]
                cross = x * np.roll(y, -1) - np.roll(x, -1) * y
                if a != 0:
                    centroid = (float(np.sum((x + np.roll(x, -1)) * cross) / (6 * a)),
                                float(np.sum((y + np.roll(y, -1)) * cross) / (6 * a)))
                else:
                    centroid = (float(x.mean()), float(y.mean()))
                best_area = abs(a)
            verts.append(np.vstack([arr, arr[:1]]))
            codes.append(np.r_[MplPath.MOVETO, np.full(len(arr) - 1, MplPath.LINETO), MplPath.CLOSEPOLY])
    if not verts:
        return None, centroid
    return MplPath(np.vstack(verts), np.concatenate(codes).astype(MplPath.code_type)), centroid


def _map_series(values, name, codes):
    """Series indexed by kommunekode (names and int codes accepted) restricted to *codes*."""
    if values is None:
        return pd.Series(np.nan, index=codes)
    if isinstance(values, dict):
        values = pd.Series(values)
    if not isinstance(values, pd.Series):
        raise DataError(f"{name} must be a pandas Series indexed by kommunekode; got {type(values).__name__}")
    from .kommuner import normalize_kommune

    known = set(codes)
    keys = []
    for pos, key in enumerate(values.index):
        text = str(key).strip()
        if re.fullmatch(r"\d{1,4}", text) and text.lstrip("0").zfill(3) in known:
            keys.append(text.lstrip("0").zfill(3))
            continue
        code = normalize_kommune(key, row=pos, column=name)[0]
        if code not in known:
            raise DataError(f"{name}: kommune {key!r} (code {code}) is not in the boundaries", row=pos, column=name)
        keys.append(code)
    vals = _proportions(values, name, allow_nan=True, labels=list(values.index))
    out = pd.Series(vals, index=keys)
    if out.index.duplicated().any():
        dup = out.index[out.index.duplicated()][0]
        raise DataError(f"{name}: kommune {dup} appears more than once", column=name)
    return out.reindex(codes)


@_styled
def kommune_map(values=None, boundaries=None, ax=None, cmap="viridis", vmin=None, vmax=None,
                label=PCT_LABEL, missing_label="ingen data i pakken", hatch_missing=True,
                annotate=None, uncertainty=None, uncertainty_scale=0.5, bornholm_inset=True,
                colorbar=True):
    """Choropleth of the 98 municipalities.

    Parameters
    ----------
    values : Series, optional
        Proportions in [0, 1] indexed by kommunekode (3-digit string; names
        and integer codes are also accepted), shown in % on the colourbar.
        Municipalities without a value (absent or NaN) are drawn light grey,
        hatched, and listed in the legend as *missing_label*: nothing is
        filled in for them. With ``values=None`` only the outlines are drawn.
    boundaries : dict or path, optional
        GeoJSON FeatureCollection whose features carry ``kommunekode``
        (lon/lat, Polygon or MultiPolygon, holes allowed). Default: the
        bundled ``data/geo/kommuner.geojson``.
    cmap, vmin, vmax :
        Colour map (default ``viridis``, readable with colour blindness and
        in greyscale) and its range as proportions (default: the data range).
    label : str
        Colourbar label.
    annotate : list of str, optional
        Kommunekoder (or names) to label at the centroid of their largest part.
    uncertainty : Series, optional
        Interval widths (proportions) indexed like *values*. A municipality's
        colour is faded towards white as its interval widens: opacity falls
        linearly from 1 at width 0 to 0.25 at width >= *uncertainty_scale*
        (default 0.5, i.e. 50 percentage points), so confident colours stand
        out and noisy ones recede. Units without a width keep full opacity.
    bornholm_inset : bool
        Draw Bornholm moved into a framed box north-east of Zealand (the
        usual Danish map layout) instead of at its true position.
    colorbar : bool
        Add a colourbar (only when there are values).

    Returns
    -------
    Axes
        The municipalities are one :class:`~matplotlib.collections.PathCollection`
        per group, with gid ``"kommuner"`` (with data) and ``"kommuner-mangler"``
        (missing), so that ``len(coll.get_paths())`` counts municipalities.

    Examples
    --------
    >>> ax = kommune_map(pd.Series({"101": 0.3, "269": 0.7}))
    >>> sum(len(c.get_paths()) for c in ax.collections)
    98
    >>> plt.close("all")
    """
    geo = _load_boundaries(boundaries)
    if not isinstance(geo, dict) or not isinstance(geo.get("features"), list):
        raise DataError("boundaries must be a GeoJSON FeatureCollection with a 'features' list")
    codes, paths, centroids, props = [], [], {}, {}
    for i, feat in enumerate(geo["features"]):
        p = (feat or {}).get("properties") or {}
        raw_code = p.get("kommunekode")
        if raw_code is None:
            raise DataError("boundary feature has no 'kommunekode' property", row=i, column="kommunekode")
        code = str(raw_code).strip().lstrip("0").zfill(3)
        if code in centroids:
            raise DataError(f"kommunekode {code} appears twice in the boundaries", row=i, column="kommunekode")
        polys = _polygons(feat.get("geometry"), code)
        shift = (0.0, 0.0)
        if bornholm_inset and code == _BORNHOLM:
            pts = np.array([pt[:2] for poly in polys for pt in poly[0]], dtype=float)
            shift = (_BORNHOLM_BOX[0] - pts[:, 0].min(), _BORNHOLM_BOX[1] - pts[:, 1].min())
        path, cen = _feature_path(polys, shift)
        if path is None:
            raise DataError(f"kommune {code}: empty geometry", row=i, column="geometry")
        codes.append(code)
        paths.append(path)
        centroids[code] = cen
        props[code] = p
    vals = _map_series(values, "values", codes)
    widths = _map_series(uncertainty, "uncertainty", codes) if uncertainty is not None else None
    if uncertainty_scale <= 0:
        raise DataError("uncertainty_scale must be positive", column="uncertainty_scale")

    ax = _axes(ax, (6.5, 5.6))
    has = vals.notna().to_numpy()
    finite = vals.to_numpy()[has]
    lo = float(_proportions([vmin], "vmin")[0]) if vmin is not None else (float(finite.min()) if finite.size else 0.0)
    hi = float(_proportions([vmax], "vmax")[0]) if vmax is not None else (float(finite.max()) if finite.size else 1.0)
    if hi <= lo:
        lo, hi = lo - 0.01, hi + 0.01
    norm = Normalize(100 * lo, 100 * hi)
    cm = plt.get_cmap(cmap)
    edge = {"edgecolors": "white", "linewidths": 0.35}

    handles = []
    if values is None:
        coll = PathCollection(paths, facecolors=PALETTE["lightgrey"], **edge)
        coll.set_gid("kommuner")
        ax.add_collection(coll)
    else:
        idx = np.flatnonzero(has)
        face = cm(norm(100 * vals.to_numpy()[idx]))
        if widths is not None:
            w = widths.to_numpy()[idx]
            alpha = np.where(np.isnan(w), 1.0, 1.0 - 0.75 * np.clip(w / uncertainty_scale, 0, 1))
            face[:, 3] = alpha
        coll = PathCollection([paths[i] for i in idx], facecolors=face, **edge)
        coll.set_gid("kommuner")
        ax.add_collection(coll)
        miss = np.flatnonzero(~has)
        if miss.size:
            hatch = "////" if hatch_missing else None
            mcoll = PathCollection([paths[i] for i in miss], facecolors="#EEEEEE", edgecolors="#9A9A9A",
                                   linewidths=0.35, hatch=hatch)
            mcoll.set_gid("kommuner-mangler")
            mcoll.set_label(missing_label)
            ax.add_collection(mcoll)
            handles.append(Patch(facecolor="#EEEEEE", edgecolor="#9A9A9A", hatch=hatch, label=missing_label))
        if widths is not None:
            mid = cm(0.5)
            handles.append(Patch(facecolor=mid, edgecolor="none", label="smalt interval"))
            handles.append(Patch(facecolor=to_rgba(mid, 0.25), edgecolor="none",
                                 label=f"bredt interval (≥ {_fmt(100 * uncertainty_scale)} procentpoint)"))
        if colorbar and finite.size:
            sm = mpl.cm.ScalarMappable(norm=norm, cmap=cm)
            cbar = ax.get_figure().colorbar(sm, ax=ax, shrink=0.6, pad=0.02)
            cbar.set_label(label)
            _danish_ticks(cbar.ax.yaxis)
    if bornholm_inset and _BORNHOLM in centroids:
        b = paths[codes.index(_BORNHOLM)].get_extents()
        ax.add_patch(Rectangle((b.x0 - 0.08, b.y0 - 0.06), b.width + 0.16, b.height + 0.12, fill=False,
                               edgecolor=PALETTE["grey"], lw=0.7, gid="bornholm-inset"))
    for key in _as_list(annotate):
        text = str(key).strip()
        code = text.lstrip("0").zfill(3) if re.fullmatch(r"\d{1,4}", text) else None
        if code not in centroids:
            from .kommuner import normalize_kommune

            code = normalize_kommune(key, column="annotate")[0]
            if code not in centroids:
                raise DataError(f"annotate: kommune {key!r} is not in the boundaries", column="annotate")
        p = props[code]
        name = p.get("kommune") or p.get("navn") or p.get("name")
        if not name:
            from .kommuner import normalize_kommune

            name = normalize_kommune(code)[1]
        ax.annotate(str(name), centroids[code], ha="center", va="center", fontsize=7,
                    path_effects=[patheffects.withStroke(linewidth=2, foreground="white")])
    ax.autoscale_view()
    lat0 = float(np.mean(ax.get_ylim()))
    ax.set_aspect(1.0 / math.cos(math.radians(lat0)))
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if handles:
        ax.legend(handles=handles, loc="upper left")
    return ax


# ------------------------------------------------------------------ ranks


@_styled
def rank_plot(df, ax=None, top=None, label="kommune", p_top_label=None):
    """Rank intervals: where each unit's rank could plausibly lie.

    Parameters
    ----------
    df : DataFrame
        Columns ``mean_rank``, ``rank_lower``, ``rank_upper`` (rank 1 =
        highest rate), optional ``p_top`` (probability of being among the
        top units, a proportion, written in % to the right); index = unit
        names (or a *label* column).
    top : int, optional
        Show only the *top* units by mean rank; the axis still spans all ranks.
    p_top_label : str, optional
        Heading of the ``p_top`` column; default "P(top)", or "P(top k)"
        when ``df.attrs["top"]`` is set.

    Examples
    --------
    >>> df = pd.DataFrame({"mean_rank": [1.4, 2.1, 2.5], "rank_lower": [1, 1, 1],
    ...                    "rank_upper": [3, 3, 3], "p_top": [0.6, 0.3, 0.1]}, index=["A", "B", "C"])
    >>> ax = rank_plot(df)
    >>> ax.get_xlabel()
    'rang (1 = højeste omgørelsesprocent)'
    >>> plt.close("all")
    """
    _require(df, ["mean_rank", "rank_lower", "rank_upper"], "rank_plot")
    names = _names(df, label)
    mean = _floats(df["mean_rank"], "mean_rank")
    lo, hi = _floats(df["rank_lower"], "rank_lower"), _floats(df["rank_upper"], "rank_upper")
    bad = ~(np.isfinite(mean) & np.isfinite(lo) & np.isfinite(hi)) | (lo > hi) | (lo < 1)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise DataError(f"rank interval of {names[pos]!r} is not valid: [{lo[pos]:g}, {hi[pos]:g}]", row=names[pos])
    p_top = _proportions(df["p_top"], "p_top", allow_nan=True, labels=names) if "p_top" in df.columns else None
    if p_top_label is None:
        p_top_label = f"P(top {df.attrs['top']})" if df.attrs.get("top") is not None else "P(top)"
    n_units = max(len(df), int(np.ceil(hi.max()))) if len(df) else 1
    order = np.argsort(mean, kind="stable")
    if top is not None:
        order = order[: int(top)]
    m = len(order)
    y = np.arange(m, dtype=float)
    ax = _axes(ax, (6.5, max(2.0, 0.2 * m + 1.2)))
    ax.hlines(y, lo[order], hi[order], color=PALETTE["blue"], lw=1.6, label="rang-interval")
    ax.plot(mean[order], y, "o", color=PALETTE["blue"], ms=4, label="gennemsnitlig rang")
    ax.set_yticks(y, [names[i] for i in order])
    ax.set_ylim(m - 0.4, -0.6)
    ax.set_xlim(0.5, n_units + 0.5)
    ticks = [t for t in MaxNLocator(nbins=8, integer=True, steps=[1, 2, 5, 10]).tick_values(1, n_units)
             if 1 < t <= n_units]
    ax.xaxis.set_major_locator(FixedLocator([1] + ticks))
    if p_top is not None:
        tr = mpl.transforms.blended_transform_factory(ax.transAxes, ax.transData)
        ax.text(1.02, -0.9, p_top_label, transform=tr, ha="left", va="bottom", fontsize=7, fontweight="bold",
                clip_on=False)
        for yi, p in zip(y, p_top[order], strict=True):
            if np.isfinite(p):
                ax.text(1.02, yi, _fmt_pct(p, 0), transform=tr, ha="left", va="center", fontsize=7, clip_on=False)
    ax.set_xlabel("rang (1 = højeste omgørelsesprocent)")
    ax.set_ylabel(label)
    return ax


# ------------------------------------------------------------------ power


@_styled
def power_curve(df, ax=None, target=0.8, mark_target=True):
    """Power against the number of cases, one line per ``label`` (or ``p1``).

    Parameters
    ----------
    df : DataFrame
        Columns ``n`` and ``power`` (a proportion, shown in %); optional
        ``label`` or ``p1`` (the true rate of the curve, a proportion) to
        draw several curves.
    target : float, optional
        Horizontal line at this power (default 0.8); None for none.
    mark_target : bool
        Mark the first n at which each curve reaches *target*.

    Examples
    --------
    >>> df = pd.DataFrame({"n": [10, 50, 100, 200], "power": [0.1, 0.45, 0.75, 0.95]})
    >>> ax = power_curve(df)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('antal realitetsbehandlede sager (n)', 'teststyrke (%)')
    >>> plt.close("all")
    """
    _require(df, ["n", "power"], "power_curve")
    n = _floats(df["n"], "n")
    pw = _proportions(df["power"], "power", allow_nan=True)
    if "label" in df.columns:
        groups = [str(v) for v in df["label"]]
    elif "p1" in df.columns:
        p1 = _proportions(df["p1"], "p1")
        groups = [f"sand omgørelsesprocent {_fmt_pct(v)}" for v in p1]
    else:
        groups = [""] * len(df)
    ax = _axes(ax, (6.0, 3.8))
    groups = np.array(groups, dtype=object)
    tgt = None if target is None else float(_proportions([target], "target")[0])
    for i, g in enumerate(pd.unique(groups)):
        sel = groups == g
        o = np.argsort(n[sel], kind="stable")
        x, yv = n[sel][o], pw[sel][o]
        color = _LINE_COLORS[i % len(_LINE_COLORS)]
        ax.plot(x, 100 * yv, color=color, lw=1.5, label=g if g else "teststyrke")
        if tgt is not None and mark_target:
            hit = np.flatnonzero(yv >= tgt)
            if hit.size:
                xn = x[hit[0]]
                ax.plot([xn], [100 * yv[hit[0]]], "o", color=color, ms=4, label="_nolegend_")
                ax.annotate(f"n = {xn:.0f}", (xn, 100 * yv[hit[0]]), xytext=(4, -10),
                            textcoords="offset points", fontsize=7, color=color)
    if tgt is not None:
        ax.axhline(100 * tgt, color=PALETTE["grey"], ls="--", lw=1, label=f"mål: {_fmt_pct(tgt)}")
    ax.set_ylim(0, 100)
    ax.set_xlabel("antal realitetsbehandlede sager (n)")
    ax.set_ylabel("teststyrke (%)")
    ax.legend(loc="lower right")
    return ax


# ------------------------------------------------------------------ trend


@_styled
def trend(national, ax=None, split=False):
    """National omgørelsesprocent over the years, one line per area.

    Parameters
    ----------
    national : DataFrame
        Long table with ``year`` (or ``period``: only plain-year periods
        such as ``"2021"`` are drawn), ``area`` and ``omg_pct`` in **percent**
        (0–100, as published), optionally ``pct_aendret`` and
        ``pct_hjemvist``. If there is a ``preferred`` column (as from
        ``danmark.load_national``) only preferred rows are used; otherwise,
        of several rows for the same area and year the first with a value is
        drawn. A year without a figure leaves a gap in its line.
    split : bool or str or list of str
        Also draw the ændret/ophævet + hjemvist split as stacked bars for every
        area with a published split (True) or the named area(s).

    Examples
    --------
    >>> nat = pd.DataFrame({"year": [2020, 2021, 2020, 2021], "area": ["socialomraadet"] * 2 + ["voksenhandicap"] * 2,
    ...                     "omg_pct": [36.3, 31.8, 42.4, 34.3]})
    >>> ax = trend(nat)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['socialområdet', 'voksenhandicap']
    >>> plt.close("all")
    """
    if not isinstance(national, pd.DataFrame):
        raise DataError(f"trend needs a DataFrame; got {type(national).__name__}")
    df = national.copy()
    if "omg_pct" not in df.columns and "omgoerelsespct" in df.columns:
        df["omg_pct"] = df["omgoerelsespct"]
    if "year" not in df.columns and "period" in df.columns:
        per = df["period"].astype(str).str.strip()
        df = df[per.str.fullmatch(r"\d{4}")].copy()
        df["year"] = per[per.str.fullmatch(r"\d{4}")].astype(int)
    _require(df, ["year", "area", "omg_pct"], "trend")
    if "preferred" in df.columns:
        df = df[df["preferred"].astype(bool)]
    df["year"] = _floats(df["year"], "year")
    for col in ("omg_pct", "pct_aendret", "pct_hjemvist"):
        if col in df.columns:
            v = _floats(df[col], col)
            bad = np.isfinite(v) & ((v < 0) | (v > 100))
            if bad.any():
                raise DataError(f"{col} must be a percentage in [0, 100]; got {v[bad][0]:g}", column=col)
            df[col] = v
    df = df[np.isfinite(df["omg_pct"].to_numpy())]
    df = df.drop_duplicates(["area", "year"], keep="first").sort_values(["year"], kind="stable")
    areas = list(pd.unique(df["area"].astype(str)))
    has_split = {"pct_aendret", "pct_hjemvist"} <= set(df.columns)
    if split is True and not has_split:
        raise DataError("split needs columns pct_aendret and pct_hjemvist", column="pct_aendret")
    if split is True:
        # only the areas with a published split get bars
        split_areas = [a for a in areas if (
            (df["area"].astype(str) == a) & df["pct_aendret"].notna() & df["pct_hjemvist"].notna()).any()]
    elif split:
        split_areas = _as_list(split)
        unknown = set(split_areas) - set(areas)
        if unknown:
            raise DataError(f"split: unknown area(s) {sorted(unknown)}", column="area")
    else:
        split_areas = []
    if split_areas and not has_split:
        raise DataError("split needs columns pct_aendret and pct_hjemvist", column="pct_aendret")

    ax = _axes(ax, (6.5, 4.0))
    width = 0.8 / max(1, len(split_areas))
    for j, area in enumerate(split_areas):
        part = df[(df["area"].astype(str) == area) & df["pct_aendret"].notna() & df["pct_hjemvist"].notna()]
        x = part["year"].to_numpy() + (j - (len(split_areas) - 1) / 2) * width
        ae, hj = part["pct_aendret"].to_numpy(), part["pct_hjemvist"].to_numpy()
        # several areas: each area's bars get their own hatch and legend entries
        hatch = ["", "///", "...", "xxx"][j % 4] if len(split_areas) > 1 else None
        suffix = f", {_AREA_NAMES.get(area, area.replace('_', ' '))}" if len(split_areas) > 1 else ""
        ax.bar(x, ae, width=width * 0.9, color=OUTCOME_COLORS["aendret"], alpha=0.55, hatch=hatch,
               edgecolor="white" if hatch else None, label=OUTCOME_LABELS["aendret"] + suffix)
        ax.bar(x, hj, bottom=ae, width=width * 0.9, color=OUTCOME_COLORS["hjemvist"], alpha=0.55, hatch=hatch,
               edgecolor="white" if hatch else None, label=OUTCOME_LABELS["hjemvist"] + suffix)
    for i, area in enumerate(areas):
        part = df[df["area"].astype(str) == area].set_index("year")["omg_pct"]
        # a missing year breaks the line instead of being bridged by it
        years = np.arange(part.index.min(), part.index.max() + 1)
        part = part.reindex(years).rename_axis("year").reset_index()
        ax.plot(part["year"], part["omg_pct"], marker=_MARKERS[i % len(_MARKERS)],
                color=_LINE_COLORS[i % len(_LINE_COLORS)], lw=1.5, ms=5,
                label=_AREA_NAMES.get(area, area.replace("_", " ")))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(bottom=0)
    ax.set_xlabel("år")
    ax.set_ylabel(PCT_LABEL)
    _danish_ticks(ax.yaxis)
    if len(areas) + 2 * len(split_areas) > 5:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    else:
        ax.legend(loc="best")
    return ax


# -------------------------------------------------------------- selection


@_styled
def selection_bars(units, ax=None, logx=False, reference=None, reference_label="lige chance for alle"):
    """Probability of being selected (e.g. among the "worst" on the map) against n.

    Drawn as thin bars (vertical lines) at each unit's n, so that units with
    nearly equal n stay visible on any scale.

    Parameters
    ----------
    units : DataFrame
        Columns ``n`` and ``p_selected`` (a proportion, shown in %), as from
        ``danmark.simulate_selection``.
    logx : bool
        Log scale for n.
    reference : float, optional
        Horizontal line, e.g. the share selected if selection were a lottery
        (number selected / number of units), a proportion.

    Examples
    --------
    >>> units = pd.DataFrame({"n": [12, 40, 150, 600], "p_selected": [0.42, 0.2, 0.06, 0.01]})
    >>> ax = selection_bars(units, reference=0.1)
    >>> ax.get_ylabel()
    'sandsynlighed for at blive udvalgt (%)'
    >>> plt.close("all")
    """
    _require(units, ["n", "p_selected"], "selection_bars")
    n = _floats(units["n"], "n")
    p = _proportions(units["p_selected"], "p_selected")
    if logx and np.any(~(n > 0)):
        raise DataError("n must be positive on a log scale", column="n")
    ax = _axes(ax, (6.5, 3.8))
    ax.vlines(n, 0, 100 * p, color=PALETTE["blue"], lw=2.5, label="kommune")
    ax.plot(n, 100 * p, "o", color=PALETTE["blue"], ms=3, ls="none", label="_nolegend_")
    ref = _reference(reference, reference_label)
    if ref is not None:
        ax.axhline(100 * ref[0], color=PALETTE["vermillion"], ls="--", lw=1, label=ref[1])
        ax.legend(loc="upper right")
    if logx:
        _logx(ax)
    ax.set_ylim(bottom=0)
    ax.set_xlabel(N_LABEL)
    ax.set_ylabel("sandsynlighed for at blive udvalgt (%)")
    _danish_ticks(ax.yaxis)
    return ax


# ------------------------------------------------------------ sensitivity


@_styled
def sensitivity_curve(df, x, y, ax=None, lower="lower", upper="upper", group=None, xlabel=None,
                      ylabel=None, percent=False, logx=False, reference=None, reference_label=None,
                      marker="o"):
    """Line plot of a result against a tuning choice, with an optional band.

    Parameters
    ----------
    df : DataFrame
    x, y : str
        Columns for the horizontal and vertical axis.
    lower, upper : str
        Band columns; the band is drawn when both are present.
    group : str, optional
        Column splitting the rows into several lines.
    xlabel, ylabel : str, optional
        Axis labels (default: the column names, with " (%)" when *percent*).
    percent : bool
        *y* (and the band) are proportions to show in %.
    logx : bool
        Log scale for *x*.
    reference : float, optional
        Horizontal line at this y value (a proportion when *percent*).

    Examples
    --------
    >>> df = pd.DataFrame({"prior_strength": [1, 10, 100], "prob": [0.9, 0.8, 0.6],
    ...                    "lower": [0.8, 0.7, 0.5], "upper": [0.95, 0.9, 0.7]})
    >>> ax = sensitivity_curve(df, "prior_strength", "prob", percent=True, logx=True,
    ...                        ylabel="P(over landsplan) (%)")
    >>> ax.get_ylabel(), len(ax.collections)
    ('P(over landsplan) (%)', 1)
    >>> plt.close("all")
    """
    cols = [x, y] + ([group] if group is not None else [])
    _require(df, cols, "sensitivity_curve")
    xs = _floats(df[x], x)
    scale = 100.0 if percent else 1.0
    ys = (_proportions(df[y], y, allow_nan=True) if percent else _floats(df[y], y)) * scale
    band = lower in df.columns and upper in df.columns
    if band:
        conv = (lambda c: _proportions(df[c], c, allow_nan=True)) if percent else (lambda c: _floats(df[c], c))
        lo, hi = conv(lower) * scale, conv(upper) * scale
    groups = np.array([str(v) for v in df[group]] if group is not None else [""] * len(df), dtype=object)
    ax = _axes(ax, (6.0, 3.8))
    for i, g in enumerate(pd.unique(groups)):
        sel = groups == g
        o = np.argsort(xs[sel], kind="stable")
        color = _LINE_COLORS[i % len(_LINE_COLORS)]
        if band:
            ax.fill_between(xs[sel][o], lo[sel][o], hi[sel][o], color=color, alpha=0.2, lw=0,
                            label="_nolegend_")
        ax.plot(xs[sel][o], ys[sel][o], color=color, marker=marker, ms=4, lw=1.5,
                label=g if g else "_nolegend_")
    if reference is not None:
        ref = float(reference) * scale
        ax.axhline(ref, color=PALETTE["grey"], ls="--", lw=1,
                   label=reference_label if reference_label else "_nolegend_")
    if logx:
        _logx(ax)
    ax.set_xlabel(xlabel if xlabel is not None else str(x))
    ax.set_ylabel(ylabel if ylabel is not None else (f"{y} (%)" if percent else str(y)))
    if percent:
        _danish_ticks(ax.yaxis)
    if group is not None or reference_label:
        ax.legend(loc="best")
    return ax
