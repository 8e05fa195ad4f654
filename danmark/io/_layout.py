"""Recognising a file's layout from its first rows, and the Talportal's field names."""

from __future__ import annotations

from ..errors import DataError
from ..periods import parse_period
from ._text import _fold

# --------------------------------------------------------------------------- recognising formats

_TP_FIELDS = {
    "sagsemne": ("sagsemne", "emne"),
    "kommune": ("kommune", "kommunenavn"),
    "periode": ("periode", "period"),
    "aar": ("aar", "year"),
    "kvartal": ("kvartal", "quarter"),
    "afvist": ("afvisning_henvisning", "afvisning", "afvist_henvist"),
    "hjemvist": ("hjemvisning", "hjemvist"),
    "stadfaestet": ("stadfaestelse", "stadfaestet"),
    "aendret": ("aendring_ophaevelse", "aendring", "aendret_ophaevet"),
    "total": ("antal_sager_ialt", "antal_sager_i_alt", "sager_i_alt", "antal_sager"),
    "tid": ("sagsbehandlingstid",),
}
_TP_NAMES = {
    "kommune": "Kommune",
    "periode": "periode",
    "afvist": "Afvisning.Henvisning",
    "hjemvist": "Hjemvisning",
    "stadfaestet": "Stadfæstelse",
    "aendret": "Ændring.Ophævelse",
    "total": "Antal_sager_ialt",
}
_TP_MEASURES = ("afvist", "hjemvist", "stadfaestet", "aendret", "total", "tid")
_TP_LOOKUP = {alias: field for field, aliases in _TP_FIELDS.items() for alias in aliases}


def _tp_field(cell) -> str | None:
    return _TP_LOOKUP.get(_fold(cell))


def _looks_like_period(cell) -> bool:
    try:
        parse_period(cell)
    except DataError:
        return False
    return True


def _measure_columns(meas_row: list[str], width: int) -> dict[int, str]:
    """Column -> measure field, carrying a measure over the blank cells Excel leaves after it."""
    out, current = {}, None
    for j in range(width):
        cell = meas_row[j] if j < len(meas_row) else ""
        if cell.strip():
            f = _tp_field(cell)
            current = f if f in _TP_MEASURES else None
        if current is not None:
            out[j] = current
    return out


def _two_row_header(r1: list[str], r2: list[str]) -> tuple[list[str], list[str]] | None:
    """(measure row, period row) when r1/r2 are the Excel export's two header rows."""
    width = max(len(r1), len(r2))
    r1 = r1 + [""] * (width - len(r1))
    r2 = r2 + [""] * (width - len(r2))
    for meas_row, per_row in ((r1, r2), (r2, r1)):
        cols = _measure_columns(meas_row, width)
        if len(set(cols.values())) < 2:
            continue
        cells = [per_row[j].strip() for j in cols]
        if all(c == "" or _looks_like_period(c) for c in cells) and any(cells):
            if any(_tp_field(c) == "kommune" for c in r1 + r2):
                return meas_row, per_row
    return None


def _layout(rows: list[list[str]]) -> str | None:
    """Name the layout of a file from its first rows (None: not recognised)."""
    if not rows:
        return None
    top = [_fold(c) for c in rows[0]]
    fields = [_tp_field(c) for c in rows[0]]
    measures = {f for f in fields if f in _TP_MEASURES}
    if {"period", "area", "stadfaestet", "aendret", "hjemvist"} <= set(top) and (
        "kommunekode" in top or "kommune" in top
    ):
        return "tidy"
    if "kommune" in fields and len(measures) >= 2 and ("periode" in fields or "aar" in fields):
        return "talportal"
    if len(rows) >= 2 and _two_row_header(rows[0], rows[1]) is not None:
        return "talportal_excel"
    if "indhold" in top:
        return "statbank"
    return None


_LAYOUT_HINT = {
    "tidy": "this is danmark's tidy table: read it with danmark.read_cases",
    "talportal": "this looks like a Talportal export: read it with danmark.read_talportal",
    "talportal_excel": "this looks like a Talportal Excel export: read it with danmark.read_talportal",
    "statbank": "this looks like a Statistikbank table: read it with danmark.read_statbank",
}


def _neither(file, header, expected: str, layout=None) -> DataError:
    hint = _LAYOUT_HINT.get(layout, "")
    found = ", ".join(repr(h) for h in header[:12] if h) or "nothing"
    return DataError(
        f"not {expected}: found columns {found}" + (f"; {hint}" if hint else ""),
        file=file,
    )


