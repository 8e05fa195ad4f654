# %% [markdown]
# # 06 · The Danmarkskort: the national picture, and what a kommune's place on it can tell
#
# Each year Social- og Boligministeriet publishes three maps of Ankestyrelsen's omgørelsesprocenter
# (socialområdet, børnehandicap, voksenhandicap), one colour per kommune. The maps inform which
# kommuner are offered a course by Taskforce handicap: of its eight courses a year, four are
# reserved for kommuner with the greatest need for help, selected on the basis of the Danmarkskort
# (the minister's letter to Folketingets Socialudvalg, May 2024, source `seed_minister_2024`). In
# 2024 six kommuner were offered reserved courses. Helsingør was invited already in 2021, partly
# because of the number of appeals it lost (source `seed_helsingor_2025`; notebooks 05 and 07).
# The implicit claim of a map is that its colours compare kommuner: darker means worse.
#
# This notebook (1) shows the national rates over the years, (2) draws every real municipal figure
# the package bundles on a map, without filling in anything, and (3) shows, for the units with full
# counts, what a funnel plot, a league table and rank intervals say about comparing them.
#
# **With a full official download** (Ankestyrelsen's Talportal, or Statistikbanken ANKEAST1) named
# by the environment variable `DANMARK_DATA`, section 3 switches to the full picture: all 98
# kommuner of the area and period chosen below. The rendered version uses the bundled figures.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

import danmark
from danmark import plotting

%matplotlib inline
pd.set_option("display.precision", 3)
pd.set_option("display.width", 120)
pd.set_option("display.max_colwidth", 70)

# %% [markdown]
# ## Parameters
#
# Change these and rerun. They matter only when the data hold counts for many kommuner (a full
# download); with the bundled figures the notebook says what it can show instead.
#
# * `AREA`: the Danmarkskort area analysed in section 3 (`"socialomraadet"`, `"boernehandicap"` or
#   `"voksenhandicap"`).
# * `PERIOD`: the period label as in the data (`"2022"`, `"2023H1"`, ...); `None` picks the period
#   with the most kommuner for `AREA` (the latest of those if several tie).
# * `TOP`: size of the "worst" group whose membership probability is reported (four courses a year
#   are reserved for the kommuner with the greatest need).
# * `MIN_UNITS_FULL`: at least this many kommuner with counts for `AREA` and `PERIOD` switch on the
#   full picture.
# * `SHOW`: how many kommuner the league table and rank plot show in the full picture.
# * `SEED`: seed of the posterior draws behind the rank intervals.

# %%
AREA = "socialomraadet"
PERIOD = None
TOP = 4
MIN_UNITS_FULL = 20
SHOW = 30
SEED = 2024
pretty = lambda area: area.replace("oe", "ø").replace("aa", "å")  # noqa: E731  display name of an area code

# %% [markdown]
# ## 1 · The national picture
#
# National omgørelsesprocenter for the three map areas, one preferred figure per year and area
# (`data/national.csv` keeps every source's figure and marks one preferred: official before news
# before secondary). Bars show the ændret/ophævet + hjemvist split where a source printed it: for
# børnehandicap in 2019 and 2020 (plain bars, left of the year) and for socialområdet in 2021 and
# 2022 (hatched bars, right of the year); the legend names the area of each. No split is bundled
# for voksenhandicap.

# %%
national = danmark.load_national(preferred_only=True)
map_areas = ["socialomraadet", "boernehandicap", "voksenhandicap"]
nat_maps = national[national["area"].isin(map_areas) & national["period"].str.fullmatch(r"\d{4}")]
nat_maps.pivot(index="period", columns="area", values="omg_pct")[map_areas]

# %%
with plotting.style():
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    plotting.trend(nat_maps, ax=ax, split=["boernehandicap", "socialomraadet"])  # the areas with a split
    ax.set_title("National omgørelsesprocent by Danmarkskort area (as published)")
    ax.annotate("2017: 21 % as printed;\nscope may differ", (2017, 21), xytext=(2017.3, 8),
                fontsize=7, arrowprops={"arrowstyle": "-", "lw": 0.6})
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    _ = plotting.save_figure(fig, "06_national_trend", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# What the national series shows:
#
# * **About a third to a half of appealed decisions are reversed**, every year and in every area:
#   socialområdet 32–41 %, børnehandicap 36–52 %, voksenhandicap 34–46 % (2019–2022; no
#   voksenhandicap figure for 2016 or 2018 is bundled, so its line has a gap). These figures
#   rest on thousands of cases a year (8,631 realitetsbehandlede sager on the 2022 socialområde
#   map), so their own sampling error is a fraction of a percentage point; the year-to-year changes
#   are real changes in outcomes (or in what was counted).
# * **Most reversals are hjemvisninger.** Where the split is printed, hjemvist is 2.2 to 3.2 times
#   ændret/ophævet: 2.2 and 2.4 times for børnehandicap 2019 and 2020 (2019: 35.0 % against
#   15.6 %), 3.1 and 3.2 times for socialområdet 2021 and 2022 (2022: 28.5 % against 9.0 %).
#   Notebook 03 discusses what a hjemvisning does and does not mean.
# * **2021 was low in all three areas** (31.8 %, 35.9 %, 34.3 %); the 2022 figures bundled
#   (socialområdet, voksenhandicap) are higher again. No national børnehandicap figure for 2022 is
#   bundled.
# * **The 2017 voksenhandicap figure, 21 %, is an outlier.** It is printed on the ministry's own
#   2017 voksenhandicap page and repeated by a newspaper that lists it next to the other two
#   national figures (38 % and 52 %). Two years later the same area stood at 46 %. The bundle's note
#   on the row flags that the 2017 voksenhandicap map may have covered a different set of paragraphs
#   (the "særlige bestemmelser" were defined per map and have changed); that explanation is
#   unverified. The figure is shown as printed; it should not be read as a halving and doubling of
#   the rate without checking the scope.
# * The voksenhandicap figure for 2022 (38.9 %) comes from a secondary source (a blog citing a
#   Talportal analysis) and is not yet checked against the ministry's page.

# %%
nat_maps.loc[nat_maps["area"] == "voksenhandicap", ["period", "omg_pct", "scope", "source_type", "note"]]

# %% [markdown]
# ## 2 · Every bundled municipal figure, on the map
#
# No complete table of municipal figures could be bundled (`data/README.md`). What there is: 85
# percentages, bounds and partial counts from the press, the kommuner themselves and the
# ministry's own lists, for 39 kommuner. Drawn here are the area-years with figures for at least
# five kommuner. **Every other kommune is hatched grey and marked "ingen data i pakken"** (no data
# in the package); no value is filled in, interpolated or simulated.

# %%
published = danmark.load_published_rates(preferred_only=True)
on_maps = published[published["area"].isin(map_areas)]
coverage = (on_maps.assign(has=on_maps["omg_pct"].notna() | on_maps["omg_pct_bound"].notna())
            .query("has").groupby(["area", "period"]).size().rename("kommuner with a figure"))
coverage.to_frame().sort_values("kommuner with a figure", ascending=False)

# %% [markdown]
# Three area-years have printed percentages for five or more kommuner: børnehandicap 2018 (mostly
# the Fyn kommuner, from one TV 2 Fyn article, plus a few others), børnehandicap 2017 and
# socialområdet 2017. For socialområdet 2022 the trade press printed only **bounds**: the kommuner
# above 55 % and below 25 % (and left out Ærø, Læsø and Samsø because of few cases); Fredericia's
# own figure (27.9 %, local news) lies between. That map is drawn in three categories.

# %%
pct_maps = [("boernehandicap", "2018"), ("boernehandicap", "2017"), ("socialomraadet", "2017")]
bounds = on_maps[(on_maps["area"] == "socialomraadet") & (on_maps["period"] == "2022")]
category = np.where(bounds["omg_pct_bound"].str.startswith(">55", na=False), 1.0,
                    np.where(bounds["omg_pct_bound"].str.startswith("<25", na=False), 0.0, 0.5))
category = pd.Series(category, index=bounds["kommunekode"])  # category codes, not rates
cat_colors = [plotting.PALETTE["skyblue"], plotting.PALETTE["yellow"], plotting.PALETTE["vermillion"]]
with plotting.style():
    fig, axes = plt.subplots(2, 2, figsize=(12, 10.5))
    for ax, (area, period) in zip(axes.ravel()[:3], pct_maps, strict=True):
        part = on_maps[(on_maps["area"] == area) & (on_maps["period"] == period) & on_maps["omg_pct"].notna()]
        plotting.kommune_map(pd.Series(part["omg_pct"].to_numpy() / 100, index=part["kommunekode"]),
                             ax=ax, vmin=0, vmax=1)
        ax.set_title(f"{pretty(area)} {period}: {len(part)} kommuner "
                     f"with a printed figure")
    ax = axes[1, 1]
    plotting.kommune_map(category, ax=ax, cmap=ListedColormap(cat_colors), vmin=0, vmax=1, colorbar=False)
    ax.legend(handles=[Patch(color=cat_colors[2], label="over 55 %"),
                       Patch(color=cat_colors[1], label="25–55 % (Fredericia: 27,9 %)"),
                       Patch(color=cat_colors[0], label="under 25 %"),
                       Patch(facecolor="#EEEEEE", edgecolor="#9A9A9A", hatch="////", label="ingen data i pakken")],
              loc="upper left")
    ax.set_title(f"socialområdet 2022: bounds as printed ({len(bounds)} kommuner)")
    fig.suptitle("Published municipal omgørelsesprocenter bundled in danmark (real figures; no counts)", y=0.99)
    fig.tight_layout()
    _ = plotting.save_figure(fig, "06_published_maps", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# The figures behind the maps, with the number of cases where the source printed one:

# %%
shown = on_maps[on_maps.set_index(["area", "period"]).index.isin(pct_maps + [("socialomraadet", "2022")])]
shown[["area", "period", "kommune", "n", "omg_pct", "omg_pct_bound", "national_omg_pct", "source"]].sort_values(
    ["area", "period", "omg_pct"], ascending=[True, True, False]).reset_index(drop=True)

# %% [markdown]
# On børnehandicap 2018 the printed rates run from 0 % (Kerteminde) to 67 % (Langeland) around a
# national 47 %, and Ærø had no decided appeal at all. Only three of these figures come with a
# number of cases (Esbjerg 66, Odense 64, Gentofte 42). Kerteminde and Langeland are among the
# smaller Fyn kommuner; without their n it cannot be said whether 0 % and 67 % are more than the
# noise notebook 01 describes.
#
# ## 3 · Units with counts: funnel, league table and rank intervals
#
# A fair comparison needs the counts: with k reversed out of n decided, a rate gets an exact
# interval, a place in a funnel plot, a shrunk estimate and a rank distribution. `danmark.load_data()`
# returns the bundled count rows, or the full download named by `DANMARK_DATA`:

# %%
data = danmark.load_data()
national_rows = data[data["kommunekode"] == "000"]  # "Hele landet" rows of a download, if any
cases = data[data["kommunekode"] != "000"]
in_area = cases[cases["area"] == AREA]
if PERIOD is None and not in_area.empty:
    per_period = in_area.groupby("period")["kommunekode"].nunique()
    PERIOD = max(per_period[per_period == per_period.max()].index)
full = in_area[in_area["period"] == PERIOD]
FULL = full["kommunekode"].nunique() >= MIN_UNITS_FULL
fig_suffix = "_full" if FULL else ""  # a full-download run does not overwrite the bundled-data figures
if FULL:
    units = full.set_index("kommune")
    print(f"Full picture: {len(units)} kommuner with counts for {AREA} {PERIOD}.")
else:
    units = cases.assign(unit=cases["kommune"] + " " + cases["period"]).set_index("unit")
    print(f"Bundled data: no area-period has counts for {MIN_UNITS_FULL} or more kommuner "
          f"({len(in_area)} rows for {AREA}). Section 3 demonstrates the methods on the "
          f"{len(units)} bundled rows with counts, which are of different areas and periods.")
units[["kommunekode", "period", "area", "stadfaestet", "aendret", "hjemvist", "n", "omgjort", "omg_pct"]].round(1)

# %% [markdown]
# ### The reference rate
#
# In the full picture the reference is the national rate of the same area and period: the "Hele
# landet" row of the download if it has one, else the bundled national figure. The five bundled
# rows cover five different scopes and periods, so **no single reference fits them**: below, each
# is first compared with the national figure closest to its own scope, and the funnel and ranks
# then use the pooled rate of the five only to *demonstrate* the methods.

# %%
if FULL:
    nat_row = national_rows[(national_rows["area"] == AREA) & (national_rows["period"] == PERIOD)]
    if len(nat_row):
        p0, p0_label = float(nat_row["omgjort"].sum() / nat_row["n"].sum()), "landsplan (download)"
    else:
        p0 = float(danmark.national_rate(AREA, PERIOD)["omg_pct"].mean()) / 100
        p0_label = "landsplan (bundled)"
    if not np.isfinite(p0):
        p0, p0_label = float(units["omgjort"].sum() / units["n"].sum()), "samlet rate for enhederne"
else:
    p0 = float(units["omgjort"].sum() / units["n"].sum())
    p0_label = "samlet rate (demonstration)"
print(f"reference rate for the funnel and ranks: {p0:.3f} ({p0_label})")

# %% [markdown]
# Each bundled unit against the national figure closest to its scope (exact 95 % interval for its
# own rate; the reference is the mean of the national figures for the years its period touches).
# The mapping of scopes is our judgement and is stated in the table: Sorø's "all Serviceloven
# appeals" is compared with the socialområde map (all Serviceloven provisions with appeal access);
# Morsø's "all social and employment appeals" with Ankestyrelsen's figure for all municipal social
# and employment cases; Solrød's figure covers only *selected* voksenhandicap paragraphs, whose own
# national rate is not published.

# %%
closest = {"voksenhandicap": "voksenhandicap", "boernehandicap": "boernehandicap",
           "socialomraadet": "socialomraadet", "serviceloven_klagestatistik": "socialomraadet",
           "social_og_beskaeftigelse_i_alt": "kommunale_social_beskaeftigelse_i_alt"}
own = danmark.binomial_ci(units["omgjort"], units["n"], method="exact")
own["reference_area"] = units["area"].map(closest)
own["reference"] = [danmark.national_rate(a, p)["omg_pct"].mean() / 100 if isinstance(a, str) else np.nan
                    for a, p in zip(own["reference_area"], units["period"], strict=True)]
own["interval_vs_reference"] = np.select(
    [own["reference"].isna(), own["lower"] > own["reference"], own["upper"] < own["reference"]],
    ["no national figure bundled", "above", "below"], default="compatible")
own.round(3)

# %% [markdown]
# Solrød (10 of 14, against about 38 % for the whole voksenhandicap area) and Morsø (13 of 26 in
# half a year, against 26 % for all municipal social and employment cases in 2021) lie above their
# references even with exact intervals; Vordingborg's 5 of 9 and Sorø's 22 of 64 are compatible with
# theirs. No national voksenhandicap figure for 2024 is bundled, so Helsingør's 12 of 22 has no
# reference here (notebook 05 discusses it). These are single units against a national figure; the
# rest of this section is about comparing units with each other.
#
# ### Funnel plot
#
# Exact binomial limits around the reference (`danmark.funnel_limits`, `plotting.funnel_plot`).

# %%
limits = danmark.funnel_limits(int(max(units["n"].max(), 100)), p0=p0, method="exact")
flags = danmark.funnel_flags(units["omgjort"], units["n"], p0=p0)
with plotting.style():
    fig, ax = plt.subplots(figsize=(7, 4.5))
    if FULL:  # kommuner outside the 99.8 % limits are named
        plotting.funnel_plot(units["omgjort"], units["n"], limits, p0=p0, ax=ax)
    else:  # five units: each named, placed by hand so that no two names overlap
        plotting.funnel_plot(units["omgjort"].to_numpy(), units["n"].to_numpy(), limits, p0=p0, ax=ax)
        place = {"Vordingborg 2019": ((0, -12), "center")}  # below its point, clear of Helsingør's name
        for name, row in units.iterrows():
            offset, ha = place.get(name, ((5, 3), "left"))
            ax.annotate(name, (row["n"], 100 * row["omgjort"] / row["n"]), xytext=offset,
                        textcoords="offset points", ha=ha, fontsize=7)
    title = (f"{pretty(AREA)} {PERIOD}: {len(units)} kommuner" if FULL else
             "DEMONSTRATION: 5 real units of different areas and periods, around their pooled rate")
    ax.set_title(title)
    _ = plotting.save_figure(fig, "06_funnel" + fig_suffix, formats=("png", "svg"))
    plt.show()

# %%
flags[["k", "n", "rate", "z", "p_value", "flag"]].round(3)

# %% [markdown]
# `funnel_flags` flags a unit by the exact binomial test, the same way in both directions: "above
# 95%" when P(X ≥ k | p₀) < 2.5 % and "below 95%" when P(X ≤ k | p₀) < 2.5 % (`p_value` is that
# one-sided tail), here against the pooled rate of the five units, 45.9 %. No unit is flagged.
# Solrød (10 of 14, p = 0.049) and Sorø (22 of 64, p = 0.041) come closest, in opposite
# directions: each would be flagged by a one-sided test at 5 %, neither by the two-sided 95 %
# funnel. Solrød's point is drawn just above the dashed 95 % line because the drawn limits
# interpolate between whole counts (Spiegelhalter 2005, appendix A.1.1), which puts the line at
# about 69 % for n = 14, below 10/14 = 71 %, although 10 of 14 is not rare enough under p₀.
# For borderline units, read the table rather than the picture.

# %% [markdown]
# ### League table with shrinkage, and rank intervals
#
# The hierarchical beta-binomial model (`danmark.hierarchical`, BDA3's hyperprior) estimates how much
# the units really differ and shrinks each rate accordingly; the thin grey line under each unit is
# its exact interval without shrinkage. Posterior draws of all rates at once then give each unit's
# distribution of ranks (`rank_uncertainty`): the 95 % rank interval and the probability of being
# ranked at the top.

# %%
hier = danmark.hierarchical(units["omgjort"], units["n"], seed=SEED)
league = hier.units.join(own[["lower", "upper"]].rename(columns={"lower": "raw_lower", "upper": "raw_upper"}))
top_k = TOP if len(units) >= 2 * TOP else 1
draws = hier.draws(4000, seed=SEED)
ranks = danmark.rank_uncertainty(draws, names=list(units.index), top=top_k)
hyper = hier.hyper  # posterior medians and 95 % intervals (the means of alpha + beta are infinite)
print(f"population mean alpha/(alpha + beta): median {hyper.loc['mean', 'median']:.3f} "
      f"(95 % {hyper.loc['mean', 'lower']:.3f} to {hyper.loc['mean', 'upper']:.3f})")
print(f"strength alpha + beta: median {hyper.loc['strength', 'median']:,.1f} "
      f"(95 % {hyper.loc['strength', 'lower']:,.1f} to {hyper.loc['strength', 'upper']:,.0f})")
league.join(ranks).sort_values("mean_rank")[
    ["k", "n", "raw", "estimate", "lower", "upper", "weight", "mean_rank", "rank_lower", "rank_upper", "p_top"]
].head(SHOW).round(3)

# %%
show = ranks.head(SHOW).index
with plotting.style():
    fig, axes = plt.subplots(1, 2, figsize=(12, max(4.0, 0.22 * len(show) + 1.8)))
    plotting.caterpillar(league.loc[show], reference=(p0, p0_label), ax=axes[0])
    axes[0].set_ylabel("")
    axes[0].set_title("Shrunk estimates (hierarchical) and exact intervals", pad=34)
    plotting.rank_plot(ranks.loc[show], ax=axes[1], p_top_label=f"P(rang ≤ {top_k})")
    axes[1].set_ylabel("")
    axes[1].set_title("Rank intervals (95 %)", pad=34)
    if not FULL:
        fig.suptitle("DEMONSTRATION on 5 real units of different areas and periods", y=1.02)
    fig.tight_layout()
    _ = plotting.save_figure(fig, "06_league_ranks" + fig_suffix, formats=("png", "svg"))
    plt.show()

# %% [markdown]
# With the bundled rows this is a demonstration only: ranking Solrød's voksenhandicap paragraphs
# over 3.5 years against Morsø's half-year of all social and employment cases compares unlike
# things. What it shows about the *method* holds generally: with five units and at most 64 cases
# each, every unit's 95 % rank interval covers most of the possible ranks, and no unit is
# reliably first, although the raw rates run from 34 % to 71 %. Five units also say little about
# how much units differ: the posterior median of the strength α + β is about 16, but its 95 %
# interval runs from about 2 (units differ wildly) to about 1,500 (hardly at all), and the shrunk
# estimates average over that.
#
# With a full download, the same cells show all kommuner of the chosen area and period: the funnel
# with the real national rate, the league table of shrunk rates, and for each kommune how sure one
# can be that it belongs among the `TOP` highest.

# %%
if FULL:
    raw_map = pd.Series((units["omgjort"] / units["n"]).to_numpy(), index=units["kommunekode"])
    width = pd.Series((own["upper"] - own["lower"]).to_numpy(), index=units["kommunekode"])
    shrunk_map = pd.Series(hier.units["estimate"].to_numpy(), index=units["kommunekode"])
    with plotting.style():
        fig, axes = plt.subplots(1, 2, figsize=(12, 5.6))
        plotting.kommune_map(raw_map, uncertainty=width, ax=axes[0], vmin=0, vmax=1)
        axes[0].set_title(f"{pretty(AREA)} {PERIOD}: raw rate, faded by interval width")
        plotting.kommune_map(shrunk_map, ax=axes[1], vmin=0, vmax=1)
        axes[1].set_title(f"{pretty(AREA)} {PERIOD}: shrunk estimate (hierarchical)")
        fig.tight_layout()
        _ = plotting.save_figure(fig, "06_full_map", formats=("png", "svg"))
        plt.show()
else:
    print("No full map: the bundled data hold counts for no Danmarkskort area and period with "
          f"{MIN_UNITS_FULL} or more kommuner. Set DANMARK_DATA to a Talportal or ANKEAST1 download.")

# %% [markdown]
# ## 4 · Verdict
#
# **The national picture holds; a kommune's colour on the map cannot be checked with the bundled
# data, and where it can be checked, it needs its n.**
#
# * **National rates: holds.** About a third to half of appealed social decisions are reversed,
#   mostly by hjemvisning, and this rests on thousands of cases a year. The one anomaly, voksenhandicap
#   2017 at 21 %, may reflect a different scope of that year's map rather than a sudden change;
#   that explanation is unverified.
# * **The municipal map: cannot be settled here.** The bundled municipal figures are percentages
#   from the press, mostly without the number of cases; they show a wide spread (0 % to 83 % on
#   børnehandicap 2017–2018), but whether it is more than noise needs the counts.
# * **Ranks: with few cases, wide.** On the five real units with counts, every rank interval spans
#   most of the table. The same tools on all 98 kommuner (a full download) show which kommuner are
#   reliably high, and notebook 07 shows what selecting on raw rates does.
#
# ## What data would settle it
#
# The counts behind each map: realitetsbehandlede sager with stadfæstet, ændret/ophævet and hjemvist
# per kommune and year, for each area (Ankestyrelsen's Talportal, or Statistikbanken ANKEAST1), and
# the list of paragraphs each year's map covered (to settle the 2017 voksenhandicap scope). Point
# `DANMARK_DATA` at the download and rerun this notebook.

# %% [markdown]
# ## Sources

# %%
keys = list(dict.fromkeys(
    ["seed_minister_2024", "seed_helsingor_2025"] + list(nat_maps["source"]) + list(shown["source"]) + list(cases["source"])
    + ["dagi_geo", "dagi_kommuner"]
))
src = danmark.load_sources().set_index("key")
src = src.loc[[k for k in keys if k in src.index]]
for key, row in src.iterrows():
    print(f"{key}: {row['publisher']}, {row['title']}. {row['url_or_document']}")

# %% [markdown]
# Literature: Spiegelhalter (2005), Funnel plots for comparing institutional performance,
# *Statistics in Medicine* 24:1185–1202; Goldstein & Spiegelhalter (1996), League tables and their
# limitations, *JRSS A* 159:385–443; Gelman et al. (2013), *Bayesian Data Analysis*, 3rd ed., ch. 5.

# %% [markdown]
# ## Versions

# %%
# NBVAL_IGNORE_OUTPUT
danmark.versions()
