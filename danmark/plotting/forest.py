"""Forest plots: each kommune's estimate with its interval (caterpillar) and the pull of shrinkage (arrows)."""

from __future__ import annotations

import numpy as np

from ..errors import DataError
from ._style import (
    N_LABEL,
    PALETTE,
    PCT_LABEL,
    as_floats,
    as_proportions,
    as_str_list,
    axes_or_new,
    danish_ticks,
    fmt_pct,
    log_x,
    parse_reference,
    require_columns,
    styled,
    unit_names,
)

# ----------------------------------------------------------- caterpillar


@styled
def caterpillar(df, *, label="kommune", ax=None, raw=True, sort=True, reference=None, highlight=None):
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
    require_columns(df, ["estimate", "lower", "upper"], "caterpillar")
    names = unit_names(df, label)
    est = as_proportions(df["estimate"], "estimate", labels=names)
    lo = as_proportions(df["lower"], "lower", allow_nan=True, labels=names)
    hi = as_proportions(df["upper"], "upper", allow_nan=True, labels=names)
    raw_rate = None
    if raw:
        if "raw" in df.columns:
            raw_rate = as_proportions(df["raw"], "raw", allow_nan=True, labels=names)
        elif {"k", "n"} <= set(df.columns):
            k, n = as_floats(df["k"], "k"), as_floats(df["n"], "n")
            with np.errstate(invalid="ignore", divide="ignore"):
                raw_rate = as_proportions(np.where(n > 0, k / n, np.nan), "k/n", allow_nan=True, labels=names)
        else:
            raise DataError("caterpillar(raw=True) needs a 'raw' column or 'k' and 'n'", column="raw")
    order = np.argsort(-est, kind="stable") if sort else np.arange(len(est))
    m = len(order)
    y = np.arange(m)[::-1].astype(float)  # first in order at the top
    ax = axes_or_new(ax, (6.5, max(2.5, 0.2 * m + 1.2)))
    blue, verm = PALETTE["blue"], PALETTE["vermillion"]

    if raw and {"raw_lower", "raw_upper"} <= set(df.columns):
        rlo = as_proportions(df["raw_lower"], "raw_lower", allow_nan=True, labels=names)[order]
        rhi = as_proportions(df["raw_upper"], "raw_upper", allow_nan=True, labels=names)[order]
        ax.hlines(y - 0.22, 100 * rlo, 100 * rhi, color=PALETTE["grey"], lw=0.8, label="rå andel: eksakt interval")
    ax.hlines(y, 100 * lo[order], 100 * hi[order], color=blue, lw=1.6, label="krympet skøn: interval")
    ax.plot(100 * est[order], y, "o", color=blue, ms=4.5, label="krympet skøn", zorder=3)
    if raw_rate is not None:
        ax.plot(100 * raw_rate[order], y, "o", mfc="none", mec=verm, mew=1.0, ms=5,
                label="rå andel (k/n)", zorder=4)
    ref = parse_reference(reference, "landsplan")
    if ref is not None:
        ax.axvline(100 * ref[0], color=PALETTE["grey"], ls="--", lw=1, label=ref[1], zorder=1)

    hl = set(as_str_list(highlight))
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
    danish_ticks(ax.xaxis)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3)
    return ax


@styled
def shrinkage_arrows(df, *, ax=None, reference=None, label=None, logx=True, highlight=None):
    """Arrows from each raw rate k/n to its shrunk estimate, against n.

    Small units move far towards the prior mean, large ones hardly move: the
    classic picture of partial pooling.

    Parameters
    ----------
    df : DataFrame
        Columns ``n`` and ``estimate`` (proportion) and either ``raw`` or
        ``k`` (raw = k/n). Rates are shown in %.
    reference : float, optional
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
    >>> ax = shrinkage_arrows(df, reference=0.3)
    >>> ax.get_xlabel(), len(ax.texts)  # one arrow per unit
    ('realitetsbehandlede sager (n)', 2)
    >>> plt.close("all")
    """
    require_columns(df, ["n", "estimate"], "shrinkage_arrows")
    n = as_floats(df["n"], "n")
    est = as_proportions(df["estimate"], "estimate")
    if "raw" in df.columns:
        raw = as_proportions(df["raw"], "raw")
    elif "k" in df.columns:
        k = as_floats(df["k"], "k")
        if np.any(n <= 0):
            raise DataError("n must be positive to compute k/n", row=int(np.flatnonzero(n <= 0)[0]), column="n")
        raw = as_proportions(k / n, "k/n")
    else:
        raise DataError("shrinkage_arrows needs a 'raw' or a 'k' column", column="raw")
    if logx and np.any(~(n > 0)):
        raise DataError("n must be positive on a log scale", row=int(np.flatnonzero(~(n > 0))[0]), column="n")
    ax = axes_or_new(ax, (6.5, 4.0))
    for xi, r, e in zip(n, raw, est, strict=True):
        if abs(r - e) > 1e-9:
            ax.annotate("", xy=(xi, 100 * e), xytext=(xi, 100 * r),
                        arrowprops={"arrowstyle": "-|>", "color": PALETTE["grey"], "lw": 0.8,
                                    "shrinkA": 0, "shrinkB": 2, "mutation_scale": 7})
    ax.plot(n, 100 * raw, "o", mfc="none", mec=PALETTE["vermillion"], ms=5, ls="none", label="rå andel (k/n)")
    ax.plot(n, 100 * est, "o", color=PALETTE["blue"], ms=4, ls="none", label="krympet skøn")
    if reference is not None:
        pm = float(as_proportions([reference], "reference")[0])
        ax.axhline(100 * pm, color="black", ls="--", lw=1, label=f"priorens middelværdi ({fmt_pct(pm)})")
    if label is not None or highlight is not None:
        names = [str(v) for v in df.index] if label in (None, "index") else unit_names(df, label)
        if label not in (None, "index") and label not in df.columns:
            raise DataError(f"label column {label!r} not found", column=label)
        chosen = set(as_str_list(highlight)) if highlight is not None else set(names)
        for xi, r, nm in zip(n, raw, names, strict=True):
            if nm in chosen:
                ax.annotate(nm, (xi, 100 * r), xytext=(4, 2), textcoords="offset points", fontsize=7)
    if logx:
        log_x(ax)
    ax.set_xlabel(N_LABEL)
    ax.set_ylabel(PCT_LABEL)
    danish_ticks(ax.yaxis)
    ax.legend(loc="best")
    return ax
