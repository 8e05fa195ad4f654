"""The benchmark figures added from stored documents (issue 8, item 11) and their provenance."""

import danmark


def _national(period, area, source):
    nat = danmark.load_national()
    return nat[(nat["period"] == period) & (nat["area"] == area) & (nat["source"] == source)]


def test_every_source_says_whether_it_is_primary_or_secondary():
    src = danmark.load_sources()
    assert set(src["source_kind"]) == {"primary", "secondary"}
    official = src["source_type"].str.lower().str.startswith("official")
    assert (src.loc[official, "source_kind"] == "primary").all()
    assert (src.loc[~official, "source_kind"] == "secondary").all()


def test_new_sources_carry_full_provenance():
    src = danmark.load_sources().set_index("key")
    dh = src.loc["handicap.dk:alt-for-mange-fejl-i-sager-om-boern-med-handicap"]
    assert dh["date"] == "2019-03-07" and dh["publisher"].startswith("Danske Handicaporganisationer")
    assert dh["url_or_document"].startswith("https://www.handicap.dk/") and dh["source_kind"] == "secondary"
    for key, date in [("sn.dk:saarbare-boern-i-klemme-kommunen-taber-to-ud-af-tre", "2017-07-26"),
                      ("sn.dk:flere-omgjorte-klagesager-om-udsatte-boern", "2021-08-12")]:
        assert src.loc[key, "date"] == date and src.loc[key, "url_or_document"].startswith("http")
    nb = src.loc["nb-kommune.dk:nye-danmarkskort-halvdelen-af-sagerne-paa-boerne"]
    assert nb["date"] == "2023-03-15" and nb["source_kind"] == "secondary"
    for key in ("kl.dk:fejl-i-handicapsager", "kl.dk:fejl-i-handicapsager-2023"):
        assert src.loc[key, "title"].startswith("Fejl i handicapsager") and "kl.dk" in src.loc[key, "url_or_document"]


def test_dh_press_release_gives_voksenhandicap_2018_and_2017():
    dh = "handicap.dk:alt-for-mange-fejl-i-sager-om-boern-med-handicap"
    assert _national("2018", "voksenhandicap", dh)["omg_pct"].tolist() == [32.0]
    assert _national("2017", "voksenhandicap", dh)["omg_pct"].tolist() == [21.0]
    assert _national("2018", "boernehandicap", dh)["omg_pct"].tolist() == [47.0]
    # the only 2018 voksenhandicap rate, so it is the preferred one; 2017 keeps the official sm.dk row
    assert float(danmark.national_rate("voksenhandicap", "2018")["omg_pct"].iloc[0]) == 32.0
    pref = danmark.load_national(preferred_only=True).set_index(["period", "area"])
    assert pref.loc[("2017", "voksenhandicap"), "source"].startswith("sm.dk")


def test_kl_decided_case_counts():
    expected = {("2015", "boernehandicap"): 2576, ("2015", "voksenhandicap"): 1118,
                ("2018", "boernehandicap"): 2716, ("2018", "voksenhandicap"): 1299,
                ("2022", "boernehandicap"): 1973, ("2022", "voksenhandicap"): 950,
                ("2023", "boernehandicap"): 2299, ("2023", "voksenhandicap"): 721}
    nat = danmark.load_national()
    kl = nat[nat["source"].str.startswith("kl.dk:")]
    got = {(r.period, r.area): int(r.n) for r in kl.itertuples()}
    assert got == expected
    assert (kl["n_type"] == "afgjorte klagesager").all() and kl["omg_pct"].isna().all()
    assert not kl["preferred"].any()


def test_koege_counts():
    cases = danmark.load_cases()
    k = cases[(cases["kommune"] == "Køge") & (cases["period"] == "2020")].iloc[0]
    assert (k["area"], k["stadfaestet"], k["aendret"], k["hjemvist"], k["n"], k["omgjort"]) == (
        "boernehandicap", 7, 2, 8, 17, 10)
    pub = danmark.load_published_rates(preferred_only=True)
    k16 = pub[(pub["kommune"] == "Køge") & (pub["period"] == "2016") & (pub["area"] == "boernehandicap")].iloc[0]
    assert (k16["n"], k16["omgjort"], k16["omg_pct"], k16["national_omg_pct"]) == (30, 20, 66.6, 46.0)
