# %% [markdown]
# # 06 · Danmarkskortet: landsbilledet, og hvad en kommunes plads på kortet kan fortælle
#
# Hvert år offentliggør Social- og Boligministeriet tre kort over Ankestyrelsens
# omgørelsesprocenter (socialområdet, børnehandicap, voksenhandicap) med én farve pr. kommune.
# Kortene bruges, når Taskforce handicap udvælger kommuner: af taskforcens otte forløb om året er
# fire forbeholdt de kommuner, der har størst behov for hjælp, udvalgt på grundlag af Danmarkskortet
# (ministerens orientering af Folketingets Socialudvalg, 29. maj 2024; Social- og boligministeren 2024).
# I 2024 fik seks kommuner tilbudt et forbeholdt forløb. Helsingør blev inviteret allerede i 2021,
# blandt andet på grund af antallet af tabte klagesager (Helsingør Kommune 2025; notesbog 05
# og 07). Et kort siger underforstået, at farverne sammenligner kommuner: mørkere er værre.
#
# Notesbogen (1) viser landstallene over årene, (2) tegner alle de kommunale tal, pakken
# indeholder, på et kort – med usikkerheden, hvor den kan vises, og uden at udfylde noget – og (3)
# viser for enhederne med fulde optællinger, hvad et tragtdiagram (funnel plot) siger. (4)
# Rangordninger og rangintervaller vises kun for sammenlignelige enheder: med pakkens data på et
# **simuleret** kort, der er mærket som sådan.
#
# **Med en fuld officiel download** (Ankestyrelsens Talportal eller Statistikbanken ANKEAST1), som
# miljøvariablen `DANMARK_DATA` peger på, viser afsnit 3 og 4 det fulde billede: alle 98 kommuner i
# det område og den periode, der vælges nedenfor. Den viste version bruger pakkens egne tal.

# %% tags=["setup"]
import os
import sys
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

import danmark
from danmark import plotting
from danmark.plotting import area_name, fmt_pct
from danmark.simulate.scenarios import SOCIALOMRAADET_2022_N

%matplotlib inline
pd.set_option("display.width", 120)


def kilde(fig, text, y=0.005):
    """Source line at the foot of a figure."""
    fig.text(0.01, y, "Kilde: " + text, fontsize=6.5, color="#444444", ha="left", va="bottom", wrap=True)


danmark.danish_warnings()  # danmarks advarsler (fx om en download) som én dansk linje


# %% [markdown]
# ## Parametre
#
# Ændr dem og kør notesbogen igen. De har kun betydning, når data har optællinger for mange
# kommuner (en fuld download); med pakkens tal siger notesbogen, hvad den kan vise i stedet.
#
# * `AREA`: Danmarkskort-området i afsnit 3 og 4 (`"socialomraadet"`, `"boernehandicap"` eller
#   `"voksenhandicap"`).
# * `PERIOD`: perioden som i data (`"2022"`, `"2023H1"`, ...); `None` vælger perioden med flest
#   kommuner for `AREA` (den seneste, hvis flere står lige).
# * `TOP`: størrelsen af den "værste" gruppe, hvis sandsynlighed for medlemskab vises (fire forløb
#   om året er forbeholdt kommunerne med størst behov).
# * `MIN_UNITS_FULL`: så mange kommuner med optællinger for `AREA` og `PERIOD` slår det fulde billede til.
# * `SHOW`: hvor mange kommuner rangtabellen og rangfiguren viser.
# * `FRØ`: startværdien for simuleringen og for posteriortrækningerne bag rangintervallerne.

# %% tags=["setup"]
AREA = "socialomraadet"
PERIOD = None
TOP = 4
MIN_UNITS_FULL = 20
SHOW = 30
FRØ = 2024

# %% [markdown]
# ## 1 · Landsbilledet
#
# De landsdækkende omgørelsesprocenter for kortenes tre områder, ét foretrukket tal pr. år og område
# (`data/national.csv` gemmer hver kildes tal og markerer ét som foretrukket: officielt før nyheder
# før sekundære kilder). Søjlerne viser fordelingen på ændret/ophævet og hjemvist, hvor en kilde
# har trykt den: børnehandicap 2019 og 2020 (glatte søjler) og socialområdet 2021 og 2022
# (skraverede søjler). For voksenhandicap er der ingen fordeling i pakken.

# %%
national = danmark.load_national(preferred_only=True)
map_areas = ["socialomraadet", "boernehandicap", "voksenhandicap"]
nat_maps = national[national["area"].isin(map_areas) & national["period"].str.fullmatch(r"\d{4}")]
pivot = nat_maps.pivot(index="period", columns="area", values="omg_pct")[map_areas] / 100
danmark.danish_table(pivot.rename_axis(index="år", columns=None), columns={a: area_name(a) for a in map_areas},
                     percent=map_areas, table_id="landstal").format_index(str, axis=0)

# %%
NATIONAL_SOURCES = ("Social- og Boligministeriet, Danmarkskort over Ankestyrelsens omgørelsesprocenter "
                    "2017–2022 (sm.dk); for år uden ministeriets side: Ritzau via BT, TV 2 Fyn, DK Nyt, "
                    "Polio.dk; voksenhandicap 2018: Danske Handicaporganisationer, pressemeddelelse 7.3.2019 (sekundær "
                    "kilde); voksenhandicap 2022: cfdblogger.dk (sekundær kilde)")
with plotting.style():
    fig, ax = plt.subplots(figsize=(7.5, 4.4))
    plotting.trend(nat_maps, ax=ax, split=["boernehandicap", "socialomraadet"])  # the areas with a split
    ax.set_title("Omgørelsesprocent på landsplan pr. Danmarkskort-område (som offentliggjort)")
    ax.annotate("2017: 21 % som trykt;\nkortets omfang ikke oplyst", (2017, 21), xytext=(2017.3, 8),
                fontsize=7, arrowprops={"arrowstyle": "-", "lw": 0.6})
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.subplots_adjust(bottom=0.2, right=0.7)
    kilde(fig, NATIONAL_SOURCES)
    _ = plotting.save_figure(fig, "06_national_trend", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# Hvad landstallene viser:
#
# * **En tredjedel til halvdelen af de påklagede afgørelser omgøres**, hvert år og på alle tre
#   områder: socialområdet 32–41 %, børnehandicap 36–52 %, voksenhandicap 34–46 % (2019–2022; pakken
#   har intet voksenhandicaptal for 2016, så den linje begynder i 2017).
# * **Landstallene er selv skøn, og deres præcision afhænger af området** (tabellen nedenfor,
#   `danmark.national_precision`): socialområdet bygger på over 8.000 sager om året (ca. ±1 point),
#   børnehandicap på ca. 2.000–2.700 (ca. ±2 point), men voksenhandicap kun på ca. 700–1.300 afgjorte
#   klagesager om året (KL's tal), ca. ±3 point. En ændring fra et år til det næste skal for
#   voksenhandicap være over ca. 4–5 point, før den er mere end tilfældet: faldet fra 42,4 % (2020) til
#   34,3 % (2021) er det, stigningen til 38,9 % (2022) er det knap.
# * **De fleste omgørelser er hjemvisninger.** Hvor fordelingen er trykt, er hjemvist 2,2 til 3,2
#   gange ændret/ophævet: 2,2 og 2,4 gange for børnehandicap 2019 og 2020 (2019: 35,0 % mod 15,6 %),
#   3,1 og 3,2 gange for socialområdet 2021 og 2022 (2022: 28,5 % mod 9,0 %). Notesbog 03 drøfter,
#   hvad en hjemvisning betyder og ikke betyder.
# * **2021 var lavt på alle tre områder** (31,8 %, 35,9 %, 34,3 %); 2022-tallene i pakken
#   (socialområdet, voksenhandicap) er højere igen. Pakken har intet landstal for børnehandicap 2022.
# * **Voksenhandicaptallet for 2017, 21 %, skiller sig ud**; to år senere stod samme område på 46 %.
#   Datapakkens læsning, den samme i alle notesbøger, står under tabellen nedenfor.
# * Voksenhandicaptallet for 2022 (38,9 %) stammer fra en sekundær kilde (en blog, der citerer en
#   Talportal-analyse) og er endnu ikke tjekket mod ministeriets side. Det gælder også 2018-tallet
#   (32 %), som kun findes i en pressemeddelelse fra Danske Handicaporganisationer (7. marts 2019),
#   der citerer Ankestyrelsens nye tal.

# %%
kind = {"official": "officiel (ministeriet)", "news": "nyhedsmedie", "secondary": "sekundær (blog)",
        "association": "forening", "local": "lokalmedie", "trade": "fagpresse"}
vh = nat_maps[nat_maps["area"] == "voksenhandicap"].assign(
    omg=lambda d: d["omg_pct"] / 100,
    kildetype=lambda d: d["source_type"].map(  # an association quoting the figures is not a blog
        lambda t: "sekundær (forening)" if t.startswith("secondary (association") else kind.get(t.split(" ")[0])),
    udgiver=lambda d: d["source"].str.split(":").str[0])
danmark.danish_table(vh.set_index("period").rename_axis("år"),
                     columns={"omg": "omgørelsesprocent", "kildetype": "kildetype", "udgiver": "udgiver"},
                     percent=["omg"], table_id="vh").format_index(str, axis=0)

# %%
print(danmark.suite_fact("voksenhandicap_2017"))

# %% [markdown]
# Landstallenes egen præcision, ud fra de sagstal, datapakken har for hvert område (95 %; hvor tallet
# er afgjorte klagesager, som kan omfatte afviste, er de realitetsbehandlede færre, og usikkerheden
# mindst så stor):

# %%
prec = danmark.national_precision()
danmark.danish_table(
    prec.assign(n=[f"{danmark.danish_number(a, decimals=0)}–{danmark.danish_number(b, decimals=0)}"
                   for a, b in zip(prec["n_min"], prec["n_max"], strict=True)],
                kilde=[danmark.citation(s) for s in prec["source"]]).rename(index=area_name).rename_axis("område"),
    columns={"years": "år med sagstal", "n": "sager om året", "reference": "landsprocent (gennemsnit)",
             "half_width_min": "usikkerhed ±, fra", "half_width_max": "til", "change_min": "ændring over tilfældet, fra",
             "change_max": "til ", "kilde": "kilde"},
    percent=["reference", "half_width_min", "half_width_max", "change_min", "change_max"], table_id="praecision")

# %% [markdown]
# ## 2 · Alle kommunale tal i pakken, på kortet – med deres usikkerhed
#
# Der kunne ikke pakkes en fuldstændig tabel med kommunale tal (`data/README.md`). Det, der findes,
# er procenter, grænser og delvise optællinger fra pressen, kommunerne selv og ministeriets egne
# lister. Pr. område og år:

# %%
published = danmark.load_published_rates(preferred_only=True)
on_maps = published[published["area"].isin(map_areas)].assign(
    has_figure=lambda d: d["omg_pct"].notna() | d["omg_pct_bound"].notna(), has_n=lambda d: d["n"].notna())
overview = on_maps[on_maps["has_figure"]].groupby(["area", "period"]).agg(
    kommuner=("kommune", "size"), med_n=("has_n", "sum"), laveste=("omg_pct", "min"), hoejeste=("omg_pct", "max"),
    landsplan=("national_omg_pct", "max"))
overview[["laveste", "hoejeste", "landsplan"]] /= 100
danmark.danish_table(
    overview.rename(index=area_name, level="area").rename_axis(["område", "periode"]),
    columns={"kommuner": "kommuner med et tal", "med_n": "heraf med antal sager", "laveste": "laveste trykte",
             "hoejeste": "højeste trykte", "landsplan": "landsplan (samme kilde)"},
    percent=["laveste", "hoejeste", "landsplan"], table_id="oversigt")

# %% [markdown]
# Tre område-år har trykte procenter for fem eller flere kommuner: børnehandicap 2018 (mest de fynske
# kommuner, fra én artikel hos TV 2 Fyn, plus nogle få andre), børnehandicap 2017 og socialområdet
# 2017. **Næsten ingen af procenterne kommer med antallet af sager**, og uden det kan en procent ikke
# få et interval (notesbog 01). Kortene nedenfor viser derfor usikkerheden på den eneste ærlige
# måde, de bundne tal tillader: en kommune med et trykt antal sager er tonet efter bredden af sit
# eksakte 95 %-interval (jo blegere, jo mere usikker), og **en kommune, hvis procent er trykt uden
# antal sager, er krydsskraveret**: dens farve kan ikke vurderes. Kommuner uden tal i pakken er grå og
# skraverede; intet er udfyldt, interpoleret eller simuleret.
#
# For socialområdet 2022 trykte fagpressen (NB-Kommune, 15. marts 2023) kun **grænser**: kommuner
# over 55 % og under 25 % (og udelod Ærø, Læsø og Samsø på grund af få sager); Fredericias eget tal
# (27,9 %, lokalavis) ligger imellem. Artiklen skriver »kommuner som« Herlev, Skive … og »kommuner
# som« Ballerup, Bornholm …: **det er eksempler, ikke en fuldstændig liste.** De kommuner, artiklen
# ikke nævner, er derfor *ikke* dokumenteret at ligge mellem 25 og 55 %; de er blot ikke nævnt. Den
# læsning bruges i alle notesbøger: fire kommuner over 55 % er et mindstetal.

# %%
pct_maps = [("boernehandicap", "2018"), ("boernehandicap", "2017"), ("socialomraadet", "2017")]
bounds = on_maps[(on_maps["area"] == "socialomraadet") & (on_maps["period"] == "2022")]
category = np.where(bounds["omg_pct_bound"].str.startswith(">55", na=False), 1.0,
                    np.where(bounds["omg_pct_bound"].str.startswith("<25", na=False), 0.0, 0.5))
category = pd.Series(category, index=bounds["kommunekode"])  # category codes, not rates
cat_colors = [plotting.PALETTE["skyblue"], plotting.PALETTE["yellow"], plotting.PALETTE["vermillion"]]
with plotting.style():
    fig, axes = plt.subplots(2, 2, figsize=(12, 11))
    for ax, (area, period) in zip(axes.ravel()[:3], pct_maps, strict=True):
        part = on_maps[(on_maps["area"] == area) & (on_maps["period"] == period) & on_maps["omg_pct"].notna()]
        part = part.set_index("kommunekode")
        counted = part[part["n"].notna()]
        width = None
        if len(counted):  # exact interval widths where a number of cases was printed
            ci = danmark.binomial_ci(np.rint(counted["omg_pct"] / 100 * counted["n"]).astype(int),
                                     counted["n"].astype(int), method="exact")
            width = pd.Series((ci["upper"] - ci["lower"]).to_numpy(), index=counted.index)
        plotting.kommune_map(part["omg_pct"] / 100, ax=ax, vmin=0, vmax=1, uncertainty=width,
                             hatch=list(part.index[part["n"].isna()]), hatch_label="trykt uden antal sager",
                             missing_label="ingen tal i pakken")
        ax.set_title(f"{area_name(area)} {period}: {len(part)} kommuner med et trykt tal, "
                     f"{len(counted)} med antal sager")
    ax = axes[1, 1]
    plotting.kommune_map(category, ax=ax, cmap=ListedColormap(cat_colors), vmin=0, vmax=1, colorbar=False)
    ax.legend(handles=[Patch(color=cat_colors[2], label="nævnt over 55 %"),
                       Patch(color=cat_colors[1], label="25–55 % (Fredericia: 27,9 %)"),
                       Patch(color=cat_colors[0], label="nævnt under 25 %"),
                       Patch(facecolor="#EEEEEE", edgecolor="#9A9A9A", hatch="////",
                             label="ikke nævnt (artiklen giver eksempler)")],
              loc="upper left")
    ax.set_title(f"socialområdet 2022: grænser som trykt ({len(bounds)} kommuner nævnt)")
    fig.suptitle("Offentliggjorte kommunale omgørelsesprocenter i pakken (virkelige tal, næsten ingen med antal sager)",
                 y=0.99)
    fig.tight_layout(rect=(0, 0.03, 1, 0.98))
    kilde(fig, "TV 2 Fyn (2019), Ritzau via BT, lokale medier og kommunernes egne sider (børnehandicap 2017–2018, "
               "socialområdet 2017); NB-Kommune, 'Nye Danmarkskort: Halvdelen af sagerne på "
               "børnehandicapområdet blev omgjort', 15.3.2023 (socialområdet 2022); Jyllands-Avisen (Fredericia). "
               "Kommunegrænser: DAGI (Klimadatastyrelsen).")
    _ = plotting.save_figure(fig, "06_published_maps", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# De trykte tal med antal sager (de eneste, der kan få et interval):

# %%
with_n = on_maps[on_maps["has_n"] & on_maps["omg_pct"].notna()].copy()
with_n["k"] = np.rint(with_n["omg_pct"] / 100 * with_n["n"]).astype(int)
ci = danmark.binomial_ci(with_n["k"], with_n["n"].astype(int), method="exact")
with_n = with_n.assign(raw=with_n["omg_pct"] / 100, lower=ci["lower"].to_numpy(), upper=ci["upper"].to_numpy(),
                       landsplan=with_n["national_omg_pct"] / 100, omraade=with_n["area"].map(area_name))
danmark.danish_table(
    with_n.sort_values(["area", "period", "raw"], ascending=[True, True, False]).set_index("kommune"),
    columns={"omraade": "område", "period": "periode", "n": "sager", "raw": "omgørelsesprocent",
             "lower": "95 %-interval, fra", "upper": "til", "landsplan": "landsplan"},
    percent=["raw", "lower", "upper", "landsplan"], table_id="med_n")

# %% [markdown]
# På børnehandicap 2018 går de trykte rater fra 0 % (Kerteminde) til 67 % (Langeland) omkring et
# landstal på 47 %, og Ærø havde slet ingen realitetsbehandlet klagesag. Kun tre af 2018-tallene har et
# antal sager, og deres intervaller er 25–30 procentpoint brede. Kerteminde og Langeland er blandt de
# mindre fynske kommuner; uden deres antal sager kan det ikke afgøres, om 0 % og 67 % er mere end den
# støj, notesbog 01 beskriver. Det er præcis det, kortet ovenfor viser med skraveringen.
#
# ## 3 · Enheder med optællinger: tragtdiagram
#
# En fair sammenligning kræver optællingerne: med k omgjorte ud af n afgjorte får en rate et eksakt
# interval og en plads i et tragtdiagram. `danmark.load_data()` giver pakkens rækker med optællinger,
# eller den fulde download, som `DANMARK_DATA` peger på:

# %% tags=["download"]
data = danmark.load_data()
national_rows = data[data["kommunekode"] == "000"]  # "Hele landet" rows of a download, if any
cases = data[(data["kommunekode"] != "000") & (data["n"] > 0)]
in_area = cases[cases["area"] == AREA]
if PERIOD is None and not in_area.empty:
    per_period = in_area.groupby("period")["kommunekode"].nunique()
    PERIOD = max(per_period[per_period == per_period.max()].index)
full = in_area[in_area["period"] == PERIOD]
FULL = full["kommunekode"].nunique() >= MIN_UNITS_FULL
fig_suffix = "_full" if FULL else ""  # a full-download run does not overwrite the bundled-data figures
if FULL:
    units = full.set_index("kommune")
    print(f"Fuldt billede: {len(units)} kommuner med optællinger for {area_name(AREA)} {PERIOD}.")
else:
    if os.environ.get("DANMARK_DATA"):
        print(f"Filen i DANMARK_DATA har optællinger for {in_area['kommunekode'].nunique()} kommuner i "
              f"{area_name(AREA)}, færre end {MIN_UNITS_FULL}; afsnit 3 og 4 bruger derfor datapakkens egne rækker.")
    cases = danmark.load_cases()  # the bundle's rows, whatever DANMARK_DATA holds
    units = cases.assign(unit=cases["kommune"] + " " + cases["period"].map(danmark.period_name)).set_index("unit")
    units = units.rename_axis("enhed")
    print(f"Pakkens data: intet område og ingen periode har optællinger for {MIN_UNITS_FULL} eller flere "
          f"kommuner. Afsnit 3 demonstrerer metoden på de {len(units)} rækker med optællinger, som er fra "
          "forskellige områder og perioder.")
scope = {"social_og_beskaeftigelse_i_alt": "alle sociale og beskæftigelsessager",
         "serviceloven_klagestatistik": "alle klager efter serviceloven"}
danmark.danish_table(units.assign(omraade=units["area"].map(lambda a: scope.get(a, area_name(a))),
                                  raw=units["omgjort"] / units["n"], period=units["period"].map(danmark.period_name)),
                     columns={"period": "periode", "omraade": "område", "stadfaestet": "stadfæstet",
                              "aendret": "ændret/ophævet", "hjemvist": "hjemvist", "n": "sager i alt",
                              "raw": "omgørelsesprocent"}, percent=["raw"], table_id="enheder").format_index(str)

# %% [markdown]
# ### Referencen
#
# I det fulde billede er referencen landstallet for samme område og periode: downloadens "Hele
# landet"-række, hvis den har én, ellers pakkens landstal. Pakkens seks rækker dækker forskellige
# opgørelser og perioder, så **ingen fælles reference passer til dem**: hver sammenlignes først med
# det landstal, der ligger tættest på dens egen opgørelse, og tragtdiagrammet bruger derefter de seks
# enheders samlede rate alene for at *demonstrere* metoden.

# %% tags=["download"]
if FULL:
    nat_row = national_rows[(national_rows["area"] == AREA) & (national_rows["period"] == PERIOD)]
    if len(nat_row):
        p0, p0_label = float(nat_row["omgjort"].sum() / nat_row["n"].sum()), "landsplan (download)"
    else:
        p0 = float(danmark.national_rate(AREA, PERIOD)["omg_pct"].mean()) / 100
        p0_label = "landsplan (pakken)"
    if not np.isfinite(p0):
        p0, p0_label = float(units["omgjort"].sum() / units["n"].sum()), "samlet rate for enhederne"
else:
    p0 = float(units["omgjort"].sum() / units["n"].sum())
    p0_label = "samlet rate (demonstration)"
print(f"Reference for tragtdiagrammet: {fmt_pct(p0)} ({p0_label})")

# %% [markdown]
# Hver enhed mod landstallet tættest på dens opgørelse (eksakt 95 %-interval for dens egen rate;
# referencen er gennemsnittet af landstallene for de år, perioden berører). Parringen er vores
# vurdering og står i tabellen: Sorøs "alle klager efter serviceloven" sammenlignes med
# socialområdets kort (alle servicelovens bestemmelser med klageadgang); Morsøs "alle sociale og
# beskæftigelsesmæssige klager" med Ankestyrelsens tal for alle kommunale sager på social- og
# beskæftigelsesområdet; Solrøds tal dækker kun *udvalgte* voksenhandicapparagraffer, hvis eget
# landstal ikke er offentliggjort.

# %% tags=["download"]
closest = {"voksenhandicap": "voksenhandicap", "boernehandicap": "boernehandicap",
           "socialomraadet": "socialomraadet", "serviceloven_klagestatistik": "socialomraadet",
           "social_og_beskaeftigelse_i_alt": "kommunale_social_beskaeftigelse_i_alt"}
own = danmark.binomial_ci(units["omgjort"], units["n"], method="exact")
own["reference_area"] = units["area"].map(closest)
own["reference"] = [danmark.national_rate(a, p)["omg_pct"].mean() / 100 if isinstance(a, str) else np.nan
                    for a, p in zip(own["reference_area"], units["period"], strict=True)]
own["interval_vs_reference"] = np.select(
    [own["reference"].isna(), own["lower"] > own["reference"], own["upper"] < own["reference"]],
    ["intet landstal i pakken", "over", "under"], default="forenelig")
danmark.danish_table(own.assign(ref_name=own["reference_area"].map(area_name)),
                     columns={"k": "omgjort", "n": "sager", "raw": "omgørelsesprocent",
                              "lower": "95 %-interval, fra", "upper": "til", "ref_name": "sammenlignet med",
                              "reference": "landstal", "interval_vs_reference": "interval mod landstal"},
                     percent=["raw", "lower", "upper", "reference"], table_id="egen").format_index(str)

# %% [markdown]
# Solrød (10 af 14 mod ca. 38 % for hele voksenhandicapområdet) og Morsø (13 af 26 på et halvt år mod
# 26 % for alle kommunale social- og beskæftigelsessager i 2021) ligger over deres referencer, også
# med eksakte intervaller; Køges 10 af 17 (børnehandicap 2020, mod 52 %), Vordingborgs 5 af 9 og Sorøs
# 22 af 64 er forenelige med deres. Pakken har
# intet landstal for voksenhandicap 2024, så Helsingørs 12 af 22 har ingen reference her (notesbog 05
# drøfter den). Det er enkelte enheder mod et landstal; resten af afsnittet handler om at
# sammenligne enheder med hinanden.
#
# ### Tragtdiagram: binomiale og overspredningsjusterede grænser
#
# Grænserne tegnes **med præcis den regel, der markerer** (`danmark.funnel_steps`): ved hvert helt
# antal sager n ligger grænsen et halvt tilfælde ud over det sidste antal omgørelser, der *ikke*
# markeres. Et punkt ligger uden for en tegnet grænse, hvis og kun hvis `danmark.funnel_flags`
# markerer det; derfor er grænserne trapper og ikke glatte kurver. (En glattet kurve ligger her ved
# 70,3 % for n = 14 og ville tegne Solrøds 71,4 % uden for, selv om testen siger "inden for":
# p = 0,062 > 0,025.)
#
# To slags grænser (Spiegelhalter 2005):
#
# * **binomiale**: kun tilfældig variation omkring referencen; spørgsmålet er, om enhedens egen rate
#   afviger fra referencen;
# * **justeret for overspredning** (multiplikativ φ, `danmark.overdispersion_fit`): grænserne udvides
#   med √φ, når enhederne spreder mere, end tilfældet kan forklare (f.eks. fordi sagsblandingen er
#   forskellig); spørgsmålet er, om enheden er usædvanlig i forhold til, hvor meget enheder plejer at
#   variere.

# %% tags=["download"]
od = danmark.overdispersion_fit(units["omgjort"], units["n"], reference=p0)
n_top = int(max(units["n"].max(), 100))
limit_sets = {"binomiale grænser": danmark.funnel_limits(n_top, reference=p0, method="exact"),
              f"justeret for overspredning (φ = {danmark.danish_number(od.phi, decimals=2)})":
                  danmark.funnel_limits(n_top, reference=p0, method="exact", overdispersion="multiplicative", phi=od.phi)}
with plotting.style():
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.9), sharey=True)
    for ax, (name, limits) in zip(axes, limit_sets.items(), strict=True):
        if FULL:  # kommuner flagged at 99.8 % are named
            plotting.funnel_plot(units["omgjort"], units["n"], limits, reference=p0, ax=ax)
        else:  # five units: each named, placed by hand so that no two names overlap
            plotting.funnel_plot(units["omgjort"].to_numpy(), units["n"].to_numpy(), limits, reference=p0, ax=ax)
            place = {"Vordingborg 2019": ((0, -12), "center")}
            for unit, row in units.iterrows():
                offset, ha = place.get(unit, ((5, 3), "left"))
                ax.annotate(unit, (row["n"], 100 * row["omgjort"] / row["n"]), xytext=offset,
                            textcoords="offset points", ha=ha, fontsize=7)
        ax.set_title(name)
    axes[1].set_ylabel("")
    fig.suptitle(f"{area_name(AREA)} {PERIOD}: {len(units)} kommuner" if FULL else
                 f"DEMONSTRATION: {len(units)} virkelige enheder fra forskellige områder og perioder, "
                 "omkring deres samlede rate")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    kilde(fig, "Solrød Kommune, brev til ministeriet 6.3.2024; Helsingør Kommune, dagsordenspunkt 2025; "
               "Køge: DAGBLADET Køge (sn.dk), 12.8.2021; Morsø: Limfjord Update; Sorø: Sjællandske Medier "
               "(sn.dk); Vordingborg Kommune (2019). "
               "Grænser: eksakt binomial test, trappevis pr. helt antal sager.")
    _ = plotting.save_figure(fig, "06_funnel" + fig_suffix, formats=("png", "svg"))
    plt.show()

# %% tags=["download"]
flag_text = {"within": "inden for", "above 95%": "over 95 %", "above 99.8%": "over 99,8 %",
             "below 95%": "under 95 %", "below 99.8%": "under 99,8 %"}
flags = danmark.funnel_flags(units["omgjort"], units["n"], reference=p0)
flags_od = danmark.funnel_flags(units["omgjort"], units["n"], reference=p0, overdispersion="multiplicative", phi=od.phi)
flags = flags.assign(binomial=flags["flag"].astype(str).map(flag_text),
                     justeret=flags_od["flag"].astype(str).map(flag_text))
danmark.danish_table(flags, columns={"k": "omgjort", "n": "sager", "raw": "omgørelsesprocent",
                                     "p_value": "ensidet p (eksakt)", "binomial": "binomiale grænser",
                                     "justeret": "justeret for overspredning"},
                     percent=["raw"], decimals={"p_value": 3}, table_id="flag").format_index(str)

# %% [markdown]
# `funnel_flags` markerer en enhed med den eksakte binomiale test, ens i begge retninger: "over 95 %",
# når P(X ≥ k | p₀) < 2,5 %, og "under 95 %", når P(X ≤ k | p₀) < 2,5 % (`ensidet p` er den hale),
# her mod de seks enheders samlede rate, 47,4 %. Én enhed markeres: Sorø (22 af 64, p = 0,024) ligger
# lige under den nedre 95 %-grænse. Markeringen siger intet om Sorø: referencen er en
# demonstrationsrate for uens enheder, og mod sit eget landstal (socialområdet 2017, 38,0 %) er Sorøs
# interval foreneligt (tabellen ovenfor). Den hænger også i en tynd tråd: uden Køges række ville den
# samlede rate være 45,9 %, Sorøs p 0,041, og ingen enhed ville blive markeret. Solrød (10 af 14,
# p = 0,062) kommer tættest på i den anden retning, men markeres hverken af tragtens tosidede 95 % eller
# af en ensidet test på 5 %. Trappegrænserne viser det samme: ved n = 14 ligger 95 %-grænsen ved 75 %
# (10,5 af 14), så 10 af 14 tegnes inden for og 11 af 14 ville ligge uden for.
#
# Her er φ = 0,73: de seks enheder spreder *ikke* mere, end tilfældet kan forklare, og da grænserne
# kun udvides (aldrig indsnævres), er de justerede grænser de samme som de binomiale, og markeringerne
# også. Med virkelige data for alle kommuner er φ typisk over 1.
#
# **Hvilke grænser dommene bruger.** Dommene om enkelte kommuner i denne og de andre notesbøger
# bruger de **binomiale** grænser (den eksakte test): de spørger, om kommunens egen rate afviger fra
# landstallet. De overspredningsjusterede grænser besvarer et andet spørgsmål – er kommunen usædvanlig
# i forhold til, hvor meget kommuner normalt spreder – og er det rigtige værktøj, når man *sammenligner
# kommuner på et helt kort*, for med virkelige data markerer de binomiale grænser store kommuner for
# let (selv små forskelle i sagsblanding bliver "signifikante" ved mange sager). Her er φ estimeret af
# seks uens enheder og derfor meget usikkert; med en fuld download estimeres det af alle kommuner.
#
# ## 4 · Rangtabel og rangintervaller: kun for sammenlignelige enheder
#
# At rangordne pakkens seks enheder – fire forskellige opgørelser fra 2017 til 2024 omkring en samlet
# rate på 47,4 % – ville sammenligne uens ting, og en figur, der giver Solrød en sandsynlighed for at
# være "nr. 1", ville blive misforstået, så snart den forlod notesbogen. **Der rangordnes derfor kun enheder fra samme
# område og periode.** Pakken har ingen sådanne; med pakkens data demonstreres metoden på et
# **SIMULERET kort**: 98 kommuner med antal sager proportionalt med befolkningen (socialområdet 2022,
# 8.631 sager i alt), sande rater trukket fra en Beta-fordeling med middelværdi 37,5 % og styrke
# α + β = 30 (en antagelse), og udfald trukket tilfældigt. De simulerede kommuner har numre, ikke
# navne, så intet resultat kan forveksles med en virkelig kommune. Med en fuld download bruges de
# virkelige kommuner i det valgte område og den valgte periode.

# %% tags=["full-download"]
if FULL:
    ranked = units[["stadfaestet", "aendret", "hjemvist", "n"]].copy()
    rank_ref, rank_label = p0, p0_label
else:
    sim_n = danmark.population_case_counts(SOCIALOMRAADET_2022_N).set_index("kommune")["n"]
    sim = danmark.simulate_outcome_map(sim_n, reference=0.375, aendret_share=9.0 / 37.5, strength=30, seed=FRØ)
    sim.index = [f"sim. kommune {i + 1:02d} (n = {m})" for i, m in enumerate(sim["n"])]  # no real names
    ranked = sim
    rank_ref, rank_label = 0.375, "landsplan i simuleringen"
hier = danmark.hierarchical(ranked["aendret"] + ranked["hjemvist"], ranked["n"], seed=FRØ)
ranks = danmark.rank_uncertainty(hier.draws(4000, seed=FRØ), names=list(ranked.index), top=TOP)
league = hier.units.join(ranks)
show = ranks.head(SHOW).index
danmark.danish_table(league.loc[show[:10]], columns={"k": "omgjort", "n": "sager", "raw": "rå rate",
                                                     "estimate": "krympet skøn", "lower": "95 %, fra", "upper": "til",
                                                     "rank_lower": "rang, fra", "rank_upper": "rang, til",
                                                     "p_top": f"P(blandt {TOP} højeste)"},
                     percent=["raw", "estimate", "lower", "upper", "p_top"], decimals={"rank_lower": 0, "rank_upper": 0},
                     table_id="rang")

# %% tags=["full-download"]
with plotting.style():
    fig, axes = plt.subplots(1, 2, figsize=(12, max(4.0, 0.22 * len(show) + 2.4)))
    plotting.caterpillar(league.loc[show], reference=(rank_ref, rank_label), ax=axes[0])
    axes[0].set_ylabel("")
    axes[0].set_title("Krympede skøn (hierarkisk model) og 95 %-intervaller", pad=34)
    plotting.rank_plot(ranks.loc[show], ax=axes[1], p_top_label=f"P(rang ≤ {TOP})")
    axes[1].set_ylabel("")
    axes[1].set_title("Rangintervaller (95 %)", pad=34)
    fig.suptitle(f"{area_name(AREA)} {PERIOD}: de {len(show)} højest rangerede" if FULL else
                 f"SIMULERET kort (ingen virkelige kommuner): de {len(show)} højest rangerede af 98", y=1.0)
    fig.tight_layout(rect=(0, 0.04, 1, 0.98))
    kilde(fig, "Ankestyrelsen, download (DANMARK_DATA)" if FULL else
          "SIMULERET. Antal sager ∝ befolkning (Danmarks Statistik, FOLK1A 2020) skaleret til 8.631 sager; "
          "landstal 37,5 % og andel ændret 9,0/37,5 (Social- og Boligministeriet, Danmarkskort 2022).")
    _ = plotting.save_figure(fig, "06_league_ranks" + fig_suffix, formats=("png", "svg"))
    plt.show()

# %% [markdown]
# Selv med 98 kommuner og en reel forskel mellem dem (styrke 30, en spredning på knap 9 procentpoint)
# er rangintervallerne brede: den højest rangerede simulerede kommune kan ligge et sted mellem nr. 1
# og nr. 15, og ingen kommune er sikkert blandt de fire højeste. Det er rangtabellens grundproblem med
# de antal sager, kommunerne har (Goldstein & Spiegelhalter 1996).
#
# ### Følsomhed: rangordning på ændret/ophævet alene
#
# En hjemvisning sender sagen tilbage til ny afgørelse og kan ende med samme resultat. Et tjek af
# enhver udvælgelse fra kortet er derfor at rangordne på ændret/ophævet alene (hjemvisninger fjernet,
# `danmark.rank_on_aendret`): de kommuner, der er blandt de fire højeste på omgørelsesprocenten, men
# falder langt ned på ændret alene, er udvalgt mest på hjemvisninger.

# %% tags=["full-download"]
alt = danmark.rank_on_aendret(ranked, top=TOP)
danmark.danish_table(alt.head(8), columns={"n": "sager", "raw": "omgørelsesprocent", "raw_aendret": "ændret/ophævet",
                                           "rank": "rang (omgørelse)", "rank_aendret": "rang (kun ændret)"},
                     percent=["raw", "raw_aendret"], table_id="aendret")

# %% tags=["full-download"]
print(f"{'Kortet' if FULL else 'SIMULERET kort'}: {alt.attrs['overlap']} af de {TOP} kommuner med højest "
      f"omgørelsesprocent er også blandt de {TOP} højeste på ændret/ophævet alene; rangen på ændret alene for "
      f"de {TOP} øverste: {', '.join(str(r) for r in alt.loc[alt['top'], 'rank_aendret'])}.")

# %% [markdown]
# På det simulerede kort er tre af de fire øverste på omgørelsesprocenten også blandt de fire øverste
# på ændret/ophævet alene – de er meget små kommuner (5–9 sager), hvor få udfald flytter begge rater –
# mens den fjerde falder til en plads langt nede. Udvælgelse på omgørelsesprocenten er altså følsom
# for, om hjemvisninger tælles med; med virkelige tal (en fuld download) viser samme celle, hvilke
# kommuner det gælder.
#
# ### Kortet med usikkerhed (fuld download)
#
# Med en fuld download tegnes raterne for alle kommuner, tonet efter intervalbredden, ved siden af de
# krympede skøn.

# %% tags=["full-download"]
if FULL:
    raw_map = pd.Series((units["omgjort"] / units["n"]).to_numpy(), index=units["kommunekode"])
    width = pd.Series((own["upper"] - own["lower"]).to_numpy(), index=units["kommunekode"])
    shrunk_map = pd.Series(hier.units["estimate"].to_numpy(), index=units["kommunekode"])
    with plotting.style():
        fig, axes = plt.subplots(1, 2, figsize=(12, 5.9))
        plotting.kommune_map(raw_map, uncertainty=width, ax=axes[0], vmin=0, vmax=1)
        axes[0].set_title(f"{area_name(AREA)} {PERIOD}: rå rate, tonet efter intervalbredde")
        plotting.kommune_map(shrunk_map, ax=axes[1], vmin=0, vmax=1)
        axes[1].set_title(f"{area_name(AREA)} {PERIOD}: krympet skøn (hierarkisk model)")
        fig.tight_layout(rect=(0, 0.04, 1, 1))
        kilde(fig, "Ankestyrelsen, download (DANMARK_DATA). Kommunegrænser: DAGI (Klimadatastyrelsen).")
        _ = plotting.save_figure(fig, "06_full_map", formats=("png", "svg"))
        plt.show()
else:
    print("Intet fuldt kort: pakkens data har ikke optællinger for noget Danmarkskort-område og nogen periode "
          f"med {MIN_UNITS_FULL} eller flere kommuner. Sæt DANMARK_DATA til en Talportal- eller ANKEAST1-download.")

# %% [markdown]
# ### Det ærlige Danmarkskort: farvet efter sandsynlighed, ikke efter rå procent
#
# Ministeriets kort farver hver kommune efter dens rå omgørelsesprocent, så en kommune med 3 af 4
# omgjorte sager ser ud som én med 300 af 400. `plotting.estimates_map` farver i stedet efter
# **sandsynligheden for, at kommunens sande omgørelsesprocent ligger over landsgennemsnittet**
# (`danmark.estimates_table`, samme tal som `danmark report`, faktaarkene og `danmark tabel`): rød er
# næsten sikkert over, blå næsten sikkert under, og en kommune med få sager bliver lys, fordi tallene
# ikke siger meget om den. Kommuner med under 10 sager er desuden skraveret.
#
# Med pakkens tal vises kortet på en **SYNTETISK download**: det simulerede kort fra afsnit 4
# (antal sager efter folketal, sande rater fra en Beta-fordeling), skrevet i Talportalens CSV-format
# med en Hele landet-række og læst som en rigtig download. Tallene er **SIMULEREDE** og siger intet
# om nogen virkelig kommune; kortet bruger kun kommunegrænserne. Med en fuld download vises den.

# %% tags=["full-download"]
if FULL:
    honest = danmark.estimates_table(data, area=AREA, period=PERIOD)
    data_name = Path(os.environ.get("DANMARK_DATA", "download")).name
    label = "SYNTETISK download: " if "synthetic" in data_name.lower() else ""
    map_source = f"Ankestyrelsens Talportal (filen {data_name}), beregnet med danmark"
else:
    sys.path.insert(0, str(Path("..") / "tests"))
    import talportal_writer  # noqa: E402  (the test suite's writer of SYNTHETIC downloads)

    app_name = {danmark.normalize_kommune(k)[0]: k for k in talportal_writer.APP_KOMMUNER}
    codes = danmark.population_case_counts(SOCIALOMRAADET_2022_N)["kommunekode"].to_numpy()
    counts = sim[["stadfaestet", "aendret", "hjemvist"]].to_numpy()
    rows = [(app_name[c], "Socialområdet", "2022", *(int(x) or None for x in row), None)
            for c, row in zip(codes, counts, strict=True)]
    rows.append(("Hele landet", "Socialområdet", "2022", *(int(x) for x in counts.sum(axis=0)), None))
    with tempfile.TemporaryDirectory() as tmp:
        path = talportal_writer.write_csv_download(talportal_writer.make_truth(rows),
                                                   Path(tmp) / "SYNTHETIC_danmarkskort.csv")
        honest = danmark.estimates_table(path)
    label = "SIMULERET: "
    map_source = ("SIMULERET (afsnit 4), skrevet som en SYNTETISK Talportal-download og beregnet med danmark; "
                  "antal sager ∝ befolkning (Danmarks Statistik, FOLK1A 2020)")
shown_map = honest.dropna(subset=["raw"])
raw_rates = pd.Series(shown_map["raw"].astype(float).to_numpy(), index=shown_map["kommunekode"])
with plotting.style():
    fig, axes = plt.subplots(1, 2, figsize=(13, 6.6))
    plotting.kommune_map(raw_rates, ax=axes[0], vmin=0, vmax=1, cmap="RdBu_r")
    axes[0].set_title(f"{label}rå omgørelsesprocent (som ministeriets kort)")
    plotting.estimates_map(honest, ax=axes[1], source=None, title=f"{label}sandsynlighed for at ligge over "
                           "landsgennemsnittet")
    fig.suptitle(f"{label}samme tal, to kort: rå procent og sandsynlighed for at ligge over landsgennemsnittet",
                 y=0.99)
    fig.subplots_adjust(left=0.02, right=0.93, top=0.9, bottom=0.1, wspace=0.12)
    kilde(fig, map_source + ". Kommunegrænser: DAGI (Klimadatastyrelsen).")
    _ = plotting.save_figure(fig, "06_estimates_map" + fig_suffix, formats=("png", "svg"))
    plt.show()

# %%
few = honest[honest["n"] < 10]
print(f"{label}{len(honest)} kommuner; {len(few)} med under 10 sager (skraveret). Sandsynlighed over 0,9: "
      f"{int((honest['prob_above'] > 0.9).sum())} kommuner; under 0,1: {int((honest['prob_above'] < 0.1).sum())}; "
      f"mellem 0,1 og 0,9 (tallene kan ikke afgøre retningen): "
      f"{int(honest['prob_above'].between(0.1, 0.9).sum())}.")

# %% [markdown]
# Til venstre ligner kommunerne med få sager de mest ekstreme, fordi få sager giver store udsving;
# til højre er de blege, og de kraftige farver tilhører de kommuner, hvis mange sager faktisk
# afgør, at de ligger over eller under landsgennemsnittet. Det er det kort, ministeriet kunne have
# tegnet. `danmark faktaark --all` åbner sin oversigt med det samme kort for en fuld download, og
# `danmark tabel` skriver tallene bag det til et regneark.

# %% [markdown]
# ## 5 · Dom
#
# **Landsbilledet holder; en kommunes farve på kortet kan ikke efterprøves med pakkens data, og hvor
# den kan, kræver den sit antal sager.**
#
# * **Landstallene: holder.** En tredjedel til halvdelen af de påklagede sociale afgørelser omgøres,
#   mest ved hjemvisning. Landstallene er præcise for socialområdet (ca. ±1 point), mindre for
#   voksenhandicap (ca. ±3 point), så en ændring fra år til år på voksenhandicap skal være over ca.
#   4–5 point for at være mere end tilfældet. Voksenhandicap 2017 (21 %) læses som et lavt år; kortets
#   omfang det år er ikke oplyst.
# * **Det kommunale kort: kan ikke afgøres her.** Pakkens kommunale tal er procenter fra pressen,
#   næsten alle uden antal sager; de spreder sig meget (0 % til 83 % på børnehandicap 2017–2018), men
#   om det er mere end støj, kræver optællingerne. Kortet ovenfor viser, hvilke farver der slet ikke
#   kan vurderes.
# * **Listerne for socialområdet 2022 er eksempler**, ikke fuldstændige lister (»kommuner som …«):
#   kommuner, der ikke er nævnt, er ukendte, ikke »mellem 25 og 55 %«.
# * **Tragtdiagrammet** tegner grænserne med den regel, der markerer, så billede og tabel altid er
#   enige. Dommene bruger de binomiale grænser; de overspredningsjusterede vises ved siden af og er
#   dem, man bør bruge til at sammenligne kommuner på et helt kort.
# * **Rangordninger: brede, og kun for sammenlignelige enheder.** På et simuleret kort med 98 kommuner
#   og reelle forskelle er ingen kommune sikkert blandt de fire højeste, og udvælgelsen afhænger af,
#   om hjemvisninger tælles med. Notesbog 07 viser, hvad udvælgelse på rå rater gør.
#
# ## Hvilke data ville afgøre det
#
# Optællingerne bag hvert kort: realitetsbehandlede sager med stadfæstet, ændret/ophævet og hjemvist
# pr. kommune og år for hvert område (Ankestyrelsens Talportal eller Statistikbanken ANKEAST1), og
# listen over de paragraffer, hvert års kort dækkede (for at afgøre omfanget af voksenhandicap 2017).
# Sæt `DANMARK_DATA` til downloaden, og kør notesbogen igen.

# %% [markdown]
# ## Kilder

# %%
keys = (["seed_minister_2024", "seed_helsingor_2025"] + list(nat_maps["source"]) + list(on_maps["source"])
        + list(cases["source"]) + prec["source"].str.split("+").sum()
        + ["sm.dk:omgoerelsesprocenter-paa-voksenhandicapomraadet-", "folk1a_2020", "dagi_geo", "dagi_kommuner"])
danmark.danish_table(danmark.reference_list(keys), table_id="kilder").hide(axis="index")

# %% [markdown]
# Litteratur: Spiegelhalter (2005), Funnel plots for comparing institutional performance,
# *Statistics in Medicine* 24:1185–1202; Goldstein & Spiegelhalter (1996), League tables and their
# limitations, *JRSS A* 159:385–443; Gelman m.fl. (2013), *Bayesian Data Analysis*, 3. udg., kap. 5.

# %% [markdown]
# ## Versioner

# %%
# NBVAL_IGNORE_OUTPUT
danmark.versions()
