"""The tidy table of appeal outcomes that every loader returns.

One row per kommune × period × area:

=============== ============================================================
column          meaning
=============== ============================================================
kommunekode     3-digit string ("269"); "000" = Hele landet (national total)
kommune         official name ("Solrød"); "Hele landet" for the total
region          region name ("Region Sjælland")
period          canonical label: "2024", "2022Q4", "2020-2023H1"
period_start    first day covered (datetime64)
period_end      last day covered (datetime64)
area            "socialomraadet", "boernehandicap", "voksenhandicap" or a
                named paragraph group such as "SEL §§ 96-97"
stadfaestet     decisions upheld (int)
aendret         decisions changed or annulled, ændret/ophævet (int)
hjemvist        decisions sent back to the kommune, hjemvist (int)
afvist          appeals rejected or referred (nullable Int64; not in rates)
source          key into ``data/sources.csv``
=============== ============================================================

Derived, never stored (see :func:`with_rates`): ``n`` = stadfaestet + aendret
+ hjemvist (realitetsbehandlede sager), ``omgjort`` = aendret + hjemvist and
``omg_pct`` = 100 · omgjort / n.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import DataError

__all__ = ["CASE_COLUMNS", "COUNT_COLUMNS", "KEY_COLUMNS", "with_rates"]

COUNT_COLUMNS = ["stadfaestet", "aendret", "hjemvist"]
KEY_COLUMNS = ["kommunekode", "period", "area"]
CASE_COLUMNS = [
    "kommunekode", "kommune", "region", "period", "period_start", "period_end",
    "area", "stadfaestet", "aendret", "hjemvist", "afvist", "source",
]


def with_rates(cases: pd.DataFrame) -> pd.DataFrame:
    """Add the derived columns ``n``, ``omgjort`` and ``omg_pct`` to a tidy table.

    ``n`` counts realitetsbehandlede sager (stadfæstet + ændret + hjemvist);
    afviste sager are excluded, as in Ankestyrelsen's definition.

    Examples
    --------
    >>> df = pd.DataFrame({"stadfaestet": [105], "aendret": [5], "hjemvist": [19]})
    >>> with_rates(df)[["n", "omgjort", "omg_pct"]].round(1)
         n  omgjort  omg_pct
    0  129       24     18.6
    """
    missing = [c for c in COUNT_COLUMNS if c not in cases.columns]
    if missing:
        raise DataError(f"missing count column(s): {', '.join(missing)}")
    out = cases.copy()
    out["n"] = out["stadfaestet"] + out["aendret"] + out["hjemvist"]
    out["omgjort"] = out["aendret"] + out["hjemvist"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["omg_pct"] = np.where(out["n"] > 0, 100.0 * out["omgjort"] / out["n"].where(out["n"] > 0, 1), np.nan)
    return out
