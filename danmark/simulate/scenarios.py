"""Clearly labelled simulation inputs built from real population figures.

No complete table of municipal case counts is bundled, so simulations of the
Danmarkskort need an assumption about how many cases each kommune has. The
one used throughout danmark: cases are proportional to population
(FOLK1A 2020), scaled to a published national total. It is an assumption, not
data, and every table it produces carries ``simulated = True``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validate import MAX_COUNT, as_counts, check_real
from ..errors import ArgumentError, DataError
from ..table.kommuner import municipalities

__all__ = ["population_case_counts", "SOCIALOMRAADET_2022_N"]

#: realitetsbehandlede sager on the socialområde map, 2022 (NB-Kommune citing the ministry;
#: data/national.csv, source nb-kommune.dk:nye-danmarkskort-halvdelen-af-sagerne-paa-boerne)
SOCIALOMRAADET_2022_N = 8631


def population_case_counts(total: float, *, years: float = 1.0, minimum: int = 0) -> pd.DataFrame:
    """Case counts per kommune proportional to population, scaled to *total* a year.

    Parameters
    ----------
    total : float
        National number of realitetsbehandlede sager per year to distribute
        (e.g. :data:`SOCIALOMRAADET_2022_N`).
    years : float
        Length of the period in years (3.5 for 2020 – H1 2023).
    minimum : int
        Floor for each count (0 keeps kommuner that would have no cases).

    Returns
    -------
    DataFrame
        ``kommunekode``, ``kommune``, ``region``, ``population``, ``share``
        (of the national population), ``n`` (rounded expected count) and
        ``simulated`` (always True: these are assumptions, not data).

    Examples
    --------
    >>> counts = population_case_counts(8631)
    >>> int(counts.set_index("kommune").loc["Solrød", "n"]), bool(counts["simulated"].all())
    (34, True)
    """
    total = check_real(total, "total", minimum=0, strict=True, error=DataError)
    years = check_real(years, "years", minimum=0, strict=True)
    floor = as_counts(minimum, "minimum")
    if floor.ndim != 0:
        raise ArgumentError(f"minimum must be one whole number; got {minimum!r}", column="minimum")
    if total * years > MAX_COUNT:
        raise DataError(f"total x years = {total * years:.3g} cases is beyond what danmark can count exactly",
                        column="total")
    m = municipalities()
    share = m["population"] / m["population"].sum()
    n = np.maximum(np.rint(total * years * share.to_numpy()).astype(np.int64), int(floor))
    return m.assign(share=share, n=n, simulated=True)
