"""Render every notebook, with its committed outputs, to HTML pages that work offline.

    python tools/render_notebooks.py [--out html] [--execute]

Writes html/<notebook>.html and a front page html/index.html (in Danish: an introduction, the
verdict table from notebook 00 and a link to each notebook with its one-line summary). By default
the committed outputs are rendered as they are (fast, no kernel); --execute re-runs each notebook
first (in memory: the notebooks are not rewritten) and sends the figures the notebooks save to
<out>/figures/ (environment variable DANMARK_FIGURES), so the committed figures/ stay untouched.

The pages fetch nothing: formulas in Markdown are converted to MathML when rendering (latex2mathml;
browsers draw MathML Core without any script), nbconvert's MathJax, require.js and mermaid loaders
from a CDN are left out, images are inline and the CSS is in the page. Web addresses in the text and
in the outputs are links, and an address the notebook output shortened (pandas writes ``...``) is
completed from danmark's source list when exactly one source starts with it.

Example:

    >>> tex_to_mathml("p_0", display="inline").startswith('<math')
    True
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import os
import re
import sys
import warnings
from pathlib import Path

import jinja2
import nbformat
from latex2mathml.converter import convert as _latex2mathml
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

ROOT = Path(__file__).resolve().parents[1]
VERDICT_TAG = "verdict-table"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# the lab template without anything it would load from a CDN (MathJax, require.js, mermaid)
PAGE_TEMPLATE = r"""{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{% block extra_css %}<style type="text/css">{{ resources.danmark_css }}</style>{% endblock extra_css %}
{%- block body_header -%}
{{ super() }}
{{ resources.danmark_nav }}
{%- endblock body_header -%}
{% block body_footer %}
{{ resources.danmark_nav }}
{{ super() }}
{% endblock body_footer %}
"""

PAGE_CSS = """
nav.danmark { font: 14px/1.4 system-ui, sans-serif; margin: 0.6em auto; padding: 0.4em 0.8em;
  max-width: 1100px; border-bottom: 1px solid #ccc; display: flex; gap: 1.2em; flex-wrap: wrap; }
nav.danmark a { color: #1f4e79; text-decoration: none; }
nav.danmark a:hover { text-decoration: underline; }
math { font-size: 1.08em; }
math[display="block"] { margin: 0.6em 0; }
.jp-RenderedHTMLCommon a, .jp-OutputArea-output a { overflow-wrap: anywhere; }
code.math-source { color: #8b0000; }
@media print {
  nav.danmark { display: none; }
  .jp-Cell { break-inside: avoid-page; }
  .jp-OutputArea-output img { max-width: 100% !important; }
}
"""


# ---------------------------------------------------------------- formulas and links


def tex_to_mathml(tex: str, *, display: str = "inline") -> str:
    """LaTeX *tex* as a MathML element (``display`` "inline" or "block").

    A formula latex2mathml cannot read stays visible as its source in a ``<code>`` element,
    with a warning (tests/test_pages.py then fails on it).
    """
    try:
        return _latex2mathml(tex.strip(), display=display)
    except Exception as err:  # latex2mathml raises many kinds of error
        warnings.warn(f"formula not converted to MathML ({err}): {tex!r}", stacklevel=2)
        return f'<code class="math-source">{html.escape(tex)}</code>'


class MathMLRenderer(IPythonRenderer):
    """nbconvert's Markdown renderer, with formulas written as MathML instead of left for MathJax."""

    def block_math(self, body: str) -> str:
        return tex_to_mathml(body, display="block")

    def inline_math(self, body: str) -> str:
        return tex_to_mathml(body, display="inline")

    def latex_environment(self, name: str, body: str) -> str:
        return tex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display="block")


URL = re.compile(r"https?://[^\s<>\"']+")
TRUNCATED = re.compile(r"(\.\.\.|…)$")


def known_sources() -> list[tuple[str, str, str]]:
    """(web address, key, title) of every source in danmark's list that has a web address."""
    sys.path.insert(0, str(ROOT))
    try:
        import danmark

        table = danmark.load_sources()
    finally:
        sys.path.pop(0)
    rows = table[["url_or_document", "key", "title"]].fillna("").astype(str).to_numpy()
    return sorted({(u.strip(), k, t) for u, k, t in rows if URL.fullmatch(u.strip())})


def _complete(url: str, known, context: str = "") -> str | None:
    """The one source address *url* (shortened, ending in ``...``) stands for, or None.

    Several sources may start alike; then the one whose key or title is in *context* (the
    table row the address was printed in) is taken, if exactly one is.
    """
    bare = TRUNCATED.sub("", url)
    candidates = [s for s in known if s[0].startswith(bare)]
    if len({c[0] for c in candidates}) > 1 and context:
        text = html.unescape(context)
        candidates = [c for c in candidates
                      if (c[1] and c[1] in text) or (len(c[2]) > 12 and TRUNCATED.sub("", c[2][:60]) in text)]
    urls = {c[0] for c in candidates}
    return urls.pop() if len(urls) == 1 else None


def complete_shortened_urls(page: str, known) -> str:
    """Replace addresses a table or a print shortened (``https://...nyhedsb...``) by the full ones."""

    def in_row(row: re.Match) -> str:
        def one(m: re.Match) -> str:
            full = _complete(html.unescape(m.group(0)), known, row.group(0))
            return html.escape(full, quote=False) if full else m.group(0)

        return SHORTENED.sub(one, row.group(0))

    page = re.sub(r"<tr\b.*?</tr>", in_row, page, flags=re.S)

    def alone(m: re.Match) -> str:
        full = _complete(html.unescape(m.group(0)), known)
        return html.escape(full, quote=False) if full else m.group(0)

    return SHORTENED.sub(alone, page)


SHORTENED = re.compile(r"https?://[^\s<>\"']+?(?:\.\.\.|…)")


def link_urls(page: str, known=()) -> str:
    """Make every web address in the text of *page* (outside links, scripts, styles) a link.

    Addresses shortened with ``...`` are first completed from *known* (:func:`known_sources`).
    """
    page = complete_shortened_urls(page, known)
    parts = re.split(r"(<[^>]*>)", page)
    skip = 0  # inside <a>, <script>, <style>, <svg>, <math>, <textarea>
    out = []
    for part in parts:
        if part.startswith("<"):
            m = re.match(r"<(/?)([a-zA-Z]+)", part)
            if m and m.group(2).lower() in {"a", "script", "style", "svg", "math", "textarea", "title"}:
                if m.group(1):
                    skip = max(0, skip - 1)
                elif not part.endswith("/>"):
                    skip += 1
            out.append(part)
            continue
        if skip or "://" not in part:
            out.append(part)
            continue

        def repl(m: re.Match) -> str:
            raw = m.group(0)
            trail = ""
            while raw and raw[-1] in ".,;:!?)]" and not raw.endswith("..."):
                trail = raw[-1] + trail
                raw = raw[:-1]
            href = TRUNCATED.sub("", html.unescape(raw))
            return f'<a href="{html.escape(href, quote=True)}">{raw}</a>{trail}'


        out.append(URL.sub(repl, part))
    return "".join(out)


# ---------------------------------------------------------------- notebooks


class OfflineHTMLExporter(HTMLExporter):
    """HTMLExporter (lab template) whose pages fetch nothing and show formulas as MathML."""

    @jinja2.pass_context
    def markdown2html(self, context, source):
        cell = context.get("cell", {})
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        renderer = MathMLRenderer(
            escape=False,
            attachments=cell.get("attachments", {}),
            embed_images=self.embed_images,
            path=path,
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links,
            **self.lexer_options,
        )
        return MarkdownWithMath(renderer=renderer).render(source)


def make_exporter() -> OfflineHTMLExporter:
    exporter = OfflineHTMLExporter(
        template_name="lab",
        template_file="danmark_page.html.j2",
        extra_loaders=[jinja2.DictLoader({"danmark_page.html.j2": PAGE_TEMPLATE})],
    )
    exporter.embed_images = True
    exporter.language_code = "da"
    return exporter


def _plain(markdown: str) -> str:
    """Markdown as plain text, for a title or a summary (source references left out)."""
    text = re.sub(r"\s*\((?:source|sources|kilde|kilder)\b[^()]*\)", "", markdown, flags=re.I)
    text = re.sub(r"\$\$?([^$]*)\$\$?", r"\1", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"(\*\*|__|\*)(\S.*?)\1", r"\2", text)
    text = re.sub(r"(?<!\w)_(\S[^_]*?)_(?!\w)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", text).strip()


def title_and_summary(nb, fallback: str) -> tuple[str, str]:
    """The notebook's heading and the first sentence of its first paragraph."""
    first = next((c.source for c in nb.cells if c.cell_type == "markdown" and c.source.strip()), "")
    lines = first.strip().splitlines()
    title = fallback
    if lines and lines[0].startswith("#"):
        title = _plain(lines[0].lstrip("#"))
        lines = lines[1:]
    paragraphs = [p for p in re.split(r"\n\s*\n", "\n".join(lines)) if p.strip() and not p.lstrip().startswith("#")]
    summary = _plain(paragraphs[0]) if paragraphs else ""
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ\"“(])", summary, maxsplit=1)[0]
    if len(sentence) > 260:
        sentence = sentence[:260].rsplit(" ", 1)[0] + " …"
    return title, sentence


def verdict_table(nb) -> str | None:
    """The HTML output of the cell tagged ``verdict-table`` (notebook 00), or None."""
    for cell in nb.cells:
        if cell.cell_type != "code" or VERDICT_TAG not in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                return data["text/html"] if isinstance(data["text/html"], str) else "".join(data["text/html"])
    return None


def nav(pages: list[tuple[str, str]], i: int) -> str:
    """The navigation bar of page *i* among *pages* ((file, title) pairs)."""
    links = ['<a href="index.html">danmark · Forside</a>']
    if i > 0:
        links.append(f'<a href="{pages[i - 1][0]}" rel="prev">← {html.escape(pages[i - 1][1])}</a>')
    if i + 1 < len(pages):
        links.append(f'<a href="{pages[i + 1][0]}" rel="next">{html.escape(pages[i + 1][1])} →</a>')
    return '<nav class="danmark">' + "".join(links) + "</nav>"


# ---------------------------------------------------------------- the front page

INDEX_CSS = """
:root { color-scheme: light; }
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1d;
  background: #fafafa; margin: 0; }
main { max-width: 980px; margin: 0 auto; padding: 2em 1.4em 3em; background: #fff; }
h1 { font-size: 1.9em; margin: 0 0 0.2em; color: #1f4e79; }
p.lead { font-size: 1.08em; color: #333; max-width: 46em; }
h2 { margin-top: 1.8em; border-bottom: 2px solid #1f4e79; padding-bottom: 0.2em; }
.verdicts { overflow-x: auto; }
.verdicts table { border-collapse: collapse; font-size: 0.92em; width: 100%; }
.verdicts th, .verdicts td { border: 1px solid #ccc; padding: 0.35em 0.5em; vertical-align: top; text-align: left; }
.verdicts th { background: #eef3f8; }
ol.notebooks { list-style: none; padding: 0; display: grid; gap: 0.8em;
  grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); }
ol.notebooks li { border: 1px solid #d4dbe3; border-left: 5px solid #1f4e79; border-radius: 4px;
  padding: 0.7em 0.9em; background: #fff; }
ol.notebooks a { font-weight: 600; color: #1f4e79; text-decoration: none; font-size: 1.05em; }
ol.notebooks a:hover { text-decoration: underline; }
ol.notebooks .nr { color: #777; font-variant-numeric: tabular-nums; margin-right: 0.3em; }
ol.notebooks p { margin: 0.35em 0 0; color: #444; font-size: 0.93em; }
footer { margin-top: 2.5em; font-size: 0.85em; color: #666; }
@page { size: A4; margin: 15mm; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  ol.notebooks { display: block; }
  ol.notebooks li { break-inside: avoid; border-left-width: 3px; margin-bottom: 0.5em; }
  ol.notebooks a::after { content: " (" attr(href) ")"; font-weight: normal; color: #555; }
  .verdicts tr { break-inside: avoid; }
  h2 { break-after: avoid; }
}
"""

INTRO = (
    "Hvert år offentliggør Social- og Boligministeriet Ankestyrelsens Danmarkskort over "
    "omgørelsesprocenter: for hver kommune andelen af de realitetsbehandlede klagesager, som "
    "Ankestyrelsen har ændret/ophævet eller hjemvist. Kortet bruges blandt andet til at vælge, hvilke "
    "kommuner der tilbydes et forløb hos Taskforce handicap, og flere kommuner har svaret, at deres tal "
    "bygger på få sager eller tæller de forkerte ting med. Notesbøgerne her afprøver de svar på de "
    "offentliggjorte tal: hver påstand med sit dokument, de rå tal, et ærligt skøn med usikkerhed og en "
    "konklusion."
)


def index_page(entries: list[dict], verdicts: str | None) -> str:
    """The front page: title, introduction, the verdict table (if any) and the notebooks."""
    items = "\n".join(
        f'<li><a href="{html.escape(e["file"])}"><span class="nr">{html.escape(e["nr"])}</span>'
        f'{html.escape(e["title"])}</a>' + (f"<p>{html.escape(e['summary'])}</p>" if e["summary"] else "") + "</li>"
        for e in entries
    )
    verdict_part = (
        '<section><h2>Konklusionerne på én side</h2>\n<p>Påstanden med dens dokument, vurderingen, '
        'nøgletallet med sit interval, hvor meget det afhænger af forudsætningerne, og hvilke data der '
        f'ville afgøre sagen (fra notesbog 00).</p>\n<div class="verdicts">{verdicts}</div></section>'
        if verdicts else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>danmark · Hvad Danmarkskortet over omgørelsesprocenter kan sige</title>\n"
        f"<style>{INDEX_CSS}</style>\n</head>\n<body>\n<main>\n"
        "<header><h1>Hvad kan Danmarkskortet over omgørelsesprocenter sige om en kommune?</h1>\n"
        f'<p class="lead">{html.escape(INTRO)}</p></header>\n'
        f"{verdict_part}\n"
        f'<section><h2>Notesbøgerne</h2>\n<ol class="notebooks">\n{items}\n</ol></section>\n'
        "<footer>Siderne er lavet af de gemte notesbøger med <code>tools/render_notebooks.py</code>. "
        "De virker uden netforbindelse: formler, figurer og layout ligger i selve siderne.</footer>\n"
        "</main>\n</body>\n</html>\n"
    )


# ---------------------------------------------------------------- main


def _execute(nb, path: Path, *, figures: Path) -> None:
    """Run *nb* in a fresh kernel; the figures it saves go to *figures*, not to figures/."""
    from nbconvert.preprocessors import ExecutePreprocessor

    old = os.environ.get("DANMARK_FIGURES")
    os.environ["DANMARK_FIGURES"] = str(figures.resolve())  # the kernel inherits it
    try:
        ExecutePreprocessor(timeout=600, kernel_name="python3").preprocess(
            nb, {"metadata": {"path": str(path.parent)}})
    finally:
        if old is None:
            os.environ.pop("DANMARK_FIGURES", None)
        else:
            os.environ["DANMARK_FIGURES"] = old


def render(out: Path, *, execute: bool = False, notebooks: list[Path] | None = None) -> list[Path]:
    """Render *notebooks* (default: notebooks/*.ipynb) and the front page into *out*."""
    out.mkdir(parents=True, exist_ok=True)
    paths = sorted(notebooks if notebooks is not None else (ROOT / "notebooks").glob("*.ipynb"))
    known = known_sources()
    exporter = make_exporter()
    nbs, entries = [], []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if execute:
            _execute(nb, path, figures=out / "figures")
        title, summary = title_and_summary(nb, path.stem)
        nbs.append(nb)
        entries.append({"file": f"{path.stem}.html", "title": re.sub(r"^\d+\s*·\s*", "", title),
                        "full_title": title, "summary": summary, "nr": path.stem[:2] if path.stem[:2].isdigit() else ""})
    written = []
    pages = [(e["file"], e["full_title"]) for e in entries]
    for i, (path, nb, entry) in enumerate(zip(paths, nbs, entries, strict=True)):
        nb = copy.deepcopy(nb)
        nb.metadata["title"] = entry["full_title"]
        # controls (ipywidgets) need a kernel: the page shows the state they drew, not dead widgets
        nb.metadata.pop("widgets", None)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if WIDGET_VIEW not in o.get("data", {})]
        body, _ = exporter.from_notebook_node(nb, resources={
            "metadata": {"name": path.stem, "path": str(path.parent)},
            "danmark_css": PAGE_CSS, "danmark_nav": nav(pages, i)})
        target = out / entry["file"]
        target.write_text(link_urls(body, known), encoding="utf-8")
        written.append(target)
        print(f"wrote {target}")
    start = next((nb for p, nb in zip(paths, nbs, strict=True) if p.stem.startswith("00")), None)
    verdicts = verdict_table(start) if start is not None else None
    index = out / "index.html"
    index.write_text(link_urls(index_page(entries, verdicts), known), encoding="utf-8")
    written.append(index)
    print(json.dumps({"notebooks": len(entries), "verdict_table": verdicts is not None, "folder": str(out)}))
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "html"), help="output folder (default: html/)")
    parser.add_argument("--execute", action="store_true",
                        help="re-run each notebook before rendering (figures go to <out>/figures/)")
    args = parser.parse_args(argv)
    render(Path(args.out), execute=args.execute)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
