"""The Talportal's internal table (one row per Sagsemne × Kommune × periode)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import DataError
from ..periods import parse_period
from ..schema import COUNT_COLUMNS
from ._build import _areas, _assemble, _kommuner, _periods, _skipped_note, _source_key
from ._layout import _TP_NAMES, _layout, _neither, _tp_field
from ._numbers import _check_counts, _numbers
from ._raw import _check_mojibake, _Col, _drop_blank_header_columns, _Raw, _records_to_raw
from ._text import _MISSING
from .talportal_xlsx import _talportal_excel_raw


def _talportal_from_records(file, enc, sep, records, lines) -> _Raw:
    layout = _layout(records[:3])
    if layout == "talportal":
        raw = _records_to_raw(file, enc, sep, [h.strip() for h in records[0]], records[1:], lines[1:])
        _drop_blank_header_columns(raw)
        return raw
    if layout == "talportal_excel":
        if len(records) < 3:
            raise DataError("the Excel export has a header but no data rows", file=file)
        return _talportal_excel_raw(file, enc, sep, records, lines)
    raise _neither(file, records[0], "a Talportal export (Sagsemne, Kommune, periode, Stadfæstelse, ...)", layout)


def _talportal_tidy(raw: _Raw, area) -> tuple[pd.DataFrame, list[str]]:
    """The tidy table and the warnings to issue once it is built."""
    _check_mojibake(raw)
    fields: dict[str, str] = {}
    for h in raw.cols:
        f = _tp_field(h)
        if f is not None and f not in fields:
            fields[f] = h
    need = ["kommune", "stadfaestet", "aendret", "hjemvist"]
    missing = [_TP_NAMES[f] for f in need if f not in fields]
    if "periode" not in fields and "aar" not in fields:
        missing.append("periode (or Aar)")
    if "afvist" not in fields and "total" not in fields:
        missing.append("Afvisning.Henvisning or Antal_sager_ialt")
    if missing:
        raise DataError(
            f"missing required column(s) {', '.join(missing)}; found {', '.join(repr(h) for h in raw.header)}",
            file=raw.file,
        )
    if raw.n == 0:
        raise DataError("the file has a header but no data rows", file=raw.file)
    vals, cols = {}, {}
    for f in ("stadfaestet", "aendret", "hjemvist", "afvist", "total"):
        if f in fields:
            col = raw.cols[fields[f]]
            v = _numbers(col, raw, _MISSING)
            _check_counts(v, col, raw)
            vals[f], cols[f] = v, col
    miss = {f: np.isnan(v) for f, v in vals.items()}
    # a row whose counts are all '.' reports no decisions: it is dropped
    keep = ~np.logical_and.reduce(list(miss.values()))
    if not keep.any():
        raise DataError("every row's counts are missing ('.'): no decisions to read", file=raw.file)
    kidx, kcodes = _kommuner(raw.cols[fields["kommune"]], raw, skip_regions=True)
    pcol = raw.cols[fields["periode"]] if "periode" in fields else _period_from_year(raw, fields)
    pidx, ptable = _periods(pcol, raw)
    aidx, alabels = _areas(raw.cols.get(fields.get("sagsemne", "")), raw, area, raw.n)
    keep &= kidx >= 0
    if not keep.any():
        raise DataError("the file has only region totals, no municipalities", file=raw.file)
    notes = _unchecked_notes(fields) + _skipped_note(raw, raw.cols[fields["kommune"]], kidx)
    if "afvist" in vals:
        af, af_missing = vals["afvist"], miss["afvist"]
    else:
        af, af_missing = np.zeros(raw.n), np.ones(raw.n, dtype=bool)

    def checks():
        _talportal_checks(raw, vals, miss, cols, keep)
        if "periode" in fields and "aar" in fields:
            _check_year_vs_period(raw, fields, pidx, ptable, keep)

    df = _assemble(
        raw, kidx, kcodes, pidx, ptable, aidx, alabels,
        {f: vals[f] for f in COUNT_COLUMNS}, af, af_missing, _source_key("talportal", raw.file),
        checks=checks, rows=None if keep.all() else np.flatnonzero(keep),
    )
    return df, notes


def _unchecked_notes(fields) -> list[str]:
    """Warnings for a Talportal file whose counts cannot be checked against the total."""
    if "afvist" not in fields:
        return [
            "the file has no Afvisning.Henvisning column, so stadfæstelse + ændring + "
            "hjemvisning = Antal_sager_ialt − Afvisning.Henvisning could not be checked (only "
            "that the three do not exceed Antal_sager_ialt); afvist is <NA>"
        ]
    if "total" not in fields:
        return [
            "the file has no Antal_sager_ialt column, so the counts could not be checked "
            "against the total (stadfæstelse + ændring + hjemvisning = Antal_sager_ialt − "
            "Afvisning.Henvisning)"
        ]
    return []




_QUARTER = re.compile(r"(?<!\d)([1-4])(?!\d)")


def _check_year_vs_period(raw: _Raw, fields, pidx, ptable, keep) -> None:
    """Where a row gives Aar (and Kvartal) next to periode, they must name the same period.

    An empty Aar or Kvartal says nothing; Aar alone must contain the periode
    (Aar 2022 with periode "2022 - 4. kvartal" is fine), Aar with a Kvartal
    must be that very quarter.
    """
    aar = raw.cols[fields["aar"]]
    kv = raw.cols.get(fields.get("kvartal", ""))
    nk = max(len(kv.uniques), 1) if kv is not None else 1
    npd = max(len(ptable), 1)
    key = aar.codes.astype(np.int64)
    key *= nk
    if kv is not None:
        key += kv.codes
    key *= npd
    key += pidx
    space = max(len(aar.uniques), 1) * nk * npd
    if space <= max(4 * len(key), 1 << 20):
        present = np.flatnonzero(np.bincount(key, minlength=space))
    else:
        present = pd.unique(key)
    years: dict[str, tuple | None] = {}
    bad = []
    for k in present.tolist():
        a = aar.uniques[k // (nk * npd)]
        q_text = kv.uniques[(k // npd) % nk] if kv is not None else ""
        _, p_start, p_end = ptable[k % npd]
        if a == "":
            continue
        if a not in years:
            try:
                years[a] = parse_period(a)
            except DataError:
                years[a] = None
        if years[a] is None:
            bad.append((k, "aar", f"Aar {a!r} is not a year, so it cannot be checked against periode"))
            continue
        _, a_start, a_end = years[a]
        if not (a_start <= p_start and p_end <= a_end):
            bad.append((k, "aar", f"Aar {a!r} disagrees with periode"))
            continue
        q = _QUARTER.search(q_text) if q_text else None
        if q is not None and re.fullmatch(r"\d{4}", a):
            _, q_start, q_end = parse_period(f"{a}Q{q.group(1)}")
            if (q_start, q_end) != (p_start, p_end):
                bad.append((k, "kvartal", f"Aar {a!r} and Kvartal {q_text!r} disagree with periode"))
    # rows that are not read (regions, no decisions) are not held against the file
    first = {k: hit[0] for k, _, _ in bad if (hit := np.flatnonzero((key == k) & keep)).size}
    bad = [b for b in bad if b[0] in first]
    if not bad:
        return
    k, field, message = min(bad, key=lambda b: first[b[0]])
    pos = first[k]
    pcol = raw.cols[fields["periode"]]
    shown = pcol.uniques[pcol.codes[pos]]
    raise DataError(
        f"{message} {shown!r} ({ptable[k % npd][0]}) on this row: which period do its counts "
        "belong to? Correct the row, or drop the Aar and Kvartal columns to go by periode",
        file=raw.file,
        row=int(raw.lines[pos]),
        column=fields[field],
    )


def _talportal_checks(raw: _Raw, vals, miss, cols, keep) -> None:
    """Missing counts in rows with cases, and the identity with Antal_sager_ialt."""
    for f in ("stadfaestet", "aendret", "hjemvist"):
        partial = miss[f] & keep
        if partial.any():
            pos = int(np.flatnonzero(partial)[0])
            raise DataError(
                f"{cols[f].label(pos)} is missing ('.') in a row that has cases; danmark does "
                "not guess a count (drop the row or fill in the figure)",
                file=raw.file,
                row=int(raw.lines[pos]),
                column=cols[f].label(pos),
            )
    if "total" not in vals:
        return
    with np.errstate(invalid="ignore"):
        s3 = vals["stadfaestet"] + vals["aendret"]
        s3 += vals["hjemvist"]
        real = vals["total"] - vals["afvist"] if "afvist" in vals else np.full(raw.n, np.nan)
        # every failure below has s3 != real (NaN included): look closer at those rows only
        at = np.flatnonzero(s3 != real)
    if at.size == 0:
        return
    s3, real = s3[at], real[at]
    ae, hj, tot = vals["aendret"][at], vals["hjemvist"][at], vals["total"][at]
    af = vals["afvist"][at] if "afvist" in vals else np.full(at.size, np.nan)
    with np.errstate(invalid="ignore"):
        known = ~np.isnan(real)

        def fail(mask, message, field):
            i = int(np.flatnonzero(mask)[0])
            pos = int(at[i])
            raise DataError(message(i), file=raw.file, row=int(raw.lines[pos]), column=cols[field].label(pos))

        neg = known & (real < 0)
        if neg.any():
            fail(neg, lambda i: f"Afvisning.Henvisning = {af[i]:g} exceeds Antal_sager_ialt = {tot[i]:g}", "afvist")
        over = known & (ae + hj > real)
        if over.any():
            fail(over, lambda i: (
                f"ændret + hjemvist = {ae[i] + hj[i]:g} exceeds realitetsbehandlede = "
                f"Antal_sager_ialt − Afvisning.Henvisning = {real[i]:g}"), "hjemvist")
        bad = known & (s3 != real)
        if bad.any():
            fail(bad, lambda i: (
                f"stadfæstelse + ændring + hjemvisning = {s3[i]:g} but Antal_sager_ialt − "
                f"Afvisning.Henvisning = {tot[i]:g} − {af[i]:g} = {real[i]:g}: the counts do "
                "not add up"), "total")
        over_tot = ~known & ~np.isnan(tot) & (s3 > tot)
        if over_tot.any():
            fail(over_tot, lambda i: (
                f"stadfæstelse + ændring + hjemvisning = {s3[i]:g} exceeds "
                f"Antal_sager_ialt = {tot[i]:g}"), "total")


def _period_from_year(raw: _Raw, fields) -> _Col:
    """Build period texts from Aar (+ Kvartal) when the file has no periode column."""
    aar = raw.cols[fields["aar"]]
    kv = raw.cols.get(fields.get("kvartal", ""))
    kv_codes = kv.codes if kv is not None else np.zeros(raw.n, dtype=np.intp)
    kv_uniques = kv.uniques if kv is not None else np.array([""], dtype=object)
    pair = aar.codes.astype(np.int64) * max(len(kv_uniques), 1) + kv_codes
    codes, pairs = pd.factorize(pair)
    texts = []
    for p in pairs:
        year = aar.uniques[p // max(len(kv_uniques), 1)]
        q = re.search(r"[1-4]", str(kv_uniques[p % max(len(kv_uniques), 1)]))
        texts.append(f"{year}Q{q.group()}" if q else str(year))
    return _Col(codes, texts, aar.name)


