# %% [markdown]
# # 00 · Start her: hvad Danmarkskortet måler, og hvad kommunernes indvendinger holder til
#
# Hvert år offentliggør ministeriet for hver af de 98 kommuner den andel af de påklagede sociale
# afgørelser, som Ankestyrelsen omgør: **omgørelsesprocenten**. Kortet bruges også til at udvælge
# kommuner til taskforce handicaps længerevarende forløb: af otte forløb om året er fire reserveret
# til kommuner med størst behov for hjælp, udvalgt på baggrund af Danmarkskortet. I 2024 blev seks
# kommuner tilbudt et reserveret forløb, og to takkede nej (ministerens orientering af Folketingets
# Socialudvalg, 29. maj 2024). Flere kommuner har svaret, at deres tal hviler på få sager eller
# tæller de forkerte ting som fejl. Notesbøgerne i denne mappe efterprøver de svar med data og med
# en ærlig angivelse af usikkerheden.
#
# Denne notesbog giver først **konklusionerne på én side**, og viser derefter (1) hvordan
# omgørelsesprocenten beregnes, (2) hvilke offentliggjorte tal der følger med, og hvor hvert tal
# kommer fra, (3) hvordan en fuld officiel download indlæses, så alle notesbøger kan køres på den,
# og (4) det faktaark, en kommune kan sætte på kommunalbestyrelsens dagsorden.

# %% tags=["setup"]
import itertools
import os

import pandas as pd

import danmark
from danmark.plotting import area_name, fmt_pct

_ids = itertools.count()
KILDER = []  # every source cited on the page; the full list is at the end


def kilde(*keys):
    """A readable citation ("Solrød Kommune 2024"), remembered for the list of sources at the end."""
    KILDER.extend(keys)
    return "; ".join(danmark.citation(k) for k in keys)


def tabel(df, *, index=True, decimaler=1, formater=None):
    """danmark.danish_table with a fresh table id per table; *formater* names the percent columns."""
    procent = [c for c in (formater or {}) if c in df.columns]
    return danmark.danish_table(df, index=index, decimals=decimaler, percent=procent, table_id=f"t{next(_ids)}")


def komma(x, decimaler=2):
    return f"{x:.{decimaler}f}".replace(".", ",")


def pri(rep):
    return (f"P(over landsraten) = {komma(rep.prob_above_other[10.0])} / {komma(rep.prob_above)} / "
            f"{komma(rep.prob_above_other[100.0])} ved priorvægt 10 / 30 / 100")


def tal(rep):
    return (f"{rep.omgjort} af {rep.n} = {fmt_pct(rep.omgjort / rep.n)} (eksakt interval "
            f"{fmt_pct(rep.exact[0])}–{fmt_pct(rep.exact[1])}); krympet skøn {fmt_pct(rep.shrunk[0])} "
            f"({fmt_pct(rep.shrunk[1])}–{fmt_pct(rep.shrunk[2])}) ved priorvægt 30")


danmark.danish_warnings()  # danmarks advarsler (fx om en download) som én dansk linje

# %% [markdown]
# ## Konklusionerne på én side
#
# For hvert af de fire kommunale dokumenter og for ministerens beskrivelse af udvælgelsen, i samme
# form: påstanden med dokumentets egne ord («…», ordret), dokumentets øvrige grunde og det, det selv
# indrømmer, vurderingen, nøgletallet med dets interval, hvor meget vurderingen afhænger af prioren
# (den antagne spredning mellem kommuner, se notesbog 01), og hvilke data der ville afgøre sagen.
# Vurderingerne bruger de samme ord overalt: **Holder**, **Delvist**, **Kan ikke efterprøves** og
# **Afhænger af …** (når svaret vender på et ukendt tal, som så står der). Tallene beregnes her med
# de samme kald som i notesbøgerne 02–07. Intervallerne er 95 %. En *sekundær* kilde er en, der
# gengiver andres tal (presse, blogs, foreninger); hvor en sådan bærer en vurdering, står det i
# tabellen. Kilderne er angivet som »Solrød Kommune 2024«; den fulde liste står sidst.

# %%
solrod = danmark.kommune_report("Solrød").areas[0]          # priorvægt 30 (standard), landsrate 2020–2022
helsingor = danmark.kommune_report("Helsingør").areas[0]    # landsrate: seneste år, 2022 (38,9 %)
solrod_90 = danmark.reference_at_probability(solrod.omgjort, solrod.n, strength=30, probability=0.9)
helsingor_band = [danmark.prob_at_least(10, helsingor.n, helsingor.reference, strength=s) for s in (None, 30)]
helsingor_flertal = [danmark.majority_reference(10, helsingor.n, strength=s) for s in (None, 100, 30, 10)]
odsherred = danmark.audit_bound(1, [10, 20], level=0.95).set_index("reviewed")["upper_exact"]
frederiksberg = danmark.audit_bound(0, 15, level=0.95).iloc[0]
national_2019 = danmark.national_rate("socialomraadet", "2019").iloc[0]
scenario_b = danmark.taskforce_scenarios()["B"]     # handicap, 3½ år: det scenarie, der svarer til udvælgelsen
selection = danmark.simulate_selection(scenario_b.counts["n"], scenario_b.reference, top=4, size=50_000, seed=2024,
                                       progress=False, reference=10 / 14)  # notesbog 07, scenarie B
to_smallest = selection.units.loc[scenario_b.counts["n"].nsmallest(10).index, "p_selected"].sum() / 4
for label, rows in [("Solrød", solrod.national), ("Helsingør", helsingor.national.dropna().tail(1)),
                    ("Frederiksberg", national_2019.to_frame().T)]:
    years = ", ".join(f"{r.period}: {komma(r.omg_pct, 1)} % ({kilde(r.source)})" for r in rows.itertuples())
    print(f"{label}, landsrate brugt: {years}")

# %% tags=["verdict-table"]
verdicts = pd.DataFrame([
    {"Hvem": "Solrød (voksenhandicap, 2020–1. halvår 2023)",
     "Påstanden med kommunens ord": "«ganske få sager, og der er ikke paragraffer, der skiller sig markant ud (fx høje "
        "omgørelsesprocenter i alle årene)»; samlet: «der er tale om fejl i få sager igennem en årrække» "
        f"({kilde('seed_solrod_2024')}).",
     "Øvrige grunde og indrømmelser": "Hovedgrundene: et netop gennemført serviceeftersyn (E&Y, 2021–2023), som "
        "overlapper forløbet, og hvis anbefalinger stadig gennemføres, og de ressourcer, et toårigt forløb og et nyt "
        "fagsystem kræver. Indrømmer, at et forløb «også vil have en retssikkerhedsmæssig værdi for sagsbehandlingen og "
        "borgerne, og at det på sigt kan være en mulighed».",
     "Vurdering": "Holder i det, der kan efterprøves: 10 omgørelser på 3½ år (ca. 3 om året) er få fejl, og 71 % på 14 "
        "sager er meget usikker. De få sager gør dog ikke tallet tomt: er de udvalgte paragraffers landsrate som hele "
        "voksenhandicapområdets, ligger Solrød sandsynligvis over den. At ingen paragraf skiller sig ud, kan ikke "
        "efterprøves (ingen tal pr. paragraf og år).",
     "Nøgletal": f"{tal(solrod)}; landsrate {fmt_pct(solrod.reference)} (gennemsnit 2020–2022; 2022 fra en blog, "
        f"sekundær kilde). P(over) er mindst 0,9 ved priorvægt 30, så længe de udvalgte paragraffers landsrate er under "
        f"{fmt_pct(solrod_90)}.",
     "Afhængighed af prior": f"{pri(solrod)}.",
     "Data der ville afgøre det": "Landsraten for de samme paragraffer og år, og Solrøds tal pr. år og paragraf "
        "(Ankestyrelsens Talportal)."},
    {"Hvem": "Odsherred (børnehandicap, 2024)",
     "Påstanden med kommunens ord": "Revisionen fandt fejl i én sag: «der kun blev fundet fejl i en enkelt af sagerne»; "
        "og om hjemvisninger efter ny praksis: «Sådanne sager tæller også med som \"fejl\" i opgørelsen i "
        f"danmarkskortet.» ({kilde('seed_odsherred_2024')}).",
     "Øvrige grunde og indrømmelser": "Hovedgrundene: ingen kapacitet i 2024 midt i en femårig udviklingsplan med ny "
        "ledelse og mange nye medarbejdere, og ønsket om et forløb i 2026. Indrømmer, at «Familieafdelingen er i denne "
        "periode generelt udfordret på sagsbehandlingen», og at der i juli 2023 i enkelte sager «ikke blev fulgt op på hjemviste afgørelser».",
     "Vurdering": "Delvist. Én fejl siger ikke meget, når antallet af gennemgåede sager er ukendt. Hjemvisninger efter "
        "ny praksis tæller som omgørelser, men en ny principmeddelelse rammer alle kommuner med verserende sager og "
        "hæver også landsraten, så Odsherreds placering flytter sig kun, hvis kommunen blev ramt uforholdsmæssigt. "
        "Hovedgrundene er ikke statistiske.",
     "Nøgletal": f"Hvis revisionen gennemgik 10 sager, er 1 fejl forenelig med en fejlrate op til {fmt_pct(odsherred[10])}; "
        f"hvis 20, op til {fmt_pct(odsherred[20])} (eksakt ensidet grænse). Antallet er ikke oplyst.",
     "Afhængighed af prior": "Ingen prior; afhænger af det ukendte antal gennemgåede sager.",
     "Data der ville afgøre det": "Odsherreds tal fordelt på afgørelsestype; revisionens design; Ankestyrelsens "
        "begrundelse for hver hjemvisning (udvidet ankestatistik)."},
    {"Hvem": "Frederiksberg (socialområdet, 2019)",
     "Påstanden med kommunens ord": "«Socialafdelingen har en lavere omgørelsesprocent end landsgennemsnittet», "
        "«da væsentligt flere afgørelser fastholdes»; revisor gennemgik 15 tilfældigt udvalgte sagstyper: «Der er ved "
        "revisionens gennemgang ikke fundet væsentlige eller systematiske/generelle fejl» "
        f"({kilde('seed_frederiksberg_2020')}).",
     "Øvrige grunde og indrømmelser": "Et referat, ikke et afslag: udvalget tog opfølgningen til efterretning. "
        "Indrømmer «få egentlige fejl, hvoraf de fleste omhandler indtastningsfejl og forkert brug af fagsystemet "
        "Sensum», og at der «altid vil være sandsynlighed for fejl og mangler i sagsbehandlingen».",
     "Vurdering": "Kan ikke efterprøves: Frederiksbergs egne tal er ikke i datapakken. Revisionens fund holder som "
        "oplyst, men 15 gennemgåede sagstyper afgrænser kun væsentlige fejl, og løst. Er procenten lavere, er det "
        "evidens for en lavere omgørelsesprocent, og svagere evidens for bedre sagsbehandling.",
     "Nøgletal": f"0 af 15: op til {fmt_pct(frederiksberg['upper_exact'])} med væsentlige fejl (eksakt ensidet "
        f"grænse); landsrate 2019 {national_2019['omg_pct']:.0f} % ({kilde(national_2019['source'])}, sekundær kilde).",
     "Afhængighed af prior": "Ingen prior.",
     "Data der ville afgøre det": "Frederiksbergs tal for 2019 fordelt på afgørelsestype; ministeriets landsrate "
        "og sagstal for 2019; revisors udtræk."},
    {"Hvem": "Helsingør (voksenhandicap, 2024)",
     "Påstanden med kommunens ord": "22 afgørelser, 12 omgjort (55 %), heraf 10 hjemvist; «Samme niveau ses i "
        f"flertallet af kommuner.» ({kilde('seed_helsingor_2025')}).",
     "Øvrige grunde og indrømmelser": "Forklarer hjemvisningerne: «Kompleksiteten i sagerne er stor, og afgørelserne er "
        "lange», og «hvis ét af forholdene i sagen mangler dokumentation, hjemvises sagen». Skriver, at kommunen "
        "«arbejder målrettet med at nedbringe antallet af hjemvisningssager».",
     "Vurdering": "Afhænger af landsraten for 2024, som ikke er kendt: 10 af 22 eller mere er flertallets niveau, hvis "
        f"landsraten var mindst {fmt_pct(min(helsingor_flertal))}–{fmt_pct(max(helsingor_flertal))} (efter antaget "
        "spredning); ved de seneste kendte landsrater (34–39 %) er det en stor minoritet, ikke et flertal. Mønstret "
        "(hjemvisninger dominerer) er landsmønstret. På 22 sager er Helsingør ikke klart over landsraten.",
     "Nøgletal": f"{tal(helsingor)}; 10 af 22 eller flere hos {komma(helsingor_band[0])}–{komma(helsingor_band[1])} "
        f"af kommuner med 22 sager ved landsraten {fmt_pct(helsingor.reference)} (2022, fra en blog, sekundær kilde).",
     "Afhængighed af prior": pri(helsingor) + ". Vendepunktet flytter sig under et halvt point med spredningen.",
     "Data der ville afgøre det": "Tal for 2024 for alle 98 kommuner på samme kort og landsraten for 2024."},
    {"Hvem": "Taskforcens udvælgelse",
     "Påstanden med kommunens ord": "Af otte forløb om året: «fire forløb er reserveret til kommuner med størst "
        "behov for hjælp – udvalgt på baggrund af Ankestyrelsens Danmarkskort over omgørelsesprocenter» "
        f"({kilde('seed_minister_2024')}).",
     "Øvrige grunde og indrømmelser": "Brevet siger ikke, hvordan behovet aflæses af kortet. Solrøds brev oplyser, at "
        "udvælgelsen byggede på klagesager fra 2020 til og med første halvår 2023 på udvalgte paragraffer.",
     "Vurdering": "Kan ikke efterprøves, hvordan taskforcen faktisk udvælger. En regel efter rå omgørelsesprocent ville "
        "ikke pålideligt finde behovet.",
     "Nøgletal": f"SIMULERET (scenarie B, som svarer til udvælgelsen: handicap, 3½ år): var alle kommuner lige gode, "
        f"gik {fmt_pct(to_smallest, decimals=0)} af udvælgelserne efter rå procent til de 10 mindste kommuner (rimelig "
        "andel 10 %); sagstal antaget proportionale med folketal og kalibreret til Solrøds 14 sager.",
     "Afhængighed af prior": "Ingen prior i simuleringen, hvor alle er ens; når kommunerne reelt er forskellige, "
        "afhænger sammenligningen af reglerne af den antagne spredning (notesbog 07).",
     "Data der ville afgøre det": "Taskforcens faktiske udvælgelsesregel og de fulde sagstal for alle kommuner."},
])
(verdicts.style.hide(axis="index").set_uuid("konklusioner")
 .set_caption("Konklusioner på én side. Kilder: dokumenterne i kolonnen »Påstanden med kommunens ord« (fuld liste "
              "sidst i notesbogen); beregninger i notesbøgerne 02–07.")
 .set_table_attributes('class="konklusioner"')
 .set_table_styles([
     {"selector": "", "props": "border-collapse: collapse; font-size: 0.9em;"},
     {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold; padding: 0.4em 0;"},
     {"selector": "th", "props": "text-align: left; vertical-align: bottom; border-bottom: 2px solid #333; "
                                 "padding: 0.3em 0.5em;"},
     {"selector": "td", "props": "text-align: left; vertical-align: top; border-bottom: 1px solid #ccc; "
                                 "padding: 0.4em 0.5em; min-width: 9em;"},
     {"selector": "td.col0", "props": "font-weight: bold; min-width: 7em;"},
 ]))

# %% [markdown]
# **Sekundære kilder.** Tre sammenligningstal i tabellen er ikke fundet i en officiel kilde:
# landsraten for voksenhandicap 2022 (38,9 %, fra en blog, der gengiver en analyse af Talportalens
# data), landsraten for socialområdet 2019 (41 %, DK Nyt) og de 8.631 realitetsbehandlede sager i
# 2022 (NB-Kommune, 15. marts 2023, fagpresse, der citerer NB-Social), som notesbøgerne 01, 04 og 07
# bruger til at skalere sagstal; samme artikel er kilden til listerne over kommuner over 55 % og
# under 25 % i 2022.
# Landsraten for voksenhandicap 2018, 32 % (op fra 21 % i 2017), stammer fra Danske
# Handicaporganisationers pressemeddelelse af 7. marts 2019; også den er sekundær.

# %% [markdown]
# ## 1 · Sådan beregnes omgørelsesprocenten
#
# Ankestyrelsen afgør hver klage på én af fire måder: **stadfæstet** (kommunens afgørelse står
# ved magt), **ændret/ophævet**, **hjemvist** (sendt tilbage til kommunen til ny behandling) eller
# **afvist** (uden en afgørelse af sagens realitet). Kun de tre første er *realitetsbehandlede
# sager*, og
#
# $$\text{omgørelsesprocent} = \frac{\text{ændret/ophævet} + \text{hjemvist}}{\text{stadfæstet} + \text{ændret/ophævet} + \text{hjemvist}}.$$
#
# Afviste sager tæller ikke med. Ankestyrelsens eget regneeksempel (ordforklaringen til statistikken
# på ast.dk) har 19 hjemviste, 5 ændrede og 105 stadfæstede sager. `danmark.with_rates` beregner
# antallet af realitetsbehandlede og omgjorte sager og procenten ud fra de tre tal, og afviste sager
# ændrer intet:

# %%
example = pd.DataFrame(
    {"stadfaestet": [105, 105], "aendret": [5, 5], "hjemvist": [19, 19], "afvist": [0, 30]},
    index=["regneeksemplet", "samme, med 30 afviste"],
)
DANSKE_NAVNE = {"stadfaestet": "stadfæstet", "aendret": "ændret/ophævet", "hjemvist": "hjemvist", "afvist": "afvist",
                "n": "realitetsbehandlede", "omgjort": "omgjort", "omg_pct": "omgørelsesprocent", "kommune": "kommune",
                "period": "periode", "area": "område", "source": "kilde"}
tabel(danmark.with_rates(example).rename(columns=DANSKE_NAVNE))

# %% [markdown]
# (19 + 5) / 129 = 18,6 %, som Ankestyrelsen skriver som 19 %. Bemærk, hvad tallet slår sammen: en
# *hjemvisning* skyldes ofte, at sagen ikke var tilstrækkeligt oplyst, eller at nye oplysninger eller
# en ny praksis er kommet til; den er ikke det samme som et forkert resultat. Notesbøgerne 03 og 05
# vender tilbage til det.

# %% [markdown]
# ## 2 · Hvilke tal følger med
#
# danmark indeholder **kun offentliggjorte tal**, og hver række nævner sin kilde. En komplet tabel
# over sagstal for alle 98 kommuner har ikke kunnet skaffes; de officielle kort og Ankestyrelsens
# Talportal har dem (afsnit 3 viser, hvordan de bruges). Det, der følger med:

# %%
tables = {
    "sagstal (alle tre udfald)": danmark.load_cases(),
    "offentliggjorte procenter, grænser og delvise tal": danmark.load_published_rates(),
    "landstal": danmark.load_national(),
    "påstande, der efterprøves": danmark.load_claims(),
}
tabel(pd.DataFrame({
    "rækker": {name: len(t) for name, t in tables.items()},
    "kommuner": {name: t["kommune"].nunique() if "kommune" in t else 0 for name, t in tables.items()},
    "kilder": {name: t["source"].nunique() for name, t in tables.items()},
}))

# %% [markdown]
# Rækkerne med alle tre udfald og de afledte procenter. Solrøds og Helsingørs tal stammer fra
# kommunernes egne dokumenter, de øvrige fra en kommunes nyhedsside og fra lokalpressen. Sorø og
# Morsø dækker andre områder end Danmarkskortets; kolonnen »område« siger hvilke:

# %%
cases = danmark.load_cases()
OMRAADER = {"social_og_beskaeftigelse_i_alt": "social- og beskæftigelsesområdet i alt",
            "serviceloven_klagestatistik": "serviceloven i alt (klagestatistik)"}
shown = cases[["kommune", "period", "area", "stadfaestet", "aendret", "hjemvist", "afvist", "n", "omgjort", "omg_pct",
               "source"]].assign(area=cases["area"].map(lambda a: OMRAADER.get(a) or area_name(a)),
                                 omg_pct=cases["omg_pct"] / 100, period=cases["period"].map(danmark.period_name),
                                 source=[kilde(s) for s in cases["source"]])
tabel(shown.rename(columns=DANSKE_NAVNE), index=False, formater={"omgørelsesprocent": fmt_pct})

# %% [markdown]
# Landstallene, ét foretrukket tal pr. år og område (hvor kilderne er uenige, beholdes alle rækker,
# og den officielle markeres som foretrukket; `data/README.md` giver reglen):

# %%
nat = danmark.load_national(preferred_only=True)
maps = nat[nat["area"].isin(["socialomraadet", "boernehandicap", "voksenhandicap"])]
trend = maps.pivot(index="period", columns="area", values="omg_pct") / 100
trend = trend.rename(columns=area_name).rename_axis(index="år", columns="område")
tabel(trend, formater={c: fmt_pct for c in trend.columns})

# %% [markdown]
# Voksenhandicap 2017 (21 %) skiller sig ud. Datapakken fastlægger én læsning af kilderne, som alle
# notesbøger bruger (`danmark.suite_fact`):

# %%
print(danmark.suite_fact("voksenhandicap_2017"))
KILDER += ["sm.dk:omgoerelsesprocenter-paa-voksenhandicapomraadet-",
           "handicap.dk:alt-for-mange-fejl-i-sager-om-boern-med-handicap"]

# %% [markdown]
# Hver kilde har en udgiver, en titel og en URL eller et dokument, og er markeret som *primær* (den
# myndighed eller kommune, der har tallene, offentliggør dem selv) eller *sekundær* (andre gengiver
# dem):

# %%
src = danmark.load_sources().set_index("key")
kind = src["source_kind"].map({"primary": "primær", "secondary": "sekundær"})
tabel(kind.value_counts().rename("kilder").rename_axis("primær eller sekundær").to_frame())

# %% [markdown]
# Fire af kilderne, som notesbøgerne bruger til landstal og sammenligninger:

# %%
keys = ["sm.dk:omgoerelsesprocenter-paa-socialomraadet-i-2022",
        "handicap.dk:alt-for-mange-fejl-i-sager-om-boern-med-handicap", "kl.dk:fejl-i-handicapsager",
        "sn.dk:flere-omgjorte-klagesager-om-udsatte-boern"]
KILDER += keys
fire = danmark.reference_list(keys)
fire["primær eller sekundær"] = fire["henvisning"].map({danmark.citation(k): kind[k] for k in keys})
tabel(fire, index=False)

# %% [markdown]
# ## 3 · Indlæs en fuld officiel download
#
# Analytikere med internetadgang henter de komplette tabeller, og danmark læser dem, som de er:
#
# * **Ankestyrelsens Talportal**: downloadet *CSV-fil* (Latin-1, `;`, tekst i anførselstegn, `NA`
#   for et tal uden sager, `Inf` for en procent uden nævner, decimalkomma) og *XLSX (Excel)*
#   (arket »Som tabel«, perioder på tværs, manglende skrevet som 0): `danmark.read_talportal(sti)`.
#   README'ens afsnit »Getting the official data« viser klikvejen og de felter, der skal krydses af.
# * **Statistikbanken** ANKEAST1 (år) og ANKEAST2 (kvartaler) i begge Danmarks Statistiks
#   CSV-varianter: `danmark.read_statbank(sti)`.
#
# `danmark.read_any(sti)` genkender formatet. Alle giver samme ryddelige tabel som `load_cases()`.
# For at vise hele vejen uden at opfinde tal skriver vi to af de medfølgende *rigtige* rækker i
# Talportalens CSV-format (som R's `write.table` skriver det) og læser filen igen:

# %%
import csv
import tempfile
from pathlib import Path

real = cases[cases["kommune"].isin(["Helsingør", "Vordingborg"])]
export = pd.DataFrame({
    "Kommune": real["kommune"],
    "Lovgivning": "Serviceloven",
    "Sagsemne": real["area"].str.capitalize(),
    "periode": real["period"],
    "Realitetsbehandlede sager i alt": real["n"],
    "Stadfæstede sager": real["stadfaestet"],
    "Ændrede/ophævede sager": real["aendret"],
    "Hjemviste sager": real["hjemvist"],
})
path = Path(tempfile.mkdtemp()) / "data.csv"
export.to_csv(path, sep=";", decimal=",", index=False, na_rep="NA", encoding="latin-1",
              quoting=csv.QUOTE_NONNUMERIC)
print(path.read_text(encoding="latin-1"))

# %%
back = danmark.read_any(path)
tabel(back[["kommunekode", "kommune", "period", "area", "stadfaestet", "aendret", "hjemvist", "afvist"]]
      .assign(area=back["area"].map(area_name)).rename(columns=DANSKE_NAVNE), index=False)

# %% [markdown]
# Forkerte data bliver aldrig til et tal: læserne stopper med `danmark.DataError`, der nævner fil,
# række og kolonne. For eksempel flere omgjorte end realitetsbehandlede sager:

# %%
bad = export.copy()
bad.loc[bad.index[0], "Hjemviste sager"] = 40
bad.to_csv(path, sep=";", decimal=",", index=False, na_rep="NA", encoding="latin-1",
           quoting=csv.QUOTE_NONNUMERIC)
try:
    danmark.read_talportal(path)
except danmark.DataError as err:  # the message is in English for programmers; its place is for everyone
    print(f"Læseren stopper: data.csv, række {err.row}, kolonne »{err.column}«: ændret + hjemvist er flere end "
          "de realitetsbehandlede sager. Intet tal beregnes af rækken.")

# %% [markdown]
# `danmark.aggregate` lægger perioder og paragrafgrupper sammen (Solrøds tal dækker 2020 til første
# halvår 2023), og `danmark.load_data()` er det, alle notesbøger kalder: det giver de medfølgende tal
# eller, når miljøvariablen **`DANMARK_DATA`** peger på en downloadet fil, den fil. Hver notesbog
# bruger filens tal, hvor den har dem; mangler filen en kommune, et område eller en periode, siger
# notesbogen det i én sætning og går videre. Konklusionstabellen øverst bygger altid på de
# medfølgende, dokumenterede tal. Sådan køres hele samlingen på en fuld download:
#
# ```sh
# export DANMARK_DATA=~/Downloads/Talportal_export.csv
# jupyter lab notebooks/          # eller: python tools/render_notebooks.py --execute
# ```

# %% tags=["download"]
data = danmark.load_data()
if os.environ.get("DANMARK_DATA"):
    kommuner = data.loc[data["kommunekode"] != "000", "kommune"]
    print(f"Filen i DANMARK_DATA har {len(data)} rækker med sagstal for {kommuner.nunique()} kommuner, "
          f"{data['area'].nunique()} områder og perioderne {', '.join(map(danmark.period_name, sorted(data['period'].unique())))}.")
else:
    print(f"{len(data)} rækker med sagstal: de medfølgende tal (DANMARK_DATA er ikke sat).")

# %% [markdown]
# ## 4 · Et faktaark til kommunalbestyrelsen
#
# Hvert år skal hver kommunalbestyrelse drøfte Danmarkskortet (retssikkerhedslovens § 79 b).
# `danmark.faktaark(kommune)` giver én selvstændig HTML-side på dansk til dagsordenen: sagstallene,
# omgørelsesprocenten med eksakt interval, det krympede skøn med den angivne prior og hvor meget
# konklusionen afhænger af den, sandsynligheden for at den sande procent ligger over landsraten,
# fordelingen på ændret og hjemvist, udviklingen, hvad der skal til for at nå landsraten eller kunne
# skelnes fra den, kilden til hvert tal og et afsnit i almindeligt dansk om, hvad tallene kan og ikke
# kan sige. Figurerne er indlejret SVG, og intet hentes fra nettet, så filen kan mailes, vedhæftes
# eller udskrives som PDF (en eller to A4-sider). Med en fuld download (`data=...`) placerer siden
# også kommunen i tragten af alle kommuner og giver dens rang med interval. På kommandolinjen skriver
# `danmark faktaark Solrød --out solrod.html` én side og
# `danmark faktaark --all --data data.csv --out faktaark/` én pr. kommune plus en oversigt. En kommune
# uden sagstal får en side, der siger, hvad der mangler, og hvordan man henter det.
#
# Sidens resumé for Solrød med de medfølgende tal:

# %%
import html
import re

page = danmark.faktaark("Solrød", out=Path(tempfile.mkdtemp()) / "solrod.html")
summary = re.search(r"<h2>Kort fortalt</h2><div class='box'><p>(.*?)</p>", page, flags=re.S).group(1)
print(html.unescape(summary))

# %% [markdown]
# Hvert tal på siden bærer sin præcise værdi (`data-k`, `data-v`), så det kan kontrolleres mod
# biblioteket: samme kald giver samme resultat, og det er også tallene i konklusionstabellen øverst.

# %%
on_page = {k: float(v) for k, v in re.findall(r'data-k="([^"]+)" data-v="([-0-9.e]+)"', page)}
tabel(pd.DataFrame({
    "på siden": [on_page["rate"], on_page["exact_lower"], on_page["exact_upper"], on_page["shrunk"],
                 on_page["prob_above"]],
    "beregnet direkte": [solrod.rate, *solrod.exact, solrod.shrunk[0], solrod.prob_above],
}, index=["omgørelsesprocent", "eksakt nedre grænse", "eksakt øvre grænse", "krympet skøn",
          "P(over landsraten)"]), decimaler=4)

# %% [markdown]
# ## 5 · Notesbøgerne
#
# | notesbog | spørgsmål |
# | --- | --- |
# | `01_small_numbers` | hvorfor rå procenter vildleder, når der er få sager (en mærket simulation og BDA3's rottesvulster som lærebogskontrol), og priorvægten 10 / 30 / 100 |
# | `02_solrod` | Solrød: hvad »ganske få sager« betyder for 71 % på 14 sager |
# | `03_odsherred` | én fejl i en gennemgang; hjemvisninger efter ændret praksis |
# | `04_frederiksberg` | »under landsgennemsnittet«; ingen væsentlige eller systematiske fejl i 15 gennemgåede sagstyper |
# | `05_helsingor` | Helsingør: er 55 % på 22 afgørelser »samme niveau« som i flertallet af kommuner? |
# | `06_danmarkskort` | det nationale billede: udvikling, et kort over det kendte, tragt og placeringer |
# | `07_taskforce_selection` | hvordan udvælgelse efter usikre procenter opfører sig, og bedre regler |
# | `08_priors_and_checks` | priorer af enhver form, modelkontrol og karakterer, som data kan bære |
#
# På kommandolinjen skriver `danmark report Solrød` samme resumé for enhver kommune med sagstal.

# %% [markdown]
# ## Kilder
#
# Hver kilde, notesbogen henviser til, med den henvisning, teksten og tabellerne bruger:

# %%
tabel(danmark.reference_list(KILDER), index=False)

# %% [markdown]
# ## Versioner

# %%
# NBVAL_IGNORE_OUTPUT
danmark.versions()
