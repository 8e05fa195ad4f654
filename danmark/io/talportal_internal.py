"""The Talportal's internal data table, and what only it has: Aar and Kvartal.

The app's own data file (``data_ksb_..._spread.csv``) is ``;``-separated
UTF-8 with one row per Sagsemne × Kommune × periode and the columns
``Sagsemne``, ``Kommune``, ``Aar``, ``Kvartal``, ``periode``,
``Afvisning.Henvisning``, ``Hjemvisning``, ``Stadfæstelse``,
``Ændring.Ophævelse``, ``Antal_sager_ialt``, ``Sagsbehandlingstid``; an outcome
with no cases is ``.``. Its counts are read by
:mod:`danmark.io.talportal_measures` like the downloads' (``.`` = 0 cases,
stadfæstelse + ændring + hjemvisning = Antal_sager_ialt − Afvisning.Henvisning
checked, and = Antal_sager_ialt where Afvisning.Henvisning is ``.``); this module checks ``Aar`` and ``Kvartal`` against ``periode`` and
builds the period from them when ``periode`` is absent.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import DataError
from ..table.periods import parse_period
from ._raw import RawTable, TextColumn
from ._text import fold

__all__ = ["check_year_vs_period", "period_from_year", "unchecked_notes"]


def unchecked_notes(fields) -> list[str]:
    """Warnings for an internal table whose counts cannot be checked against its total."""
    internal = {fold(fields[f]) for f in ("stadfaestet", "aendret", "hjemvist") if f in fields}
    if not internal & {"stadfaestelse", "aendring_ophaevelse", "hjemvisning"} or "real" in fields:
        return []  # a download: its checks are its Realitetsbehandlede and rates
    if "afvist" not in fields:
        return [
            "the file has no Afvisning.Henvisning column, so stadfæstelse + ændring + "
            "hjemvisning = Antal_sager_ialt − Afvisning.Henvisning could not be checked (only "
            "that the three do not exceed Antal_sager_ialt); afvist is <NA>"
        ]
    if "total" not in fields:
        return [
            "the file has no Antal_sager_ialt column, so the counts could not be checked "
            "against the total (stadfæstelse + ændring + hjemvisning = Antal_sager_ialt − "
            "Afvisning.Henvisning)"
        ]
    return []


_KVARTAL = re.compile(r"\s*(?:[QK]\s*)?([1-4])\s*(?:\.?\s*kvartal)?\s*", re.IGNORECASE)


def _quarter(raw: RawTable, kv: TextColumn, u: int) -> str | None:
    """The quarter digit of a Kvartal text ("4", "4. kvartal", "K4"); None when empty."""
    text = kv.uniques[u]
    if text.strip() in ("", ".", "NA"):
        return None
    m = _KVARTAL.fullmatch(text)
    if m is None:
        pos = kv.first_pos(u)
        raise DataError(
            f"Kvartal {text!r} is not a quarter (1-4, or e.g. '4. kvartal')",
            file=raw.file, row=int(raw.lines[pos]), column=kv.label(pos),
        )
    return m.group(1)


def check_year_vs_period(raw: RawTable, fields, pidx, ptable, keep) -> None:
    """Where a row gives Aar (and Kvartal) next to periode, they must name the same period.

    An empty Aar or Kvartal says nothing; Aar alone must contain the periode
    (Aar 2022 with periode "2022 - 4. kvartal" is fine), Aar with a Kvartal
    must be that very quarter.
    """
    aar = raw.cols[fields["aar"]]
    kv = raw.cols.get(fields.get("kvartal", ""))
    nk = max(len(kv.uniques), 1) if kv is not None else 1
    npd = max(len(ptable), 1)
    key = aar.codes.astype(np.int64)
    key *= nk
    if kv is not None:
        key += kv.codes
    key *= npd
    key += pidx
    space = max(len(aar.uniques), 1) * nk * npd
    if space <= max(4 * len(key), 1 << 20):
        present = np.flatnonzero(np.bincount(key, minlength=space))
    else:
        present = pd.unique(key)
    years: dict[str, tuple | None] = {}
    quarters = [_quarter(raw, kv, u) for u in range(len(kv.uniques))] if kv is not None else []
    bad = []
    for k in present.tolist():
        a = aar.uniques[k // (nk * npd)]
        q_text = kv.uniques[(k // npd) % nk] if kv is not None else ""
        _, p_start, p_end = ptable[k % npd]
        if a == "":
            continue
        if a not in years:
            try:
                years[a] = parse_period(a)
            except DataError:
                years[a] = None
        if years[a] is None:
            bad.append((k, "aar", f"Aar {a!r} is not a year, so it cannot be checked against periode"))
            continue
        _, a_start, a_end = years[a]
        if not (a_start <= p_start and p_end <= a_end):
            bad.append((k, "aar", f"Aar {a!r} disagrees with periode"))
            continue
        q = quarters[(k // npd) % nk] if kv is not None else None
        if q is not None and re.fullmatch(r"\d{4}", a):
            _, q_start, q_end = parse_period(f"{a}Q{q}")
            if (q_start, q_end) != (p_start, p_end):
                bad.append((k, "kvartal", f"Aar {a!r} and Kvartal {q_text!r} disagree with periode"))
    # rows that are not read (regions, no decisions) are not held against the file
    first = {k: hit[0] for k, _, _ in bad if (hit := np.flatnonzero((key == k) & keep)).size}
    bad = [b for b in bad if b[0] in first]
    if not bad:
        return
    k, field, message = min(bad, key=lambda b: first[b[0]])
    pos = first[k]
    pcol = raw.cols[fields["periode"]]
    shown = pcol.uniques[pcol.codes[pos]]
    raise DataError(
        f"{message} {shown!r} ({ptable[k % npd][0]}) on this row: which period do its counts "
        "belong to? Correct the row, or drop the Aar and Kvartal columns to go by periode",
        file=raw.file,
        row=int(raw.lines[pos]),
        column=fields[field],
    )


def period_from_year(raw: RawTable, fields) -> TextColumn:
    """Build period texts from Aar (+ Kvartal) when the file has no periode column."""
    aar = raw.cols[fields["aar"]]
    kv = raw.cols.get(fields.get("kvartal", ""))
    kv_codes = kv.codes if kv is not None else np.zeros(raw.n, dtype=np.intp)
    kv_uniques = kv.uniques if kv is not None else np.array([""], dtype=object)
    pair = aar.codes.astype(np.int64) * max(len(kv_uniques), 1) + kv_codes
    codes, pairs = pd.factorize(pair)
    quarters = [_quarter(raw, kv, u) for u in range(len(kv_uniques))] if kv is not None else [None]
    texts = []
    for p in pairs:
        year = aar.uniques[p // max(len(kv_uniques), 1)]
        q = quarters[p % max(len(kv_uniques), 1)]
        texts.append(f"{year}Q{q}" if q else str(year))
    return TextColumn(codes, texts, aar.name)


