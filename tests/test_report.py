"""One download, one story (issue 17): the CLI, the faktaark and the estimates table tell the same numbers.

The numbers are parsed out of each surface's *output* -- the text ``danmark report`` prints, the
faktaark's HTML (its ``data-k``/``data-v`` values and the text shown) -- and compared with each
other and with :func:`danmark.report_table`. Downloads are SYNTHETIC (tests/talportal_writer.py,
written to a temporary folder): a CSV-fil by year with Hele landet rows and an XLSX by quarter
without them, small enough to stay quick, plus the bundled kommuner.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import talportal_writer as tw
from test_faktaark import shown, values, visible_text

import danmark
from danmark.cli import main
from danmark.faktaark_page import page_file_name
from danmark.report import MIN_FULL, SIZE_TEST_LEVEL, TABLE_COLUMNS, read_download
from danmark.table.words import interval, num, pct

VARIANTS = {
    # name: (writer, periods, Hele landet rows, kommuner, mean cases a year)
    "csv_years_with_hele_landet": (tw.write_csv_download, ["2023", "2024"], True, 26, 14),
    "xlsx_quarters_without_hele_landet": (tw.write_xlsx_download, ["2024 - 1. kvartal", "2024 - 2. kvartal"], False,
                                          26, 48),
}


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def story(request, tmp_path_factory):
    """A SYNTHETIC download, its pages (faktaark --all), the CLI's text for every kommune, and the table."""
    write, periods, hele, m, mean = VARIANTS[request.param]
    folder = tmp_path_factory.mktemp(request.param)
    truth = tw.random_truth(np.random.default_rng(17), n_kommuner=m, sagsemner=["Voksenhandicap"], periods=periods,
                            hele_landet=hele, mean_cases=mean)
    path = write(truth, folder / ("SYNTHETIC_data.csv" if write is tw.write_csv_download else "SYNTHETIC_excelfil.xlsx"))
    danmark.faktaark_all(data=path, out=folder / "pages", workers=1, progress=False)
    table = danmark.report_table(path, grades=False)
    return request.param, path, folder / "pages", table


def _cli_blocks(text: str) -> dict:
    """The CLI's report split into its area-and-period blocks, keyed by the period as printed."""
    blocks = {}
    for block in text.split("\n\n")[1:]:
        head, *lines = block.splitlines()
        blocks[head.split(", ", 1)[1].split("  ")[0]] = lines
    return blocks


def _cli_numbers(lines: list[str]) -> dict:
    body = "\n".join(lines)
    out = {}
    if m := re.search(r"Omgørelsesprocent: (\d+) af (\d+) = ([\d,]+ %); [\d,]+ %-interval ([^ ]+ %) \(eksakt", body):
        out.update(omgjort=int(m.group(1)), n=int(m.group(2)), rate=m.group(3), exact=m.group(4))
    for line in lines:
        if line.strip().startswith("Landsgennemsnittet") or line.strip().startswith("Der er intet"):
            out["reference_text"] = line.strip()
    if m := re.search(r"Justeret skøn \([^)]*\): ([\d,]+ %) \([\d,]+ %-interval ([^)]+)\)", body):
        out.update(shrunk=m.group(1), shrunk_interval=m.group(2))
    if m := re.search(r"er over ([\d,]+ %): ([\d,]+)", body):
        out.update(p0=m.group(1), prob_above=m.group(2))
    return out


def test_every_kommune_tells_one_story(story, capsys):
    name, path, pages, table = story
    assert list(table.columns) == TABLE_COLUMNS
    d = read_download(path)
    hele = "with_hele_landet" in name
    checked = 0
    for code, kommune in d.kommuner()[["kommunekode", "kommune"]].to_numpy():
        page = (pages / page_file_name(code, kommune)).read_text(encoding="utf-8")
        v = values(page)
        assert main(["report", code, "--data", str(path)]) == 0
        cli = _cli_blocks(capsys.readouterr().out)
        rows = table[table["kommunekode"] == code].set_index("period")
        row = rows.loc[v["period"]]
        if not v["n"]:  # no case in any period: nothing but the counts to compare
            assert row["n"] == 0 and pd.isna(row["raw"]) and "rate" not in v
            continue
        printed = danmark.table.words.period_da(v["period"])
        c = _cli_numbers(cli[printed])
        # the reference: the same sentence on every surface, and the download's own Hele landet when it has one
        html_ref = shown(page, "reference_origin")
        assert html_ref == c["reference_text"] == row["reference_text"]
        assert v["reference_origin"] == row["reference_origin"] == ("download" if hele else "published_earlier")
        assert v["p0"] == row["reference"]
        # the raw rate and its one interval
        assert (v["n"], v["omgjort"]) == (c["n"], c["omgjort"]) == (row["n"], row["omgjort"])
        assert shown(page, "rate") == c["rate"] == pct(row["raw"])
        assert (v["exact_lower"], v["exact_upper"]) == (row["lower"], row["upper"])
        assert f"{shown(page, 'exact_lower')}–{shown(page, 'exact_upper')}" == c["exact"] == interval(row["lower"],
                                                                                                     row["upper"])
        # the shrunk estimate, its interval and P(above the reference)
        assert (v["shrunk"], v["shrunk_lower"], v["shrunk_upper"]) == (
            row["estimate"], row["estimate_lower"], row["estimate_upper"])
        assert shown(page, "shrunk") == c["shrunk"] == pct(row["estimate"])
        assert c["shrunk_interval"] == interval(row["estimate_lower"], row["estimate_upper"])
        assert v["prob_above"] == row["prob_above"] and shown(page, "prob_above") == c["prob_above"] == num(
            row["prob_above"])
        assert c["p0"] == pct(row["reference"]) == shown(page, "p0")
        # the field, where the download is full
        if not pd.isna(row["units"]):
            assert v["units"] == row["units"] >= MIN_FULL and v["funnel_flag"] == row["flag"]
            assert (v["rank_lower"], v["rank_upper"], v["p_top"]) == (row["rank_lower"], row["rank_upper"], row["p_top"])
        # every period's rate in the trend is the table's
        for period, r in rows.iterrows():
            if r["n"]:
                assert v[f"trend_rate_{period}"] == r["raw"]
        checked += 1
    assert checked == len(d.kommuner()) >= MIN_FULL
    assert table["units"].notna().any()  # the download is full: funnel and ranks were drawn


@pytest.mark.parametrize("kommune", ["Solrød", "Helsingør", "Køge", "Morsø", "Sorø", "Vordingborg"])
def test_the_bundled_kommuner_tell_one_story(kommune, capsys):
    page = danmark.faktaark(kommune)
    v = values(page)
    assert main(["report", kommune, "--period", v["period"], "--area", v["area"]]) == 0
    blocks = _cli_blocks(capsys.readouterr().out)
    c = _cli_numbers(next(iter(blocks.values())))
    table = danmark.report_table(None, grades=False)
    row = table[(table["kommunekode"] == v["kommunekode"]) & (table["area"] == v["area"])
                & (table["period"] == v["period"])].iloc[0]
    assert shown(page, "reference_origin") == c["reference_text"] == row["reference_text"]
    assert shown(page, "rate") == c["rate"] == pct(row["raw"])
    assert f"{shown(page, 'exact_lower')}–{shown(page, 'exact_upper')}" == c["exact"]
    if pd.isna(row["reference"]):
        assert "prob_above" not in v and "prob_above" not in c and "intet landsgennemsnit" in c["reference_text"]
        return
    assert v["p0"] == row["reference"] and v["prob_above"] == row["prob_above"]
    assert shown(page, "shrunk") == c["shrunk"] == pct(row["estimate"])
    assert shown(page, "prob_above") == c["prob_above"] == num(row["prob_above"])


def test_the_reference_rule():
    # the bundled figures have no Hele landet rows: the published rate, noted when earlier or secondary
    sol = danmark.kommune_report("Solrød").areas[0].reference_info
    assert sol.origin == "published_earlier" and "sekundær kilde" in sol.text and "2023" in sol.text
    assert sol.rate == pytest.approx((42.4 + 34.3 + 38.9) / 300)
    hel = danmark.kommune_report("Helsingør").areas[0].reference_info
    assert hel.origin == "published_earlier" and hel.earlier and "seneste offentliggjorte landstal før 2024" in hel.text
    koege = danmark.kommune_report("Køge").areas[0].reference_info
    assert koege.origin == "published" and not koege.earlier and koege.text.count(".") == 1
    sorø = danmark.kommune_report("Sorø").areas[0]
    assert sorø.reference_info.origin == "none" and sorø.reference is None and sorø.shrunk is None
    assert sorø.prob_above is None and sorø.field is None


def test_a_download_with_its_own_hele_landet_is_its_own_reference(tmp_path):
    # INVENTED: Hele landet says 330 of 930; the bundled published 2022 rate (38,9 %) is not used
    truth = tw.make_truth([("Solrød", "Voksenhandicap", "2022", 4, 1, 9, None),
                           ("Hele landet", "Voksenhandicap", "2022", 600, 80, 250, 30)])
    path = tw.write_csv_download(truth, tmp_path / "INVENTED_data.csv")
    ref = danmark.kommune_report("Solrød", data=path).areas[0].reference_info
    assert (ref.origin, ref.k, ref.n, ref.rate) == ("download", 330, 930, 330 / 930)
    assert "Hele landet i filen INVENTED_data.csv" in ref.text and "330 omgjort af 930" in ref.text


def test_outcome_intervals_contain_what_was_observed():
    out = danmark.report.outcome_intervals(0, 3, 17, level=0.95).set_index("outcome")
    assert out.loc["stadfaestet", "lower"] == 0 and out.loc["stadfaestet", "upper"] > 0
    assert ((out["lower"] <= out["raw"]) & (out["raw"] <= out["upper"])).all()
    exact = danmark.binomial_ci([0, 3, 17], [20, 20, 20], method="exact")
    assert out["upper"].tolist() == exact["upper"].tolist()
    assert "omgjort" not in out.index  # the total omgjort has its one interval: the rate's
    one = danmark.report.outcome_intervals(1, 0, 0, level=0.95).set_index("outcome")
    assert one.loc["stadfaestet", "upper"] == 1.0 and one.loc["stadfaestet", "lower"] <= 1.0


@pytest.mark.parametrize("strength", [1e308, 1e20, float("inf"), float("nan"), -1, 0, "30", True, 1e-9])
def test_bad_prior_strengths_are_argument_errors(strength):
    with pytest.raises(danmark.ArgumentError, match="prior_strength"):
        danmark.kommune_report("Solrød", prior_strength=strength)
    with pytest.raises(danmark.ArgumentError, match="prior_strength"):
        danmark.report_table(None, prior_strength=strength)


@pytest.mark.parametrize("level", [0, 1, 95, float("nan"), "0.95", None])
def test_bad_levels_are_argument_errors(level):
    with pytest.raises(danmark.ArgumentError, match="level"):
        danmark.kommune_report("Solrød", level=level)


@pytest.mark.parametrize("strength", [1e-3, 1e6])
def test_the_extreme_allowed_strengths_print_whole_numbers(strength, capsys):
    assert main(["report", "Solrød", "--prior-strength", repr(strength)]) == 0
    out = capsys.readouterr().out
    assert not re.search(r"\bnan\b|––|–\)|\(–", out, flags=re.I)
    a = danmark.kommune_report("Solrød", prior_strength=strength).areas[0]
    assert a.shrunk[1] <= a.shrunk[0] <= a.shrunk[2] and 0 <= a.prob_above <= 1


# ----------------------------------------------------------------- the size prior: a corrected sensitivity


def _null_download(seed: int, fits: int, m: int) -> pd.DataFrame:
    """SYNTHETIC tidy table: *fits* area-and-period fits of *m* kommuner, case numbers rising with population,
    true rates drawn without any relation to size (a Beta spread around 0.37)."""
    rng = np.random.default_rng(seed)
    kom = danmark.municipalities().sample(m, random_state=seed)
    rows = []
    for j in range(fits):
        n = rng.poisson(5 + 40 * kom["population"].to_numpy() / kom["population"].max()) + 1
        k = rng.binomial(n, rng.beta(12, 20, m))
        for (code, name, region), kk, nn in zip(kom[["kommunekode", "kommune", "region"]].to_numpy(), k, n,
                                               strict=True):
            rows.append({"kommunekode": code, "kommune": name, "region": region, "area": "voksenhandicap",
                         "period": str(2020 + j), "stadfaestet": nn - kk, "aendret": kk // 3, "hjemvist": kk - kk // 3,
                         "afvist": 0, "source": "talportal:SYNTHETIC_null.csv"})
    table = pd.DataFrame(rows)
    start = pd.to_datetime(table["period"] + "-01-01")
    return table.assign(period_start=start, period_end=start + pd.offsets.YearEnd(0))


def test_the_size_prior_is_never_called_better_by_chance():
    """No size effect: the share of pages saying size explains the differences stays at most the nominal level."""
    pages = said = said_uncorrected = 0
    for seed in range(12):
        d = read_download(_null_download(seed, fits=3, m=MIN_FULL + 2))
        family = d.size_family()
        assert {f["tests"] for f in family.values()} == {3}
        for key, f in family.items():
            units = len(d.units(*key))
            pages += units
            said += units * (f["pvalue"] is not None and f["pvalue"] < SIZE_TEST_LEVEL)
            said_uncorrected += units * (d.size_fit(*key)[1].pvalue < SIZE_TEST_LEVEL)
    assert said / pages <= SIZE_TEST_LEVEL
    assert said <= said_uncorrected  # Holm never says it more often than the single tests


def test_a_page_says_how_many_fits_were_tested(tmp_path):
    d = read_download(_null_download(1, fits=2, m=MIN_FULL + 2))
    code = d.kommuner()["kommunekode"].iloc[0]
    sp = danmark.kommune_report(code, data=d).areas[0].size_prior
    assert sp.tests == 2 and sp.pvalue >= sp.lr.pvalue
    page = danmark.faktaark(code, data=d)
    text = visible_text(page)
    assert "Holm-korrektion for alle 2 områder og perioder" in " ".join(text.split()) and "det bedre anker" not in text
    assert values(page)["size_tests"] == 2 and values(page)["size_pvalue_holm"] == sp.pvalue


def test_a_hand_made_table_is_checked_and_completed_not_a_key_error():
    # a table typed in by hand: no region, period_start or period_end; the report completes it
    t = pd.DataFrame({"kommunekode": ["269", "101"], "kommune": ["Solrød", "København"], "area": "voksenhandicap",
                      "period": "2022", "stadfaestet": [4, 50], "aendret": [5, 10], "hjemvist": [5, 10],
                      "afvist": [1, 1], "source": "talportal:data.csv"})
    table = danmark.report_table(t)
    assert sorted(zip(table["kommune"], table["omgjort"], table["n"], strict=True)) == [("København", 20, 70),
                                                                                        ("Solrød", 10, 14)]
    assert danmark.kommune_report("Solrød", data=t).areas[0].rate == 10 / 14
    with pytest.raises(danmark.DataError, match="period"):
        danmark.report_table(t.drop(columns="period"))
    with pytest.raises(danmark.DataError, match="unknown source key"):
        danmark.report_table(t.assign(source="x"))
