"""Exports of a selection of offers (a search's results, or one offer): a registry of formats.

The offer app registers the spreadsheets (CSV, XLSX); a higher app registers its own formats in its
`AppConfig.ready()` (interop: DATAtourisme Turtle and JSON-LD). The search page and an offer's page offer every
registered format; the views (`export_views.py`) read the selection through the one search interface.

An export holds what offers publish, never an office's private data nor who verified an offer.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from acvs.core import exports as files

from .models import Offer
from .search import OfferQuery, offers_search


@dataclass(frozen=True)
class Export:
    code: str  # in the address: /offers/export/<code>/
    label: str
    content_type: str
    extension: str
    # (offers, absolute base URL of the site) -> the file's bytes
    render: Callable[[list[Offer], str], bytes]
    # Its own prefetch (the spreadsheet reads types and labels; DATAtourisme more).
    prefetch: tuple[str, ...] = ()
    # The name of the setting that caps a selection in this format, when it is slower than the spreadsheets.
    cap_setting: str = "ACVS_EXPORT_MAX_OFFERS"

    @property
    def cap(self) -> int:
        return min(settings.ACVS_EXPORT_MAX_OFFERS, getattr(settings, self.cap_setting))


_REGISTRY: dict[str, Export] = {}


def register(export: Export) -> None:
    _REGISTRY[export.code] = export


def get(code: str) -> Export | None:
    return _REGISTRY.get(code)


def available() -> list[Export]:
    return list(_REGISTRY.values())


class TooMany(Exception):
    """The selection holds more offers than one export may carry (ACVS_EXPORT_MAX_OFFERS)."""

    def __init__(self, cap: int):
        super().__init__(cap)
        self.cap = cap


def selection(query: OfferQuery, export: Export) -> list[Offer]:
    """The offers of a search, in its order, with what the format reads; more than the cap raises `TooMany`."""
    cap = export.cap
    ids = list(offers_search(query).values_list("pk", flat=True)[: cap + 1])
    if len(ids) > cap:
        raise TooMany(cap)
    rows = {o.pk: o for o in _rows(Offer.objects.filter(pk__in=ids), export)}
    return [rows[pk] for pk in ids]


def one(offer: Offer, export: Export) -> list[Offer]:
    return list(_rows(Offer.objects.filter(pk=offer.pk), export))


def _rows(qs: QuerySet[Offer], export: Export) -> QuerySet[Offer]:
    return qs.select_related("commune", "owner_office").prefetch_related(*export.prefetch)


# The spreadsheets --------------------------------------------------------------------------------------------------

HEADER = (
    _("Name"),
    _("Type"),
    _("Commune"),
    _("INSEE code"),
    _("Address"),
    _("Postcode"),
    _("Phone"),
    _("Email"),
    _("Website"),
    _("Labels and classifications"),
    _("Capacity (persons)"),
    _("Capacity (units)"),
    _("Unit"),
    _("Last verified"),
    _("Owning office"),
    _("Status"),
    _("Latitude"),
    _("Longitude"),
)


def spreadsheet_rows(offers: Iterable[Offer]) -> list[list]:
    return [
        [
            o.name,
            ", ".join(t.label for t in o.types.all()),
            o.commune.name,
            o.commune.insee,
            o.address,
            o.postcode,
            _phone(o.phone),
            o.email,
            o.website,
            ", ".join(label.name for label in o.labels.all()),
            o.capacity_persons,
            o.capacity_units,
            o.get_capacity_unit_display() if o.capacity_unit else "",
            o.verified_at.date() if o.verified_at else None,
            o.owner_office.name,
            o.get_status_display(),
            o.latitude,
            o.longitude,
        ]
        for o in offers
    ]


def _phone(number) -> str:
    """French numbers as French people write them; others in the international form (which a spreadsheet keeps as
    text only with the formula guard's quote)."""
    if not number:
        return ""
    return number.as_national if number.country_code == 33 else number.as_international


def _spreadsheet(fmt: str) -> Callable[[list[Offer], str], bytes]:
    def render(offers: list[Offer], base_url: str) -> bytes:
        header = [str(h) for h in HEADER]
        rows = spreadsheet_rows(offers)
        return files.as_csv(header, rows) if fmt == "csv" else files.as_xlsx(header, rows, str(_("Offers")))

    return render


register(Export("csv", "CSV", files.FORMATS["csv"], "csv", _spreadsheet("csv"), ("types", "labels")))
register(Export("xlsx", _("Excel (XLSX)"), files.FORMATS["xlsx"], "xlsx", _spreadsheet("xlsx"), ("types", "labels")))
