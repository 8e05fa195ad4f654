"""The prior by a kommune's size in kommune_report and the faktaark (issue 11, item 1; issue 17, item 5).

With a full download (at least MIN_FULL kommuner with cases in the area and period) the
report and the page also shrink each kommune toward the prior mean of kommuner of its size
(``danmark.fit_prior(..., formula="~ np.log(population)")``), as a sensitivity: its
likelihood-ratio test is Holm-corrected over all of the download's fits. The numbers must be
the ones direct library calls give; with the bundled figures nothing changes. Every download
here is SYNTHETIC or INVENTED, written by tests/talportal_writer.py into a temporary folder.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import talportal_writer as tw
from scipy import special
from test_faktaark import assert_self_contained, values, visible_text

import danmark
from danmark.report import MIN_FULL, SIZE_FORMULA, holm

SAGSEMNER = ["Voksenhandicap"]


@pytest.fixture(scope="module")
def download(tmp_path_factory):
    """A SYNTHETIC 98-kommune Talportal CSV-fil download with Hele landet (as test_faktaark's)."""
    truth = tw.random_truth(np.random.default_rng(9), n_kommuner=98, sagsemner=SAGSEMNER, periods=["2023", "2024"],
                            mean_cases=12)
    return tw.write_csv_download(truth, tmp_path_factory.mktemp("size_prior") / "SYNTHETIC_data.csv")


def _units(table, area, period):
    return table[(table["kommunekode"] != "000") & (table["area"] == area) & (table["period"] == period)
                 & (table["n"] > 0)]


def test_the_report_shrinks_toward_kommuner_of_the_same_size(download):
    table = danmark.load_data(download)
    rep = danmark.kommune_report("Solrød", data=download)
    assert len(rep.areas) == 2
    fits = {}
    for area, period in sorted(set(zip(table["area"], table["period"], strict=True))):
        units = _units(table, area, period)
        if len(units) >= MIN_FULL:
            fits[(area, period)] = danmark.fit_prior(units, formula="~ np.log(population)").lr_test().pvalue
    corrected = holm(fits)
    for a in rep.areas:
        units = _units(table, a.area, a.period)
        assert len(units) >= MIN_FULL
        sp = a.size_prior
        assert sp is not None and sp.error is None and sp.units == len(units)
        m = danmark.fit_prior(units, formula="~ np.log(population)")
        row = units[units["kommunekode"] == "269"]
        prior = m.priors(row).iloc[0]
        post = danmark.shrink(row, prior=m, level=rep.level).iloc[0]
        above = danmark.prob_above(row, prior=m, reference=a.reference)["prob_above"].iloc[0]
        lr = m.lr_test()
        assert (sp.mean, sp.alpha, sp.beta) == tuple(prior[["mean", "alpha", "beta"]])
        assert sp.shrunk == tuple(post[["estimate", "lower", "upper"]])
        assert sp.prob_above == above and sp.reference == a.reference
        assert (sp.lr.statistic, sp.lr.pvalue) == (lr.statistic, lr.pvalue)
        assert sp.tests == len(fits) == rep.size_tests and sp.pvalue == pytest.approx(corrected[(a.area, a.period)])
        assert sp.population == 23255.0 and sp.model.formula == SIZE_FORMULA
        # the prior mean is what the regression says for Solrød's population
        b = m.params
        assert sp.mean == pytest.approx(special.expit(b["Intercept"] + b["np.log(population)"] * np.log(23255.0)))
    # the constant prior's numbers are untouched
    plain = danmark.kommune_report("Solrød", data=download, by_size=False)
    assert [x.size_prior for x in plain.areas] == [None] * 2
    assert [x.shrunk for x in plain.areas] == [x.shrunk for x in rep.areas]


def test_the_page_shows_the_size_prior_with_the_library_numbers(download):
    page = danmark.faktaark("Solrød", data=download)
    v = values(page)
    table = danmark.load_data(download)
    units = _units(table, v["area"], v["period"])
    m = danmark.fit_prior(units, formula=SIZE_FORMULA)
    row = units[units["kommunekode"] == "269"]
    post = danmark.shrink(row, prior=m).iloc[0]
    assert v["size_units"] == len(units)
    assert v["size_prior_mean"] == pytest.approx(m.priors(row)["mean"].iloc[0], rel=1e-9)
    for key, col in (("size_shrunk", "estimate"), ("size_shrunk_lower", "lower"), ("size_shrunk_upper", "upper")):
        assert v[key] == pytest.approx(post[col], rel=1e-9)
    # P(above) against the page's reference: the download's own Hele landet row
    assert v["size_prob_above"] == pytest.approx(
        danmark.prob_above(row, prior=m, reference=v["p0"])["prob_above"].iloc[0], rel=1e-9, abs=1e-12)
    p = m.lr_test().pvalue
    assert v["size_lr_pvalue"] == pytest.approx(p, rel=1e-9)
    assert v["size_pvalue_holm"] >= v["size_lr_pvalue"] and v["size_tests"] == 2
    text = visible_text(page)
    assert "Prior efter kommunens størrelse (følsomhedsberegning)" in text and "23.255 indbyggere" in text
    assert (v["size_pvalue_holm"] >= 0.05) == ("kommunens størrelse forklarer ikke forskellene; den faste prior står"
                                               in text.lower()) == (not v["size_matters"])
    assert "Holm-korrektion for alle 2 områder og perioder" in " ".join(text.split()) and "bedre anker" not in text
    assert "Danmarks Statistik" in text  # the population's source is listed, but the figures do not use it
    assert "Danmarks Statistik" not in "".join(re.findall(r"Kilde: [^<]*", page))
    assert_self_contained(page)


def test_size_that_matters_is_said_so(tmp_path):
    # SYNTHETIC: 60 kommuner whose true rate rises steeply with log population
    pop = danmark.municipalities().set_index("kommune")["population"]
    rng = np.random.default_rng(5)
    rows, names = [], []
    for app in tw.APP_KOMMUNER[:60]:
        code, name = danmark.normalize_kommune(app)
        theta = special.expit(-1.2 + 1.1 * (np.log(pop[name]) - 10.5))
        n = 60
        k = int(rng.binomial(n, theta))
        rows.append((app, "Voksenhandicap", "2024", n - k, k // 2, k - k // 2, 2))
        names.append(name)
    total = np.array([r[3:] for r in rows]).sum(axis=0)
    rows.append(("Hele landet", "Voksenhandicap", "2024", *(int(x) for x in total)))
    path = tw.write_csv_download(tw.make_truth(rows), tmp_path / "SYNTHETIC_size.csv")
    page = danmark.faktaark(names[0], data=path)
    v = values(page)
    assert v["size_lr_pvalue"] < 0.05
    assert v["size_pvalue_holm"] < 0.05 and v["size_matters"] is True  # one fit: nothing to correct for
    assert "Kommunens størrelse forklarer en del af forskellene" in page and "den faste prior står" not in page
    assert "følsomhedsberegning ved siden af den faste prior" in page and "bedre anker" not in page


@pytest.fixture
def fresh():
    """Downloads read afresh (the per-process cache holds fitted models)."""
    danmark.report.clear_cache()
    yield
    danmark.report.clear_cache()


def test_a_failed_fit_is_said_in_words(download, monkeypatch, fresh):
    import danmark.report.size as size

    def fails(*args, **kwargs):
        raise danmark.DataError("the beta-binomial regression did not converge")

    monkeypatch.setattr(size, "fit_prior", fails)
    a = danmark.kommune_report("Solrød", data=download).areas[0]
    assert a.size_prior.error == "the beta-binomial regression did not converge" and a.size_prior.shrunk is None
    assert a.shrunk is not None  # the constant prior still stands
    page = danmark.faktaark("Solrød", data=download)
    assert "Kunne ikke beregnes" in page and "did not converge" in page and "Traceback" not in page
    assert not any(k.startswith("size_") and k != "size_units" for k in values(page))
    assert "folketal" not in visible_text(page).split("Kilder og metode")[1]  # no population source for no fit
    assert_self_contained(page)


def test_all_zero_counts_cannot_be_fitted(tmp_path):
    # INVENTED: 25 kommuner, none with a reversed case, so no Beta prior fits
    rows = [(app, "Voksenhandicap", "2024", 6, None, None, 1) for app in tw.APP_KOMMUNER[:25]]
    path = tw.write_csv_download(tw.make_truth(rows), tmp_path / "INVENTED_zero.csv")
    a = danmark.kommune_report("Ballerup", data=path).areas[0]
    assert a.size_prior is not None and "k = 0" in a.size_prior.error and a.size_prior.mean is None


def test_the_bundled_report_is_unchanged():
    rep = danmark.kommune_report("Solrød")
    a = rep.areas[0]
    assert a.size_prior is None  # six kommuner: no full download, no model fitted
    assert (a.omgjort, a.n, round(a.prob_above, 2)) == (10, 14, 0.92)
    page = danmark.faktaark("Solrød")
    assert "Prior efter kommunens størrelse" not in page and not any(k.startswith("size_") for k in values(page))
    assert "folketal" not in page


def test_the_command_line_report_has_one_line_for_the_size_prior(download):
    from danmark.cli import report

    text = report("Solrød", data=str(download))
    lines = [line for line in text.splitlines() if "Prior efter kommunens størrelse" in line]
    rep = danmark.kommune_report("Solrød", data=download)
    assert len(lines) == sum(a.size_prior is not None for a in rep.areas) > 0
    for line, a in zip(lines, [a for a in rep.areas if a.size_prior is not None], strict=True):
        sp = a.size_prior
        assert f"p = {sp.lr.pvalue:.2f}".replace(".", ",") in line
        if sp.alpha + sp.beta >= 1e4:  # no spread beyond chance: no interval or probability is claimed
            assert "ikke mere end tilfældet" in line and "interval" not in line
        else:
            assert f"{100 * sp.shrunk[0]:.1f} %".replace(".", ",") in line


def test_no_spread_beyond_chance_claims_no_interval_or_probability(download):
    rep = danmark.kommune_report("Solrød", data=download, area="voksenhandicap")
    point = [a for a in rep.areas if a.size_prior is not None and a.size_prior.alpha + a.size_prior.beta >= 1e4]
    if not point:
        pytest.skip("this SYNTHETIC download has no area and period without spread")
    a = point[0]
    page = danmark.faktaark("Solrød", data=download, area="voksenhandicap", period=a.period)
    part = page[page.index("Prior efter kommunens størrelse"):]
    part = part[:part.index("likelihood-ratio")]
    assert "size_shrunk_lower" not in part and ">–</span>" in part  # P(over) shown as a dash, its value kept
