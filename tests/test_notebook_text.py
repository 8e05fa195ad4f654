"""What a reader sees in the committed notebooks: no code on the page, and every quotation exact.

1. **No code on the page.** Every table a notebook shows (the HTML tables of its outputs and the
   tables in its Markdown), every Markdown text outside code spans and every printed line is
   checked for a snake_case key (``omg_pct``, ``solrod_few_cases``), a period code (``2023H1``,
   ``2022Q4``), a model term (``C(year)``, ``np.log``) and the word "seed". Code cells themselves
   are code, and Markdown code spans (```danmark.shrink```) name the functions an analyst calls.
2. **Every quotation exact.** A quotation from one of the five source documents is written
   «…» in the notebooks' Markdown, and the claims table (``danmark/data/claims.csv``) holds each
   claim's quotation in its ``quote`` column. Each must appear verbatim (up to line breaks and
   spacing) in the documents in ``../shared/seeds/`` beside the repository; a claim's quotation
   in the very document its ``source`` names. Without that folder the check is skipped with the
   reason (CI keeps it beside the repository).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SEEDS = ROOT.parent / "shared" / "seeds"
#: the source keys of the five documents and the file each is stored in (../shared/seeds/README.md)
SEED_FILES = {"seed_solrod_2024": "000_", "seed_minister_2024": "001_", "seed_odsherred_2024": "002_",
              "seed_frederiksberg_2020": "003_", "seed_helsingor_2025": "004_"}

FORBIDDEN = {
    "snake_case key": re.compile(r"(?<![\w./:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w(])"),
    "period code": re.compile(r"\b\d{4}[HQ]\d\b"),
    "model term": re.compile(r"\bC\(|\bnp\."),
    "the word 'seed'": re.compile(r"seed", re.IGNORECASE),
}


def find_quotations(text: str) -> list[str]:
    """The «quotations» in *text*; a Danish »term« (» opens, « closes) is not one.

    >>> find_quotations("som »Solrød Kommune 2024« skriver: «ganske få sager» og »n«")
    ['ganske få sager']
    """
    found, inside, start = [], None, 0
    for i, ch in enumerate(text):
        if inside is None and ch in "«»":
            inside, start = ch, i + 1
        elif inside == "«" and ch == "»":
            found.append(text[start:i])
            inside = None
        elif inside == "»" and ch == "«":
            inside = None
    return found


def _strip_links(text: str) -> str:
    """Web addresses are places, not words on the page: they may hold underscores."""
    return re.sub(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:dk|com|org|net)/\S*", " ", text)


def _markdown_text(source: str) -> str:
    """Markdown without fenced blocks, code spans and formulas."""
    source = re.sub(r"```.*?```", " ", source, flags=re.S)
    source = re.sub(r"`[^`]*`", " ", source)
    return re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", source, flags=re.S)


def _html_cells(markup: str) -> list[str]:
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", markup, flags=re.S)
    cells += re.findall(r"<caption[^>]*>(.*?)</caption>", markup, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", " ", c)) for c in cells]


def reader_text(nb) -> list[tuple[str, str]]:
    """(where, text) for everything a reader of the rendered notebook sees as words."""
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            out.append((f"cell {i} (Markdown)", _markdown_text(cell.source)))
            continue
        if cell.cell_type != "code" or "NBVAL_IGNORE_OUTPUT" in cell.source:  # the versions table
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data and "<table" in data["text/html"]:
                out += [(f"cell {i} (table)", c) for c in _html_cells(data["text/html"])]
            elif output.get("output_type") == "stream" and output.get("name") == "stdout":
                out.append((f"cell {i} (printed)", output["text"]))
            elif "text/plain" in data and "text/html" not in data and "image/png" not in data:
                out.append((f"cell {i} (shown)", data["text/plain"]))
    return out


def _problems(nb) -> list[str]:
    found = []
    for where, text in reader_text(nb):
        text = _strip_links(text)
        for what, pattern in FORBIDDEN.items():
            for hit in pattern.findall(text):
                found.append(f"{where}: {what} {hit!r}")
    return found


def test_the_checks_catch_code_on_the_page():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("Perioden 2020-2023H1 (kilde seed_solrod_2024); `omg_pct` is fine"),
                nbformat.v4.new_code_cell("x")]
    nb.cells[1].outputs = [nbformat.v4.new_output(
        "display_data", data={"text/html": "<table><tr><th>omg_pct</th><td>C(year)[T.2017]</td></tr></table>",
                              "text/plain": "x"})]
    found = " ".join(_problems(nb))
    for hit in ("'2023H1'", "'seed'", "'omg_pct'", "'C('"):
        assert hit in found
    assert found.count("omg_pct") == 1  # the code span is not the page
    assert not _problems(_nb_with_markdown("Solrød Kommune 2024: 10 af 14; https://www.sm.dk/a_b; 2020–1. halvår 2023"))


def _nb_with_markdown(text):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(text)]
    return nb


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_code_on_the_reader_s_page(notebook):
    problems = _problems(nbformat.read(notebook, as_version=4))
    assert not problems, f"{notebook.name}:\n" + "\n".join(problems[:40])


def _normalise(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("”", '"').replace("“", '"')
    text = re.sub(r"\n[ \t]*>[ \t]?", "\n", text)  # a quotation that runs over lines of a Markdown block quote
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def documents():
    if not SEEDS.is_dir():
        pytest.skip(f"the source documents are not beside the repository ({SEEDS.name} missing in "
                    f"{SEEDS.parent}); CI checks the quotations there")
    docs = {}
    for key, prefix in SEED_FILES.items():
        files = sorted(SEEDS.glob(f"{prefix}*.txt"))
        if len(files) != 1:
            pytest.skip(f"expected one document {prefix}*.txt in {SEEDS}, found {len(files)}")
        docs[key] = _normalise(files[0].read_text(encoding="utf-8"))
    return docs


def test_every_claim_quotes_its_own_document_verbatim(documents):
    claims = pd.read_csv(ROOT / "danmark" / "data" / "claims.csv", dtype=str)
    wrong = [f"{c.claim_id}: «{c.quote}» is not in {c.source}" for c in claims.itertuples()
             if _normalise(c.quote) not in documents[c.source]]
    assert not wrong, "\n".join(wrong)


def _quotations():
    """(notebook, quotation) for every «…» a reader of a committed notebook sees (Markdown and outputs)."""
    for notebook in NOTEBOOKS:
        nb = nbformat.read(notebook, as_version=4)
        texts = [c.source for c in nb.cells if c.cell_type == "markdown"] + [text for _, text in reader_text(nb)]
        for quote in find_quotations("\n".join(texts)):
            if quote.strip(" .…"):  # «…» itself names the convention
                yield notebook.stem, quote


def test_the_notebooks_mark_their_quotations():
    assert len(list(_quotations())) >= 20


def test_every_quotation_in_the_notebooks_is_verbatim(documents):
    wrong = [f"{name}: «{quote}»" for name, quote in _quotations()
             if not any(_normalise(quote) in doc for doc in documents.values())]
    assert not wrong, "not found verbatim in any source document:\n" + "\n".join(wrong)
