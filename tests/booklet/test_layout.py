"""The PDF's layout, read from WeasyPrint's boxes, in both layouts and the six languages: no QR code, picture or line
of text overlaps another, a label starts on the line of its value, no page but the last is mostly empty; the pages
render to PNG (pdftoppm)."""

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest
from weasyprint.formatting_structure import boxes

from acvs.booklet import render, services
from acvs.booklet.models import LANGUAGE_CODES, Booklet, Branding, Layout
from acvs.offer.models import OpeningPeriod, Price
from tests.conftest import membership
from tests.factories import OfferFactory

from .conftest import add_photo

pytestmark = pytest.mark.django_db
SITE = "http://testserver"
LONG = (
    "Une crique abritée aux eaux turquoise, bordée de pins parasols, où l’on vient nager au calme le matin, "
    "pique-niquer à l’ombre à midi et regarder le soleil se coucher sur les îles d’Or le soir. "
) * 3


@pytest.fixture
def full_booklet(agent, cavalaire, media):
    """Nine offers with photos, long texts, split opening hours, prices and notes, over three days."""
    Branding.objects.create(office=cavalaire, primary_colour="#0f766e", accent_colour="#facc15")
    m = membership(agent)
    booklet = services.booklet_create(membership=m, title="Une semaine sur la presqu’île")
    booklet = services.booklet_update(
        membership=m,
        booklet=booklet,
        version=booklet.version,
        data={"stay_start": datetime.date(2026, 7, 10), "stay_end": datetime.date(2026, 7, 17), "greeting": "Bonjour"},
    )
    for i in range(9):
        offer = OfferFactory(
            owner_office=cavalaire,
            name=f"Lieu numéro {i + 1} au nom assez long",
            short_description_fr="Une adresse appréciée des familles, à deux pas de la mer.",
            description_fr=LONG,
            website=f"https://lieu-{i}.example" if i % 2 else "",
            phone="+33494000000",
        )
        for opens, closes in ((datetime.time(9), datetime.time(12, 30)), (datetime.time(14), datetime.time(19))):
            OpeningPeriod.objects.create(
                offer=offer,
                start_date=datetime.date(2026, 4, 1),
                end_date=datetime.date(2026, 10, 31),
                weekdays=[0, 1, 2, 3, 4, 5],
                opens=opens,
                closes=closes,
            )
        Price.objects.create(offer=offer, label="Adulte", min_amount=Decimal("12.50"), unit=Price.Unit.PERSON)
        Price.objects.create(offer=offer, label="Enfant", min_amount=Decimal("6"), max_amount=Decimal("8"))
        add_photo(offer, media, colour=(30 + 20 * i, 120, 160))
        item = services.item_add(membership=m, booklet=booklet, offer=offer)
        note = "Réservez la veille en été, les places partent vite." if i % 3 == 0 else ""
        services.item_update(membership=m, booklet=booklet, item_id=item.pk, day=i // 3 + 1, note=note)
    return booklet


def walk(box):
    """A box and all its descendants, positioned ones included (WeasyPrint keeps those behind placeholders)."""
    box = getattr(box, "_box", box)
    yield box
    for child in getattr(box, "children", ()):
        yield from walk(child)


def leaves(page) -> list[tuple[str, float, float, float, float]]:
    """(what, x1, y1, x2, y2) of every picture and piece of text of a page's content (not its margins: footer)."""
    found = []
    for child in page._page_box.children:
        if isinstance(child, boxes.MarginBox):
            continue
        for box in walk(child):
            if isinstance(box, boxes.TextBox) and box.text.strip():
                what = f"text {box.text.strip()[:30]!r}"
            elif isinstance(box, boxes.ReplacedBox):
                what = f"image {getattr(box, 'element_tag', '')}"
            else:
                continue
            x, y = box.position_x, box.position_y
            w, h = box.margin_width(), box.margin_height()
            found.append((what, x, y, x + w, y + h))
    return found


def overlaps(items) -> list:
    """Pairs whose rectangles share more than a hairline (boxes of one line touch; they do not cross)."""
    clashes = []
    ordered = sorted(items, key=lambda b: b[2])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b[2] >= a[4] - 0.5:  # sorted by top: nothing further down reaches a
                break
            if min(a[3], b[3]) - max(a[1], b[1]) > 0.5 and min(a[4], b[4]) - max(a[2], b[2]) > 0.5:
                clashes.append((a, b))
    return clashes


def label_rows(page) -> list[tuple[float, float]]:
    """(y of a label's first line, y of its value's first line) for each row of practical information."""
    rows = []
    for box in page._page_box.descendants():
        if getattr(box, "element_tag", None) == "dt" and isinstance(box, boxes.ParentBox):
            dd = next((b for b in box_parent_cells(page, box) if getattr(b, "element_tag", None) == "dd"), None)
            first = [t for t in box.descendants() if isinstance(t, boxes.TextBox)]
            value = [t for t in dd.descendants() if isinstance(t, boxes.TextBox)] if dd else []
            if first and value:
                rows.append((first[0].position_y, value[0].position_y))
    return rows


def box_parent_cells(page, cell):
    for box in page._page_box.descendants():
        if isinstance(box, boxes.ParentBox) and any(child is cell for child in box.children):
            return box.children
    return []


@pytest.mark.parametrize("layout", [Layout.CLASSIC, Layout.MAGAZINE])
def test_nothing_overlaps_labels_align_and_no_page_is_mostly_empty(agent, full_booklet, layout):
    for language in LANGUAGE_CODES:
        services.booklet_update(
            membership=membership(agent),
            booklet=full_booklet,
            version=Booklet.objects.get(pk=full_booklet.pk).version,
            data={"language": language, "layout": layout},
        )
        document = render.render_document(Booklet.objects.get(pk=full_booklet.pk), site_url=SITE)
        pages = document.pages
        assert len(pages) >= 4, (language, len(pages))
        images = rows = 0
        for number, page in enumerate(pages, start=1):
            items = leaves(page)
            images += sum(1 for item in items if item[0].startswith("image"))
            assert overlaps(items) == [], (layout, language, number)
            for label_y, value_y in label_rows(page):
                rows += 1
                assert abs(label_y - value_y) < 1, (layout, language, number, label_y, value_y)
            if 1 < number < len(pages):  # the cover is full; the last page ends the booklet
                top = page._page_box.margin_top
                usable = page.height - top - page._page_box.margin_bottom
                lowest = max(item[4] for item in items)
                assert lowest - top >= usable / 2, f"{layout} {language}: page {number} is mostly empty"
        assert images >= 9 * 2 + 2  # a photo and a QR code per offer, the map, the booklet's QR code
        assert rows >= 9 * 3  # address, phone, hours, prices... of each offer


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm) is not installed")
@pytest.mark.parametrize("layout", [Layout.CLASSIC, Layout.MAGAZINE])
def test_the_pdf_renders_to_images_page_by_page(agent, full_booklet, layout, tmp_path):
    from PIL import Image

    services.booklet_update(
        membership=membership(agent),
        booklet=full_booklet,
        version=full_booklet.version,
        data={"language": "en", "layout": layout},
    )
    document = render.render_document(Booklet.objects.get(pk=full_booklet.pk), site_url=SITE)
    (tmp_path / "booklet.pdf").write_bytes(document.write_pdf())
    subprocess.run(["pdftoppm", "-r", "30", "-png", tmp_path / "booklet.pdf", tmp_path / "page"], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == len(document.pages)
    for png in pngs:
        with Image.open(png) as image:
            assert abs(image.width - 248) <= 1  # A4 at 30 dpi
            assert abs(image.height - 351) <= 1
            assert len(image.convert("L").getcolors(256)) > 8  # something is drawn on every page
