"""Tables for readers: Danish column names, decimal commas, percentages, no NaN.

:func:`danish_table` turns a result DataFrame into a pandas ``Styler`` for a
notebook or a page: columns renamed for display only (the data keep their
English names), numbers with a decimal comma and a thousands point, chosen
columns shown as percentages, and missing values shown as a dash (or a given
text) instead of ``NaN`` / ``<NA>``. The table's HTML ids are fixed, so the
same table renders to the same HTML every run (nbval compares outputs).
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from ..errors import DataError

__all__ = ["danish_table", "danish_number"]


def danish_number(value, *, decimals: int = 1, percent: bool = False, missing: str = "–") -> str:
    """One number as Danish text: ``1234.5 -> '1.234,5'``; proportions as percent with ``percent=True``.

    Whole numbers keep no decimals; trailing zeros are kept (a column reads evenly).

    Examples
    --------
    >>> danish_number(8631), danish_number(0.7143, percent=True), danish_number(float("nan"))
    ('8.631', '71,4 %', '–')
    """
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return missing
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Number):
        return str(value)
    if percent:
        return f"{danish_number(100 * float(value), decimals=decimals)} %"
    if isinstance(value, numbers.Integral):
        text = f"{int(value):,}"
    elif not np.isfinite(value):
        return "∞" if value > 0 else "−∞"
    else:
        text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".").replace("-", "−")


def _label_text(value, decimals: int, missing: str):
    """An index label as Danish text: whole numbers without decimals (years, n, prior strengths)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return missing
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Number):
        return value
    if float(value).is_integer():
        return str(int(value))
    return f"{float(value):.{decimals}f}".rstrip("0").replace(".", ",")


def danish_table(df: pd.DataFrame, *, columns=None, percent=(), decimals=1, percent_decimals: int = 1,
                 missing: str = "–", index: bool = True, table_id: str = "t"):
    """A Styler showing *df* with Danish headers and numbers.

    Parameters
    ----------
    df : DataFrame
    columns : dict, optional
        ``{column: Danish header}``; columns not named keep their name. Only
        the named columns are shown when given (in that order), so a table
        shows what the prose talks about.
    percent : sequence of str
        Columns holding proportions, shown as percent ("71,4 %").
    decimals : int or dict
        Decimals for non-integer numbers, overall or per column.
    percent_decimals : int
        Decimals of the percent columns.
    missing : str
        Text for missing values.
    index : bool
        Show the index (its name is kept; rename it with ``rename_axis``);
        numeric labels are written the Danish way too.
    table_id : str
        Fixed HTML id of the table (nbval compares the HTML).

    Booleans are shown as "ja"/"nej".

    Examples
    --------
    >>> t = pd.DataFrame({"n": [14, 64], "raw": [10 / 14, None]}, index=["Solrød", "Sorø"])
    >>> html = danish_table(t, columns={"n": "sager", "raw": "omgørelsesprocent"}, percent=["raw"]).to_html()
    >>> "71,4 %" in html and "sager" in html and "nan" not in html.lower()
    True
    >>> html = danish_table(pd.DataFrame({"sager": [8631], "x": [1.25], "ok": [True]}), decimals=2).to_html()
    >>> "8.631" in html, "1,25" in html, "ja" in html
    (True, True, True)
    """
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"danish_table needs a DataFrame; got {type(df).__name__}")
    columns = dict(columns or {})
    unknown = [c for c in list(columns) + list(percent) if c not in df.columns]
    if unknown:
        raise DataError(f"danish_table: no column(s) {unknown} in the table", column=str(unknown[0]))
    shown = df[list(columns)] if columns else df
    formatters = {}
    for col in shown.columns:
        if pd.api.types.is_bool_dtype(shown[col].dtype):
            formatters[col] = lambda v: missing if pd.isna(v) else ("ja" if v else "nej")
            continue
        is_pct = col in percent
        dec = percent_decimals if is_pct else (decimals.get(col, 1) if isinstance(decimals, dict) else decimals)
        formatters[col] = (lambda v, d=dec, p=is_pct: danish_number(v, decimals=d, percent=p, missing=missing))
    label_decimals = 3 if isinstance(decimals, dict) else max(decimals, 1)
    styler = shown.style.format(formatters).set_uuid(table_id)
    for axis in (0, 1):
        styler = styler.format_index(lambda v: _label_text(v, label_decimals, missing), axis=axis)
    if columns:
        styler = styler.relabel_index([columns.get(c, c) for c in shown.columns], axis=1)
    if not index:
        styler = styler.hide(axis="index")
    return styler
