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

from pandas import NA as _NA

from .display import danish_number
from .kommuner import official_name as listed_official_name

__all__ = ["FLAGS", "flag_da", "pct", "interval", "whole", "num", "period_da", "area_da", "cases", "level_pct", "join_da",
           "official_name", "missing", "date_da", "source_da"]

_AREAS = {"voksenhandicap": "voksenhandicap", "boernehandicap": "børnehandicap", "socialomraadet": "socialområdet",
          "serviceloven_klagestatistik": "serviceloven i alt (klagestatistik)",
          "social_og_beskaeftigelse_i_alt": "social- og beskæftigelsesområdet i alt",
          "kommunale_social_beskaeftigelse_i_alt": "social- og beskæftigelsesområdet i alt",
          "lov_om_aktiv_beskaeftigelsesindsats": "lov om aktiv beskæftigelsesindsats",
          "lov_om_social_pension": "lov om social pension", "oevrige_sagsomraader": "øvrige sagsområder"}
_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
           "november", "december")
#: the funnel flags (funnel_flags' strings) in Danish words
FLAGS = {"within": "inden for grænserne", "above 95%": "over 95 %-grænsen", "above 99.8%": "over 99,8 %-grænsen",
         "below 95%": "under 95 %-grænsen", "below 99.8%": "under 99,8 %-grænsen"}


def missing_text(x) -> bool:
    """None, NaN or <NA>: no word to show."""
    if x is None or x is _NA:
        return True
    return isinstance(x, float) and math.isnan(x)


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


def period_da(label) -> str:
    """A period label in Danish words: '2020-2023H1' -> '2020–1. halvår 2023', '2022Q4' -> '4. kvartal 2022',
    '2024M03' -> 'marts 2024'."""
    def one(p):
        m = re.fullmatch(r"(\d{4})([HQM])(\d{1,2})", p.strip())
        if not m:
            return p.strip()
        y, kind, k = m.groups()
        return {"H": f"{int(k)}. halvår {y}", "Q": f"{int(k)}. kvartal {y}", "M": f"{_MONTHS[int(k) - 1]} {y}"}[kind]

    return "–".join(one(p) for p in str(label).split("-"))


def flag_da(flag) -> str:
    """A funnel flag in Danish words: 'above 99.8%' -> 'over 99,8 %-grænsen'; missing: ''."""
    return "" if missing_text(flag) else FLAGS.get(str(flag), str(flag))


def area_da(area) -> str:
    """The area as a reader knows it: 'boernehandicap' -> 'børnehandicap'; a Sagsemne text as it is."""
    return _AREAS.get(str(area), str(area).replace("_", " ") if str(area).islower() else str(area))


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


def date_da(value) -> str:
    """A source's date as a Danish reader writes it: "2024-03-06" -> "6. marts 2024"; a year or a
    month stays as written ("2025"), and no date is "".

    Examples
    --------
    >>> date_da("2024-03-06"), date_da("2025"), date_da("")
    ('6. marts 2024', '2025', '')
    """
    parts = str(value or "").strip().split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and 1 <= int(parts[1]) <= 12:
        return f"{int(parts[2])}. {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return str(value or "").strip()


def source_da(publisher, title, date="") -> str:
    """A source as a reader sees it: publisher, title (left out when it only repeats the publisher) and
    the date in Danish words.

    Examples
    --------
    >>> source_da("Solrød Kommune", "Vedr. taskforce-forløb", "2024-03-06")
    'Solrød Kommune: Vedr. taskforce-forløb (6. marts 2024)'
    >>> source_da("cfdblogger.dk", "cfdblogger.dk")
    'cfdblogger.dk'
    """
    text = str(publisher) if not title or title == publisher else f"{publisher}: {title}"
    day = date_da(date) if isinstance(date, str) else ""
    return f"{text} ({day})" if day else text

