"""Bar figures: the outcome split per kommune, rank probabilities and selection shares."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, MaxNLocator

from ..errors import DataError
from ._style import (
    N_LABEL,
    OUTCOME_ALIASES,
    OUTCOME_COLORS,
    OUTCOME_LABELS,
    OUTCOME_ORDER,
    PALETTE,
    as_floats,
    as_proportions,
    axes_or_new,
    danish_ticks,
    fmt_pct,
    log_x,
    parse_reference,
    require_columns,
    styled,
    unit_names,
)

# ---------------------------------------------------------------- outcomes


def _outcome_code(value):
    key = str(value).strip().lower()
    code = OUTCOME_ALIASES.get(key)
    if code is None:
        raise DataError(f"unknown outcome {value!r}; use 'stadfaestet', 'aendret' or 'hjemvist'", column="outcome")
    return code


@styled
def outcome_bars(df, *, ax=None, label="kommune", sort=False, show_n=True, bars="observed"):
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
        Two intervals are drawn as whiskers on the bar's own scale, at the
        ``level`` column's level (as ``outcome_split`` returns it): the
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
    level_text = "interval"
    if "level" in df.columns and df["level"].nunique() == 1:
        level_text = f"{100 * float(df['level'].iloc[0]):.10g}".replace(".", ",") + " %-interval"
    if {"outcome", "estimate"} <= set(df.columns):
        is_omg = df["outcome"].astype(str).str.strip().str.lower() == "omgjort"
        omg_rows = df[is_omg]
        df = df[~is_omg]  # derived row, not a segment
        unit_col = "unit" if "unit" in df.columns else (label if label in df.columns else None)
        units = [str(v) for v in (df[unit_col] if unit_col else df.index)]
        long = pd.DataFrame({
            "unit": units,
            "outcome": [_outcome_code(v) for v in df["outcome"]],
            "estimate": as_proportions(df["estimate"], "estimate"),
            "lower": as_proportions(df["lower"], "lower", allow_nan=True) if "lower" in df.columns else np.nan,
            "upper": as_proportions(df["upper"], "upper", allow_nan=True) if "upper" in df.columns else np.nan,
            "count": as_floats(df["count"], "count") if "count" in df.columns else np.nan,
        })
        dup = long.duplicated(["unit", "outcome"])
        if dup.any():
            pos = int(np.flatnonzero(dup.to_numpy())[0])
            raise DataError(f"unit {long['unit'].iloc[pos]!r} has outcome {long['outcome'].iloc[pos]!r} twice",
                            row=pos, column="outcome")
        order = list(pd.unique(long["unit"]))
        wide = {c: long.pivot(index="unit", columns="outcome", values=c).reindex(index=order, columns=OUTCOME_ORDER)
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
            omg = pd.DataFrame({"lower": as_proportions(omg_rows["lower"], "lower", allow_nan=True),
                                "upper": as_proportions(omg_rows["upper"], "upper", allow_nan=True)},
                               index=omg_units).reindex(order)
            omg_lower, omg_upper = omg["lower"].to_numpy(float), omg["upper"].to_numpy(float)
        if bars == "observed":
            tot = counts.sum(axis=1)
            observed = np.isfinite(counts).all(axis=1) & (tot > 0)
            share = share.copy()
            share[observed] = counts[observed] / tot[observed, None]
    elif set(OUTCOME_ORDER) <= set(df.columns):
        from .._validate import as_counts

        names = unit_names(df, label)
        counts = np.column_stack([as_counts(df[c], c) for c in OUTCOME_ORDER]).astype(float)
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
    ax = axes_or_new(ax, (6.5, max(2.0, 0.3 * m + 1.2)))
    left = np.zeros(m)
    for j, oc in enumerate(OUTCOME_ORDER):
        ax.barh(y, 100 * share[:, j], left=100 * left, height=0.7, color=OUTCOME_COLORS[oc],
                edgecolor="white", linewidth=0.6, label=OUTCOME_LABELS[oc])
        left = left + share[:, j]
    whiskers = [(lower[:, 0], upper[:, 0], 0.17, f"{level_text}, ændret/ophævet")]
    if omg_lower is not None:
        whiskers.append((omg_lower, omg_upper, -0.17, f"{level_text}, omgjort i alt"))
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


# ------------------------------------------------------------------ ranks


@styled
def rank_plot(df, *, ax=None, top=None, label="kommune", p_top_label=None):
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
    require_columns(df, ["mean_rank", "rank_lower", "rank_upper"], "rank_plot")
    names = unit_names(df, label)
    mean = as_floats(df["mean_rank"], "mean_rank")
    lo, hi = as_floats(df["rank_lower"], "rank_lower"), as_floats(df["rank_upper"], "rank_upper")
    bad = ~(np.isfinite(mean) & np.isfinite(lo) & np.isfinite(hi)) | (lo > hi) | (lo < 1)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise DataError(f"rank interval of {names[pos]!r} is not valid: [{lo[pos]:g}, {hi[pos]:g}]", row=names[pos])
    p_top = as_proportions(df["p_top"], "p_top", allow_nan=True, labels=names) if "p_top" in df.columns else None
    if p_top_label is None:
        p_top_label = f"P(top {df.attrs['top']})" if df.attrs.get("top") is not None else "P(top)"
    n_units = max(len(df), int(np.ceil(hi.max()))) if len(df) else 1
    order = np.argsort(mean, kind="stable")
    if top is not None:
        order = order[: int(top)]
    m = len(order)
    y = np.arange(m, dtype=float)
    ax = axes_or_new(ax, (6.5, max(2.0, 0.2 * m + 1.2)))
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
                ax.text(1.02, yi, fmt_pct(p, decimals=0), transform=tr, ha="left", va="center", fontsize=7, clip_on=False)
    ax.set_xlabel("rang (1 = højeste omgørelsesprocent)")
    ax.set_ylabel(label)
    return ax


# -------------------------------------------------------------- selection


@styled
def selection_bars(units, *, ax=None, logx=False, reference=None, reference_label="lige chance for alle"):
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
    require_columns(units, ["n", "p_selected"], "selection_bars")
    n = as_floats(units["n"], "n")
    p = as_proportions(units["p_selected"], "p_selected")
    if logx and np.any(~(n > 0)):
        raise DataError("n must be positive on a log scale", column="n")
    ax = axes_or_new(ax, (6.5, 3.8))
    ax.vlines(n, 0, 100 * p, color=PALETTE["blue"], lw=2.5, label="kommune")
    ax.plot(n, 100 * p, "o", color=PALETTE["blue"], ms=3, ls="none", label="_nolegend_")
    ref = parse_reference(reference, reference_label)
    if ref is not None:
        ax.axhline(100 * ref[0], color=PALETTE["vermillion"], ls="--", lw=1, label=ref[1])
        ax.legend(loc="upper right")
    if logx:
        log_x(ax)
    ax.set_ylim(bottom=0)
    ax.set_xlabel(N_LABEL)
    ax.set_ylabel("sandsynlighed for at blive udvalgt (%)")
    danish_ticks(ax.yaxis)
    return ax
