"""Write Statistikbanken's ANKEAST1 (years) / ANKEAST2 (quarters) downloads from a truth table.

Test-side only; follows the format, not a fixture. A truth table is the one of
:mod:`talportal_writer` (one row per Kommune × Sagsemne × periode with nullable
counts ``stadf``, ``aendr``, ``hjem``, ``afvist``; <NA> = no cases), so the same
SYNTHETIC truth (:func:`talportal_writer.random_truth`) can be written as a
Talportal download and as a Statistikbank table and read back by both readers.

The Statistikbank table is long: one row per OMRÅDE × LOVGRUNDLAG × AFGØRELSE ×
TID with the value in INDHOLD, as the bank writes a full cube (a cell with no
cases is 0). Two presentations:

``"text"``           the bank's default on its web pages: ``København``,
                     ``2022K4``, ``Stadfæstelse``;
``"code_and_text"``  "kode og tekst", the default of its API's CSV: every
                     value is its code and its text, ``101 København``,
                     ``000 Hele landet``, ``2022K4 2022K4``,
                     ``1 Stadfæstelse``. (The decision codes are numbered in
                     the order the table lists them; the law basis is written
                     as the text presentation writes it.)

The Sagsemne of the truth is written as the LOVGRUNDLAG text. Municipalities
are written with their code and name from ``danmark/data/kommuner.csv``
(Danmarks Statistik's names: "Aarhus", not the Talportal's "Århus").
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from talportal_writer import HELE_LANDET, _as_truth, kommune_table, period_key

__all__ = ["DECISIONS", "REGION", "statbank_period", "statbank_table", "write_statbank_download", "expected_statbank"]

#: AFGØRELSE texts in the table's order, with the truth column each counts
DECISIONS = (("Stadfæstelse", "stadf"), ("Ændring/ophævelse", "aendr"), ("Hjemvisning", "hjem"),
             ("Afvisning/henvisning", "afvist"))
#: the region the bank adds when regions are selected (code, name)
REGION = ("084", "Region Hovedstaden")


def statbank_period(periode: str) -> str:
    """The Talportal's period text → the bank's TID ("2022", "2022K4").

    >>> statbank_period("2022 - 4. kvartal"), statbank_period("2021")
    ('2022K4', '2021')
    """
    return period_key(periode)[0].replace("Q", "K")


def statbank_table(truth: pd.DataFrame, presentation: str = "text", *, region: bool = False,
                   period_twice: bool = True) -> pd.DataFrame:
    """The long table (columns OMRÅDE, LOVGRUNDLAG, AFGØRELSE, TID, INDHOLD as text) for *truth*.

    Every OMRÅDE × LOVGRUNDLAG × TID of the truth gets its four AFGØRELSE rows
    (0 where the truth has no cases). *region* adds Region Hovedstaden's rows
    (the sums of the truth's kommuner in that region), which a reader skips.
    *period_twice*: in "kode og tekst", TID is the period as code and as text.
    """
    if presentation not in ("text", "code_and_text"):
        raise ValueError(f"presentation must be 'text' or 'code_and_text', got {presentation!r}")
    t = _as_truth(truth)
    kom = kommune_table()
    coded = presentation == "code_and_text"
    rows = []
    areas = list(dict.fromkeys(t["sagsemne"]))
    periods = list(dict.fromkeys(t["periode"]))
    places = list(dict.fromkeys(t["kommune"]))
    cells = t.set_index(["kommune", "sagsemne", "periode"])
    counts = {key: [0 if pd.isna(cells.at[key, c]) else int(cells.at[key, c]) for _, c in DECISIONS]
              for key in cells.index}
    if region:
        in_region = [k for k in places if k != HELE_LANDET and kom.at[k, "region"] == REGION[1]]
        for a in areas:
            for p in periods:
                parts = [counts.get((k, a, p), [0, 0, 0, 0]) for k in in_region]
                counts[(REGION[1], a, p)] = [int(x) for x in np.sum(parts, axis=0)] if parts else [0, 0, 0, 0]
        places = places + [REGION[1]]
    for place in places:
        if place == REGION[1]:
            code, name = REGION
        else:
            code, name = kom.at[place, "kommunekode"], kom.at[place, "kommune"]
        omraade = f"{code} {name}" if coded else name
        for a in areas:
            for p in periods:
                tid = statbank_period(p)
                if coded:
                    tid = f"{tid} {tid}" if period_twice else tid
                values = counts.get((place, a, p), [0, 0, 0, 0])
                for j, ((text, _), v) in enumerate(zip(DECISIONS, values, strict=True)):
                    afg = f"{j + 1} {text}" if coded else text
                    rows.append((omraade, a, afg, tid, str(v)))
    return pd.DataFrame(rows, columns=["OMRÅDE", "LOVGRUNDLAG", "AFGØRELSE", "TID", "INDHOLD"])


def write_statbank_download(truth: pd.DataFrame, path, presentation: str = "text", *, sep: str = ";",
                            encoding: str = "utf-8-sig", crlf: bool = True, region: bool = False,
                            period_twice: bool = True, final_newline: bool = True):
    """Write the download of *truth* to *path* (``;``, UTF-8 with BOM, CRLF, as the bank writes it)."""
    table = statbank_table(truth, presentation, region=region, period_twice=period_twice)
    nl = "\r\n" if crlf else "\n"
    lines = [sep.join(table.columns)] + [sep.join(r) for r in table.itertuples(index=False)]
    text = nl.join(lines) + (nl if final_newline else "")
    path.write_bytes(text.encode(encoding))
    return path


def expected_statbank(truth: pd.DataFrame) -> pd.DataFrame:
    """What a correct reader returns for the cells with cases: counts per kommunekode × period × area."""
    t = _as_truth(truth)
    kom = kommune_table()
    out = pd.DataFrame({
        "kommunekode": [kom.at[k, "kommunekode"] for k in t["kommune"]],
        "period": [period_key(p)[0] for p in t["periode"]],
        "area": t["sagsemne"].astype("str").str.strip(),
        "stadfaestet": t["stadf"].fillna(0).astype("int64"),
        "aendret": t["aendr"].fillna(0).astype("int64"),
        "hjemvist": t["hjem"].fillna(0).astype("int64"),
        "afvist": t["afvist"].fillna(0).astype("int64"),
    })
    out = out[out[["stadfaestet", "aendret", "hjemvist", "afvist"]].sum(axis=1) > 0]
    return out.set_index(["kommunekode", "period", "area"]).sort_index()
