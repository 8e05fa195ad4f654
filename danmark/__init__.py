"""danmark: what Ankestyrelsen's Danmarkskort over omgørelsesprocenter really says.

Reversal rates (omgørelsesprocenter) per kommune, with exact intervals,
empirical-Bayes and hierarchical beta-binomial shrinkage, funnel plots, rank
uncertainty and simulations of selection on noisy rates.

Usage::

    import danmark
    cases = danmark.load_cases()          # bundled real figures, with sources
    danmark.binomial_ci(10, 14)           # Solrød: 10 of 14 reversed

Public names are imported lazily, so ``import danmark`` stays fast and
matplotlib is only loaded when a plotting function is used.
"""

from __future__ import annotations

import importlib

from ._versions import VERSION as __version__  # noqa: E402

# public name -> module that defines it
_API = {
    # errors and validation
    "DataError": "errors",
    "ArgumentError": "errors",
    # municipalities and the bundled data
    "normalize_kommune": "table.kommuner",
    "municipalities": "table.kommuner",
    "load_cases": "io.bundle",
    "danish_table": "table.display",
    "danish_number": "table.display",
    "load_national": "io.bundle",
    "load_published_rates": "io.bundle",
    "load_claims": "io.bundle",
    "load_sources": "io.bundle",
    "describe_sources": "io.bundle",
    "load_boundaries": "io.bundle",
    "national_rate": "io.bundle",
    "with_rates": "table.schema",
    "validate_cases": "io",
    "CASE_COLUMNS": "table.schema",
    # the agencies' downloads
    "read_talportal": "io",
    "read_statbank": "io",
    "read_cases": "io",
    "aggregate": "io.aggregate",
    "ReaderWarning": "errors",
    "NationalTotalWarning": "errors",
    "danish_warnings": "errors",
    "split_national": "table.schema",
    "MissingPeriodsWarning": "io.aggregate",
    "read_any": "io",
    "load_data": "io",
    "versions": "_versions",
    # simulation inputs (assumptions, labelled)
    "population_case_counts": "simulate.scenarios",
    "scenarios": "simulate.scenarios",
    # statistics engine
    "binomial_ci": "stats.intervals",
    "audit_bound": "stats.intervals",
    "BetaPrior": "stats.shrinkage",
    "fit_prior": "stats.shrinkage",
    "shrink": "stats.shrinkage",
    "prob_above": "stats.shrinkage",
    "prior_sensitivity": "stats.shrinkage",
    "PoolingWarning": "stats.shrinkage",
    "PriorRegression": "stats.prior_regression",
    "pairwise_prob": "stats.grades",
    "grades": "stats.grades",
    "GradeResult": "stats.grades",
    "GridPrior": "stats.priors_nonparametric",
    "BetaMixturePrior": "stats.priors_nonparametric",
    "compare_priors": "stats.priors_nonparametric",
    "posterior_predictive": "stats.model_checks",
    "PosteriorPredictive": "stats.model_checks",
    "hierarchical": "stats.hierarchical_model",
    "HierarchicalResult": "stats.hierarchical_model",
    "Draws": "stats.draws",
    "funnel_limits": "stats.funnel.limits",
    "funnel_flags": "stats.funnel.flags",
    "funnel_steps": "stats.funnel.steps",
    "rank_on_aendret": "stats.rank_checks",
    "overdispersion_fit": "stats.funnel.overdispersion",
    "expected_flags": "stats.funnel.flags",
    "rank_uncertainty": "stats.ranks",
    "simulate_selection": "simulate.selection",
    "compare_rules": "simulate.rules",
    "simulate_prior_fits": "simulate.rules",
    "prob_at_least": "stats.exact",
    "map_multiplicity": "simulate.multiplicity",
    "simulate_outcome_map": "simulate.outcome_maps",
    "aendret_selection_overlap": "simulate.outcome_maps",
    "Multiplicity": "simulate.multiplicity",
    "calibrated_case_counts": "simulate.multiplicity",
    # the facts the notebooks share, stated once (settled readings, precision, scenarios, citations)
    "suite_fact": "simulate.facts",
    "majority_reference": "simulate.facts",
    "reference_at_probability": "simulate.facts",
    "claims_table": "simulate.facts",
    "period_name": "simulate.facts",
    "national_precision": "simulate.facts",
    "taskforce_scenarios": "simulate.facts",
    "TaskforceScenario": "simulate.facts",
    "calibration_check": "simulate.facts",
    "citation": "simulate.facts",
    "reference_list": "simulate.facts",
    "power": "stats.power_analysis",
    "cases_needed": "stats.power_analysis",
    "power_two_periods": "stats.power_analysis",
    "outcome_split": "stats.outcomes",
    "reclassify_hjemvist": "stats.outcomes",
    # what would it take: distance to a reference rate, and which reference for a pooled period
    "what_it_takes": "stats.what_if",
    "period_references": "stats.what_if",
    "period_sensitivity": "stats.what_if",
    "practice_change": "stats.what_if",
    # a kommune's report as data (the CLI formats it)
    "kommune_report": "report",
    "KommuneReport": "report",
    "report_table": "report",
    "read_download": "report",
    # a kommune's faktaark: a self-contained HTML page in Danish (one, or all of a download)
    "faktaark": "faktaark_page",
    "faktaark_all": "faktaark_page",
    # every kommune's numbers in one table, a workbook/CSV and the map's HTML (``danmark tabel``)
    "estimates_table": "tables_out.table",
    "write_workbook": "tables_out.workbook",
    "write_csv": "tables_out.workbook",
    "estimates_map_html": "tables_out.map_html",
    # plotting (matplotlib imported on first use)
    "plotting": "plotting",
    # official names and input matching; where DANMARK_DATA points
    "official_name": "table.kommuner",
    "normalize_area": "table.kommuner",
    "resolve_data_path": "io.dispatch",
    # explore any kommune in JupyterLab: the report behind dropdowns and a slider (notebook 09)
    "Explorer": "explore",
}

__all__ = sorted(_API) + ["__version__"]


def _resolve(name: str):
    mod = importlib.import_module(f".{_API[name]}", __name__)
    # a module exported under its own name (danmark.plotting) unless it defines that name
    return getattr(mod, name) if hasattr(mod, name) else mod


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module 'danmark' has no attribute {name!r}")
    value = _resolve(name)
    globals()[name] = value
    return value


def __dir__():
    return __all__

