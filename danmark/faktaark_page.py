"""A kommune's faktaark: one self-contained HTML page in Danish for the kommunalbestyrelse.

Each kommunalbestyrelse must discuss the Danmarkskort every year (retssikkerhedslovens § 79 b):
:func:`faktaark` writes the page for that dagsorden, :func:`faktaark_all` one per kommune and an
index. The page only formats :func:`danmark.kommune_report`: every number on it is the report's,
shown with its exact value in ``data-v`` (named by ``data-k``) for checking, and the reference is
stated with the report's own sentence. Figures are inline SVG, styles inline: nothing is fetched.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from ._defaults import MAX_WORKERS
from ._validate import check_whole
from .errors import ArgumentError, DataError
from .faktaark_html import FLAGS, GUIDE, head, row, table, v
from .report import (
    DEFAULT_LEVEL,
    DEFAULT_PRIOR_STRENGTH,
    DRAWS,
    FUNNEL_LEVELS,
    MIN_FULL,
    SIZE_FORMULA,
    TOP,
    Download,
    check_settings,
    kommune_report,
    read_download,
)
from .table.kommuner import normalize_kommune
from .table.words import (
    area_da,
    cases,
    interval,
    join_da,
    level_pct,
    num,
    official_name,
    pct,
    period_da,
    source_da,
    whole,
)

__all__ = ["faktaark", "faktaark_all", "page_file_name", "page_path", "MIN_FULL", "TOP"]


def page_file_name(kommunekode: str, kommune: str) -> str:
    """File name of a kommune's page: ``page_file_name("269", "Solrød")`` -> ``"269_solroed.html"``."""
    slug = kommune.lower().translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}))
    return f"{kommunekode}_{re.sub(r'[^a-z0-9]+', '-', slug).strip('-')}.html"


def page_path(out, kommune) -> Path:
    """The file a page for *kommune* goes to with ``out=``: *out* itself, or in a folder (an existing one,
    or a name ending in a path separator) the :func:`page_file_name`.

    Examples
    --------
    >>> page_path("sider/", "Solrød").as_posix()
    'sider/269_solroed.html'
    """
    text = str(out)
    path = Path(out)
    try:
        folder = path.is_dir()
    except OSError:  # e.g. a name too long to look up: writing the file will say so
        folder = False
    if folder or text.endswith(("/", "\\")):
        return path / page_file_name(*normalize_kommune(kommune))
    return path


def write_page(path, text: str) -> Path:
    """Write *text* to *path*, creating its folder; :class:`ArgumentError` (argument ``out``) when that fails."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except (OSError, ValueError) as err:
        raise ArgumentError(f"cannot write the page to {str(path)[:200]!r}: {getattr(err, 'strerror', None) or err}",
                            column="out") from err
    return path


# ------------------------------------------------------------------ pieces of the page


def _foot(command: str) -> str:
    from ._versions import VERSION as __version__

    return (f"<footer>Lavet med danmark {__version__} (<code>{html.escape(command)}</code>). Alle tal er beregnet "
            "med danmarks egne funktioner; siden henter intet fra nettet.</footer></body></html>\n")


def _banner(d: Download) -> str:
    out = ('<div class="warn">SYNTETISKE DATA: filnavnet siger SYNTHETIC. Tallene er genereret til test og siger '
           "intet om nogen virkelig kommune.</div>") if d.synthetic else ""
    if d.notes:
        out += ('<p class="small">Bemærkninger fra indlæsningen (på engelsk): '
                + "; ".join(html.escape(n) for n in d.notes) + "</p>")
    return out


def _missing_page(code: str, name: str, d: Download, why: str) -> str:
    title = official_name(code, name)
    have = sorted(d.kommuner()["kommune"])
    where = (f"De tal, der følger med danmark, har kun fulde tællinger for {join_da(have)}"
             if d.bundled and len(have) > 1 else f"{d.label.capitalize()} har ikke de tal, der skal til")
    return (head(f"Faktaark: {title}") + f"<h1>Faktaark: {html.escape(title)}</h1>" + _banner(d)
            + f"<p class='sub'>Kommunekode {code}</p><div class='box'><p><b>Der mangler tal.</b> {html.escape(where)}. "
            "Uden antallet af stadfæstede, ændrede og hjemviste sager kan der ikke beregnes en omgørelsesprocent, et "
            "interval eller nogen af faktaarkets andre tal, så siden viser ingen tal og ingen figurer.</p>"
            f"<p class='small'>({html.escape(why)})</p></div><h2>Sådan hentes de fulde tal</h2>"
            + GUIDE.format(name=html.escape(name)) + _foot(f'danmark faktaark "{name}"'))


def _counts_rows(a, marks: tuple[str, str], lv: str) -> str:
    ref = a.reference_info
    split = (f"stadfæstet {v('stadfaestet', a.stadfaestet)}, ændret {v('aendret', a.aendret)}, hjemvist "
             f"{v('hjemvist', a.hjemvist)}" if a.aendret is not None else
             f"stadfæstet {v('stadfaestet', a.stadfaestet)}; ændret + hjemvist {a.omgjort} (fordelingen står ikke i data)")
    out = row("Realitetsbehandlede sager", v("n", a.n, whole(a.n)), split, marks[0])
    out += row("Afviste sager", v("afvist", a.afvist) if a.afvist is not None else "–",
               "indgår ikke i procenten" + ("" if a.afvist is not None else "; står ikke i data"), marks[0])
    if a.n:
        out += row("Omgørelsesprocent", v("rate", a.rate, pct(a.rate)), f"{v('omgjort', a.omgjort)} af {a.n}; "
                   f"{lv}-interval {v('exact_lower', a.exact[0], pct(a.exact[0])[:-2])}–"
                   f"{v('exact_upper', a.exact[1], pct(a.exact[1]))} (eksakt)", marks[0])
    return out + row("Landsgennemsnit", v("p0", ref.rate, pct(ref.rate)),
                     v("reference_origin", ref.origin, ref.text), marks[1])


def _weight(strength: float) -> str:
    """A prior's weight in cases: '30 sager', '1 sag', '2,5 sager'."""
    return f"{strength:g}".replace(".", ",") + (" sag" if strength == 1 else " sager")


def _estimates(a, rep, lv: str) -> tuple[str, str]:
    """Shrunk estimate, P(above) and the stated prior; the table of how much they depend on the prior's weight."""
    shrunk, prior = a.shrunk, a.prior
    rows = row("Justeret skøn", v("shrunk", shrunk[0], pct(shrunk[0])),
               f"{lv}-interval {v('shrunk_lower', shrunk[1], pct(shrunk[1])[:-2])}–"
               f"{v('shrunk_upper', shrunk[2], pct(shrunk[2]))}: den rå procent trukket mod landsgennemsnittet, "
               "mere jo færre sager", "[metode]")
    rows += row("Sandsynlighed for over landsgennemsnittet", v("prob_above", a.prob_above, num(a.prob_above)),
                f"at den sande omgørelsesprocent er over {pct(a.reference)}. Antagelse: forhåndsfordeling "
                f"Beta({v('prior_alpha', prior.alpha, num(prior.alpha, 1))}; "
                f"{v('prior_beta', prior.beta, num(prior.beta, 1))}), centreret på landsgennemsnittet med vægt "
                f"som {_weight(rep.prior_strength)}", "[metode]")
    sens = ("<p class='small'><b>Hvor meget afhænger det af antagelsen?</b> Samme beregning med forhånds&shy;"
            "fordelingen vægtet som flere eller færre sager:</p>" + table(
                ["vægt", "skøn", f"{lv}-interval", "P(over)"], right=(0, 1, 2, 3), rows=[
                    [f"{r.strength:g}", v(f"sens_estimate_{r.strength:g}", float(r.estimate), pct(r.estimate)),
                     interval(r.lower, r.upper), v(f"sens_prob_above_{r.strength:g}", float(r.prob_above),
                                                   num(r.prob_above))]
                    for r in a.sensitivity.itertuples()]))
    return rows, sens


def _size_html(sp, lv: str) -> str:
    """The prior by the kommune's size (a full download): a sensitivity, with the Holm-corrected test."""
    head_ = "<p class='small'><b>Prior efter kommunens størrelse (følsomhedsberegning).</b> "
    if sp.error:
        return (head_ + f"Kunne ikke beregnes ud fra de {v('size_units', sp.units)} kommuner med sager: "
                f"{html.escape(sp.error)} (på engelsk). Tallene ovenfor bruger den faste prior.</p>")
    pop = f"med {whole(sp.population)} indbyggere" if sp.population else "af samme størrelse"
    weight = (f"vægt som {cases(round(sp.alpha + sp.beta))}" if not sp.no_spread else "så stor vægt, at skønnet er "
              "middelværdien selv: kommunerne spreder sig ikke mere omkring den, end tilfældighed giver")
    tests = ("den ene test" if sp.tests == 1 else f"alle {v('size_tests', sp.tests)} områder og perioder i data, "
             "der har tal for alle kommuner")
    verdict = ("Kommunens størrelse forklarer ikke forskellene; den faste prior står, og skønnet efter størrelse er "
               "kun en følsomhedsberegning." if not sp.size_matters else
               "Kommunens størrelse forklarer en del af forskellene mellem kommunerne, også efter korrektionen; "
               "skønnet efter størrelse er en følsomhedsberegning ved siden af den faste prior, ikke en erstatning.")
    est, lo, hi = sp.shrunk
    cells = ["efter størrelse", v("size_prior_mean", sp.mean, pct(sp.mean)), v("size_shrunk", est, pct(est)),
             "–" if sp.no_spread else f"{v('size_shrunk_lower', lo, pct(lo)[:-2])}–{v('size_shrunk_upper', hi, pct(hi))}",
             v("size_prob_above", sp.prob_above, "–" if sp.no_spread or sp.prob_above is None else num(sp.prob_above))]
    return (head_ + "Forhåndsfordelingens middelværdi kan afhænge af folketallet (beta-binomial regression på log "
            f"folketal for alle {v('size_units', sp.units)} kommuner med sager). For en kommune {pop} er den "
            f"{pct(sp.mean)}, {weight}.</p>"
            + table(["prior", "middel", "skøn", f"{lv}-interval", "P(over)"], [cells], right=(1, 2, 3, 4))
            + "<p class='small'>Test mod den faste prior (likelihood-ratio): p = "
            f"{v('size_lr_pvalue', sp.lr.pvalue, num(sp.lr.pvalue))}; med Holm-korrektion for {tests}: p = "
            f"{v('size_pvalue_holm', sp.pvalue, num(sp.pvalue))}. {v('size_matters', sp.size_matters, verdict)}</p>")


def _field_html(a, rep, fig_src: str) -> tuple[str, str]:
    """Section 2 with a full download, and a sentence for the summary."""
    import matplotlib.pyplot as plt

    from .plotting import PALETTE, funnel_plot, style
    from .plotting.kommune import inline_svg

    f, name, me = a.field, rep.kommune, a.rank
    m = f.units
    if me is None:
        return f"<p>{html.escape(name)} havde ingen realitetsbehandlede sager i perioden.</p>", ""
    flag, flag_od = a.flag, a.flag_od
    od_text = (f"Kommunerne spreder sig mere, end tilfældighed alene giver (φ = {v('phi', f.phi, num(f.phi))}, "
               f"τ² = {v('tau2', f.tau2, num(f.tau2, 4))}), så grænserne i figuren er udvidet for overspredning; "
               f"med dem ligger {html.escape(name)} {v('funnel_flag_od', flag_od, FLAGS.get(flag_od, flag_od))}."
               if f.adjusted else "Kommunerne spreder sig ikke mere, end tilfældighed giver "
               f"(φ = {v('phi', f.phi, num(f.phi))}), så grænserne er de rene binomiale.")
    if f.ranked:
        lo, hi = int(me["rank_lower"]), int(me["rank_upper"])
        rank = ("<b>Rang</b> (1 = højeste omgørelsesprocent; fra en hierarkisk model af alle kommunerne): median nr. "
                f"{v('rank_median', float(me['median_rank']), f'{me.median_rank:.0f}')} af {m}; 95 %-interval "
                f"nr. {v('rank_lower', float(me['rank_lower']), str(lo))} til nr. "
                f"{v('rank_upper', float(me['rank_upper']), str(hi))}. Sandsynlighed for at være blandt de {f.top} "
                f"højeste: {v('p_top', float(me['p_top']), pct(me['p_top'], 0))}.")
    else:
        rank = ("<b>Rang</b>: kan ikke beregnes; den hierarkiske model kræver mindst én kommune med både omgjorte og "
                "ikke-omgjorte sager.")
    with style():
        fig, ax = plt.subplots(figsize=(3.7, 2.55))
        funnel_plot(f.table["omgjort"].to_numpy(), f.table["n"].to_numpy(), f.limits, reference=f.reference, ax=ax)
        ax.plot(me["n"], 100 * me["raw"], "o", ms=6, mec="black", color=PALETTE["orange"], label=name, zorder=4)
        ax.legend(loc="upper right", fontsize=6)
        ax.set_title(f"{m} kommuner; grænser {join_da(level_pct(x) for x in FUNNEL_LEVELS)}"
                     + (", udvidet for overspredning" if f.adjusted else ""), fontsize=7)
        svg = inline_svg(fig, fig_src, "funnel", "Tragtdiagram: omgørelsesprocent mod antal sager for alle kommuner")
    body = (f"<div class='grid'><div><figure>{svg}</figure></div><div>"
            f"<p>Tragtdiagrammet viser alle {v('units', m)} kommuner med sager på området i perioden (orange: "
            f"{html.escape(name)}). Jo flere sager, jo smallere er grænserne for, hvad tilfældighed kan give omkring "
            f"landsgennemsnittet. Med den eksakte binomialtest ligger {html.escape(name)} "
            f"{v('funnel_flag', flag, FLAGS.get(flag, flag))}.</p><p>{od_text}</p><p>{rank}</p></div></div>")
    said = f"Blandt de {m} kommuner med sager i perioden ligger {name} {FLAGS.get(flag, flag)} i tragtdiagrammet"
    said += f", og dens plads i rækkefølgen kan være alt fra nr. {lo} til nr. {hi}. " if f.ranked else ". "
    return body, said


def _trend_html(rep, fig_src: str, lv: str) -> str:
    import matplotlib.pyplot as plt

    from .plotting import style
    from .plotting.kommune import inline_svg, kommune_trend

    nan = float("nan")
    df = pd.DataFrame([{"period": a.period, "rate": a.rate if a.n else nan, "lower": a.exact[0] if a.n else nan,
                        "upper": a.exact[1] if a.n else nan, "n": a.n, "k": a.omgjort,
                        "national": a.reference if a.reference is not None else nan} for a in rep.areas])
    tab = table(["periode", "omgjort", "procent", f"{lv}-interval", "landsgns."], right=(1, 2, 3, 4), rows=[
        [period_da(r.period), f"{r.k} af {r.n}", v(f"trend_rate_{r.period}", r.rate, pct(r.rate)) if r.n else "–",
         interval(r.lower, r.upper) if r.n else "–", pct(r.national)] for r in df.itertuples()])
    if len(df) < 2:
        return (f"{tab}<p>Data har kun én periode for området, så der er ingen udvikling at vise; det kræver tal for "
                "flere år (en fuld download, se afsnit 2).</p>")
    with style():
        fig, ax = plt.subplots(figsize=(3.7, 2.35))
        kommune_trend(df, ax=ax, label="kommunen (eksakt interval)")
        ax.legend(loc="upper left", ncol=2, fontsize=6)
        bottom = 1.0 if sum(len(p) for p in df["period"]) > 48 else 0.72  # room for (rotated) labels with n
        svg = inline_svg(fig, fig_src, "trend", "Kommunens omgørelsesprocent pr. periode med interval og "
                         "landsgennemsnit", margins=(0.55, bottom, 0.12, 0.12))
    return f"<div class='grid'><div><figure>{svg}</figure></div><div>{tab}</div></div>"


def _split_html(a, lv: str) -> str:
    if a.outcomes is None:
        return "<p>Fordelingen på ændret og hjemvist står ikke i data.</p>" if a.n else "<p>Ingen sager.</p>"
    names = {"stadfaestet": "stadfæstet", "aendret": "ændret/ophævet", "hjemvist": "hjemvist"}
    tab = table(["udfald", "sager", "andel", f"{lv}-interval"], right=(1, 2, 3), rows=[
        [names[r.outcome], r.count, pct(r.raw), f"{v(f'split_{r.outcome}_lower', float(r.lower), pct(r.lower)[:-2])}–"
         f"{v(f'split_{r.outcome}_upper', float(r.upper), pct(r.upper))}"] for r in a.outcomes.itertuples()])
    return (f"{tab}<p class='small'>Hvert udfalds andel af de realitetsbehandlede sager med sit eksakte interval "
            "(Clopper–Pearson); omgjort i alt (ændret + hjemvist) er omgørelsesprocenten i afsnit 1 med dens interval. "
            "En hjemvisning betyder ofte, at sagen ikke var tilstrækkeligt oplyst, ikke nødvendigvis at resultatet "
            "var forkert.</p>")


def _needs_html(a, name: str) -> tuple[str, str]:
    """How many fewer reversals reach the reference; how many cases tell the estimate from it (the report's Needs)."""
    nd, p0 = a.needs, a.reference
    first, said = "Omgørelsesprocenten ligger allerede på eller under landsgennemsnittet.", ""
    if nd.fewer is not None:
        left = a.omgjort - nd.fewer
        first = (f"{v('fewer', nd.fewer)} færre omgjorte sager af de {a.n} ville have bragt omgørelsesprocenten ned på "
                 f"landsgennemsnittet ({left} af {a.n} = {pct(left / a.n)}).")
        said = f"Med {nd.fewer} færre omgjorte sager havde {name} ligget på landsgennemsnittet. "
    if nd.cases_needed is None:
        return (f"<p>{first}</p><p>Det justerede skøn ligger så tæt på landsgennemsnittet, at selv meget store "
                "sagstal ikke kunne skelne dem.</p>"), said
    y = whole(nd.years) if nd.years >= 10 else num(nd.years, 1)
    second = (f"Hvis den sande omgørelsesprocent er det justerede skøn, {pct(nd.p1)}, skal der omkring "
              f"{v('cases_needed', nd.cases_needed, whole(nd.cases_needed))} sager til, før en eksakt ensidet test "
              f"(5 %-niveau, 80 % teststyrke) kan skelne den fra landsgennemsnittet på {pct(p0)}: omkring "
              f"{v('years_needed', nd.years, y)} års sager i {html.escape(name)} med {num(nd.per_year, 1)} sager om "
              f"året. Med {'den ene sag' if a.n == 1 else f'de {a.n} sager'} er teststyrken "
              f"{v('power_now', nd.power_now, pct(nd.power_now, 0))}.")
    said += (f"For at kunne skelne en sand omgørelsesprocent på {pct(nd.p1)} fra landsgennemsnittet skal der omkring "
             f"{whole(nd.cases_needed)} sager til, omkring {y} års sager. ")
    return f"<p>{first}</p><p>{second}</p>", said


def _sources(rep, a) -> tuple[str, tuple[str, str], str]:
    """The numbered sources (the page's area, all its periods' references, the population when used),
    the marks of the counts' and the reference's sources, and the publishers of the figures' numbers."""
    frames = [a.sources] + [b.sources for b in rep.areas if b is not a]
    src = pd.concat([f for f in frames if len(f)], ignore_index=True).drop_duplicates("key")
    used = set(a.source_keys) | {k for b in rep.areas for k in b.reference_info.sources}
    items = "".join(
        "<li>" + html.escape(f"{source_da(r.publisher, r.title, r.date)}. {r.url_or_document}"
                             + (" (sekundær kilde: andres gengivelse af officielle tal)"
                                if str(r.source_type).startswith("secondary") else "")) + "</li>"
        for r in src.itertuples())
    mark = {k: f"[{i + 1}]" for i, k in enumerate(src["key"])}
    marks = (" ".join(dict.fromkeys(mark[k] for k in a.source_keys if k in mark)),
             " ".join(dict.fromkeys(mark[k] for k in a.reference_info.sources if k in mark)))
    return items, marks, ", ".join(dict.fromkeys(src.loc[src["key"].isin(used), "publisher"]))


def _summary(rep, a, lv: str, field_said: str, needs_said: str) -> str:
    name, title = rep.kommune, rep.official_name
    area, period = area_da(a.area), period_da(a.period)
    if not a.n:
        return f"{title} havde ingen realitetsbehandlede sager på {area} i {period}: der er ingen procent at vurdere."
    out = (f"I {period} afgjorde Ankestyrelsen {cases(a.n, 'realitetsbehandlet')} fra {title} på {area}, og "
           f"{a.omgjort} af dem blev omgjort (ændret eller hjemvist): en omgørelsesprocent på {pct(a.rate)}. Med "
           f"{cases(a.n)} er tallet usikkert: den sande omgørelsesprocent ligger med {lv} sikkerhed mellem "
           f"{pct(a.exact[0])} og {pct(a.exact[1])}. ")
    cannot = ("Tallene siger ikke, hvorfor sagerne blev omgjort: en hjemvisning betyder ofte, at sagen ikke var "
              "tilstrækkeligt oplyst, ikke nødvendigvis at resultatet var forkert; og de siger intet om de afgørelser, "
              "der ikke blev påklaget.")
    ref = a.reference_info
    if ref.rate is None:
        return out + ref.text + " " + cannot
    p0 = ref.rate
    lo, hi = a.exact
    out += (f"Hele intervallet ligger over landsgennemsnittet på {pct(p0)}. " if lo > p0 else
            f"Hele intervallet ligger under landsgennemsnittet på {pct(p0)}. " if hi < p0 else
            f"Intervallet rummer landsgennemsnittet på {pct(p0)}, så tallene alene kan ikke skelne {name} fra "
            "landet som helhed. ")
    span = (min(a.sensitivity["prob_above"]), max(a.sensitivity["prob_above"]))
    out += (f"Tager man højde for, at få sager giver store tilfældige udsving, er det bedste skøn {pct(a.shrunk[0])} "
            f"({lv}-interval {interval(a.shrunk[1], a.shrunk[2])}), og sandsynligheden for, at den sande "
            f"omgørelsesprocent er over landsgennemsnittet, er {num(a.prob_above)} ({num(span[0])} til {num(span[1])} "
            "alt efter, hvor meget skønnet trækkes mod landsgennemsnittet). ")
    return out + field_said + needs_said + cannot


def _method(folk: bool) -> str:
    return ("[metode] Omgørelsesprocent = (ændret + hjemvist) / realitetsbehandlede sager (afviste tæller ikke). "
            "Eksakt (Clopper–Pearson) interval for procenten og for hvert udfalds andel; justeret skøn og "
            "sandsynlighed fra en beta-binomial model centreret på landsgennemsnittet (prior_sensitivity); "
            "tragtdiagram efter Spiegelhalter (2005) med overspredning τ² (funnel_flags, overdispersion_fit); rang fra "
            f"en hierarkisk beta-binomial model (BDA3 §5.3, hierarchical, {DRAWS} træk); teststyrke fra den eksakte "
            "binomialtest (power, cases_needed)"
            + ("; prior efter størrelse fra en beta-binomial regression på log folketal (fit_prior med formula "
               f"{html.escape(SIZE_FORMULA)}) og en likelihood-ratio-test mod den faste prior, Holm-korrigeret for "
               "alle dataenes områder og perioder" if folk else "") + ".")


def _page(d: Download, rep, a) -> tuple[str, dict]:
    name, title, lv = rep.kommune, rep.official_name, level_pct(rep.level)
    sp = a.size_prior
    items, marks, publishers = _sources(rep, a)
    fig_src = f"{publishers} ({d.label}); beregnet med danmark"
    info = {"kommune": name, "kommunekode": rep.kommunekode, "area": a.area, "period": a.period, "n": a.n,
            "omgjort": a.omgjort, "rate": a.rate, "exact": a.exact, "p0": a.reference}
    rows, sens, field_said, needs_said = _counts_rows(a, marks, lv), "", "", ""
    fld = (f"<p>{html.escape(name)} havde ingen realitetsbehandlede sager i perioden.</p>" if not a.n else
           "<p>Tragtdiagram og rangorden kræver tal for alle kommuner i samme område og periode (mindst "
           f"{MIN_FULL} kommuner med sager) og et landsgennemsnit; {html.escape(d.label)} har ikke det. Hent "
           "Talportalens download for alle kommuner (danmarks README, afsnittet »Getting the official data«) og "
           f"kør <code>danmark faktaark {html.escape(name)} --data data.csv</code>.</p>")
    needs = "<p>Kræver mindst én realitetsbehandlet sag og et landsgennemsnit.</p>"
    if a.shrunk is not None:
        est_rows, sens = _estimates(a, rep, lv)
        rows += est_rows
        info.update(shrunk=a.shrunk[0], prob_above=a.prob_above)
        if sp is not None:
            sens += _size_html(sp, lv)
        if a.field is not None:
            fld, field_said = _field_html(a, rep, fig_src)
            if a.rank is not None and a.field.ranked:
                info.update(flag=a.flag, rank=(float(a.rank["rank_lower"]), float(a.rank["rank_upper"])))
        needs, needs_said = _needs_html(a, name)
    others = sorted(set(d.rows(rep.kommunekode)["area"]) - {a.area})
    scope = f" (som offentliggjort: {html.escape(a.scope)})" if a.scope else ""
    command = (f'danmark faktaark "{name}" --area "{a.area}" --period {a.period}'
               + (f" --data {Path(d.path).name}" if d.path else ""))
    page = (
        head(f"Faktaark: {title}, {area_da(a.area)} {period_da(a.period)}")
        + f"<h1>Faktaark: omgørelsesprocent for {html.escape(title)}</h1><p class='sub'><b>"
        f"{v('area', a.area, area_da(a.area).capitalize())}{scope}, {v('period', a.period, period_da(a.period))}."
        f"</b> Kommunekode {v('kommunekode', rep.kommunekode)}, {html.escape(rep.region)}. Data: {html.escape(d.label)}."
        + (f" Andre områder i data: {html.escape(', '.join(map(area_da, others)))} (vælg med --area)." if others else "")
        + "</p>" + _banner(d) + "<h2>Kort fortalt</h2><div class='box'><p>"
        + html.escape(_summary(rep, a, lv, field_said, needs_said)) + "</p></div>"
        f"<h2>1 · Tallene</h2><div class='grid'><div style='flex:2'><table>{rows}</table></div><div class='sens'>{sens}</div></div>"
        f"<section><h2>2 · {html.escape(name)} blandt alle kommuner</h2>{fld}</section>"
        f"<section><h2>3 · Udviklingen over årene</h2>{_trend_html(rep, fig_src, lv)}</section>"
        f"<div class='grid'><section><h2>4 · Ændret eller hjemvist</h2>{_split_html(a, lv)}</section>"
        f"<section><h2>5 · Hvad skulle der til?</h2>{needs}</section></div>"
        f"<section><h2>Kilder og metode</h2><ol class='src'>{items}</ol><p class='src'>"
        f"{_method(sp is not None and sp.error is None)}</p></section>" + _foot(command))
    return page, info


# ------------------------------------------------------------------ entry points


def _one(d: Download, kommune, area, period, prior_strength, level) -> tuple[str, dict]:
    code, name = normalize_kommune(kommune)
    if d.rows(code).empty:
        return _missing_page(code, name, d, f"ingen tællinger for {name} i {d.label}"), {"kommune": name,
                                                                                          "kommunekode": code}
    chosen = area if area is not None else d.default_area(code)
    rep = kommune_report(code, area=chosen, data=d, prior_strength=prior_strength, level=level, by_size=False,
                         fields=False)  # the trend: rates, intervals and references of every period
    if period is None:
        period = d.latest_period(code, chosen)
    a = kommune_report(code, area=chosen, period=period, data=d, prior_strength=prior_strength, level=level).areas[0]
    return _page(d, rep, a)


def faktaark(kommune, *, area=None, period=None, data=None, out=None, prior_strength=DEFAULT_PRIOR_STRENGTH,
             level=DEFAULT_LEVEL) -> str:
    """The faktaark of one kommune: a self-contained HTML page in Danish, returned as a string.

    *kommune*, *data* (default: the bundled figures), *prior_strength* and *level* are as in
    :func:`danmark.kommune_report`; *area* defaults to the kommune's area that most kommuner in
    the data have, *period* to that area's latest with cases. A kommune without counts gets a page that
    says what is missing and how to get it. *out*: also write the page there (into a folder:
    as :func:`page_file_name`; a missing folder is created). Bad input raises
    :class:`danmark.DataError` or :class:`danmark.ArgumentError`.

    Examples
    --------
    >>> page = faktaark("Solrød")
    >>> 'data-k="rate" data-v="0.7142857142857143">71,4 %' in page
    True
    """
    check_settings(level, prior_strength)
    page, info = _one(read_download(data), kommune, area, period, prior_strength, level)
    if out is not None:
        write_page(page_path(out, info["kommunekode"]), page)
    return page


def _map_key(rows: list[dict], d: Download, area, period):
    """The area and period the index's map shows: a full one with a reference, the one most pages show (then
    the most kommuner with cases, then the latest); None when the download has none."""
    from .report import match_area
    from .table.periods import parse_period

    keys = [key for key in d.fits() if d.reference(*key).rate is not None
            and (area is None or key[0] == match_area(area, d.areas()))
            and (period is None or key[1] in {str(period).strip(), _label(period)})]
    shown = [(r["area"], r["period"]) for r in rows if r.get("n")]
    return min(keys, default=None, key=lambda key: (-shown.count(key), -len(d.units(*key)),
                                                    -parse_period(key[1])[2].value, key[0]))


def _label(period) -> str:
    from .table.periods import parse_period

    try:
        return parse_period(period)[0]
    except DataError:
        return str(period).strip()


def _map(rows: list[dict], d: Download, area, period, prior_strength, level) -> str:
    """The index's Danmarkskort: drawn from :func:`danmark.report.report_table` on the pages' own download."""
    from .report import report_table
    from .tables_out.map_html import estimates_map_html

    key = _map_key(rows, d, area, period)
    if key is None:
        have = ("de tal, der følger med danmark, har kun enkelte kommuner" if d.bundled else
                f"{d.label} har ikke tal for alle kommuner i samme område og periode")
        return (f"<p class='box'>Danmarkskortet over alle kommuner kræver en fuld download fra Talportalen (mindst "
                f"{MIN_FULL} kommuner med sager i samme område og periode, og Hele landet); {html.escape(have)}.</p>")
    table = report_table(d, area=key[0], period=key[1], prior_strength=prior_strength, level=level, grades=False)
    block = estimates_map_html(table, area=key[0], period=key[1], link=page_file_name,
                               data_name=Path(d.path).name if d.path else None, with_table=False)
    return (block + "<p class='small'>Karakterer (»report card«) er ikke med på oversigten: de kræver en tung "
            "optimering for hvert område og hver periode. <code>danmark tabel --karakterer</code> beregner dem.</p>")


def _sortable(head: list[str], rows: list[list[tuple[str, object]]], right=()) -> str:
    """A table that sorts by a click on a header (inline script, nothing fetched); each cell (text, value) keeps
    its exact value in ``data-v`` for sorting."""
    c = [" class='r'" if j in right else "" for j in range(len(head))]

    def cell(j, text, value):
        value = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
        value = repr(float(value)) if isinstance(value, float) else str(value)
        return f'<td{c[j]} data-v="{html.escape(value)}">{text}</td>'

    return ("<table class='dk-sortable'><thead><tr>" + "".join(
        f"<th{c[j]} scope='col' title='klik for at sortere'>{h}</th>" for j, h in enumerate(head))
        + "</tr></thead><tbody>" + "".join("<tr>" + "".join(cell(j, *x) for j, x in enumerate(r)) + "</tr>"
                                           for r in rows) + "</tbody></table>")


def _index(rows: list[dict], d: Download, map_html: str = "") -> str:
    from .tables_out.map_html import SORT_CSS, SORT_SCRIPT

    def cells(r):
        link = (f"<a href='{page_file_name(r['kommunekode'], r['kommune'])}'>{html.escape(r['kommune'])}</a>",
                r["kommune"])
        if not r.get("n"):
            what = ([(area_da(r["area"]), area_da(r["area"])), (period_da(r["period"]), r["period"]),
                     ("ingen sager", 0)] if "n" in r else [("", ""), ("", ""), ("ingen tal (se siden)", "")])
            return [link, *what, *[("", "")] * 5]
        rank = f"nr. {r['rank'][0]:.0f}–{r['rank'][1]:.0f}" if "rank" in r else "–"
        return [link, (area_da(r["area"]), area_da(r["area"])), (period_da(r["period"]), r["period"]),
                (f"{r['omgjort']} af {r['n']}", r["n"]), (pct(r["rate"]), r["rate"]),
                (interval(*r["exact"]), r["exact"][0]), (pct(r.get("shrunk")), r.get("shrunk")),
                (num(r["prob_above"]) if "prob_above" in r else "–", r.get("prob_above")),
                (f"{FLAGS.get(r.get('flag'), '–')}; {rank}", r["rank"][0] if "rank" in r else None)]

    return (head("Faktaark: oversigt") + "<h1>Faktaark: oversigt over kommunerne</h1>" + _banner(d)
            + map_html + f"<h2>Alle kommuner</h2><p class='sub'>Data: {html.escape(d.label)}. {len(rows)} kommuner i "
            "alfabetisk orden, ikke en rangliste (se rang-intervallerne); klik på en kolonne for at sortere. Hver "
            "kommune har sit eget faktaark med kilder og forklaringer.</p>" + ("" if map_html.startswith("<section") else SORT_CSS)
            + _sortable(["kommune", "område", "periode", "omgjort", "procent", "eksakt interval", "justeret skøn",
                         "P(over landsgns.)", "tragtdiagram; rang (95 %)"], [cells(r) for r in rows],
                        right=(3, 4, 5, 6, 7))
            + SORT_SCRIPT + _foot("danmark faktaark --all"))


_STATE: dict = {}


def _start(d: Download, folder, area, period, prior_strength, level) -> None:
    """Set up a worker process with the download, read and fitted once in the parent."""
    import matplotlib

    matplotlib.use("Agg")
    _STATE.update(d=d, args=(Path(folder), area, period, prior_strength, level))


def _write(item: tuple) -> dict:
    code, name, shared = item
    d, (folder, area, period, prior_strength, level) = _STATE["d"], _STATE["args"]
    if shared is not None:  # computed once in the parent: the size prior's p-values and this page's field
        d.adopt(**shared)
    try:
        page, info = _one(d, code, area, period, prior_strength, level)
    except DataError as err:  # e.g. a kommune without the area or period asked for
        page, info = _missing_page(code, name, d, str(err)), {"kommune": name, "kommunekode": code}
    write_page(folder / page_file_name(code, name), page)
    return info


def _fit(key):
    """In a worker: the size prior's fit of one area and period, kept in the worker's download; its LR p-value."""
    lr = _STATE["d"].size_fit(*key)[1]
    return key, None if lr is None else lr.pvalue


def _page_key(d: Download, code: str, area, period):
    """The (area, period) a kommune's page shows, or None when the kommune lacks the area."""
    if d.rows(code).empty:
        return None
    chosen = area if area is not None else d.default_area(code)
    if chosen not in set(d.rows(code)["area"]):
        return None
    return chosen, period if period is not None else d.latest_period(code, chosen)


def _shared(pool, d: Download, order, area, period) -> list:
    """The work the pages share, spread before the pages start: the size prior's fits of every full area and
    period in the workers (their Holm correction needs them all), meanwhile the pages' fields here."""
    pending = pool.map(_fit, d.fits())
    keys = {code: _page_key(d, code, area, period) for code, _ in order}
    fields = {key: d.field(*key) for key in set(keys.values()) - {None}}
    pvalues = dict(pending)
    d.adopt(size_pvalues=pvalues)
    return [(code, name, {"size_pvalues": pvalues, "fields": {keys[code]: fields[keys[code]]} if keys[code] else {}})
            for code, name in order]


def _can_spawn() -> bool:
    """Whether a spawned worker can start: it re-imports the main script, so that must be a file (or absent)."""
    import sys

    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    return main_file is None or Path(main_file).exists()


def faktaark_all(*, data=None, out="faktaark", area=None, period=None, prior_strength=DEFAULT_PRIOR_STRENGTH,
                 level=DEFAULT_LEVEL, workers=None, progress=True) -> list[Path]:
    """One faktaark per kommune in the data, and ``index.html``, into the folder *out*; returns the paths, index first.

    *workers* processes share the pages (default: one per 16 pages, at most one per CPU and 4; 1: this
    process only). A missing folder is created.
    """
    import multiprocessing as mp
    import os
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from tqdm.auto import tqdm

    check_settings(level, prior_strength)
    d = read_download(data)  # bad input fails here, before any worker starts
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ArgumentError(f"cannot create the folder {str(folder)[:200]!r}: {err.strerror or err}",
                            column="out") from err
    order = [tuple(x) for x in d.kommuner()[["kommunekode", "kommune"]].to_numpy()]
    # a worker costs a second or two to start: one per 16 pages, at most one per CPU and four
    workers = (min(4, os.cpu_count() or 1, max(1, len(order) // 16)) if workers is None
               else check_whole(workers, "workers"))
    if workers > MAX_WORKERS:
        raise ArgumentError(f"workers must be a whole number from 1 to {MAX_WORKERS}; got {workers}", column="workers")
    bar = {"total": len(order), "desc": "faktaark", "unit": "side", "disable": not progress}
    if workers > 1 and not _can_spawn():
        workers = 1  # a script read from standard input: a spawned worker cannot import it, and would never start
    rows = None
    if workers > 1 and len(order) >= 2:
        ctx = mp.get_context("spawn")  # no fork of a process whose readers may hold threads
        try:
            with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_start,
                                     initargs=(d, folder, area, period, prior_strength, level)) as pool:
                items = _shared(pool, d, order, area, period)
                rows = list(tqdm(pool.map(_write, items, chunksize=4), **bar))
        except BrokenProcessPool:  # a worker died (killed, out of memory): the pages are written here instead
            rows = None
    if rows is None:
        _STATE.update(d=d, args=(folder, area, period, prior_strength, level))
        rows = [_write((code, name, None)) for code, name in tqdm(order, **bar)]
    index = write_page(folder / "index.html", _index(rows, d, _map(rows, d, area, period, prior_strength, level)))
    return [index, *(folder / page_file_name(c, n) for c, n in order)]

