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

import math
import warnings
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import special

from .._special import betabinom_loglik_core, digamma_diff, log_choose
from .._units import frame_units
from .._validate import check_k_n
from ..errors import ArgumentError, DataError
from .beta_prior import BetaConjugate
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


def _add_covariates(frame: pd.DataFrame, formulas) -> pd.DataFrame:
    text = " ".join(formulas)
    out = frame
    if "year" in text and "year" not in frame.columns:
        out = out.copy()
        if "period_start" in frame.columns:
            out["year"] = pd.to_datetime(frame["period_start"]).dt.year
        elif "period" in frame.columns:
            years = pd.to_numeric(frame["period"].astype(str).str[:4], errors="coerce")
            if years.isna().any():
                bad = years.index[years.isna()][0]
                raise DataError("no year in the period text", row=bad, column="period")
            out["year"] = years.astype(int)
    if "population" in text and "population" not in frame.columns:
        if "kommunekode" not in frame.columns:
            raise DataError("the formula names population, but the table has neither 'population' nor 'kommunekode'")
        from ..table.kommuner import municipalities

        pop = municipalities().set_index("kommunekode")["population"]
        codes = frame["kommunekode"].astype(str).str.zfill(3)
        out = out.copy()
        out["population"] = codes.map(pop).to_numpy(dtype=float)
        missing = out["population"].isna()
        if missing.any():
            bad = out.index[missing][0]
            raise DataError(f"no population for kommunekode {codes[bad]!r}", row=bad, column="kommunekode")
    return out


def _design(formula, frame, what):
    import patsy

    if not isinstance(formula, str) or "~" not in formula:
        raise ArgumentError(f"{what} must be a patsy formula such as '~ C(year)'; got {formula!r}")
    rhs = formula.split("~", 1)[1]
    if "~" in rhs or formula.split("~", 1)[0].strip():
        raise ArgumentError(f"{what} must be one-sided ('~ ...'): the response is always the reversal count; got {formula!r}")
    try:
        return patsy.dmatrix("~" + rhs, frame, NA_action="raise", return_type="dataframe", eval_env=1)
    except patsy.PatsyError as err:
        raise ArgumentError(f"{what} {formula!r} does not fit the table: {err.message}") from None


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
        """
        ones = np.ones((len(self.data), 1))
        k, n = self.data["k"].to_numpy(float), self.data["n"].to_numpy(float)
        start = np.array([self.params.iloc[0], self.params.iloc[self.n_mean]])
        null = _fit(k, n, ones, ones, ["Intercept", "log_strength:Intercept"], start)
        df = len(self.params) - 2
        stat = max(2.0 * (self.llf - float(null.llf)), 0.0)
        p = float(special.chdtrc(df, stat)) if df > 0 else float("nan")
        return LRTest(stat, df, p, float(null.llf))

    def priors(self, data=None) -> pd.DataFrame:
        """Each row's prior: ``alpha``, ``beta``, ``mean``, ``strength`` (the fitted rows, or *data*'s)."""
        if data is None:
            X = np.asarray(self.results.model.exog)
            index = self.data.index
        else:
            import patsy

            frame = _add_covariates(data, [self.formula, self.strength_formula])
            try:
                Xm = patsy.build_design_matrices([self._di_mean], frame, NA_action="raise")[0]
                Xs = patsy.build_design_matrices([self._di_strength], frame, NA_action="raise")[0]
            except patsy.PatsyError as err:
                raise DataError(f"the prior's formulas do not fit the table: {err.message}") from None
            X = np.hstack([np.asarray(Xm), np.asarray(Xs)])
            index = data.index
        mu, s, a, b = _shapes(X, np.asarray(self.params), self.n_mean)
        return pd.DataFrame({"alpha": a, "beta": b, "mean": mu, "strength": s}, index=index)

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

    def posterior_interval(self, k, n, *, level=0.95, kind="equal-tailed"):
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
        res = model.fit(start_params=start, method="bfgs", maxiter=2000, gtol=1e-8, disp=False)
        res = model.fit(start_params=res.params, method="newton", maxiter=50, disp=False)
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
    if any(np.linalg.matrix_rank(D.T @ D) < D.shape[1] for D in (X.to_numpy(float), Z.to_numpy(float))):
        raise DataError("the formula's columns are collinear (a covariate that does not vary, or duplicates)")
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
    if not np.all(np.isfinite(np.asarray(res.params))):
        raise DataError("the beta-binomial regression did not converge")
    return PriorRegression(res, formula, strength_formula, frame,
                           X.design_info, Z.design_info)
