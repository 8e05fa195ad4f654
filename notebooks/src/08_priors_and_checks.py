# %% [markdown]
# # 08 · Priorer, modelkontrol og karakterer
#
# Når danmark "krymper" en kommunes omgørelsesprocent, trækkes den mod en fælles fordeling af de
# sande procenter, priorfordelingen. Denne notesbog viser tre ting, der afgør, om det træk er
# rimeligt:
#
# 1. **Modelkontrol** (posterior predictive check, BDA3 kap. 6): kan modellen genskabe data, den er
#    tilpasset? Vist på rottetumordata fra Gelman m.fl., *Bayesian Data Analysis* (3. udg., tabel 5.1).
# 2. **Er én Beta-fordeling nok?** En blanding af to Beta-fordelinger og en ikke-parametrisk prior
#    (Kiefer–Wolfowitz) sammenlignes med den ene Beta via log-likelihood og AIC.
# 3. **En prior, der kender år, område og størrelse** (beta-binomial regression), og
#    **karakterer** efter Kline, Rose & Walters (2023), hvor to kommuner kun får forskellige
#    karakterer, når data understøtter rækkefølgen.
#
# Afsnit 3 og 4 bruger en **SYNTETISK** fuld Talportal-download: 98 kommuner, tre sagsemner,
# 2016–2024, dannet af danmarks testgenerator. **Ingen tal i de afsnit er Ankestyrelsens**; alle
# tabeller og figurer derfra er mærket SYNTETISK/SIMULERET.

# %%
import re
import sys
import tempfile
import warnings
from pathlib import Path

import pandas as pd

import danmark
from danmark import plotting

%matplotlib inline
pd.set_option("display.precision", 3)
pd.set_option("display.width", 120)

PPC_KOLONNER = {"observed": "observeret", "replicated": "replikeret, gennemsnit", "lower": "nedre grænse (2,5 %)",
                "upper": "øvre grænse (97,5 %)", "ppp": "p-værdi (mid-p: P(T_rep > T_obs) + ½·P(T_rep = T_obs))", "ties": "andel lige store"}
PPC_RAEKKER = {"sd": "spredning (SD) af andelene", "max": "højeste andel", "min": "laveste andel"}


def ppc_tabel(tests, *, over, table_id):
    """The posterior predictive tests with Danish headers (kvantitet = teststørrelse)."""
    return danmark.danish_table(tests.rename(index=PPC_RAEKKER | {"above": over}).rename_axis("teststørrelse"),
                                columns=PPC_KOLONNER, decimals=3, table_id=table_id)

# %% [markdown]
# ## 1 · Modelkontrol på rotterne (BDA3)
#
# 71 forsøg med rotter; i forsøg *j* fik $y_j$ af $n_j$ rotter en tumor. Den hierarkiske
# beta-binomiale model (BDA3 §5.3) tilpasses, og for hver af 1.000 træk fra posterioren dannes et
# nyt, replikeret datasæt med samme $n_j$. Tre teststørrelser sammenlignes med de observerede:
# spredningen af andelene, den højeste og den laveste andel. En p-værdi nær 0 eller 1 betyder, at
# modellen ikke kan genskabe det træk ved data.

# %%
rats = pd.read_csv("data/rat_tumor_bda3.csv")
hier = danmark.hierarchical(rats["y"], rats["n"], seed=5)
ppc_rats = danmark.posterior_predictive(hier, size=1000, seed=8, reference=0.3)
ppc_tabel(ppc_rats.tests, over="antal over 30 %", table_id="ppc_rotter")

# %% [markdown]
# Ingen af p-værdierne er ekstreme: modellen genskaber både spredningen og yderpunkterne i
# rottedata. (Den laveste andel er 0 i data og i alle replikationer, så den test siger intet her.) Figuren viser fordelingen af spredningen i de replikerede datasæt (blå) og den
# observerede spredning (rød).

# %%
kilde_rotter = ("Gelman, Carlin, Stern, Dunson, Vehtari & Rubin, Bayesian Data Analysis, 3. udg. (2013), "
                "tabel 5.1 (rottetumorforsøg)")
with plotting.style():  # also while saving: SVG text stays searchable text
    ax = plotting.ppc_plot(ppc_rats, quantity="sd", source=kilde_rotter,
                           xlabel="spredning (SD) af andelen med tumor, procentpoint")
    _ = plotting.save_figure(ax.figure, "08_ppc_rats", formats=("png", "svg"))

# %% [markdown]
# ## 2 · Er én Beta-fordeling nok?
#
# `danmark.compare_priors` tilpasser tre priorer til de samme tal: én Beta (som i resten af
# danmark), en blanding af to Beta-fordelinger (som ebbr's `ebb_fit_mixture`) og den
# ikke-parametriske maksimum-likelihood-prior på et gitter (Kiefer–Wolfowitz). Den sidste er den
# højeste log-likelihood, nogen prior kan opnå; AIC straffer de ekstra parametre.

# %%
sammenligning = danmark.compare_priors(rats["y"], rats["n"]).rename(
    index={"beta": "én Beta", "mixture": "blanding af to Beta", "npmle": "ikke-parametrisk (Kiefer–Wolfowitz)"})
danmark.danish_table(sammenligning.rename_axis("prior"), columns={
    "loglik": "log-likelihood", "n_params": "parametre", "aic": "AIC", "delta_aic": "AIC minus laveste AIC"},
    decimals=2, table_id="priorer")

# %% [markdown]
# For rotterne giver de fleksible priorer kun lidt højere log-likelihood (2–4 enheder), og
# AIC-forskellen mellem den ene Beta og den bedste er langt under 2: den simple model er god nok her.

# %% [markdown]
# ## 3 · En prior, der kender år, område og størrelse (SYNTETISKE data)
#
# Den fælles prior antager, at alle kommuner, år og sagsområder deler samme forventede
# omgørelsesprocent. Med en fuld download kan priorens middelværdi i stedet afhænge af år,
# sagsområde og kommunens størrelse (logit-link), og dens styrke af andre forklarende variable
# (log-link): `danmark.fit_prior(df, formula="~ C(year) + C(area) + np.log(population)")`.
# Folketallet hentes fra danmarks egne data (FOLK1A, 1. kvartal 2020).
#
# Her bruges en **SYNTETISK** download, skrevet i Talportalens CSV-format og læst med
# `danmark.read_talportal` som en rigtig download. I den syntetiske generator har hver kommune
# samme fordeling af udfald i alle år og sagsområder, så der er **ingen** virkning af år, område
# eller størrelse at finde.

# %%
sys.path.insert(0, str(Path("..") / "tests"))
import talportal_writer  # noqa: E402  (the test suite's generator of SYNTHETIC downloads)

truth = talportal_writer.random_truth(2024, n_kommuner=98, periods=[str(y) for y in range(2016, 2025)],
                                      mean_cases=25.0)
with tempfile.TemporaryDirectory() as tmp:
    talportal_writer.write_csv_download(truth, Path(tmp) / "syntetisk.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = danmark.read_talportal(Path(tmp) / "syntetisk.csv")
kommuner, landet = danmark.split_national(cases)
# the generator writes real names because the format needs them; the reader sees numbers, never a real name
SYNT = {k: f"synt. kommune {i:02d}" for i, k in enumerate(sorted(kommuner["kommune"].unique()), start=1)}
kommuner = kommuner.assign(kommune=kommuner["kommune"].map(SYNT))
print(f"SYNTETISK download: {len(kommuner)} rækker (kommune × sagsemne × år), "
      f"{kommuner['kommunekode'].nunique()} kommuner, {kommuner['area'].nunique()} sagsemner, "
      f"år {kommuner['period'].min()}–{kommuner['period'].max()}")

# %%
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    reg = danmark.fit_prior(kommuner, formula="~ C(year) + C(area) + np.log(population)")
def led(term):
    """A model term in words: C(year)[T.2017] -> år 2017, np.log(population) -> log(indbyggertal)."""
    term = str(term)
    prefix = "log(priorvægt): " if term.startswith("log_strength:") else ""
    term = term.removeprefix("log_strength:")
    words = {"Intercept": "konstant", "np.log(population)": "log(indbyggertal)"}
    if term in words:
        return prefix + words[term]
    found = re.fullmatch(r"C\((year|area)\)\[T\.(.*)\]", term)
    if found:
        return prefix + ("år " if found.group(1) == "year" else "sagsemne: ") + found.group(2)
    return prefix + term


koef = pd.DataFrame({"koefficient": reg.params, "standardfejl": reg.bse})
koef.index = [led(term) for term in koef.index]
koef.index.name = "SYNTETISK: led i modellen"
danmark.danish_table(koef, decimals=3, table_id="koef")

# %% [markdown]
# Likelihood-ratio-testen mod den fælles prior (én Beta for alle rækker):

# %%
lr = reg.lr_test()
print(f"SYNTETISK: LR = {lr.statistic:.2f} med {lr.df} frihedsgrader, p = {lr.pvalue:.3f}".replace(".", ","))

# %% [markdown]
# Som ventet finder testen ingen virkning af år, område eller størrelse i de syntetiske data, og
# den fælles prior er tilstrækkelig. I en rigtig download, hvor landsgennemsnittet flytter sig fra
# år til år (fx voksenhandicap 42,4 % i 2020 og 34,3 % i 2021), vil regressionsprioren trække hver
# kommune mod *sit eget* års og områdes niveau. `danmark.shrink(kommuner, prior=reg)` gør det:

# %%
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    eget = danmark.shrink(kommuner, prior=reg)
    faelles = danmark.shrink(kommuner)
sammen = pd.DataFrame({"kommune": eget["kommune"], "år": eget["period"], "n": eget["n"], "rå": eget["raw"],
                       "fælles prior": faelles["estimate"], "egen prior": eget["estimate"]})
sammen.index.name = "SYNTETISK"
print(f"største forskel mellem de to krympede skøn: {(sammen['egen prior'] - sammen['fælles prior']).abs().max():.4f}"
      .replace(".", ","))
danmark.danish_table(
    sammen.loc[(sammen["egen prior"] - sammen["fælles prior"]).abs().sort_values(ascending=False).index].head(5),
    columns={"kommune": "kommune (SYNTETISK)", "år": "år", "n": "n", "rå": "rå procent",
             "fælles prior": "krympet, fælles prior", "egen prior": "krympet, egen prior"},
    percent=["rå", "fælles prior", "egen prior"], index=False, table_id="sammen")

# %% [markdown]
# ### Modelkontrol på den syntetiske download
#
# Samme kontrol som for rotterne, for ét sagsemne i 2024: antallet af kommuner over 55 % og
# spredningen i de replikerede kort sammenlignes med det observerede.

# %%
et_aar = kommuner[(kommuner["period"] == "2024") & (kommuner["area"] == kommuner["area"].iloc[0])]
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    post = danmark.shrink(et_aar)
ppc_syn = danmark.posterior_predictive(post, size=1000, seed=3, reference=0.55)
ppc_tabel(ppc_syn.tests, over="antal over 55 %", table_id="ppc_syntetisk")

# %%
kilde_syn = "SYNTETISKE data fra danmarks testgenerator for Talportal-downloads; ikke Ankestyrelsens tal"
with plotting.style():
    ax = plotting.ppc_plot(ppc_syn, quantity="above", source=kilde_syn, simulated="SYNTETISK")
    _ = plotting.save_figure(ax.figure, "08_ppc_synthetic", formats=("png", "svg"))

# %% [markdown]
# ## 4 · Karakterer, som data kan bære (SYNTETISKE data)
#
# Kline, Rose & Walters (2023, "A Discrimination Report Card") inddeler enheder i ordnede
# karakterer, så forventet antal rigtigt ordnede par gange λ minus forventet antal forkert ordnede
# par bliver størst; par med samme karakter tæller ingen af vejene. To enheder får kun forskellige
# karakterer, hvis posterioren er sikker på rækkefølgen, P(θ_i > θ_j) > 1/(1 + λ). Med λ = 0,25
# (værdien i forfatternes eget eksempel) kræver det 80 % sikkerhed. Karakter 1 er den højeste
# omgørelsesprocent. Løst som et heltalsprogram med HiGHS (scipy); løsningen er bevist optimal,
# når HiGHS melder den optimal.

# %%
pi = danmark.pairwise_prob(post.set_index("kommune"))
res = danmark.grades(pi, lam=0.25)
status = {"optimal": "bevist optimal"}.get(res.status, res.status)
print(f"SYNTETISK: {res.n_grades} karakterer, {status}, optimalitetsgab {res.gap:.2g}".replace(".", ","))
uden = sorted(set(SYNT.values()) - set(post["kommune"]))
print(f"Karakterer for {post['kommune'].nunique()} af {len(SYNT)} kommuner"
      + (f"; {', '.join(uden)} havde ingen realitetsbehandlede sager i sagsemnet i 2024 og kan ikke få en karakter."
         if uden else "."))
kort = post.set_index("kommune")[["n", "raw", "estimate"]].assign(karakter=res.grade)
kort.index.name = "kommune (SYNTETISK)"
danmark.danish_table(
    kort.groupby("karakter").agg(kommuner=("n", "size"), sager=("n", "sum"), krympet_gns=("estimate", "mean")),
    columns={"kommuner": "kommuner", "sager": "sager", "krympet_gns": "krympet skøn, gennemsnit"},
    percent=["krympet_gns"], table_id="karakterer")

# %% [markdown]
# Med λ = 1 (Condorcet: ordn ethvert par, hvor posterioren hælder mere end 50 % den ene vej)
# ville næsten hver kommune få sin egen plads; med λ = 0,25 samles de kommuner, som data ikke kan
# skille ad, i samme karakter.

# %% [markdown]
# ## Konklusion
#
# * Modelkontrollen viser, at den hierarkiske model genskaber rottedata; den samme kontrol kan
#   køres på enhver download med `danmark.posterior_predictive`.
# * `danmark.compare_priors` viser, om én Beta-fordeling er nok; for rotterne er den.
# * Regressionsprioren lader hver kommune krympe mod sit eget års, områdes og størrelses niveau, og
#   likelihood-ratio-testen siger, om det er nødvendigt. I de SYNTETISKE data er det ikke (ingen
#   virkning er lagt ind).
# * Karakterer efter Kline, Rose & Walters giver kun forskellige karakterer, hvor data bærer det.
#
# ## Kilder
#
# * Gelman, Carlin, Stern, Dunson, Vehtari & Rubin, *Bayesian Data Analysis*, 3. udg., CRC Press
#   2013, tabel 5.1 og kap. 6.
# * Kline, Rose & Walters, "A Discrimination Report Card", arXiv 2306.13005 (2023); forfatternes
#   Python-pakke DRrank (README, eksempel med λ = 0,25).
# * Kiefer & Wolfowitz (1956), Annals of Mathematical Statistics 27, 887–906; Robinson,
#   *Introduction to Empirical Bayes* (ebbr).
# * Danmarks Statistik, FOLK1A, 1. kvartal 2020 (folketal).

# %% [markdown]
# ## Versioner

# %%
# NBVAL_IGNORE_OUTPUT
danmark.versions()
