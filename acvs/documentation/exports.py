"""CSV and XLSX exports of an office's stock and movements (the lists' filters applied)."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def stock_table(documents) -> tuple[list[str], list[list]]:
    header = [
        _("Document"), _("Publisher"), _("Language"), _("Edition year"), _("Counter"), _("Storeroom"), _("Total"),
        _("Alert threshold"), _("To reorder"),
    ]  # fmt: skip
    rows = [
        [
            d.title,
            d.publisher_label,
            d.language,
            d.edition_year or "",
            d.at_counter,
            d.in_storeroom,
            d.in_stock,
            d.threshold,
            _("yes") if d.threshold and d.in_stock <= d.threshold else "",
        ]  # fmt: skip
        for d in documents
    ]
    return header, rows


def movements_table(movements) -> tuple[list[str], list[list]]:
    header = [
        _("Date"), _("Document"), _("Language"), _("Place"), _("Movement"), _("Quantity"), _("Balance after"), _("By"),
        _("Other office"), _("Order"), _("Reason"),
    ]  # fmt: skip
    rows = [
        [
            timezone.localtime(m.at).strftime("%Y-%m-%d %H:%M"),
            m.document.title,
            m.document.language,
            m.get_place_display(),
            m.get_kind_display(),
            m.quantity,
            m.balance_after,
            m.user.get_full_name() or m.user.username if m.user else "",
            m.counterpart.name if m.counterpart else "",
            m.order_id or "",
            m.reason_label,
        ]  # fmt: skip
        for m in movements
    ]
    return header, rows


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
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
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
