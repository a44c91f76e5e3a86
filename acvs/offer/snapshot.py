"""A readable picture of an offer, compared before and after a change to fill the history."""

import functools

from django.utils.formats import number_format
from django.utils.translation import get_language

from acvs.core import french

from .models import Offer

SCALAR_FIELDS = [
    "name", "status", "owner_office", "provider",
    "short_description_fr", "short_description_en", "short_description_de", "short_description_it",
    "short_description_es", "short_description_nl",
    "description_fr", "description_en", "description_de", "description_it", "description_es", "description_nl",
    "address", "postcode", "commune", "latitude", "longitude", "phone", "email", "website",
    "capacity_persons", "capacity_units", "capacity_unit", "languages", "pets",
]  # fmt: skip


def _display(offer: Offer, name: str) -> str:
    field = Offer._meta.get_field(name)
    value = getattr(offer, name)
    if value in (None, "", []):
        return ""
    if field.choices:
        return str(getattr(offer, f"get_{name}_display")())
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def period_text(p) -> str:
    """An opening period in words: its dates, days, hours and note."""
    days = ", ".join(p.weekday_labels) if p.weekdays else ""
    hours = f" {p.opens:%H:%M}–{p.closes:%H:%M}" if p.opens and p.closes else ""
    note = f" ({p.note})" if p.note else ""
    return f"{french.day(p.start_date)} → {french.day(p.end_date)} {days}{hours}{note}".strip()


def price_text(p) -> str:
    """A price in words: its label, amount or range, and unit."""
    amount = number_format(p.min_amount, 2)
    if p.max_amount is not None and p.max_amount != p.min_amount:
        amount += f"–{number_format(p.max_amount, 2)}"
    return f"{p.label}: {amount} € {p.get_unit_display()}"


@functools.cache
def _labels(language: str | None) -> dict[str, str]:
    """The snapshot's field labels in a language (an import takes thousands of snapshots)."""
    names = [*SCALAR_FIELDS, "types", "labels", "features"]
    labels = {name: str(Offer._meta.get_field(name).verbose_name) for name in names}
    for name in ("periods", "prices"):
        labels[name] = str(Offer._meta.get_field(name).related_model._meta.verbose_name_plural)
    return labels


def offer_snapshot(offer: Offer) -> dict[str, tuple[str, str]]:
    """{field: (label, displayed value)}; collections are rendered one item per line."""
    labels = _labels(get_language())
    snap = {name: (labels[name], _display(offer, name)) for name in SCALAR_FIELDS}
    for name in ("types", "labels", "features"):
        snap[name] = (labels[name], "\n".join(sorted(str(x) for x in getattr(offer, name).all())))
    snap["periods"] = (labels["periods"], "\n".join(period_text(p) for p in offer.periods.all()))
    snap["prices"] = (labels["prices"], "\n".join(price_text(p) for p in offer.prices.all()))
    return snap
