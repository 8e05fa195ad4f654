"""A kommune's report as data: the one place a number is computed.

:func:`kommune_report` computes every number any surface shows -- counts, the rate and its one
interval, the reference (:class:`Reference`, one rule), the shrunk estimate with P(above), the
outcome shares, what it would take, and with a full download the field (:class:`Field`: funnel,
over-dispersion, ranks, grades) and the prior by size (:class:`SizePrior`, a Holm-corrected
sensitivity). The command line, the faktaark, the estimates table (:func:`report_table`) and the
notebooks only format it. :func:`read_download` reads a file once and caches the per-area-and-
period results, so 98 pages read and fit once.

Modules by concept: :mod:`.reference` (the reference rule), :mod:`.field` (the kommuner of one
area and period), :mod:`.size` (the size prior and its multiplicity correction), :mod:`.area` (one
area and period of a kommune), :mod:`.download` (read once, cached), :mod:`.kommune` (the report
and the table), :mod:`.words` (the Danish wording shared by every surface).
"""

from __future__ import annotations

from .area import OTHER_STRENGTHS, AreaReport, Needs, outcome_intervals
from .download import Download, clear_cache, read_download
from .field import DRAWS, FUNNEL_LEVELS, GRADE_LAMBDA, MIN_FULL, SEED, TOP, Field
from .kommune import (
    DEFAULT_LEVEL,
    DEFAULT_PRIOR_STRENGTH,
    PRIOR_STRENGTH_RANGE,
    TABLE_COLUMNS,
    KommuneReport,
    check_settings,
    kommune_report,
    match_area,
    report_table,
)
from .reference import ORIGINS, Reference
from .size import (
    NO_SPREAD_STRENGTH,
    SIZE_FORMULA,
    SIZE_TEST_LEVEL,
    SizePrior,
    area_units,
    fit_size_prior,
    holm,
    size_prior,
)

__all__ = [
    "AreaReport", "KommuneReport", "SizePrior", "Reference", "Field", "Download", "Needs",
    "kommune_report", "report_table", "read_download", "clear_cache", "check_settings", "match_area",
    "size_prior", "fit_size_prior", "area_units", "holm", "outcome_intervals",
    "OTHER_STRENGTHS", "MIN_FULL", "TOP", "SIZE_FORMULA", "SIZE_TEST_LEVEL", "NO_SPREAD_STRENGTH", "ORIGINS",
    "DEFAULT_LEVEL", "DEFAULT_PRIOR_STRENGTH", "PRIOR_STRENGTH_RANGE", "TABLE_COLUMNS", "FUNNEL_LEVELS", "DRAWS",
    "SEED", "GRADE_LAMBDA",
]
