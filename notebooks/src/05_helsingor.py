# %% [markdown]
# # 05 · Helsingør: er 55 % »samme niveau« som i flertallet af kommuner?
#
# Helsingør Kommune deltog fra december 2021 til december 2024 i et taskforceforløb med
# Ankestyrelsen og Social- og Boligstyrelsen på det specialiserede voksenområde; kommunen var blevet
# inviteret «blandt andet på baggrund af antallet af ankesager, som kommunen ikke fik medhold i». I
# 2025 gjorde forvaltningen status over forløbet for Handicaprådet og socialudvalget (dagsordenspunkt,
# sag 25/30718; Helsingør Kommune 2025). Punktets afsnit 8, «Opgørelser på Danmarkskortet», er emnet
# for denne notesbog.
#
# **Punktet med egne ord.** «Seneste opgørelse (juni 2025) viste, at Ankestyrelsen har truffet 22
# afgørelser i 2024 i Helsingør Kommune. I 12 af klagesagerne har Ankestyrelsen omgjort kommunens
# afgørelse, som giver en omgørelsesprocent på 55 %. De omgjorte afgørelser består af 2
# ændrede/ophævede sager (9 %) og 10 sager, hvor Ankestyrelsen har bedt kommunen behandle sagen på ny
# (45 %), altså hvor sagen er blevet hjemvist. Samme niveau ses i flertallet af kommuner.» Punktet
# forklarer hjemvisningerne: «Kompleksiteten i sagerne er stor, og afgørelserne er lange. Ofte ses
# flere afgørelser i samme sag, og hvis ét af forholdene i sagen mangler dokumentation, hjemvises
# sagen.» Det gælder også, hvis borgeren ikke vil dele de nødvendige oplysninger. Og kommunen
# «arbejder målrettet med at nedbringe antallet af hjemvisningssager».
#
# Sætningen »samme niveau ses i flertallet af kommuner« kan læses på to måder, og vi efterprøver begge:
#
# * **(A) niveauet**: en procent omkring 55 % er typisk for kommuner;
# * **(B) mønstret**: at de fleste omgørelser er hjemvisninger frem for ændringer, er typisk.
#
# Et tredje spørgsmål følger af sammenhængen: 2024 er sidste år i et treårigt forløb; hvad kan tallene
# sige om forandring?
#
# > **Forbehold: området er udledt.** Afsnit 8 taler om Danmarkskortet og om «kvartalsopgørelser fra
# > Social- og Boligministeriet», men ikke om, hvilket af kortene (socialområdet, børnehandicap,
# > voksenhandicap) de 22 afgørelser stammer fra. Datapakken fører rækken under **voksenhandicap**,
# > fordi punktet handler om det specialiserede voksenområde. Var tallet for hele socialområdekortet,
# > er landsprocenterne (31,8–37,5 % i 2020–2022) endnu lavere, og hver sammenligning nedenfor ville
# > lægge Helsingør længere over landsplan, ikke tættere på.

# %% tags=["setup"]
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from statsmodels.stats.proportion import test_proportions_2indep

import danmark
from danmark import plotting
from danmark.plotting.kommune import source_line

%matplotlib inline

pct = plotting.fmt_pct  # dansk procenttekst: 0.385 -> "38,5 %"
KILDER = ["seed_helsingor_2025"]  # every source cited on the page; the full list is at the end


def num(x, d=2):
    """A number with a decimal comma, for printed text."""
    return danmark.danish_number(x, decimals=d)


KILDE_PUNKT = "Helsingør Kommune, dagsordenspunkt sag 25/30718 (2025), afsnit 8 om Danmarkskortet juni 2025"
KILDE_LAND = ("Social- og Boligministeriet, pressemeddelelse om Danmarkskort 2021 (sm.dk; voksenhandicap 2020–2021); "
              "cfdblogger.dk (voksenhandicap 2022, sekundær kilde: blog); DK Nyt (2019, nyhed)")
K_BAND, N_HELSINGOR = 10, 22  # »samme niveau«: 10 af 22 (45 %) eller mere
danmark.danish_warnings()  # danmarks advarsler (fx om en download) som én dansk linje

# %%
danmark.danish_table(danmark.claims_table("05_helsingor"))

# %% [markdown]
# ## 1 · Data
#
# **Helsingørs tal.** Punktet giver 22 afgørelser, 2 ændret/ophævet og 10 hjemvist; datapakken udleder
# stadfæstet = 22 − 12 = 10. Vi tager de 22 som realitetsbehandlede sager: 12 / 22 = 55 % er den
# procent, punktet skriver. Tallene er punktets; afsnit 11 bruger et udtræk, når `DANMARK_DATA` peger
# på et.

# %%
cases = danmark.load_cases()
row = cases.query("kommune == 'Helsingør' and period == '2024' and area == 'voksenhandicap'")
counts = row[["stadfaestet", "aendret", "hjemvist"]].iloc[0].astype(int)
k, n = int(counts["aendret"] + counts["hjemvist"]), int(counts.sum())
vis = {"period": "periode", "stadfaestet": "stadfæstet", "aendret": "ændret/ophævet", "hjemvist": "hjemvist",
       "n": "realitetsbehandlede sager", "omgjort": "omgjort", "omg_pct": "omgørelsesprocent (%)", "source": "kilde"}
shown = row[list(vis)].assign(source=row["source"].map(danmark.citation))
shown.insert(1, "område", "voksenhandicap (udledt af punktets emne)")
danmark.danish_table(shown.rename(columns=vis).set_index(pd.Index(["Helsingør"])).T, decimals=1)

# %% [markdown]
# **Landsprocenter.** Datapakken har ingen landsprocent for 2024, for noget område. Seneste
# voksenhandicapår er 2022, og **det tal (38,9 %) er fra en sekundær kilde**, en blog, der citerer en
# analyse af Talportalens tal; det bærer sammenligningerne nedenfor og bør tjekkes mod Ankestyrelsen.
# For 2023 findes Ankestyrelsens tal for alle servicelovsklager (39 %). 2019 er fra en nyhedsartikel
# (DK Nyt). Socialområdet vises til sammenligning.

# %%
national = danmark.load_national()
context = national[
    national["area"].isin(["voksenhandicap", "serviceloven", "socialomraadet"])
    & national["period"].isin(["2019", "2020", "2021", "2022", "2023"])
    & national["omg_pct"].notna()
    & (national["preferred"] | national["pct_hjemvist"].notna())
].sort_values(["area", "period"])
kildetype = context["source_type"].str.startswith("official").map({True: "officiel", False: "sekundær (nyhed/blog)"})
danmark.danish_table(context[["area", "period", "omg_pct", "pct_aendret", "pct_hjemvist"]]
             .assign(area=context["area"].map(plotting.area_name), kildetype=kildetype,
                     kilde=context["source"].map(danmark.citation))
             .set_axis(["område", "år", "omgørelsesprocent (%)", "ændret (%)", "hjemvist (%)", "kildetype", "kilde"],
                       axis=1),
             decimals=1, index=False)

# %% [markdown]
# ## 2 · Hvilken landsprocent?
#
# Vi sammenligner med **38,9 %**, seneste voksenhandicapår i datapakken (2022, sekundær kilde);
# servicelovstallet 2023 (39 %) og gennemsnittet 2020–2022 (38,5 %) stemmer med det. Da 2024 er ukendt,
# vises hvert resultat også mod hvert voksenhandicapår fra det laveste (34,3 %, 2021) til det højeste
# (46 %, 2019). **Perioden:** Helsingørs tal er ét år, så der er intet at lægge sammen; følsomheden er
# alene, hvilket år landsprocenten tages fra (`danmark.period_references` med alle årene).

# %%
vh = danmark.load_national(preferred_only=True).query("area == 'voksenhandicap' and period >= '2019'")
vh_rates = vh.set_index("period")["omg_pct"] / 100
refs = danmark.period_references(vh_rates, window=0).drop(["pooled"])
refs["gennemsnit 2020–2022"] = vh_rates[["2020", "2021", "2022"]].mean()
refs["serviceloven 2023"] = float(context.query("area == 'serviceloven' and period == '2023'")["omg_pct"].iloc[0]) / 100
p0 = float(refs["2022"])
ref_names = {"2022": "2022 (bruges)", "lowest": "laveste år", "highest": "højeste år"}
danmark.danish_table(refs.rename(lambda r: ref_names.get(r, r)).to_frame("landsprocent").rename_axis("målestok"),
             percent=["landsprocent"], decimals=3)

# %%
exact = danmark.binomial_ci(k, n, method="exact")
with plotting.style():
    fig, ax = plt.subplots(figsize=(7, 4))
    shown = {"voksenhandicap": ("o", "-", -0.08), "socialomraadet": ("s", "-", 0.0), "serviceloven": ("^", ":", 0.08)}
    for area, (marker, ls, dx) in shown.items():  # side by side: serviceloven and socialområdet share 2020-2021 values
        rows = context[(context["area"] == area) & context["preferred"]]
        line = rows.set_index(rows["period"].astype(int))["omg_pct"].reindex(range(2019, 2024))  # a gap breaks the line
        ax.plot(line.index + dx, line.to_numpy(), marker=marker, ls=ls, color=plotting.area_color(area), ms=5,
                label=f"landsplan, {plotting.area_name(area)}")
    ax.errorbar([2024], [100 * k / n], yerr=[[100 * (k / n - exact["lower"].iloc[0])], [100 * (exact["upper"].iloc[0] - k / n)]],
                fmt="D", color="black", ms=6, capsize=3, label=f"Helsingør 2024: {k} af {n} (eksakt 95 %-interval)")
    ax.set_xlim(2018.5, 2024.5)
    ax.set_ylim(0, 100)
    ax.set_xlabel("år")
    ax.set_ylabel("omgørelsesprocent (%)")
    ax.legend(loc="upper left", fontsize=7.5)
    ax.set_title("Landsplan (ingen tal for 2024 i datapakken) og Helsingør 2024")
    source_line(fig, f"{KILDE_PUNKT}; {KILDE_LAND}; Ankestyrelsen (serviceloven); "
                "Social- og Boligministeriet, Danmarkskort-sider (socialområdet).")
    _ = plotting.save_figure(fig, "05_helsingor_context", formats=("png", "svg"))
plt.show()

# %% [markdown]
# (Serviceloven og socialområdet har næsten samme tal i 2020–2021; linjerne er forskudt en smule
# vandret, så begge kan ses. Serviceloven har intet tal for 2019 og 2022, så 2023 står alene.)
#
# ## 3 · Den naive læsning

# %%
diff = pd.DataFrame({"landsprocent": refs, "forskel (point)": 100 * (k / n - refs)})
print(f"Helsingør 2024: {k} af {n} omgjort = {pct(k / n)}")
danmark.danish_table(diff.rename(lambda r: ref_names.get(r, r)).rename_axis("målestok"), percent=["landsprocent"], decimals=1)

# %% [markdown]
# Taget for pålydende ligger 55 % over alle landsprocenter i datapakken: ca. 16 point over de seneste
# (38,9 % for voksenhandicap 2022, 39 % for serviceloven 2023) og 8,5 point over det højeste år (2019).
# Det passer dårligt med "samme niveau som i flertallet af kommuner": landsprocenten er groft sagt den
# typiske kommunes niveau. Men 22 sager er ikke mange; hvor præcis er 55 %?
#
# ## 4 · Hvor præcis er 12 af 22?

# %%
methods = {"exact": "eksakt (Clopper–Pearson)", "wilson": "Wilson", "jeffreys": "Jeffreys"}
ci = pd.concat([danmark.binomial_ci(k, n, method=m).assign(metode=name) for m, name in methods.items()])
danmark.danish_table(ci.set_index("metode")[["raw", "lower", "upper"]].assign(over=ci["lower"].to_numpy() > p0)
             .set_axis(["rå andel", "nedre 95 %", "øvre 95 %", "hele intervallet over landsplan"], axis=1),
             percent=["rå andel", "nedre 95 %", "øvre 95 %"], decimals=3)

# %%
per = danmark.period_sensitivity(k, n, refs, strength=30)
per_cols = {"reference": "landsprocent", "p_value": "P(≥ 12 af 22 | landsprocent)", "estimate": "krympet skøn (30)",
            "prob_above": "P(over landsplan) (30)"}
danmark.danish_table(per[list(per_cols)].rename(columns=per_cols).rename(lambda r: ref_names.get(r, r)).rename_axis("målestok"),
             percent=["landsprocent", "krympet skøn (30)"], decimals=3)

# %% [markdown]
# Det eksakte interval går fra 32 % til 76 % og rummer alle landsprocenter. Chancen for 12 eller flere
# omgørelser i 22 sager ved landsprocenten (den eksakte ensidede p-værdi) er 4–28 % afhængigt af
# målestokken: ca. 10 % ved 38,9 %, men 4,1 % ved 2021's 34,3 %. Om overskridelsen er "signifikant"
# på 5 %-niveau **afhænger altså af, hvilken landsprocent man bruger**, og 2024-tallet er ukendt. Det
# ærlige resumé er, at 22 sager ikke klart kan skelne 55 % fra landsniveau. Det gælder begge veje:
# 55 % kan heller ikke vises at være "samme niveau" som noget bestemt.
#
# ## 5 · Krympning mod landsprocenten
#
# Som i notesbog 02 (afsnit 5) beskriver en Beta-prior med middelværdi $p_0$ og **priorvægt** $s$
# (værd $s$ sager; ikke at forveksle med *teststyrke* i afsnit 9), hvor meget kommuner varierer;
# Helsingørs posterior er Beta$(p_0 s + 12,\ (1 - p_0)s + 10)$. **Notesbog 01 (afsnit 4) fastlægger intervallet
# for priorvægten: 10 / 30 / 100** (central værdi 30, også standarden i `danmark report`); alt vises
# fra 0,5 til 200.

# %%
post = danmark.prior_sensitivity(k, n, means=p0, strengths=[2, 5, 10, 20, 30, 50, 100, 200])
post_cols = {"strength": "priorvægt", "raw": "rå andel", "estimate": "krympet skøn", "lower": "nedre 95 %",
             "upper": "øvre 95 %", "weight": "vægt på landsplan", "prob_above": "P(over landsplan)"}
danmark.danish_table(post[list(post_cols)].rename(columns=post_cols).set_index("priorvægt"),
             percent=["rå andel", "krympet skøn", "nedre 95 %", "øvre 95 %"], decimals=2)

# %%
grid = np.unique(np.round(np.r_[np.geomspace(0.5, 200, 25), 10, 30, 100], 2))
means = pd.Series({"laveste år (2021)": refs["lowest"], "2022": p0, "højeste år (2019)": refs["highest"]})
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
    ax1.set_title("Helsingør 2024: krympet skøn med 95 %-interval")
    plotting.sensitivity_curve(sens, "strength", "prob_above", group="landsplan", ax=ax2, lower="-", upper="-",
                               percent=True, logx=True, marker=None, xlabel="priorvægt (antal sager, α + β)",
                               ylabel="P(sand omgørelsesprocent > landsplan) (%)")
    ax2.axvspan(10, 100, color="grey", alpha=0.1, lw=0)
    ax2.set_ylim(50, 100)
    ax2.set_title("Sandsynlighed for at ligge over landsplan")
    fig.tight_layout()
    source_line(fig, f"{KILDE_PUNKT}; {KILDE_LAND}.")
    _ = plotting.save_figure(fig, "05_helsingor_shrinkage", formats=("png", "svg"))
plt.show()

# %%
edges = sens[sens["strength"].isin([10, 30, 100, 200])]
danmark.danish_table(edges.pivot(index="landsplan", columns="strength", values="prob_above")
             .rename(columns=lambda s: f"priorvægt {s:g}").rename_axis(index=None, columns=None), decimals=2)

# %% [markdown]
# Ved den centrale priorvægt 30 er det bedste skøn (posterior-middelværdi) for Helsingørs sande
# 2024-procent ca. 46 % (95 %-interval 32–59 %), og sandsynligheden for at ligge over landsprocenten
# ca. 0,83; over de plausible priorvægte og landsprocenter fra 34 % til 46 % ligger den mellem ca.
# 0,63 og 0,95. Helsingør lå *sandsynligvis* over landsniveau i 2024, men langt fra sikkert, og mindre
# end de rå 55 % antyder.
#
# ## 6 · Hvad skulle der til?
#
# Hver omgørelse er 1/22 = 4,5 point af Helsingørs procent (`danmark.what_it_takes`):

# %%
wit = danmark.what_it_takes(np.repeat(k, 3), np.repeat(n, 3), reference=means.to_numpy(),
                            hjemvist=int(counts["hjemvist"]), strength=30)
wit_cols = {"reference": "landsprocent", "points_per_case": "point pr. omgørelse", "excess": "omgørelser over forventet",
            "fewer_reversals": "færre omgørelser", "rate_after_fewer": "procent derefter",
            "hjemvist_left_out": "hjemvisninger taget ud", "rate_after_left_out": "procent derefter ",
            "fewer_for_even_odds": "færre omgørelser til P = 0,5"}
wit_show = wit[list(wit_cols)].rename(columns=wit_cols).set_axis(list(means.index))
wit_show["point pr. omgørelse"] *= 100
danmark.danish_table(wit_show, percent=["landsprocent", "procent derefter", "procent derefter "], decimals=1)

# %% [markdown]
# Ved 38,9 % ligger Helsingør 3,4 omgørelser over det forventede: 4 af de 12 omgørelser skulle have
# været stadfæstelser (8 af 22 = 36 %), eller 6 af de 10 hjemvisninger skulle tages helt ud af
# opgørelsen (6 af 16 = 37,5 %). Ved det højeste år (46 %) er det 2 færre omgørelser. Forskellen til
# landsplan er altså få sager, færre end i Solrød (5 af 10).
#
# ## 7 · Læsning (A): er 55 % niveauet i de fleste kommuner?
#
# Det kræver 2024-tallene for alle 98 kommuner, som ikke er i datapakken. Vi kan spørge, hvad påstanden
# ville kræve. Antag, at kommunernes sande procenter følger en Beta omkring landsprocenten med
# priorvægt $s$, og at en kommune har 22 sager som Helsingør. **»Samme niveau« læser vi som 10 af 22
# eller mere (45 % og derover)**: et bånd, der rækker ca. 10 point under Helsingørs 55 % og omfatter alt
# derover. Andelen af sådanne kommuner er en beta-binomial hale (`danmark.prob_at_least` med
# priorvægt; uden priorvægt den binomiale), for landsprocenter fra 34 % til 60 %. Den landsprocent,
# hvor netop halvdelen af kommunerne når båndet, er løst præcist (`danmark.majority_reference`,
# rodsøgning), ikke aflæst på et gitter:

# %%
p_grid = np.round(np.arange(0.34, 0.605, 0.01), 2)
spread = {"ingen forskelle (kun binomial)": None, "priorvægt 100": 100, "priorvægt 30": 30, "priorvægt 10": 10}
share = pd.DataFrame(
    [{"p0": p, "spread": name, "share_at_least": danmark.prob_at_least(K_BAND, n, p, strength=s)}
     for name, s in spread.items() for p in p_grid]
)
at_p0 = {name: float(danmark.prob_at_least(K_BAND, n, p0, strength=s)) for name, s in spread.items()}
flertal = {name: danmark.majority_reference(K_BAND, n, strength=s) for name, s in spread.items()}
danmark.danish_table(pd.DataFrame({f"andel ved {pct(p0)}": at_p0, "flertal, hvis landsprocenten er mindst": flertal})
                     .rename_axis("spredning"), percent=[f"andel ved {pct(p0)}", "flertal, hvis landsprocenten er mindst"],
                     decimals=3)

# %%
with plotting.style():
    ax = plotting.sensitivity_curve(share.assign(p0_pct=100 * share["p0"]), "p0_pct", "share_at_least",
                                    group="spread", percent=True, marker=None, lower="-", upper="-",
                                    xlabel="landsprocent 2024 (%, ukendt)",
                                    ylabel=f"andel kommuner med ≥ {K_BAND} af {n} omgjort (%)",
                                    reference=0.5, reference_label="halvdelen af kommunerne")
    ax.axvspan(100 * vh_rates.min(), 100 * vh_rates.max(), color="grey", alpha=0.12, lw=0,
               label="voksenhandicap landsplan 2019–2022")
    ax.set_ylim(0, 100)
    ax.legend(loc="upper left")
    ax.set_title(f"Hvor mange kommuner med {n} sager ville ligge på Helsingørs niveau (≥ {K_BAND} af {n})?")
    source_line(ax.figure, f"Beregnet (beta-binomial); {KILDE_PUNKT}; {KILDE_LAND}.")
    _ = plotting.save_figure(ax.figure, "05_helsingor_most_kommuner", formats=("png", "svg"))
plt.show()

# %% [markdown]
# Ved landsprocenten 38,9 % ville ca. 34–37 % af kommuner med 22 sager vise 10 af 22 eller mere (0,39
# ved priorvægt 10): en stor minoritet, ikke et flertal. Et flertal kræver en landsprocent i 2024 på
# mindst 43,3–43,7 % (efter spredning), dvs. over alle kendte år fra 2020 til 2022, men under
# 2019-niveauet (46 %, en nyhedskilde). Med det strammere bånd »12 af 22 eller mere« er andelen kun
# 10–23 %. Svaret afhænger næsten ikke af, hvor meget kommuner varierer: vendepunktet flytter sig under
# et halvt point.
#
# **Hvad de offentliggjorte kommunale tal viser.** Groft og fra andre år og områder, men i samme
# retning. På socialområdekortet 2022 (landsplan 37,5 %) nævner en fagpresseartikel fire kommuner over
# 55 % som eksempler (»kommuner som …«; ikke en fuldstændig liste, se notesbog 06):

# %%
pub = danmark.load_published_rates()
bounds = pub[(pub["period"] == "2022") & pub["omg_pct_bound"].notna()]
danmark.danish_table(bounds.groupby(bounds["omg_pct_bound"].str[:3])["kommune"].agg(antal="count", kommuner=", ".join)
             .rename(index={">55": "over 55 %", "<25": "under 25 %"}).rename_axis("grænse"), decimals=3)

# %% [markdown]
# Og de voksenhandicaptal, der er offentliggjort for enkelte kommuner i 2017–2019 (seks tal, fire
# kommuner), går fra 11 % til 52 %; intet når 55 %:

# %%
vh_pub = pub[(pub["area"] == "voksenhandicap") & pub["preferred"]].copy()
vh_pub["rate"] = vh_pub["omg_pct"].fillna(vh_pub["pct_aendret"] + vh_pub["pct_hjemvist"]) / 100
danmark.danish_table(vh_pub[["kommune", "period", "rate", "national_omg_pct", "source"]].assign(
    source=vh_pub["source"].map(danmark.citation)).set_axis(
    ["kommune", "år", "omgørelsesprocent", "landsplan (%)", "kilde"], axis=1), percent=["omgørelsesprocent"],
    decimals=1, index=False)

# %% [markdown]
# Læsning (A) er derfor usandsynlig på alle datapakkens tal, men den kan ikke *afvises* her:
# 2024-kortet selv er prøven, og det er ikke i datapakken.
#
# ## 8 · Læsning (B): er de fleste omgørelser hjemvisninger?
#
# Ti af Helsingørs tolv omgørelser var hjemvisninger. Figuren viser de *observerede* andele (antal / n)
# som stablede søjler med **eksakte** 95 %-intervaller (de samme som i tabellerne): ændret-andelen
# (fuldt optrukket, fra 0) og omgjort i alt (stiplet, slutter hvor hjemvist-segmentet slutter).
# Dirichlet-posterioren (ensartet prior) bruges kun til sandsynligheden for, at hjemvist-andelen er
# større end ændret-andelen.

# %%
split = danmark.outcome_split(counts["stadfaestet"], counts["aendret"], counts["hjemvist"])
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
    plotting.outcome_bars(split.assign(unit="Helsingør"), label="kommune", ax=ax)  # incl. the omgjort row
    ax.set_title("Helsingør 2024: observerede andele og eksakte 95 %-intervaller", pad=48)
    source_line(fig, KILDE_PUNKT + ".")
    _ = plotting.save_figure(ax.figure, "05_helsingor_outcomes", formats=("png",))
plt.show()

# %% [markdown]
# Der er ingen landsfordeling for voksenhandicap i datapakken. På socialområdekortet er hjemvisninger
# ca. tre fjerdedele af omgørelserne på landsplan, hvert år; Helsingørs 10 af 12 (eksakt interval
# 52–98 %) er forenelig med det:

# %%
soc = context[(context["area"] == "socialomraadet") & context["pct_hjemvist"].notna()]
soc = soc.assign(andel=soc["pct_hjemvist"] / (soc["pct_hjemvist"] + soc["pct_aendret"]))
danmark.danish_table(soc[["period", "pct_aendret", "pct_hjemvist", "andel"]].set_axis(
    ["år", "ændret (%)", "hjemvist (%)", "hjemvist blandt omgjorte"], axis=1).set_index("år"),
    percent=["hjemvist blandt omgjorte"], decimals=1)

# %% [markdown]
# Læsning (B) er altså plausibel: at de fleste omgørelser er hjemvisninger, er landsmønstret, ikke en
# Helsingør-særhed. Målt mod socialområdets fordeling (et andet kort, så kun vejledende) og **på
# punktskøn** ligger Helsingørs ændret-andel (9 %) på landsniveau (8–9 %), og overskridelsen ligger i
# hjemvisningerne (45 % af afgørelserne mod 24–29 % på landsplan). Tallene kan ikke fastslå det: 2
# ændret af 22 har et eksakt interval på ca. 1–29 %, og 10 hjemvist af 22 et på ca. 24–68 %. En
# hjemvisning er ikke nødvendigvis et forkert resultat, men den tæller i omgørelsesprocenten.
#
# ## 9 · Under og efter taskforcen: kan tallene vise en forandring?
#
# **Med datapakkens tal, nej.** Kun ét år af Helsingørs tal er med, og 2024 er *forløbets sidste år*
# (december 2021 til december 2024), ikke et år efter; og Ankestyrelsens afgørelser i 2024 gælder
# kommunale afgørelser truffet endnu tidligere. Hvor meget kunne tallene vise med hele serien? Antag,
# at procenten faktisk faldt fra 55 % til 40 %, med ca. 22 sager om året:
#
# * **optimistisk**: 55 % behandles som kendt udgangsniveau, og kun de senere år testes mod det (eksakt
#   ensidet binomialtest, `danmark.power`);
# * **realistisk**: begge perioder skønnes ud fra egne sager (tostikprøvetest, normalapproksimation
#   fra statsmodels, lige mange sager før og efter).

# %%
p_before, p_after = 0.55, 0.40
years = np.array([1, 2, 3, 4, 6, 8])
one = danmark.power(22 * years, p1=p_after, reference=p_before, alternative="smaller")
two = danmark.power_two_periods(22 * years, p_before, p_after)
danmark.danish_table(pd.DataFrame({"år pr. periode": years, "sager pr. periode": 22 * years,
                           "teststyrke, kendt udgangsniveau": one["power"].to_numpy(),
                           "teststyrke, to perioder": two["power"].to_numpy()}),
             percent=["teststyrke, kendt udgangsniveau", "teststyrke, to perioder"], index=False, decimals=3)

# %%
need = danmark.cases_needed(p_after, reference=p_before, alternative="smaller")
n_two = float(two["n_needed_80"].iloc[0])
print(f"80 % teststyrke, kendt udgangsniveau: første gang ved n = {need['n_first'].iloc[0]}, holder fra "
      f"n = {need['n_stable'].iloc[0]} sager efter (ca. {num(need['n_stable'].iloc[0] / 22, 1)} år); to perioder: "
      f"ca. {np.ceil(n_two):.0f} sager i hver (ca. {num(np.ceil(n_two) / 22, 1)} år før og lige så mange efter)")

# %%
n_grid = np.arange(5, 301)
curves = pd.concat(
    [
        danmark.power(n_grid, p1=p_after, reference=p_before, alternative="smaller").assign(
            label="kendt udgangsniveau 55 % (eksakt test)"),
        danmark.power_two_periods(n_grid, p_before, p_after)[["n", "power"]].assign(
            label="før og efter begge skønnet (normalapproksimation)"),
    ],
    ignore_index=True,
)
with plotting.style():
    ax = plotting.power_curve(curves)
    for y in (1, 3, 6):
        ax.axvline(22 * y, color="grey", ls=":", lw=0.8)
        ax.annotate(f"{y} år", (22 * y, 3), xytext=(2, 0), textcoords="offset points", fontsize=7)
    ax.set_xlabel("realitetsbehandlede sager pr. periode (n; ca. 22 om året)")
    ax.legend(loc="center right")
    ax.set_title("Teststyrke til at se et fald fra 55 % til 40 % (5 %-niveau, ensidet)")
    source_line(ax.figure, f"Beregnet; udgangspunkt: {KILDE_PUNKT}.")
    _ = plotting.save_figure(ax.figure, "05_helsingor_power", formats=("png", "svg"))
plt.show()

# %% [markdown]
# Den eksakte tests teststyrke når 80 % første gang ved n = 70, men falder under igen indtil n = 76
# (savtakken). Selv en stor forbedring, 55 % til 40 %, ville kræve tre-fire års sager mod et kendt
# udgangsniveau og ca. seks år på hver side, når begge perioder skal skønnes. Ét år som 2024 kan ikke
# vise det. Første hele år efter forløbet er 2025.
#
# Der er også en udvælgelseseffekt: Helsingør blev inviteret i 2021 "blandt andet", fordi kommunen
# havde tabt mange klagesager. Kommuner, der udvælges (også delvis) for et højt tal, ser bedre ud
# bagefter uden nogen forandring (regression mod middelværdien; notesbog 07), så en før/efter-
# sammenligning af Helsingør alene ville overvurdere forløbets effekt.
#
# ## 10 · Konklusion
#
# **Afhænger af landsprocenten for 2024, som ikke er kendt.** Punktet siger om 55 %: «Samme niveau ses
# i flertallet af kommuner.» Som udsagn om *niveauet* holder det kun, hvis landsprocenten i 2024 var
# højere end i noget kendt år fra 2020 til 2022; som udsagn om *mønstret* (hjemvisninger dominerer) er
# det plausibelt. Og på 22 sager er Helsingør ikke klart over landsplan.
#
# * **Læsning (A), niveauet: holder ikke, hvis landsprocenten for 2024 var under 43,3–43,7 %.** Læser man
#   »samme niveau« som 10 af 22 eller mere (45 % og derover), når et flertal af kommuner med Helsingørs
#   antal sager det først ved en landsprocent på mindst 43,3 % (ingen forskelle mellem kommuner) til
#   43,7 % (priorvægt 10), løst præcist. Alle kendte voksenhandicapår 2020–2022 ligger under (34,3–42,4 %);
#   ved 38,9 % (2022) ville ca. 34–37 % af kommunerne ligge der, ikke et flertal. Kun 2019-niveauet (46 %,
#   fra en nyhedskilde) ligger over vendepunktet. **Målestokken 38,9 % er fra en sekundær kilde** (en blog,
#   der citerer Talportalens tal). De offentliggjorte kommunale tal peger samme vej. Uden 2024-tallene
#   for alle 98 kommuner og landsprocenten for 2024 kan det ikke afgøres.
# * **Hvad tallet støtter.** På 22 sager er Helsingørs procent ikke klart over landsplan (eksakt
#   interval 32–76 %); p-værdien er ca. 0,10 ved 38,9 %, men 0,041 ved 34,3 %. Efter krympning er det
#   bedste skøn ca. 42–50 % (46 % ved priorvægt 30, 95 %-interval 32–59 %), og sandsynligheden for at
#   ligge over ca. 0,73–0,89 ved 38,9 %. Forskellen til landsplan er 4 omgørelser af 12 (hver 4,5
#   point), eller 6 af 10 hjemvisninger taget ud.
# * **Læsning (B), mønstret: plausibel.** 10 af 12 omgørelser var hjemvisninger; på landsplan
#   (socialområdet) er det ca. tre fjerdedele. Punktets egen forklaring, komplekse sager, hvor én
#   manglende oplysning sender sagen tilbage, passer med det.
# * **Forandring under eller efter forløbet: tallene siger intet.** 2024 er forløbets sidste år, og
#   med ca. 22 sager om året ville selv et fald fra 55 % til 40 % kræve flere års tal.
#
# `danmark report Helsingør` giver de samme nøgletal fra kommandolinjen.
#
# ## 11 · Hvilke data ville afgøre det
#
# * **Flertallet af kommuner**: voksenhandicaptallene for 2024 for alle 98 kommuner (Talportalen eller
#   Danmarkskortet juni 2025) og landsprocenten 2024 fra Ankestyrelsen.
# * **Forandring**: Helsingørs Talportal-serie fra 2019, inkl. 2025 og senere, helst med samme serie
#   for sammenlignelige kommuner uden taskforce.
# * **Området**: bekræftelse af, hvilket kort de 22 afgørelser stammer fra.
#
# Med et udtræk: sæt `DANMARK_DATA` og kør igen; de to næste celler viser så Helsingørs serie og
# placerer Helsingør blandt alle kommuner i 2024. Uden et udtræk siger de, hvad der mangler.

# %% tags=["download"]
full = danmark.load_data()
series = full[(full["kommune"] == "Helsingør") & (full["area"] == "voksenhandicap") & (full["n"] > 0)
              & full["period"].str.fullmatch(r"\d{4}")].sort_values("period")
before = series[series["period"].isin(["2019", "2020", "2021"])]
after = series[series["period"] == "2024"]
if series.empty:
    print("De anvendte data har ingen voksenhandicaptal for Helsingør; en før/efter-sammenligning kræver et udtræk "
          "fra Talportalen i DANMARK_DATA.")
else:
    if len(before) and len(after):
        test = test_proportions_2indep(before["omgjort"].sum(), before["n"].sum(), after["omgjort"].sum(),
                                       after["n"].sum(), alternative="larger")
        print(f"2019–2021 mod 2024 (forløbets sidste år), ensidet test af et fald: p = {num(test.pvalue, 3)}")
    else:
        print(f"Helsingør har {len(series)} år med voksenhandicaptal ({', '.join(series['period'])}); en før/efter-"
              "sammenligning kræver 2019–2021 og 2024.")
    series_ci = danmark.binomial_ci(series["omgjort"], series["n"], method="exact")
    display(danmark.danish_table(pd.DataFrame({
        "år": series["period"].to_numpy(), "sager": series["n"].to_numpy(), "omgjort": series["omgjort"].to_numpy(),
        "rå andel": series_ci["raw"].to_numpy(), "eksakt nedre": series_ci["lower"].to_numpy(),
        "eksakt øvre": series_ci["upper"].to_numpy()}),
        percent=["rå andel", "eksakt nedre", "eksakt øvre"], index=False, decimals=3))

# %% tags=["download"]
year = full[(full["area"] == "voksenhandicap") & (full["period"] == "2024") & (full["kommunekode"] != "000")
            & (full["n"] > 0)]
if year["kommune"].nunique() < 90:
    print(f"Voksenhandicaptal for 2024 findes for {year['kommune'].nunique()} kommune(r) i de anvendte data; alle 98 "
          "skal til for at efterprøve »flertallet af kommuner«. Sæt DANMARK_DATA til et fuldt udtræk.")
else:
    at_least = (year["omgjort"] / year["n"] >= K_BAND / N_HELSINGOR).mean()
    print(f"Andel kommuner med mindst {K_BAND} af {N_HELSINGOR} (45 %) omgjort i 2024: {pct(at_least)}.")
    by_kommune = year.set_index("kommune")[["stadfaestet", "aendret", "hjemvist"]]
    fitted = danmark.fit_prior(by_kommune)
    strength = "uendelig (ingen spredning ud over tilfældet)" if fitted.pooled else num(fitted.strength, 1)
    print(f"Prior estimeret fra {len(by_kommune)} kommuner: middelværdi {pct(fitted.mean)}, priorvægt {strength}.")
    if "Helsingør" in by_kommune.index:
        h = danmark.shrink(by_kommune, prior=fitted).loc[["Helsingør"]]
        display(danmark.danish_table(h[["n", "raw", "estimate", "lower", "upper"]].set_axis(
            ["sager", "rå andel", "krympet skøn", "nedre 95 %", "øvre 95 %"], axis=1),
            percent=["rå andel", "krympet skøn", "nedre 95 %", "øvre 95 %"], decimals=3))
    else:
        print("Helsingør har ingen voksenhandicaptal for 2024 i filen.")

# %% [markdown]
# ## Kilder

# %%
KILDER += list(context["source"]) + list(vh["source"]) + list(bounds["source"]) + list(vh_pub["source"])
danmark.danish_table(danmark.reference_list(KILDER), index=False, decimals=0)

# %% [markdown]
# ## Versioner

# %%
# NBVAL_IGNORE_OUTPUT
danmark.versions()
