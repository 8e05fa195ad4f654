"""Rebuild danmark's curated tables in danmark/data/ from the reference bundle in ../shared/data.

Run from the repository root:  python tools/curate_data.py [path/to/shared/data [output folder]]

Inputs are the reference CSVs gathered with their sources (see data/README.md);
outputs are data/national.csv, data/cases.csv, data/published_rates.csv,
data/claims.csv and data/sources.csv. The script only reorganises published
numbers: it never creates a count that was not printed (derived values are
marked ``derived`` in ``status`` and explained in ``note``). The outputs are
committed, so neither the tests nor the notebooks need ../shared.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
DATA = ROOT / "danmark" / "data"  # the committed tables (and citations.csv, read here)
OUT = Path(sys.argv[2]) if len(sys.argv) > 2 else DATA  # where the rebuilt tables go
sys.path.insert(0, str(ROOT))

from danmark.table.kommuner import normalize_kommune  # noqa: E402
from danmark.table.periods import parse_period  # noqa: E402

SEEDS = {  # the documents' own (Danish) titles, and where each is published
    "seed_solrod_2024": ("Solrød Kommune", "Vedr. taskforce-forløb i Solrød Kommune (brev til Social-, Bolig- og Ældreministeriet)", "2024-03-06", "offentliggjort af Folketinget (ft.dk) som bilag 2 til ministerens orientering af Folketingets Socialudvalg 29. maj 2024 (sagsnr. 2023-7541)"),
    "seed_minister_2024": ("Social- og boligministeren", "Orientering om, at to kommuner har valgt at takke nej til et reserveret analyse- og udviklingsforløb med taskforce handicap", "2024-05-29", "Folketingets Socialudvalg, udvalgsbilag på ft.dk (brev af 29. maj 2024, sagsnr. 2023-7541)"),
    "seed_odsherred_2024": ("Odsherred Kommune", "Svar vedr. tilbud om taskforce-forløb på børnehandicapområdet (brev til Social-, Bolig- og Ældreministeriet)", "2024-04-02", "offentliggjort af Folketinget (ft.dk) som bilag 1 til ministerens orientering af Folketingets Socialudvalg 29. maj 2024 (sagsnr. 2023-7541)"),
    "seed_frederiksberg_2020": ("Frederiksberg Kommune", "Opfølgning på redegørelsen om kvalitet i sagsbehandlingen på Socialudvalgets område (Socialudvalget, punkt 64)", "2020-09-21", "Frederiksberg Kommune, Socialudvalget 2018-21, referat af mødet 21. september 2020 (frederiksberg.dk, dagsordener og referater)"),
    "seed_helsingor_2025": ("Helsingør Kommune", "Orientering: Status på arbejdet med taskforces anbefalinger på det specialiserede voksenområde (sag 25/30718)", "2025", "Helsingør Kommune, sag 25/30718 til Handicaprådet og Social- og Beskæftigelsesudvalget 2022-2025 (helsingor.dk, dagsordener og referater)"),
}

AREA_MAP = {
    "boernehandicap": "boernehandicap",
    "børnehandicap særlige bestemmelser": "boernehandicap",
    "voksenhandicap": "voksenhandicap",
    "voksenhandicap særlige bestemmelser": "voksenhandicap",
    "socialomraadet": "socialomraadet",
    "socialområdet (serviceloven i alt)": "socialomraadet",
    "serviceloven i alt (socialområdet)": "socialomraadet",
    "socialområdet (serviceloven i alt; social- og sundhed + børn og familie)": "socialomraadet",
    "socialomraadet (danmarkskort 2018; area per article context)": "socialomraadet",
    "socialomraadet (assumed; article does not name area in excerpt)": "socialomraadet",
    "socialomraadet (assumed)": "socialomraadet",
    "social- og beskæftigelsesområdet i alt (1. halvår, ankestyrelsens halvårsstatistik; not danmarkskort)":
        "social_og_beskaeftigelse_i_alt",
    "serviceloven klager i alt (ankestyrelsens klagestatistik; not danmarkskort)": "serviceloven_klagestatistik",
}

sources: dict[str, dict] = {}


def source_key(url: str, source_type: str = "") -> str:
    """A short readable key for a URL, e.g. 'sm.dk:omgoerelsesprocenter-paa-socialomraadet-i-2022'."""
    for key, (_, _, _, doc) in SEEDS.items():
        if doc in url:
            return key
    if url.startswith("("):
        return "seed_brief"
    parsed = urlparse(url)
    host = parsed.netloc.replace("www.", "")
    slug = [p for p in parsed.path.split("/") if p and not re.fullmatch(r"[0-9a-f\-]{20,}", p)]
    slug = [p for p in slug if not p.isdigit() and p not in ("artikel", "index.php")]
    tail = re.sub(r"[^a-z0-9\-]+", "-", (slug[-1] if slug else "").lower()).strip("-")[:48]
    key = f"{host}:{tail}" if tail else host
    if key not in sources:
        sources[key] = {
            "key": key, "publisher": host, "title": (slug[-1] if slug else host).replace("-", " "),
            "date": "", "url_or_document": url, "kind": "read",
            "source_type": source_type, "note": "",
        }
    elif source_type and not sources[key]["source_type"]:
        sources[key]["source_type"] = source_type
    return key


def add_seed_sources() -> None:
    for key, (publisher, title, date, doc) in SEEDS.items():
        sources[key] = {
            "key": key, "publisher": publisher, "title": title, "date": date,
            "url_or_document": doc, "kind": "read", "source_type": "official (municipal/ministerial document)",
            "note": "public document; cited, not copied, into this repository",
        }
    for key, publisher, title, url, kind, note in [
        ("dagi_kommuner", "Styrelsen for Dataforsyning og Infrastruktur (DAGI); regioner fra Ankestyrelsens Talportal",
         "Kommunekoder, kommunenavne og regioner", "https://dataforsyningen.dk/ (DAGI kommuneinddeling)", "read", "data/kommuner.csv"),
        ("dagi_geo", "Styrelsen for Dataforsyning og Infrastruktur (DAGI), genudgivet i et offentligt repository",
         "Kommunegrænser, forenklet (0,004 grader), WGS84", "https://dataforsyningen.dk/ (DAGI kommuneinddeling)", "derived",
         "data/geo/kommuner.geojson; simplified for maps; Christiansø removed"),
        ("folk1a_2020", "Danmarks Statistik (FOLK1A 2020K1) via Statens Serum Instituts COVID-19-kommunefil",
         "Folketal 1. januar 2020 efter kommune", "https://www.statistikbanken.dk/FOLK1A", "read",
         "data/folketal_2020.csv; 98 values + Christiansø (84) = 5,822,763"),
        ("ankestyrelsen_example", "Ankestyrelsen", "Afgørelsestyper og omgørelsesprocent: regneeksempel (19 hjemvist + 5 ændret + 105 stadfæstet = 129 realitetsbehandlede, 19 %)",
         "https://ast.dk/tal-og-undersogelser/tal-fra-ankestyrelsen/statistik/begreber-fra-statistikken", "read",
         "page last updated 20.08.2021; used in tests and notebook 00"),
    ]:
        sources[key] = {"key": key, "publisher": publisher, "title": title, "date": "", "url_or_document": url,
                        "kind": kind, "source_type": "official", "note": note}


# Figures verified in stored copies of the documents (issue 8, item 11), each with its full
# provenance. source_type says who is speaking; a source that quotes another's figures is secondary.
VERIFIED_SOURCES = {
    "dst_kommuner_navne": ("Danmarks Statistik", 'Nomenklaturer: Regioner, landsdele og kommuner, v1:2007- (NUTS_V1_2007_DK) og Amter og kommuner, v3:2006', '2007-01-01',
        'https://www.dst.dk/da/Statistik/dokumentation/nomenklaturer/nuts and https://www.dst.dk/da/Statistik/dokumentation/nomenklaturer/amt-kom (Danmarks Statistik, dokumentation, nomenklaturer)',
        'official',
        "official names: '<name> Kommune', except Københavns Kommune (101) and Bornholms Regionskommune (400), as the classification writes them; the date is the classification's valid-from date; Christiansø (411) is in the classification but is not a kommune"),
    "handicap.dk:alt-for-mange-fejl-i-sager-om-boern-med-handicap": (
        "Danske Handicaporganisationer (DH)", "Alt for mange fejl i sager om børn med handicap (pressemeddelelse)",
        "2019-03-07", "https://www.handicap.dk/nyheder/nyhedsarkiv/alt-for-mange-fejl-i-sager-om-boern-med-handicap/",
        "secondary (association press release quoting Ankestyrelsen's new figures)",
        "børnehandicap 47 % in 2018; voksenhandicap 21 % (2017) to 32 % (2018)"),
    "kl.dk:fejl-i-handicapsager": (
        "KL (Kommunernes Landsforening)", "Fejl i handicapsager", "",
        "https://www.kl.dk/social/retssikkerhed/fejl-i-handicapsager",
        "secondary (KL quoting Ankestyrelsens klagestatistik (2024))",
        "undated page (marked older than 12 months); klagesager afgjort 2023 and 2018"),
    "kl.dk:fejl-i-handicapsager-2023": (
        "KL (Kommunernes Landsforening)", "Fejl i handicapsager (earlier version of the page)", "",
        "https://www.kl.dk/kommunale-opgaver/socialomraadet/retssikkerhed/fejl-i-handicapsager/",
        "secondary (KL quoting Ankestyrelsens klagestatistik (2023))",
        "undated earlier version of the same page; klagesager afgjort 2022 and 2015"),
    # fuller provenance for sources already cited, read from the stored pages
    "sm.dk:omgoerelsesprocenter-paa-socialomraadet-i-2022": (
        "Social- og Boligministeriet (sm.dk)", "Omgørelsesprocenter på socialområdet i 2022", "2023-06-23",
        "https://www.sm.dk/danmarkskort/2023/jun/omgoerelsesprocenter-paa-socialomraadet-i-2022",
        "official (Social- og Boligministeriet, Danmarkskort page)", ""),
    "sm.dk:omgoerelsesprocenter-paa-voksenhandicapomraadet-": (
        "Social- og Boligministeriet (sm.dk)", "Omgørelsesprocenter på voksenhandicapområdet 2017", "2018-04-17",
        "https://sm.dk/danmarkskort/2018/apr/omgoerelsesprocenter-paa-voksenhandicapomraadet-2017",
        "official (Social- og Boligministeriet, Danmarkskort page)", ""),
    "sm.dk:omgoerelsesprocenter-paa-boernehandicapomraadet-": (
        "Social- og Boligministeriet (sm.dk)", "Omgørelsesprocenter på børnehandicapområdet i 2020", "",
        "https://www.sm.dk/danmarkskort/2021/jun/omgoerelsesprocenter-paa-boernehandicapomraadet-i-2020",
        "official (Social- og Boligministeriet, Danmarkskort page)", "published June 2021 (URL); day not given"),
    "nb-kommune.dk:nye-danmarkskort-halvdelen-af-sagerne-paa-boerne": (
        "NB-Kommune (journalist Mads Høyer Hansen)",
        "Nye Danmarkskort: Halvdelen af sagerne på børnehandicapområdet blev omgjort", "2023-03-15",
        "https://www.nb-kommune.dk/2023/03/15/nye-danmarkskort-halvdelen-af-sagerne-paa-boernehandicapomraadet-blev-omgjort/",
        "trade press (NB-Kommune, citing NB-Social)",
        "8.631 realitetsbehandlede sager in 2022; kommuner above 55 % and below 25 % (Ærø, Læsø, Samsø left out)"),
    "sn.dk:saarbare-boern-i-klemme-kommunen-taber-to-ud-af-tre": (
        "DAGBLADET Køge (Sjællandske Medier, sn.dk)", "Sårbare børn i klemme: Kommunen taber to ud af tre klagesager",
        "2017-07-26", "http://sn.dk/Koege/Saarbare-boern-i-klemme-Kommunen-taber-to-ud-af-tre-klagesager/artikel/671865",
        "news (local press quoting Ankestyrelsen's figures)", ""),
    "sn.dk:flere-omgjorte-klagesager-om-udsatte-boern": (
        "DAGBLADET Køge (Sjællandske Medier, sn.dk)", "Flere omgjorte klagesager om udsatte børn: - Det er drønærgerligt",
        "2021-08-12", "https://sn.dk/Koege/Flere-omgjorte-klagesager-om-udsatte-boern-Det-er-droenaergerligt/artikel/1461307",
        "news (local press quoting the ministry's 2020 figures)", ""),
}

_DH = "handicap.dk:alt-for-mange-fejl-i-sager-om-boern-med-handicap"
VERIFIED_NATIONAL = [
    # period, area, scope, n, n_type, omg_pct, source, note
    ("2018", "voksenhandicap", "Danmarkskort voksenhandicap 2018 (as quoted by DH)", None, None, 32.0, _DH,
     "\"steget markant fra 21 procent i 2017 til 32 procent i 2018\"; secondary, official page not in the stored material"),
    ("2017", "voksenhandicap", "Danmarkskort voksenhandicap 2017 (as quoted by DH)", None, None, 21.0, _DH,
     "confirms the 21 % on sm.dk as the figure in use at the time"),
    ("2018", "boernehandicap", "Danmarkskort boernehandicap 2018 (as quoted by DH)", None, None, 47.0, _DH, ""),
    ("2015", "boernehandicap", "klagesager afgjort af Ankestyrelsen, børnehandicap (as quoted by KL)", 2576,
     "afgjorte klagesager", None, "kl.dk:fejl-i-handicapsager-2023", "2015 is the second year of the statistics (KL)"),
    ("2015", "voksenhandicap", "klagesager afgjort af Ankestyrelsen, voksenhandicap (as quoted by KL)", 1118,
     "afgjorte klagesager", None, "kl.dk:fejl-i-handicapsager-2023", ""),
    ("2018", "boernehandicap", "klagesager afgjort af Ankestyrelsen, børnehandicap (as quoted by KL)", 2716,
     "afgjorte klagesager", None, "kl.dk:fejl-i-handicapsager", ""),
    ("2018", "voksenhandicap", "klagesager afgjort af Ankestyrelsen, voksenhandicap (as quoted by KL)", 1299,
     "afgjorte klagesager", None, "kl.dk:fejl-i-handicapsager", ""),
    ("2022", "boernehandicap", "klagesager afgjort af Ankestyrelsen, børnehandicap (as quoted by KL)", 1973,
     "afgjorte klagesager", None, "kl.dk:fejl-i-handicapsager-2023", ""),
    ("2022", "voksenhandicap", "klagesager afgjort af Ankestyrelsen, voksenhandicap (as quoted by KL)", 950,
     "afgjorte klagesager", None, "kl.dk:fejl-i-handicapsager-2023", ""),
    ("2023", "boernehandicap", "klagesager afgjort af Ankestyrelsen, børnehandicap (as quoted by KL)", 2299,
     "afgjorte klagesager", None, "kl.dk:fejl-i-handicapsager", ""),
    ("2023", "voksenhandicap", "klagesager afgjort af Ankestyrelsen, voksenhandicap (as quoted by KL)", 721,
     "afgjorte klagesager", None, "kl.dk:fejl-i-handicapsager", ""),
]

VERIFIED_CASES = [
    {"kommune": "Køge", "period": "2020", "area": "boernehandicap",
     "area_as_published": "børnehandicapområdet (Danmarkskort 2020, as quoted by the local press)",
     "stadfaestet": 7, "aendret": 2, "hjemvist": 8, "afvist": None, "status": "read",
     "source": "sn.dk:flere-omgjorte-klagesager-om-udsatte-boern",
     "note": "17 klagesager behandlet og afgjort: 2 ændret, 8 hjemvist, 7 stadfæstet (as printed); "
             "omg 10/17 = 58.8 % derived (the article's own percentage is cut off in the stored copy)"},
]

VERIFIED_RATES = [
    {"kommune": "Køge", "period": "2016", "area_as_published": "børnehandicap særlige bestemmelser",
     "n": 30, "omgjort": 20, "omg_pct": 66.6, "national_omg_pct": 46.0, "status": "read",
     "source": "sn.dk:saarbare-boern-i-klemme-kommunen-taber-to-ud-af-tre",
     "note": "30 sager, 20 ændret eller hjemvist (66,6 %); national 46 %; the ændret/hjemvist split is not given"},
]


def add_verified_sources() -> None:
    for key, (publisher, title, date, url, source_type, note) in VERIFIED_SOURCES.items():
        sources[key] = {"key": key, "publisher": publisher, "title": title, "date": date, "url_or_document": url,
                        "kind": "read", "source_type": source_type, "note": note}


def source_kind(source_type: str) -> str:
    """'primary' when the body that produced the figures publishes them (official), else 'secondary'."""
    return "primary" if str(source_type).lower().startswith("official") else "secondary"


def source_class(t: str) -> int:
    t = (t or "").lower()
    if t.startswith("official"):
        return 0
    if t.startswith("secondary") or "blog" in t:
        return 2
    return 1


def decimals(x) -> int:
    if pd.isna(x):
        return -1
    s = repr(float(x))
    return 0 if s.endswith(".0") else len(s.split(".")[1])


def build_national() -> pd.DataFrame:
    nat = pd.read_csv(SHARED / "national.csv", dtype={"year": str})
    rows = []
    for _, r in nat.iterrows():
        rows.append({
            "period": parse_period(r["year"])[0], "area": r["area"], "scope": r["scope"],
            "n": r["n_cases"], "n_type": r["n_case_type"],
            "pct_aendret": r["pct_aendret"], "pct_hjemvist": r["pct_hjemvist"],
            "pct_stadfaestet": r["pct_stadfaestet"], "omg_pct": r["omgoerelsespct"],
            "status": "read", "source": source_key(r["source_url"], r["source_type"]),
            "source_type": r["source_type"], "note": r["note"] if pd.notna(r["note"]) else "",
        })
        if "voksenhandicap 38.9 % in 2022" in str(r["note"]):
            rows.append({
                "period": "2022", "area": "voksenhandicap", "scope": "Danmarkskort voksenhandicap (as quoted)",
                "n": None, "n_type": None, "pct_aendret": None, "pct_hjemvist": None, "pct_stadfaestet": None,
                "omg_pct": 38.9, "status": "read", "source": source_key(r["source_url"], r["source_type"]),
                "source_type": r["source_type"],
                "note": "stated in the same post as the 2022 all-municipal figure; secondary, not yet checked against sm.dk",
            })
    for row in rows:  # the 2017 figure looked low; DH's press release of 7 March 2019 quotes it too
        if row["period"] == "2017" and row["area"] == "voksenhandicap":
            row["note"] = row["note"].replace(
                " - scope of 2017 voksenhandicap map may differ; verify",
                "; DH (2019-03-07) quotes the same 21 % and 32 % for 2018 and calls the rise marked; no source states which paragraphs the 2017 map covered, so its scope is not stated (read as a low year with that caveat)")
    for period, area, scope, n, n_type, omg, key, note in VERIFIED_NATIONAL:
        rows.append({
            "period": period, "area": area, "scope": scope, "n": n, "n_type": n_type, "pct_aendret": None,
            "pct_hjemvist": None, "pct_stadfaestet": None, "omg_pct": omg, "status": "read", "source": key,
            "source_type": VERIFIED_SOURCES[key][4], "note": note,
        })
    out = pd.DataFrame(rows)
    out["n"] = out["n"].astype("Int64")
    # mark, per (period, area), the one rate an analysis uses: official before news before
    # secondary, then the most precise (with the split, more decimals)
    out["preferred"] = False
    has_rate = out["omg_pct"].notna()
    cand = out[has_rate].assign(
        _cls=lambda d: d["source_type"].map(source_class),
        _split=lambda d: -d["pct_aendret"].notna().astype(int),
        _dec=lambda d: -d["omg_pct"].map(decimals),
    ).sort_values(["_cls", "_split", "_dec"], kind="stable")
    first = cand.groupby(["period", "area"], sort=False).head(1).index
    out.loc[first, "preferred"] = True
    return out.sort_values(["area", "period", "preferred"], ascending=[True, True, False], kind="stable").reset_index(drop=True)


def kommune_cols(name, code) -> tuple[str, str]:
    return normalize_kommune(code if pd.notna(code) else name)


PERIOD_FIX = {"2019/2020": "2019-2020"}


def build_municipal() -> tuple[pd.DataFrame, pd.DataFrame]:
    frag = pd.read_csv(SHARED / "municipal_fragments.csv", dtype={"year": str, "kommunekode": str})
    press = pd.read_csv(SHARED / "municipal_press_and_agenda.csv", dtype={"year": str, "kommunekode": str})
    rates = []
    for _, r in frag.iterrows():
        if r["value_status"].startswith("seed"):
            continue  # the seed facts are curated from the documents below
        code, name = kommune_cols(r["municipality"], r["kommunekode"])
        rates.append({
            "kommunekode": code, "kommune": name, "period": r["year"], "area_as_published": r["area"],
            "n": r["total"], "omgjort": None, "aendret": r["aendret"], "hjemvist": r["hjemvist"],
            "stadfaestet": r["stadfaestet"], "afvist": r["afvist"], "omg_pct": r["omgoerelsespct"],
            "omg_pct_bound": r["omgoerelsespct_bound"], "pct_aendret": r["pct_aendret"],
            "pct_hjemvist": r["pct_hjemvist"], "national_omg_pct": r["national_omgoerelsespct"],
            "status": "bound" if "bound" in r["value_status"] else "read",
            "source": source_key(r["source_url"], "news"), "note": r["note"] if pd.notna(r["note"]) else "",
        })
    for _, r in press.iterrows():
        code, name = kommune_cols(r["kommune"], r["kommunekode"])
        note = r["note"] if pd.notna(r["note"]) else ""
        omgjort = None
        if "svarer til 28 omgjorte" in note or (name == "Sønderborg" and r["year"] == "2017"):
            omgjort = 28
        rates.append({
            "kommunekode": code, "kommune": name, "period": r["year"], "area_as_published": r["area"],
            "n": r["n"], "omgjort": omgjort, "aendret": r["aendret"], "hjemvist": r["hjemvist"],
            "stadfaestet": r["stadfaestet"], "afvist": r["afvist"], "omg_pct": r["omg_pct"],
            "omg_pct_bound": None, "pct_aendret": r["aendret_pct"], "pct_hjemvist": r["hjemvist_pct"],
            "national_omg_pct": r["national_omg_pct"], "status": "read",
            "source": source_key(r["source_url"], "news / municipal"), "note": note,
        })
    rates = pd.DataFrame(rates)
    half = rates["area_as_published"].str.contains("1. halvår", regex=False)
    rates.loc[half, "period"] = rates.loc[half, "period"] + "H1"
    # Sønderborg 2017 børnehandicap: the article gives n = 52 and 28 omgjorte (fragments file)
    m = (rates["kommune"] == "Sønderborg") & (rates["period"] == "2017") & (rates["area_as_published"] == "boernehandicap")
    rates.loc[m, "omgjort"] = 28
    rates.loc[~m & (rates["kommune"] == "Sønderborg") & (rates["period"] == "2017"), "omgjort"] = None

    # rows with the complete three-way split go to the tidy counts table instead
    # (a source whose parts do not add up to its own total stays in the published table)
    full = rates[["aendret", "hjemvist", "stadfaestet"]].notna().all(axis=1) & ~rates["note"].str.contains(
        "internally inconsistent", regex=False)
    cases = rates[full].copy()
    rates = rates[~full].copy()
    return rates, cases


def seed_rows() -> tuple[list[dict], list[dict]]:
    cases = [
        {"kommune": "Solrød", "period": "2020-2023H1", "area": "voksenhandicap",
         "area_as_published": "voksenhandicap, udvalgte paragraffer (taskforce selection)",
         "stadfaestet": 4, "aendret": 1, "hjemvist": 9, "afvist": None, "status": "read",
         "source": "seed_solrod_2024",
         "note": "14 realitetsbehandlede, 9 hjemvist, 1 ændret; stadfæstet = 14 - 9 - 1 (the letter gives 71 % on 14 cases)"},
        {"kommune": "Helsingør", "period": "2024", "area": "voksenhandicap",
         "area_as_published": "Danmarkskort, det specialiserede voksenområde (June 2025 release)",
         "stadfaestet": 10, "aendret": 2, "hjemvist": 10, "afvist": None, "status": "read",
         "source": "seed_helsingor_2025",
         "note": "22 afgørelser, 12 omgjort (55 %): 2 ændret/ophævet (9 %), 10 hjemvist (45 %); stadfæstet = 22 - 12. "
                 "Area inferred: the item concerns the specialised adult area; the map's name is not given"},
    ]
    rates = [
        {"kommune": "Solrød", "period": "2020-2023H1", "area_as_published": "SEL § 84 (afløsning og aflastning)",
         "n": 1, "omgjort": 1, "omg_pct": 100, "status": "read", "source": "seed_solrod_2024",
         "note": "100 % on one case in 3.5 years; ændret/hjemvist split not given"},
        {"kommune": "Solrød", "period": "2020-2023H1", "area_as_published": "SEL § 107 (midlertidigt botilbud)",
         "n": 1, "omgjort": 1, "omg_pct": 100, "status": "read", "source": "seed_solrod_2024",
         "note": "100 % on one case in 3.5 years; ændret/hjemvist split not given"},
        {"kommune": "Solrød", "period": "2020-2023H1", "area_as_published": "SEL §§ 96-97 (BPA og ledsageordning)",
         "n": None, "omgjort": 7, "omg_pct": None, "status": "read", "source": "seed_solrod_2024",
         "note": "seven reversed cases together, the highest rate among the paragraphs; n not given: at least 7, at most 11 if each case belongs to one paragraph (§ 84 and § 107 hold one case each, and one of the ten reversals lies elsewhere)"},
    ]
    return cases, rates


CLAIMS = [  # checked verbatim against the documents in ../shared/seeds (tests/test_notebook_text.py)
    ('solrod_few_cases', 'Solrød', '2020-2023H1', 'voksenhandicap', 'seed_solrod_2024', '02_solrod',
     "Reason 2 of the council's three: the 71 % rests on very few cases, and no paragraph stands out markedly (for example with high rates in every year); § 84 and § 107 reach 100 % on a single case each.",
     'ganske få sager, og der er ikke paragraffer, der skiller sig markant ud (fx høje omgørelsesprocenter i alle årene)'),
    ('solrod_few_errors', 'Solrød', '2020-2023H1', 'voksenhandicap', 'seed_solrod_2024', '02_solrod',
     "The letter's summing up: errors in few cases over a number of years, and a thorough service review (E&Y, 2021-2023) whose measures are in place or under way.",
     'der er tale om fejl i få sager igennem en årrække'),
    ('solrod_96_97', 'Solrød', '2020-2023H1', 'SEL §§ 96-97', 'seed_solrod_2024', '02_solrod',
     'BPA and ledsageordning (§§ 96-97) have the highest rate, seven reversed cases in all; worked on in 2023, with no appeals there in 2023.',
     'Her har der sammenlagt været syv omgjorte sager i perioden'),
    ('odsherred_audit', 'Odsherred', '2024', 'boernehandicap', 'seed_odsherred_2024', '03_odsherred',
     'An external audit of the børnehandicap cases (February 2024) found an error in only one case; the number of cases reviewed is not stated.',
     'der kun blev fundet fejl i en enkelt af sagerne'),
    ('odsherred_practice_change', 'Odsherred', '2024', 'boernehandicap', 'seed_odsherred_2024', '03_odsherred',
     'Some remands follow a change of practice by Ankestyrelsen (a new principmeddelelse) after a decision that was right when made; these still count as errors on the map.',
     'Sådanne sager tæller også med som "fejl" i opgørelsen i danmarkskortet.'),
    ('frederiksberg_below_average', 'Frederiksberg', '2019', 'socialomraadet', 'seed_frederiksberg_2020', '04_frederiksberg',
     "The social department's reversal rate is below the national average (Danmarkskort 2020, data year assumed 2019); more decisions upheld, fewer changed or remanded.",
     'Socialafdelingen har en lavere omgørelsesprocent end landsgennemsnittet samt at Socialafdelingen samlet set ligger pænt i forhold til landsgennemsnittet, da væsentligt flere afgørelser fastholdes, og færre ændres eller hjemvises i forhold til landsgennemsnittet'),
    ('frederiksberg_audit_15', 'Frederiksberg', '2020', 'socialomraadet', 'seed_frederiksberg_2020', '04_frederiksberg',
     'The auditor reviewed 15 randomly chosen case types and found no significant or systematic errors.',
     'Der er ved revisionens gennemgang ikke fundet væsentlige eller systematiske/generelle fejl'),
    ('frederiksberg_few_real_errors', 'Frederiksberg', '2020', 'socialomraadet', 'seed_frederiksberg_2020', '04_frederiksberg',
     "The administration's own systematic review found few real errors, mostly data-entry errors and wrong use of the case system.",
     'Der er generelt tale om få egentlige fejl, hvoraf de fleste omhandler indtastningsfejl og forkert brug af fagsystemet Sensum'),
    ('helsingor_same_level', 'Helsingør', '2024', 'voksenhandicap', 'seed_helsingor_2025', '05_helsingor',
     '22 decisions in 2024 with 12 reversed (2 ændret, 10 hjemvist) = 55 %, said to be the level seen in most municipalities.',
     'Samme niveau ses i flertallet af kommuner.'),
    ('minister_selection', 'Hele landet', '2024', 'boernehandicap/voksenhandicap', 'seed_minister_2024', '07_taskforce_selection',
     'Of eight taskforce courses a year, four are reserved for the municipalities with the greatest need, selected from the Danmarkskort.',
     'fire forløb er reserveret til kommuner med størst behov for hjælp – udvalgt på baggrund af Ankestyrelsens Danmarkskort over omgørelsesprocenter'),
]


def readable_sources(src: pd.DataFrame) -> pd.DataFrame:
    """The sources keyed by a web address get the title and the publisher a reader sees.

    :func:`source_key` names such a source by its host and the address's last part ("sm.dk",
    "nye danmarkskort over ankestyrelsens omgoerelsesprocenter for 2021"). Their titles as
    published, with the Danish letters, and their publishers are recorded in ``citations.csv``
    (title; the citation "Social- og Boligministeriet 2022" names the publisher and the year),
    checked against the pages; they replace the host and the address's words.
    """
    cites = pd.read_csv(DATA / "citations.csv", dtype=str).fillna("").set_index("key")
    src = src.copy()
    host_like = ~src["publisher"].str.contains(" ") & src["publisher"].str.contains(".", regex=False)
    for i in src.index[host_like & src["key"].isin(cites.index)]:
        cite = cites.loc[src.at[i, "key"]]
        src.at[i, "title"] = cite["title"]
        src.at[i, "publisher"] = re.sub(r"\s+(u\.å\.|\d{4})[a-z]?$", "", cite["citation"])
    return src


def write_sources_md(src: pd.DataFrame) -> None:
    """A readable copy of sources.csv (the CSV is the one the code reads)."""
    lines = [
        "# Sources",
        "",
        "Every number in `data/` names one of these keys in its `source` column. Generated from",
        "`sources.csv` by `tools/curate_data.py`; edit the script, not this file.",
        "",
        "| key | publisher | title | date | URL or document | kind | type | primary/secondary |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for _, r in src.fillna("").iterrows():
        cells = [str(r[c]).replace("|", "/") for c in
                 ("key", "publisher", "title", "date", "url_or_document", "kind", "source_type", "source_kind")]
        lines.append("| " + " | ".join(cells) + " |")
    (OUT / "SOURCES.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    add_seed_sources()
    add_verified_sources()
    national = build_national()
    rates, cases = build_municipal()
    seed_cases, seed_rates = seed_rows()

    cases = pd.concat([cases, pd.DataFrame(seed_cases + VERIFIED_CASES)], ignore_index=True)
    for c in cases.index:
        code, name = normalize_kommune(cases.at[c, "kommune"])
        cases.at[c, "kommunekode"], cases.at[c, "kommune"] = code, name
    cases["area"] = [AREA_MAP.get(str(a).lower(), a) if pd.isna(ar) else ar
                     for a, ar in zip(cases["area_as_published"], cases.get("area", pd.Series([None] * len(cases))), strict=True)]
    cases["area"] = [AREA_MAP.get(str(a).lower(), a) for a in cases["area"]]
    period_start, period_end = zip(*[parse_period(p)[1:] for p in cases["period"]], strict=True)
    cases["period"] = [parse_period(p)[0] for p in cases["period"]]
    cases["period_start"] = [d.date() for d in period_start]
    cases["period_end"] = [d.date() for d in period_end]
    for c in ("stadfaestet", "aendret", "hjemvist", "afvist"):
        cases[c] = cases[c].astype("Int64")
    cases = cases[["kommunekode", "kommune", "period", "period_start", "period_end", "area", "area_as_published",
                   "stadfaestet", "aendret", "hjemvist", "afvist", "status", "source", "note"]]
    cases = cases.sort_values(["kommune", "period", "area"]).reset_index(drop=True)

    rates = pd.concat([rates, pd.DataFrame(seed_rates + VERIFIED_RATES)], ignore_index=True)
    for c in rates.index:
        code, name = normalize_kommune(rates.at[c, "kommune"])
        rates.at[c, "kommunekode"], rates.at[c, "kommune"] = code, name
    rates["period"] = [parse_period(PERIOD_FIX.get(p, p))[0] for p in rates["period"]]
    rates["area"] = [AREA_MAP.get(str(a).lower(), a) for a in rates["area_as_published"]]
    for c in ("n", "omgjort", "aendret", "hjemvist", "stadfaestet", "afvist"):
        rates[c] = pd.to_numeric(rates[c]).astype("Int64")
    # where several rows describe the same kommune, period and area (two sources, or the same
    # figure repeated), all rows stay and exactly one is marked preferred: a row with a case count
    # first, then one with the ændret/hjemvist split, then one whose area the source names (not "assumed"), then the first listed.
    # Sønderborg 2016 socialområdet: tvsyd.dk (42 %) and jv.dk (32 %) disagree; tvsyd.dk calls its
    # figure the omgørelsesprocent explicitly, so 42 % is preferred.
    rates["preferred"] = True
    order = pd.DataFrame({
        "no_n": rates["n"].isna(),
        "no_split": rates["pct_aendret"].isna(),
        "assumed": rates["area_as_published"].str.contains("assumed", regex=False),
        "not_tvsyd": ~rates["source"].str.startswith("tvsyd.dk"),
        "pos": range(len(rates)),
    }, index=rates.index)
    keys = ["kommunekode", "period", "area"]
    for _, grp in rates[rates.duplicated(keys, keep=False)].groupby(keys):
        best = order.loc[grp.index].sort_values(["no_n", "no_split", "assumed", "not_tvsyd", "pos"]).index[0]
        rates.loc[grp.index, "preferred"] = False
        rates.loc[best, "preferred"] = True
    rates = rates[["kommunekode", "kommune", "period", "area", "area_as_published", "n", "omgjort", "aendret",
                   "hjemvist", "stadfaestet", "afvist", "omg_pct", "omg_pct_bound", "pct_aendret", "pct_hjemvist",
                   "national_omg_pct", "status", "preferred", "source", "note"]]
    rates = rates.sort_values(["kommune", "period", "area"], kind="stable").reset_index(drop=True)

    claims = pd.DataFrame(CLAIMS, columns=["claim_id", "kommune", "period", "area", "source", "notebook", "claim", "quote"])

    OUT.mkdir(exist_ok=True)
    national.to_csv(OUT / "national.csv", index=False)
    cases.to_csv(OUT / "cases.csv", index=False)
    rates.to_csv(OUT / "published_rates.csv", index=False)
    claims.to_csv(OUT / "claims.csv", index=False)
    src = readable_sources(pd.DataFrame(sources.values()).sort_values("key").reset_index(drop=True))
    src["source_kind"] = src["source_type"].map(source_kind)
    src.to_csv(OUT / "sources.csv", index=False)
    write_sources_md(src)
    print(f"national {len(national)}, cases {len(cases)}, published_rates {len(rates)}, claims {len(claims)}, sources {len(src)}")


if __name__ == "__main__":
    main()
