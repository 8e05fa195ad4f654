"""Loaders for the real figures bundled in ``data/`` (see ``data/README.md``).

Every row names its ``source``, a key into :func:`load_sources`. Nothing here
is simulated: the bundle holds only published numbers, and where a source gave
a percentage or a bound but no counts, the figure lives in
:func:`load_published_rates`, never as made-up counts.
"""

from __future__ import annotations

import functools
import json

import numpy as np
import pandas as pd

from .._paths import data_path
from ..errors import DataError
from ..table.kommuner import by_code
from ..table.periods import parse_period
from ..table.schema import with_rates
from .tidy_csv import validate_cases

__all__ = [
    "load_cases", "load_national", "load_published_rates", "load_claims",
    "load_sources", "load_boundaries", "national_rate",
]


@functools.lru_cache(maxsize=1)
def _cases() -> pd.DataFrame:
    path = data_path("cases.csv")
    raw = pd.read_csv(path, dtype={"kommunekode": str}, keep_default_na=True)
    return validate_cases(raw, file=path)


def load_cases(*, rates: bool = True) -> pd.DataFrame:
    """Bundled appeal outcomes with full counts, in the tidy schema.

    Parameters
    ----------
    rates : bool
        Add the derived columns ``n``, ``omgjort`` and ``omg_pct`` (default).

    Returns
    -------
    DataFrame
        The columns of :data:`danmark.schema.CASE_COLUMNS` plus
        ``area_as_published`` (the source's own wording), ``status`` and
        ``note``. Only figures printed by a source (or the seed documents)
        are here; see ``data/sources.csv`` for each ``source`` key.

    Examples
    --------
    >>> cases = load_cases()
    >>> solrod = cases[cases["kommune"] == "Solrød"].iloc[0]
    >>> int(solrod["omgjort"]), int(solrod["n"]), solrod["source"]
    (10, 14, 'seed_solrod_2024')
    """
    cases = _cases().copy()
    return with_rates(cases) if rates else cases


def load_national(*, preferred_only: bool = False) -> pd.DataFrame:
    """National (landsplan) omgørelsesprocent by period and area.

    Returns
    -------
    DataFrame
        ``period``, ``area``, ``scope``, ``n`` (cases, nullable; ``n_type``
        says which kind), ``pct_aendret``, ``pct_hjemvist``,
        ``pct_stadfaestet``, ``omg_pct`` (all in percent, as printed),
        ``status``, ``source``, ``source_type``, ``note`` and ``preferred``:
        where several sources give a figure for the same period and area,
        all rows are kept and exactly one is marked preferred (official
        before news before secondary, then the most precise). Last, the
        same figures as proportions in [0, 1], as every danmark function and
        figure takes rates: ``raw`` (= omg_pct / 100), ``raw_aendret``,
        ``raw_hjemvist``.

    Examples
    --------
    >>> nat = load_national(preferred_only=True)
    >>> float(nat.query("area == 'voksenhandicap' and period == '2020'")["omg_pct"].iloc[0])
    42.4
    """
    nat = _national().copy()
    if preferred_only:
        nat = nat[nat["preferred"]].reset_index(drop=True)
    return nat


@functools.lru_cache(maxsize=1)
def _national() -> pd.DataFrame:
    path = data_path("national.csv")
    nat = pd.read_csv(path, dtype={"period": str})
    nat["n"] = nat["n"].astype("Int64")
    nat["preferred"] = nat["preferred"].astype(bool)
    bounds = [parse_period(p, file=path, row=i + 2, column="period") for i, p in enumerate(nat["period"])]
    nat.insert(1, "period_start", pd.to_datetime([b[1] for b in bounds]))
    nat.insert(2, "period_end", pd.to_datetime([b[2] for b in bounds]))
    _check_sources(nat, path)
    for col, pct in (("raw", "omg_pct"), ("raw_aendret", "pct_aendret"), ("raw_hjemvist", "pct_hjemvist")):
        nat[col] = nat[pct] / 100.0
    return nat


def load_published_rates(*, preferred_only: bool = False) -> pd.DataFrame:
    """Municipal figures published without the full three-way split.

    Percentages, bounds ("> 55 %"), totals and partial counts as printed by
    the press and the municipalities, 2016 onwards, plus Solrød's
    paragraph-level figures. Use these to read or to check, not as counts:
    a percentage cannot be turned back into counts without its ``n``.

    Returns
    -------
    DataFrame
        ``kommunekode``, ``kommune``, ``region``, ``period``, ``area``
        (normalised when the source names a Danmarkskort area),
        ``area_as_published``, nullable counts ``n``, ``omgjort``,
        ``aendret``, ``hjemvist``, ``stadfaestet``, ``afvist``;
        percentages ``omg_pct``, ``pct_aendret``, ``pct_hjemvist``,
        ``national_omg_pct``; ``omg_pct_bound`` (text such as ">55");
        ``status``, ``preferred``, ``source``, ``note``.

    Examples
    --------
    >>> pub = load_published_rates()
    >>> pub.query("kommune == 'Solrød' and omg_pct == 100")[["area", "n"]].shape
    (2, 2)
    """
    pub = _published().copy()
    if preferred_only:
        pub = pub[pub["preferred"]].reset_index(drop=True)
    return pub


@functools.lru_cache(maxsize=1)
def _published() -> pd.DataFrame:
    path = data_path("published_rates.csv")
    pub = pd.read_csv(path, dtype={"kommunekode": str, "period": str, "omg_pct_bound": str})
    for c in ("n", "omgjort", "aendret", "hjemvist", "stadfaestet", "afvist"):
        pub[c] = pub[c].astype("Int64")
    pub["preferred"] = pub["preferred"].astype(bool)
    regions = by_code("region")
    pub.insert(2, "region", pub["kommunekode"].map(regions))
    if pub["region"].isna().any():
        row = int(np.flatnonzero(pub["region"].isna().to_numpy())[0])
        raise DataError("unknown kommunekode", file=path, row=row + 2, column="kommunekode")
    _check_sources(pub, path)
    return pub


def load_claims() -> pd.DataFrame:
    """The municipalities' and the ministry's claims that the notebooks test.

    Returns
    -------
    DataFrame
        ``claim_id``, ``kommune``, ``period``, ``area``, ``source`` (a seed
        document in ``data/sources.csv``), ``notebook``, ``claim`` (our
        paraphrase) and ``quote`` (a few words of the original Danish).

    Examples
    --------
    >>> "odsherred_audit" in set(load_claims()["claim_id"])
    True
    """
    path = data_path("claims.csv")
    claims = pd.read_csv(path, dtype=str)
    _check_sources(claims, path)
    return claims


@functools.lru_cache(maxsize=1)
def _sources() -> pd.DataFrame:
    return pd.read_csv(data_path("sources.csv"), dtype=str).fillna("")


def load_sources() -> pd.DataFrame:
    """The bibliography of every number in the bundle.

    Returns
    -------
    DataFrame
        ``key``, ``publisher``, ``title``, ``date``, ``url_or_document``,
        ``kind`` (read or derived), ``source_type``, ``note``.

    Examples
    --------
    >>> src = load_sources().set_index("key")
    >>> src.loc["seed_solrod_2024", "publisher"]
    'Solrød Kommune'
    """
    return _sources().copy()


#: how a download's source key ("talportal:<file>") is described
_DOWNLOADS = {
    "talportal": ("Ankestyrelsen", "Talportal, Sagsudfald og omgørelsesprocenter (KSB-sager), download",
                  "Ankestyrelsens Talportal (ast.dk)"),
    "statbank": ("Danmarks Statistik", "Statistikbanken ANKEAST1/ANKEAST2, download",
                 "statistikbanken.dk"),
}


def describe_sources(keys) -> pd.DataFrame:
    """The bibliography rows for *keys*: the bundle's sources and the downloads a table was read from.

    A key of a row read from a file (``"talportal:data.csv"``, ``"statbank:ANKEAST1.csv"``) is
    described by the agency and the file's name; a pooled key ("a+b") by each of its parts.
    Unknown keys raise :class:`DataError`.

    Examples
    --------
    >>> describe_sources(["seed_solrod_2024", "talportal:data.csv"])[["key", "publisher"]]
                      key        publisher
    0    seed_solrod_2024  Solrød Kommune
    1  talportal:data.csv    Ankestyrelsen
    """
    bundle = _sources().set_index("key")
    rows = []
    for key in dict.fromkeys(k for whole in keys for k in str(whole).split("+") if k):
        prefix, _, name = key.partition(":")
        if key in bundle.index:
            rows.append({"key": key, **bundle.loc[key].to_dict()})
        elif prefix in _DOWNLOADS and name:
            publisher, title, where = _DOWNLOADS[prefix]
            rows.append({"key": key, "publisher": publisher, "title": f"{title}: {name}", "date": "",
                         "url_or_document": where, "kind": "read", "source_type": "official", "note": ""})
        else:
            raise DataError(f"unknown source key {key!r}: not in data/sources.csv and not a download; name a "
                            f"bundled source (danmark.load_sources()) or the file the counts came from, as "
                            f"{', '.join(repr(p + ':FILE') for p in _DOWNLOADS)}", column="source")
    return pd.DataFrame(rows, columns=["key", *bundle.columns])


def _check_sources(df: pd.DataFrame, path) -> None:
    known = set(_sources()["key"])
    missing = ~df["source"].isin(known)
    if missing.any():
        row = int(np.flatnonzero(missing.to_numpy())[0])
        raise DataError(
            f"source key {df['source'].iloc[row]!r} is not in data/sources.csv",
            file=path, row=row + 2, column="source",
        )


def load_boundaries() -> dict:
    """Municipality boundaries as a GeoJSON FeatureCollection (WGS84 lon/lat).

    Each feature's ``properties`` include ``kommunekode`` (3-digit string).
    Simplified for maps (source key ``dagi_geo``).

    Examples
    --------
    >>> len(load_boundaries()["features"])
    98
    """
    with open(data_path("geo/kommuner.geojson"), encoding="utf-8") as fh:
        return json.load(fh)


def national_rate(area: str, period) -> pd.DataFrame:
    """The preferred national omgørelsesprocent for *area* in each year of *period*.

    Parameters
    ----------
    area : str
        "socialomraadet", "boernehandicap", "voksenhandicap", ...
    period : str
        Any label :func:`danmark.periods.parse_period` reads; every calendar
        year it touches is looked up ("2020-2023H1" → 2020, 2021, 2022, 2023).

    Returns
    -------
    DataFrame
        One row per year: ``period``, ``omg_pct`` (NaN where no figure is
        bundled), ``pct_aendret``, ``pct_hjemvist``, ``source``.

    Examples
    --------
    >>> national_rate("voksenhandicap", "2020-2023H1")[["period", "omg_pct"]]
      period  omg_pct
    0   2020     42.4
    1   2021     34.3
    2   2022     38.9
    3   2023      NaN
    """
    _, start, end = parse_period(period)
    nat = load_national(preferred_only=True)
    nat = nat[(nat["area"] == area) & (nat["period"].str.fullmatch(r"\d{4}"))].set_index("period")
    rows = []
    for year in range(start.year, end.year + 1):
        key = str(year)
        if key in nat.index:
            r = nat.loc[key]
            rows.append({"period": key, "omg_pct": r["omg_pct"], "pct_aendret": r["pct_aendret"],
                         "pct_hjemvist": r["pct_hjemvist"], "source": r["source"]})
        else:
            rows.append({"period": key, "omg_pct": np.nan, "pct_aendret": np.nan,
                         "pct_hjemvist": np.nan, "source": None})
    return pd.DataFrame(rows)
