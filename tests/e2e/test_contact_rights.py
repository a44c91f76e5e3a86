"""A person's rights in the browser: the manager opens a contact, downloads its JSON and PDF exports, erases it after
typing its name, sees the report; the booklet's public link then answers 410 with a kind page."""

import io
import json
import os

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from acvs.contacts.models import AccessLog, Contact
from tests.conftest import PASSWORD
from tests.contacts.rights_world import EMAIL, ZEB, make_person
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("ACVS_SCREENSHOTS", "")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_manager_exports_then_erases_a_contact_and_the_booklet_link_is_gone(page, agent, manager, cavalaire):
    person = make_person(agent, cavalaire)
    login(page, "manager", PASSWORD)
    page.goto(f"/contacts/{person.contact.pk}/")
    expect(page.get_by_role("heading", name=ZEB)).to_be_visible()
    shot(page, "contact")

    with page.expect_download() as download:
        page.get_by_role("button", name="Exporter (JSON)").click()
    exported = json.loads(open(download.value.path(), encoding="utf-8").read())  # noqa: SIM115
    assert exported["data"]["contact"]["contacts.ContactEmail"][0]["email"] == EMAIL
    with page.expect_download(timeout=60_000) as download:  # WeasyPrint's first document loads its fonts
        page.get_by_role("button", name="Exporter (PDF)").click()
    pdf = open(download.value.path(), "rb").read()  # noqa: SIM115
    assert ZEB in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    if SHOTS:
        open(f"{SHOTS}/export.pdf", "wb").write(pdf)  # noqa: SIM115

    page.get_by_role("button", name="Effacer…").click()
    expect(page.locator("#erase-held")).to_contain_text("Demandes")
    page.get_by_label("Tapez le nom du contact pour confirmer").fill("Quelqu’un d’autre")
    page.get_by_label("Je comprends que c’est définitif.").check()
    page.get_by_role("button", name="Effacer définitivement").click()
    expect(page.get_by_role("alert")).to_contain_text("Rien n’a été effacé")
    shot(page, "erase-refused")
    assert Contact.objects.get(pk=person.contact.pk).erased_at is None

    page.get_by_label("Tapez le nom du contact pour confirmer").fill(ZEB)
    page.get_by_label("Je comprends que c’est définitif.").check()
    page.get_by_role("button", name="Effacer définitivement").click()
    expect(page.locator("#rights")).to_contain_text("Effacé le")
    expect(page.locator("#erasure-report")).to_contain_text("Carnets de séjour")
    expect(page.locator("main")).not_to_contain_text(ZEB)
    shot(page, "erased")

    page.get_by_role("link", name="Journal des accès de l’office").click()
    expect(page.locator("#access-log")).to_contain_text("Effacement")
    shot(page, "access-log")
    assert AccessLog.objects.filter(contact_number=person.contact.pk).count() == 4

    visitor = page.context.browser.new_context(base_url=page.url.split("/contacts")[0], locale="fr-FR")
    public = visitor.new_page()
    response = public.goto(f"/booklets/b/{person.booklet.token}/")
    assert response.status == 410
    expect(public.get_by_role("heading")).to_contain_text("n’est plus disponible")
    if SHOTS:
        public.screenshot(path=f"{SHOTS}/booklet-gone.png", full_page=True)
    visitor.close()
