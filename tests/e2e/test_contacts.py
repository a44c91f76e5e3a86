"""The prospect file in the browser: a contact typed in, consent given then withdrawn, found again by a filter."""

import pytest
from django.db import connection
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
    row.get_by_label("La personne est en face de moi").check()
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


def test_a_search_with_more_matches_than_the_cap_says_its_total_is_an_estimate(page, agent, cavalaire, settings):
    settings.ACVS_CONTACT_EXACT_COUNT_MAX = 3
    Contact.objects.bulk_create(Contact(office=cavalaire, name=f"Anna Schmidt {i:02}") for i in range(30))
    if connection.vendor == "postgresql":  # the planner's estimate decides there: statistics as autovacuum keeps them
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE contacts_contact; ANALYZE contacts_contactemail")
    login(page, "agent", PASSWORD)
    page.goto("/contacts/?q=schmidt")
    expect(page.locator("#count-approximate")).to_contain_text("trop de résultats pour les compter exactement")
    expect(page.locator("#contact-list tbody tr")).to_have_count(25)
    page.screenshot(path=str(settings.BASE_DIR / "var" / "contacts-estimate.png"), full_page=True)
    page.get_by_role("link", name="Suivant").click()
    expect(page.locator("#contact-list tbody tr")).to_have_count(5)
    expect(page.get_by_role("link", name="Suivant")).to_have_count(0)
    expect(page.get_by_role("link", name="Précédent")).to_be_visible()
