"""The htmx interactions that no other journey drives, run under the Content-Security-Policy (the e2e conftest
fails a test on any violation): verifying an offer from the home page, browsing and setting availability, and the
office form reloading the communes of another département."""

import datetime

import pytest
from playwright.sync_api import expect

from acvs.availability.models import AvailabilityNight
from tests.conftest import PASSWORD
from tests.e2e.conftest import login
from tests.factories import OfferFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SETTLED = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"


def test_home_verification_and_availability_are_swapped_in_place(page, agent, cavalaire):
    hotel = OfferFactory(name="Hôtel Les Pins", owner_office=cavalaire, verified_at=None)
    login(page, "agent", PASSWORD)
    page.get_by_role("button", name="Vérifié, rien n’a changé").click()
    expect(page.locator("td[role=status]")).to_have_text("« Hôtel Les Pins » : vérification enregistrée.")
    hotel.refresh_from_db()
    assert hotel.verified_at is not None

    page.goto(f"/offers/{hotel.pk}/")
    caption = page.locator("#availability caption").first
    month = caption.inner_text()
    page.locator("#availability-next").click()
    expect(caption).not_to_have_text(month)
    page.wait_for_function(SETTLED)
    night = (datetime.date.today().replace(day=28) + datetime.timedelta(days=4)).replace(day=10)  # next month's
    for label in ("Première nuit", "Dernière nuit"):
        page.get_by_label(label).fill(night.isoformat())
        expect(page.get_by_label(label)).to_have_value(night.isoformat())
    page.get_by_label("État").select_option("full")
    page.get_by_role("button", name="Enregistrer les disponibilités").click()
    expect(page.locator(f'#availability td[data-night="{night.isoformat()}"]')).to_have_attribute("data-state", "full")
    assert list(AvailabilityNight.objects.filter(offer=hotel).values_list("night", "state")) == [(night, "full")]


def test_the_office_form_reloads_the_communes_of_another_departement(page, network_admin, ahp):
    login(page, "netadmin", PASSWORD)
    page.goto("/network/offices/new/")
    page.get_by_label("Département").select_option(str(ahp.pk))
    expect(page.locator("#territory-picker")).to_contain_text("Gréoux-les-Bains")
    expect(page.locator("#territory-picker")).not_to_contain_text("Cavalaire-sur-Mer")
