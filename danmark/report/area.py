"""One area and period of a kommune: counts, the one interval per quantity, the estimates and what it would take."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import pandas as pd

from ..errors import ArgumentError
from ..stats.intervals import binomial_ci
from ..stats.power_analysis import cases_needed, power
from ..stats.shrinkage import BetaPrior, prior_sensitivity
from ..table.periods import parse_period
from .field import Field
from .reference import Reference
from .size import SizePrior

__all__ = ["AreaReport", "Needs", "outcome_intervals", "needs", "OTHER_STRENGTHS", "POWER", "TEST_LEVEL"]

#: the prior strengths shown beside the chosen one, to say how much the conclusion depends on it
OTHER_STRENGTHS = (10.0, 100.0)
#: "what it would take": the power and the level of the exact one-sided test
POWER, TEST_LEVEL = 0.8, 0.95
_OUTCOMES = ("stadfaestet", "aendret", "hjemvist")


@dataclass(frozen=True)
class Needs:
    """What it would take: fewer reversals to reach the reference, and cases to tell the estimate from it.

    ``fewer``: the fewest reversals of the ``n`` whose removal brings the rate to the reference
    (None when it is already at or below). ``p1``: the shrunk estimate, taken as the true rate;
    ``cases_needed``: cases for an exact one-sided test (5 %, 80 % power) to tell ``p1`` from the
    reference (:func:`danmark.cases_needed`, ``n_stable``), None when no number of cases can;
    ``power_now``: that test's power with the kommune's ``n``; ``per_year``: the kommune's cases
    a year in the period; ``years``: ``cases_needed / per_year``.

    Examples
    --------
    >>> needs(10, 14, "2020-2023H1", 0.385, 0.49).fewer
    5
    """

    fewer: int | None
    p1: float
    alternative: str
    cases_needed: int | None
    power_now: float | None
    per_year: float
    years: float | None


def needs(k: int, n: int, period: str, reference: float, p1: float) -> Needs:
    """:class:`Needs` for *k* of *n* in *period* against *reference*, taking *p1* as the true rate."""
    _, start, end = parse_period(period)
    per_year = n / (((end - start).days + 1) / 365.25)
    fewer = math.ceil(k - reference * n - 1e-9) if k / n > reference else None  # the fewest x with (k - x)/n <= p0
    alt = "larger" if p1 > reference else "smaller"
    try:
        need = int(cases_needed(p1, reference=reference, alternative=alt, power=POWER,
                                level=TEST_LEVEL)["n_stable"].iloc[0])
    except ArgumentError:  # p1 (practically) equal to the reference: no number of cases tells them apart
        return Needs(fewer, p1, alt, None, None, per_year, None)
    pw = float(power(n, p1, reference=reference, alternative=alt, level=TEST_LEVEL)["power"].iloc[0])
    return Needs(fewer, p1, alt, need, pw, per_year, need / per_year)


def outcome_intervals(stadfaestet, aendret, hjemvist, *, level: float, bounds=None) -> pd.DataFrame | None:
    """Each outcome's share of the cases with its exact (Clopper-Pearson) interval, or None without the split.

    Each interval contains the observed share (0 of n gives 0 to x %); the total omgjort gets no
    second interval (its one interval is the rate's). *bounds*: the intervals already computed
    (``{outcome: (lower, upper)}``, e.g. by :meth:`Download.intervals`).

    Examples
    --------
    >>> outcome_intervals(4, 1, 9, level=0.95).round(3)
           outcome  count    raw  lower  upper
    0  stadfaestet      4  0.286  0.084  0.581
    1      aendret      1  0.071  0.002  0.339
    2     hjemvist      9  0.643  0.351  0.872
    """
    counts = [stadfaestet, aendret, hjemvist]
    if any(c is None for c in counts) or sum(counts) == 0:
        return None
    if bounds is None:
        ci = binomial_ci(counts, [sum(counts)] * 3, level=level, method="exact")
        bounds = dict(zip(_OUTCOMES, zip(ci["lower"], ci["upper"], strict=True), strict=True))
    total = sum(counts)
    return pd.DataFrame({"outcome": list(_OUTCOMES), "count": [int(c) for c in counts],
                         "raw": [c / total for c in counts], "lower": [float(bounds[o][0]) for o in _OUTCOMES],
                         "upper": [float(bounds[o][1]) for o in _OUTCOMES]})


def estimates(k: int, n: int, reference: float, strength: float, level: float):
    """The prior, the sensitivity table (:func:`danmark.prior_sensitivity` at the chosen and the other
    strengths), the shrunk estimate, P(above) and P(above) at the other strengths: one computation."""
    strengths = sorted({float(strength), *OTHER_STRENGTHS})
    sens = prior_sensitivity(k, n, means=[reference], strengths=strengths, level=level)
    sens = sens[["strength", "estimate", "lower", "upper", "prob_above"]].reset_index(drop=True)
    row = sens[sens["strength"] == float(strength)].iloc[0]
    shrunk = (float(row["estimate"]), float(row["lower"]), float(row["upper"]))
    other = {float(s): float(p) for s, p in zip(sens["strength"], sens["prob_above"], strict=True) if s != strength}
    return BetaPrior.from_mean(reference, strength), sens, shrunk, float(row["prob_above"]), other


@dataclass(frozen=True)
class AreaReport:
    """One area and period of a kommune: counts, the rate and what it can be said to show.

    ``aendret`` and ``hjemvist`` are None where the data give only their sum; ``afvist`` is None
    where the data have no afviste sager. ``exact`` is the rate's one interval (Clopper-Pearson;
    ``wilson`` is kept for the command line's comparison). ``reference_info`` is the one
    reference (:class:`Reference`): ``reference`` is its rate (a proportion) or None, and then
    ``prior``, ``shrunk`` and ``prob_above`` are None too. ``national`` holds the national rates
    used (``period``, ``omg_pct`` in percent, ``source``). ``sensitivity`` is the prior-strength
    table behind ``shrunk``, ``prob_above`` and ``prob_above_other``; ``outcomes`` the exact
    interval of each outcome's share (None without the split); ``needs`` what it would take
    (computed on first use);
    ``field`` the kommuner of the area and period (a full download); ``size_prior`` the prior by
    kommune size (a full download, a sensitivity).
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
    size_prior: SizePrior | None = None
    reference_info: Reference | None = None
    outcomes: pd.DataFrame | None = None
    field: Field | None = None
    sensitivity: pd.DataFrame | None = None
    kommunekode: str | None = None
    source_keys: tuple[str, ...] = ()  # the counts' own source keys (the reference's are in reference_info)

    @property
    def rate(self) -> float | None:
        return self.omgjort / self.n if self.n else None

    @functools.cached_property
    def needs(self) -> Needs | None:
        """What it would take (:class:`Needs`; computed on first use: the exact power search takes a moment)."""
        if self.shrunk is None:
            return None
        return needs(self.omgjort, self.n, self.period, self.reference, self.shrunk[0])

    @property
    def rank(self):
        """The kommune's row of ``field.table`` (flags, ranks, grade), or None."""
        return None if self.field is None else self.field.row(self.kommunekode)

    @property
    def flag(self) -> str | None:
        r = self.rank
        return None if r is None else str(r["flag"])

    @property
    def flag_od(self) -> str | None:
        r = self.rank
        return None if r is None else str(r["flag_od"])
