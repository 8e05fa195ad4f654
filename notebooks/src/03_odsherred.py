# %% [markdown]
# # 03 · Odsherred: "one error in the audit" and remands after a change of practice
#
# In 2024 the ministry offered Odsherred Kommune one of the taskforce courses reserved for the
# kommuner with the greatest need on the børnehandicap Danmarkskort. The kommune declined (source
# `seed_minister_2024`). Its letter (source `seed_odsherred_2024`) gives two statistical reasons to
# doubt what the map says about it. This notebook tests both.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import danmark
from danmark import plotting

%matplotlib inline
pd.set_option("display.precision", 3)
pd.set_option("display.max_colwidth", 90)
pd.set_option("display.width", 120)

# %% [markdown]
# ## 1 · The claims
#
# Paraphrased from the letter of 2 April 2024 (`seed_odsherred_2024`):
#
# * **(a) the audit.** An external audit of the kommune's børnehandicap cases in February 2024
#   found an error in only one case ("fejl i en enkelt af sagerne"); the ministry's reading of the
#   map, the letter says, is at odds with it. The number of cases the auditor reviewed is not
#   stated, in the letter or in the minister's summary of it.
# * **(b) changes of practice.** Some decisions were right under the practice of the day, but
#   Ankestyrelsen later changed its practice (a new *principmeddelelse*) and sent the case back;
#   such remands still count as "errors" on the Danmarkskort.
#
# The same letter also says the department was struggling with the quality of its case handling
# and had not followed up on some hjemviste afgørelser in 2023; the kommune is not claiming that it
# makes no mistakes. The two claims as recorded in the bundle:

# %%
claims = danmark.load_claims()
claims = claims[claims["notebook"] == "03_odsherred"].set_index("claim_id")
claims[["period", "area", "source", "claim", "quote"]]

# %% [markdown]
# ## 2 · Data
#
# **What is bundled about Odsherred: nothing with counts.** Neither the letter nor any source found
# for the bundle prints Odsherred's numbers of stadfæstede, ændrede and hjemviste børnehandicap
# decisions. The notebook reads `danmark.load_data()`, so if the environment variable
# `DANMARK_DATA` points at a full Talportal or ANKEAST1 download, Odsherred's rows appear here:

# %%
cases = danmark.load_data()
odsherred = cases[(cases["kommune"] == "Odsherred") & (cases["area"] == "boernehandicap")]
published = danmark.load_published_rates()
print(f"Odsherred børnehandicap rows with counts: {len(odsherred)}")
print(f"Odsherred rows among published percentages: {(published['kommune'] == 'Odsherred').sum()}")

# %% [markdown]
# **National børnehandicap figures** (Social- og Boligministeriet's Danmarkskort page, which prints
# the three-way split for 2019 and 2020). These are shares in percent, not counts:

# %%
national = danmark.load_national(preferred_only=True)
bh = (
    national[(national["area"] == "boernehandicap") & national["period"].isin(["2019", "2020"])]
    .set_index("period")[["pct_stadfaestet", "pct_aendret", "pct_hjemvist", "omg_pct", "source"]]
)
bh

# %% [markdown]
# Two things stand out. About half of all appealed børnehandicap decisions were reversed; and most
# of the reversals were **hjemvisninger**, not changes: in 2019 35.0 of the 50.6 percentage points
# (69 %) were cases sent back to the kommune, only 15.6 points were decisions Ankestyrelsen changed
# or annulled itself.
#
# **One real kommune with børnehandicap counts**: Vordingborg 2019 (its own news page). It is a
# different kommune; it is used below only to show the method on real counts.

# %%
vordingborg = cases[(cases["kommune"] == "Vordingborg") & (cases["area"] == "boernehandicap")]
vordingborg[["kommune", "period", "stadfaestet", "aendret", "hjemvist", "n", "omgjort", "source"]]

# %% [markdown]
# ## 3 · Claim (a): one error in the audit
#
# ### Naive reading
#
# "The auditor found one error" sounds like an error rate close to zero, and so like a flat
# contradiction of a map on which about half of the appealed decisions are reversed.
#
# ### What one error allows
#
# One error means little until we know how many cases were reviewed. Assuming the auditor drew the
# cases at random from the kommune's børnehandicap decisions (the letter does not say how they were
# chosen), the exact one-sided 95 % upper bound on the error rate (`danmark.audit_bound`,
# Clopper–Pearson) for the sample sizes the letter might mean:

# %%
reviewed = [5, 10, 15, 20, 30, 50, 100]
one_error = danmark.audit_bound(1, reviewed, level=0.95)
one_error[["errors", "reviewed", "estimate", "upper_exact"]].round(3)

# %% [markdown]
# With 10 reviewed cases, one error is compatible with an error rate of up to 39 %; with 20 cases,
# up to 22 %. Only from 46 reviewed cases does the bound fall below 10 %. The choice of
# confidence level matters less than the unknown sample size:

# %%
levels = pd.concat(
    [danmark.audit_bound(1, [10, 20, 50], level=lv) for lv in (0.90, 0.95, 0.99)], ignore_index=True
)
levels.pivot(index="reviewed", columns="level", values="upper_exact").round(3)

# %% [markdown]
# How many cases must be reviewed before one error pins the rate below a given bound (95 %)?

# %%
grid = danmark.audit_bound(1, np.arange(2, 301))
needed = {f"below {100 * b:.0f} %": int(grid.loc[grid["upper_exact"] < b, "reviewed"].min()) for b in (0.5, 0.2, 0.1, 0.05)}
pd.Series(needed, name="reviewed cases needed (1 error, 95 %)").to_frame()

# %%
bounds = danmark.audit_bound(np.repeat([0, 1], 99), np.tile(np.arange(2, 101), 2))
bounds["errors found"] = bounds["errors"].map({0: "0 errors", 1: "1 error"})
with plotting.style():
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    plotting.sensitivity_curve(bounds, "reviewed", "upper_exact", group="errors found", percent=True,
                               marker=None, ax=ax, xlabel="gennemgåede sager (n)",
                               ylabel="øvre 95 %-grænse for fejlandel (%)")
    ax.plot(one_error["reviewed"], 100 * one_error["upper_exact"], "o", color=plotting.PALETTE["vermillion"],
            ms=4, label="_nolegend_")
    ax.set_title("How high can the error rate be? 1 error in n reviewed cases (exact, one-sided 95 %)")
    ax.set_ylim(0, 100)
    _ = plotting.save_figure(fig, "03_audit_bound", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# ### An audit error is not a Danmarkskort reversal
#
# Even with a known sample size the two numbers measure different things, so a low audit error
# rate and a high omgørelsesprocent can both be true:
#
# * **Different cases.** The auditor reviewed (presumably) a sample of the kommune's cases; the map
#   counts only decisions that citizens *appealed* and Ankestyrelsen decided on the merits
#   (realitetsbehandlede sager). Appealed decisions are a selected group: those the family
#   disagreed with, often the difficult ones.
# * **Different definitions.** An auditor's "error" is a breach of the rules the audit checks. A
#   reversal on the map is any ændring/ophævelse or hjemvisning. A hjemvisning can follow a missing
#   piece of documentation (arguably an error of case handling), new information that arrived after
#   the kommune decided (not the kommune's error), or a change of practice (claim b). An ændring
#   can be a different assessment of the same facts.
# * **Different times.** The audit was made in February 2024, after a new department head (May
#   2023) and team leader (September 2023); the map the ministry used reflects decisions made
#   earlier. The letter does not say which map year the ministry pointed to.
#
# So claim (a) does not contradict the map; it answers a different question, and with an unstated
# sample size it answers it only loosely.

# %% [markdown]
# ## 4 · Claim (b): remands after a change of practice count as errors
#
# The mechanical part of the claim is right: the omgørelsesprocent counts every hjemvisning in the
# numerator, whatever the reason. The question is how much it matters. We cannot answer that for
# Odsherred (no counts, and no record of why its cases were sent back), so we show how the rate
# responds if a share of the hjemvisninger were re-classified, on the national børnehandicap split.
#
# Two ways to re-classify, both stated as assumptions:
#
# * **counted as stadfæstet**: the remanded decision was right, so it stays among the decided cases
#   but no longer counts as reversed: rate = (ændret + (1 − s)·hjemvist) / n;
# * **left out**: the case is treated like an afvist case and leaves the count altogether:
#   rate = (ændret + (1 − s)·hjemvist) / (n − s·hjemvist).
#
# Here s is the re-classified share of hjemvisninger (0 to 100 %); `danmark.reclassify_hjemvist`
# does the arithmetic for both treatments:

# %%
s = np.linspace(0, 1, 21)
parts = bh[["pct_stadfaestet", "pct_aendret", "pct_hjemvist"]] / 100
labels = {"stadfaestet": "counted as stadfæstet", "exclude": "left out of n"}
reclass = pd.concat(
    [danmark.reclassify_hjemvist(parts["pct_stadfaestet"], parts["pct_aendret"], parts["pct_hjemvist"], s,
                                 treatment=t).assign(treatment=labels[t])
     for t in labels],
    ignore_index=True,
).rename(columns={"unit": "period", "rate": "omg"})
reclass["line"] = reclass["period"] + ", " + reclass["treatment"]
reclass[reclass["share"].isin([0.0, 0.1, 0.25, 0.5, 1.0])].pivot(
    index="share", columns="line", values="omg").round(3)

# %% [markdown]
# Each 10 % of hjemvisninger re-classified lowers the national rate by about 3.5 percentage points
# (counted as stadfæstet). If *every* hjemvisning were re-classified, the rate would fall from 50.6 %
# to 15.6 % (or to 24 % if they left the count). Because hjemvisninger are the bulk of reversals on
# this map, the rate is very sensitive to how they are read.
#
# **A hypothetical kommune.** To see the same on the scale of one kommune, take a **hypothetical**
# table of n = 20 decisions with the national 2019 shares. n = 20 is a round number for a small
# kommune, stated as an assumption; it is *not* Odsherred's count, which is not bundled (nor is a
# national børnehandicap total to scale from).

# %%
n_hyp = 20
hyp = (parts.loc["2019"] * n_hyp).round().astype(int)
hyp.index = ["stadfaestet", "aendret", "hjemvist"]
assert hyp.sum() == n_hyp
hypothetical = hyp.to_frame("hypothetical count (n = 20, national 2019 shares)").T
hypothetical

# %% [markdown]
# Re-classifying j of its 7 hjemvisninger (counted as stadfæstet, so n stays 20), with exact 95 %
# intervals (`danmark.binomial_ci`):

# %%
j = np.arange(0, int(hyp["hjemvist"]) + 1)
k_left = int(hyp["aendret"] + hyp["hjemvist"]) - j
hyp_ci = danmark.binomial_ci(k_left, n_hyp, method="exact")
hyp_ci.insert(0, "reclassified", j)
hyp_ci["share"] = j / int(hyp["hjemvist"])
hyp_ci.round(3)

# %%
with plotting.style():
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    plotting.sensitivity_curve(reclass, "share", "omg", group="line", percent=True, marker=None, ax=axes[0],
                               xlabel="andel af hjemvisninger omklassificeret", ylabel="omgørelsesprocent (%)",
                               reference=0.5, reference_label="50 %")
    axes[0].set_title("Landsplan børnehandicap (published shares)")
    plotting.sensitivity_curve(hyp_ci, "share", "estimate", percent=True, ax=axes[1],
                               xlabel="andel af hjemvisninger omklassificeret", ylabel="omgørelsesprocent (%)",
                               reference=0.5, reference_label="50 %")
    axes[1].set_title("HYPOTHETICAL kommune: n = 20 at national shares (exact 95 %)")
    for ax in axes:
        ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, pos: f"{100 * v:.0f} %"))
        ax.set_ylim(0, 100)
    fig.tight_layout()
    _ = plotting.save_figure(fig, "03_reclassified_remands", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# In the hypothetical kommune, re-classifying 2 of 7 hjemvisninger moves the rate from 50 % to 40 %;
# but the exact interval at n = 20 reaches about 23 percentage points either side, so the
# re-classification changes the point on the map more than it changes what the data can show.
#
# What share of hjemvisninger follow a new principmeddelelse? The bundle has no figure. New
# principmeddelelser that change practice are occasional events, so re-classifying *all* remands is
# an extreme bound, not a plausible scenario; a remand for lack of documentation is not covered by
# Odsherred's argument at all. Ankestyrelsen's *udvidet ankestatistik* records the reasons for
# omgørelse (source `ast.dk:ankestyrelsens-statistik-om-arsager-til-omgorels`) and would give the
# share.

# %% [markdown]
# ## 5 · Hjemvist versus ændret, with intervals
#
# How sure can one be that a kommune's reversals are mostly hjemvisninger? `danmark.outcome_split`
# gives the Dirichlet posterior of the three shares (uniform prior), with 95 % intervals and the
# probability that the hjemvist share exceeds the ændret share. Two units: the real Vordingborg 2019
# counts (a different kommune, to show the method on real counts) and the hypothetical n = 20 table
# above.

# %%
units = pd.DataFrame(
    {
        "unit": ["Vordingborg 2019 (real)", "HYPOTHETICAL kommune"],
        "stadfaestet": [int(vordingborg["stadfaestet"].iloc[0]), int(hyp["stadfaestet"])],
        "aendret": [int(vordingborg["aendret"].iloc[0]), int(hyp["aendret"])],
        "hjemvist": [int(vordingborg["hjemvist"].iloc[0]), int(hyp["hjemvist"])],
    }
)
split = danmark.outcome_split(units)
split[["unit", "outcome", "count", "n", "share", "estimate", "lower", "upper", "p_hjemvist_gt_aendret"]].round(3)

# %% [markdown]
# Vordingborg's 9 decisions: 5 hjemvist, none ændret. The probability that its hjemvist share is the
# larger is 0.98, but the interval for the hjemvist share runs from 23 % to 77 %.
#
# The figure draws the **observed** shares (count / n). The solid whisker is the 95 % interval of
# the ændret/ophævet share, drawn from 0 where its segment starts; the dashed whisker is the
# interval of the omgjort share (ændret + hjemvist), ending where the hjemvist segment ends. The
# hjemvist share on its own has no whisker: in a stacked bar it has no fixed starting point.
# Vordingborg's ændret segment is empty (none of its 9 decisions was changed), yet its interval
# reaches 28 %: nine decisions cannot rule out that a quarter of appeals end in a change. For the
# national split the counts are in the thousands (not bundled), so its published shares are
# effectively exact and drawn without whiskers.

# %%
national_long = pd.DataFrame(
    {
        "unit": "Landsplan 2019 (published %)",
        "outcome": ["stadfaestet", "aendret", "hjemvist"],
        "estimate": parts.loc["2019", ["pct_stadfaestet", "pct_aendret", "pct_hjemvist"]].to_numpy(dtype=float),
    }
)
# The national row has published shares but no counts, so the bar lengths are passed as shares:
# the observed share (count / n) for the two small units, with n in their labels.
observed = split.assign(estimate=split["share"], unit=split["unit"] + ", n = " + split["n"].astype(str))
bars = pd.concat([observed[["unit", "outcome", "estimate", "lower", "upper"]], national_long], ignore_index=True)
with plotting.style():
    fig, ax = plt.subplots(figsize=(6.5, 3.0))
    plotting.outcome_bars(bars, ax=ax, label="unit")
    ax.set_ylabel("")
    ax.set_title("Observed shares; 95 % intervals for ændret and for omgjort in total", pad=34)
    _ = plotting.save_figure(fig, "03_outcome_split", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# If the environment variable `DANMARK_DATA` points at a full download, the same split is shown here
# for Odsherred itself:

# %%
if odsherred.empty:
    print("No Odsherred børnehandicap counts in the data used; set DANMARK_DATA to a Talportal download.")
else:
    display(danmark.outcome_split(odsherred)[["period", "outcome", "count", "n", "estimate", "lower", "upper"]].round(3))

# %% [markdown]
# Shrinkage towards the national rate, the other tool of these notebooks, needs a kommune's own
# counts; without them there is nothing to shrink.

# %% [markdown]
# ## 6 · Verdict
#
# **Partly holds; the part that matters cannot be checked without counts.**
#
# * **(a) One error in the audit.** True as reported, but it says little: the sample size is not
#   stated, and one error in 10 reviewed cases is compatible with an error rate up to 39 % (in 20
#   cases, 22 %). It also measures something else than the map (a sample of all cases against an
#   auditor's rules, versus appealed cases reversed for any reason, at a different time). It does
#   not contradict the Danmarkskort.
# * **(b) Remands after a change of practice count as errors.** The mechanism holds: every
#   hjemvisning counts as a reversal whatever the reason, and since hjemvisninger are about 70 % of
#   reversals on the børnehandicap map, re-classifying even a modest share moves the rate
#   a lot (about 3.5 points per 10 % nationally). How many of Odsherred's remands were caused by new
#   principmeddelelser is not known, so whether it moves Odsherred's rate by 1 point or 10 cannot be
#   checked.
#
# ## 7 · What data would settle it
#
# * Odsherred's børnehandicap counts by afgørelsestype (stadfæstet, ændret/ophævet, hjemvist,
#   afvist) for the map year(s) the ministry used: Ankestyrelsen's Talportal or Statistikbanken
#   ANKEAST1. Set `DANMARK_DATA` and rerun this notebook.
# * The audit's design: how many cases were reviewed, how they were chosen, and what counted as an
#   error.
# * Ankestyrelsen's reasons for each hjemvisning (the *udvidet ankestatistik*), so that remands
#   following a new principmeddelelse can be counted rather than assumed.

# %% [markdown]
# ## Sources

# %%
keys = list(dict.fromkeys(
    list(claims["source"]) + ["seed_minister_2024"] + list(bh["source"]) + list(vordingborg["source"])
    + ["ast.dk:ankestyrelsens-statistik-om-arsager-til-omgorels"]
))
src = danmark.describe_sources(keys).set_index("key")
for key, row in src.iterrows():
    print(f"{key}: {row['publisher']}, {row['title']}. {row['url_or_document']}")

# %% [markdown]
# ## Versions

# %%
# NBVAL_IGNORE_OUTPUT
danmark.versions()
