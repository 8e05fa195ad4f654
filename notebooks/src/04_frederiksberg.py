# %% [markdown]
# # 04 · Frederiksberg: "below the national average" and "no significant or systematic errors in 15 reviewed case types"
#
# On 21 September 2020 Frederiksberg's Socialudvalg took note of a follow-up on the quality of case
# handling in the social department (source `seed_frederiksberg_2020`). Two of its statements are
# statistical, and both are the kind of statement kommuner often make about the Danmarkskort. This
# notebook tests them.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import danmark
from danmark import plotting
from danmark.simulate.scenarios import SOCIALOMRAADET_2022_N  # 8,631 realitetsbehandlede sager, 2022

%matplotlib inline
pd.set_option("display.precision", 3)
pd.set_option("display.max_colwidth", 90)
pd.set_option("display.width", 120)

# %% [markdown]
# ## 1 · The claims
#
# Paraphrased from the minutes (`seed_frederiksberg_2020`):
#
# * **(a) the audit.** The external auditor reviewed 15 randomly chosen case types ("15 tilfældigt
#   udvalgte sagstyper") and found no significant or systematic errors; the area is administered in
#   line with the rules. A separate internal review found "few real errors", mostly data-entry
#   errors and wrong use of the case system.
# * **(b) below average.** The Danmarkskort 2020 and the kommune's own report on 2019 complaints both
#   show the social department with a lower omgørelsesprocent than the national average: more
#   decisions upheld, fewer changed or remanded.

# %%
claims = danmark.load_claims()
claims = claims[claims["notebook"] == "04_frederiksberg"].set_index("claim_id")
claims[["period", "area", "source", "claim", "quote"]]

# %% [markdown]
# ## 2 · Data
#
# **Frederiksberg's own counts are not bundled.** The minutes give no numbers, and no source found
# for the bundle prints Frederiksberg's stadfæstede, ændrede and hjemviste decisions. The notebook
# reads `danmark.load_data()`; with `DANMARK_DATA` pointing at a full download, the rows appear here:

# %%
cases = danmark.load_data()
frb = cases[(cases["kommune"] == "Frederiksberg") & (cases["area"] == "socialomraadet")]
published = danmark.load_published_rates()
print(f"Frederiksberg socialområdet rows with counts: {len(frb)}")
print(f"Frederiksberg rows among published percentages: {(published['kommune'] == 'Frederiksberg').sum()}")

# %% [markdown]
# **Which map year?** The minutes refer to the "Danmarkskort 2020", discussed by the committee on
# 17 August 2020. A map that was already out in August 2020 must be the one published in 2020, which
# shows decisions from **2019** (the map for year X is published in X + 1). We assume data year 2019.
#
# **The national average** on the socialområde map, as bundled:

# %%
national = danmark.load_national(preferred_only=True)
social = national[national["area"] == "socialomraadet"].set_index("period")
social[["omg_pct", "pct_aendret", "pct_hjemvist", "source_type"]]

# %% [markdown]
# For 2019 the bundle has only **41 %**, as printed (rounded) by a news site; the ministry's own
# figure for 2019 is not bundled. We use p₀ = 0.41 and vary it below.
#
# **An order of magnitude for n.** Frederiksberg had 104,305 inhabitants on 1 January 2020. The
# only national count of realitetsbehandlede sager on the socialområde map in the bundle is 8,631
# (2022). Distributing it in proportion to population is an **assumption**, not data
# (`danmark.population_case_counts`; every row is marked `simulated`):

# %%
assumed = danmark.population_case_counts(SOCIALOMRAADET_2022_N).set_index("kommune")
assumed.loc[["Frederiksberg"], ["population", "share", "n", "simulated"]]

# %%
n_assumed = int(assumed.loc["Frederiksberg", "n"])
print(f"Assumed order of magnitude: about {n_assumed} decided appeals a year (cases ∝ population, 2022 total).")

# %% [markdown]
# The assumption is rough in three ways: the total is for 2022, not 2019; appeals need not follow
# population (Frederiksberg's age structure differs from the country's); and the minutes speak of
# the social department, which may not cover every provision on the map. Below we let n range from
# half to twice the assumed value.

# %% [markdown]
# ## 3 · Claim (a): no significant errors in 15 reviewed
#
# ### Naive reading
#
# "No significant or systematic errors found in 15 case types" is easily read as "the kommune makes
# (almost) no errors". But a clean sample of 15 only bounds the rate of significant errors, and says
# nothing about minor ones.
#
# ### What 0 of 15 allows
#
# If the 15 were drawn at random (the minutes say they were) and none had a significant error, the
# exact one-sided 95 % upper bound on the rate of significant errors is 1 − 0.05^(1/15); the rule of
# three gives 3/15 (`danmark.audit_bound`):

# %%
audit = danmark.audit_bound(0, 15, level=0.95)
audit.round(4)

# %% [markdown]
# Up to **18.1 %** of cases could have a significant error and a random sample of 15 would still
# show none at least 5 % of the time (the rule of three says 20 %, slightly conservative). At other
# confidence levels:

# %%
pd.concat([danmark.audit_bound(0, 15, level=lv) for lv in (0.80, 0.90, 0.95, 0.99)], ignore_index=True)[
    ["level", "errors", "reviewed", "upper_exact", "rule_of_three"]
].round(3)

# %% [markdown]
# How many clean cases would be needed to bring the bound down (exact, 95 %)?

# %%
grid = danmark.audit_bound(0, np.arange(1, 601))
needed = {f"below {100 * b:.0f} %": int(grid.loc[grid["upper_exact"] < b, "reviewed"].min()) for b in (0.2, 0.1, 0.05, 0.01)}
pd.Series(needed, name="clean cases needed (0 errors, 95 %)").to_frame()

# %%
curve = danmark.audit_bound(0, np.arange(5, 101))
long = curve.melt(id_vars="reviewed", value_vars=["upper_exact", "rule_of_three"], var_name="method", value_name="bound")
long["method"] = long["method"].map({"upper_exact": "exact (Clopper–Pearson)", "rule_of_three": "rule of three (3/n)"})
with plotting.style():
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    plotting.sensitivity_curve(long, "reviewed", "bound", group="method", percent=True, marker=None, ax=ax,
                               xlabel="gennemgåede sager uden fejl (n)", ylabel="øvre 95 %-grænse for fejlandel (%)")
    ax.axvline(15, color=plotting.PALETTE["grey"], lw=0.8, ls=":")
    ax.plot([15, 15], [100 * audit["upper_exact"].iloc[0], 100 * audit["rule_of_three"].iloc[0]], "o",
            color="black", ms=4)
    ax.annotate(f"n = 15: {100 * audit['upper_exact'].iloc[0]:.1f} % (exact), {100 * audit['rule_of_three'].iloc[0]:.0f} % (3/n)",
                (15, 100 * audit["rule_of_three"].iloc[0]), xytext=(8, 8), textcoords="offset points", fontsize=8)
    ax.set_ylim(0, 50)
    ax.set_title("Upper bound on the error rate after 0 errors in n reviewed cases (one-sided 95 %)")
    _ = plotting.save_figure(fig, "04_audit_bound", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# ### Three caveats the bound does not remove
#
# * **Case types are not cases.** The committee's decision speaks of 15 randomly chosen *case
#   types*; the table in the same minutes lists "15 sager" for the auditor from the residential
#   provisions (Serviceloven §§ 107–110, citizens in botilbud). If the unit was a case type, the
#   binomial bound is about case types, not cases; if it was 15 cases from botilbud, the bound
#   covers those provisions, not the whole socialområde.
# * **"Significant or systematic" is a higher bar than "an error".** The bound is on the rate of
#   errors the auditor judged significant. Minor errors are not bounded at all, and the minutes
#   themselves report some (mostly data entry).
# * **An audit is not an appeal.** A social audit checks that the administration follows the rules
#   (including reimbursement rules); the Danmarkskort counts how often Ankestyrelsen changes or
#   remands an appealed decision. A clean audit says little about the omgørelsesprocent.

# %% [markdown]
# ## 4 · Claim (b): below the national average
#
# ### Naive reading
#
# Frederiksberg's rate was below 41 %, so its case handling is better than average.
#
# ### What "below average" can and cannot mean
#
# "Below average" is a statement about a **point estimate**. Even if every kommune had exactly the
# national rate, binomial noise alone would put roughly half of them below it in any year. To tell a
# kommune apart from the national rate its interval has to exclude it, i.e. its rate must fall
# outside the funnel limits around p₀ = 0.41 (`danmark.funnel_limits`, exact binomial limits).
# Frederiksberg's counts are not bundled, so we look at the limits for a range of **hypothetical** n:

# %%
p0 = 0.41
limits = danmark.funnel_limits(np.arange(10, 501), p0=p0, levels=(0.95, 0.998))
at_n = danmark.funnel_limits([25, 50, 75, n_assumed, 2 * n_assumed, 500], p0=p0, levels=(0.95, 0.998))
at_n.pivot(index="n", columns="level", values="lower").round(3).rename(
    columns=lambda lv: f"lower {100 * lv:g} % limit")

# %% [markdown]
# At the assumed n ≈ 155 a rate has to be **below about 33 %** (8 points under the national 41 %)
# before it is distinguishable from the national rate at 95 %, and below about 29 % at 99.8 %. With
# 50 cases it would have to be below 27 %. Anything between those limits and 41 % is "below
# average" on the map and indistinguishable from average in the data.

# %%
with plotting.style():
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    ax.axvspan(n_assumed / 2, 2 * n_assumed, color=plotting.PALETTE["lightgrey"], alpha=0.6, lw=0, zorder=0,
               label="antaget n (½× til 2×)")
    plotting.funnel_plot([], [], limits, p0=p0, ax=ax)
    lim95 = limits[limits["level"] == 0.95]
    ax.fill_between(lim95["n"], 100 * lim95["lower"], 100 * p0, color=plotting.PALETTE["orange"], alpha=0.35,
                    lw=0, zorder=1, label="under landsplan, men inden for 95 %")
    ax.axvline(n_assumed, color=plotting.PALETTE["grey"], lw=0.8, ls=":")
    ax.legend(loc="upper right")
    ax.set_ylim(0, 100)
    ax.set_title("Funnel limits around the national 41 % (2019); no Frederiksberg counts bundled,\n"
                 "n is a HYPOTHETICAL range (cases ∝ population assumed)")
    _ = plotting.save_figure(fig, "04_funnel_limits", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# ### How far below would the true rate have to be?
#
# The same question from the other side: if Frederiksberg's *true* rate were below 41 %, how likely
# is a year's data to show it significantly (exact one-sided test at 5 %, `danmark.power`)? For the
# assumed n and for half and twice that:

# %%
pw = danmark.power(np.repeat([n_assumed // 2, n_assumed, 2 * n_assumed], 5), np.tile([0.39, 0.37, 0.35, 0.33, 0.30], 3),
                   p0=p0, alternative="smaller")
pw.pivot(index="p1", columns="n", values="power").sort_index(ascending=False).round(3)

# %% [markdown]
# A true rate of 37 % (4 points better than average) would show up as significantly below average
# in about one year in four at n ≈ 155. Cases needed for 80 % power:

# %%
danmark.cases_needed([0.37, 0.35, 0.33], p0=p0, alternative="smaller")[["p0", "p1", "n_first", "n_stable", "n_normal"]]

# %% [markdown]
# Telling a true 37 % from 41 % with 80 % power takes over 900 decided appeals: about six years of
# Frederiksberg's assumed caseload. Being "below average" in one year is weak evidence either way.

# %% [markdown]
# ### Sensitivity to the national rate
#
# The 41 % is rounded (anything from 40.5 % to 41.5 %), and if the minutes meant the map for data
# year 2020 the national rate would be 36.2 % (we argued above that they did not). The 95 % lower
# limit at the assumed n and the hypothetical range:

# %%
p0_choices = {"40.5 % (rounding)": 0.405, "41 % (used)": 0.41, "41.5 % (rounding)": 0.415, "36.2 % (data year 2020)": 0.362}
sens = pd.concat(
    [danmark.funnel_limits([n_assumed // 2, n_assumed, 2 * n_assumed], p0=v, levels=0.95).assign(p0=label)
     for label, v in p0_choices.items()],
    ignore_index=True,
)
sens.pivot(index="p0", columns="n", values="lower").loc[list(p0_choices)].round(3)

# %% [markdown]
# None of these choices changes the picture: without counts, "below average" is compatible both
# with a genuinely lower rate and with an average rate plus noise.
#
# If `DANMARK_DATA` points at a full download, Frederiksberg's 2019 figure and its funnel flag are
# shown here:

# %%
frb_2019 = frb[frb["period"] == "2019"]
if frb_2019.empty:
    print("No Frederiksberg 2019 counts in the data used; set DANMARK_DATA to a Talportal or ANKEAST1 download.")
else:
    display(danmark.binomial_ci(frb_2019["omgjort"], frb_2019["n"], method="exact").round(3))
    display(danmark.funnel_flags(frb_2019["omgjort"], frb_2019["n"], p0=p0).round(3))

# %% [markdown]
# Without counts there is also nothing to shrink towards the national rate; with them,
# `danmark.shrink` would give Frederiksberg's estimate and interval.

# %% [markdown]
# ## 5 · Verdict
#
# **Partly holds; "below average" cannot be checked with the bundled data.**
#
# * **(a) No significant errors in 15.** Holds in its own terms, but it is weak evidence: a clean
#   random sample of 15 is compatible with up to 18.1 % of cases having a significant error (exact,
#   95 %; 20 % by the rule of three). The sample was of case types, or of 15 cases from the botilbud
#   provisions, not of the socialområde as a whole; it bounds significant errors only; and an audit
#   is not a measure of how often appeals succeed.
# * **(b) Below the national average.** Possibly true as a point estimate, but we cannot check it:
#   no counts for Frederiksberg are bundled. Even if true it does not show better case handling. At
#   the assumed order of magnitude (about 155 decided appeals a year, an assumption) the rate would
#   have to be below about 33 % to be distinguishable from the national 41 %, and a kommune that is
#   truly 4 points better than average would show it only about one year in four.
#
# ## 6 · What data would settle it
#
# * Frederiksberg's 2019 counts on the socialområde map by afgørelsestype (stadfæstet,
#   ændret/ophævet, hjemvist, afvist): Ankestyrelsen's Talportal or Statistikbanken ANKEAST1. Set
#   `DANMARK_DATA` and rerun this notebook; the exact interval and funnel flag then replace the
#   hypothetical limits.
# * The ministry's own national figure and case count for 2019, in place of the rounded 41 %.
# * The auditor's report: the unit sampled (case or case type), the 15 items, how they were drawn and
#   what counted as a significant error.

# %% [markdown]
# ## Sources

# %%
keys = list(dict.fromkeys(list(claims["source"]) + list(social.loc[["2019", "2020"], "source"])
                          + ["nb-kommune.dk:nye-danmarkskort-halvdelen-af-sagerne-paa-boerne", "folk1a_2020"]))
src = danmark.describe_sources(keys).set_index("key")
for key, row in src.iterrows():
    print(f"{key}: {row['publisher']}, {row['title']}. {row['url_or_document']}")

# %% [markdown]
# ## Versions

# %%
# NBVAL_IGNORE_OUTPUT
danmark.versions()
