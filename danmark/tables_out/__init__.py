"""Tables out: every kommune's numbers of a download as one table, a workbook, a CSV and a map.

A view layer above :mod:`danmark.report`: :func:`estimates_table` is the report's table
(:func:`danmark.report.report_table`), and everything here only formats it:
:func:`write_workbook` / :func:`write_csv` (``danmark tabel``), :func:`estimates_map_html` (the map
and a sortable table for a page) and, in :mod:`danmark.plotting`, ``estimates_map``.
"""

from __future__ import annotations

from .command import add_tabel_parser, run_tabel
from .map_html import estimates_map_html
from .table import COLUMNS, REPORT_COLUMNS, danish_view, estimates_table
from .workbook import table_sources, write_csv, write_table, write_workbook

__all__ = ["COLUMNS", "REPORT_COLUMNS", "estimates_table", "danish_view", "write_workbook", "write_csv",
           "write_table", "table_sources", "estimates_map_html", "add_tabel_parser", "run_tabel"]
