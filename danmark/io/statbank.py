"""Statistikbanken ANKEAST1 (years) and ANKEAST2 (quarters)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .._validate import MAX_COUNT
from ..errors import DataError
from ._build import (
    area_index,
    assemble,
    kommune_index,
    period_index,
    skipped_note,
    source_key,
)
from ._layout import detect_layout, looks_like_period, wrong_format
from ._numbers import STATUS_BAD, check_counts, number_column, parse_numbers
from ._raw import RawTable, TextColumn, check_mojibake, load_csv
from ._statbank_codes import mostly_kommuner, read_code_and_text
from ._text import MISSING_STATBANK, check_decimal, fold, sniff, unterminated_last_line, warn_each

# --------------------------------------------------------------------------- Statistikbanken

#: decision types in ANKEAST1/2 (folded, alphanumerics only) -> tidy column
_DECISIONS = {
    "stadfaestelse": "stadfaestet",
    "stadfaestet": "stadfaestet",
    "stadfaestelser": "stadfaestet",
    "aendringophaevelse": "aendret",
    "aendringogophaevelse": "aendret",
    "aendretophaevet": "aendret",
    "aendring": "aendret",
    "hjemvisning": "hjemvist",
    "hjemvist": "hjemvist",
    "hjemvisninger": "hjemvist",
    "afvisninghenvisning": "afvist",
    "afvisthenvist": "afvist",
    "afvisning": "afvist",
    "ialt": "total",
    "afgoerelserialt": "total",
    "alleafgoerelser": "total",
    "afgoerelsestypeialt": "total",
}


def _decision_key(text) -> str:
    key = re.sub(r"[^a-z]", "", fold(re.sub(r"^\s*\d+(\.\d+)*\s+", "", str(text))))
    if key not in _DECISIONS and len(parts := str(text).split(None, 1)) == 2:
        # "kode og tekst" with a code that is not a number: "STA Stadfæstelse"
        alt = re.sub(r"[^a-z]", "", fold(parts[1]))
        if alt in _DECISIONS:
            return alt
    return key


def _classify_statbank(raw: RawTable) -> dict[str, str]:
    """Find the value, decision, period, municipality and law-basis columns."""
    folded = {h: fold(h) for h in raw.cols}
    roles: dict[str, str] = {}
    value = next((h for h, f in folded.items() if f in ("indhold", "value", "vaerdi")), None)
    if value is None:
        last = list(raw.cols)[-1]
        col = raw.cols[last]
        _, status, _ = parse_numbers(col.uniques, MISSING_STATBANK, raw.decimal, raw.hint)
        if len(status) and (status != STATUS_BAD).all():
            value = last
    if value is None:
        raise wrong_format(raw.file, raw.header, "a Statistikbank table (no INDHOLD value column)", detect_layout([raw.header]))
    roles["value"] = value
    for h in raw.cols:
        if h == value:
            continue
        col = raw.cols[h]
        texts = [u for u in col.uniques if u]
        if not texts:
            continue
        keys = [_decision_key(u) for u in texts]
        if "decision" not in roles and sum(k in _DECISIONS for k in keys) >= max(1, len(keys) // 2):
            roles["decision"] = h
            continue
        if "period" not in roles and (folded[h] in ("tid", "time", "periode") or all(looks_like_period(u) for u in texts)):
            roles["period"] = h
            continue
        if "kommune" not in roles and (folded[h] in ("omraade", "kommune")
                                      or mostly_kommuner(texts)):
            roles["kommune"] = h
            continue
        roles.setdefault("others", "")
        roles["others"] += ("\t" if roles["others"] else "") + h
    return roles


def _check_cut(raw: RawTable, value: str, path) -> None:
    """A file that ends inside its last INDHOLD value, with no line break after it, may be cut short.

    "80" cut to "8" is still a number, and nothing else in a Statistikbank
    table checks it; Statistikbanken ends every line with a line break.
    """
    named = [h for h in raw.header if h.strip()]
    if not named or named[-1] != value or raw.n == 0:
        return
    last = unterminated_last_line(path, raw.encoding)
    if last is None:
        return
    if raw.sep not in last:
        return
    field = last.rsplit(raw.sep, 1)[-1].strip().strip('"').strip()
    if field and not re.fullmatch(r"[+-]?[\d.,\s]*\d", field):
        return  # a missing-value token ("..", "." is the same), or text: nothing read short
    raise DataError(
        f"the file ends inside this row's {value} value {field!r}, with no line break after it: it "
        "looks cut off, so the value may be incomplete (Statistikbanken ends every line with a line "
        "break); download the table again, or end the file with a line break if it is complete",
        file=raw.file, row=int(raw.lines[-1]), column=value,
    )


def _rates_error(file, why: str) -> DataError:
    return DataError(
        f"{why}: this looks like ANKEAST3/ANKEAST4, which hold omgørelsesprocenter (rates), "
        "not counts, so cases cannot be counted from it; download ANKEAST1 (years) or "
        "ANKEAST2 (quarters) with all afgørelsestyper instead",
        file=file,
    )


def read_statbank(path, *, encoding=None, decimal=None) -> pd.DataFrame:
    """Read a Statistikbank ANKEAST1 (yearly) or ANKEAST2 (quarterly) download.

    The long format Danmarks Statistik writes: one column per dimension
    (municipality ``OMRÅDE``, law basis ``LOVGRUNDLAG``, decision type
    ``AFGØRELSE``, time ``TID`` as "2022" or "2022K4") and the value column
    ``INDHOLD``, in the bank's text presentation ("København") or its "kode
    og tekst" presentation, the default of its API's CSV ("101 København",
    "2022K4 2022K4"; each municipality's code is checked against its name). Headers vary, so columns are recognised by name *and* by
    content: the decision column is the one holding Stadfæstelse,
    Ændring/ophævelse, Hjemvisning and Afvisning/henvisning; the period column
    the one whose values are periods; the municipality column the one whose
    values are municipality names; the remaining one is the law basis, kept as
    written ("1 Serviceloven", "1.9 Børn - efterværn - §§ 68 og 76") as
    ``area`` (the map names in :data:`AREA_NAMES` are mapped as in
    :func:`read_talportal`). ``;`` or ``,`` separated, UTF-8 or cp1252, decimal
    comma or point (see *decimal*).

    The table is pivoted to one row per municipality × law basis × period.
    Rows for regions and landsdele are skipped; "Hele landet" becomes ``"000"``.
    An "I alt" decision type, if present, is checked against the sum of the
    four and then dropped. ``.``, ``..`` and ``-`` are missing values (see
    :mod:`danmark.io`; if your download writes ``-`` for zero, replace it
    with 0). ``source`` is ``"statbank:<file name>"``. Statistikbanken ends
    every line with a line break, and nothing in the table checks a single
    value, so a file that ends inside a number with no line break after it
    (a cut-off download: "80" read as "8") is refused.

    Parameters
    ----------
    path : str or path-like
    encoding : str, optional
        Forced text encoding; by default UTF-8, falling back to cp1252.
    decimal : {None, ",", "."}, optional
        The decimal mark of ``INDHOLD``. None (default) decides from the
        column ("11,0" settles a decimal comma) and refuses a value such as
        ``5,000`` that nothing settles; ``"."`` reads it as 5000 (the English
        download's format), ``","`` as 5.

    Warns
    -----
    ReaderWarning
        When rows for regions or landsdele were skipped.

    Raises
    ------
    DataError
        For ANKEAST3/ANKEAST4 (percentages: download ANKEAST1/2 instead), text
        decoded with the wrong encoding, fractional, negative, ambiguous
        (``5,000``) or too large (2**53 or more) counts, missing decision
        types, duplicate cells, unknown municipalities (or a code that
        disagrees with its name), unreadable periods, a file cut off inside
        its last value, and files that are not Statistikbank tables.

    Examples
    --------
    Made-up numbers in the download's layout:

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ANKEAST1.csv"
    >>> rows = ["OMRÅDE;LOVGRUNDLAG;AFGØRELSE;TID;INDHOLD"] + [
    ...     f"Solrød;1 Serviceloven;{a};2022;{v}" for a, v in
    ...     [("Stadfæstelse", 12), ("Ændring/ophævelse", 2),
    ...      ("Hjemvisning", 5), ("Afvisning/henvisning", 1)]]
    >>> _ = path.write_text("\\n".join(rows) + "\\n", encoding="utf-8")
    >>> read_statbank(path)[["kommune", "period", "area", "stadfaestet", "aendret", "hjemvist", "afvist"]]
      kommune period            area  stadfaestet  aendret  hjemvist  afvist
    0  Solrød   2022  1 Serviceloven           12        2         5       1
    """
    file = path
    check_decimal(decimal, file)
    if re.search(r"ankeast[34](?!\d)", fold(Path(path).name)):
        raise _rates_error(file, f"the file name {Path(path).name!r} names a table of percentages")
    enc, sep, header, rows = sniff(path, encoding, file)
    layout = detect_layout(rows)
    if layout in ("tidy", "talportal", "talportal_excel"):
        raise wrong_format(file, header, "a Statistikbank table", layout)
    raw = load_csv(path, encoding, missing=MISSING_STATBANK)
    # the decision types must be Danish ("Stadfæstelse"), so is the number format: "5.000"
    raw.decimal, raw.hint = decimal, ","
    check_mojibake(raw)
    if raw.n == 0:
        raise DataError("the file has a header but no data rows", file=file)
    for h in raw.header:
        if "procent" in fold(h):
            raise _rates_error(file, f"column {h!r} holds percentages")
    for col in raw.cols.values():
        if isinstance(col, TextColumn) and any("procent" in fold(u) for u in col.uniques[:200]):
            raise _rates_error(file, f"column {col.name!r} holds percentages")
    read_code_and_text(raw)
    roles = _classify_statbank(raw)
    vcol = raw.cols[roles["value"]]
    values = number_column(vcol, raw, MISSING_STATBANK)
    _check_cut(raw, roles["value"], path)
    finite = values[np.isfinite(values)]
    if "decision" not in roles:
        if finite.size and (finite != np.floor(finite)).any() and finite.max() <= 100:
            raise _rates_error(file, "INDHOLD has fractional values and no decision-type column")
        raise DataError(
            "not a Statistikbank table: no column of decision types (Stadfæstelse, "
            "Ændring/ophævelse, Hjemvisning, Afvisning/henvisning) found; columns: "
            f"{', '.join(map(repr, raw.header))}",
            file=file,
        )
    frac = np.isfinite(values) & (values != np.floor(values))
    if frac.any() and finite.max() <= 100:
        pos = int(np.flatnonzero(frac)[0])
        raise DataError(
            f"INDHOLD = {values[pos]:g} is not a whole number of cases; if this is a table of "
            "percentages (ANKEAST3/ANKEAST4), download ANKEAST1 (years) or ANKEAST2 (quarters) "
            "instead",
            file=file, row=int(raw.lines[pos]), column=roles["value"],
        )
    check_counts(values, vcol, raw)
    if "period" not in roles:
        raise DataError(f"no period column (TID) found; columns: {', '.join(map(repr, raw.header))}", file=file)
    if "kommune" not in roles:
        raise DataError(f"no municipality column (OMRÅDE) found; columns: {', '.join(map(repr, raw.header))}", file=file)
    others = [h for h in roles.get("others", "").split("\t") if h]
    law = next((h for h in others if fold(h).startswith("lov")), None)
    if law is None and others:
        law = next((h for h in others if len(set(raw.cols[h].uniques) - {""}) > 1), others[0])
    for h in others:
        if h != law and len(set(raw.cols[h].uniques) - {""}) > 1:
            raise DataError(
                f"column {h!r} is a further dimension with {len(raw.cols[h].uniques)} values; "
                "select a single value for it in Statistikbanken, or filter the file",
                file=file, column=h,
            )
    if law is None:
        raise DataError(
            "no law-basis column (LOVGRUNDLAG) found: danmark needs it to name the area",
            file=file,
        )
    # decisions
    dcol = raw.cols[roles["decision"]]
    dkind = []
    for u, text in enumerate(dcol.uniques):
        kind = _DECISIONS.get(_decision_key(text))
        if kind is None:
            pos = dcol.first_pos(u)
            raise DataError(
                f"unknown decision type {text!r}; expected Stadfæstelse, Ændring/ophævelse, "
                "Hjemvisning, Afvisning/henvisning (or I alt)",
                file=file, row=int(raw.lines[pos]), column=dcol.name,
            )
        dkind.append(kind)
    kinds = ["stadfaestet", "aendret", "hjemvist", "afvist", "total"]
    kind_u = np.array([kinds.index(k) for k in dkind], dtype=np.intp)
    d = kind_u[dcol.codes]
    kidx, kcodes = kommune_index(raw.cols[roles["kommune"]], raw, skip_regions=True)
    pidx, ptable = period_index(raw.cols[roles["period"]], raw)
    aidx, alabels = area_index(raw.cols[law], raw, None, raw.n)
    keep = np.flatnonzero(kidx >= 0)
    if keep.size == 0:
        raise DataError("the file has only region totals, no municipalities", file=file)
    notes = skipped_note(raw, raw.cols[roles["kommune"]], kidx)
    lines = raw.lines[keep]
    kidx, pidx, aidx, d, values = kidx[keep], pidx[keep], aidx[keep], d[keep], values[keep]
    present = set(d.tolist())
    for need, shown in ((0, "Stadfæstelse"), (1, "Ændring/ophævelse"), (2, "Hjemvisning")):
        if need not in present:
            raise DataError(
                f"the table has no {shown} rows: download it with all afgørelsestyper selected",
                file=file, column=dcol.name,
            )
    npd, na = max(len(ptable), 1), max(len(alabels), 1)
    cell = (kidx.astype(np.int64) * npd + pidx) * na + aidx
    g, cells = pd.factorize(cell)
    slot = g.astype(np.int64) * 5 + d
    dup = pd.Series(slot).duplicated().to_numpy()
    if dup.any():
        pos = int(np.flatnonzero(dup)[0])
        first = int(np.flatnonzero(slot == slot[pos])[0])
        raise DataError(
            f"duplicate cell: the same municipality, law basis, decision type and period also on row {int(lines[first])}",
            file=file, row=int(lines[pos]),
        )
    ng = len(cells)
    wide = np.full((ng, 5), np.nan)
    there = np.zeros((ng, 5), dtype=bool)
    wide[g, d] = values
    there[g, d] = True
    line_of = np.full((ng, 5), -1, dtype=np.int64)
    line_of[g, d] = lines
    first_line = np.full(ng, np.iinfo(np.int64).max)
    np.minimum.at(first_line, g, lines)
    for k, shown in ((0, "Stadfæstelse"), (1, "Ændring/ophævelse"), (2, "Hjemvisning")):
        absent = ~there[:, k]
        if absent.any():
            i = int(np.flatnonzero(absent)[0])
            raise DataError(
                f"no {shown} row for the cell first seen on this row (municipality, law basis, period)",
                file=file, row=int(first_line[i]), column=dcol.name,
            )
    miss = np.isnan(wide)
    none = miss[:, :4].all(axis=1)
    for k, shown in ((0, "Stadfæstelse"), (1, "Ændring/ophævelse"), (2, "Hjemvisning")):
        partial = ~none & miss[:, k]
        if partial.any():
            i = int(np.flatnonzero(partial)[0])
            raise DataError(
                f"{shown} is missing in a cell that has cases; danmark does not guess a count",
                file=file, row=int(line_of[i, k]), column=roles["value"],
            )
    tot_known = there[:, 4] & ~miss[:, 4] & ~miss[:, :4].any(axis=1)
    sums = np.nansum(wide[:, :4], axis=1)
    if (sums >= MAX_COUNT).any():
        i = int(np.flatnonzero(sums >= MAX_COUNT)[0])
        raise DataError(
            f"the decision types of this cell add up to {sums[i]:.6g} cases, 2**53 or more: too many to "
            "be appeal cases, and beyond what danmark can count exactly",
            file=file, row=int(first_line[i]), column=roles["value"],
        )
    bad = tot_known & (sums != wide[:, 4])
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"the four decision types sum to {sums[i]:g} but 'I alt' is {wide[i, 4]:g}",
            file=file, row=int(line_of[i, 4]), column=roles["value"],
        )
    rows = np.flatnonzero(~none)
    if rows.size == 0:
        raise DataError("every count is missing: no decisions to read", file=file)
    first_idx = np.full(ng, len(g), dtype=np.int64)
    np.minimum.at(first_idx, g, np.arange(len(g)))
    order = rows[np.argsort(first_idx[rows], kind="stable")]
    pos = first_idx[order]
    out_raw = RawTable(file, raw.encoding, raw.sep, raw.header, {}, first_line[order])
    afv = wide[order, 3]
    df = assemble(
        out_raw, kidx[pos], kcodes, pidx[pos], ptable, aidx[pos], alabels,
        {"stadfaestet": wide[order, 0], "aendret": wide[order, 1], "hjemvist": wide[order, 2]},
        np.nan_to_num(afv), np.isnan(afv), source_key("statbank", file),
    )
    warn_each(notes)
    return df


