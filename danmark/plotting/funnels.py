"""The funnel plot: rates against cases, with the control limits that do the flagging."""

from __future__ import annotations

import numpy as np
import pandas as pd

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
    level_label,
    log_x,
    require_columns,
    styled,
)

# ----------------------------------------------------------------- funnel


def _rule_options(attrs):
    kind = attrs.get("overdispersion")
    return {"method": attrs.get("method", "exact"), "overdispersion": kind,
            "phi": attrs.get("phi") if kind == "multiplicative" else None,
            "tau2": attrs.get("tau2") if kind == "additive" else None}


def _as_steps(limits, p0, n_arr):
    """The limits as steps at every whole n (``danmark.funnel_steps``), or None for hand-made tables."""
    if "method" not in limits.attrs:
        return None
    if limits.attrs.get("steps"):
        return limits
    from ..stats.funnel.steps import funnel_steps

    ln = as_floats(limits["n"], "n")
    top = int(max(np.nanmax(ln), n_arr.max() if n_arr.size else 1))
    low = int(max(1, min(np.nanmin(ln), n_arr.min() if n_arr.size else np.inf)))
    ns = np.arange(low, top + 1) if low < top else top  # the range the caller's limits cover (and the units)
    levels = sorted(float(v) for v in pd.unique(limits["level"]))
    return funnel_steps(ns, reference=p0, level=levels, **_rule_options(limits.attrs))


def _flagged_by_rule(k_arr, n_arr, p0, level, attrs):
    """Units that ``danmark.funnel_flags`` flags (either side) at *level*, by the limits' own rule."""
    from ..stats.funnel.flags import funnel_flags

    if not k_arr.size:
        return np.zeros(0, dtype=bool)
    ok = n_arr > 0
    out = np.zeros(k_arr.size, dtype=bool)
    if ok.any():
        flags = funnel_flags(k_arr[ok].astype(int), n_arr[ok].astype(int), reference=p0, level=(float(level),),
                             **_rule_options(attrs))
        out[ok] = (flags["flag"].astype(str) != "within").to_numpy()
    return out


@styled
def funnel_plot(k, n, limits, *, reference=None, labels=None, ax=None, highlight=None, logx=False, flag_level=None):
    """Funnel plot: k/n against n with control limits around *reference*.

    Parameters
    ----------
    k, n : array-like of counts
        Reversed decisions and realitetsbehandlede sager per unit.
    limits : DataFrame
        Long table with columns ``n``, ``level``, ``lower``, ``upper`` (one
        row per n and level, limits as proportions), as returned by
        ``danmark.funnel_limits``. Each level is drawn as a pair of lines and
        named in the legend ("95 %", "99,8 %"; levels ≤ 1 are read as
        proportions). Limits made by ``danmark.funnel_limits`` or
        ``danmark.funnel_steps`` (their ``attrs`` name the method) are drawn
        as steps at whole n, placed by the flagging rule itself
        (``danmark.funnel_steps``): a point is drawn outside a limit exactly
        when ``danmark.funnel_flags`` flags it, with the same reference,
        method and over-dispersion. Other tables are drawn as given, as lines.
    reference : float or None
        Target / national rate (proportion): horizontal line. None takes the
        ``reference`` column of *limits* (set by ``danmark.funnel_limits``).
    labels : sequence of str, optional
        Unit names (default: the index of *k* when it is a Series). Units
        outside the *flag_level* limits (default the widest) and highlighted
        units are named in the plot. For rule-based limits (above) the named
        units are those ``danmark.funnel_flags`` flags; for other tables,
        those outside the drawn lines (linear interpolation in n).
    highlight : str or list of str, optional
        Units drawn in orange and named.
    logx : bool
        Log scale for n.

    Examples
    --------
    >>> limits = pd.DataFrame({"n": [10, 100, 10, 100], "level": [0.95, 0.95, 0.998, 0.998],
    ...                        "lower": [0.1, 0.27, 0.02, 0.22], "upper": [0.7, 0.46, 0.8, 0.52]})
    >>> ax = funnel_plot([5, 30], [10, 100], limits, reference=0.36, labels=["A", "B"])
    >>> [t.get_text() for t in ax.get_legend().get_texts()][:2]
    ['95 %', '99,8 %']
    >>> plt.close("all")
    """
    from .._validate import check_k_n, check_probability

    index = None
    for v in (k, n):
        if isinstance(v, pd.Series):
            index = v.index
            break
    if np.size(k) == 0 and np.size(n) == 0:  # the limits alone, with no units drawn
        k_arr = n_arr = np.zeros(0)
    else:
        k_arr, n_arr = check_k_n(k, n)
    k_arr, n_arr = np.atleast_1d(k_arr).astype(float), np.atleast_1d(n_arr).astype(float)
    require_columns(limits, ["n", "level", "lower", "upper"], "funnel_plot limits")
    if reference is None:
        ref = pd.unique(limits["reference"]) if "reference" in limits.columns else []
        if len(ref) != 1:
            raise DataError("funnel_plot needs reference (limits has no single 'reference' column value)",
                            column="reference")
        reference = ref[0]
    p0 = float(check_probability(reference, "reference"))
    if labels is None and index is not None:
        labels = [str(v) for v in index]
    if labels is not None:
        labels = [str(v) for v in labels]
        if len(labels) != len(k_arr):
            raise DataError(f"labels has {len(labels)} names for {len(k_arr)} units", column="labels")
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(n_arr > 0, k_arr / n_arr, np.nan)

    ax = axes_or_new(ax, (6.5, 4.5))
    levels = list(pd.unique(limits["level"]))
    try:
        levels = sorted(levels, key=float)
    except (TypeError, ValueError):
        pass
    steps = _as_steps(limits, p0, n_arr)
    styles = ["--", "-", ":", "-."]
    outer = {}
    for i, level in enumerate(levels):
        source = steps if steps is not None else limits
        part = source[source["level"] == level].sort_values("n", kind="stable")
        ln = as_floats(part["n"], "n")
        lo = as_proportions(part["lower"], "lower", allow_nan=True)
        hi = as_proportions(part["upper"], "upper", allow_nan=True)
        kw = {"color": "black" if i else PALETTE["grey"], "ls": styles[i % len(styles)], "lw": 1.0}
        if steps is not None:
            kw["drawstyle"] = "steps-mid"
        ax.plot(ln, 100 * hi, label=level_label(level), **kw)
        ax.plot(ln, 100 * lo, label="_nolegend_", **kw)
        outer[level] = (ln, lo, hi)
    ax.axhline(100 * p0, color=PALETTE["blue"], lw=1.2, label=f"p₀ = {fmt_pct(p0)}")
    ax.plot(n_arr, 100 * rate, "o", color=PALETTE["blue"], alpha=0.75, ms=4.5, mec="white", mew=0.4,
            ls="none", label="kommuner" if len(n_arr) else "_nolegend_", zorder=3)

    hl = set(as_str_list(highlight))
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
        if steps is not None:
            outside = _flagged_by_rule(k_arr, n_arr, p0, level, limits.attrs)
        else:
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
        log_x(ax)
    ax.set_xlabel(N_LABEL)
    ax.set_ylabel(PCT_LABEL)
    ax.set_ylim(bottom=0)
    danish_ticks(ax.yaxis)
    ax.legend(loc="upper right")
    return ax
