"""The prospect file in the browser: a contact typed in, consent given then withdrawn, found again by a filter."""

import pytest
from playwright.sync_api import expect

from acvs.contacts.models import ConsentEvent, Contact
from acvs.desk.models import Theme
from acvs.desk.reference import ensure_themes
from tests.conftest import PASSWORD
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_agent_creates_a_contact_gives_and_withdraws_consent_then_filters(page, agent, cavalaire):
    ensure_themes(Theme)
    login(page, "agent", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Contacts", exact=True).click()
    page.wait_for_url("**/contacts/")
    page.get_by_role("button", name="Nouveau contact").click()
    page.get_by_label("Nom", exact=True).fill("Anna Schmidt")
    page.get_by_label("Courriels").fill("pas-un-courriel")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Adresse de courriel non valide : pas-un-courriel.")).to_be_visible()
    page.get_by_label("Courriels").fill("Anna@Example.de")
    page.locator("#id_commune").fill("83240")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Anna Schmidt")).to_be_visible()
    expect(page.locator("#contact-facts")).to_contain_text("anna@example.de")

    row = page.locator("#consent-newsletter")
    row.get_by_role("button", name="Donner").click()
    expect(page.locator("#consent-newsletter")).to_contain_text("Donné")
    page.locator("#consent-newsletter").get_by_role("button", name="Retirer").click()
    expect(page.locator("#consent-newsletter")).to_contain_text("Retiré")
    contact = Contact.objects.get()
    assert list(ConsentEvent.objects.filter(contact=contact).order_by("at").values_list("given", flat=True)) == [
        True,
        False,
    ]

    page.goto("/contacts/")
    page.get_by_label("Recherche").fill("anna@")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("#contact-list tbody tr")).to_have_count(1)
    page.get_by_label("Nom du segment").fill("Anna")
    page.get_by_role("button", name="Enregistrer ces filtres comme segment").click()
    expect(page.get_by_role("link", name="Anna", exact=True)).to_be_visible()
