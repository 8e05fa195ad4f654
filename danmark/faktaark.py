"""A kommune's faktaark: one self-contained HTML page in Danish for the kommunalbestyrelse.

Each kommunalbestyrelse must discuss the Danmarkskort every year (retssikkerhedslovens § 79 b):
:func:`faktaark` writes the page for that dagsorden, :func:`faktaark_all` one per kommune and an
index. Every number comes from the library (kommune_report, prior_sensitivity, funnel_flags,
hierarchical, outcome_split, cases_needed, ...); the page only formats them, each shown number
with its exact value in ``data-v`` (named by ``data-k``) for checking. Figures are inline SVG,
styles inline: nothing is fetched. The reference rate is the download's own *Hele landet* row
for the same area and period when it has one, else the published rate kommune_report uses.
"""

from __future__ import annotations

import html
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .faktaark_html import (
    _FLAGS,
    _GUIDE,
    _area_da,
    _head,
    _int,
    _iv,
    _num,
    _pct,
    _period_da,
    _row,
    _table,
    _v,
)
from .report import MIN_FULL

# danmark's own other modules are imported inside the functions (as in cli.py): the faktaark
# sits on top of the report and the figures, and ``import danmark`` stays without matplotlib.

__all__ = ["faktaark", "faktaark_all", "page_file_name", "MIN_FULL", "TOP"]

# MIN_FULL (from the report): kommuner with cases in the area and period needed for the funnel, the ranks
# and the size prior (as notebook 06)
#: "among the TOP highest": the taskforce reserves four courses a year on the basis of the map
TOP = 4
_LEVELS = (0.95, 0.998)
_DRAWS, _SEED = 4000, 2024
def page_file_name(kommunekode: str, kommune: str) -> str:
    """File name of a kommune's page: ``page_file_name("269", "Solrød")`` -> ``"269_solroed.html"``."""
    slug = kommune.lower().translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}))
    return f"{kommunekode}_{re.sub(r'[^a-z0-9]+', '-', slug).strip('-')}.html"


# ------------------------------------------------------------------ data


@dataclass
class _Data:
    table: pd.DataFrame
    notes: tuple[str, ...]
    data: str | None
    label: str
    synthetic: bool
    cache: dict = field(default_factory=dict)


@dataclass
class _Ref:
    p0: float | None
    text: str
    keys: tuple[str, ...]


def _read(data, level=0.95, prior_strength=30.0) -> _Data:
    """The table and the readers' notes, read once for all pages (after checking level and prior_strength)."""
    from .errors import ArgumentError, ReaderWarning
    from .io.bundle import load_cases
    from .io.dispatch import read_any
    from .table.schema import with_rates

    if not 0 < level < 1 or not prior_strength > 0:
        raise ArgumentError(f"level must lie strictly between 0 and 1 and prior_strength be positive; got {level}, "
                        f"{prior_strength}")
    if data is None:
        return _Data(load_cases(), (), None, "de tal, der følger med danmark (offentliggjorte dokumenter)", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReaderWarning)
        table = with_rates(read_any(data))
    notes = tuple(str(w.message) for w in caught if issubclass(w.category, ReaderWarning))
    name = Path(str(data)).name
    return _Data(table, notes, str(data), f"filen {name}", "synthetic" in name.lower())


def _default_area(d: _Data, code: str) -> str:
    """The kommune's area that most kommuner in the data have (then most cases, then by name)."""
    units = d.table[d.table["kommunekode"] != "000"]
    areas = units.loc[units["kommunekode"] == code, "area"].unique()
    score = units[units["area"].isin(areas)].groupby("area").agg(k=("kommunekode", "nunique"), n=("n", "sum"))
    return sorted(score.index, key=lambda a: (-score.loc[a, "k"], -score.loc[a, "n"], a))[0]


def _pick_period(rep, period):
    from .errors import DataError
    from .table.periods import parse_period

    if period is None:
        return max(rep.areas, key=lambda a: (a.n > 0, *parse_period(a.period)[2:0:-1]))  # the latest with cases
    try:
        label = parse_period(period)[0]
    except DataError:
        label = str(period).strip()
    if hit := [a for a in rep.areas if a.period == label]:
        return hit[0]
    raise DataError(f"no counts for period {period!r} for {rep.kommune} in area {rep.areas[0].area!r}; "
                    f"{rep.kommune} has: {', '.join(a.period for a in rep.areas)}")


def _reference(d: _Data, a) -> _Ref:
    if "000" not in d.cache:  # the Hele landet rows, once
        d.cache["000"] = d.table[d.table["kommunekode"] == "000"]
    t = d.cache["000"]
    nat = t[(t["area"] == a.area) & (t["period"] == a.period)]
    k, n = int(nat["omgjort"].sum()), int(nat["n"].sum())
    if 0 < k < n:
        return _Ref(k / n, f"Hele landet i {d.label}, samme område og periode ({_int(k)} af {_int(n)} sager)",
                    tuple(dict.fromkeys(nat["source"])))
    if a.reference is None:
        return _Ref(None, "intet landsgennemsnit for området og perioden", ())
    years = ", ".join(f"{p}: {_pct(v / 100)}" for p, v in zip(a.national["period"], a.national["omg_pct"], strict=True))
    text = (f"seneste offentliggjorte landsgennemsnit før perioden ({years})" if a.national_is_latest_earlier else
            f"offentliggjort landsgennemsnit ({years})" if len(a.national) == 1 else
            f"gennemsnit af de offentliggjorte landsgennemsnit ({years})")
    return _Ref(a.reference, text, tuple(s for s in a.national["source"] if s))


def _field(d: _Data, area: str, period: str, p0: float | None):
    """The kommuner of one area and period around *p0*: funnel, over-dispersion and ranks (cached)."""
    key = (area, period, p0)
    if key not in d.cache:
        from .report import area_units, fit_size_prior
        from .stats.funnel import funnel_flags, funnel_limits
        from .stats.hierarchical_model import hierarchical
        from .stats.overdispersion import overdispersion_fit

        units = area_units(d.table, area, period)
        out = {"units": units.set_index("kommune")}
        if len(units) >= MIN_FULL and p0 is not None:
            k, n = out["units"]["omgjort"], out["units"]["n"]
            od = overdispersion_fit(k, n, reference=p0)
            kw = {"overdispersion": "additive", "tau2": od.tau2} if od.tau2 > 0 else {}
            out.update(
                od=od, adjusted=bool(kw), limits=funnel_limits(int(max(n.max(), 100)), reference=p0, level=_LEVELS, **kw),
                flags=funnel_flags(k, n, reference=p0, level=_LEVELS),
                flags_od=funnel_flags(k, n, reference=p0, level=_LEVELS, **kw),
                ranks=hierarchical(k, n, seed=_SEED).rank_uncertainty(top=TOP, size=_DRAWS, seed=_SEED),
                size=fit_size_prior(units),  # the prior by log population, as kommune_report fits it
            )
        d.cache[key] = out
    return d.cache[key]


# ------------------------------------------------------------------ the page


def _foot(command: str) -> str:
    from . import __version__

    return (f"<footer>Lavet med danmark {__version__} (<code>{html.escape(command)}</code>). Alle tal er beregnet "
            "med danmarks egne funktioner; siden henter intet fra nettet.</footer></body></html>\n")


def _banner(d: _Data) -> str:
    out = ('<div class="warn">SYNTETISKE DATA: filnavnet siger SYNTHETIC. Tallene er genereret til test og siger '
           "intet om nogen virkelig kommune.</div>") if d.synthetic else ""
    if d.notes:
        out += '<p class="small">Bemærkninger fra indlæsningen (på engelsk): ' + "; ".join(html.escape(n) for n in d.notes) + "</p>"
    return out


def _missing_page(name: str, code: str, d: _Data, why: str) -> str:
    have = sorted(d.table.loc[d.table["kommunekode"] != "000", "kommune"].unique())
    where = (f"De tal, der følger med danmark, har kun fulde tællinger for {', '.join(have[:-1])} og {have[-1]}"
             if d.data is None and len(have) > 1 else f"{d.label.capitalize()} har ikke de tal, der skal til")
    return (_head(f"Faktaark: {name} Kommune") + f"<h1>Faktaark: {html.escape(name)} Kommune</h1>" + _banner(d)
            + f"<p class='sub'>Kommunekode {code}</p><div class='box'><p><b>Der mangler tal.</b> {html.escape(where)}. "
            "Uden antallet af stadfæstede, ændrede og hjemviste sager kan der ikke beregnes en omgørelsesprocent, et "
            "interval eller nogen af faktaarkets andre tal, så siden viser ingen tal og ingen figurer.</p>"
            f"<p class='small'>({html.escape(why)})</p></div><h2>Sådan hentes de fulde tal</h2>"
            + _GUIDE.format(name=html.escape(name)) + _foot(f'danmark faktaark "{name}"'))


def _counts_rows(a, ref: _Ref, marks: tuple[str, str], pct: str) -> str:
    split = (f"stadfæstet {_v('stadfaestet', a.stadfaestet)}, ændret {_v('aendret', a.aendret)}, hjemvist "
             f"{_v('hjemvist', a.hjemvist)}" if a.aendret is not None else
             f"stadfæstet {_v('stadfaestet', a.stadfaestet)}; ændret + hjemvist {a.omgjort} (fordelingen står ikke i data)")
    out = _row("Realitetsbehandlede sager", _v("n", a.n, _int(a.n)), split, marks[0])
    out += _row("Afviste sager", _v("afvist", a.afvist) if a.afvist is not None else "–",
                "indgår ikke i procenten" + ("" if a.afvist is not None else "; står ikke i data"), marks[0])
    if a.n:
        out += _row("Omgørelsesprocent", _v("rate", a.rate, _pct(a.rate)), f"{_v('omgjort', a.omgjort)} af {a.n}; "
                    f"{pct}-interval {_v('exact_lower', a.exact[0], _pct(a.exact[0])[:-2])}–"
                    f"{_v('exact_upper', a.exact[1], _pct(a.exact[1]))} (eksakt)", marks[0])
    return out + _row("Landsgennemsnit", _v("p0", ref.p0, _pct(ref.p0)), html.escape(ref.text), marks[1])


def _estimates(a, ref: _Ref, rep, pct: str):
    """Shrunk estimate, P(above) and the stated prior, and how much they depend on the prior's weight."""
    from .report import OTHER_STRENGTHS
    from .stats.shrinkage import BetaPrior, prior_sensitivity

    strengths = sorted({float(rep.prior_strength), *OTHER_STRENGTHS})
    sens = prior_sensitivity(a.omgjort, a.n, means=[ref.p0], strengths=strengths, level=rep.level)
    # the same calls as kommune_report's, so with the report's reference the same numbers as a.shrunk, a.prob_above
    r, prior = sens[sens["strength"] == float(rep.prior_strength)].iloc[0], BetaPrior.from_mean(ref.p0, rep.prior_strength)
    shrunk, above = (float(r["estimate"]), float(r["lower"]), float(r["upper"])), float(r["prob_above"])
    rows = _row("Justeret skøn", _v("shrunk", shrunk[0], _pct(shrunk[0])),
                f"{pct}-interval {_v('shrunk_lower', shrunk[1], _pct(shrunk[1])[:-2])}–"
                f"{_v('shrunk_upper', shrunk[2], _pct(shrunk[2]))}: den rå procent trukket mod landsgennemsnittet, "
                "mere jo færre sager", "[metode]")
    rows += _row("Sandsynlighed for over landsgennemsnittet", _v("prob_above", above, _num(above)),
                 f"at den sande omgørelsesprocent er over {_pct(ref.p0)}. Antagelse: forhåndsfordeling "
                 f"Beta({_v('prior_alpha', prior.alpha, _num(prior.alpha, 1))}; "
                 f"{_v('prior_beta', prior.beta, _num(prior.beta, 1))}), centreret på landsgennemsnittet med vægt "
                 f"som {rep.prior_strength:g} sager", "[metode]")
    table = ("<p class='small'><b>Hvor meget afhænger det af antagelsen?</b> Samme beregning med forhånds&shy;"
             "fordelingen vægtet som flere eller færre sager:</p>" + _table(
                 ["vægt", "skøn", f"{pct}-interval", "P(over)"], right=(0, 1, 2, 3), rows=[
                     [f"{s:g}", _v(f"sens_estimate_{s:g}", float(r["estimate"]), _pct(r["estimate"])),
                      _iv(r["lower"], r["upper"]), _v(f"sens_prob_above_{s:g}", float(r["prob_above"]), _num(r["prob_above"]))]
                     for s, (_, r) in zip(strengths, sens.iterrows(), strict=True)]))
    return rows, table, shrunk, above, (float(sens["prob_above"].min()), float(sens["prob_above"].max()))


def _size_html(sp, pct: str) -> str:
    """The prior by the kommune's size (a full download): its mean, the estimate shrunk toward it, the LR test."""
    head = "<p class='small'><b>Prior efter kommunens størrelse.</b> "
    if sp.error:
        return (head + f"Kunne ikke beregnes ud fra de {_v('size_units', sp.units)} kommuner med sager: "
                f"{html.escape(sp.error)} (på engelsk). Tallene ovenfor bruger den faste prior.</p>")
    pop = f"med {_int(sp.population)} indbyggere" if sp.population else "af samme størrelse"
    strength = sp.alpha + sp.beta
    weight = (f"vægt som {_int(round(strength))} sager" if not sp.no_spread else "så stor vægt, at skønnet er "
              "middelværdien selv: kommunerne spreder sig ikke mere omkring den, end tilfældighed giver")
    p = sp.lr.pvalue
    verdict = ("Kommunens størrelse forklarer ikke forskellene; den faste prior står." if not sp.size_matters else
               "Kommunens størrelse forklarer en del af forskellene mellem kommunerne, så skønnet efter størrelse er "
               "det bedre anker.")
    est, lo, hi = sp.shrunk
    row = ["efter størrelse", _v("size_prior_mean", sp.mean, _pct(sp.mean)), _v("size_shrunk", est, _pct(est)),
           "–" if sp.no_spread else f"{_v('size_shrunk_lower', lo, _pct(lo)[:-2])}–{_v('size_shrunk_upper', hi, _pct(hi))}",
           _v("size_prob_above", sp.prob_above, "–" if sp.no_spread else _num(sp.prob_above))]
    return (head + "Forhåndsfordelingens middelværdi kan afhænge af folketallet (beta-binomial regression på log "
            f"folketal for alle {_v('size_units', sp.units)} kommuner med sager). For en kommune {pop} er den "
            f"{_pct(sp.mean)}, {weight}.</p>"
            + _table(["prior", "middel", "skøn", f"{pct}-interval", "P(over)"], [row], right=(1, 2, 3, 4))
            + f"<p class='small'>Test mod den faste prior (likelihood-ratio): p = "
            f"{_v('size_lr_pvalue', p, _num(p))}. {verdict}</p>")


def _field_html(f, name: str, p0: float, fig_src: str) -> tuple[str, str]:
    """Section 2 when the data hold all kommuner, and a sentence for the summary."""
    import matplotlib.pyplot as plt

    from .plotting import PALETTE, funnel_plot, style
    from .plotting.kommune import inline_svg

    units, od = f["units"], f["od"]
    m = len(units)
    if name not in units.index:
        return f"<p>{html.escape(name)} havde ingen realitetsbehandlede sager i perioden.</p>", ""
    flag, flag_od = str(f["flags"].loc[name, "flag"]), str(f["flags_od"].loc[name, "flag"])
    rank = f["ranks"].loc[name]
    lo, hi = int(rank["rank_lower"]), int(rank["rank_upper"])
    od_text = (f"Kommunerne spreder sig mere, end tilfældighed alene giver (φ = {_v('phi', od.phi, _num(od.phi))}, "
               f"τ² = {_v('tau2', od.tau2, _num(od.tau2, 4))}), så grænserne i figuren er udvidet for overspredning; "
               f"med dem ligger {html.escape(name)} {_v('funnel_flag_od', flag_od, _FLAGS.get(flag_od, flag_od))}."
               if f["adjusted"] else "Kommunerne spreder sig ikke mere, end tilfældighed giver "
               f"(φ = {_v('phi', od.phi, _num(od.phi))}), så grænserne er de rene binomiale.")
    with style():
        fig, ax = plt.subplots(figsize=(3.7, 2.55))
        funnel_plot(units["omgjort"].to_numpy(), units["n"].to_numpy(), f["limits"], reference=p0, ax=ax)  # 98 names: unreadable
        ax.plot(units.loc[name, "n"], 100 * units.loc[name, "omgjort"] / units.loc[name, "n"], "o", ms=6, mec="black",
                color=PALETTE["orange"], label=name, zorder=4)
        ax.legend(loc="upper right", fontsize=6)
        ax.set_title(f"{m} kommuner; grænser 95 % og 99,8 %" + (", udvidet for overspredning" if f["adjusted"] else ""),
                     fontsize=7)
        svg = inline_svg(fig, fig_src, "funnel", "Tragtdiagram: omgørelsesprocent mod antal sager for alle kommuner")
    body = (f"<div class='grid'><div><figure>{svg}</figure></div><div>"
            f"<p>Tragtdiagrammet viser alle {_v('units', m)} kommuner med sager på området i perioden (orange: "
            f"{html.escape(name)}). Jo flere sager, jo smallere er grænserne for, hvad tilfældighed kan give omkring "
            f"landsgennemsnittet. Med den eksakte binomialtest ligger {html.escape(name)} "
            f"{_v('funnel_flag', flag, _FLAGS.get(flag, flag))}.</p><p>{od_text}</p><p><b>Rang</b> (1 = højeste "
            "omgørelsesprocent; fra en hierarkisk model af alle kommunerne): median nr. "
            f"{_v('rank_median', float(rank['median_rank']), f'{rank.median_rank:.0f}')} af {m}; 95 %-interval "
            f"nr. {_v('rank_lower', float(rank['rank_lower']), str(lo))} til nr. "
            f"{_v('rank_upper', float(rank['rank_upper']), str(hi))}. Sandsynlighed for at være blandt de {TOP} "
            f"højeste: {_v('p_top', float(rank['p_top']), _pct(rank['p_top'], 0))}.</p></div></div>")
    said = (f"Blandt de {m} kommuner med sager i perioden ligger {name} {_FLAGS.get(flag, flag)} i tragtdiagrammet, "
            f"og dens plads i rækkefølgen kan være alt fra nr. {lo} til nr. {hi}. ")
    return body, said


def _trend_html(d: _Data, rep, fig_src: str, pct: str) -> str:
    import matplotlib.pyplot as plt

    from .plotting import style
    from .plotting.kommune import inline_svg, kommune_trend

    nan = float("nan")
    df = pd.DataFrame([{"period": a.period, "rate": a.rate if a.n else nan, "lower": a.exact[0] if a.n else nan,
                        "upper": a.exact[1] if a.n else nan, "n": a.n, "k": a.omgjort,
                        "national": _reference(d, a).p0 or nan} for a in rep.areas])
    table = _table(["periode", "omgjort", "procent", f"{pct}-interval", "landsgns."], right=(1, 2, 3, 4), rows=[
        [_period_da(r.period), f"{r.k} af {r.n}", _v(f"trend_rate_{r.period}", r.rate, _pct(r.rate)) if r.n else "–",
         _iv(r.lower, r.upper) if r.n else "–", _pct(r.national)] for r in df.itertuples()])
    if len(df) < 2:
        return (f"{table}<p>Data har kun én periode for området, så der er ingen udvikling at vise; det kræver tal for "
                "flere år (en fuld download, se afsnit 2).</p>")
    with style():
        fig, ax = plt.subplots(figsize=(3.7, 2.35))
        kommune_trend(df, ax=ax, label="kommunen (eksakt interval)")
        ax.legend(loc="upper left", ncol=2, fontsize=6)
        bottom = 1.0 if sum(len(p) for p in df["period"]) > 48 else 0.72  # room for (rotated) labels with n
        svg = inline_svg(fig, fig_src, "trend", "Kommunens omgørelsesprocent pr. periode med interval og "
                         "landsgennemsnit", margins=(0.55, bottom, 0.12, 0.12))
    return f"<div class='grid'><div><figure>{svg}</figure></div><div>{table}</div></div>"


def _split_html(a, level: float) -> str:
    from .stats.outcomes import outcome_split

    if not a.n or a.aendret is None:
        return "<p>Fordelingen på ændret og hjemvist står ikke i data.</p>" if a.n else "<p>Ingen sager.</p>"
    sp = outcome_split([a.stadfaestet], [a.aendret], [a.hjemvist], level=level)
    names = {"stadfaestet": "stadfæstet", "aendret": "ændret/ophævet", "hjemvist": "hjemvist", "omgjort": "omgjort i alt"}
    table = _table(["udfald", "sager", "andel", f"{round(100 * level)} %-interval"], right=(1, 2, 3), rows=[
        [names[r.outcome], r.count, _pct(r.raw), f"{_v(f'split_{r.outcome}_lower', float(r.lower), _pct(r.lower)[:-2])}–"
         f"{_v(f'split_{r.outcome}_upper', float(r.upper), _pct(r.upper))}"] for r in sp.itertuples()])
    p = float(sp["p_hjemvist_gt_aendret"].iloc[0])
    return (f"{table}<p class='small'>Intervaller for andelene (Dirichlet-fordeling med jævn "
            "forhåndsfordeling). Sandsynlighed for at hjemvisningernes andel er større end ændringernes: "
            f"{_v('p_hjemvist_gt_aendret', p, _num(p))}. En hjemvisning betyder ofte, at sagen ikke var tilstrækkeligt "
            "oplyst, ikke nødvendigvis at resultatet var forkert.</p>")


def _needs_html(a, p0: float, p1: float, name: str) -> tuple[str, str]:
    """How many fewer reversals reach the national rate; how many cases tell p1 from it (exact test)."""
    from .errors import ArgumentError
    from .stats.power_analysis import cases_needed, power
    from .table.periods import parse_period

    _, start, end = parse_period(a.period)
    per_year = a.n / (((end - start).days + 1) / 365.25)
    first, said = "Omgørelsesprocenten ligger allerede på eller under landsgennemsnittet.", ""
    if a.rate > p0:
        fewer = math.ceil(a.omgjort - p0 * a.n - 1e-9)  # the fewest x with (k - x) / n <= p0
        first = (f"{_v('fewer', fewer)} færre omgjorte sager af de {a.n} ville have bragt omgørelsesprocenten ned på "
                 f"landsgennemsnittet ({a.omgjort - fewer} af {a.n} = {_pct((a.omgjort - fewer) / a.n)}).")
        said = f"Med {fewer} færre omgjorte sager havde {name} ligget på landsgennemsnittet. "
    alt = "larger" if p1 > p0 else "smaller"
    try:
        need = int(cases_needed(p1, reference=p0, alternative=alt)["n_stable"].iloc[0])
    except ArgumentError:  # p1 (practically) equal to p0: no number of cases tells them apart
        return (f"<p>{first}</p><p>Det justerede skøn ligger så tæt på landsgennemsnittet, at selv meget store "
                "sagstal ikke kunne skelne dem.</p>"), said
    pw = float(power(a.n, p1, reference=p0, alternative=alt)["power"].iloc[0])
    years = need / per_year
    y = _int(round(years)) if years >= 10 else _num(years, 1)
    second = (f"Hvis den sande omgørelsesprocent er det justerede skøn, {_pct(p1)}, skal der omkring "
              f"{_v('cases_needed', need, _int(need))} sager til, før en eksakt ensidet test (5 %-niveau, 80 % "
              f"teststyrke) kan skelne den fra landsgennemsnittet: omkring {_v('years_needed', years, y)} års sager "
              f"i {html.escape(name)} med {_num(per_year, 1)} sager om året. Med de {a.n} sager er teststyrken "
              f"{_v('power_now', pw, _pct(pw, 0))}.")
    said += (f"For at kunne skelne en sand omgørelsesprocent på {_pct(p1)} fra landsgennemsnittet skal der omkring "
             f"{_int(need)} sager til, omkring {y} års sager. ")
    return f"<p>{first}</p><p>{second}</p>", said


def _sources(a, ref: _Ref, trend_keys) -> tuple[str, tuple[str, str], str]:
    """The numbered sources, the marks of the counts' and the national rate's sources, and the publishers."""
    from .io.bundle import describe_sources

    counts = [k for k in a.sources["key"] if k not in set(a.national["source"].dropna())]
    src = describe_sources(list(dict.fromkeys([*counts, *ref.keys, *trend_keys])))
    items = "".join(
        "<li>" + html.escape(f"{r.publisher}: {r.title}" + (f" ({r.date})" if r.date else "") + f". {r.url_or_document}"
                             + (" (sekundær kilde: andres gengivelse af officielle tal)"
                                if str(r.source_type).startswith("secondary") else "")) + "</li>"
        for r in src.itertuples())
    mark = {k: f"[{i + 1}]" for i, k in enumerate(src["key"])}
    return (items, (" ".join(mark[k] for k in dict.fromkeys(counts)), " ".join(mark[k] for k in ref.keys)),
            ", ".join(dict.fromkeys(src["publisher"])))


def _summary(name, a, ref: _Ref, pct, est, field_said, needs_said) -> str:
    area, period = _area_da(a.area), _period_da(a.period)
    if not a.n:
        return f"{name} Kommune havde ingen realitetsbehandlede sager på {area} i {period}: der er ingen procent at vurdere."
    out = (f"I {period} afgjorde Ankestyrelsen {a.n} realitetsbehandlede sager fra {name} Kommune på {area}, og "
           f"{a.omgjort} af dem blev omgjort (ændret eller hjemvist): en omgørelsesprocent på {_pct(a.rate)}. Med "
           f"{a.n} sager er tallet usikkert: den sande omgørelsesprocent ligger med {pct} sikkerhed mellem "
           f"{_pct(a.exact[0])} og {_pct(a.exact[1])}. ")
    cannot = ("Tallene siger ikke, hvorfor sagerne blev omgjort: en hjemvisning betyder ofte, at sagen ikke var "
              "tilstrækkeligt oplyst, ikke nødvendigvis at resultatet var forkert; og de siger intet om de afgørelser, "
              "der ikke blev påklaget.")
    if ref.p0 is None:
        return out + "Der er intet landsgennemsnit for området og perioden at sammenligne med. " + cannot
    lo, hi = a.exact
    out += (f"Hele intervallet ligger over landsgennemsnittet på {_pct(ref.p0)}. " if lo > ref.p0 else
            f"Hele intervallet ligger under landsgennemsnittet på {_pct(ref.p0)}. " if hi < ref.p0 else
            f"Intervallet rummer landsgennemsnittet på {_pct(ref.p0)}, så tallene alene kan ikke skelne {name} fra "
            "landet som helhed. ")
    shrunk, above, span = est
    out += (f"Tager man højde for, at få sager giver store tilfældige udsving, er det bedste skøn {_pct(shrunk[0])} "
            f"({pct}-interval {_iv(shrunk[1], shrunk[2])}), og sandsynligheden for, at den sande omgørelsesprocent er "
            f"over landsgennemsnittet, er {_num(above)} ({_num(span[0])} til {_num(span[1])} alt efter, hvor meget "
            "skønnet trækkes mod landsgennemsnittet). ")
    return out + field_said + needs_said + cannot


def _page(d: _Data, rep, a) -> tuple[str, dict]:
    from .report import SIZE_FORMULA, size_prior

    name, pct = rep.kommune, f"{round(100 * rep.level)} %"
    ref = _reference(d, a)
    f = _field(d, a.area, a.period, ref.p0) if a.n and ref.p0 is not None else {}
    sized = (size_prior(f["size"], f["units"], rep.kommunekode, reference=ref.p0, level=rep.level)
             if "size" in f and name in f["units"].index else None)
    folk = ["folk1a_2020"] if sized is not None and sized.error is None else []
    keys = [k for b in rep.areas for k in _reference(d, b).keys]
    items = _sources(a, ref, keys + folk)[0]  # the population's source is listed, but the figures do not use it
    _, marks, publishers = _sources(a, ref, keys)
    fig_src = f"{publishers} ({d.label}); beregnet med danmark"
    info = {"kommune": name, "kommunekode": rep.kommunekode, "area": a.area, "period": a.period, "n": a.n,
            "omgjort": a.omgjort, "rate": a.rate, "exact": a.exact, "p0": ref.p0}
    rows, sens, est, field_said, needs_said = _counts_rows(a, ref, marks, pct), "", None, "", ""
    field = (f"<p>{html.escape(name)} havde ingen realitetsbehandlede sager i perioden.</p>" if not a.n else
             "<p>Tragtdiagram og rangorden kræver tal for alle kommuner i samme område og periode (mindst "
             f"{MIN_FULL} kommuner med sager) og et landsgennemsnit; {html.escape(d.label)} har ikke det. Hent "
             "Talportalens download for alle kommuner (danmarks README, afsnittet »Getting the official data«) og "
             f"kør <code>danmark faktaark {html.escape(name)} --data data.csv</code>.</p>")
    needs = "<p>Kræver mindst én realitetsbehandlet sag og et landsgennemsnit.</p>"
    if a.n and ref.p0 is not None:
        est_rows, sens, *est = _estimates(a, ref, rep, pct)
        rows += est_rows
        info.update(shrunk=est[0][0], prob_above=est[1])
        if sized is not None:
            sens += _size_html(sized, pct)
        if "ranks" in f:
            field, field_said = _field_html(f, name, ref.p0, fig_src)
            if name in f["units"].index:
                info.update(flag=str(f["flags"].loc[name, "flag"]),
                            rank=(float(f["ranks"].loc[name, "rank_lower"]), float(f["ranks"].loc[name, "rank_upper"])))
        needs, needs_said = _needs_html(a, ref.p0, est[0][0], name)
    others = sorted(set(d.table.loc[d.table["kommunekode"] == rep.kommunekode, "area"]) - {a.area})
    scope = f" (som offentliggjort: {html.escape(a.scope)})" if a.scope else ""
    command = (f'danmark faktaark "{name}" --area "{a.area}" --period {a.period}'
               + (f" --data {Path(d.data).name}" if d.data else ""))
    page = (
        _head(f"Faktaark: {name} Kommune, {_area_da(a.area)} {_period_da(a.period)}")
        + f"<h1>Faktaark: omgørelsesprocent for {html.escape(name)} Kommune</h1><p class='sub'><b>"
        f"{_v('area', a.area, _area_da(a.area).capitalize())}{scope}, {_v('period', a.period, _period_da(a.period))}."
        f"</b> Kommunekode {_v('kommunekode', rep.kommunekode)}, {html.escape(rep.region)}. Data: {html.escape(d.label)}."
        + (f" Andre områder i data: {html.escape(', '.join(map(_area_da, others)))} (vælg med --area)." if others else "")
        + "</p>" + _banner(d) + "<h2>Kort fortalt</h2><div class='box'><p>"
        + html.escape(_summary(name, a, ref, pct, est, field_said, needs_said)) + "</p></div>"
        f"<h2>1 · Tallene</h2><div class='grid'><div style='flex:2'><table>{rows}</table></div><div class='sens'>{sens}</div></div>"
        f"<section><h2>2 · {html.escape(name)} blandt alle kommuner</h2>{field}</section>"
        f"<section><h2>3 · Udviklingen over årene</h2>{_trend_html(d, rep, fig_src, pct)}</section>"
        f"<div class='grid'><section><h2>4 · Ændret eller hjemvist</h2>{_split_html(a, rep.level)}</section>"
        f"<section><h2>5 · Hvad skulle der til?</h2>{needs}</section></div>"
        f"<section><h2>Kilder og metode</h2><ol class='src'>{items}</ol><p class='src'>[metode] Omgørelsesprocent = "
        "(ændret + hjemvist) / realitetsbehandlede sager (afviste tæller ikke). Eksakt (Clopper–Pearson) interval; "
        "justeret skøn og sandsynlighed fra en beta-binomial model centreret på landsgennemsnittet (prior_sensitivity); "
        "tragtdiagram efter Spiegelhalter (2005) med overspredning τ² (funnel_flags, overdispersion_fit); rang fra en "
        f"hierarkisk beta-binomial model (BDA3 §5.3, hierarchical, {_DRAWS} træk); udfald fra en Dirichlet-fordeling "
        "(outcome_split); teststyrke fra den eksakte binomialtest (power, cases_needed)"
        + ("; prior efter størrelse fra en beta-binomial regression på log folketal (fit_prior med formula "
           f"{html.escape(SIZE_FORMULA)}) og en likelihood-ratio-test mod den faste prior" if folk else "")
        + ".</p></section>" + _foot(command))
    return page, info


# ------------------------------------------------------------------ entry points


def _one(d: _Data, kommune, area, period, prior_strength, level) -> tuple[str, dict]:
    from .report import kommune_report
    from .table.kommuner import normalize_kommune

    code, name = normalize_kommune(kommune)
    if not (d.table["kommunekode"] == code).any():
        return _missing_page(name, code, d, f"ingen tællinger for {name} i {d.label}"), {"kommune": name, "kommunekode": code}
    chosen = area if area is not None else _default_area(d, code)
    rep = kommune_report(code, area=chosen, data=d.table if d.data else None, prior_strength=prior_strength, level=level,
                         by_size=False)  # the page fits the size prior once per area and period (_field)
    return _page(d, rep, _pick_period(rep, period))


def faktaark(kommune, *, area=None, period=None, data=None, out=None, prior_strength=30.0, level=0.95) -> str:
    """The faktaark of one kommune: a self-contained HTML page in Danish, returned as a string.

    *kommune*, *data* (default: the bundled figures), *prior_strength* and *level* are as in
    :func:`danmark.kommune_report`; *area* defaults to the kommune's area that most kommuner in
    the data have, *period* to that area's latest with cases. A kommune without counts gets a page that
    says what is missing and how to get it. *out*: also write the page there (into a folder:
    as :func:`page_file_name`). Bad input raises :class:`danmark.DataError`.

    Examples
    --------
    >>> page = faktaark("Solrød")
    >>> 'data-k="rate" data-v="0.7142857142857143">71,4 %' in page
    True
    """
    page, info = _one(_read(data, level, prior_strength), kommune, area, period, prior_strength, level)
    if out is not None:
        path = Path(out)
        path = path / page_file_name(info["kommunekode"], info["kommune"]) if path.is_dir() else path
        path.write_text(page, encoding="utf-8")
    return page


def _index(rows: list[dict], d: _Data) -> str:
    def cells(r):
        link = f"<a href='{page_file_name(r['kommunekode'], r['kommune'])}'>{html.escape(r['kommune'])}</a>"
        if not r.get("n"):
            return [link, *([_area_da(r["area"]), _period_da(r["period"]), "ingen sager"] if "n" in r else
                             ["", "", "ingen tal (se siden)"]), "", "", "", "", ""]
        rank = f"nr. {r['rank'][0]:.0f}–{r['rank'][1]:.0f}" if "rank" in r else "–"
        return [link, _area_da(r["area"]), _period_da(r["period"]), f"{r['omgjort']} af {r['n']}", _pct(r["rate"]),
                _iv(*r["exact"]), _pct(r.get("shrunk")), _num(r["prob_above"]) if "prob_above" in r else "–",
                f"{_FLAGS.get(r.get('flag'), '–')}; {rank}"]

    return (_head("Faktaark: oversigt") + "<h1>Faktaark: oversigt over kommunerne</h1>" + _banner(d)
            + f"<p class='sub'>Data: {html.escape(d.label)}. {len(rows)} kommuner i alfabetisk orden, ikke en rangliste "
            "(se rang-intervallerne). Hver kommune har sit eget faktaark med kilder og forklaringer.</p>"
            + _table(["kommune", "område", "periode", "omgjort", "procent", "eksakt interval", "justeret skøn",
                      "P(over landsgns.)", "tragtdiagram; rang (95 %)"], [cells(r) for r in rows], right=(3, 4, 5, 6, 7))
            + _foot("danmark faktaark --all"))


_STATE: dict = {}


def _start(data, folder, area, period, prior_strength, level) -> None:
    """Set up a worker process: read the data once; the funnels and ranks are then cached per worker."""
    import matplotlib

    matplotlib.use("Agg")
    _STATE.update(d=_read(data), args=(Path(folder), area, period, prior_strength, level))


def _write(item: tuple[str, str]) -> dict:
    from .errors import DataError

    code, name = item
    d, (folder, area, period, prior_strength, level) = _STATE["d"], _STATE["args"]
    try:
        page, info = _one(d, code, area, period, prior_strength, level)
    except DataError as err:  # e.g. a kommune without the area or period asked for
        page, info = _missing_page(name, code, d, str(err)), {"kommune": name, "kommunekode": code}
    (folder / page_file_name(code, name)).write_text(page, encoding="utf-8")
    return info


def faktaark_all(*, data=None, out="faktaark", area=None, period=None, prior_strength=30.0, level=0.95,
                 workers=None, progress=True) -> list[Path]:
    """One faktaark per kommune in the data, and ``index.html``, into the folder *out*; returns the paths, index first.

    *workers* processes share the pages (default: one per CPU, at most 4; 1: this process only).
    """
    import multiprocessing as mp
    import os
    from concurrent.futures import ProcessPoolExecutor

    from tqdm.auto import tqdm

    d = _read(data, level, prior_strength)  # bad input fails here, before any worker starts
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    units = d.table.loc[d.table["kommunekode"] != "000", ["kommunekode", "kommune"]].drop_duplicates()
    order = sorted(map(tuple, units.to_numpy()), key=lambda r: r[1].lower())
    workers = min(4, os.cpu_count() or 1) if workers is None else int(workers)
    args = (data, folder, area, period, prior_strength, level)
    bar = {"total": len(order), "desc": "faktaark", "unit": "side", "disable": not progress}
    if workers <= 1 or len(order) < 2:
        _STATE.update(d=d, args=(folder, *args[2:]))
        rows = [_write(item) for item in tqdm(order, **bar)]
    else:
        ctx = mp.get_context("spawn")  # no fork of a process whose readers may hold threads
        with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_start, initargs=args) as pool:
            rows = list(tqdm(pool.map(_write, order, chunksize=4), **bar))
    index = folder / "index.html"
    index.write_text(_index(rows, d), encoding="utf-8")
    return [index, *(folder / page_file_name(c, n) for c, n in order)]
