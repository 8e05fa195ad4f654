"""One vocabulary across the public API (issue 12), held for every public function, present and future.

The rules (README "One vocabulary"):

* interval / credible level: ``level`` (one level, or a sequence where several limits are drawn);
* reference rate (national rate, target, threshold): ``reference``;
* simulated draws / repetitions / maps: ``size``; random seed: ``seed``;
* arguments after the data arguments are keyword-only (plotting functions: ``ax=`` keyword-only);
* output columns: ``raw`` = k/n, ``estimate`` = a model's point estimate, interval ends ``lower``/``upper``.

A new public function must be added to ``DATA_ARGUMENTS`` below with the names of its data
arguments (the only ones that may be passed by position); the test fails until it is.
"""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest

import danmark
import danmark.plotting as plotting
from danmark import ArgumentError, DataError

#: parameter names that the vocabulary replaced, with the name to use instead
BANNED = {
    "levels": "level",
    "alpha": "level (a significance level is 1 - level)",
    "p0": "reference",
    "threshold": "reference",
    "prior_mean": "reference",
    "reps": "size",
    "maps": "size",
    "n_draws": "size",
    "random_state": "seed",
    "rng": "seed",
}

#: every public function -> its data arguments, in order: the only parameters that may be positional
DATA_ARGUMENTS = {
    # the prior protocol (danmark/stats/prior_protocol.py): every prior's methods
    "BetaPrior.posterior_mean": ("k", "n"),
    "BetaPrior.posterior_quantile": ("k", "n"),
    "BetaPrior.posterior_sf": ("k", "n"),
    "BetaPrior.posterior_interval": ("k", "n"),
    "BetaPrior.prior_weight": ("k", "n"),
    "BetaPrior.posterior_shapes": ("k", "n"),
    "BetaPrior.marginal_loglik": ("k", "n"),
    "BetaPrior.for_units": ("count", "frame"),
    "BetaPrior.describe": (),
    "GridPrior.posterior_mean": ("k", "n"),
    "GridPrior.posterior_quantile": ("k", "n"),
    "GridPrior.posterior_sf": ("k", "n"),
    "GridPrior.posterior_interval": ("k", "n"),
    "GridPrior.prior_weight": ("k", "n"),
    "GridPrior.posterior_shapes": ("k", "n"),
    "GridPrior.marginal_loglik": ("k", "n"),
    "GridPrior.for_units": ("count", "frame"),
    "GridPrior.describe": (),
    "BetaMixturePrior.posterior_mean": ("k", "n"),
    "BetaMixturePrior.posterior_quantile": ("k", "n"),
    "BetaMixturePrior.posterior_sf": ("k", "n"),
    "BetaMixturePrior.posterior_interval": ("k", "n"),
    "BetaMixturePrior.prior_weight": ("k", "n"),
    "BetaMixturePrior.posterior_shapes": ("k", "n"),
    "BetaMixturePrior.marginal_loglik": ("k", "n"),
    "BetaMixturePrior.for_units": ("count", "frame"),
    "BetaMixturePrior.describe": (),
    "PriorRegression.posterior_mean": ("k", "n"),
    "PriorRegression.posterior_quantile": ("k", "n"),
    "PriorRegression.posterior_sf": ("k", "n"),
    "PriorRegression.posterior_interval": ("k", "n"),
    "PriorRegression.prior_weight": ("k", "n"),
    "PriorRegression.posterior_shapes": ("k", "n"),
    "PriorRegression.marginal_loglik": ("k", "n"),
    "PriorRegression.for_units": ("count", "frame"),
    "PriorRegression.describe": (),
    # danmark
    "aendret_selection_overlap": ("n",),
    "calibrated_case_counts": ("kommune", "n"),
    "suite_fact": ("key",),
    "majority_reference": ("k", "n"),
    "reference_at_probability": ("k", "n"),
    "claims_table": ("notebook",),
    "period_name": ("label",),
    "national_precision": (),
    "taskforce_scenarios": (),
    "calibration_check": (),
    "citation": ("key",),
    "reference_list": ("keys",),
    "danish_number": ("value",),
    "danish_table": ("df",),
    "funnel_steps": ("n",),
    "map_multiplicity": ("n",),
    "Multiplicity.without": ("names",),
    "period_references": ("rates",),
    "period_sensitivity": ("k", "n", "references"),
    "practice_change": ("affected",),
    "rank_on_aendret": ("cases",),
    "simulate_outcome_map": ("n",),
    "what_it_takes": ("k", "n"),
    "aggregate": ("cases",),
    "audit_bound": ("errors", "reviewed"),
    "binomial_ci": ("k", "n"),
    "cases_needed": ("p1",),
    "compare_rules": ("n", "p"),
    "describe_sources": ("keys",),
    "expected_flags": ("n",),
    "faktaark": ("kommune",),
    "faktaark_all": (),
    "estimates_table": ("data",),
    "estimates_map_html": ("table",),
    "write_workbook": ("table", "path"),
    "write_csv": ("table", "path"),
    "fit_prior": ("k", "n"),
    "funnel_flags": ("k", "n"),
    "funnel_limits": ("n",),
    "hierarchical": ("k", "n"),
    "kommune_report": ("kommune",),
    "report_table": ("data",),
    "read_download": ("data",),
    "load_boundaries": (),
    "load_cases": (),
    "load_claims": (),
    "load_data": ("path",),
    "load_national": (),
    "load_published_rates": (),
    "load_sources": (),
    "municipalities": (),
    "national_rate": ("area", "period"),
    "normalize_kommune": ("name_or_code",),
    "outcome_split": ("stadfaestet", "aendret", "hjemvist"),
    "overdispersion_fit": ("k", "n"),
    "population_case_counts": ("total",),
    "power": ("n", "p1"),
    "power_two_periods": ("n", "p_before", "p_after"),
    "prior_sensitivity": ("k", "n"),
    "prob_above": ("k", "n"),
    "prob_at_least": ("k", "n", "p"),
    "rank_uncertainty": ("draws", "names"),
    "read_any": ("path",),
    "read_cases": ("path",),
    "read_statbank": ("path",),
    "read_talportal": ("path",),
    "reclassify_hjemvist": ("stadfaestet", "aendret", "hjemvist"),
    "shrink": ("k", "n"),
    "simulate_prior_fits": ("n", "p"),
    "simulate_selection": ("n", "p"),
    "split_national": ("cases",),
    "validate_cases": ("df",),
    "versions": ("packages",),
    "danish_warnings": (),
    "with_rates": ("cases",),
    "official_name": ("kommune_or_code",),
    "normalize_area": ("text", "known_areas"),
    "resolve_data_path": ("path",),
    # methods of the exported result classes
    "BetaPrior.from_mean": ("mean", "strength"),
    "compare_priors": ("k", "n"),
    "grades": ("pi",),
    "pairwise_prob": ("draws", "names"),
    "posterior_predictive": ("result", "n"),
    "GradeResult.expected_pairs": ("pi",),
    "PriorRegression.lr_test": (),
    "PriorRegression.priors": ("data",),
    "PriorRegression.summary": (),
    "BetaPrior.interval": (),
    "BetaPrior.ppf": ("q",),
    "HierarchicalResult.draws": ("size",),
    "HierarchicalResult.labelled_draws": ("size",),
    "Draws.frame": (),
    "HierarchicalResult.prob_above": (),
    "HierarchicalResult.rank_uncertainty": (),
    "HierarchicalResult.population_mean": (),
    "Explorer.kommuner": (),
    "Explorer.areas": ("kommune",),
    "Explorer.periods": ("kommune", "area"),
    "Explorer.about": (),
    "Explorer.defaults": ("kommune",),
    "Explorer.report": ("kommune",),
    "Explorer.weights": ("kommune",),
    "Explorer.draw": ("kommune",),
    "Explorer.controls": ("kommune",),
    # danmark.plotting
    "plotting.ppc_plot": ("ppc",),
    "plotting.source_lines": ("fig",),
    "plotting.area_color": ("area",),
    "plotting.area_name": ("area",),
    "plotting.style": (),
    "plotting.save_figure": ("fig", "name"),
    "plotting.fmt_pct": ("p",),
    "plotting.caterpillar": ("df",),
    "plotting.shrinkage_arrows": ("df",),
    "plotting.funnel_plot": ("k", "n", "limits"),
    "plotting.outcome_bars": ("df",),
    "plotting.kommune_map": ("values", "boundaries"),
    "plotting.estimates_map": ("table",),
    "plotting.rank_plot": ("df",),
    "plotting.power_curve": ("df",),
    "plotting.trend": ("national",),
    "plotting.selection_bars": ("units",),
    "plotting.sensitivity_curve": ("df", "x", "y"),
}


def _public_functions():
    out = {}
    for name in danmark.__all__:
        if name == "__version__":
            continue
        obj = getattr(danmark, name)
        if inspect.isfunction(obj):
            out[name] = obj
        elif inspect.isclass(obj) and not issubclass(obj, BaseException | Warning):
            for meth, fn in vars(obj).items():
                if meth.startswith("_"):
                    continue
                fn = fn.__func__ if isinstance(fn, classmethod | staticmethod) else fn
                if inspect.isfunction(fn):
                    out[f"{name}.{meth}"] = fn
    for name in plotting.__all__:
        obj = getattr(plotting, name)
        if inspect.isfunction(obj):
            out[f"plotting.{name}"] = obj
    return out


FUNCTIONS = _public_functions()


def _positional(fn):
    params = list(inspect.signature(fn).parameters.values())
    if params and params[0].name in ("self", "cls"):
        params = params[1:]
    return tuple(p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


def test_every_public_function_is_listed():
    missing = sorted(set(FUNCTIONS) - set(DATA_ARGUMENTS))
    assert not missing, f"add these public functions to DATA_ARGUMENTS with their data arguments: {missing}"
    # the result classes' data fields (not functions) are checked below


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_no_banned_parameter_names(name):
    params = inspect.signature(FUNCTIONS[name]).parameters
    bad = {p: BANNED[p] for p in params if p in BANNED}
    assert not bad, f"{name}: rename {bad}"


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_keyword_only_after_the_data_arguments(name):
    assert _positional(FUNCTIONS[name]) == DATA_ARGUMENTS[name], (
        f"{name}: only its data arguments {DATA_ARGUMENTS[name]} may be positional; "
        f"got {_positional(FUNCTIONS[name])}"
    )


@pytest.mark.parametrize("name", [n for n in sorted(FUNCTIONS) if n.startswith("plotting.")])
def test_plotting_ax_is_keyword_only(name):
    params = inspect.signature(FUNCTIONS[name]).parameters
    if "ax" in params:
        assert params["ax"].kind is inspect.Parameter.KEYWORD_ONLY


# --------------------------------------------------------------------------- result columns

K, N = [3, 10, 0], [10, 14, 5]


def _no_old_names(df, name):
    old = {"rate", "share", "p0", "reps"} & set(df.columns)
    assert not old, f"{name}: old column name(s) {sorted(old)}"


@pytest.mark.parametrize(
    "name, call, columns",
    [
        ("binomial_ci", lambda: danmark.binomial_ci(K, N), ["k", "n", "raw", "lower", "upper"]),
        ("audit_bound", lambda: danmark.audit_bound([0, 1], 15), ["errors", "reviewed", "raw", "level"]),
        ("shrink", lambda: danmark.shrink(K, N, prior=(2, 5)), ["raw", "estimate", "lower", "upper"]),
        ("funnel_flags", lambda: danmark.funnel_flags(K, [10, 14, 5], reference=0.3), ["k", "n", "raw", "reference"]),
        ("funnel_limits", lambda: danmark.funnel_limits([10, 20], reference=0.3),
         ["n", "level", "lower", "upper", "reference"]),
        ("outcome_split", lambda: danmark.outcome_split([5], [2], [3]), ["raw", "estimate", "lower", "upper", "level"]),
        ("prior_sensitivity", lambda: danmark.prior_sensitivity(3, 10, means=[0.3], strengths=[10]),
         ["raw", "estimate", "lower", "upper", "prob_above"]),
        ("power", lambda: danmark.power([10, 20], 0.6, reference=0.36), ["n", "reference", "p1", "power"]),
        ("cases_needed", lambda: danmark.cases_needed(0.6, reference=0.36), ["reference", "p1", "n_first"]),
        ("power_two_periods", lambda: danmark.power_two_periods([20, 40], 0.55, 0.4), ["n", "power", "n_needed_80"]),
        ("hierarchical", lambda: danmark.hierarchical(K, N, grid_size=20).units, ["raw", "estimate", "lower", "upper"]),
    ],
)
def test_result_columns(name, call, columns):
    out = call()
    assert set(columns) <= set(out.columns), f"{name}: expected {columns}, got {list(out.columns)}"
    _no_old_names(out, name)


def test_scalars_are_columns_not_attrs():
    assert "p0" not in danmark.funnel_limits([10], reference=0.3).attrs
    assert "n_needed_80" not in danmark.power_two_periods([20], 0.55, 0.4).attrs
    assert "level" not in danmark.outcome_split([5], [2], [3]).attrs
    assert danmark.outcome_split([5], [2], [3], level=0.9)["level"].eq(0.9).all()


def test_counts_taking_functions_accept_a_dataframe():
    df = pd.DataFrame({"k": [3, 10], "n": [10, 14]}, index=["a", "b"])
    assert danmark.binomial_ci(df)["raw"].round(3).tolist() == [0.3, 0.714]
    assert danmark.binomial_ci(df).index.tolist() == ["a", "b"]
    assert danmark.audit_bound(df.assign(k=[0, 1]))["raw"].tolist()[0] == 0
    one = danmark.prior_sensitivity(df.iloc[:1], means=[0.3], strengths=[10])
    assert one["k"].tolist() == [3]
    with pytest.raises(DataError, match="one unit"):
        danmark.prior_sensitivity(df, means=[0.3], strengths=[10])


def test_selection_and_rules_units_have_one_shape():
    sel = danmark.simulate_selection([10, 20, 40], 0.3, top=1, size=200, seed=1)
    rules = danmark.compare_rules([10, 20, 40], 0.3, rules=["raw"], top=1, size=200, seed=1, small=1, min_n=1)
    assert list(sel.units.columns) == list(rules.units("raw").columns)
    assert sel.summary["size"] == 200 and rules.size == 200


# --------------------------------------------------------------------------- argument errors


@pytest.mark.parametrize(
    "call",
    [
        lambda: danmark.binomial_ci(3, 10, level=95),
        lambda: danmark.binomial_ci(3, 10, method="bogus"),
        lambda: danmark.shrink([3, 4], [10, 10], prior=(1, 2), interval="bogus"),
        lambda: danmark.funnel_limits([10], reference=1.5),
        lambda: danmark.funnel_flags([3, 4], [10, 10], level=[0.95, 2]),
        lambda: danmark.power(10, 0.6, reference=0.36, level=0.05),
        lambda: danmark.rank_uncertainty([[0.1, 0.2]], top=0),
        lambda: danmark.simulate_selection([10, 20], 0.3, top=0),
        lambda: danmark.simulate_selection([10, 20], 0.3, size=10**30),
        lambda: danmark.compare_rules([10, 20, 30], 0.3, top=1, size=10**30),
        lambda: danmark.simulate_prior_fits([10, 20, 30], 0.3, size=10**30),
        lambda: danmark.simulate_selection([10, 20], 0.3, seed="x"),
    ],
)
def test_bad_arguments_raise_argument_error(call):
    with pytest.raises(ArgumentError) as info:
        call()
    assert not isinstance(info.value, DataError)
    assert isinstance(info.value, ValueError)


def test_bad_data_stays_data_error():
    with pytest.raises(DataError):
        danmark.binomial_ci(5, 3)
    with pytest.raises(DataError, match="column 'stadfaestet'"):
        danmark.shrink(pd.DataFrame({"stadfaestet": ["4", "5"], "aendret": [1, 2], "hjemvist": [3, 4]}))


def test_huge_size_fails_fast():
    import time

    start = time.perf_counter()
    with pytest.raises(ArgumentError, match="size"):
        danmark.compare_rules(np.arange(10, 108), 0.3, size=10**30)
    assert time.perf_counter() - start < 5
