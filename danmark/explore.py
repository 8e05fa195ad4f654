"""Explore any kommune: the report's numbers and two figures for a chosen kommune, area, period and prior weight.

:class:`Explorer` reads the data once (the bundled figures, a download's path or a table
already read) and offers the kommuner, areas and periods in it; :meth:`Explorer.draw` returns
a :class:`View` of one choice -- a small Danish table, the kommune's raw and shrunk intervals
across prior weights, and its place in the funnel of all kommuner when the data are a full
download. :meth:`Explorer.controls` puts dropdowns and a slider (ipywidgets) in front of it for
JupyterLab (notebook 09). Every number comes from :func:`danmark.kommune_report`; this module
only chooses, caches and formats.

Examples
--------
>>> ex = Explorer()
>>> ex.kommuner()[:2]
[('Helsingør Kommune', '217'), ('Køge Kommune', '259')]
>>> v = ex.draw("Solrød", prior_strength=30)
>>> (int(v.numbers["omgjort"]), int(v.numbers["n"]), round(v.numbers["prob_above"], 2))
(10, 14, 0.92)
>>> isinstance(v.funnel, str)  # the bundled figures are no full download
True
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._defaults import DEFAULT_LEVEL, DEFAULT_PRIOR_STRENGTH
from ._validate import check_real
from .errors import ArgumentError, DataError
from .report import MIN_FULL, kommune_report, read_download
from .stats.shrinkage import prior_sensitivity
from .table.display import danish_number, danish_table
from .table.kommuner import normalize_kommune, official_name
from .table.schema import NATIONAL_CODE
from .table.words import FLAGS as _FLAGS
from .table.words import area_da as _area_da
from .table.words import period_da as _period_da
from .table.words import source_da

__all__ = ["Explorer", "View", "Controls", "WEIGHTS", "png"]

#: the prior weights (in cases) the first figure draws the shrunk estimate at, besides the chosen one
WEIGHTS = (5.0, 10.0, 20.0, 30.0, 50.0, 100.0, 200.0, 300.0)
#: the slider's range and step, in cases
SLIDER = (5, 300, 5)
_GET_DATA = ("Tallene for alle 98 kommuner hentes fra Ankestyrelsens Talportal (se README, afsnittet "
             "»Getting the official data«); sæt derefter miljøvariablen DANMARK_DATA til den hentede fil.")


def _danish_key(name: str) -> str:
    """Sort key in Danish alphabetical order (æ, ø, å after z; a leading Aa as Å)."""
    s = str(name).lower()
    s = "å" + s[2:] if s.startswith("aa") else s
    return s.translate(str.maketrans({"æ": "{", "ø": "|", "å": "}"}))


def _pct(p, decimals=1) -> str:
    return danish_number(p, decimals=decimals, percent=True)


def _interval(lo, hi, decimals=1) -> str:
    if lo is None or hi is None:
        return "–"
    return f"{danish_number(100 * lo, decimals=decimals)}–{_pct(hi, decimals)}"


def _source_text(sources: pd.DataFrame) -> str:
    """The documents behind an area report, for a figure's "Kilde:" line."""
    parts = [source_da(r.publisher, r.title, r.date) for r in sources.itertuples()]
    return "; ".join(dict.fromkeys(parts)) or "Ankestyrelsen"


@dataclass(frozen=True)
class View:
    """One drawn choice: the report's numbers, the Danish table and the two figures.

    ``numbers`` holds the table's numbers as the report gives them (rates as proportions;
    keys as :func:`danmark.report.report_table` names its columns), ``weights`` the shrunk
    estimate across prior weights (:meth:`Explorer.weights`), ``figure`` the
    first figure and ``funnel`` the funnel figure, or a Danish sentence saying why there is none.
    """

    kommunekode: str
    kommune: str
    area: str
    period: str
    prior_strength: float
    report: object
    numbers: pd.Series
    table: object
    weights: pd.DataFrame
    figure: object
    funnel: object
    notes: tuple[str, ...] = field(default_factory=tuple)


class Explorer:
    """The data read once, and the report of any kommune, area, period and prior weight in it.

    Parameters
    ----------
    data : path, DataFrame or None
        A Talportal or Statistikbank download (a path), a tidy table already read, or None
        for the bundled figures (which hold counts for a few kommuner only).
    level : float
        Interval level.

    Examples
    --------
    >>> ex = Explorer()
    >>> [label for label, _ in ex.areas("Solrød")], [label for label, _ in ex.periods("Solrød", "voksenhandicap")]
    (['Voksenhandicap'], ['2020–1. halvår 2023'])
    """

    def __init__(self, data=None, *, level: float = DEFAULT_LEVEL):
        self.level = float(check_real(level, "level", minimum=0, strict=True))
        if not self.level < 1:
            raise ArgumentError(f"level must lie strictly between 0 and 1; got {level}")
        self.bundled = data is None
        self.download = read_download(data)  # read once; the report caches each area and period's field
        cases = self.download.table
        self.cases = cases
        units = cases[(cases["kommunekode"] != NATIONAL_CODE) & (cases["n"] > 0)]
        if units.empty:
            raise DataError("the data hold no kommune with realitetsbehandlede sager")
        self._units = units
        self._cache: dict = {}
        self._subsets: dict = {}

    # ------------------------------------------------------------------ what the data offer

    def kommuner(self) -> list[tuple[str, str]]:
        """(official name, kommunekode) of every kommune with cases, in Danish alphabetical order."""
        codes = pd.unique(self._units["kommunekode"].astype(str))
        return sorted(((official_name(c), c) for c in codes), key=lambda t: _danish_key(t[0]))

    def _code(self, kommune) -> tuple[str, str]:
        code, name = normalize_kommune(kommune)
        if code not in set(self._units["kommunekode"]):
            have = ", ".join(n for n, _ in self.kommuner())
            extra = (" The bundled figures hold a few kommuner only: download the Talportal table "
                     "(README, 'Getting the official data').") if self.bundled else ""
            raise DataError(f"no cases for {name} in the data; the kommuner with cases are: {have}.{extra}")
        return code, name

    def areas(self, kommune) -> list[tuple[str, str]]:
        """(Danish label, area) of the areas in which *kommune* has cases, by label."""
        code, _ = self._code(kommune)
        areas = pd.unique(self._units.loc[self._units["kommunekode"] == code, "area"].astype(str))
        return sorted(((_area_da(a)[:1].upper() + _area_da(a)[1:], a) for a in areas),
                      key=lambda t: _danish_key(t[0]))

    def periods(self, kommune, area) -> list[tuple[str, str]]:
        """(Danish label, period) of the periods in which *kommune* has cases in *area*, oldest first."""
        code, name = self._code(kommune)
        rows = self._units[(self._units["kommunekode"] == code) & (self._units["area"] == area)]
        if rows.empty:
            raise DataError(f"no cases for {name} in area {area!r}; "
                            f"{name} has: {', '.join(a for _, a in self.areas(code))}", column="area")
        rows = rows.sort_values(["period_start", "period_end"], kind="stable")
        return [(_period_da(p), p) for p in pd.unique(rows["period"].astype(str))]

    def about(self) -> str:
        """One or two Danish sentences on what the data hold (and, for the bundled figures, how to get the rest)."""
        names = [n for n, _ in self.kommuner()]
        if self.bundled:
            listed = ", ".join(names[:-1]) + f" og {names[-1]}" if len(names) > 1 else names[0]
            return f"De medfølgende tal har optællinger for {len(names)} kommuner: {listed}. {_GET_DATA}"
        areas, periods = self._units["area"].nunique(), self._units["period"].nunique()
        return (f"Udtrækket har optællinger for {len(names)} kommuner på {areas} "
                f"{'område' if areas == 1 else 'områder'} i {periods} {'periode' if periods == 1 else 'perioder'}.")

    # ------------------------------------------------------------------ the report, cached

    def _subset(self, area, period) -> pd.DataFrame:
        """The rows of one area and period (all kommuner and Hele landet): all a report of it reads."""
        key = (area, period)
        if key not in self._subsets:
            c = self.cases
            self._subsets[key] = c[(c["area"] == area) & (c["period"] == period)]
        return self._subsets[key]

    def report(self, kommune, *, area, period, prior_strength=DEFAULT_PRIOR_STRENGTH):
        """The :class:`~danmark.report.AreaReport` of one kommune, area and period (from :func:`kommune_report`)."""
        code, _ = self._code(kommune)
        strength = float(check_real(prior_strength, "prior_strength", minimum=0, strict=True))
        key = (code, area, period, strength)
        if key not in self._cache:
            data = self.download if self.download is not None else self._subset(area, period)
            extra = {"period": period}
            rep = kommune_report(code, area=area, data=data, prior_strength=strength, level=self.level,
                                 by_size=False, **extra)
            found = [a for a in rep.areas if a.period == period]
            if not found:
                raise DataError(f"no cases for {rep.kommune} in {area} {period}", column="period")
            self._cache[key] = (rep, found[0])
        return self._cache[key]

    def weights(self, kommune, *, area, period, prior_strength=DEFAULT_PRIOR_STRENGTH) -> pd.DataFrame:
        """The shrunk estimate, its interval and P(above) at each of :data:`WEIGHTS` and *prior_strength*.

        The report's counts, reference and level through :func:`danmark.prior_sensitivity` (the
        report's own prior, Beta with the reference as mean, at each weight): one call instead of a
        report per weight, so that a new kommune redraws fast. tests/test_explorer.py checks it
        against :func:`kommune_report` at every weight. NaN where the report has no reference.
        """
        _, a = self.report(kommune, area=area, period=period, prior_strength=prior_strength)
        strengths = sorted({*WEIGHTS, float(prior_strength)})
        if a.shrunk is None:
            nan = [np.nan] * len(strengths)
            return pd.DataFrame({"prior_strength": strengths, "estimate": nan, "lower": nan, "upper": nan,
                                 "prob_above": nan})
        out = prior_sensitivity(a.omgjort, a.n, means=[a.reference], strengths=strengths, level=self.level)
        return pd.DataFrame({"prior_strength": out["strength"].to_numpy(dtype=float),
                             **{c: out[c].to_numpy(dtype=float) for c in ("estimate", "lower", "upper", "prob_above")}})

    # ------------------------------------------------------------------ the view

    def defaults(self, kommune=None, *, area=None, period=None) -> tuple[str, str, str]:
        """The choice completed: the first kommune, its first area and its latest period where not given."""
        code = self._code(kommune)[0] if kommune is not None else self.kommuner()[0][1]
        areas = [a for _, a in self.areas(code)]
        if area is None:
            area = areas[0]
        elif area not in areas:
            match = [a for a in areas if a.lower() == str(area).lower()]
            if not match:
                raise DataError(f"no cases for kommune {code} in area {area!r}; it has: {', '.join(areas)}",
                                column="area")
            area = match[0]
        periods = [p for _, p in self.periods(code, area)]
        if period is None:
            period = periods[-1]
        elif str(period) not in periods:
            raise DataError(f"no cases for kommune {code} in {area} {period}; its periods are: "
                            f"{', '.join(periods)}", column="period")
        return code, area, str(period)

    def draw(self, kommune=None, *, area=None, period=None, prior_strength=DEFAULT_PRIOR_STRENGTH) -> View:
        """The :class:`View` of one kommune, area, period and prior weight (in cases).

        Missing choices are completed by :meth:`defaults`.

        Examples
        --------
        >>> v = Explorer().draw("Helsingør", prior_strength=100)
        >>> v.area, v.period, v.numbers["prior_strength"]
        ('voksenhandicap', '2024', 100.0)
        >>> plt.close("all")
        """
        return self._draw(kommune, area=area, period=period, prior_strength=prior_strength)

    def _draw(self, kommune, *, area, period, prior_strength, figures=None) -> View:
        """:meth:`draw`, drawing on the figures in *figures* (``{"figure": ..., "funnel": ...}``) when given."""
        code, area, period = self.defaults(kommune, area=area, period=period)
        strength = float(check_real(prior_strength, "prior_strength", minimum=0, strict=True))
        rep, a = self.report(code, area=area, period=period, prior_strength=strength)
        curve = self.weights(code, area=area, period=period, prior_strength=strength)
        numbers = _numbers(a, strength)
        title = official_name(code)
        figures = {} if figures is None else figures
        figure = _weights_figure(a, curve, numbers, title, self.level, fig=figures.get("figure"))
        figures["figure"] = figure
        if figures.get("funnel_of") != (code, area, period):  # the funnel does not depend on the weight
            funnel = _funnel(a, rep.kommune, title, self.bundled, fig=figures.get("funnel"))
            figures.update(funnel_of=(code, area, period), funnel_shown=funnel)
            if not isinstance(funnel, str):
                figures["funnel"] = funnel
        label = f"{title}: {_area_da(area)}, {_period_da(period)}"
        return View(code, rep.kommune, area, period, strength, a, numbers, _table(a, numbers, self.level, label),
                    curve, figure, figures["funnel_shown"], tuple(rep.notes))

    def controls(self, kommune=None, *, area=None, period=None, prior_strength=DEFAULT_PRIOR_STRENGTH) -> Controls:
        """Dropdowns for kommune, area and period and a slider for the prior weight, drawing on every change.

        Needs ipywidgets (and, to be used, JupyterLab with a running kernel).
        """
        return Controls(self, kommune, area=area, period=period, prior_strength=prior_strength)


# ---------------------------------------------------------------------- the table


def _field_row(a):
    """The kommune's row of the report's funnel field (the report contract's ``AreaReport.rank``), or None."""
    row = getattr(a, "rank", None)
    if row is None and getattr(a, "field", None) is not None:
        table = a.field.table
        code = getattr(a, "kommunekode", None)
        row = table.loc[code] if code is not None and code in table.index else None
    return row


def _numbers(a, strength: float) -> pd.Series:
    """The numbers the table shows, as the report gives them (names as in ``report_table``)."""
    est, lo, hi = a.shrunk if a.shrunk is not None else (None, None, None)
    out = {"n": a.n, "stadfaestet": a.stadfaestet, "aendret": a.aendret, "hjemvist": a.hjemvist,
           "afvist": a.afvist, "omgjort": a.omgjort, "raw": a.rate,
           "lower": a.exact[0] if a.exact else None, "upper": a.exact[1] if a.exact else None,
           "reference": a.reference, "estimate": est, "estimate_lower": lo, "estimate_upper": hi,
           "prob_above": a.prob_above, "prior_strength": strength}
    row = _field_row(a)
    if row is not None:
        for key in ("flag", "flag_od", "median_rank", "rank_lower", "rank_upper", "p_top"):
            out[key] = row.get(key) if hasattr(row, "get") else None
    return pd.Series(out, dtype=object)


def _table(a, x: pd.Series, level: float, label: str = ""):
    """The numbers as a small Danish table (a Styler): one row per quantity, its value and interval."""
    iv = f"{danish_number(100 * level, decimals=0)} %-interval"
    count = lambda v: danish_number(v) if v is not None else "–"  # noqa: E731
    rows = [
        ("Realitetsbehandlede sager", count(x["n"]), ""),
        ("Stadfæstet", count(x["stadfaestet"]), ""),
        ("Ændret/ophævet", count(x["aendret"]), ""),
        ("Hjemvist", count(x["hjemvist"]), ""),
        ("Omgjort (ændret/ophævet + hjemvist)", count(x["omgjort"]), ""),
        ("Afvist (tæller ikke med)", count(x["afvist"]), ""),
        ("Omgørelsesprocent", _pct(x["raw"]), _interval(x["lower"], x["upper"])),
        ("Landsgennemsnit", _pct(x["reference"]), ""),
    ]
    weight = danish_number(x["prior_strength"], decimals=1).removesuffix(",0")
    if x["estimate"] is not None:
        rows += [(f"Skøn med prior (vægt {weight} sager)", _pct(x["estimate"]),
                  _interval(x["estimate_lower"], x["estimate_upper"])),
                 ("Sandsynlighed for at ligge over landsgennemsnittet", _pct(x["prob_above"], 0), "")]
    else:
        rows += [("Skøn med prior", "intet landsgennemsnit, ingen prior", "")]
    if "flag" in x.index:
        rows += [("Tragtplot (uden overspredning)", _FLAGS.get(str(x["flag"]), str(x["flag"])), ""),
                 ("Tragtplot (med overspredning)", _FLAGS.get(str(x["flag_od"]), str(x["flag_od"])), "")]
        if x.get("median_rank") is not None and not pd.isna(x["median_rank"]):
            rows += [("Placering (1 = højeste omgørelsesprocent)", danish_number(x["median_rank"], decimals=0),
                      f"{danish_number(x['rank_lower'], decimals=0)}–{danish_number(x['rank_upper'], decimals=0)}"),
                     (f"Sandsynlighed for at være blandt de {getattr(a.field, 'top', 4)} højeste",
                      _pct(x["p_top"], 0), "")]
    df = pd.DataFrame(rows, columns=[label, "værdi", iv]).set_index(label)
    return danish_table(df, table_id="udforsk").set_caption(_caption(a))


def _and(items) -> str:
    items = list(items)
    return ", ".join(items[:-1]) + f" og {items[-1]}" if len(items) > 1 else "".join(items)


def _caption(a) -> str:
    """Which reference the report used: the report's own sentence when it has one (the report contract)."""
    info = getattr(a, "reference_info", None)
    if info is not None:
        text = info.text
    elif a.reference is None:
        text = "Der er intet offentliggjort landsgennemsnit for området og perioden."
    elif a.national_is_latest_earlier:
        text = f"Landsgennemsnittet er det seneste offentliggjorte landstal før perioden ({_and(a.national['period'])})."
    else:
        periods = list(a.national["period"])
        text = (f"Landsgennemsnittet er det offentliggjorte landstal for {periods[0]}." if len(periods) == 1 else
                f"Landsgennemsnittet er gennemsnittet af de offentliggjorte landstal for {_and(periods)}.")
        if a.national_missing:
            text += f" Der er intet offentliggjort landstal for {_and(a.national_missing)}."
    return text


# ---------------------------------------------------------------------- the figures

#: resolution of the figures as shown (PNG)
DPI = 100


def _blank(fig, size):
    """A clean figure of *size* inches on its own Agg canvas: *fig* cleared for reuse, or a new one.

    A reused figure keeps its canvas and renderer, so matplotlib's text measurements (tick labels,
    legend texts) are cached from one redraw to the next.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if fig is None:
        fig = Figure(figsize=size, dpi=DPI)
        FigureCanvasAgg(fig)
    else:
        fig.clear()
    return fig


def _kilde(fig, text: str) -> float:
    """The "Kilde:" line at the figure's foot (wrapped, fixed place); returns its height in inches."""
    lines = textwrap.wrap(f"Kilde: {text}", width=int(fig.get_figwidth() * 20))
    fig.text(0.012, 0.012, "\n".join(lines), fontsize=6.5, color="#444444", ha="left", va="bottom")
    return 0.04 + 0.11 * len(lines)


def png(fig) -> bytes:
    """*fig* as PNG bytes, as the explorer shows it (fixed layout, no date or software stamp)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def _weights_figure(a, curve: pd.DataFrame, x: pd.Series, title: str, level: float, fig=None):
    """Figure 1: the raw rate with its exact interval, and the shrunk estimate across prior weights."""
    from .plotting import style
    from .plotting._style import PALETTE, PCT_LABEL
    from .plotting._style import danish_ticks as _danish_ticks
    from .plotting._style import log_x as _logx
    from .plotting.curves import sensitivity_curve

    lvl = f"{danish_number(100 * level, decimals=0)} %"
    with style():
        fig = _blank(fig, (6.5, 4.6))
        w_in, h_in = fig.get_size_inches()
        foot = _kilde(fig, _source_text(a.sources))
        ax = fig.add_axes((0.62 / w_in, (foot + 1.15) / h_in, 1 - 0.85 / w_in, 1 - (foot + 1.15 + 0.55) / h_in))
        ax.axhspan(100 * x["lower"], 100 * x["upper"], color=PALETTE["grey"], alpha=0.18, lw=0,
                   label=f"eksakt {lvl}-interval for den rå andel")
        ax.axhline(100 * x["raw"], color=PALETTE["black"], lw=1.2,
                   label=f"rå andel: {_pct(x['raw'])} ({x['omgjort']} af {x['n']})")
        if a.shrunk is not None:
            sensitivity_curve(curve.assign(kurve=f"skøn med prior ({lvl}-interval)"), "prior_strength", "estimate",
                              group="kurve", percent=True, logx=True, ax=ax, reference=a.reference,
                              reference_label=f"landsgennemsnit ({_pct(a.reference)})", marker="o")
            w = x["prior_strength"]
            ax.errorbar([w], [100 * x["estimate"]], yerr=[[100 * (x["estimate"] - x["estimate_lower"])],
                                                           [100 * (x["estimate_upper"] - x["estimate"])]],
                        fmt="D", color=PALETTE["orange"], mec="black", ms=7, lw=2, capsize=3, zorder=5,
                        label=(f"valgt vægt: {danish_number(w, decimals=1).removesuffix(',0')} sager, "
                               f"P(over landsgennemsnittet) = {_pct(x['prob_above'], 0)}"))
        else:
            ax.set_xlim(curve["prior_strength"].min(), curve["prior_strength"].max())
            _logx(ax)
            ax.text(0.5, 0.5, "Intet landsgennemsnit for området og perioden:\ningen prior og intet skøn.",
                    transform=ax.transAxes, ha="center", va="center", fontsize=9)
        ax.set_ylim(0, 100)
        ax.set_xlabel("priorens vægt (sager)")
        ax.set_ylabel(PCT_LABEL)
        _danish_ticks(ax.yaxis)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, (foot + 0.04) / h_in), bbox_transform=fig.transFigure,
                  ncol=2)
        ax.set_title(f"{title}: {_area_da(a.area)}, {_period_da(a.period)}\n"
                     "rå omgørelsesprocent og skøn med prior efter priorens vægt", loc="left")
    return fig


def _funnel(a, name: str, title: str, bundled: bool, fig=None):
    """Figure 2: the kommune in the funnel of all kommuner, or a Danish sentence saying why there is none."""
    fld = getattr(a, "field", None)
    if fld is None:
        if bundled:
            return ("Tragtplottet kræver et fuldt udtræk med mindst "
                    f"{MIN_FULL} kommuner med sager i samme område og periode; de medfølgende tal har kun enkelte "
                    f"kommuner. {_GET_DATA}")
        return (f"Tragtplottet kræver mindst {MIN_FULL} kommuner med sager og et landsgennemsnit for samme område "
                "og periode; det har udtrækket ikke her.")
    from .plotting import funnel_plot, style

    t = fld.table
    with style():
        fig = _blank(fig, (6.5, 4.6))
        w_in, h_in = fig.get_size_inches()
        foot = _kilde(fig, _source_text(a.sources))
        ax = fig.add_axes((0.62 / w_in, (foot + 0.5) / h_in, 1 - 0.85 / w_in, 1 - (foot + 0.5 + 0.35) / h_in))
        funnel_plot(t["omgjort"], t["n"], fld.limits, labels=[str(v) for v in t["kommune"]], ax=ax,
                    highlight=name if name in set(t["kommune"].astype(str)) else None)
        od = " (grænser med overspredning)" if getattr(fld, "adjusted", False) else ""
        ax.set_title(f"{title} i tragtplottet: {_area_da(a.area)}, {_period_da(a.period)}, "
                     f"{fld.units} kommuner{od}", loc="left")
    return fig


# ---------------------------------------------------------------------- the controls


class Controls:
    """ipywidgets controls over an :class:`Explorer`: the view follows every change.

    ``widget`` holds the dropdowns and the slider (display it in JupyterLab); :meth:`show`
    displays the current table, figure or funnel with a display id, and every change of a
    control redraws and updates what was shown in place. ``view`` is the current
    :class:`View`.
    """

    def __init__(self, explorer: Explorer, kommune=None, *, area=None, period=None,
                 prior_strength=DEFAULT_PRIOR_STRENGTH):
        try:
            import ipywidgets as w
        except ImportError:  # pragma: no cover - ipywidgets is in the dev extra
            raise ArgumentError("the controls need ipywidgets: pip install ipywidgets") from None
        self.explorer = explorer
        code, area, period = explorer.defaults(kommune, area=area, period=period)
        lo, hi, step = SLIDER
        wide = {"description_width": "initial"}
        self.kommune = w.Dropdown(options=explorer.kommuner(), value=code, description="Kommune", style=wide)
        self.area = w.Dropdown(options=explorer.areas(code), value=area, description="Område", style=wide)
        self.period = w.Dropdown(options=explorer.periods(code, area), value=period, description="Periode",
                                 style=wide)
        self.prior_strength = w.IntSlider(value=int(round(prior_strength)), min=lo, max=hi, step=step,
                                          description="Priorens vægt (sager)", style=wide, continuous_update=False)
        self.widget = w.VBox([w.HBox([self.kommune, self.area, self.period]), self.prior_strength])
        self._handles: dict[str, list] = {"table": [], "figure": [], "funnel": []}
        self._quiet = False
        self._figures: dict = {}
        self.view = explorer._draw(code, area=area, period=period, prior_strength=self.prior_strength.value,
                                   figures=self._figures)
        self.kommune.observe(self._on_kommune, names="value")
        self.area.observe(self._on_area, names="value")
        self.period.observe(self._redraw, names="value")
        self.prior_strength.observe(self._redraw, names="value")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def _refill(self, dropdown, options):
        """New options for *dropdown*, keeping its value where it still is one (else the last option)."""
        values = [v for _, v in options]
        keep = dropdown.value if dropdown.value in values else values[-1 if dropdown is self.period else 0]
        self._quiet = True
        try:
            dropdown.options = options
            dropdown.value = keep
        finally:
            self._quiet = False

    def _on_kommune(self, change):
        self._refill(self.area, self.explorer.areas(self.kommune.value))
        self._on_area(change)

    def _on_area(self, change):
        if self._quiet:
            return
        self._refill(self.period, self.explorer.periods(self.kommune.value, self.area.value))
        self._redraw(change)

    def _redraw(self, change=None):
        if self._quiet:
            return
        before = self._figures.get("funnel_of")
        self.view = self.explorer._draw(self.kommune.value, area=self.area.value, period=self.period.value,
                                        prior_strength=self.prior_strength.value, figures=self._figures)
        for part, handles in self._handles.items():
            if part == "funnel" and self._figures.get("funnel_of") == before:
                continue  # same kommune, area and period: the funnel shown is still right
            for h in handles:
                h.update(self._part(part))

    def _part(self, part):
        from IPython.display import Image, Markdown

        value = {"table": self.view.table, "figure": self.view.figure, "funnel": self.view.funnel}[part]
        if isinstance(value, str):
            return Markdown(value)
        return Image(data=png(value), format="png") if part != "table" else value

    def show(self, part: str = "table") -> None:
        """Display the current ``"table"``, ``"figure"`` or ``"funnel"``, updated in place on every change."""
        from IPython.display import display

        if part not in self._handles:
            raise ArgumentError(f"part must be one of {', '.join(self._handles)}; got {part!r}")
        handle = display(self._part(part), display_id=True)
        if handle is not None:
            self._handles[part].append(handle)
