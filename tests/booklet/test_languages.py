"""Every fixed text of a booklet in the visitor's language: headings, labels, dates, hours, prices, the photo credit,
and the office's own footer and hours as it wrote them in that language."""

import datetime
import html
import re
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from acvs.booklet import render, services
from acvs.booklet.models import LANGUAGE_CODES, Booklet, Branding
from acvs.offer.models import OpeningPeriod, Price
from tests.conftest import membership

pytestmark = pytest.mark.django_db
SITE = "http://testserver"
LOCALE = Path(render.__file__).parent / "locale"


def visible_text(markup: str) -> str:
    markup = re.sub(r"<(style|script)\b.*?</\1>", " ", markup, flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))  # keeping no-break spaces


@pytest.fixture
def stay_booklet(agent, cavalaire, booklet, offers):
    beach = offers[0]
    beach.photos.update(credit="Illustration ACVS (démo)")
    OpeningPeriod.objects.filter(offer=beach).update(weekdays=[0, 1, 2, 3, 4, 5])
    OpeningPeriod.objects.filter(offer=beach).update(opens=datetime.time(9), closes=datetime.time(19))
    Price.objects.create(offer=beach, label="Adulte", min_amount=Decimal("12.50"), unit=Price.Unit.PERSON)
    Branding.objects.create(
        office=cavalaire,
        footer_fr="Informations sous réserve",
        footer_en="Information subject to change",
        opening_hours_fr="lun.–sam. 9 h–18 h",
        opening_hours_en="Mon–Sat 9am–6pm",
    )
    services.item_update(
        membership=membership(agent), booklet=booklet, item_id=booklet.items.first().pk, day=1, note=""
    )
    return booklet


def text_nodes(markup: str) -> set[str]:
    return {" ".join(html.unescape(node).split()) for node in re.split(r"<[^>]+>", markup)} - {""}


def markup(agent, booklet, language) -> str:
    b = services.booklet_update(
        membership=membership(agent),
        booklet=booklet,
        version=Booklet.objects.get(pk=booklet.pk).version,
        data={"language": language, "stay_start": datetime.date(2026, 7, 10), "stay_end": datetime.date(2026, 7, 17)},
    )
    b = Booklet.objects.get(pk=b.pk)
    return render.pdf_html(b, site_url=SITE) + render.render_web(b, site_url=SITE)


def texts(agent, booklet, language) -> str:
    b = services.booklet_update(
        membership=membership(agent),
        booklet=booklet,
        version=Booklet.objects.get(pk=booklet.pk).version,
        data={"language": language, "stay_start": datetime.date(2026, 7, 10), "stay_end": datetime.date(2026, 7, 17)},
    )
    b = Booklet.objects.get(pk=b.pk)
    return visible_text(render.pdf_html(b, site_url=SITE)) + " " + visible_text(render.render_web(b, site_url=SITE))


def test_no_english_fixed_text_is_left_in_the_other_languages(agent, stay_booklet):
    english = text_nodes(markup(agent, stay_booklet, "en"))
    for language in ("fr", "de", "it", "es", "nl"):
        with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
            catalogue = read_po(po)
        printed = [m for m in catalogue if isinstance(m.id, str) and m.id in english]
        assert len(printed) >= 10, [m.id for m in printed]
        text = texts(agent, stay_booklet, language)
        for message in printed:
            assert message.string, f"{language}: “{message.id}” has no translation"
            if message.string != message.id:
                assert not re.search(rf"(?<!\w){re.escape(message.id)}(?!\w)", text), (language, message.id)
            if (language, message.id) != ("fr", "(text in French)"):  # French texts need no mark in French
                assert message.string in text, (language, message.string)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ["Jour 1 · vendredi 10 juillet", "lun.–sam. 9 h–19 h", "Adulte\u00a0: 12,50\u00a0€ par personne",
                "Votre séjour du 10 juillet 2026 au 17 juillet 2026", "Illustration ACVS (démo)",
                "lun.–sam. 9 h–18 h", "Informations sous réserve"]),
        ("en", ["Day 1 · Friday, July 10", "Mon–Sat 9am–7pm", "Adulte: €12.50 per person", "Parking: €5 flat rate",
                "ACVS illustration (demo)", "Mon–Sat 9am–6pm", "Information subject to change"]),
        ("de", ["Tag 1 · Freitag, 10. Juli", "Mo.–Sa. 9–19 Uhr", "Adulte: 12,50\u00a0€ pro Person",
                "Illustration ACVS (Demo)", "Ihre Auswahl auf der Karte"]),
        ("it", ["Giorno 1 · venerdì 10 luglio", "lun–sab 9–19", "Adulte: 12,50\u00a0€ a persona", "Prezzi"]),
        ("es", ["Día 1 · viernes, 10 de julio", "lun–sáb 9–19 h", "Adulte: 12,50\u00a0€ por persona", "Precios"]),
        ("nl", ["Dag 1 · vrijdag 10 juli", "ma–za 9–19 uur", "Adulte: €\u00a012,50 per persoon", "Prijzen"]),
    ],
)  # fmt: skip
def test_dates_hours_prices_and_the_office_texts_in_the_booklet_language(agent, stay_booklet, language, expected):
    text = texts(agent, stay_booklet, language)
    for snippet in expected:
        assert snippet in text, (snippet, text)
    # Hours in the short form, never the weekdays spelled out one by one.
    assert "Monday" not in text
    assert "lundi" not in text.replace("lundi ", "") or language != "fr"
    if language not in ("fr", "en"):  # the office wrote no footer in this language: the French one stands in
        assert "Informations sous réserve" in text


def test_every_booklet_language_has_a_catalogue():
    for language in LANGUAGE_CODES:
        assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists(), language


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ["Jour 1 · mardi 1er septembre", "Votre séjour du 1er septembre 2026 au 1er octobre 2026",
                "1er juin – 30 sept."]),
        ("en", ["Day 1 · Tuesday, September 1", "September 1, 2026", "October 1, 2026", "Jun 1 – Sep 30"]),
        ("de", ["Tag 1 · Dienstag, 1. September", "1. September 2026", "1. Juni – 30. Sept."]),
        ("it", ["Giorno 1 · martedì 1 settembre", "1 settembre 2026", "1 giu – 30 set"]),
        ("es", ["Día 1 · martes, 1 de septiembre", "1 de septiembre de 2026", "1 jun – 30 sept"]),
        ("nl", ["Dag 1 · dinsdag 1 september", "1 september 2026", "1 jun – 30 sep"]),
    ],
)  # fmt: skip
def test_a_french_booklet_writes_the_first_of_the_month_1er_and_only_french(agent, stay_booklet, language, expected):
    """ "le 1er octobre": the stay's dates, the days' headings and the opening periods, in the PDF and on the web."""
    b = services.booklet_update(
        membership=membership(agent),
        booklet=stay_booklet,
        version=Booklet.objects.get(pk=stay_booklet.pk).version,
        data={"language": language, "stay_start": datetime.date(2026, 9, 1), "stay_end": datetime.date(2026, 10, 1)},
    )
    b = Booklet.objects.get(pk=b.pk)
    for text in (visible_text(render.pdf_html(b, site_url=SITE)), visible_text(render.render_web(b, site_url=SITE))):
        for snippet in expected:
            assert snippet in text, (snippet, text)
        assert ("1er" in text) == (language == "fr")
        assert not re.search(r"\d1er", text)  # the 11th, 21st and 31st keep their number
