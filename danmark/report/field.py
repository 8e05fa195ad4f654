"""The field: every kommune of one area and period of a full download, around the reference.

Funnel flags with and without over-dispersion (Spiegelhalter 2005; :func:`danmark.funnel_flags`,
:func:`danmark.overdispersion_fit`), ranks with intervals and P(among the TOP highest) from the
hierarchical beta-binomial model (:func:`danmark.hierarchical`), and on request report-card grades
(Kline, Rose & Walters; :func:`danmark.pairwise_prob`, :func:`danmark.grades`, λ = 0.25).
Computed once per area and period and cached by the :class:`~danmark.report.Download`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import DataError
from ..stats.funnel.flags import funnel_flags
from ..stats.funnel.limits import funnel_limits
from ..stats.funnel.overdispersion import overdispersion_fit
from ..stats.grades import grades as krw_grades
from ..stats.grades import pairwise_prob
from ..stats.hierarchical_model import hierarchical

__all__ = ["Field", "compute_field", "MIN_FULL", "TOP", "FUNNEL_LEVELS", "DRAWS", "SEED", "GRADE_LAMBDA"]

#: kommuner with cases in the area and period that make a full download (funnel, ranks, the size prior)
MIN_FULL = 20
#: "among the TOP highest": the taskforce reserves four courses a year on the basis of the map
TOP = 4
#: the funnel's control limits
FUNNEL_LEVELS = (0.95, 0.998)
#: posterior draws for the ranks and the pairwise probabilities, and their seed (the same on every run)
DRAWS, SEED = 4000, 2024
#: the report-card grades' λ: different grades need P(order) > 1 / (1 + λ) = 0.8
GRADE_LAMBDA = 0.25


@dataclass(frozen=True, eq=False)
class Field:
    """One area x period of a full download (>= MIN_FULL kommuner with cases) with a reference.

    ``table`` is indexed by kommunekode with columns ``kommune``, ``omgjort``, ``n``, ``raw``,
    ``flag``, ``flag_od`` (funnel_flags' flag strings, ``flag_od`` with the over-dispersion
    when ``adjusted``), ``median_rank``, ``rank_lower``, ``rank_upper``, ``p_top`` and ``grade``
    (<NA> unless grades were asked for). ``limits`` is the funnel as drawn.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> n = rng.integers(5, 40, 25)
    >>> units = pd.DataFrame({"kommunekode": [f"{i:03d}" for i in range(101, 126)],
    ...                       "kommune": [f"K{i}" for i in range(25)], "omgjort": rng.binomial(n, 0.35), "n": n})
    >>> f = compute_field(units, "voksenhandicap", "2024", 0.35)
    >>> f.units, list(f.table.columns[:4])
    (25, ['kommune', 'omgjort', 'n', 'raw'])
    """

    area: str
    period: str
    reference: float
    units: int
    phi: float
    tau2: float
    adjusted: bool
    limits: pd.DataFrame
    table: pd.DataFrame
    top: int = TOP
    grade_status: str | None = None  # the grades' solver status ("optimal", "time limit"), or why there are no ranks

    @property
    def ranked(self) -> bool:
        """The hierarchical model could be fitted, so the table has ranks."""
        return not self.table["median_rank"].isna().all()

    def row(self, kommunekode: str):
        """The kommune's row of ``table``, or None when it had no cases."""
        return self.table.loc[kommunekode] if kommunekode in self.table.index else None


def compute_field(units: pd.DataFrame, area: str, period: str, reference: float, *, grades: bool = False) -> Field:
    """The :class:`Field` of *units* (kommunekode, kommune, omgjort, n; every kommune with cases) around *reference*."""
    u = units.set_index("kommunekode")
    k, n = u["omgjort"].astype("int64"), u["n"].astype("int64")
    od = overdispersion_fit(k, n, reference=reference)
    kw = {"overdispersion": "additive", "tau2": od.tau2} if od.tau2 > 0 else {}
    limits = funnel_limits(int(max(n.max(), 100)), reference=reference, level=FUNNEL_LEVELS, **kw)
    flags = funnel_flags(k, n, reference=reference, level=FUNNEL_LEVELS)
    flags_od = funnel_flags(k, n, reference=reference, level=FUNNEL_LEVELS, **kw) if kw else flags
    table = pd.DataFrame({"kommune": u["kommune"], "omgjort": k, "n": n, "raw": k / n,
                          "flag": flags["flag"].astype(str), "flag_od": flags_od["flag"].astype(str)})
    table["grade"] = pd.array([pd.NA] * len(table), dtype="Int64")
    try:
        model = hierarchical(k, n, seed=SEED)
    except DataError as err:  # e.g. no kommune with 0 < k < n: the model has no proper posterior, so no ranks
        model, status = None, f"no ranks: {err}"
        for col in ("median_rank", "rank_lower", "rank_upper", "p_top"):
            table[col] = float("nan")
    else:
        ranks = model.rank_uncertainty(top=TOP, size=DRAWS, seed=SEED)
        table = table.join(ranks[["median_rank", "rank_lower", "rank_upper", "p_top"]])[[
            "kommune", "omgjort", "n", "raw", "flag", "flag_od", "median_rank", "rank_lower", "rank_upper", "p_top",
            "grade"]]
        status = None
    if grades and model is not None:
        result = krw_grades(pairwise_prob(model, size=DRAWS, seed=SEED), lam=GRADE_LAMBDA)
        table["grade"] = pd.array(result.grade.reindex(table.index), dtype="Int64")
        status = result.status
    table.index.name = "kommunekode"
    return Field(area, period, float(reference), len(table), float(od.phi), float(od.tau2), bool(kw), limits, table,
                 TOP, status)
