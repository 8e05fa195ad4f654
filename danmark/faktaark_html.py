"""The faktaark's HTML pieces: its style sheet, the download guide, tables and checkable numbers.

Pure HTML, no numbers computed or worded here: :mod:`danmark.report` computes, its
:mod:`~danmark.table.words` words the numbers, :mod:`danmark.faktaark_page` assembles the page.

Examples
--------
>>> v("n", 14)
'<span data-k="n" data-v="14">14</span>'
"""

from __future__ import annotations

import html

from .table.words import FLAGS  # noqa: F401 (re-exported for the pages)

__all__ = ["FLAGS", "GUIDE", "CSS", "v", "head", "table", "row"]

#: funnel_flags' flags in Danish
GUIDE = """<ol><li>Åbn Ankestyrelsens <b>Talportal</b> (linket fra ast.dk): <i>Sagsudfald og omgørelsesprocenter</i> →
<i>KSB-sager</i>.</li><li><i>Vælg lovgivning</i>, fx Serviceloven og de sagsemner, der skal med.</li><li><i>Vælg kommune</i>:
alle kommuner, og sæt også flueben ved <i>Hele landet</i>.</li><li><i>Vælg periode</i>: år eller kvartaler.</li><li>Under
<i>Tabel</i>: sæt flueben ved <b>Stadfæstede sager</b>, <b>Ændrede/ophævede sager</b>, <b>Hjemviste sager</b> og <b>Afviste
sager</b>.</li><li><i>Download data</i> → <i>Eksport af tabel/data</i> → <b>CSV-fil</b> eller <b>XLSX (Excel)</b>.</li></ol>
<p>Kør derefter <code>danmark faktaark {name} --data data.csv</code>. Vejledningen står også i danmarks README, afsnittet
»Getting the official data«.</p>"""
CSS = """@page{size:A4;margin:10mm 11mm}*{box-sizing:border-box}body{font:8.6pt/1.3 "DejaVu Sans",Arial,
sans-serif;color:#111;max-width:190mm;margin:0 auto;padding:3mm}h1{font-size:14pt;margin:0 0 1mm}h2{font-size:10pt;
margin:2.5mm 0 1mm;border-bottom:1px solid #999;break-after:avoid}p{margin:.8mm 0}.sub{color:#333;margin:0 0 1.5mm}
.box{background:#f2f2f2;padding:1.5mm 3mm;border-left:3px solid #0072B2}.warn{background:#fde2cf;border:2px solid
#D55E00;padding:1mm 3mm;font-weight:bold;margin:1.5mm 0}table{border-collapse:collapse;margin:.8mm 0;font-size:8pt}
td,th{padding:.3mm 1.6mm;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}th{background:#eee}
td.r,th.r{text-align:right;white-space:nowrap}.grid{display:flex;gap:4mm;align-items:flex-start}.grid>*{flex:1 1 0;
min-width:0}svg{max-width:100%;height:auto}figure{margin:0;break-inside:avoid}.small,.src{font-size:7pt;color:#333}
.src li{margin:0}.sens{flex:1.2}.sens table{font-size:7.2pt}section{break-inside:avoid-page}code{font-size:7.6pt}footer{margin-top:1.5mm;font-size:6.8pt;color:#555}"""


# ------------------------------------------------------------------ pieces


def v(key: str, value, text: str | None = None) -> str:
    """A shown number with its exact value for checking: ``<span data-k data-v>text</span>``."""
    value = value.item() if hasattr(value, "item") else value  # numpy scalars as Python numbers
    shown = html.escape(text if text is not None else str(value))
    return f'<span data-k="{key}" data-v="{html.escape(repr(value))}">{shown}</span>' if value is not None else shown


def head(title: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="da"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head><body>')


def table(head: list[str], rows, right=()) -> str:
    """An HTML table; the columns numbered in *right* are right-aligned numbers."""
    c = [" class='r'" if j in right else "" for j in range(len(head))]
    return ("<table><tr>" + "".join(f"<th{c[j]}>{h}</th>" for j, h in enumerate(head)) + "</tr>" + "".join(
        "<tr>" + "".join(f"<td{c[j]}>{x}</td>" for j, x in enumerate(r)) + "</tr>" for r in rows) + "</table>")


def row(label: str, value: str, text: str, marks: str = "") -> str:
    marks = f" <span class='small'>{marks}</span>" if marks else ""
    return f"<tr><th>{label}</th><td class='r'>{value}</td><td>{text}{marks}</td></tr>"
