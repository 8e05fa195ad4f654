"""Counts from whatever measures a Talportal file holds, checked against each other.

The Talportal defines its measures from four counts per cell (stadfæstet,
ændret/ophævet, hjemvist, afvist), each *missing* when the cell had no such
cases, and computes them as follows (the app's code, ``server.R``):

* ``Realitetsbehandlede sager i alt`` = Antal_sager_ialt − Afvisning.Henvisning,
  **without** replacing a missing count, so it is missing whenever the cell
  had no afviste sager;
* every percentage = 100 × count / Realitetsbehandlede with missing counted
  as 0 in numerator and denominator, so ``Inf`` (or ``NaN`` for 0/0) where
  Realitetsbehandlede is missing.

So danmark reads a missing count as 0 cases, takes n from the parts
(stadfæstet + ændret + hjemvist) when the file has all three, and uses
Realitetsbehandlede (or the internal table's Antal_sager_ialt − afvist) and
the percentages as checks where they are finite -- or, where parts are not in
the file, to recover them: omgjort = n × Omgørelsesprocent / 100 must then be
a whole number. When the file cannot tell ændret from hjemvist, both are
unknown and only their sum, omgjort, is carried (see :mod:`danmark.schema`).

In the Excel download every missing value is written as 0, so there a
Realitetsbehandlede of 0 in a row without afviste sager means "unknown", and a
row of zeros is a cell with no cases (or the pivot's filler); both are read so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import MAX_COUNT
from ..errors import DataError
from ._layout import TP_NAMES, TP_PERCENTS
from ._numbers import check_counts, number_column, parse_numbers
from ._raw import RawTable, TextColumn

__all__ = ["Counts", "counts_from_measures", "can_give_counts", "BOXES"]

#: missing-value tokens in the Talportal's files: the internal table's "." and R's NA
MISSING = frozenset({"", ".", "..", "NA", "#N/A"})
#: non-finite numbers: R's write.table, and Excel's error cells
NONFINITE = frozenset({"Inf", "-Inf", "+Inf", "NaN", "inf", "-inf", "nan", "#NUM!", "#DIV/0!", "#VALUE!"})
#: what to tick in the Talportal (Tabel) to get every count
BOXES = "'Stadfæstede sager', 'Ændrede/ophævede sager', 'Hjemviste sager' and 'Afviste sager'"

_TOL = 1e-6  # a recovered count is whole when within this of an integer (15-digit percentages)
_SHOWN = {
    "stadfaestet": "stadfæstede", "aendret": "ændrede/ophævede", "hjemvist": "hjemviste",
    "omgjort": "omgjorte (ændrede/ophævede + hjemviste)", "afvist": "afviste",
}


@dataclass
class Counts:
    """Per-row counts recovered from a file's measures (float64, NaN = unknown).

    ``recovered``: n and omgjort are known; ``split``: ændret and hjemvist are
    known; ``empty``: the row reports no cases at all.
    """

    stadfaestet: np.ndarray
    aendret: np.ndarray
    hjemvist: np.ndarray
    omgjort: np.ndarray
    afvist: np.ndarray  # NaN: the file has no afviste sager column
    recovered: np.ndarray
    split: np.ndarray
    empty: np.ndarray


def _percent(col, raw: RawTable) -> tuple[np.ndarray, np.ndarray]:
    """A percentage column: values (NaN where missing or non-finite) and the non-finite mask."""
    if not isinstance(col, TextColumn):
        v = np.asarray(col.values, dtype=float)
        return np.where(np.isfinite(v), v, np.nan), ~np.isfinite(v) & ~np.isnan(v)
    nonfinite_u = np.array([u.strip() in NONFINITE for u in col.uniques], dtype=bool)
    # percentages are never thousands: the file's decimal mark, else the Danish comma
    mark = raw.decimal or raw.hint or ","
    vals, status, _ = parse_numbers(col.uniques, MISSING | NONFINITE, mark)
    bad = np.flatnonzero((status >= 2) & ~nonfinite_u)
    if bad.size:
        pos = col.first_pos(bad)
        raise DataError(
            f"{col.label(pos)} is not a percentage: {col.uniques[col.codes[pos]]!r}",
            file=raw.file, row=int(raw.lines[pos]), column=col.label(pos),
        )
    out = vals[col.codes]
    outside = (out < 0) | (out > 100)
    if outside.any():
        pos = int(np.flatnonzero(outside)[0])
        raise DataError(
            f"{col.label(pos)} = {out[pos]:g} is not a percentage between 0 and 100",
            file=raw.file, row=int(raw.lines[pos]), column=col.label(pos),
        )
    return out, nonfinite_u[col.codes]


def _fail(raw: RawTable, col, mask, message) -> None:
    """Raise for the first row in *mask*: *message(pos)* located at *col*'s label."""
    pos = int(np.flatnonzero(mask)[0])
    label = col.label(pos)
    raise DataError(message(pos), file=raw.file, row=int(raw.lines[pos]), column=label)


def counts_from_measures(raw: RawTable, fields: dict[str, str], *, zero_is_missing: bool = False) -> Counts:
    """Recover stadfæstet, ændret, hjemvist and omgjort per row from the measures in *fields*.

    *fields* maps a measure (``stadfaestet``, ``aendret``, ``hjemvist``,
    ``afvist``, ``total``, ``real``, ``pct_*``) to its column in *raw*;
    *zero_is_missing* is True for the Excel download. Contradictions between
    measures raise :class:`DataError` at the row and column that disagree.
    """
    n_rows = raw.n
    cols = {f: raw.cols[c] for f, c in fields.items() if c in raw.cols}
    unknown = np.full(n_rows, np.nan)
    direct: dict[str, np.ndarray] = {}
    for f in ("stadfaestet", "aendret", "hjemvist", "afvist", "total", "real"):
        if f in cols:
            v = number_column(cols[f], raw, MISSING)
            check_counts(v, cols[f], raw)
            direct[f] = v
    # a missing count is no cases; a missing total is no figure
    part = {f: np.nan_to_num(direct[f]) if f in direct else unknown for f in ("stadfaestet", "aendret", "hjemvist")}
    afvist = np.nan_to_num(direct["afvist"]) if "afvist" in direct else unknown
    # realitetsbehandlede sager: given, or the internal table's total − afvist
    real = unknown
    real_col = None
    if "real" in direct:
        real, real_col = direct["real"].copy(), cols["real"]
        if zero_is_missing:  # the Excel download writes a missing total as 0
            real[(real == 0) & ~(afvist > 0)] = np.nan
    elif "total" in direct and "afvist" in direct:
        # as the Talportal computes it: unknown where afvist is missing
        real, real_col = direct["total"] - direct["afvist"], cols["total"]
        _fail_if(raw, cols["afvist"], real < 0, lambda p: (
            f"Afvisning.Henvisning = {afvist[p]:g} exceeds Antal_sager_ialt = {direct['total'][p]:g}"))
    pct, nonfinite = {}, {}
    for f in TP_PERCENTS:
        if f in cols:
            pct[f], nonfinite[f] = _percent(cols[f], raw)
    # counts from percentages of a known total; each must be a whole number
    from_pct: dict[str, np.ndarray] = {}
    # a finite rate had a finite denominator: Realitetsbehandlede, which equals the parts' sum
    parts_sum = part["stadfaestet"] + part["aendret"] + part["hjemvist"]
    denominator = np.where(np.isfinite(real), real, parts_sum)
    usable = np.isfinite(denominator) & (denominator > 0)
    for f, target in TP_PERCENTS.items():
        if f not in pct:
            continue
        with np.errstate(invalid="ignore"):
            c = np.where(usable, denominator * pct[f] / 100.0, np.nan)
            r = np.round(c)
            bad = np.abs(c - r) > _TOL * np.maximum(denominator, 1)
        _fail_if(raw, cols[f], bad, lambda p, f=f, c=c: (
            f"{cols[f].label(p)} = {pct[f][p]:.15g} % of {denominator[p]:g} realitetsbehandlede sager is "
            f"{c[p]:.6g} cases, not a whole number: the row contradicts itself"))
        from_pct[target] = r
    values = {**part, "omgjort": part["aendret"] + part["hjemvist"], "afvist": afvist}
    # every given measure must agree with every other where both are known
    for target, c in from_pct.items():
        have = values[target]
        f = next(k for k, t in TP_PERCENTS.items() if t == target)
        _fail_if(raw, cols[f], np.isfinite(have) & np.isfinite(c) & (have != c), lambda p, f=f, c=c, have=have, t=target: (
            f"{cols[f].label(p)} = {pct[f][p]:.15g} % gives {c[p]:g} {_SHOWN[t]} sager of "
            f"{denominator[p]:g}, but the row has {have[p]:g}"))
    n_parts = values["stadfaestet"] + values["omgjort"]
    # each count is below 2**53, but the checks below add them up: a sum that large is not exact
    _fail_if(raw, next(iter(cols.values())), n_parts + np.nan_to_num(afvist) >= MAX_COUNT, lambda p: (
        f"the row's counts add up to {n_parts[p] + np.nan_to_num(afvist[p]):.6g} cases, 2**53 or more: "
        "too many to be appeal cases, and beyond what danmark can count exactly"))
    if real_col is not None:
        over = np.isfinite(real) & np.isfinite(values["omgjort"]) & (values["omgjort"] > real)
        _fail_if(raw, cols.get("hjemvist", real_col), over, lambda p: (
            f"ændret + hjemvist = {values['omgjort'][p]:g} exceeds realitetsbehandlede = {real[p]:g}"
            + (" = Antal_sager_ialt − Afvisning.Henvisning" if "real" not in direct else "")))
        internal = "real" not in direct
        _fail_if(raw, real_col, np.isfinite(real) & np.isfinite(n_parts) & (real != n_parts), lambda p: (
            (f"stadfæstelse + ændring + hjemvisning = {n_parts[p]:g} but Antal_sager_ialt − "
             f"Afvisning.Henvisning = {direct['total'][p]:g} − {afvist[p]:g} = {real[p]:g}: the "
             "counts do not add up") if internal else (
             f"{TP_NAMES['real']} = {real[p]:g}, but stadfæstede + ændrede/ophævede + hjemviste "
             f"sager = {n_parts[p]:g}: the counts do not add up")))
    if "total" in direct:
        tot = direct["total"]
        _fail_if(raw, cols["total"], np.isfinite(tot) & np.isfinite(n_parts) & (n_parts > tot), lambda p: (
            f"stadfæstelse + ændring + hjemvisning = {n_parts[p]:g} exceeds Antal_sager_ialt = {tot[p]:g}"))
        if "afvist" in direct:
            # Antal_sager_ialt counts every case: with no afviste sager ("."), it is the three parts
            no_afv = np.isnan(direct["afvist"]) & np.isfinite(tot) & np.isfinite(n_parts)
            _fail_if(raw, cols["total"], no_afv & (tot != n_parts), lambda p: (
                f"Antal_sager_ialt = {tot[p]:g}, but stadfæstelse + ændring + hjemvisning = {n_parts[p]:g} "
                f"and {cols['afvist'].label(p)} is empty (no afviste sager): the row contradicts itself "
                f"({tot[p] - n_parts[p]:g} case{'s' if tot[p] - n_parts[p] != 1 else ''} unaccounted for)"))
    # fill what the file does not give from what it does: n = stadfæstet + omgjort, omgjort = ændret + hjemvist
    n = np.where(np.isfinite(n_parts), n_parts, real)
    s, a, h = values["stadfaestet"].copy(), values["aendret"].copy(), values["hjemvist"].copy()
    omg = values["omgjort"].copy()
    for target, arr in (("stadfaestet", s), ("aendret", a), ("hjemvist", h), ("omgjort", omg)):
        if target in from_pct:
            fill = np.isnan(arr)
            arr[fill] = from_pct[target][fill]
    none = n == 0  # no realitetsbehandlede sager: none of any outcome
    s, a, h, omg = (np.where(none & np.isnan(v), 0.0, v) for v in (s, a, h, omg))
    for _ in range(2):
        omg = np.where(np.isnan(omg), a + h, omg)
        omg = np.where(np.isnan(omg), n - s, omg)
        s = np.where(np.isnan(s), n - omg, s)
        a = np.where(np.isnan(a), omg - h, a)
        h = np.where(np.isnan(h), omg - a, h)
        n = np.where(np.isnan(n), s + omg, n)
    check_col = real_col if real_col is not None else next(iter(cols.values()))
    for name, arr in (("stadfæstede", s), ("ændrede/ophævede", a), ("hjemviste", h), ("omgjorte", omg)):
        _fail_if(raw, check_col, arr < 0, lambda p, name=name, arr=arr: (
            f"the row's measures give {arr[p]:g} {name} sager: they contradict each other"))
    recovered = np.isfinite(s) & np.isfinite(omg)
    split = recovered & np.isfinite(a) & np.isfinite(h)
    no_afvist = ~(afvist > 0)
    empty = recovered & (s + omg == 0) & no_afvist
    if zero_is_missing:
        # a row of zeros in the Excel download: no cases, or the pivot's filler
        zeros = np.ones(n_rows, dtype=bool)
        for v in (*direct.values(), *pct.values()):
            zeros &= np.nan_to_num(v) == 0
        for v in nonfinite.values():
            zeros &= ~v
        empty |= ~recovered & zeros
    return Counts(s, np.where(split, a, np.nan), np.where(split, h, np.nan), omg,
                  afvist, recovered, split, empty)


def can_give_counts(fields) -> bool:
    """Whether these measures can give n and omgjort for a row with cases (whatever its numbers).

    n needs the three parts, Realitetsbehandlede, or Antal_sager_ialt with
    Afvisning.Henvisning; then stadfæstet or omgjort (each as a count or a
    percentage, omgjort also as ændret and hjemvist) gives the other.
    """
    has = set(fields)
    parts = {"stadfaestet", "aendret", "hjemvist"} <= has
    n_src = parts or "real" in has or {"total", "afvist"} <= has
    s_src = bool({"stadfaestet", "pct_stadfaestet"} & has)
    omg_src = "pct_omgjort" in has or (
        bool({"aendret", "pct_aendret"} & has) and bool({"hjemvist", "pct_hjemvist"} & has))
    return n_src and (s_src or omg_src)


def _fail_if(raw, col, mask, message) -> None:
    if mask.any():
        _fail(raw, col, mask, message)
