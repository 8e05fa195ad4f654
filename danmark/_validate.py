"""Checks shared by every public function: counts (data) and settings (arguments).

Counts must be finite, non-negative whole numbers with ``k <= n``. Anything else
raises :class:`danmark.DataError` naming the argument and the first offending
position; no function in danmark ever turns a bad count into a number.

Settings -- a ``level``, a ``method`` or other choice, a ``reference`` rate, a
whole-number option such as ``top`` or ``size``, real-valued options such as a
prior ``strength``, a ``seed``, a ``formula`` -- are checked by :func:`check_level`,
:func:`check_choice`, :func:`check_whole`, :func:`check_probability`,
:func:`check_real`, :func:`check_flag`, :func:`check_seed` and :func:`check_formula`,
which raise :class:`danmark.ArgumentError` (a ``ValueError``, not a ``DataError``).
Tables of numbers that are not counts (posterior draws, a matrix of pairwise
probabilities) are checked by :func:`check_matrix` and their unit labels by
:func:`check_labels`. :func:`check_work` and :func:`check_memory` cap the work
and the memory of one call.
"""

from __future__ import annotations

import ast

import numpy as np
import pandas as pd

from .errors import ArgumentError, DataError

__all__ = [
    "as_counts", "check_k_n", "check_level", "check_levels", "check_probability", "check_real",
    "check_choice", "check_whole", "check_work", "MAX_WORK", "check_memory", "MAX_CELLS", "check_seed",
    "make_rng", "check_flag", "check_matrix", "check_labels", "check_formula", "MAX_FORMULA_CHARS", "MAX_FORMULA_TERMS",
    "MAX_FORMULA_NUMBER", "check_no_bytes",
]


def _first_bad(mask: np.ndarray, index) -> object:
    pos = int(np.flatnonzero(mask.ravel())[0])
    if index is not None:
        return index[pos]
    return pos


def as_counts(values, name: str = "counts", *, allow_missing: bool = False) -> np.ndarray:
    """Return *values* as an int64 array, or raise :class:`DataError`.

    Accepts scalars, lists, numpy arrays and pandas Series (the Series index
    is used to say where a bad value sits). Floats are accepted only when they
    are whole numbers (``3.0``), never ``2.5``. Strings that are numbers are
    rejected: parse files with the readers, which handle decimal commas.

    Examples
    --------
    >>> as_counts([3, 4.0, 0], "k")
    array([3, 4, 0])
    """
    index = values.index if isinstance(values, pd.Series) else None
    if isinstance(values, pd.Series | pd.Index):
        if pd.api.types.is_bool_dtype(values.dtype):
            raise DataError(f"{name} must be whole numbers; got booleans (dtype {values.dtype})", column=name)
        if isinstance(values.dtype, pd.api.extensions.ExtensionDtype) and pd.api.types.is_numeric_dtype(values.dtype):
            values = values.to_numpy(dtype=float, na_value=np.nan)  # nullable Int64: <NA> -> NaN
        else:
            values = values.to_numpy(dtype=object if values.dtype == object else None)
    else:
        _refuse_bool_items(values, name, "whole numbers")
    try:
        arr = np.asarray(values)
    except ValueError:  # a ragged nesting of lists
        raise DataError(f"{name} must be one count or a flat sequence of counts; got {_short(values)}", column=name) from None
    if arr.ndim > 1:
        raise DataError(
            f"{name} must be one count or a one-dimensional sequence of counts; got shape {arr.shape}", column=name
        )
    if arr.dtype == object or arr.dtype.kind in "USb":
        try:
            if arr.dtype.kind in "US" or any(isinstance(v, str | bytes | bool | np.bool_) for v in arr.ravel()):
                raise TypeError
            if arr.dtype.kind == "b":
                raise TypeError
            arr = arr.astype(float)
        except (TypeError, ValueError):
            bad = np.array([not _is_number(v) for v in arr.ravel()]).reshape(arr.shape)
            where = _first_bad(bad, index) if bad.any() else 0
            raise DataError(
                f"{name} must be whole numbers; got {_item(arr.ravel()[int(np.flatnonzero(bad.ravel())[0]) if bad.any() else 0])!r}",
                row=where,
                column=name,
            ) from None
    if arr.dtype.kind == "f":
        nan = np.isnan(arr)
        if nan.any() and not allow_missing:
            raise DataError(f"{name} is missing (NaN)", row=_first_bad(nan, index), column=name)
        finite = np.isfinite(arr) | nan
        if not finite.all():
            raise DataError(f"{name} must be finite", row=_first_bad(~finite, index), column=name)
        frac = ~nan & (arr != np.round(arr))
        if frac.any():
            pos = int(np.flatnonzero(frac.ravel())[0])
            raise DataError(
                f"{name} must be whole numbers; got {arr.ravel()[pos].item()!r}",
                row=_first_bad(frac, index),
                column=name,
            )
        _check_size(arr, name, index)
        if nan.any():
            _check_sign(arr, name, index)
            return arr  # caller allowed missing values: keep float with NaN
        arr = arr.astype(np.int64)
    elif arr.dtype.kind in "iu":
        _check_size(arr, name, index)
        arr = arr.astype(np.int64)
    else:
        raise DataError(f"{name} must be whole numbers; got dtype {arr.dtype}", column=name)
    _check_sign(arr, name, index)
    return arr


#: the largest count accepted: whole numbers are exact in the float arithmetic up to 2**53
MAX_COUNT = 2**53


def _check_size(arr, name, index) -> None:
    with np.errstate(invalid="ignore"):
        huge = np.abs(arr) > MAX_COUNT
    if huge.any():
        pos = int(np.flatnonzero(huge.ravel())[0])
        raise DataError(
            f"{name} = {arr.ravel()[pos]:.6g} is beyond what danmark can count exactly "
            f"(at most 2**53 = {MAX_COUNT:,}); no appeal statistics come near it",
            row=_first_bad(huge, index),
            column=name,
        )


def _check_sign(arr, name, index) -> None:
    with np.errstate(invalid="ignore"):
        neg = arr < 0
    if neg.any():
        pos = int(np.flatnonzero(neg.ravel())[0])
        raise DataError(
            f"{name} must not be negative; got {arr.ravel()[pos]:g}",
            row=_first_bad(neg, index),
            column=name,
        )


def _refuse_bool_items(values, name: str, what: str) -> None:
    """np.asarray([True, 2]) is [1, 2]: look at a list's items before numpy converts them."""
    if not isinstance(values, list | tuple) or not _flat(values):
        return
    items = np.asarray(values, dtype=object).ravel()
    flag = np.array([isinstance(v, bool | np.bool_) for v in items], dtype=bool)
    if flag.any():
        pos = int(np.flatnonzero(flag)[0])
        raise DataError(f"{name} must be {what}; got {items[pos]!r}", row=pos, column=name)


def _flat(values) -> bool:
    """Whether a list or tuple holds no lists, tuples or arrays (the only shape a counts list has)."""
    return not any(isinstance(v, list | tuple | np.ndarray | pd.Series) for v in values)


def _short(values) -> str:
    text = repr(values)
    return text if len(text) <= 60 else text[:57] + "..."


def _item(v):
    return v.item() if isinstance(v, np.generic) else v


def _is_number(v) -> bool:
    if isinstance(v, str | bytes | bool | np.bool_):
        return False
    try:
        float(v)
    except (TypeError, ValueError):
        return False
    return True


def check_k_n(k, n, *, k_name: str = "k", n_name: str = "n") -> tuple[np.ndarray, np.ndarray]:
    """Validate successes *k* out of trials *n*; return both as broadcast int64 arrays.

    Raises :class:`DataError` for non-integer, negative or missing counts, for
    ``k > n`` and for shapes that do not broadcast.

    Examples
    --------
    >>> check_k_n([10, 0], [14, 3])
    (array([10,  0]), array([14,  3]))
    """
    k, n = align(k, n, names=(k_name, n_name))
    index = None
    for v in (k, n):
        if isinstance(v, pd.Series):
            index = v.index
            break
    k_arr = as_counts(k, k_name)
    n_arr = as_counts(n, n_name)
    try:
        k_arr, n_arr = np.broadcast_arrays(k_arr, n_arr)
    except ValueError:
        raise DataError(
            f"{k_name} and {n_name} have different lengths ({k_arr.shape} vs {n_arr.shape})"
        ) from None
    if k_arr.size == 0:
        raise DataError(f"{k_name} and {n_name} hold no units (empty)", column=n_name)
    over = k_arr > n_arr
    if over.any():
        pos = int(np.flatnonzero(over.ravel())[0])
        where = index[pos] if index is not None and len(index) == over.size else pos
        raise DataError(
            f"{k_name} = {k_arr.ravel()[pos]} exceeds {n_name} = {n_arr.ravel()[pos]}",
            row=where,
            column=k_name,
        )
    return np.array(k_arr), np.array(n_arr)


def check_probability(p, name: str = "p", *, open_interval: bool = False, error=ArgumentError) -> np.ndarray:
    """Validate probabilities in [0, 1] (or (0, 1) when *open_interval*).

    Numbers, arrays and Series of numbers only: text (even "0.4"), booleans
    and missing values raise *error* (:class:`ArgumentError`: rates passed to
    danmark are settings or assumptions, not counted data).

    Examples
    --------
    >>> check_probability(0.5)
    array(0.5)
    """
    if isinstance(p, str | bytes | bool | np.bool_) or p is None:
        raise error(f"{name} must be a number; got {p!r}", column=name)
    try:
        raw = np.asarray(p)
        if raw.dtype.kind in "USObVcMm":  # text, booleans, objects, complex numbers, dates
            if raw.dtype.kind == "O" and all(_is_number(v) for v in raw.ravel()):
                raw = raw.astype(float)
            else:
                raise TypeError
        arr = raw.astype(float)
    except (TypeError, ValueError):
        raise error(f"{name} must be a number or numbers; got {p!r}", column=name) from None
    bad = ~np.isfinite(arr) | (arr <= 0 if open_interval else arr < 0) | (
        arr >= 1 if open_interval else arr > 1
    )
    if bad.any():
        pos = int(np.flatnonzero(bad.ravel())[0])
        rng = "(0, 1)" if open_interval else "[0, 1]"
        raise error(f"{name} must lie in {rng}; got {arr.ravel()[pos].item()!r}", row=pos, column=name)
    return arr


def check_real(value, name: str, *, minimum=None, strict: bool = False, scalar: bool = True, error=ArgumentError):
    """Validate real number(s): finite, at least *minimum* (above it when *strict*).

    Text (even "30"), booleans, complex numbers, dates and missing values raise
    *error* (:class:`ArgumentError` unless the caller checks data with it). Returns a float (*scalar*) or a one-dimensional float array
    (one number or a flat sequence; empty is refused).

    Examples
    --------
    >>> check_real(30, "strength", minimum=0, strict=True)
    30.0
    >>> check_real([0.2, 0.5], "means", scalar=False)
    array([0.2, 0.5])
    """
    what = "a number" if scalar else "one number or a flat sequence of numbers"
    if isinstance(value, str | bytes | bool | np.bool_) or value is None:
        raise error(f"{name} must be {what}; got {value!r}", column=name)
    _refuse_bool_items(value, name, what)
    try:
        raw = np.asarray(value)
        if raw.dtype.kind in "USObVcMm":
            if raw.dtype.kind == "O" and raw.ndim <= 1 and all(_is_number(v) for v in raw.ravel()):
                raw = raw.astype(float)
            else:
                raise TypeError
        arr = raw.astype(float)
    except (TypeError, ValueError):
        raise error(f"{name} must be {what}; got {_short(value)}", column=name) from None
    if (arr.ndim != 0) if scalar else (arr.ndim > 1):
        raise error(f"{name} must be {what}; got shape {arr.shape}", column=name)
    arr = np.atleast_1d(arr) if not scalar else arr
    if arr.size == 0:
        raise error(f"{name} is empty", column=name)
    bad = ~np.isfinite(arr)
    if minimum is not None:
        bad |= (arr <= minimum) if strict else (arr < minimum)
    if bad.any():
        pos = int(np.flatnonzero(bad.ravel())[0])
        if minimum is None:
            kind = "a finite number"
        elif minimum == 0:
            kind = "a finite, positive number" if strict else "a finite, non-negative number"
        else:
            kind = f"a finite number {'above' if strict else 'at least'} {minimum:g}"
        raise error(f"{name} must be {kind}; got {arr.ravel()[pos].item()!r}",
                        row=None if scalar else pos, column=name)
    return float(arr) if scalar else arr


def check_level(level, name: str = "level") -> float:
    """Validate a confidence level: one number strictly between 0 and 1.

    Examples
    --------
    >>> check_level(0.95)
    0.95
    """
    msg = f"{name} must be a number strictly between 0 and 1; got {level!r}"
    if isinstance(level, str | bytes | bool | np.bool_) or not _is_number(level):
        raise ArgumentError(msg, column=name)
    value = float(level)
    if not 0.0 < value < 1.0:
        raise ArgumentError(msg, column=name)
    return value


def align(*values, names: tuple[str, ...]):
    """Pair pandas Series by label: the one rule for every function that takes several per-unit inputs.

    Series with the same labels in a different order are reordered to the
    first Series' order; Series whose labels differ are refused (pairing them
    by position would silently mix up units). Arrays and scalars pass through
    unchanged (they pair by position, as they must).

    Examples
    --------
    >>> k = pd.Series([1, 2], index=["a", "b"])
    >>> n = pd.Series([20, 10], index=["b", "a"])
    >>> align(k, n, names=("k", "n"))[1].tolist()
    [10, 20]
    """
    series = [(v, name) for v, name in zip(values, names, strict=True) if isinstance(v, pd.Series)]
    if len(series) < 2:
        return values
    first, first_name = series[0]
    out = []
    for v, name in zip(values, names, strict=True):
        if isinstance(v, pd.Series) and v is not first and not v.index.equals(first.index):
            if v.index.has_duplicates or first.index.has_duplicates or set(v.index) != set(first.index):
                raise DataError(
                    f"{first_name} and {name} are Series with different labels; align them first "
                    f"(e.g. {name} = {name}.reindex({first_name}.index))"
                )
            v = v.reindex(first.index)
        out.append(v)
    return tuple(out)


def check_levels(level, name: str = "level") -> np.ndarray:
    """One level or a sequence of distinct levels in (0, 1), sorted (several limits drawn at once).

    Examples
    --------
    >>> check_levels([0.998, 0.95])
    array([0.95 , 0.998])
    """
    try:
        arr = check_real(level, name, scalar=False)
    except ArgumentError:
        raise ArgumentError(f"{name} must be one or more numbers in (0, 1); got {level!r}", column=name) from None
    bad = (arr <= 0) | (arr >= 1)
    if bad.any():
        raise ArgumentError(f"{name} must lie in (0, 1), e.g. 0.95 and 0.998; got {arr[bad][0]!r}", column=name)
    if np.unique(arr).size != arr.size:
        raise ArgumentError(f"{name} contains duplicates: {list(arr)}", column=name)
    return np.sort(arr)


def check_choice(value, name: str, choices) -> str:
    """One of the allowed option strings, else :class:`ArgumentError` listing them.

    Examples
    --------
    >>> check_choice("exact", "method", ("exact", "normal"))
    'exact'
    """
    if not isinstance(value, str) or value not in choices:
        raise ArgumentError(f"unknown {name} {value!r}; use one of {', '.join(map(repr, choices))}", column=name)
    return value


def check_whole(value, name: str, *, minimum: int = 1) -> int:
    """A whole-number setting (``top``, ``size``, ``chunk``...) of at least *minimum*.

    Examples
    --------
    >>> check_whole(4, "top")
    4
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer) or value < minimum:
        raise ArgumentError(f"{name} must be a whole number of at least {minimum}; got {value!r}", column=name)
    return int(value)


#: the cap on simulated unit-draws in one call (size x units x rules): about an hour of work
MAX_WORK = 10**11


def check_work(size: int, cells: int, name: str = "size") -> None:
    """Refuse a simulation whose *size* x *cells* unit-draws exceed :data:`MAX_WORK`.

    A simulation of 10**30 repetitions would otherwise run for ever; the cap is
    far above anything a notebook needs (100,000 maps of 98 kommuner under four
    rules is 4·10**7).

    Examples
    --------
    >>> check_work(100_000, 98 * 4)
    >>> try:
    ...     check_work(10**30, 98)
    ... except ArgumentError as err:
    ...     print(err.column)
    size
    """
    if size * cells > MAX_WORK:
        raise ArgumentError(
            f"{name} = {size:,} asks for {size * cells:.3g} simulated unit-draws; danmark caps one call at "
            f"{MAX_WORK:.0e} (danmark._validate.MAX_WORK), about an hour of work; use a smaller {name}",
            column=name,
        )


#: the cap on numbers one call holds at once (size x units): 5e7 float64 numbers are 400 MB
MAX_CELLS = 5 * 10**7


def check_memory(size: int, cells: int, name: str = "size") -> None:
    """Refuse a call that would hold *size* x *cells* numbers at once (more than :data:`MAX_CELLS`).

    :func:`check_work` bounds the time; this bounds the memory of a call that
    keeps every draw (posterior predictive replications, joint posterior draws).

    Examples
    --------
    >>> check_memory(4000, 98)
    >>> try:
    ...     check_memory(10**8, 98)
    ... except ArgumentError as err:
    ...     print(err.column)
    size
    """
    if size * cells > MAX_CELLS:
        raise ArgumentError(
            f"{name} = {size:,} would hold {size * cells:.3g} numbers in memory ({size:,} x {cells:,} units); "
            f"danmark keeps at most {MAX_CELLS:.0e} (danmark._validate.MAX_CELLS, about 400 MB) in one call; "
            f"use {name} <= {max(MAX_CELLS // max(cells, 1), 1):,}",
            column=name,
        )


def _whole_non_negative(v) -> bool:
    return isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_) and v >= 0


def check_seed(seed, name: str = "seed"):
    """A seed numpy can use: None, a whole number >= 0, a list of them, or a numpy Generator.

    Text, fractions (even ``1.0``), negative numbers, NaN and booleans raise
    :class:`ArgumentError` naming *name*; the seed is returned unchanged
    otherwise (a list as a list of ints).

    Examples
    --------
    >>> check_seed(1), check_seed(None)
    (1, None)
    >>> try:
    ...     check_seed("abc")
    ... except ArgumentError as err:
    ...     print(err)
    argument 'seed': seed must be None, a whole number >= 0 (e.g. 1), a list of such numbers or a numpy Generator; got 'abc'
    """
    if seed is None or isinstance(seed, np.random.Generator | np.random.SeedSequence | np.random.BitGenerator):
        return seed
    if _whole_non_negative(seed):
        return int(seed)
    if isinstance(seed, list | tuple) and seed and all(_whole_non_negative(v) for v in seed):
        return [int(v) for v in seed]
    raise ArgumentError(
        f"{name} must be None, a whole number >= 0 (e.g. 1), a list of such numbers or a numpy Generator; "
        f"got {_short(seed)}",
        column=name,
    )


def make_rng(seed, name: str = "seed") -> np.random.Generator:
    """numpy's Generator for a seed that passed :func:`check_seed`.

    Examples
    --------
    >>> float(make_rng(1).random()) == float(np.random.default_rng(1).random())
    True
    """
    return np.random.default_rng(check_seed(seed, name))


def check_flag(value, name: str) -> bool:
    """True or False (numpy's booleans too), else :class:`ArgumentError`.

    Examples
    --------
    >>> check_flag(True, "descending")
    True
    """
    if not isinstance(value, bool | np.bool_):
        raise ArgumentError(f"{name} must be True or False; got {_short(value)}", column=name)
    return bool(value)


def check_matrix(values, name: str, *, square: bool = False, min_rows: int = 1, min_cols: int = 1,
                 what: str = "numbers", error=DataError) -> np.ndarray:
    """A two-dimensional table of finite real numbers (a list of equal-length rows, an array or a DataFrame).

    Text (even ``"0.5"``), booleans, complex numbers, dates, objects, ragged
    rows, a shape that is not two-dimensional (or not square when *square*) and
    missing or infinite values raise *error* (:class:`DataError` by default)
    naming *name*, the position and what would be valid.

    Examples
    --------
    >>> check_matrix([[0.1, 0.2], [0.3, 0.4]], "draws")
    array([[0.1, 0.2],
           [0.3, 0.4]])
    """
    shape_text = "a square table (units x units)" if square else "a table (rows x columns)"
    valid = f"{name} must be {shape_text} of {what}"
    if isinstance(values, pd.DataFrame):
        bad = [c for c, t in values.dtypes.items()
               if not pd.api.types.is_numeric_dtype(t) or pd.api.types.is_bool_dtype(t)
               or pd.api.types.is_complex_dtype(t)]
        if bad:
            raise error(f"{valid}; column {bad[0]!r} holds {values[bad[0]].dtype} values", column=name)
        arr = values.to_numpy(dtype=float, na_value=np.nan)
    else:
        if isinstance(values, str | bytes | dict | set) or values is None:
            raise error(f"{valid}; got {_short(values)}", column=name)
        if isinstance(values, list | tuple):
            rows = list(values)
            if any(isinstance(r, list | tuple | np.ndarray) for r in rows):
                lengths = {len(r) if isinstance(r, list | tuple | np.ndarray) else -1 for r in rows}
                if len(lengths) > 1:
                    raise error(f"{valid}; its rows have different lengths ({sorted(lengths)})", column=name)
            # np.asarray([[0.1, True]]) is [[0.1, 1.0]]: look at the items before numpy converts them
            items = [v for r in rows for v in (r if isinstance(r, list | tuple) else [r])]
            odd = next((v for v in items if isinstance(v, bool | np.bool_ | str | bytes)), None)
            if odd is not None:
                raise error(f"{valid}; got {odd!r}", column=name)
        try:
            raw = np.asarray(values)
        except (TypeError, ValueError):
            raise error(f"{valid}; got {_short(values)}", column=name) from None
        if raw.dtype.kind not in "iuf":
            items = raw.ravel()
            def real(v) -> bool:
                return not isinstance(v, complex | np.complexfloating) and _is_number(v)

            if raw.dtype.kind != "O" or not all(real(v) for v in items):
                first = next((v for v in items if not real(v)), items[0] if items.size else None)
                raise error(f"{valid}; got {_item(first)!r} (dtype {raw.dtype})", column=name)
        try:
            arr = raw.astype(float)
        except (TypeError, ValueError):
            raise error(f"{valid}; got {_short(values)}", column=name) from None
    if arr.ndim != 2:
        raise error(f"{valid}; got shape {arr.shape}", column=name)
    if square and arr.shape[0] != arr.shape[1]:
        raise error(f"{valid}; got shape {arr.shape}", column=name)
    if arr.shape[0] < min_rows or arr.shape[1] < min_cols:
        raise error(f"{valid} with at least {min_rows} row(s) and {min_cols} column(s); got shape {arr.shape}",
                    column=name)
    bad = ~np.isfinite(arr)
    if bad.any():
        row, col = (int(x) for x in np.argwhere(bad)[0])
        raise error(f"{name} holds a missing or infinite value at row {row}, column {col}; all must be finite numbers",
                    column=name)
    return arr


def check_labels(names, size: int, name: str = "names") -> list:
    """*size* distinct unit labels (a list, tuple, array, Index or Series; not one string).

    Examples
    --------
    >>> check_labels(["A", "B"], 2)
    ['A', 'B']
    """
    if isinstance(names, str | bytes | dict | set) or not np.iterable(names):
        raise DataError(f"{name} must be a sequence of {size} unit labels; got {_short(names)}", column=name)
    labels = list(names)
    if len(labels) != size:
        raise DataError(f"{name} has {len(labels)} labels for {size} units; give one label per unit", column=name)
    index = pd.Index(labels)
    if index.has_duplicates:
        raise DataError(f"{name} must be distinct; duplicated: {list(index[index.duplicated()].unique())}",
                        column=name)
    return labels


def check_no_bytes(values: pd.Series, name: str, *, file=None, row_offset: int | None = None) -> None:
    """Refuse bytes in a column of labels (a kommunekode, a kommune): :class:`DataError` naming column and row.

    Bytes are never read as a label, not even valid UTF-8: decode the column
    first (``df[name].str.decode("utf-8")``). A column of text or numbers is
    accepted at once. The row named is the index label, or ``row_offset`` +
    position when given (a file's line), with *file*.

    Examples
    --------
    >>> check_no_bytes(pd.Series(["269", "000"]), "kommunekode")
    >>> check_no_bytes(pd.Series(["269", b"\\xff"]), "kommunekode")
    Traceback (most recent call last):
    ...
    danmark.errors.DataError: row 1, column 'kommunekode': kommunekode b'\\xff' is bytes, not text; ...
    """
    if not isinstance(values, pd.Series) or values.dtype != object:
        return
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "integer", "floating", "mixed-integer-float",
                                                           "empty", "boolean"):
        return
    for pos, (label, value) in enumerate(values.items()):
        if isinstance(value, bytes | bytearray | memoryview):
            raise DataError(f"{name} {_short(bytes(value))} is bytes, not text; decode the column first "
                            f"(df[{name!r}].str.decode('utf-8')): bytes are never read as a {name}",
                            file=file, row=label if row_offset is None else pos + row_offset, column=name)


#: the longest formula accepted (a real prior formula is a line; 500 terms overflow patsy's evaluator)
MAX_FORMULA_CHARS = 500
#: the most terms a formula may expand to (``(a + b + ... + t)**20`` is a million, and takes hours to expand)
MAX_FORMULA_TERMS = 200
_MAX_FORMULA_DEPTH = 30
_MAX_FORMULA_POWER = 20


def _formula_terms(node) -> int:
    """An upper bound on the terms a parsed patsy formula expands to, without expanding it (iteratively)."""
    cap = 10**9
    done: dict[int, int] = {}
    stack = [(node, False)]
    while stack:
        current, visited = stack.pop()
        if not visited:
            stack.append((current, True))
            stack.extend((a, False) for a in current.args)
            continue
        kids = [done[id(a)] for a in current.args]
        kind = current.type
        if kind == "PYTHON_EXPR":
            value = 1
        elif kind in ("ZERO", "ONE", "NUMBER"):
            value = 0
        elif kind == "+":
            value = sum(kids)
        elif kind == "-":
            value = kids[0] if len(kids) == 2 else 0
        elif kind == "*":
            value = (kids[0] + 1) * (kids[1] + 1) - 1
        elif kind == "/":
            value = kids[0] + kids[0] * kids[1]
        elif kind == "**":
            exponent = current.args[1]
            power = int(float(exponent.token.extra)) if exponent.type == "NUMBER" else _MAX_FORMULA_POWER + 1
            if power > _MAX_FORMULA_POWER:
                raise OverflowError("a power")
            value = min((kids[0] + 1) ** power, 2 ** min(kids[0], 64))
        else:  # ":", "%in%", "~" and anything patsy adds: at most the product
            value = 1
            for v in kids:
                value *= max(v, 1)
        done[id(current)] = min(value, cap)
    return done[id(node)]


#: the functions a formula's terms may call: name -> (positional arguments, keywords); the first
#: positional argument of each is the data, any other argument is an option (a number, a word, a list of them)
FORMULA_FUNCTIONS = {
    "C": (3, ("contrast", "levels")),
    "I": (1, ()),
    "Q": (1, ()),
    "center": (1, ()),
    "standardize": (1, ("center", "rescale", "ddof")),
    "scale": (1, ("center", "rescale", "ddof")),
    "bs": (1, ("df", "knots", "degree", "include_intercept", "lower_bound", "upper_bound")),
    "cr": (1, ("df", "knots", "lower_bound", "upper_bound", "constraints")),
    "cc": (1, ("df", "knots", "lower_bound", "upper_bound", "constraints")),
}
#: the numpy functions a formula may call, as ``np.log(...)``
FORMULA_NUMPY = ("log", "log1p", "log2", "log10", "sqrt", "exp", "abs")
#: the contrasts accepted as the second argument of ``C(...)``: name -> its keyword
FORMULA_CONTRASTS = {"Treatment": "reference", "Sum": "omit", "Poly": "scores"}
#: the largest number a formula may write (larger ones serve no covariate, and make integer arithmetic slow)
MAX_FORMULA_NUMBER = 1e15
_MAX_SPLINE_DF = 30  # a spline's df or degree (a column each; more columns than units are refused anyway)
_FORMULA_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
                   ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|"}
_OPERATORS = {ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>", ast.BitXor: "^", ast.Invert: "~", ast.Not: "not",
              ast.And: "and", ast.Or: "or"}
_FORMULA_COMPARE = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)
FORMULA_ALLOWED = (
    f"a term may use column names, numbers up to 1e15, + - * / // % & |, ** with a number "
    f"of at most {_MAX_FORMULA_POWER} as the power, comparisons (< <= > >= == !=) and the functions "
    f"{', '.join(list(FORMULA_FUNCTIONS)[:3])}, {', '.join('np.' + f for f in FORMULA_NUMPY)}, "
    f"{', '.join(list(FORMULA_FUNCTIONS)[3:])} (with a {'/'.join(FORMULA_CONTRASTS)} contrast inside C, "
    "e.g. C(area, Treatment('b')))"
)


class _Refused(Exception):
    """A piece of a formula term that is not allowed, with the reason."""

    def __init__(self, node, why):
        super().__init__(why)
        self.node, self.why = node, why


def _formula_factors(tree) -> list[tuple[str, str]]:
    """Every factor of a parsed patsy formula: its text as written and the code patsy evaluates, in order."""
    codes, stack = [], [tree]
    while stack:
        node = stack.pop()
        if node.type == "PYTHON_EXPR":
            origin = node.token.origin
            codes.append((origin.code[origin.start:origin.end], node.token.extra))
        stack.extend(reversed(node.args))
    return codes


def _number(node) -> float | None:
    """The value of a literal number (with an optional sign), else None."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        sign, node = (-1 if isinstance(node.op, ast.USub) else 1), node.operand
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return sign * node.value
    return None


def _check_number(node) -> None:
    value = node.value
    if isinstance(value, bool) or value is None:
        return
    if not isinstance(value, int | float):
        raise _Refused(node, "a constant that is not a number")
    if not abs(value) <= MAX_FORMULA_NUMBER:
        raise _Refused(node, "a number above 1e15")


def _check_option(node, keyword) -> None:
    """An option of a formula function: a number, a word, True/False/None, or a flat list of numbers and words."""
    items = node.elts if isinstance(node, ast.List | ast.Tuple) else [node]
    for item in items:
        number = _number(item)
        if number is not None:
            if not abs(number) <= MAX_FORMULA_NUMBER:
                raise _Refused(item, "a number above 1e15")
            if keyword in ("df", "degree") and not (isinstance(number, int) and 0 <= number <= _MAX_SPLINE_DF):
                raise _Refused(item, f"a spline's {keyword} must be a whole number from 0 to {_MAX_SPLINE_DF}")
        elif not (isinstance(item, ast.Constant) and (isinstance(item.value, str | bool) or item.value is None)):
            raise _Refused(item, "an option must be a number, a word in quotes, True, False, None or a list of "
                                 "numbers and words")
        elif isinstance(item.value, str) and item.value.startswith("__"):
            raise _Refused(item, "a name with a double underscore")


def _check_column(node, label, columns) -> None:
    if label.startswith("__"):
        raise _Refused(node, "a name with a double underscore")
    if columns is not None and label not in columns:
        shown = ", ".join(repr(c) for c in list(columns)[:12]) + (", ..." if len(columns) > 12 else "")
        raise _Refused(node, f"not a column of the table (its columns: {shown})")


def _check_call(node, stack, columns) -> None:
    """A call to an allowed function; its data argument goes on *stack*, its options are checked here."""
    func = node.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "np":
        if func.attr not in FORMULA_NUMPY:
            raise _Refused(func, f"np.{func.attr} is not one of the numpy functions allowed")
        positional, keywords = 1, ()
    elif isinstance(func, ast.Name) and func.id in FORMULA_FUNCTIONS:
        positional, keywords = FORMULA_FUNCTIONS[func.id]
    else:
        raise _Refused(func, "not one of the functions allowed")
    fname = ast.unparse(func)
    if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
        raise _Refused(node, "* or ** arguments")
    if not node.args or len(node.args) > positional:
        raise _Refused(node, f"{fname} takes {'one argument' if positional == 1 else f'1 to {positional} arguments'}"
                             + (f" and the keywords {', '.join(keywords)}" if keywords else ""))
    for kw in node.keywords:
        if kw.arg not in keywords:
            raise _Refused(kw, f"{fname} takes no keyword {kw.arg!r}"
                               + (f" (only {', '.join(keywords)})" if keywords else ""))
    data, *rest = node.args
    if fname == "Q":
        if not (isinstance(data, ast.Constant) and isinstance(data.value, str)):
            raise _Refused(node, "Q takes a column name in quotes, as in Q('my column')")
        _check_column(data, data.value, columns)
        return
    stack.append(data)
    options = [(kw.arg, kw.value) for kw in node.keywords]
    if fname == "C":
        options += list(zip(("contrast", "levels"), rest, strict=False))
    for keyword, value in options:
        if keyword == "contrast":
            _check_contrast(value)
        else:
            _check_option(value, keyword)


def _check_contrast(node) -> None:
    if isinstance(node, ast.Name) and node.id in FORMULA_CONTRASTS:
        return
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORMULA_CONTRASTS):
        raise _Refused(node, f"C's contrast must be one of {', '.join(FORMULA_CONTRASTS)}, as in "
                             "C(area, Treatment('b'))")
    keyword = FORMULA_CONTRASTS[node.func.id]
    if any(isinstance(a, ast.Starred) for a in node.args) or len(node.args) + len(node.keywords) > 1 \
            or any(k.arg != keyword for k in node.keywords):
        raise _Refused(node, f"{node.func.id} takes one argument, its {keyword}")
    for value in [*node.args, *(k.value for k in node.keywords)]:
        _check_option(value, keyword)


def _check_power(node) -> None:
    exponent = _number(node.right)
    if exponent is None or not abs(exponent) <= _MAX_FORMULA_POWER or any(
            isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow) for n in ast.walk(node.left)):
        raise _Refused(node, "a power of powers, or a power other than a number from "
                             f"-{_MAX_FORMULA_POWER} to {_MAX_FORMULA_POWER} such as x**2: it could take forever")


def _check_factor(code: str, columns) -> None:
    """Refuse (with :class:`_Refused`) any Python in one formula factor outside the allowed grammar."""
    try:
        tree = ast.parse(code, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise _Refused(None, "not a Python expression") from None
    stack = [tree.body]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            _check_column(node, node.id, columns)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                raise _Refused(node, "text outside Q(...) or a function's option")
            _check_number(node)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            stack.append(node.operand)
        elif isinstance(node, ast.BinOp) and type(node.op) in _FORMULA_BINOPS:
            if isinstance(node.op, ast.Pow):
                _check_power(node)
                stack.append(node.left)
            else:
                stack.extend((node.left, node.right))
        elif isinstance(node, ast.Compare) and all(isinstance(op, _FORMULA_COMPARE) for op in node.ops):
            stack.extend([node.left, *node.comparators])
        elif isinstance(node, ast.Call):
            _check_call(node, stack, columns)
        elif isinstance(node, ast.Attribute):
            raise _Refused(node, "an attribute: a dot only calls a numpy function, as in np.log(x)")
        elif isinstance(node, ast.Subscript):
            raise _Refused(node, "a subscript")
        elif isinstance(node, ast.BinOp | ast.UnaryOp | ast.BoolOp):
            raise _Refused(node, f"the operator {_OPERATORS.get(type(node.op), type(node.op).__name__)}")
        elif isinstance(node, ast.Compare):
            raise _Refused(node, "a comparison other than < <= > >= == !=")
        else:
            raise _Refused(node, f"a Python {type(node).__name__.lower()} expression")


def _check_python(rhs: str, tree, name: str, formula: str, columns) -> None:
    """ArgumentError for the first factor of a parsed formula whose Python is not in the allowed grammar."""
    for written, code in _formula_factors(tree):
        for text in (written.strip(), code.strip()):  # as written (to quote it), and as patsy will evaluate it
            try:
                _check_factor(text, columns)
            except _Refused as refused:
                piece = text if refused.node is None else (ast.get_source_segment(text, refused.node)
                                                           or ast.unparse(refused.node))
                if columns is not None and refused.why.startswith("not a column"):
                    raise ArgumentError(f"{name} {formula!r} does not fit the table: it names {piece!r}, which is "
                                        f"{refused.why}", column=name) from None
                raise ArgumentError(f"{name} {formula!r}: {piece!r} is not allowed in a formula ({refused.why}); "
                                    f"{FORMULA_ALLOWED}", column=name) from None


def check_formula(formula, name: str = "formula", *, columns=None) -> str:
    """A one-sided patsy formula ``"~ ..."`` as text, of sensible size, whose terms are safe to evaluate.

    Anything else -- not text, no ``~``, a response on the left, more than
    :data:`MAX_FORMULA_CHARS` characters, brackets nested more than 30 deep,
    more than :data:`MAX_FORMULA_TERMS` terms -- raises :class:`ArgumentError`
    naming *name*.

    patsy evaluates the Python inside each term (``I(x**2)``, ``np.log(x)``),
    so that Python is parsed (never evaluated) and must keep to a small
    grammar: column names (no double underscores), numbers up to
    :data:`MAX_FORMULA_NUMBER`, ``+ - * / // % & |``, ``**`` with a literal
    power of at most 20 (never a power of powers), comparisons, and calls to
    :data:`FORMULA_FUNCTIONS` (``C``, ``I``, ``Q``, ``center``,
    ``standardize``, ``scale``, the splines ``bs``, ``cr``, ``cc``), the numpy
    functions :data:`FORMULA_NUMPY` as ``np.log(...)``, and inside ``C(...)``
    the contrasts :data:`FORMULA_CONTRASTS`; a function's options are numbers,
    words in quotes or lists of them, by the keywords patsy documents
    (``bs(x, df=4)``, ``C(area, Treatment(reference='b'))``). Attributes,
    subscripts, lambdas, comprehensions, other calls and ``*`` arguments are
    refused, quoting the piece. Given the table's *columns*, every name (and
    every ``Q('...')``) must be one of them, so a term reads nothing else.

    Examples
    --------
    >>> check_formula("~ C(year) + np.log(population)")
    '~ C(year) + np.log(population)'
    >>> check_formula("~ I(x.__class__)")
    Traceback (most recent call last):
    ...
    danmark.errors.ArgumentError: argument 'formula': formula '~ I(x.__class__)': 'x.__class__' is not allowed ...
    """
    example = "a one-sided formula such as '~ C(year)' or '~ np.log(population)'"
    if not isinstance(formula, str):
        raise ArgumentError(f"{name} must be text: {example}; got {_short(formula)} ({type(formula).__name__})",
                            column=name)
    if len(formula) > MAX_FORMULA_CHARS:
        raise ArgumentError(f"{name} has {len(formula):,} characters; at most {MAX_FORMULA_CHARS:,} are accepted "
                            f"({example})", column=name)
    if "~" not in formula:
        raise ArgumentError(f"{name} must be {example}; got {formula!r}", column=name)
    lhs, rhs = formula.split("~", 1)
    if "~" in rhs or lhs.strip():
        raise ArgumentError(f"{name} must be one-sided ('~ ...'): the response is always the reversal count; "
                            f"got {formula!r}", column=name)
    depth = deepest = 0
    for ch in rhs:
        depth += ch in "([{"
        depth -= ch in ")]}"
        deepest = max(deepest, depth)
    if deepest > _MAX_FORMULA_DEPTH:
        raise ArgumentError(f"{name} nests brackets {deepest} deep; at most {_MAX_FORMULA_DEPTH} are accepted "
                            f"({example})", column=name)
    import patsy
    from patsy.parse_formula import parse_formula

    try:
        tree = parse_formula(rhs)
        terms = _formula_terms(tree)
    except patsy.PatsyError as err:
        raise ArgumentError(f"{name} {formula!r} is not a formula: {err.message}", column=name) from None
    except (LookupError, TypeError, SyntaxError, AttributeError) as err:  # patsy's tokenizer on unclosed quotes
        raise ArgumentError(f"{name} {formula!r} is not a formula ({type(err).__name__}); {example}",
                            column=name) from None
    except (OverflowError, ValueError):
        raise ArgumentError(f"{name} {formula!r} has a power that is not a whole number from 1 to "
                            f"{_MAX_FORMULA_POWER} (as in '~ (a + b)**2')", column=name) from None
    except RecursionError:
        terms = MAX_FORMULA_TERMS + 1
    if terms > MAX_FORMULA_TERMS:
        raise ArgumentError(f"{name} {formula[:60]!r}{'...' if len(formula) > 60 else ''} expands to up to "
                            f"{terms:,} terms; at most {MAX_FORMULA_TERMS} are accepted ({example})", column=name)
    _check_python(rhs, tree, name, formula, None if columns is None else dict.fromkeys(columns))
    return formula
