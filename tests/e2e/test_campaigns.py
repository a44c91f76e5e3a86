"""A campaign in the browser: designed with blocks, sent by the worker to a real SMTP sink."""

import datetime
import email
import email.policy
import os
import re

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image
from playwright.sync_api import expect

from acvs.campaigns.models import Campaign, Recipient
from acvs.contacts import services as contact_services
from acvs.contacts.services import ContactData
from acvs.desk.models import Theme
from acvs.desk.reference import ensure_themes
from tests.booklet.conftest import smtp  # noqa: F401 — fixture
from tests.conftest import PASSWORD, membership
from tests.e2e.conftest import login
from tests.workers import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = os.environ.get("ACVS_SCREENSHOTS")  # a folder to keep the pages' pictures in


def test_agent_designs_targets_schedules_and_the_worker_sends(
    page,
    new_context,
    agent,
    smtp,  # noqa: F811
    task_worker,
    media,
    tmp_path,
    live_server,
):
    ensure_themes(Theme)
    m = membership(agent)
    for name, address, given in (("Anna Schmidt", "anna@example.de", True), ("Jonas Weber", "jonas@example.de", True),
                                 ("Paul Braun", "paul@example.de", False)):  # fmt: skip
        contact = contact_services.contact_create(
            membership=m, data=ContactData(fields={"name": name, "country": "DE", "language": "de"}, emails=[address])
        )
        contact_services.consent_record(
            membership=m, contact=contact, purpose="newsletter", given=given, text="Ja.", face_to_face=True
        )
    contact_services.segment_save(membership=m, name="Allemands", criteria={"country": "DE"})
    photo = tmp_path / "port.png"
    Image.new("RGB", (2000, 1200), (20, 120, 160)).save(photo)

    login(page, "agent", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Campagnes", exact=True).click()
    page.get_by_role("button", name="Nouvelle campagne").click()
    page.get_by_label("Nom", exact=True).fill("Marché de printemps")
    page.get_by_label("Objet en français").fill("Le marché revient, {name}")
    page.get_by_label("Allemands").check()
    page.get_by_role("button", name="Créer la campagne").click()
    expect(page.locator("#recipient-count")).to_have_text("2 destinataires")
    expect(page.locator("#exclusions")).to_contain_text("consentement retiré (désinscrits) : 1")

    form = page.locator("#block-form")
    form.locator("[name=kind]").select_option("title")
    form.locator("[name=text]").fill("Bonjour {name}")
    form.get_by_role("button", name="Ajouter le bloc").click()
    form = page.locator("#block-form")
    form.locator("[name=kind]").select_option("image")
    form.locator("[name=text]").fill("Le port")
    form.get_by_label("Image", exact=True).set_input_files(str(photo))
    form.get_by_role("button", name="Ajouter le bloc").click()
    expect(page.get_by_text("Indiquez le photographe ou l’ayant droit.")).to_be_visible()
    form = page.locator("#block-form")
    form.locator("[name=kind]").select_option("image")
    form.get_by_label("Image", exact=True).set_input_files(str(photo))
    form.get_by_label("Crédit de l’image").fill("OT Cavalaire")
    form.get_by_role("button", name="Ajouter le bloc").click()
    expect(page.locator("#lang-fr")).to_contain_text("images :")
    expect(page.frame_locator(".preview-phone").get_by_role("heading", name="Bonjour")).to_be_visible()

    past = (timezone.localtime() - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Date et heure d’envoi").fill(past)
    page.get_by_role("button", name="Planifier l’envoi").click()
    expect(page.get_by_text("Choisissez une date et une heure à venir.")).to_be_visible()
    later = (timezone.localtime() + datetime.timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Date et heure d’envoi").fill(later)
    page.get_by_role("button", name="Planifier l’envoi").click()
    expect(page.locator("#campaign-status")).to_have_text("Planifiée")

    # Time passes: the planned date comes (for the campaign and for its task).
    Campaign.objects.update(scheduled_at=timezone.now())
    DBTaskResult.objects.update(run_after=timezone.now())
    wait_until(lambda: Campaign.objects.get().status == Campaign.Status.SENT, timeout=60, what="the campaign sent")
    page.reload()
    expect(page.locator("#campaign-status")).to_have_text("Envoyée")
    expect(page.locator("#progress")).to_contain_text("2 envoyés sur 2")

    assert sorted(a for e in smtp.envelopes for a in e.rcpt_tos) == ["anna@example.de", "jonas@example.de"]
    message = email.message_from_bytes(smtp.envelopes[0].content, policy=email.policy.default)
    assert message["Subject"].startswith("Le marché revient, ")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.get_body(("html",)).get_content()
    assert "© OT Cavalaire" in html
    assert Recipient.objects.filter(status=Recipient.Status.SENT).count() == 2

    # The recipient's unsubscribe link, from the message, on a phone and not logged in: the office's public page,
    # none of the agents' menus.
    link = message["List-Unsubscribe"].strip("<>")
    visitor = new_context(viewport={"width": 390, "height": 760}).new_page()
    visitor.goto(link)
    expect(visitor.locator("nav")).to_have_count(0)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Office de tourisme de Cavalaire")
    if SCREENSHOTS:
        visitor.screenshot(path=os.path.join(SCREENSHOTS, "campaign-unsubscribe.png"), full_page=True)
    visitor.get_by_role("button", name="Se désinscrire").click()
    expect(visitor.locator("#unsubscribed")).to_be_visible()
    if SCREENSHOTS:
        visitor.screenshot(path=os.path.join(SCREENSHOTS, "campaign-unsubscribed.png"), full_page=True)
    visitor.get_by_role("link", name="Choisir ce que vous recevez et dans quelle langue").click()
    expect(visitor.locator("#preferences")).to_be_visible()
    if SCREENSHOTS:
        visitor.screenshot(path=os.path.join(SCREENSHOTS, "campaign-preferences.png"), full_page=True)

    # Opened (the pixel), then unsubscribed: the campaign's figures show them, as a table and a chart.
    pixel = re.search(r'<img src="([^"]+/campaigns/o/[^"]+)" width="1"', html).group(1)
    assert page.request.get(pixel).headers["cache-control"].startswith("no-store")
    page.goto(f"{live_server.url}/campaigns/{Campaign.objects.get().pk}/")
    figures = page.locator("#figures-total")
    expect(figures).to_contain_text("Toute la campagne")
    assert [cell.strip() for cell in figures.locator("td").all_inner_texts()] == ["2", "2", "0", "1", "0", "1"]
    expect(page.locator("#figures svg")).to_be_visible()
    if SCREENSHOTS:
        page.locator("#figures").screenshot(path=os.path.join(SCREENSHOTS, "campaign-figures.png"))
