"""CSV and XLSX files of a table (a header and rows), answered as a download. Text cells that a spreadsheet would
read as a formula are neutralised: an export never carries an executable formula."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _safe(value):
    """Neutralise spreadsheet formulas typed into text fields (CSV injection; OWASP's list of leading characters)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows([[_safe(v) for v in row] for row in rows])
    # The BOM makes spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(header, rows, title: str) -> bytes:
    return as_workbook([(title, header, rows)])


def as_workbook(sheets) -> bytes:
    """One sheet per (title, header, rows), in this order."""
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_safe(v) for v in row])
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def response(fmt: str, name: str, header, rows) -> HttpResponse:
    content = as_csv(header, rows) if fmt == "csv" else as_xlsx(header, rows, name)
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    reply = HttpResponse(content, content_type=FORMATS[fmt])
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    return reply
