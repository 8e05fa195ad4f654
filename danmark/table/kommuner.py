"""The 98 municipalities: codes, names, official names, regions and population; input matching.

:func:`normalize_kommune` turns any usual spelling or code into the
``(kommunekode, kommune)`` pair and is the single gate every reader uses;
:func:`official_name` gives the name a title or a table prints ("Københavns
Kommune", "Bornholms Regionskommune"). :func:`normalize_area` matches an area
as a user types it against the areas a table holds.

Matching is case-, accent- and punctuation-insensitive and accepts the usual
transliterations: æ/ae, ø/oe/o, å/aa/a (``Solroed``, ``Koege``, ``Aeroe``,
``Hoeje-Taastrup``, ``Aarhus``/``Århus``); no two of the 98 names share a key.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

import pandas as pd

from .._paths import data_path
from ..errors import DataError
from .schema import NATIONAL_CODE

__all__ = ["normalize_kommune", "municipalities", "official_name", "normalize_area", "NATIONAL_CODE", "NATIONAL_NAME",
           "by_code"]

#: the name of the national total (kommunekode :data:`~danmark.table.schema.NATIONAL_CODE`)
NATIONAL_NAME = "Hele landet"

# spellings seen in Ankestyrelsen's, Danmarks Statistik's and the press's tables
_ALIASES = {
    "arhus": "Aarhus",
    "alborg": "Aalborg",
    "nordfyn": "Nordfyns",
    "bornholms regionskommune": "Bornholm",
    "bornholms": "Bornholm",
    "regionskommune bornholm": "Bornholm",
    "kobenhavns": "København",
    "copenhagen": "København",
    "frederiksbergs": "Frederiksberg",
    "faaborg midtfyn": "Faaborg-Midtfyn",
    "ringkobing skjern": "Ringkøbing-Skjern",
    "ikast brande": "Ikast-Brande",
    "lyngby taarbaek": "Lyngby-Taarbæk",
    "hoje taastrup": "Høje-Taastrup",
    "vesthimmerland": "Vesthimmerlands",
    "helsingoer": "Helsingør",
}
_NATIONAL = {"hele landet", "landsplan", "danmark", "i alt", "total", "hele danmark", "landet"}


def _key(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key; "Kommune" before or after is dropped.

    æ/ä → ae, ø/ö → oe, å → aa, then aa → a, oe → o, so that "Solrød",
    "Solroed" and "Solrod" share one key, as do "Ærø" and "Aeroe", "Århus" and
    "Aarhus".
    """
    s = _fold_letters(name)
    s = re.sub(r"[\s\-–_.,/]+", " ", s).strip()
    s = re.sub(r"^(kommune\s+)|(\s+kommune)$", "", s).strip()
    return s


def _fold_letters(text) -> str:
    s = str(text).strip().lower()
    for a, b in (("æ", "ae"), ("ä", "ae"), ("ø", "oe"), ("ö", "oe"), ("å", "aa")):
        s = s.replace(a, b)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("aa", "a").replace("oe", "o")


@functools.lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    kom = pd.read_csv(data_path("kommuner.csv"), dtype={"kommunekode": str})
    kom["kommunekode"] = kom["kommunekode"].str.zfill(3)
    return kom


@functools.lru_cache(maxsize=1)
def _lookup() -> dict[str, tuple[str, str]]:
    kom = _table()
    out: dict[str, tuple[str, str]] = {}
    for code, name, official in zip(kom["kommunekode"], kom["kommune"], kom["official_name"], strict=True):
        for key in (_key(name), _key(official)):
            if out.setdefault(key, (code, name)) != (code, name):
                raise DataError(f"kommuner.csv: {name!r} and {out[key][1]!r} share the matching key {key!r}")
    by_name = {name: (code, name) for code, name in zip(kom["kommunekode"], kom["kommune"], strict=True)}
    for alias, official in _ALIASES.items():
        out[_key(alias)] = by_name[official]
    return out


def normalize_kommune(name_or_code, *, allow_national: bool = False, file=None, row=None, column=None):
    """Return ``(kommunekode, kommune)`` for a municipality name or code.

    Case-insensitive; "Kommune" may be added before or after; old and new
    spellings and transliterations are accepted (Århus/Aarhus, Ålborg/Aalborg,
    Høje Taastrup/Hoeje-Taastrup, Lyngby Taarbæk, Nordfyn/Nordfyns, Solroed,
    Koege, Aeroe), and so are the official names ("Københavns Kommune",
    "Bornholms Regionskommune"). Codes may be int or string, with or without a
    leading zero (269, "269", "0269").

    With ``allow_national=True`` "Hele landet" (and "landsplan") map to
    ``("000", "Hele landet")``, the national total.

    Raises :class:`DataError` for anything else, suggesting the closest
    official names; bytes (even valid UTF-8, ``b"269"``) are refused too:
    decode them first.

    Examples
    --------
    >>> normalize_kommune("Århus Kommune")
    ('751', 'Aarhus')
    >>> normalize_kommune(269)
    ('269', 'Solrød')
    >>> normalize_kommune("høje taastrup")
    ('169', 'Høje-Taastrup')
    >>> normalize_kommune("Aeroe")
    ('492', 'Ærø')
    """
    if isinstance(name_or_code, bool) or name_or_code is None or (
        isinstance(name_or_code, float) and name_or_code != name_or_code
    ):
        raise DataError(f"missing municipality name or code: {name_or_code!r}", file=file, row=row, column=column)
    if isinstance(name_or_code, bytes | bytearray | memoryview):
        shown = repr(bytes(name_or_code)[:40])
        raise DataError(f"municipality {shown} is bytes, not text: decode it first (value.decode('utf-8')); bytes "
                        "are never read as a name or code", file=file, row=row, column=column)
    text = str(name_or_code).strip()
    if isinstance(name_or_code, int | float) and float(name_or_code).is_integer():
        text = str(int(name_or_code))
    if re.fullmatch(r"\d{1,4}", text):
        code = text.lstrip("0").zfill(3) if text.strip("0") else NATIONAL_CODE
        if code == NATIONAL_CODE and allow_national:
            return NATIONAL_CODE, NATIONAL_NAME
        kom = _table()
        hit = kom.loc[kom["kommunekode"] == code]
        if len(hit) == 1:
            return code, hit["kommune"].iloc[0]
        raise DataError(f"unknown kommunekode {name_or_code!r}: not one of the 98 municipal codes", file=file, row=row, column=column)
    key = _key(text)
    if allow_national and key in _NATIONAL:
        return NATIONAL_CODE, NATIONAL_NAME
    hit = _lookup().get(key)
    if hit is not None:
        return hit
    names = list(_table()["kommune"])
    close = difflib.get_close_matches(text.title(), names, n=3, cutoff=0.5)
    if not close:
        keyed = {_key(n): n for n in names}
        close = [keyed[k] for k in difflib.get_close_matches(key, list(keyed), n=3, cutoff=0.5)]
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    if "Ã" in text or "Â" in text:
        hint += " (the text looks like UTF-8 read as Latin-1: check the file's encoding)"
    shown = repr(name_or_code)
    if len(shown) > 80:
        shown = f"{shown[:60]}… ({len(str(name_or_code)):,} characters)"
    raise DataError(f"unknown municipality {shown}{hint}", file=file, row=row, column=column)


def municipalities() -> pd.DataFrame:
    """The 98 municipalities with official name, region and population on 1 January 2020.

    Returns
    -------
    DataFrame with columns ``kommunekode`` (3-digit string), ``kommune``
    (the short name the tables print, e.g. "København"), ``region``,
    ``official_name`` (e.g. "Københavns Kommune", "Bornholms
    Regionskommune", "Solrød Kommune") and ``population`` (FOLK1A 2020K1),
    one row per municipality, in code order. Sources: ``data/sources.csv``
    keys ``dagi_kommuner``, ``dst_kommuner_navne`` and ``folk1a_2020``.

    Examples
    --------
    >>> m = municipalities()
    >>> len(m), int(m["population"].sum())
    (98, 5822679)
    >>> m.loc[m["kommunekode"] == "400", "official_name"].item()
    'Bornholms Regionskommune'
    """
    return _municipalities().copy()


@functools.lru_cache(maxsize=1)
def _municipalities() -> pd.DataFrame:
    """The table :func:`municipalities` returns copies of (read once per process)."""
    pop = pd.read_csv(data_path("folketal_2020.csv"), dtype={"kommunekode": str})
    pop["kommunekode"] = pop["kommunekode"].str.zfill(3)
    out = _table().merge(pop[["kommunekode", "population"]], on="kommunekode", how="left", validate="1:1")
    return out.sort_values("kommunekode", key=lambda s: s.astype(int)).reset_index(drop=True)


def official_name(kommune_or_code) -> str:
    """The official name of a municipality, as titles, headings and tables print it.

    Accepts anything :func:`normalize_kommune` accepts (a name in any usual
    spelling, an official name, a code). "Hele landet" (code ``"000"``) gives
    "Hele landet". Source: Danmarks Statistik's classification of
    municipalities (``data/sources.csv`` key ``dst_kommuner_navne``).

    Raises :class:`DataError` for a name or code that is not a municipality.

    Examples
    --------
    >>> official_name("København")
    'Københavns Kommune'
    >>> official_name(400)
    'Bornholms Regionskommune'
    >>> official_name("Solroed")
    'Solrød Kommune'
    """
    code, _ = normalize_kommune(kommune_or_code, allow_national=True)
    if code == NATIONAL_CODE:
        return NATIONAL_NAME
    return _official()[code]


@functools.lru_cache(maxsize=1)
def _official() -> dict[str, str]:
    return by_code("official_name")


def by_code(column: str) -> dict[str, str]:
    """A new dict from kommunekode to *column* (``"kommune"``, ``"region"`` or ``"official_name"``).

    The 98 municipalities of the bundled ``kommuner.csv``; the caller may add
    to the dict (the national total, say) without changing the table.

    Examples
    --------
    >>> regions = by_code("region")
    >>> len(regions), regions["269"]
    (98, 'Region Sjælland')
    """
    kom = _table()
    return dict(zip(kom["kommunekode"], kom[column], strict=True))


# --------------------------------------------------------------------------- areas

#: other ways of writing the Danmarkskort areas (matching key -> area code):
#: the Talportal's Sagsemne texts, the CLI's and the figures' Danish labels
_AREA_ALIASES = {
    "socialomradet": "socialomraadet",
    "bornehandicap": "boernehandicap",
    "born med handicap": "boernehandicap",
    "bornehandicapomradet": "boernehandicap",
    "voksenhandicap": "voksenhandicap",
    "voksne med handicap": "voksenhandicap",
    "voksenhandicapomradet": "voksenhandicap",
    "social og beskaeftigelsesomradet i alt": "kommunale_social_beskaeftigelse_i_alt",
    "lov om aktiv beskaeftigelsesindsats": "lov_om_aktiv_beskaeftigelsesindsats",
    "lov om social pension": "lov_om_social_pension",
    "ovrige sagsomrader": "oevrige_sagsomraader",
}


def _area_key(text) -> str:
    return re.sub(r"[^a-z0-9]+", " ", _fold_letters(text)).strip()


def normalize_area(text, known_areas) -> str:
    """The area among *known_areas* that *text* names, in any case or spelling.

    *known_areas* are the ``area`` labels a table holds (``"voksenhandicap"``,
    ``"boernehandicap"``, ``"socialomraadet"`` in the bundled data; the
    Talportal's Sagsemne, e.g. ``"Børnehandicap - merudgifter - § 41"``, in a
    download). *text* matches an area when both read the same ignoring case,
    accents, punctuation and the æ/ae, ø/oe, å/aa spellings, or when *text* is
    one of the usual names of a Danmarkskort area ("Børnehandicap", "Børn med
    handicap", "Socialområdet", as the CLI and the figures print them). An
    exact match wins.

    Raises
    ------
    DataError
        When *text* names none of *known_areas* (or more than one), listing
        the known ones.

    Examples
    --------
    >>> normalize_area("Børnehandicap", ["boernehandicap", "voksenhandicap"])
    'boernehandicap'
    >>> normalize_area("socialområdet", ["socialomraadet"])
    'socialomraadet'
    >>> normalize_area("børnehandicap - merudgifter - § 41", ["Børnehandicap - merudgifter - § 41"])
    'Børnehandicap - merudgifter - § 41'
    """
    known = list(dict.fromkeys(str(a) for a in known_areas if a is not None and str(a).strip()))
    if text is None or isinstance(text, bool) or not str(text).strip():
        raise DataError(f"missing area: {text!r}; known areas: {_listed(known)}")
    text = str(text)
    if text in known:
        return text
    key = _area_key(text)
    keys = {key, _area_key(_AREA_ALIASES.get(key, key))}
    for pass_keys in ({key}, keys):
        hits = [a for a in known if _area_key(a) in pass_keys
                or _area_key(_AREA_ALIASES.get(_area_key(a), a)) in pass_keys]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise DataError(f"area {text!r} matches more than one area: {_listed(hits)}")
    shown = text if len(text) <= 80 else f"{text[:60]}… ({len(text):,} characters)"
    raise DataError(f"unknown area {shown!r}; known areas: {_listed(known)}")


def _listed(areas) -> str:
    return ", ".join(repr(a) for a in areas) if areas else "none"
