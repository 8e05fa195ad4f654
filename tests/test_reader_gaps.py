"""The readers' last five gaps (issue 21): exact or a located DataError, never a silently wrong count.

Files are generated from truth tables (``talportal_writer``, ``statbank_writer``) where the format
allows it; the internal Talportal table (``.`` for no cases) is written row by row as its layout says.
All counts are INVENTED or SYNTHETIC.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statbank_writer as sw
import talportal_writer as tw

import danmark
from danmark import DataError, ReaderWarning

INTERNAL = ("Sagsemne;Kommune;Aar;Kvartal;periode;Afvisning.Henvisning;Hjemvisning;Stadfæstelse;"
            "Ændring.Ophævelse;Antal_sager_ialt;Sagsbehandlingstid\n")


def internal_row(kommune, afvist, hjem, stadf, aendr, total, area="Voksenhandicap", year="2022"):
    return f"{area};{kommune};{year};;{year};{afvist};{hjem};{stadf};{aendr};{total};.\n"


def write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def counts(df):
    return df[["stadfaestet", "aendret", "hjemvist", "afvist"]].astype("int64").to_numpy().tolist()


@pytest.fixture(scope="module")
def truth():
    """A SYNTHETIC truth table: 98 kommuner and Hele landet, two Sagsemner, two quarters."""
    return tw.random_truth(20240617, sagsemner=list(tw.SAGSEMNER)[:2],
                           periods=("2022 - 3. kvartal", "2022 - 4. kvartal"))


def read_statbank(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReaderWarning)
        df = danmark.read_statbank(path)
    keyed = df.set_index(["kommunekode", "period", "area"])[["stadfaestet", "aendret", "hjemvist", "afvist"]]
    keyed = keyed.astype("int64")
    return keyed[keyed.sum(axis=1) > 0].sort_index()


# --------------------------------------------------------------------------- 1. counts beyond 2**53


@pytest.mark.parametrize("total", [".", "9007199254740996"])
def test_a_count_above_2_53_next_to_a_missing_total_is_refused(tmp_path, total):
    # 2**53 + 1 is read by float64 as 2**53: refused, not rounded
    path = write(tmp_path, "internal.csv", INTERNAL + internal_row("Solrød", ".", 1, 9007199254740993, 1, total))
    for reader in (danmark.read_talportal, danmark.read_any):
        with pytest.raises(DataError, match="2\\*\\*53") as err:
            reader(path)
        assert err.value.row == 2 and err.value.column == "Stadfæstelse"


def test_counts_whose_sum_reaches_2_53_are_refused(tmp_path):
    big = 2**53 - 2
    path = write(tmp_path, "internal.csv", INTERNAL + internal_row("Solrød", ".", 1, big, 1, "."))
    with pytest.raises(DataError, match="add up to") as err:
        danmark.read_talportal(path)
    assert err.value.row == 2


def test_a_large_count_below_2_53_reads_exactly(tmp_path):
    big = 2**52 + 1
    path = write(tmp_path, "internal.csv", INTERNAL + internal_row("Solrød", ".", 1, big, 1, "."))
    df = danmark.read_talportal(path)
    assert int(df["stadfaestet"].iloc[0]) == big and df["stadfaestet"].dtype.kind == "i"


def test_csv_download_with_a_huge_count_and_na_total_is_refused(tmp_path):
    truth = tw.make_truth([("Solrød", "Voksenhandicap - BPA - § 96", "2022", 2**53 + 1, 1, 1, None)])
    path = tw.write_csv_download(truth, tmp_path / "data.csv")
    with pytest.raises(DataError, match="2\\*\\*53"):
        danmark.read_any(path)


def test_statbank_value_above_2_53_is_refused(tmp_path, truth):
    path = sw.write_statbank_download(truth, tmp_path / "ANKEAST2.csv")
    text = path.read_bytes().decode("utf-8-sig").splitlines()
    cells = text[5].split(";")
    text[5] = ";".join(cells[:-1] + [str(2**53 + 1)])
    path.write_bytes(("\r\n".join(text) + "\r\n").encode("utf-8-sig"))
    with pytest.raises(DataError, match="2\\*\\*53") as err:
        danmark.read_statbank(path)
    assert err.value.row == 6 and err.value.column == "INDHOLD"


# --------------------------------------------------------------------------- 2. '.' afvist against the total


def test_dot_afvisning_with_a_total_one_case_more_contradicts_itself(tmp_path):
    path = write(tmp_path, "internal.csv", INTERNAL + internal_row("Solrød", 1, 4, 9, 1, 15)
                 + internal_row("Høje-Taastrup", ".", 5, 7, 2, 15))
    for reader in (danmark.read_talportal, danmark.read_any):
        with pytest.raises(DataError, match="contradicts itself") as err:
            reader(path)
        assert err.value.row == 3 and err.value.column == "Antal_sager_ialt"
        assert "1 case unaccounted for" in str(err.value)


def test_dot_afvisning_with_the_right_total_is_no_afviste_sager(tmp_path):
    path = write(tmp_path, "internal.csv", INTERNAL + internal_row("Høje-Taastrup", ".", 5, 7, 2, 14)
                 + internal_row("Solrød", ".", 1, ".", ".", 1))
    assert counts(danmark.read_talportal(path)) == [[7, 2, 5, 0], [0, 0, 1, 0]]


def test_dot_total_says_nothing(tmp_path):
    path = write(tmp_path, "internal.csv", INTERNAL + internal_row("Høje-Taastrup", ".", 5, 7, 2, "."))
    assert counts(danmark.read_talportal(path)) == [[7, 2, 5, 0]]


# --------------------------------------------------------------------------- 3. a Statistikbank file cut short


def test_statbank_cut_inside_its_last_value_is_caught(tmp_path):
    truth = tw.make_truth([("Solrød", "1 Serviceloven", "2022", 12, 2, 5, 80)])
    path = sw.write_statbank_download(truth, tmp_path / "ANKEAST1.csv", final_newline=False)
    data = path.read_bytes()
    assert data.endswith(b";80")
    path.write_bytes(data[:-1])  # "80" -> "8"
    for reader in (danmark.read_statbank, danmark.read_any):
        with pytest.raises(DataError, match="cut off") as err:
            reader(path)
        assert err.value.row == 5 and err.value.column == "INDHOLD"


@pytest.mark.parametrize("presentation", ["text", "code_and_text"])
def test_statbank_cut_at_every_byte_of_the_last_line_is_an_error_or_exact(tmp_path, truth, presentation):
    path = sw.write_statbank_download(truth, tmp_path / "ANKEAST2.csv", presentation)
    data = path.read_bytes()
    full = read_statbank(path)
    last = data.rstrip(b"\r\n").rfind(b"\n") + 1
    for cut in range(last + 1, len(data) - 2):
        part = tmp_path / "cut.csv"
        part.write_bytes(data[:cut])
        try:
            got = read_statbank(part)
        except DataError as err:
            assert err.file is not None
            continue
        # read: only rows before the cut line, unchanged (the cut line's cell is incomplete and left out)
        both = got.index.intersection(full.index)
        assert got.loc[both].equals(full.loc[both]), cut
        assert set(got.index) <= set(full.index), cut


def test_statbank_without_final_line_break_but_a_missing_last_value_reads(tmp_path):
    text = ("OMRÅDE;LOVGRUNDLAG;AFGØRELSE;TID;INDHOLD\r\n"
            "Solrød;1 Serviceloven;Stadfæstelse;2022;12\r\nSolrød;1 Serviceloven;Ændring/ophævelse;2022;2\r\n"
            "Solrød;1 Serviceloven;Hjemvisning;2022;5\r\nSolrød;1 Serviceloven;Afvisning/henvisning;2022;..")
    df = danmark.read_statbank(write(tmp_path, "ANKEAST1.csv", text, "utf-8-sig"))
    assert df[["stadfaestet", "aendret", "hjemvist"]].to_numpy().tolist() == [[12, 2, 5]]
    assert df["afvist"].isna().all()  # ".." is a missing value, cut or not


def test_talportal_cut_inside_a_count_is_caught(tmp_path):
    path = write(tmp_path, "internal.csv", (INTERNAL + internal_row("Solrød", 1, 4, 9, 1, 15)).rstrip("\n")[:-4])
    with pytest.raises(DataError):
        danmark.read_talportal(path)


# --------------------------------------------------------------------------- 4. an undecodable byte far down


@pytest.mark.parametrize("bad", [b"\x81", b"\xf8", b"\xff\xfe"])
def test_undecodable_byte_is_blamed_on_its_own_row(tmp_path, truth, bad):
    path = sw.write_statbank_download(truth, tmp_path / "ANKEAST2.csv")
    lines = path.read_bytes().split(b"\n")
    row = 10
    assert b"\xc3" in lines[0]  # the header is UTF-8 ("OMRÅDE", "AFGØRELSE")
    lines[row - 1] = bad + lines[row - 1]  # at the start of OMRÅDE
    path.write_bytes(b"\n".join(lines))
    for reader in (danmark.read_statbank, danmark.read_any):
        with pytest.raises(DataError, match="not valid UTF-8") as err:
            reader(path)
        assert err.value.row == row and err.value.column == "OMRÅDE", str(err.value)


def test_undecodable_byte_beyond_the_first_64_kb(tmp_path, truth):
    path = sw.write_statbank_download(truth, tmp_path / "ANKEAST2.csv", region=True)
    data = path.read_bytes()
    assert len(data) > 1 << 16  # beyond what the readers decode to sniff the format
    lines = data.split(b"\n")
    row = len(lines) - 3
    cells = lines[row - 1].split(b";")
    cells[2] = cells[2].replace(b"\xc3\xa6", b"\xe6")  # "Stadfæstelse" with a Latin-1 "æ"
    assert b"\xe6" in cells[2]
    lines[row - 1] = b";".join(cells)
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(DataError, match="not valid UTF-8") as err:
        danmark.read_statbank(path)
    assert err.value.row == row and err.value.column == "AFGØRELSE"


def test_a_cp1252_file_still_reads_as_cp1252(tmp_path):
    truth = tw.make_truth([("Solrød", "Voksenhandicap - BPA - § 96", "2022", 3, 1, 2, None),
                           ("Køge", "Voksenhandicap - BPA - § 96", "2022", 4, None, 2, 1)])
    path = tw.write_csv_download(truth, tmp_path / "data.csv")  # the Talportal writes Latin-1
    df = danmark.read_any(path)
    assert list(df["kommune"]) == ["Solrød", "Køge"]


# --------------------------------------------------------------------------- 5. "kode og tekst"


@pytest.mark.parametrize("period_twice", [True, False])
def test_statbank_code_and_text_reads_as_the_text_presentation(tmp_path, truth, period_twice):
    text = read_statbank(sw.write_statbank_download(truth, tmp_path / "text.csv"))
    coded = read_statbank(sw.write_statbank_download(truth, tmp_path / "coded.csv", "code_and_text",
                                                     period_twice=period_twice))
    pd.testing.assert_frame_equal(text, coded)
    pd.testing.assert_frame_equal(coded, sw.expected_statbank(truth).loc[coded.index])
    assert len(coded) == len(sw.expected_statbank(truth))
    assert "000" in coded.index.get_level_values("kommunekode")  # "000 Hele landet"


def test_statbank_code_and_text_example(tmp_path):
    truth = tw.make_truth([("København", "1 Serviceloven", "2022", 12, 2, 5, 1),
                           ("Solrød", "1 Serviceloven", "2022", 3, None, 2, None)])
    path = sw.write_statbank_download(truth, tmp_path / "ANKEAST1.csv", "code_and_text")
    assert "101 København;1 Serviceloven;1 Stadfæstelse;2022 2022;12" in path.read_text(encoding="utf-8-sig")
    df = danmark.read_any(path)
    assert list(df["kommunekode"]) == ["101", "269"] and list(df["period"]) == ["2022", "2022"]
    assert counts(df) == [[12, 2, 5, 1], [3, 0, 2, 0]]


def test_statbank_code_and_text_skips_regions_with_a_warning(tmp_path, truth):
    path = sw.write_statbank_download(truth, tmp_path / "coded.csv", "code_and_text", region=True)
    with pytest.warns(ReaderWarning, match="Region Hovedstaden"):
        df = danmark.read_statbank(path)
    assert "Region Hovedstaden" not in set(df["kommune"])


def test_statbank_code_disagreeing_with_its_name_is_a_data_error(tmp_path):
    truth = tw.make_truth([("Solrød", "1 Serviceloven", "2022", 12, 2, 5, 1)])
    path = sw.write_statbank_download(truth, tmp_path / "ANKEAST1.csv", "code_and_text")
    path.write_bytes(path.read_bytes().replace(b"269 Solr", b"259 Solr"))
    with pytest.raises(DataError, match="disagree") as err:
        danmark.read_statbank(path)
    assert err.value.row == 2 and err.value.column == "OMRÅDE"
    assert "Køge" in str(err.value) and "Solrød" in str(err.value)


def test_statbank_writer_text_round_trip(tmp_path, truth):
    got = read_statbank(sw.write_statbank_download(truth, tmp_path / "ANKEAST2.csv"))
    exp = sw.expected_statbank(truth)
    pd.testing.assert_frame_equal(got, exp)
    assert np.issubdtype(got["stadfaestet"].dtype, np.integer)
