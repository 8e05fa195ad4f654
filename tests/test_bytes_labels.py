"""A kommunekode or kommune that is bytes: a DataError naming column and row, never a UnicodeDecodeError (issue 21).

The choice (documented in danmark.table.schema): bytes are never read as a label, not even valid UTF-8
(b"269"); the caller decodes the column first.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import danmark
from danmark._validate import check_no_bytes

BYTES = st.one_of(st.binary(max_size=4), st.sampled_from([b"\xff", b"\xc3\x28", b"269", b"000", b"S\xc3\xb8r\xc3\xb8"]))


def _table(code, at):
    codes = danmark.municipalities()["kommunekode"].head(8).astype(object).tolist()
    codes[at] = code
    return pd.DataFrame({"kommunekode": codes, "stadfaestet": [20, 30, 25, 40, 22, 35, 28, 31],
                         "aendret": [2, 5, 3, 8, 1, 6, 2, 4], "hjemvist": [3, 4, 2, 5, 2, 3, 4, 1]},
                        index=[10 * i for i in range(8)])


@settings(max_examples=30, deadline=None)
@given(code=BYTES, at=st.integers(0, 7))
def test_split_national_refuses_bytes_naming_column_and_row(code, at):
    with pytest.raises(danmark.DataError, match="bytes, not text") as err:
        danmark.split_national(_table(code, at))
    assert err.value.column == "kommunekode" and err.value.row == 10 * at


@settings(max_examples=15, deadline=None)
@given(code=BYTES, at=st.integers(0, 7))
def test_the_analyses_refuse_a_bytes_kommunekode(code, at):
    table = _table(code, at)
    for call in (lambda: danmark.fit_prior(table), lambda: danmark.shrink(table),
                 lambda: danmark.fit_prior(table, formula="~ np.log(population)")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(danmark.DataError) as err:
                call()
        assert err.value.column == "kommunekode" and err.value.row == 10 * at


@pytest.mark.parametrize("value", [b"\xff", b"269", bytearray(b"269"), memoryview(b"Solr\xc3\xb8d")])
def test_normalize_kommune_refuses_bytes(value):
    with pytest.raises(danmark.DataError, match="bytes, not text") as err:
        danmark.normalize_kommune(value, file="f.csv", row=7, column="kommune")
    assert (err.value.row, err.value.column) == (7, "kommune")


@pytest.mark.parametrize("value", [b"\xff", b"269"])
def test_validate_cases_refuses_bytes_with_its_row(value):
    raw = pd.DataFrame({"kommunekode": ["269", value], "period": ["2022"] * 2, "area": ["x"] * 2,
                        "stadfaestet": [1, 2], "aendret": [0, 0], "hjemvist": [0, 0], "source": ["s"] * 2})
    with pytest.raises(danmark.DataError) as err:
        danmark.validate_cases(raw)
    assert err.value.column == "kommunekode" and err.value.row == 3


def test_check_no_bytes_names_the_file_line_with_an_offset():
    check_no_bytes(pd.Series(["269", 101, None]), "kommunekode")
    with pytest.raises(danmark.DataError) as err:
        check_no_bytes(pd.Series(["269", b"x"], index=[7, 8]), "kommune", file="f.csv", row_offset=2)
    assert (err.value.row, err.value.column) == (3, "kommune") and "f.csv" in str(err.value)
