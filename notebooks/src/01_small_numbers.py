# %% [markdown]
# # 01 · Small numbers: why raw rates mislead when n is small
#
# The Danmarkskort colours each kommune by its omgørelsesprocent, the share of its appealed
# decisions that Ankestyrelsen changed or sent back. A kommune with 3 decided appeals can only
# show 0 %, 33 %, 67 % or 100 %; one with 900 appeals is pinned to within a few points of its true
# rate. So even if every kommune had **exactly the same** true rate, the map would show a wide
# spread, and the most extreme colours would belong to the smallest kommuner.
#
# This notebook shows that effect in a **simulation** and then checks the tools used against a
# textbook case:
#
# 1. a SIMULATED map of 98 kommuner sharing one true rate (every table and figure from it says so:
#    tables name their rows "kommune (simuleret)", figure titles start with SIMULATION);
# 2. how the raw rates spread with n, and what exact intervals and a funnel plot make of it;
# 3. shrinkage (empirical Bayes) as a picture;
# 4. how often the "top 4" by raw rate are small kommuner, although all are equal;
# 5. the rat-tumour data of Gelman et al., *Bayesian Data Analysis* (BDA3, ch. 5), as a check that
#    danmark's shrinkage and hierarchical model reproduce the published numbers.
#
# Nothing in sections 1–4 is a real municipal figure. The kommune names are real, and so are their
# populations, but every n, k and rate next to a name is simulated: "Solrød 16 of 34" below is not
# Solrød's real 10 of 14 (notebook 02).

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import danmark
from danmark import plotting
from danmark.simulate.scenarios import SOCIALOMRAADET_2022_N

%matplotlib inline
pd.set_option("display.precision", 3)
pd.set_option("display.width", 120)
pd.set_option("display.max_colwidth", 60)

# %% [markdown]
# ## 1 · A simulated map where every kommune is the same
#
# **The assumptions, stated once and used throughout sections 1–4:**
#
# * *Number of cases.* No complete table of municipal case counts is bundled, so each kommune's
#   number of realitetsbehandlede sager is taken **proportional to its population** (FOLK1A, 1
#   January 2020, source `folk1a_2020`), scaled to the published national total for the
#   socialområde map of 2022: **8,631 realitetsbehandlede sager** (NB-Kommune citing the ministry,
#   source `nb-kommune.dk:nye-danmarkskort-halvdelen-af-sagerne-paa-boerne`). Appeals are not
#   exactly proportional to population (case mix and the propensity to appeal differ), but the
#   spread of sizes, from Læsø to København, is the point here.
# * *True rate.* Every kommune has the same true omgørelsesprocent, the national socialområde rate
#   for 2022, **37.5 %** (Social- og Boligministeriet's Danmarkskort page, source
#   `sm.dk:omgoerelsesprocenter-paa-socialomraadet-i-2022`).
# * *Outcomes.* Each kommune's number of reversed decisions is binomial given its n and the true
#   rate, drawn with a fixed seed.

# %%
p_true = float(danmark.national_rate("socialomraadet", "2022")["omg_pct"].iloc[0]) / 100
sim = danmark.population_case_counts(SOCIALOMRAADET_2022_N).set_index("kommune")
sim.index.name = "kommune (simuleret)"  # every table below carries the label
print(f"true rate for every kommune: {p_true:.1%}")
print(f"simulated cases: {sim['n'].sum():,} in all, from {sim['n'].min()} to {sim['n'].max()} per kommune "
      f"(median {sim['n'].median():.0f})")
sim.sort_values("n")[["population", "share", "n", "simulated"]].iloc[[0, 1, 2, 3, 48, 49, 94, 95, 96, 97]]

# %% [markdown]
# One simulated year (seed 1). `k` is the number of reversed decisions, `raw` = k/n (SIMULATION,
# not the kommuner's real figures):

# %%
rng = np.random.default_rng(1)
sim["k"] = rng.binomial(sim["n"].to_numpy(), p_true)
sim["raw"] = sim["k"] / sim["n"]
sim.sort_values("raw", ascending=False)[["n", "k", "raw"]].head(8)

# %% [markdown]
# The highest simulated rate belongs to one of the smallest kommuner, and so does the lowest, even
# though every kommune has the same true rate of 37.5 %:

# %%
sim.sort_values("raw")[["n", "k", "raw"]].head(5)

# %% [markdown]
# ## 2 · The spread of raw rates shrinks with n
#
# Grouping the 98 simulated kommuner by size: the smallest quarter spans a far wider range of raw
# rates than the largest, although the truth is the same for all. The standard deviation of a raw
# rate is √(p(1 − p)/n), so a kommune with 16 times the cases has a quarter of the spread.

# %%
size_group = pd.qcut(sim["n"], 4, labels=["smallest 25 %", "second", "third", "largest 25 %"]).rename(
    "simulated n, quarter")
spread = sim.groupby(size_group, observed=True).agg(
    kommuner=("n", "size"), n_min=("n", "min"), n_max=("n", "max"),
    raw_min=("raw", "min"), raw_max=("raw", "max"), raw_sd=("raw", "std"),
)
spread["expected_sd"] = [np.sqrt(p_true * (1 - p_true) / sim.loc[size_group == g, "n"]).mean()
                         for g in spread.index]
spread.round(3)

# %% [markdown]
# A **funnel plot** shows this directly: each kommune's raw rate against its n, with the limits
# within which 95 % and 99.8 % of kommuner would fall if all had the true rate (exact binomial
# limits, `danmark.funnel_limits`; Spiegelhalter 2005). Points inside the funnel are compatible
# with the common rate; the wide mouth on the left is where the small kommuner live.

# %%
limits = danmark.funnel_limits(int(sim["n"].max()), p0=p_true, method="exact")
flags = danmark.funnel_flags(sim["k"], sim["n"], p0=p_true)
with plotting.style():
    fig, ax = plt.subplots(figsize=(7, 4.5))
    plotting.funnel_plot(sim["k"], sim["n"], limits, p0=p_true, ax=ax, logx=True,
                         highlight=["Læsø", "Fanø", "Samsø", "Ærø", "København"])
    ax.set_title("SIMULATION: 98 kommuner, all with the same true rate (37,5 %)")
    _ = plotting.save_figure(fig, "01_funnel_simulated", formats=("png", "svg"))
    plt.show()

# %%
flags["flag"].value_counts(sort=False).rename("simulated kommuner").to_frame()

# %% [markdown]
# `funnel_flags` flags a kommune by the exact binomial test, the same way above and below: "above
# 95%" when P(X ≥ k | p₀) < 2.5 %, "below 95%" when P(X ≤ k | p₀) < 2.5 %. One in twenty would be
# the rate for a continuous measure; with whole counts the exact test is conservative, and for
# small n a kommune crosses the limits less often than that. How many flags to expect by chance,
# from the binomial distribution at each simulated n (`danmark.expected_flags`):

# %%
chance = danmark.expected_flags(sim["n"], p_true, levels=(0.95,)).iloc[0]
expected = {"above 95%": chance["expected_above"], "below 95%": chance["expected_below"]}
observed = flags["flag"].value_counts()
for name, row in flags[flags["flag"] != "within"].iterrows():
    print(f"flagged: {name}, {row['k']} of {row['n']} simulated, {row['flag']}, p = {row['p_value']:.3f}")
pd.DataFrame({"expected by chance": expected,
              "this simulated year": {f: int(observed[f]) for f in expected}}).round(1)

# %% [markdown]
# About 3.6 flags are expected by chance, half above and half below the funnel, and none outside
# the 99.8 % limits. This simulated year has one, Allerød (21 of 38 simulated, p = 0.020), above
# the funnel; a handful more lie just inside the 95 % limits on both sides. A flag in a single year
# is what chance produces even when nothing differs.
#
# ### Exact intervals for the "worst" kommuner
#
# The same message, kommune by kommune: exact (Clopper–Pearson) 95 % intervals for the 15 highest
# simulated raw rates (`danmark.binomial_ci(method="exact")`). The intervals of the small kommuner
# at the top of this league table span tens of percentage points, and nearly all of them include
# the true 37.5 %:

# %%
exact = danmark.binomial_ci(sim["k"], sim["n"], method="exact")
exact.index.name = sim.index.name
exact["covers_truth"] = (exact["lower"] <= p_true) & (p_true <= exact["upper"])
print(f"exact 95 % intervals that miss the true rate: {(~exact['covers_truth']).sum()} of 98 "
      f"(about 5 expected; Clopper-Pearson is conservative, so usually fewer)")
top15 = exact.sort_values("estimate", ascending=False, kind="stable").head(15)
top15.round(3)

# %%
with plotting.style():
    fig, ax = plt.subplots(figsize=(6.5, 4.6))
    plotting.caterpillar(top15, label="kommune (simuleret)", raw=False, reference=(p_true, "sand rate (alle)"),
                         ax=ax)
    handles, _ = ax.get_legend_handles_labels()  # nothing is shrunk here: relabel the raw rate
    ax.legend(handles, ["rå andel: eksakt 95 %-interval", "rå andel (k/n)", "sand rate (alle) (37,5 %)"],
              loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3)
    ax.set_title("SIMULATION: the 15 highest raw rates, exact 95 % intervals", pad=24)
    _ = plotting.save_figure(fig, "01_top15_exact", formats=("png",))
    plt.show()

# %% [markdown]
# ## 3 · Shrinkage as a picture
#
# Empirical Bayes asks how much the kommuner *really* differ, estimated from all 98 at once, and
# pulls each raw rate towards the common mean by the share `weight` = S / (S + n), where S = α + β
# is the fitted "prior strength" (`danmark.fit_prior`, `danmark.shrink`). When the rates vary no
# more than binomial noise allows, the best estimate of the between-kommune spread is zero, and
# every kommune is estimated at the common rate: in this simulation that is the right answer.

# %%
with warnings.catch_warnings():
    warnings.simplefilter("ignore", danmark.PoolingWarning)  # reported below via prior_fit.pooled
    prior_fit = danmark.fit_prior(sim["k"], sim["n"])
pooled = prior_fit.pooled
if pooled:
    print("fit_prior (PoolingWarning): the simulated rates show no variation beyond binomial noise, so "
          "the fitted prior is complete pooling (every kommune estimated at the pooled rate).")
strength = "∞ (complete pooling)" if pooled else f"{prior_fit.strength:.1f}"
print(f"fitted prior: mean {prior_fit.mean:.3f}, strength alpha + beta = {strength}")
eb_fit = danmark.shrink(sim["k"], sim["n"], prior=prior_fit)

# %% [markdown]
# For contrast, the same raw rates shrunk with an **assumed** prior that allows real differences:
# Beta with mean 37.5 % and strength S = 30 (as if the true rates of kommuner had a standard
# deviation of about 8.7 percentage points). Then a kommune with 3 cases keeps only 3/33 of its own
# rate, one with 300 cases keeps 91 %:

# %%
prior_30 = danmark.BetaPrior.from_mean(p_true, 30)
eb_30 = danmark.shrink(sim["k"], sim["n"], prior=prior_30)
eb_30.index.name = sim.index.name
eb_30.loc[["Læsø", "Ærø", "Dragør", "Odense", "København"], ["k", "n", "raw", "estimate", "lower", "upper", "weight"]].round(3)

# %%
names = ["Læsø", "Fanø", "Samsø", "Ærø", "København"]
with plotting.style():
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    plotting.shrinkage_arrows(eb_fit, prior_mean=prior_fit.mean, ax=axes[0], label="index", highlight=names)
    axes[0].set_title("SIMULATION: prior fitted from the 98 simulated kommuner")
    plotting.shrinkage_arrows(eb_30, prior_mean=prior_30.mean, ax=axes[1], label="index", highlight=names)
    axes[1].set_title("SIMULATION: assumed prior, strength 30")
    fig.tight_layout()
    _ = plotting.save_figure(fig, "01_shrinkage_simulated", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# Left: the fitted prior recognises that nothing but noise separates the kommuner, and every
# arrow ends on the common rate. Right: even when real differences are allowed, the extreme raw
# rates of the small kommuner are mostly noise and move far, while the large kommuner stay put.
#
# ## 4 · How often is the "top 4" a set of small kommuner?
#
# Taskforce handicap offers eight courses a year; four of them are reserved for kommuner with
# "størst behov for hjælp", selected on the basis of Ankestyrelsen's Danmarkskort (the minister's
# letter to Folketingets Socialudvalg, source `seed_minister_2024`). The letter does not say how the
# map is read (notebook 07 compares rules). The simplest reading, taking the four highest raw
# rates, is simulated here: the year is repeated 20,000 times (`danmark.simulate_selection`, seed
# 2022), with every kommune at the same true rate:

# %%
sel = danmark.simulate_selection(sim["n"], p_true, top=4, reps=20_000, seed=2022, progress=False)
smallest10 = sim["n"].nsmallest(10).index
largest10 = sim["n"].nlargest(10).index
summary = pd.Series({
    "picks going to the 10 smallest kommuner": sel.units.loc[smallest10, "p_selected"].sum() / 4,
    "picks going to the 10 largest kommuner": sel.units.loc[largest10, "p_selected"].sum() / 4,
    "picks going to kommuner below the median n": sel.summary["share_selected_below_median_n"],
    "  (share of kommuner below the median n)": sel.summary["share_units_below_median_n"],
    "P(Læsø in the top 4), n = 3": sel.units.loc["Læsø", "p_selected"],
    "P(København in the top 4), n = 937": sel.units.loc["København", "p_selected"],
    "equal chance for all: 4 / 98": 4 / 98,
}, name="SIMULATION, 20,000 years")
summary.round(3).to_frame()

# %%
with plotting.style():
    fig, ax = plt.subplots(figsize=(7, 3.8))
    plotting.selection_bars(sel.units, ax=ax, logx=True, reference=4 / 98)
    ax.set_title("SIMULATION: chance of a top-4 raw rate when all kommuner are equal")
    _ = plotting.save_figure(fig, "01_top4_by_size", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# The 10 smallest kommuner are 10 % of the kommuner but take about 42 % of the picks; the 10
# largest almost never appear. The mean raw rate of the four picked is far above the truth, and it
# does not survive a second simulated year (regression to the mean):

# %%
sel.summary[["mean_n_all", "mean_n_selected", "mean_p_selected", "mean_rate_selected",
             "mean_next_rate_selected"]].round(3).to_frame("SIMULATION")

# %% [markdown]
# Four kommuner have fewer than 10 simulated cases (Læsø 3, Fanø 5, Samsø 5, Ærø 9), and their
# rates move in steps of 11 to 33 percentage points. The published 2022 lists of kommuner above
# 55 % and below 25 % in fact left Ærø, Læsø and Samsø out "because of few cases" (note in
# `data/published_rates.csv`), a sensible minimum that still leaves kommuner with 20–40 cases and
# their large noise on the list.
#
# ## 5 · The textbook check: BDA3's rat tumours
#
# Gelman et al. (BDA3, §5.1 and §5.3) analyse 71 experiments on rats (Tarone 1982): y rats of n
# developed a tumour. The 71st is the "current" experiment, 4 of 14 (28.6 %). The data ship with
# the notebooks (`notebooks/data/rat_tumor_bda3.csv`, typed from BDA3 Table 5.1; see
# `notebooks/data/README.md`).

# %%
rats = pd.read_csv("data/rat_tumor_bda3.csv")
historical = rats[rats["role"] == "historical"]
current = rats[rats["role"] == "current"]
print(f"{len(rats)} experiments, sum y = {rats['y'].sum()}, sum n = {rats['n'].sum()}; "
      f"current experiment: {int(current['y'].iloc[0])} of {int(current['n'].iloc[0])}")
print(f"historical rates: mean {(historical['y'] / historical['n']).mean():.3f}, "
      f"sd {(historical['y'] / historical['n']).std():.3f}  (BDA3: 0.136 and 0.103)")

# %% [markdown]
# ### Method of moments (BDA3 §5.1)
#
# Matching a Beta's mean and variance to the 70 historical rates (`fit_prior(method="mm")`) gives
# BDA3's prior Beta(1.4, 8.6); the current experiment's posterior is then Beta(1.4 + 4, 8.6 + 10)
# = Beta(5.4, 18.6), mean 0.223 and sd 0.083 (BDA3 §5.1). danmark:

# %%
prior_mm = danmark.fit_prior(historical["y"], historical["n"], method="mm")
post = danmark.shrink(current["y"].to_numpy(), current["n"].to_numpy(), prior=prior_mm)
a1, b1 = float(post["alpha1"].iloc[0]), float(post["beta1"].iloc[0])
pd.Series({
    "prior alpha": prior_mm.alpha, "prior beta": prior_mm.beta,
    "posterior alpha": a1, "posterior beta": b1,
    "posterior mean": a1 / (a1 + b1),
    "posterior sd": np.sqrt(a1 * b1 / ((a1 + b1) ** 2 * (a1 + b1 + 1))),
    "crude estimate 4/14": float(post["raw"].iloc[0]),
}, name="danmark").to_frame().assign(BDA3=[1.4, 8.6, 5.4, 18.6, 0.223, 0.083, 0.286]).round(3)

# %% [markdown]
# Every published figure is reproduced (to BDA3's rounding). The crude 28.6 % is pulled about 40 %
# of the way back towards the historical 13.6 % (the weight S / (S + n) = 10 / 24), because 14 rats
# carry little information next to 70 earlier experiments.
#
# ### Full Bayes (BDA3 §5.3)
#
# The method of moments treats the prior as known. The hierarchical model also learns how much the
# experiments differ, with BDA3's hyperprior p(α, β) ∝ (α + β)^(−5/2), and averages over that
# uncertainty (`danmark.hierarchical`, computed on a grid, no MCMC). All 71 experiments enter.
# The table gives posterior medians with 95 % intervals (and the mode, the centre of BDA3 Fig. 5.3),
# not means: under this hyperprior the posterior means of α, β and α + β are infinite, so a mean
# computed over a finite grid would be an artefact of the grid.

# %%
hier = danmark.hierarchical(rats["y"], rats["n"], seed=5)
hier.hyper[["median", "lower", "upper", "mode"]].round(3)

# %% [markdown]
# The posterior of the hyperparameters (left, as BDA3 Fig. 5.3: contours at 0.05, 0.15, ..., 0.95 of
# the maximum density on log(α/β), log(α+β)) and the 71 posterior medians with 95 % intervals
# against the raw rates (right, BDA3 Fig. 5.4 analogue; the raw rates are jittered slightly so
# that equal rates stay visible). danmark.plotting has no contour function, so both panels are
# drawn with matplotlib directly:

# %%
grid = hier.grid.pivot(index="z", columns="x", values="density")
units = hier.units
jitter = np.random.default_rng(0).uniform(-0.004, 0.004, len(units))
with plotting.style():
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4))
    axes[0].contour(grid.columns, grid.index, grid.to_numpy(), levels=np.arange(0.05, 1.0, 0.1),
                    colors=plotting.PALETTE["blue"], linewidths=0.8)
    axes[0].plot(hier.hyper.loc["log(alpha/beta)", "mode"], hier.hyper.loc["log(alpha+beta)", "mode"], "+",
                 color=plotting.PALETTE["vermillion"], ms=9, label="mode")
    axes[0].set_xlim(-2.3, -1.3)  # BDA3 Fig. 5.3's frame
    axes[0].set_ylim(1, 5)
    axes[0].set_xlabel("log(α/β)")
    axes[0].set_ylabel("log(α+β)")
    axes[0].legend(loc="upper left")
    axes[0].set_title("Rat tumours: posterior of the hyperparameters")
    axes[1].vlines(units["raw"] + jitter, units["lower"], units["upper"], color=plotting.PALETTE["grey"], lw=0.7)
    axes[1].plot(units["raw"] + jitter, units["median"], "o", color=plotting.PALETTE["blue"], ms=3.5,
                 label="posterior median, 95 % interval")
    axes[1].plot([0, 0.45], [0, 0.45], ls="--", color="black", lw=0.8, label="y = x (no pooling)")
    axes[1].set_xlabel("observed rate y/n")
    axes[1].set_ylabel("posterior median of θ_j, 95 % interval")
    axes[1].legend(loc="upper left")
    axes[1].set_title("Rat tumours: 71 shrunk estimates vs raw (cf. BDA3 Fig. 5.4)")
    fig.tight_layout()
    _ = plotting.save_figure(fig, "01_rats_bda3", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# As in BDA3, the estimates lie on a line flatter than y = x: low raw rates are pulled up, high
# ones down, and the experiments with few rats move most. The current experiment under the three
# approaches:

# %%
pd.DataFrame({
    "raw (no pooling)": [4 / 14, np.nan, np.nan],
    "method of moments (BDA3 §5.1)": [float(post["estimate"].iloc[0]), float(post["lower"].iloc[0]),
                                      float(post["upper"].iloc[0])],
    "full Bayes (BDA3 §5.3)": units.iloc[-1][["estimate", "lower", "upper"]].to_numpy(dtype=float),
}, index=["mean", "2.5 %", "97.5 %"]).T.round(3)

# %% [markdown]
# Full Bayes finds the experiments somewhat *more* alike than the method of moments does (posterior
# median of α + β 15.5, 95 % interval 8.3 to 32, against 10; the method of moments counts binomial
# noise as real spread), so it shrinks the current experiment a little more: 0.211 against 0.223.
#
# ## What this means for reading the map
#
# **The claim tested here is the map's implicit one: that a kommune's colour shows how well it
# handles cases. Verdict, as far as a simulation can say: partly holds. Raw rates can mislead for
# small kommuner;** for kommuner with hundreds of cases chance moves the raw rate by only a few
# points (whether the rate then reflects case handling rather than case mix or the propensity to
# appeal is a different question, notebooks 02–05). The evidence is a simulation in which all
# kommuner are equal by construction: it shows how large chance differences can be, not how large
# the real differences are (that needs the real counts, below).
#
# * In the simulation, every kommune had the same true rate, yet the simulated raw rates ran from
#   16 % to 67 %, and the extremes belonged to kommuner with a handful of cases. A raw rate
#   alone cannot tell a bad kommune from a small one.
# * Exact intervals and the funnel plot say so honestly: the small kommuner's intervals span tens
#   of percentage points and almost all include the common rate.
# * Picking the "top 4" by raw rate lands mostly on small kommuner, and their high rates do not
#   repeat the next year. A ranking by raw rate is, to a large part, a ranking by size.
# * Shrinkage (empirical or full Bayes) fixes the scale of the problem: it pulls each rate towards
#   the common mean by as much as its n warrants, provided the prior (the assumed spread of true
#   rates between kommuner, fitted or averaged over) is right. The same tools reproduce BDA3's
#   published rat-tumour numbers.
# * Read a kommune's rate with its n and an interval, or read its shrunk estimate. A colour without
#   the number of cases says little for kommuner with fewer than a few dozen decided appeals.
#
# **What data would settle it.** The real case counts per kommune (Ankestyrelsen's Talportal or
# Statistikbanken ANKEAST1): with them, notebook 06 shows the real funnel and shrunk map, and how
# much of the real spread is more than noise.

# %% [markdown]
# ## Sources
#
# The simulation inputs, the national rate and the minister's letter on the reserved courses:

# %%
keys = ["seed_minister_2024", "sm.dk:omgoerelsesprocenter-paa-socialomraadet-i-2022",
        "nb-kommune.dk:nye-danmarkskort-halvdelen-af-sagerne-paa-boerne",
        "folk1a_2020", "dagi_kommuner"]
src = danmark.describe_sources(keys).set_index("key")
for key, row in src.iterrows():
    print(f"{key}: {row['publisher']}, {row['title']}. {row['url_or_document']}")

# %% [markdown]
# Literature:
#
# * Gelman, Carlin, Stern, Dunson, Vehtari & Rubin (2013). *Bayesian Data Analysis*, 3rd ed., ch. 5
#   (rat tumours: Table 5.1, §5.1, §5.3, Figs. 5.3–5.4). Data: Tarone (1982), *Biometrics* 38:215–220.
# * Spiegelhalter (2005). Funnel plots for comparing institutional performance. *Statistics in
#   Medicine* 24:1185–1202.
# * Robinson (2017). *Introduction to Empirical Bayes: Examples from Baseball Statistics*.

# %% [markdown]
# ## Versions

# %%
# NBVAL_IGNORE_OUTPUT
danmark.versions()
