"""The honest Danmarkskort as an HTML block: the map as inline SVG and a sortable table of all kommuner.

:func:`estimates_map_html` returns a ``<section>`` to put in a page (the faktaark index): nothing in
it is fetched from the network; the table sorts by a click on a column header with a few lines of
inline JavaScript, and reads in full without it.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from .table import TOP, area_da, flag_da, period_da

__all__ = ["estimates_map_html", "SORT_SCRIPT", "SORT_CSS"]

#: the few lines of inline JavaScript that sort a ``table.dk-sortable`` by a click on a header (by ``data-v``)
SORT_SCRIPT = """<script>(function(){document.querySelectorAll("table.dk-sortable").forEach(function(t){
var hs=t.querySelectorAll("thead th");hs.forEach(function(th,i){th.addEventListener("click",function(){
var down=th.getAttribute("aria-sort")==="ascending";hs.forEach(function(h){h.removeAttribute("aria-sort");});
th.setAttribute("aria-sort",down?"descending":"ascending");var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows);
rows.sort(function(x,y){var a=x.cells[i].getAttribute("data-v"),c=y.cells[i].getAttribute("data-v");
var na=a===""?NaN:Number(a),nc=c===""?NaN:Number(c),r;if(isNaN(na)||isNaN(nc)){if(isNaN(na)&&!isNaN(nc))return 1;
if(!isNaN(na)&&isNaN(nc))return -1;r=String(a).localeCompare(String(c),"da");}else{r=na-nc;}return down?-r:r;});
rows.forEach(function(r){b.appendChild(r);});});});});})();</script>"""
#: the map block's style, with the sortable table's header marks
SORT_CSS = ("<style>.dk-map figure{margin:0}.dk-map svg{max-width:100%;height:auto}table.dk-sortable th{cursor:pointer;"
        "user-select:none}table.dk-sortable th[aria-sort=ascending]::after{content:' ▲'}"
        "table.dk-sortable th[aria-sort=descending]::after{content:' ▼'}table.dk-sortable td.r{text-align:right;"
        "white-space:nowrap}</style>")


def _pct(x) -> str:
    return "–" if x is None or pd.isna(x) else f"{100 * float(x):.1f} %".replace(".", ",")


def _num(x, digits=2) -> str:
    return "–" if x is None or pd.isna(x) else f"{float(x):.{digits}f}".replace(".", ",")


def _cell(text: str, value, right: bool = False) -> str:
    v = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
    if isinstance(v, float | np.floating):
        v = repr(float(v))
    cls = " class='r'" if right else ""
    return f"<td{cls} data-v=\"{html.escape(str(v))}\">{text}</td>"


def estimates_map_html(table: pd.DataFrame, *, area=None, period=None, min_cases=None, link=None,
                       data_name=None, with_table: bool = True) -> str:
    """The map of P(above the reference) as inline SVG, and beneath it a sortable table of all kommuner.

    Parameters
    ----------
    table : DataFrame
        :func:`danmark.estimates_table`; one area and period is shown (chosen as
        :func:`danmark.plotting.maps.map_field` does when *area* / *period* are not given).
    min_cases : int, optional
        Kommuner under this many cases are hatched (default ``plotting.maps.MIN_CASES``).
    link : callable, optional
        ``link(kommunekode, kommune) -> href``: the kommune's name links there (e.g. its faktaark).
    data_name : str, optional
        The download's file name, named in the "Kilde:" line.
    with_table : bool
        Also the sortable table of the kommuner beneath the map (False: the map alone, for a page that
        has its own table, e.g. the faktaark index).

    Returns
    -------
    str
        ``<section class="dk-map">`` with a ``<figure>`` (inline SVG, "Kilde:" line, caption) and a
        ``<table class="dk-sortable">``; each cell's exact value is in ``data-v`` (numbers sort as numbers).

    Examples
    --------
    >>> t = pd.DataFrame({"kommunekode": ["101", "269"], "official_name": ["Københavns Kommune", "Solrød Kommune"],
    ...                   "area": "voksenhandicap", "period": "2024", "n": [400, 4], "omgjort": [120, 3],
    ...                   "raw": [0.3, 0.75], "prob_above": [0.01, 0.6]})
    >>> page = estimates_map_html(t)
    >>> page.count("<svg"), page.count("<tr>"), "https://" in page.split("</figure>")[1]
    (1, 3, False)
    """
    import matplotlib.pyplot as plt

    from ..plotting import style
    from ..plotting.kommune import inline_svg
    from ..plotting.maps import MIN_CASES, estimates_map, map_field

    min_cases = MIN_CASES if min_cases is None else min_cases
    field = map_field(table, area, period)
    a, p = field["area"].iloc[0], field["period"].iloc[0]
    title = f"Danmarkskort: {area_da(a)}, {period_da(p)}, farvet efter sandsynligheden for at ligge over landsgennemsnittet"
    source = _source(data_name)
    with style():
        fig, ax = plt.subplots(figsize=(7.6, 6.2))
        estimates_map(field, ax=ax, min_cases=min_cases, source=None)
        svg = inline_svg(fig, source, "danmarkskort", title, margins=(0.1, 0.75, 1.9, 0.3))
    ref = [str(x) for x in field.get("reference_text", pd.Series(dtype=str)).dropna().unique() if str(x)]
    caption = (f"<figcaption>Farven er sandsynligheden for, at kommunens sande omgørelsesprocent ligger over "
               f"landsgennemsnittet (rød: næsten sikkert over, blå: næsten sikkert under, lys: tallene siger ikke "
               f"meget), ikke den rå procent. Skraveret: under {min_cases} realitetsbehandlede sager. "
               + (f"Landsgennemsnit: {html.escape(ref[0])}" if len(ref) == 1 else "")
               + (" <b>SYNTETISKE DATA: ikke Ankestyrelsens tal.</b>" if "synthetic" in str(data_name).lower() else "")
               + "</figcaption>")
    return (f"<section class='dk-map'>{SORT_CSS}<figure>{svg}{caption}</figure>"
            + (_table(field, link) + SORT_SCRIPT if with_table else "") + "</section>")


def _source(data_name) -> str:
    where = f" (filen {data_name})" if data_name else ""
    return (f"Ankestyrelsens Talportal{where}, beregnet med danmark; kommunegrænser: DAGI, Styrelsen for "
            "Dataforsyning og Infrastruktur")


def _table(field: pd.DataFrame, link) -> str:
    head = ["kommune", "realitets&shy;behandlede sager", "omgjort", "omgørelses&shy;procent", "eksakt interval",
            "justeret skøn", "P(over landsgns.)", "tragtdiagram (med overspredning)", "rang (interval)",
            f"P(top {TOP})", "karakter"]
    right = {1, 2, 3, 4, 5, 6, 8, 9, 10}

    def get(r, name):
        return r.get(name, None)

    rows = []
    name_col = "official_name" if "official_name" in field.columns else "kommune"
    for _, r in field.sort_values(name_col, key=lambda s: s.astype(str).str.lower()).iterrows():
        name = html.escape(str(r[name_col]))
        if link is not None:
            name = f"<a href='{html.escape(str(link(str(r['kommunekode']), str(r.get('kommune', r[name_col])))))}'>{name}</a>"
        n, k = get(r, "n"), get(r, "omgjort")
        lo, hi = get(r, "lower"), get(r, "upper")
        rank = get(r, "median_rank")
        rank_text = "–" if rank is None or pd.isna(rank) else (
            f"{_num(rank, 0 if float(rank).is_integer() else 1)} ({_num(get(r, 'rank_lower'), 0)}–"
            f"{_num(get(r, 'rank_upper'), 0)})")
        grade = get(r, "grade")
        cells = [
            _cell(name, str(r[name_col])),
            _cell("–" if n is None or pd.isna(n) else str(int(n)), n if n is None or pd.isna(n) else int(n), True),
            _cell("–" if k is None or pd.isna(k) else str(int(k)), k if k is None or pd.isna(k) else int(k), True),
            _cell(_pct(get(r, "raw")), get(r, "raw"), True),
            _cell("–" if lo is None or pd.isna(lo) else f"{_pct(lo)[:-2]}–{_pct(hi)}", lo, True),
            _cell(_pct(get(r, "estimate")), get(r, "estimate"), True),
            _cell(_num(get(r, "prob_above")), get(r, "prob_above"), True),
            _cell(html.escape(flag_da(get(r, "flag_od"))) or "–", flag_da(get(r, "flag_od"))),
            _cell(rank_text, rank, True),
            _cell(_num(get(r, "p_top")), get(r, "p_top"), True),
            _cell("–" if grade is None or pd.isna(grade) else str(int(grade)),
                  grade if grade is None or pd.isna(grade) else int(grade), True),
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    th = "".join(f"<th{' class=r' if j in right else ''} scope='col' title='klik for at sortere'>{h}</th>"
                 for j, h in enumerate(head))
    return (f"<table class='dk-sortable'><thead><tr>{th}</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
