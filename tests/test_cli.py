"""The command line: ``danmark report``, ``faktaark``, ``national``, ``sources`` and ``--help``, in Danish.

Every error is one ``danmark: fejl:`` line, never a traceback; argparse's own messages and every
``--help`` are Danish; the numbers are the report's (tests/test_report.py checks them against
the faktaark and the estimates table).
"""

import subprocess
import sys

import pytest

from danmark.cli import main


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("danmark: fejl:") and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    return err.strip()


def test_report_solrod(capsys):
    assert main(["report", "Solrød"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Solrød Kommune (kommunekode 269), Region Sjælland"
    assert "10 af 14 = 71,4 %" in out and "14 realitetsbehandlede sager" in out
    # statsmodels proportion_confint(10, 14, method="beta") and method="wilson"
    assert "41,9–91,6 % (eksakt; Wilson: 45,4–88,3 %)" in out
    assert "udvalgte paragraffer" in out  # the scope as published
    assert "(2020: 42,4 %, 2021: 34,3 % og 2022: 38,9 %): 38,5 %" in out
    assert "for 2023 er der intet offentliggjort landstal" in out and "sekundær kilde" in out
    assert "Justeret skøn" in out and "sande omgørelsesprocent er over" in out
    assert "Solrød Kommune: Vedr. taskforce-forløb" in out and "bilag 2" in out and "cfdblogger.dk" in out
    assert "vægt som 30 sager" in out and "0,92" in out
    assert "shared/seeds" not in out  # sources are documents, not paths
    sources = [line for line in out.splitlines() if line.strip().startswith("Kilde:")]
    assert len(sources) == len(set(sources)) and "cfdblogger.dk: cfdblogger.dk" not in out


def test_report_accepts_spellings_area_and_period(capsys):
    assert main(["report", "helsingør kommune", "--area", "VOKSENHANDICAP", "--period", "2024"]) == 0
    out = capsys.readouterr().out
    assert "12 af 22 = 54,5 %" in out and "seneste offentliggjorte landstal før 2024 for voksenhandicap, 2022" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["report", "Solrøød"], "did you mean 'Solrød'"),
        (["report", "Solrød", "--area", "boernehandicap"], "no counts for area 'boernehandicap'"),
        (["report", "Solrød", "--period", "2019"], "no counts for period '2019'"),
        (["report", "Aarhus"], "hold counts for Helsingør, Køge, Morsø, Solrød, Sorø, Vordingborg only"),
        (["national", "--area", "bogus"], "ukendt område 'bogus'"),
        (["report", "Solrød", "--data", "no/such/file.csv"], "file not found"),
    ],
)
def test_report_errors_are_messages_not_tracebacks(argv, message, capsys):
    assert main(argv) == 1
    assert message in one_error_line(capsys)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["rapport", "Solrød"], "ukendt kommando 'rapport'; kommandoerne er report, faktaark, national, sources, tabel. "
                                "Mente du »report«?"),
        (["sourcs"], "Mente du »sources«?"),
        (["report"], "disse argumenter mangler: KOMMUNE"),
        (["report", "Solrød", "--bogus"], "ukendte argumenter: --bogus"),
        (["report", "Solrød", "--level", "abc"], "--level skal være et tal mellem 0 og 1"),
        # the settings' ranges are the library's check_settings, said in Danish by the parser (a usage error)
        (["report", "Solrød", "--level", "95"], "--level skal være et tal mellem 0 og 1 (ikke 0 eller 1)"),
        (["report", "Solrød", "--prior-strength", "1e308"], "--prior-strength skal ligge mellem 0,001 og 1.000.000"),
        (["report", "Solrød", "--prior-strength", "1e20"], "--prior-strength skal ligge mellem 0,001 og 1.000.000"),
        (["report", "Solrød", "--prior-strength", "nan"], "--prior-strength skal ligge mellem 0,001 og 1.000.000"),
        (["faktaark", "Solrød", "--level", "1"], "--level skal være et tal mellem 0 og 1 (ikke 0 eller 1)"),
        (["tabel", "--prior-strength", "0", "--out", "t.xlsx"], "--prior-strength skal ligge mellem 0,001"),
        (["report", "Solrød", "--level"], "argument --level: mangler en værdi"),
    ],
)
def test_argparse_speaks_danish(argv, message, capsys):
    assert main(argv) == 2
    err = one_error_line(capsys)
    assert message in err
    for english in ("usage", "error:", "invalid choice", "required", "expected one argument", "unrecognized"):
        assert english not in err


def test_help_is_danish_and_explains_every_command(capsys):
    def helps(*args):
        assert main([*args, "--help"]) == 0
        return capsys.readouterr().out

    out = subprocess.run([sys.executable, "-m", "danmark", "--help"], capture_output=True, text=True,
                         check=True).stdout
    for word in ("report", "faktaark", "national", "sources", "Solrød", "brug: danmark", "vis denne hjælp"):
        assert word in out
    texts = {cmd: helps(cmd) for cmd in ("report", "faktaark", "national", "sources")}
    for word in ("--area", "--period", "--data", "--prior-strength", "--level", "kommunens navn eller kode"):
        assert word in texts["report"]
    for text in [out, *texts.values()]:
        for english in ("usage:", "show this help", "options:", "positional arguments", "municipality",
                        "default", "the bundled"):
            assert english not in text


def test_sources_into_a_closed_pipe_is_quiet():
    run = subprocess.run(f"{sys.executable} -m danmark sources | head -1", shell=True, capture_output=True,
                         text=True)
    assert run.stdout.count("\n") == 1 and run.stderr == ""


def test_report_reads_a_download(tmp_path, capsys):
    # a Talportal-format file holding one bundled real row (Helsingør 2024, seed_helsingor_2025)
    path = tmp_path / "export.csv"
    path.write_text(
        "Sagsemne;Kommune;Aar;Kvartal;periode;Afvisning.Henvisning;Hjemvisning;Stadfæstelse;"
        "Ændring.Ophævelse;Antal_sager_ialt;Sagsbehandlingstid\n"
        "Voksenhandicap;Helsingør;2024;;2024;.;10;10;2;22;.\n",
        encoding="utf-8",
    )
    assert main(["report", "Helsingør", "--data", str(path)]) == 0
    assert "12 af 22" in capsys.readouterr().out


def test_one_case_is_singular(tmp_path, capsys):
    import talportal_writer as tw

    # INVENTED: one case, reversed; one afvist sag
    path = tw.write_csv_download(tw.make_truth([("Solrød", "Voksenhandicap", "2022", None, 1, None, 1)]),
                                 tmp_path / "INVENTED_one.csv")
    assert main(["report", "Solrød", "--data", str(path)]) == 0
    out = capsys.readouterr().out
    assert "1 realitetsbehandlet sag (" in out and "1 afvist sag" in out and "realitetsbehandlede sager" not in out


def test_national_and_sources(capsys):
    assert main(["national", "--area", "Voksenhandicap"]) == 0
    out = capsys.readouterr().out
    assert "42,4 %" in out and "NaN" not in out and "<NA>" not in out and "42.4" not in out
    assert main(["national", "--area", "børnehandicap"]) == 0
    assert "børnehandicap" in capsys.readouterr().out
    assert main(["sources"]) == 0
    assert "seed_solrod_2024" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_report_reads_a_talportal_download(tmp_path, capsys, fmt):
    import talportal_writer as tw

    # INVENTED counts in the download's layout: Solrød 4 stadfæstet, 1 ændret, 9 hjemvist, no afviste
    truth = tw.make_truth([("Solrød", "Voksenhandicap", "2022", 4, 1, 9, None),
                           ("Køge", "Voksenhandicap", "2022", 10, None, 2, 1)])
    path = tmp_path / ("data.csv" if fmt == "csv" else "excelfil.xlsx")
    (tw.write_csv_download if fmt == "csv" else tw.write_xlsx_download)(truth, path)
    assert main(["report", "Solrød", "--data", str(path)]) == 0
    out = capsys.readouterr().out
    assert "10 af 14 = 71,4 %" in out and "ændret 1, hjemvist 9" in out
    assert f"Ankestyrelsen: Talportal, Sagsudfald og omgørelsesprocenter (KSB-sager), download: {path.name}" in out


def test_a_workbook_renamed_csv_is_read_as_a_workbook(tmp_path, capsys):
    import talportal_writer as tw

    truth = tw.make_truth([("Solrød", "Voksenhandicap", "2022", 4, 1, 9, None)])
    book = tw.write_xlsx_download(truth, tmp_path / "excelfil.xlsx")
    renamed = tmp_path / "data.csv"
    renamed.write_bytes(book.read_bytes())
    assert main(["report", "Solrød", "--data", str(renamed)]) == 0
    assert "10 af 14" in capsys.readouterr().out


# ----------------------------------------------------------------- where the faktaark goes


def test_out_in_a_missing_folder_is_created_and_named(tmp_path, capsys):
    target = tmp_path / "new" / "deeper" / "solrod.html"
    assert main(["faktaark", "Solrød", "--out", str(target)]) == 0
    assert target.exists() and capsys.readouterr().out.strip() == f"Skrev {target}"
    folder = tmp_path / "sider"
    assert main(["faktaark", "Solrød", "--out", f"{folder}/"]) == 0  # a folder named with a trailing slash
    assert capsys.readouterr().out.strip() == f"Skrev {folder / '269_solroed.html'}"
    assert main(["faktaark", "Helsingør", "--out", str(folder)]) == 0  # an existing folder: the file in it
    assert capsys.readouterr().out.strip() == f"Skrev {folder / '217_helsingoer.html'}"


@pytest.mark.parametrize("where", ["proc", "through_a_file", "too_long", "all_proc", "all_through_a_file"])
def test_out_that_cannot_be_written_is_one_danish_line(where, tmp_path, capsys):
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    out = {"proc": "/proc/danmark_test/solrod.html", "through_a_file": str(tmp_path / "file.txt" / "solrod.html"),
           "too_long": str(tmp_path / ("x" * 300 + ".html")), "all_proc": "/proc/danmark_test",
           "all_through_a_file": str(tmp_path / "file.txt" / "sider")}[where]
    argv = ["faktaark", "--all", "--out", out] if where.startswith("all") else ["faktaark", "Solrød", "--out", out]
    assert main(argv) == 1
    err = one_error_line(capsys)
    assert err.startswith("danmark: fejl: kan ikke skrive") and "engelsk" not in err
    assert any(reason in err for reason in ("ingen adgang", "navnet er for langt", "en fil, ikke en mappe",
                                            "der ligger allerede en fil", "mappen findes ikke"))


def test_error_lines_lead_in_danish_with_the_english_detail_in_parentheses(capsys, tmp_path):
    """One line, never mixing languages within a phrase: a Danish lead-in per kind of error."""
    from danmark import ArgumentError, DataError
    from danmark.cli import error_line

    assert error_line(DataError("k = 5 exceeds n = 3", row=2, column="k")).startswith(
        "danmark: fejl: data kan ikke bruges (engelsk detalje: ")
    assert error_line(DataError("cut off", file="x.csv", row=3)).startswith(
        "danmark: fejl: filen kan ikke bruges (engelsk detalje: x.csv, row 3")
    assert error_line(ArgumentError("bad", column="level")).startswith(
        "danmark: fejl: ugyldig indstilling (engelsk detalje: argument 'level'")
    path = tmp_path / "bad.csv"
    path.write_text("Sagsemne;Kommune;periode;Hjemvisning;Stadfæstelse;Ændring.Ophævelse\nx;Solrød;2024;1;-2;1\n",
                    encoding="utf-8")
    assert main(["report", "Solrød", "--data", str(path)]) == 1
    assert one_error_line(capsys).startswith("danmark: fejl: filen kan ikke bruges (engelsk detalje:")
    assert main(["national", "--area", "bogus"]) == 1  # the CLI's own messages are Danish throughout
    err = one_error_line(capsys)
    assert err.startswith("danmark: fejl: ukendt område 'bogus'") and "engelsk" not in err


def test_readers_warnings_are_one_danish_line_in_the_cli_and_in_a_notebook(capsys):
    """The CLI and a notebook (danmark.danish_warnings(), in every notebook's setup cell) show a reader's
    warning as a Danish lead with the library's English detail in parentheses, never a raw Python warning."""
    import subprocess
    import sys
    from pathlib import Path

    example = Path(__file__).parent / "fixtures" / "downloads" / "talportal_csv_quarterly_n_omg.csv"
    code = ("import warnings, danmark; danmark.danish_warnings(); danmark.danish_warnings(); "
            f"danmark.load_data({str(example)!r}); warnings.warn('not danmark')")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = run.stderr.strip().splitlines()
    assert lines[0].startswith("danmark: bemærk: filen er læst, men med et forbehold (engelsk detalje: left out ")
    assert "ReaderWarning" not in run.stderr and "UserWarning: not danmark" in run.stderr  # others as before
    assert main(["report", "Solrød", "--data", str(example)]) in (0, 1)
    err = capsys.readouterr().err
    assert "danmark: bemærk: filen er læst, men med et forbehold (engelsk detalje: left out " in err
