"""The tables of an office's stock and movements for their exports (the lists' filters applied; the files are made
by core.exports)."""

from django.utils import timezone
from django.utils.translation import gettext as _


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
