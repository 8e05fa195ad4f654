"""The prior by kommune size: a sensitivity beside the constant prior, tested with a Holm correction.

With a full download each area and period gets :func:`danmark.fit_prior` with
``formula=SIZE_FORMULA`` and its likelihood-ratio test against the constant prior. A download
makes many such fits (one per area and period), so one of them rejects at 5 % now and then by
chance alone; the report therefore corrects the p-values with Holm's method over all of the
download's fits (:func:`holm`), says how many were tested, and calls size a part of the
explanation only when the corrected p-value is below :data:`SIZE_TEST_LEVEL`. Even then the
size prior stays a sensitivity: no surface calls one anchor "better".
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import pandas as pd

from .._defaults import DEFAULT_LEVEL
from ..errors import DataError
from ..stats.prior_regression import LRTest
from ..stats.shrinkage import PoolingWarning, fit_prior, prob_above, shrink
from ..table.kommuner import municipalities
from ..table.schema import NATIONAL_CODE

__all__ = ["SizePrior", "area_units", "fit_size_prior", "size_prior", "size_priors", "holm", "NO_SPREAD_STRENGTH",
           "SIZE_TEST_LEVEL", "SIZE_FORMULA"]

#: a fitted prior strength at or above this (in cases) means no spread beyond chance
NO_SPREAD_STRENGTH = 1e4
#: the family-wise level of the Holm-corrected likelihood-ratio tests for "size explains part of the differences"
SIZE_TEST_LEVEL = 0.05
#: the regression prior's mean: what kommuner of a kommune's size typically have
SIZE_FORMULA = "~ np.log(population)"


@dataclass(frozen=True)
class SizePrior:
    """A kommune shrunk toward the prior mean of kommuner of its size (a full download only).

    The prior is :func:`danmark.fit_prior` with ``formula=SIZE_FORMULA`` fitted on every
    kommune with cases in the area and period (``units`` of them). ``mean``, ``alpha`` and
    ``beta`` are the kommune's own prior, ``shrunk`` (estimate, lower, upper) and
    ``prob_above`` (P(rate > ``reference``), None without a reference) its posterior,
    ``lr`` the likelihood-ratio test against the constant prior, ``tests`` the number of the
    download's fits in the Holm correction and ``pvalue`` this fit's Holm-corrected p-value.
    When the fit fails, ``error`` says why and every number is None. ``no_spread`` and
    ``size_matters`` are the two readings the CLI and the faktaark put in words.

    Examples
    --------
    >>> SizePrior(units=12, error="too few").shrunk is None
    True
    """

    units: int
    error: str | None = None
    model: object = None
    population: float | None = None
    mean: float | None = None
    alpha: float | None = None
    beta: float | None = None
    shrunk: tuple[float, float, float] | None = None
    prob_above: float | None = None
    reference: float | None = None
    lr: LRTest | None = None
    tests: int | None = None
    pvalue: float | None = None

    @property
    def no_spread(self) -> bool:
        """The kommuner spread no more than chance around the size prior (strength ≥ NO_SPREAD_STRENGTH):
        the posterior is the prior's point, so no interval or probability is claimed for the kommune."""
        return self.alpha is not None and self.alpha + self.beta >= NO_SPREAD_STRENGTH

    @property
    def size_matters(self) -> bool:
        """The Holm-corrected likelihood-ratio test rejects the constant prior at SIZE_TEST_LEVEL."""
        return self.pvalue is not None and self.pvalue < SIZE_TEST_LEVEL


def area_units(table: pd.DataFrame, area: str, period: str) -> pd.DataFrame:
    """The kommuner (not Hele landet) with cases in one area and period of a tidy table."""
    return table[(table["kommunekode"] != NATIONAL_CODE) & (table["area"] == area) & (table["period"] == period)
                 & (table["n"] > 0)]


def fit_size_prior(units: pd.DataFrame):
    """``fit_prior(units, formula=SIZE_FORMULA)`` and its LR test, or the DataError's message when it fails."""
    from threadpoolctl import threadpool_limits

    try:
        with warnings.catch_warnings(), threadpool_limits(1):  # the LR test refits: one BLAS thread, as fit_prior
            # no spread beyond chance around the size prior is a legitimate answer that SizePrior.no_spread
            # reports in words; the fit's PoolingWarning would reach the CLI as a raw Python warning line
            warnings.simplefilter("ignore", PoolingWarning)
            model = fit_prior(units, formula=SIZE_FORMULA)
            return model, model.lr_test()
    except DataError as err:
        return str(err), None


def holm(pvalues: dict) -> dict:
    """Holm-corrected p-values (statsmodels ``multipletests(method="holm")``) for a dict of p-values.

    Missing p-values (None or NaN) are left out of the family and come back as None.

    Examples
    --------
    >>> {k: round(v, 3) for k, v in holm({"a": 0.01, "b": 0.04, "c": 0.03}).items()}
    {'a': 0.03, 'b': 0.06, 'c': 0.06}
    """
    from statsmodels.stats.multitest import multipletests

    keys = [k for k, p in pvalues.items() if p is not None and math.isfinite(p)]
    out = dict.fromkeys(pvalues)
    if keys:
        adjusted = multipletests([pvalues[k] for k in keys], method="holm")[1]
        out.update({k: float(p) for k, p in zip(keys, adjusted, strict=True)})
    return out


def size_priors(fit, units: pd.DataFrame, *, reference: float | None = None, level: float = DEFAULT_LEVEL,
                family: dict | None = None) -> dict:
    """Every kommune's :class:`SizePrior` from one :func:`fit_size_prior` result on *units*, by kommunekode.

    One vectorised :func:`danmark.shrink` and :func:`danmark.prob_above` over all the kommuner (what
    98 pages from one download share); a kommune whose own row cannot be computed gets its error.
    *family*: ``{"tests": m, "pvalue": Holm-corrected p}`` for this fit (default: the fit alone).

    Examples
    --------
    >>> size_priors(("too few kommuner", None), pd.DataFrame({"kommunekode": ["269"]}))["269"].error
    'too few kommuner'
    """
    model, lr = fit
    if isinstance(model, str):
        return {str(c): SizePrior(len(units), error=model) for c in units["kommunekode"]}
    family = family or {"tests": 1, "pvalue": holm({0: lr.pvalue})[0]}
    try:
        parts = [(units, _numbers(model, units, reference, level))]
    except DataError:  # one kommune's row fails: compute row by row, so only that kommune gets the error
        parts = [(units.iloc[[i]], _numbers_or_error(model, units.iloc[[i]], reference, level))
                 for i in range(len(units))]
    population = municipalities().set_index("kommunekode")["population"]
    out = {}
    for part, numbers in parts:
        for j, code in enumerate(str(c) for c in part["kommunekode"]):
            if isinstance(numbers, str):
                out[code] = SizePrior(len(units), error=numbers)
                continue
            p, post, above = numbers[0].iloc[j], numbers[1].iloc[j], numbers[2]
            pop = population.get(code)
            out[code] = SizePrior(
                len(units), None, model, None if pop is None else float(pop), float(p["mean"]), float(p["alpha"]),
                float(p["beta"]), (float(post["estimate"]), float(post["lower"]), float(post["upper"])),
                None if above is None else float(above.iloc[j]), reference, lr, family["tests"], family["pvalue"])
    return out


def _numbers(model, rows: pd.DataFrame, reference, level):
    """The priors, posteriors and P(above) of *rows* under the fitted size prior."""
    priors = model.priors(rows)
    post = shrink(rows, prior=model, level=level)
    above = None if reference is None else prob_above(rows, prior=model, reference=reference)["prob_above"]
    return priors, post, above


def _numbers_or_error(model, rows: pd.DataFrame, reference, level):
    """:func:`_numbers`, or the DataError's message."""
    try:
        return _numbers(model, rows, reference, level)
    except DataError as err:
        return str(err)


def size_prior(fit, units: pd.DataFrame, kommunekode: str, *, reference: float | None = None,
               level: float = DEFAULT_LEVEL, family: dict | None = None) -> SizePrior:
    """One kommune's :class:`SizePrior` from :func:`fit_size_prior`'s result on *units* (the kommune's row in it).

    *family*: ``{"tests": m, "pvalue": Holm-corrected p}`` for this fit (default: the fit alone).
    :func:`size_priors` gives every kommune's at once.

    Examples
    --------
    >>> size_prior(("too few kommuner", None), pd.DataFrame({"kommunekode": ["269"]}), "269").error
    'too few kommuner'
    """
    found = size_priors(fit, units, reference=reference, level=level, family=family).get(str(kommunekode))
    return found or SizePrior(len(units), error=f"kommune {kommunekode} has no cases in the area and period")
