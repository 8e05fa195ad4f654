"""Command line: ``danmark report KOMMUNE``, ``danmark faktaark KOMMUNE``, ``danmark national``, ``danmark sources``.

Run ``danmark --help`` or ``danmark report --help``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap

import pandas as pd

from .errors import ArgumentError, DataError
from .stats.shrinkage import DEFAULT_PRIOR_STRENGTH


class _CliError(Exception):
    """A mistake on the command line itself, worded in Danish (printed as it is)."""


def error_line(err: Exception) -> str:
    """The one Danish line the CLI prints for an error, never mixing languages within a phrase.

    The library's messages are English (located: file, row, column); the CLI
    leads with a short Danish phrase for the kind of error and gives the
    library's detail in parentheses, marked as English. Mistakes in the
    command line itself are worded in Danish throughout.

    Examples
    --------
    >>> error_line(DataError("k = 5 exceeds n = 3", row=2, column="k"))
    "danmark: fejl: data kan ikke bruges (engelsk detalje: row 2, column 'k': k = 5 exceeds n = 3)"
    >>> error_line(ArgumentError("level must lie in (0, 1); got 95", column="level"))
    "danmark: fejl: ugyldig indstilling (engelsk detalje: argument 'level': level must lie in (0, 1); got 95)"
    """
    detail = " ".join(str(err).split())
    if isinstance(err, _CliError):
        return f"danmark: fejl: {detail}"
    if isinstance(err, ArgumentError):
        lead = "ugyldig indstilling"
    elif getattr(err, "file", None):
        lead = "filen kan ikke bruges"
    else:
        lead = "data kan ikke bruges"
    return f"danmark: fejl: {lead} (engelsk detalje: {detail})"


def _pct(x) -> str:
    """A proportion as Danish percent: 0.714 -> "71,4 %"."""
    return "–" if x is None or pd.isna(x) else f"{100 * x:.1f} %".replace(".", ",")


def _num(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}f}".replace(".", ",")


def _interval(lo_hi) -> str:
    lo, hi = lo_hi
    return f"{_pct(lo)[:-2]}–{_pct(hi)}"


def _area_label(area: str) -> str:
    return {"voksenhandicap": "Voksenhandicap", "boernehandicap": "Børnehandicap",
            "socialomraadet": "Socialområdet"}.get(area, area)


def _source_line(row) -> str:
    date = f" ({row['date']})" if row["date"] else ""
    where = f", {row['url_or_document']}" if row["url_or_document"] else ""
    second = " (sekundær kilde: andres gengivelse af officielle tal)" if str(row["source_type"]).startswith("secondary") else ""
    return f"  Kilde: {row['publisher']}: {row['title']}{date}{where}{second}"


def format_report(rep) -> str:
    """The Danish text of a :class:`danmark.report.KommuneReport`, as ``danmark report`` prints it."""
    pct = f"{round(100 * rep.level)} %"
    out = [f"{rep.kommune} Kommune (kommunekode {rep.kommunekode}), {rep.region}"
           if rep.kommunekode != "000" else "Hele landet"]
    if rep.data:
        out.append(f"Data: {rep.data}")
    for a in rep.areas:
        out.append("")
        scope = f"  (som offentliggjort: {a.scope})" if a.scope else ""
        out.append(f"{_area_label(a.area)}, {a.period}{scope}")
        split = (f"ændret {a.aendret}, hjemvist {a.hjemvist}" if a.aendret is not None
                 else f"ændret + hjemvist {a.omgjort}; fordelingen står ikke i filen")
        afvist = "" if a.afvist is None else f"; afviste sager: {a.afvist}"
        out.append(f"  Realitetsbehandlede sager: {a.n} (stadfæstet {a.stadfaestet}, {split}{afvist})")
        if not a.n:
            out.append("  Ingen realitetsbehandlede sager: ingen omgørelsesprocent")
            continue
        out.append(f"  Omgørelsesprocent: {a.omgjort} af {a.n} = {_pct(a.rate)}; {pct}-interval "
                   f"{_interval(a.wilson)} (Wilson), {_interval(a.exact)} (eksakt)")
        if a.national.empty:
            out.append(f"  Landsgennemsnit for {a.area}: ikke i de medfølgende data")
        else:
            years = ", ".join(f"{p}: {_pct(v / 100)}" for p, v in zip(a.national["period"], a.national["omg_pct"], strict=True))
            if a.national_is_latest_earlier:
                out.append(f"  Landsgennemsnit: intet tal for {a.period}; seneste tidligere år {years}")
            else:
                missing = f" (intet tal for {', '.join(a.national_missing)})" if a.national_missing else ""
                out.append(f"  Landsgennemsnit: {years}{missing}")
            out.append(f"  Justeret skøn (den rå procent trukket mod landsgennemsnittet, mere jo færre sager): "
                       f"{_pct(a.shrunk[0])} ({pct}-interval {_interval(a.shrunk[1:])})")
            other = ", ".join(f"{_num(p)} ved {s:g}" for s, p in a.prob_above_other.items())
            out.append(f"  Sandsynlighed for at den sande omgørelsesprocent er over {_pct(a.reference)}: "
                       f"{_num(a.prob_above)}" + (f" ({other} sagers vægt)" if other else ""))
            basis = ("seneste landsgennemsnit" if a.national_is_latest_earlier else
                     "landsgennemsnittet" if len(a.national) == 1 else "gennemsnittet af årenes landsgennemsnit")
            out.append(f"  Antagelse: forhåndsfordeling centreret på {basis}, {_pct(a.reference)}, med vægt som "
                       f"{rep.prior_strength:g} sager, Beta({_num(a.prior.alpha, 1)}; {_num(a.prior.beta, 1)}); "
                       "ændres med --prior-strength")
        size_prior = _size_prior_line(a.size_prior, pct)
        if size_prior:
            out.append(size_prior)
        for _, row in a.sources.iterrows():
            out.append(_source_line(row))
    return "\n".join(out)


def _size_prior_line(sp, pct: str) -> str | None:
    """One line on the prior of kommuner of the same size (only with a full download)."""
    if sp is None:
        return None
    if sp.error:
        return f"  Prior efter kommunens størrelse: kunne ikke beregnes (engelsk detalje: {sp.error})"
    verdict = ("størrelsen forklarer ikke forskellene, den faste forhåndsfordeling står" if not sp.size_matters
               else "størrelsen forklarer en del af forskellene")
    head = f"  Prior efter kommunens størrelse ({sp.units} kommuner i udtrækket): forventet {_pct(sp.mean)}"
    test = f"test mod den faste forhåndsfordeling p = {_num(sp.lr.pvalue)}: {verdict}"
    if sp.no_spread:  # the posterior is the prior's point
        return (f"{head}; kommunerne spreder sig ikke mere end tilfældet omkring den, så modellen trækker "
                f"kommunen helt ind til den (et skøn, der ikke skelner mellem kommuner); {test}")
    above = (f"; sandsynlighed for over {_pct(sp.reference)}: {_num(sp.prob_above)}"
             if sp.prob_above is not None and sp.reference is not None else "")
    return f"{head}; justeret skøn {_pct(sp.shrunk[0])} ({pct}-interval {_interval(sp.shrunk[1:])}){above}; {test}"


def report(kommune: str, area: str | None = None, data: str | None = None,
           prior_strength: float = DEFAULT_PRIOR_STRENGTH, level: float = 0.95) -> str:
    """The Danish text of ``danmark report`` for one kommune (see :func:`danmark.report.kommune_report`).

    Examples
    --------
    >>> print(report("Solrød").splitlines()[0])
    Solrød Kommune (kommunekode 269), Region Sjælland
    """
    from .report import kommune_report

    return format_report(kommune_report(kommune, area=area, data=data, prior_strength=prior_strength, level=level))


def _national(area: str | None) -> str:
    from .io.bundle import load_national, load_sources

    nat = load_national(preferred_only=True)
    publisher = dict(zip(load_sources()["key"], load_sources()["publisher"], strict=True))
    if area:
        known = sorted(nat["area"].unique())
        if area not in known:
            raise _CliError(f"ukendt område {area!r}; de medfølgende landstal dækker: {', '.join(known)}")
        nat = nat[nat["area"] == area]
    table = pd.DataFrame({
        "periode": nat["period"],
        "område": nat["area"],
        "omgørelsesprocent": [_pct(v / 100) for v in nat["omg_pct"]],
        "ændret": [_pct(v / 100) for v in nat["pct_aendret"]],
        "hjemvist": [_pct(v / 100) for v in nat["pct_hjemvist"]],
        "stadfæstet": [_pct(v / 100) for v in nat["pct_stadfaestet"]],
        "sager": ["–" if pd.isna(v) else f"{int(v):,}".replace(",", ".") for v in nat["n"]],
        "kilde (udgiver)": [publisher.get(k, k) for k in nat["source"]],
    })
    return table.to_string(index=False)


def _sources() -> str:
    from .io.bundle import load_sources

    width = shutil.get_terminal_size((100, 20)).columns
    out = []
    for _, row in load_sources().iterrows():
        text = f"{row['key']}: {row['publisher']}: {row['title']}" + (f" ({row['date']})" if row["date"] else "")
        text += f". {row['url_or_document']}"
        out.append(textwrap.fill(text, width=max(40, width - 1), subsequent_indent="    "))
    return "\n".join(out)


def _faktaark(args) -> str:
    """Write the page(s) of ``danmark faktaark``; returns the line to print."""
    from .faktaark import faktaark, faktaark_all, page_file_name
    from .table.kommuner import normalize_kommune

    if args.all == bool(args.kommune):
        raise _CliError("angiv enten en KOMMUNE eller --all (med --data FIL: alle kommuner i filen)")
    options = {"area": args.area, "period": args.period, "data": args.data,
               "prior_strength": args.prior_strength, "level": args.level}
    if args.all:
        paths = faktaark_all(out=args.out or "faktaark", **options)
        return f"Skrev {len(paths) - 1} faktaark og oversigten {paths[0]}"
    out = args.out or page_file_name(*normalize_kommune(args.kommune))
    faktaark(args.kommune, out=out, **options)
    return f"Skrev {out}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="danmark",
        description="What Ankestyrelsen's Danmarkskort over omgørelsesprocenter says about a kommune, "
        "with honest uncertainty.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=textwrap.dedent(
            """\
            commands:
              report KOMMUNE   counts, omgørelsesprocent with a Wilson interval, the national rate,
                               a shrunk estimate and P(above the national rate), with sources
              faktaark KOMMUNE the same and more as one self-contained HTML page in Danish, for the
                               kommunalbestyrelse (--all: one per kommune of a download, and an index)
              national         the bundled national rates by area and year
              sources          the bibliography of every bundled number

            examples:
              danmark report Solrød
              danmark report "Helsingør Kommune" --area voksenhandicap
              danmark report Århus --data talportal_export.csv
              danmark faktaark Solrød --out solrod.html
              danmark faktaark --all --data data.csv --out faktaark/
            """
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    rep = sub.add_parser("report", help="summary for one kommune", description=
                         "Counts, omgørelsesprocent, a Wilson interval (statsmodels), the national rate for the "
                         "same area and years where known, a shrunk estimate with the prior anchored on that "
                         "national rate, P(true rate above it), and the source of every number.")
    rep.add_argument("kommune", help='municipality name or code ("Solrød", "Århus", "269")')
    rep.add_argument("--area", help='only this area ("voksenhandicap", "boernehandicap", "socialomraadet", ...)')
    rep.add_argument("--data", metavar="FILE", help="a Talportal export, Statistikbank (ANKEAST1/2) download "
                     "or tidy CSV to use instead of the bundled data")
    rep.add_argument("--prior-strength", type=float, default=DEFAULT_PRIOR_STRENGTH, metavar="S",
                     help=f"weight of the national-rate prior in cases (default {DEFAULT_PRIOR_STRENGTH:g})")
    rep.add_argument("--level", type=float, default=0.95, help="interval level (default 0.95)")
    fak = sub.add_parser("faktaark", help="a self-contained HTML faktaark (Danish) for one kommune or all",
                         description="One HTML page in Danish for the kommunalbestyrelse, everything embedded "
                         "(figures as inline SVG), ready to mail, attach to a dagsorden or print to PDF: the counts, "
                         "the omgørelsesprocent with its exact interval, the shrunk estimate and its prior, P(above "
                         "the national rate), the funnel and rank among all kommuner (with a full download), the "
                         "ændret/hjemvist split, the trend, what it would take, and the sources. A kommune without "
                         "counts gets a page that says how to get the full download.")
    fak.add_argument("kommune", nargs="?", help='municipality name or code ("Solrød", "Århus", "269")')
    fak.add_argument("--all", action="store_true", help="one page per kommune in the data, and index.html")
    fak.add_argument("--area", help="the area (default: the kommune's area that most kommuner in the data have)")
    fak.add_argument("--period", help='the period, e.g. "2024" (default: the latest of the area)')
    fak.add_argument("--data", metavar="FILE", help="a Talportal export or Statistikbank download (default: the "
                     "bundled data)")
    fak.add_argument("--out", metavar="PATH", help="the HTML file (default: ./<kode>_<kommune>.html), or with "
                     "--all the folder (default: ./faktaark)")
    fak.add_argument("--prior-strength", type=float, default=DEFAULT_PRIOR_STRENGTH, metavar="S",
                     help=f"weight of the national-rate prior in cases (default {DEFAULT_PRIOR_STRENGTH:g})")
    fak.add_argument("--level", type=float, default=0.95, help="interval level (default 0.95)")
    nat = sub.add_parser("national", help="bundled national rates", description="The preferred national "
                         "omgørelsesprocent per area and period, with the ændret/hjemvist split where published.")
    nat.add_argument("--area", help="only this area")
    sub.add_parser("sources", help="the sources table", description="Every source key with publisher, title and URL.")
    from .tables_out.command import add_tabel_parser, run_tabel  # danmark tabel (its own module)

    add_tabel_parser(sub).set_defaults(run=run_tabel)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "report":
            if not 0 < args.level < 1:
                raise _CliError(f"--level skal ligge mellem 0 og 1 (fx 0.95); fik {args.level}")
            if not args.prior_strength > 0:
                raise _CliError(f"--prior-strength skal være positiv; fik {args.prior_strength}")
            from .report import kommune_report

            rep = kommune_report(args.kommune, area=args.area, data=args.data,
                                 prior_strength=args.prior_strength, level=args.level)
            for note in rep.notes:  # the readers' warnings, as one short line each
                print(f"danmark: bemærk: {note}", file=sys.stderr)
            print(format_report(rep))
        elif args.command == "faktaark":
            print(_faktaark(args))
        elif args.command == "national":
            print(_national(args.area))
        elif args.command == "sources":
            print(_sources())
        elif getattr(args, "run", None):  # commands in their own modules (danmark tabel)
            print(args.run(args))
        else:
            parser.print_help()
            return 2
    except (DataError, ArgumentError, _CliError) as err:
        print(error_line(err), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
