"""A kommune's report as data: counts, rate, intervals, the national reference and shrinkage.

:func:`kommune_report` computes every number once, with the library's own
functions; the command line (:mod:`danmark.cli`) and any page only format the
:class:`KommuneReport` it returns.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace

import pandas as pd

from .errors import DataError, ReaderWarning
from .io.bundle import describe_sources, load_cases, load_national, national_rate
from .io.dispatch import read_any
from .stats.intervals import binomial_ci
from .stats.prior_regression import LRTest
from .stats.shrinkage import DEFAULT_PRIOR_STRENGTH, BetaPrior, fit_prior, prob_above, shrink
from .table.kommuner import municipalities, normalize_kommune
from .table.schema import NATIONAL_CODE, with_rates

__all__ = ["AreaReport", "KommuneReport", "SizePrior", "kommune_report", "size_prior", "OTHER_STRENGTHS",
           "MIN_FULL", "SIZE_FORMULA"]

#: the prior strengths shown beside the chosen one, to say how much the conclusion depends on it
OTHER_STRENGTHS = (10.0, 100.0)
#: kommuner with cases in the area and period that make a full download (funnel, ranks, the size prior)
MIN_FULL = 20
#: a fitted prior strength at or above this (in cases) means no spread beyond chance
NO_SPREAD_STRENGTH = 1e4
#: the likelihood-ratio test's level for "size explains part of the differences"
SIZE_TEST_LEVEL = 0.05
#: the regression prior's mean: what kommuner of a kommune's size typically have
SIZE_FORMULA = "~ np.log(population)"


@dataclass(frozen=True)
class SizePrior:
    """A kommune shrunk toward the prior mean of kommuner of its size (a full download only).

    The prior is :func:`danmark.fit_prior` with ``formula=SIZE_FORMULA`` fitted on every
    kommune with cases in the area and period (``units`` of them). ``mean``, ``alpha`` and
    ``beta`` are the kommune's own prior, ``shrunk`` (estimate, lower, upper) and
    ``prob_above`` (P(rate > ``reference``), None without a reference) its posterior,
    ``lr`` the likelihood-ratio test against the constant prior. When the fit fails,
    ``error`` says why and every number is None. ``no_spread`` and ``size_matters`` are the
    two readings the CLI and the faktaark put in words.

    Examples
    --------
    >>> SizePrior(units=12, error="too few").shrunk is None
    True
    """

    units: int
    error: str | None = None
    model: object = None
    population: float | None = None
    mean: float | None = None
    alpha: float | None = None
    beta: float | None = None
    shrunk: tuple[float, float, float] | None = None
    prob_above: float | None = None
    reference: float | None = None
    lr: LRTest | None = None

    @property
    def no_spread(self) -> bool:
        """The kommuner spread no more than chance around the size prior (strength ≥ NO_SPREAD_STRENGTH):
        the posterior is the prior's point, so no interval or probability is claimed for the kommune."""
        return self.alpha is not None and self.alpha + self.beta >= NO_SPREAD_STRENGTH

    @property
    def size_matters(self) -> bool:
        """The likelihood-ratio test rejects the constant prior at SIZE_TEST_LEVEL."""
        return self.lr is not None and self.lr.pvalue < SIZE_TEST_LEVEL


def area_units(table: pd.DataFrame, area: str, period: str) -> pd.DataFrame:
    """The kommuner (not Hele landet) with cases in one area and period of a tidy table."""
    return table[(table["kommunekode"] != NATIONAL_CODE) & (table["area"] == area) & (table["period"] == period)
                 & (table["n"] > 0)]


def fit_size_prior(units: pd.DataFrame):
    """``fit_prior(units, formula=SIZE_FORMULA)`` and its LR test, or the DataError's message when it fails."""
    try:
        model = fit_prior(units, formula=SIZE_FORMULA)
        return model, model.lr_test()
    except DataError as err:
        return str(err), None


def size_prior(fit, units: pd.DataFrame, kommunekode: str, *, reference: float | None = None,
               level: float = 0.95) -> SizePrior:
    """One kommune's :class:`SizePrior` from :func:`fit_size_prior`'s result on *units* (the kommune's row in it).

    Examples
    --------
    >>> size_prior(("too few kommuner", None), pd.DataFrame({"kommunekode": ["269"]}), "269").error
    'too few kommuner'
    """
    model, lr = fit
    if isinstance(model, str):
        return SizePrior(len(units), error=model)
    row = units[units["kommunekode"] == kommunekode]
    if row.empty:
        return SizePrior(len(units), error=f"kommune {kommunekode} has no cases in the area and period")
    try:
        p = model.priors(row).iloc[0]
        post = shrink(row, prior=model, level=level).iloc[0]
        above = (None if reference is None else
                 float(prob_above(row, prior=model, reference=reference)["prob_above"].iloc[0]))
    except DataError as err:
        return SizePrior(len(units), error=str(err))
    pop = municipalities().set_index("kommunekode")["population"].get(kommunekode)
    return SizePrior(len(units), None, model, None if pop is None else float(pop), float(p["mean"]),
                     float(p["alpha"]), float(p["beta"]),
                     (float(post["estimate"]), float(post["lower"]), float(post["upper"])), above, reference, lr)


@dataclass(frozen=True)
class AreaReport:
    """One area and period of a kommune: counts, the rate and what it can be said to show.

    ``aendret`` and ``hjemvist`` are None where the data give only their sum;
    ``afvist`` is None where the data have no afviste sager. ``national`` holds
    the national rates used (``period``, ``omg_pct`` in percent, ``source``);
    ``reference`` is the reference rate (a proportion) or None when no national rate
    is known, and then ``prior``, ``shrunk`` and ``prob_above`` are None too.
    """

    area: str
    period: str
    scope: str | None
    stadfaestet: int
    aendret: int | None
    hjemvist: int | None
    afvist: int | None
    n: int
    omgjort: int
    wilson: tuple[float, float] | None
    exact: tuple[float, float] | None
    national: pd.DataFrame
    national_missing: tuple[str, ...]
    national_is_latest_earlier: bool
    reference: float | None
    prior: BetaPrior | None
    shrunk: tuple[float, float, float] | None
    prob_above: float | None
    prob_above_other: dict = field(default_factory=dict)
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    size_prior: SizePrior | None = None  # only with a full download (MIN_FULL kommuner with cases)

    @property
    def rate(self) -> float | None:
        return self.omgjort / self.n if self.n else None


@dataclass(frozen=True)
class KommuneReport:
    """Everything :func:`kommune_report` found for one kommune."""

    kommunekode: str
    kommune: str
    region: str
    areas: tuple[AreaReport, ...]
    level: float
    prior_strength: float
    data: str | None
    notes: tuple[str, ...] = ()


def _load(data) -> tuple[pd.DataFrame, tuple[str, ...]]:
    if data is None:
        return load_cases(), ()
    if isinstance(data, pd.DataFrame):  # already read (e.g. once for all of a download's kommuner)
        return with_rates(data), ()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReaderWarning)
        table = with_rates(read_any(data))
    return table, tuple(str(w.message) for w in caught if issubclass(w.category, ReaderWarning))


def _national(area: str, period, start) -> tuple[pd.DataFrame, tuple[str, ...], bool]:
    nat = national_rate(area, period)
    known = nat.dropna(subset=["omg_pct"]) if not nat.empty else nat
    if not known.empty:
        missing = tuple(p for p in nat["period"] if p not in set(known["period"]))
        return known[["period", "omg_pct", "source"]].reset_index(drop=True), missing, False
    if nat.empty:
        return pd.DataFrame(columns=["period", "omg_pct", "source"]), (), False
    latest = load_national(preferred_only=True)
    latest = latest[(latest["area"] == area) & latest["period"].str.fullmatch(r"\d{4}")
                    & (latest["period_start"] < start)].dropna(subset=["omg_pct"])
    if latest.empty:
        return pd.DataFrame(columns=["period", "omg_pct", "source"]), (), False
    return latest.sort_values("period").tail(1)[["period", "omg_pct", "source"]].reset_index(drop=True), (), True


def _area_report(r, level: float, strength: float) -> AreaReport:
    k, n = int(r["omgjort"]), int(r["n"])
    wilson = exact = None
    if n:
        w = binomial_ci(k, n, level=level, method="wilson").iloc[0]
        e = binomial_ci(k, n, level=level, method="exact").iloc[0]
        wilson, exact = (float(w["lower"]), float(w["upper"])), (float(e["lower"]), float(e["upper"]))
    national, missing, latest = (pd.DataFrame(columns=["period", "omg_pct", "source"]), (), False)
    if r["kommunekode"] != NATIONAL_CODE:
        national, missing, latest = _national(r["area"], r["period"], r["period_start"])
    p0 = prior = shrunk = above = None
    other = {}
    if n and not national.empty:
        p0 = float(national["omg_pct"].mean()) / 100
        prior = BetaPrior.from_mean(p0, strength)
        post = shrink(k, n, prior=prior, level=level).iloc[0]
        shrunk = (float(post["estimate"]), float(post["lower"]), float(post["upper"]))
        above = float(prob_above(k, n, prior=prior, reference=p0)["prob_above"].iloc[0])
        other = {s: float(prob_above(k, n, prior=BetaPrior.from_mean(p0, s), reference=p0)["prob_above"].iloc[0])
                 for s in OTHER_STRENGTHS if s != strength}
    keys = str(r["source"]).split("+") + [s for s in national.get("source", pd.Series(dtype=str)).dropna() if s]

    def count(name):
        v = r.get(name)
        return None if v is None or pd.isna(v) else int(v)

    published = r.get("area_as_published")
    return AreaReport(
        area=r["area"], period=r["period"],
        scope=published if isinstance(published, str) and published != r["area"] else None,
        stadfaestet=int(r["stadfaestet"]), aendret=count("aendret"), hjemvist=count("hjemvist"),
        afvist=count("afvist"), n=n, omgjort=k, wilson=wilson, exact=exact,
        national=national, national_missing=missing, national_is_latest_earlier=latest,
        reference=p0, prior=prior, shrunk=shrunk, prob_above=above, prob_above_other=other,
        sources=describe_sources(keys),
    )


def _sized(cases, r, reference, level, fits) -> SizePrior | None:
    """The size prior of the row's kommune when its area and period make a full download."""
    units = area_units(cases, r["area"], r["period"])
    if len(units) < MIN_FULL or r["kommunekode"] == NATIONAL_CODE or not r["n"]:
        return None
    key = (r["area"], r["period"])
    if key not in fits:
        fits[key] = fit_size_prior(units)
    return size_prior(fits[key], units, r["kommunekode"], reference=reference, level=level)


def kommune_report(kommune, *, area=None, data=None, prior_strength=DEFAULT_PRIOR_STRENGTH,
                   level: float = 0.95, by_size: bool = True) -> KommuneReport:
    """The report on one kommune: every area and period the data hold for it.

    Parameters
    ----------
    kommune : str
        Name or code (any usual spelling: "Århus", "Helsingør Kommune", "269").
    area : str, optional
        Only this area (as in the table: "voksenhandicap", or a Sagsemne).
    data : path or DataFrame, optional
        A Talportal or Statistikbank download (:func:`danmark.read_any`), or
        a tidy table already read from one; default the bundled figures.
    prior_strength : float
        Weight, in cases, of the prior centred on the national rate.
    level : float
        Interval level.
    by_size : bool
        With a full download (at least ``MIN_FULL`` kommuner with cases in an
        area and period) also shrink toward the prior of kommuner of the same
        size (:class:`SizePrior`, in ``AreaReport.size_prior``); False skips
        that fit.

    Raises :class:`DataError` when the kommune, or the area, has no counts in
    the data; the message lists what the data do hold.

    Examples
    --------
    >>> rep = kommune_report("Solrød")
    >>> a = rep.areas[0]
    >>> (a.omgjort, a.n, round(a.rate, 3), round(a.prob_above, 2))
    (10, 14, 0.714, 0.92)
    """
    if not 0 < level < 1:
        raise DataError(f"level must lie strictly between 0 and 1; got {level}")
    if not prior_strength > 0:
        raise DataError(f"prior_strength must be positive; got {prior_strength}")
    code, name = normalize_kommune(kommune)
    cases, notes = _load(data)
    rows = cases[cases["kommunekode"] == code]
    if area is not None:
        chosen = rows[rows["area"].str.lower() == str(area).lower()]
        if chosen.empty:
            known = sorted(cases["area"].unique())
            raise DataError(
                f"no counts for area {area!r} for {name}; "
                + (f"{name} has: {', '.join(sorted(rows['area'].unique()))}" if not rows.empty
                   else f"the data's areas are: {', '.join(known)}")
            )
        rows = chosen
    if rows.empty:
        if data is None:
            have = sorted(cases.loc[cases["kommunekode"] != NATIONAL_CODE, "kommune"].unique())
            raise DataError(
                f"the bundled data hold counts for {', '.join(have)} only, not {name}: download the "
                "Talportal table for all kommuner (README, 'Getting the official data') and pass it "
                "with --data"
            )
        raise DataError(f"no appeal counts for {name} in {'the table' if isinstance(data, pd.DataFrame) else data}")
    areas, fits = [], {}
    for _, r in rows.sort_values(["area", "period_start"]).iterrows():
        a = _area_report(r, level, prior_strength)
        if by_size and (sized := _sized(cases, r, a.reference, level, fits)) is not None:
            a = replace(a, size_prior=sized)
        areas.append(a)
    areas = tuple(areas)
    label = None if data is None else ("table" if isinstance(data, pd.DataFrame) else str(data))
    return KommuneReport(code, name, rows["region"].iloc[0], areas, level, prior_strength, label, notes)
