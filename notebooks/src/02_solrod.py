# %% [markdown]
# # 02 · Solrød: hvad betyder »ganske få sager« for 71 % på 14 sager?
#
# I november 2023 tilbød ministeriet Solrød Kommune et af de toårige taskforceforløb på
# voksenhandicapområdet, som er forbeholdt kommunerne med størst behov på Danmarkskortet
# (Social- og boligministeren 2024). Byrådet takkede nej. Kommunens brev af 6. marts 2024 (Solrød
# Kommune 2024) gengiver tallet bag udvælgelsen og giver tre begrundelser.
#
# **Brevet med egne ord.** Udvælgelsen skete ifølge brevet «på baggrund af klagesager i
# Ankestyrelsen fra 2020 til og med første halvår af 2023 på udvalgte paragraffer, hvor Solrød har
# en omgørelsesprocent på 71 %», og den er «baseret på 14 klagesager, hvor 9 sager er blevet hjemvist
# og 1 sag er blevet ændret over en periode på tre et halvt år». Byrådets tre grunde:
#
# 1. et netop gennemført serviceeftersyn ved E&Y (2021–2023) med «en del sammenfald» med forløbet,
#    hvis anbefalinger stadig gennemføres;
# 2. «ganske få sager, og der er ikke paragraffer, der skiller sig markant ud (fx høje
#    omgørelsesprocenter i alle årene)». Som eksempel: afløsning og aflastning (§ 84) og midlertidigt
#    botilbud (§ 107), hvor kommunen har «en omgørelsesprocent 100 %, men kun én sag i en periode på
#    3,5 år». BPA og ledsageordning (§§ 96–97) har den højeste procent: «Her har der sammenlagt været
#    syv omgjorte sager i perioden», og efter arbejde med netop de områder i 2023 «der har ikke været
#    ankesager på området i hele 2023»;
# 3. de «betydelige administrative ressourcer», et toårigt forløb kræver, oven i et nyt fagsystem.
#
# Brevet samler op: Byrådet lægger til grund, «at der er tale om fejl i få sager igennem en årrække»,
# og at kommunen netop har gennemgået et omfattende serviceeftersyn. Det indrømmer også, at et forløb
# «også vil have en retssikkerhedsmæssig værdi for sagsbehandlingen og borgerne, og at det på sigt kan
# være en mulighed».
#
# **Hvad der efterprøves.** Grund 1 og 3 er ikke statistiske. Grund 2 og opsamlingen er: (a) er
# sagerne og fejlene få? (b) hvad betyder de få sager for, hvor meget 71 % kan vise? (c) skiller en
# paragraf sig ud? Brevet påstår *ikke*, at Solrød ligger på landsniveau; men udvælgelsen bygger på,
# at 71 % er højt, så notesbogen spørger også (d), vores spørgsmål og ikke brevets: gør de få sager
# det tvivlsomt, at Solrød lå over landsniveau?

# %% tags=["setup"]
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import danmark
from danmark import plotting
from danmark.plotting.kommune import kommune_trend, source_line

%matplotlib inline

pct = plotting.fmt_pct  # dansk procenttekst: 0.385 -> "38,5 %"
KILDER = ["seed_solrod_2024", "seed_minister_2024"]  # every source cited on the page; the full list is at the end


def num(x, d=2):
    """A number with a decimal comma, for printed text."""
    return danmark.danish_number(x, decimals=d)


def kilde(key):
    """A readable citation ("Solrød Kommune 2024"), remembered for the list of sources at the end."""
    KILDER.append(key)
    return danmark.citation(key)


KILDE_BREV = "Solrød Kommune, brev til Social-, Bolig- og Ældreministeriet om taskforcen, 6. marts 2024"
KILDE_LAND = ("Social- og Boligministeriet, pressemeddelelse om Danmarkskort 2021 (sm.dk; 2020–2021); "
              "cfdblogger.dk (2022, sekundær kilde)")


danmark.danish_warnings()  # danmarks advarsler (fx om en download) som én dansk linje

# %% [markdown]
# Påstandene, som datapakken fører dem (citaterne er ordrette):

# %%
danmark.danish_table(danmark.claims_table("02_solrod"))

# %% [markdown]
# ## 1 · Data
#
# **Solrøds tal.** Brevet giver 14 realitetsbehandlede sager, 9 hjemvist og 1 ændret; datapakken
# udleder stadfæstet = 14 − 9 − 1 = 4. Et udtræk fra Ankestyrelsens Talportal har ingen række for
# taskforcens *udvalg* af paragraffer, så tallene kommer altid fra brevet; afsnit 13 bruger et
# udtræk, når `DANMARK_DATA` peger på et.

# %%
cases = danmark.load_cases()
row = cases.query("kommune == 'Solrød' and period == '2020-2023H1' and area == 'voksenhandicap'")
k, n = int(row["omgjort"].iloc[0]), int(row["n"].iloc[0])
h = int(row["hjemvist"].iloc[0])
vis = {"period": "periode", "stadfaestet": "stadfæstet", "aendret": "ændret/ophævet", "hjemvist": "hjemvist",
       "n": "realitetsbehandlede sager", "omgjort": "omgjort", "omg_pct": "omgørelsesprocent (%)", "source": "kilde"}
shown = row[list(vis)].assign(period=row["period"].map(danmark.period_name), source=row["source"].map(kilde))
shown.insert(1, "område", "voksenhandicap, taskforcens udvalgte paragraffer")
danmark.danish_table(shown.rename(columns=vis).set_index(pd.Index(["Solrød"])).T, decimals=1)

# %% [markdown]
# **Tal pr. paragraf** fra samme brev. For § 84 og § 107 giver brevet én sag hver, begge omgjort;
# for §§ 96–97 kun antallet af omgjorte sager (7), ikke hvor mange der blev afgjort.

# %%
pub = danmark.load_published_rates()
paras = pub[(pub["kommune"] == "Solrød") & (pub["period"] == "2020-2023H1")]
danmark.danish_table(paras[["area", "n", "omgjort", "omg_pct", "source"]].assign(
    area=paras["area"].str.replace("SEL ", "serviceloven ", regex=False), source=paras["source"].map(kilde)).set_axis(
    ["paragraf(fer)", "realitetsbehandlede sager", "omgjort", "omgørelsesprocent (%)", "kilde"], axis=1),
    decimals=0, index=False)

# %% [markdown]
# **Landsplan, voksenhandicap.** `danmark.national_rate` slår hvert kalenderår op, som perioden
# berører. 2023 findes ikke i datapakken. 2020 og 2021 er fra ministeriets pressemeddelelse; 2022
# **kun fra en sekundær kilde** (en blog, der citerer en analyse af Talportalens tal), ikke tjekket mod
# sm.dk. 2019 vises, fordi det er det højeste år i datapakken.

# %%
nat = danmark.national_rate("voksenhandicap", "2020-2023H1")
national = danmark.load_national(preferred_only=True)
nat_rows = national[(national["area"] == "voksenhandicap") & national["period"].isin(["2019", "2020", "2021", "2022"])]
kildetype = nat_rows["source_type"].str.startswith("official").map({True: "officiel", False: "sekundær (nyhed/blog)"})
danmark.danish_table(nat_rows[["period", "omg_pct"]].assign(kildetype=kildetype, kilde=nat_rows["source"].map(kilde))
                     .set_axis(["år", "omgørelsesprocent (%)", "kildetype", "kilde"], axis=1).set_index("år"), decimals=1)

# %% [markdown]
# Landsprocenten er selv et skøn: for voksenhandicap bygger den på omkring 700–1.300 afgjorte
# klagesager om året (KL's tal, som gengiver Ankestyrelsen), så dens egen usikkerhed er ca. ±3 point
# (`danmark.national_precision`, samme tal i alle notesbøger). Det er lille ved siden af usikkerheden
# på Solrøds 14 sager, men det betyder, at et fald fra 2020 til 2021 på 8 point er mere end tilfældet,
# mens forskelle på et par point mellem år ikke er:

# %%
prec = danmark.national_precision().loc["voksenhandicap"]
KILDER.extend(prec["source"].split("+"))
print(f"Voksenhandicap på landsplan: {num(prec['n_min'], 0)}–{num(prec['n_max'], 0)} afgjorte klagesager om året "
      f"(årene {prec['years'].replace(', ', ', ')}); 95 %-usikkerhed ±{num(100 * prec['half_width_min'], 1)} til "
      f"±{num(100 * prec['half_width_max'], 1)} point; en ændring fra år til år skal være over "
      f"{num(100 * prec['change_min'], 1)}–{num(100 * prec['change_max'], 1)} point for at være mere end tilfældet.")

# %% [markdown]
# ## 2 · Hvilken landsprocent? Omfang og periode
#
# **Omfang.** Solrøds 10 af 14 gælder taskforcens *udvalgte paragraffer*. Landsprocenten
# ovenfor gælder *hele* voksenhandicapområdet; landsprocenten for de udvalgte paragraffer er ikke
# offentliggjort (det siger notesbog 06 også). **Alt i denne notesbog, der siger »over landsplan«,
# hviler derfor på en antagelse: at de udvalgte paragraffer på landsplan har omtrent samme
# omgørelsesprocent som hele voksenhandicapområdet.** Hvis de udvalgte paragraffer generelt omgøres
# oftere (det kan være derfor, de er udvalgt), er sammenligningen for hård ved Solrød. Som
# *omfangsgrænse* bruger vi 46 %, det højeste år i datapakken (2019): en landsprocent for de udvalgte
# paragraffer, der ligger 7–8 point over hele områdets.
#
# **Periode.** Solrøds tal dækker 3½ år, og landsprocenten faldt i vinduet fra 42,4 % (2020) til
# 34,3 % (2021). Den retfærdige sammenligning er landsprocenterne vægtet med *Solrøds egne* sager pr.
# år; den fordeling er ukendt, så den retfærdige landsprocent ligger et sted mellem laveste og højeste
# år. `danmark.period_references` giver kandidaterne: hvert år, hvert rullende toårsvindue, laveste og
# højeste år og gennemsnittet. Gennemsnittet 2020–2022 (38,5 %) bruges nedenfor som $p_0$.

# %%
years = nat.dropna(subset=["omg_pct"]).set_index("period")["omg_pct"] / 100
refs = danmark.period_references(years, window=2)
p0 = float(refs["pooled"])
p_scope = float(nat_rows.loc[nat_rows["period"] == "2019", "omg_pct"].iloc[0]) / 100
ref_names = {"pooled": "gennemsnit 2020–2022 (bruges)", "lowest": "laveste år", "highest": "højeste år"}
danmark.danish_table(refs.rename(lambda r: ref_names.get(r, r)).to_frame("landsprocent"), percent=["landsprocent"], decimals=3)

# %% [markdown]
# ## 3 · Den naive læsning

# %%
print(f"Solrød: {k} af {n} omgjort = {pct(k / n)}; landsplan (gennemsnit 2020–2022) {pct(p0)}; "
      f"forhold {num(k / n / p0)}")

# %% [markdown]
# Taget for pålydende er Solrøds omgørelsesprocent næsten dobbelt så høj som landets. Brevets
# indvending er, at tallet hviler på «ganske få sager». Hvor få, og hvor usikkert det gør tallet, kan
# måles.
#
# ## 4 · Hvor usikkert er 10 af 14? Konfidensintervaller
#
# Det eksakte (Clopper–Pearson) interval garanterer mindst 95 % dækning; Wilson og Jeffreys er
# kortere med tæt på 95 % dækning i gennemsnit (Brown, Cai & DasGupta 2001). **I resten af notesbogen
# er det eksakte interval, 42–92 %, det ene interval for Solrøds rå andel** (også i figuren i
# afsnit 8).

# %%
methods = {"exact": "eksakt (Clopper–Pearson)", "wilson": "Wilson", "jeffreys": "Jeffreys"}
ci = pd.concat([danmark.binomial_ci(k, n, method=m).assign(metode=name) for m, name in methods.items()])
danmark.danish_table(ci.set_index("metode")[["raw", "lower", "upper"]].assign(over=ci["lower"].to_numpy() > p0)
             .set_axis(["rå andel", "nedre 95 %", "øvre 95 %", "hele intervallet over landsplan"], axis=1),
             percent=["rå andel", "nedre 95 %", "øvre 95 %"], decimals=3)

# %% [markdown]
# Intervallet er bredt: den sande andel bag 10 af 14 kan ligge fra ca. 42 % til 92 %. Men selv det
# eksakte interval holder sig over 38,5 %, om end knebent. Den eksakte ensidede p-værdi, chancen for
# 10 eller flere omgørelser i 14 sager ved landsprocenten, for hver kandidat:

# %%
sens_p = danmark.period_sensitivity(k, n, pd.concat([refs, pd.Series({"omfangsgrænse 2019": p_scope})]))
danmark.danish_table(sens_p.rename(lambda r: ref_names.get(r, r))[["reference", "p_value"]].set_axis(
    ["landsprocent", "P(≥ 10 af 14 | landsprocent)"], axis=1).rename_axis("målestok"), percent=["landsprocent"],
    decimals=4)

# %% [markdown]
# Ved alle landsprocenter i datapakken ligger chancen mellem ca. 0,5 % og 3 %; kun ved omfangsgrænsen
# 46 % når den 5 %.
#
# **Men p-værdien ser bort fra, hvordan Solrød blev fundet.** Den er den rigtige beregning for en
# kommune, der er udpeget *før* man så på tallene. Solrød blev udvalgt *fordi* dens procent var blandt
# de mest ekstreme af 98 kommuner; afsnit 10 viser (med notesbog 07s beregning), at et resultat så
# usandsynligt som Solrøds viser sig et sted på kortet i omtrent halvdelen af alle perioder, selv hvis
# ingen kommune afviger. P-værdien bruges derfor ikke til konklusionen. Den hviler på den krympede
# posterior i afsnit 5, som lægger sin antagelse (hvor meget kommuner varierer) frem.
#
# ## 5 · Krympning mod landsprocenten
#
# Et interval for 10/14 behandler Solrød, som om intet var kendt om kommuner i almindelighed. Men de
# fleste kommuner ligger nær landsprocenten. Empirisk Bayes lægger den viden i en Beta-prior med
# middelværdi $p_0$ og en **priorvægt** $s = \alpha + \beta$, værd $s$ sager (ikke at forveksle med
# *teststyrke* i afsnit 9). Solrøds posterior er Beta$(p_0 s + 10,\ (1 - p_0)s + 4)$: dens 14 sager
# mod $s$ "landssager". Stor $s$: kommuner varierer næsten ikke; lille $s$: de varierer meget.
#
# Datapakken har ingen fuld tabel over kommuner, så $s$ kan ikke estimeres her. **Notesbog 01
# fastlægger intervallet for priorvægten ét sted (afsnit 4): 10 / 30 / 100** (lav / central / høj; spredningen
# i offentliggjorte kommunale procenter giver en nedre grænse omkring 10, og mindst fire kommuner over
# 55 % på socialområdekortet 2022 giver en øvre grænse omkring 100). Vi bruger 30 som central værdi (også
# standarden i `danmark report`) og viser alt fra 0,5 til 200. Tabellen giver Solrøds posterior-
# middelværdi, 95 %-troværdighedsinterval, vægten på landsprocenten og sandsynligheden for, at
# Solrøds sande procent ligger over landsprocenten:

# %%
post = danmark.prior_sensitivity(k, n, means=p0, strengths=[2, 5, 10, 20, 30, 50, 100, 200])
post_cols = {"strength": "priorvægt", "raw": "rå andel", "estimate": "krympet skøn", "lower": "nedre 95 %",
             "upper": "øvre 95 %", "weight": "vægt på landsplan", "prob_above": "P(over landsplan)"}
danmark.danish_table(post[list(post_cols)].rename(columns=post_cols).set_index("priorvægt"),
             percent=["rå andel", "krympet skøn", "nedre 95 %", "øvre 95 %"], decimals=2)

# %% [markdown]
# Krympning betyder meget for, *hvor høj* Solrøds procent er: ved den centrale priorvægt 30 falder
# det bedste skøn fra 71 % til ca. 49 % (95 %-interval 35–64 %); ved 100 er det ca. 43 % og ved 10 ca.
# 58 %. 43–58 % er spændet af *bedste skøn* på tværs af priorvægte, ikke et interval for den sande
# procent. Krympning betyder mindre for, *om* Solrød ligger over landsprocenten: sandsynligheden er
# over 0,80 i hele det plausible spænd og over 0,70 selv ved priorvægt 200.
#
# **Følsomhed over for begge antagelser**: priorvægt (0,5–200) og landsprocent (34,3 % til
# omfangsgrænsen 46 %).

# %%
grid = np.unique(np.round(np.r_[np.geomspace(0.5, 200, 25), 10, 30, 100], 2))
means = pd.Series({"laveste år (2021)": refs["lowest"], "gennemsnit 2020–2022": p0,
                   "højeste år (2020)": refs["highest"], "omfangsgrænse (2019-niveau)": p_scope})
sens = danmark.prior_sensitivity(k, n, means=means.to_numpy(), strengths=grid)
sens["landsplan"] = [f"landsplan {pct(p)}" for p in sens["mean"]]
central = sens[sens["landsplan"] == f"landsplan {pct(p0)}"]

with plotting.style():
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    plotting.sensitivity_curve(central, "strength", "estimate", ax=ax1, percent=True, logx=True, marker=None,
                               xlabel="priorvægt (antal sager, α + β)", ylabel="krympet omgørelsesprocent (%)",
                               reference=p0, reference_label=f"landsplan {pct(p0)}")
    ax1.axhline(100 * k / n, color="grey", ls=":", lw=1, label=f"rå andel {k}/{n}")
    ax1.axvspan(10, 100, color="grey", alpha=0.1, lw=0, label="plausibel priorvægt (notesbog 01)")
    ax1.set_ylim(0, 100)
    ax1.legend(loc="lower left")
    ax1.set_title("Solrød: krympet skøn med 95 %-interval")
    plotting.sensitivity_curve(sens, "strength", "prob_above", group="landsplan", ax=ax2, lower="-", upper="-",
                               percent=True, logx=True, marker=None, xlabel="priorvægt (antal sager, α + β)",
                               ylabel="P(sand omgørelsesprocent > landsplan) (%)")
    ax2.axvspan(10, 100, color="grey", alpha=0.1, lw=0)
    ax2.set_ylim(50, 100)
    ax2.set_title("Sandsynlighed for at ligge over landsplan")
    fig.tight_layout()
    source_line(fig, f"{KILDE_BREV}; {KILDE_LAND}. Landsprocenten gælder hele voksenhandicapområdet, "
                "Solrøds tal de udvalgte paragraffer.")
    _ = plotting.save_figure(fig, "02_solrod_shrinkage", formats=("png", "svg"))
plt.show()

# %% [markdown]
# Sandsynlighederne ved kanten af det plausible spænd, for hver landsprocent:

# %%
edges = sens[sens["strength"].isin([10, 30, 100, 200])]
order = [f"landsplan {pct(p)}" for p in means]
danmark.danish_table(edges.pivot(index="landsplan", columns="strength", values="prob_above").loc[order]
             .rename(columns=lambda s: f"priorvægt {s:g}").rename_axis(index=None, columns=None), decimals=2)

# %% [markdown]
# **Omfangsgrænsen.** Hvis de udvalgte paragraffer på landsplan omgøres i 46 % af sagerne, falder
# sandsynligheden for, at Solrød ligger over, til ca. 0,93 (priorvægt 10), 0,86 (30) og 0,75 (100),
# og 0,69 ved 200. Det er ikke et scenarie om, at 2023 skulle være sprunget op; det er spørgsmålet om,
# hvilken landsprocent Solrøds paragraffer burde måles mod, og det kan datapakken ikke afgøre. Inden
# for 34–42 % (årene i vinduet) ligger sandsynligheden mellem ca. 0,78 og 0,98 ved priorvægt 10–100.
#
# **Hvor højt skulle de udvalgte paragraffers landsprocent ligge, før konklusionen vender?** Løst
# præcist (`danmark.reference_at_probability`, rodsøgning, ikke et gitter): den landsprocent, hvor
# sandsynligheden for, at Solrød ligger over, falder til 0,9, 0,8 og 0,5, for hver priorvægt:

# %%
vend = pd.DataFrame({f"priorvægt {s}": {f"P(over) = {num(q, 1)}": danmark.reference_at_probability(
    k, n, strength=s, probability=q) for q in (0.9, 0.8, 0.5)} for s in (10, 30, 100)})
danmark.danish_table(vend.rename_axis("landsprocent, hvor"), percent=list(vend.columns), decimals=3)

# %% [markdown]
# Solrød ligger altså mere sandsynligt over end under landsprocenten, medmindre de udvalgte
# paragraffers landsprocent er omkring 72 % eller mere, og med sandsynlighed mindst 0,8 op til
# 40–58 % afhængigt af priorvægten; omfangsgrænsen 46 % ligger inden for det spænd.

# %% [markdown]
# ## 6 · Perioden: er det rimeligt at lægge 3½ år sammen?
#
# Landsprocenten faldt 8 point fra 2020 til 2021. Hvis Solrøds sager især lå i 2020 (højt landsniveau),
# er gennemsnittet 2020–2022 for lavt en målestok; lå de i 2021, for højt. Brevet giver ingen årstal,
# så vi regner sammenligningen igen mod hvert år og hvert rullende toårsvindue
# (`danmark.period_sensitivity`, priorvægt 30):

# %%
per = danmark.period_sensitivity(k, n, refs, strength=30)
per_cols = {"reference": "landsprocent", "difference": "forskel (point)", "excess": "omgørelser over forventet",
            "p_value": "ensidet p-værdi", "estimate": "krympet skøn", "lower": "nedre 95 %", "upper": "øvre 95 %",
            "prob_above": "P(over landsplan)"}
per_show = per[list(per_cols)].rename(columns=per_cols).rename(lambda r: ref_names.get(r, r)).rename_axis("målestok")
per_show["forskel (point)"] *= 100
danmark.danish_table(per_show, percent=["landsprocent", "krympet skøn", "nedre 95 %", "øvre 95 %"], decimals=3)

# %%
trend = pd.DataFrame({"period": ["2020", "2021", "2022", "Solrød 2020–1. halvår 2023"],
                      "rate": [np.nan, np.nan, np.nan, k / n], "lower": [np.nan] * 3 + [ci["lower"].iloc[0]],
                      "upper": [np.nan] * 3 + [ci["upper"].iloc[0]], "national": list(refs[["2020", "2021", "2022"]]) + [np.nan]})
with plotting.style():
    fig, ax = plt.subplots(figsize=(7, 3.4))
    kommune_trend(trend, ax=ax, label=f"Solrød: {k} af {n} (eksakt 95 %)", show_n=False,
                  reference_label="landsplan voksenhandicap, hvert år",
                  band=(refs["lowest"], refs["highest"], "her ligger den retfærdige landsprocent"))
    ax.set_xlabel("")
    ax.set_title("Landsprocenten faldt i Solrøds vindue; Solrød ligger over alle årene")
    source_line(fig, f"{KILDE_BREV}; {KILDE_LAND}. 2023 er ikke offentliggjort i datapakkens kilder.")
    _ = plotting.save_figure(fig, "02_solrod_period", formats=("png", "svg"))
plt.show()

# %% [markdown]
# At lægge perioden sammen er rimeligt her, fordi konklusionen ikke afhænger af, hvilket år man måler
# mod: Solrøds rå procent ligger 29–37 point over hvert enkelt år, og sandsynligheden for at ligge over
# er 0,89–0,95 ved priorvægt 30, uanset om man bruger 2020, 2021, 2022 eller et toårsvindue.
# Sammenlægningen skjuler derimod, om Solrøds egne tal ændrede sig inden for vinduet; det kræver
# Solrøds tal pr. år, som hverken brevet eller datapakken har. 2023 (første halvår indgår) er ukendt
# på landsplan.
#
# ## 7 · Hvad skulle der til?
#
# Hver omgørelse er 1/14 = 7,1 point af Solrøds procent. Hvor mange færre omgørelser (afgjort som
# stadfæstet i stedet), eller hvor mange hjemvisninger taget helt ud af opgørelsen (omklassificeret,
# som om de var afvist), skulle der til for at nå landsprocenten? Og hvor mange færre omgørelser, før
# "sandsynligvis over landsplan" bliver plat eller krone (P = 0,5) ved priorvægt 30?
# (`danmark.what_it_takes`)

# %%
wit = danmark.what_it_takes(np.repeat(k, 3), np.repeat(n, 3), reference=[refs["lowest"], p0, p_scope],
                            hjemvist=h, strength=30)
wit_cols = {"reference": "landsprocent", "points_per_case": "point pr. omgørelse", "excess": "omgørelser over forventet",
            "fewer_reversals": "færre omgørelser", "rate_after_fewer": "procent derefter",
            "hjemvist_left_out": "hjemvisninger taget ud", "rate_after_left_out": "procent derefter ",
            "fewer_for_even_odds": "færre omgørelser til P = 0,5"}
wit_show = wit[list(wit_cols)].rename(columns=wit_cols).set_axis(["laveste år", "gennemsnit 2020–2022", "omfangsgrænse"])
wit_show["point pr. omgørelse"] *= 100
danmark.danish_table(wit_show, percent=["landsprocent", "procent derefter", "procent derefter "], decimals=1)

# %% [markdown]
# Ved landsprocenten 38,5 % ligger Solrød 4,6 omgørelser over det forventede: 5 af de 10 omgørelser
# skulle have været stadfæstelser (så 5 af 14 = 36 %), eller 8 af de 9 hjemvisninger skulle tages helt
# ud af opgørelsen (2 af 6 = 33 %). Også ved omfangsgrænsen 46 % skal 4 af 10 omgørelser væk. Og det
# skal 5 færre omgørelser til, før det er lige sandsynligt, at Solrød ligger over eller under. Det
# er ikke en afrundingsforskel på én sag; det er halvdelen af omgørelserne.
#
# ## 8 · Paragrafferne: hvad én sag kan og ikke kan vise
#
# **§ 84 og § 107: én sag hver, begge omgjort.** Det eksakte interval for 1 af 1 er [2,5 %, 100 %]:
# én sag er forenelig med næsten enhver procent, så "100 %" på én sag siger intet om paragrafferne.
# Der har brevet ret. Men totalen hviler ikke på dem: uden de to sager har Solrød 8 omgjort af 12,
# stadig 67 %. Figuren viser delene side om side: rå andel (hul markør), eksakt interval (grå) og det
# krympede skøn med troværdighedsinterval ved priorvægt 30 (blå).

# %%
s_central = 30
prior_c = danmark.BetaPrior.from_mean(p0, s_central)
pieces = pd.DataFrame(
    {"k": [k, k - 2, 1, 1], "n": [n, n - 2, 1, 1]},
    index=[f"i alt: {k} af {n}", f"uden § 84 og § 107: {k - 2} af {n - 2}", "§ 84: 1 af 1", "§ 107: 1 af 1"],
)
exact = danmark.binomial_ci(pieces["k"], pieces["n"], method="exact")
overview = danmark.shrink(pieces["k"], pieces["n"], prior=prior_c).assign(
    raw_lower=exact["lower"].to_numpy(), raw_upper=exact["upper"].to_numpy(),
    prob_above=danmark.prob_above(pieces["k"], pieces["n"], prior=prior_c, reference=p0)["prob_above"].to_numpy(),
)
ov_cols = {"k": "omgjort", "n": "sager", "raw": "rå andel", "raw_lower": "eksakt nedre", "raw_upper": "eksakt øvre",
           "estimate": "krympet skøn", "lower": "krympet nedre", "upper": "krympet øvre", "prob_above": "P(over landsplan)"}
danmark.danish_table(overview[list(ov_cols)].rename(columns=ov_cols).rename_axis("opgørelse"),
             percent=[c for c in ov_cols.values() if c not in ("omgjort", "sager", "P(over landsplan)")], decimals=2)

# %%
with plotting.style():
    ax = plotting.caterpillar(overview, label="opgørelse", sort=False, reference=(p0, "landsplan 2020–2022"))
    ax.set_title(f"Solrød 2020–1. halvår 2023 (krympet mod landsplan, priorvægt {s_central} sager)", pad=40)
    source_line(ax.figure, f"{KILDE_BREV}; {KILDE_LAND}.")
    _ = plotting.save_figure(ax.figure, "02_solrod_overview", formats=("png", "svg"))
plt.show()

# %% [markdown]
# Én omgjort sag flytter det krympede skøn for § 84 eller § 107 fra 38,5 % til kun ca. 40 %, og
# sandsynligheden for at ligge over landsplan til ca. 60 %: én sag er næsten intet bevis. Ti af fjorten
# er et reelt bevis.
#
# **§§ 96–97: syv omgjorte sager, n ikke oplyst.** Brevet siger ikke, hvor mange sager i §§ 96–97
# der blev afgjort. Der var mindst 7, og brevets regnestykke sætter en øvre grænse: tæller
# paragraftallene sager blandt de samme 14, og hører hver sag til én paragraf, står § 84, § 107 og
# §§ 96–97 for 1 + 1 + 7 = 9 af de 10 omgørelser; mindst én omgjort sag ligger altså i en anden
# paragraf, og §§ 96–97 kan højst have 14 − 3 = 11 sager. Tabellen viser hver mulighed med procenten
# for de *øvrige* paragraffer (14 − n sager, 3 omgjort):

# %%
n9697 = np.arange(7, 12)  # 12 or more would leave the remaining paragraphs fewer cases than their 3 reversals
para = danmark.binomial_ci(7, n9697, method="exact").set_index("n")
para["rest_n"] = n - para.index
para["rest_rate"] = (k - 7) / para["rest_n"]
danmark.danish_table(para[["raw", "lower", "upper", "rest_n", "rest_rate"]].set_axis(
    ["§§ 96–97: rå andel", "eksakt nedre", "eksakt øvre", "øvrige: sager", "øvrige: rå andel (3 omgjort)"], axis=1)
    .rename_axis("sager i §§ 96–97"),
    percent=["§§ 96–97: rå andel", "eksakt nedre", "eksakt øvre", "øvrige: rå andel (3 omgjort)"], decimals=3)

# %%
paras_trend = pd.DataFrame({"period": [f"n = {v}" for v in para.index], "rate": para["raw"].to_numpy(),
                            "lower": para["lower"].to_numpy(), "upper": para["upper"].to_numpy(), "national": p0})
with plotting.style():
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    kommune_trend(paras_trend, ax=ax, label="rå andel 7/n med eksakt 95 %-interval", show_n=False,
                  reference_label=f"landsplan {pct(p0)}")
    ax.set_xlabel("antal realitetsbehandlede sager i §§ 96–97 (ukendt; 7 omgjort; højst 11 ifølge brevets tal)")
    ax.set_ylabel("omgørelsesprocent §§ 96–97 (%)")
    ax.legend(loc="lower left")
    ax.set_title("§§ 96–97: rå andel og eksakt 95 %-interval for hvert muligt antal sager")
    source_line(fig, f"{KILDE_BREV}; {KILDE_LAND}.")
    _ = plotting.save_figure(fig, "02_solrod_paragraphs", formats=("png",))
plt.show()

# %% [markdown]
# §§ 96–97 havde altså en procent mellem 64 % (7 af 11) og 100 % (7 af 7). Med 7–9 sager ligger det
# eksakte interval helt over landsplan; med 10 eller 11 rækker det ned til 31–35 %. Det er den eneste
# paragrafgruppe med sager nok til at sige noget, og den rummer 7 af Solrøds 10 omgørelser. Om den
# "skiller sig ud" fra de øvrige paragraffer kan ikke siges: deres procent ligger mellem 43 % og
# 100 % afhængigt af samme ukendte n. Brevets eksempel på at skille sig ud, høje tal *i alle årene*,
# kræver årstal pr. paragraf, som hverken brevet eller datapakken har. Brevet tilføjer, at Solrød
# arbejdede med netop disse paragraffer i 2023 og ingen klager havde der det år; datapakken har ingen
# 2023-tal at tjekke det med.
#
# ## 9 · Hjemvist eller ændret?
#
# Ni af de ti omgørelser var hjemvisninger: Ankestyrelsen sendte sagen tilbage til ny afgørelse,
# typisk fordi den ikke var tilstrækkeligt oplyst eller begrundet. Én blev ændret. **Intervallerne i
# figuren er de samme eksakte intervaller som i tabellerne ovenfor** (for omgjort i alt 42–92 %);
# Dirichlet-posterioren (ensartet prior) bruges kun til sandsynligheden for, at hjemvist-andelen er
# større end ændret-andelen. (Dens eget interval for omgjort, 48–89 %, er smallere, fordi den ensartede
# prior lægger to "sager" til omgjort og én til stadfæstet; vi viser det ikke for ikke at have to
# intervaller for samme størrelse.)

# %%
split = danmark.outcome_split(row[["stadfaestet", "aendret", "hjemvist"]].reset_index(drop=True))
ex = danmark.binomial_ci(split["count"].to_numpy(), split["n"].to_numpy(), method="exact")
split = split.assign(lower=ex["lower"].to_numpy(), upper=ex["upper"].to_numpy())
print(f"P(hjemvist-andel > ændret-andel) = {num(split['p_hjemvist_gt_aendret'].iloc[0], 3)}")
names = {"stadfaestet": "stadfæstet", "aendret": "ændret/ophævet", "hjemvist": "hjemvist", "omgjort": "omgjort i alt"}
danmark.danish_table(split.assign(outcome=split["outcome"].map(names)).set_index("outcome")[["count", "n", "raw", "lower", "upper"]]
             .set_axis(["antal", "sager", "andel", "eksakt nedre 95 %", "eksakt øvre 95 %"], axis=1).rename_axis("udfald"),
             percent=["andel", "eksakt nedre 95 %", "eksakt øvre 95 %"], decimals=3)

# %%
with plotting.style():
    fig, ax = plt.subplots(figsize=(7, 2.8))
    plotting.outcome_bars(split.assign(unit="Solrød"), label="kommune", ax=ax)  # incl. the omgjort row
    ax.set_title("Solrød 2020–1. halvår 2023: observerede andele og eksakte 95 %-intervaller", pad=48)
    source_line(fig, KILDE_BREV + ".")
    _ = plotting.save_figure(ax.figure, "02_solrod_outcomes", formats=("png",))
plt.show()

# %% [markdown]
# Er 9 af 10 usædvanligt? Der er ingen fordeling for voksenhandicap i datapakken, men på hele
# socialområdekortet er hjemvisninger ca. tre fjerdedele af alle omgørelser, år efter år. Solrøds
# andel hjemvisninger blandt sine omgørelser, 9 af 10 (eksakt interval 55–100 %), er forenelig med det:

# %%
soc = danmark.load_national()
soc = soc[(soc["area"] == "socialomraadet") & soc["pct_hjemvist"].notna()]
soc = soc.assign(andel=soc["pct_hjemvist"] / (soc["pct_hjemvist"] + soc["pct_aendret"]))
danmark.danish_table(soc[["period", "pct_aendret", "pct_hjemvist", "andel", "source"]].assign(
    source=soc["source"].map(kilde)).set_axis(
    ["år", "ændret (%)", "hjemvist (%)", "hjemvist blandt omgjorte", "kilde"], axis=1).set_index("år"),
    percent=["hjemvist blandt omgjorte"], decimals=1)

# %% [markdown]
# Fordelingen betyder noget for, hvad procenten *betyder* (en hjemvisning er en afgørelse, der ikke
# var godt nok forberedt, ikke nødvendigvis et forkert resultat), men ikke for argumentet om "få
# sager": hjemvisninger tæller med i omgørelsesprocenten, på kortet og her.
#
# ## 10 · Udvælgelsen: mange kommuner, mange chancer
#
# Solrød blev ikke fundet tilfældigt: den blev udvalgt, fordi dens procent var blandt de højeste.
# Med 98 kommuner når nogen en høj procent ved et tilfælde. **Den beregning står ét sted, i notesbog
# 07 (afsnittet »Hvor usædvanlig er Solrøds 71 %?«)**, med scenarie B, det scenarie, der svarer til
# udvælgelsen (`danmark.taskforce_scenarios`): handicap, 3½ år; sagstal fordelt efter folketal og
# kalibreret, så Solrød har 14, mindst 1 pr. kommune (en antagelse, ikke offentliggjorte tal); fælles
# sand procent = gennemsnittet 2020–2022. Her kaldes samme bibliotekfunktioner med samme argumenter:

# %%
scenario_b = danmark.taskforce_scenarios()["B"]  # SIMULERET: sager ∝ folketal, kalibreret til Solrøds 14
multi = danmark.map_multiplicity(scenario_b.counts["n"], reference=scenario_b.reference, k=k, n_observed=n)
print(f"Scenarie B (SIMULERET sagstal, {len(scenario_b.counts)} kommuner): forventet "
      f"{num(multi.summary['expected_as_improbable'])} kommuner med et resultat så usandsynligt som Solrøds 10 af 14; "
      f"mindst én i {pct(multi.summary['p_any_as_improbable'], decimals=0)} af perioderne.")

# %% [markdown]
# Omkring 0,76 kommuner pr. periode vil vise et resultat så usandsynligt som Solrøds, og mindst én
# gør det i ca. 53 % af perioderne, selv hvis alle kommuner er lige gode. Kalibreringen giver ca.
# 1.000 sager om året på landsplan, flere end KL's 721–950 afgjorte voksenhandicapsager om året i
# 2022–2023 (notesbog 07 tjekker det); med færre sager er tilfældet større, så tallene her er snarere
# for lave end for høje. Det er en advarsel om *rå* procenter, ranglister og p-værdierne i afsnit 4. Det er ikke
# en grund til at se bort fra Solrøds posterior i afsnit 5: den bygger på Solrøds egne sager og en
# prior for kommuner i almindelighed, og krympning er netop korrektionen for regression mod
# middelværdien, som udvælgelse på rå procenter kræver, *forudsat at prioren beskriver kommunerne*.
# Korrektionen er grunden til, at det bedste skøn falder fra 71 % til omkring 50 %. Prisen er, at
# svaret afhænger af priorvægten, som datapakken kun kan afgrænse (10–100), ikke estimere.
#
# ## 11 · Hvor mange sager skulle der til for at skelne Solrød fra landsplan?
#
# Teststyrken for den eksakte ensidede binomialtest af "Solrøds procent = landsprocenten" (5 %-niveau)
# for en kommune udpeget på forhånd. Var Solrøds sande procent virkelig 71 %, ville 14 sager oftest
# være nok. Men efter krympning er det bedste skøn 43–58 % (49 % ved 30), og en mindre forskel kræver
# mange flere sager. Solrød havde ca. 4 sager om året på disse paragraffer.

# %%
targets = pd.Series({
    "observeret 10/14": k / n,
    "krympet, priorvægt 10": float(post.loc[post["strength"] == 10, "estimate"].iloc[0]),
    "krympet, priorvægt 30": float(post.loc[post["strength"] == 30, "estimate"].iloc[0]),
})
need = danmark.cases_needed(targets.to_numpy(), reference=p0).set_index(targets.index)
need = need.assign(years=need["n_stable"] / (n / 3.5))
danmark.danish_table(need[["p1", "n_first", "n_stable", "n_normal", "years"]].set_axis(
    ["sand procent", "første n med 80 %", "n fra hvilket 80 % holder", "n (normalapproksimation)", "år ved 4 sager/år"], axis=1),
    percent=["sand procent"], decimals=1)

# %%
n_grid = np.arange(5, 201)
curves = pd.concat(
    [danmark.power(n_grid, p1=p, reference=p0).assign(label=f"sand omgørelsesprocent {pct(p)} ({name})")
     for name, p in targets.items()],
    ignore_index=True,
)
with plotting.style():
    ax = plotting.power_curve(curves)
    ax.axvline(n, color="grey", ls=":", lw=1)
    ax.annotate(f"Solrød: n = {n}", (n, 3), xytext=(3, 0), textcoords="offset points", fontsize=7)
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 0.06))  # clear of the n = 14 note
    ax.set_title(f"Teststyrke: eksakt ensidet test mod landsplan {pct(p0)} (5 %-niveau)")
    source_line(ax.figure, f"Beregnet; udgangspunkt: {KILDE_BREV}; {KILDE_LAND}.")
    _ = plotting.save_figure(ax.figure, "02_solrod_power", formats=("png", "svg"))
plt.show()

# %% [markdown]
# Er Solrøds sande procent ca. 49 % (priorvægt 30), kræver det ca. 140–150 sager at skelne den fra
# 38,5 % med 80 % teststyrke, flere årtiers klager på disse paragraffer; ved 58 % (priorvægt 10) ca.
# 40–50 sager, mere end et årti. Det er i den forstand, sagerne er få: ikke for få til at gøre Solrød
# sandsynligvis højere end landsplan, men alt for få til at sige hvor meget.
#
# ## 12 · Konklusion
#
# **Brevets påstand holder i det, der kan efterprøves.** Brevet siger, at 71 % hviler på «ganske få
# sager», at ingen paragraf skiller sig markant ud, og at der er «tale om fejl i få sager igennem en
# årrække». Det påstår ikke, at Solrød ligger på landsniveau.
#
# * **(a) Få sager og få fejl: holder.** 14 realitetsbehandlede sager på 3½ år (ca. 4 om året) og 10
#   omgørelser (ca. 3 om året) er få i absolutte tal.
# * **(b) Hvad de få sager betyder for 71 %: holder.** 14 sager gør tallet meget upræcist: det eksakte
#   95 %-interval er 42–92 %. Efter krympning mod landsprocenten (som også korrigerer for, at Solrød
#   blev udvalgt for sin høje procent) er det bedste skøn 58 %, 49 % og 43 % ved priorvægt 10, 30 og
#   100, ikke 71 %. § 84 og § 107 med én sag hver (eksakt interval 2,5–100 %) viser intet; der har
#   brevet ret. At skelne en sand procent på 49–58 % fra 38,5 % med 80 % teststyrke ville kræve ca.
#   40–150 sager, 12–38 års klager.
# * **(c) Ingen paragraf skiller sig markant ud: kan ikke efterprøves.** §§ 96–97 rummer 7 af de 10
#   omgørelser, men antallet af sager pr. paragraf og år er ikke oplyst, og brevets eksempel, høje
#   procenter *i alle årene*, kræver årstal. At der ikke var ankesager på §§ 96–97 i 2023, har
#   datapakken ingen tal til at tjekke.
# * **(d) Vores spørgsmål, ikke brevets: lå Solrød over landsniveau?** Sandsynligvis, **forudsat at de
#   udvalgte paragraffer på landsplan omgøres omtrent som hele voksenhandicapområdet**: sandsynligheden
#   er 0,97, 0,92 og 0,81 ved priorvægt 10, 30 og 100 (landsplan 38,5 %) og 0,89–0,95 ved 30, uanset
#   hvilket år i vinduet man måler mod. Konklusionen vender (P under 0,5) først, hvis de udvalgte
#   paragraffers landsprocent er omkring 72 % eller mere; ved 46 % er P stadig 0,75–0,93. At bringe
#   Solrød ned på landsplan kræver 5 færre omgørelser af 10, eller at 8 af 9 hjemvisninger tages ud af
#   opgørelsen. Dette hviler på den krympede posterior og dens erklærede prior, ikke på p-værdierne
#   (0,5–3 %): et lige så usandsynligt resultat viser sig et sted på kortet i ca. halvdelen af alle
#   perioder (notesbog 07). Landsprocenten for 2022 er fra en sekundær kilde (blog).
# * **Grund 1 og 3** (serviceeftersynet og ressourcerne) er ikke statistiske og vurderes ikke her.
#
# Kommandolinjen giver de samme nøgletal for enhver kommune i data: `danmark report Solrød`
# (priorvægt 30 som standard; eksakte og Wilson-intervaller).
#
# ## 13 · Hvilke data ville afgøre det
#
# * Solrøds tal pr. paragraf og år (Ankestyrelsens Talportal), så §§ 96–97 kan ses for sig, og om
#   2023–2024 blev bedre; de samme tal pr. år giver den retfærdige landsprocent for vinduet.
# * **Landsprocenten for taskforcens udvalgte paragraffer**, 2020–2023, fra en officiel kilde. Den
#   afgør antagelsen ovenfor.
# * Tallene for **alle 98 kommuner** i samme vindue, så priorvægten kan *estimeres*
#   (`danmark.fit_prior`, eller `danmark.hierarchical` med dens usikkerhed) i stedet for at blive
#   afgrænset. Talportalens voksenhandicapområde dækker alle dets paragraffer, ikke taskforcens udvalg.
# * Landsprocenten for voksenhandicap 2023 fra en officiel kilde, og 2022 tjekket mod sm.dk.
#
# Med et udtræk: sæt `DANMARK_DATA` og kør igen; cellen nedenfor estimerer så prioren ud fra alle
# kommuner (2020–2022) og viser Solrøds krympede skøn for hele voksenhandicapområdet. Uden et udtræk
# siger den, hvad der mangler.
#
# ```sh
# export DANMARK_DATA=~/Downloads/Talportal_voksenhandicap.csv
# jupyter lab notebooks/02_solrod.ipynb
# ```

# %% tags=["download"]
full = danmark.load_data()
window = full[(full["area"] == "voksenhandicap") & (full["kommunekode"] != "000")
              & full["period"].isin(["2020", "2021", "2022"])]
pooled = window.groupby("kommune")[["stadfaestet", "aendret", "hjemvist"]].sum()
pooled = pooled[pooled.sum(axis=1) > 0]
if len(pooled) < 50:
    print(f"Voksenhandicaptal for 2020–2022 findes for {len(pooled)} kommune(r) i de anvendte data; der skal mindst "
          "50 til for at estimere prioren. Sæt DANMARK_DATA til et fuldt udtræk fra Talportalen.")
elif "Solrød" not in pooled.index:
    print(f"Filen har voksenhandicaptal for 2020–2022 for {len(pooled)} kommuner, men ikke for Solrød.")
else:
    fitted = danmark.fit_prior(pooled)
    strength = "uendelig (ingen spredning ud over tilfældet)" if fitted.pooled else num(fitted.strength, 1)
    print(f"Prior estimeret fra {len(pooled)} kommuner, voksenhandicap 2020–2022: middelværdi {pct(fitted.mean)}, "
          f"priorvægt {strength}.")
    solrod_full = danmark.shrink(pooled, prior=fitted).loc[["Solrød"]]
    display(danmark.danish_table(solrod_full[["n", "raw", "estimate", "lower", "upper"]].set_axis(
        ["sager", "rå andel", "krympet skøn", "nedre 95 %", "øvre 95 %"], axis=1),
        percent=["rå andel", "krympet skøn", "nedre 95 %", "øvre 95 %"], decimals=3))

# %% [markdown]
# ## Kilder
#
# Hver kilde, notesbogen henviser til, med den henvisning, teksten og tabellerne bruger:

# %%
KILDER += list(nat["source"].dropna()) + list(soc["source"])
danmark.danish_table(danmark.reference_list(KILDER), index=False, decimals=0)

# %% [markdown]
# ## Versioner

# %%
# NBVAL_IGNORE_OUTPUT
danmark.versions()
