"""Brochures at the counter in the browser: handed out with the request, the stock left shown right away."""

import os
import re

import pytest
from playwright.sync_api import expect

from acvs.desk.models import Theme, VisitorRequest
from acvs.desk.reference import ensure_themes
from acvs.documentation import services
from acvs.documentation.models import Document, MovementKind, Place, Stock
from tests.conftest import PASSWORD, membership
from tests.e2e.conftest import login
from tests.mailing.test_brochures import pdf_bytes

SCREENSHOTS = os.environ.get("ACVS_SCREENSHOTS")  # a folder to keep the pages' pictures in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def themes(db):
    ensure_themes(Theme)


def test_agent_hands_brochures_out_at_the_counter_twice(page, agent, cavalaire, cdt_var):
    guide = Document.objects.create(
        title="Guide des hébergements du Var", language="fr", edition_year=2026, publisher=cdt_var, managed_by=cdt_var
    )
    services.movement_record(
        membership=membership(agent), document=guide, kind=MovementKind.RECEIVED, quantity=5, place=Place.COUNTER
    )
    login(page, "agent", PASSWORD)
    page.goto("/desk/")
    page.locator("label.toggle").filter(has_text=re.compile("^Allemagne$")).click()
    page.get_by_text("Brochures remises").click()
    field = page.get_by_label(re.compile("Guide des hébergements du Var"))
    expect(field).to_be_visible()
    field.fill("2")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Demande enregistrée.")).to_be_visible()

    obj = VisitorRequest.objects.get()
    assert obj.country == "DE"
    assert Stock.objects.get(office=cavalaire, document=guide, place=Place.COUNTER).quantity == 3
    # The fresh form shows the stock left, without reloading the page, and records again.
    expect(page.locator("#handout-fields")).to_contain_text("3")
    expect(page.get_by_label(re.compile("Guide des hébergements du Var"))).to_have_value("")
    page.locator("label.toggle").filter(has_text=re.compile("^Allemagne$")).click()
    page.get_by_text("Brochures remises").click()
    page.get_by_label(re.compile("Guide des hébergements du Var")).fill("4")
    page.get_by_role("button", name="Enregistrer").click()
    # Not enough copies left: nothing recorded, what was typed is kept.
    expect(page.locator(".desk-errors").first).to_be_visible()
    expect(page.get_by_label(re.compile("Guide des hébergements du Var"))).to_have_value("4")
    assert VisitorRequest.objects.count() == 1
    assert Stock.objects.get(office=cavalaire, document=guide, place=Place.COUNTER).quantity == 3

    page.goto(f"/desk/requests/{obj.pk}/")
    expect(page.locator("main")).to_contain_text("Guide des hébergements du Var")


def test_request_page_shows_why_a_handout_is_refused(page, agent, cavalaire, cdt_var):
    """More copies than the counter holds: the server answers 400 and the section shows why, keeping the input."""
    guide = Document.objects.create(
        title="Guide des hébergements du Var", language="fr", edition_year=2026, publisher=cdt_var, managed_by=cdt_var
    )
    services.movement_record(
        membership=membership(agent), document=guide, kind=MovementKind.RECEIVED, quantity=2, place=Place.COUNTER
    )
    login(page, "agent", PASSWORD)
    page.goto("/desk/")
    page.locator("label.toggle").filter(has_text=re.compile("^Allemagne$")).click()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Demande enregistrée.")).to_be_visible()
    obj = VisitorRequest.objects.get()

    page.goto(f"/desk/requests/{obj.pk}/")
    field = page.locator("#handout-form").get_by_label(re.compile("Guide des hébergements du Var"))
    field.fill("5")
    with page.expect_response(lambda r: "/handout" in r.url) as answer:
        page.locator("#handout-form").get_by_role("button", name="Remettre des brochures").click()
    assert answer.value.status == 400
    expect(page.locator("#documentation [role=alert]").first).to_be_visible()
    expect(page.locator("#documentation")).to_contain_text("Guide des hébergements du Var")
    expect(page.locator("#handout-form").get_by_label(re.compile("Guide des hébergements du Var"))).to_have_value("5")
    assert Stock.objects.get(office=cavalaire, document=guide, place=Place.COUNTER).quantity == 2


def test_the_keeping_office_uploads_a_brochure_pdf_and_a_non_pdf_is_refused(page, agent, cavalaire, media, tmp_path):
    sentier = Document.objects.create(
        title="Sentier du littoral", language="fr", edition_year=2026, publisher=cavalaire, managed_by=cavalaire
    )
    content = pdf_bytes(1)
    (tmp_path / "sentier.pdf").write_bytes(content)
    (tmp_path / "sentier-faux.pdf").write_bytes(b"<html>not a pdf</html>")
    login(page, "agent", PASSWORD)
    page.goto(f"/documentation/{sentier.pk}/edit/")
    page.get_by_label("Fichier PDF").set_input_files(str(tmp_path / "sentier-faux.pdf"))
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#document-form")).to_contain_text(
        "Ce fichier n’est pas un PDF : choisissez le fichier PDF de la brochure."
    )
    page.get_by_label("Fichier PDF").set_input_files(str(tmp_path / "sentier.pdf"))
    page.get_by_label("Lien public").fill("https://www.cavalaire.fr/sentier")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#document-email")).to_contain_text("Fichier PDF")
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "brochure-detail.png"), full_page=True)
    sentier.refresh_from_db()
    assert (media / sentier.pdf.name).read_bytes() == content
    assert sentier.public_url == "https://www.cavalaire.fr/sentier"
