"""``danmark tabel``: every kommune's numbers of a download in one workbook or CSV file.

:func:`add_tabel_parser` adds the command (Danish help) to the CLI's subparsers; :func:`run_tabel`
runs it and returns the Danish line to print. Mistakes are raised as the CLI's Danish one-line
errors (``danmark: fejl: ...``).
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from ..errors import CommandError
from ..report.settings import add_settings
from .workbook import SUFFIXES

__all__ = ["add_tabel_parser", "run_tabel"]

DESCRIPTION = (
    "Skriver alle kommuners tal fra en download fra Ankestyrelsens Talportal (eller Statistikbanken) til ét "
    "Excel-regneark (.xlsx) eller én CSV-fil (.csv: semikolon, decimalkomma): én række pr. kommune, område og "
    "periode med stadfæstet, ændret, hjemvist, afvist, realitetsbehandlede sager, omgørelsesprocenten med "
    "eksakt interval, landsgennemsnittet og dets kilde, det justerede skøn med interval, sandsynligheden for at "
    "ligge over landsgennemsnittet, tragtdiagrammet (95 % og 99,8 %, med og uden overspredning), rang med "
    "interval og (med --karakterer) karakter. Regnearket har også arkene »Om tallene« (hver kolonne og modellen forklaret) og "
    "»Kilder«. Tallene er de samme som i »danmark report« og på faktaarkene for samme fil."
)
EXAMPLES = """eksempler:
  danmark tabel --data data.csv --out omgoerelser.xlsx
  danmark tabel --data data.csv --area voksenhandicap --period 2024 --out voksen_2024.csv
  danmark tabel --data data.csv --period 2024 --karakterer --out med_karakterer.xlsx"""


class _DanishHelp(argparse.RawDescriptionHelpFormatter):
    """argparse's help with a Danish "brug:" line."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix="brug: " if prefix is None else prefix)


def add_tabel_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``tabel`` to the CLI's *subparsers* (``parser.add_subparsers(...)``); returns its parser.

    Examples
    --------
    >>> sub = argparse.ArgumentParser(prog="danmark").add_subparsers(dest="command")
    >>> args = add_tabel_parser(sub).parse_args(["--data", "d.csv", "--out", "t.xlsx"])
    >>> (args.data, args.out, args.area, args.level, args.karakterer)
    ('d.csv', 't.xlsx', None, 0.95, False)
    """
    p = subparsers.add_parser("tabel", help="alle kommuners tal i ét regneark (.xlsx) eller én CSV-fil",
                              description=textwrap.fill(DESCRIPTION, 78), epilog=EXAMPLES, formatter_class=_DanishHelp,
                              add_help=False)
    p._optionals.title = "tilvalg"
    p.add_argument("-h", "--help", action="help", help="vis denne hjælp og afslut")
    p.add_argument("--data", metavar="FIL", help="downloaden: Talportalens CSV-fil eller XLSX med alle kommuner og "
                   "Hele landet (se README, »Getting the official data«), eller en Statistikbank-fil")
    p.add_argument("--area", metavar="OMRÅDE", help="kun dette område, fx voksenhandicap, boernehandicap, "
                   "socialomraadet (standard: alle i filen)")
    p.add_argument("--period", metavar="PERIODE", help="kun denne periode, fx 2024 eller 2022Q4 (standard: alle i "
                   "filen)")
    p.add_argument("--out", metavar="FIL", help="filen der skrives: FIL.xlsx (Excel-regneark) eller FIL.csv")
    add_settings(p)
    p.add_argument("--karakterer", action="store_true", help="beregn også karaktererne (»report card«): en "
                   "heltalsoptimering for hvert område og hver periode, 10-60 sekunder hver for 98 kommuner, så "
                   "en hel download tager mange minutter; begræns evt. med --area og --period (uden: kolonnen "
                   "karakter er tom, og »Om tallene« siger hvorfor)")
    return p


def run_tabel(args) -> str:
    """Run ``danmark tabel`` for parsed *args*; returns the Danish "Skrev …" line.

    Raises the CLI's Danish error (one line) for a missing download or --out, an --out that is
    neither .xlsx nor .csv, a bad --level or --prior-strength, or a download without kommuner;
    the library's DataError / ArgumentError (e.g. an area not in the file) pass through to the CLI.
    """
    from .table import estimates_table
    from .workbook import table_sources, write_table

    if not args.data:
        raise CommandError("angiv downloaden med --data FIL (Talportalens fil med alle kommuner; se README, "
                        "»Getting the official data«)")
    if not args.out:
        raise CommandError("angiv filen der skal skrives med --out FIL.xlsx eller --out FIL.csv")
    out = Path(args.out)
    if out.suffix.lower() not in SUFFIXES:
        raise CommandError(f"--out skal ende på .xlsx (Excel-regneark) eller .csv; fik {args.out!r}")
    level, strength = args.level, args.prior_strength  # checked by the parser (danmark.report.settings)
    data = Path(args.data)
    if not data.is_file():
        raise CommandError(f"filen {args.data!r} findes ikke")
    if out.resolve() == data.resolve():
        raise CommandError("--out må ikke være downloaden selv")
    table = estimates_table(str(data), area=args.area, period=args.period, prior_strength=strength, level=level,
                            grades=bool(getattr(args, "karakterer", False)))
    if table.empty:
        raise CommandError(f"filen {data.name} har ingen rækker for kommuner (kun Hele landet eller ingen tal): "
                        "download tabellen med alle kommuner")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_table(table, out, data_name=data.name, sources=table_sources(table))
    except OSError as err:
        raise CommandError(f"kan ikke skrive {args.out!r} ({err.strerror or err})") from None
    count = table["kommunekode"].nunique()
    graded = "med karakterer" if getattr(args, "karakterer", False) else "uden karakterer (se --karakterer)"
    return (f"Skrev {args.out}: {len(table)} rækker ({count} kommuner, {table['area'].nunique()} områder, "
            f"{table['period'].nunique()} perioder; {graded})")
