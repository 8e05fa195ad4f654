# %% [markdown]
# # 01 · Små tal: hvorfor rå procenter vildleder, når der er få sager
#
# Danmarkskortet farver hver kommune efter dens omgørelsesprocent, den andel af de påklagede
# afgørelser, som Ankestyrelsen ændrede eller hjemviste. En kommune med 3 realitetsbehandlede sager
# kan kun vise 0 %, 33 %, 67 % eller 100 %; en med 900 sager ligger inden for få procentpoint af sin
# sande procent. Selv hvis alle kommuner havde **præcis samme** sande omgørelsesprocent, ville kortet
# derfor vise en stor spredning, og de mest ekstreme farver ville tilhøre de mindste kommuner.
#
# Notesbogen viser den effekt i en **simulation**, sætter **priorvægten** (10 / 30 / 100), som de
# øvrige notesbøger bruger, og kontrollerer værktøjerne mod et lærebogseksempel:
#
# 1. et SIMULERET kort over 98 kommuner med én fælles sand procent (hver tabel og figur derfra siger
#    det: rækkerne hedder »kommune (simuleret)«, figurerne er mærket SIMULERET);
# 2. hvordan de rå procenter spredes med n, og hvad eksakte intervaller og et tragtdiagram gør ved det;
# 3. krympning (empirisk Bayes) som billede;
# 4. **priorvægten**: hvad 10, 30 og 100 betyder, og hvorfor netop det interval;
# 5. hvor ofte »top 4« efter rå procent er små kommuner, selv om alle er ens;
# 6. rottesvulst-data fra Gelman m.fl., *Bayesian Data Analysis* (BDA3, kap. 5), som kontrol af, at
#    danmarks krympning og hierarkiske model gengiver de offentliggjorte tal.
#
# Intet i afsnit 1–3 og 5 er et rigtigt kommunalt tal. De simulerede kommuner har numre, ikke navne:
# »sim. kommune 01« har færrest indbyggere og »sim. kommune 98« flest. Folketallene er de 98 rigtige
# kommuners (FOLK1A 2020), men hvert n, k og hver procent ud for et nummer er simuleret.

# %% tags=["setup"]
import itertools
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import danmark
from danmark import plotting
from danmark.plotting import fmt_pct
from danmark.simulate.scenarios import SOCIALOMRAADET_2022_N
from danmark.stats.shrinkage import DEFAULT_PRIOR_STRENGTH

%matplotlib inline
_ids = itertools.count()


def tabel(df, *, index=True, decimaler=3, formater=None):
    """danmark.danish_table with a fresh table id per table; *formater* names the percent columns."""
    procent = [c for c in (formater or {}) if c in df.columns]
    return danmark.danish_table(df, index=index, decimals=decimaler, percent=procent, table_id=f"t{next(_ids)}")


def kilde(fig, tekst):
    """Skriv figurens kildelinje nederst til venstre."""
    fig.text(0.01, 0.005, "Kilde: " + tekst, fontsize=6.5, ha="left", va="bottom", color="0.3", wrap=True)


KILDE_SIM = ("SIMULERET. Folketal: Danmarks Statistik, FOLK1A, 1. januar 2020 (statistikbanken.dk); landsrate 37,5 %: "
             "Social- og Boligministeriet, Danmarkskort socialområdet 2022 (sm.dk, juni 2023); 8.631 sager i alt: "
             "NB-Kommune, 15. marts 2023 (fagpresse, sekundær kilde).")
PROCENT = {c: fmt_pct for c in ("sand procent", "rå procent", "krympet skøn", "nedre grænse", "øvre grænse")}
danmark.danish_warnings()  # danmarks advarsler (fx om en download) som én dansk linje

# %% [markdown]
# ## 1 · Et simuleret kort, hvor alle kommuner er ens
#
# **Antagelserne, angivet én gang og brugt i afsnit 1–3 og 5:**
#
# * *Antal sager.* Der følger ingen komplet tabel over kommunernes sagstal med, så hver kommunes
#   antal realitetsbehandlede sager sættes **proportionalt med folketallet** (FOLK1A, 1. januar 2020)
#   og skaleres til det offentliggjorte landstal for socialområdets kort 2022: **8.631
#   realitetsbehandlede sager** (NB-Kommune, 15. marts 2023, der gengiver ministeriets tal; en
#   sekundær kilde). Klager er ikke præcis proportionale med folketallet (sagsmiks og tilbøjeligheden
#   til at klage er forskellige), men spredningen i størrelse fra Læsø til København er pointen her.
# * *Sand procent.* Alle kommuner har samme sande omgørelsesprocent, landsraten for socialområdet 2022,
#   **37,5 %** (Social- og Boligministeriets Danmarkskort-side).
# * *Udfald.* Hver kommunes antal omgjorte afgørelser er binomialfordelt givet n og den sande procent,
#   trukket med en fast startværdi for tilfældighedsgeneratoren.

# %%
p_true = float(danmark.national_rate("socialomraadet", "2022")["omg_pct"].iloc[0]) / 100
sim = danmark.population_case_counts(SOCIALOMRAADET_2022_N)
# simulated kommuner are numbered, never named: 01 has the fewest inhabitants (the draws keep the list's order)
NR = {k: f"sim. kommune {i:02d}" for i, k in enumerate(sim.sort_values("population", kind="stable")["kommune"], start=1)}
sim = sim.set_index(sim["kommune"].map(NR).rename("kommune (simuleret)")).drop(columns=["kommune", "kommunekode"])
print(f"sand procent for alle kommuner: {fmt_pct(p_true)}")
total = f"{sim['n'].sum():,}".replace(",", ".")
print(f"simulerede sager: {total} i alt, fra {sim['n'].min()} til {sim['n'].max()} pr. kommune "
      f"(median {sim['n'].median():.0f})")
tabel(sim.sort_values("n")[["population", "n"]].iloc[[0, 1, 2, 3, 48, 49, 94, 95, 96, 97]]
      .rename(columns={"population": "folketal", "n": "sager (simuleret)"}))

# %% [markdown]
# Et simuleret år (startværdi 1). `k` er antallet af omgjorte afgørelser, rå procent = k/n (SIMULERET, ikke
# kommunernes rigtige tal):

# %%
rng = np.random.default_rng(1)
sim["k"] = rng.binomial(sim["n"].to_numpy(), p_true)
sim["raw"] = sim["k"] / sim["n"]
VIS = {"n": "n", "k": "k", "raw": "rå procent"}
tabel(sim.sort_values("raw", ascending=False)[["n", "k", "raw"]].head(8).rename(columns=VIS), formater=PROCENT)

# %% [markdown]
# Den højeste simulerede procent tilhører en af de mindste kommuner, og det gør den laveste også,
# selv om alle kommuner har samme sande procent, 37,5 %:

# %%
tabel(sim.sort_values("raw")[["n", "k", "raw"]].head(5).rename(columns=VIS), formater=PROCENT)

# %% [markdown]
# ## 2 · Spredningen i rå procenter falder med n
#
# Deler man de 98 simulerede kommuner efter størrelse, spænder den mindste fjerdedel over langt
# flere rå procenter end den største, skønt sandheden er den samme for alle. Standardafvigelsen på en
# rå procent er √(p(1 − p)/n), så en kommune med 16 gange så mange sager har en fjerdedel af
# spredningen.

# %%
size_group = pd.qcut(sim["n"], 4, labels=["mindste 25 %", "anden", "tredje", "største 25 %"]).rename(
    "simuleret n, fjerdedel")
spread = sim.groupby(size_group, observed=True).agg(
    kommuner=("n", "size"), mindste_n=("n", "min"), største_n=("n", "max"),
    laveste=("raw", "min"), højeste=("raw", "max"), spredning=("raw", "std"),
)
spread["forventet spredning"] = [np.sqrt(p_true * (1 - p_true) / sim.loc[size_group == g, "n"]).mean()
                                 for g in spread.index]
tabel(spread.rename(columns={"mindste_n": "mindste n", "største_n": "største n", "laveste": "laveste rå procent",
                             "højeste": "højeste rå procent", "spredning": "spredning (sd)"}),
      formater={"laveste rå procent": fmt_pct, "højeste rå procent": fmt_pct,
                "spredning (sd)": fmt_pct, "forventet spredning": fmt_pct})

# %% [markdown]
# Et **tragtdiagram** viser det direkte: hver kommunes rå procent mod dens n med de grænser, inden for
# hvilke 95 % og 99,8 % af kommunerne ville ligge, hvis alle havde den sande procent (eksakte
# binomialgrænser, `danmark.funnel_limits`; Spiegelhalter 2005). Punkter inden for tragten er
# forenelige med den fælles procent; den brede åbning til venstre er dér, de små kommuner bor.

# %%
limits = danmark.funnel_limits(int(sim["n"].max()), reference=p_true, method="exact")
flags = danmark.funnel_flags(sim["k"], sim["n"], reference=p_true)
with plotting.style():
    fig, ax = plt.subplots(figsize=(7, 4.8))
    plotting.funnel_plot(sim["k"], sim["n"], limits, reference=p_true, ax=ax, logx=True,
                         highlight=[NR[k] for k in ("Læsø", "Fanø", "Samsø", "Ærø", "København")])
    ax.set_title("SIMULERET: 98 kommuner, alle med samme sande procent (37,5 %)")
    kilde(fig, KILDE_SIM)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    _ = plotting.save_figure(fig, "01_funnel_simulated", formats=("png", "svg"))
    plt.show()

# %%
FLAG = {"within": "inden for", "above 95%": "over 95 %-grænsen", "below 95%": "under 95 %-grænsen",
        "above 99.8%": "over 99,8 %-grænsen", "below 99.8%": "under 99,8 %-grænsen"}
tabel(flags["flag"].map(FLAG).value_counts(sort=False).rename("simulerede kommuner").rename_axis("placering")
      .to_frame())

# %% [markdown]
# `funnel_flags` markerer en kommune med den eksakte binomialtest, ens opad og nedad: »over« når
# P(X ≥ k | p₀) < 2,5 %, »under« når P(X ≤ k | p₀) < 2,5 %. Én ud af tyve ville være raten for et
# kontinuert mål; med hele tal er den eksakte test konservativ, og for små n krydser en kommune
# grænserne sjældnere. Hvor mange markeringer tilfældet giver, følger af binomialfordelingen ved hvert
# simuleret n (`danmark.expected_flags`):

# %%
chance = danmark.expected_flags(sim["n"], reference=p_true, level=0.95).iloc[0]
observed = flags["flag"].value_counts()
flagged = flags[flags["flag"] != "within"].assign(placering=lambda d: d["flag"].map(FLAG))
display(tabel(flagged[["k", "n", "placering", "p_value"]].rename(columns={"p_value": "p-værdi"})))
tabel(pd.DataFrame({"forventet af tilfældet": [chance["expected_above"], chance["expected_below"]],
                    "dette simulerede år": [int(observed.get("above 95%", 0)), int(observed.get("below 95%", 0))]},
                   index=["over 95 %-grænsen", "under 95 %-grænsen"]), decimaler=1)

# %% [markdown]
# Omkring 3,6 markeringer forventes af tilfældet, halvdelen over og halvdelen under tragten, og ingen
# uden for 99,8 %-grænserne. Dette simulerede år har én over tragten (21 af 38, p = 0,020; tabellen
# ovenfor); en håndfuld flere ligger lige inden for 95 %-grænserne på begge sider. En markering i et
# enkelt år er, hvad tilfældet giver, også når intet er forskelligt.
#
# ### Eksakte intervaller for de »værste« kommuner
#
# Samme budskab kommune for kommune: eksakte (Clopper–Pearson) 95 %-intervaller for de 15 højeste
# simulerede rå procenter (`danmark.binomial_ci(method="exact")`). Intervallerne for de små kommuner i
# toppen af denne liste spænder over flere titals procentpoint, og næsten alle indeholder den sande
# procent 37,5 %:

# %%
exact = danmark.binomial_ci(sim["k"], sim["n"], method="exact")
exact.index.name = sim.index.name
exact["covers_truth"] = (exact["lower"] <= p_true) & (p_true <= exact["upper"])
print(f"eksakte 95 %-intervaller, der ikke rammer den sande procent: {(~exact['covers_truth']).sum()} af 98 "
      f"(omkring 5 forventet; Clopper–Pearson er konservativ, så som regel færre)")
top15 = exact.sort_values("raw", ascending=False, kind="stable").head(15)
tabel(top15[["k", "n", "raw", "lower", "upper"]].rename(
    columns={"raw": "rå procent", "lower": "nedre grænse", "upper": "øvre grænse"}), formater=PROCENT)

# %%
with plotting.style():
    fig, ax = plt.subplots(figsize=(6.5, 5.0))
    plotting.caterpillar(top15.rename(columns={"raw": "estimate"}), label="kommune (simuleret)", raw=False,
                         reference=(p_true, "sand procent (alle)"), ax=ax)
    handles, _ = ax.get_legend_handles_labels()  # intet er krympet her: navngiv den rå procent
    ax.legend(handles, ["rå procent: eksakt 95 %-interval", "rå procent (k/n)", "sand procent (alle): 37,5 %"],
              loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)
    ax.set_title("SIMULERET: de 15 højeste rå procenter, eksakte 95 %-intervaller", pad=34)
    kilde(fig, KILDE_SIM)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    _ = plotting.save_figure(fig, "01_top15_exact", formats=("png",))
    plt.show()

# %% [markdown]
# ## 3 · Krympning som billede
#
# Empirisk Bayes spørger, hvor meget kommunerne *reelt* er forskellige, skønnet ud fra alle 98 på én
# gang, og trækker hver rå procent mod fællesgennemsnittet med andelen S / (S + n), hvor S = α + β er
# den tilpassede **priorvægt** (`danmark.fit_prior`, `danmark.shrink`). Varierer procenterne ikke mere,
# end binomial støj tillader, er det bedste skøn over forskellen mellem kommuner nul, og hver kommune
# skønnes til fællesprocenten: i denne simulation er det det rigtige svar.

# %%
with warnings.catch_warnings():
    warnings.simplefilter("ignore", danmark.PoolingWarning)  # meldes nedenfor via prior_fit.pooled
    prior_fit = danmark.fit_prior(sim["k"], sim["n"])
if prior_fit.pooled:
    print("Den tilpassede prior: de simulerede procenter varierer ikke mere end binomial støj, så den tilpassede prior er "
          "fuld sammenlægning (hver kommune skønnes til den samlede procent).")
strength = "∞ (fuld sammenlægning)" if prior_fit.pooled else f"{prior_fit.strength:.1f}"
print(f"tilpasset prior: middelværdi {fmt_pct(prior_fit.mean)}, priorvægt α + β = {strength}")
eb_fit = danmark.shrink(sim["k"], sim["n"], prior=prior_fit)

# %% [markdown]
# Til sammenligning de samme rå procenter krympet med en **antaget** prior, der tillader reelle
# forskelle: Beta med middelværdi 37,5 % og priorvægt S = 30 (som om kommunernes sande procenter
# havde en standardafvigelse på omkring 8,7 procentpoint, se afsnit 4). Så beholder en kommune med 3
# sager kun 3/33 af sin egen procent, en med 300 sager 91 %:

# %%
prior_30 = danmark.BetaPrior.from_mean(p_true, 30)
eb_30 = danmark.shrink(sim["k"], sim["n"], prior=prior_30)
eb_30.index.name = sim.index.name
tabel(eb_30.loc[[NR[k] for k in ("Læsø", "Ærø", "Dragør", "Odense", "København")],
                ["k", "n", "raw", "estimate", "lower", "upper", "weight"]]
      .rename(columns={"raw": "rå procent", "estimate": "krympet skøn", "lower": "nedre grænse", "upper": "øvre grænse",
                       "weight": "vægt på fællesprocenten"}), formater=PROCENT | {"vægt på fællesprocenten": fmt_pct})

# %%
names = [NR[k] for k in ("Læsø", "Fanø", "Samsø", "Ærø", "København")]
with plotting.style():
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), sharey=True)
    plotting.shrinkage_arrows(eb_fit, reference=prior_fit.mean, ax=axes[0], label="index", highlight=names)
    axes[0].set_title("SIMULERET: prior tilpasset de 98 simulerede kommuner")
    plotting.shrinkage_arrows(eb_30, reference=prior_30.mean, ax=axes[1], label="index", highlight=names)
    axes[1].set_title("SIMULERET: antaget prior, priorvægt 30")
    kilde(fig, KILDE_SIM)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    _ = plotting.save_figure(fig, "01_shrinkage_simulated", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# Til venstre: den tilpassede prior ser, at kun støj adskiller kommunerne, og hver pil ender på
# fællesprocenten. Til højre: selv når reelle forskelle er tilladt, er de små kommuners ekstreme rå
# procenter mest støj og flytter sig langt, mens de store kommuner bliver, hvor de er.
#
# ## 4 · Priorvægten: 10, 30 eller 100?
#
# Dette afsnit er det ene sted, hvor priorvægten fastlægges; notesbøgerne 02 og 05, faktaarket og
# `danmark report` henviser hertil. Krympning mod landsraten p₀ bruger en Beta-prior med middelværdi
# p₀ og **priorvægt** s = α + β. Priorvægten er »værd« s sager: en kommune med n sager får sit skøn som
# et vægtet gennemsnit, hvor landsraten vejer s / (s + n) og kommunens egen procent n / (s + n). En
# stor priorvægt siger, at kommunerne næsten ikke er forskellige (alle trækkes mod landsraten); en
# lille siger, at de er meget forskellige (kommunens egne sager dominerer). Priorvægten bestemmer
# også, hvor spredt de *sande* procenter antages at være: standardafvigelsen er √(p₀(1 − p₀)/(s + 1)).
#
# Med en fuld download kan s skønnes af alle 98 kommuner (`danmark.fit_prior`, notesbog 06). Med de
# medfølgende tal kan den kun afgrænses, og **groft**. Det gør tabellen og de to argumenter nedenfor.
# Hvad hver priorvægt betyder ved landsraten for voksenhandicap 2020–2022 (38,5 %), og hvor meget
# Solrøds 14 og Helsingørs 22 sager så vejer:

# %%
p0_vh = float(danmark.national_rate("voksenhandicap", "2020-2022")["omg_pct"].mean()) / 100
strengths = [10, DEFAULT_PRIOR_STRENGTH, 100]
priors = {s: danmark.BetaPrior.from_mean(p0_vh, s) for s in strengths}
tabel(pd.DataFrame({
    "sande procenters spredning (procentpoint)": [100 * priors[s].sd for s in strengths],
    "nedre grænse": [priors[s].interval(level=0.95)[0] for s in strengths],
    "øvre grænse": [priors[s].interval(level=0.95)[1] for s in strengths],
    "vægt på egne sager, n = 14": [14 / (14 + s) for s in strengths],
    "vægt på egne sager, n = 22": [22 / (22 + s) for s in strengths],
}, index=pd.Index([f"{s:g}" for s in strengths], name="priorvægt")), decimaler=1,
      formater=PROCENT | {f"vægt på egne sager, n = {n}": lambda w: fmt_pct(w, decimals=0) for n in (14, 22)})

# %% [markdown]
# (Grænserne omslutter 95 % af de sande procenter.) Ved priorvægt 10
# ligger 95 % af kommunernes sande procenter mellem cirka 13 % og 69 %, ved 30 mellem 22 % og 56 %,
# ved 100 mellem 29 % og 48 %.
#
# **(a) En nedre grænse fra offentliggjorte voksenhandicap-procenter.** Seks tal for fire kommuner,
# 2017–2019, fra pressen og én kommunes hjemmeside (sekundære kilder; Vordingborg trykte kun
# fordelingen, så dens procent er ændret + hjemvist):

# %%
pub = danmark.load_published_rates()
vh = pub[(pub["area"] == "voksenhandicap") & pub["preferred"]].copy()
vh["rate"] = vh["omg_pct"].fillna(vh["pct_aendret"] + vh["pct_hjemvist"]) / 100
m_vh, sd_vh = vh["rate"].mean(), vh["rate"].std()
s_vh = m_vh * (1 - m_vh) / sd_vh**2 - 1  # momentmetoden: Beta-fordelingen med dette gennemsnit og denne sd
print(f"gennemsnit {fmt_pct(m_vh)}, spredning {fmt_pct(sd_vh)} over {len(vh)} tal -> priorvægt omkring {s_vh:.0f}")
tabel(vh[["kommune", "period", "rate", "source"]].rename(columns={"period": "år", "rate": "omgørelsesprocent",
                                                                  "source": "kilde"}),
      index=False, formater={"omgørelsesprocent": fmt_pct})

# %% [markdown]
# En spredning på omkring 16 procentpoint svarer til en priorvægt på omkring 8. Det er en **nedre
# grænse** snarere end et skøn: spredningen i rå procenter indeholder binomial støj (hver kommune har
# kun nogle titals sager), tallene stammer fra år, hvor landsniveauet flyttede sig fra 21 % (2017)
# til 46 % (2019), og pressen omtaler helst tal, der skiller sig ud. Alt det gør spredningen større, og
# en større spredning betyder en mindre priorvægt.
#
# **(b) En grænse fra den anden side: socialområdets kort 2022.** En fagpresseartikel (NB-Kommune,
# 15. marts 2023; sekundær kilde) nævner de kommuner, der lå over 55 % og under 25 % i 2022, da
# landsraten var 37,5 %:

# %%
bounds = pub[(pub["period"] == "2022") & pub["omg_pct_bound"].notna()]
tabel(bounds.groupby(bounds["omg_pct_bound"].str[:3])["kommune"].agg(antal="count", kommuner=", ".join)
      .rename_axis("grænse (%)"))

# %% [markdown]
# Artiklen indleder listerne med »kommuner som …«, så de er eksempler, ikke en fuldstændig opgørelse
# (samme læsning som notesbog 06): **mindst** fire kommuner lå over 55 %. Det sætter en grænse for
# priorvægten fra den anden side, men kun opadtil. Antag, **som en mærket
# simulationsforudsætning**, at hver kommunes sager i 2022 var proportionale med folketallet og
# skaleret til de 8.631 sager (afsnit 1). Hvor mange kommuner ville så ligge over 55 % med en
# Beta-prior af hver priorvægt omkring 37,5 %? (`danmark.prob_at_least` giver binomialhalen, eller
# den beta-binomiale med en priorvægt.) Artiklens lister udelader Ærø, Læsø og Samsø (for få sager),
# så det gør simulationen også: 95 kommuner.

# %%
n_95 = sim.loc[~sim.index.isin([NR[k] for k in ("Ærø", "Læsø", "Samsø")]), "n"].to_numpy()
cut = np.floor(0.55 * n_95).astype(int)  # »over 55 %« = flere omgjorte end dette
expected_above = {"ingen reelle forskelle (kun binomial)": danmark.prob_at_least(cut + 1, n_95, p_true).sum()}
expected_above |= {f"priorvægt {s}": danmark.prob_at_least(cut + 1, n_95, p_true, strength=s).sum()
                   for s in (200, 100, 50, 30, 20, 10)}
tabel(pd.Series(expected_above, name="forventede kommuner over 55 % (SIMULERET n)").to_frame(), decimaler=1)

# %% [markdown]
# Mindst fire kommuner over 55 % passer med en priorvægt på højst omkring 50–100 (binomial støj alene
# ville give omkring én, priorvægt 100 omkring to); var listen fuldstændig, pegede præcis fire på
# omkring 50, men som eksempler udelukker den ikke mindre priorvægte (priorvægt 10 giver omkring
# fjorten). Det er desuden socialområdet, en bredere blanding af
# paragraffer end voksenhandicap, så spredningen på voksenhandicap kan sagtens være større (en mindre
# priorvægt); og et antal på fire er i sig selv usikkert.
#
# **Arbejdsantagelse.** Priorvægte fra omkring **10 til 100** er plausible; **30** er midtpunktet
# og bibliotekets standard (`DEFAULT_PRIOR_STRENGTH` i `danmark.stats.shrinkage`, brugt af
# `danmark.kommune_report`, faktaarket og `danmark report`). Notesbøgerne viser resultaterne ved 10,
# 30 og 100, og hvor det betyder noget, over hele skalaen. En konklusion, der kun holder ved én ende af
# intervallet, siges at afhænge af prioren.
#
# ## 5 · Hvor ofte er »top 4« en gruppe små kommuner?
#
# Taskforce handicap udbyder otte forløb om året; fire er reserveret til kommuner med »størst behov for
# hjælp«, udvalgt på baggrund af Ankestyrelsens Danmarkskort (ministerens orientering af Folketingets
# Socialudvalg, 29. maj 2024). Orienteringen siger ikke, hvordan kortet læses (notesbog 07
# sammenligner regler). Den enkleste læsning, de fire højeste rå procenter, simuleres her: året
# gentages 20.000 gange (`danmark.simulate_selection`, startværdi 2022), og alle kommuner har samme sande
# procent:

# %%
sel = danmark.simulate_selection(sim["n"], p_true, top=4, size=20_000, seed=2022, progress=False)
smallest10 = sim["n"].nsmallest(10).index
largest10 = sim["n"].nlargest(10).index
tabel(pd.Series({
    "udvælgelser til de 10 mindste kommuner": sel.units.loc[smallest10, "p_selected"].sum() / 4,
    "udvælgelser til de 10 største kommuner": sel.units.loc[largest10, "p_selected"].sum() / 4,
    "udvælgelser til kommuner under median-n": sel.summary["share_selected_below_median_n"],
    "  (andel af kommunerne under median-n)": sel.summary["share_units_below_median_n"],
    "P(den mindste kommune i top 4), n = 3": sel.units.loc[NR["Læsø"], "p_selected"],
    "P(den største kommune i top 4), n = 937": sel.units.loc[NR["København"], "p_selected"],
    "lige chance for alle: 4 / 98": 4 / 98,
}, name="SIMULERET, 20.000 år").to_frame(), formater={"SIMULERET, 20.000 år": lambda p: fmt_pct(p, decimals=1)})

# %%
with plotting.style():
    fig, ax = plt.subplots(figsize=(7, 4.2))
    plotting.selection_bars(sel.units, ax=ax, logx=True, reference=4 / 98)
    ax.set_title("SIMULERET: chancen for en top 4-placering efter rå procent, når alle kommuner er ens")
    kilde(fig, KILDE_SIM)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    _ = plotting.save_figure(fig, "01_top4_by_size", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# De 10 mindste kommuner er 10 % af kommunerne, men får omkring 42 % af udvælgelserne; de 10 største
# kommer næsten aldrig med. De fire udvalgtes gennemsnitlige rå procent ligger langt over sandheden, og
# den holder ikke et simuleret år mere (regression mod middelværdien):

# %%
summ = sel.summary
pd.Series({
    "gennemsnitligt n, alle kommuner": f"{summ['mean_n_all']:.1f}".replace(".", ","),
    "gennemsnitligt n, de udvalgte": f"{summ['mean_n_selected']:.1f}".replace(".", ","),
    "sand procent, de udvalgte": fmt_pct(summ["mean_p_selected"]),
    "rå procent, de udvalgte": fmt_pct(summ["mean_rate_selected"]),
    "rå procent året efter, de udvalgte": fmt_pct(summ["mean_next_rate_selected"]),
}, name="SIMULERET").to_frame().style.set_uuid("udvalgte")

# %% [markdown]
# De fire mindste kommuner (01–04) har under 10 simulerede sager (3, 5, 5 og 9), og deres procenter
# bevæger sig i spring på 11 til 33 procentpoint. De offentliggjorte lister for 2022 over kommuner over
# 55 % og under 25 % udelod netop Ærø, Læsø og Samsø »på grund af få sager« (note i
# `data/published_rates.csv`), et fornuftigt minimum, som dog stadig lader kommuner med 20–40 sager og
# deres store støj komme på listen.
#
# ## 6 · Lærebogskontrollen: BDA3's rottesvulster
#
# Gelman m.fl. (BDA3, §5.1 og §5.3) analyserer 71 forsøg med rotter (Tarone 1982): y af n rotter fik
# en svulst. Det 71. er det »aktuelle« forsøg, 4 af 14 (28,6 %). Data følger med notesbøgerne
# (`notebooks/data/rat_tumor_bda3.csv`, skrevet af efter BDA3's tabel 5.1; se `notebooks/data/README.md`).

# %%
rats = pd.read_csv("data/rat_tumor_bda3.csv")
historical = rats[rats["role"] == "historical"]
current = rats[rats["role"] == "current"]
hist_rate = historical["y"] / historical["n"]
print(f"{len(rats)} forsøg, sum y = {rats['y'].sum()}, sum n = {rats['n'].sum()}; "
      f"aktuelt forsøg: {int(current['y'].iloc[0])} af {int(current['n'].iloc[0])}")
print(f"historiske andele: gennemsnit {hist_rate.mean():.3f}, sd {hist_rate.std():.3f}  (BDA3: 0,136 og 0,103)"
      .replace("0.", "0,"))

# %% [markdown]
# ### Momentmetoden (BDA3 §5.1)
#
# Tilpasses en Beta-fordelings middelværdi og varians til de 70 historiske andele
# (`fit_prior(method="mm")`), fås BDA3's prior Beta(1,4; 8,6); det aktuelle forsøgs posterior er så
# Beta(1,4 + 4; 8,6 + 10) = Beta(5,4; 18,6), middelværdi 0,223 og sd 0,083 (BDA3 §5.1). danmark:

# %%
prior_mm = danmark.fit_prior(historical["y"], historical["n"], method="mm")
post = danmark.shrink(current["y"].to_numpy(), current["n"].to_numpy(), prior=prior_mm)
a1, b1 = float(post["alpha1"].iloc[0]), float(post["beta1"].iloc[0])
tabel(pd.DataFrame({
    "danmark": [prior_mm.alpha, prior_mm.beta, a1, b1, a1 / (a1 + b1),
                np.sqrt(a1 * b1 / ((a1 + b1) ** 2 * (a1 + b1 + 1))), float(post["raw"].iloc[0])],
    "BDA3": [1.4, 8.6, 5.4, 18.6, 0.223, 0.083, 0.286],
}, index=["prior α", "prior β", "posterior α", "posterior β", "posteriorens middelværdi", "posteriorens sd",
          "rå andel 4/14"]))

# %% [markdown]
# Hvert offentliggjort tal gengives (til BDA3's afrunding). De rå 28,6 % trækkes omkring 40 % af vejen
# tilbage mod de historiske 13,6 % (vægten S / (S + n) = 10 / 24), fordi 14 rotter bærer lidt
# information ved siden af 70 tidligere forsøg.
#
# ### Fuld Bayes (BDA3 §5.3)
#
# Momentmetoden behandler prioren som kendt. Den hierarkiske model lærer også, hvor forskellige
# forsøgene er, med BDA3's hyperprior p(α, β) ∝ (α + β)^(−5/2), og midler over den usikkerhed
# (`danmark.hierarchical`, beregnet på et gitter, ingen MCMC). Alle 71 forsøg indgår. Tabellen giver
# posteriorens medianer med 95 %-intervaller (og modus, midten af BDA3's fig. 5.3), ikke middelværdier:
# under denne hyperprior er posteriorens middelværdier af α, β og α + β uendelige, så en middelværdi
# beregnet over et endeligt gitter ville være et kunstprodukt af gitteret.

# %%
hier = danmark.hierarchical(rats["y"], rats["n"], seed=5)
tabel(hier.hyper[["median", "lower", "upper", "mode"]].rename(
    columns={"median": "median", "lower": "nedre grænse", "upper": "øvre grænse", "mode": "modus"},
    index={"alpha": "α", "beta": "β", "mean": "middelværdi α/(α+β)", "strength": "priorvægt α+β"})
    .rename_axis("hyperparameter"))

# %% [markdown]
# Hyperparametrenes posterior (til venstre, som BDA3's fig. 5.3: konturer ved 0,05, 0,15, …, 0,95 af
# den største tæthed på log(α/β), log(α+β)) og de 71 posterior-medianer med 95 %-intervaller mod de rå
# andele (til højre, som BDA3's fig. 5.4; de rå andele er forskudt en smule, så ens andele forbliver
# synlige). danmark.plotting har ingen konturfunktion, så begge paneler tegnes direkte med matplotlib:

# %%
grid = hier.grid.pivot(index="z", columns="x", values="density")
units = hier.units
jitter = np.random.default_rng(0).uniform(-0.004, 0.004, len(units))
with plotting.style():
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.8))
    axes[0].contour(grid.columns, grid.index, grid.to_numpy(), levels=np.arange(0.05, 1.0, 0.1),
                    colors=plotting.PALETTE["blue"], linewidths=0.8)
    axes[0].plot(hier.hyper.loc["log(alpha/beta)", "mode"], hier.hyper.loc["log(alpha+beta)", "mode"], "+",
                 color=plotting.PALETTE["vermillion"], ms=9, label="modus")
    axes[0].set_xlim(-2.3, -1.3)  # BDA3 fig. 5.3's udsnit
    axes[0].set_ylim(1, 5)
    axes[0].set_xlabel("log(α/β)")
    axes[0].set_ylabel("log(α+β)")
    axes[0].legend(loc="upper left")
    axes[0].set_title("Rottesvulster: hyperparametrenes posterior")
    axes[1].vlines(units["raw"] + jitter, units["lower"], units["upper"], color=plotting.PALETTE["grey"], lw=0.7)
    axes[1].plot(units["raw"] + jitter, units["median"], "o", color=plotting.PALETTE["blue"], ms=3.5,
                 label="posterior-median, 95 %-interval")
    axes[1].plot([0, 0.45], [0, 0.45], ls="--", color="black", lw=0.8, label="y = x (ingen krympning)")
    axes[1].set_xlabel("observeret andel y/n")
    axes[1].set_ylabel("posterior-median af θⱼ, 95 %-interval")
    axes[1].legend(loc="upper left")
    axes[1].set_title("Rottesvulster: 71 krympede skøn mod rå andele (jf. BDA3 fig. 5.4)")
    for ax in axes:
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:g}".replace(".", ","))
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:g}".replace(".", ","))
    kilde(fig, "Gelman, Carlin, Stern, Dunson, Vehtari og Rubin, Bayesian Data Analysis, 3. udgave (2013), "
               "tabel 5.1; data fra Tarone (1982), Biometrics 38:215–220.")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    _ = plotting.save_figure(fig, "01_rats_bda3", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# Som i BDA3 ligger skønnene på en linje, der er fladere end y = x: lave rå andele trækkes op, høje
# ned, og forsøg med få rotter flytter sig mest. Det aktuelle forsøg med de tre fremgangsmåder:

# %%
tabel(pd.DataFrame({
    "rå andel (ingen krympning)": [4 / 14, np.nan, np.nan],
    "momentmetoden (BDA3 §5.1)": [float(post["estimate"].iloc[0]), float(post["lower"].iloc[0]),
                                  float(post["upper"].iloc[0])],
    "fuld Bayes (BDA3 §5.3)": units.iloc[-1][["estimate", "lower", "upper"]].to_numpy(dtype=float),
}, index=["middelværdi", "nedre grænse (2,5 %)", "øvre grænse (97,5 %)"]).T)

# %% [markdown]
# Fuld Bayes finder forsøgene noget *mere* ens end momentmetoden (posterior-median af α + β 15,5,
# 95 %-interval 8,3 til 32, mod 10; momentmetoden regner binomial støj som reel spredning), så den
# krymper det aktuelle forsøg lidt mere: 0,211 mod 0,223.
#
# ## Hvad det betyder for læsningen af kortet
#
# **Den påstand, der efterprøves her, er kortets underforståede: at en kommunes farve viser, hvor godt
# den behandler sager. Vurdering, så langt en simulation rækker: holder delvist. Rå procenter kan
# vildlede for små kommuner;** for kommuner med hundreder af sager flytter tilfældet den rå procent
# kun nogle få point (om procenten så afspejler sagsbehandlingen frem for sagsmiks eller
# tilbøjeligheden til at klage, er et andet spørgsmål, notesbøgerne 02–05). Evidensen er en
# simulation, hvor alle kommuner er ens pr. konstruktion: den viser, hvor store tilfældige forskelle
# kan være, ikke hvor store de reelle forskelle er (det kræver de rigtige sagstal, nedenfor).
#
# * I simulationen havde alle kommuner samme sande procent, men de simulerede rå procenter gik fra
#   16 % til 67 %, og yderpunkterne tilhørte kommuner med en håndfuld sager. En rå procent alene kan
#   ikke skelne en dårlig kommune fra en lille.
# * Eksakte intervaller og tragtdiagrammet siger det ærligt: de små kommuners intervaller spænder over
#   flere titals procentpoint, og næsten alle indeholder fællesprocenten.
# * Udvælges »top 4« efter rå procent, lander valget mest på små kommuner, og deres høje procenter
#   gentager sig ikke året efter. En rangordning efter rå procent er i høj grad en rangordning efter
#   størrelse.
# * Krympning (empirisk eller fuld Bayes) sætter problemet i den rette skala: den trækker hver procent
#   mod fællesgennemsnittet så meget, som dens n berettiger, forudsat at prioren (den antagne spredning
#   af sande procenter mellem kommuner) er rigtig. Priorvægten er usikker; notesbøgerne bruger 30 og
#   viser 10 og 100 ved siden af (afsnit 4). De samme værktøjer gengiver BDA3's offentliggjorte tal.
# * Læs en kommunes procent sammen med dens n og et interval, eller læs dens krympede skøn. En farve
#   uden antallet af sager siger ikke meget for kommuner med færre end nogle få dusin realitetsbehandlede
#   sager.
#
# **Hvilke data der ville afgøre det.** De rigtige sagstal pr. kommune (Ankestyrelsens Talportal
# eller Statistikbanken ANKEAST1): med dem viser notesbog 06 det rigtige tragtdiagram og det krympede
# kort, `danmark.fit_prior` skønner priorvægten i stedet for at afgrænse den, og det fremgår, hvor
# meget af den rigtige spredning der er mere end støj.

# %% [markdown]
# ## Kilder
#
# Simulationens inddata, landsraten, ministerens orientering om de reserverede forløb og de
# offentliggjorte tal i afsnit 4:

# %%
keys = ["seed_minister_2024", "sm.dk:omgoerelsesprocenter-paa-socialomraadet-i-2022",
        "nb-kommune.dk:nye-danmarkskort-halvdelen-af-sagerne-paa-boerne", "folk1a_2020", "dagi_kommuner",
        *vh["source"].unique()]
kind = danmark.load_sources().set_index("key")["source_kind"].map({"primary": "primær", "secondary": "sekundær"})
liste = danmark.reference_list(keys)
liste["primær/sekundær"] = liste["henvisning"].map({danmark.citation(k): kind[k] for k in keys})
tabel(liste, index=False)

# %% [markdown]
# Litteratur:
#
# * Gelman, Carlin, Stern, Dunson, Vehtari og Rubin (2013). *Bayesian Data Analysis*, 3. udg., kap. 5
#   (rottesvulster: tabel 5.1, §5.1, §5.3, fig. 5.3–5.4). Data: Tarone (1982), *Biometrics* 38:215–220.
# * Spiegelhalter (2005). Funnel plots for comparing institutional performance. *Statistics in
#   Medicine* 24:1185–1202.
# * Robinson (2017). *Introduction to Empirical Bayes: Examples from Baseball Statistics*.

# %% [markdown]
# ## Versioner

# %%
# NBVAL_IGNORE_OUTPUT
danmark.versions()
