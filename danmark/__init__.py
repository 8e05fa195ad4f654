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
import sys
import types

__version__ = "0.1.0"

# public name -> module that defines it
_API = {
    # errors and validation
    "DataError": "errors",
    # municipalities and the bundled data
    "normalize_kommune": "kommuner",
    "municipalities": "kommuner",
    "load_cases": "bundle",
    "load_national": "bundle",
    "load_published_rates": "bundle",
    "load_claims": "bundle",
    "load_sources": "bundle",
    "describe_sources": "bundle",
    "load_boundaries": "bundle",
    "national_rate": "bundle",
    "with_rates": "schema",
    "validate_cases": "io",
    "CASE_COLUMNS": "schema",
    # the agencies' downloads
    "read_talportal": "io",
    "read_statbank": "io",
    "read_cases": "io",
    "aggregate": "aggregate",
    "ReaderWarning": "errors",
    "NationalTotalWarning": "errors",
    "split_national": "schema",
    "MissingPeriodsWarning": "aggregate",
    "read_any": "io",
    "load_data": "io",
    "versions": "_versions",
    # simulation inputs (assumptions, labelled)
    "population_case_counts": "scenarios",
    "scenarios": "scenarios",
    # statistics engine
    "binomial_ci": "intervals",
    "audit_bound": "intervals",
    "BetaPrior": "shrinkage",
    "fit_prior": "shrinkage",
    "shrink": "shrinkage",
    "prob_above": "shrinkage",
    "prior_sensitivity": "shrinkage",
    "PoolingWarning": "shrinkage",
    "hierarchical": "hierarchical_model",
    "HierarchicalResult": "hierarchical_model",
    "funnel_limits": "funnel",
    "funnel_flags": "funnel",
    "overdispersion_fit": "funnel",
    "expected_flags": "funnel",
    "rank_uncertainty": "ranks",
    "simulate_selection": "selection",
    "compare_rules": "selection",
    "simulate_prior_fits": "selection",
    "prob_at_least": "selection",
    "power": "power_analysis",
    "cases_needed": "power_analysis",
    "power_two_periods": "power_analysis",
    "outcome_split": "outcomes",
    "reclassify_hjemvist": "outcomes",
    # plotting (matplotlib imported on first use)
    "plotting": "plotting",
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


class _Package(types.ModuleType):
    """The package object: importing a submodule never shadows a public name.

    Python sets ``danmark.<sub>`` to the submodule ``danmark.<sub>`` when it is
    imported. Where a public name is also a submodule's name (``aggregate``,
    ``scenarios``), that would replace the function with the module; here the
    public object wins, whichever is touched first.
    """

    def __setattr__(self, name, value):
        if name in _API and isinstance(value, types.ModuleType) and value.__name__ == f"{__name__}.{name}":
            value = _resolve(name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
