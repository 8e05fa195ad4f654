"""The Talportal's two user downloads (CSV-fil and XLSX), round-tripped through the reader.

A truth table (one row per Kommune × Sagsemne × periode with the four
outcome counts) is written by ``tests/talportal_writer.py`` exactly as the
Talportal's R code would write it, read back with ``danmark.read_talportal``
/ ``danmark.read_any``, and compared with ``talportal_writer.expected_tidy``.
Every count here is SYNTHETIC (hypothesis, :func:`talportal_writer.random_truth`)
or INVENTED (the hand-written tables and ``tests/fixtures/downloads/``).

The first section checks the writer itself with plain pandas/openpyxl and
passes without the reader; the rest is the reader's contract.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import talportal_writer as tw
from hypothesis import HealthCheck, Phase, assume, given, note, settings
from hypothesis import strategies as st

HERE = Path(__file__).resolve().parent
EXAMPLES_DIR = HERE / "fixtures" / "downloads"
KEY = ["kommunekode", "period", "area"]
CASE_COLUMNS = [
    "kommunekode", "kommune", "region", "period", "period_start", "period_end",
    "area", "stadfaestet", "aendret", "hjemvist", "afvist", "source",
]
N = None  # a count with no cases (the app's NA)

# The layout illustration of a CSV-fil download from data/README.md (made-up numbers).
README_CSV = (
    '"Kommune";"Lovgivning";"Sagsemne";"periode";"Realitetsbehandlede sager i alt";"Stadfæstede sager";'
    '"Ændrede/ophævede sager";"Hjemviste sager";"Afviste sager";"Omgørelsesprocent"\n'
    '"Århus";"Serviceloven";"Børnehandicap - merudgifter - § 41";"2022";30;20;3;7;2;33,3333333333333\n'
    '"Solrød";"Serviceloven";"Voksenhandicap - BPA - § 96";"2022 - 4. kvartal";NA;3;NA;3;NA;Inf\n'
    '"Hele landet";"Serviceloven";"Børnehandicap - merudgifter - § 41";"2022";1320;900;120;300;40;31,8181818181818\n'
)
README_MEASURES = [tw.REAL, tw.STADF, tw.AENDR, tw.HJEM, tw.AFVIST, tw.OMG_PCT]
BH41 = "Børnehandicap - merudgifter - § 41"
BPA96 = "Voksenhandicap - BPA - § 96"


def readme_truth():
    return tw.make_truth([
        ("Århus", BH41, "2022", 20, 3, 7, 2),
        ("Solrød", BPA96, "2022 - 4. kvartal", 3, N, 3, N),
        ("Hele landet", BH41, "2022", 900, 120, 300, 40),
    ])


def small_truth():
    """INVENTED: afvist NA in some rows (Inf rates), a row of afviste only, a row with no cases."""
    return tw.make_truth([
        ("Hele landet", BH41, "2021", 610, 95, 240, 30),
        ("Hele landet", BH41, "2022", 640, 110, 260, 35),
        ("Hele landet", BPA96, "2022", 320, 45, 170, 22),
        ("Århus", BH41, "2021", 20, 3, 7, 2),
        ("Århus", BH41, "2022", 18, N, 9, 1),
        ("Århus", BPA96, "2022", 6, 1, 4, N),
        ("Ålborg", BH41, "2022", 14, 2, 5, N),
        ("Solrød", BPA96, "2021", 3, N, 3, N),
        ("Solrød", BPA96, "2022", N, N, N, 1),
        ("Nordfyns", BH41, "2021", 4, N, N, N),
        ("Nordfyns", BH41, "2022", N, N, N, N),
        ("Høje-Taastrup", BPA96, "2021", 7, 1, 3, 1),
    ])


def load_examples_module():
    name = "make_examples"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, EXAMPLES_DIR / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def csv_frame(path) -> pd.DataFrame:
    """A CSV-fil read with plain pandas: counts as Int64, percentages as float (Inf/NaN kept)."""
    raw = pd.read_csv(path, sep=";", encoding="latin-1", dtype=str, keep_default_na=False)
    out = raw[[c for c in raw.columns if c not in tw.MEASURES]].copy()
    for m in raw.columns:
        if m in tw.COUNT_MEASURES:
            out[m] = pd.array([pd.NA if v == "NA" else int(v) for v in raw[m]], dtype="Int64")
        elif m in tw.PCT_MEASURES:
            out[m] = [float(v.replace(",", ".")) for v in raw[m]]
    return out


def sheet_cells(path) -> dict:
    """Every non-empty cell of the sheet as {(row, col): (value, data_type)}, plus merged ranges."""
    wb = openpyxl.load_workbook(path)
    ws = wb[tw.SHEET]
    cells = {(c.row, c.column): (c.value, c.data_type) for row in ws.iter_rows() for c in row
             if c.value is not None}
    return {"sheets": wb.sheetnames, "cells": cells, "merged": sorted(str(r) for r in ws.merged_cells.ranges)}


# =========================================================================== the writer itself


def test_writer_reproduces_readme_illustration(tmp_path):
    path = tw.write_csv_download(readme_truth(), tmp_path / "data.csv", measures=README_MEASURES)
    assert path.read_bytes() == README_CSV.encode("latin-1")


@pytest.mark.parametrize(("value", "text"), [
    (100 / 3, "33.3333333333333"), (50.0, "50"), (12.5, "12.5"), (100.0, "100"), (0.0, "0"),
    (200 / 3, "66.6666666666667"), (100 / 7, "14.2857142857143"), (4 / 11 * 100, "36.3636363636364"),
    (0.1 + 0.2, "0.3"), (1e-4, "1e-04"), (1e5, "1e+05"), (123456.0, "123456"), (1 / 3 / 1000, "0.000333333333333333"),
    (1 / 3 / 10000, "3.33333333333333e-05"), (float("inf"), "Inf"), (float("-inf"), "-Inf"), (float("nan"), "NaN"),
])
def test_r_format_double(value, text):
    # what R's write.table (15 significant digits, fixed unless scientific is narrower) writes
    assert tw.r_format_double(value) == text


def test_csv_download_layout(tmp_path):
    truth = small_truth()
    path = tw.write_csv_download(truth, tmp_path / "data.csv")
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data
    assert "Solrød".encode("latin-1") in data and "Solrød".encode() not in data
    text = data.decode("latin-1")
    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) == 1 + 11 + 1  # header, the 11 rows with cases, final newline
    assert lines[0] == ";".join(f'"{c}"' for c in ["Kommune", "Lovgivning", "Sagsemne", "periode", *tw.MEASURES])
    for line in lines[1:-1]:
        fields = line.split(";")
        assert all(f.startswith('"') and f.endswith('"') for f in fields[:4])
        assert not any(f.startswith('"') for f in fields[4:])
        assert all(re.fullmatch(r"NA|\d+", f) for f in fields[4:9])
        assert all(re.fullmatch(r"Inf|NaN|\d+(,\d+)?", f) for f in fields[9:])
    df = csv_frame(path)
    written = truth[truth[["stadf", "aendr", "hjem", "afvist"]].notna().any(axis=1)].reset_index(drop=True)
    assert df["Kommune"].tolist() == written["kommune"].tolist()
    for col, m in (("stadf", tw.STADF), ("aendr", tw.AENDR), ("hjem", tw.HJEM), ("afvist", tw.AFVIST)):
        assert df[m].astype(object).tolist() == written[col].astype(object).tolist()
    s, a, h, f = (written[c].fillna(0).to_numpy(dtype=float) for c in ("stadf", "aendr", "hjem", "afvist"))
    f_na = written["afvist"].isna().to_numpy()
    real = np.where(f_na, np.nan, s + a + h)
    assert np.array_equal(df[tw.REAL].to_numpy(dtype=float, na_value=np.nan), real, equal_nan=True)
    den = np.where(f_na, 0.0, s + a + h)
    with np.errstate(divide="ignore", invalid="ignore"):
        for m, num in ((tw.STADF_PCT, s), (tw.OMG_PCT, a + h), (tw.AENDR_PCT, a), (tw.HJEM_PCT, h)):
            want = num / den * 100
            got = df[m].to_numpy(dtype=float)
            assert np.array_equal(np.isnan(got), np.isnan(want))
            assert np.array_equal(np.isinf(got), np.isinf(want))
            fin = np.isfinite(want)
            assert np.allclose(got[fin], want[fin], rtol=1e-14, atol=0)
    # R's NA and NaN are different things: the afviste-only row has Realitetsbehandlede 0 and rates NaN
    solrod = lines[1 + written.index[(written.kommune == "Solrød") & (written.periode == "2022")][0]]
    assert solrod.endswith(";0;NA;NA;NA;1;NaN;NaN;NaN;NaN")


def test_csv_download_crlf_and_subset(tmp_path):
    path = tw.write_csv_download(small_truth(), tmp_path / "data.csv", measures=[tw.OMG_PCT, tw.REAL], crlf=True)
    text = path.read_bytes().decode("latin-1")
    assert text.count("\r\n") == text.count("\n") == 12
    # the app writes the ticked measures in its own order, whatever the order of ticking
    assert text.split("\r\n")[0].endswith('"periode";"Realitetsbehandlede sager i alt";"Omgørelsesprocent"')


def test_csv_i_alt_rows_are_sums(tmp_path):
    truth = small_truth()
    path = tw.write_csv_download(truth, tmp_path / "data.csv", i_alt="sagsemne")
    df = csv_frame(path)
    ialt = df[df["Sagsemne"] == tw.I_ALT]
    body = df[df["Sagsemne"] != tw.I_ALT]
    assert len(body) == 11 and len(ialt) == body.groupby(["Kommune", "periode"]).ngroups
    assert ialt.index.min() > body.index.max()  # appended after the other rows (bind_rows)
    raw = path.read_bytes().decode("latin-1").split("\n")
    assert all(raw[i + 1].split(";")[1] == "NA" for i in ialt.index)  # no Lovgivning for Sagsemne "I alt"
    for _, row in ialt.iterrows():
        part = body[(body["Kommune"] == row["Kommune"]) & (body["periode"] == row["periode"])]
        for m in (tw.STADF, tw.AENDR, tw.HJEM, tw.AFVIST):
            assert row[m] == part[m].fillna(0).sum()  # sums with NA as 0, never NA
        assert row[tw.REAL] == row[tw.STADF] + row[tw.AENDR] + row[tw.HJEM]
    path = tw.write_csv_download(truth[truth.kommune != tw.HELE_LANDET], tmp_path / "k.csv", i_alt="kommune")
    df = csv_frame(path)
    ialt = df[df["Kommune"] == tw.I_ALT]
    assert len(ialt) == df[df["Kommune"] != tw.I_ALT].groupby(["Sagsemne", "periode"]).ngroups
    assert (ialt["Lovgivning"] == "Serviceloven").all()
    with pytest.raises(ValueError, match="Hele landet"):
        tw.write_csv_download(truth, tmp_path / "x.csv", i_alt="kommune")


@pytest.mark.parametrize("pivot", ["measures_on_top", "periods_on_top"])
@pytest.mark.parametrize("first_column", ["Sagsemne", "Kommune"])
@pytest.mark.parametrize("inf_as", ["error", "text"])
def test_xlsx_download_layout(tmp_path, pivot, first_column, inf_as):
    truth = small_truth()
    measures = [tw.REAL, tw.HJEM, tw.AFVIST, tw.OMG_PCT]
    path = tw.write_xlsx_download(truth, tmp_path / "excelfil.xlsx", measures=measures, pivot=pivot,
                                  first_column=first_column, inf_as=inf_as)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [tw.SHEET]
    ws = wb[tw.SHEET]
    second = "Kommune" if first_column == "Sagsemne" else "Sagsemne"
    assert (ws["A1"].value, ws["B1"].value, ws["A2"].value, ws["B2"].value) == (None, None, first_column, second)
    periods = ["2022", "2021"]  # rev(input$in_periode): newest first
    if pivot == "measures_on_top":
        top = [(m, p) for m in measures for p in periods]
        width = len(periods)
    else:
        top = [(m, p) for p in periods for m in measures]
        width = len(measures)
    row2 = [ws.cell(2, 3 + j).value for j in range(len(top))]
    assert row2 == [p if pivot == "measures_on_top" else m for m, p in top]
    merged = sorted((r.min_col, r.max_col) for r in ws.merged_cells.ranges)
    assert merged == [(c, c + width - 1) for c in range(3, 3 + len(top), width)]
    for lo, _ in merged:
        m, p = top[lo - 3]
        assert ws.cell(1, lo).value == (m if pivot == "measures_on_top" else p)
    assert all(isinstance(v, str) for v in row2)  # periods are text cells
    pairs = truth[truth[["stadf", "aendr", "hjem", "afvist"]].notna().any(axis=1)]
    pairs = pairs.drop_duplicates(["kommune", "sagsemne"])
    nrows = len(pairs)
    col_a = [ws.cell(3 + i, 1).value for i in range(nrows)]
    assert col_a == sorted(col_a)
    assert ws.cell(3 + nrows, 1).value is None and ws.max_row == 4 + nrows
    assert ws.cell(4 + nrows, 1).value == "Kilde: Ankestyrelsen ( 2023 )"
    # values: every NA and NaN is 0, Inf is an error cell or the text "Inf"
    lookup = truth.set_index(["kommune", "sagsemne", "periode"])[["stadf", "aendr", "hjem", "afvist"]]
    seen_inf = 0
    for i in range(nrows):
        label = {first_column: ws.cell(3 + i, 1).value, second: ws.cell(3 + i, 2).value}
        for j, (m, p) in enumerate(top):
            cell = ws.cell(3 + i, 3 + j)
            key = (label["Kommune"], label["Sagsemne"], p)
            if key in lookup.index and lookup.loc[key].notna().any():
                s, a, h, f = (lookup.loc[key, c] for c in ("stadf", "aendr", "hjem", "afvist"))
            else:
                s = a = h = f = pd.NA
            s0, a0, h0, f0 = (0 if pd.isna(x) else int(x) for x in (s, a, h, f))
            if m == tw.REAL:
                assert cell.value == (0 if pd.isna(f) else s0 + a0 + h0)
            elif m == tw.HJEM:
                assert cell.value == h0 and cell.data_type == "n"
            elif m == tw.AFVIST:
                assert cell.value == f0
            else:
                den = 0 if pd.isna(f) else s0 + a0 + h0
                if den:
                    assert cell.value == pytest.approx(100 * (a0 + h0) / den, rel=1e-15)
                elif a0 + h0:
                    seen_inf += 1
                    if inf_as == "error":
                        assert (cell.value, cell.data_type) == ("#NUM!", "e")
                    else:
                        assert (cell.value, cell.data_type) == ("Inf", "s")
                else:
                    assert cell.value == 0
    assert seen_inf == 3


def test_xlsx_merged_labels_every_keeps_each_label(tmp_path):
    path = tw.write_xlsx_download(small_truth(), tmp_path / "e.xlsx", measures=[tw.REAL, tw.OMG_PCT],
                                  merged_labels="every")
    wb = openpyxl.load_workbook(path, read_only=True)
    row1 = next(wb[tw.SHEET].iter_rows(values_only=True))
    assert list(row1[:6]) == [None, None, tw.REAL, tw.REAL, tw.OMG_PCT, tw.OMG_PCT]
    wb.close()


def test_expected_tidy_rules():
    truth = small_truth()
    # all counts ticked: everything recoverable, the split known, rows without cases dropped
    exp = tw.expected_tidy(truth, tw.MEASURES, "csv")
    assert exp["status"].tolist().count("ok") == 11
    assert exp.loc[exp.kommune_app == "Solrød", "status"].tolist() == ["ok", "ok"]  # 0 realitetsbehandlede, 1 afvist
    assert exp.loc[exp.status == "ok", "split_known"].all()
    assert exp.loc[(exp.kommune_app == "Nordfyns") & (exp.period == "2022"), "status"].item() == "absent"
    assert exp.loc[exp.kommune_app == "Århus", "kommune"].unique().tolist() == ["Aarhus"]
    assert exp.loc[exp.kommune_app == "Hele landet", "kommunekode"].unique().tolist() == ["000"]
    # only n and the rate: afvist NA rows cannot be recovered, the split never
    exp = tw.expected_tidy(truth, [tw.REAL, tw.OMG_PCT], "csv")
    st_ = dict(zip(zip(exp.kommune_app, exp.area, exp.period, strict=True), exp.status, strict=True))
    assert st_[("Århus", BPA96, "2022")] == "unrecoverable"
    assert st_[("Nordfyns", BH41, "2021")] == "blank"  # NA;NaN: shows no case
    assert st_[("Solrød", BPA96, "2022")] == "dropped"  # 0;NaN with afviste not ticked
    assert st_[("Århus", BH41, "2022")] == "ok"
    assert not exp.loc[exp.status == "ok", "split_known"].any()
    assert exp.loc[exp.status == "ok", "aendret"].isna().all()
    assert (exp.loc[exp.status == "ok", "stadfaestet"] == exp.loc[exp.status == "ok", "n"]
            - exp.loc[exp.status == "ok", "omgjort"]).all()
    # xlsx: Realitetsbehandlede 0 may be a written NA, so it is only trusted next to afviste sager
    exp = tw.expected_tidy(truth, [tw.REAL, tw.AFVIST, tw.OMG_PCT], "xlsx")
    st_ = dict(zip(zip(exp.kommune_app, exp.area, exp.period, strict=True), exp.status, strict=True))
    assert st_[("Solrød", BPA96, "2022")] == "ok"
    assert st_[("Solrød", BPA96, "2021")] == "unrecoverable"
    assert st_[("Nordfyns", BH41, "2022")] == "blank"  # a gap of the pivot
    assert not tw.can_recover([tw.OMG_PCT]) and not tw.can_recover([tw.REAL, tw.AFVIST])
    assert tw.can_recover([tw.REAL, tw.STADF_PCT]) and tw.can_recover([tw.STADF, tw.AENDR, tw.HJEM])
    assert tw.needs_ratio_algebra([tw.STADF, tw.AENDR, tw.OMG_PCT])


def _visible_cells(truth, measures, fmt) -> list[tuple]:
    """What each truth row shows in a download: its ticked cells as the file holds them."""
    counts = truth[["stadf", "aendr", "hjem", "afvist"]]
    total = np.asarray(counts.fillna(0).sum(axis=1), dtype=np.int64)
    values = tw._compute(truth["stadf"].array, truth["aendr"].array, truth["hjem"].array,
                         truth["afvist"].array, total)
    cols = []
    for m in tw._measures_arg(measures):
        if m in tw.COUNT_MEASURES:
            cols.append(["NA" if pd.isna(x) and fmt == "csv" else 0 if pd.isna(x) else int(x)
                         for x in pd.array(values[m], dtype="Int64")])
        else:
            arr = np.asarray(values[m], dtype=float)
            cols.append(list(tw.format_r_doubles(arr)) if fmt == "csv"
                        else ["Inf" if np.isinf(x) else 0.0 if np.isnan(x) else x for x in arr])
    return list(zip(*cols, strict=True))


_ORACLE_SETS = [
    [tw.REAL, tw.OMG_PCT], [tw.REAL, tw.STADF, tw.OMG_PCT], [tw.REAL, tw.AENDR], [tw.REAL, tw.HJEM, tw.AENDR_PCT],
    [tw.REAL, tw.STADF, tw.AENDR, tw.AFVIST, tw.OMG_PCT], [tw.REAL, tw.AFVIST, tw.STADF_PCT, tw.HJEM_PCT],
    [tw.STADF, tw.AENDR, tw.HJEM], list(tw.MEASURES), [tw.REAL, tw.STADF, tw.AENDR, tw.HJEM_PCT],
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("measures", _ORACLE_SETS, ids=lambda ms: "+".join(m[:5] for m in ms))
def test_expected_tidy_is_exact(measures, fmt):
    """Brute force: a row is recoverable exactly when every row showing the same cells has its n and omgjort.

    Every combination of small counts (missing, 1, 2 ... 5) is written as a
    row; rows that show the same cells cannot be told apart by any reader.
    ``ok`` (and ``optional``) rows must have one n and omgjort among their
    look-alikes (one split where it is said to be known); ``unrecoverable``
    rows that are not ``optional`` must have a look-alike with other values.
    """
    small = [None, 1, 2]
    wide = [None, 1, 2, 3, 4, 5]
    combos = [(s, a, h, f) for s in small for a in small for h in small for f in (None, 1, 2)]
    combos += [(s, a, h, f) for s in wide for a in wide for h in wide for f in (None, 1, 2)
               if (s, a, h, f) not in set(combos)]
    truth = tw.make_truth([("Solrød", f"S{i}", "2022", *c) for i, c in enumerate(combos)])
    exp = tw.expected_tidy(truth, measures, fmt)
    exp = exp.set_index(exp["area"].str[1:].astype(int)).sort_index()
    groups: dict = {}
    for i, cells in enumerate(_visible_cells(truth, measures, fmt)):
        groups.setdefault(cells, []).append(i)
    n, o = exp["n"].to_numpy(), exp["omgjort"].to_numpy()
    a, h = exp["aendret_truth"].to_numpy(), exp["hjemvist_truth"].to_numpy()
    status, optional = exp["status"].to_numpy(), exp["optional"].to_numpy()
    split = (exp["split_known"] | exp["split_optional"]).to_numpy()
    for members in groups.values():
        same_no = len({(n[i], o[i]) for i in members}) == 1
        same_split = len({(n[i], a[i], h[i]) for i in members}) == 1
        for i in members:
            if status[i] in ("ok", "dropped") or optional[i]:
                assert same_no, (combos[i], status[i])
                if status[i] == "ok" and split[i]:
                    assert same_split, combos[i]
            if i < 81 and status[i] == "unrecoverable" and not optional[i]:
                assert not same_no, combos[i]


def test_random_truth_is_synthetic_and_realistic():
    truth = tw.random_truth(7, n_kommuner=98, periods=("2021", "2022"))
    assert truth.attrs["synthetic"] is True
    assert set(truth["kommune"]) == {*tw.APP_KOMMUNER, tw.HELE_LANDET}
    assert len(truth) == 99 * 3 * 2
    kom = truth[truth.kommune != tw.HELE_LANDET]
    assert kom["aendr"].isna().mean() > 0.3  # most small municipalities: no ændringer in a year
    assert kom["afvist"].isna().mean() > 0.3
    nat = truth[truth.kommune == tw.HELE_LANDET].set_index(["sagsemne", "periode"])
    sums = kom.groupby(["sagsemne", "periode"])[["stadf", "aendr", "hjem", "afvist"]].sum()
    assert (nat.loc[sums.index, "stadf"] == sums["stadf"]).all()  # all 98 drawn: Hele landet is their sum
    assert tw.random_truth(7, n_kommuner=98, periods=("2021", "2022")).equals(truth)


def test_large_table_is_fast(tmp_path):
    periods = [f"{y} - {q}. kvartal" for y in (2021, 2022) for q in range(1, 5)]
    truth = tw.random_truth(1, n_kommuner=98, sagsemner=list(tw.SAGSEMNER), periods=periods)
    t0 = time.perf_counter()
    path = tw.write_csv_download(truth, tmp_path / "big.csv", i_alt="sagsemne")
    exp = tw.expected_tidy(truth, tw.MEASURES)
    elapsed = time.perf_counter() - t0
    assert elapsed < 10, elapsed
    df = csv_frame(path)
    body = df[df["Sagsemne"] != tw.I_ALT]
    assert len(body) == (exp["status"] != "absent").sum()
    assert body[tw.STADF].fillna(0).sum() == truth["stadf"].fillna(0).sum()


def test_committed_examples_are_current(tmp_path):
    mod = load_examples_module()
    assert sorted(p.name for p in EXAMPLES_DIR.iterdir() if p.suffix in (".csv", ".xlsx")) == sorted(mod.EXAMPLES)
    for name, (fmt, _, _) in mod.EXAMPLES.items():
        fresh = mod.write_example(name, tmp_path)
        if fmt == "csv":
            assert fresh.read_bytes() == (EXAMPLES_DIR / name).read_bytes(), name
        else:
            assert sheet_cells(fresh) == sheet_cells(EXAMPLES_DIR / name), name
    readme = (EXAMPLES_DIR / "README.md").read_text(encoding="utf-8")
    assert "INVENTED" in readme


# =========================================================================== the reader's contract
#
# These need danmark's reader of the two downloads (danmark.read_talportal,
# danmark.read_any, danmark.with_rates, danmark.DataError, danmark.ReaderWarning).


def _danmark():
    import danmark

    return danmark


def read(path, reader="read_talportal"):
    """Read *path*; returns (table or DataError, ReaderWarnings)."""
    dm = _danmark()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = getattr(dm, reader)(path)
        except dm.DataError as err:
            result = err
    return result, [w for w in caught if issubclass(w.category, dm.ReaderWarning)]


def _int_list(values) -> list:
    return [None if pd.isna(v) else int(v) for v in values]


def _keys(frame) -> list[tuple]:
    return [tuple(str(x) for x in k) for k in frame[KEY].to_numpy()]


def check_table(df, exp, path) -> set:
    """The reader's table *df* against :func:`talportal_writer.expected_tidy` *exp*; returns its keys.

    Every ``ok`` row must be there; an ``optional`` row may be. Each row's n,
    omgjort and stadfaestet must be the truth; ændret and hjemvist the truth
    where the split is known, <NA> where it is not, either where a reader may
    or may not know it (``split_optional``, and rows with n = 0).
    """
    dm = _danmark()
    assert isinstance(df, pd.DataFrame), f"expected a table, got {df!r}"
    missing = [c for c in CASE_COLUMNS if c not in df.columns]
    assert not missing, f"missing columns {missing}"
    got = df.sort_values(KEY).reset_index(drop=True)
    got_keys = _keys(got)
    assert len(set(got_keys)) == len(got_keys), "duplicate kommune × period × area rows"
    ok = exp["status"] == "ok"
    allowed = exp[ok | exp["optional"]]
    index = dict(zip(_keys(allowed), allowed.index, strict=True))
    lost = sorted(set(_keys(exp[ok])) - set(got_keys))
    extra = sorted(set(got_keys) - set(index))
    assert not lost, f"rows missing from the reader's table: {lost}"
    assert not extra, f"rows the reader should not return: {extra}"
    want = exp.loc[[index[k] for k in got_keys]].reset_index(drop=True)
    assert got["kommune"].tolist() == want["kommune"].tolist()
    nat = want["kommunekode"] == "000"
    assert got.loc[~nat, "region"].tolist() == want.loc[~nat, "region"].tolist()
    assert (pd.to_datetime(got["period_start"]) == want["period_start"]).all()
    assert (pd.to_datetime(got["period_end"]) == want["period_end"]).all()
    assert (got["source"] == f"talportal:{Path(path).name}").all()
    rates = dm.with_rates(got)
    assert _int_list(rates["n"]) == want["n"].tolist()
    assert _int_list(rates["omgjort"]) == want["omgjort"].tolist()
    assert _int_list(got["stadfaestet"]) == (want["n"] - want["omgjort"]).tolist()
    either = (want["split_optional"] | (want["split_known"] & (want["n"] == 0))).to_numpy()
    strict = want["split_known"].to_numpy() & ~either
    unknown = ~want["split_known"].to_numpy() & ~either
    for col in ("aendret", "hjemvist"):
        truth = want[f"{col}_truth"]
        assert _int_list(got.loc[strict, col]) == _int_list(truth[strict]), col
        assert got.loc[unknown, col].isna().all(), col
        for value, true in zip(got.loc[either, col], truth[either], strict=True):
            assert pd.isna(value) or int(value) == true, col
    if (got["aendret"].isna() | got["hjemvist"].isna()).any():
        assert "omgjort" in got.columns
        assert str(got["aendret"].dtype) == "Int64" and str(got["hjemvist"].dtype) == "Int64"
        assert _int_list(got["omgjort"]) == want["omgjort"].tolist()
    assert _int_list(got["afvist"]) == _int_list(want["afvist"])
    return set(got_keys)


def check_warnings(caught, exp, path, got_keys=frozenset()):
    """ONE ReaderWarning saying how many rows could not be recovered.

    The count is taken to be the first number in the warning's message. It
    must be the ``unrecoverable`` rows the reader left out, plus any of the
    ``may_warn`` rows.
    """
    left_out = ~pd.Series(_keys(exp), index=exp.index).isin(got_keys)
    u = int(((exp["status"] == "unrecoverable") & left_out).sum())
    b = int((exp["may_warn"] & left_out).sum())
    if u == 0:
        return
    hits = []
    for w in caught:
        text = str(w.message).replace(str(path), "").replace(Path(path).name, "")
        numbers = [int(x) for x in re.findall(r"\d+", text)]
        if numbers and u <= numbers[0] <= u + b:
            hits.append(text)
    assert len(hits) == 1, (u, b, [str(w.message) for w in caught])


def check_read(path, exp, reader="read_talportal"):
    result, caught = read(path, reader)
    ok = exp["status"] == "ok"
    if isinstance(result, _danmark().DataError) and not (exp.loc[ok, "n"] > 0).any():
        return result  # nothing to analyse in this file: an error is as good as an empty table
    if isinstance(result, Exception):
        raise AssertionError(f"{reader} raised {result!r}")
    got_keys = check_table(result, exp, path)
    check_warnings(caught, exp, path, got_keys)
    return result


# --------------------------------------------------------------------------- hypothesis round trips

APP_POOL = [
    "Århus", "Ålborg", "Nordfyns", "Høje-Taastrup", "Lyngby-Taarbæk", "Solrød", "Bornholm",
    "København", "Ærø", "Vesthimmerlands", "Ringkøbing-Skjern", "Faaborg-Midtfyn",
]
SAG_POOL = [
    BH41, BPA96, "Økonomisk friplads - § 43", "Voksenhandicap - merudgifter - § 100",
    "Hjemmehjælp - § 83 ",  # trailing space: the reader strips it
]
YEARS = ["2019", "2020", "2021", "2022"]
QUARTERS = [f"{y} - {q}. kvartal" for y in (2021, 2022) for q in range(1, 5)]
_SUBSETS = [list(c) for r in range(1, len(tw.MEASURES) + 1) for c in itertools.combinations(tw.MEASURES, r)]
RECOVERABLE_SETS = sorted(
    (s for s in _SUBSETS if tw.can_recover(s) and not tw.needs_ratio_algebra(s)), key=len)
HOPELESS_SETS = [s for s in _SUBSETS if not tw.can_recover(s) and not tw.needs_ratio_algebra(s)]
ONLY_PERCENTAGES = [s for s in HOPELESS_SETS if set(s) <= set(tw.PCT_MEASURES)]
OTHER_HOPELESS = [s for s in HOPELESS_SETS if not set(s) <= set(tw.PCT_MEASURES)]
# sets where every row is recovered whenever the file shows its cases
ALWAYS_SETS = [s for s in RECOVERABLE_SETS if {tw.STADF, tw.AENDR, tw.HJEM} <= set(s)]

count = st.one_of(st.none(), st.none(), st.integers(1, 12), st.integers(13, 900))


@st.composite
def truths(draw, max_kommuner=3):
    kommuner = draw(st.lists(st.sampled_from(APP_POOL), min_size=1, max_size=max_kommuner, unique=True))
    if draw(st.booleans()):
        kommuner = [tw.HELE_LANDET, *kommuner]
    sagsemner = draw(st.lists(st.sampled_from(SAG_POOL), min_size=1, max_size=2, unique=True))
    pool = draw(st.sampled_from([YEARS, QUARTERS]))
    periods = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))
    rows = [(k, s, p, *draw(st.tuples(count, count, count, count)))
            for k in kommuner for s in sagsemner for p in periods]
    truth = tw.make_truth(rows)
    assume(truth[["stadf", "aendr", "hjem", "afvist"]].notna().any(axis=None))
    return truth


def _i_alt_options(truth):
    data = truth[truth[["stadf", "aendr", "hjem", "afvist"]].notna().any(axis=1)]
    options = [None]
    if data["sagsemne"].nunique() > 1:
        options.append("sagsemne")
    if data["kommune"].nunique() > 1 and not (data["kommune"] == tw.HELE_LANDET).any():
        options.append("kommune")
    return options


@st.composite
def downloads(draw, measure_sets):
    truth = draw(truths())
    measures = draw(st.sampled_from(measure_sets))
    fmt = draw(st.sampled_from(["csv", "xlsx"]))
    i_alt = draw(st.sampled_from(_i_alt_options(truth)))
    if fmt == "csv":
        kwargs = {"crlf": draw(st.booleans())}
    else:
        kwargs = {
            "pivot": draw(st.sampled_from(["measures_on_top", "periods_on_top"])),
            "first_column": draw(st.sampled_from(["Sagsemne", "Kommune"])),
            "inf_as": draw(st.sampled_from(["error", "text"])),
            "merged_labels": draw(st.sampled_from(["anchor", "every"])),
        }
    reader = draw(st.sampled_from(["read_talportal", "read_any"]))
    return truth, measures, fmt, i_alt, kwargs, reader


def write(folder, truth, measures, fmt, i_alt=None, **kwargs):
    if fmt == "csv":
        return tw.write_csv_download(truth, Path(folder) / "data.csv", measures, i_alt=i_alt, **kwargs)
    return tw.write_xlsx_download(truth, Path(folder) / "excelfil.xlsx", measures, i_alt=i_alt, **kwargs)


def note_case(truth, measures, fmt, path):
    """Print a failing example in full: the truth's rows with cases, the expectation and the file."""
    with pd.option_context("display.width", 250, "display.max_columns", 30, "display.max_rows", 200):
        note(f"measures: {measures}")
        note("truth (rows with cases):\n" + truth[truth[["stadf", "aendr", "hjem", "afvist"]].notna().any(axis=1)]
             .to_string())
        exp = tw.expected_tidy(truth, measures, fmt)
        exp = exp[exp["status"] != "absent"]
        note("expected (rows in the file):\n" + exp[["kommune_app", "area", "period", "n", "omgjort", "stadfaestet", "aendret",
                                   "hjemvist", "afvist", "status"]].to_string())
    if fmt == "csv":
        note("file:\n" + path.read_bytes().decode("latin-1"))
    else:
        wb = openpyxl.load_workbook(path)
        note("sheet:\n" + "\n".join(repr(r) for r in wb[tw.SHEET].iter_rows(values_only=True)))


# no "explain" phase: it is slow and adds nothing to a failing round trip
PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink]
ROUND_TRIP = settings(max_examples=30, deadline=None, phases=PHASES, report_multiple_bugs=False,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@ROUND_TRIP
@given(downloads(RECOVERABLE_SETS))
def test_round_trip_any_recoverable_measures(case):
    truth, measures, fmt, i_alt, kwargs, reader = case
    with tempfile.TemporaryDirectory() as folder:
        path = write(folder, truth, measures, fmt, i_alt, **kwargs)
        note_case(truth, measures, fmt, path)
        check_read(path, tw.expected_tidy(truth, measures, fmt), reader)


@ROUND_TRIP
@given(downloads(ALWAYS_SETS))
def test_round_trip_with_all_three_parts(case):
    truth, measures, fmt, i_alt, kwargs, reader = case
    with tempfile.TemporaryDirectory() as folder:
        path = write(folder, truth, measures, fmt, i_alt, **kwargs)
        note_case(truth, measures, fmt, path)
        exp = tw.expected_tidy(truth, measures, fmt)
        assert not (exp["status"] == "unrecoverable").any()
        df = check_read(path, exp, reader)
        if isinstance(df, pd.DataFrame):
            assert "I alt" not in set(df["kommune"]) | set(df["area"])


@settings(max_examples=25, deadline=None, phases=PHASES, suppress_health_check=[HealthCheck.too_slow])
@given(truths(), st.sampled_from(ONLY_PERCENTAGES), st.sampled_from(["csv", "xlsx"]))
def test_only_percentages_is_an_error(truth, measures, fmt):
    with tempfile.TemporaryDirectory() as folder:
        path = write(folder, truth, measures, fmt)
        result, _ = read(path)
        assert isinstance(result, _danmark().DataError), result
        assert result.file is not None and result.file.endswith(path.name)


@settings(max_examples=25, deadline=None, phases=PHASES, suppress_health_check=[HealthCheck.too_slow])
@given(truths(), st.sampled_from(OTHER_HOPELESS), st.sampled_from(["csv", "xlsx"]))
def test_measures_that_never_give_n_and_omgjort_are_an_error(truth, measures, fmt):
    # e.g. only Realitetsbehandlede sager, or Stadfæstede + Ændrede/ophævede without the total:
    # no row can be recovered whatever the numbers, so the reader says which boxes to tick
    with tempfile.TemporaryDirectory() as folder:
        path = write(folder, truth, measures, fmt)
        result, _ = read(path)
        assert isinstance(result, _danmark().DataError), result


# --------------------------------------------------------------------------- targeted


def test_readme_illustration(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(README_CSV.encode("latin-1"))
    dm = _danmark()
    df = check_read(path, tw.expected_tidy(readme_truth(), README_MEASURES, "csv"))
    rates = dm.with_rates(df).set_index("kommunekode")
    assert (int(rates.at["269", "n"]), int(rates.at["269", "omgjort"])) == (6, 3)
    assert (int(rates.at["269", "aendret"]), int(rates.at["269", "hjemvist"]), int(rates.at["269", "afvist"])) == (0, 3, 0)
    assert rates.at["269", "period"] == "2022Q4"
    assert (int(rates.at["751", "n"]), int(rates.at["751", "omgjort"])) == (30, 10)
    assert rates.at["751", "kommune"] == "Aarhus"
    assert (int(rates.at["000", "n"]), int(rates.at["000", "omgjort"])) == (1320, 420)


def test_inf_percentage_csv(tmp_path):
    truth = small_truth()
    measures = [tw.STADF, tw.AENDR, tw.HJEM, tw.AFVIST, tw.OMG_PCT]
    path = tw.write_csv_download(truth, tmp_path / "data.csv", measures)
    assert b";Inf\n" in path.read_bytes() and b";NaN\n" in path.read_bytes()
    exp = tw.expected_tidy(truth, measures, "csv")
    assert set(exp["status"]) == {"ok", "absent"}
    check_read(path, exp)


def test_only_n_and_omgoerelsesprocent_csv(tmp_path):
    truth = small_truth()
    measures = [tw.REAL, tw.OMG_PCT]
    path = tw.write_csv_download(truth, tmp_path / "data.csv", measures)
    exp = tw.expected_tidy(truth, measures, "csv")
    assert (exp["status"] == "unrecoverable").sum() == 3
    df = check_read(path, exp)
    assert df["aendret"].isna().all() and str(df["aendret"].dtype) == "Int64"
    assert "omgjort" in df.columns


@pytest.mark.parametrize("inf_as", ["error", "text"])
def test_xlsx_nonfinite_cells(tmp_path, inf_as):
    truth = small_truth()
    measures = [tw.STADF, tw.AENDR, tw.HJEM, tw.AFVIST, tw.OMG_PCT, tw.HJEM_PCT]
    path = tw.write_xlsx_download(truth, tmp_path / "excelfil.xlsx", measures, inf_as=inf_as)
    types = {(v, t) for v, t in sheet_cells(path)["cells"].values()}
    assert (("#NUM!", "e") if inf_as == "error" else ("Inf", "s")) in types
    exp = tw.expected_tidy(truth, measures, "xlsx")
    assert not (exp["status"] == "unrecoverable").any()
    check_read(path, exp)


def test_xlsx_only_n_and_omgoerelsesprocent(tmp_path):
    truth = small_truth()
    measures = [tw.REAL, tw.OMG_PCT]
    path = tw.write_xlsx_download(truth, tmp_path / "excelfil.xlsx", measures, pivot="periods_on_top",
                                  first_column="Kommune")
    exp = tw.expected_tidy(truth, measures, "xlsx")
    assert (exp["status"] == "unrecoverable").sum() == 3
    check_read(path, exp)


def _edit_csv(path, line, column, value):
    lines = path.read_bytes().decode("latin-1").split("\n")
    header = [h.strip('"') for h in lines[0].split(";")]
    fields = lines[line - 1].split(";")
    fields[header.index(column)] = value
    lines[line - 1] = ";".join(fields)
    path.write_bytes("\n".join(lines).encode("latin-1"))


def _expect_error(path, row, column):
    result, _ = read(path)
    dm = _danmark()
    assert isinstance(result, dm.DataError), result
    assert result.file is not None and result.file.endswith(path.name)
    assert result.row == row, str(result)
    return result


def test_contradiction_realitetsbehandlede(tmp_path):
    path = tw.write_csv_download(small_truth(), tmp_path / "data.csv", [tw.REAL, tw.STADF, tw.AENDR, tw.HJEM])
    # line 5 is Århus, 2021: 30 realitetsbehandlede = 20 + 3 + 7
    assert path.read_bytes().decode("latin-1").split("\n")[4].startswith('"Århus";"Serviceloven";"Børne')
    _edit_csv(path, 5, tw.REAL, "31")
    err = _expect_error(path, 5, tw.REAL)
    assert err.column == tw.REAL


def test_contradiction_percentage(tmp_path):
    path = tw.write_csv_download(small_truth(), tmp_path / "data.csv",
                                 [tw.STADF, tw.AENDR, tw.HJEM, tw.AFVIST, tw.OMG_PCT])
    _edit_csv(path, 5, tw.OMG_PCT, "36,6666666666667")  # 11 of 30, not 10 of 30
    err = _expect_error(path, 5, tw.OMG_PCT)
    assert err.column == tw.OMG_PCT


def test_contradiction_i_alt(tmp_path):
    path = tw.write_csv_download(small_truth(), tmp_path / "data.csv",
                                 [tw.STADF, tw.AENDR, tw.HJEM, tw.AFVIST], i_alt="sagsemne")
    lines = path.read_bytes().decode("latin-1").split("\n")
    line = next(i for i, text in enumerate(lines, start=1)
                if text.startswith('"Århus";NA;"I alt";"2022"'))
    _edit_csv(path, line, tw.HJEM, "14")  # the parts sum to 9 + 4
    err = _expect_error(path, line, tw.HJEM)
    assert err.column == tw.HJEM


def test_contradiction_xlsx(tmp_path):
    path = tw.write_xlsx_download(small_truth(), tmp_path / "excelfil.xlsx", [tw.REAL, tw.STADF, tw.AENDR, tw.HJEM])
    wb = openpyxl.load_workbook(path)
    ws = wb[tw.SHEET]
    row = next(r for r in range(3, ws.max_row + 1)
               if (ws.cell(r, 1).value, ws.cell(r, 2).value) == (BH41, "Århus"))
    header1, header2, _ = tw.xlsx_layout(small_truth(), [tw.REAL, tw.STADF, tw.AENDR, tw.HJEM])
    col = 1 + next(j for j, (m, p) in enumerate(zip(header1, header2, strict=True)) if (m, p) == (tw.REAL, "2021"))
    assert ws.cell(row, col).value == 30
    ws.cell(row, col).value = 31
    wb.save(path)
    err = _expect_error(path, row, tw.REAL)
    letter = openpyxl.utils.get_column_letter(col)
    assert err.column == letter or tw.REAL in str(err.column), err.column


def test_latin1_bytes(tmp_path):
    sag = "Økonomisk friplads - § 43"
    truth = tw.make_truth([("Ærø", sag, "2022", 4, 1, 2, 1), ("Tønder", sag, "2022", 2, N, 1, N)])
    path = tw.write_csv_download(truth, tmp_path / "data.csv")
    data = path.read_bytes()
    assert b"\xd8konomisk" in data and b"\xc6r\xf8" in data and b"\xc3" not in data
    df = check_read(path, tw.expected_tidy(truth, tw.MEASURES, "csv"))
    assert set(df["area"]) == {sag}
    assert sorted(df["kommune"]) == ["Tønder", "Ærø"]


def test_hele_landet_kept_and_i_alt_dropped(tmp_path):
    truth = small_truth()
    path = tw.write_csv_download(truth, tmp_path / "data.csv", i_alt="sagsemne", crlf=True)
    df = check_read(path, tw.expected_tidy(truth, tw.MEASURES, "csv"))
    assert "000" in set(df["kommunekode"]) and (df.loc[df.kommunekode == "000", "kommune"] == "Hele landet").all()
    assert "I alt" not in set(df["area"])


@pytest.mark.parametrize("name", sorted(load_examples_module().EXAMPLES))
@pytest.mark.parametrize("reader", ["read_talportal", "read_any"])
def test_committed_examples_read(name, reader):
    mod = load_examples_module()
    fmt, truth, kwargs = mod.EXAMPLES[name]
    exp = tw.expected_tidy(truth(), kwargs["measures"], fmt)
    check_read(EXAMPLES_DIR / name, exp, reader)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_row_of_afviste_sager_only_is_kept(tmp_path, fmt):
    # Realitetsbehandlede 0 next to 2 afviste sager: n = 0 is known, and the row has cases
    truth = tw.make_truth([("Solrød", BH41, "2022", N, N, N, 2), ("Solrød", BH41, "2021", 4, 1, 2, 1)])
    measures = [tw.REAL, tw.AFVIST, tw.OMG_PCT]
    path = write(tmp_path, truth, measures, fmt)
    exp = tw.expected_tidy(truth, measures, fmt)
    assert exp["status"].tolist() == ["ok", "ok"]
    df = check_read(path, exp)
    row = df.set_index("period").loc["2022"]
    assert (int(row["stadfaestet"]), int(row["afvist"])) == (0, 2)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_i_alt_next_to_unrecoverable_rows(tmp_path, fmt):
    # the I alt row is right; the rows it totals cannot all be recovered, so it cannot be checked in full
    truth = tw.make_truth([
        ("Århus", BH41, "2022", 5, 1, 2, N),   # no afviste: Realitetsbehandlede NA (0 in the xlsx), rate Inf
        ("Århus", BPA96, "2022", 3, N, 1, 2),
        ("Århus", BPA96, "2021", 6, N, N, N),   # NA (0) and NaN (0): shows no case, though it has 6
        ("Århus", BH41, "2021", 2, 1, N, 1),
    ])
    measures = [tw.REAL, tw.OMG_PCT]
    path = write(tmp_path, truth, measures, fmt, i_alt="sagsemne")
    exp = tw.expected_tidy(truth, measures, fmt)
    status = dict(zip(zip(exp["area"], exp["period"], strict=True), exp["status"], strict=True))
    assert status == {(BH41, "2022"): "unrecoverable", (BPA96, "2022"): "ok", (BPA96, "2021"): "blank",
                      (BH41, "2021"): "ok"}
    check_read(path, exp)


def test_xlsx_warning_counts_rows_not_sheet_rows(tmp_path):
    # one sheet row (Ålborg) holds two periods that cannot be recovered: 2 rows are left out
    s100 = "Voksenhandicap - merudgifter - § 100"
    truth = tw.make_truth([
        ("Ålborg", s100, "2021", 10, N, 11, N), ("Ålborg", s100, "2022", N, 3, 130, N),
        ("Århus", s100, "2021", 3, 1, N, 1),
    ])
    measures = [tw.REAL, tw.STADF, tw.AENDR, tw.AFVIST, tw.OMG_PCT]
    exp = tw.expected_tidy(truth, measures, "xlsx")
    assert (exp["status"] == "unrecoverable").sum() == 2
    check_read(write(tmp_path, truth, measures, "xlsx"), exp)
