"""The network's campaign in the browser: its administrator reaches every office's consenting contacts, sees counts
and never a name, the worker sends it; a recipient then comes to their office's counter, and the campaign's page
shows that return beside the cost entered for it."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from acvs.campaigns.models import Campaign
from acvs.contacts import services as contact_services
from acvs.contacts.services import ContactData
from acvs.desk import services as desk_services
from acvs.desk.models import Theme
from acvs.desk.reference import ensure_themes
from acvs.desk.services import RequestData
from tests.booklet.conftest import smtp  # noqa: F401 — fixture
from tests.conftest import PASSWORD, membership
from tests.e2e.conftest import login
from tests.workers import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PEOPLE = (("agent", "Anaïs Zéphyrine", "anais@example.org", True), ("other", "Chloé Vermandois", "chloe@example.org",
          True), ("other", "Denis Hurlevent", "denis@example.org", False))  # fmt: skip


def test_the_network_sends_to_every_office_and_sees_its_returns(page, agent, other_agent, network_admin, smtp,  # noqa: F811
                                                                task_worker, media, tmp_path):  # fmt: skip
    ensure_themes(Theme)
    users = {"agent": agent, "other": other_agent}
    for who, name, address, given in PEOPLE:
        m = membership(users[who])
        contact = contact_services.contact_create(
            membership=m, data=ContactData(fields={"name": name, "country": "FR", "language": "fr"}, emails=[address])
        )
        contact_services.consent_record(
            membership=m, contact=contact, purpose="network", given=given, text="Oui.", face_to_face=True
        )

    login(page, "netadmin", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Campagnes", exact=True).click()
    page.get_by_role("button", name="Nouvelle campagne").click()
    page.get_by_label("Nom", exact=True).fill("Le Var en automne")
    page.locator("[name=purpose]").select_option("network")
    page.locator("[name=reach]").select_option("network")
    page.get_by_label("Objet en français").fill("L’automne dans le Var")
    page.get_by_role("button", name="Créer la campagne").click()
    expect(page.locator("#campaign-reach")).to_have_text("Les contacts de tous les offices du réseau")
    expect(page.locator("#recipient-count")).to_have_text("2 destinataires")
    expect(page.locator("#exclusions")).to_contain_text("consentement retiré (désinscrits) : 1")

    form = page.locator("#block-form")
    form.locator("[name=kind]").select_option("title")
    form.locator("[name=text]").fill("Bonjour {name}")
    form.get_by_role("button", name="Ajouter le bloc").click()
    later = timezone.localtime() + datetime.timedelta(minutes=3)
    page.get_by_label("Date et heure d’envoi").fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Planifier l’envoi").click()
    expect(page.locator("#campaign-status")).to_have_text("Planifiée")

    Campaign.objects.update(scheduled_at=timezone.now())
    DBTaskResult.objects.update(run_after=timezone.now())
    wait_until(lambda: Campaign.objects.get().status == Campaign.Status.SENT, timeout=60, what="the campaign sent")
    assert sorted(a for e in smtp.envelopes for a in e.rcpt_tos) == ["anais@example.org", "chloe@example.org"]

    # Anaïs comes to the counter of Cavalaire, after the message.
    desk_services.request_create(membership=membership(agent), data=RequestData(fields={
        "origin": "abroad", "country": "DE", "adults": 2, "language": "fr", "outcome": "fully",
        "name": "Anaïs Zéphyrine", "email": "anais@example.org", "received_at": timezone.now()}))  # fmt: skip

    page.reload()
    expect(page.locator("#progress")).to_contain_text("2 envoyés sur 2")
    expect(page.locator("#returns-total")).to_have_text("1 retour")
    page.locator("#returns-settings summary").click()
    page.get_by_label("Coût (euros)").fill("80")
    page.get_by_label("Fenêtre de retour (jours)").fill("14")
    page.locator("#returns-form").get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#cost-per-return")).to_have_text("80,00 €")
    expect(page.locator("#returns-by-kind")).to_contain_text("sont venus à l’accueil")
    expect(page.locator("#window-form select")).to_have_value("14")
    page.screenshot(path=str(tmp_path / "network-campaign.png"), full_page=True)
    html = page.content()
    for _who, name, address, _given in PEOPLE:
        assert name not in html
        assert address not in html
