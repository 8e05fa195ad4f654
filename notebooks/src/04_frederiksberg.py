# %% [markdown]
# # 04 · Frederiksberg: »lavere omgørelsesprocent end landsgennemsnittet« og »ikke fundet væsentlige eller systematiske/generelle fejl«
#
# Den 21. september 2020 tog Frederiksbergs Socialudvalg en opfølgning på kvaliteten i
# sagsbehandlingen i Socialafdelingen til efterretning (Frederiksberg Kommune 2020). Referatet er
# ikke et svar på et tilbud om et taskforceforløb, men to af dets udsagn er af en slags, kommuner ofte
# fremsætter om Danmarkskortet. Denne notesbog efterprøver dem, som de er skrevet.

# %% tags=["setup"]
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import danmark
from danmark import plotting
from danmark.plotting.kommune import source_line
from danmark.simulate.scenarios import SOCIALOMRAADET_2022_N

%matplotlib inline

pct = plotting.fmt_pct  # dansk procenttekst
KILDE_SAG = "Frederiksberg Kommune, Socialudvalget, referat 21. september 2020 (opfølgning på kvalitet i sagsbehandlingen)"
KILDE_41 = "DK Nyt, »41 pct. af sociale klager til Ankestyrelsen giver gevinst« (nyhed, sekundær kilde for landsplan 2019)"
P0 = float(danmark.national_rate("socialomraadet", "2019")["omg_pct"].iloc[0]) / 100  # 41 %, DK Nyt
FLAG = {"within": "inden for", "above 95%": "over 95 %-grænsen", "below 95%": "under 95 %-grænsen",
        "above 99.8%": "over 99,8 %-grænsen", "below 99.8%": "under 99,8 %-grænsen"}


danmark.danish_warnings()  # danmarks advarsler (fx om en download) som én dansk linje

# %% [markdown]
# ## 1 · Påstandene, med referatets egne ord
#
# * **(a) revisionen.** Udvalget noterede sig «revisors gennemgang af 15 tilfældigt udvalgte
#   sagstyper», og referatet skriver: «Der er ved revisionens gennemgang ikke fundet væsentlige eller
#   systematiske/generelle fejl og revisors gennemgang viser, at området generelt administreres i
#   overensstemmelse med gældende regler.»
# * **(b) under gennemsnittet.** Klageafrapporteringen for 2019 og Danmarkskortet 2020 «viser at
#   Socialafdelingen har en lavere omgørelsesprocent end landsgennemsnittet samt at Socialafdelingen
#   samlet set ligger pænt i forhold til landsgennemsnittet, da væsentligt flere afgørelser
#   fastholdes, og færre ændres eller hjemvises i forhold til landsgennemsnittet».
#
# Referatet indrømmer også fejl: «Der er generelt tale om få egentlige fejl, hvoraf de fleste omhandler
# indtastningsfejl og forkert brug af fagsystemet Sensum», og det skriver, at der «altid vil være
# sandsynlighed for fejl og mangler i sagsbehandlingen».
#
# **Hvad der efterprøves.** (a) hvad 15 gennemgåede sagstyper uden væsentlige fejl kan vise; (b) om
# procenten var lavere end landsgennemsnittet, og hvad en lavere procent er evidens for. »Væsentligt
# flere afgørelser fastholdes« er almindelig sprogbrug i et referat, der noterer et resultat med
# tilfredshed, ikke et udsagn om statistisk signifikans, og det holdes ikke op mod en sådan grænse.

# %%
danmark.danish_table(danmark.claims_table("04_frederiksberg"))

# %% [markdown]
# ## 2 · Data
#
# **Frederiksbergs egne tal er ikke i datapakken.** Referatet giver ingen tal, og ingen kilde fundet til
# datapakken oplyser Frederiksbergs stadfæstede, ændrede og hjemviste afgørelser. Notesbogen læser
# `danmark.load_data()`; peger `DANMARK_DATA` på et fuldt udtræk, dukker rækkerne op her:

# %% tags=["download"]
cases = danmark.load_data()
frb = cases[(cases["kommune"] == "Frederiksberg") & (cases["area"] == "socialomraadet")]
published = danmark.load_published_rates()
print(f"Frederiksberg, socialområderækker med sagstal: {len(frb)}")
print(f"Frederiksberg-rækker blandt offentliggjorte procenter: {(published['kommune'] == 'Frederiksberg').sum()}")

# %% [markdown]
# **Hvilket kortår?** Referatet henviser til «Børne- og Socialministeriets danmarkskort 2020», behandlet i udvalget den 17. august
# 2020. Et kort, der var ude i august 2020, må være det, der blev offentliggjort i 2020, og det viser
# afgørelser fra **2019** (kortet for år X offentliggøres i X + 1). Vi antager dataår 2019.
#
# **Landsgennemsnittet** på socialområdekortet, som det er i datapakken:

# %%
national = danmark.load_national(preferred_only=True)
social = national[national["area"] == "socialomraadet"].set_index("period")
kildetype = social["source_type"].str.startswith("official").map({True: "officiel", False: "sekundær (nyhed)"})
danmark.danish_table(social[["omg_pct", "pct_aendret", "pct_hjemvist"]].assign(
    kildetype=kildetype, kilde=social["source"].map(danmark.citation)).set_axis(
    ["omgørelsesprocent (%)", "ændret (%)", "hjemvist (%)", "kildetype", "kilde"], axis=1).rename_axis("år"), decimals=1)

# %% [markdown]
# For 2019 har datapakken kun **41 %**, som trykt (afrundet) af nyhedssitet DK Nyt; **det er en sekundær
# kilde**, og ministeriets eget tal for 2019 er ikke i datapakken. Da tallet bærer hele sammenligningen,
# bruger vi p₀ = 0,41 og varierer det nedenfor. Landstallet har desuden sin egen usikkerhed: det
# bygger på omkring 8.000–8.600 sager om året, ca. ±1 point (`danmark.national_precision`), mindre
# end afrundingen til hele procent.
#
# **En størrelsesorden for n.** Frederiksberg havde 104.305 indbyggere 1. januar 2020. Det eneste
# landstal for realitetsbehandlede sager på socialområdekortet i datapakken er 8.631 (2022). At fordele
# det efter folketal er en **antagelse**, ikke data (`danmark.population_case_counts`; hver række er
# mærket `simulated`):

# %%
assumed = danmark.population_case_counts(SOCIALOMRAADET_2022_N).set_index("kommune")
danmark.danish_table(assumed.loc[["Frederiksberg"], ["population", "share", "n", "simulated"]].set_axis(
    ["indbyggere", "andel af landet", "SIMULERET antal sager", "simuleret"], axis=1), percent=["andel af landet"], decimals=2)

# %%
n_assumed = int(assumed.loc["Frederiksberg", "n"])
print(f"Antaget størrelsesorden: ca. {n_assumed} realitetsbehandlede klager om året (sager ∝ folketal, 2022-total).")

# %% [markdown]
# Antagelsen er grov på tre måder: totalen er for 2022, ikke 2019; klager følger ikke nødvendigvis
# folketallet; og referatet taler om Socialafdelingen, som måske ikke dækker alle bestemmelser på kortet.
# Nedenfor lader vi n gå fra det halve til det dobbelte.
#
# ## 3 · Påstand (a): ingen væsentlige fejl i 15 gennemgåede
#
# ### Den naive læsning
#
# »Ingen væsentlige eller systematiske fejl i 15 sagstyper« læses let som »kommunen laver (næsten) ingen
# fejl«. Men en ren stikprøve på 15 sætter kun en grænse for andelen af væsentlige fejl og siger intet om
# mindre fejl.
#
# ### Hvad 0 af 15 tillader
#
# Blev de 15 trukket tilfældigt (det siger referatet), og havde ingen en væsentlig fejl, er den eksakte
# ensidede øvre 95 %-grænse for andelen af væsentlige fejl 1 − 0,05^(1/15); tretalsreglen giver 3/15
# (`danmark.audit_bound`):

# %%
audit = danmark.audit_bound(0, 15, level=0.95)
audit_cols = {"level": "niveau", "errors": "fejl", "reviewed": "gennemgåede", "upper_exact": "øvre grænse (eksakt)",
              "rule_of_three": "øvre grænse (3/n)"}
danmark.danish_table(audit[list(audit_cols)].rename(columns=audit_cols), percent=["niveau", "øvre grænse (eksakt)",
                                                                          "øvre grænse (3/n)"], index=False, decimals=3)

# %% [markdown]
# Op til **18,1 %** af sagerne kunne have en væsentlig fejl, og en tilfældig stikprøve på 15 ville
# stadig vise nul mindst 5 % af gangene (tretalsreglen siger 20 %, lidt konservativt). Ved andre niveauer:

# %%
danmark.danish_table(pd.concat([danmark.audit_bound(0, 15, level=lv) for lv in (0.80, 0.90, 0.95, 0.99)], ignore_index=True)[
    list(audit_cols)].rename(columns=audit_cols), percent=["niveau", "øvre grænse (eksakt)", "øvre grænse (3/n)"],
    index=False, decimals=3)

# %% [markdown]
# Hvor mange fejlfri sager skal der til for at få grænsen ned (eksakt, 95 %)?

# %%
grid = danmark.audit_bound(0, np.arange(1, 601))
needed = {f"under {100 * b:.0f} %": int(grid.loc[grid["upper_exact"] < b, "reviewed"].min()) for b in (0.2, 0.1, 0.05, 0.01)}
danmark.danish_table(pd.Series(needed, name="fejlfri sager (0 fejl, 95 %)").to_frame().rename_axis("øvre grænse"), decimals=3)

# %%
curve = danmark.audit_bound(0, np.arange(5, 101))
with plotting.style():
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    ax.plot(curve["reviewed"], 100 * curve["upper_exact"], ".", ms=3, color=plotting.PALETTE["blue"],
            label="eksakt (Clopper–Pearson)")  # whole n only: no line between counts
    ax.plot(curve["reviewed"], 100 * curve["rule_of_three"], ".", ms=3, color=plotting.PALETTE["orange"],
            label="tretalsreglen (3/n)")
    ax.axvline(15, color=plotting.PALETTE["grey"], lw=0.8, ls=":")
    up, r3 = 100 * audit["upper_exact"].iloc[0], 100 * audit["rule_of_three"].iloc[0]
    ax.plot([15, 15], [up, r3], "o", color="black", ms=4)
    ax.annotate(f"n = 15: {pct(up / 100)} (eksakt), {pct(r3 / 100, decimals=0)} (3/n)", (15, r3), xytext=(8, 8),
                textcoords="offset points", fontsize=8)
    ax.set_ylim(0, 50)
    ax.set_xlabel("gennemgåede sager uden fejl (n)")
    ax.set_ylabel("øvre 95 %-grænse for fejlandel (%)")
    ax.legend(loc="upper right")
    ax.set_title("Øvre grænse for fejlandelen efter 0 fejl i n gennemgåede sager (ensidet 95 %)")
    source_line(fig, f"Beregnet; påstanden fra {KILDE_SAG}.")
    _ = plotting.save_figure(fig, "04_audit_bound", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# ### Tre forbehold, grænsen ikke fjerner
#
# * **Sagstyper er ikke sager.** Udvalgets beslutning taler om 15 tilfældigt udvalgte *sagstyper*;
#   tabellen i samme referat nævner «15 sager til EY» fra botilbudsbestemmelserne (serviceloven
#   §§ 107–110). Var enheden en sagstype, gælder grænsen sagstyper; var det 15 sager fra botilbud, dækker
#   den de bestemmelser, ikke hele socialområdet.
# * **»Væsentlige eller systematiske« er en højere tærskel end »en fejl«.** Grænsen gælder de fejl,
#   revisor vurderede væsentlige. Mindre fejl er slet ikke afgrænset, og referatet nævner selv nogle.
# * **En revision er ikke en klagesag.** Social revision tjekker, at forvaltningen følger reglerne;
#   Danmarkskortet tæller, hvor ofte Ankestyrelsen ændrer eller hjemviser en påklaget afgørelse.
#
# ## 4 · Påstand (b): »lavere omgørelsesprocent end landsgennemsnittet«
#
# ### Den naive læsning
#
# Frederiksbergs procent var under 41 %, altså er sagsbehandlingen bedre end gennemsnittet.
#
# ### Hvad »under gennemsnittet« kan og ikke kan vise
#
# Selv hvis alle kommuner havde præcis landsprocenten, ville binomial støj alene lægge omkring
# halvdelen under den hvert år. For at skille en kommune fra landsprocenten skal dens procent ligge uden
# for tragtens grænser omkring p₀ = 0,41 (`danmark.funnel_limits`, eksakte binomiale grænser). Men
# kommuner varierer også *reelt* mere end binomialt (overspredning, Spiegelhalter 2005). To slags grænser
# svarer på to spørgsmål:
#
# * **binomiale grænser**: er kommunens *sande* procent forskellig fra landsprocenten overhovedet?
# * **overspredningsjusterede grænser** (additiv τ², Spiegelhalter 2005): skiller kommunen sig ud fra
#   den normale spredning *mellem kommuner*? τ² estimeres med `danmark.overdispersion_fit` ud fra alle
#   kommuners tal; dem har datapakken ikke, så vi bruger den spredning, som priorvægten i notesbog 01
#   svarer til: τ² = p₀(1 − p₀)/(s + 1), med s = 30 (central) og 100 (høj priorvægt, lille spredning).
#
# Referatet påstår kun det første: at procenten var lavere. Grænserne nedenfor er ikke en standard,
# påstanden skal leve op til; de viser, hvor langt under landsprocenten et års tal skal ligge, før det
# alene kan skelnes fra tilfældet, og dermed hvor meget et »lavere« kan bære som evidens.
# Frederiksbergs tal er ikke i datapakken, så vi ser på grænserne for et **hypotetisk** n:

# %%
p0 = P0
tau2 = {s: p0 * (1 - p0) / (s + 1) for s in (30, 100)}
at_n = [25, 50, 75, n_assumed, 2 * n_assumed, 500]
lim_tab = pd.concat(
    # the limits by the flagging rule itself, at whole counts (as drawn in the figure below)
    [danmark.funnel_steps(at_n, reference=p0, level=(0.95, 0.998)).assign(grænser="binomial")]
    + [danmark.funnel_steps(at_n, reference=p0, level=(0.95, 0.998), overdispersion="additive", tau2=t)
       .assign(grænser=f"overspredning (s = {s})") for s, t in tau2.items()],
    ignore_index=True,
)
lim_tab["niveau"] = lim_tab["level"].map({0.95: "95 %", 0.998: "99,8 %"})
danmark.danish_table(lim_tab.pivot_table(index="n", columns=["grænser", "niveau"], values="lower")
             .rename_axis(index="sager (n)", columns=[None, None]), percent=list(
                 lim_tab.pivot_table(index="n", columns=["grænser", "niveau"], values="lower").columns), decimals=3)

# %% [markdown]
# Ved det antagne n ≈ 155 skal en procent under ca. **33 %** (8 point under landsplanens 41 %), før den
# binomialt kan skilles fra landsprocenten på 95 %-niveau. Med overspredning svarende til priorvægt 30
# skal den under ca. **22 %** (ca. 19 point under), før Frederiksberg skiller sig ud fra kommunerne; ved
# priorvægt 100 under ca. 28 %.

# %%
# Every limit as the flagging rule draws it: one step per whole n (danmark.funnel_steps).
lim_steps = danmark.funnel_steps(np.arange(10, 501), reference=p0, level=(0.95, 0.998))
lim_od = danmark.funnel_steps(np.arange(10, 501), reference=p0, level=0.95, overdispersion="additive", tau2=tau2[30])
with plotting.style():
    fig, ax = plt.subplots(figsize=(6.8, 4.4))
    ax.axvspan(n_assumed / 2, 2 * n_assumed, color=plotting.PALETTE["lightgrey"], alpha=0.6, lw=0, zorder=0,
               label="antaget n (½× til 2×), HYPOTETISK")
    plotting.funnel_plot([], [], lim_steps, reference=p0, ax=ax)
    lim95 = lim_steps[lim_steps["level"] == 0.95]
    ax.fill_between(lim95["n"], 100 * lim95["lower"], 100 * p0, step="mid", color=plotting.PALETTE["orange"],
                    alpha=0.35, lw=0, zorder=1, label="under landsplan, men inden for 95 % (binomial)")
    ax.step(lim_od["n"], 100 * lim_od["lower"], where="mid", color=plotting.PALETTE["purple"], ls="-.", lw=1.2,
            label="95 % med overspredning (priorvægt 30)")
    ax.step(lim_od["n"], 100 * lim_od["upper"], where="mid", color=plotting.PALETTE["purple"], ls="-.", lw=1.2,
            label="_nolegend_")
    ax.axvline(n_assumed, color=plotting.PALETTE["grey"], lw=0.8, ls=":")
    ax.legend(loc="upper right", fontsize=7)
    ax.set_ylim(0, 100)
    ax.set_title("Tragtgrænser om landsplan 41 % (2019); ingen Frederiksberg-tal i datapakken")
    source_line(fig, f"{KILDE_41}; {KILDE_SAG}. Grænserne er beregnet (eksakt binomial; additiv overspredning, "
                "Spiegelhalter 2005).", simulated="n er et hypotetisk spænd (sager fordelt efter folketal)")
    _ = plotting.save_figure(fig, "04_funnel_limits", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# ### Hvor meget er »lavere« værd som bevis?
#
# Svagt bevis er ikke intet bevis. Hvor meget en lavere procent siger om Frederiksbergs *sande*
# procent, afhænger af, hvor meget lavere den er. Tabellen regner på **hypotetiske** observationer ved det
# antagne n ≈ 155: procenten d point under 41 %, krympet mod landsplan med priorvægt 30 og 100 (notesbog
# 01); sandsynligheden for, at den sande procent ligger under landsplan, og det krympede skøn:

# %%
d_points = np.array([0, 2, 4, 6, 8, 10, 15])
k_hyp = np.round(n_assumed * (p0 - d_points / 100)).astype(int)
weigh = pd.DataFrame({"point under landsplan (hypotetisk)": d_points, "omgjort af n": k_hyp})
for s in (30, 100):
    prior = danmark.BetaPrior.from_mean(p0, s)
    weigh[f"P(sand under landsplan), s = {s}"] = 1 - danmark.prob_above(k_hyp, np.full(k_hyp.size, n_assumed), prior=prior,
                                                                     reference=p0)["prob_above"].to_numpy()
    weigh[f"krympet skøn, s = {s}"] = danmark.shrink(k_hyp, np.full(k_hyp.size, n_assumed), prior=prior)["estimate"].to_numpy()
danmark.danish_table(weigh, percent=["krympet skøn, s = 30", "krympet skøn, s = 100"], decimals=2, index=False)

# %% [markdown]
# Ved n ≈ 155 gør 4 point under landsplan det ca. 80–84 % sandsynligt, at Frederiksbergs sande procent
# er lavere end landets; 8 point ca. 95–97 % (priorvægt 100–30). Det er ikke ingenting: en procent, der ligger klart under
# landsplan, gør det sandsynligt, at færre af kommunens påklagede afgørelser ikke holder. Men det er
# bevis for en *lavere omgørelsesprocent*, ikke direkte for *bedre sagsbehandling*: omgørelsesprocenten
# afhænger også af, hvor mange borgere der klager, og hvilke sager der påklages (en kommune, hvor få
# klager, får færre svage sager prøvet). Så vægten er: en lavere procent på 4–8 point er moderat bevis
# for en lavere sand omgørelsesprocent og svagt bevis for bedre sagsbehandling.
#
# ### Hvor langt under skulle den sande procent ligge?
#
# Set fra den anden side: var Frederiksbergs *sande* procent under 41 %, hvor ofte ville et års tal vise
# det signifikant (eksakt ensidet test på 5 %, `danmark.power`)? For det antagne n og det halve og dobbelte:

# %%
pw = danmark.power(np.repeat([n_assumed // 2, n_assumed, 2 * n_assumed], 5), np.tile([0.39, 0.37, 0.35, 0.33, 0.30], 3),
                   reference=p0, alternative="smaller")
danmark.danish_table(pw.pivot(index="p1", columns="n", values="power").sort_index(ascending=False)
             .rename(index=lambda v: pct(v, decimals=0), columns=lambda v: f"n = {v}").rename_axis(index="sand procent", columns=None),
             percent=[f"n = {v}" for v in (n_assumed // 2, n_assumed, 2 * n_assumed)], decimals=3)

# %% [markdown]
# En sand procent på 37 % (4 point bedre end gennemsnittet) ville vise sig som signifikant under
# gennemsnittet i ca. hvert fjerde år ved n ≈ 155. Sager, der skal til for 80 % teststyrke:

# %%
cn = danmark.cases_needed([0.37, 0.35, 0.33], reference=p0, alternative="smaller")
danmark.danish_table(cn[["p1", "n_first", "n_stable", "n_normal"]].set_axis(
    ["sand procent", "første n med 80 %", "n fra hvilket 80 % holder", "n (normalapproksimation)"], axis=1),
    percent=["sand procent"], index=False, decimals=3)

# %% [markdown]
# At skelne en sand procent på 37 % fra 41 % med 80 % teststyrke kræver over 900 afgjorte klager: ca.
# seks års sager ved den antagne størrelse.
#
# ### Følsomhed over for landsprocenten
#
# De 41 % er afrundet (40,5–41,5 %), og mente referatet kortet for dataår 2020, ville landsprocenten være
# 36,2 % (vi argumenterede ovenfor for, at det ikke var tilfældet). Den nedre binomiale 95 %-grænse ved
# det antagne n og det hypotetiske spænd:

# %%
p0_choices = {"40,5 % (afrunding)": 0.405, "41 % (bruges)": 0.41, "41,5 % (afrunding)": 0.415,
              "36,2 % (dataår 2020)": 0.362}
sens = pd.concat(
    [danmark.funnel_limits([n_assumed // 2, n_assumed, 2 * n_assumed], reference=v, level=0.95).assign(p0=label)
     for label, v in p0_choices.items()],
    ignore_index=True,
)
danmark.danish_table(sens.pivot(index="p0", columns="n", values="lower").loc[list(p0_choices)]
             .rename(columns=lambda v: f"n = {v}").rename_axis(index="landsprocent", columns=None),
             percent=[f"n = {v}" for v in (n_assumed // 2, n_assumed, 2 * n_assumed)], decimals=3)

# %% [markdown]
# Ingen af valgene ændrer billedet.
#
# Peger `DANMARK_DATA` på et fuldt udtræk, vises Frederiksbergs 2019-tal her, som
# `danmark.kommune_report` beregner dem (med den landsrate, rapporten vælger), og med alle kommuners
# tal også den estimerede overspredning og tragtens markering:

# %% tags=["download"]
frb_2019 = frb[(frb["period"] == "2019") & (frb["n"] > 0)]
if frb_2019.empty:
    print("De anvendte data har ingen socialområdetal for Frederiksberg i 2019; afsnittet kræver et udtræk fra "
          "Talportalen eller ANKEAST1 i DANMARK_DATA.")
else:
    a = danmark.kommune_report("Frederiksberg", area="socialomraadet", period="2019", data=cases,
                               by_size=False).areas[0]
    ref = "ingen landsrate i data eller datapakke" if a.reference is None else f"landsrate {pct(a.reference)}"
    print(f"Frederiksberg 2019: {a.omgjort} af {a.n} omgjort = {pct(a.rate)} (eksakt 95 %-interval "
          f"{pct(a.exact[0])}–{pct(a.exact[1])}); {ref}"
          + ("" if a.prob_above is None else f"; P(sand procent under landsraten) = {1 - a.prob_above:.2f}".replace(".", ",")))
    if a.field is None:
        print("Overspredningen og tragten kræver et fuldt udtræk: mindst "
              f"{danmark.report.MIN_FULL} kommuner med socialområdetal i 2019 og en landsrate.")
    else:  # the report's field: the same over-dispersion and funnel as the faktaark and danmark report
        phi, tau2 = (f"{x:.{d}f}".replace(".", ",") for x, d in ((a.field.phi, 2), (a.field.tau2, 4)))
        print(f"Overspredning 2019 ({a.field.units} kommuner): φ = {phi}, τ² = {tau2}. Tragten: {FLAG[a.flag]} "
              f"(binomiale grænser), {FLAG[a.flag_od]} (med overspredning).")

# %% [markdown]
# ## 5 · Konklusion
#
# **Kan ikke efterprøves med datapakkens tal; revisionens fund holder som oplyst, men siger ikke meget.**
#
# * **(a) «ikke fundet væsentlige eller systematiske/generelle fejl» i 15 gennemgåede sagstyper.** Holder
#   som oplyst, men det er svag evidens: en ren tilfældig stikprøve på 15 er forenelig med, at op til
#   18,1 % af sagerne har en væsentlig fejl (eksakt, 95 %; 20 % med tretalsreglen). Stikprøven var af
#   sagstyper, eller af 15 sager fra botilbud, ikke af hele socialområdet; den afgrænser kun væsentlige
#   fejl (referatet nævner selv «få egentlige fejl», mest indtastningsfejl); og en revision måler ikke,
#   hvor ofte klager får medhold.
# * **(b) «lavere omgørelsesprocent end landsgennemsnittet».** Kan ikke efterprøves: Frederiksbergs tal er
#   ikke i datapakken, og landsprocenten 41 % er fra en nyhedskilde (DK Nyt), ikke fra ministeriet. Det
#   er et udsagn om, hvad kortet viste, og det er plausibelt; »væsentligt flere afgørelser fastholdes« er
#   referatets ord for et resultat, det noterede med tilfredshed, og holdes ikke op mod en
#   signifikansgrænse. Hvad en lavere procent kan bære: ved den antagne størrelsesorden (ca. 155 klager
#   om året, en antagelse) gør 4 point under landsplan en lavere sand omgørelsesprocent ca. 80–84 %
#   sandsynlig, 8 point ca. 95–97 %. Det er evidens for en lavere omgørelsesprocent, og svagere evidens
#   for bedre sagsbehandling, for omgørelsesprocenten afhænger også af, hvem der klager og over hvad.
#
# ## 6 · Hvilke data ville afgøre det
#
# * Frederiksbergs 2019-tal på socialområdekortet pr. afgørelsestype (stadfæstet, ændret/ophævet,
#   hjemvist, afvist): Talportalen eller Statistikbanken ANKEAST1, og **alle kommuners** tal samme år, så
#   overspredningen kan estimeres (`danmark.overdispersion_fit`). Sæt `DANMARK_DATA` og kør igen.
# * Ministeriets eget landstal og sagstal for 2019 i stedet for de afrundede 41 % fra DK Nyt.
# * Revisors rapport: enheden (sag eller sagstype), de 15 enheder, hvordan de blev trukket, og hvad der
#   talte som en væsentlig fejl.

# %% [markdown]
# ## Kilder

# %%
keys = (["seed_frederiksberg_2020"] + list(social.loc[["2019", "2020"], "source"])
        + ["nb-kommune.dk:nye-danmarkskort-halvdelen-af-sagerne-paa-boerne", "folk1a_2020"]
        + danmark.national_precision().loc["socialomraadet", "source"].split("+"))
danmark.danish_table(danmark.reference_list(keys), index=False, decimals=0)

# %% [markdown]
# ## Versioner

# %%
# NBVAL_IGNORE_OUTPUT
danmark.versions()
