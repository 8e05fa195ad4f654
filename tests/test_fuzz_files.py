"""Mutation fuzzer over VALID files (issue 10): a damaged download is a located DataError, never a wrong table.

Every committed example download (``tests/fixtures/downloads/``: a CSV-fil in Latin-1 and
two XLSX, INVENTED numbers), every readable format fixture (``tests/fixtures/*.csv``,
``*.txt``) and a SYNTHETIC tidy table written by ``df.to_csv`` are damaged in small,
seeded ways and read back with :func:`danmark.read_any`: characters, bytes and digits
replaced, fields duplicated, deleted or emptied, lines duplicated, blank lines, CRLF,
columns shuffled with their header, truncation at every line end and at random bytes;
for the workbooks, cell values changed through openpyxl, rows deleted, duplicated or
swapped, bytes flipped, parts of the zip removed or cut short. The outcome must be

* a :class:`danmark.DataError` whose ``.file`` is set, or
* a table whose counts (``n`` and ``omgjort`` from :func:`danmark.with_rates`, per
  kommunekode × period × area; a row with no decided cases counts as no row) are
  EXACTLY the original file's, up to what the mutation can legitimately change:

  - **identity** (CRLF / LF line ends, columns shuffled with their header, a blank
    line, a sheet renamed): the same table, and no error;
  - **structural** (a duplicated or deleted field, a duplicated row, a byte that hits
    or creates a delimiter or line break outside quotes, damaged zip bytes): the same
    table or an error;
  - a damaged **label** (kommune, period, area, a measure's name, a header cell): the
    labels may change, the counts may not -- the same multiset of counts (an "I alt"
    renamed becomes an area of its own: its rows are left out of the comparison);
  - a damaged **count or rate** cell: the same keys, and only the rows that cell's line
    holds may read differently (an undetectable change, such as 4 → 5 in a count that
    nothing else in the file checks, or a count emptied to "no cases");
  - **truncation**: the rows before the cut, unchanged; the cut line's rows may differ;
    rows after the cut are gone.

  Rows may go missing only with a :class:`danmark.ReaderWarning` saying so (or after a
  truncation). Any other exception fails the test. The RNG is seeded, so a failure
  names the file and the mutation, and reruns identically.
"""

from __future__ import annotations

import codecs
import collections
import io
import random
import re
import warnings
import zipfile
from functools import cache
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import danmark
from danmark import DataError, ReaderWarning

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
CSV_FILES = sorted(
    [p for p in FIXTURES.glob("*.csv") if "ankeast3" not in p.name]  # ANKEAST3 holds rates: refused as a whole
    + list(FIXTURES.glob("*.txt"))
    + list((FIXTURES / "downloads").glob("*.csv"))
)
XLSX_FILES = sorted((FIXTURES / "downloads").glob("*.xlsx"))
#: danmark's own tidy table as df.to_csv writes it (SYNTHETIC counts), written once per session
TIDY = "tidy_synthetic.csv"

#: mutations per file and kind (seeded); enough to hit every column of these small files
PER_KIND = 24
SEED = 20240610

# --------------------------------------------------------------------------- reading


def _keyed(table):
    """n and omgjort per kommunekode × period × area; a row with no decided cases is the same as no row."""
    rated = danmark.with_rates(table)
    out = rated.set_index(["kommunekode", "period", "area"])[["n", "omgjort"]].astype(np.int64)
    return out[out["n"] > 0].sort_index()


class Outcome:
    """What reading a (mutated) file gave: the keyed counts or the DataError, and whether it warned."""

    def __init__(self, path):
        self.error = None
        self.counts = None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                self.counts = _keyed(danmark.read_any(path))
            except DataError as err:
                self.error = err
        self.warned = any(issubclass(w.category, ReaderWarning) for w in caught)


@cache
def original(path: Path) -> Outcome:
    out = Outcome(path)
    assert out.error is None, f"the fixture {path.name} does not read: {out.error}"
    return out


def _rows(counts, with_code=True):
    cols = ["n", "omgjort"]
    frame = counts.reset_index()
    if with_code:
        cols = ["kommunekode"] + cols
    return collections.Counter(map(tuple, frame[cols].to_numpy().tolist()))


def check(path, got: Outcome, what: str, *, identity=False, relabel=False, changed=0, truncated=False, total=False):
    """Assert the rules of the module docstring for one mutated file.

    *total*: the damaged label was an "I alt" (a row of sums, checked and dropped); renamed,
    its rows are data under a new area name -- undetectable -- so only rows under the
    original's areas are compared.
    """
    orig = original(path).counts
    if got.error is not None:
        assert not identity, f"{what}: must read as the original, got {got.error}"
        assert got.error.file is not None, f"{what}: DataError without .file: {got.error}"
        return
    new = got.counts
    if total:
        new = new[new.index.get_level_values("area").isin(orig.index.get_level_values("area"))]
    if identity or not (relabel or changed or truncated):
        assert new.equals(orig), f"{what}: the table changed\n{_diff(new, orig)}"
        return
    may_lose = got.warned or truncated
    if relabel:
        # labels may change (even the kommune's, when it is the label hit); counts may not
        before, after = _rows(orig, relabel != "kommune"), _rows(new, relabel != "kommune")
        extra = after - before
        assert not extra, f"{what}: counts that are not in the original: {dict(extra)}\n{_diff(new, orig)}"
        if not may_lose:
            assert after == before, f"{what}: rows went missing without a warning\n{_diff(new, orig)}"
        return
    # a row that is gone reads as no cases: a changed count (0), or a row left out with a warning
    lost = orig.index.difference(new.index)
    added = new.index.difference(orig.index)
    both = new.index.intersection(orig.index)
    differ = (new.loc[both] != orig.loc[both]).any(axis=1)
    n_changed = len(added) + int(differ.sum()) + (0 if may_lose else len(lost))
    assert n_changed <= changed, (
        f"{what}: {n_changed} rows read differently, at most {changed} may\n{_diff(new, orig)}"
    )


def _diff(new, orig) -> str:
    joined = new.join(orig, how="outer", lsuffix="_mutated", rsuffix="_original")
    bad = joined[(joined.filter(like="_mutated").to_numpy() != joined.filter(like="_original").to_numpy()).any(axis=1)]
    return bad.to_string()[:3000]


# --------------------------------------------------------------------------- CSV files as text cells

_LABELS = {
    "kommune", "sagsemne", "lovgivning", "periode", "aar", "kvartal", "omraade", "lovgrundlag", "lovgrund",
    "afgoerelse", "afgtype", "tid", "period", "area", "region", "source",
}
_KOMMUNE = {"kommune", "omraade", "kommunekode"}
#: not read: the Talportal's processing time; the tidy table's index and recomputed period dates
_IGNORED = {"sagsbehandlingstid", "", "period_start", "period_end"}


def _fold(text: str) -> str:
    s = text.replace("\ufeff", "").strip().strip('"').lower()
    s = s.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


class Text:
    """A CSV fixture as text: 8-bit files as Latin-1 (one char per byte), UTF-16 decoded."""

    def __init__(self, path: Path):
        data = path.read_bytes()
        self.path = path
        self.utf16 = data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        self.text = data.decode("utf-16") if self.utf16 else data.decode("latin-1")
        self.newline = "\r\n" if "\r\n" in self.text else "\n"
        first = self.text.split("\n", 1)[0]
        self.sep = max((";", ",", "\t"), key=first.count)
        self.lines = self.text.split("\n")
        # a two-row header (measure over period, Sagsemne filled down): Excel's copy of the table
        self.excel = self.lines[0].lstrip("\ufeff\xef\xbb\xbf").startswith(self.sep * 2)
        self.header = 2 if self.excel else 1
        self.keys_per_line = self._keys_per_line()

    def encode(self, text: str) -> bytes:
        return text.encode("utf-16") if self.utf16 else text.encode("latin-1")

    def _keys_per_line(self) -> int:
        """Rows of the table one line of the file gives: one, or one per period across Excel's sheet."""
        if not self.excel:
            return 1
        return original(self.path).counts.index.get_level_values("period").nunique()

    def role(self, line: int, field: int) -> str:
        """What a cell holds: "header", "label", "kommune", "ignored" or "count"."""
        if line < self.header:
            return "header"
        if self.excel:
            if _fold(self.lines[line].split(self.sep)[0]).startswith("kilde"):
                return "label"  # the footer
            return {0: "label", 1: "kommune"}.get(field, "count")
        names = self.lines[0].rstrip("\r").split(self.sep)
        name = _fold(names[field]) if field < len(names) else ""
        if name in _KOMMUNE:
            return "kommune"
        if name in _LABELS:
            return "label"
        if name in _IGNORED:
            return "ignored"
        return "count"

    def locate(self, pos: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, pos)
        start = self.text.rfind("\n", 0, pos) + 1
        return line, self.text.count(self.sep, start, pos)

    def cell(self, line: int, field: int) -> str:
        cells = self.lines[line].rstrip("\r").split(self.sep)
        return cells[field] if field < len(cells) else ""

    def quoted(self, pos: int) -> bool:
        """Whether *pos* lies inside a quoted value (an odd number of quotes before it on its line)."""
        start = self.text.rfind("\n", 0, pos) + 1
        return self.text.count('"', start, pos) % 2 == 1

    def rules(self, pos: int, old: str, new: str) -> dict:
        """The rule for replacing the character at *pos*."""
        inside = self.quoted(pos) and old != '"'
        if not inside and ({old, new} & {self.sep, "\n"} or new == '"'):
            return {}  # structural: the same table or an error
        line, field = self.locate(pos)  # a delimiter or line break inside quotes is text in this cell
        role = self.role(line, field)
        if role != "header" and _fold(self.cell(line, field)) in ("i_alt", "ialt"):
            return {"relabel": True, "total": True}
        if role == "ignored":
            return {}
        if role == "count":
            return {"changed": self.keys_per_line}
        return {"relabel": "kommune" if role in ("kommune", "header") else True}


def _write(tmp_path, path: Path, data: bytes) -> Path:
    out = tmp_path / path.name  # the same name: sources and file-name checks as in the original
    out.write_bytes(data)
    return out


def _char_mutations(doc: Text, rng: random.Random):
    """(name, text, rule) for single-character damage at random places."""
    text = doc.text
    alphabet = [chr(c) for c in range(1, 256)] + ["\u2013", "\u00a0", "\u0153"]
    for _ in range(PER_KIND):
        pos = rng.randrange(len(text))
        old = text[pos]
        new = rng.choice(alphabet)
        if new == old or (doc.utf16 is False and ord(new) > 255):
            continue
        yield f"replace {old!r}->{new!r} at {pos}", text[:pos] + new + text[pos + 1 :], doc.rules(pos, old, new)
        if ord(old) < 256 and not doc.utf16:
            bit = chr(ord(old) ^ (1 << rng.randrange(8)))
            yield f"bit flip {old!r}->{bit!r} at {pos}", text[:pos] + bit + text[pos + 1 :], doc.rules(pos, old, bit)
    digits = [m.start() for m in re.finditer(r"\d", text)]
    for pos in rng.sample(digits, min(PER_KIND, len(digits))):
        new = rng.choice([c for c in "0123456789" if c != text[pos]])
        yield f"digit {text[pos]}->{new} at {pos}", text[:pos] + new + text[pos + 1 :], doc.rules(pos, text[pos], new)


def _field_mutations(doc: Text, rng: random.Random):
    lines = doc.lines
    for _ in range(PER_KIND):
        i = rng.randrange(len(lines))
        cells = lines[i].split(doc.sep)
        j = rng.randrange(len(cells))
        end = "\r" if cells[-1].endswith("\r") else ""
        if j == len(cells) - 1:
            cells[j] = cells[j].rstrip("\r")
        dup = cells[: j + 1] + [cells[j]] + cells[j + 1 :]
        dele = cells[:j] + cells[j + 1 :]
        for name, row in (("duplicated field", dup), ("deleted field", dele)):
            yield f"{name} {j} in line {i + 1}", "\n".join(lines[:i] + [doc.sep.join(row) + end] + lines[i + 1 :]), {}
        if cells[j].strip('"'):
            empty = cells[:j] + ['""' if cells[j].startswith('"') else ""] + cells[j + 1 :]
            role = doc.role(i, j)
            rule = {} if role == "ignored" else {"changed": doc.keys_per_line} if role == "count" else {"relabel": True}
            if role in ("kommune", "header"):
                rule = {"relabel": "kommune"}
            yield f"emptied field {j} in line {i + 1}", "\n".join(lines[:i] + [doc.sep.join(empty) + end] + lines[i + 1 :]), rule


def _line_mutations(doc: Text, rng: random.Random):
    lines = doc.lines
    for _ in range(PER_KIND // 2):
        i = rng.randrange(len(lines))
        yield f"duplicated line {i + 1}", "\n".join(lines[: i + 1] + [lines[i]] + lines[i + 1 :]), {}
        blank = "\r" if doc.newline == "\r\n" else ""
        yield f"blank line before line {i + 1}", "\n".join(lines[:i] + [blank] + lines[i:]), {"identity": True}
        yield f"blank line of delimiters before line {i + 1}", "\n".join(
            lines[:i] + [doc.sep * lines[0].count(doc.sep) + blank] + lines[i:]
        ), {"identity": True}
    # a Statistikbank table is checked cell by cell by nothing, so a last INDHOLD value with no line
    # break after it may be a cut-off one ("80" -> "8"): the reader may refuse it (issue 21)
    statbank = _fold(doc.lines[0].rstrip("\r").split(doc.sep)[-1]) == "indhold"
    yield "no final line break", doc.text.rstrip("\r\n"), {} if statbank else {"identity": True}
    yield "two final line breaks", doc.text + doc.newline, {"identity": True}


def _identity_mutations(doc: Text, rng: random.Random):
    if doc.newline == "\r\n":
        yield "LF line ends", doc.text.replace("\r\n", "\n"), {"identity": True}
    else:
        yield "CRLF line ends", doc.text.replace("\n", "\r\n"), {"identity": True}
    if doc.excel:
        return  # a two-row header spans columns: shuffling it changes what the cells mean
    lines = doc.text.split("\n")
    width = lines[0].count(doc.sep) + 1
    for _ in range(4):
        order = list(range(width))
        rng.shuffle(order)
        out = []
        for ln in lines:
            end = "\r" if ln.endswith("\r") else ""
            cells = ln.rstrip("\r").split(doc.sep)
            if len(cells) != width:
                out.append(ln)
                continue
            out.append(doc.sep.join(cells[k] for k in order) + end)
        yield f"columns shuffled {order}", "\n".join(out), {"identity": True}


def _truncations(doc: Text, rng: random.Random):
    text = doc.text
    for _ in range(PER_KIND):
        pos = rng.randrange(1, len(text))
        yield f"truncated at {pos}", text[:pos], {"truncated": True, "changed": doc.keys_per_line}
    for pos in [m.end() for m in re.finditer("\n", text)][:-1]:
        yield f"truncated after line {text.count(chr(10), 0, pos)}", text[:pos], {"truncated": True}


KINDS = {
    "characters": _char_mutations,
    "fields": _field_mutations,
    "lines": _line_mutations,
    "identity": _identity_mutations,
    "truncation": _truncations,
}


@pytest.fixture(scope="session")
def tidy_file(tmp_path_factory) -> Path:
    raw = pd.DataFrame({
        "kommune": ["Solrød", "Århus", "Ærø", "Solrød", "Lejre", "Hele landet"],
        "period": ["2022", "2022", "2022", "2023Q1", "2021", "2022"], "area": "voksenhandicap",
        "stadfaestet": [4, 20, 0, 3, 7, 900], "aendret": [1, 3, 1, 0, 2, 100], "hjemvist": [9, 7, 0, 2, 0, 300],
        "afvist": [0, 2, 1, None, 0, 40], "source": "synthetic",
    })
    path = tmp_path_factory.mktemp("tidy") / TIDY
    danmark.validate_cases(raw).to_csv(path)
    return path


@pytest.fixture
def csv_file(request, tidy_file) -> Path:
    return tidy_file if request.param == TIDY else request.param


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("csv_file", [*CSV_FILES, TIDY], ids=lambda p: getattr(p, "name", p), indirect=True)
def test_mutated_csv_file(tmp_path, csv_file, kind):
    path = csv_file
    doc = Text(path)
    rng = random.Random(f"{SEED}-{path.name}-{kind}")
    for what, text, rule in KINDS[kind](doc, rng):
        try:
            data = doc.encode(text)
        except UnicodeEncodeError:
            continue
        mutated = _write(tmp_path, path, data)
        check(path, Outcome(mutated), f"{path.name}, {what}", **rule)


@pytest.mark.parametrize("csv_file", [*CSV_FILES, TIDY], ids=lambda p: getattr(p, "name", p), indirect=True)
def test_raw_bytes_of_csv_file(tmp_path, csv_file):
    """Byte-level damage that ignores the encoding (invalid UTF-8 or UTF-16): an error or the same table."""
    path = csv_file
    data = path.read_bytes()
    rng = random.Random(f"{SEED}-{path.name}-bytes")
    doc = Text(path)
    for _ in range(PER_KIND):
        pos = rng.randrange(len(data))
        new = bytes([rng.choice([0x00, 0x80, 0x81, 0xC3, 0xE2, 0xFF, 0xFE, 0x8F, 0x9D, 0xA0, 0xAD])])
        mutated = data[:pos] + new + data[pos + 1 :]
        if doc.utf16:  # the character whose code unit was hit
            char = (pos - 2) // 2
            rule = {} if pos < 2 else doc.rules(
                char, doc.text[char], mutated[2 + 2 * char : 4 + 2 * char].decode("utf-16-le", errors="replace")
            )
        else:
            rule = doc.rules(pos, chr(data[pos]), chr(new[0]))
        what = f"{path.name}, byte {data[pos]:#x}->{new[0]:#x} at {pos}"
        check(path, Outcome(_write(tmp_path, path, mutated)), what, **rule)


# --------------------------------------------------------------------------- XLSX


def _workbook_cells(path):
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    return wb, ws, cells


def _xlsx_role(ws, cell) -> str:
    if cell.row <= 2:
        return "header"
    first = ws.cell(cell.row, 1).value
    if isinstance(first, str) and first.lower().startswith("kilde"):
        return "label"
    if cell.column <= 2:
        return "kommune" if str(ws.cell(2, cell.column).value).lower() == "kommune" else "label"
    return "count"


def _cell_values(value, rng: random.Random):
    """Replacement values for one cell."""
    out = [None, "", "x", True, -1, 0.5, 10**30, 2**63, float("inf"), "1.000", "12,5", "NA", "#NUM!", " ", "Inf"]
    if isinstance(value, int | float) and not isinstance(value, bool):
        out += [value + 1, value * 10, -value, value + 0.25, str(value)]
        digits = str(value)
        if any(c.isdigit() for c in digits):
            i = rng.choice([k for k, c in enumerate(digits) if c.isdigit()])
            changed = digits[:i] + rng.choice([c for c in "0123456789" if c != digits[i]]) + digits[i + 1 :]
            out.append(float(changed) if "." in changed or "e" in changed else int(changed))
    if isinstance(value, str) and value:
        i = rng.randrange(len(value))
        out += [value[:i] + chr(rng.randrange(32, 0x17F)) + value[i + 1 :], value + " ", value.upper(), value[:i]]
    return out


@pytest.mark.parametrize("path", XLSX_FILES, ids=lambda p: p.name)
def test_mutated_xlsx_cells(tmp_path, path):
    """Cell values changed through openpyxl: labels may change, counts only in the cell's own key."""
    rng = random.Random(f"{SEED}-{path.name}-cells")
    _, _, cells = _workbook_cells(path)
    picks = [(c.row, c.column) for c in rng.sample(cells, min(len(cells), PER_KIND))]
    for row, col in picks:
        wb, ws, _ = _workbook_cells(path)
        original_value = ws.cell(row, col).value
        role = _xlsx_role(ws, ws.cell(row, col))
        for value in rng.sample(_cell_values(original_value, rng), 4):
            wb, ws, _ = _workbook_cells(path)
            ws.cell(row, col).value = value
            out = tmp_path / path.name
            wb.save(out)
            what = f"{path.name}, cell {ws.cell(row, col).coordinate} {original_value!r} -> {value!r}"
            rule = {"changed": 1} if role == "count" else {"relabel": "kommune" if role in ("kommune", "header") else True}
            if role != "count" and str(original_value).strip().lower() == "i alt":
                rule["total"] = True
            check(path, Outcome(out), what, **rule)


@pytest.mark.parametrize("path", XLSX_FILES, ids=lambda p: p.name)
def test_mutated_xlsx_rows(tmp_path, path):
    """Rows deleted, duplicated or swapped in the sheet."""
    rng = random.Random(f"{SEED}-{path.name}-rows")
    wb, ws, _ = _workbook_cells(path)
    last = ws.max_row
    values = [[c.value for c in row] for row in ws.iter_rows()]
    for _ in range(PER_KIND // 3):
        r = rng.randrange(1, last + 1)
        wb, ws, _ = _workbook_cells(path)
        ws.delete_rows(r)
        out = tmp_path / path.name
        wb.save(out)
        # a deleted data row is a file with one kommune × area fewer (the I alt rows may notice)
        check(path, Outcome(out), f"{path.name}, row {r} deleted", truncated=True)

        wb, ws, _ = _workbook_cells(path)
        ws.insert_rows(r + 1)
        for c, v in enumerate(values[r - 1], start=1):
            ws.cell(r + 1, c).value = v
        wb.save(out)
        check(path, Outcome(out), f"{path.name}, row {r} duplicated")

        s = rng.randrange(3, last - 1)
        t = rng.randrange(3, last - 1)
        wb, ws, _ = _workbook_cells(path)
        for c in range(1, ws.max_column + 1):
            a, b = ws.cell(s, c).value, ws.cell(t, c).value
            ws.cell(s, c).value, ws.cell(t, c).value = b, a
        wb.save(out)
        check(path, Outcome(out), f"{path.name}, rows {s} and {t} swapped")


@pytest.mark.parametrize("path", XLSX_FILES, ids=lambda p: p.name)
def test_raw_bytes_of_xlsx_file(tmp_path, path):
    """The workbook's bytes truncated or flipped: an error, or (a flip the zip does not read) the same table."""
    data = path.read_bytes()
    rng = random.Random(f"{SEED}-{path.name}-bytes")
    for _ in range(PER_KIND):
        pos = rng.randrange(len(data))
        for what, mutated in (
            (f"truncated at {pos}", data[:pos]),
            (f"byte {pos} flipped", data[:pos] + bytes([data[pos] ^ (1 << rng.randrange(8))]) + data[pos + 1 :]),
        ):
            check(path, Outcome(_write(tmp_path, path, mutated)), f"{path.name}, {what}")


@pytest.mark.parametrize("path", XLSX_FILES, ids=lambda p: p.name)
def test_xlsx_parts_damaged(tmp_path, path):
    """A workbook missing a part, with its sheet XML cut short, or a sheet renamed: an error or the same table."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    variants = {f"without {name}": {k: v for k, v in parts.items() if k != name} for name in parts}
    variants["sheet XML cut short"] = {**parts, sheet: parts[sheet][: len(parts[sheet]) // 2]}
    variants["shared strings cut short"] = {
        **parts, **{k: v[: len(v) // 2] for k, v in parts.items() if "sharedStrings" in k}
    }
    for what, content in variants.items():
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for name, blob in content.items():
                zf.writestr(name, blob)
        check(path, Outcome(_write(tmp_path, path, buf.getvalue())), f"{path.name}, {what}")
    wb, ws, _ = _workbook_cells(path)
    ws.title = "Ark1"
    out = tmp_path / path.name
    wb.save(out)
    check(path, Outcome(out), f"{path.name}, sheet renamed", identity=True)


def test_the_fuzzer_reads_every_fixture(tidy_file):
    """Guard: the fixtures read, so every mutation above starts from a valid file."""
    for path in [*CSV_FILES, *XLSX_FILES, tidy_file]:
        assert len(original(path).counts) > 0


# --------------------------------------------------------------------------- what the fuzzer found, pinned


def _data_error(path) -> DataError:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReaderWarning)
        with pytest.raises(DataError) as info:
            danmark.read_any(path)
    assert info.value.file is not None and info.value.file.endswith(path.name), str(info.value)
    return info.value


@pytest.mark.parametrize("byte", [0x81, 0x8D, 0x8F, 0x90, 0x9D])
def test_a_byte_cp1252_does_not_define_is_a_data_error(tmp_path, byte):
    """Found: pyarrow's cp1252 transcoder raised UnicodeDecodeError for these five bytes."""
    path = FIXTURES / "downloads" / "talportal_csv_yearly_all.csv"
    data = path.read_bytes()
    pos = data.index(b"Serviceloven") + 3
    err = _data_error(_write(tmp_path, path, data[:pos] + bytes([byte]) + data[pos + 1 :]))
    assert "decode" in str(err)


def _patched_central_directory(data: bytes, offset: int, value: bytes) -> bytes:
    out = bytearray(data)
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) >= 0:
        out[start + offset : start + offset + len(value)] = value
        start += 4
    return bytes(out)


@pytest.mark.parametrize(
    "what, offset, value",
    [("encrypted", 8, b"\x01\x00"), ("unknown compression", 10, b"\x63\x00")],
)
def test_a_workbook_with_a_damaged_zip_directory_is_a_data_error(tmp_path, what, offset, value):
    """Found: zipfile's RuntimeError (password required) and NotImplementedError escaped."""
    path = XLSX_FILES[0]
    _data_error(_write(tmp_path, path, _patched_central_directory(path.read_bytes(), offset, value)))


def test_a_workbook_with_a_corrupt_deflate_stream_is_a_data_error(tmp_path):
    """Found: zlib.error escaped from openpyxl when a compressed part was damaged."""
    path = XLSX_FILES[0]
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(next(n for n in zf.namelist() if n.startswith("xl/worksheets/")))
    data = bytearray(path.read_bytes())
    body = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(body + 10, body + 40):
        data[i] ^= 0x5A
    _data_error(_write(tmp_path, path, bytes(data)))


def test_an_excel_header_whose_period_cells_disagree_is_a_data_error(tmp_path):
    """Found: one period cell of the two-row header changed put that measure's counts in a period of their own."""
    path = FIXTURES / "talportal_excel.csv"
    lines = path.read_bytes().split(b"\n")
    cells = lines[1].split(b";")
    cells[2] = b"2021"  # Afvisning.Henvisning 2022 -> 2021; every other measure keeps 2022
    lines[1] = b";".join(cells)
    err = _data_error(_write(tmp_path, path, b"\n".join(lines)))
    assert "every measure should cover every period" in str(err)


def test_a_repeated_i_alt_row_is_a_data_error(tmp_path):
    """Found: an emptied Sagsemne under the 'I alt' block made Hele landet's row a second I alt row, dropped unread."""
    path = FIXTURES / "downloads" / "talportal_xlsx_measures_on_top.xlsx"
    wb, ws, _ = _workbook_cells(path)
    row = next(r for r in range(3, ws.max_row + 1)
               if ws.cell(r - 1, 1).value == "I alt" and ws.cell(r, 1).value not in (None, "I alt"))
    ws.cell(row, 1).value = None  # filled down from the row above: "I alt"
    out = tmp_path / path.name
    wb.save(out)
    assert "repeats an earlier one" in str(_data_error(out))
