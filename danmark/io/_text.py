"""Shared text decoding and file access for the readers: encodings, delimiters, footers."""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import unicodedata
import warnings
from pathlib import Path

from ..errors import DataError, ReaderWarning


def warn_each(messages, stacklevel: int = 3) -> None:
    for message in messages:
        warnings.warn(message, ReaderWarning, stacklevel=stacklevel)


def check_decimal(decimal, file) -> None:
    if decimal not in (None, ",", "."):
        raise DataError(f"decimal must be ',' or '.' (or None to decide from the file), got {decimal!r}", file=file)

_HEAD_BYTES = 1 << 16
MISSING = frozenset({"", ".", ".."})
MISSING_STATBANK = frozenset({"", ".", "..", "-"})
DERIVED_COLUMNS = ("n", "omgjort", "omg_pct")


# --------------------------------------------------------------------------- text helpers


def fold(text) -> str:
    """Lower-case ASCII key: æ→ae, ø→oe, å→aa, anything else non-alphanumeric → "_"."""
    s = str(text).replace("\ufeff", "").strip().lower()
    s = s.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


def is_mojibake(text: str) -> bool:
    """True for UTF-8 text that was decoded as cp1252/Latin-1 ("SolrÃ¸d")."""
    if text.isascii():
        return False
    for enc in ("cp1252", "latin-1"):
        try:
            fixed = text.encode(enc).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        return fixed != text
    return False


def mojibake_error(text: str, encoding: str, file, row=None, column=None) -> DataError:
    try:
        fixed = text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        fixed = text.encode("latin-1", errors="replace").decode("utf-8", errors="replace")
    how = (
        f"read it with encoding='utf-8' instead of {encoding!r}"
        if fold(encoding) not in ("utf_8", "utf8", "utf_8_sig")
        else "the file itself holds the garbled text (it was opened and saved in the wrong "
        "encoding): download it again, or repair it with "
        "text.encode('cp1252').decode('utf-8')"
    )
    return DataError(
        f"{text!r} looks like UTF-8 text decoded as cp1252/Latin-1 (should it read {fixed!r}?): "
        f"the file was decoded wrongly; {how}",
        file=file,
        row=row,
        column=column,
    )



# --------------------------------------------------------------------------- file access


def _utf16(data: bytes) -> str | None:
    """"utf-16" (with a byte-order mark), "utf-16-le"/"-be" (NUL-byte pattern) or None."""
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        return None  # UTF-32: not something Excel writes
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    sample = data[:4096]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    # ASCII text in UTF-16: every other byte is NUL
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _utf16_error(path, encoding: str) -> DataError:
    return DataError(
        f"the file is UTF-16 (Excel's 'Unicode text' export), but encoding={encoding!r} was "
        "given: leave encoding out (danmark reads UTF-16) or pass encoding='utf-16', or save "
        "the sheet from Excel as 'CSV UTF-8'",
        file=path,
    )


def is_utf16(encoding: str) -> bool:
    return fold(encoding).startswith("utf_16")


def _head(path, encoding):
    """First bytes of *path* decoded: (text, encoding, whole_file_read)."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(_HEAD_BYTES)
            more = bool(fh.read(1))
    except IsADirectoryError:
        raise DataError("this is a folder, not a file", file=path) from None
    except FileNotFoundError:
        raise DataError("file not found", file=path) from None
    except OSError as err:
        raise DataError(f"cannot read the file ({err.strerror or err})", file=path) from None
    _refuse_binary(path, raw)
    wide = _utf16(raw)
    if wide is not None:
        if encoding is not None and not is_utf16(encoding):
            raise _utf16_error(path, encoding)
        encoding = encoding or wide
        raw = raw[: len(raw) // 2 * 2] if more else raw
    elif not raw.replace(codecs.BOM_UTF8, b"").strip():
        raise DataError("the file is empty", file=path)
    if encoding is not None:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(raw, final=not more)
        except LookupError:
            raise DataError(f"unknown encoding {encoding!r}", file=path) from None
        except UnicodeDecodeError as err:
            raise DataError(
                f"cannot decode the file as {encoding!r} (byte {err.start}); try "
                "encoding='cp1252' for files saved by Excel on Windows, or encoding='utf-8'",
                file=path,
            ) from None
        text = text.lstrip("\ufeff")
        if not text.strip():
            raise DataError("the file is empty", file=path)
        return text, encoding, not more
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(raw, final=not more)
        return text, "utf-8-sig", not more
    except UnicodeDecodeError:
        check_utf8_damage(raw, path, final=not more)
        return raw.decode("cp1252", errors="replace"), "cp1252", not more


_BINARY = {
    b"\x1f\x8b": "a gzip-compressed file: unpack it first",
    b"PK\x03\x04": "a zip archive (an .xlsx workbook is one): read a Talportal workbook with "
    "danmark.read_talportal, or unpack the archive",
    b"%PDF": "a PDF document, not a table",
    b"\xd0\xcf\x11\xe0": "an old Excel .xls workbook: save it as .xlsx or CSV",
}


def _refuse_binary(path, raw: bytes) -> None:
    """A DataError for compressed, archived or other binary content."""
    for magic, what in _BINARY.items():
        if raw.startswith(magic):
            raise DataError(f"this is {what}", file=path)
    if b"\x00" in raw[:4096] and _utf16(raw) is None:
        raise DataError("this is a binary file, not a text table", file=path)


def _head_rows(text: str, k: int = 3) -> tuple[str, list[list[str]]]:
    """Sniff the delimiter from the first non-blank line and parse up to *k* rows."""
    # split on newlines only: str.splitlines() also breaks at "\x85", which is what
    # Latin-1 makes of the second byte of a UTF-8 "Å"
    lines = [ln.rstrip("\r") for ln in text.split("\n") if ln.strip(" \t\r;,")]
    first = lines[0] if lines else ""
    counts = {s: first.count(s) for s in (";", ",", "\t")}
    sep = max(counts, key=lambda s: counts[s]) if max(counts.values()) > 0 else ";"
    try:
        rows = list(csv.reader(io.StringIO("\n".join(lines[:k])), delimiter=sep))
    except csv.Error as err:
        raise DataError(f"cannot read the first lines as a table ({err})") from None
    return sep, rows


def sniff(path, encoding, file):
    """Decode the file's first lines: (encoding, delimiter, header cells, head rows), width checked."""
    head, enc, _ = _head(path, encoding)
    try:
        sep, rows = _head_rows(head)
    except DataError as err:
        raise DataError(err.message, file=file) from None
    header = [c.replace("\ufeff", "") for c in rows[0]] if rows else []
    _check_width(file, header, sep, enc)
    seen: dict[str, int] = {}
    for j, h in enumerate(header):
        name = h.strip()
        if name and name in seen:
            raise DataError(
                f"columns {seen[name] + 1} and {j + 1} are both named {name!r}: which one holds the figures?",
                file=file, row=1, column=name,
            )
        seen[name] = j
    return enc, sep, header, rows


def _read_text(path, encoding) -> tuple[str, str]:
    data = Path(path).read_bytes()
    if encoding is None:
        encoding = _utf16(data)
    if encoding is None:
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            check_utf8_damage(data, path)
            return data.decode("cp1252", errors="replace"), "cp1252"
    try:
        return data.decode(encoding).lstrip("\ufeff"), encoding
    except UnicodeDecodeError as err:
        raise DataError(
            f"cannot decode the file as {encoding!r} (byte {err.start}); try "
            "encoding='cp1252' for files saved by Excel on Windows, or encoding='utf-8'",
            file=path,
        ) from None


def csv_records(path, encoding, sep) -> tuple[list[list[str]], list[int], str]:
    """All non-blank records of a text file with their (1-based) line numbers."""
    text, enc = _read_text(path, encoding)
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    rows, lines = [], []
    prev = 0
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            raise DataError(f"cannot read this line ({err})", file=path, row=reader.line_num) from None
        start = prev + 1
        prev = reader.line_num
        if any(c.strip() for c in rec):
            rows.append(rec)
            lines.append(start)
    return rows, lines, enc



def is_footer(rec: list[str]) -> bool:
    if not rec or not rec[0][:12].strip().lower().startswith("kilde"):
        return False
    cells = [c for c in rec if c.strip()]
    return len(cells) == 1 and fold(cells[0]).startswith("kilde")




def _check_width(file, header: list[str], sep: str, encoding: str = "utf-8") -> None:
    for h in header:
        if is_mojibake(h):
            raise mojibake_error(h, encoding, file, row=1)
    if len([h for h in header if h.strip()]) <= 1:
        shown = header[0][:80] if header else ""
        raise DataError(
            f"found only one column ({shown!r}): wrong delimiter? danmark reads files "
            "separated by ';', ',' or tabs",
            file=file,
            row=1,
        )


def footer_cut(path) -> int | None:
    """Byte offset where a trailing "Kilde: ..." footer (and blank lines) begins, if any."""
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        fh.seek(max(0, size - 8192))
        tail = fh.read()
    lines = tail.split(b"\n")
    pos = size
    cut = None
    seen_footer = False
    for line in reversed(lines[1:] if size > 8192 else lines):
        start = pos - len(line)
        text = line.strip(b" \t\r;,")
        one_cell = (b";" not in text and b"," not in text) or (
            text[:1] == b'"' and text[-1:] == b'"' and text.count(b'"') == 2
        )
        if not text.strip(b'"'):
            pass
        elif one_cell and text.lstrip(b'"')[:5].lower() == b"kilde":
            seen_footer = True
            cut = start
        elif seen_footer:
            break
        else:
            # a note after the footer, or data: only notes count, and only once a footer is found
            if b";" in line.strip(b" \t\r;") or b"," in line.strip(b" \t\r,"):
                break
        pos = start - 1
        if pos < 0:
            break
    return cut if seen_footer else None


def unterminated_last_line(path, encoding: str) -> str | None:
    """The file's last line when it does not end with a line break (None when it does).

    A download cut off in transfer ends wherever the bytes stopped, usually
    inside a line; the agencies' own files end every line with a line break.
    """
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        fh.seek(max(0, size - 4096))
        tail = fh.read()
    if is_utf16(encoding):
        tail = tail[len(tail) % 2:]
        text = tail.decode("utf-16-be" if fold(encoding).endswith("be") else "utf-16-le", errors="replace")
    else:
        text = tail.decode("utf-8" if fold(encoding).startswith("utf_8") else encoding, errors="replace")
    text = text.rstrip(" \t\x00")
    if not text or text[-1] in "\r\n":
        return None
    return text.rsplit("\n", 1)[-1].rstrip("\r")


def check_utf8_damage(data: bytes, path, final: bool = True) -> None:
    """A DataError at the line of a byte that is not UTF-8 in a file that is otherwise UTF-8.

    A file whose first non-ASCII bytes are not UTF-8 is read as cp1252 (what
    the Talportal and Excel on Danish Windows write). But when the bytes
    before the bad one hold UTF-8 text (a byte-order mark, "Stadfæstelse"),
    the file *is* UTF-8 and one byte is damaged: reading it all as cp1252
    would garble every "æ" and blame the header, so the byte's own line is
    named instead.
    """
    try:  # positions in *data* itself (a "utf-8-sig" decoder counts from after the byte-order mark)
        codecs.getincrementaldecoder("utf-8")().decode(data, final=final)
        return
    except UnicodeDecodeError as error:
        err = error
    before = data[: err.start]
    if before.isascii():
        return
    line = before.count(b"\n") + 1
    start = before.rfind(b"\n") + 1
    prefix = before[start:].decode("utf-8-sig", errors="replace")
    column = None
    first = data[: data.find(b"\n")] if b"\n" in data else data
    head = first.decode("utf-8-sig", errors="replace").rstrip("\r")
    counts = {c: head.count(c) for c in (";", ",", "\t")}
    sep = max(counts, key=lambda c: counts[c])
    if line > 1 and counts[sep]:
        try:
            header = next(csv.reader([head], delimiter=sep))
            fields = next(csv.reader([prefix], delimiter=sep)) if prefix else [""]
        except (csv.Error, StopIteration):
            header, fields = [], []
        if 0 < len(fields) <= len(header):
            column = header[len(fields) - 1].strip() or None
    bad = data[err.start : err.start + 4]
    shown = " ".join(f"{b:#04x}" for b in bad[: max(1, err.end - err.start)])
    raise DataError(
        f"byte {shown} on this line is not valid UTF-8, although the file is UTF-8 before it: "
        "the file is damaged, or was put together from files in different encodings (download it "
        "again, or save it again as UTF-8)",
        file=path, row=line, column=column,
    )

