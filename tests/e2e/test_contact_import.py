"""A contact file imported in the browser: upload, columns, dry run, a bad line left out, the commit, the contacts."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from acvs.contacts.models import Contact
from tests.conftest import PASSWORD
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FILE = Path(__file__).parent.parent / "data" / "contacts_import" / "bad_line.csv"
SHOTS = os.environ.get("ACVS_SCREENSHOTS")  # a folder to look at the pages in


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_agent_imports_a_file_leaving_a_bad_line_out(page, agent, cavalaire):
    login(page, "agent", PASSWORD)
    page.goto("/contacts/")
    page.get_by_role("button", name="Importer", exact=True).click()
    page.locator("#id_file").set_input_files(FILE)
    page.locator("#id_source").fill("Salon du randonneur")
    shot(page, "import-start")
    page.get_by_role("button", name="Lire le fichier").click()
    expect(page.get_by_role("heading", name="Colonnes de bad_line.csv")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("email")
    expect(page.get_by_label("Pays")).to_have_value("country")
    shot(page, "import-mapping")
    page.get_by_role("button", name="Vérifier le fichier (essai à blanc)").click()

    report = page.locator("#import-report")
    expect(report.locator("#line-3")).to_contain_text("Adresse de courriel non valide : pas-un-email.")
    expect(report.locator("#line-4")).to_contain_text("Pays inconnu : Atlantide.")
    expect(page.locator("#import-counts")).to_contain_text("2 lignes refusées")
    expect(page.locator("#commit-form")).to_have_count(0)  # nothing can be imported yet
    shot(page, "import-refused")
    page.get_by_label("Écarter la ligne 3").check()
    page.get_by_label("Écarter la ligne 4").check()
    page.get_by_role("button", name="Vérifier à nouveau sans les lignes cochées").click()
    expect(page.locator("#import-counts")).to_contain_text("2 lignes écartées")
    expect(report.locator("#line-3")).to_contain_text("écartée")
    assert Contact.objects.count() == 0

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Importer 2 lignes").click()
    expect(page.get_by_text("Le fichier a été importé.")).to_be_visible()
    shot(page, "import-done")
    page.locator("#import-report").get_by_role("link", name="Anne Lefèvre").click()
    expect(page.get_by_role("heading", name="Anne Lefèvre")).to_be_visible()
    page.goto("/contacts/")
    expect(page.locator("#contact-list tbody tr")).to_have_count(2)
    expect(page.locator("#contact-list")).to_contain_text("Dora")
    assert sorted(Contact.objects.values_list("name", flat=True)) == ["Anne Lefèvre", "Dora"]
