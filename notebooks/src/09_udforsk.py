# %% [markdown]
# # 09 · Udforsk en kommune
#
# Vælg en kommune, et område, en periode og priorens vægt, og se kommunens tal, det eksakte
# interval, skønnet med prior og sandsynligheden for at ligge over landsgennemsnittet, sådan som
# danmarks rapport over kommunen beregner dem. Tabellen og figurerne tegnes forfra, hver gang et
# valg ændres.
#
# **Kontrollerne kræver JupyterLab med en kørende kerne.** Åbn notesbogen i JupyterLab og kør alle
# celler (*Run → Run All Cells*); vælg derefter i rullemenuerne og på skyderen. Den gemte side, og
# den samme notesbog uden kerne, viser det første valg: Solrød på de medfølgende tal.
#
# Notesbogen læser de medfølgende tal, eller et fuldt udtræk fra Ankestyrelsens Talportal, når
# miljøvariablen `DANMARK_DATA` peger på et. Alle tal kommer fra den samme rapport, som kommandoen
# `danmark report` og faktaarket viser; notesbogen regner ikke selv.

# %%
import danmark
from danmark.explore import Explorer

%matplotlib inline

ex = Explorer(danmark.resolve_data_path())  # DANMARK_DATA eller de medfølgende tal, læst én gang
print(ex.about())
danmark.danish_warnings()  # danmarks advarsler (fx om en download) som én dansk linje

# %% [markdown]
# ## Valgene
#
# **Kommune**, **område** og **periode** tilbyder kun det, dataene har sager for; skiftes kommune
# eller område, fyldes de næste menuer igen. **Priorens vægt** er, hvor mange sagers vægt
# landsgennemsnittet får i skønnet: en lille vægt lader kommunens egne sager tale, en stor vægt
# trækker skønnet mod landsgennemsnittet. Notesbog 01 forklarer, hvorfor 10, 30 og 100 sager er et
# rimeligt spænd.

# %%
# NBVAL_IGNORE_OUTPUT
ui = ex.controls("Solrød" if "Solrød Kommune" in dict(ex.kommuner()) else None)
ui

# %% [markdown]
# ## Tallene
#
# Sagerne, den rå omgørelsesprocent med sit eksakte interval (Clopper–Pearson), landsgennemsnittet,
# skønnet med prior og sandsynligheden for, at kommunens sande omgørelsesprocent ligger over
# landsgennemsnittet. Afviste sager tæller ikke med i omgørelsesprocenten. Linjen over tabellen
# siger, hvilket landsgennemsnit der er brugt.

# %%
ui.show("table")

# %% [markdown]
# ## Skønnet efter priorens vægt
#
# Den grå flade er det eksakte interval for den rå andel; det afhænger ikke af nogen prior. Den blå
# kurve er skønnet med prior og dets interval for vægte fra 5 til 300 sager; den valgte vægt er
# markeret. Jo færre sager kommunen har, jo mere flytter skønnet sig med vægten, og jo mindre kan
# tallene alene sige.

# %%
ui.show("figure")

# %% [markdown]
# ## Kommunen i tragtplottet
#
# Med et fuldt udtræk (mindst 20 kommuner med sager i samme område og periode) vises kommunen
# blandt alle kommuner i et tragtplot: omgørelsesprocent mod antal sager, med de grænser, inden for
# hvilke tilfældig variation alene typisk holder en kommune.

# %%
ui.show("funnel")

# %% [markdown]
# ## Versioner

# %%
# NBVAL_IGNORE_OUTPUT
danmark.versions()
