"""Command line: ``danmark report KOMMUNE``, ``danmark national``, ``danmark sources``.

Run ``danmark --help`` or ``danmark report --help``.
"""

from __future__ import annotations

import argparse
import sys
import textwrap

import numpy as np
import pandas as pd

from .errors import DataError
from .stats.shrinkage import DEFAULT_PRIOR_STRENGTH


def _load(path: str | None) -> pd.DataFrame:
    from .io import read_any
    from .io.bundle import load_cases
    from .table.schema import with_rates

    return load_cases() if path is None else with_rates(read_any(path))


def _fmt_pct(x: float) -> str:
    return "–" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{100 * x:.1f} %".replace(".", ",")


def report(kommune: str, area: str | None = None, data: str | None = None,
           prior_strength: float = DEFAULT_PRIOR_STRENGTH, level: float = 0.95) -> str:
    """Plain-text summary for one kommune: counts, rate, interval, national rate, shrinkage.

    Examples
    --------
    >>> print(report("Solrød").splitlines()[0])
    Solrød (kommunekode 269), Region Sjælland
    """
    from .io.bundle import load_sources, national_rate
    from .stats.intervals import binomial_ci
    from .stats.shrinkage import BetaPrior, prob_above, shrink
    from .table.kommuner import normalize_kommune

    code, name = normalize_kommune(kommune)
    cases = _load(data)
    rows = cases[cases["kommunekode"] == code]
    if area is not None:
        rows = rows[rows["area"].str.lower() == area.lower()]
    if rows.empty:
        where = f" for area {area!r}" if area else ""
        avail = sorted(cases.loc[cases["kommunekode"] == code, "area"].unique())
        hint = f" (areas with data: {', '.join(avail)})" if avail else ""
        src = "the bundled data" if data is None else data
        raise DataError(f"no appeal counts for {name}{where} in {src}{hint}")
    sources = load_sources().set_index("key")
    region = rows["region"].iloc[0]
    out = [f"{name} (kommunekode {code}), {region}"]
    pct = int(round(100 * level))
    for _, r in rows.sort_values(["area", "period_start"]).iterrows():
        k, n = int(r["omgjort"]), int(r["n"])
        out.append("")
        published = r.get("area_as_published")
        scope = f"  (as published: {published})" if isinstance(published, str) and published != r["area"] else ""
        out.append(f"{r['area']}, {r['period']}{scope}")
        split = ("ændret + hjemvist " + str(k) + ", split not in the file") if pd.isna(r["aendret"]) else (
            f"ændret {r['aendret']}, hjemvist {r['hjemvist']}")
        out.append(f"  realitetsbehandlede sager: {n}  (stadfæstet {r['stadfaestet']}, {split})")
        if n == 0:
            out.append("  no decided cases: no rate")
            continue
        ci = binomial_ci(k, n, level=level, method="wilson").iloc[0]
        exact = binomial_ci(k, n, level=level, method="exact").iloc[0]
        out.append(f"  omgørelsesprocent: {k} of {n} = {_fmt_pct(k / n)};  {pct} % interval "
                   f"{_fmt_pct(ci['lower'])} – {_fmt_pct(ci['upper'])} (Wilson), "
                   f"{_fmt_pct(exact['lower'])} – {_fmt_pct(exact['upper'])} (exact)")
        nat = national_rate(r["area"], r["period"]) if r["kommunekode"] != "000" else pd.DataFrame()
        known = nat.dropna(subset=["omg_pct"]) if not nat.empty else nat
        latest = _latest_national(r["area"], r["period_start"]) if known.empty and not nat.empty else None
        if known.empty and latest is None:
            out.append(f"  national rate for {r['area']}: not in the bundled data")
        else:
            if latest is not None:
                known = latest
                out.append(f"  national rate ({r['area']}): none bundled for {r['period']}; latest earlier year "
                           f"{_year_rates(latest)}")
            else:
                missing = [p for p in nat["period"] if p not in set(known["period"])]
                out.append(f"  national rate ({r['area']}): {_year_rates(known)}"
                           + (f"  (no figure for {', '.join(missing)})" if missing else ""))
            p0 = float(known["omg_pct"].mean()) / 100
            label = ("the latest national rate" if latest is not None else
                     "the national rate" if len(known) == 1 else "the mean of the national yearly rates")
            prior = BetaPrior.from_mean(p0, prior_strength)
            post = shrink(k, n, prior=prior, level=level).iloc[0]
            above = prob_above(k, n, prior=prior, threshold=p0).iloc[0]
            out.append(f"  shrunk estimate: {_fmt_pct(post['estimate'])} ({pct} % posterior interval "
                       f"{_fmt_pct(post['lower'])} – {_fmt_pct(post['upper'])})")
            others = [s_ for s_ in (10.0, 100.0) if s_ != prior_strength]
            alt = ", ".join(
                f"{_fmt_num(prob_above(k, n, prior=BetaPrior.from_mean(p0, s_), threshold=p0)['prob_above'].iloc[0])}"
                f" at {s_:g}" for s_ in others)
            out.append(f"  P(true rate above {_fmt_pct(p0)}) = {_fmt_num(above['prob_above'])}"
                       + (f"  ({alt} cases' weight)" if alt else ""))
            out.append(f"  (assumption: a prior centred on {label}, {_fmt_pct(p0)}, with the weight of "
                       f"{prior_strength:g} cases, Beta({_fmt_num(prior.alpha, 1)}; {_fmt_num(prior.beta, 1)}); "
                       "change it with --prior-strength)")
        for key in _source_keys(r["source"], known if not nat.empty else None):
            if key in sources.index:
                s = sources.loc[key]
                date = f" ({s['date']})" if s["date"] else ""
                caveat = "  (secondary: a quotation of official figures by others)" if s["source_type"].startswith("secondary") else ""
                out.append(f"  source: {s['publisher']}, {s['title']}{date} [{key}] {s['url_or_document']}{caveat}")
            else:
                out.append(f"  source: {key}")
    return "\n".join(out)


def _fmt_num(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}f}".replace(".", ",")


def _year_rates(df: pd.DataFrame) -> str:
    return ", ".join(f"{p}: {_fmt_pct(v / 100)}" for p, v in zip(df["period"], df["omg_pct"], strict=True))


def _source_keys(case_source: str, national: pd.DataFrame | None) -> list[str]:
    """The case row's source keys, then those of the national rates used, without repeats."""
    keys = str(case_source).split("+")
    if national is not None and "source" in national:
        keys += [k for k in national["source"].dropna() if k]
    return list(dict.fromkeys(keys))


def _latest_national(area: str, before) -> pd.DataFrame | None:
    """The most recent preferred yearly national rate for *area* before *before*, if any."""
    from .io.bundle import load_national

    nat = load_national(preferred_only=True)
    nat = nat[(nat["area"] == area) & nat["period"].str.fullmatch(r"\d{4}") & (nat["period_start"] < before)]
    nat = nat.dropna(subset=["omg_pct"])
    return None if nat.empty else nat.sort_values("period").tail(1)[["period", "omg_pct", "source"]].reset_index(drop=True)


def _national(area: str | None) -> str:
    from .io.bundle import load_national

    nat = load_national(preferred_only=True)
    if area:
        nat = nat[nat["area"] == area]
    cols = ["period", "area", "omg_pct", "pct_aendret", "pct_hjemvist", "pct_stadfaestet", "n", "source"]
    return nat[cols].to_string(index=False)


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
              national         the bundled national rates by area and year
              sources          the bibliography of every bundled number

            examples:
              danmark report Solrød
              danmark report "Helsingør Kommune" --area voksenhandicap
              danmark report Århus --data talportal_export.csv
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
    nat = sub.add_parser("national", help="bundled national rates", description="The preferred national "
                         "omgørelsesprocent per area and period, with the ændret/hjemvist split where published.")
    nat.add_argument("--area", help="only this area")
    sub.add_parser("sources", help="the sources table", description="Every source key with publisher, title and URL.")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "report":
            if not 0 < args.level < 1:
                raise DataError(f"--level must lie in (0, 1); got {args.level}")
            if not args.prior_strength > 0:
                raise DataError(f"--prior-strength must be positive; got {args.prior_strength}")
            print(report(args.kommune, area=args.area, data=args.data,
                         prior_strength=args.prior_strength, level=args.level))
        elif args.command == "national":
            print(_national(args.area))
        elif args.command == "sources":
            from .io.bundle import load_sources

            print(load_sources()[["key", "publisher", "title", "url_or_document"]].to_string(index=False))
        else:
            parser.print_help()
            return 2
    except DataError as err:
        print(f"danmark: error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
