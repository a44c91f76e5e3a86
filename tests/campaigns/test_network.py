"""A département's or the network's campaign: it reaches exactly the contacts of every office it covers who
consented to the network's purpose, built by the worker; its sender sees counts, never a name nor an address; an
office's own campaign never leaves the office; the office's staff cannot open a network campaign."""

import datetime
import re
from email import message_from_bytes
from email import policy as email_policy

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from acvs.campaigns import render, sending, services
from acvs.campaigns.models import Block, Campaign, Event, Recipient
from acvs.contacts import rights
from acvs.contacts import services as contact_services
from acvs.contacts.models import ConsentEvent, Contact
from acvs.core.tenancy import scope_for
from acvs.desk import services as desk_services
from acvs.desk.services import RequestData
from acvs.network.models import Role
from tests.conftest import make_user, membership

from .conftest import SITE, person

pytestmark = pytest.mark.django_db

# Seeded names and addresses that must never appear on the sender's pages.
SECRETS = {
    "cavalaire": [("Anaïs Zéphyrine", "anais.zephyrine@example.org", True),
                  ("Bruno Quenotte", "bruno@example.org", None)],
    "croix": [("Chloé Vermandois", "chloe.vermandois@example.org", True),
              ("Denis Hurlevent", "denis@example.org", False)],
    "greoux": [("Élodie Farandole", "elodie.farandole@example.org", True)],
}  # fmt: skip


@pytest.fixture
def offices_contacts(agent, other_agent, greoux):
    """Contacts of three offices in two départements; True: consented to the network's purpose, False: withdrew it,
    None: consented to the office's newsletter only."""
    greoux_agent = make_user("greoux", greoux, Role.AGENT)
    users = {"cavalaire": agent, "croix": other_agent, "greoux": greoux_agent}
    found = {}
    for office, people in SECRETS.items():
        for name, email, network in people:
            purpose, given = ("newsletter", True) if network is None else ("network", network)
            found[email] = person(users[office], name, email, consent=given, purpose=purpose)
    return found


def network_campaign(user, reach="network", name="Printemps du Var"):
    m = membership(user)
    campaign = services.campaign_save(membership=m, campaign=None, name=name, purpose="network",
                                      subjects={"fr": "Le Var au printemps"}, segments=[], reach=reach)  # fmt: skip
    services.block_save(membership=m, campaign=campaign, block=None, language="fr", kind=Block.Kind.TITLE,
                        text="Bonjour {name}")  # fmt: skip
    return campaign


def send_now(user, campaign, settings):
    settings.ACVS_CAMPAIGN_RATE = 1000
    at = timezone.now() + datetime.timedelta(seconds=1)
    services.campaign_schedule(membership=membership(user), campaign=campaign, at=at, site_url=SITE)
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at=timezone.now())
    return sending.campaign_run(campaign.pk)


def received(smtp) -> set[str]:
    return {address for envelope in smtp.envelopes for address in envelope.rcpt_tos}


def assert_no_secret(html: str):
    for people in SECRETS.values():
        for name, email, _network in people:
            for word in (name, *name.split(), email, email.partition("@")[0]):
                assert word not in html, f"{word!r} shown to the sender"


def test_the_network_campaign_reaches_exactly_the_consenting_contacts_of_every_office(
    client, network_admin, offices_contacts, smtp, settings
):
    campaign = network_campaign(network_admin)
    client.force_login(network_admin)
    page = client.get(f"/campaigns/{campaign.pk}/")
    assert page.status_code == 200
    assert "3 recipients" in page.text
    assert "consent withdrawn (unsubscribed): 1" in page.text
    assert "no consent for this purpose: 1" in page.text
    assert_no_secret(page.text)
    assert not Recipient.objects.exists()  # the list is built by the worker, not by the page

    assert send_now(network_admin, campaign, settings) == "sent"
    assert received(smtp) == {"anais.zephyrine@example.org", "chloe.vermandois@example.org",
                              "elodie.farandole@example.org"}  # fmt: skip
    page = client.get(f"/campaigns/{campaign.pk}/")
    assert "3 sent of 3" in page.text
    assert_no_secret(page.text)
    assert_no_secret(client.get("/campaigns/").text)


def test_the_network_campaign_counts_its_returns_in_every_office(client, network_admin, other_agent, offices_contacts,
                                                                 smtp, settings):  # fmt: skip
    campaign = network_campaign(network_admin)
    send_now(network_admin, campaign, settings)
    visit = {"origin": "abroad", "country": "DE", "adults": 2, "language": "fr", "outcome": "fully",
             "name": "Chloé Vermandois", "email": "chloe.vermandois@example.org",
             "received_at": timezone.now() + datetime.timedelta(seconds=1)}  # fmt: skip
    desk_services.request_create(membership=membership(other_agent), data=RequestData(fields=visit))
    client.force_login(network_admin)
    page = client.get(f"/campaigns/{campaign.pk}/")
    assert "1 return" in page.text
    assert "(33.3 % of the 3 contacts reached)" in page.text
    assert_no_secret(page.text)


def test_a_departement_campaign_stays_in_its_departement(network_admin, department_admin, offices_contacts, smtp,
                                                        settings):  # fmt: skip
    campaign = network_campaign(department_admin, reach="department")
    assert send_now(department_admin, campaign, settings) == "sent"
    assert received(smtp) == {"anais.zephyrine@example.org", "chloe.vermandois@example.org"}
    with pytest.raises(PermissionDenied):  # a département's administrator cannot reach the whole network
        network_campaign(department_admin, reach="network")


def test_the_same_address_in_two_offices_gets_one_message(network_admin, other_agent, offices_contacts, smtp,
                                                          settings):  # fmt: skip
    person(other_agent, "Anaïs Zéphyrine", "anais.zephyrine@example.org", purpose="network")
    campaign = network_campaign(network_admin)
    assert send_now(network_admin, campaign, settings) == "sent"
    assert sorted(a for e in smtp.envelopes for a in e.rcpt_tos).count("anais.zephyrine@example.org") == 1


def test_an_office_campaign_never_reaches_another_office(agent, offices_contacts, smtp, settings):
    m = membership(agent)
    everyone = contact_services.segment_save(membership=m, name="Tous", criteria={"country": "DE"})
    campaign = services.campaign_save(membership=m, campaign=None, name="Réseau maison", purpose="network",
                                      subjects={"fr": "Bonjour"}, segments=[everyone], reach="office")  # fmt: skip
    services.block_save(membership=m, campaign=campaign, block=None, language="fr", kind=Block.Kind.TITLE, text="Hi")
    assert send_now(agent, campaign, settings) == "sent"
    assert received(smtp) == {"anais.zephyrine@example.org"}
    with pytest.raises(PermissionDenied):  # an office's staff cannot reach other offices
        services.campaign_save(membership=m, campaign=None, name="x", purpose="network", subjects={"fr": "x"},
                               segments=[], reach="network")  # fmt: skip


def test_a_network_campaign_has_the_network_purpose_and_no_segment(network_admin):
    m = membership(network_admin)
    with pytest.raises(ValidationError):
        services.campaign_save(membership=m, campaign=None, name="x", purpose="newsletter", subjects={"fr": "x"},
                               segments=[], reach="network")  # fmt: skip
    mine = contact_services.segment_save(membership=m, name="Mes contacts", criteria={"country": "DE"})
    with pytest.raises(ValidationError):
        services.campaign_save(membership=m, campaign=None, name="x", purpose="network", subjects={"fr": "x"},
                               segments=[mine], reach="network")  # fmt: skip


def test_unsubscribing_withdraws_the_network_consent_in_the_contacts_own_office(
    client, network_admin, offices_contacts, croix_valmer, smtp, settings
):
    campaign = network_campaign(network_admin)
    send_now(network_admin, campaign, settings)
    chloe = offices_contacts["chloe.vermandois@example.org"]
    recipient = Recipient.objects.get(campaign=campaign, contact=chloe)
    response = client.post(f"/campaigns/u/{render.link_token(recipient.pk)}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    latest = ConsentEvent.objects.filter(contact=chloe, purpose="network").first()
    assert (latest.given, latest.office_id) == (False, croix_valmer.pk)
    assert "Printemps du Var" in latest.origin


def test_the_messages_belong_to_the_contacts_offices(network_admin, cdt_var, croix_valmer, offices_contacts, smtp,
                                                     settings):  # fmt: skip
    campaign = network_campaign(network_admin)
    send_now(network_admin, campaign, settings)
    with scope_for(office=cdt_var):
        assert not Recipient.objects.filter(campaign=campaign).exists()  # the sender holds no row
    with scope_for(office=croix_valmer):
        assert list(Recipient.objects.values_list("email", flat=True)) == ["chloe.vermandois@example.org"]
        # Exported (and erased) with the contact, by the contact's office.
        exported = rights.export(Contact.objects.get(name="Chloé Vermandois"))
    assert "chloe.vermandois@example.org" in str(exported["data"]["campaigns"])


def test_the_offices_staff_cannot_open_or_send_a_network_campaign(client, network_admin, manager, cdt_var,
                                                                  offices_contacts):  # fmt: skip
    campaign = network_campaign(network_admin)
    cdt_agent = make_user("cdt.agent", cdt_var, Role.AGENT)
    future = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    for user, status in ((manager, 404), (cdt_agent, 403)):
        client.force_login(user)
        assert client.get(f"/campaigns/{campaign.pk}/").status_code == status
        assert client.post(f"/campaigns/{campaign.pk}/schedule/", {"at": future}).status_code == status
        assert client.get(f"/campaigns/{campaign.pk}/preview/fr/").status_code == status
        assert f"/campaigns/{campaign.pk}/" not in client.get("/campaigns/").text
    with pytest.raises(PermissionDenied):
        services.campaign_schedule(membership=membership(cdt_agent), campaign=campaign,
                                   at=timezone.now() + datetime.timedelta(days=1), site_url=SITE)  # fmt: skip
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    # An office manager's form has no reach: posting one creates the office's own campaign.
    client.force_login(manager)
    response = client.post("/campaigns/new/", {"name": "Tentative", "purpose": "network", "subject_fr": "x",
                                               "reach": "network"})  # fmt: skip
    assert response.status_code == 302
    assert Campaign.objects.get(name="Tentative").reach == Campaign.Reach.OFFICE


def test_an_administrator_chooses_the_reach_on_the_form(client, network_admin):
    client.force_login(network_admin)
    form = client.get("/campaigns/new/")
    assert 'name="reach"' in form.text
    response = client.post("/campaigns/new/", {"name": "Réseau", "purpose": "network", "subject_fr": "x",
                                               "reach": "network"})  # fmt: skip
    assert response.status_code == 302
    assert Campaign.objects.get(name="Réseau").reach == Campaign.Reach.NETWORK


def test_an_office_reads_the_opens_and_clicks_of_its_own_contacts_only(client, network_admin, cdt_var, cavalaire,
                                                                       croix_valmer, greoux, offices_contacts, smtp,
                                                                       settings):  # fmt: skip
    """Opens and clicks follow the message (its contact's office), not the campaign's office: the sender of a network
    campaign reads none of them, each office reads its own contacts' only, and the sender's page counts them all."""
    campaign = network_campaign(network_admin)
    services.block_save(membership=membership(network_admin), campaign=campaign, block=None, language="fr",
                        kind=Block.Kind.BUTTON, text="Programme", url="https://var.example/programme")  # fmt: skip
    assert send_now(network_admin, campaign, settings) == "sent"
    public = Client()
    for envelope in smtp.envelopes:
        body = message_from_bytes(envelope.content, policy=email_policy.default).get_body(("html",))
        (link,) = re.findall(r'href="http://testserver(/campaigns/c/[^"]+)"', body.get_content())
        assert public.get(link.replace("&amp;", "&")).status_code == 302
    offices = {"anais.zephyrine@example.org": cavalaire, "chloe.vermandois@example.org": croix_valmer,
               "elodie.farandole@example.org": greoux}  # fmt: skip
    with scope_for(office=cdt_var):  # the sender's office
        assert not Event.objects.exists()
        assert not Event.objects.filter(campaign=campaign).exists()
    for address, office in offices.items():
        with scope_for(office=office):
            assert list(Event.objects.values_list("recipient__email", "kind")) == [(address, "click")]
            assert not Event.objects.exclude(recipient__contact__office=office).exists()
            assert Event.objects.filter(campaign=campaign).count() == 1
            # Exported with the contact, by the contact's office.
            exported = rights.export(Contact.objects.get(emails__email=address))
        assert exported["data"]["campaigns"]["campaigns.Event"][0]["url"] == "https://var.example/programme"
    client.force_login(network_admin)
    page = client.get(f"/campaigns/{campaign.pk}/")
    assert '<tr id="figures-total"><th scope="row">The whole campaign</th><td>3</td><td>3</td><td>0</td><td>0</td>' \
           '<td>3</td>' in page.text  # fmt: skip
    assert_no_secret(page.text)
