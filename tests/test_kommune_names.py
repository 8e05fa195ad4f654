"""Official kommune names, and input matching of kommuner and areas (issue 17, item 4)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import danmark
from danmark import DataError
from danmark._paths import data_path
from danmark.table.kommuner import normalize_area

KOM = danmark.municipalities()
CODES = list(KOM["kommunekode"])


def _transliterate(name: str) -> str:
    """The ASCII spelling of a Danish name: æ → ae, ø → oe, å → aa (capitals kept)."""
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("Æ", "Ae"), ("Ø", "Oe"), ("Å", "Aa")):
        name = name.replace(a, b)
    return name


def test_98_official_names_one_per_code_of_the_bundled_boundaries():
    geo = json.loads(data_path("geo/kommuner.geojson").read_text(encoding="utf-8"))
    codes = [f["properties"]["kommunekode"] for f in geo["features"]]
    assert len(codes) == 98 and sorted(codes) == sorted(CODES)
    assert KOM["official_name"].notna().all() and KOM["official_name"].is_unique
    assert len(KOM) == 98 and KOM["kommunekode"].is_unique
    assert "411" not in CODES  # Christiansø is not a kommune
    assert all(danmark.official_name(c) == o for c, o in zip(KOM["kommunekode"], KOM["official_name"], strict=True))


def test_official_names_spot_checks():
    assert danmark.official_name("København") == "Københavns Kommune"
    assert danmark.official_name(101) == "Københavns Kommune"
    assert danmark.official_name("Bornholm") == "Bornholms Regionskommune"
    assert danmark.official_name("400") == "Bornholms Regionskommune"
    for short, official in [("Frederiksberg", "Frederiksberg Kommune"), ("Aarhus", "Aarhus Kommune"),
                            ("Høje-Taastrup", "Høje-Taastrup Kommune"), ("Lyngby-Taarbæk", "Lyngby-Taarbæk Kommune"),
                            ("Ærø", "Ærø Kommune"), ("Fanø", "Fanø Kommune"), ("Læsø", "Læsø Kommune"),
                            ("Samsø", "Samsø Kommune"), ("Nordfyns", "Nordfyns Kommune"),
                            ("Vesthimmerlands", "Vesthimmerlands Kommune")]:
        assert danmark.official_name(short) == official
    # the genitive only where it is official: København and Bornholm are the two exceptions
    rule = KOM["kommune"] + " Kommune"
    assert set(KOM.loc[KOM["official_name"] != rule, "kommunekode"]) == {"101", "400"}
    assert danmark.official_name("Hele landet") == "Hele landet"


def test_official_name_is_documented_in_the_sources():
    src = danmark.load_sources().set_index("key")
    row = src.loc["dst_kommuner_navne"]
    assert row["publisher"] == "Danmarks Statistik" and row["source_kind"] == "primary"
    assert row["url_or_document"].startswith("https://www.dst.dk/")


def test_unknown_names_still_refused():
    for bad in ("Christiansø", "Haslev", "411", "Kommune", "Aeroeskoebing"):
        with pytest.raises(DataError):
            danmark.normalize_kommune(bad)
    with pytest.raises(DataError):
        danmark.official_name("Atlantis")


@pytest.mark.parametrize("text, code", [
    ("Solroed", "269"), ("Koege", "259"), ("Soroe", "340"), ("Aeroe", "492"), ("AEROE", "492"),
    ("Aeroe Kommune", "492"), ("Hoeje-Taastrup", "169"), ("Hoeje Taastrup", "169"), ("Morsoe", "773"),
    ("Aarhus", "751"), ("Århus", "751"), ("Aalborg", "851"), ("Ålborg", "851"), ("Solrød Kommune", "269"),
    ("Kommune Solrød", "269"), ("Københavns Kommune", "101"), ("Bornholms Regionskommune", "400"),
    ("Koebenhavns Kommune", "101"), ("Frederiksberg Kommune", "147"), ("Lyngby-Taarbaek", "173"),
    ("Taarnby", "185"), ("Naestved", "370"), ("Helsingoer", "217"), ("Ringkoebing-Skjern", "760"),
    ("269", "269"), (269, "269"), ("0101", "101"), (400, "400"),
])
def test_transliterations_resolve_to_the_right_kommune(text, code):
    assert danmark.normalize_kommune(text)[0] == code


def test_aeroe_is_aeroe_not_lejre():
    assert danmark.normalize_kommune("Aeroe") == ("492", "Ærø")
    assert danmark.normalize_kommune("Lejre")[0] == "350"


def test_every_spelling_of_every_kommune_resolves_to_itself_and_no_other():
    seen = {}
    for code, short, official in zip(KOM["kommunekode"], KOM["kommune"], KOM["official_name"], strict=True):
        for text in {short, official, _transliterate(short), _transliterate(official), short.upper(),
                     short.lower(), _transliterate(short).lower(), f"{short} Kommune", code, int(code)}:
            assert danmark.normalize_kommune(text) == (code, short), text
            seen.setdefault(str(text).lower(), set()).add(code)
    assert all(len(codes) == 1 for codes in seen.values())


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(range(98)), st.sampled_from(["short", "official", "ascii", "ascii_official"]),
       st.sampled_from(["lower", "upper", "title", "as is"]), st.sampled_from(["", " Kommune", "  "]))
def test_property_any_spelling_resolves_to_itself(i, which, case, suffix):
    code, short, official = KOM.loc[i, "kommunekode"], KOM.loc[i, "kommune"], KOM.loc[i, "official_name"]
    text = {"short": short, "official": official, "ascii": _transliterate(short),
            "ascii_official": _transliterate(official)}[which]
    text = {"lower": text.lower(), "upper": text.upper(), "title": text.title(), "as is": text}[case]
    if which.endswith("official"):
        suffix = ""  # an official name already says Kommune (or Regionskommune)
    assert danmark.normalize_kommune(text + suffix) == (code, short)


# --------------------------------------------------------------------------- areas

MAP_AREAS = ["boernehandicap", "socialomraadet", "voksenhandicap"]


@pytest.mark.parametrize("text, area", [
    ("Voksenhandicap", "voksenhandicap"), ("voksenhandicap", "voksenhandicap"), ("VOKSENHANDICAP", "voksenhandicap"),
    ("børnehandicap", "boernehandicap"), ("Børnehandicap", "boernehandicap"), ("boernehandicap", "boernehandicap"),
    ("Bornehandicap", "boernehandicap"), ("Børn med handicap", "boernehandicap"),
    ("socialområdet", "socialomraadet"), ("Socialområdet", "socialomraadet"), ("socialomraadet", "socialomraadet"),
    ("Voksne med handicap", "voksenhandicap"),
])
def test_map_areas_in_any_case_or_spelling(text, area):
    assert normalize_area(text, MAP_AREAS) == area


def test_talportal_sagsemne_in_any_case():
    known = ["Børnehandicap - merudgifter - § 41", "Børnehandicap - tabt arbejdsfortjeneste - § 42",
             "Voksenhandicap", "boernehandicap"]
    assert normalize_area("børnehandicap - merudgifter - § 41", known) == known[0]
    assert normalize_area("BØRNEHANDICAP - MERUDGIFTER - § 41", known) == known[0]
    assert normalize_area("Boernehandicap - merudgifter - §41", known) == known[0]
    assert normalize_area("voksenhandicap", known) == "Voksenhandicap"
    assert normalize_area("Børnehandicap", known) == "boernehandicap"
    assert normalize_area(known[1], known) == known[1]


def test_unknown_area_lists_the_known_ones():
    with pytest.raises(DataError, match="unknown area 'ældre'.*'boernehandicap', 'socialomraadet', 'voksenhandicap'"):
        normalize_area("ældre", MAP_AREAS)
    for bad in (None, "", "   "):
        with pytest.raises(DataError, match="known areas"):
            normalize_area(bad, MAP_AREAS)
    with pytest.raises(DataError, match="none"):
        normalize_area("voksenhandicap", [])
    with pytest.raises(DataError, match="more than one"):
        normalize_area("VOKSENHANDICAP", ["Voksenhandicap", "voksenhandicap"])


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_property_normalize_area_answers_or_raises_data_error(text):
    try:
        got = normalize_area(text, MAP_AREAS + ["Børnehandicap - merudgifter - § 41"])
    except DataError:
        return
    assert got in MAP_AREAS + ["Børnehandicap - merudgifter - § 41"]


def test_bundled_areas_match_as_the_cli_shows_them():
    known = sorted(danmark.load_national()["area"].unique())
    for area in known:
        label = danmark.plotting.area_name(area)
        assert normalize_area(label, known) == area
        assert normalize_area(label.upper(), known) == area
