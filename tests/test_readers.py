"""Readers for the agencies' downloads.

The files in tests/fixtures/ are FORMAT fixtures with invented counts (see
tests/fixtures/README.md); bad-input variants are written to tmp_path here.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference_schema import validate_cases as reference_validate_cases

from danmark import DataError
from danmark.io import (
    ReaderWarning,
    read_cases,
    read_statbank,
    read_talportal,
    tidy_frame,
    validate_cases,
)
from danmark.table.schema import CASE_COLUMNS

FIX = Path(__file__).parent / "fixtures"
HDR = (
    "Sagsemne;Kommune;Aar;Kvartal;periode;Afvisning.Henvisning;Hjemvisning;"
    "Stadfæstelse;Ændring.Ophævelse;Antal_sager_ialt;Sagsbehandlingstid"
)
OK_ROW = "Socialområdet;Solrød;2022;;2022;1;4;9;1;15;100"  # invented counts


def write(tmp_path, lines, name="talportal.csv", encoding="utf-8", newline="\n"):
    path = tmp_path / name
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def tp(tmp_path, *rows, **kw):
    return write(tmp_path, [HDR, *rows], **kw)


def raises(func, *args, match, row=None, column=None, **kw):
    with pytest.raises(DataError, match=match) as info:
        func(*args, **kw)
    err = info.value
    assert err.file is not None and err.file.endswith(Path(str(args[0])).name)
    if row is not None:
        assert err.row == row, str(err)
    if column is not None:
        assert err.column == column, str(err)
    return err


# --------------------------------------------------------------------------- Talportal, good files


def no_warnings(func, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return func(*args, **kw)


def test_talportal_bom_and_without_bom_read_the_same():
    a = no_warnings(read_talportal, FIX / "talportal_bom.csv")
    b = read_talportal(FIX / "talportal_nobom.csv")
    pd.testing.assert_frame_equal(a.drop(columns="source"), b.drop(columns="source"))
    assert set(a["source"]) == {"talportal:talportal_bom.csv"}


def test_talportal_content():
    df = read_talportal(FIX / "talportal_bom.csv")
    assert list(df.columns) == CASE_COLUMNS
    assert list(df["kommunekode"]) == ["000", "751", "851", "269", "269", "269", "169", "269"]
    assert list(df["kommune"][:3]) == ["Hele landet", "Aarhus", "Aalborg"]  # Århus, Ålborg
    assert "Læsø" not in set(df["kommune"])  # its row is all '.' and is dropped
    assert set(df["area"]) == {"socialomraadet", "boernehandicap", "voksenhandicap"}
    ht = df[df["kommune"] == "Høje-Taastrup"].iloc[0]
    assert (ht["stadfaestet"], ht["aendret"], ht["hjemvist"]) == (7, 2, 5)
    assert ht["afvist"] == 0  # "." is no afviste sager, as the Talportal counts it
    assert df["afvist"].dtype == "Int64"
    # same dtypes as the schema's own validator produces
    pd.testing.assert_frame_equal(df, validate_cases(df))


def test_talportal_quarterly_periods():
    df = read_talportal(FIX / "talportal_quarterly.csv")
    assert list(df["period"][:4]) == ["2022Q1", "2022Q2", "2022Q3", "2022Q4"]
    assert df["period_end"].iloc[3] == pd.Timestamp("2022-12-31")
    assert df["stadfaestet"].sum() == 3 + 2 + 4 + 2 + 20 + 18 + 25 + 19


def test_talportal_excel_two_row_header_footer_and_fill_down():
    df = read_talportal(FIX / "talportal_excel.csv")  # cp1252, detected
    assert len(df) == 8  # 4 rows x 2 periods; the "Kilde:" footer is not a row
    assert set(df["period"]) == {"2022", "2023"}
    aarhus = df[(df["kommune"] == "Aarhus") & (df["period"] == "2023")].iloc[0]
    # Sagsemne was blank on Århus's row: it is carried down from the row above
    assert aarhus["area"] == "socialomraadet"
    assert (aarhus["stadfaestet"], aarhus["aendret"], aarhus["hjemvist"], aarhus["afvist"]) == (210, 20, 70, 15)
    flat = read_talportal(FIX / "talportal_bom.csv")
    key = ["kommunekode", "period", "area"]
    both = df.merge(flat, on=key, suffixes=("_x", ""))
    assert len(both) == 5  # the 2022 and 2023 rows the two files share
    for c in ["stadfaestet", "aendret", "hjemvist"]:
        assert (both[c + "_x"] == both[c]).all()


def test_talportal_excel_bad_cell_names_measure_and_period(tmp_path):
    text = (FIX / "talportal_excel.csv").read_text(encoding="cp1252")
    lines = text.splitlines()
    cells = lines[2].split(";")
    cells[5] = "abc"  # Hjemvisning, 2023 block
    lines[2] = ";".join(cells)
    path = write(tmp_path, lines, encoding="cp1252")
    raises(read_talportal, path, match="not a number", row=3, column="Hjemvisning 2023")


def test_talportal_period_from_aar_and_kvartal(tmp_path):
    hdr = "Sagsemne;Kommune;Aar;Kvartal;Afvisning.Henvisning;Hjemvisning;Stadfæstelse;Ændring.Ophævelse;Antal_sager_ialt"
    path = write(tmp_path, [hdr, "x;Solrød;2022;4. kvartal;0;1;2;0;3", "x;Solrød;2022;;0;1;2;0;3"])
    assert list(read_talportal(path)["period"]) == ["2022Q4", "2022"]


def test_talportal_area_argument(tmp_path):
    path = tp(tmp_path, OK_ROW)
    assert read_talportal(path, area="SEL §§ 96-97")["area"].tolist() == ["SEL §§ 96-97"]
    mapped = read_talportal(FIX / "talportal_bom.csv", area={"Børnehandicap": "born"})
    assert "born" in set(mapped["area"]) and "socialomraadet" in set(mapped["area"])
    with pytest.raises(DataError, match="one label"):
        read_talportal(FIX / "talportal_bom.csv", area="x")


def test_region_rows_are_skipped_with_a_warning(tmp_path):
    rows = [OK_ROW.replace("Solrød", k) for k in ("Region Sjælland", "Landsdel Østsjælland", "Region Sjælland")]
    path = tp(tmp_path, OK_ROW, *rows[:2], rows[2].replace("2022", "2023"))
    with pytest.warns(ReaderWarning, match=r"skipped 3 rows for regions or landsdele \('Region Sjælland', "
                      r"'Landsdel Østsjælland'\)") as record:
        assert read_talportal(path)["kommune"].tolist() == ["Solrød"]
    assert len(record) == 1  # one warning, not one per row
    raises(read_talportal, tp(tmp_path, OK_ROW.replace("Solrød", "Region Sjælland"), name="r.csv"),
           match="only region totals")


def test_talportal_keeps_unknown_subjects_as_text(tmp_path):
    path = tp(tmp_path, OK_ROW.replace("Socialområdet", "Serviceloven"))
    assert read_talportal(path)["area"].tolist() == ["Serviceloven"]


def test_talportal_thousands_separator_and_quoted_numbers(tmp_path):
    path = tp(tmp_path, 'Socialområdet;Hele landet;2022;;2022;1;"1.000";2.000;0;3.001;.')
    row = read_talportal(path).iloc[0]
    assert (row["hjemvist"], row["stadfaestet"]) == (1000, 2000)


def test_talportal_comma_separated_excel_save(tmp_path):
    lines = [HDR.replace(";", ","), OK_ROW.replace(";", ",")]
    assert read_talportal(write(tmp_path, lines))["hjemvist"].tolist() == [4]


def test_arrow_and_csv_paths_agree(tmp_path, monkeypatch):
    """pyarrow reads regular files; Python's csv module the rest. Both must agree."""
    import danmark.io._raw as readers

    rng = np.random.default_rng(1)
    kom = ["Solrød", "Århus", "Ålborg", "Hele landet", "Køge"]
    rows = []
    for i in range(400):
        st_, ae, hj, af = rng.integers(0, 9, 4)
        rows.append(f"S{i // 5};{kom[i % 5]};2022;;2022;{af};{hj};{st_};{ae};{af + hj + st_ + ae};.")
    fast = read_talportal(tp(tmp_path, *rows, name="a.csv")).drop(columns="source")
    variants = {
        "footer.csv": [*rows, "", "Kilde: Ankestyrelsen (2024)"],
        "padded_footer.csv": [*rows, "Kilde: Ankestyrelsen (2024);;;;;;;;;;"],
        "blank_lines.csv": [*rows[:200], "", *rows[200:], ""],
    }
    for name, lines in variants.items():
        got = read_talportal(tp(tmp_path, *lines, name=name)).drop(columns="source")
        pd.testing.assert_frame_equal(got, fast)
    monkeypatch.setattr(readers, "_from_arrow", lambda *a, **k: None)  # force the csv module
    for name in ["a.csv", *variants]:
        got = read_talportal(tmp_path / name).drop(columns="source")
        pd.testing.assert_frame_equal(got, fast)
    bad = tp(tmp_path, *rows[:4], rows[4].replace(";Køge;", ";Kge;"), name="bad.csv")
    raises(read_talportal, bad, match="unknown municipality 'Kge'", row=6, column="Kommune")


def test_a_subject_starting_with_kilde_is_not_a_footer(tmp_path):
    path = tp(tmp_path, OK_ROW, OK_ROW.replace("Socialområdet", "Kildeskat"))
    assert read_talportal(path)["area"].tolist() == ["socialomraadet", "Kildeskat"]


def test_xlsx_without_openpyxl(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"PK")
    raises(read_talportal, path, match="openpyxl")


def test_xlsx_two_row_header(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    text = (FIX / "talportal_excel.csv").read_text(encoding="cp1252")
    for line in text.splitlines():
        ws.append([int(c) if c.isdigit() else (c or None) for c in line.split(";")])
    wb.save(tmp_path / "t.xlsx")
    got = read_talportal(tmp_path / "t.xlsx")
    want = read_talportal(FIX / "talportal_excel.csv")
    pd.testing.assert_frame_equal(got.drop(columns="source"), want.drop(columns="source"))


def test_utf16_excel_unicode_text_is_read():
    """Excel's "Unicode text" save: UTF-16 with BOM, tabs; read like the CSV it came from."""
    got = read_talportal(FIX / "talportal_excel_unicode.txt")
    want = read_talportal(FIX / "talportal_excel.csv")
    pd.testing.assert_frame_equal(got.drop(columns="source"), want.drop(columns="source"))
    assert got["kommune"].iloc[0] == "Solrød"  # not a garbled column list


def test_utf16_without_a_bom_is_recognised_by_its_nul_bytes(tmp_path):
    text = (FIX / "talportal_nobom.csv").read_text(encoding="utf-8").replace(";", "\t")
    path = tmp_path / "le.txt"
    path.write_bytes(text.encode("utf-16-le"))
    got = read_talportal(path)
    want = read_talportal(FIX / "talportal_nobom.csv")
    pd.testing.assert_frame_equal(got.drop(columns="source"), want.drop(columns="source"))


def test_utf16_with_a_wrong_forced_encoding(tmp_path):
    raises(read_talportal, FIX / "talportal_excel_unicode.txt", match="the file is UTF-16.*CSV UTF-8",
           encoding="cp1252")


def test_missing_afvisning_column_warns_that_the_identity_is_unchecked(tmp_path):
    hdr = HDR.replace("Afvisning.Henvisning;", "")
    path = write(tmp_path, [hdr, "Socialområdet;Solrød;2022;;2022;4;9;1;15;100"])
    with pytest.warns(ReaderWarning, match="no Afvisning.Henvisning column.*could not be checked"):
        df = read_talportal(path)
    assert df["afvist"].iloc[0] is pd.NA and df["hjemvist"].iloc[0] == 4


def test_missing_total_column_warns_that_the_identity_is_unchecked(tmp_path):
    hdr = HDR.replace(";Antal_sager_ialt", "")
    path = write(tmp_path, [hdr, "Socialområdet;Solrød;2022;;2022;1;4;9;1;100"])
    with pytest.warns(ReaderWarning, match="no Antal_sager_ialt column.*could not be checked"):
        assert read_talportal(path)["afvist"].iloc[0] == 1


def test_aar_and_periode_agree_when_kvartal_is_empty_or_matches(tmp_path):
    path = tp(tmp_path, OK_ROW, "Socialområdet;Solrød;2023;;2023 - 2. kvartal;0;1;2;0;3;.",
              "Socialområdet;Solrød;2023;3. kvartal;2023 - 3. kvartal;0;1;2;0;3;.",
              "Socialområdet;Solrød;;;2024;0;1;2;0;3;.")
    assert no_warnings(read_talportal, path)["period"].tolist() == ["2022", "2023Q2", "2023Q3", "2024"]


def test_aar_disagrees_with_periode(tmp_path):
    path = tp(tmp_path, OK_ROW, OK_ROW.replace("Solrød", "Køge"), OK_ROW.replace(";2022;;2022;", ";2021;;2023;"))
    raises(read_talportal, path, match="Aar '2021' disagrees with periode '2023'", row=4, column="Aar")


def test_kvartal_disagrees_with_periode(tmp_path):
    path = tp(tmp_path, "Socialområdet;Solrød;2022;3. kvartal;2022 - 4. kvartal;0;1;2;0;3;.")
    raises(read_talportal, path, match="Kvartal '3. kvartal' disagree with periode '2022 - 4. kvartal'",
           row=2, column="Kvartal")


# --------------------------------------------------------------------------- numbers

NO_TOTAL = HDR.replace(";Antal_sager_ialt", "")


def test_comma_thousands_without_a_total_is_ambiguous(tmp_path):
    # "2,000" is two thousand in English and 2 in Danish: it used to be read as 2, silently
    path = write(tmp_path, [NO_TOTAL, "Socialområdet;Hele landet;2022;;2022;400;2,000;5,000;700;."])
    err = raises(read_talportal, path, match="ambiguous number '5,000' in count column Stadfæstelse row 2: "
                 "thousands separator or decimal mark", row=2, column="Stadfæstelse")
    assert "decimal='.'" in str(err) and "5000" in str(err)


def test_comma_thousands_with_a_total_says_why_it_does_not_add_up(tmp_path):
    path = tp(tmp_path, OK_ROW, "Socialområdet;Hele landet;2022;;2022;400;2,000;5000;700;8,100;.")
    err = raises(read_talportal, path, match="ambiguous number '2,000' in count column Hjemvisning row 3",
                 row=3, column="Hjemvisning")
    assert "8.1" not in str(err)


def test_decimal_argument_settles_the_ambiguity(tmp_path):
    path = write(tmp_path, [NO_TOTAL, "Socialområdet;Hele landet;2022;;2022;400;2,000;5,000;700;."])
    with pytest.warns(ReaderWarning, match="Antal_sager_ialt"):
        english = read_talportal(path, decimal=".").iloc[0]
    assert (english["hjemvist"], english["stadfaestet"]) == (2000, 5000)
    with pytest.warns(ReaderWarning, match="Antal_sager_ialt"):
        danish = read_talportal(path, decimal=",").iloc[0]
    assert (danish["hjemvist"], danish["stadfaestet"]) == (2, 5)
    raises(read_talportal, path, match="decimal must be", decimal=";")


def test_a_token_with_both_marks_settles_the_column(tmp_path):
    # "1,234.0" can only be English: so "2,000" in the same column is two thousand
    path = tp(tmp_path, "Socialområdet;Hele landet;2022;;2022;400;2000;2,000;700;5100;.",
              "Socialområdet;Århus;2022;;2022;20;80;1,234.0;30;1364;.")
    df = no_warnings(read_talportal, path)
    assert df["stadfaestet"].tolist() == [2000, 1234]


def test_a_decimal_with_other_than_three_digits_settles_the_column(tmp_path):
    # "11.0" has a decimal point, so "5,000" in the same INDHOLD column is five thousand
    path = sb(tmp_path, values=("5,000", "700", "2,000", "400"), kom="Hele landet",
              extra=[f"Solrød;1 Serviceloven;{d};2022;{v}" for d, v in zip(DEC, ("11.0", "1.0", "3.0", "0.0"), strict=True)])
    df = no_warnings(read_statbank, path)
    assert df["stadfaestet"].tolist() == [5000, 11] and df["hjemvist"].tolist() == [2000, 3]


def test_statbank_comma_thousands_is_ambiguous(tmp_path):
    path = sb(tmp_path, values=("5,000", "700", "2000", "400"), kom="Hele landet")
    raises(read_statbank, path, match="ambiguous number '5,000' in count column INDHOLD row 2",
           row=2, column="INDHOLD")
    assert read_statbank(path, decimal=".")["stadfaestet"].tolist() == [5000]


def test_read_cases_refuses_a_grouped_count(tmp_path):
    # danmark's own CSV never groups digits: "1.000" there is ambiguous, not one thousand
    df = read_talportal(FIX / "talportal_bom.csv")
    bad = df.copy()
    bad["stadfaestet"] = bad["stadfaestet"].astype(str)
    bad.loc[1, "stadfaestet"] = "1.000"
    bad.to_csv(tmp_path / "c.csv", index=False)
    raises(read_cases, tmp_path / "c.csv", match="ambiguous number '1.000'.*without separators",
           row=3, column="stadfaestet")


# --------------------------------------------------------------------------- Talportal, bad input


def test_missing_required_columns(tmp_path):
    path = write(tmp_path, [HDR.replace("Sagsemne;Kommune;", "Sagsemne;"), "x;2022;;2022;1;4;9;1;15;100"])
    raises(read_talportal, path, match="not a Talportal export.*Kommune")


def test_a_missing_count_column_is_recovered_from_the_total(tmp_path):
    # no Hjemvisning column: realitetsbehandlede = 11 - 1 = 10 = 9 stadfæstet + 1 ændret + 0 hjemvist
    path = write(tmp_path, [HDR.replace(";Hjemvisning", ""), "x;Solrød;2022;;2022;1;9;1;11;100"])
    row = read_talportal(path).iloc[0]
    assert (row["stadfaestet"], row["aendret"], row["hjemvist"], row["afvist"]) == (9, 1, 0, 1)


def test_a_file_with_no_counts_names_the_boxes_to_tick(tmp_path):
    path = write(tmp_path, ["Sagsemne;Kommune;periode;Antal_sager_ialt", "x;Solrød;2022;11"])
    raises(read_talportal, path, match="do not give the number of cases.*Stadfæstede sager")


def test_aendret_plus_hjemvist_exceeds_realitetsbehandlede(tmp_path):
    # realitetsbehandlede = 14 - 5 = 9, but ændret + hjemvist = 4 + 6 = 10
    path = tp(tmp_path, OK_ROW, "Socialområdet;Køge;2022;;2022;5;6;0;4;14;100")
    raises(read_talportal, path, match="exceeds realitetsbehandlede", row=3, column="Hjemvisning")


def test_identity_mismatch(tmp_path):
    path = tp(tmp_path, OK_ROW, "Socialområdet;Køge;2022;;2022;1;4;9;1;16;100")
    raises(read_talportal, path, match="do not add up", row=3, column="Antal_sager_ialt")


def test_afvisning_exceeds_total(tmp_path):
    path = tp(tmp_path, "Socialområdet;Køge;2022;;2022;20;0;0;0;15;100")
    raises(read_talportal, path, match="exceeds Antal_sager_ialt", row=2, column="Afvisning.Henvisning")


def test_negative_count(tmp_path):
    path = tp(tmp_path, OK_ROW, "Socialområdet;Køge;2022;;2022;1;-4;9;1;7;100")
    raises(read_talportal, path, match="negative", row=3, column="Hjemvisning")


def test_fractional_count(tmp_path):
    path = tp(tmp_path, OK_ROW, "Socialområdet;Køge;2022;;2022;1;4;9,5;1;15,5;100")
    raises(read_talportal, path, match="whole number", row=3, column="Stadfæstelse")


def test_non_numeric_count(tmp_path):
    path = tp(tmp_path, OK_ROW, OK_ROW.replace("Solrød", "Køge").replace(";9;", ";ni;"))
    raises(read_talportal, path, match="not a number: 'ni'", row=3, column="Stadfæstelse")


def test_missing_count_is_no_cases(tmp_path):
    # the Talportal counts a missing outcome as 0 cases, so "." in Hjemvisning is 0 hjemviste ...
    ok = tp(tmp_path, OK_ROW.replace(";1;4;9;1;15;", ";1;.;9;1;11;"), name="ok.csv")
    assert read_talportal(ok).iloc[0]["hjemvist"] == 0
    # ... and then the row must still add up to Antal_sager_ialt - Afvisning.Henvisning
    path = tp(tmp_path, OK_ROW.replace(";4;9;", ";.;9;"))
    raises(read_talportal, path, match="do not add up", row=2, column="Antal_sager_ialt")


def test_unknown_municipality_with_suggestion(tmp_path):
    path = tp(tmp_path, OK_ROW, OK_ROW.replace("Solrød", "Solrd"))
    raises(read_talportal, path, match="unknown municipality 'Solrd'.*Solrød", row=3, column="Kommune")


def test_unparseable_period(tmp_path):
    path = tp(tmp_path, OK_ROW, "Socialområdet;Solrød;2022;9;2022 - 9. kvartal;1;4;9;1;15;100")
    raises(read_talportal, path, match="cannot read period", row=3, column="periode")


def test_duplicate_rows(tmp_path):
    path = tp(tmp_path, OK_ROW, OK_ROW.replace("Solrød", "Køge"), OK_ROW)
    err = raises(read_talportal, path, match="duplicate row.*Solrød.*first seen on row 2", row=4)
    assert err.column is None


def test_duplicate_rows_via_old_and_new_spelling(tmp_path):
    path = tp(tmp_path, OK_ROW.replace("Solrød", "Århus"), OK_ROW.replace("Solrød", "Aarhus"))
    raises(read_talportal, path, match="duplicate row.*Aarhus", row=3)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    raises(read_talportal, path, match="empty")
    path.write_bytes(b"\xef\xbb\xbf\r\n")
    raises(read_talportal, path, match="empty")
    raises(read_statbank, path, match="empty")
    raises(read_cases, path, match="empty")


def test_header_but_no_rows(tmp_path):
    raises(read_talportal, tp(tmp_path), match="no data rows")


def test_only_missing_rows(tmp_path):
    raises(read_talportal, tp(tmp_path, "x;Solrød;2022;;2022;.;.;.;.;.;."), match="every row")


def test_wrong_delimiter_one_column(tmp_path):
    path = write(tmp_path, [HDR.replace(";", "|"), OK_ROW.replace(";", "|")])
    raises(read_talportal, path, match="wrong delimiter")
    raises(read_statbank, path, match="wrong delimiter")
    raises(read_cases, path, match="wrong delimiter")


def test_wrong_delimiter_in_data_rows(tmp_path):
    path = tp(tmp_path, OK_ROW, OK_ROW.replace(";", "\t"))
    raises(read_talportal, path, match="wrong delimiter", row=3)


def test_extra_fields_in_a_row(tmp_path):
    path = tp(tmp_path, OK_ROW, OK_ROW + ";7")
    raises(read_talportal, path, match="12 fields but the header has 11", row=3)


def test_mojibake_from_a_forced_wrong_encoding(tmp_path):
    path = tp(tmp_path, OK_ROW)
    err = raises(read_talportal, path, match="decoded wrongly", encoding="cp1252")
    assert "encoding='utf-8'" in str(err)


def test_mojibake_inside_the_file(tmp_path):
    path = tp(tmp_path, OK_ROW.replace("Solrød", "SolrÃ¸d"))
    err = raises(read_talportal, path, match="SolrÃ¸d.*decoded wrongly", row=2, column="Kommune")
    assert "Solrød" in str(err)


def test_forced_encoding_that_cannot_decode(tmp_path):
    path = tp(tmp_path, OK_ROW, encoding="cp1252")
    raises(read_talportal, path, match="cannot decode", encoding="utf-8")
    raises(read_talportal, path, match="unknown encoding", encoding="no-such-codec")


def test_neither_format(tmp_path):
    path = write(tmp_path, ["a,b,c", "1,2,3"])
    raises(read_talportal, path, match="not a Talportal export")
    raises(read_statbank, path, match="not a Statistikbank table")
    raises(read_cases, path, match="missing required column")


def test_readers_point_to_each_other():
    raises(read_statbank, FIX / "talportal_bom.csv", match="read_talportal")
    raises(read_talportal, FIX / "statbank_ankeast1_semicolon_utf8.csv", match="read_statbank")
    raises(read_cases, FIX / "statbank_ankeast1_semicolon_utf8.csv", match="read_statbank")
    raises(read_cases, FIX / "talportal_nobom.csv", match="read_talportal")


# --------------------------------------------------------------------------- Statistikbanken


def test_statbank_semicolon_utf8_decimal_comma():
    with pytest.warns(ReaderWarning, match="skipped 4 rows for regions or landsdele"):
        df = read_statbank(FIX / "statbank_ankeast1_semicolon_utf8.csv")
    assert list(df.columns) == CASE_COLUMNS
    assert "Region Sjælland" not in set(df["kommune"]) and len(df) == 5  # region and '..' cell dropped
    nat = df[df["kommunekode"] == "000"].iloc[0]
    assert (nat["stadfaestet"], nat["hjemvist"]) == (5000, 2000)  # "5.000", "2.000"
    sol23 = df[(df["kommune"] == "Solrød") & (df["period"] == "2023")].iloc[0]
    assert (sol23["stadfaestet"], sol23["aendret"], sol23["hjemvist"], sol23["afvist"]) == (11, 2, 3, 0)
    assert set(df["area"]) == {"1 Serviceloven", "1.9 Børn - efterværn - §§ 68 og 76"}
    assert set(df["source"]) == {"statbank:statbank_ankeast1_semicolon_utf8.csv"}
    pd.testing.assert_frame_equal(df, validate_cases(df))


def test_statbank_comma_cp1252_quarters():
    df = no_warnings(read_statbank, FIX / "statbank_ankeast2_comma_cp1252.csv")
    assert list(df["kommune"]) == ["Solrød", "Solrød", "Høje-Taastrup", "Aarhus"]
    assert list(df["period"]) == ["2022Q3", "2022Q4", "2022Q4", "2022Q4"]
    assert df["stadfaestet"].sum() == 3 + 4 + 12 + 60


def test_statbank_columns_recognised_by_content(tmp_path):
    text = (FIX / "statbank_ankeast1_semicolon_utf8.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    # unhelpful headers and a different column order: found by what the columns hold
    lines[0] = "a;b;c;d;e"
    swapped = [";".join([r.split(";")[i] for i in (3, 2, 0, 1, 4)]) for r in lines]
    path = write(tmp_path, swapped, name="x.csv")
    with pytest.warns(ReaderWarning, match="regions"):
        got = read_statbank(path)
    with pytest.warns(ReaderWarning, match="regions"):
        want = read_statbank(FIX / "statbank_ankeast1_semicolon_utf8.csv")
    pd.testing.assert_frame_equal(got.drop(columns="source"), want.drop(columns="source"))


def test_statbank_percentages_refused_by_name_and_by_content(tmp_path):
    raises(read_statbank, FIX / "statbank_ankeast3_rates.csv", match="ANKEAST1")
    path = tmp_path / "download.csv"
    path.write_bytes((FIX / "statbank_ankeast3_rates.csv").read_bytes())
    raises(read_statbank, path, match="percentages|omgørelsesprocenter")


SB = "OMRÅDE;LOVGRUNDLAG;AFGØRELSE;TID;INDHOLD"
DEC = ["Stadfæstelse", "Ændring/ophævelse", "Hjemvisning", "Afvisning/henvisning"]


def sb(tmp_path, values=(9, 1, 4, 1), extra=(), kom="Solrød", name="ANKEAST1.csv"):
    rows = [f"{kom};1 Serviceloven;{d};2022;{v}" for d, v in zip(DEC, values, strict=True)]
    return write(tmp_path, [SB, *rows, *extra], name=name)


def test_statbank_i_alt_checked_then_dropped(tmp_path):
    ok = read_statbank(sb(tmp_path, extra=["Solrød;1 Serviceloven;I alt;2022;15"]))
    assert len(ok) == 1 and ok["stadfaestet"].iloc[0] == 9
    raises(read_statbank, sb(tmp_path, extra=["Solrød;1 Serviceloven;I alt;2022;16"]), match="I alt", row=6)


def test_statbank_fractional_and_negative_and_text(tmp_path):
    raises(read_statbank, sb(tmp_path, values=(9, 1, "4,5", 1)), match="not a whole number", row=4, column="INDHOLD")
    raises(read_statbank, sb(tmp_path, values=(9, 1, "-4", 1)), match="negative", row=4, column="INDHOLD")
    raises(read_statbank, sb(tmp_path, values=(9, 1, "fire", 1)), match="not a number", row=4, column="INDHOLD")


def test_statbank_partial_missing(tmp_path):
    raises(read_statbank, sb(tmp_path, values=(9, "..", 4, 1)), match="missing", row=3)


def test_statbank_unknown_municipality_and_period(tmp_path):
    raises(read_statbank, sb(tmp_path, kom="Solrd"), match="did you mean 'Solrød'", row=2, column="OMRÅDE")
    path = write(tmp_path, [SB] + [f"Solrød;1 Serviceloven;{d};2022K9;1" for d in DEC])
    raises(read_statbank, path, match="cannot read period", row=2, column="TID")


def test_statbank_unknown_decision_type(tmp_path):
    path = sb(tmp_path, extra=["Solrød;1 Serviceloven;Delvis omgjort;2022;2"])
    raises(read_statbank, path, match="unknown decision type 'Delvis omgjort'", row=6)


def test_statbank_without_a_decision_type(tmp_path):
    rows = [f"Solrød;1 Serviceloven;{d};2022;1" for d in DEC if d != "Hjemvisning"]
    raises(read_statbank, write(tmp_path, [SB, *rows]), match="no Hjemvisning rows")


def test_statbank_duplicate_cell(tmp_path):
    path = sb(tmp_path, extra=["Solrød;1 Serviceloven;Hjemvisning;2022;4"])
    raises(read_statbank, path, match="duplicate cell.*row 4", row=6)


def test_statbank_further_dimension(tmp_path):
    rows = [SB.replace(";INDHOLD", ";KØN;INDHOLD")]
    rows += [f"Solrød;1 Serviceloven;{d};2022;{k};1" for d in DEC for k in ("Mænd", "Kvinder")]
    raises(read_statbank, write(tmp_path, rows), match="further dimension")


def test_statbank_mojibake(tmp_path):
    path = sb(tmp_path, kom="SolrÃ¸d")
    raises(read_statbank, path, match="decoded wrongly", row=2)
    cp = tmp_path / "cp.csv"
    cp.write_bytes((FIX / "statbank_ankeast1_semicolon_utf8.csv").read_bytes())
    raises(read_statbank, cp, match="decoded wrongly", encoding="latin-1")


# --------------------------------------------------------------------------- the tidy table


def test_read_cases_round_trip(tmp_path):
    df = read_talportal(FIX / "talportal_bom.csv")
    df.to_csv(tmp_path / "with_index.csv")
    df.to_csv(tmp_path / "no_index.csv", index=False)
    pd.testing.assert_frame_equal(read_cases(tmp_path / "with_index.csv"), df)
    pd.testing.assert_frame_equal(read_cases(tmp_path / "no_index.csv"), df)


def test_read_cases_keeps_extra_columns_drops_derived(tmp_path):
    from danmark.table.schema import with_rates

    df = with_rates(read_talportal(FIX / "talportal_bom.csv"))
    df["note"] = "made up"
    df["weight"] = 0.5
    df.to_csv(tmp_path / "c.csv", index=False)
    got = read_cases(tmp_path / "c.csv")
    assert list(got.columns) == CASE_COLUMNS + ["note", "weight"]
    assert got["weight"].dtype == float and got["note"].iloc[0] == "made up"


def test_read_cases_bad_input(tmp_path):
    df = read_talportal(FIX / "talportal_bom.csv")
    bad = df.copy()
    bad.loc[3, "source"] = ""
    bad.to_csv(tmp_path / "a.csv", index=False)
    raises(read_cases, tmp_path / "a.csv", match="source is empty", row=5, column="source")
    bad = df.copy()
    bad["kommunekode"] = bad["kommunekode"].astype(object)
    bad.loc[2, "kommunekode"] = "999"
    bad.to_csv(tmp_path / "b.csv", index=False)
    raises(read_cases, tmp_path / "b.csv", match="unknown kommunekode", row=4, column="kommunekode")
    bad = df.copy()
    bad.loc[1, "kommune"] = "Solrød"
    bad.to_csv(tmp_path / "c.csv", index=False)
    raises(read_cases, tmp_path / "c.csv", match="does not match kommunekode", row=3, column="kommune")
    bad = df.drop(columns="hjemvist")
    bad.to_csv(tmp_path / "d.csv", index=False)
    raises(read_cases, tmp_path / "d.csv", match="missing required column.*hjemvist")
    bad = df.copy()
    bad["aendret"] = bad["aendret"].astype(object)
    bad.loc[0, "aendret"] = ""
    bad.to_csv(tmp_path / "e.csv", index=False)
    raises(read_cases, tmp_path / "e.csv", match="aendret is missing", row=2, column="aendret")


# --------------------------------------------------------------------------- vectorised validator


names = st.sampled_from(["Solrød", "Århus", "aalborg kommune", "Hele landet", "269", "0101", "Køge"])
periods = st.sampled_from(["2022", "2022K4", "2022 - 3. kvartal", "2023H1", "2020-2023H1"])
counts = st.integers(min_value=0, max_value=10_000)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(names, periods, st.sampled_from(["a", "b"]), counts, counts, counts,
                          st.one_of(st.none(), counts)), min_size=1, max_size=25))
def test_tidy_frame_matches_validate_cases(rows):
    raw = pd.DataFrame(rows, columns=["kommune", "period", "area", "stadfaestet", "aendret", "hjemvist", "afvist"])
    raw["afvist"] = raw["afvist"].astype("Int64")
    raw["source"] = "made_up"
    try:
        want = reference_validate_cases(raw)
    except DataError as err:
        with pytest.raises(DataError) as info:
            tidy_frame(raw)
        assert type(info.value) is type(err)
        assert ("duplicate" in str(err)) == ("duplicate" in str(info.value))
        return
    pd.testing.assert_frame_equal(tidy_frame(raw), want)


# --------------------------------------------------------------------------- issue 10 leftovers


def test_an_unknown_talportal_column_is_named_not_ignored(tmp_path):
    """A misspelt or new measure column is read past, but a ReaderWarning names it (never silently)."""
    import warnings

    from danmark import ReaderWarning

    path = tmp_path / "export.csv"
    path.write_text(
        "Sagsemne;Kommune;Aar;Kvartal;periode;Afvisning.Henvisning;Hjemvisning;Stadfæstelse;"
        "Ændring.Ophævelse;Antal_sager_ialt;Sagsbehandlingstid;Hjemvisningsprocnt\n"
        "Voksenhandicap;Helsingør;2024;;2024;.;10;10;2;22;.;45\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = read_talportal(path)
    notes = [str(w.message) for w in caught if issubclass(w.category, ReaderWarning)]
    assert any("'Hjemvisningsprocnt'" in m and "not a Talportal measure" in m for m in notes), notes
    assert df["hjemvist"].tolist() == [10]  # the known measures are read as before
    # a file with only known columns gives no such note
    path.write_text(path.read_text(encoding="utf-8").replace(";Hjemvisningsprocnt", "").replace(";45\n", "\n"),
                    encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read_talportal(path)
    assert not any("not a Talportal measure" in str(w.message) for w in caught)


def test_text_counts_in_a_dataframe_are_one_rule_everywhere():
    """with_rates, validate_cases and aggregate agree: a DataFrame's counts must be numbers (text is refused)."""
    import danmark

    cases = danmark.load_cases(rates=False).head(2).copy()
    cases["stadfaestet"] = cases["stadfaestet"].astype(str)
    for fn in (danmark.with_rates, danmark.validate_cases, danmark.aggregate):
        with pytest.raises(DataError, match="stadfaestet") as info:
            fn(cases)
        assert info.value.column == "stadfaestet" and info.value.row is not None, fn.__name__
    # the readers parse text: the same counts written to a file are read
    assert danmark.with_rates(cases.assign(stadfaestet=pd.to_numeric(cases["stadfaestet"])))["n"].gt(0).all()
