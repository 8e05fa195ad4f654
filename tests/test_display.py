"""danish_table / danish_number: what a reader sees is Danish, with no NaN."""

import numpy as np
import pandas as pd
import pytest

import danmark
from danmark.errors import DataError


def test_danish_number():
    n = danmark.danish_number
    assert n(8631) == "8.631" and n(1234.56) == "1.234,6" and n(-2.5) == "−2,5"
    assert n(0.459, percent=True) == "45,9 %" and n(np.nan) == "–" and n(pd.NA) == "–" and n(None, missing="x") == "x"
    assert n(np.inf) == "∞" and n("tekst") == "tekst" and n(np.int64(12)) == "12"


def test_danish_table_headers_percent_and_missing():
    t = pd.DataFrame({"n": [14, 64], "raw": [10 / 14, np.nan], "note": ["a", None]}, index=["Solrød", "Sorø"])
    html = danmark.danish_table(t, columns={"raw": "omgørelsesprocent", "n": "sager"}, percent=["raw"]).to_html()
    assert "omgørelsesprocent" in html and "71,4 %" in html and "note" not in html
    assert "nan" not in html.lower() and "&lt;NA&gt;" not in html
    assert html == danmark.danish_table(t, columns={"raw": "omgørelsesprocent", "n": "sager"},
                                        percent=["raw"]).to_html()  # same HTML every run
    with pytest.raises(DataError):
        danmark.danish_table(t, columns={"nope": "x"})
    with pytest.raises(DataError):
        danmark.danish_table([1, 2])
