"""Stored markup in an offer's name stays text in the browser, including what JavaScript draws (map labels)."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import login
from tests.factories import OfferFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAYLOAD = "<img src=x onerror=\"document.body.dataset.xss='ran'\">Camping"


def test_map_label_and_popup_show_a_hostile_name_as_text(page, agent, cavalaire):
    offer = OfferFactory(name=PAYLOAD, owner_office=cavalaire, types=["Camping"])
    login(page, "agent", PASSWORD)
    page.goto(f"/offers/{offer.pk}/")
    expect(page.locator("#map")).to_have_attribute("data-markers", "1")

    page.locator("#map path.leaflet-interactive").hover()
    expect(page.locator(".leaflet-tooltip")).to_have_text(PAYLOAD)
    page.locator("#map path.leaflet-interactive").click()
    expect(page.locator(".leaflet-popup-content a")).to_have_text(PAYLOAD)

    assert page.locator("#map img[src='x']").count() == 0
    assert page.evaluate("document.body.dataset.xss") is None
