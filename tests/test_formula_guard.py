"""The Python inside a formula's terms is parsed, never evaluated, before patsy sees it (issue 21).

patsy ``eval``s each term's Python (``I(...)``, ``np.log(...)``), so ``danmark._validate.check_formula``
keeps it to a whitelist: column names, bounded numbers, arithmetic, comparisons and the patsy and numpy
functions a prior formula needs. Anything else is an ArgumentError quoting the piece -- before evaluation.
"""

from __future__ import annotations

import builtins
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import special

import danmark
from danmark._validate import check_formula

ERRORS = (danmark.DataError, danmark.ArgumentError)


def _simulate(seed=0, units=60):
    """SYNTHETIC units: a numeric x and z, an area a/b/c, counts from a beta-binomial with a mean on x."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"x": rng.normal(size=units), "z": rng.uniform(0.5, 3, units),
                       "area": rng.choice(["a", "b", "c"], units), "n": rng.integers(5, 120, units)})
    mu = special.expit(-0.6 + 0.5 * df["x"])
    df["k"] = rng.binomial(df["n"], rng.beta(mu * 20, (1 - mu) * 20))
    return df


@pytest.fixture
def tripwire(monkeypatch, tmp_path):
    """A builtin that writes a file (and raises) if anything ever evaluates it; the file's path."""
    mark = tmp_path / "evaluated"

    def danmark_tripwire(*args, **kwargs):
        mark.write_text("evaluated")
        raise AssertionError("a formula's Python was evaluated")

    monkeypatch.setattr(builtins, "danmark_tripwire", danmark_tripwire, raising=False)
    return mark


ATTACKS = [
    "~ I(__import__('os').system('echo pwned'))",
    "~ I(().__class__.__mro__[1].__subclasses__())",
    "~ I(list(range(10**10)))",
    "~ I(danmark_tripwire())",
    "~ np.log(danmark_tripwire(x))",
    "~ x + C(area, danmark_tripwire())",
    "~ I(x.__class__)",
    "~ I(__builtins__)",
    "~ Q('__builtins__')",
    "~ I(np.random.seed(1))",
    "~ I(getattr(x, 'real'))",
    "~ I((lambda: danmark_tripwire())())",
    "~ I([danmark_tripwire() for _ in x])",
    "~ I(x[danmark_tripwire()])",
    "~ I('a' * 10**15)",
    "~ I(10**400)",
    "~ I(9**9**9)",
    "~ I(2 ** 1000000)",
    "~ I(x * 1e300)",
    "~ I(x ** 1e16)",
    "~ bs(x, df=10**9)",
    "~ bs(x, df=1000000)",
    "~ np.log(*x)",
    "~ I(x, danmark_tripwire=1)",
    "~ C(area, levels=danmark_tripwire())",
    "~ C(area, Treatment(danmark_tripwire()))",
]


@pytest.mark.parametrize("formula", ATTACKS)
def test_an_attack_is_refused_without_being_evaluated(formula, tripwire):
    df = _simulate(seed=1)
    start = time.monotonic()
    for name in ("formula", "strength_formula"):
        with pytest.raises(danmark.ArgumentError, match="not allowed in a formula") as err:
            danmark.fit_prior(df, **{name: formula})
        assert err.value.column == name
        assert f"{name} {formula!r}" in str(err.value)
    assert time.monotonic() - start < 2.0
    assert not tripwire.exists()


@pytest.mark.parametrize("formula, piece, why", [
    ("~ I(x.__class__)", "'x.__class__'", "attribute"),
    ("~ x + I(x[0])", "'x[0]'", "subscript"),
    ("~ I(__import__('os'))", "'__import__'", "not one of the functions allowed"),
    ("~ I(__builtins__)", "'__builtins__'", "double underscore"),
    ("~ I(list(range(10**10)))", "'list'", "not one of the functions allowed"),
    ("~ np.linalg.inv(x)", "'np.linalg.inv'", "not one of the functions allowed"),
    ("~ np.pi", "'np.pi'", "attribute"),
    ("~ I(x @ x)", "'x @ x'", "operator @"),
    ("~ I(x << 3)", "'x << 3'", "operator <<"),
    ("~ I(x in z)", "'x in z'", "comparison"),
    ("~ I(x if z else x)", "'x if z else x'", "ifexp"),
    ("~ I(x ** z)", "'x ** z'", "power"),
    ("~ I((x**2)**2)", "'(x**2)**2'", "power of powers"),
    ("~ I(x * 1e16)", "'1e16'", "above 1e15"),
    ("~ I(x + 'a')", "\"'a'\"", "text"),
    ("~ bs(x, df=31)", "'31'", "df"),
    ("~ C(area, Helmert)", "'Helmert'", "contrast"),
    ("~ C(area, Treatment('a', 'b'))", "\"Treatment('a', 'b')\"", "one argument"),
    ("~ I(x, y=1)", "'y=1'", "keyword"),
])
def test_the_message_quotes_the_piece_and_says_what_is_allowed(formula, piece, why):
    with pytest.raises(danmark.ArgumentError) as err:
        check_formula(formula, "strength_formula")
    message = str(err.value)
    assert err.value.column == "strength_formula" and message.count(piece) >= 1, message
    assert why in message and "np.log" in message and "C(area, Treatment('b'))" in message, message


#: every formula the repository uses (README, notebooks, danmark, tests), and the ones patsy's docs show
VALID = [
    "~ 1", "~ 0", "~ -1", "~ 0 + area", "~ 0 + x", "~ x", "~ x + area", "~ x - x - 1", "~ area", "~ (x + area)**2",
    "~ C(year)", "~ year", "~ np.log(population)", "~ C(year) + np.log(population)",
    "~ C(year) + C(area) + np.log(population)", "~ 1 + Q('when')", "~ C(when)", "~ I(x**2)", "~ x:area",
    "~ C(area, Treatment('b'))", "~ C(area, Treatment(reference='b'))", "~ C(area, Sum)", "~ C(area, Sum(omit='a'))",
    "~ C(area, Poly)", "~ C(area, levels=['c', 'b', 'a'])", "~ bs(x, df=4)", "~ bs(x, df=3, degree=2)",
    "~ bs(x, knots=[0, 1])", "~ cr(x, df=4, constraints='center')", "~ cc(x, df=4, constraints='center')",
    "~ 0 + cr(x, df=4)", "~ center(x) + standardize(z)", "~ scale(x, ddof=1)", "~ I(x > 0)",
    "~ I((x > 0) & (z < 2))", "~ I(-x**2 + 2*x // 3 % 2)", "~ np.abs(x) + np.sqrt(z) + np.log1p(z)",
    "~ np.log2(z) + np.log10(z) + np.exp(x)", "~ I(z**-1) + I(z**0.5)", "~ I(x * 1e15)",
]


@pytest.mark.parametrize("formula", VALID)
def test_a_valid_formula_passes(formula):
    assert check_formula(formula) == formula


@pytest.mark.parametrize("formula", ["~ x", "~ C(area, Treatment('b'))", "~ bs(x, df=4)", "~ np.log(z) + I(x**2)",
                                     "~ cr(x, df=4, constraints='center')", "~ center(x)", "~ C(area, Sum)"])
def test_a_valid_formula_fits(formula):
    df = _simulate(seed=2, units=120)
    m = danmark.fit_prior(df, formula=formula, strength_formula="~ 1")
    assert np.isfinite(m.params.to_numpy()).all()
    assert np.isfinite(m.priors(df.iloc[::-1]).to_numpy()).all()


def test_with_columns_a_name_must_be_a_column():
    assert check_formula("~ x + Q('a b') + np.log(z)", columns=["x", "z", "a b"])
    for formula, piece in [("~ I(formula * 10**8)", "'formula'"), ("~ x + nosuch", "'nosuch'"),
                           ("~ Q('keep')", "\"'keep'\"")]:
        with pytest.raises(danmark.ArgumentError, match="does not fit the table") as err:
            check_formula(formula, columns=["x", "z"])
        assert piece in str(err.value) and "'x', 'z'" in str(err.value)


def test_a_formula_cannot_read_fit_priors_own_variables():
    """patsy evaluates a term in fit_prior_regression's frame: a name that is no column reads its variables."""
    df = _simulate(seed=3)
    with pytest.raises(danmark.ArgumentError, match="does not fit the table"):
        danmark.fit_prior(df, formula="~ np.log(nn)")  # nn: the local Series of n


# --------------------------------------------------------------------------- properties: a grammar of pieces

NUMBERS = st.one_of(st.integers(-1000, 1000), st.sampled_from([0, 0.5, 1e-300, 1e15, -1e15, 999999999999999]),
                    st.floats(-1e6, 1e6, allow_nan=False))


def _literal(value) -> str:
    return f"({value!r})" if value < 0 else repr(value)


def _expressions():
    leaves = st.one_of(st.sampled_from(["x", "z", "n"]), NUMBERS.map(_literal))

    def extend(inner):
        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "//", "%", "&", "|", "<", "<=", ">", ">=", "==",
                                              "!="]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            inner.map(lambda e: f"(-{e})"),
            st.tuples(st.sampled_from(["np.log", "np.log1p", "np.log2", "np.log10", "np.sqrt", "np.exp", "np.abs",
                                       "center", "standardize", "scale"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
        )

    return st.recursive(leaves, extend, max_leaves=5)


POWERS = st.one_of(st.integers(-20, 20), st.sampled_from([0.5, -1.5, 20.0]))


@st.composite
def allowed_terms(draw):
    expr = draw(_expressions())
    kind = draw(st.integers(0, 8))
    if kind == 0:
        return f"I({expr})"
    if kind == 1:
        return f"I({draw(st.sampled_from(['x', 'z', 'n', '(x + z)']))} ** {_literal(draw(POWERS))})"
    if kind == 2:
        return draw(st.sampled_from(["x", "z", "area", "Q('x')", "C(area)", "year", "np.log(population)"]))
    if kind == 3:
        contrast = draw(st.sampled_from(["Treatment", "Sum", "Poly", "Treatment('b')", "Treatment(reference='c')",
                                         "Sum(omit='a')", "Poly(scores=[1, 2, 5])"]))
        return f"C(area, {contrast})"
    if kind == 4:
        return f"C(area, levels={draw(st.permutations(['a', 'b', 'c']))!r})"
    if kind == 5:
        spline = draw(st.sampled_from(["bs", "cr", "cc"]))
        options = f"df={draw(st.integers(0, 6))}" + (", constraints='center'" if spline != "bs" else "")
        return f"{spline}(x, {options})"
    if kind == 6:
        return f"C(I({expr} > 0))"
    return expr if expr[0].isalpha() else f"I({expr})"  # a bare ( or number is the formula language


@st.composite
def allowed_formulas(draw):
    terms = draw(st.lists(allowed_terms(), min_size=1, max_size=3))
    ops = draw(st.lists(st.sampled_from([" + ", ":", " * ", " - "]), min_size=len(terms) - 1,
                        max_size=len(terms) - 1))
    body = terms[0] + "".join(o + t for o, t in zip(ops, terms[1:], strict=True))
    return "~ " + draw(st.sampled_from(["", "0 + "])) + body


#: each is disallowed and harmless if evaluated (the guard refuses it before; the tripwire checks that)
DISALLOWED = [
    "x.real", "x[0]", "(lambda: x)()", "[v for v in x]", "{v for v in x}", "{1: x}", "(x, z)", "__import__('os')",
    "open('f')", "print(x)", "len(x)", "getattr(x, 'real')", "x if z else x", "'a' * 3", "b'a'", "1j", "...",
    "x @ z", "x << 2", "x >> 2", "x ^ 1", "~x", "not x", "x and z", "x in z", "x is z", "1e16", "x ** 21",
    "x ** z", "(x ** 2) ** 2", "x ** (1 + 1)", "np.pi", "np.linalg.norm(x)", "np.log(x, 2)", "np.log(x=x)",
    "danmark_tripwire()", "x.__class__", "__builtins__", "f'{x}'", "np.log(*x)", "I(x)(z)",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formula=allowed_formulas(), data=st.data())
def test_a_formula_from_the_grammar_passes_and_fits_or_is_refused(formula, data):
    """Allowed pieces: check_formula passes, and fit_prior fits or raises DataError/ArgumentError only."""
    assert check_formula(formula) == formula
    df = _simulate(seed=data.draw(st.integers(0, 5)), units=40).assign(year=lambda d: 2020 + d.index % 3)
    df["kommunekode"] = danmark.municipalities()["kommunekode"].head(len(df)).to_numpy()
    start = time.monotonic()
    try:
        m = danmark.fit_prior(df, formula=formula)
    except ERRORS as err:
        assert str(err)
    except Exception as err:  # noqa: BLE001 - the point of the test
        raise AssertionError(f"{formula!r}: {type(err).__name__} escaped: {err}") from err
    else:
        assert np.isfinite(m.params.to_numpy()).all()
    assert time.monotonic() - start < 20


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(formula=allowed_formulas(), bad=st.sampled_from(DISALLOWED), how=st.integers(0, 4), data=st.data())
def test_a_formula_with_a_disallowed_piece_is_refused(formula, bad, how, data, tripwire):
    """The same grammar with one disallowed piece anywhere: ArgumentError from check_formula, nothing evaluated."""
    wrapped = [f"I({bad})", f"np.log({bad})", f"I(x + {bad})", f"C(area, levels=[{bad}])", f"I(({bad}) > 0)"][how]
    terms = formula[2:].split(" + ")
    at = data.draw(st.integers(0, len(terms)))
    refused = "~ " + " + ".join([*terms[:at], wrapped, *terms[at:]])
    with pytest.raises(danmark.ArgumentError) as err:
        check_formula(refused, "strength_formula")
    assert err.value.column == "strength_formula"
    with pytest.raises(danmark.ArgumentError):
        danmark.fit_prior(_simulate(seed=4, units=20), strength_formula=refused)
    assert not tripwire.exists()
