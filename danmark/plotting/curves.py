"""Curves: power against cases, the national trend and sensitivity to an assumption."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from ..errors import DataError
from ._style import (
    LINE_COLORS,
    MARKERS,
    OUTCOME_COLORS,
    OUTCOME_LABELS,
    PALETTE,
    PCT_LABEL,
    area_color,
    area_name,
    as_floats,
    as_proportions,
    as_str_list,
    axes_or_new,
    danish_ticks,
    fmt_pct,
    log_x,
    require_columns,
    styled,
)

# ------------------------------------------------------------------ power


@styled
def power_curve(df, *, ax=None, target=0.8, mark_target=True):
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
    require_columns(df, ["n", "power"], "power_curve")
    n = as_floats(df["n"], "n")
    pw = as_proportions(df["power"], "power", allow_nan=True)
    if "label" in df.columns:
        groups = [str(v) for v in df["label"]]
    elif "p1" in df.columns:
        p1 = as_proportions(df["p1"], "p1")
        groups = [f"sand omgørelsesprocent {fmt_pct(v)}" for v in p1]
    else:
        groups = [""] * len(df)
    ax = axes_or_new(ax, (6.0, 3.8))
    groups = np.array(groups, dtype=object)
    tgt = None if target is None else float(as_proportions([target], "target")[0])
    for i, g in enumerate(pd.unique(groups)):
        sel = groups == g
        o = np.argsort(n[sel], kind="stable")
        x, yv = n[sel][o], pw[sel][o]
        color = LINE_COLORS[i % len(LINE_COLORS)]
        ax.plot(x, 100 * yv, color=color, lw=1.5, label=g if g else "teststyrke")
        if tgt is not None and mark_target:
            hit = np.flatnonzero(yv >= tgt)
            if hit.size:
                xn = x[hit[0]]
                ax.plot([xn], [100 * yv[hit[0]]], "o", color=color, ms=4, label="_nolegend_")
                ax.annotate(f"n = {xn:.0f}", (xn, 100 * yv[hit[0]]), xytext=(4, -10),
                            textcoords="offset points", fontsize=7, color=color)
    if tgt is not None:
        ax.axhline(100 * tgt, color=PALETTE["grey"], ls="--", lw=1, label=f"mål: {fmt_pct(tgt)}")
    ax.set_ylim(0, 100)
    ax.set_xlabel("antal realitetsbehandlede sager (n)")
    ax.set_ylabel("teststyrke (%)")
    ax.legend(loc="lower right")
    return ax


# ------------------------------------------------------------------ trend


@styled
def trend(national, *, ax=None, split=False):
    """National omgørelsesprocent over the years, one line per area.

    Parameters
    ----------
    national : DataFrame
        Long table with ``year`` (or ``period``: only plain-year periods
        such as ``"2021"`` are drawn), ``area`` and ``raw``, the
        omgørelsesprocent as a **proportion** in [0, 1] (shown in percent),
        optionally ``raw_aendret`` and ``raw_hjemvist`` (proportions too):
        ``danmark.load_national()`` has all three. If there is a ``preferred`` column (as from
        ``danmark.load_national``) only preferred rows are used; otherwise,
        of several rows for the same area and year the first with a value is
        drawn. A year without a figure leaves a gap in its line.
    split : bool or str or list of str
        Also draw the ændret/ophævet + hjemvist split as stacked bars for every
        area with a published split (True) or the named area(s).

    Examples
    --------
    >>> nat = pd.DataFrame({"year": [2020, 2021, 2020, 2021], "area": ["socialomraadet"] * 2 + ["voksenhandicap"] * 2,
    ...                     "raw": [0.363, 0.318, 0.424, 0.343]})
    >>> ax = trend(nat)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['socialområdet', 'voksenhandicap']
    >>> plt.close("all")
    """
    if not isinstance(national, pd.DataFrame):
        raise DataError(f"trend needs a DataFrame; got {type(national).__name__}")
    df = national.copy()
    if "raw" not in df.columns:
        raise DataError("trend takes the omgørelsesprocent as a proportion in column 'raw' (omg_pct / 100); "
                        "danmark.load_national() has it", column="raw")
    # proportions in, percent drawn: checked as proportions, then scaled
    for col, pct in (("raw", "omg_pct"), ("raw_aendret", "pct_aendret"), ("raw_hjemvist", "pct_hjemvist")):
        df = df.drop(columns=pct, errors="ignore")
        if col in df.columns:
            v = as_floats(df[col], col)
            bad = np.isfinite(v) & ((v < 0) | (v > 1))
            if bad.any():
                raise DataError(f"{col} must be a proportion in [0, 1]; got {v[bad][0]:g} (percent? divide by 100)",
                                column=col)
            df[pct] = 100 * v
    if "year" not in df.columns and "period" in df.columns:
        per = df["period"].astype(str).str.strip()
        df = df[per.str.fullmatch(r"\d{4}")].copy()
        df["year"] = per[per.str.fullmatch(r"\d{4}")].astype(int)
    require_columns(df, ["year", "area", "omg_pct"], "trend")
    if "preferred" in df.columns:
        df = df[df["preferred"].astype(bool)]
    df["year"] = as_floats(df["year"], "year")
    for col in ("omg_pct", "pct_aendret", "pct_hjemvist"):
        if col in df.columns:
            v = as_floats(df[col], col)
            bad = np.isfinite(v) & ((v < 0) | (v > 100))
            if bad.any():
                raise DataError(f"{col} must be a percentage in [0, 100]; got {v[bad][0]:g}", column=col)
            df[col] = v
    df = df[np.isfinite(df["omg_pct"].to_numpy())]
    df = df.drop_duplicates(["area", "year"], keep="first").sort_values(["year"], kind="stable")
    areas = list(pd.unique(df["area"].astype(str)))
    has_split = {"pct_aendret", "pct_hjemvist"} <= set(df.columns)
    if split is True and not has_split:
        raise DataError("split needs columns raw_aendret and raw_hjemvist", column="raw_aendret")
    if split is True:
        # only the areas with a published split get bars
        split_areas = [a for a in areas if (
            (df["area"].astype(str) == a) & df["pct_aendret"].notna() & df["pct_hjemvist"].notna()).any()]
    elif split:
        split_areas = as_str_list(split)
        unknown = set(split_areas) - set(areas)
        if unknown:
            raise DataError(f"split: unknown area(s) {sorted(unknown)}", column="area")
    else:
        split_areas = []
    if split_areas and not has_split:
        raise DataError("split needs columns raw_aendret and raw_hjemvist", column="raw_aendret")

    ax = axes_or_new(ax, (6.5, 4.0))
    width = 0.8 / max(1, len(split_areas))
    for j, area in enumerate(split_areas):
        part = df[(df["area"].astype(str) == area) & df["pct_aendret"].notna() & df["pct_hjemvist"].notna()]
        x = part["year"].to_numpy() + (j - (len(split_areas) - 1) / 2) * width
        ae, hj = part["pct_aendret"].to_numpy(), part["pct_hjemvist"].to_numpy()
        # several areas: each area's bars get their own hatch and legend entries
        hatch = ["", "///", "...", "xxx"][j % 4] if len(split_areas) > 1 else None
        suffix = f", {area_name(area)}" if len(split_areas) > 1 else ""
        ax.bar(x, ae, width=width * 0.9, color=OUTCOME_COLORS["aendret"], alpha=0.55, hatch=hatch,
               edgecolor="white" if hatch else None, label=OUTCOME_LABELS["aendret"] + suffix)
        ax.bar(x, hj, bottom=ae, width=width * 0.9, color=OUTCOME_COLORS["hjemvist"], alpha=0.55, hatch=hatch,
               edgecolor="white" if hatch else None, label=OUTCOME_LABELS["hjemvist"] + suffix)
    for i, area in enumerate(areas):
        part = df[df["area"].astype(str) == area].set_index("year")["omg_pct"]
        # a missing year breaks the line instead of being bridged by it
        years = np.arange(part.index.min(), part.index.max() + 1)
        part = part.reindex(years).rename_axis("year").reset_index()
        ax.plot(part["year"], part["omg_pct"], marker=MARKERS[i % len(MARKERS)],
                color=area_color(area), lw=1.5, ms=5, label=area_name(area))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(bottom=0)
    ax.set_xlabel("år")
    ax.set_ylabel(PCT_LABEL)
    danish_ticks(ax.yaxis)
    if len(areas) + 2 * len(split_areas) > 5:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    else:
        ax.legend(loc="best")
    return ax


# ------------------------------------------------------------ sensitivity


@styled
def sensitivity_curve(df, x, y, *, ax=None, lower="lower", upper="upper", group=None, xlabel=None,
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
    require_columns(df, cols, "sensitivity_curve")
    xs = as_floats(df[x], x)
    scale = 100.0 if percent else 1.0
    ys = (as_proportions(df[y], y, allow_nan=True) if percent else as_floats(df[y], y)) * scale
    band = lower in df.columns and upper in df.columns
    if band:
        conv = (lambda c: as_proportions(df[c], c, allow_nan=True)) if percent else (lambda c: as_floats(df[c], c))
        lo, hi = conv(lower) * scale, conv(upper) * scale
    groups = np.array([str(v) for v in df[group]] if group is not None else [""] * len(df), dtype=object)
    ax = axes_or_new(ax, (6.0, 3.8))
    for i, g in enumerate(pd.unique(groups)):
        sel = groups == g
        o = np.argsort(xs[sel], kind="stable")
        color = LINE_COLORS[i % len(LINE_COLORS)]
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
        log_x(ax)
    ax.set_xlabel(xlabel if xlabel is not None else str(x))
    ax.set_ylabel(ylabel if ylabel is not None else (f"{y} (%)" if percent else str(y)))
    if percent:
        danish_ticks(ax.yaxis)
    if group is not None or reference_label:
        ax.legend(loc="best")
    return ax
