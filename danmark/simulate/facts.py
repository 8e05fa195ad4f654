"""The facts several notebooks share, stated once: settled readings, precision, scenarios, citations.

Notebooks 00–08 each used to restate the same facts in their own words, and they drifted apart.
Each lives here once, and every notebook takes it from here:

* :func:`suite_fact` — a settled reading of the sources in Danish (``data/facts.csv``), e.g. how
  the voksenhandicap figure for 2017 is read;
* :func:`national_precision` — how precise a national rate is, from the case counts published for
  its area (``data/national.csv``): for voksenhandicap KL's 721–950 decided appeals a year give
  about ±3 points, not "a fraction of a point";
* :func:`taskforce_scenarios` — the two simulated maps of notebooks 00, 02 and 07 (scenario B, the
  taskforce's 3½-year window calibrated to Solrød's 14 cases, is the one that matches the
  selection) and :func:`calibration_check`, scenario B's national total against KL's counts;
* :func:`citation` and :func:`reference_list` — readable citations ("Solrød Kommune 2024") for
  tables and prose, and the full list at the end of a notebook (``data/citations.csv``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats

from .._defaults import DEFAULT_LEVEL
from .._paths import data_path
from ..errors import DataError
from ..io.bundle import describe_sources, load_claims, load_national, national_rate
from ..stats.shrinkage import BetaPrior, prob_above
from ..table.words import date_da
from ..table.words import period_da as period_name  # noqa: F401 (the notebooks' name for it)
from .multiplicity import calibrated_case_counts
from .scenarios import SOCIALOMRAADET_2022_N, population_case_counts
from .selection import prob_at_least

__all__ = ["suite_fact", "national_precision", "taskforce_scenarios", "TaskforceScenario", "calibration_check",
           "citation", "reference_list", "claims_table", "period_name", "majority_reference",
           "reference_at_probability"]

MAP_AREAS = ("socialomraadet", "boernehandicap", "voksenhandicap")
_AREAS = {"socialomraadet": "socialområdet", "boernehandicap": "børnehandicap", "voksenhandicap": "voksenhandicap",
          "SEL §§ 96-97": "voksenhandicap, §§ 96–97"}


def suite_fact(key: str) -> str:
    """A settled reading of the sources, in Danish, as every notebook states it.

    Examples
    --------
    >>> suite_fact("voksenhandicap_2017").startswith("Voksenhandicap 2017 (21 %)")
    True
    """
    facts = pd.read_csv(data_path("facts.csv"), dtype=str).fillna("").set_index("key")
    if key not in facts.index:
        raise DataError(f"unknown fact {key!r}; known: {', '.join(facts.index)}", file="facts.csv", column="key")
    return facts.loc[key, "text"]


def national_precision(*, level: float = DEFAULT_LEVEL) -> pd.DataFrame:
    """How precise each map's national rate is, from the national case counts the bundle holds.

    The half-width of a ``level`` interval for a rate *p* on *n* cases is ``z·√(p(1 − p)/n)``
    (normal approximation: n is in the hundreds or thousands). Where the count is of decided
    appeals (``n_type`` "afgjorte klagesager", which may include afviste), the realitetsbehandlede
    are fewer and the true half-width is at least the one given. ``change`` is the half-width for
    the difference between two independent years of that size: a year-to-year move smaller than
    it is within chance.

    Returns
    -------
    DataFrame
        One row per map area: ``years`` (those with a count), ``n_min``, ``n_max``, ``n_type``,
        ``reference`` (the rate used: the mean of the area's preferred yearly rates),
        ``half_width_min``, ``half_width_max`` (at ``n_max`` and ``n_min``), ``change_min``,
        ``change_max`` (all as fractions) and ``source`` (keys joined by "+").

    Examples
    --------
    >>> p = national_precision()
    >>> int(p.loc["voksenhandicap", "n_min"]), int(p.loc["voksenhandicap", "n_max"])
    (721, 1299)
    >>> round(100 * float(p.loc["voksenhandicap", "half_width_max"]), 1)
    3.5
    """
    z = stats.norm.ppf(0.5 + level / 2)
    nat = load_national()
    rows = {}
    for area in MAP_AREAS:
        part = nat[(nat["area"] == area) & nat["n"].notna() & nat["period"].str.fullmatch(r"\d{4}")]
        if part.empty:
            continue
        rates = nat[(nat["area"] == area) & nat["preferred"] & nat["omg_pct"].notna()
                    & nat["period"].str.fullmatch(r"\d{4}")]["omg_pct"]
        p = float(rates.mean()) / 100
        n = part["n"].astype(float)
        half = z * np.sqrt(p * (1 - p) / n)
        rows[area] = {"years": ", ".join(sorted(part["period"])), "n_min": int(n.min()), "n_max": int(n.max()),
                      "n_type": " / ".join(sorted(set(part["n_type"].dropna()))), "reference": p,
                      "half_width_min": float(half.min()), "half_width_max": float(half.max()),
                      "change_min": float(half.min() * np.sqrt(2)), "change_max": float(half.max() * np.sqrt(2)),
                      "source": "+".join(dict.fromkeys(part["source"]))}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("area")


@dataclass(frozen=True)
class TaskforceScenario:
    """One simulated map of the taskforce notebooks (an assumption, labelled as such).

    Attributes
    ----------
    key : "A" or "B"
    label : str
        The Danish label every table and figure carries (starts with "SIMULERET").
    area, period : str
        The map area and the period in Danish words.
    years : float
    counts : DataFrame
        Population-proportional case counts per kommune (index ``kommune``, column ``n``,
        ``simulated`` True).
    reference : float
        The common true rate (the national rate of the area and period).
    total_per_year : int
    matches_selection : bool
        True for the scenario that matches how the taskforce selected (3½ years of the handicap
        area, as Solrød's letter describes it).
    sources : tuple of str
        Keys of the sources behind the assumptions.
    """

    key: str
    label: str
    area: str
    period: str
    years: float
    counts: pd.DataFrame = field(repr=False)
    reference: float
    total_per_year: int
    matches_selection: bool
    sources: tuple = ()


def taskforce_scenarios() -> dict[str, TaskforceScenario]:
    """The two simulated maps of notebooks 00, 02 and 07.

    * **A** — socialområdet, one year: 8.631 realitetsbehandlede sager (2022) spread by population;
      true rate the national rate for 2022.
    * **B** — the taskforce's window (2020 to the first half of 2023, 3½ years, the handicap area):
      the national total is calibrated so that Solrød's expected count is its 14 cases, at least 1
      case per kommune; true rate the mean of the voksenhandicap national rates 2020–2022. B is
      the one that matches the selection Solrød's letter describes.

    Examples
    --------
    >>> s = taskforce_scenarios()
    >>> s["B"].matches_selection, s["B"].total_per_year, int(s["B"].counts.loc["Solrød", "n"])
    (True, 1002, 14)
    >>> round(s["A"].reference, 3), int(s["A"].counts["n"].sum())
    (0.375, 8630)
    """
    a_rate = national_rate("socialomraadet", "2022")
    counts_a = population_case_counts(SOCIALOMRAADET_2022_N).set_index("kommune")
    b_rates = national_rate("voksenhandicap", "2020-2022")
    counts_b = calibrated_case_counts("Solrød", 14, years=3.5, minimum=1)
    total_b = int(counts_b.attrs["total_per_year"])
    return {
        "A": TaskforceScenario(
            key="A", label="SIMULERET A · socialområdet, 1 år", area="socialomraadet", period="2022", years=1.0,
            counts=counts_a, reference=float(a_rate["omg_pct"].iloc[0]) / 100, total_per_year=SOCIALOMRAADET_2022_N,
            matches_selection=False,
            sources=("nb-kommune.dk:nye-danmarkskort-halvdelen-af-sagerne-paa-boerne", "folk1a_2020",
                     *a_rate["source"].dropna())),
        "B": TaskforceScenario(
            key="B", label="SIMULERET B · handicap, 3,5 år", area="voksenhandicap", period="2020–1. halvår 2023",
            years=3.5, counts=counts_b.set_index("kommune"), reference=float(b_rates["omg_pct"].mean()) / 100,
            total_per_year=total_b, matches_selection=True,
            sources=("seed_solrod_2024", "folk1a_2020", *dict.fromkeys(b_rates["source"].dropna()))),
    }


def calibration_check() -> pd.DataFrame:
    """Scenario B's calibrated national total per year against KL's counts of decided appeals.

    Scenario B spreads about 1.000 cases a year over the taskforce's *selected* paragraphs of
    the voksenhandicap area. KL (quoting Ankestyrelsen) counts all decided voksenhandicap
    appeals: 721–1.299 a year, afviste included. A subset cannot have more cases than the whole,
    so ``ratio`` above 1 means the calibration puts too many cases on the other kommuner (Solrød
    had more cases per inhabitant than average), and the real map has *more* small counts than
    scenario B: the noise the notebooks find is then, if anything, understated.

    Returns
    -------
    DataFrame
        One row per year with a KL count: ``year``, ``kl_decided`` (all voksenhandicap appeals
        decided), ``calibrated`` (scenario B's total a year), ``ratio`` and ``source``.

    Examples
    --------
    >>> check = calibration_check()
    >>> check[["year", "kl_decided", "calibrated"]].to_string(index=False)
    'year  kl_decided  calibrated\\n2015        1118        1002\\n2018        1299        1002\\n2022         950        1002\\n2023         721        1002'
    """
    nat = load_national()
    kl = nat[(nat["area"] == "voksenhandicap") & nat["n"].notna()].sort_values("period")
    total = taskforce_scenarios()["B"].total_per_year
    return pd.DataFrame({"year": kl["period"].to_numpy(), "kl_decided": kl["n"].astype(int).to_numpy(),
                         "calibrated": total, "ratio": total / kl["n"].astype(float).to_numpy(),
                         "source": kl["source"].to_numpy()})


def _citations() -> pd.DataFrame:
    return pd.read_csv(data_path("citations.csv"), dtype=str).fillna("").set_index("key")


def citation(key) -> str:
    """A readable citation for a source key: "Solrød Kommune 2024"; a pooled key "a+b" gives both.

    A download's own key (``talportal:data.csv``) is cited by agency and file. Unknown keys
    raise :class:`DataError`.

    Examples
    --------
    >>> citation("seed_solrod_2024")
    'Solrød Kommune 2024'
    >>> citation("sm.dk:nye-danmarkskort-over-ankestyrelsens-omgoerelses+cfdblogger.dk")
    'Social- og Boligministeriet 2022; cfdblogger.dk u.å.'
    """
    cites = _citations()
    out = []
    for part in str(key).split("+"):
        if part in cites.index:
            out.append(cites.loc[part, "citation"])
        else:
            row = describe_sources([part]).iloc[0]  # a download: the agency and the file
            out.append(f"{row['publisher']}, {row['title']}")
    return "; ".join(dict.fromkeys(out))


def reference_list(keys) -> pd.DataFrame:
    """The full list of the sources behind *keys*, one row per source, ordered by citation.

    For the end of a notebook: the reader sees the citation used in the text and tables, who
    published the source, its title (with its Danish letters), the date and where to find it.
    The column names are Danish because this table is for the reader.

    Examples
    --------
    >>> reference_list(["seed_solrod_2024", "folk1a_2020"])["henvisning"].tolist()
    ['Danmarks Statistik 2020', 'Solrød Kommune 2024']
    """
    cites = _citations()
    parts = [p for key in keys if isinstance(key, str) and key for p in key.split("+")]
    rows = []
    for _, src in describe_sources(dict.fromkeys(parts)).iterrows():
        known = src["key"] in cites.index
        rows.append({"henvisning": citation(src["key"]), "udgiver": src["publisher"],
                     "titel": cites.loc[src["key"], "title"] if known else src["title"],
                     "dato": date_da(src["date"]), "adresse eller dokument": src["url_or_document"]})
    out = pd.DataFrame(rows, columns=["henvisning", "udgiver", "titel", "dato", "adresse eller dokument"])
    return out.sort_values("henvisning", key=lambda s: s.str.casefold()).reset_index(drop=True)


def claims_table(notebook: str) -> pd.DataFrame:
    """The claims a notebook tests, as the reader sees them: each in its document's own words.

    One row per claim of ``data/claims.csv`` whose ``notebook`` is *notebook*: the area and
    period in Danish words, the quotation as «…» (verbatim from the document) and the readable
    citation. The column names are Danish because this table is for the reader.

    Examples
    --------
    >>> claims_table("05_helsingor").iloc[0].tolist()
    ['voksenhandicap', '2024', '«Samme niveau ses i flertallet af kommuner.»', 'Helsingør Kommune 2025']
    """
    claims = load_claims()
    mine = claims[claims["notebook"] == notebook]
    if mine.empty:
        raise DataError(f"no claims for notebook {notebook!r}", file="claims.csv", column="notebook")
    return pd.DataFrame({
        "område": [" og ".join(_AREAS.get(a, a) for a in area.split("/")) for area in mine["area"]],
        "periode": [period_name(p) for p in mine["period"]],
        "citat": [f"«{q}»" for q in mine["quote"]],
        "kilde": [citation(s) for s in mine["source"]],
    }, index=pd.RangeIndex(1, len(mine) + 1, name="påstand"))


def _root(f, what: str) -> float:
    lo, hi = 1e-6, 1 - 1e-6
    if np.sign(f(lo)) == np.sign(f(hi)):
        raise DataError(f"no reference rate between 0 and 1 makes {what}")
    return float(optimize.brentq(f, lo, hi, xtol=1e-12, rtol=1e-12))


def majority_reference(k, n, *, strength=None, share: float = 0.5) -> float:
    """The national rate at which *share* of kommuner with *n* cases show *k* or more reversals.

    Solves ``prob_at_least(k, n, p, strength=strength) = share`` for *p* exactly (Brent's method
    to 1e-12), so a verdict that turns on "the level of most kommuner" can say where it turns.
    ``strength=None``: every kommune has the true rate *p*; a prior strength lets true rates vary.

    Examples
    --------
    >>> round(majority_reference(10, 22), 4)   # Helsingør: "10 of 22 or more" in half of the kommuner
    0.4329
    """
    return _root(lambda p: float(prob_at_least(k, n, p, strength=strength)) - share,
                 f"{share:g} of kommuner with {n} cases show {k} or more")


def reference_at_probability(k, n, *, strength: float, probability: float = 0.5) -> float:
    """The reference rate at which a kommune with *k* of *n* is above it with the given probability.

    Solves ``P(true rate > p) = probability`` for *p*, with the prior ``Beta`` centred on *p*
    with the given *strength* (as :func:`danmark.prob_above`), exactly (Brent's method to
    1e-12): for any reference below the rate found, the kommune is above it with at least that
    probability. With ``probability=0.5`` it is the rate above which the kommune is more likely
    below than above.

    Examples
    --------
    >>> round(reference_at_probability(10, 14, strength=30, probability=0.9), 4)   # Solrød, strength 30
    0.4116
    """
    def f(p):
        prior = BetaPrior.from_mean(p, strength)
        return float(prob_above(k, n, prior=prior, reference=p)["prob_above"].iloc[0]) - probability
    return _root(f, f"{k} of {n} above it with probability {probability:g}")
