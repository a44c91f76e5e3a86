"""A readable picture of an offer, compared before and after a change to fill the history."""

from django.utils.formats import number_format

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


def offer_snapshot(offer: Offer) -> dict[str, tuple[str, str]]:
    """{field: (label, displayed value)}; collections are rendered one item per line."""
    snap = {name: (str(Offer._meta.get_field(name).verbose_name), _display(offer, name)) for name in SCALAR_FIELDS}
    snap["types"] = (
        str(Offer._meta.get_field("types").verbose_name),
        "\n".join(sorted(str(t) for t in offer.types.all())),
    )
    snap["labels"] = (
        str(Offer._meta.get_field("labels").verbose_name),
        "\n".join(sorted(str(x) for x in offer.labels.all())),
    )
    snap["features"] = (
        str(Offer._meta.get_field("features").verbose_name),
        "\n".join(sorted(str(x) for x in offer.features.all())),
    )
    snap["periods"] = (
        str(offer.periods.model._meta.verbose_name_plural),
        "\n".join(period_text(p) for p in offer.periods.all()),
    )
    snap["prices"] = (
        str(offer.prices.model._meta.verbose_name_plural),
        "\n".join(price_text(p) for p in offer.prices.all()),
    )
    return snap
