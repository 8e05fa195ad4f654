"""Danish words for the report's numbers: percent, intervals, counts, periods, areas and names.

One place for the wording every surface shares (the report's reference sentence, the CLI, the
faktaark), built on :func:`danmark.danish_number`. Missing values read as a dash, never "nan".

Examples
--------
>>> pct(0.714), interval(0.419, 0.916), whole(12345), period_da("2020-2023H1")
('71,4 %', '41,9–91,6 %', '12.345', '2020–1. halvår 2023')
>>> cases(1, "realitetsbehandlet"), cases(14, "realitetsbehandlet"), level_pct(0.95)
('1 realitetsbehandlet sag', '14 realitetsbehandlede sager', '95 %')
"""

from __future__ import annotations

import math
import re

from ..table.display import danish_number
from ..table.kommuner import official_name as listed_official_name

__all__ = ["pct", "interval", "whole", "num", "period_da", "area_da", "cases", "level_pct", "join_da",
           "official_name", "missing"]

_AREAS = {"voksenhandicap": "voksenhandicap", "boernehandicap": "børnehandicap", "socialomraadet": "socialområdet",
          "serviceloven_klagestatistik": "serviceloven i alt (klagestatistik)",
          "social_og_beskaeftigelse_i_alt": "social- og beskæftigelsesområdet i alt"}


def missing(x) -> bool:
    """None, NaN, <NA> or an infinite number: nothing to show."""
    if x is None:
        return True
    try:
        return not math.isfinite(float(x))
    except (TypeError, ValueError):
        return True


def pct(x, digits: int = 1) -> str:
    """A proportion as Danish percent: 0.714 -> '71,4 %'; missing -> '–'."""
    return "–" if missing(x) else danish_number(float(x), decimals=digits, percent=True)


def interval(lower, upper, digits: int = 1) -> str:
    """An interval of proportions: '41,9–91,6 %'; a missing end -> '–' (never a half interval)."""
    if missing(lower) or missing(upper):
        return "–"
    return f"{pct(lower, digits)[:-2]}–{pct(upper, digits)}"


def whole(x) -> str:
    """A whole number with a thousands point: 12345 -> '12.345'."""
    return "–" if missing(x) else danish_number(int(round(float(x))))


def num(x, digits: int = 2) -> str:
    """A number with a decimal comma: 0.923 -> '0,92'."""
    return "–" if missing(x) else danish_number(float(x), decimals=digits)


def level_pct(level: float) -> str:
    """An interval level as Danish percent without needless decimals: 0.95 -> '95 %', 0.999 -> '99,9 %'."""
    text = f"{100 * float(level):.6f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')} %"


def period_da(label: str) -> str:
    """'2020-2023H1' -> '2020–1. halvår 2023', '2022Q4' -> '4. kvartal 2022'."""
    def one(p):
        y, kind, k = (re.fullmatch(r"(\d{4})([HQ])(\d)", p) or re.fullmatch(r"(.*)()()", p)).groups()
        return f"{k}. {'halvår' if kind == 'H' else 'kvartal'} {y}" if kind else y
    return "–".join(one(p) for p in str(label).split("-"))


def area_da(area: str) -> str:
    """The area as a reader knows it: 'boernehandicap' -> 'børnehandicap'; a Sagsemne text as it is."""
    return _AREAS.get(area, area)


def cases(n: int, adjective: str = "") -> str:
    """'1 sag', '14 sager'; with 'realitetsbehandlet': '1 realitetsbehandlet sag', '14 realitetsbehandlede sager'."""
    one = int(n) == 1
    adj = adjective if one or not adjective else adjective[:-2] + "ede" if adjective.endswith("et") else adjective + "e"
    return f"{whole(n)} {adj + ' ' if adj else ''}{'sag' if one else 'sager'}"


def join_da(items) -> str:
    """'a', 'a og b', 'a, b og c'."""
    items = [str(i) for i in items]
    return " og ".join(items) if len(items) < 3 else f"{', '.join(items[:-1])} og {items[-1]}"


def official_name(code: str, short: str | None = None) -> str:
    """The kommune's official name ('Københavns Kommune', 'Bornholms Regionskommune') from the kommune list
    (*short* is accepted for the callers that have it; the list decides)."""
    return listed_official_name(code)
