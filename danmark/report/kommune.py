"""The report on one kommune, and the table of every kommune of a download, built from it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .._defaults import DEFAULT_LEVEL, DEFAULT_PRIOR_STRENGTH
from .._validate import check_level, check_real
from ..errors import ArgumentError, DataError
from ..table.kommuner import normalize_kommune
from ..table.periods import parse_period
from ..table.words import official_name
from .area import AreaReport, estimates, outcome_intervals
from .download import Download, read_download

__all__ = ["KommuneReport", "kommune_report", "report_table", "check_settings", "match_area", "DEFAULT_LEVEL",
           "DEFAULT_PRIOR_STRENGTH", "PRIOR_STRENGTH_RANGE", "TABLE_COLUMNS"]

#: prior strengths (in cases) the report computes; outside it the numbers would rest on floating-point noise
PRIOR_STRENGTH_RANGE = (1e-3, 1e6)
#: the source of the populations the size prior uses (FOLK1A)
POPULATION_SOURCE = "folk1a_2020"
#: report_table's columns, in order
TABLE_COLUMNS = [
    "kommunekode", "kommune", "official_name", "region", "area", "period", "stadfaestet", "aendret", "hjemvist",
    "afvist", "n", "omgjort", "raw", "lower", "upper", "reference", "reference_origin", "reference_text", "estimate",
    "estimate_lower", "estimate_upper", "prob_above", "prior_strength", "units", "flag", "flag_od", "median_rank",
    "rank_lower", "rank_upper", "p_top", "grade"]


@dataclass(frozen=True)
class KommuneReport:
    """Everything :func:`kommune_report` found for one kommune (``official_name``: "Københavns Kommune")."""

    kommunekode: str
    kommune: str
    region: str
    areas: tuple[AreaReport, ...]
    level: float
    prior_strength: float
    data: str | None
    notes: tuple[str, ...] = ()
    official_name: str = ""
    download: Download | None = None
    size_tests: int = 0  # the download's size-prior fits in the Holm correction (0: none made)


def check_settings(level, prior_strength) -> tuple[float, float]:
    """``level`` in (0, 1) and ``prior_strength`` in :data:`PRIOR_STRENGTH_RANGE`, else :class:`ArgumentError`.

    Examples
    --------
    >>> check_settings(0.95, 30)
    (0.95, 30.0)
    """
    level = check_level(level)
    strength = check_real(prior_strength, "prior_strength", minimum=0, strict=True)
    lo, hi = PRIOR_STRENGTH_RANGE
    if not lo <= strength <= hi:
        raise ArgumentError(f"prior_strength must lie between {lo:g} and {hi:g} cases; got {prior_strength!r} (beyond "
                            "that the prior is a point or nothing, and the numbers would rest on rounding)",
                            column="prior_strength")
    return level, strength


def match_area(area, known) -> str | None:
    """The area of *known* that *area* names (any case; the area matcher of the kommune list when present)."""
    try:
        from ..table.kommuner import normalize_area
    except ImportError:
        normalize_area = None
    if normalize_area is not None:
        try:
            hit = normalize_area(area, known)
        except DataError:
            hit = None
        if hit is not None:
            return hit
    lowered = {str(a).lower(): a for a in known}
    return lowered.get(str(area).strip().lower())


def _count(r, name):
    v = r.get(name)
    return None if v is None or pd.isna(v) else int(v)


def _area_report(d: Download, r, code: str, level: float, strength: float, by_size: bool, grades: bool,
                 fields: bool = True) -> AreaReport:
    k, n = int(r["omgjort"]), int(r["n"])
    ci = d.intervals(level).loc[r.name]
    wilson = (float(ci["wilson_lower"]), float(ci["wilson_upper"])) if n else None
    exact = (float(ci["exact_lower"]), float(ci["exact_upper"])) if n else None
    ref = d.reference(r["area"], r["period"])
    prior = shrunk = above = sens = None
    other = {}
    if n and ref.rate is not None:
        prior, sens, shrunk, above, other = estimates(k, n, ref.rate, strength, level)
    fld = d.field(r["area"], r["period"], grades=grades) if fields else None
    sized = None
    if by_size and n and d.full(r["area"], r["period"]):
        # the kommune has cases here (n), so it is one of the area and period's units
        sized = d.size_priors(r["area"], r["period"], reference=ref.rate, level=level)[code]
    counts = tuple(s for s in str(r["source"]).split("+") if s)
    population = [POPULATION_SOURCE] if sized is not None and sized.error is None else []
    published = r.get("area_as_published")
    return AreaReport(
        area=r["area"], period=r["period"],
        scope=published if isinstance(published, str) and published != r["area"] else None,
        stadfaestet=int(r["stadfaestet"]), aendret=_count(r, "aendret"), hjemvist=_count(r, "hjemvist"),
        afvist=_count(r, "afvist"), n=n, omgjort=k, wilson=wilson, exact=exact,
        national=ref.national, national_missing=ref.missing, national_is_latest_earlier=ref.earlier,
        reference=ref.rate, prior=prior, shrunk=shrunk, prob_above=above, prob_above_other=other,
        sources=d.sources(tuple(dict.fromkeys([*counts, *ref.sources, *population]))), size_prior=sized,
        reference_info=ref, outcomes=outcome_intervals(
            int(r["stadfaestet"]), _count(r, "aendret"), _count(r, "hjemvist"), level=level,
            bounds={o: (ci[f"{o}_lower"], ci[f"{o}_upper"]) for o in ("stadfaestet", "aendret", "hjemvist")}),
        field=fld, sensitivity=sens, kommunekode=code, source_keys=counts,
    )


def _rows(d: Download, code: str, name: str, area, period, data) -> pd.DataFrame:
    rows = d.rows(code)
    if area is not None:
        hit = match_area(area, sorted(rows["area"].unique()))
        if hit is None:
            raise DataError(
                f"no counts for area {area!r} for {name}; "
                + (f"{name} has: {', '.join(sorted(rows['area'].unique()))}" if not rows.empty
                   else f"the data's areas are: {', '.join(d.areas())}"))
        rows = rows[rows["area"] == hit]
    if rows.empty:
        if d.bundled:
            have = sorted(d.kommuner()["kommune"])
            raise DataError(
                f"the bundled data hold counts for {', '.join(have)} only, not {name}: download the "
                "Talportal table for all kommuner (README, 'Getting the official data') and pass it with --data")
        raise DataError(f"no appeal counts for {name} in {d.path or 'the table'}")
    if period is not None:
        try:
            label = parse_period(period)[0]
        except DataError:
            label = str(period).strip()
        chosen = rows[rows["period"] == label]
        if chosen.empty:
            raise DataError(f"no counts for period {period!r} for {name}"
                            + (f" in area {rows['area'].iloc[0]!r}" if rows["area"].nunique() == 1 else "")
                            + f"; {name} has: {', '.join(dict.fromkeys(rows.sort_values('period_start')['period']))}")
        rows = chosen
    return rows.sort_values(["area", "period_start"])


def kommune_report(kommune, *, area=None, period=None, data=None, prior_strength=DEFAULT_PRIOR_STRENGTH,
                   level: float = DEFAULT_LEVEL, by_size: bool = True, grades: bool = False,
                   fields: bool = True) -> KommuneReport:
    """The report on one kommune: every area and period the data hold for it, every number computed here.

    Parameters
    ----------
    kommune : str
        Name or code (any usual spelling: "Århus", "Helsingør Kommune", "269").
    area, period : str, optional
        Only this area (any case: "voksenhandicap", or a Sagsemne) and period ("2024", "2024Q1").
    data : path, DataFrame or Download, optional
        A Talportal or Statistikbank download (read once per process), a tidy table already
        read from one, a :class:`Download` (:func:`read_download`); default the bundled figures.
    prior_strength : float
        Weight, in cases, of the prior centred on the reference rate (between 0.001 and 10⁶).
    level : float
        Interval level.
    by_size : bool
        With a full download also shrink toward the prior of kommuner of the same size
        (:class:`SizePrior`, a sensitivity, Holm-corrected over the download's fits).
    grades : bool
        Also compute the report-card grades of each full area and period (slow: an integer programme).
    fields : bool
        With a full download, the field of each area and period (funnel, ranks); False skips it
        (``AreaReport.field`` is then None), e.g. for a trend that shows only the rates.

    Raises :class:`DataError` when the kommune, the area or the period has no counts in the data
    (the message lists what the data hold) and :class:`ArgumentError` for a bad setting.

    Examples
    --------
    >>> rep = kommune_report("Solrød")
    >>> a = rep.areas[0]
    >>> (a.omgjort, a.n, round(a.rate, 3), round(a.prob_above, 2), a.reference_info.origin)
    (10, 14, 0.714, 0.92, 'published_earlier')
    """
    level, strength = check_settings(level, prior_strength)
    code, name = normalize_kommune(kommune)
    d = read_download(data)
    rows = _rows(d, code, name, area, period, data)
    family = d.size_family() if by_size and any(d.full(a, p) for a, p in zip(rows["area"], rows["period"],
                                                                              strict=True)) else {}
    areas = tuple(_area_report(d, r, code, level, strength, by_size, grades, fields)
                  for _, r in rows.iterrows())
    tests = next(iter(family.values()), {}).get("tests", 0) if family else 0
    label = None if d.bundled else (d.path or "table")
    return KommuneReport(code, name, rows["region"].iloc[0], areas, level, strength, label, d.notes,
                         official_name(code, name), d, tests)


def _row(rep: KommuneReport, a: AreaReport) -> dict:
    ref, r = a.reference_info, a.rank
    out = {"kommunekode": rep.kommunekode, "kommune": rep.kommune, "official_name": rep.official_name,
           "region": rep.region, "area": a.area, "period": a.period, "stadfaestet": a.stadfaestet,
           "aendret": a.aendret, "hjemvist": a.hjemvist, "afvist": a.afvist, "n": a.n, "omgjort": a.omgjort,
           "raw": a.rate, "lower": a.exact[0] if a.exact else None, "upper": a.exact[1] if a.exact else None,
           "reference": ref.rate, "reference_origin": ref.origin, "reference_text": ref.text,
           "estimate": a.shrunk[0] if a.shrunk else None, "estimate_lower": a.shrunk[1] if a.shrunk else None,
           "estimate_upper": a.shrunk[2] if a.shrunk else None, "prob_above": a.prob_above,
           "prior_strength": rep.prior_strength if a.shrunk else None,
           "units": a.field.units if a.field is not None else None}
    for col in ("flag", "flag_od", "median_rank", "rank_lower", "rank_upper", "p_top", "grade"):
        out[col] = None if r is None or pd.isna(r[col]) else r[col]
    return out


def report_table(data, *, area=None, period=None, prior_strength=DEFAULT_PRIOR_STRENGTH, level=DEFAULT_LEVEL,
                 grades: bool = True) -> pd.DataFrame:
    """One row per kommune x area x period of *data* (Hele landet excluded), from the kommuner's reports.

    The columns are :data:`TABLE_COLUMNS`: counts (nullable Int64), the rate with its exact
    interval, the reference with its origin and sentence, the shrunk estimate with its interval
    and P(above), and with a full download the field (flags, ranks, P(top 4) and, with *grades*,
    the report-card grade); <NA> where a number does not exist. *area* and *period* restrict
    the table; the other arguments are as in :func:`kommune_report`.

    Examples
    --------
    >>> t = report_table(None, grades=False)
    >>> row = t[t["kommune"] == "Solrød"].iloc[0]
    >>> int(row["n"]), int(row["omgjort"]), row["reference_origin"]
    (14, 10, 'published_earlier')
    """
    level, strength = check_settings(level, prior_strength)
    d = read_download(data)
    if area is not None and match_area(area, d.areas()) is None:
        raise DataError(f"no counts for area {area!r}; the data's areas are: {', '.join(d.areas())}")
    rows = []
    for code, name in d.kommuner()[["kommunekode", "kommune"]].itertuples(index=False):
        try:
            _rows(d, code, name, area, period, data)
        except DataError:  # this kommune lacks the area or the period asked for: not a row of the table
            continue
        # any other DataError (e.g. a source the table cannot name) is the caller's to see, never a row left out
        rep = kommune_report(code, area=area, period=period, data=d, prior_strength=strength, level=level,
                             by_size=False, grades=grades)
        rows.extend(_row(rep, a) for a in rep.areas)
    if period is not None and not rows:
        raise DataError(f"no counts for period {period!r} in the data")
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    for col in ("stadfaestet", "aendret", "hjemvist", "afvist", "n", "omgjort", "units", "grade"):
        table[col] = pd.array(table[col].astype(object).where(table[col].notna(), None), dtype="Int64")
    for col in ("raw", "lower", "upper", "reference", "estimate", "estimate_lower", "estimate_upper", "prob_above",
                "prior_strength", "median_rank", "rank_lower", "rank_upper", "p_top"):
        table[col] = pd.array(table[col].astype(object).where(table[col].notna(), None), dtype="Float64")
    for col in ("flag", "flag_od", "reference_origin", "reference_text"):
        table[col] = table[col].astype(object).where(table[col].notna(), pd.NA)
    return table

