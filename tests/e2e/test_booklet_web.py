"""The booklet's web version on a phone (390 px): the cover photo fills the width under the top bar with no gap,
and the stay dates and every text on the office's colours pass WCAG AA contrast, even with a yellow accent."""

import datetime
import os

import pytest
from playwright.sync_api import expect

from acvs.booklet import services
from acvs.booklet.models import Branding
from acvs.booklet.printed import contrast
from tests.booklet.conftest import add_photo, offers  # noqa: F401 — fixtures
from tests.conftest import membership

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RGB = (
    "(c) => { const m = c.match(/\\d+/g).map(Number); "
    "return '#' + m.slice(0, 3).map(v => v.toString(16).padStart(2, '0')).join(''); }"
)


@pytest.fixture
def phone_booklet(agent, cavalaire, offers):  # noqa: F811
    Branding.objects.create(office=cavalaire, primary_colour="#fde047", accent_colour="#facc15")  # pale yellows
    m = membership(agent)
    booklet = services.booklet_create(membership=m, title="Votre semaine")
    for offer in offers:
        services.item_add(membership=m, booklet=booklet, offer=offer)
    return services.booklet_update(
        membership=m,
        booklet=booklet,
        version=booklet.version,
        data={"stay_start": datetime.date(2026, 7, 10), "stay_end": datetime.date(2026, 7, 17)},
    )


def colour(page, selector: str, prop: str) -> str:
    return page.locator(selector).first.evaluate(f"(e) => ({RGB})(getComputedStyle(e).{prop})")


def test_the_cover_fills_a_phone_and_every_text_on_the_branding_reads_well(page, phone_booklet, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(phone_booklet.get_public_path())
    expect(page.locator("#booklet-title")).to_be_visible()
    page.screenshot(path=os.environ.get("ACVS_SCREENSHOT", str(tmp_path / "phone.png")), full_page=False)

    top = page.locator("header.top").bounding_box()
    photo = page.locator(".cover-photo").bounding_box()
    assert photo["y"] == pytest.approx(top["y"] + top["height"], abs=0.5)  # no gap under the bar
    assert photo["x"] == pytest.approx(0, abs=0.5)
    assert photo["width"] == pytest.approx(390, abs=0.5)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    background = colour(page, "body", "backgroundColor")
    if background == "#000000":  # transparent: the page's background
        background = colour(page, "html", "backgroundColor")
    assert contrast(colour(page, ".cover .stay", "color"), background) >= 4.5
    assert contrast(colour(page, "header.top", "color"), colour(page, "header.top", "backgroundColor")) >= 4.5
    assert contrast(colour(page, ".num", "color"), colour(page, ".num", "backgroundColor")) >= 4.5
    assert contrast(colour(page, "h2", "color"), background) >= 4.5
    assert contrast(colour(page, "dl.practical dt", "color"), "#ffffff") >= 4.5
