"""Figures of one kommune's faktaark: its rate per period with intervals, and figures as inline SVG.

:func:`danmark.plotting.trend` draws national rates by area; :func:`kommune_trend`
draws one kommune's own rates, period by period, each with its interval, beside
the national rate. :func:`inline_svg` turns any figure into SVG text, with its
"Kilde:" line, to embed in a self-contained HTML page (:mod:`danmark.faktaark`).
Import them as ``from danmark.plotting.kommune import kommune_trend, inline_svg``.
"""

from __future__ import annotations

import numpy as np

from ..errors import DataError
from ._style import (
    PALETTE,
    PCT_LABEL,
    as_floats,
    as_proportions,
    axes_or_new,
    danish_ticks,
    require_columns,
    styled,
)

__all__ = ["kommune_trend", "inline_svg", "source_line"]


def source_line(fig, source: str, *, simulated: str | None = None, gap: float = 0.08):
    """Write the figure's "Kilde: …" line under everything drawn, and mark a simulation in the figure itself.

    Parameters
    ----------
    fig : Figure
    source : str
        The documents behind the figure (sender, title, date, where published), in Danish;
        "Kilde: " is prepended.
    simulated : str, optional
        What is simulated or assumed (e.g. "antal sager fordelt efter folketal"); writes
        "SIMULERET: …" in bold above the source line.
    gap : float
        Space in inches between the lowest text already drawn (tick and axis labels) and the
        line; saving with a tight bounding box keeps the line in the file.

    Returns
    -------
    Text
        The source line.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> source_line(fig, "Ankestyrelsen, Danmarkskort 2022", simulated="antal sager").get_text()
    'Kilde: Ankestyrelsen, Danmarkskort 2022'
    >>> plt.close(fig)
    """
    if not isinstance(source, str) or not source.strip():
        raise DataError("source must be a non-empty text naming the documents", column="source")
    height = fig.get_size_inches()[1]

    def below(text, **kw):
        bottom = fig.get_tightbbox(fig.canvas.get_renderer()).y0  # inches, below the figure when labels stick out
        return fig.text(0.01, (bottom - gap) / height, text, ha="left", va="top", **kw)

    if simulated:
        below(f"SIMULERET: {simulated}", fontsize=7, fontweight="bold", color=PALETTE["vermillion"])
    return below(f"Kilde: {source}", fontsize=6.5, color="#444444", wrap=True)


@styled
def kommune_trend(df, *, ax=None, label="kommunen", reference_label="landsgennemsnit", show_n=True, band=None):
    """A kommune's rate per period with an interval for each, and the national rate as a line.

    Parameters
    ----------
    df : DataFrame
        One row per period, in the order to draw (oldest first): ``period``
        (label on the x axis), ``rate`` (k/n as a proportion; NaN where there
        were no cases), ``lower`` and ``upper`` (its interval, proportions),
        optional ``n`` (cases, written under each period's label when *show_n*) and
        optional ``national`` (the reference rate of the period, a proportion;
        NaN where none is known, which breaks the line).
    label, reference_label : str
        Legend texts for the kommune's points and the national line.
    show_n : bool
        Write "n = …" under each period's label.
    band : (float, float, str), optional
        A shaded horizontal band (lower, upper as proportions, legend text), e.g. the range
        within which the fair national rate of a pooled period lies.

    Returns
    -------
    Axes

    Examples
    --------
    >>> df = pd.DataFrame({"period": ["2022", "2023", "2024"], "rate": [0.5, 0.25, 0.6],
    ...                    "lower": [0.2, 0.05, 0.3], "upper": [0.8, 0.6, 0.85], "n": [10, 8, 12],
    ...                    "national": [0.38, np.nan, 0.36]})
    >>> ax = kommune_trend(df)
    >>> [t.get_text().splitlines() for t in ax.get_xticklabels()][0]
    ['2022', 'n = 10']
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['kommunen', 'landsgennemsnit']
    >>> plt.close("all")
    """
    require_columns(df, ["period", "rate", "lower", "upper"], "kommune_trend")
    if len(df) == 0:
        raise DataError("kommune_trend needs at least one period")
    periods = [str(p) for p in df["period"]]
    rate = as_proportions(df["rate"], "rate", allow_nan=True, labels=periods)
    lo = as_proportions(df["lower"], "lower", allow_nan=True, labels=periods)
    hi = as_proportions(df["upper"], "upper", allow_nan=True, labels=periods)
    bad = np.isfinite(rate) & ((lo > rate + 1e-12) | (hi < rate - 1e-12))
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise DataError(f"the interval of {periods[pos]} does not contain its rate", row=periods[pos], column="rate")
    x = np.arange(len(df), dtype=float)
    ax = axes_or_new(ax, (5.0, 3.0))
    if band is not None:
        b_lo, b_hi, b_label = band
        b_lo, b_hi = (float(v) for v in as_proportions(np.array([b_lo, b_hi], dtype=float), "band"))
        ax.axhspan(100 * b_lo, 100 * b_hi, color=PALETTE["grey"], alpha=0.15, lw=0, label=b_label, zorder=0)
    if "national" in df.columns:
        nat = as_proportions(df["national"], "national", allow_nan=True, labels=periods)
        if np.isfinite(nat).any():
            ax.plot(x, 100 * nat, color=PALETTE["grey"], ls="--", lw=1.2, marker="_", ms=8,
                    label=reference_label, zorder=1)
    ok = np.isfinite(rate)
    yerr = np.vstack([rate[ok] - lo[ok], hi[ok] - rate[ok]]) * 100
    ax.errorbar(x[ok], 100 * rate[ok], yerr=yerr, fmt="o", color=PALETTE["blue"], ms=4.5, lw=1.4,
                capsize=2.5, label=label, zorder=3)
    ticks = periods
    if show_n and "n" in df.columns:  # the number of cases under each period's label
        n = as_floats(df["n"], "n")
        ticks = [f"{p}\nn = {v:.0f}" if np.isfinite(v) else p for p, v in zip(periods, n, strict=True)]
    ax.set_xticks(x, ticks, fontsize=None if len(df) <= 6 else 6.5)
    ax.set_xlim(-0.6, len(df) - 0.4)
    ax.set_ylim(0, 100)
    if sum(len(p) for p in periods) > 48:
        for tick in ax.get_xticklabels():
            tick.set_rotation(45)
            tick.set_ha("right")
    ax.set_xlabel("periode")
    ax.set_ylabel(PCT_LABEL)
    danish_ticks(ax.yaxis)
    handles, labels = ax.get_legend_handles_labels()
    first = [i for i, t in enumerate(labels) if t == label] + [i for i, t in enumerate(labels) if t != label]
    ax.legend([handles[i] for i in first], [labels[i] for i in first], loc="upper left", ncol=2)
    return ax


def inline_svg(fig, source: str, prefix: str, title: str, margins=(0.55, 0.62, 0.12, 0.28)) -> str:
    """*fig* as SVG text to put inside an HTML page, with a "Kilde:" line under it; closes *fig*.

    The axes get fixed *margins* in inches (left, bottom, right, top: room for the tick
    labels, the axis label and the source line), which is faster than a tight bounding
    box. Text is drawn as paths (no font needed), the date and software stamps and the
    metadata block are left out, and every ``id`` gets *prefix* so that several figures
    can share a page. *title* becomes the figure's ``aria-label``.

    Examples
    --------
    >>> fig, ax = plt.subplots(figsize=(3, 2))
    >>> svg = inline_svg(fig, "Ankestyrelsen", "demo", "Et eksempel")
    >>> svg.startswith('<svg role="img" aria-label="Et eksempel"'), 'id="demo-' in svg, "<metadata>" in svg
    (True, True, False)
    """
    import html
    import io
    import re

    import matplotlib as mpl
    import matplotlib.pyplot as plt

    w, h = fig.get_size_inches()
    left, bottom, right, top = margins
    fig.subplots_adjust(left=left / w, bottom=bottom / h, right=1 - right / w, top=1 - top / h)
    fig.text(0.01, 0.012, f"Kilde: {source}", fontsize=5.5, color="#444444", ha="left", va="bottom")
    buf = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": f"danmark-{prefix}", "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg[svg.index("<svg"):], flags=re.S)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(title)}" ', 1)
