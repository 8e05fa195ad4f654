"""Damaged and hostile files: a located DataError, never a wrong number or a raw exception (issue 7, point 4)."""

from __future__ import annotations

import gzip
import warnings

import pytest

import danmark
from danmark import DataError

HEADER = (
    '"Kommune";"Lovgivning";"Sagsemne";"periode";"Realitetsbehandlede sager i alt";'
    '"Stadfæstede sager";"Ændrede/ophævede sager";"Hjemviste sager";"Afviste sager"\n'
)
ROW = '"Århus";"Serviceloven";"Voksenhandicap";"2022";30;20;3;7;2\n'  # invented counts
SOLROD = '"Solrød";"Serviceloven";"Voksenhandicap";"2022";14;4;1;9;0\n'


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("latin-1"))
    return path


CASES = {
    # name: (content, expected message, row, column)
    "truncated.csv": (HEADER + ROW + '"Solrød";"Serviceloven";"Voksenhandicap";"2022";3', "cut off", 3, None),
    "huge.csv": (HEADER + ROW.replace(";20;", ";100000000000000000000;"), "too large", 2, "Stadfæstede sager"),
    "huge_sci.csv": (HEADER + ROW.replace(";20;", ";1e+20;"), "too large", 2, "Stadfæstede sager"),
    "hex.csv": (HEADER + ROW.replace(";20;", ";0x10;"), "not a number", 2, "Stadfæstede sager"),
    "same_name.csv": (HEADER.replace('"Afviste sager"', '"Hjemviste sager"') + ROW, "both named", 1, "Hjemviste sager"),
    "quarter5.csv": (HEADER + ROW.replace('"2022"', '"2022 - 5. kvartal"'), "cannot read period", 2, "periode"),
    "dot_area.csv": (HEADER + ROW.replace('"Voksenhandicap"', '"."'), "area is empty", 2, "Sagsemne"),
    "big_field.csv": (HEADER + ROW.replace('"Århus"', '"' + "x" * 200_000 + '"'), "unknown municipality", 2, "Kommune"),
    "inf_count.csv": (HEADER + ROW.replace(";20;", ";Inf;"), "not a number", 2, "Stadfæstede sager"),
    "fake.xlsx": ("this is text", "not an Excel workbook", None, None),
    "corrupt.xlsx": (b"PK\x03\x04" + b"\x00" * 200, "not a readable Excel workbook", None, None),
    "gzip.csv": (gzip.compress((HEADER + ROW).encode("latin-1")), "gzip", None, None),
    "binary.csv": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "binary", None, None),
    "contradiction.csv": (HEADER + ROW.replace(";30;", ";31;"), "do not add up", 2, "Realitetsbehandlede sager i alt"),
    "quarter15_kvartal_col.csv": (
        "Sagsemne;Kommune;Aar;Kvartal;periode;Afvisning.Henvisning;Hjemvisning;Stadfæstelse;"
        "Ændring.Ophævelse;Antal_sager_ialt\nx;Solrød;2022;15. kvartal;2022;1;4;9;1;15\n",
        "not a quarter", 2, "Kvartal",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("reader", ["read_talportal", "read_any"])
def test_damaged_file_gives_a_located_data_error(tmp_path, name, reader):
    content, match, row, column = CASES[name]
    path = write(tmp_path, name, content)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(DataError, match=match) as info:
            getattr(danmark, reader)(path)
    err = info.value
    assert err.file is not None and err.file.endswith(name)
    assert err.row == row and err.column == column, str(err)
    assert len(str(err)) < 600  # a 200 kB field is not echoed back


def test_a_folder_is_a_data_error(tmp_path):
    for reader in (danmark.read_talportal, danmark.read_any, danmark.read_statbank, danmark.read_cases):
        with pytest.raises(DataError, match="folder"):
            reader(tmp_path)


def test_the_cli_prints_one_line_for_a_damaged_file(tmp_path, capsys):
    from danmark.cli import main

    path = write(tmp_path, "truncated.csv", CASES["truncated.csv"][0])
    assert main(["report", "Solrød", "--data", str(path)]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "cut off" in err and err.startswith("danmark: fejl:")


def test_a_legitimate_file_still_reads(tmp_path):
    df = danmark.read_talportal(write(tmp_path, "ok.csv", HEADER + ROW + SOLROD))
    assert df[["stadfaestet", "aendret", "hjemvist", "afvist"]].values.tolist() == [[20, 3, 7, 2], [4, 1, 9, 0]]
