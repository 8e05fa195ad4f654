"""Property tests for every public estimator and every public function that takes counts (issue 10).

For valid counts (hypothesis draws them: 0 <= k <= n, a few units, small and large n):

* every result is finite where the docstring says it is; probabilities, shares and rates
  lie in [0, 1]; an interval surrounds its estimate (lower <= estimate <= upper);
* the same counts given as lists, numpy arrays, pandas Series and (where accepted) a
  DataFrame -- with columns k and n, or the tidy counts -- give the same numbers.

For invalid counts (k > n, negative, fractional, NaN, inf, text, booleans, None, 2**63,
10**30, empty, mismatched lengths, 2-D, Series with different labels), one bad value in
an otherwise valid input: a :class:`danmark.DataError`, never another exception and never
a result. Bad *arguments* (levels, priors, methods, seeds) are checked the same way.

Numbers here are SYNTHETIC (drawn by hypothesis), never real figures.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from threadpoolctl import threadpool_limits

import danmark
from danmark import DataError

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BAD = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

METHODS = ["wilson", "jeffreys", "exact", "agresti_coull"]
ALTERNATIVES = ["two-sided", "larger", "smaller"]
TOL = 1e-9


@pytest.fixture(autouse=True)
def _quiet():
    """Warnings that are findings, not failures: complete pooling, the national total left out.

    One BLAS thread: scipy's L-BFGS-B (fit_prior) calls OpenBLAS on 2-vectors, and on a busy 2-core
    machine waking a second BLAS thread for each made every fit 10-35 times slower (0.4 s instead of 0.01 s).
    """
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore", danmark.PoolingWarning)
        warnings.simplefilter("ignore", danmark.NationalTotalWarning)
        warnings.simplefilter("ignore", danmark.MissingPeriodsWarning)
        yield


# --------------------------------------------------------------------------- strategies


@st.composite
def units(draw, min_size=1, max_size=8, max_n=400, min_n=0):
    """(k, n) lists: 0 <= k <= n, with small kommuner and the odd large one."""
    size = draw(st.integers(min_size, max_size))
    n = draw(st.lists(st.one_of(st.integers(min_n, 30), st.integers(max(min_n, 0), max_n)), min_size=size, max_size=size))
    k = [draw(st.integers(0, x)) for x in n]
    return k, n


@st.composite
def informative(draw, max_size=8, max_n=200):
    """Units a prior can be fitted to: two with cases, not all k = 0, not all k = n, one with 0 < k < n."""
    k, n = draw(units(min_size=2, max_size=max_size, max_n=max_n, min_n=2))
    i = draw(st.integers(0, len(n) - 1))
    k[i] = draw(st.integers(1, n[i] - 1))
    return k, n


LABELS = ["101", "147", "269", "751", "851", "461", "561", "621", "360", "157"]


def containers(k, n):
    """The same counts as lists, arrays, Series (shared labels) and Series in another label order."""
    labels = LABELS[: len(k)]
    ks, ns = pd.Series(k, index=labels), pd.Series(n, index=labels)
    return {
        "list": (list(k), list(n)),
        "tuple": (tuple(k), tuple(n)),
        "array": (np.asarray(k), np.asarray(n)),
        "float array": (np.asarray(k, dtype=float), np.asarray(n, dtype=float)),
        "Series": (ks, ns),
        "Int64 Series": (ks.astype("Int64"), ns.astype("Int64")),
        "Series, n reordered": (ks, ns.iloc[::-1]),
    }


def tidy(k, n, *, split=0.5):
    """A tidy table with these counts: omgjort k split into ændret and hjemvist."""
    k, n = np.asarray(k), np.asarray(n)
    aendret = np.floor(k * split).astype(int)
    return pd.DataFrame(
        {"kommunekode": LABELS[: len(k)], "stadfaestet": n - k, "aendret": aendret, "hjemvist": k - aendret},
        index=LABELS[: len(k)],
    )


def frames(k, n):
    """The DataFrames a unit-level analysis accepts in place of k: columns k, n; the tidy counts."""
    kn = pd.DataFrame({"k": k, "n": n}, index=LABELS[: len(k)])
    national = pd.concat(
        [tidy(k, n), pd.DataFrame({"kommunekode": ["000"], "stadfaestet": [900], "aendret": [50], "hjemvist": [50]},
                                  index=["national"])]
    )
    unknown = tidy(k, n).astype({"aendret": "Int64", "hjemvist": "Int64"})
    unknown.loc[unknown.index[0], ["aendret", "hjemvist"]] = pd.NA
    unknown["omgjort"] = pd.array(k, dtype="Int64")
    return {"k/n frame": kn, "tidy": tidy(k, n), "tidy + Hele landet": national, "tidy, split unknown": unknown}


def same(a, b, columns):
    """The numeric columns agree (positionally, NaN where NaN)."""
    for c in columns:
        np.testing.assert_allclose(np.asarray(a[c], dtype=float), np.asarray(b[c], dtype=float), rtol=1e-10, atol=1e-12,
                                   err_msg=c)


def in_unit(*arrays):
    for a in arrays:
        a = np.asarray(a, dtype=float)
        assert np.all(np.isfinite(a)), a
        assert np.all((a >= 0) & (a <= 1)), a


def ordered(lower, mid, upper, tol=TOL):
    lower, mid, upper = (np.asarray(x, dtype=float) for x in (lower, mid, upper))
    assert np.all(lower <= mid + tol), (lower, mid)
    assert np.all(mid <= upper + tol), (mid, upper)


# --------------------------------------------------------------------------- intervals


@FAST
@given(kn=units(), method=st.sampled_from(METHODS), alternative=st.sampled_from(ALTERNATIVES),
       level=st.one_of(st.floats(0.8, 0.999), st.floats(0.01, 0.8)))
def test_binomial_ci(kn, method, alternative, level):
    k, n = kn
    out = danmark.binomial_ci(k, n, level=level, method=method, alternative=alternative)
    in_unit(out["lower"], out["upper"])
    assert (out["lower"] <= out["upper"]).all()
    has = np.asarray(n) > 0
    assert out["raw"].isna().to_numpy().tolist() == (~has).tolist()
    if level >= 0.8:
        # at low levels an interval need not hold k/n: Jeffreys' is centred on the posterior median
        # (k + 1/2)/(n + 1), and a one-sided lower bound below 50 % confidence lies above k/n
        ordered(out["lower"][has], out["raw"][has], out["upper"][has])
    assert (out.loc[~has, ["lower", "upper"]].to_numpy() == [0.0, 1.0]).all()
    for kk, nn in containers(k, n).values():
        other = danmark.binomial_ci(kk, nn, level=level, method=method, alternative=alternative)
        if isinstance(kk, pd.Series):
            other = other.loc[kk.index]
        same(out, other, ["k", "n", "raw", "lower", "upper"])


@FAST
@given(kn=units(min_n=1), level=st.floats(0.5, 0.999))
def test_audit_bound(kn, level):
    errors, reviewed = kn
    out = danmark.audit_bound(errors, reviewed, level=level)
    in_unit(out["raw"], out["upper_exact"])
    assert (out["upper_exact"] >= out["raw"] - TOL).all()
    zero = np.asarray(errors) == 0
    assert out["rule_of_three"][zero].gt(0).all() and out["rule_of_three"][~zero].isna().all()
    for kk, nn in containers(errors, reviewed).values():
        other = danmark.audit_bound(kk, nn, level=level)
        if isinstance(kk, pd.Series):
            other = other.loc[kk.index]
        same(out, other, ["errors", "reviewed", "raw", "upper_exact", "rule_of_three"])


# --------------------------------------------------------------------------- shrinkage


priors = st.tuples(st.floats(0.05, 50), st.floats(0.05, 50))


def _check_posterior(out, level):
    in_unit(out["estimate"], out["median"], out["lower"], out["upper"], out["weight"])
    ordered(out["lower"], out["median"], out["upper"])
    # the posterior mean of a very skewed Beta (a shape below 1) can lie in a tail; otherwise
    # it is inside the central interval at any usual level
    regular = (out["alpha1"] >= 1) & (out["beta1"] >= 1)
    if level >= 0.8:
        ordered(out["lower"][regular], out["estimate"][regular], out["upper"][regular])
    assert (out["weight"] > 0).all()
    assert np.isfinite(out[["alpha1", "beta1"]].to_numpy()).all() and (out[["alpha1", "beta1"]] > 0).all().all()


@FAST
@given(kn=units(), prior=priors, interval=st.sampled_from(["equal-tailed", "hpd"]), level=st.floats(0.5, 0.99))
def test_shrink_with_a_given_prior(kn, prior, interval, level):
    k, n = kn
    out = danmark.shrink(k, n, prior=prior, level=level, interval=interval)
    if interval == "equal-tailed":
        _check_posterior(out, level)
    else:  # the shortest interval: inside [0, 1], and never longer than the equal-tailed one
        in_unit(out["estimate"], out["lower"], out["upper"])
        central = danmark.shrink(k, n, prior=prior, level=level)
        assert ((out["upper"] - out["lower"]) <= (central["upper"] - central["lower"]) + 1e-7).all()
    for kk, nn in containers(k, n).values():
        other = danmark.shrink(kk, nn, prior=prior, level=level, interval=interval)
        if isinstance(kk, pd.Series):
            other = other.loc[kk.index]
        same(out, other, ["k", "n", "estimate", "median", "lower", "upper", "weight"])


@settings(max_examples=15, deadline=None)  # a fit that ends in complete pooling takes ~50 ms
@given(kn=informative(), method=st.sampled_from(["mle", "mm"]))
def test_fit_prior_and_shrink_with_it(kn, method):
    k, n = kn
    try:
        prior = danmark.fit_prior(k, n, method=method)
    except DataError as err:  # documented: the method of moments cannot fit rates that vary too much
        assert method == "mm" and "vary too much" in str(err)
        return
    assert math.isfinite(prior.alpha) and prior.alpha > 0 and math.isfinite(prior.beta) and prior.beta > 0
    assert 0 < prior.mean < 1
    variants = {**{c: containers(k, n)[c] for c in ("array", "Int64 Series", "Series, n reordered")},
                **{f: (frame, None) for f, frame in frames(k, n).items() if f != "tidy"}}
    for name, (kk, nn) in variants.items():
        other = danmark.fit_prior(kk, nn, method=method)
        assert other.alpha == pytest.approx(prior.alpha, rel=1e-9) and other.beta == pytest.approx(prior.beta, rel=1e-9), name
    if method == "mle":  # shrink's default prior is this fit
        out = danmark.shrink(k, n)
        in_unit(out["estimate"], out["lower"], out["upper"], out["weight"])
        ordered(out["lower"], out["median"], out["upper"])
        same(out, danmark.shrink(k, n, prior=prior), ["estimate", "lower", "upper", "weight"])
        got = danmark.shrink(frames(k, n)["tidy + Hele landet"])  # Hele landet is left out
        same(out, got, ["k", "n", "estimate", "lower", "upper", "weight"])


@FAST
@given(kn=units(), prior=priors, threshold=st.floats(0, 1))
def test_prob_above(kn, prior, threshold):
    k, n = kn
    out = danmark.prob_above(k, n, prior=prior, reference=threshold)
    in_unit(out["prob_above"], out["pep"], out["qvalue"])
    np.testing.assert_allclose(out["prob_above"] + out["pep"], 1.0)
    for kk, nn in containers(k, n).values():
        other = danmark.prob_above(kk, nn, prior=prior, reference=threshold)
        if isinstance(kk, pd.Series):
            other = other.loc[kk.index]
        same(out, other, ["k", "n", "prob_above", "pep", "qvalue"])
    # one threshold per unit, paired by label
    per_unit = pd.Series(threshold, index=LABELS[: len(k)]).iloc[::-1]
    by_label = danmark.prob_above(pd.Series(k, index=LABELS[: len(k)]), pd.Series(n, index=LABELS[: len(k)]),
                                  prior=prior, reference=per_unit)
    same(out, by_label, ["prob_above"])


@FAST
@given(k=st.integers(0, 60), extra=st.integers(0, 60), means=st.lists(st.floats(0.01, 0.99), min_size=1, max_size=3),
       strengths=st.lists(st.floats(0.5, 500), min_size=1, max_size=3))
def test_prior_sensitivity(k, extra, means, strengths):
    out = danmark.prior_sensitivity(k, k + extra, means=means, strengths=strengths)
    assert len(out) == len(means) * len(strengths)
    _check_posterior(out, 0.95)
    in_unit(out["prob_above"])
    same(out, danmark.prior_sensitivity(np.int64(k), float(k + extra), means=np.asarray(means), strengths=tuple(strengths)),
         ["estimate", "lower", "upper", "prob_above"])


@SLOW
@given(kn=informative(max_size=6, max_n=80))
def test_hierarchical(kn):
    k, n = kn
    res = danmark.hierarchical(k, n, grid_size=16, mix_size=8, seed=1)
    u = res.units
    in_unit(u["estimate"], u["median"], u["lower"], u["upper"], u["weight"])
    ordered(u["lower"], u["median"], u["upper"], tol=1e-7)
    ordered(u["lower"], u["estimate"], u["upper"], tol=1e-7)
    assert np.isfinite(res.hyper.to_numpy()).all()
    assert 0 < res.population_mean() < 1
    in_unit(res.prob_above(reference=0.3)["prob_above"], res.prob_above()["qvalue"])
    draws = res.draws(50)
    assert draws.shape == (50, len(k)) and ((draws >= 0) & (draws <= 1)).all()
    for kk, nn in list(containers(k, n).values())[:5]:
        other = danmark.hierarchical(kk, nn, grid_size=16, mix_size=8, seed=1).units
        same(u, other, ["estimate", "lower", "upper"])
    got = danmark.hierarchical(frames(k, n)["tidy + Hele landet"], grid_size=16, mix_size=8, seed=1).units
    same(u, got, ["estimate", "lower", "upper"])


# --------------------------------------------------------------------------- funnels


p0s = st.floats(0.02, 0.98)


@FAST
@given(n=st.lists(st.integers(1, 5000), min_size=1, max_size=8), p0=p0s, method=st.sampled_from(["exact", "wilson", "normal"]),
       extra=st.sampled_from([{}, {"phi": 2.5}, {"tau2": 0.01}, {"phi": 0.5}]))
def test_funnel_limits(n, p0, method, extra):
    out = danmark.funnel_limits(n, reference=p0, method=method, **extra)
    in_unit(out["lower"], out["upper"])
    ordered(out["lower"], np.full(len(out), p0), out["upper"])
    same(out, danmark.funnel_limits(np.asarray(n), reference=p0, method=method, **extra), ["n", "lower", "upper"])
    same(out, danmark.funnel_limits(pd.Series(n, dtype="Int64"), reference=p0, method=method, **extra), ["n", "lower", "upper"])
    top = danmark.funnel_limits(max(n), reference=p0, method=method, **extra)  # the grid from 1 to the largest n
    in_unit(top["lower"], top["upper"])


@FAST
@given(kn=units(min_n=1), p0=st.one_of(st.none(), p0s), method=st.sampled_from(["exact", "wilson", "normal"]),
       od=st.sampled_from([None, "multiplicative", "additive"]))
def test_funnel_flags_and_overdispersion(kn, p0, method, od):
    k, n = kn
    if p0 is None:
        pooled = sum(k) / sum(n)
        assume(0 < pooled < 1)
    out = danmark.funnel_flags(k, n, reference=p0, method=method, overdispersion=od)
    in_unit(out["raw"], out["p_value"])
    assert np.isfinite(out["z"]).all() and out["flag"].notna().all()
    for kk, nn in containers(k, n).values():
        other = danmark.funnel_flags(kk, nn, reference=p0, method=method, overdispersion=od)
        if isinstance(kk, pd.Series):
            other = other.loc[kk.index]
        same(out, other, ["k", "n", "raw", "z", "p_value"])
        assert (other["flag"].astype(str).to_numpy() == out["flag"].astype(str).to_numpy()).all()
    for frame in frames(k, n).values():
        got = danmark.funnel_flags(frame, reference=p0, method=method, overdispersion=od).drop(index="national", errors="ignore")
        same(out, got, ["k", "n", "raw", "z", "p_value"])
    fit = danmark.overdispersion_fit(k, n, reference=p0)
    assert math.isfinite(fit.phi) and fit.phi >= 0 and math.isfinite(fit.tau2) and fit.tau2 >= 0
    assert 0 < fit.reference < 1
    for kk, nn in containers(k, n).values():
        other = danmark.overdispersion_fit(kk, nn, reference=p0)
        assert other.phi == pytest.approx(fit.phi) and other.tau2 == pytest.approx(fit.tau2)


@FAST
@given(n=st.lists(st.integers(1, 3000), min_size=1, max_size=10), p0=p0s)
def test_expected_flags(n, p0):
    out = danmark.expected_flags(n, reference=p0)
    for side in ("expected_above", "expected_below"):
        assert (out[side] >= 0).all() and (out[side] <= out["nominal"] + 1e-9).all()
    same(out, danmark.expected_flags(pd.Series(n), reference=p0), ["expected_above", "expected_below", "nominal"])


# --------------------------------------------------------------------------- outcomes


@st.composite
def three_counts(draw):
    size = draw(st.integers(1, 6))
    col = st.lists(st.integers(0, 300), min_size=size, max_size=size)
    return draw(col), draw(col), draw(col)


@FAST
@given(counts=three_counts(), level=st.floats(0.5, 0.99))
def test_outcome_split(counts, level):
    s, a, h = counts
    out = danmark.outcome_split(s, a, h, level=level)
    in_unit(out["estimate"], out["lower"], out["upper"], out["p_hjemvist_gt_aendret"])
    ordered(out["lower"], out["estimate"], out["upper"])
    shares = out[out["outcome"] != "omgjort"].groupby(level=0)["estimate"].sum()
    np.testing.assert_allclose(shares, 1.0)
    has = out["n"] > 0
    in_unit(out.loc[has, "raw"])
    labels = LABELS[: len(s)]
    for args in (
        (np.asarray(s), np.asarray(a), np.asarray(h)),
        tuple(pd.Series(v, index=labels) for v in (s, a, h)),
        (pd.Series(s, index=labels), pd.Series(a, index=labels).iloc[::-1], pd.Series(h, index=labels)),
    ):
        same(out, danmark.outcome_split(*args, level=level), ["count", "n", "estimate", "lower", "upper"])
    frame = pd.DataFrame({"stadfaestet": s, "aendret": a, "hjemvist": h}, index=labels)
    same(out, danmark.outcome_split(frame, level=level), ["count", "n", "estimate", "lower", "upper"])


@FAST
@given(counts=three_counts(), shares=st.lists(st.floats(0, 1), min_size=1, max_size=4, unique=True),
       treatment=st.sampled_from(["stadfaestet", "exclude"]))
def test_reclassify_hjemvist(counts, shares, treatment):
    s, a, h = counts
    assume(all(x + y + z > 0 for x, y, z in zip(s, a, h, strict=True)))
    out = danmark.reclassify_hjemvist(s, a, h, share=shares, treatment=treatment)
    rate = out["rate"].dropna()  # NaN only when every case was a hjemvisning taken out
    in_unit(rate)
    # re-reading more hjemvisninger as not reversed never raises the rate
    for _, unit in out.dropna(subset=["rate"]).groupby("unit"):
        unit = unit.sort_values("share")
        assert (np.diff(unit["rate"].to_numpy()) <= 1e-12).all()
    labels = LABELS[: len(s)]
    series = [pd.Series(v, index=labels) for v in (s, a, h)]
    same(out, danmark.reclassify_hjemvist(*series, share=shares, treatment=treatment), ["share", "n", "omgjort", "rate"])


# --------------------------------------------------------------------------- power


@FAST
@given(n=st.lists(st.integers(1, 2000), min_size=1, max_size=6), p1=st.floats(0, 1), p0=p0s,
       alternative=st.sampled_from(["larger", "smaller"]), method=st.sampled_from(["exact", "normal"]),
       alpha=st.floats(0.001, 0.2))
def test_power(n, p1, p0, alternative, method, alpha):
    out = danmark.power(n, p1, reference=p0, level=1 - alpha, alternative=alternative, method=method)
    in_unit(out["power"], out["size"])
    if method == "exact":
        assert (out["size"] <= alpha + 1e-9).all()
    same(out, danmark.power(pd.Series(n), p1, reference=p0, level=1 - alpha, alternative=alternative, method=method),
         ["power", "size"])


@settings(max_examples=15, deadline=None)
@given(p0=st.floats(0.1, 0.8), gap=st.floats(0.1, 0.3), alternative=st.sampled_from(["larger", "smaller"]),
       target=st.floats(0.5, 0.9))
def test_cases_needed(p0, gap, alternative, target):
    p1 = p0 + gap if alternative == "larger" else p0 - gap
    assume(0.01 < p1 < 0.99)
    out = danmark.cases_needed(p1, reference=p0, power=target, alternative=alternative).iloc[0]
    assert 1 <= out["n_first"] <= out["n_stable"]
    assert out["power_first"] >= target and out["power_stable"] >= target
    pw = danmark.power(int(out["n_first"]), p1, reference=p0, alternative=alternative)["power"].iloc[0]
    assert pw == pytest.approx(out["power_first"])


@FAST
@given(n=st.lists(st.integers(1, 5000), min_size=1, max_size=6), before=p0s, after=p0s,
       alternative=st.sampled_from(["larger", "smaller"]))
def test_power_two_periods(n, before, after, alternative):
    assume(before != after)
    out = danmark.power_two_periods(n, before, after, alternative=alternative)
    in_unit(out["power"])
    same(out, danmark.power_two_periods(np.asarray(n), before, after, alternative=alternative), ["power"])


# --------------------------------------------------------------------------- simulation


@FAST
@given(kn=units(), p=st.floats(0, 1), strength=st.one_of(st.none(), st.floats(0.5, 500)))
def test_prob_at_least(kn, p, strength):
    k, n = kn
    if strength is not None:
        assume(0 < p < 1)
    out = danmark.prob_at_least(k, n, p, strength=strength)
    in_unit(out)
    zero = np.asarray(k) == 0
    np.testing.assert_allclose(np.asarray(out)[zero], 1.0)
    for kk, nn in containers(k, n).values():
        other = danmark.prob_at_least(kk, nn, p, strength=strength)
        if isinstance(kk, pd.Series) and isinstance(other, pd.Series):
            other = other.loc[kk.index]
        np.testing.assert_allclose(np.asarray(other, dtype=float), np.asarray(out, dtype=float))
    # one more reversal is never more likely
    fewer = danmark.prob_at_least(np.minimum(np.asarray(k) + 1, n), n, p, strength=strength)
    assert np.all(np.asarray(fewer) <= np.asarray(out) + 1e-12)


@SLOW
@given(n=st.lists(st.integers(1, 300), min_size=2, max_size=8), p=st.floats(0, 1), data=st.data())
def test_simulate_selection(n, p, data):
    top = data.draw(st.integers(1, len(n) - 1))
    threshold = data.draw(st.one_of(st.none(), st.floats(0, 1)))
    res = danmark.simulate_selection(n, p, top=top, size=60, seed=3, reference=threshold)
    u = res.units
    in_unit(u["p_selected"], u["p_selected_se"])
    assert u["p_selected"].sum() == pytest.approx(top)
    for c in ("rate_when_selected", "next_rate_when_selected"):
        in_unit(u[c].dropna())
    if threshold is not None:
        in_unit(u["p_rate_at_least"], [res.summary["p_any_rate_at_least"]])
    other = danmark.simulate_selection(pd.Series(n, index=LABELS[: len(n)]), p, top=top, size=60, seed=3,
                                       reference=threshold)
    same(u, other.units, ["p_selected", "rate_when_selected"])


@SLOW
@given(n=st.lists(st.integers(1, 120), min_size=3, max_size=7), p=st.floats(0.05, 0.95),
       strength=st.one_of(st.none(), st.floats(2, 200)))
def test_compare_rules(n, p, strength):
    res = danmark.compare_rules(n, p, top=1, size=40, seed=5, strength=strength, min_n=1, small=2, wide=2)
    np.testing.assert_allclose(res.p_selected.sum(), 1.0)
    in_unit(res.p_selected.to_numpy())
    shares = ["share_smallest", "mean_rate_selected", "mean_next_rate_selected", "mean_p_selected"]
    in_unit(res.summary[shares].to_numpy())
    if strength is not None:
        in_unit(res.summary[["share_true_top", "share_true_wide"]].to_numpy())
    other = danmark.compare_rules(np.asarray(n), p, top=1, size=40, seed=5, strength=strength, min_n=1, small=2, wide=2)
    same(res.summary, other.summary, ["share_smallest", "mean_n_selected"])


@SLOW
@given(n=st.lists(st.integers(5, 200), min_size=3, max_size=8), p=st.floats(0.05, 0.95),
       strength=st.one_of(st.none(), st.floats(2, 200)), method=st.sampled_from(["mle", "mm"]))
def test_simulate_prior_fits(n, p, strength, method):
    fits = danmark.simulate_prior_fits(n, p, strength=strength, size=3, seed=2, method=method)
    ok = fits.dropna()
    in_unit(ok["mean"], ok["sd"])
    assert (ok["strength"] > 0).all() and np.isfinite(ok["strength"]).all()
    same(fits, danmark.simulate_prior_fits(pd.Series(n), p, strength=strength, size=3, seed=2, method=method),
         ["mean", "strength", "sd"])


@FAST
@given(total=st.floats(1, 1e6), years=st.floats(0.25, 10), minimum=st.integers(0, 5))
def test_population_case_counts(total, years, minimum):
    out = danmark.population_case_counts(total, years=years, minimum=minimum)
    assert (out["n"] >= minimum).all() and out["simulated"].all()
    in_unit(out["share"])
    assert out["share"].sum() == pytest.approx(1.0)


@FAST
@given(draws=st.integers(1, 30).flatmap(lambda d: st.integers(2, 6).flatmap(
    lambda u: st.lists(st.lists(st.floats(0, 1), min_size=u, max_size=u), min_size=d, max_size=d))),
    top=st.integers(1, 8), level=st.floats(0.5, 0.99), descending=st.booleans())
def test_rank_uncertainty(draws, top, level, descending):
    units_ = len(draws[0])
    out = danmark.rank_uncertainty(draws, top=top, level=level, descending=descending)
    for c in ("mean_rank", "median_rank", "rank_lower", "rank_upper"):
        assert ((out[c] >= 1) & (out[c] <= units_)).all()
    ordered(out["rank_lower"], out["median_rank"], out["rank_upper"])
    in_unit(out["p_top"])
    assert out["p_top"].sum() == pytest.approx(min(top, units_))
    frame = pd.DataFrame(draws, columns=[f"u{j}" for j in range(units_)])
    other = danmark.rank_uncertainty(frame, top=top, level=level, descending=descending)
    other.index = [int(c[1:]) for c in other.index]
    same(out.sort_index(), other.sort_index(), ["mean_rank", "median_rank", "rank_lower", "rank_upper", "p_top"])


# --------------------------------------------------------------------------- the tidy table


@FAST
@given(counts=three_counts())
def test_with_rates(counts):
    s, a, h = counts
    df = pd.DataFrame({"stadfaestet": s, "aendret": a, "hjemvist": h})
    out = danmark.with_rates(df)
    assert (out["n"] == np.add(np.add(s, a), h)).all() and (out["omgjort"] == np.add(a, h)).all()
    pct = out["omg_pct"][out["n"] > 0]
    assert ((pct >= 0) & (pct <= 100)).all()
    same(out, danmark.with_rates(df.astype("Int64")), ["n", "omgjort", "omg_pct"])
    same(out, danmark.with_rates(df.astype(float)), ["n", "omgjort", "omg_pct"])


@FAST
@given(rows=st.lists(st.tuples(st.sampled_from(["Solrød", "Århus", "Ærø"]), st.sampled_from(["2021", "2022", "2023"]),
                               st.sampled_from(["a", "b"]), st.integers(0, 50), st.integers(0, 50), st.integers(0, 50)),
                     min_size=1, max_size=12, unique_by=lambda r: r[:3]))
def test_validate_and_aggregate(rows):
    raw = pd.DataFrame(rows, columns=["kommune", "period", "area", "stadfaestet", "aendret", "hjemvist"])
    raw["source"] = "synthetic"
    table = danmark.validate_cases(raw)
    pooled = danmark.aggregate(table, by=["kommunekode", "area"], period_label="pooled")
    before = danmark.with_rates(table).groupby(["kommunekode", "area"])[["n", "omgjort"]].sum()
    after = danmark.with_rates(pooled).set_index(["kommunekode", "area"])[["n", "omgjort"]]
    pd.testing.assert_frame_equal(before.sort_index(), after.sort_index(), check_dtype=False)
    again = danmark.validate_cases(raw.astype({c: float for c in ("stadfaestet", "aendret", "hjemvist")}))
    same(table, again, ["stadfaestet", "aendret", "hjemvist"])


# --------------------------------------------------------------------------- invalid counts

#: one bad value, put in place of a valid count
BAD_VALUES = {
    "negative": -1, "fraction": 2.5, "NaN": float("nan"), "inf": float("inf"), "-inf": float("-inf"),
    "text": "3", "word": "tre", "bytes": b"3", "True": True, "False": False, "numpy bool": np.True_, "None": None,
    "2**63": 2**63, "10**30": 10**30, "-2**63-1": -(2**63) - 1, "1e300": 1e300, "complex": 1 + 0j,
    "list": [1], "dict": {}, "Decimal 2.5": __import__("decimal").Decimal("2.5"),
}


def _count_functions():
    """name -> (call(k, n), needs n >= 1 everywhere, takes k)."""
    prior = (2.0, 3.0)
    return {
        "binomial_ci": (lambda k, n: danmark.binomial_ci(k, n), False, True),
        "binomial_ci exact": (lambda k, n: danmark.binomial_ci(k, n, method="exact", alternative="larger"), False, True),
        "audit_bound": (lambda k, n: danmark.audit_bound(k, n), True, True),
        "shrink": (lambda k, n: danmark.shrink(k, n, prior=prior), False, True),
        "shrink hpd": (lambda k, n: danmark.shrink(k, n, prior=prior, interval="hpd"), False, True),
        "shrink fitted": (lambda k, n: danmark.shrink(k, n), False, True),
        "fit_prior": (lambda k, n: danmark.fit_prior(k, n), False, True),
        "fit_prior mm": (lambda k, n: danmark.fit_prior(k, n, method="mm"), False, True),
        "prob_above": (lambda k, n: danmark.prob_above(k, n, prior=prior, reference=0.3), False, True),
        "prior_sensitivity": (lambda k, n: [danmark.prior_sensitivity(a, b, means=[0.3], strengths=[10])
                                            for a, b in zip(list(k), list(n), strict=True)], False, True),
        "hierarchical": (lambda k, n: danmark.hierarchical(k, n, grid_size=10, mix_size=8), False, True),
        "funnel_flags": (lambda k, n: danmark.funnel_flags(k, n, reference=0.3), True, True),
        "funnel_flags pooled": (lambda k, n: danmark.funnel_flags(k, n), True, True),
        "overdispersion_fit": (lambda k, n: danmark.overdispersion_fit(k, n, reference=0.3), True, True),
        "prob_at_least": (lambda k, n: danmark.prob_at_least(k, n, 0.3), False, True),
        "prob_at_least beta-binomial": (lambda k, n: danmark.prob_at_least(k, n, 0.3, strength=20), False, True),
        "outcome_split": (lambda k, n: danmark.outcome_split(k, n, n), False, True),
        "funnel_limits": (lambda k, n: danmark.funnel_limits(n, reference=0.3), True, False),
        "expected_flags": (lambda k, n: danmark.expected_flags(n, reference=0.3), True, False),
        "power": (lambda k, n: danmark.power(n, 0.5, reference=0.3), True, False),
        "power_two_periods": (lambda k, n: danmark.power_two_periods(n, 0.5, 0.3), True, False),
        "simulate_selection": (lambda k, n: danmark.simulate_selection(n, 0.3, top=1, size=5, seed=1), True, False),
        "compare_rules": (lambda k, n: danmark.compare_rules(n, 0.3, top=1, size=5, seed=1, min_n=1), True, False),
        "with_rates": (lambda k, n: danmark.with_rates(
            pd.DataFrame({"stadfaestet": n, "aendret": k, "hjemvist": k})), False, True),
    }


COUNT_FUNCTIONS = _count_functions()


def _refused(call, k, n, what, errors=DataError):
    try:
        result = call(k, n)
    except errors:
        return
    except Exception as err:  # noqa: BLE001 - the point of the test
        raise AssertionError(f"{what}: {type(err).__name__} escaped: {err}") from err
    raise AssertionError(f"{what}: returned a result for invalid input:\n{result!r}"[:2000])


def _put(values, pos, bad, container):
    """*values* with *bad* at *pos*, as a list, object array or Series."""
    items = list(values)
    items[pos] = bad
    if container == "list":
        return items
    if container == "array":
        return np.array(items, dtype=object) if not isinstance(bad, int | float) or isinstance(bad, bool) else np.array(items)
    return pd.Series(items, index=LABELS[: len(items)], dtype=object if not isinstance(bad, float) else None)


@BAD
@given(kn=informative(max_size=6, max_n=60), name=st.sampled_from(sorted(COUNT_FUNCTIONS)),
       bad=st.sampled_from(sorted(BAD_VALUES)), target=st.sampled_from(["k", "n"]),
       container=st.sampled_from(["list", "array", "Series"]), data=st.data())
def test_one_bad_count_is_a_data_error(kn, name, bad, target, container, data):
    call, _, takes_k = COUNT_FUNCTIONS[name]
    if target == "k" and not takes_k:
        target = "n"
    k, n = kn
    pos = data.draw(st.integers(0, len(k) - 1))
    value = BAD_VALUES[bad]
    if target == "k":
        k = _put(k, pos, value, container)
        n = _put(n, pos, n[pos], container) if container != "list" else n
    else:
        n = _put(n, pos, value, container)
        k = _put(k, pos, k[pos], container) if container != "list" else k
    _refused(call, k, n, f"{name}({target}[{pos}] = {bad}, as {container})")


@pytest.mark.parametrize("name", sorted(COUNT_FUNCTIONS))
def test_every_bad_count_in_every_container_is_a_data_error(name):
    """The grid behind the random test above: each bad value, in k and in n, as a list, array and Series."""
    call, _, takes_k = COUNT_FUNCTIONS[name]
    k, n = [3, 0, 7], [10, 4, 7]
    for bad, value in BAD_VALUES.items():
        for target in ("k", "n") if takes_k else ("n",):
            for container in ("list", "array", "Series"):
                kk = _put(k, 1, value, container) if target == "k" else _put(k, 1, k[1], container)
                nn = _put(n, 1, value, container) if target == "n" else _put(n, 1, n[1], container)
                _refused(call, kk, nn, f"{name}({target}[1] = {bad}, as {container})")


@FAST
@given(kn=informative(max_size=6, max_n=60), name=st.sampled_from(sorted(COUNT_FUNCTIONS)), data=st.data())
def test_inconsistent_counts_are_a_data_error(kn, name, data):
    """k > n, empty input, mismatched lengths, a 2-D table, Series whose labels differ."""
    call, needs_cases, takes_k = COUNT_FUNCTIONS[name]
    k, n = kn
    labels = LABELS[: len(k)]
    if name == "with_rates":
        return  # a table, not k and n: its bad values are in test_a_bad_count_in_a_table_is_a_data_error
    cases = {
        "2-D": (np.array([k, k]), np.array([n, n])),
        "nested lists": ([[x] for x in k], [[x] for x in n]),
    }
    if name != "prior_sensitivity":  # one unit at a time
        cases["empty"] = ([], [])
    if takes_k and name not in ("outcome_split", "prior_sensitivity"):
        i = data.draw(st.integers(0, len(k) - 1))
        over = list(k)
        over[i] = n[i] + data.draw(st.integers(1, 5))
        cases["k > n"] = (over, n)
    if takes_k and name != "prior_sensitivity":
        cases["lengths differ"] = (k + [0], n)
        cases["labels differ"] = (pd.Series(k, index=labels), pd.Series(n, index=[f"x{j}" for j in range(len(n))]))
        cases["duplicated labels"] = (pd.Series(k, index=["a"] * len(k)), pd.Series(n, index=labels))
    if needs_cases:
        cases["n = 0"] = ([0] + k[1:], [0] + n[1:])
    for what, (kk, nn) in cases.items():
        if what == "labels differ" and name == "outcome_split":
            _refused(lambda a, b: danmark.outcome_split(a, b, b), kk, nn, f"{name}: {what}")
            continue
        _refused(call, kk, nn, f"{name}: {what}")


BAD_TABLE_VALUES = ["negative", "fraction", "NaN", "inf", "word", "True", "None", "2**63", "10**30", "complex"]


@FAST
@given(kn=informative(max_size=5, max_n=60), bad=st.sampled_from(BAD_TABLE_VALUES),
       column=st.sampled_from(["stadfaestet", "aendret", "hjemvist"]), data=st.data())
def test_a_bad_count_in_a_table_is_a_data_error(kn, bad, column, data):
    k, n = kn
    frame = tidy(k, n).astype(object)
    frame.iloc[data.draw(st.integers(0, len(k) - 1)), frame.columns.get_loc(column)] = BAD_VALUES[bad]
    for name, call in {
        "shrink": lambda f: danmark.shrink(f, prior=(2, 3)),
        "fit_prior": danmark.fit_prior,
        "funnel_flags": lambda f: danmark.funnel_flags(f, reference=0.3),
        "outcome_split": danmark.outcome_split,
        "with_rates": danmark.with_rates,
    }.items():
        _refused(lambda a, _, call=call: call(a), frame, None, f"{name}: {column} = {bad} in a table")
    raw = frame.assign(kommunekode=None, kommune=["Solrød", "Århus", "Ærø", "Lejre", "Køge"][: len(k)],
                       period="2022", area="x", source="synthetic").drop(columns="kommunekode")
    for name, call in {"validate_cases": danmark.validate_cases, "aggregate": danmark.aggregate}.items():
        _refused(lambda a, _, call=call: call(a), raw, None, f"{name}: {column} = {bad} in a table")


# --------------------------------------------------------------------------- invalid arguments

K, N = [3, 5, 8], [10, 12, 20]
NOT_NUMBERS = ["0.5", b"0.5", True, np.True_, 0.5 + 0j, {"a": 1}, {0.5}, object()]
NOT_A_RATE = [*NOT_NUMBERS, None, float("nan"), float("inf"), -0.5, 1.5]
NOT_A_LEVEL = [*NOT_A_RATE, 0, 1, []]
NOT_ONE_LEVEL = [*NOT_A_LEVEL, [0.9, 0.95]]
NOT_POSITIVE = [*NOT_NUMBERS, None, float("nan"), float("inf"), 0, -1]

#: argument -> (call with a value, values that must raise DataError)
ARGUMENTS = {
    "binomial_ci level": (lambda v: danmark.binomial_ci(K, N, level=v), NOT_ONE_LEVEL),
    "audit_bound level": (lambda v: danmark.audit_bound(K, N, level=v), NOT_ONE_LEVEL),
    "shrink level": (lambda v: danmark.shrink(K, N, prior=(2, 3), level=v), NOT_ONE_LEVEL),
    "shrink prior alpha": (lambda v: danmark.shrink(K, N, prior=(v, 3)), [*NOT_POSITIVE, [1]]),
    "shrink prior": (lambda v: danmark.shrink(K, N, prior=v), [1.5, (1, 2, 3), "ab", [], {"alpha": 1}]),
    "prob_above reference": (lambda v: danmark.prob_above(K, N, prior=(2, 3), reference=v),
                             [*NOT_NUMBERS, float("nan"), -0.5, 1.5, [0.1, 0.2], [[0.1, 0.2, 0.3]]]),
    "prior_sensitivity means": (lambda v: danmark.prior_sensitivity(3, 10, means=v, strengths=[10]),
                                [*NOT_A_RATE, 0, 1, [], [[0.3]], ["0.3"]]),
    "prior_sensitivity strengths": (lambda v: danmark.prior_sensitivity(3, 10, means=[0.3], strengths=v),
                                    [*NOT_POSITIVE, [], ["10"], [True], [[10]]]),
    "BetaPrior.from_mean strength": (lambda v: danmark.BetaPrior.from_mean(0.3, v), [*NOT_POSITIVE, [10]]),
    "BetaPrior.from_mean mean": (lambda v: danmark.BetaPrior.from_mean(v, 10), [*NOT_A_RATE, 0, 1, [0.3]]),
    "hierarchical level": (lambda v: danmark.hierarchical(K, N, grid_size=10, mix_size=8, level=v), NOT_ONE_LEVEL),
    "hierarchical grid_size": (lambda v: danmark.hierarchical(K, N, grid_size=v),
                               [7, 10.0, "10", True, None, 10**30, 2**63]),
    "hierarchical mix_size": (lambda v: danmark.hierarchical(K, N, grid_size=10, mix_size=v), [7, 10**30, 12.5]),
    "funnel_limits reference": (lambda v: danmark.funnel_limits(N, reference=v), [*NOT_A_RATE, 0, 1, [0.3]]),
    "funnel_limits level": (lambda v: danmark.funnel_limits(N, reference=0.3, level=v),
                             [*NOT_A_LEVEL, ["0.95"], [0.95, 0.95], [[0.95]]]),
    "funnel_limits phi": (lambda v: danmark.funnel_limits(N, reference=0.3, overdispersion="multiplicative", phi=v),
                          [*NOT_POSITIVE, [2.0]]),
    "funnel_limits tau2": (lambda v: danmark.funnel_limits(N, reference=0.3, overdispersion="additive", tau2=v),
                           [*NOT_NUMBERS, None, float("nan"), float("inf"), -0.1, [0.1]]),
    "funnel_flags trim": (lambda v: danmark.funnel_flags(K, N, overdispersion="additive", trim=v),
                          [*NOT_NUMBERS, None, float("nan"), -0.1, 0.5, 2, [0.1]]),
    "overdispersion_fit trim": (lambda v: danmark.overdispersion_fit(K, N, trim=v),
                                [*NOT_NUMBERS, None, float("nan"), -0.1, 0.5, 2, [0.1]]),
    "expected_flags reference": (lambda v: danmark.expected_flags(N, reference=v), [*NOT_A_RATE, 0, 1]),
    "expected_flags level": (lambda v: danmark.expected_flags(N, reference=0.3, level=v), [*NOT_A_LEVEL, ["0.95"]]),
    "outcome_split prior": (lambda v: danmark.outcome_split(K, K, N, prior=v),
                            [(1, 1), (1, 1, 0), (1, 1, -1), ("1", 1, 1), (True, 1, 1), (1, 1, float("nan")), None, "abc"]),
    "outcome_split level": (lambda v: danmark.outcome_split(K, K, N, level=v), NOT_ONE_LEVEL),
    "reclassify_hjemvist share": (lambda v: danmark.reclassify_hjemvist(K, K, N, share=v),
                                  [*NOT_A_RATE, [], [0.5, 2], [[0.5]], ["0.5"]]),
    "reclassify_hjemvist counts": (lambda v: danmark.reclassify_hjemvist(v, K, N, share=0.5),
                                   [*NOT_NUMBERS, None, -1, [1, -1, 2], ["1", 2, 3], [True, 2, 3], [[1, 2, 3]],
                                    [1, 2], float("nan")]),
    "power reference": (lambda v: danmark.power(N, 0.5, reference=v), [*NOT_A_RATE, 0, 1, [0.3]]),
    "power p1": (lambda v: danmark.power(N, v, reference=0.3), [*NOT_A_RATE, [[0.5]], [0.1, 0.2]]),
    "power level": (lambda v: danmark.power(N, 0.5, reference=0.3, level=v), [*NOT_ONE_LEVEL, 0.5, 0.05]),
    "cases_needed power": (lambda v: danmark.cases_needed(0.5, reference=0.3, power=v), [*NOT_ONE_LEVEL, "0.8"]),
    "cases_needed p1": (lambda v: danmark.cases_needed(v, reference=0.3), [*NOT_A_RATE, 0.2, [], [[0.5]]]),
    "cases_needed n_max": (lambda v: danmark.cases_needed(0.5, reference=0.3, n_max=v), [0, -5, 2.5, "100", True, [100], None]),
    "power_two_periods p_before": (lambda v: danmark.power_two_periods(N, v, 0.3), [*NOT_A_RATE, 0.3, [0.5]]),
    "power_two_periods p_after": (lambda v: danmark.power_two_periods(N, 0.5, v), [*NOT_A_RATE, [0.3]]),
    "prob_at_least p": (lambda v: danmark.prob_at_least(3, 10, v), [*NOT_A_RATE, [], [[0.3]]]),
    "prob_at_least strength": (lambda v: danmark.prob_at_least(3, 10, 0.3, strength=v),
                               [*NOT_NUMBERS, float("nan"), float("inf"), 0, -1, [], ["5"]]),
    "simulate_selection p": (lambda v: danmark.simulate_selection(N, v, top=1, size=5), [*NOT_A_RATE, [0.1, 0.2]]),
    "simulate_selection reference": (lambda v: danmark.simulate_selection(N, 0.3, top=1, size=5, reference=v),
                                     [*NOT_NUMBERS, float("nan"), -0.5, 1.5, [0.5]]),
    "simulate_selection seed": (lambda v: danmark.simulate_selection(N, 0.3, top=1, size=5, seed=v),
                                ["x", 0.5, -1, float("nan"), {"a": 1}, np.array(0.5)]),
    "simulate_selection top": (lambda v: danmark.simulate_selection(N, 0.3, top=v, size=5),
                               [0, 3, 10**30, 1.0, True, "1", None]),
    "simulate_selection size": (lambda v: danmark.simulate_selection(N, 0.3, top=1, size=v),
                                [0, -1, 5.0, True, "5", 10**30]),
    "simulate_selection next_n": (lambda v: danmark.simulate_selection(N, 0.3, top=1, size=5, next_n=v),
                                  [[1, 2], [0, 1, 2], [1.5, 1, 2], [True, 1, 2], "123", [2**63, 1, 1]]),
    "compare_rules p": (lambda v: danmark.compare_rules(N, v, top=1, size=5, min_n=1), [*NOT_A_RATE, 0, 1, [0.3]]),
    "compare_rules strength": (lambda v: danmark.compare_rules(N, 0.3, top=1, size=5, min_n=1, strength=v),
                               [*NOT_NUMBERS, float("nan"), 0, -1, [5]]),
    "compare_rules prior": (lambda v: danmark.compare_rules(N, 0.3, top=1, size=5, min_n=1, prior=v),
                            [(0, 1), (1, float("nan")), ("1", 2), 5, "ab"]),
    "compare_rules seed": (lambda v: danmark.compare_rules(N, 0.3, top=1, size=5, min_n=1, seed=v),
                           ["x", 0.5, -1, {"a": 1}]),
    "simulate_prior_fits n": (lambda v: danmark.simulate_prior_fits(v, 0.3, size=2),
                              [[10, True, 30], [[10, 20]], [], [10], [10, 0], [10, 2.5], ["10", 20]]),
    "simulate_prior_fits strength": (lambda v: danmark.simulate_prior_fits([10, 20], 0.3, strength=v, size=2),
                                     [*NOT_NUMBERS, float("nan"), 0, -1, [5]]),
    "simulate_prior_fits size": (lambda v: danmark.simulate_prior_fits([10, 20], 0.3, size=v),
                                 [0, 2.0, True, "2", 10**30]),
    "population_case_counts total": (lambda v: danmark.population_case_counts(v),
                                     [*NOT_POSITIVE, 1e300, [8631]]),
    "population_case_counts years": (lambda v: danmark.population_case_counts(8631, years=v), [*NOT_POSITIVE, [1]]),
    "population_case_counts minimum": (lambda v: danmark.population_case_counts(8631, years=1, minimum=v),
                                       [-1, 2.5, "1", True, None, [1], 2**63]),
    "HierarchicalResult.prob_above reference": (
        lambda v: danmark.hierarchical([1, 5, 9, 2], [20, 20, 20, 20], grid_size=10, mix_size=8).prob_above(reference=v),
        [*NOT_NUMBERS, float("nan"), -0.5, 1.5, [0.1, 0.2], pd.Series([0.1] * 4, index=list("abcd"))]),
    "HierarchicalResult.draws size": (
        lambda v: danmark.hierarchical([1, 5, 9, 2], [20, 20, 20, 20], grid_size=10, mix_size=8).draws(v),
        [0, -1, 2.5, True, "10", None]),
    "rank_uncertainty level": (lambda v: danmark.rank_uncertainty([[0.1, 0.2], [0.3, 0.1]], level=v), NOT_ONE_LEVEL),
    "rank_uncertainty draws": (lambda v: danmark.rank_uncertainty([[0.1, v], [0.3, 0.1]]),
                               ["0.5", b"0.5", True, 0.5 + 0j, None, float("nan"), float("inf"), {"a": 1}]),
    "rank_uncertainty top": (lambda v: danmark.rank_uncertainty([[0.1, 0.2], [0.3, 0.1]], top=v),
                             [0, -1, 1.0, True, "1", None]),
}


@pytest.mark.parametrize("name", sorted(ARGUMENTS))
def test_a_bad_argument_is_an_argument_or_data_error(name):
    """A bad setting is an ArgumentError, a bad count passed this way a DataError: never a result, never another exception."""
    call, values = ARGUMENTS[name]
    for value in values:
        _refused(lambda v, _: call(v), value, None, f"{name} = {value!r}", errors=(DataError, danmark.ArgumentError))


WRONG_KINDS = {
    "unknown CI method": lambda: danmark.binomial_ci(K, N, method="wald"),
    "unknown alternative": lambda: danmark.binomial_ci(K, N, alternative="up"),
    "unknown interval": lambda: danmark.shrink(K, N, interval="central"),
    "unknown fit method": lambda: danmark.fit_prior(K, N, method="em"),
    "fit method as a Series": lambda: danmark.fit_prior(K, N, method=pd.Series(["mle"])),
    "funnel method as a list": lambda: danmark.funnel_limits(N, reference=0.3, method=["exact"]),
    "overdispersion as a Series": lambda: danmark.funnel_limits(N, reference=0.3, overdispersion=pd.Series(["additive"]),
                                                              tau2=0.1),
    "treatment as a list": lambda: danmark.reclassify_hjemvist(K, K, N, share=0.5, treatment=["exclude"]),
    "alternative as a Series": lambda: danmark.power(N, 0.5, reference=0.3, alternative=pd.Series(["larger"])),
    "power method None": lambda: danmark.power(N, 0.5, reference=0.3, method=None),
    "progress as text": lambda: danmark.simulate_selection(N, 0.3, top=1, size=5, progress="yes"),
    "unknown rule": lambda: danmark.compare_rules(N, 0.3, top=1, size=5, min_n=1, rules=["raw", "best"]),
    "names as a number": lambda: danmark.rank_uncertainty([[0.1, 0.2], [0.3, 0.1]], names=3),
    "descending as text": lambda: danmark.rank_uncertainty([[0.1, 0.2], [0.3, 0.1]], descending="no"),
    "top 0": lambda: danmark.rank_uncertainty([[0.1, 0.2], [0.3, 0.1]], top=0),
    "boolean draws": lambda: danmark.rank_uncertainty([[True, False], [False, True]]),
    "text draws": lambda: danmark.rank_uncertainty(pd.DataFrame({"a": ["x", "y"], "b": [0.1, 0.2]})),
}


@pytest.mark.parametrize("name", sorted(WRONG_KINDS))
def test_unknown_names_and_wrong_kinds_are_refused(name):
    """Unknown method/alternative/interval/rule names are ArgumentError, bad draws DataError (both ValueError)."""
    _refused(lambda *_: WRONG_KINDS[name](), None, None, name, errors=(DataError, danmark.ArgumentError))


def test_a_huge_top_means_every_unit():
    """rank_uncertainty(top=10**30) raised OverflowError; every unit is then in the top."""
    out = danmark.rank_uncertainty([[0.1, 0.2], [0.3, 0.1]], top=10**30)
    assert out["p_top"].tolist() == [1.0, 1.0]


def test_reclassify_pairs_series_by_label():
    """reclassify_hjemvist paired Series by position although their labels differed in order."""
    st_ = pd.Series([50, 10], index=["a", "b"])
    ae = pd.Series([5, 15], index=["b", "a"])
    out = danmark.reclassify_hjemvist(st_, ae, 35, share=0.0).set_index("unit")
    assert out.loc["a", "n"] == 50 + 15 + 35 and out.loc["b", "n"] == 10 + 5 + 35


# =========================================================================== engine II (issue 21)
#
# fit_prior with formulas (and PriorRegression's methods), posterior_predictive, pairwise_prob, grades and
# rank_uncertainty, on valid input drawn by hypothesis (a valid answer: finite, in range) and on invalid input
# drawn by hypothesis (DataError or ArgumentError, never another exception, never a result).

ENGINE_II = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ENGINE_II_BAD = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
ERRORS = (DataError, danmark.ArgumentError)

#: anything a caller might pass: scalars of every kind, and lists of them nested (ragged, mixed)
anything = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.integers(), st.floats(allow_nan=True),
              st.text(max_size=3), st.binary(max_size=2), st.complex_numbers(max_magnitude=2),
              st.sampled_from([np.nan, np.inf, -1e308, 1e-320, np.True_, pd.NaT, pd.Timestamp("2022-01-01"), {}])),
    lambda inner: st.lists(inner, max_size=4),
    max_leaves=12,
)


def _valid_or_refused(call, what):
    """call() either raises DataError/ArgumentError or returns; return the result (None when refused)."""
    try:
        return call()
    except ERRORS:
        return None
    except Exception as err:  # noqa: BLE001 - the point of the test
        raise AssertionError(f"{what}: {type(err).__name__} escaped: {err}") from err


@st.composite
def covariate_table(draw, min_units=8, max_units=16):
    """SYNTHETIC units with counts and covariates (x numeric, area a category, year, a kommunekode)."""
    size = draw(st.integers(min_units, max_units))
    n = draw(st.lists(st.integers(5, 150), min_size=size, max_size=size))
    k = [draw(st.integers(0, x)) for x in n]
    k[0] = max(1, min(k[0], n[0] - 1))
    codes = danmark.municipalities()["kommunekode"].tolist()
    return pd.DataFrame({
        "k": k, "n": n,
        "x": draw(st.lists(st.floats(-3, 3), min_size=size, max_size=size)),
        "area": draw(st.lists(st.sampled_from(["a", "b"]), min_size=size, max_size=size)),
        "year": draw(st.lists(st.sampled_from([2021, 2022, 2023]), min_size=size, max_size=size)),
        "kommunekode": codes[:size],
    })


FORMULA_TERMS = ["x", "area", "C(area)", "C(year)", "year", "np.log(population)", "I(x**2)", "Q('x')", "np.log(n)",
                 "0", "1", "-1", "np.log(x)", "I(x/0)", "nosuch", "when", "C(kommunekode)", "x:area", "(x + area)",
                 "(x + area)**2", "(", ")", "~", "+", "np.exp(x * 400)"]
formulas = st.builds(
    lambda terms, ops: "~ " + " ".join(t + o for t, o in zip(terms, ops, strict=False)).rstrip(" +-*:"),
    st.lists(st.sampled_from(FORMULA_TERMS), min_size=1, max_size=4),
    st.lists(st.sampled_from([" +", " -", " *", " :", " /", ""]), min_size=4, max_size=4),
)


def _check_regression(m, table):
    assert isinstance(m, danmark.stats.prior_regression.PriorRegression)
    assert math.isfinite(m.llf) and np.isfinite(m.params.to_numpy()).all()
    pri = m.priors()
    assert ((pri["mean"] >= 0) & (pri["mean"] <= 1)).all() and np.isfinite(pri.to_numpy()).all()
    assert (pri["strength"] > 0).all()
    out = danmark.shrink(table, prior=m)
    in_unit(out["estimate"], out["lower"], out["upper"])
    try:
        lr = m.lr_test()
    except danmark.ArgumentError as err:  # not nested in, or the same as, the constant prior
        assert err.column in ("formula", "strength_formula")
    else:
        assert lr.df >= 1 and 0 <= lr.pvalue <= 1 and lr.statistic >= 0


@ENGINE_II
@given(table=covariate_table(), formula=formulas, strength=st.one_of(st.none(), formulas))
def test_fit_prior_with_a_formula_drawn_by_hypothesis(table, formula, strength):
    """Any formula made of these pieces: a valid regression prior, or DataError/ArgumentError."""
    table = table.assign(when=pd.date_range("2022-01-01", periods=len(table)))
    m = _valid_or_refused(lambda: danmark.fit_prior(table, formula=formula, strength_formula=strength),
                          f"fit_prior(formula={formula!r}, strength_formula={strength!r})")
    if m is not None:
        _check_regression(m, table)


@ENGINE_II_BAD
@given(table=covariate_table(), column=st.sampled_from(["k", "n", "x", "area", "year", "kommunekode"]),
       bad=anything, data=st.data())
def test_fit_prior_with_a_formula_on_a_bad_table(table, column, bad, data):
    """One cell replaced by anything: a DataError/ArgumentError or, where the value is legitimate, a valid fit."""
    table = table.astype({column: object})
    table.iat[data.draw(st.integers(0, len(table) - 1)), table.columns.get_loc(column)] = bad
    formula = {"k": "~ x", "n": "~ x", "x": "~ x", "area": "~ area", "year": "~ C(year)",
               "kommunekode": "~ np.log(population)"}[column]
    m = _valid_or_refused(lambda: danmark.fit_prior(table, formula=formula), f"{column} = {bad!r}")
    if m is not None:
        _check_regression(m, table)
        _valid_or_refused(lambda: m.priors(table.iloc[::-1]), "priors(data)")


@ENGINE_II_BAD
@given(formula=anything, strength=anything)
def test_fit_prior_with_any_formula_argument(formula, strength):
    df = pd.DataFrame({"k": [3, 5, 9, 12, 4, 10, 7, 2], "n": [20, 21, 22, 25, 18, 24, 30, 15], "x": range(8)})
    if formula is None and strength is None:
        return
    m = _valid_or_refused(lambda: danmark.fit_prior(df, formula=formula, strength_formula=strength), "formula")
    assert m is None or isinstance(m, danmark.stats.prior_regression.PriorRegression)


@ENGINE_II
@given(kn=informative(max_size=8, max_n=150), prior=priors, size=st.integers(1, 60), seed=st.integers(0, 2**64),
       reference=st.floats(0.01, 0.99))
def test_posterior_predictive(kn, prior, size, seed, reference):
    k, n = kn
    post = danmark.shrink(k, n, prior=prior)
    ppc = danmark.posterior_predictive(post, size=size, seed=seed, reference=reference)
    has = np.asarray(n) > 0
    assert ppc.replicated.shape == (size, has.sum())
    assert ((ppc.replicated >= 0) & (ppc.replicated <= np.asarray(n)[has])).all()
    t = ppc.tests
    in_unit(t["ppp"], t["ties"])
    assert np.isfinite(t[["observed", "replicated", "lower", "upper"]].to_numpy()).all()
    again = danmark.posterior_predictive(post, size=size, seed=seed, reference=reference)
    np.testing.assert_array_equal(again.replicated, ppc.replicated)


@ENGINE_II_BAD
@given(column=st.sampled_from(["k", "n", "alpha1", "beta1"]), bad=anything,
       setting=st.sampled_from(["size", "seed", "reference", None]), value=anything, data=st.data())
def test_posterior_predictive_on_bad_input(column, bad, setting, value, data):
    post = danmark.shrink([3, 5, 9, 2], [20, 21, 22, 25], prior=(2, 6)).astype({column: object})
    post.iat[data.draw(st.integers(0, 3)), post.columns.get_loc(column)] = bad
    kwargs = {"size": 20} | ({setting: value} if setting else {})
    ppc = _valid_or_refused(lambda: danmark.posterior_predictive(post, **kwargs), f"{column} = {bad!r}, {kwargs}")
    if ppc is not None:  # the odd value was legitimate (e.g. k = 3.0, seed = 2, size = 1)
        in_unit(ppc.tests["ppp"])


@ENGINE_II
@given(draws=st.integers(1, 30).flatmap(lambda d: st.integers(2, 6).flatmap(
    lambda u: st.lists(st.lists(st.floats(-1e6, 1e6), min_size=u, max_size=u), min_size=d, max_size=d))),
    lam=st.floats(0.05, 1.0))
def test_pairwise_prob_and_grades(draws, lam):
    pi = danmark.pairwise_prob(draws)
    P = pi.to_numpy()
    in_unit(P)
    assert (P + P.T <= 1 + 1e-12).all() and (np.diag(P) == 0).all()
    r = danmark.grades(pi, lam=lam, time_limit=20)
    g = r.grade.to_numpy()
    assert g.min() == 1 and set(g) == set(range(1, g.max() + 1))
    assert r.status in ("optimal", "time limit") and r.gap >= 0 and r.objective <= r.bound + 1e-9
    same(pi, danmark.pairwise_prob(np.asarray(draws)), list(pi.columns))


@ENGINE_II
@given(ab=st.lists(st.tuples(st.floats(1e-3, 1e7), st.floats(1e-3, 1e7)), min_size=1, max_size=6))
def test_pairwise_prob_of_beta_posteriors(ab):
    post = pd.DataFrame(ab, columns=["alpha1", "beta1"])
    P = danmark.pairwise_prob(post).to_numpy()
    in_unit(P)
    off = ~np.eye(len(ab), dtype=bool)
    np.testing.assert_allclose((P + P.T)[off], 1.0, atol=1e-9)


@ENGINE_II_BAD
@given(value=anything, names=st.one_of(st.none(), anything), size=anything, seed=anything, lam=anything,
       time_limit=anything)
def test_pairwise_prob_grades_and_ranks_on_anything(value, names, size, seed, lam, time_limit):
    pi = _valid_or_refused(lambda: danmark.pairwise_prob(value, names=names), f"pairwise_prob({value!r})")
    if pi is not None:
        in_unit(pi.to_numpy())
    r = _valid_or_refused(lambda: danmark.grades(value), f"grades({value!r})")
    if r is not None:
        assert r.grade.min() == 1
    r = _valid_or_refused(lambda: danmark.grades([[0, 0.9], [0.1, 0]], lam=lam, time_limit=time_limit),
                          f"grades(lam={lam!r}, time_limit={time_limit!r})")
    ranks = _valid_or_refused(lambda: danmark.rank_uncertainty(value, names=names), f"rank_uncertainty({value!r})")
    if ranks is not None:
        assert np.isfinite(ranks.to_numpy(dtype=float)).all()
    hier = danmark.hierarchical([3, 10, 20, 5], [30, 30, 30, 30], grid_size=10, mix_size=8, seed=1)
    pi = _valid_or_refused(lambda: danmark.pairwise_prob(hier, size=size, seed=seed), f"size={size!r}, seed={seed!r}")
    if pi is not None:
        in_unit(pi.to_numpy())
