"""Rendering of a booklet: one context shared by the PDF (WeasyPrint) and the web version, the map, the QR codes.

Everything a booklet shows is read in a fixed number of queries (no N+1), texts are taken in the booklet's language
with a visible fallback to French, and WeasyPrint reads stylesheets and pictures from disk only (never the network).
"""

import base64
import datetime
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from acvs.network.models import Commune
from acvs.offer.models import OfferPhoto, OpeningPeriod, Price, Status
from acvs.offer.thumbnails import thumbnail

from . import mapdraw, printed, selectors
from .models import Booklet, Branding


@dataclass
class Entry:
    """One offer as the booklet shows it."""

    number: int
    item: object
    offer: object
    short: str
    description: str
    fallback: bool
    periods: list
    closed_during_stay: bool
    prices: list
    photo: object | None
    photo_file: str = ""  # file:// URI of the thumbnail, for WeasyPrint
    photo_url: str = ""  # /media/... of the thumbnail, for the web
    photo_credit: str = ""
    link: str = ""  # where the QR code leads
    qr: str = ""  # data: URI of the QR code (PDF only)
    phone: str = ""
    hours: list = field(default_factory=list)  # opening hours in the short local form, one line per date range
    price_lines: list = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"offer-{self.offer.pk}"


@dataclass
class Day:
    number: int | None
    date: datetime.date | None
    date_text: str = ""  # in the booklet's language
    entries: list = field(default_factory=list)

    @property
    def pairs(self) -> list[list]:
        """The entries two by two: the magazine layout's rows, kept whole on a page."""
        return [self.entries[i : i + 2] for i in range(0, len(self.entries), 2)]


# Texts ---------------------------------------------------------------------------------------------------------


def offer_texts(offer, language: str) -> tuple[str, str, bool]:
    """(short description, description, fell back to French) in `language`."""
    short = getattr(offer, f"short_description_{language}", "") or ""
    long = getattr(offer, f"description_{language}", "") or ""
    if short or long or language == "fr":
        return short, long, False
    short = offer.short_description_fr or ""
    long = offer.description_fr or ""
    return short, long, bool(short or long)


def _overlaps(start, end, first, last) -> bool:
    return (start is None or last is None or start <= last) and (end is None or first is None or end >= first)


def stay_periods(offer, stay_start, stay_end) -> tuple[list, bool]:
    """Opening periods during the stay (or from today without stay dates); True when none falls in the stay."""
    periods = list(offer.periods.all())
    if stay_start or stay_end:
        first, last = stay_start or stay_end, stay_end or stay_start
        kept = [p for p in periods if p.start_date <= last and p.end_date >= first]
        return kept, bool(periods) and not kept
    today = timezone.localdate()
    return [p for p in periods if p.end_date >= today][:6], False


def stay_prices(offer, stay_start, stay_end) -> list:
    return [p for p in offer.prices.all() if _overlaps(p.valid_from, p.valid_to, stay_start, stay_end)]


# Pictures ------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def qr_data_uri(url: str) -> str:
    """A PNG QR code (WeasyPrint draws raster images far faster than SVG paths)."""
    return segno.make(url, error="m").png_data_uri(scale=5, border=0)


# Map -----------------------------------------------------------------------------------------------------------


def nearby_communes(points, department_ids) -> list:
    """Communes around the places, the most populated first, to name the surroundings on the map."""
    if not points:
        return []
    lats = [p[1] for p in points]
    lons = [p[2] for p in points]
    pad_lat = max((max(lats) - min(lats)) * 0.6, 0.06)
    pad_lon = max((max(lons) - min(lons)) * 0.6, 0.08)
    return list(
        Commune.objects.filter(
            department_id__in=department_ids,
            latitude__range=(min(lats) - pad_lat, max(lats) + pad_lat),
            longitude__range=(min(lons) - pad_lon, max(lons) + pad_lon),
        )
        .only("name", "latitude", "longitude")
        .order_by("-population")[:30]
    )


# Context -------------------------------------------------------------------------------------------------------


def items_with_offers(booklet: Booklet) -> list:
    """The booklet's offers still published (an offer withdrawn since leaves the PDF and the web version)."""
    return list(
        selectors.booklet_items(booklet)
        .filter(offer__status=Status.PUBLISHED)
        .prefetch_related(
            Prefetch("offer__periods", queryset=OpeningPeriod.objects.order_by("start_date", "opens")),
            Prefetch("offer__prices", queryset=Price.objects.order_by("min_amount")),
            Prefetch("offer__photos", queryset=OfferPhoto.objects.order_by("position", "id")),
        )
    )


def group_by_day(items: list) -> list[tuple[int | None, list]]:
    """Items in display order: the days in order (by position within a day), then the items without a day."""
    days = sorted({i.day for i in items if i.day})
    groups = [(d, [i for i in items if i.day == d]) for d in days]
    rest = [i for i in items if not i.day]
    if rest:
        groups.append((None, rest))
    return groups


def _branding(office) -> Branding:
    return Branding.objects.filter(office=office).first() or Branding(office=office)


def colours_of(office) -> dict:
    """The office's booklet colours and the text colours readable on them (in its scope)."""
    branding = _branding(office)
    return printed.palette(branding.primary_colour, branding.accent_colour)


def booklet_context(booklet: Booklet, *, site_url: str, for_pdf: bool) -> dict:
    """Everything the PDF and web templates show. Call inside translation.override(booklet.language)."""
    office = booklet.office
    branding = _branding(office)
    items = items_with_offers(booklet)
    public_url = site_url.rstrip("/") + booklet.get_public_path()
    days, points, number = [], [], 0
    for day_number, group in group_by_day(items):
        day = Day(
            number=day_number,
            date=booklet.stay_start + datetime.timedelta(days=day_number - 1)
            if day_number and booklet.stay_start
            else None,
        )
        if day.date:
            day.date_text = printed.day_date(day.date, booklet.language)
        for item in group:
            number += 1
            offer = item.offer
            short, description, fallback = offer_texts(offer, booklet.language)
            periods, closed = stay_periods(offer, booklet.stay_start, booklet.stay_end)
            photos = list(offer.photos.all())
            entry = Entry(
                number=number,
                item=item,
                offer=offer,
                short=short,
                description=description,
                fallback=fallback,
                periods=periods,
                closed_during_stay=closed,
                prices=stay_prices(offer, booklet.stay_start, booklet.stay_end),
                photo=photos[0] if photos else None,
                phone=offer.phone.as_international if offer.phone else "",
            )
            entry.hours = printed.hours_lines(
                periods, booklet.language, stay_start=booklet.stay_start, stay_end=booklet.stay_end
            )
            entry.price_lines = [printed.price_line(p, booklet.language) for p in entry.prices]
            entry.link = offer.website or f"{public_url}#{entry.anchor}"
            if entry.photo:
                entry.photo_credit = printed.photo_credit(entry.photo.credit)
                thumb = thumbnail(entry.photo)
                if thumb:
                    entry.photo_file, entry.photo_url = thumb[0].as_uri(), thumb[1]
            if for_pdf:
                entry.qr = qr_data_uri(entry.link)
            day.entries.append(entry)
            points.append((number, offer.latitude, offer.longitude))
        days.append(day)
    departments = {i.offer.commune.department_id for i in items}
    communes = nearby_communes(points, departments) if points else []
    entries = [e for d in days for e in d.entries]
    logo_file = logo_url = ""
    if office.logo:
        try:
            path = Path(office.logo.path)
            if path.exists():
                logo_file, logo_url = path.as_uri(), office.logo.url
        except (ValueError, NotImplementedError):
            pass
    cover = next((e for e in entries if e.photo_file), None)
    colours = printed.palette(branding.primary_colour, branding.accent_colour)
    svg = mapdraw.map_svg(points, communes, colours)
    return {
        "booklet": booklet,
        "office": office,
        "branding": branding,
        "colours": colours,
        "stay_start": printed.long_date(booklet.stay_start, booklet.language) if booklet.stay_start else "",
        "stay_end": printed.long_date(booklet.stay_end, booklet.language) if booklet.stay_end else "",
        "days": days,
        "entries": entries,
        "has_days": any(d.number for d in days),
        # Inline on the web; an image in the PDF (WeasyPrint lays out inline SVG text twice as slowly as the page).
        "map": svg,
        "map_uri": ("data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()) if for_pdf and svg else "",
        "public_url": public_url,
        "booklet_qr": qr_data_uri(public_url) if for_pdf else "",
        "logo_file": logo_file,
        "logo_url": logo_url,
        "cover": cover,
        "layout": booklet.layout,
        "language": booklet.language,
        "for_pdf": for_pdf,
    }


# Output --------------------------------------------------------------------------------------------------------


@lru_cache
def _static_path(name: str) -> Path:
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(name)
    return Path(found)


def stylesheet(name: str) -> str:
    return _static_path(name).read_text(encoding="utf-8")


def render_web(booklet: Booklet, *, site_url: str, preview: bool = False, request=None) -> str:
    """The web version; the request, when there is one, is the template's (its colours come from their own stylesheet,
    booklet:public_colours)."""
    with translation.override(booklet.language):
        context = booklet_context(booklet, site_url=site_url, for_pdf=False)
        context["preview"] = preview
        return render_to_string("booklet/web.html", context, request=request)


def pdf_html(booklet: Booklet, *, site_url: str) -> str:
    with translation.override(booklet.language):
        context = booklet_context(booklet, site_url=site_url, for_pdf=True)
        context["css"] = mark_safe(  # noqa: S308 — our own stylesheets
            stylesheet("booklet/pdf.css") + "\n" + stylesheet(f"booklet/pdf-{booklet.layout}.css")
        )
        return render_to_string("booklet/pdf.html", context)


def _local_roots() -> list[Path]:
    roots = [Path(settings.MEDIA_ROOT).resolve(), Path(settings.STATIC_ROOT).resolve()]
    roots += [Path(d).resolve() for d in settings.STATICFILES_DIRS]
    roots.append((Path(__file__).parent / "static").resolve())
    return roots


def url_fetcher():
    """WeasyPrint may read pictures and stylesheets from the media and static folders only: no HTTP, no other file."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    roots = _local_roots()

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in roots):
                    raise ValueError(f"Refused to read {path}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols={"file", "data"}, timeout=5)


def render_document(booklet: Booklet, *, site_url: str):
    """The laid-out booklet (a WeasyPrint Document: its pages and boxes, then the PDF)."""
    from weasyprint import HTML

    html = pdf_html(booklet, site_url=site_url)
    base = Path(settings.MEDIA_ROOT).resolve().as_uri() + "/"
    return HTML(string=html, base_url=base, url_fetcher=url_fetcher()).render()


def render_pdf(booklet: Booklet, *, site_url: str) -> bytes:
    return render_document(booklet, site_url=site_url).write_pdf()


def pdf_filename(booklet: Booklet) -> str:
    slug = slugify(booklet.title)[:60] or "booklet"
    return f"{slug}-{booklet.pk}.pdf"
