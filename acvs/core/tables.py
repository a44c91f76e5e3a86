"""Reading an uploaded table (contacts, legacy offer bases): CSV in UTF-8 (with or without BOM) or Windows-1252, `;`,
`,` or tab separated, or the first sheet of an XLSX workbook. Every cell comes out as text, kept as typed (a formula
stays its text: `formula` tells the callers which cells a spreadsheet would run)."""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


class FileRefused(ValueError):
    """The file as a whole cannot be read: nothing is imported, the reason says where."""


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]  # without the header; line n of the file is rows[n - 2]
    encoding: str  # "utf-8", "utf-8-sig", "cp1252" or "xlsx"


def read(name: str, content: bytes, *, max_bytes: int, max_lines: int) -> Table:
    """The file's header and rows; FileRefused over `max_bytes` or `max_lines` (header left out)."""
    if len(content) > max_bytes:
        raise FileRefused(too_large(len(content), max_bytes))
    if content[:4] == b"PK\x03\x04":
        return _read_xlsx(content, max_lines)
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise FileRefused(_("%(name)s is not an XLSX workbook.") % {"name": name})
    return _read_csv(content, max_lines)


# What a spreadsheet reads as a formula when the text starts with it (OWASP's list of leading characters).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"^[+-][\d\s.,()/]*$")  # "+33 4 94 00 00 00", "-0,52": a phone number or a coordinate


def formula(value: str) -> bool:
    """Whether a cell would be run as a formula by a spreadsheet (a signed number or phone number is not)."""
    return value.startswith(FORMULA_STARTS) and not _NUMBER_LIKE.match(value)


def too_large(size: int, limit: int) -> str:
    return _("The file weighs %(size)s MB, over the limit of %(limit)s MB: split it into smaller files.") % {
        "size": f"{size / 1e6:.1f}".replace(".", ","),
        "limit": f"{limit / 1e6:g}".replace(".", ","),
    }


def _decode(content: bytes) -> tuple[str, str]:
    """UTF-8 when every line reads as UTF-8, Windows-1252 when none of the lines with accents does; a file that
    mixes both, or holds bytes neither knows, is refused with its first bad lines."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(_("The file is in UTF-16: save it as CSV UTF-8 and send it again."))
    if b"\x00" in content:
        line = content[: content.index(b"\x00")].count(b"\n") + 1
        raise FileRefused(_("Line %(line)s holds a NUL byte: this is not a text file.") % {"line": line})
    if content.startswith(b"\xef\xbb\xbf"):
        encoding, content = "utf-8-sig", content[3:]
    else:
        encoding = "utf-8"
    utf8, other = [], []
    for number, line in enumerate(content.split(b"\n"), start=1):
        if not line.isascii():
            try:
                line.decode("utf-8")
                utf8.append(number)
            except UnicodeDecodeError:
                other.append(number)
    if not other:
        return content.decode("utf-8"), encoding
    if utf8:
        raise FileRefused(
            _("The file mixes encodings: lines %(utf8)s are UTF-8, lines %(other)s are not. Save it again in UTF-8.")
            % {"utf8": _few(utf8), "other": _few(other)}
        )
    try:
        return content.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise FileRefused(
            _("Line %(line)s holds a byte that is neither UTF-8 nor Windows-1252: save the file in UTF-8.")
            % {"line": line}
        ) from None


def _few(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:5])
    return f"{shown}…" if len(numbers) > 5 else shown


def _read_csv(content: bytes, max_lines: int) -> Table:
    text, encoding = _decode(content)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        lines = list(reader)
    except csv.Error as error:
        raise FileRefused(
            _("Line %(line)s cannot be read as CSV (%(error)s).") % {"line": reader.line_num, "error": error}
        ) from None
    return _table(lines, encoding, max_lines)


def _read_xlsx(content: bytes, max_lines: int) -> Table:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileRefused(_("The file is not a readable XLSX workbook.")) from None
    try:
        sheet = book.worksheets[0]
        lines = []
        for row in sheet.iter_rows(values_only=True):
            lines.append(["" if v is None else _cell(v) for v in row])
            if len(lines) > max_lines + 1:
                break
    finally:
        book.close()
    return _table(lines, "xlsx", max_lines)


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(lines: list[list[str]], encoding: str, max_lines: int) -> Table:
    while lines and not any(c.strip() for c in lines[-1]):
        lines.pop()
    if not lines or not any(c.strip() for c in lines[0]):
        raise FileRefused(_("The file is empty, or its first line holds no column names."))
    if len(lines) - 1 > max_lines:
        raise FileRefused(_("The file has more than %(max)s lines: split it into smaller files.") % {"max": max_lines})
    header = [c.strip() for c in lines[0]]
    width = len(header)
    rows = []
    for cells in lines[1:]:
        cells = [c.strip() for c in cells]
        rows.append((cells + [""] * width)[:width] if len(cells) <= width or not any(cells[width:]) else cells)
    return Table(header=header, rows=rows, encoding=encoding)
