# %% [markdown]
# # 05 · Helsingør: is 55 % "the same level as most kommuner"?
#
# Helsingør Kommune took part in a taskforce course with Ankestyrelsen and Social- og Boligstyrelsen
# on the specialised adult area from December 2021 to December 2024; it had been invited partly
# ("blandt andet") because of the number of appeals it lost. In 2025 the administration reported on
# the course to the Handicapråd and the social committee (an agenda item, sag 25/30718; source
# `seed_helsingor_2025`). Section 8 of the item, on the Danmarkskort, is the subject of this notebook.
#
# **The claim, paraphrased.** The latest Danmarkskort (June 2025) shows that Ankestyrelsen made 22
# decisions in Helsingør's cases in 2024 and reversed 12 of them, an omgørelsesprocent of 55 %: 2 were
# ændret/ophævet (9 %) and 10 hjemvist (45 %). The item adds that the same level is seen in most
# kommuner ("Samme niveau ses i flertallet af kommuner"), and explains the remands: complex cases with
# several decisions each, where one undocumented element sends the whole case back, and citizens who
# do not consent to sharing the information needed.
#
# The sentence can be read in two ways, and we test both:
#
# * **(A) the level**: a rate of about 55 % is typical of kommuner;
# * **(B) the pattern**: most reversals being remands rather than changes is typical.
#
# A third question follows from the context: the 2024 figure falls in the last year of a three-year
# taskforce course; what can the figures say about change?
#
# > **Caveat: the area is inferred.** The item does not name the map. The bundle files the row under
# > **voksenhandicap** because the item concerns the specialised adult area; the source's wording is
# > kept in `area_as_published`. If the figure was for the whole socialområde map instead, its
# > national rates (31.8–37.5 % in 2020–2022) are lower still, and every comparison below would
# > put Helsingør further above the national level, not closer to it.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from statsmodels.stats.proportion import test_proportions_2indep

import danmark
from danmark import plotting

%matplotlib inline
pd.set_option("display.precision", 3)
pd.set_option("display.max_colwidth", 100)
pd.set_option("display.width", 120)


pct = plotting.fmt_pct  # Danish percent text for labels: 0.385 -> "38,5 %"


# %%
claims = danmark.load_claims()
claims[claims["notebook"] == "05_helsingor"][["claim_id", "period", "area", "claim", "quote", "source"]]

# %% [markdown]
# ## 1 · Data
#
# **Helsingør's counts.** The item gives 22 decisions, 2 ændret/ophævet and 10 hjemvist; the bundle
# derives stadfæstet = 22 − 12 = 10. We take the 22 as realitetsbehandlede sager: 12 / 22 = 55 % is
# the rate the item prints, so the 22 is the rate's denominator. `danmark.load_data()` returns the
# bundled figures, or a full download when `DANMARK_DATA` names one. (Throughout, the prose describes
# the bundled figures; on a download the cells recompute, the text does not.)

# %%
cases = danmark.load_data()
helsingor_query = "kommune == 'Helsingør' and period == '2024' and area == 'voksenhandicap'"
if cases.query(helsingor_query).empty:
    print("DANMARK_DATA has no Helsingør 2024 voksenhandicap row; using the figures from the agenda item.")
    cases = danmark.load_cases()
row = cases.query(helsingor_query)
counts = row[["stadfaestet", "aendret", "hjemvist"]].iloc[0].astype(int)
k, n = int(counts["aendret"] + counts["hjemvist"]), int(counts.sum())
cols = ["kommune", "period", "area", "area_as_published", "stadfaestet", "aendret", "hjemvist",
        "n", "omgjort", "omg_pct", "source", "note"]
row[[c for c in cols if c in row.columns]].T.set_axis(["Helsingør"], axis=1)

# %% [markdown]
# **National rates.** No national figure for 2024 is bundled, for voksenhandicap or any other area.
# The latest bundled voksenhandicap year is 2022, and that figure is from a secondary source (a blog
# citing an analysis of Talportal data). For 2023 there is Ankestyrelsen's figure for all serviceloven
# appeals (39 %; the year is inferred from the article's context). Socialområdet is shown for
# comparison, with the ændret/hjemvist split where it was printed.

# %%
national = danmark.load_national()
context = national[
    national["area"].isin(["voksenhandicap", "serviceloven", "socialomraadet"])
    & national["period"].isin(["2019", "2020", "2021", "2022", "2023"])
    & national["omg_pct"].notna()
    & (national["preferred"] | national["pct_hjemvist"].notna())
].sort_values(["area", "period"])
context[["area", "period", "omg_pct", "pct_aendret", "pct_hjemvist", "preferred", "source_type", "note"]]

# %% [markdown]
# ## 2 · Which national rate?
#
# We compare with **38.9 %**, the latest bundled voksenhandicap year (2022); the 2023 serviceloven
# figure (39 %) and the 2020–2022 mean (38.5 %) agree with it. Because the 2024 rate is unknown, every
# result is also shown across the range of bundled voksenhandicap years, from the lowest (34.3 %,
# 2021) to the highest (46 %, 2019).

# %%
vh = danmark.load_national(preferred_only=True).query("area == 'voksenhandicap' and period >= '2019'")
vh_rates = vh.set_index("period")["omg_pct"] / 100
p0_choices = pd.Series(
    {
        "voksenhandicap 2022 (used below)": vh_rates["2022"],
        "voksenhandicap mean 2020–2022": vh_rates[["2020", "2021", "2022"]].mean(),
        "serviceloven 2023": float(context.query("area == 'serviceloven' and period == '2023'")["omg_pct"].iloc[0]) / 100,
        "lowest voksenhandicap year (2021)": vh_rates.min(),
        "highest voksenhandicap year (2019)": vh_rates.max(),
    },
    name="p0",
)
p0 = float(p0_choices.iloc[0])
p0_choices.round(3).to_frame()

# %%
exact = danmark.binomial_ci(k, n, method="exact")
trend_rows = national[national["area"].isin(["voksenhandicap", "socialomraadet", "serviceloven"])
                      & (national["period"] >= "2019")]
with plotting.style():
    ax = plotting.trend(trend_rows)
    ax.errorbar([2024], [100 * k / n], yerr=[[100 * (k / n - exact["lower"].iloc[0])], [100 * (exact["upper"].iloc[0] - k / n)]],
                fmt="s", color="black", ms=6, capsize=3, label=f"Helsingør 2024: {k} af {n} (eksakt 95 %-interval)")
    ax.set_xlim(2018.5, 2024.5)
    ax.set_ylim(0, 100)
    ax.legend(loc="upper left")
    ax.set_title("Landsplan (ingen tal for 2024 i data) og Helsingør 2024")
    _ = plotting.save_figure(ax.figure, "05_helsingor_context", formats=("png", "svg"))
plt.show()

# %% [markdown]
# (Serviceloven has no bundled 2019 or 2022 figure, so its line covers 2020–2021 and 2023 stands
# alone as a single point; a missing year leaves a gap rather than a line across it. No area has a
# bundled 2024 figure. The 2019 and 2022 voksenhandicap points come from news and a secondary source
# respectively.)

# %% [markdown]
# ## 3 · The naive reading

# %%
print(f"Helsingør 2024: {k} of {n} reversed = {k / n:.1%}")
national_figures = pd.concat([
    vh_rates.rename(lambda y: f"voksenhandicap {y}"),
    pd.Series({"serviceloven 2023": p0_choices["serviceloven 2023"]}),
])
pd.DataFrame({"national": national_figures,
              "difference_points": 100 * (k / n - national_figures)}).round(3)

# %% [markdown]
# Taken at face value, 55 % is above every bundled national figure: about 16 points above the latest
# ones (38.9 % for voksenhandicap 2022, 39 % for serviceloven 2023), 12 points above voksenhandicap
# 2020 (42.4 %), 20 above the lowest year, 2021 (34.3 %), and 8.5 points above the highest year,
# 2019 (46 %). That sits uneasily with "the same
# level as most kommuner": the national rate is, roughly, the level of the typical kommune. But 22
# cases is not many, so first: how precise is 55 %?
#
# ## 4 · How precise is 12 of 22?

# %%
methods = ["exact", "wilson", "jeffreys"]
ci = pd.concat([danmark.binomial_ci(k, n, method=m).assign(method=m) for m in methods]).set_index("method")
ci.assign(above_national=ci["lower"] > p0).round(3)

# %%
pd.DataFrame({"p0": p0_choices, f"P(>= {k} of {n} | p0)": danmark.prob_at_least(k, n, p0_choices.to_numpy())}).round(3)

# %% [markdown]
# The exact interval runs from 32 % to 76 % and includes every national figure. The chance of 12 or
# more reversals in 22 cases at the national rate (the exact one-sided p-value) is 4–28 % depending on
# the rate assumed: about 10 % at 38.9 %, but 4.1 % at the lowest year's 34.3 %. So whether the
# excess is "significant" at the 5 % level **depends on which national rate is used**: against the
# latest figures (about 39 %) it is not, against 2021's it just is. Since the 2024 national rate is
# unknown, the fair summary is that 22 cases cannot clearly distinguish 55 % from the national level.
# That cuts both ways: it also means 55 % cannot be shown to be "the same level" as anything in
# particular.
#
# ## 5 · Shrinkage toward the national rate
#
# As in notebook `02_solrod` (section 5), a Beta prior with mean $p_0$ and prior strength $s$ (worth
# $s$ cases; *priorvægt* in the figures, not to be confused with *teststyrke*, statistical power, in
# section 8) describes how much kommuner differ; Helsingør's posterior is
# Beta$(p_0 s + 12,\ (1 - p_0)s + 10)$. Notebook 02 brackets the plausible prior strength, roughly, at
# **10–100** (central value 30, also the default of `danmark report`), from the spread of published
# municipal rates; the same bracket is used here and everything is shown from 0.5 to 200.

# %%
post = danmark.prior_sensitivity(k, n, means=p0, strengths=[2, 5, 10, 20, 30, 50, 100, 200])
post.set_index("strength")[["raw", "estimate", "lower", "upper", "weight", "prob_above"]].round(3)

# %%
grid = np.unique(np.round(np.r_[np.geomspace(0.5, 200, 25), 10, 30, 100], 2))
sens = danmark.prior_sensitivity(k, n, means=p0_choices.drop(["voksenhandicap mean 2020–2022", "serviceloven 2023"]).sort_values(), strengths=grid)
sens["landsplan"] = [f"landsplan {pct(p)}" for p in sens["mean"]]
central = sens[sens["landsplan"] == f"landsplan {pct(p0)}"]

with plotting.style():
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    plotting.sensitivity_curve(central, "strength", "estimate", ax=ax1, percent=True, logx=True, marker=None,
                               xlabel="priorvægt (antal sager, α + β)",
                               ylabel="krympet omgørelsesprocent (%)",
                               reference=p0, reference_label=f"landsplan {pct(p0)}")
    ax1.axhline(100 * k / n, color="grey", ls=":", lw=1, label=f"rå andel {k}/{n}")
    ax1.axvspan(10, 100, color="grey", alpha=0.1, lw=0, label="plausibel priorvægt (groft, notebook 02)")
    ax1.set_ylim(0, 100)
    ax1.legend(loc="lower left")
    ax1.set_title("Helsingør 2024: krympet skøn med 95 %-interval")
    plotting.sensitivity_curve(sens, "strength", "prob_above", group="landsplan", ax=ax2, lower="-", upper="-",
                               percent=True, logx=True, marker=None,
                               xlabel="priorvægt (antal sager, α + β)",
                               ylabel="P(sand omgørelsesprocent > landsplan) (%)")
    ax2.axvspan(10, 100, color="grey", alpha=0.1, lw=0)
    ax2.set_ylim(50, 100)
    ax2.set_title("Sandsynlighed for at ligge over landsplan")
    fig.tight_layout()
    _ = plotting.save_figure(fig, "05_helsingor_shrinkage", formats=("png", "svg"))
plt.show()

# %%
edges = sens[sens["strength"].isin([10, 30, 100, 200])]
edges.pivot(index="landsplan", columns="strength", values="prob_above").round(3)

# %% [markdown]
# With the central prior strength 30 the best estimate (posterior mean) of Helsingør's true 2024 rate
# is about 46 % (95 % interval 32–59 %), and the probability that it exceeds the national rate about
# 0.83; over the plausible prior strengths and national rates from 34 % to 46 % that probability ranges from about
# 0.63 to 0.95. Helsingør was *probably* above the national level in 2024, but far from certainly,
# and by less than the raw 55 % suggests.
#
# ## 6 · Reading (A): is 55 % the level of most kommuner?
#
# Checking this properly needs the 2024 counts of all 98 kommuner, which are not bundled. What can be
# done is to ask what the claim would require.
#
# **What the national rate implies.** The national rate is the case-weighted average of the
# kommuner, so a typical kommune's true rate is roughly near it (the two differ only if large and
# small kommuner differ systematically). Suppose the kommuner's true rates follow a Beta
# around the national rate with prior strength $s$, and a kommune has 22 cases like Helsingør. The share of
# such kommuner whose raw rate is **at least Helsingør's** (12 of 22 or more; a generous reading of
# "same level", since it includes every higher rate) is a beta-binomial tail (`danmark.prob_at_least`
# with a prior strength; the binomial tail without one),
# for national rates from 34 % to 60 %:

# %%
p_grid = np.round(np.arange(0.34, 0.605, 0.01), 2)
spread = {"ingen forskelle (kun binomial)": None, "priorvægt 100": 100, "priorvægt 30": 30, "priorvægt 10": 10}
share = pd.DataFrame(
    [
        {"p0": p, "spread": name,
         "share_at_least": danmark.prob_at_least(k, n, p, strength=s)}
        for name, s in spread.items() for p in p_grid
    ]
)
share.pivot(index="p0", columns="spread", values="share_at_least").reindex(
    index=[0.34, 0.39, 0.46, 0.5, 0.52, 0.54, 0.56], columns=list(spread)).round(3)

# %%
with plotting.style():
    ax = plotting.sensitivity_curve(share.assign(p0_pct=100 * share["p0"]), "p0_pct", "share_at_least",
                                    group="spread", percent=True, marker=None, lower="-", upper="-",
                                    xlabel="landsplan omgørelsesprocent 2024 (%, ukendt)",
                                    ylabel=f"andel kommuner med ≥ {k} af {n} omgjort (%)",
                                    reference=0.5, reference_label="halvdelen af kommunerne")
    ax.axvspan(100 * vh_rates.min(), 100 * vh_rates.max(), color="grey", alpha=0.12, lw=0,
               label="voksenhandicap landsplan 2019–2022")
    ax.set_ylim(0, 100)
    ax.legend(loc="upper left")
    ax.set_title(f"Hvor mange kommuner med {n} sager ville ligge på Helsingørs niveau eller over?")
    _ = plotting.save_figure(ax.figure, "05_helsingor_most_kommuner", formats=("png", "svg"))
plt.show()

# %% [markdown]
# At any national rate in the bundled range (34–46 %), between about 4 % and 37 % of 22-case kommuner
# would show a rate of 55 % or more, and never half. Only if the 2024 national voksenhandicap rate were
# about **52 % or more** would most kommuner be at Helsingør's level; that would be six points above
# the highest bundled year. The answer hardly depends on how much kommuner differ (the curves cross
# 50 % at nearly the same place), or on the number of cases: a kommune's raw rate is above its true
# rate as often as below, so fewer than half of kommuner are above 55 % unless the typical true rate
# is itself near 55 %.
#
# **What the published municipal figures show.** Rough, and from other years and areas, but pointing
# the same way. On the 2022 socialområde map, with a national rate of 37.5 %, a trade-press article
# lists only four kommuner above 55 % (if the list is complete):

# %%
pub = danmark.load_published_rates()
bounds = pub[(pub["period"] == "2022") & pub["omg_pct_bound"].notna()]
bounds.groupby(bounds["omg_pct_bound"].str[:3])["kommune"].agg(count="count", kommuner=", ".join)

# %% [markdown]
# And the voksenhandicap figures published for individual kommuner in 2017–2019 (six figures, four
# kommuner) range from 11 % to 52 %; none reaches 55 %:

# %%
vh_pub = pub[(pub["area"] == "voksenhandicap") & pub["preferred"]].copy()
vh_pub["rate"] = vh_pub["omg_pct"].fillna(vh_pub["pct_aendret"] + vh_pub["pct_hjemvist"]) / 100
vh_pub[["kommune", "period", "omg_pct", "pct_aendret", "pct_hjemvist", "rate", "national_omg_pct", "source"]]

# %% [markdown]
# Reading (A) is therefore unlikely on every bundled figure, but it cannot be *refuted* here: the
# 2024 map itself is the check, and it is not bundled.
#
# ## 7 · Reading (B): are most reversals remands?
#
# Ten of Helsingør's twelve reversals were hjemvisninger. The Dirichlet–multinomial posterior of the
# three shares (uniform prior); the `omgjort` row is ændret + hjemvist. The figure draws the
# *observed* shares (count / n) as stacked bars, with two 95 % posterior intervals on the bar's own
# scale: the ændret share (solid, from 0) and the omgjort total (dashed, ending where the hjemvist
# segment ends).

# %%
split = danmark.outcome_split(counts["stadfaestet"], counts["aendret"], counts["hjemvist"])
print(f"P(hjemvist share > ændret share) = {split['p_hjemvist_gt_aendret'].iloc[0]:.3f}")
split[["outcome", "count", "n", "share", "estimate", "lower", "upper"]].round(3)

# %%
with plotting.style():
    fig, ax = plt.subplots(figsize=(7, 2.8))
    plotting.outcome_bars(split.assign(unit="Helsingør"), label="kommune", ax=ax)  # incl. the omgjort row
    ax.set_title("Helsingør 2024: observerede andele og 95 %-intervaller", pad=48)
    _ = plotting.save_figure(ax.figure, "05_helsingor_outcomes", formats=("png",))
plt.show()

# %% [markdown]
# No national voksenhandicap split is bundled. On the socialområde map remands are about three
# quarters of all reversals nationally, every year; Helsingør's share of remands among its reversals
# (exact interval) is compatible with that:

# %%
soc = context[(context["area"] == "socialomraadet") & context["pct_hjemvist"].notna()]
soc = soc.assign(hjemvist_share_of_reversals=soc["pct_hjemvist"] / (soc["pct_hjemvist"] + soc["pct_aendret"]))
soc[["period", "pct_aendret", "pct_hjemvist", "hjemvist_share_of_reversals", "source"]].round(3)

# %%
danmark.binomial_ci(int(counts["hjemvist"]), k, method="exact").round(3)

# %% [markdown]
# And each outcome as a share of all 22 decisions, with exact intervals:

# %%
danmark.binomial_ci(counts[["aendret", "hjemvist"]], n, method="exact").round(3)

# %% [markdown]
# So reading (B) is plausible: that most reversals are remands is the national pattern, not a
# Helsingør peculiarity. Set against the socialområde split (a different map, so only indicative), and
# **on point estimates**, Helsingør's ændret share (9 %) is at the national level (8–9 %) and its
# excess lies in the remands (45 % of its decisions against 24–29 % nationally). The counts cannot pin
# this down: 2 ændret of 22 has an exact interval of about 1–29 %, and 10 hjemvist of 22 one of about
# 24–68 %, so neither share is known well enough to say exactly where the excess lies. A remand is
# not necessarily a wrong result, and the item's explanations (complex cases, missing consent) are
# about remands; but a remand still counts in the omgørelsesprocent, on the map and here.
#
# ## 8 · During and after the taskforce: can the figures show a change?
#
# **With the bundled data, no.** Only one year of Helsingør's counts is bundled, and that year, 2024,
# is the *last year of the course* (December 2021 to December 2024), not a year after it; and
# Ankestyrelsen's 2024 decisions concern municipal decisions made earlier still, while the course was
# running. Nothing can be said here about change since the course began.
# How much could the figures show if the whole series were available? Suppose the rate truly fell
# from 55 % to 40 %, with about 22 cases a year:
#
# * **optimistic**: the 55 % is treated as a known baseline and only the later years are tested
#   against it (exact one-sided binomial test, `danmark.power`);
# * **realistic**: both periods are estimated from their own cases (two-sample test, normal
#   approximation from statsmodels, the same number of cases before and after).

# %%
p_before, p_after = 0.55, 0.40
years = np.array([1, 2, 3, 4, 6, 8])
one = danmark.power(22 * years, p1=p_after, p0=p_before, alternative="smaller")
two = danmark.power_two_periods(22 * years, p_before, p_after)
pd.DataFrame({"years_per_period": years, "cases_per_period": 22 * years,
              "power_known_baseline": one["power"].to_numpy(), "power_two_periods": two["power"].to_numpy()}).round(3)

# %%
need = danmark.cases_needed(p_after, p_before, alternative="smaller")
n_two = two.attrs["n_needed_80"]
print(f"80 % power, known baseline: first reached at n = {need['n_first'].iloc[0]} (marked in the figure), "
      f"kept from n = {need['n_stable'].iloc[0]} cases after (about {need['n_stable'].iloc[0] / 22:.1f} years); "
      f"two periods: about {np.ceil(n_two):.0f} cases in each (about {np.ceil(n_two) / 22:.1f} years "
      "before and as many after)")

# %%
n_grid = np.arange(5, 301)
curves = pd.concat(
    [
        danmark.power(n_grid, p1=p_after, p0=p_before, alternative="smaller").assign(
            label="kendt udgangsniveau 55 % (eksakt test)"),
        danmark.power_two_periods(n_grid, p_before, p_after)[["n", "power"]].assign(
            label="før og efter begge skønnet (normalapprox.)"),
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
    _ = plotting.save_figure(ax.figure, "05_helsingor_power", formats=("png", "svg"))
plt.show()

# %% [markdown]
# The exact test's teststyrke first reaches 80 % at n = 70 (the point marked in the figure) but dips
# below it again until n = 76 (its saw-tooth); the text uses the latter. Even a large improvement,
# 55 % to 40 %, would take three to four years of cases to detect against a known baseline, and
# about six years on each side when both periods have to be estimated. A single year such as 2024,
# whether during the course or the first one after it, cannot show it: an unchanged 55 % is what one
# would often see even if the taskforce had worked, and a drop to 40 % in a single year would be
# weak evidence too. The first full year after the course is 2025.
#
# There is also a selection effect: Helsingør was invited in 2021 partly ("blandt andet") because it
# had lost many appeals. Kommuner picked, even in part, for a high count tend to look better
# afterwards without any change (regression to the mean; notebook `07_taskforce_selection`), so a
# before/after comparison of Helsingør alone would overstate the effect of the course. A fair
# comparison needs kommuner that were not selected.
#
# ## 9 · Verdict
#
# **Partly holds.** As a statement about the *level*, probably not: 55 % is above every bundled
# national figure, and most kommuner would be at that level only if the 2024 national rate were about
# 52 % or more. As a statement about the *pattern* (remands dominate), plausibly yes. And on 22 cases
# Helsingør is not clearly worse than the national rate either.
#
# * **Reading (A), the level: probably does not hold.** 55 % is above every bundled national figure
#   (34–46 % for voksenhandicap 2019–2022, 39 % for serviceloven in 2023). At those national rates,
#   between about 4 % and 37 % of kommuner with Helsingør's number of cases would show 55 % or more,
#   never most; that would take a 2024 national rate of about 52 % or more. The published municipal
#   figures (four kommuner above 55 % on the 2022 socialområde map; none of six published voksenhandicap
#   figures reaching 55 %) point the same way. Without the 2024 counts for all 98 kommuner this cannot
#   be checked fully.
# * **What the figure does support.** On 22 cases, Helsingør's rate is not clearly above the national
#   rate (exact interval 32–76 %). The one-sided p-value is about 0.10 at the latest national figure
#   (38.9 %) but 0.041 at the lowest bundled year (34.3 %), so "significant or not" depends on a
#   national rate that is not known for 2024. After shrinkage the best estimate is about 42–50 % for
#   plausible prior strengths (46 % at 30, 95 % interval 32–59 %), and the probability of being above
#   the national rate about 0.73–0.89 at 38.9 %: probably above, not certainly.
# * **Reading (B), the pattern: plausible.** 10 of 12 reversals were remands; nationally, on the
#   socialområde map, remands are about three quarters of reversals. On point estimates Helsingør's
#   ændret share (9 %) is at the national level and its excess is in remands, but 2 of 22 ændret is
#   compatible with anything from about 1 % to 29 %.
# * **Change during or after the taskforce: the data say nothing.** The one bundled year, 2024, is the
#   course's last year; it cannot show change, and with about 22 cases a year even a fall from 55 %
#   to 40 % would take years of data to detect.
#
# `danmark report Helsingør` prints the same headline numbers from the command line (prior strength 30
# by default; exact and Wilson intervals).
#
# ## 10 · What data would settle it
#
# * **Most kommuner**: the 2024 voksenhandicap counts for all 98 kommuner (Talportal, or the June 2025
#   Danmarkskort), and the national 2024 rate. Then the share of kommuner at or above 55 %, Helsingør's
#   rank with its uncertainty (`danmark.rank_uncertainty`) and a fitted prior (`danmark.fit_prior`)
#   replace the assumptions above.
# * **Change**: Helsingør's Talportal series from 2019 for the same area, including 2025 and later
#   (the first years after the course), ideally with the same series for comparable kommuner that had
#   no taskforce.
# * **The area**: confirmation of which map the 22 decisions come from.
#
# With a download, point `DANMARK_DATA` at it and rerun:
#
# ```sh
# export DANMARK_DATA=~/Downloads/Talportal_voksenhandicap_2019_2024.csv
# jupyter lab notebooks/05_helsingor.ipynb
# ```
#
# The next two cells then show Helsingør's series with exact intervals and test the years before the
# course (2019–2021) against 2024, the course's last year (add 2025 and later to `after` once they
# are published), and place Helsingør among all kommuner in 2024. On the bundled figures they say
# what is missing.

# %%
full = danmark.load_data()
series = full[(full["kommune"] == "Helsingør") & (full["area"] == "voksenhandicap")
              & full["period"].str.fullmatch(r"\d{4}")].sort_values("period")
series_ci = danmark.binomial_ci(series["omgjort"], series["n"], method="exact")
series_table = series[["period", "stadfaestet", "aendret", "hjemvist", "n", "omgjort"]].join(series_ci[["estimate", "lower", "upper"]])
before = series[series["period"].isin(["2019", "2020", "2021"])]
after = series[series["period"] == "2024"]
if len(before) and len(after):
    test = test_proportions_2indep(before["omgjort"].sum(), before["n"].sum(), after["omgjort"].sum(), after["n"].sum(),
                                   alternative="larger")
    print(f"2019–2021 vs 2024 (the course's last year), one-sided test of a fall: p = {test.pvalue:.3f}")
else:
    print(f"Helsingør has {len(series)} year(s) of voksenhandicap counts loaded ({', '.join(series['period'])}); "
          "a before/after comparison needs 2019–2021 and 2024. Set DANMARK_DATA to a Talportal download.")
series_table.round(3)

# %%
year = full[(full["area"] == "voksenhandicap") & (full["period"] == "2024") & (full["kommunekode"] != "000")]
if year["kommune"].nunique() >= 90:
    at_least = (year["omgjort"] / year["n"] >= k / n).mean()
    fitted = danmark.fit_prior(year[["stadfaestet", "aendret", "hjemvist"]])
    print(f"share of kommuner at or above {k}/{n}: {at_least:.1%}; fitted prior: {fitted}")
    print(danmark.shrink(year.set_index("kommune")[["stadfaestet", "aendret", "hjemvist"]], prior=fitted)
          .loc[["Helsingør"]].round(3))
else:
    print(f"2024 voksenhandicap counts are loaded for {year['kommune'].nunique()} kommune(r); "
          "all 98 are needed to check 'most kommuner'. Set DANMARK_DATA to a full download.")

# %% [markdown]
# ## Sources

# %%
used = pd.concat([row["source"], context["source"], vh["source"], bounds["source"], vh_pub["source"]])
src = danmark.load_sources().set_index("key")
src.loc[src.index.intersection(used.unique()).sort_values(),  # a download's own source key is not listed
        ["publisher", "title", "date", "url_or_document"]]

# %% [markdown]
# ## Versions

# %%
# NBVAL_IGNORE_OUTPUT
danmark.versions()
