"""The command line: ``danmark report``, ``national``, ``sources`` and ``--help``."""

import subprocess
import sys

import pytest

from danmark.cli import main


def test_report_solrod(capsys):
    assert main(["report", "Solrød"]) == 0
    out = capsys.readouterr().out
    assert "10 af 14 = 71,4 %" in out
    # statsmodels proportion_confint(10, 14, method="wilson") and method="beta"
    assert "45,4–88,3 % (Wilson)" in out and "41,9–91,6 % (eksakt)" in out
    assert "udvalgte paragraffer" in out  # the scope as published
    assert "2020: 42,4 %, 2021: 34,3 %, 2022: 38,9 %" in out and "intet tal for 2023" in out
    assert "Justeret skøn" in out and "sande omgørelsesprocent er over" in out
    assert "Solrød Kommune: Vedr. taskforce-forløb" in out and "bilag 2" in out and "cfdblogger.dk" in out and "sekundær" in out
    assert "vægt som 30 sager" in out and "0,92" in out
    assert "shared/seeds" not in out  # sources are documents, not paths


def test_report_accepts_spellings_and_area(capsys):
    assert main(["report", "helsingør kommune", "--area", "voksenhandicap"]) == 0
    out = capsys.readouterr().out
    assert "12 af 22 = 54,5 %" in out and "seneste tidligere år 2022" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["report", "Solrøød"], "did you mean 'Solrød'"),
        (["report", "Solrød", "--area", "boernehandicap"], "no counts for area 'boernehandicap'"),
        (["report", "Aarhus"], "hold counts for Helsingør, Køge, Morsø, Solrød, Sorø, Vordingborg only"),
        (["national", "--area", "bogus"], "ukendt område 'bogus'"),
        (["report", "Solrød", "--level", "95"], "--level"),
        (["report", "Solrød", "--data", "no/such/file.csv"], "file not found"),
    ],
)
def test_report_errors_are_messages_not_tracebacks(argv, message, capsys):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and err.startswith("danmark: fejl:") and len(err.strip().splitlines()) == 1


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


def test_national_and_sources(capsys):
    assert main(["national", "--area", "voksenhandicap"]) == 0
    out = capsys.readouterr().out
    assert "42,4 %" in out and "NaN" not in out and "<NA>" not in out and "42.4" not in out
    assert main(["sources"]) == 0
    assert "seed_solrod_2024" in capsys.readouterr().out


def test_help_explains_every_command():
    out = subprocess.run([sys.executable, "-m", "danmark", "--help"], capture_output=True, text=True, check=True).stdout
    for word in ("report", "national", "sources", "Solrød"):
        assert word in out
    rep = subprocess.run([sys.executable, "-m", "danmark", "report", "--help"], capture_output=True, text=True, check=True).stdout
    for word in ("--area", "--data", "--prior-strength", "--level"):
        assert word in rep


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
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("danmark: fejl: filen kan ikke bruges (engelsk detalje:")
    assert main(["national", "--area", "bogus"]) == 1  # the CLI's own messages are Danish throughout
    err = capsys.readouterr().err.strip()
    assert err.startswith("danmark: fejl: ukendt område 'bogus'") and "engelsk" not in err
