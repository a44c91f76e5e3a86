"""Opens and clicks of a département's or the network's campaign (issue 13): a message is measured only if the
contact's office measures its contacts' opens and clicks, the contact did not refuse it, and the sender's office
measures its campaign. What the mail server received is read as sent (aiosmtpd), and opens and clicks forged for an
unmeasured message (the token and signature of its row, which the message did not carry) record nothing."""

import email
import email.policy
import re

import pytest
from django.test import Client

from acvs.campaigns import render, services, tracking
from acvs.campaigns.models import Block, Event, Recipient
from acvs.core.tenancy import ScopeError, all_offices, scope_for
from acvs.network.models import Role
from tests.conftest import make_user, membership

from .conftest import person
from .test_network import network_campaign, send_now

pytestmark = pytest.mark.django_db
BUTTON = "https://var.example/programme"
ANAIS, CHLOE, ELODIE = "anais.zephyrine@example.org", "chloe.vermandois@example.org", "elodie.farandole@example.org"


@pytest.fixture
def contacts(agent, other_agent, greoux):
    """A contact consenting to the network's purpose in each of three offices (two départements)."""
    users = {ANAIS: agent, CHLOE: other_agent, ELODIE: make_user("greoux", greoux, Role.AGENT)}
    names = {ANAIS: "Anaïs Zéphyrine", CHLOE: "Chloé Vermandois", ELODIE: "Élodie Farandole"}
    return {address: person(user, names[address], address, purpose="network") for address, user in users.items()}


def campaign_with_links(network_admin):
    campaign = network_campaign(network_admin)
    m = membership(network_admin)
    services.block_save(membership=m, campaign=campaign, block=None, language="fr", kind=Block.Kind.TEXT,
                        text=f"Tout le programme : {BUTTON}.")  # fmt: skip
    services.block_save(membership=m, campaign=campaign, block=None, language="fr", kind=Block.Kind.BUTTON,
                        text="Programme", url=BUTTON)  # fmt: skip
    return campaign


def delivered(smtp) -> dict[str, tuple[str, str]]:
    """The MIME the SMTP server received, parsed: address → (plain-text part, HTML part)."""
    found = {}
    for envelope in smtp.envelopes:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parts = (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content())
        for address in envelope.rcpt_tos:
            found[address] = parts
    return found


def measured(parts: tuple[str, str]) -> bool:
    """Whether a message carries the open pixel and tracked links, in both parts; asserts it is all or nothing."""
    text, body = parts
    pixel = re.search(r'<img src="http://testserver/campaigns/o/[^"]+" width="1" height="1"', body) is not None
    html_links = re.findall(r'href="http://testserver/campaigns/c/[^"]+"', body)
    text_links = re.findall(r"http://testserver/campaigns/c/\S+", text)
    if pixel:
        # The button in the HTML part; the button and the text's mention of its address in the plain-text part.
        assert (len(html_links), len(text_links)) == (1, 2), parts
        assert f'href="{BUTTON}"' not in body
        assert BUTTON not in text
    else:
        assert "/campaigns/o/" not in body, parts
        assert "/campaigns/c/" not in body, parts
        assert "/campaigns/c/" not in text, parts
        assert body.count(f'href="{BUTTON}"') == 1
        assert f"Programme: {BUTTON}" in text
        assert f"Tout le programme : {BUTTON}." in text
    return pixel


def row(contact) -> Recipient:
    with scope_for(office=contact.office_id):
        return Recipient.objects.get(contact=contact)


def open_and_click(public: Client, recipient: Recipient) -> None:
    """The open pixel and a signed click of the row, as its message would have them (forged if it had none)."""
    assert public.get(f"/campaigns/o/{render.link_token(recipient.pk)}/").status_code == 200
    click = public.get(f"/campaigns/c/{recipient.pk}/{tracking.signature(recipient.pk, BUTTON)}/", {"u": BUTTON})
    assert (click.status_code, click["Location"]) == (302, BUTTON)


def events(contact) -> list[tuple[str, str]]:
    with scope_for(office=contact.office_id):
        return list(Event.objects.filter(recipient__contact=contact).values_list("kind", "url"))


def all_events() -> int:
    return Event.objects.count()  # tests run outside any scope: every office's rows


def test_an_office_that_turned_tracking_off_has_its_contacts_unmeasured_by_a_network_campaign(
    network_admin, croix_valmer, contacts, smtp, settings
):
    tracking.office_set(croix_valmer.pk, False)  # La Croix-Valmer measures none of its contacts' opens and clicks
    tracking.contact_set(contacts[ELODIE], False)  # Élodie (Gréoux) refused on the preferences page
    campaign = campaign_with_links(network_admin)
    assert send_now(network_admin, campaign, settings) == "sent"
    parts = delivered(smtp)
    assert set(parts) == {ANAIS, CHLOE, ELODIE}
    assert measured(parts[ANAIS])
    assert not measured(parts[CHLOE])
    assert not measured(parts[ELODIE])

    public = Client()
    for address in (CHLOE, ELODIE):  # forged: their messages carried neither pixel nor tracked link
        open_and_click(public, row(contacts[address]))
        assert events(contacts[address]) == []
    assert all_events() == 0
    open_and_click(public, row(contacts[ANAIS]))
    assert events(contacts[ANAIS]) == [("open", ""), ("click", BUTTON)]
    assert all_events() == 2


def test_an_office_that_turns_tracking_off_after_the_sending_stops_the_recording_of_its_contacts(
    network_admin, croix_valmer, contacts, smtp, settings
):
    campaign = campaign_with_links(network_admin)
    assert send_now(network_admin, campaign, settings) == "sent"
    assert all(measured(parts) for parts in delivered(smtp).values())
    tracking.office_set(croix_valmer.pk, False)
    public = Client()
    for contact in contacts.values():
        open_and_click(public, row(contact))
    assert events(contacts[CHLOE]) == []
    assert events(contacts[ANAIS]) == events(contacts[ELODIE]) == [("open", ""), ("click", BUTTON)]


def test_the_senders_switch_off_leaves_its_network_campaign_unmeasured_in_every_office(
    network_admin, cdt_var, contacts, smtp, settings, caplog
):
    """The sender's office switch is a veto on its own campaigns: off, none of their messages is measured, whatever
    the contacts' offices chose; reading it from a contact's office is a declared cross-office read, logged."""
    tracking.office_set(cdt_var.pk, False)
    campaign = campaign_with_links(network_admin)
    assert send_now(network_admin, campaign, settings) == "sent"
    assert not any(measured(parts) for parts in delivered(smtp).values())
    # Turned back on after the sending then off again: what was sent unmeasured stays unmeasured.
    tracking.office_set(cdt_var.pk, True)
    tracking.office_set(cdt_var.pk, False)
    public = Client()
    with caplog.at_level("INFO", logger="acvs.tenancy"):
        for contact in contacts.values():
            open_and_click(public, row(contact))
    assert all_events() == 0
    assert "cross-office read network_campaigns" in caplog.text


def test_a_link_followed_after_the_sender_turned_tracking_off_records_nothing(
    network_admin, cdt_var, contacts, smtp, settings
):
    campaign = campaign_with_links(network_admin)
    assert send_now(network_admin, campaign, settings) == "sent"
    assert all(measured(parts) for parts in delivered(smtp).values())
    tracking.office_set(cdt_var.pk, False)
    public = Client()
    for contact in contacts.values():
        open_and_click(public, row(contact))
    assert all_events() == 0


def test_an_office_switch_is_not_read_from_another_offices_scope(cavalaire, croix_valmer):
    """The lookup that caused issue 13: from La Croix-Valmer's scope, Cavalaire's settings row is invisible, and an
    invisible row must not read as "measured"."""
    tracking.office_set(cavalaire.pk, False)
    with scope_for(office=cavalaire):
        assert not tracking.office_tracks(cavalaire.pk)
    with scope_for(office=croix_valmer), pytest.raises(ScopeError):
        tracking.office_tracks(cavalaire.pk)
    with scope_for(office=croix_valmer), all_offices("network_campaigns"):
        assert not tracking.office_tracks(cavalaire.pk)


def test_the_campaign_settings_say_the_switch_covers_the_network_campaigns(client, manager, agent, settings):
    for user in (manager, agent):  # the one who chooses and the one who reads the choice
        client.force_login(user)
        page = client.get("/campaigns/")
        assert 'id="tracking-network"' in page.text
        assert "This choice also applies to the département" in page.text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"  # as the agents read it
    assert "Ce choix vaut aussi pour les campagnes du département et du réseau" in client.get("/campaigns/").text


def test_the_senders_page_counts_the_unmeasured_recipients_without_naming_them(
    client, network_admin, croix_valmer, contacts, smtp, settings
):
    """The sender of a network campaign learns how many of its figures cannot include opens and clicks, and why,
    but not who: a count over the offices it reached."""
    campaign = campaign_with_links(network_admin)
    assert send_now(network_admin, campaign, settings) == "sent"
    client.force_login(network_admin)
    assert 'id="tracking-partial"' not in client.get(f"/campaigns/{campaign.pk}/").text  # everyone measured
    tracking.office_set(croix_valmer.pk, False)
    tracking.contact_set(contacts[ELODIE], False)
    page = client.get(f"/campaigns/{campaign.pk}/").text
    assert "Opens and clicks of 2 recipients out of 3 are not measured" in page
    for address in (CHLOE, ELODIE):
        assert address not in page
    tracking.office_set(croix_valmer.pk, True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert (
        "Les ouvertures et les clics de 1 destinataire sur 3 ne sont pas mesurés"
        in client.get(f"/campaigns/{campaign.pk}/").text
    )
