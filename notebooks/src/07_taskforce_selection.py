# %% [markdown]
# # 07 · The taskforce: are "the kommuner with the greatest need" picked by need or by noise?
#
# Taskforce handicap (Ankestyrelsen with Social- og Boligstyrelsen) runs eight two-year analysis
# and development courses a year. Four are open to applicants; **four are reserved for the
# kommuner with the greatest need, selected on the basis of Ankestyrelsen's Danmarkskort over
# omgørelsesprocenter** (the minister to Folketingets Socialudvalg, 29 May 2024, source
# `seed_minister_2024`). Solrød, offered a reserved course on voksenhandicap, answered that its
# 71 % rests on 14 cases over three and a half years (source `seed_solrod_2024`, notebook 02).
#
# This notebook asks what a rule "the highest omgørelsesprocenter get the courses" does when case
# counts are as small as they are, and whether another rule would do better. **Everything below
# is a simulation** built on real population figures and published national totals; no municipal
# outcome is invented, and every table and figure says "SIMULATION".

# %%
import matplotlib.pyplot as plt
import pandas as pd

import danmark
from danmark import plotting
from danmark.scenarios import SOCIALOMRAADET_2022_N
from danmark.selection import prob_at_least, simulate_prior_fits

%matplotlib inline
pd.set_option("display.precision", 3)
pd.set_option("display.width", 120)
pd.set_option("display.max_colwidth", 80)

# %% [markdown]
# ## 1 · The claim

# %%
claims = danmark.load_claims()
claims[claims["claim_id"] == "minister_selection"][["claim_id", "period", "area", "source", "claim", "quote"]]

# %% [markdown]
# The minister's letter does not say how "greatest need" is read off the map. The simplest
# reading, and the one tested here, is **the highest raw omgørelsesprocent**. Solrød's letter says
# its selection rested on appeals on selected voksenhandicap paragraphs from 2020 to the first half
# of 2023.
#
# ## 2 · Two simulated maps (assumptions)
#
# No complete table of municipal case counts is bundled, so each kommune's number of
# realitetsbehandlede sager is **assumed proportional to its population** (FOLK1A 2020, source
# `folk1a_2020`), scaled to a national total (`danmark.population_case_counts`). Two scenarios:
#
# * **A · socialområde map, one year.** Total 8,631 realitetsbehandlede sager (2022, NB-Kommune
#   citing the ministry); every kommune's true rate = the national 2022 rate, 37.5 %.
# * **B · handicap map, the taskforce window (2020 to H1 2023, 3.5 years).** The national number of
#   cases on the "selected paragraphs" is not published. **Assumption: the total is calibrated so
#   that Solrød's expected count over the 3.5 years is 14, as its letter reports** (about 1,000
#   cases a year nationally). This calibration is ours, not a published figure: it makes scenario
#   B match the one kommune whose count is known, and assumes the others have the same cases per
#   inhabitant. Every kommune gets at least 1 case (on a real map a kommune with none has no rate).
#   True rate = the mean national voksenhandicap rate 2020–2022 (42.4 %, 34.3 %, 38.9 %), 38.5 %.
#
# If cases are in fact less concentrated in large kommuner than population suggests, the small
# kommuner have more cases and everything below is milder; if more, it is stronger.

# %%
share = danmark.municipalities().set_index("kommune")["population"]
share = share / share.sum()
years_b = 3.5
total_b = round(14 / (years_b * share["Solrød"]))
scen = {
    "A · socialområdet, 1 year": (danmark.population_case_counts(SOCIALOMRAADET_2022_N).set_index("kommune"),
                                   float(danmark.national_rate("socialomraadet", "2022")["omg_pct"].iloc[0]) / 100),
    "B · handicap, 3.5 years": (danmark.population_case_counts(total_b, years=years_b, minimum=1).set_index("kommune"),
                                 float(danmark.national_rate("voksenhandicap", "2020-2022")["omg_pct"].mean()) / 100),
}
print(f"scenario B: {total_b:,} cases a year nationally (calibrated: Solrød's share x {total_b:,} x 3.5 = 14)")
pd.DataFrame({
    name: {"true rate (all kommuner)": p, "total cases": int(c["n"].sum()), "median n": c["n"].median(),
           "smallest n": int(c["n"].min()), "largest n": int(c["n"].max()), "kommuner with n < 20": int((c["n"] < 20).sum()),
           "Solrød n": int(c.loc["Solrød", "n"]), "Odsherred n": int(c.loc["Odsherred", "n"])}
    for name, (c, p) in scen.items()
}).round(3)

# %% [markdown]
# ## 3 · Who is picked when every kommune is the same?
#
# `danmark.simulate_selection` draws each kommune's reversals from its n and the common true rate,
# picks the four highest raw rates, and repeats that 50,000 times (seed 2024). If the rule picked
# by need, and all kommuner had the same need, each would be picked with the same chance, 4/98 =
# 4.1 %.

# %%
REPS = 50_000
sel = {name: danmark.simulate_selection(c["n"], p, top=4, reps=REPS, seed=2024, progress=False,
                                        threshold=10 / 14)
       for name, (c, p) in scen.items()}
smallest10 = {name: c["n"].nsmallest(10).index for name, (c, p) in scen.items()}
pd.DataFrame({
    name: {
        "picks going to the 10 smallest kommuner": r.units.loc[smallest10[name], "p_selected"].sum() / 4,
        "picks going to kommuner below the median n": r.summary["share_selected_below_median_n"],
        "mean n of all kommuner": r.summary["mean_n_all"],
        "mean n of the picked": r.summary["mean_n_selected"],
        "P(Solrød picked)": r.units.loc["Solrød", "p_selected"],
        "P(København picked)": r.units.loc["København", "p_selected"],
        "P(some kommune shows >= 71.4 %)": r.summary["p_any_rate_at_least"],
    } for name, r in sel.items()
}).round(3)

# %%
with plotting.style():
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.9))
    for ax, (name, r) in zip(axes, sel.items(), strict=True):
        plotting.selection_bars(r.units, ax=ax, logx=True, reference=4 / 98)
        ax.set_ylim(0, 42)
        ax.set_title(f"SIMULATION {name}: all kommuner equal")
    fig.tight_layout()
    _ = plotting.save_figure(fig, "07_selection_by_size", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# With every kommune equally good, the raw-rate rule still picks the smallest kommuner over and
# over: the ten smallest take about 40 % of all picks (a fair share would be 10 %), the kommuner
# below the median size more than 80 %, and København is never picked. In scenario B the kommune
# with a single case (Læsø) is picked whenever that case is reversed. Solrød, with 14 cases, is
# picked in about 8 % of simulated periods, twice the fair 4.1 %. And a rate of 71.4 % or more
# (counting each kommune at its own n, so 1 of 1 counts) appears somewhere on the B map in about
# 70 % of periods, by chance alone. For Solrød itself, with 14 cases at the national 38.5 %, the
# exact chance of 10 or more reversals is:

# %%
p_b = scen["B · handicap, 3.5 years"][1]
print(f"P(X >= 10 | n = 14, p = {p_b:.3f}) = {prob_at_least(10, 14, p_b):.4f}")
print(f"expected number of the 98 kommuner at 10/14-equivalent or worse: "
      f"{sel['B · handicap, 3.5 years'].units['p_rate_at_least'].sum():.2f}")

# %% [markdown]
# Small for one kommune named in advance (about 1 in 75), but with 98 kommuner looking, about one
# kommune a period reaches such a rate. So Solrød's 71 % alone does not prove a problem, nor does it
# rule one out: 10 of 14 is also what a kommune with a true rate of 60–70 % would typically show.
# The selection rule cannot tell these apart; section 5 asks which rule can.
#
# ## 4 · Regression to the mean
#
# The picked kommuner's rates in the *next* period (same n, same true rate) fall back to the
# national level: their high rates were mostly luck, and would look like an effect of the course if
# the course were evaluated on the next map.

# %%
pd.DataFrame({
    name: r.summary[["mean_p_selected", "mean_rate_selected", "mean_next_rate_selected"]]
    .rename({"mean_p_selected": "true rate of the picked", "mean_rate_selected": "raw rate when picked",
             "mean_next_rate_selected": "raw rate, next period"})
    for name, r in sel.items()
}).round(3)

# %% [markdown]
# ## 5 · Would another rule be fairer?
#
# Four rules for picking four kommuner, each computed from the same simulated map:
#
# 1. **raw rate**: the four highest k/n (the rule above);
# 2. **shrunk rate**: the four highest empirical-Bayes estimates (`danmark.shrink`), which pull
#    small kommuner's rates towards the national rate by S / (S + n);
# 3. **P(above national)**: the four highest posterior probabilities that the true rate exceeds
#    the national rate (`danmark.prob_above`), i.e. the most *certainly* above average;
# 4. **minimum cases**: the four highest raw rates among kommuner with at least 20 cases (a round
#    number; the 2022 lists left out three island kommuner "because of few cases").
#
# They are compared in two worlds: **all kommuner equal** (as above), where a fair rule gives every
# kommune the same chance, and **true rates differ**: each kommune's true rate drawn afresh in each
# repetition from a Beta distribution with mean = the national rate and strength 30 (a standard
# deviation of about 8.7 percentage points between kommuner; an assumption, labelled as such),
# where a good rule picks the kommuner whose true rate is highest.
#
# `danmark.compare_rules` draws the maps (all four rules see the same maps), scores each distinct
# (k, n) pair once with `danmark.shrink` / `danmark.prob_above`, picks the four highest scores
# (ties broken at random) and draws an independent next period with the same true rates. The prior
# of rules 2 and 3 is **fixed** at Beta(mean = national rate, strength 30), the function's default,
# rather than fitted to each simulated map; the check after the results shows what fitting it
# (true empirical Bayes) gives. 10,000 repetitions per world and scenario, seed 7.

# %%
RULES = {"raw rate": "raw", "shrunk rate": "shrunk", "P(above national)": "prob_above",
         "raw rate, n >= 20": "min_n"}
worlds = {"all equal": None, "true rates differ (S = 30)": 30, "differ, wider (S = 10)": 10,
          "differ, narrower (S = 100)": 100}
runs = {(scen_name, world): danmark.compare_rules(counts["n"], p_nat, rules=RULES, top=4, reps=10_000, seed=7,
                                                  strength=strength, min_n=20, small=10, progress=False)
        for scen_name, (counts, p_nat) in scen.items() for world, strength in worlds.items()}
results = pd.concat({key: r.summary for key, r in runs.items()}, names=["scenario", "world"]).rename(columns={
    "share_smallest": "picks to the 10 smallest", "mean_n_selected": "mean n picked",
    "mean_rate_selected": "raw rate when picked", "mean_next_rate_selected": "next period",
    "mean_p_selected": "true rate picked", "share_true_top": "picked among true worst 4",
    "share_true_wide": "picked among true worst 10"})
results.xs("all equal", level="world")[
    ["picks to the 10 smallest", "mean n picked", "raw rate when picked", "next period"]].round(3)

# %% [markdown]
# **All kommuner equal (SIMULATION).** A fair rule would send 10/98 ≈ 10 % of picks to the ten
# smallest kommuner. The raw-rate rule sends about four times that. The shrunk rate spreads the
# picks fairly evenly over the mid-sized kommuner (the tiniest and the largest are picked less);
# P(above national) turns the bias around and favours the *largest* kommuner, where a small excess
# is already "certain"; a minimum number of cases moves the problem to the smallest kommuner
# *above* the minimum (n just over 20 in both scenarios). Whatever the rule, the picked kommuner's
# rates return to the national rate in the next period: here every pick is noise. The chance of
# being picked against n, rule by rule:

# %%
with plotting.style():
    fig, axes = plt.subplots(2, 4, figsize=(15, 6.4), sharey="row")
    for row, scen_name in enumerate(scen):
        for col, rule in enumerate(RULES):
            plotting.selection_bars(runs[(scen_name, "all equal")].units(rule), ax=axes[row, col], logx=True,
                                    reference=4 / 98)
            axes[row, col].set_title(f"SIMULATION {scen_name[0]} · {rule}", fontsize=9)
            if col:
                axes[row, col].set_ylabel("")
                axes[row, col].get_legend().remove()
    fig.tight_layout()
    _ = plotting.save_figure(fig, "07_rules_all_equal", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# **True rates differ (SIMULATION, strength 30).** Now there *is* a truly worst group. How well does
# each rule find it? "Picked among true worst 4" is the share of the four picks that are among the
# four kommuner with the highest true rate in that repetition (by chance: 4/98 = 4 %); "true rate
# picked" is the mean true rate of the picked kommuner against the national rate.

# %%
results.xs("true rates differ (S = 30)", level="world")[
    ["picked among true worst 4", "picked among true worst 10", "true rate picked", "raw rate when picked",
     "next period", "mean n picked", "picks to the 10 smallest"]].round(3)

# %% [markdown]
# ### Sensitivity: how much do kommuner really differ?
#
# The rules' prior stays at strength 30; the truth is made wider (strength 10, a between-kommune
# standard deviation of about 15 points) or narrower (strength 100, about 5 points):

# %%
sens = results["picked among true worst 4"].unstack("rule").drop(index="all equal", level="world")
sens.round(3)

# %% [markdown]
# ### Check: the prior fitted to each map (empirical Bayes proper)
#
# Rules 2 and 3 used a fixed prior strength of 30. An analyst would instead fit it to the map at
# hand (`danmark.fit_prior`, maximum likelihood). `simulate_prior_fits` draws maps the same way
# and fits the prior to each: on 8 simulated maps per world in each scenario (seed 11), the fitted
# strength:

# %%
fits = pd.concat({(scen_name, world): simulate_prior_fits(counts["n"], p_nat, strength=strength, maps=8, seed=11)
                  for scen_name, (counts, p_nat) in scen.items()
                  for world, strength in [("all equal", None), ("true rates differ (S = 30)", 30)]},
                 names=["scenario", "world"])
by = fits.groupby(level=["scenario", "world"])
pd.DataFrame({"maps": by.size(), "complete pooling": by["pooled"].mean(),
              "median strength": by["strength"].median(),
              "median strength, not pooled": fits[~fits["pooled"]].groupby(level=["scenario", "world"])["strength"].median(),
              }).round(1)

# %% [markdown]
# (Where the likelihood keeps rising as the strength grows, `fit_prior` returns complete pooling
# and warns; `simulate_prior_fits` catches those warnings and counts them in `complete pooling`.)
#
# When kommuner truly differ with strength 30, the fitted strength is close to 30 (medians 33 and
# 26), so empirical Bayes behaves like the fixed-prior rule above. When all kommuner are equal, the fit
# finds it: complete pooling in most maps and a strength of about a thousand in the rest, so
# every shrunk rate sits at (or within a point or two of) the national rate, and no kommune stands
# out. That is the honest answer. A rule that still ranks those nearly equal estimates would
# be ranking by excess *count* (reversals above the national expectation), which favours large
# kommuner; better to say "no kommune is selected on this evidence".
#
# ## 6 · Verdict
#
# **Does not hold, if "greatest need" is read as the highest raw omgørelsesprocent.** With
# realistic case counts the top of the map marks the smallest kommuner about as much as the
# neediest. A shrunk rate picks better, but no rule reads need reliably off a single map.
#
# * If all kommuner were equally good, the raw-rate rule would still pick four every year, mostly
#   small ones (about 40 % of picks go to the ten smallest kommuner, four times their share), and
#   their high rates would vanish in the next period. A 71 % on 14 cases is a rate that some
#   kommune on the handicap map reaches by chance in most periods.
# * If kommuner truly differ (strength 30), the raw-rate rule finds the truly worst four less often
#   than shrinkage: 41 % against 49 % of picks on the socialområde-sized map, 28 % against 36 % on
#   the handicap map, because it confuses small with bad.
# * **The shrunk rate (empirical Bayes) is the better rule** in these simulations: it is the best,
#   or within 3 percentage points of the best, in every world tried (truth wider or narrower than
#   its prior), and it does not favour small kommuner. "P(above national)" picks the kommuner most
#   *certainly* above average, which favours large kommuner with modest excesses; it answers "where
#   is a problem sure?", not "where is it worst?". A minimum number of cases does about as well as
#   shrinkage when kommuner differ a lot, but shifts the bias to the kommuner just above the
#   minimum, and can never pick a small kommune that truly is worst.
# * Even the best rule finds only about half (socialområde) or a third (handicap) of the truly
#   worst four: with these case counts no rule reads "greatest need" reliably off one map. When the
#   fitted prior says the kommuner do not differ beyond chance, the honest selection is none.
# * Whatever the rule, the map should show each kommune's n and an interval, and selection should
#   pool several years (as the taskforce did with 3.5 years) and look at the split of hjemvist and
#   ændret (notebook 03). If the four courses are shared between the børnehandicap and the
#   voksenhandicap map, each map effectively picks its top two, which makes the pull of the
#   smallest kommuner stronger still.
#
# **What data would settle it.** The real counts per kommune for the selected paragraphs and years
# (Ankestyrelsen's Talportal) and the rule the taskforce actually used. With them,
# `simulate_selection` and `compare_rules` can be run on the real n instead of the
# population-based assumption, and the real spread of rates (the fitted prior) replaces the
# assumed strength 30.

# %% [markdown]
# ## Sources

# %%
keys = ["seed_minister_2024", "seed_solrod_2024", "folk1a_2020",
        "nb-kommune.dk:nye-danmarkskort-halvdelen-af-sagerne-paa-boerne",
        "sm.dk:omgoerelsesprocenter-paa-socialomraadet-i-2022"]
keys += list(danmark.national_rate("voksenhandicap", "2020-2022")["source"])
src = danmark.load_sources().set_index("key").loc[list(dict.fromkeys(keys))]
for key, row in src.iterrows():
    print(f"{key}: {row['publisher']}, {row['title']}. {row['url_or_document']}")

# %% [markdown]
# ## Versions

# %%
# NBVAL_IGNORE_OUTPUT
danmark.versions()
