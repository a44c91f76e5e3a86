import datetime
import io
import re

import pytest
from pypdf import PdfReader

from acvs.booklet import render, services
from acvs.booklet.models import Booklet
from tests.conftest import membership

pytestmark = pytest.mark.django_db
SITE = "http://testserver"


def pdf_text(booklet) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(render.render_pdf(Booklet.objects.get(pk=booklet.pk), site_url=SITE)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), len(reader.pages)


def set_language(agent, booklet, language, **extra):
    return services.booklet_update(
        membership=membership(agent), booklet=booklet, version=booklet.version, data={"language": language, **extra}
    )


def test_english_pdf_has_the_offers_english_texts_and_marks_the_french_fallback(agent, booklet):
    set_language(agent, booklet, "en", stay_start=datetime.date(2026, 7, 10), stay_end=datetime.date(2026, 7, 17))
    text, pages = pdf_text(booklet)

    for name in ("Plage de Bonporteau", "Musée de la Mer", "Sentier du Littoral"):
        assert name in text
    assert "A sheltered cove with turquoise water." in text
    assert "Une crique abritée" not in text
    # The museum has no English text: the French one, marked.
    fallback = re.search(r"Les épaves de la baie racontées aux enfants\. \(text in French\)", text)
    assert fallback, text
    assert text.count("(text in French)") == 1
    # The booklet's own headings are in English too.
    assert "Your selection on the map" in text
    # Practical information for the stay: the beach is open in July, its parking price; the museum is not.
    assert "Parking: €5" in text  # the English form of a price
    assert "Not open during your stay, as far as we know." in text
    # Cover, map, entries, office: a few pages, not one per line.
    assert 3 <= pages <= 8


def test_french_pdf_has_the_french_texts_without_fallback_mark(agent, booklet):
    text, _pages = pdf_text(booklet)
    assert "Une crique abritée aux eaux turquoise." in text
    assert "A sheltered cove" not in text
    assert "(text in French)" not in text
    assert "(texte en français)" not in text


def test_the_two_layouts_are_different_pdfs_with_the_same_offers(agent, booklet):
    classic = render.pdf_html(Booklet.objects.get(pk=booklet.pk), site_url=SITE)
    set_language(agent, booklet, "fr", layout="magazine")
    magazine = render.pdf_html(Booklet.objects.get(pk=booklet.pk), site_url=SITE)
    assert 'class="layout-classic"' in classic
    assert ".layout-classic .photo img" in classic
    assert 'class="layout-magazine"' in magazine
    assert ".layout-magazine .pair" in magazine
    text, _pages = pdf_text(booklet)
    assert "Sentier du Littoral" in text


def test_days_group_the_offers_in_day_order_with_the_date(agent, booklet):
    m = membership(agent)
    set_language(agent, booklet, "en", stay_start=datetime.date(2026, 7, 10), stay_end=datetime.date(2026, 7, 17))
    items = {i.offer.name: i for i in booklet.items.select_related("offer")}
    services.item_update(membership=m, booklet=booklet, item_id=items["Plage de Bonporteau"].pk, day=2, note="")
    services.item_update(
        membership=m, booklet=booklet, item_id=items["Sentier du Littoral"].pk, day=1, note="Start at dawn."
    )
    context = render.booklet_context(Booklet.objects.get(pk=booklet.pk), site_url=SITE, for_pdf=False)
    assert [(d.number, [e.offer.name for e in d.entries]) for d in context["days"]] == [
        (1, ["Sentier du Littoral"]),
        (2, ["Plage de Bonporteau"]),
        (None, ["Musée de la Mer"]),
    ]
    assert context["days"][1].date == datetime.date(2026, 7, 11)
    # The map's numbers follow the same order as the list.
    assert [e.number for e in context["entries"]] == [1, 2, 3]
    html = render.render_web(Booklet.objects.get(pk=booklet.pk), site_url=SITE)
    assert "Start at dawn." in html
    assert html.index("Sentier du Littoral") < html.index("Plage de Bonporteau") < html.index("Musée de la Mer")


def test_qr_codes_lead_to_the_offers_website_or_the_web_version(booklet):
    context = render.booklet_context(Booklet.objects.get(pk=booklet.pk), site_url=SITE, for_pdf=True)
    links = {e.offer.name: e.link for e in context["entries"]}
    assert links["Plage de Bonporteau"] == "https://bonporteau.example"
    museum = next(e for e in context["entries"] if e.offer.name == "Musée de la Mer")
    assert links["Musée de la Mer"] == f"{SITE}/booklets/b/{booklet.token}/#offer-{museum.offer.pk}"
    assert all(e.qr.startswith("data:image/png;base64,") for e in context["entries"])


def test_weasyprint_reads_no_file_outside_media_and_static(settings):
    fetcher = render.url_fetcher()
    with pytest.raises(ValueError, match="Refused to read /etc/passwd"):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("http://example.org/logo.png")


def test_rendering_reads_a_fixed_number_of_queries(agent, booklet, offers, django_assert_max_num_queries):
    loaded = Booklet.objects.select_related("office").get(pk=booklet.pk)
    with django_assert_max_num_queries(8):
        render.render_web(loaded, site_url=SITE)
