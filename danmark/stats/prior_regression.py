"""Beta-binomial regression for the prior: each kommune shrunk toward *its own* prior mean.

One common Beta prior pulls every kommune toward the same rate. When the rate
moves by year, differs by area or depends on the size of the kommune, the
right anchor for a kommune is the rate *expected for a kommune like it*. As in
ebbr's ``mu_predictors`` / ``sigma_predictors`` (and VGAM's ``betabinomial``)
the prior of row *i* is Beta(μ_i s_i, (1 − μ_i) s_i) with

    logit μ_i = x_i' β        (``formula``, the prior mean)
    log   s_i = z_i' γ        (``strength_formula``, the prior strength α + β)

and k_i | n_i is beta-binomial. The model is a statsmodels
:class:`~statsmodels.base.model.GenericLikelihoodModel` (analytic score,
Hessian by differencing it), so the fit carries standard errors,
``summary()``, AIC/BIC, and :meth:`PriorRegression.lr_test` tests it against
the constant prior of :func:`danmark.fit_prior`.

Formulas are patsy formulas on the caller's table. Two covariates are added
when a formula names them and the table lacks them: ``year`` (from
``period_start`` or the first four characters of ``period``) and
``population`` (Danmarks Statistik FOLK1A, 2020 first quarter, joined on
``kommunekode``; one year's population stands in for every year).

Use :func:`danmark.fit_prior` with ``formula=``; the result is accepted as
``prior=`` by :func:`danmark.shrink` and :func:`danmark.prob_above`.
"""

from __future__ import annotations

import datetime
import math
import re
import warnings
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import special

from .._defaults import DEFAULT_LEVEL
from .._special import betabinom_loglik_core, digamma_diff, log_choose
from .._units import frame_units
from .._validate import check_formula, check_k_n, check_memory
from ..errors import ArgumentError, DataError
from .beta_prior import POOLED_STRENGTH_FACTOR, BetaConjugate, PoolingWarning, fit_beta_prior
from .prior_protocol import Prior

__all__ = ["LRTest", "PriorRegression", "RowBetas", "fit_prior_regression"]

#: the strength's linear predictor is clipped here (s <= e^30 ~ 1e13 cases: complete pooling)
_MAX_LOG_STRENGTH = 30.0


class LRTest(NamedTuple):
    """Likelihood-ratio test of a regression prior against the constant prior."""

    statistic: float
    df: int
    pvalue: float
    llf_constant: float


class RowBetas(BetaConjugate):
    """One Beta(alpha_i, beta_i) prior per row (what :func:`danmark.shrink` uses from a regression prior).

    Examples
    --------
    >>> p = RowBetas([2.0, 3.0], [8.0, 7.0])
    >>> p.mean.tolist(), p.strength.tolist()
    ([0.2, 0.3], [10.0, 10.0])
    >>> p.posterior_mean([1, 1], [10, 10]).round(3).tolist()
    [0.15, 0.2]
    """

    method = "regression"
    pooled = False

    def __init__(self, alpha, beta, n_params=None, loglik=None):
        self.alpha = np.asarray(alpha, dtype=float)
        self.beta = np.asarray(beta, dtype=float)
        self._n_params = 2 if n_params is None else int(n_params)
        self.loglik = loglik

    @property
    def n_params(self) -> int:
        """The coefficients of the regression they come from."""
        return self._n_params

    def describe(self) -> str:
        return f"one Beta prior per row ({self.alpha.size} rows)"


def _model_class():
    from statsmodels.base.model import GenericLikelihoodModel
    from statsmodels.tools.numdiff import approx_fprime

    class BetaBinomialRegression(GenericLikelihoodModel):
        """k ~ BetaBinomial(n, μ s, (1 − μ) s), logit μ = X β, log s = Z γ."""

        def __init__(self, endog, exog, n, n_mean, **kwds):
            self.n_trials = np.asarray(n, dtype=float)
            self.n_mean = int(n_mean)
            super().__init__(endog, exog, **kwds)
            self.df_model = exog.shape[1] - 1.0  # statsmodels' AIC/BIC count df_model + 1 parameters
            self.df_resid = exog.shape[0] - exog.shape[1] * 1.0

        def _shapes(self, params):
            X = self.exog[:, : self.n_mean]
            Z = self.exog[:, self.n_mean :]
            eta = X @ params[: self.n_mean]
            zeta = np.minimum(Z @ params[self.n_mean :], _MAX_LOG_STRENGTH)
            mu = special.expit(eta)
            s = np.exp(zeta)
            return mu, s, s * mu, s * special.expit(-eta)

        def loglikeobs(self, params):
            _, _, a, b = self._shapes(np.asarray(params, dtype=float))
            k, n = self.endog, self.n_trials
            return log_choose(n, k) + betabinom_loglik_core(a, b, k, n)

        def score_obs(self, params, **kwds):
            mu, s, a, b = self._shapes(np.asarray(params, dtype=float))
            k, n = self.endog, self.n_trials
            ga = digamma_diff(a, k) - digamma_diff(s, n)
            gb = digamma_diff(b, n - k) - digamma_diff(s, n)
            d_eta = s * mu * (1.0 - mu) * (ga - gb)
            d_zeta = a * ga + b * gb
            X = self.exog[:, : self.n_mean]
            Z = self.exog[:, self.n_mean :]
            return np.hstack([X * d_eta[:, None], Z * d_zeta[:, None]])

        def score(self, params):
            return self.score_obs(params).sum(0)

        def hessian(self, params):
            h = approx_fprime(np.asarray(params, dtype=float), self.score, centered=True)
            return (h + h.T) / 2.0

    return BetaBinomialRegression


def _names_in(formulas) -> set[str]:
    """The names a formula may read from the table: identifiers and Q("...") names."""
    names: set[str] = set()
    for f in formulas:
        names.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", f))
        names.update(m[1] for m in re.findall(r"""Q\(\s*(["'])(.*?)\1\s*\)""", f))
    return names


def _add_covariates(frame: pd.DataFrame, formulas) -> pd.DataFrame:
    names = _names_in(formulas)
    out = frame
    if "year" in names and "year" not in frame.columns:
        out = out.copy()
        if "period_start" in frame.columns:
            out["year"] = _years_from_start(frame["period_start"])
        elif "period" in frame.columns:
            text = frame["period"].astype(str)
            years = pd.to_numeric(text.str[:4], errors="coerce")
            bad = years.isna() | frame["period"].isna()
            if bad.any():
                row = years.index[bad][0]
                raise DataError(f"the formula names year, but period {text[row]!r} does not start with a year; "
                                "give periods such as '2022' or '2022K1', or a 'year' column", row=row, column="period")
            out["year"] = years.astype(int)
    if "population" in names and "population" not in frame.columns:
        if "kommunekode" not in frame.columns:
            raise DataError("the formula names population, but the table has neither 'population' nor 'kommunekode'; "
                            "give one of them", column="population")
        from ..table.kommuner import municipalities

        pop = municipalities().set_index("kommunekode")["population"]
        codes = frame["kommunekode"].astype(str).str.zfill(3)
        out = out.copy()
        out["population"] = codes.map(pop).to_numpy(dtype=float)
        missing = out["population"].isna()
        if missing.any():
            lacking = list(dict.fromkeys(codes[missing]))
            shown = ", ".join(map(repr, lacking[:10])) + (f" and {len(lacking) - 10} more" if len(lacking) > 10 else "")
            raise DataError(
                f"no population for {len(lacking)} kommunekode(r): {shown} ({int(missing.sum())} rows, the first at "
                f"row {out.index[missing][0]!r}); danmark knows the population of the {len(pop)} kommuner "
                "(Danmarks Statistik FOLK1A): give a 'population' column for other units",
                column="kommunekode",
            )
    return out


def _years_from_start(start: pd.Series) -> pd.Series:
    """The year of each period_start (dates, or text such as '2022-01-01'), or a DataError naming the row."""
    if pd.api.types.is_datetime64_any_dtype(start.dtype):
        parsed = start
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                parsed = pd.to_datetime(start, errors="coerce", format="mixed")
            except (TypeError, ValueError, OverflowError):
                parsed = pd.Series(pd.NaT, index=start.index)
    bad = parsed.isna()
    if bad.any():
        row = start.index[bad][0]
        raise DataError(f"the formula names year, but period_start {start[row]!r} is not a date; give dates such as "
                        "'2022-01-01', or a 'year' column", row=row, column="period_start")
    return parsed.dt.year.astype(int)


def _is_datelike(column: pd.Series) -> bool:
    dtype = column.dtype
    if pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype) \
            or isinstance(dtype, pd.PeriodDtype):
        return True
    if pd.api.types.is_object_dtype(dtype):
        values = column.dropna()
        return len(values) > 0 and all(isinstance(v, datetime.date | datetime.timedelta | pd.Period | np.datetime64)
                                       for v in values)
    return False


def _refuse_dates(formula, frame, what):
    for name in sorted(_names_in([formula])):
        if name in frame.columns and _is_datelike(frame[name]):
            raise DataError(
                f"{what} {formula!r} reads column {name!r}, which holds dates ({frame[name].dtype}); a formula needs "
                f"numbers or categories: use the year (a 'year' column, e.g. {name}.dt.year) or text such as '2022K1'",
                column=name,
            )


def _design(formula, frame, what):
    """The design matrix of a one-sided formula on *frame*: ArgumentError for a bad formula, DataError for bad data."""
    import patsy

    formula = check_formula(formula, what, columns=frame.columns)
    rhs = formula.split("~", 1)[1]
    _refuse_dates(formula, frame, what)
    env = patsy.EvalEnvironment([{"np": np}])  # the table's columns and numpy only: never this module's variables
    with np.errstate(all="ignore"):  # a transform's NaN or inf is reported below, with its rows
        return _build(formula, rhs, frame, what, env)


def _build(formula, rhs, frame, what, env):
    import patsy

    try:
        desc = patsy.ModelDesc.from_formula("~" + rhs)
        (info,) = patsy.design_matrix_builders([desc.rhs_termlist], lambda: iter([frame]), env, NA_action="raise")
        columns = len(info.column_names)
        if columns == 0:
            raise ArgumentError(
                f"{what} {formula!r} has no terms: it would fix the prior's "
                f"{'mean at 0.5' if what == 'formula' else 'strength at 1'}; use '~ 1' for a constant, "
                "or name covariates as in '~ C(year)'", column=what)
        if columns >= len(frame):
            raise DataError(f"{what} {formula!r} has {columns} columns; they need more units with n > 0 than "
                            f"that, and the table has {len(frame)}", column=what)
        check_memory(columns, len(frame), name=what)
        X = patsy.build_design_matrices([info], frame, NA_action="raise", return_type="dataframe")[0]
    except (ArgumentError, DataError):
        raise
    except patsy.PatsyError as err:
        if "missing values" in err.message:
            _missing(err, frame, env, what, formula)
        raise ArgumentError(f"{what} {formula!r} does not fit the table: {err.message}", column=what) from None
    except RecursionError:
        raise ArgumentError(f"{what} {formula[:60]!r} is too deeply built for patsy to read; write it with fewer "
                            "terms or brackets", column=what) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError, NameError, SyntaxError) as err:
        raise ArgumentError(f"{what} {formula!r} does not fit the table: {type(err).__name__}: {err}",
                            column=what) from None
    values = X.to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise DataError(f"{what} {formula!r} gives {values[row, col]} for its column {X.columns[col]!r}; "
                        "the formula's columns must be finite numbers", row=X.index[row], column=X.columns[col])
    return X


def _missing(err, frame, env, what, formula):
    """A DataError naming the term of *formula* that is missing and the rows where it is."""
    import patsy

    origin = getattr(err, "origin", None)
    term = origin.code[origin.start:origin.end] if origin is not None else None
    rows = []
    if term:
        try:
            kept = patsy.dmatrix(f"~ {term} - 1", frame, NA_action="drop", return_type="dataframe", eval_env=env)
            rows = list(frame.index.difference(kept.index, sort=False))
        except (patsy.PatsyError, ArithmeticError, LookupError, TypeError, ValueError):
            rows = []
    shown = ", ".join(map(repr, rows[:10])) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")
    raise DataError(
        f"{what} {formula!r}: {term or 'a term'} is missing (NaN/None) "
        f"{f'in {len(rows)} row(s): {shown}' if rows else 'in some rows'}; "
        "every unit with n > 0 needs a value (drop the rows or fill them in)",
        row=rows[0] if rows else None, column=term,
    ) from None


def _collinear(D: pd.DataFrame, what: str) -> None:
    """A DataError naming the columns of a design matrix that are linearly dependent."""
    values = D.to_numpy(dtype=float)
    top = np.abs(values).max(axis=0)
    zero = top == 0
    if zero.any():
        raise DataError(f"{what}: column {D.columns[zero][0]!r} is zero in every row; drop it", column=what)
    scaled = values / top
    scaled = scaled / np.sqrt((scaled**2).sum(axis=0))
    _, sv, vt = np.linalg.svd(scaled, full_matrices=False)
    tol = sv.max() * max(scaled.shape) * np.finfo(float).eps * 10
    null = vt[sv <= tol]
    if len(null) == 0:
        return
    involved = [c for c, w in zip(D.columns, np.abs(null).max(axis=0), strict=True) if w > 1e-6]
    flat = [c for c in involved if c != "Intercept" and np.ptp(values[:, list(D.columns).index(c)]) == 0]
    hint = (f"{', '.join(map(repr, flat))} does not vary (the same in every row), so the intercept already holds it"
            if flat and "Intercept" in involved else "one is a combination of the others (duplicates, or categories "
            "that always go together)")
    raise DataError(f"{what}: the columns {', '.join(map(repr, involved))} are collinear: {hint}; drop one",
                    column=what)


class PriorRegression(Prior):
    """A fitted beta-binomial regression prior (from :func:`danmark.fit_prior` with ``formula=``).

    Attributes
    ----------
    results : statsmodels results
        Everything statsmodels offers (``cov_params()``, ``conf_int()``, ``tvalues``, ...).
    params, bse : Series
        Coefficients and standard errors; mean coefficients under their patsy
        names (logit scale), strength coefficients prefixed ``log_strength:``.
    llf, aic, bic : float
        Log-likelihood (with the binomial coefficients, comparable with
        ``BetaPrior.loglik``), Akaike and Bayesian information criteria.
    data : DataFrame
        The fitted rows (n > 0) with ``k``, ``n`` and any covariates added.

    Examples
    --------
    >>> import danmark
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame({"year": np.repeat([2021, 2022], 60), "n": 40})
    >>> theta = rng.beta(np.where(df.year == 2021, 4, 6), 6)
    >>> df["k"] = rng.binomial(df.n, theta)
    >>> m = danmark.fit_prior(df, formula="~ C(year)")
    >>> m.params.round(2).tolist()
    [-0.37, 0.25, 2.5]
    >>> m.priors()["mean"].iloc[[0, 60]].round(3).tolist()   # each year's own prior mean
    [0.408, 0.469]
    >>> shrunk = danmark.shrink(df, prior=m)   # each row pulled toward its year's mean
    """

    def __init__(self, results, formula, strength_formula, data, di_mean, di_strength):
        self.results = results
        self.formula = formula
        self.strength_formula = strength_formula
        self.data = data
        self._di_mean = di_mean
        self._di_strength = di_strength
        self.n_mean = len(di_mean.column_names)
        self.names = list(results.model.exog_names)

    params = property(lambda self: pd.Series(np.asarray(self.results.params), index=self.names, name="params"),
                      doc="Coefficients (Series).")
    bse = property(lambda self: pd.Series(np.asarray(self.results.bse), index=self.names, name="bse"),
                   doc="Standard errors (Series).")
    llf = property(lambda self: float(self.results.llf), doc="Log-likelihood.")
    loglik = llf
    aic = property(lambda self: float(self.results.aic), doc="Akaike information criterion.")
    bic = property(lambda self: float(self.results.bic), doc="Bayesian information criterion.")
    method = "regression"

    def summary(self):
        """statsmodels' summary table of the coefficients."""
        return self.results.summary()

    def __repr__(self) -> str:
        return (
            f"PriorRegression(formula={self.formula!r}, strength_formula={self.strength_formula!r}, "
            f"nobs={len(self.data)}, llf={self.llf:.4g}, aic={self.aic:.4g})"
        )

    def lr_test(self) -> LRTest:
        """Likelihood-ratio test against the constant prior (one Beta for every row).

        The statistic 2 (llf − llf₀) is referred to χ² with as many degrees of
        freedom as extra coefficients. (When the constant prior is complete
        pooling the null sits on the boundary and the p-value is conservative.)
        The test needs the constant prior nested in this one (both formulas
        with an intercept, or its equivalent) and at least one extra
        coefficient; otherwise it raises :class:`~danmark.ArgumentError`.
        """
        ones = np.ones((len(self.data), 1))
        X = np.asarray(self.results.model.exog, dtype=float)
        for part, D in (("formula", X[:, : self.n_mean]), ("strength_formula", X[:, self.n_mean :])):
            fitted = D @ np.linalg.lstsq(D, ones[:, 0], rcond=None)[0]
            if not np.allclose(fitted, 1.0, atol=1e-8):
                raise ArgumentError(
                    f"lr_test compares with the constant prior, which {part} {getattr(self, part)!r} does not "
                    "contain (no intercept); fit with an intercept, e.g. '~ 1 + x', to test the covariates",
                    column=part)
        if len(self.params) <= 2:
            raise ArgumentError("lr_test: these formulas are the constant prior itself ('~ 1'); there are no "
                                "covariates to test", column="formula")
        k, n = self.data["k"].to_numpy(float), self.data["n"].to_numpy(float)
        start = np.array([self.params.iloc[0], self.params.iloc[self.n_mean]])
        try:
            null_llf = float(_fit(k, n, ones, ones, ["Intercept", "log_strength:Intercept"], start).llf)
        except DataError:
            null_llf = float("nan")
        null_llf = _best_constant_llf(null_llf, k, n)
        df = len(self.params) - 2
        stat = max(2.0 * (self.llf - null_llf), 0.0)
        p = float(special.chdtrc(df, stat)) if df > 0 else float("nan")
        return LRTest(stat, df, p, null_llf)

    def priors(self, data=None) -> pd.DataFrame:
        """Each row's prior: ``alpha``, ``beta``, ``mean``, ``strength`` (the fitted rows, or *data*'s)."""
        if data is None:
            X = np.asarray(self.results.model.exog)
            index = self.data.index
        else:
            X = _new_rows(data, self)
            index = data.index
        mu, s, a, b = _shapes(X, np.asarray(self.params), self.n_mean)
        out = pd.DataFrame({"alpha": a, "beta": b, "mean": mu, "strength": s}, index=index)
        _proper(out)
        return out

    # --- the prior protocol (danmark.stats.prior_protocol): the posteriors of the fitted rows

    @property
    def mean(self) -> np.ndarray:
        """Each fitted row's prior mean."""
        return self.priors()["mean"].to_numpy()

    @property
    def n_params(self) -> int:
        """Number of coefficients (mean and strength)."""
        return len(self.names)

    def describe(self) -> str:
        return (f"beta-binomial regression prior: logit mean {self.formula}, log strength "
                f"{self.strength_formula} ({len(self.names)} coefficients, {len(self.data)} rows)")

    def posterior_mean(self, k, n) -> np.ndarray:
        return self.for_units(np.size(k)).posterior_mean(k, n)

    def posterior_quantile(self, k, n, *, q) -> np.ndarray:
        return self.for_units(np.size(k)).posterior_quantile(k, n, q=q)

    def posterior_interval(self, k, n, *, level=DEFAULT_LEVEL, kind="equal-tailed"):
        return self.for_units(np.size(k)).posterior_interval(k, n, level=level, kind=kind)

    def posterior_sf(self, k, n, *, reference) -> np.ndarray:
        return self.for_units(np.size(k)).posterior_sf(k, n, reference=reference)

    def prior_weight(self, k, n) -> np.ndarray:
        return self.for_units(np.size(k)).prior_weight(k, n)

    def posterior_shapes(self, k, n) -> dict:
        return self.for_units(np.size(k)).posterior_shapes(k, n)

    def marginal_loglik(self, k, n) -> float:
        return self.for_units(np.size(k)).marginal_loglik(k, n)

    def for_units(self, count: int, frame=None) -> RowBetas:
        """Each row's Beta prior: *frame*'s rows, or the fitted rows when *count* is their number."""
        if frame is not None:
            p = self.priors(frame)
        elif count == len(self.data):
            p = self.priors()
        else:
            raise DataError(
                f"a regression prior needs the table it describes: give the DataFrame (with the formula's "
                f"columns), or exactly the {len(self.data)} fitted rows; got {count} units"
            )
        return RowBetas(p["alpha"].to_numpy(), p["beta"].to_numpy(), n_params=self.n_params)


def _new_rows(data, model) -> np.ndarray:
    """The design of *data*'s rows under a fitted prior's formulas; DataError naming what does not fit."""
    import patsy

    if not isinstance(data, pd.DataFrame):
        raise DataError(f"a regression prior needs a DataFrame with the formula's columns; got {type(data).__name__}",
                        column="data")
    frame = _add_covariates(data, [model.formula, model.strength_formula])
    parts = []
    for what, formula, info in (("formula", model.formula, model._di_mean),
                                ("strength_formula", model.strength_formula, model._di_strength)):
        _refuse_dates(formula, frame, what)
        with np.errstate(all="ignore"):
            try:
                D = patsy.build_design_matrices([info], frame, NA_action="raise", return_type="dataframe")[0]
            except patsy.PatsyError as err:
                if "missing values" in err.message:
                    _missing(err, frame, patsy.EvalEnvironment.capture(0), what, formula)
                raise DataError(f"the prior's {what} {formula!r} does not fit the table: {err.message}",
                                column=what) from None
            except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError, NameError) as err:
                raise DataError(f"the prior's {what} {formula!r} does not fit the table: {type(err).__name__}: "
                                f"{err}", column=what) from None
        values = D.to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        if bad.any():
            row, col = np.argwhere(bad)[0]
            raise DataError(f"the prior's {what} {formula!r} gives {values[row, col]} for its column "
                            f"{D.columns[col]!r}; the formula's columns must be finite numbers",
                            row=D.index[row], column=D.columns[col])
        parts.append(values)
    return np.hstack(parts)


def _proper(priors: pd.DataFrame) -> None:
    """A DataError for rows whose prior is not a proper Beta (covariates so far out that the mean is 0 or 1)."""
    bad = ~((priors["alpha"] > 0) & (priors["beta"] > 0) & np.isfinite(priors[["alpha", "beta"]]).all(axis=1))
    if bad.any():
        row = priors.index[bad.to_numpy()][0]
        raise DataError(
            f"the regression prior of row {row!r} is not a proper Beta (mean {priors.loc[row, 'mean']:.3g}, "
            f"strength {priors.loc[row, 'strength']:.3g}): its covariates lie far outside the fitted rows'; "
            "give covariates like the fitted ones", row=row, column="formula")


def _best_constant_llf(llf: float, k, n) -> float:
    """The constant prior's maximised log-likelihood: the better of the regression's own fit (*llf*) and
    :func:`danmark.fit_prior`'s (which handles the boundary of no spread); NaN never reaches a test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PoolingWarning)
        beta = float(fit_beta_prior(k.astype(np.int64), n.astype(np.int64)).loglik)
    return max(v for v in (llf, beta) if math.isfinite(v))


def _shapes(X, params, n_mean):
    eta = X[:, :n_mean] @ params[:n_mean]
    s = np.exp(np.minimum(X[:, n_mean:] @ params[n_mean:], _MAX_LOG_STRENGTH))
    mu = special.expit(eta)
    return mu, s, s * mu, s * special.expit(-eta)


def _fit(k, n, X, Z, names, start):
    Model = _model_class()
    exog = pd.DataFrame(np.hstack([X, Z]), columns=list(names))
    model = Model(k, exog, n, X.shape[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter is judged below, on the gradient
        try:
            res = model.fit(start_params=start, method="bfgs", maxiter=2000, gtol=1e-8, disp=False)
        except (np.linalg.LinAlgError, ValueError, OverflowError):
            raise DataError("the beta-binomial regression did not converge (singular or overflowing likelihood); "
                            "simplify the formulas", column="formula") from None
        try:
            res = model.fit(start_params=res.params, method="newton", maxiter=50, disp=False)
        except (np.linalg.LinAlgError, ValueError, OverflowError):
            pass  # a singular Hessian (a boundary of no spread): the BFGS optimum stands, judged by _check_fit
    return res


def fit_prior_regression(df, formula="~ 1", strength_formula="~ 1") -> PriorRegression:
    """Fit the prior's mean (logit link) and strength (log link) on covariates.

    Parameters
    ----------
    df : DataFrame
        Units with ``k``, ``n`` (or the tidy counts) and the formulas' columns
        (``year`` and ``population`` are added when missing, see the module
        docstring). Rows with n = 0 and Hele landet are left out of the fit.
    formula, strength_formula : str
        One-sided patsy formulas for logit(prior mean) and log(prior strength).

    Returns
    -------
    PriorRegression

    Examples
    --------
    >>> df = pd.DataFrame({"k": [3, 5, 9, 12, 4, 10], "n": [20, 21, 22, 25, 18, 24],
    ...                    "area": ["a", "a", "b", "b", "a", "b"]})
    >>> m = fit_prior_regression(df, "~ area")
    >>> m.params.index.tolist()
    ['Intercept', 'area[T.b]', 'log_strength:Intercept']
    """
    formula = check_formula(formula, "formula")
    strength_formula = check_formula(strength_formula, "strength_formula")
    if not isinstance(df, pd.DataFrame):
        raise DataError("fit_prior with a formula needs a DataFrame holding the counts and the formula's columns")
    frame, kk, nn = frame_units(df, where="fit_prior", stacklevel=5)
    k, n = check_k_n(kk, nn)
    k, n = np.atleast_1d(k), np.atleast_1d(n)
    keep = n > 0
    frame = frame.loc[keep].copy()
    frame["k"], frame["n"] = k[keep], n[keep]
    if len(frame) < 3:
        raise DataError(f"fit_prior with a formula needs at least three units with n > 0; got {len(frame)}")
    frame = _add_covariates(frame, [formula, strength_formula])
    X = _design(formula, frame, "formula")
    Z = _design(strength_formula, frame, "strength_formula")
    p = X.shape[1] + Z.shape[1]
    _collinear(X, "formula")
    _collinear(Z, "strength_formula")
    if len(frame) <= p:
        raise DataError(f"{p} coefficients need more than {p} units with n > 0; got {len(frame)}")
    kf, nf = frame["k"].to_numpy(float), frame["n"].to_numpy(float)
    if kf.sum() == 0 or kf.sum() == nf.sum():
        raise DataError("all units have k = 0 (or all k = n): no Beta prior fits")
    names = list(X.columns) + [f"log_strength:{c}" for c in Z.columns]
    start = np.zeros(p)
    pooled = kf.sum() / nf.sum()
    rates = kf / nf
    v = rates.var(ddof=1)
    s0 = pooled * (1 - pooled) / v - 1.0 if v > 0 else 100.0
    if "Intercept" in X.columns:
        start[list(X.columns).index("Intercept")] = special.logit(pooled)
    if "Intercept" in Z.columns:
        start[X.shape[1] + list(Z.columns).index("Intercept")] = math.log(min(max(s0, 1.0), 1e4))
    res = _fit(kf, nf, X.to_numpy(float), Z.to_numpy(float), names, start)
    _check_fit(res, kf, nf, X.to_numpy(float), Z.to_numpy(float))
    return PriorRegression(res, formula, strength_formula, frame,
                           X.design_info, Z.design_info)


def _check_fit(res, k, n, X, Z) -> None:
    """A DataError for a fit that did not converge; the PoolingWarning of fit_prior(k, n) for one with no spread.

    As for one Beta, a strength at its upper boundary (above POOLED_STRENGTH_FACTOR x the largest n), or a
    likelihood no higher than the binomial regression's (the limit of infinite strength), means no variation
    between units beyond binomial chance around the formula's mean: complete pooling.
    """
    params = np.asarray(res.params, dtype=float)
    score = np.asarray(res.model.score(params), dtype=float)
    if not np.all(np.isfinite(params)) or not np.isfinite(res.llf) or not np.all(np.isfinite(score)) \
            or np.abs(score).max() > 1e-4 * len(k):
        raise DataError("the beta-binomial regression did not converge (its gradient is not zero at the end); "
                        "simplify the formulas, or rescale covariates with huge values (e.g. np.log(population))",
                        column="formula")
    log_s = np.minimum(Z @ params[X.shape[1]:], _MAX_LOG_STRENGTH)
    at_boundary = log_s > math.log(POOLED_STRENGTH_FACTOR * float(n.max())) - 1.0
    binomial = _binomial_llf(k, n, X)
    if at_boundary.all() or float(res.llf) <= binomial + 1e-6:
        why, rows = "the beta-binomial MLE of the strength is infinite", "every row"
    elif at_boundary.any():
        why, rows = "the MLE of the strength is infinite for some rows", f"{int(at_boundary.sum())} of {len(k)} rows"
    else:
        return
    warnings.warn(
        f"fit_prior: {why}; no variation between units beyond binomial chance around the formula's mean, so "
        f"the prior of {rows} is complete pooling (strength above {POOLED_STRENGTH_FACTOR:g} x the largest n)",
        PoolingWarning,
        stacklevel=4,
    )


def _binomial_llf(k, n, X) -> float:
    """Log-likelihood of the binomial regression logit p = X beta (no spread beyond chance), or -inf."""
    from statsmodels.genmod.families import Binomial
    from statsmodels.genmod.generalized_linear_model import GLM

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = GLM(np.column_stack([k, n - k]), X, family=Binomial()).fit()
        except (ValueError, np.linalg.LinAlgError, FloatingPointError):
            return -math.inf
    llf = float(fit.llf)
    return llf if math.isfinite(llf) else -math.inf
