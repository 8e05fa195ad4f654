# %% [markdown]
# # 07 · Taskforcen: udvælges "kommunerne med størst behov" efter behov eller efter støj?
#
# Taskforce handicap (Ankestyrelsen med Social- og Boligstyrelsen) gennemfører otte analyse- og
# udviklingsforløb om året. Fire er åbne for ansøgere; **fire er forbeholdt de kommuner, der har
# størst behov, udvalgt på grundlag af Ankestyrelsens Danmarkskort over omgørelsesprocenter**; søger
# færre end fire kommuner, tilbydes de ledige pladser som yderligere forbeholdte forløb. I 2024 fik
# to kommuner et forløb efter ansøgning, og **seks fik tilbudt et forbeholdt forløb** (ministeren til
# Folketingets Socialudvalg, 29. maj 2024; Social- og boligministeren 2024). Solrød, der fik tilbudt et
# forbeholdt forløb på voksenhandicapområdet, svarede, at forløbet varer to år, og at dens 71 % bygger
# på 14 sager over tre et halvt år (Solrød Kommune 2024, notesbog 02). Helsingør blev inviteret i
# 2021 «blandt andet på baggrund af antallet af ankesager, som kommunen ikke fik medhold i»
# (Helsingør Kommune 2025, notesbog 05).
#
# **Hvordan taskforcen faktisk læser "størst behov" af kortet, står ikke i nogen af dokumenterne.**
# Notesbogen kan derfor ikke efterprøve taskforcens udvælgelse. Den spørger i stedet, hvad en *tænkt*
# regel – "de højeste omgørelsesprocenter får forløbene" – ville gøre, når antallet af sager er så
# lille, som det er, og om en anden regel ville gøre det bedre. **Alt nedenfor er en simulering**
# bygget på virkelige befolkningstal og offentliggjorte landstal; intet kommunalt udfald er opfundet.
# Alle simulerede tabeller og figurer er mærket "SIMULERET".

# %% tags=["setup"]
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import danmark
from danmark import plotting, prob_at_least, simulate_prior_fits
from danmark.plotting import fmt_pct

%matplotlib inline
pd.set_option("display.width", 160)
num = danmark.danish_number


def kilde(fig, text, y=0.005):
    """Source line at the foot of a figure."""
    fig.text(0.01, y, "Kilde: " + text, fontsize=6.5, color="#444444", ha="left", va="bottom", wrap=True)


SIM_SOURCE = ("SIMULERET. Antal sager ∝ befolkning (Danmarks Statistik, FOLK1A 2020); landstal: Social- og "
              "Boligministeriet, Danmarkskort 2020–2022 (voksenhandicap 2022: cfdblogger.dk, sekundær); 8.631 sager "
              "(NB-Kommune, 15.3.2023); Solrød Kommune, brev af 6.3.2024 (14 sager).")


danmark.danish_warnings()  # danmarks advarsler (fx om en download) som én dansk linje

# %% [markdown]
# ## 1 · Påstanden

# %%
danmark.danish_table(danmark.claims_table("07_taskforce_selection"), table_id="claim")

# %% [markdown]
# Ministerens brev siger, at fire forløb er forbeholdt kommunerne med «størst behov for hjælp»,
# udvalgt på grundlag af Danmarkskortet; det siger ikke, hvordan behovet aflæses af kortet. Solrøds
# brev oplyser, at udvælgelsen byggede på klager over udvalgte voksenhandicapparagraffer fra 2020 til
# første halvår 2023. Helsingørs dagsordenspunkt peger på *antallet* af tabte klagesager. Den enkleste
# aflæsning, og den der afprøves først her, er **den højeste rå omgørelsesprocent**; afsnit 5 afprøver
# også en regel baseret på antal. Det er vores tænkte regler, ikke taskforcens dokumenterede metode.
#
# ## 2 · To simulerede kort (antagelser)
#
# ### Parametre: antagne eller virkelige antal sager
#
# Pakken har ingen fuldstændig tabel med kommunale antal sager, så som udgangspunkt **antages hver
# kommunes antal realitetsbehandlede sager at være proportionalt med dens befolkning** (FOLK1A 2020,
# kilde `folk1a_2020`), skaleret til et landstotal (`danmark.population_case_counts`).
#
# Peger miljøvariablen `DANMARK_DATA` på en fuld download (Talportal eller ANKEAST1) med optællinger
# for mindst `MIN_KOMMUNER` kommuner i området og perioderne nedenfor, bruger simuleringerne i stedet
# hver kommunes **virkelige n**, og den fælles sande rate bliver disse optællingers samlede rate
# (kommuner uden sager udelades: de har ingen rate på kortet). Udfaldene er stadig simulerede. Teksten
# nedenfor beskriver standardkørslen. Bemærk, at Talportalens voksenhandicapområde dækker alle dets
# paragraffer, ikke taskforcens "udvalgte paragraffer", så de virkelige B-tal er større end dem,
# taskforcen brugte.

# %% tags=["download"]
REAL_COUNTS = {"A": ("socialomraadet", ["2022"]),                              # area, periods summed
               "B": ("voksenhandicap", ["2020", "2021", "2022", "2023H1"])}
MIN_KOMMUNER = 90

cases = danmark.load_data()
real = {}
for key, (area, periods) in REAL_COUNTS.items():
    rows = cases[(cases["area"] == area) & cases["period"].isin(periods) & (cases["kommunekode"] != "000")]
    n_real = rows.groupby("kommune")["n"].sum()
    n_real = n_real[n_real > 0]
    if len(n_real) >= MIN_KOMMUNER:
        real[key] = (n_real.to_frame("n"), rows["omgjort"].sum() / rows["n"].sum())
    print(f"{key}: {plotting.area_name(area)} {', '.join(map(danmark.period_name, periods))}: virkelige antal for "
          f"{len(n_real)} kommuner; "
          + ("bruger de virkelige n." if key in real else "bruger befolkningsproportionale antal (antagelse)."))

# %% [markdown]
# To scenarier (standardkørslen bruger antagelsen):
#
# * **A · socialområdets kort, ét år.** I alt 8.631 realitetsbehandlede sager (2022, NB-Kommune med
#   ministeriet som kilde); hver kommunes sande rate = landstallet for 2022, 37,5 %. (Tabellen viser
#   8.630: hver kommunes forventede antal er afrundet til et helt tal.)
# * **B · handicapkortet, taskforcens vindue (2020 til 1. halvår 2023, 3,5 år).** Det scenarie, der
#   svarer til udvælgelsen, som Solrøds brev beskriver den. Det landsdækkende antal sager på de
#   »udvalgte paragraffer« er ikke offentliggjort. **Antagelse: totalen kalibreres,
#   så Solrøds forventede antal over de 3,5 år er 14, som dens brev oplyser** (ca. 1.000 sager om året
#   på landsplan; `danmark.calibrated_case_counts`). Kalibreringen er vores, ikke et offentliggjort
#   tal: den får scenarie B til at passe med den ene kommune, hvis antal kendes, og antager, at de
#   andre har lige så mange sager pr. indbygger. Hver kommune får mindst 1 sag (på et virkeligt kort
#   har en kommune uden sager ingen rate). Sand rate = gennemsnittet af landstallene for voksenhandicap
#   2020–2022, 38,5 %. 2020- og 2021-tallene er ministeriets; **2022-tallet (38,9 %) stammer fra en
#   sekundær kilde** (en blog, der citerer en analyse af Talportal-data, cfdblogger.dk u.å.), vist nedenfor.
#
# Begge scenarier står ét sted i biblioteket (`danmark.taskforce_scenarios`), så notesbøgerne 00, 02 og
# 07 bruger de samme tal.
#
# Er sagerne i virkeligheden mindre koncentreret i de store kommuner, end befolkningen tilsiger, har
# de små kommuner flere sager, og alt nedenfor er mildere; er de mere koncentreret, er det stærkere.

# %%
nat_b = danmark.national_rate("voksenhandicap", "2020-2022")
source_type = danmark.load_sources().set_index("key")["source_type"].str.split(" ").str[0]
kind = {"official": "officiel (ministeriet)", "secondary": "sekundær (blog)", "news": "nyhedsmedie"}
danmark.danish_table(nat_b.assign(omg=nat_b["omg_pct"] / 100, kildetype=nat_b["source"].map(source_type).map(kind),
                                  kilde=nat_b["source"].map(danmark.citation)).set_index("period").rename_axis("år"),
                     columns={"omg": "omgørelsesprocent, voksenhandicap", "kilde": "kilde", "kildetype": "kildetype"},
                     percent=["omg"], table_id="natb")

# %% tags=["download"]
scenarios = danmark.taskforce_scenarios()
A, B = scenarios["A"].label, scenarios["B"].label
total_b = scenarios["B"].total_per_year
scen = {s.label: real.get(key, (s.counts, s.reference)) for key, s in scenarios.items()}
# simulated kommuner are numbered, never named: 01 has the fewest inhabitants (FOLK1A 2020)
SIM_NAVN = {k: f"sim. kommune {i:02d}" for i, k in
            enumerate(danmark.municipalities().sort_values("population")["kommune"], start=1)}
if "B" not in real:
    print(f"Scenarie B: {num(total_b)} sager om året på landsplan (kalibreret: Solrøds andel × {num(total_b)} × 3,5 = 14)")
overview = pd.DataFrame({
    name: {"sand rate (alle kommuner)": p, "kommuner": len(c), "sager i alt": int(c["n"].sum()),
           "median n": float(c["n"].median()), "mindste n": int(c["n"].min()), "største n": int(c["n"].max()),
           "kommuner med n < 20": int((c["n"] < 20).sum()), "n, kommunen med Solrøds folketal": c["n"].get("Solrød"),
           "n, kommunen med Odsherreds folketal": c["n"].get("Odsherred")}
    for name, (c, p) in scen.items()}, dtype=object)
overview.map(lambda v: fmt_pct(v) if isinstance(v, float) and v < 1 else num(v, decimals=0))

# %% [markdown]
# **Tjek af kalibreringen.** Scenarie B lægger ca. 1.000 sager om året på de *udvalgte* paragraffer.
# KL's tal for alle voksenhandicapsager, Ankestyrelsen afgjorde (afviste medregnet), er 721–1.299 om
# året i de år, datapakken har (`danmark.calibration_check`):

# %%
check = danmark.calibration_check()
danmark.danish_table(check.assign(kilde=check["source"].map(danmark.citation)),
                     columns={"year": "år", "kl_decided": "afgjorte voksenhandicapsager (KL)",
                              "calibrated": "scenarie B: sager om året", "ratio": "forhold", "kilde": "kilde"},
                     decimals=2, table_id="kalibrering", index=False)

# %% [markdown]
# I 2022 og 2023, de år i taskforcens vindue, KL har tal for, var der 950 og 721 afgjorte sager på
# *hele* voksenhandicapområdet; et udvalg af paragraffer kan ikke have flere. Kalibreringen lægger altså
# for mange sager på de øvrige kommuner: Solrød havde flere sager pr. indbygger end gennemsnittet. Med
# færre sager har flere kommuner et lille n, og udvælgelsen efter rå procent styres endnu mere af
# tilfældet end i scenarie B. Resultaterne nedenfor er derfor snarere forsigtige end overdrevne.

# %% [markdown]
# ## 3 · Hvem udvælges, når alle kommuner er ens?
#
# `danmark.simulate_selection` trækker hver kommunes omgørelser ud fra dens n og den fælles sande rate,
# udvælger de fire højeste rå rater og gentager det 50.000 gange (frø 2024). Hvis reglen udvalgte efter
# behov, og alle kommuner havde samme behov, ville hver blive udvalgt med samme chance, 4/98 = 4,1 %.

# %%
REPS = 50_000
sel = {name: danmark.simulate_selection(c["n"], p, top=4, size=REPS, seed=2024, progress=False,
                                        reference=10 / 14)
       for name, (c, p) in scen.items()}
smallest10 = {name: c["n"].nsmallest(10).index for name, (c, p) in scen.items()}
fair = {name: 4 / len(c) for name, (c, p) in scen.items()}
picks = pd.DataFrame({
    name: {
        "andel af udvælgelserne til de 10 mindste kommuner": r.units.loc[smallest10[name], "p_selected"].sum() / 4,
        "andel til kommuner under median-n": r.summary["share_selected_below_median_n"],
        "gennemsnitligt n, alle kommuner": r.summary["mean_n_all"],
        "gennemsnitligt n, de udvalgte": r.summary["mean_n_selected"],
        "P(kommunen med Solrøds folketal udvælges)": r.units["p_selected"].get("Solrød"),
        "P(den største kommune udvælges)": r.units["p_selected"].get("København"),
        "P(en kommune viser ≥ 71,4 %, ved ethvert n)": r.summary["p_any_rate_at_least"],
    } for name, r in sel.items()
})
picks.apply(lambda row: row.map(lambda v: num(v, decimals=1) if "gennemsnitligt" in row.name else fmt_pct(v)), axis=1)

# %%
with plotting.style():
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.6))
    for ax, (name, r) in zip(axes, sel.items(), strict=True):
        plotting.selection_bars(r.units, ax=ax, logx=True, reference=fair[name])
        ax.set_ylim(0, 42)
        ax.set_title(name, fontsize=10)
    fig.suptitle("SIMULERET · alle kommuner ens: hvem de fire højeste rå rater udvælger")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    kilde(fig, SIM_SOURCE)
    _ = plotting.save_figure(fig, "07_selection_by_size", formats=("png", "svg"))
    plt.show()

# %%
for name, r in sel.items():
    print(f"{name}: de ti mindste kommuner får "
          f"{fmt_pct(r.units.loc[smallest10[name], 'p_selected'].sum() / 4, decimals=0)} af udvælgelserne "
          f"(rimelig andel {fmt_pct(10 / len(r.units), decimals=0)}); kommunen med Solrøds folketal udvælges i "
          f"{fmt_pct(r.units['p_selected'].get('Solrød', np.nan))} af perioderne (rimeligt {fmt_pct(fair[name])}), "
          f"den største kommune i {fmt_pct(r.units['p_selected'].get('København', np.nan))}.")

# %% [markdown]
# Selv når alle kommuner er lige gode, udvælger rå-rate-reglen igen og igen de mindste: de ti mindste
# får flere gange deres rimelige andel, kommunerne under median-størrelsen de fleste, og den største
# kommune udvælges aldrig. I scenarie B udvælges kommunen med én sag (den mindste), hver gang den ene
# sag omgøres. Kommunen med Solrøds 14 sager udvælges omtrent dobbelt så ofte, som en rimelig regel
# ville udvælge den.
#
# **Hvor mange forløb?** Reglen som skrevet udvælger fire, men i 2024 fik seks kommuner tilbudt et
# forbeholdt forløb (efter brevets regel tilbydes ledige pladser som forbeholdte, når færre end fire
# søger; to kommuner fik et forløb efter ansøgning, så formentlig søgte kun to, men det siger brevet
# ikke direkte), og deles de forbeholdte forløb mellem børnehandicap-
# og voksenhandicapkortet, udvælger hvert kort omkring to. De mindste kommuners træk afhænger af, hvor
# mange der udvælges (samme simulering, 50.000 perioder hver):

# %%
sel_top = {(name, top): sel[name] if top == 4 else
           danmark.simulate_selection(c["n"], p, top=top, size=REPS, seed=2024 + top, progress=False)
           for name, (c, p) in scen.items() for top in (2, 4, 6)}
by_top = pd.DataFrame({
    name: {f"{top} udvalgte": sel_top[(name, top)].units.loc[smallest10[name], "p_selected"].sum() / top
           for top in (2, 4, 6)} | {"rimelig andel (10 af 98)": 10 / len(c)}
    for name, (c, p) in scen.items()
}).rename_axis("andel af udvælgelserne til de 10 mindste")
danmark.danish_table(by_top, percent=list(by_top.columns), table_id="bytop")

# %% [markdown]
# Jo færre der udvælges, jo mere består toppen af kortet af de allermindste kommuner: med to
# udvælgelser pr. kort går over halvdelen til de ti mindste, med seks stadig omkring tre gange deres
# andel.
#
# ### Hvor usædvanlig er Solrøds 71 %? (multiple sammenligninger – DEN beregning)
#
# Tabellens "P(en kommune viser ≥ 71,4 %)" tæller **alle** kommuner ved deres eget n, så 1 af 1, 2 af 2
# eller 3 af 4 tæller med. I scenarie B kommer den chance næsten udelukkende fra de fire mindste
# kommuner (øerne Læsø, Fanø, Samsø og Ærø). De rimelige spørgsmål er: hvor ofte når en kommune med
# mindst Solrøds 14 sager 71,4 %; hvor ofte gør en kommune det på et kort uden de tre øer, som de
# virkelige 2022-lister udelod "på grund af få sager"; og – mest præcist for multiple sammenligninger –
# hvor mange kommuner viser et resultat **lige så usandsynligt som Solrøds** (en binomial hale
# P(X ≥ k) højst lig Solrøds P(X ≥ 10 | n = 14))? Alt er eksakt (uafhængige binomiale kommuner, ikke
# simuleret) og beregnes af `danmark.map_multiplicity`. **Scenarie B's tal (ca. 0,76 kommuner,
# P = 0,53) er den beregning, notesbog 02 henviser til.**

# %%
LEFT_OUT_2022 = ["Ærø", "Læsø", "Samsø"]  # left out of NB-Kommune's 2022 lists "because of few cases"
p_b = scen[B][1]
tail_solrod = prob_at_least(10, 14, p_b)
print(f"Solrød, navngivet på forhånd: P(X ≥ 10 | n = 14, p = {fmt_pct(p_b)}) = {num(tail_solrod, decimals=4)} "
      f"(ca. 1 ud af {num(1 / tail_solrod, decimals=0)})")
multi = {name: danmark.map_multiplicity(c["n"], reference=p, k=10, n_observed=14, tail=tail_solrod)
         for name, (c, p) in scen.items()}
chance = pd.DataFrame({name: {
    "forventet antal kommuner ≥ 71,4 % (hver ved sit n)": m.summary["expected_at_rate"],
    "P(en kommune ≥ 71,4 %), ethvert n": m.summary["p_any_at_rate"],
    "P(en kommune ≥ 71,4 %), kommuner med n ≥ 14": m.summary["p_any_at_rate_n_at_least"],
    "P(en kommune ≥ 71,4 %), uden Ærø, Læsø, Samsø": m.without(LEFT_OUT_2022)["p_any_at_rate"],
    "forventet antal kommuner lige så usandsynlige som Solrøds 10 af 14": m.summary["expected_as_improbable"],
    "P(mindst én kommune lige så usandsynlig)": m.summary["p_any_as_improbable"],
} for name, m in multi.items()})
danmark.danish_table(chance, decimals=2, table_id="multi")

# %%
print(f"{B}: de kommuner, der oftest viser ≥ 71,4 %")
top_b = multi[B].units.nlargest(6, "p_rate_at_least")
danmark.danish_table(top_b if "B" in real else top_b.rename(index=SIM_NAVN).rename_axis("kommune (SIMULERET)"),
                     columns={"n": "sager (n)", "p_rate_at_least": "P(rate ≥ 71,4 %)"},
                     percent=["p_rate_at_least"], table_id="topb")

# %%
mb = multi[B]
print(f"{B}: forventet {num(mb.summary['expected_as_improbable'], decimals=2)} kommuner pr. periode med et resultat lige så "
      f"usandsynligt som Solrøds; mindst én i {fmt_pct(mb.summary['p_any_as_improbable'], decimals=0)} af perioderne. "
      f"En kommune med mindst 14 sager når 71,4 % i {fmt_pct(mb.summary['p_any_at_rate_n_at_least'], decimals=0)} af perioderne; "
      f"uden de tre øer gør en kommune det i {fmt_pct(mb.without(LEFT_OUT_2022)['p_any_at_rate'], decimals=0)}.")

# %% [markdown]
# Altså: for én kommune navngivet på forhånd er 10 af 14 ved landstallet sjældent. Men kortet
# gennemsøges; det navngiver ikke på forhånd. En rate på 71,4 % dukker op et sted på B-kortet i de fleste
# perioder alene fordi 1 af 1 og 2 af 2 tæller; blandt kommuner med mindst 14 sager er det usædvanligt,
# og uden de tre øer sker det i et mindretal af perioderne. Det rimelige tal for multiple
# sammenligninger er det sidste: et resultat **lige så usandsynligt som Solrøds** (ca. 1 ud af 77) dukker
# op et sted på handicapkortet (B) i omkring halvdelen af alle perioder, selv når alle kommuner er lige
# gode, og lidt oftere på det større socialområdekort (A), hvor flere kommuner har sager nok til at nå
# så langt ud i halen. Solrøds 71 % beviser derfor hverken et problem eller udelukker et: 10 af 14 er
# også, hvad en kommune med en sand rate på 60–70 % typisk ville vise. Udvælgelsesreglen kan ikke skelne
# dem; afsnit 5 spørger, hvilken regel kan.
#
# ## 4 · Regression mod middelværdien
#
# De udvalgte kommuners rater i den *næste* periode (samme n, samme sande rate) falder tilbage til
# landsniveauet: i denne verden, hvor alle kommuner er ens, var deres høje rater rent held, og de ville
# ligne en effekt af forløbet, hvis forløbet blev evalueret på det næste kort.

# %%
rtm = pd.DataFrame({
    name: r.summary[["mean_p_selected", "mean_rate_selected", "mean_next_rate_selected"]]
    .rename({"mean_p_selected": "sand rate for de udvalgte", "mean_rate_selected": "rå rate ved udvælgelsen",
             "mean_next_rate_selected": "rå rate, næste periode"}).astype(float)
    for name, r in sel.items()
})
danmark.danish_table(rtm, percent=list(rtm.columns), table_id="rtm")

# %% [markdown]
# ## 5 · Ville en anden regel være mere retfærdig?
#
# Fem regler for at udvælge fire kommuner, hver beregnet på det samme simulerede kort:
#
# 1. **rå rate**: de fire højeste k/n (reglen ovenfor);
# 2. **krympet rate**: de fire højeste empirisk-bayesianske skøn (`danmark.shrink`), som trækker små
#    kommuners rater mod landstallet med S / (S + n);
# 3. **P(over landsplan)**: de fire højeste posteriorsandsynligheder for, at den sande rate overstiger
#    landstallet (`danmark.prob_above`), dvs. dem, der *sikrest* ligger over gennemsnittet;
# 4. **mindste antal sager**: de fire højeste rå rater blandt kommuner med mindst 20 sager (et rundt tal;
#    2022-listerne udelod tre økommuner "på grund af få sager");
# 5. **overskydende antal**: de fire højeste k − n·p, antallet af omgørelser ud over, hvad landstallet
#    ville give (en regel som funktion: `lambda k, n: k - n * p`). Det er en antalsbaseret læsning af
#    "størst behov" i ånden fra Helsingørs invitation; det rå antal k ville rangordne næsten alene efter
#    størrelse, da dets forventning er n·p. Det er også, hvad empirisk Bayes bliver til, når den
#    tilpassede prior puljer helt (se tjekket nedenfor): med en enorm priorstyrke S er den krympede rate
#    p + (k − n·p)/(S + n), så rangordningen følger det overskydende antal.
#
# De sammenlignes i to verdener: **alle kommuner ens** (som ovenfor), hvor en retfærdig regel giver
# hver kommune samme chance, og **sande rater forskellige**: hver kommunes sande rate trækkes på ny i
# hver gentagelse fra en Beta-fordeling med middelværdi = landstallet og styrke α + β = 30 (en
# spredning på ca. 8,7 procentpoint mellem kommunerne; en antagelse, mærket som sådan), hvor en god
# regel udvælger kommunerne med de højeste sande rater.
#
# `danmark.compare_rules` trækker kortene (alle regler ser de samme kort), scorer hvert forskelligt
# (k, n)-par én gang, udvælger de fire højeste scorer (lighed brydes tilfældigt) og trækker en
# uafhængig næste periode med de samme sande rater. Prioren for regel 2 og 3 er **fast**, Beta(middelværdi
# = landstallet, styrke 30), funktionens standard, frem for tilpasset hvert simuleret kort; tjekket
# efter resultaterne viser, hvad tilpasning (ægte empirisk Bayes) giver. 10.000 gentagelser pr. verden og
# scenarie, et nyt frø for hver kørsel (701, 702, ...).

# %%
RULES = {"rå rate": "raw", "krympet rate": "shrunk", "P(over landsplan)": "prob_above",
         "rå rate, n ≥ 20": "min_n"}
worlds = {"alle ens": None, "forskellige (S = 30)": 30, "forskellige, bredere (S = 10)": 10,
          "forskellige, smallere (S = 100)": 100}
jobs = [(scen_name, world) for scen_name in scen for world in worlds]
runs = {(scen_name, world): danmark.compare_rules(
            scen[scen_name][0]["n"], scen[scen_name][1],
            rules=RULES | {"overskydende antal": lambda k, n, p=scen[scen_name][1]: k - n * p},
            top=4, size=10_000, seed=701 + i, strength=worlds[world], min_n=20, small=10, progress=False)
        for i, (scen_name, world) in enumerate(jobs)}
results = pd.concat({key: r.summary for key, r in runs.items()}, names=["scenario", "world"]).rename_axis(
    index={"rule": "regel", "scenario": "scenarie", "world": "verden"})
SHOWN = {"share_smallest": "udvalgt blandt de 10 mindste", "mean_n_selected": "gns. n for de udvalgte",
         "mean_rate_selected": "rå rate ved udvælgelsen", "mean_next_rate_selected": "næste periode",
         "mean_p_selected": "sand rate for de udvalgte", "share_true_top": "udvalgt blandt de sande 4 værste",
         "share_true_wide": "udvalgt blandt de sande 10 værste"}
PCT = [c for c in SHOWN if c != "mean_n_selected"]
eq_cols = ["share_smallest", "mean_n_selected", "mean_rate_selected", "mean_next_rate_selected"]
danmark.danish_table(results.xs("alle ens", level="verden"), columns={c: SHOWN[c] for c in eq_cols},
                     percent=[c for c in eq_cols if c in PCT], table_id="eq")

# %% [markdown]
# **Alle kommuner ens (SIMULERET).** En retfærdig regel ville sende 10/98 ≈ 10 % af udvælgelserne til
# de ti mindste kommuner. Rå-rate-reglen sender flere gange så mange. Den krympede rate med fast prior
# spreder udvælgelserne over de mellemstore kommuner (de allermindste og de største udvælges sjældnere);
# P(over landsplan) vender skævheden om og favoriserer de *største* kommuner, hvor et lille overskud
# allerede er "sikkert"; det overskydende antal gør det endnu mere og udvælger næsten aldrig en lille
# kommune; et mindste antal sager flytter problemet til de mindste kommuner *over* grænsen (n lige over
# 20 i begge scenarier). Uanset reglen vender de udvalgte kommuners rater tilbage til landstallet i
# næste periode: her er hver udvælgelse støj. Chancen for at blive udvalgt mod n, regel for regel:

# %%
with plotting.style():
    fig, axes = plt.subplots(2, len(runs[jobs[0]].p_selected.columns), figsize=(17, 7.0), sharey="row")
    for row, scen_name in enumerate(scen):
        res = runs[(scen_name, "alle ens")]
        for col, rule in enumerate(res.p_selected.columns):
            ax = axes[row, col]
            plotting.selection_bars(res.units(rule), ax=ax, logx=True, reference=fair[scen_name])
            ax.set_title(f"{scen_name.split(' · ')[0].replace('SIMULERET ', '')} · {rule}", fontsize=9)
            if col:
                ax.set_ylabel("")
                ax.get_legend().remove()
    fig.suptitle("SIMULERET · alle kommuner ens: chancen for at blive udvalgt, efter regel (4 udvalgte); "
                 "A = socialområdet 1 år, B = handicap 3,5 år")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    kilde(fig, SIM_SOURCE)
    _ = plotting.save_figure(fig, "07_rules_all_equal", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# **Sande rater forskellige (SIMULERET, styrke 30).** Nu *findes* der en sand værste gruppe. Hvor godt
# finder hver regel den? "Udvalgt blandt de sande 4 værste" er andelen af de fire udvælgelser, der er
# blandt de fire kommuner med den højeste sande rate i gentagelsen (ved tilfældighed: 4/98 = 4 %);
# "sand rate for de udvalgte" er de udvalgtes gennemsnitlige sande rate mod landstallet. Det
# overskydende antal finder de sande værste sjældnest af alle regler, sjældnere end selv den rå rate: en
# stor kommunes overskydende antal er stort, selv når dens rate kun ligger lidt over landstallet.
#
# Bemærk **orakelfordelen** i denne verden: den faste prior for den krympede rate og for P(over
# landsplan), Beta(middelværdi = landstallet, styrke 30), er netop den fordeling, de sande rater trækkes
# fra. En virkelig analytiker må skønne den (tjekket nedenfor viser, hvor godt det går);
# følsomhedstabellen derefter viser, hvad der sker, når prioren er forkert.

# %%
d_cols = ["share_true_top", "share_true_wide", "mean_p_selected", "mean_rate_selected", "mean_next_rate_selected",
          "mean_n_selected", "share_smallest"]
danmark.danish_table(results.xs("forskellige (S = 30)", level="verden"), columns={c: SHOWN[c] for c in d_cols},
                     percent=[c for c in d_cols if c in PCT], table_id="s30")

# %% [markdown]
# ### Følsomhed: hvor meget adskiller kommunerne sig i virkeligheden?
#
# Reglernes prior forbliver på styrke 30; sandheden gøres bredere (styrke 10, en spredning mellem
# kommuner på ca. 15 procentpoint) eller smallere (styrke 100, ca. 5 procentpoint). Andel af
# udvælgelserne blandt de sande fire værste:

# %%
sens = results["share_true_top"].unstack("regel").drop(index="alle ens", level="verden")
danmark.danish_table(sens.rename_axis(columns=None), percent=list(sens.columns), table_id="sens")

# %% [markdown]
# ### Følsomhed: udvælgelse på ændret/ophævet alene
#
# De fleste omgørelser er hjemvisninger (socialområdet 2022: 28,5 % hjemvist mod 9,0 % ændret/ophævet),
# og en hjemvisning kan ende med samme afgørelse. Hvor meget afhænger udvælgelsen af dem? På 2.000
# simulerede kort pr. scenarie (sande rater forskellige, styrke 30; andelen af omgørelserne, der er
# ændret/ophævet, varierer mellem kommunerne omkring 9,0/37,5 = 24 % med styrke 20 – en antagelse)
# udvælges de fire højeste på omgørelsesprocenten og de fire højeste på ændret/ophævet alene
# (`danmark.aendret_selection_overlap`, frø 731 og 732):

# %%
overlap = pd.DataFrame({name: danmark.aendret_selection_overlap(
    c["n"], reference=p, aendret_share=9.0 / 37.5, strength=30, top=4, size=2000, seed=731 + i)
    for i, (name, (c, p)) in enumerate(scen.items())})
danmark.danish_table(overlap.rename(index={
    "mean_overlap": "af de 4 udvalgte på omgørelse: også udvalgt på ændret alene (antal)",
    "p_same": "P(begge regler udvælger de samme 4)",
    "share_true_top": "omgørelsesreglens udvalgte blandt de sande 4 højeste på ændret",
    "share_true_top_aendret": "ændret-reglens udvalgte blandt de sande 4 højeste på ændret",
    "share_true_top_rate": "omgørelsesreglens udvalgte blandt de sande 4 højeste omgørelsesprocenter"}),
    decimals=2, table_id="aendret")

# %% [markdown]
# De to rangordninger deler i gennemsnit kun omkring én af fire udvalgte kommuner, og de udvælger
# næsten aldrig de samme fire. Udvælgelse på omgørelsesprocenten er altså i høj grad udvælgelse på
# hjemvisninger: den finder de kommuner, der reelt har flest ændrede afgørelser, langt sjældnere end en
# udvælgelse på ændret alene. Hvilken af de to der er "størst behov", er et fagligt valg, som
# dokumenterne ikke træffer; en udvælgelse bør vise begge. (Notesbog 06 viser samme tjek på et
# enkelt simuleret kort og, med en fuld download, på de virkelige kommuner.)

# %% [markdown]
# ### Tjek: prioren tilpasset hvert kort (egentlig empirisk Bayes)
#
# Regel 2 og 3 brugte en fast priorstyrke på 30. En analytiker ville i stedet tilpasse den til det
# foreliggende kort (`danmark.fit_prior`, maksimum likelihood). `simulate_prior_fits` trækker kort på
# samme måde og tilpasser prioren til hvert: på 15 simulerede kort pr. verden i hvert scenarie (frø 11),
# den tilpassede styrke (∞ = fuld puljning, `BetaPrior.pooled`: tilpasningen finder ingen variation ud
# over tilfældet):

# %%
fits = pd.concat({(scen_name, world): simulate_prior_fits(counts["n"], p_nat, strength=strength, size=15, seed=11)
                  for scen_name, (counts, p_nat) in scen.items()
                  for world, strength in [("alle ens", None), ("forskellige (S = 30)", 30)]},
                 names=["scenarie", "verden"])
fits["strength"] = fits["strength"].where(~fits["pooled"], np.inf)
by = fits.groupby(level=["scenarie", "verden"])
fmt = lambda s: "∞ (puljet)" if np.isinf(s) else ("–" if np.isnan(s) else num(round(s), decimals=0))  # noqa: E731
fit_table = pd.DataFrame({
    "kort": by.size(), "andel puljet": by["pooled"].mean(),
    "median tilpasset styrke": by["strength"].median().map(fmt),
    "median styrke, ikke-puljede tilpasninger": fits[~fits["pooled"]].groupby(level=["scenarie", "verden"])["strength"]
    .median().reindex(by.size().index).map(fmt)})
danmark.danish_table(fit_table, percent=["andel puljet"], decimals=0, percent_decimals=0, table_id="fits")

# %% [markdown]
# (Hvor likelihooden bliver ved med at stige, jo større styrken er, returnerer `fit_prior` fuld puljning
# og advarer; `simulate_prior_fits` fanger advarslerne og tæller dem i `andel puljet`.)
#
# Når kommunerne reelt adskiller sig med styrke 30, er den tilpassede styrke tæt på 30, så empirisk
# Bayes opfører sig som den krympede rate med fast prior ovenfor (som fik den sande styrke foræret). Når
# alle kommuner er ens, finder tilpasningen netop det: fuld puljning på de fleste kort og en styrke
# omkring et par tusinde på resten, så hver krympet rate ligger på (eller inden for et point eller to
# af) landstallet, og ingen kommune skiller sig ud. Det er det ærlige svar. Men en regel, der alligevel
# rangordner de næsten ens skøn, rangordner efter overskydende antal, den femte regel, som favoriserer
# de store kommuner. Den krympede rates retfærdighed i verdenen med ens kommuner gælder altså **kun for
# den faste prior** ovenfor; en tilpasset prior i den verden ville i stedet udvælge de store kommuner.
# Det rigtige svar på en puljet tilpasning er "ingen kommune udvælges på dette grundlag".
#
# ## 6 · Dom
#
# Nøgletallene fra cellerne ovenfor:

# %%
eq = results.xs("alle ens", level="verden")
s30 = results.xs("forskellige (S = 30)", level="verden")
for name in scen:
    top4, small = s30.loc[name, "share_true_top"], s30.loc[name, "share_smallest"]
    print(f"{name}\n"
          f"  alle ens:      rå rate sender {fmt_pct(eq.loc[(name, 'rå rate'), 'share_smallest'], decimals=0)} af udvælgelserne "
          f"til de ti mindste (rimeligt 10 %); overskydende antal {fmt_pct(eq.loc[(name, 'overskydende antal'), 'share_smallest'])}\n"
          f"  forskellige, S = 30: blandt de sande 4 værste: rå {fmt_pct(top4['rå rate'], decimals=0)}, "
          f"krympet {fmt_pct(top4['krympet rate'], decimals=0)}, P(over) {fmt_pct(top4['P(over landsplan)'], decimals=0)}, "
          f"n ≥ 20 {fmt_pct(top4['rå rate, n ≥ 20'], decimals=0)}, overskydende antal {fmt_pct(top4['overskydende antal'], decimals=0)}\n"
          f"  forskellige, S = 30: udvælgelser til de ti mindste: krympet {fmt_pct(small['krympet rate'])}, "
          f"n ≥ 20 {fmt_pct(small['rå rate, n ≥ 20'])}, rå {fmt_pct(small['rå rate'], decimals=0)}\n"
          f"  den krympede rates afstand til den bedste regel i de tre 'forskellige' verdener: højst "
          f"{num(100 * (sens.loc[name].max(axis=1) - sens.loc[name, 'krympet rate']).max(), decimals=1)} procentpoint")

# %% [markdown]
# **Hvordan taskforcen faktisk udvælger, kan ikke efterprøves ud fra dokumenterne**: ministerens brev
# siger "på grundlag af Danmarkskortet", og ingen af brevene siger, hvilken regel der bruges. Det, der
# kan siges, er: **en regel, der udvælger efter den højeste rå omgørelsesprocent, ville ikke pålideligt
# finde behovet.** Med befolkningsproportionale (antagne) antal sager markerer toppen af kortet de
# mindste kommuner omtrent lige så meget som de mest trængende. Bedre regler findes, men ingen regel
# aflæser behov pålideligt af et enkelt kort.
#
# * Var alle kommuner lige gode, ville rå-rate-reglen stadig udvælge fire hvert år, mest små (flere gange
#   de ti mindste kommuners rimelige andel, mere med to udvælgelser pr. kort, mindre med seks), og deres
#   høje rater ville forsvinde i næste periode. Solrøds 71 % på 14 sager er sjældent for én kommune
#   navngivet på forhånd, men et lige så usandsynligt resultat dukker op et sted på handicapkortet i
#   omkring halvdelen af alle perioder alene ved tilfældighed (0,76 kommuner i gennemsnit, P = 0,53;
#   `danmark.map_multiplicity`). (71,4 % "et sted på kortet" er endnu hyppigere, men kun fordi 1 af 1 og
#   2 af 2 tæller; blandt kommuner med mindst 14 sager er det usædvanligt.)
# * Adskiller kommunerne sig reelt (styrke 30), finder rå-rate-reglen de sande fire værste sjældnere end
#   krympning, fordi den forveksler lille med dårlig. Men sammenligningen favoriserer den krympede rate:
#   dens faste prior er netop den fordeling, sandheden blev trukket fra (et orakel). Med en bredere eller
#   smallere sandhed end prioren forbliver den den bedste eller tæt på.
# * **Krympning redder ikke små kommuner.** Den krympede rate udvælger næsten aldrig en af de ti mindste
#   kommuner, selv når de sande rater er forskellige, så indvendingen mod et mindste antal sager ("den kan
#   aldrig udvælge en lille kommune, der reelt er værst") rammer krympning næsten lige så meget. P(over
#   landsplan) og det overskydende antal favoriserer de største kommuner, og det overskydende antal finder
#   de sande værste sjældnest af alle. En antalsbaseret regel som Helsingørs "antal tabte klagesager"
#   måler størrelse lige så meget som behov.
# * **Udvælgelsen afhænger af hjemvisningerne.** De fire højeste omgørelsesprocenter og de fire højeste
#   andele ændret/ophævet deler i gennemsnit kun omkring én kommune (simuleret, antagelser som ovenfor).
# * Den krympede rates retfærdighed, når alle kommuner er ens, gælder kun for en fast prior. En prior
#   tilpasset kortet (egentlig empirisk Bayes) puljer helt i den verden, og at rangordne de puljede skøn
#   er at rangordne efter overskydende antal, som favoriserer de store kommuner.
# * **Anbefaling:** tilpas prioren til kortet (empirisk Bayes), rangordn efter den krympede rate, når
#   tilpasningen viser reelle forskelle, og **udvælg ingen alene på kortet, når tilpasningen puljer**
#   (ingen tegn på forskelle ud over tilfældet). Selv da må man forvente kun at finde omkring halvdelen
#   (socialområdet) eller en tredjedel (handicap) af de sande fire værste: kortet er et screeningsværktøj,
#   ikke en dom. Vis hver kommunes n og et interval, pulj flere år (som taskforcen gjorde med 3,5 år), og
#   se på fordelingen mellem hjemvist og ændret (notesbog 03; notesbog 06 viser en rangordning på
#   ændret/ophævet alene som følsomhedstjek).
#
# **Hvilke data ville afgøre det.** De virkelige antal pr. kommune for de udvalgte paragraffer og år
# (Ankestyrelsens Talportal) og den regel, taskforcen faktisk brugte. Med `DANMARK_DATA` sat til en sådan
# download (parametercellen i afsnit 2) kører notesbogen alle simuleringer på de virkelige n i stedet for
# den befolkningsbaserede antagelse; en tilpasset prior på de virkelige antal (notesbog 02) erstatter den
# antagne styrke 30.

# %% [markdown]
# ## Kilder

# %%
keys = ["seed_minister_2024", "seed_solrod_2024", "seed_helsingor_2025", "folk1a_2020",
        "nb-kommune.dk:nye-danmarkskort-halvdelen-af-sagerne-paa-boerne",
        "sm.dk:omgoerelsesprocenter-paa-socialomraadet-i-2022", *nat_b["source"], *check["source"]]
danmark.danish_table(danmark.reference_list(keys), table_id="kilder").hide(axis="index")

# %% [markdown]
# ## Versioner

# %%
# NBVAL_IGNORE_OUTPUT
danmark.versions()
