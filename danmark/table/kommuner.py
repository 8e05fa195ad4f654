"""The 98 municipalities: codes, official names, regions and population.

:func:`normalize_kommune` turns any usual spelling or code into the official
``(kommunekode, kommune)`` pair and is the single gate every reader uses.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

import pandas as pd

from .._paths import data_path
from ..errors import DataError

__all__ = ["normalize_kommune", "municipalities", "NATIONAL_CODE", "NATIONAL_NAME"]

#: kommunekode used for national totals ("Hele landet") in the tidy table
NATIONAL_CODE = "000"
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
    """Case-, accent- and punctuation-insensitive key (æ→ae, ø→o, å→a)."""
    s = str(name).strip().lower()
    s = s.replace("æ", "ae").replace("ø", "o").replace("å", "a").replace("aa", "a")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[\s\-–_.,/]+", " ", s).strip()
    s = re.sub(r"^(kommune\s+)|(\s+kommune)$", "", s).strip()
    return s


@functools.lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    kom = pd.read_csv(data_path("kommuner.csv"), dtype={"kommunekode": str})
    kom["kommunekode"] = kom["kommunekode"].str.zfill(3)
    return kom


@functools.lru_cache(maxsize=1)
def _lookup() -> dict[str, tuple[str, str]]:
    kom = _table()
    out: dict[str, tuple[str, str]] = {}
    for code, name in zip(kom["kommunekode"], kom["kommune"], strict=True):
        out[_key(name)] = (code, name)
    by_name = {name: (code, name) for code, name in zip(kom["kommunekode"], kom["kommune"], strict=True)}
    for alias, official in _ALIASES.items():
        out[_key(alias)] = by_name[official]
    return out


def normalize_kommune(name_or_code, *, allow_national: bool = False, file=None, row=None, column=None):
    """Return ``(kommunekode, kommune)`` for a municipality name or code.

    Case-insensitive; "Kommune" may be added before or after; old and new
    spellings are accepted (Århus/Aarhus, Ålborg/Aalborg, Høje Taastrup,
    Lyngby Taarbæk, Nordfyn/Nordfyns, "Bornholms Regionskommune"). Codes may
    be int or string, with or without a leading zero (269, "269", "0269").

    With ``allow_national=True`` "Hele landet" (and "landsplan") map to
    ``("000", "Hele landet")``, the national total.

    Raises :class:`DataError` for anything else, suggesting the closest
    official names.

    Examples
    --------
    >>> normalize_kommune("Århus Kommune")
    ('751', 'Aarhus')
    >>> normalize_kommune(269)
    ('269', 'Solrød')
    >>> normalize_kommune("høje taastrup")
    ('169', 'Høje-Taastrup')
    """
    if isinstance(name_or_code, bool) or name_or_code is None or (
        isinstance(name_or_code, float) and name_or_code != name_or_code
    ):
        raise DataError(f"missing municipality name or code: {name_or_code!r}", file=file, row=row, column=column)
    text = str(name_or_code).strip()
    if isinstance(name_or_code, int | float) and float(name_or_code).is_integer():
        text = str(int(name_or_code))
    if re.fullmatch(r"\d{1,4}", text):
        code = text.lstrip("0").zfill(3) if text.strip("0") else "000"
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
    """The 98 municipalities with region and population on 1 January 2020.

    Returns
    -------
    DataFrame with columns ``kommunekode`` (3-digit string), ``kommune``
    (official name), ``region`` and ``population`` (FOLK1A 2020K1), one row
    per municipality, in code order. Sources: ``data/sources.csv`` keys
    ``dagi_kommuner`` and ``folk1a_2020``.

    Examples
    --------
    >>> m = municipalities()
    >>> len(m), int(m["population"].sum())
    (98, 5822679)
    """
    kom = _table().copy()
    pop = pd.read_csv(data_path("folketal_2020.csv"), dtype={"kommunekode": str})
    pop["kommunekode"] = pop["kommunekode"].str.zfill(3)
    out = kom.merge(pop[["kommunekode", "population"]], on="kommunekode", how="left", validate="1:1")
    return out.sort_values("kommunekode", key=lambda s: s.astype(int)).reset_index(drop=True)
