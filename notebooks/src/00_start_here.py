# %% [markdown]
# # 00 · Start here: what the Danmarkskort measures and what danmark ships
#
# Every year the ministry publishes, for each of the 98 kommuner, the share of appealed social
# decisions that Ankestyrelsen reverses: the **omgørelsesprocent**. The map also informs who is
# offered a long taskforce course: of the eight courses a year, four are reserved for kommuner with
# the greatest need for help, chosen on the basis of the Danmarkskort; in 2024 six kommuner were
# offered such reserved courses, and two declined (source `seed_minister_2024`). Several kommuner
# have answered that their figure rests on few cases, or counts the wrong things as errors. The
# notebooks in this folder test those answers with the data and with honest uncertainty.
#
# This notebook shows (1) how the rate is computed, (2) what real figures are bundled and where each
# comes from, (3) how to load a full official download and rerun every notebook on it, and (4) the
# faktaark a kommune can put on its kommunalbestyrelse's dagsorden.

# %%
import os

import pandas as pd

import danmark

pd.set_option("display.max_colwidth", 60)
pd.set_option("display.width", 120)

# %% [markdown]
# ## 1 · How the omgørelsesprocent is computed
#
# Ankestyrelsen decides each appeal in one of four ways: **stadfæstet** (upheld), **ændret/ophævet**
# (changed or annulled), **hjemvist** (sent back to the kommune to decide again) or **afvist**
# (rejected or referred without a decision on the merits). Only the first three are
# *realitetsbehandlede sager*, and the rate is
#
# $$\text{omgørelsesprocent} = \frac{\text{ændret/ophævet} + \text{hjemvist}}{\text{stadfæstet} + \text{ændret/ophævet} + \text{hjemvist}}.$$
#
# Afviste sager are left out. Ankestyrelsen's own worked example (its statistics glossary on ast.dk,
# source `ankestyrelsen_example`) has 19 hjemvist, 5 ændret and 105 stadfæstet; `danmark.with_rates` derives `n`, `omgjort` and
# `omg_pct` from the three counts, and adding afviste cases changes nothing:

# %%
example = pd.DataFrame(
    {"stadfaestet": [105, 105], "aendret": [5, 5], "hjemvist": [19, 19], "afvist": [0, 30]},
    index=["worked example", "same, with 30 afviste"],
)
danmark.with_rates(example).round(1)

# %% [markdown]
# (19 + 5) / 129 = 18.6 %, which Ankestyrelsen prints as 19 %. Note what the rate lumps together: a
# *hjemvisning* often means the case was not sufficiently documented, or that new information or a
# new practice arrived; it is not the same as a wrong result. Notebooks 03 and 05 come back to this.

# %% [markdown]
# ## 2 · What is bundled
#
# danmark ships **only published figures**, each row naming its source. No complete table of counts
# for all 98 kommuner could be obtained for the bundle; the official maps and Ankestyrelsen's
# Talportal hold them (section 3 shows how to use them). What there is:

# %%
tables = {
    "cases (full counts)": danmark.load_cases(),
    "published_rates (percentages, bounds, partial counts)": danmark.load_published_rates(),
    "national (landsplan rates)": danmark.load_national(),
    "claims (the arguments tested)": danmark.load_claims(),
}
pd.DataFrame(
    {
        "rows": {name: len(t) for name, t in tables.items()},
        "kommuner": {name: t["kommune"].nunique() if "kommune" in t else 0 for name, t in tables.items()},
        "sources": {name: t["source"].nunique() for name, t in tables.items()},
    }
)

# %% [markdown]
# The rows with all three counts, and their derived rates. Solrød's and Helsingør's come from their
# own documents; the others from a kommune's news page and local press:

# %%
cases = danmark.load_cases()
cases[["kommune", "period", "area", "stadfaestet", "aendret", "hjemvist", "afvist", "n", "omgjort", "source"]].assign(
    omg_pct=cases["omg_pct"].round(1)
)

# %% [markdown]
# The national rates, one preferred row per year and area (where sources disagree, every row is
# kept and the official one is marked `preferred`; `data/README.md` gives the rule). The 21 % for
# voksenhandicap 2017 is printed as the ministry's page gives it; it is far below the later years,
# and the map's scope that year may have been different (unverified; see notebook 06):

# %%
nat = danmark.load_national(preferred_only=True)
maps = nat[nat["area"].isin(["socialomraadet", "boernehandicap", "voksenhandicap"])]
maps.pivot(index="period", columns="area", values="omg_pct")

# %% [markdown]
# Each `source` key resolves to a publisher, a title and a URL or document. By type:

# %%
sources = danmark.load_sources()
sources["type"] = sources["source_type"].str.extract(r"^(official|news|trade|secondary|local|association)", expand=False).fillna("other")
sources.groupby("type").size().rename("sources").to_frame()

# %%
sources.set_index("key").loc[["seed_solrod_2024", "seed_helsingor_2025", "sm.dk:omgoerelsesprocenter-paa-socialomraadet-i-2022"],
                             ["publisher", "title", "url_or_document"]]

# %% [markdown]
# ## 3 · Loading a full official download
#
# Analysts with internet access download the complete tables and danmark reads them as they come:
#
# * **Ankestyrelsen's Talportal**: the *CSV-fil* download (Latin-1, `;`, quoted text, `NA` for a
#   count with no cases, `Inf` for a rate without a denominator, decimal comma) and the *XLSX (Excel)*
#   download (sheet "Som tabel", periods across, missing written as 0): `danmark.read_talportal(path)`.
#   The README's "Getting the official data" gives the click path and the boxes to tick.
# * **Statistikbanken** ANKEAST1 (yearly) and ANKEAST2 (quarterly) downloads, in either of Statistics
#   Denmark's CSV dialects: `danmark.read_statbank(path)`.
#
# `danmark.read_any(path)` recognises which it is. All return the same tidy table as `load_cases()`.
# To show the round trip without inventing numbers, we write two of the bundled *real* rows in the
# layout of the Talportal's CSV-fil download (as R's `write.table` writes it) and read the file back:

# %%
import csv
import tempfile
from pathlib import Path

real = cases[cases["kommune"].isin(["Helsingør", "Vordingborg"])]
export = pd.DataFrame({
    "Kommune": real["kommune"],
    "Lovgivning": "Serviceloven",
    "Sagsemne": real["area"].str.capitalize(),
    "periode": real["period"],
    "Realitetsbehandlede sager i alt": real["n"],
    "Stadfæstede sager": real["stadfaestet"],
    "Ændrede/ophævede sager": real["aendret"],
    "Hjemviste sager": real["hjemvist"],
})
path = Path(tempfile.mkdtemp()) / "data.csv"
export.to_csv(path, sep=";", decimal=",", index=False, na_rep="NA", encoding="latin-1",
              quoting=csv.QUOTE_NONNUMERIC)
print(path.read_text(encoding="latin-1"))

# %%
back = danmark.read_any(path)
back[["kommunekode", "kommune", "period", "area", "stadfaestet", "aendret", "hjemvist", "afvist"]]

# %% [markdown]
# Bad input never becomes a number: the readers raise `danmark.DataError` naming the file, row and
# column. For example, a count of reversals larger than the decided cases:

# %%
bad = export.copy()
bad.loc[bad.index[0], "Hjemviste sager"] = 40
bad.to_csv(path, sep=";", decimal=",", index=False, na_rep="NA", encoding="latin-1",
           quoting=csv.QUOTE_NONNUMERIC)
try:
    danmark.read_talportal(path)
except danmark.DataError as err:
    print("DataError:", str(err).replace(str(path), "data.csv"))

# %% [markdown]
# `danmark.aggregate` pools periods and paragraph groups (Solrød's figure covers 2020 to the first half
# of 2023), and `danmark.load_data()` is what every notebook calls: it returns the bundled figures,
# or, when the environment variable **`DANMARK_DATA`** names a downloaded file, that file. To rerun the
# whole suite on a full download:
#
# ```sh
# export DANMARK_DATA=~/Downloads/Talportal_export.csv
# jupyter lab notebooks/          # or: python tools/render_notebooks.py --execute
# ```

# %%
os.environ.pop("DANMARK_DATA", None)  # this rendering uses the bundled figures
len(danmark.load_data())

# %% [markdown]
# ## 4 · A faktaark for the kommunalbestyrelse
#
# Every year each kommunalbestyrelse must discuss the Danmarkskort (retssikkerhedslovens § 79 b).
# `danmark.faktaark(kommune)` returns one self-contained HTML page in Danish for that dagsorden: the
# counts, the omgørelsesprocent with its exact interval, the shrunk estimate with its stated prior and
# how much the conclusion depends on it, the probability that the true rate is above the national rate,
# the ændret/hjemvist split, the trend, what it would take to reach or to tell apart from the national
# rate, the sources of every number, and a paragraph in plain Danish on what the numbers can and cannot
# say. Figures are inline SVG and nothing is fetched, so the file can be mailed, attached or printed to
# PDF (one or two A4 pages). With a full download (`data=...`) the page also places the kommune in the
# funnel of all kommuner and gives its rank with an interval; on the command line,
# `danmark faktaark Solrød --out solrod.html` writes one page and
# `danmark faktaark --all --data data.csv --out faktaark/` one per kommune plus an index. A kommune
# without counts gets a page that says what is missing and how to get the download.
#
# The page's summary for Solrød, on the bundled figures:

# %%
import html
import re

page = danmark.faktaark("Solrød", out=Path(tempfile.mkdtemp()) / "solrod.html")
summary = re.search(r"<h2>Kort fortalt</h2><div class='box'><p>(.*?)</p>", page, flags=re.S).group(1)
print(html.unescape(summary))

# %% [markdown]
# Every number on the page carries its exact value (`data-k`, `data-v`), so it can be checked against
# the library: the same call gives the same result.

# %%
on_page = {k: float(v) for k, v in re.findall(r'data-k="([^"]+)" data-v="([-0-9.e]+)"', page)}
solrod = danmark.kommune_report("Solrød").areas[0]
pd.DataFrame({
    "on the page": [on_page["rate"], on_page["exact_lower"], on_page["exact_upper"], on_page["shrunk"],
                    on_page["prob_above"]],
    "kommune_report": [solrod.rate, *solrod.exact, solrod.shrunk[0], solrod.prob_above],
}, index=["omgørelsesprocent", "exact lower", "exact upper", "shrunk estimate", "P(above national)"]).round(4)

# %% [markdown]
# ## 5 · The notebooks
#
# | notebook | question |
# | --- | --- |
# | `01_small_numbers` | why raw rates mislead on small n (a labelled simulation, and BDA3's rat tumours as the textbook check) |
# | `02_solrod` | is 10 of 14 "few cases"? |
# | `03_odsherred` | one error in an audit; remands after a change of practice |
# | `04_frederiksberg` | "below the national average"; no significant or systematic errors in 15 reviewed case types |
# | `05_helsingor` | is 55 % on 22 decisions "the same level as most kommuner"? |
# | `06_danmarkskort` | the national picture: trends, a map of what is known, funnel and ranks |
# | `07_taskforce_selection` | how selection on noisy rates behaves, and fairer rules |
#
# On the command line, `danmark report Solrød` prints the same summary for any kommune with counts.

# %% [markdown]
# ## Versions

# %%
# NBVAL_IGNORE_OUTPUT
danmark.versions()
