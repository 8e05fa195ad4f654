"""Recognising a file's layout from its first rows, and the Talportal's field names."""

from __future__ import annotations

from ..errors import DataError
from ..table.periods import parse_period
from ._text import fold

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
    "total": ("antal_sager_ialt", "antal_sager_i_alt", "sager_i_alt", "antal_sager", "afgjorte_sager"),
    "tid": ("sagsbehandlingstid",),
    # the measures of the Talportal's two downloads (CSV-fil and XLSX)
    "lovgivning": ("lovgivning",),
    "real": ("realitetsbehandlede_sager_i_alt", "realitetsbehandlede_sager", "realitetsbehandlede"),
    "pct_stadfaestet": ("stadfaestelsesprocent",),
    "pct_omgjort": ("omgoerelsesprocent",),
    "pct_aendret": ("aendrings_ophaevelsesprocent", "aendringsprocent"),
    "pct_hjemvist": ("hjemvisningsprocent",),
    "pct_afvist": ("afvisningsprocent",),
}
# the download's own names for the counts
for _field, _name in (("stadfaestet", "stadfaestede_sager"), ("aendret", "aendrede_ophaevede_sager"),
                      ("hjemvist", "hjemviste_sager"), ("afvist", "afviste_sager")):
    _TP_FIELDS[_field] += (_name,)
TP_NAMES = {
    "kommune": "Kommune",
    "periode": "periode",
    "afvist": "Afvisning.Henvisning",
    "hjemvist": "Hjemvisning",
    "stadfaestet": "Stadfæstelse",
    "aendret": "Ændring.Ophævelse",
    "total": "Antal_sager_ialt",
    "real": "Realitetsbehandlede sager i alt",
}
#: counts, with "." / NA / 0 (Excel) meaning no cases
_TP_COUNTS = ("stadfaestet", "aendret", "hjemvist", "afvist", "total")
#: percentages of realitetsbehandlede sager, and what each is a percentage of
TP_PERCENTS = {
    "pct_stadfaestet": "stadfaestet",
    "pct_omgjort": "omgjort",
    "pct_aendret": "aendret",
    "pct_hjemvist": "hjemvist",
    "pct_afvist": "afvist",
}
TP_MEASURES = (*_TP_COUNTS, "real", *TP_PERCENTS, "tid")
_TP_LOOKUP = {alias: field for field, aliases in _TP_FIELDS.items() for alias in aliases}


def tp_field(cell) -> str | None:
    return _TP_LOOKUP.get(fold(cell))


def looks_like_period(cell) -> bool:
    try:
        parse_period(cell)
    except DataError:
        return False
    return True


def carried(row: list[str], width: int) -> list[str]:
    """Header cells from column 3 on, each blank carried over from the cell before it.

    Excel's merged header cells keep their text in the first cell only.
    """
    out, current = [], ""
    for j in range(width):
        cell = (row[j] if j < len(row) else "").strip()
        if j >= 2 and cell:
            current = cell
        out.append(cell if j < 2 else current)
    return out


def two_row_header(r1: list[str], r2: list[str]) -> tuple[list[str], list[str]] | None:
    """(measure row, period row), merged cells carried over, when r1/r2 are the Excel download's header.

    The download puts the row labels (Sagsemne and Kommune, either order) in
    the first two columns and, from column 3 on, either the measures over the
    periods or the periods over the measures; the upper row's cells are merged.
    """
    width = max(len(r1), len(r2))
    rows = carried(r1, width), carried(r2, width)
    labels = {tp_field(c) for c in rows[0][:2] + rows[1][:2]}
    if "kommune" not in labels:
        return None
    for meas_row, per_row in (rows, rows[::-1]):
        fields = [tp_field(c) for c in meas_row[2:]]
        cells = [c for c in per_row[2:] if c]
        if cells and any(f in TP_MEASURES for f in fields) and all(looks_like_period(c) for c in cells):
            return meas_row, per_row
    return None


def detect_layout(rows: list[list[str]]) -> str | None:
    """Name the layout of a file from its first rows (None: not recognised)."""
    if not rows:
        return None
    top = [fold(c) for c in rows[0]]
    fields = [tp_field(c) for c in rows[0]]
    measures = {f for f in fields if f in TP_MEASURES}
    if {"period", "area"} <= set(top) and len({"stadfaestet", "aendret", "hjemvist"} & set(top)) >= 2 and (
        "kommunekode" in top or "kommune" in top
    ):
        return "tidy"
    if "kommune" in fields and measures and ("periode" in fields or "aar" in fields):
        return "talportal"
    if len(rows) >= 2 and two_row_header(rows[0], rows[1]) is not None:
        return "talportal_excel"
    if "indhold" in top:
        return "statbank"
    return None


LAYOUT_HINT = {
    "tidy": "this is danmark's tidy table: read it with danmark.read_cases",
    "talportal": "this looks like a Talportal export: read it with danmark.read_talportal",
    "talportal_excel": "this looks like a Talportal Excel export: read it with danmark.read_talportal",
    "statbank": "this looks like a Statistikbank table: read it with danmark.read_statbank",
}


def wrong_format(file, header, expected: str, layout=None) -> DataError:
    hint = LAYOUT_HINT.get(layout, "")
    found = ", ".join(repr(h) for h in header[:12] if h) or "nothing"
    return DataError(
        f"not {expected}: found columns {found}" + (f"; {hint}" if hint else ""),
        file=file,
    )


