# %% [markdown]
# # 03 · Odsherred: "én fejl i revisionen" og hjemvisninger efter ændret praksis
#
# I 2024 tilbød ministeriet Odsherred Kommune et af de taskforceforløb, der er forbeholdt kommunerne
# med størst behov på Danmarkskortet for børnehandicap. Kommunen takkede nej (Social- og
# boligministeren 2024). Kommunens brev (Odsherred Kommune 2024) giver flere begrundelser; to af dem
# er statistiske og efterprøves her. Men først de begrundelser, som brevet selv lægger vægt på, med
# brevets egne ord.

# %% tags=["setup"]
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import danmark
from danmark import plotting
from danmark.plotting.kommune import source_line

%matplotlib inline

KILDE_BREV = "Odsherred Kommune, svar til Social-, Bolig- og Ældreministeriet om taskforce-forløb, 2. april 2024"
KILDE_LAND = "Social- og Boligministeriet, Danmarkskort-siden om omgørelsesprocenter på børnehandicapområdet (sm.dk)"
UDFALD = {"stadfaestet": "stadfæstet", "aendret": "ændret/ophævet", "hjemvist": "hjemvist", "omgjort": "omgjort i alt"}


def hypotetisk(fig, source, what):
    """The figure's source line, with "HYPOTETISK: …" in bold above it (a made-up kommune, not a simulation)."""
    line = source_line(fig, source, simulated=what)
    fig.texts[-2].set_text(f"HYPOTETISK: {what}")  # source_line writes the mark just before the source line
    return line


danmark.danish_warnings()  # danmarks advarsler (fx om en download) som én dansk linje

# %% [markdown]
# ## 1 · Påstandene og kommunens egentlige begrundelse
#
# **Den afgørende begrundelse er ikke statistisk.** Fra brevet af 2. april 2024 og ministerens
# opsummering til Folketingets Socialudvalg (29. maj 2024):
#
# * **Kapacitet.** Kommunen vurderer «ikke, at der er ressourcer i afdelingen til et taskforce-forløb
#   også, i 2024»; «Familieafdelingen er i denne periode generelt udfordret på sagsbehandlingen, både
#   hvad angår kvaliteten af sagsbehandlingen samt hvad angår antallet af rådgivere», og kommunen er
#   bekymret for, at det vil blive vanskeligt at fastholde personalet, «hvor rekrutteringen i forvejen
#   er udfordret».
# * **Den femårige udviklingsplan.** Byrådet har givet en ekstra bevilling over tre år, og en femårig
#   udviklingsplan er netop sat i gang, samtidig med en ny afdelingsleder (maj 2023), en ny
#   teamleder (september 2023), mange nye medarbejdere og implementeringen af Barnets Lov.
# * **Ønsket om et forløb i 2026.** «Kommunen vil dog meget gerne indgå i et forløb i 2026.»
#
# Brevet erkender også problemer: i juli 2023 blev det konstateret, at der «i enkelte sager ikke blev
# fulgt op på hjemviste afgørelser på handicapområdet»; alle sager med hjemvisninger er siden
# gennemgået. Kommunen påstår
# altså ikke, at den ikke laver fejl. Disse begrundelser kan statistik hverken bekræfte eller afvise;
# de handler om timing og kapacitet, ikke om, hvad kortet viser.
#
# De to statistiske påstande:
#
# * **(a) revisionen.** «Ministeriets vurdering står dog i modsætning til den eksterne
#   revisionsvurdering af børnehandicapsagerne fra februar 2024, hvor der kun blev fundet fejl i en
#   enkelt af sagerne.» Hvor mange sager revisoren gennemgik, står hverken i brevet eller i ministerens
#   opsummering.
# * **(b) ændret praksis.** «Dertil kommer at der er eksempler på sager, hvor en afgørelse har været
#   korrekt iht. gældende praksis, men Ankestyrelsen efterfølgende har ændret praksis og udarbejdet en
#   ny principmeddelelse, hvorefter sagen tilbagesendes til genbehandling. Sådanne sager tæller også
#   med som "fejl" i opgørelsen i danmarkskortet.»

# %%
danmark.danish_table(danmark.claims_table("03_odsherred"))

# %% [markdown]
# ## 2 · Data
#
# **Om Odsherred findes intet med sagstal i datapakken.** Hverken brevet eller nogen kilde fundet til
# datapakken oplyser Odsherreds antal stadfæstede, ændrede og hjemviste børnehandicapafgørelser.
# Notesbogen læser `danmark.load_data()`, så peger miljøvariablen `DANMARK_DATA` på et fuldt udtræk fra
# Talportalen eller ANKEAST1, dukker Odsherreds rækker op her:

# %% tags=["download"]
cases = danmark.load_data()
odsherred = cases[(cases["kommune"] == "Odsherred") & (cases["area"] == "boernehandicap")]
published = danmark.load_published_rates()
print(f"Odsherred, børnehandicaprækker med sagstal: {len(odsherred)}")
print(f"Odsherred-rækker blandt offentliggjorte procenter: {(published['kommune'] == 'Odsherred').sum()}")

# %% [markdown]
# **Landsplan, børnehandicap** (Social- og Boligministeriets Danmarkskort-side, som giver
# tredelingen for 2019 og 2020). Det er andele i procent, ikke sagstal:

# %%
national = danmark.load_national(preferred_only=True)
bh = (
    national[(national["area"] == "boernehandicap") & national["period"].isin(["2019", "2020"])]
    .set_index("period")[["pct_stadfaestet", "pct_aendret", "pct_hjemvist", "omg_pct", "source"]]
)
danmark.danish_table(bh.assign(source=bh["source"].map(danmark.citation))
             .set_axis(["stadfæstet (%)", "ændret (%)", "hjemvist (%)", "omgørelsesprocent (%)", "kilde"], axis=1)
             .rename_axis("år"), decimals=1)

# %% [markdown]
# To ting springer i øjnene. Omkring halvdelen af alle påklagede børnehandicapafgørelser blev omgjort,
# og de fleste omgørelser var **hjemvisninger**, ikke ændringer: i 2019 var 35,0 af de 50,6
# procentpoint (69 %) sager sendt tilbage til kommunen; kun 15,6 point var afgørelser, Ankestyrelsen
# selv ændrede eller ophævede.
#
# **Én rigtig kommune med børnehandicaptal**: Vordingborg 2019 (kommunens egen nyhedsside). Det er en
# anden kommune; den bruges kun til at vise metoden på rigtige sagstal.

# %%
bundled = danmark.load_cases()  # the bundle's real figures, whatever DANMARK_DATA holds
vordingborg = bundled[(bundled["kommune"] == "Vordingborg") & (bundled["area"] == "boernehandicap")]
danmark.danish_table(vordingborg[["kommune", "period", "stadfaestet", "aendret", "hjemvist", "n", "omgjort", "source"]].assign(
    source=vordingborg["source"].map(danmark.citation)).set_axis(
    ["kommune", "år", "stadfæstet", "ændret/ophævet", "hjemvist", "sager", "omgjort", "kilde"], axis=1), index=False, decimals=3)

# %% [markdown]
# ## 3 · Påstand (a): én fejl i revisionen
#
# ### Den naive læsning
#
# "Revisoren fandt én fejl" lyder som en fejlandel tæt på nul, og dermed som en direkte modsigelse af et
# kort, hvor omkring halvdelen af de påklagede afgørelser omgøres.
#
# ### Hvad én fejl tillader
#
# Én fejl siger ikke meget, før vi ved, hvor mange sager der blev gennemgået. Antager vi, at revisoren
# trak sagerne tilfældigt blandt kommunens børnehandicapafgørelser (brevet siger ikke hvordan), er den
# eksakte ensidede øvre 95 %-grænse for fejlandelen (`danmark.audit_bound`, Clopper–Pearson) for de
# stikprøvestørrelser, brevet kunne mene:

# %%
reviewed = [5, 10, 15, 20, 30, 50, 100]
one_error = danmark.audit_bound(1, reviewed, level=0.95)
danmark.danish_table(one_error[["errors", "reviewed", "raw", "upper_exact"]].set_axis(
    ["fejl", "gennemgåede sager", "fejlandel", "øvre 95 %-grænse"], axis=1),
    percent=["fejlandel", "øvre 95 %-grænse"], index=False, decimals=3)

# %% [markdown]
# Med 10 gennemgåede sager er én fejl forenelig med en fejlandel på op til 39 %; med 20 sager op til
# 22 %. Først fra 46 gennemgåede sager kommer grænsen under 10 %. Konfidensniveauet betyder mindre end
# den ukendte stikprøvestørrelse:

# %%
levels = pd.concat([danmark.audit_bound(1, [10, 20, 50], level=lv) for lv in (0.90, 0.95, 0.99)], ignore_index=True)
danmark.danish_table(levels.pivot(index="reviewed", columns="level", values="upper_exact")
             .rename(columns=lambda lv: f"niveau {plotting.fmt_pct(lv, decimals=0)}").rename_axis(index="gennemgåede sager",
                                                                                         columns=None),
             percent=["niveau 90 %", "niveau 95 %", "niveau 99 %"], decimals=3)

# %% [markdown]
# Hvor mange sager skal gennemgås, før én fejl holder fejlandelen under en given grænse (95 %)?

# %%
grid = danmark.audit_bound(1, np.arange(2, 301))
needed = {f"under {100 * b:.0f} %": int(grid.loc[grid["upper_exact"] < b, "reviewed"].min()) for b in (0.5, 0.2, 0.1, 0.05)}
danmark.danish_table(pd.Series(needed, name="gennemgåede sager (1 fejl, 95 %)").to_frame().rename_axis("øvre grænse"), decimals=3)

# %%
bounds = danmark.audit_bound(np.repeat([0, 1], 99), np.tile(np.arange(2, 101), 2))
bounds["fund"] = bounds["errors"].map({0: "0 fejl", 1: "1 fejl"})
with plotting.style():
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    for (label, part), color in zip(bounds.groupby("fund"), (plotting.PALETTE["blue"], plotting.PALETTE["vermillion"]),
                                    strict=True):
        ax.plot(part["reviewed"], 100 * part["upper_exact"], ".", ms=3, color=color, label=label)  # whole n only
    ax.plot(one_error["reviewed"], 100 * one_error["upper_exact"], "o", color=plotting.PALETTE["vermillion"], ms=5,
            mfc="none", label="1 fejl ved n = 5, 10, 15, 20, 30, 50, 100")
    ax.set_xlabel("gennemgåede sager (n)")
    ax.set_ylabel("øvre 95 %-grænse for fejlandel (%)")
    ax.set_title("Hvor høj kan fejlandelen være? 1 fejl i n gennemgåede sager (eksakt, ensidet 95 %)")
    ax.set_ylim(0, 100)
    ax.legend(loc="upper right")
    source_line(fig, f"Beregnet (Clopper–Pearson); påstanden fra {KILDE_BREV}.")
    _ = plotting.save_figure(fig, "03_audit_bound", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# ### En revisionsfejl er ikke en omgørelse på Danmarkskortet
#
# Selv med kendt stikprøvestørrelse måler de to tal forskellige ting, så en lav fejlandel i revisionen
# og en høj omgørelsesprocent kan begge være sande:
#
# * **Forskellige sager.** Revisoren gennemgik (formentlig) en stikprøve af kommunens sager; kortet
#   tæller kun afgørelser, borgerne *påklagede*, og som Ankestyrelsen realitetsbehandlede. Påklagede
#   afgørelser er en udvalgt gruppe: dem familien var uenig i, ofte de svære.
# * **Forskellige definitioner.** En revisors "fejl" er et brud på de regler, revisionen tjekker. En
#   omgørelse på kortet er enhver ændring/ophævelse eller hjemvisning. En hjemvisning kan skyldes
#   manglende dokumentation (en sagsbehandlingsfejl), nye oplysninger efter kommunens afgørelse (ikke
#   kommunens fejl) eller ændret praksis (påstand b).
# * **Forskellige tidspunkter.** Revisionen er fra februar 2024, efter ny afdelingsleder og
#   teamleder; kortet, ministeriet brugte, afspejler tidligere afgørelser.
#
# Påstand (a) modsiger altså ikke kortet; den svarer på et andet spørgsmål, og med en ukendt
# stikprøvestørrelse kun løst.
#
# ## 4 · Påstand (b): hjemvisninger efter ændret praksis tæller som fejl
#
# Den mekaniske del af påstanden er rigtig: omgørelsesprocenten tæller hver hjemvisning med, uanset
# årsag. Spørgsmålet er, hvor meget det betyder, og **for hvem**.
#
# ### En ny principmeddelelse rammer alle kommuner
#
# En ny principmeddelelse gælder alle verserende sager i Ankestyrelsen, ikke kun Odsherreds. Den
# hæver derfor også landsprocenten, som Odsherred måles mod. Hvis ændringen førte til hjemvisning af en
# andel $a$ af alle realitetsbehandlede sager på landsplan og af $r \cdot a$ af Odsherreds, så ville det
# at tælle disse hjemvisninger som stadfæstet sænke landsprocenten med $a$ og Odsherreds med $r \cdot a$.
# **Afstanden til landsplan ændrer sig kun med $(r - 1) \cdot a$**: ramt i forhold til sine verserende
# sager ($r = 1$) flytter Odsherreds placering sig slet ikke. Kun hvis Odsherred blev ramt
# uforholdsmæssigt hårdt ($r > 1$), forklarer ændret praksis noget af dens afstand til landsplan.
# (`danmark.practice_change`; andelene er regneeksempler, ikke data.)

# %%
pc = danmark.practice_change([0.02, 0.05, 0.10], ratio=[1, 1.5, 2, 3])
danmark.danish_table(pc.assign(gap_change=100 * pc["gap_change"]).pivot(index="affected", columns="ratio", values="gap_change")
             .rename(index=lambda a: f"{plotting.fmt_pct(a, decimals=0)} af alle sager", columns=lambda r: f"r = {r:g}".replace(".", ","))
             .rename_axis(index="hjemvist pga. ny praksis, landsplan", columns=None), decimals=1)

# %% [markdown]
# Tabellen giver, hvor mange procentpoint af Odsherreds afstand til landsplan ændret praksis kan
# forklare. Hvis 10 % af alle sager på landsplan var hjemvist på grund af ny praksis, og Odsherred blev
# ramt dobbelt så hårdt, forklarer det 10 point; ramt som alle andre, 0 point. Hvor stor andelen
# faktisk er, oplyser ingen kilde i datapakken (se nedenfor).

# %%
a_grid = np.linspace(0, 0.15, 31)
pc_grid = danmark.practice_change(a_grid, ratio=[1, 1.5, 2, 3])
with plotting.style():
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    colors = [plotting.PALETTE[c] for c in ("black", "blue", "orange", "vermillion")]
    for (ratio, part), color in zip(pc_grid.groupby("ratio"), colors, strict=True):
        ax.plot(100 * part["affected"], 100 * part["gap_change"], color=color,
                label=f"ramt {ratio:g} gange så hårdt som landsplan".replace(".", ",") if ratio != 1
                else "ramt som alle andre (r = 1)")
    ax.set_xlabel("andel af alle sager hjemvist pga. ny praksis, landsplan (%)")
    ax.set_ylabel("forklaret afstand til landsplan (point)")
    ax.set_title("Ny principmeddelelse: hvor meget af afstanden til landsplan forklarer den?")
    ax.legend(loc="upper left")
    source_line(fig, f"Regneeksempel uden Odsherred-tal; påstanden fra {KILDE_BREV}.")
    _ = plotting.save_figure(fig, "03_practice_change", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# ### Hvor følsom er procenten over for omklassificering?
#
# For *procenten selv* (ikke placeringen) viser vi, hvordan den reagerer, hvis en andel af
# hjemvisningerne omklassificeres, på landsplan for børnehandicap. To måder, begge antagelser:
#
# * **tælles som stadfæstet**: den hjemviste afgørelse var rigtig, så den bliver blandt de afgjorte
#   sager, men tæller ikke længere som omgjort: procent = (ændret + (1 − s)·hjemvist) / n;
# * **tages ud**: sagen behandles som afvist og forlader opgørelsen:
#   procent = (ændret + (1 − s)·hjemvist) / (n − s·hjemvist).
#
# s er den omklassificerede andel af hjemvisningerne (0 til 100 %); `danmark.reclassify_hjemvist`
# regner begge:

# %%
s = np.linspace(0, 1, 21)
parts = bh[["pct_stadfaestet", "pct_aendret", "pct_hjemvist"]] / 100
labels = {"stadfaestet": "tælles som stadfæstet", "exclude": "tages ud af n"}
reclass = pd.concat(
    [danmark.reclassify_hjemvist(parts["pct_stadfaestet"], parts["pct_aendret"], parts["pct_hjemvist"], share=s,
                                 treatment=t).assign(treatment=labels[t])
     for t in labels],
    ignore_index=True,
).rename(columns={"unit": "period", "rate": "omg"})
reclass["line"] = reclass["period"] + ", " + reclass["treatment"]
danmark.danish_table(reclass[reclass["share"].isin([0.0, 0.1, 0.25, 0.5, 1.0])].pivot(index="share", columns="line", values="omg")
             .rename(index=lambda v: plotting.fmt_pct(v, decimals=0)).rename_axis(index="andel omklassificeret", columns=None),
             percent=sorted(reclass["line"].unique()), decimals=3)

# %% [markdown]
# Hver 10 % af hjemvisningerne, der omklassificeres, sænker landsprocenten med ca. 3,5 procentpoint
# (tælles som stadfæstet). Blev *alle* hjemvisninger omklassificeret, faldt procenten fra 50,6 % til
# 15,6 % (eller 24 %, hvis de forlod opgørelsen). Men som afsnittet ovenfor viser, sænker samme
# praksisændring også landsprocenten, så for en kommunes *placering* tæller kun den uforholdsmæssige del.
#
# **En hypotetisk kommune.** For at se det samme i én kommunes skala tager vi en **hypotetisk** tabel
# med n = 20 afgørelser fordelt som landsplan 2019. n = 20 er et rundt tal for en lille kommune, en
# antagelse; det er *ikke* Odsherreds tal, som ikke er i datapakken.

# %%
n_hyp = 20
hyp = (parts.loc["2019"] * n_hyp).round().astype(int)
hyp.index = ["stadfaestet", "aendret", "hjemvist"]
assert hyp.sum() == n_hyp
danmark.danish_table(hyp.rename({"stadfaestet": "stadfæstet", "aendret": "ændret/ophævet"})
             .to_frame("HYPOTETISK antal (n = 20, landsplan 2019's andele)").T, decimals=3)

# %% [markdown]
# Omklassificeres j af de 7 hjemvisninger (tælles som stadfæstet, så n forbliver 20), med eksakte
# 95 %-intervaller (`danmark.binomial_ci`):

# %%
j = np.arange(0, int(hyp["hjemvist"]) + 1)
k_left = int(hyp["aendret"] + hyp["hjemvist"]) - j
hyp_ci = danmark.binomial_ci(k_left, n_hyp, method="exact")
hyp_ci.insert(0, "reclassified", j)
hyp_ci["share"] = j / int(hyp["hjemvist"])
danmark.danish_table(hyp_ci[["reclassified", "share", "k", "raw", "lower", "upper"]].set_axis(
    ["omklassificeret", "andel af hjemvisninger", "omgjort tilbage", "omgørelsesprocent", "eksakt nedre", "eksakt øvre"],
    axis=1), percent=["andel af hjemvisninger", "omgørelsesprocent", "eksakt nedre", "eksakt øvre"], index=False, decimals=3)

# %%
with plotting.style():
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    plotting.sensitivity_curve(reclass, "share", "omg", group="line", percent=True, marker=None, ax=axes[0],
                               xlabel="andel af hjemvisninger omklassificeret", ylabel="omgørelsesprocent (%)",
                               reference=0.5, reference_label="50 %")
    axes[0].set_title("Landsplan børnehandicap (offentliggjorte andele)")
    est = hyp_ci["raw"].to_numpy()
    axes[1].errorbar(hyp_ci["share"], 100 * est, yerr=100 * np.vstack([est - hyp_ci["lower"], hyp_ci["upper"] - est]),
                     fmt="o", ls="none", capsize=3, color=plotting.area_color("boernehandicap"),
                     label="omgørelsesprocent med eksakt 95 %-interval")
    axes[1].axhline(50, color="grey", ls="--", lw=1, label="50 %")
    axes[1].set_xlabel("andel af hjemvisninger omklassificeret (0–7 af 7)")
    axes[1].legend(loc="upper right", fontsize=7)
    axes[1].set_title("HYPOTETISK kommune: n = 20 med landsplanens andele", color=plotting.PALETTE["vermillion"])
    for ax in axes:
        ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, pos: f"{100 * v:.0f} %"))
        ax.set_ylim(0, 100)
    fig.tight_layout()
    hypotetisk(fig, f"{KILDE_LAND}, 2019 og 2020; påstanden fra {KILDE_BREV}.",
               "højre panel er en hypotetisk kommune med 20 sager, ikke Odsherreds tal")
    _ = plotting.save_figure(fig, "03_reclassified_remands", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# I den hypotetiske kommune flytter omklassificering af 2 af 7 hjemvisninger procenten fra 50 % til
# 40 %; men det eksakte interval ved n = 20 rækker ca. 23 procentpoint til hver side, så
# omklassificeringen flytter punktet på kortet mere, end den ændrer, hvad tallene kan vise.
#
# Hvor stor en andel af hjemvisningerne følger af en ny principmeddelelse? Ingen kilde i datapakken
# oplyser det, for Odsherred eller for landet. At omklassificere *alle* hjemvisninger er en yderste
# grænse, ikke et skøn: en hjemvisning, fordi sagen ikke var tilstrækkeligt oplyst, er slet ikke
# dækket af Odsherreds argument. Ankestyrelsens *udvidede ankestatistik* registrerer årsagerne til
# omgørelse (Ankestyrelsen u.å.d) og ville give andelen.

# %% [markdown]
# ## 5 · Hjemvist mod ændret, med intervaller
#
# Hvor sikker kan man være på, at en kommunes omgørelser mest er hjemvisninger? To enheder: Vordingborgs
# rigtige 2019-tal (en anden kommune, for at vise metoden) og den hypotetiske n = 20-tabel ovenfor.
# Intervallerne er **eksakte** (Clopper–Pearson), som overalt i notesbogen; Dirichlet-posterioren
# (ensartet prior, `danmark.outcome_split`) bruges kun til sandsynligheden for, at hjemvist-andelen er
# størst.

# %%
units = pd.DataFrame(
    {
        "unit": ["Vordingborg 2019 (rigtige tal)", "HYPOTETISK kommune"],
        "stadfaestet": [int(vordingborg["stadfaestet"].iloc[0]), int(hyp["stadfaestet"])],
        "aendret": [int(vordingborg["aendret"].iloc[0]), int(hyp["aendret"])],
        "hjemvist": [int(vordingborg["hjemvist"].iloc[0]), int(hyp["hjemvist"])],
    }
)
split = danmark.outcome_split(units)
ex = danmark.binomial_ci(split["count"].to_numpy(), split["n"].to_numpy(), method="exact")
split = split.assign(lower=ex["lower"].to_numpy(), upper=ex["upper"].to_numpy())
danmark.danish_table(split.assign(outcome=split["outcome"].map(UDFALD))[
    ["unit", "outcome", "count", "n", "raw", "lower", "upper", "p_hjemvist_gt_aendret"]].set_axis(
    ["enhed", "udfald", "antal", "sager", "andel", "eksakt nedre", "eksakt øvre", "P(hjemvist > ændret)"], axis=1),
    percent=["andel", "eksakt nedre", "eksakt øvre"], index=False, decimals=3)

# %% [markdown]
# Vordingborgs 9 afgørelser: 5 hjemvist, ingen ændret. Sandsynligheden for, at hjemvist-andelen er
# størst, er 0,98, men det eksakte interval for hjemvist-andelen går fra 21 % til 86 %.
#
# Figuren viser de **observerede** andele (antal / n). Den fuldt optrukne streg er 95 %-intervallet for
# ændret/ophævet-andelen, tegnet fra 0, hvor segmentet starter; den stiplede er intervallet for omgjort
# i alt, der slutter, hvor hjemvist-segmentet slutter. Vordingborgs ændret-segment er tomt, men
# intervallet rækker til 34 %: ni afgørelser kan ikke udelukke, at en tredjedel af klagerne ender med en
# ændring. Landsplanens andele bygger på tusinder af sager og tegnes uden intervaller.

# %%
national_long = pd.DataFrame(
    {
        "unit": "Landsplan 2019 (offentliggjort)",
        "outcome": ["stadfaestet", "aendret", "hjemvist"],
        "estimate": parts.loc["2019", ["pct_stadfaestet", "pct_aendret", "pct_hjemvist"]].to_numpy(dtype=float),
    }
)
# The national row has published shares but no counts, so the bar lengths are passed as shares.
observed = split.assign(estimate=split["raw"], unit=split["unit"] + ", n = " + split["n"].astype(str))
bars = pd.concat([observed[["unit", "outcome", "estimate", "lower", "upper", "level"]], national_long], ignore_index=True)
with plotting.style():
    fig, ax = plt.subplots(figsize=(6.5, 3.0))
    plotting.outcome_bars(bars, ax=ax, label="unit")
    ax.set_ylabel("")
    ax.set_title("Observerede andele; eksakte 95 %-intervaller for ændret og for omgjort i alt", pad=34)
    hypotetisk(fig, f"Vordingborg Kommune, nyhed om Socialstyrelsens Danmarkskort 2019 (vordingborg.dk); {KILDE_LAND}.",
               "den midterste søjle er en hypotetisk kommune, ikke Odsherreds tal")
    _ = plotting.save_figure(fig, "03_outcome_split", formats=("png", "svg"))
    plt.show()

# %% [markdown]
# Peger `DANMARK_DATA` på et fuldt udtræk, vises samme fordeling her for Odsherred selv:

# %% tags=["download"]
odsherred_n = odsherred[odsherred["n"] > 0]
if odsherred_n.empty:
    print("Ingen børnehandicaptal for Odsherred i de anvendte data; sæt DANMARK_DATA til et udtræk fra Talportalen.")
else:
    ods = danmark.outcome_split(odsherred_n.reset_index(drop=True))
    ex = danmark.binomial_ci(ods["count"].to_numpy(), ods["n"].to_numpy(), method="exact")
    display(danmark.danish_table(pd.DataFrame({
        "periode": ods["period"].map(danmark.period_name).to_numpy(), "udfald": ods["outcome"].map(UDFALD).to_numpy(),
        "antal": ods["count"].to_numpy(), "sager": ods["n"].to_numpy(), "andel": ods["raw"].to_numpy(),
        "eksakt nedre": ex["lower"].to_numpy(), "eksakt øvre": ex["upper"].to_numpy()}),
        percent=["andel", "eksakt nedre", "eksakt øvre"], index=False, decimals=3))

# %% [markdown]
# Krympning mod landsprocenten, det andet værktøj i disse notesbøger, kræver kommunens egne sagstal;
# uden dem er der intet at krympe.
#
# ## 6 · Konklusion
#
# **Delvist. Den del, der betyder noget for kortet, kan ikke efterprøves uden sagstal, og kommunens
# afgørende begrundelse er ikke statistisk.**
#
# * **Kapacitet, udviklingsplan og 2026.** Kommunen takkede nej, fordi afdelingen midt i en femårig
#   udviklingsplan, med ny ledelse, mange nye medarbejdere og Barnets Lov, ikke har kræfter til et
#   forløb nu, og den vil gerne tage forløbet i 2026. Det er en vurdering af timing og kapacitet, som
#   tallene hverken bekræfter eller afkræfter; den afhænger ikke af, om påstand (a) og (b) holder.
# * **(a) Én fejl i revisionen.** Sand som oplyst, men den siger ikke meget: stikprøvestørrelsen er ukendt,
#   og hvis revisionen gennemgik 10 sager, er én fejl forenelig med en fejlandel på op til 39 % (hvis 20
#   sager, 22 %).
#   Den måler desuden noget andet end kortet. Den modsiger ikke Danmarkskortet.
# * **(b) Hjemvisninger efter ændret praksis tæller som fejl.** Mekanismen holder: enhver hjemvisning
#   tæller som omgørelse, og hjemvisninger er ca. 70 % af omgørelserne på børnehandicapkortet, så
#   procenten selv er følsom (ca. 3,5 point pr. 10 % omklassificeret på landsplan). Men en ny
#   principmeddelelse rammer alle kommuner med verserende sager og hæver også landsprocenten; **Odsherreds
#   placering flytter sig kun, hvis kommunen blev ramt uforholdsmæssigt hårdt**, og kun med den
#   uforholdsmæssige del ((r − 1)·a point). Om det skete, kan ikke efterprøves uden Odsherreds sagstal og
#   årsagerne til dens hjemvisninger.
#
# ## 7 · Hvilke data ville afgøre det
#
# * Odsherreds børnehandicaptal pr. afgørelsestype (stadfæstet, ændret/ophævet, hjemvist, afvist) for
#   de kortår, ministeriet brugte: Talportalen eller Statistikbanken ANKEAST1. Sæt `DANMARK_DATA` og kør
#   notesbogen igen.
# * Revisionens design: hvor mange sager, hvordan de blev valgt, og hvad der talte som fejl.
# * Ankestyrelsens årsager til hver hjemvisning (den *udvidede ankestatistik*), for Odsherred **og for
#   landet**, så hjemvisninger efter nye principmeddelelser kan tælles i stedet for antages, og det kan
#   ses, om Odsherred blev ramt hårdere end andre.

# %% [markdown]
# ## Kilder

# %%
keys = (["seed_odsherred_2024", "seed_minister_2024"] + list(bh["source"]) + list(vordingborg["source"])
        + ["ast.dk:ankestyrelsens-statistik-om-arsager-til-omgorels"])
danmark.danish_table(danmark.reference_list(keys), index=False, decimals=0)

# %% [markdown]
# ## Versioner

# %%
# NBVAL_IGNORE_OUTPUT
danmark.versions()
