"""Command line: ``danmark report KOMMUNE``, ``danmark faktaark KOMMUNE``, ``danmark national``, ``danmark sources``.

Run ``danmark --help`` or ``danmark report --help``. Everything the command line prints is
Danish, argparse's own messages included; every error is one ``danmark: fejl:`` line and never
a traceback. The numbers are :func:`danmark.kommune_report`'s; this module only formats them.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import errno
import os
import shutil
import sys
import textwrap

import pandas as pd

from ._defaults import DEFAULT_LEVEL, DEFAULT_PRIOR_STRENGTH, MAX_WORKERS
from .errors import ArgumentError, CommandError, DataError, ReaderWarning, warning_line
from .table.words import area_da, cases, interval, level_pct, num, pct, period_da, source_da, whole

__all__ = ["main", "build_parser", "format_report", "report", "error_line"]


_CliError = CommandError  # a mistake on the command line itself, worded in Danish (printed as it is)


# ------------------------------------------------------------------ argparse in Danish

#: argparse's own messages (Python 3.11-3.13), in Danish
_DANISH = {
    "usage: ": "brug: ",
    "positional arguments": "argumenter",
    "options": "tilvalg",
    "optional arguments": "tilvalg",
    "show this help message and exit": "vis denne hjælp og afslut",
    "the following arguments are required: %s": "disse argumenter mangler: %s",
    "unrecognized arguments: %s": "ukendte argumenter: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ukendt valg: %(value)r (vælg mellem %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "ugyldig værdi: %(value)r (skal være et tal)",
    "expected one argument": "mangler en værdi",
    "expected at most one argument": "højst én værdi",
    "expected at least one argument": "mindst én værdi",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydigt tilvalg: %(option)s kan være %(matches)s",
    "not allowed with argument %s": "kan ikke bruges sammen med %s",
    "one of the arguments %s is required": "et af argumenterne %s skal angives",
    "ignored explicit argument %r": "tilvalget tager ingen værdi: %r",
    "unexpected option string: %s": "uventet tilvalg: %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fejl: %(message)s\n",
    "expected %s argument": "forventede %s værdi",
    "expected %s arguments": "forventede %s værdier",
}
#: Danish and misspelt names of the commands
_ALIASES = {"rapport": "report", "raport": "report", "kilder": "sources", "kilde": "sources", "landstal": "national",
            "landsgennemsnit": "national", "faktaark": "faktaark", "fakta": "faktaark", "faktaark-all": "faktaark"}


def _danish(message: str) -> str:
    return _DANISH.get(message, message)


def _danish_n(singular: str, plural: str, n: int) -> str:
    return _danish(singular if n == 1 else plural)


@contextlib.contextmanager
def _argparse_in_danish():
    """argparse looks its messages up through gettext at call time: answer in Danish while parsing."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _danish, _danish_n
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class DanishParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one ``danmark: fejl:`` line in Danish, with the right command named."""

    def error(self, message):
        if "ukendt valg:" in message and "vælg mellem" in message:
            message = self._command_hint(message)
        self.exit(2, f"danmark: fejl: {message} (se {self.prog} --help)\n")

    def _command_hint(self, message: str) -> str:
        import re

        hit = re.search(r"ukendt valg: '([^']*)' \(vælg mellem (.*)\)", message)
        if not hit:
            return message
        wrong, choices = hit.group(1), [c.strip(" '") for c in hit.group(2).split(",")]
        guess = _ALIASES.get(wrong.lower())
        guess = guess if guess in choices else next(iter(difflib.get_close_matches(wrong.lower(), choices, n=1,
                                                                                  cutoff=0.5)), None)
        text = f"ukendt kommando {wrong!r}; kommandoerne er {', '.join(choices)}"
        return text + (f". Mente du »{guess}«?" if guess else "")


# ------------------------------------------------------------------ errors


_OS_REASONS = {
    errno.EACCES: "ingen adgang", errno.EPERM: "ingen adgang", errno.ENOENT: "mappen findes ikke og kan ikke oprettes",
    errno.ENOTDIR: "en del af stien er en fil, ikke en mappe", errno.EEXIST: "der ligger allerede en fil med det navn",
    errno.EISDIR: "det er en mappe", errno.ENAMETOOLONG: "navnet er for langt", errno.EROFS: "skrivebeskyttet",
    errno.ENOSPC: "ingen plads på disken",
}


def error_line(err: Exception) -> str:
    """The one Danish line the CLI prints for an error, never mixing languages within a phrase.

    The library's messages are English (located: file, row, column); the CLI
    leads with a short Danish phrase for the kind of error and gives the
    library's detail in parentheses, marked as English. Mistakes in the
    command line itself, and files that cannot be written, are worded in Danish throughout.

    Examples
    --------
    >>> error_line(DataError("k = 5 exceeds n = 3", row=2, column="k"))
    "danmark: fejl: data kan ikke bruges (engelsk detalje: row 2, column 'k': k = 5 exceeds n = 3)"
    >>> error_line(ArgumentError("level must lie in (0, 1); got 95", column="level"))
    "danmark: fejl: ugyldig indstilling (engelsk detalje: argument 'level': level must lie in (0, 1); got 95)"
    """
    detail = " ".join(str(err).split())
    cause = err.__cause__
    if isinstance(err, _CliError):
        return f"danmark: fejl: {detail}"
    if isinstance(err, ArgumentError) and isinstance(cause, OSError):
        where = cause.filename if cause.filename is not None else ""
        where = str(where) if len(str(where)) <= 120 else f"{str(where)[:100]}… ({len(str(where))} tegn)"
        reason = _OS_REASONS.get(cause.errno, cause.strerror or "ukendt fejl")
        return f"danmark: fejl: kan ikke skrive {where}: {reason}".rstrip(": ")
    if isinstance(err, ArgumentError):
        lead = "ugyldig indstilling"
    elif getattr(err, "file", None):
        lead = "filen kan ikke bruges"
    else:
        lead = "data kan ikke bruges"
    return f"danmark: fejl: {lead} (engelsk detalje: {detail})"


# ------------------------------------------------------------------ danmark report


def _source_line(row) -> str:
    where = f", {row['url_or_document']}" if row["url_or_document"] else ""
    second = " (sekundær kilde: andres gengivelse af officielle tal)" if str(row["source_type"]).startswith("secondary") else ""
    return f"  Kilde: {source_da(row['publisher'], row['title'], row['date'])}{where}{second}"


def _strength(s: float) -> str:
    return f"{s:g}".replace(".", ",")


def format_report(rep) -> str:
    """The Danish text of a :class:`danmark.report.KommuneReport`, as ``danmark report`` prints it."""
    lv = level_pct(rep.level)
    out = [f"{rep.official_name} (kommunekode {rep.kommunekode}), {rep.region}"]
    if rep.data:
        out.append(f"Data: {rep.data}")
    for a in rep.areas:
        out.append("")
        scope = f"  (som offentliggjort: {a.scope})" if a.scope else ""
        out.append(f"{area_da(a.area)[:1].upper()}{area_da(a.area)[1:]}, {period_da(a.period)}{scope}")
        split = (f"ændret {a.aendret}, hjemvist {a.hjemvist}" if a.aendret is not None
                 else f"ændret + hjemvist {a.omgjort}; fordelingen står ikke i filen")
        afvist = "" if a.afvist is None else f"; {cases(a.afvist, 'afvist')}"
        out.append(f"  {cases(a.n, 'realitetsbehandlet').capitalize()} (stadfæstet {a.stadfaestet}, {split}{afvist})")
        if not a.n:
            out.append("  Ingen realitetsbehandlede sager: ingen omgørelsesprocent")
            out.append(f"  {a.reference_info.text}")
            continue
        out.append(f"  Omgørelsesprocent: {a.omgjort} af {a.n} = {pct(a.rate)}; {lv}-interval "
                   f"{interval(*a.exact)} (eksakt; Wilson: {interval(*a.wilson)})")
        out.append(f"  {a.reference_info.text}")
        if a.shrunk is not None:
            out.append(f"  Justeret skøn (den rå procent trukket mod landsgennemsnittet, mere jo færre sager): "
                       f"{pct(a.shrunk[0])} ({lv}-interval {interval(*a.shrunk[1:])})")
            other = ", ".join(f"{num(p)} ved {_strength(s)}" for s, p in a.prob_above_other.items())
            out.append(f"  Sandsynlighed for at den sande omgørelsesprocent er over {pct(a.reference)}: "
                       f"{num(a.prob_above)}" + (f" ({other} sagers vægt)" if other else ""))
            out.append(f"  Antagelse: forhåndsfordeling centreret på landsgennemsnittet, {pct(a.reference)}, med vægt "
                       f"som {_strength(rep.prior_strength)} {'sag' if rep.prior_strength == 1 else 'sager'}, "
                       f"Beta({num(a.prior.alpha, 1)}; {num(a.prior.beta, 1)}); ændres med --prior-strength")
        if a.rank is not None:
            r, f = a.rank, a.field
            out.append(f"  Blandt {f.units} kommuner: tragtdiagram {_FLAGS.get(a.flag, a.flag)}"
                       + (f" ({_FLAGS.get(a.flag_od, a.flag_od)} med overspredning)" if f.adjusted else "")
                       + (f"; rang nr. {r['median_rank']:.0f} (95 %-interval nr. {r['rank_lower']:.0f}–"
                          f"{r['rank_upper']:.0f}); sandsynlighed for at være blandt de {f.top} højeste "
                          f"{pct(r['p_top'], 0)}" if f.ranked else "; ingen rang (ingen kommune med både omgjorte og "
                          "ikke-omgjorte sager)"))
        size_prior = _size_prior_line(a.size_prior, lv)
        if size_prior:
            out.append(size_prior)
        for _, row in a.sources.iterrows():
            out.append(_source_line(row))
    return "\n".join(out)


_FLAGS = {"within": "inden for grænserne", "above 95%": "over 95 %-grænsen", "above 99.8%": "over 99,8 %-grænsen",
          "below 95%": "under 95 %-grænsen", "below 99.8%": "under 99,8 %-grænsen"}


def _size_prior_line(sp, lv: str) -> str | None:
    """One line on the prior of kommuner of the same size (only with a full download): a sensitivity."""
    if sp is None:
        return None
    if sp.error:
        return f"  Prior efter kommunens størrelse: kunne ikke beregnes (engelsk detalje: {sp.error})"
    verdict = ("størrelsen forklarer ikke forskellene, den faste forhåndsfordeling står" if not sp.size_matters
               else "størrelsen forklarer en del af forskellene, også efter korrektionen; skønnet er en "
               "følsomhedsberegning ved siden af den faste forhåndsfordeling")
    head = (f"  Prior efter kommunens størrelse (følsomhedsberegning; {sp.units} kommuner i udtrækket): "
            f"forventet {pct(sp.mean)}")
    tested = "den ene test" if sp.tests == 1 else f"{sp.tests} test, ét pr. område og periode i data"
    test = (f"test mod den faste forhåndsfordeling p = {num(sp.lr.pvalue)}, med Holm-korrektion for {tested} "
            f"p = {num(sp.pvalue)}: {verdict}")
    if sp.no_spread:  # the posterior is the prior's point
        return (f"{head}; kommunerne spreder sig ikke mere end tilfældet omkring den, så modellen trækker "
                f"kommunen helt ind til den (et skøn, der ikke skelner mellem kommuner); {test}")
    above = (f"; sandsynlighed for over {pct(sp.reference)}: {num(sp.prob_above)}"
             if sp.prob_above is not None and sp.reference is not None else "")
    return f"{head}; justeret skøn {pct(sp.shrunk[0])} ({lv}-interval {interval(*sp.shrunk[1:])}){above}; {test}"


def report(kommune: str, area: str | None = None, data=None, prior_strength: float = DEFAULT_PRIOR_STRENGTH,
           level: float = DEFAULT_LEVEL, period: str | None = None) -> str:
    """The Danish text of ``danmark report`` for one kommune (see :func:`danmark.report.kommune_report`).

    Examples
    --------
    >>> print(report("Solrød").splitlines()[0])
    Solrød Kommune (kommunekode 269), Region Sjælland
    """
    from .report import kommune_report

    return format_report(kommune_report(kommune, area=area, period=period, data=data, prior_strength=prior_strength,
                                        level=level))


# ------------------------------------------------------------------ the other commands


def _national(area: str | None) -> str:
    from .io.bundle import load_national, load_sources
    from .report import match_area

    nat = load_national(preferred_only=True)
    publisher = dict(zip(load_sources()["key"], load_sources()["publisher"], strict=True))
    if area:
        known = sorted(nat["area"].unique())
        hit = match_area(area, known) or {area_da(a).lower(): a for a in known}.get(area.strip().lower())
        if not hit:
            raise _CliError(f"ukendt område {area!r}; de medfølgende landstal dækker: {', '.join(known)}")
        nat = nat[nat["area"] == hit]
    table = pd.DataFrame({
        "periode": nat["period"].map(period_da),
        "område": nat["area"].map(area_da),
        "omgørelsesprocent": [pct(v / 100) for v in nat["omg_pct"]],
        "ændret": [pct(v / 100) for v in nat["pct_aendret"]],
        "hjemvist": [pct(v / 100) for v in nat["pct_hjemvist"]],
        "stadfæstet": [pct(v / 100) for v in nat["pct_stadfaestet"]],
        "sager": [whole(v) if pd.notna(v) else "–" for v in nat["n"]],
        "kilde (udgiver)": [publisher.get(k, k) for k in nat["source"]],
    })
    return table.to_string(index=False)


def _sources() -> str:
    from .io.bundle import load_sources

    width = shutil.get_terminal_size((100, 20)).columns
    out = []
    for _, row in load_sources().iterrows():
        text = f"{row['key']}: {source_da(row['publisher'], row['title'], row['date'])}. {row['url_or_document']}"
        out.append(textwrap.fill(text, width=max(40, width - 1), subsequent_indent="    "))
    return "\n".join(out)


def _faktaark(args) -> str:
    """Write the page(s) of ``danmark faktaark``; returns the line to print, naming the file written."""
    from .faktaark_page import faktaark, faktaark_all, page_file_name, page_path
    from .table.kommuner import normalize_kommune

    if args.all == bool(args.kommune):
        raise _CliError("angiv enten en KOMMUNE eller --all (med --data FIL: alle kommuner i filen)")
    options = {"area": args.area, "period": args.period, "data": args.data,
               "prior_strength": args.prior_strength, "level": args.level}
    if args.all:
        paths = faktaark_all(out=args.out or "faktaark", workers=args.workers, **options)
        return f"Skrev {len(paths) - 1} faktaark og oversigten {paths[0]}"
    code, name = normalize_kommune(args.kommune)
    out = page_path(args.out, code) if args.out else page_file_name(code, name)
    faktaark(args.kommune, out=out, **options)
    return f"Skrev {out}"


# ------------------------------------------------------------------ the parser


def _workers(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"--workers skal være et helt tal fra 1 til {MAX_WORKERS}; fik {text!r}")
    return int(text)


def _common(p) -> None:
    from .report.settings import add_settings

    add_settings(p)


def build_parser() -> argparse.ArgumentParser:
    """The ``danmark`` parser, in Danish; the subcommands are in the ``sub`` subparsers action."""
    with _argparse_in_danish():
        parser = DanishParser(
            prog="danmark",
            description="Hvad Ankestyrelsens Danmarkskort over omgørelsesprocenter siger om en kommune, med ærlig "
            "usikkerhed.",
            formatter_class=argparse.RawDescriptionHelpFormatter,
            epilog=textwrap.dedent(
                """\
                kommandoer:
                  report KOMMUNE   sagstal, omgørelsesprocent med eksakt interval, landsgennemsnittet,
                                   et justeret skøn og sandsynligheden for at ligge over, med kilder
                  faktaark KOMMUNE det samme og mere som én selvstændig HTML-side på dansk til
                                   kommunalbestyrelsen (--all: én pr. kommune i en download og en oversigt)
                  national         de medfølgende landstal pr. område og år
                  sources          kilderne til alle medfølgende tal
                  tabel            alle kommuners tal fra en download i ét regneark (.xlsx) eller én CSV-fil

                eksempler:
                  danmark report Solrød
                  danmark report "Helsingør Kommune" --area voksenhandicap
                  danmark report Århus --data data.csv
                  danmark faktaark Solrød --out solrod.html
                  danmark faktaark --all --data data.csv --out faktaark/
                  danmark tabel --data data.csv --out omgoerelser.xlsx
                """
            ),
        )
        sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", title="kommandoer", parser_class=DanishParser)
        rep = sub.add_parser("report", help="resumé for én kommune", description=
                             "Sagstal, omgørelsesprocent med eksakt interval, landsgennemsnittet for samme område og "
                             "periode (og hvor det kommer fra), et justeret skøn med forhåndsfordelingen centreret på "
                             "landsgennemsnittet, sandsynligheden for at den sande procent ligger over det, og kilden "
                             "til hvert tal.")
        rep.add_argument("kommune", metavar="KOMMUNE", help='kommunens navn eller kode ("Solrød", "Århus", "269")')
        rep.add_argument("--area", metavar="OMRÅDE", help='kun dette område ("voksenhandicap", "børnehandicap", '
                         'en Sagsemne-tekst, ...)')
        rep.add_argument("--period", metavar="PERIODE", help='kun denne periode ("2024", "2024Q1")')
        rep.add_argument("--data", metavar="FIL", help="en download fra Talportalen eller Statistikbanken (ANKEAST1/2) "
                         "eller en tidy CSV i stedet for de medfølgende tal")
        _common(rep)
        fak = sub.add_parser("faktaark", help="et selvstændigt HTML-faktaark (dansk) for én kommune eller alle",
                             description="Én HTML-side på dansk til kommunalbestyrelsen, alt indlejret (figurer som "
                             "SVG), klar til at sende, lægge på en dagsorden eller printe som PDF: sagstallene, "
                             "omgørelsesprocenten med eksakt interval, det justerede skøn og dets forhåndsfordeling, "
                             "sandsynligheden for at ligge over landsgennemsnittet, tragtdiagram og rang blandt alle "
                             "kommuner (med en fuld download), fordelingen på ændret og hjemvist, udviklingen, hvad "
                             "der skulle til, og kilderne. En kommune uden tal får en side, der siger, hvordan man "
                             "henter den fulde download.")
        fak.add_argument("kommune", nargs="?", metavar="KOMMUNE", help='kommunens navn eller kode ("Solrød", "269")')
        fak.add_argument("--all", action="store_true", help="én side pr. kommune i data og index.html")
        fak.add_argument("--area", metavar="OMRÅDE", help="området (standard: det af kommunens områder, som flest "
                         "kommuner i data har)")
        fak.add_argument("--period", metavar="PERIODE", help='perioden, fx "2024" (standard: områdets seneste)')
        fak.add_argument("--data", metavar="FIL", help="en download fra Talportalen eller Statistikbanken (standard: "
                         "de medfølgende tal)")
        fak.add_argument("--out", metavar="STI", help="HTML-filen (standard: ./<kode>_<kommune>.html) eller en mappe "
                         "(slutter på /); med --all mappen (standard: ./faktaark). Mangler mappen, oprettes den.")
        fak.add_argument("--workers", type=_workers, metavar="N", help="med --all: antal processer, der deler "
                         "siderne (standard: én pr. 16 sider, højst én pr. CPU og 4; 1: kun denne proces)")
        _common(fak)
        nat = sub.add_parser("national", help="de medfølgende landstal", description="Den foretrukne landsdækkende "
                             "omgørelsesprocent pr. område og periode, med fordelingen på ændret og hjemvist, hvor "
                             "den er offentliggjort.")
        nat.add_argument("--area", metavar="OMRÅDE", help="kun dette område")
        sub.add_parser("sources", help="kildetabellen", description="Hver kildenøgle med udgiver, titel og adresse.")
        from .tables_out.command import (  # danmark tabel (its own module)
            add_tabel_parser,
            run_tabel,
        )

        add_tabel_parser(sub).set_defaults(run=run_tabel)
    parser.sub = sub
    return parser


def _run(args, parser) -> int:
    if args.command == "report":
        from .report import kommune_report

        rep = kommune_report(args.kommune, area=args.area, period=args.period, data=args.data,
                             prior_strength=args.prior_strength, level=args.level)
        for note in rep.notes:  # the readers' warnings, as one Danish line each with the English detail
            print(warning_line(note, ReaderWarning), file=sys.stderr)
        print(format_report(rep))
    elif args.command == "faktaark":
        print(_faktaark(args))
    elif args.command == "national":
        print(_national(args.area))
    elif args.command == "sources":
        print(_sources())
    elif hasattr(args, "run"):  # a command added by another module (set_defaults(run=...))
        out = args.run(args)
        if out:
            print(out)
    else:
        with _argparse_in_danish():
            parser.print_help()
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 done, 1 an error line printed, 2 a usage error)."""
    parser = build_parser()
    try:
        with _argparse_in_danish():
            args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, or a usage error already printed in Danish
        return int(stop.code or 0) if isinstance(stop.code, int) else 2
    try:
        return _run(args, parser)
    except (DataError, ArgumentError, _CliError) as err:
        print(error_line(err), file=sys.stderr)
        return 1
    except BrokenPipeError:  # `danmark sources | head`: the reader stopped listening
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as err:  # a file the command needed to read or write
        reason = _OS_REASONS.get(err.errno, err.strerror or "ukendt fejl")
        print(f"danmark: fejl: {reason}" + (f": {str(err.filename)[:120]}" if err.filename else ""), file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
