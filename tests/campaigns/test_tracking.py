"""Opens and clicks: signed links that cannot be used as an open redirect, the office's and the contact's switch,
the campaign's figures, and other offices kept out."""

import email
import email.policy
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from acvs.campaigns import render, selectors, sending, services, tracking
from acvs.campaigns.models import Block, Campaign, Event, Recipient, TrackingRefusal
from acvs.core.tenancy import scope_for
from acvs.network.models import Role
from tests.conftest import make_user, membership

from .conftest import SITE, person, soon

pytestmark = pytest.mark.django_db
BUTTON = "https://cavalaire.example/programme"


def send(agent, campaign, settings):
    settings.ACVS_CAMPAIGN_RATE = 1000
    services.campaign_schedule(membership=membership(agent), campaign=campaign, at=soon(1), site_url=SITE)
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at=timezone.now())
    assert sending.campaign_run(campaign.pk) == "sent"
    return {m.to[0]: m.message().get_body(("html",)).get_content() for m in mail.outbox}


def click_links(html: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in re.findall(r'href="(http://testserver/campaigns/c/[^"]+)"', html)]


def pixel(html: str) -> str | None:
    found = re.search(r'<img src="(http://testserver/campaigns/o/[^"]+)" width="1" height="1"', html)
    return found.group(1) if found else None


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def test_a_signed_click_redirects_and_counts_and_the_pixel_counts_an_open(agent, campaign, settings):
    person(agent, "Ann", "ann@example.org")
    html = send(agent, campaign, settings)["ann@example.org"]
    links = click_links(html)
    assert len(links) == 1
    assert f'href="{BUTTON}"' not in html
    assert parse_qs(urlsplit(links[0]).query)["u"] == [BUTTON]
    public = Client()
    response = public.get(local(links[0]))
    assert (response.status_code, response["Location"]) == (302, BUTTON)
    opened = public.get(local(pixel(html)))
    assert opened.status_code == 200
    assert opened["Content-Type"] == "image/gif"
    assert "no-store" in opened["Cache-Control"]
    assert opened.content.startswith(b"GIF89a")
    with scope_for(office=campaign.office_id):
        events = list(Event.objects.values_list("kind", "url"))
    assert events == [("click", BUTTON), ("open", "")]


def test_tampered_and_foreign_links_are_refused_and_record_nothing(agent, campaign, settings):
    person(agent, "Ann", "ann@example.org")
    person(agent, "Bob", "bob@example.org")
    sent = send(agent, campaign, settings)
    ann, bob = (click_links(sent[a])[0] for a in ("ann@example.org", "bob@example.org"))
    public = Client()
    path, query = urlsplit(ann).path, urlsplit(ann).query
    evil = "https%3A%2F%2Fevil.example%2F"
    bob_pk = int(urlsplit(bob).path.split("/")[3])
    for bad in (
        f"{path}?u={evil}",  # another destination under Ann's signature: an open redirect if accepted
        f"{path[:-3]}xx/?{query}",  # the signature edited
        f"/campaigns/c/{bob_pk}/{path.split('/')[4]}/?{query}",  # Ann's signature on Bob's row
        f"{path}?u=javascript%3Aalert(1)",
        path,  # no destination
    ):
        response = public.get(bad)
        assert response.status_code == 400, bad
        assert "Location" not in response
    assert public.get("/campaigns/o/1.forged/").status_code == 404
    assert public.get(f"/campaigns/c/999999/{tracking.signature(999999, BUTTON)}/?u={BUTTON}").status_code == 404
    with scope_for(office=campaign.office_id):
        assert not Event.objects.exists()


def test_the_office_switch_off_sends_no_pixel_and_leaves_links_alone(agent, manager, campaign, settings):
    person(agent, "Ann", "ann@example.org")
    client = Client()
    client.force_login(agent)
    assert client.post("/campaigns/tracking/", {}).status_code == 403  # a counter agent does not choose
    client.force_login(manager)
    assert client.post("/campaigns/tracking/", {}).status_code == 302
    assert not tracking.office_tracks(campaign.office_id)
    assert '<input type="checkbox" name="tracking">' in client.get("/campaigns/").text  # now unchecked
    html = send(agent, campaign, settings)["ann@example.org"]
    assert pixel(html) is None
    assert click_links(html) == []
    assert f'href="{BUTTON}"' in html
    page = client.get(f"/campaigns/{campaign.pk}/")
    assert 'id="tracking-off"' in page.text


def test_a_link_followed_after_the_switch_was_turned_off_redirects_but_records_nothing(agent, campaign, settings):
    person(agent, "Ann", "ann@example.org")
    html = send(agent, campaign, settings)["ann@example.org"]
    tracking.office_set(campaign.office_id, False)
    response = Client().get(local(click_links(html)[0]))
    assert response.status_code == 302
    assert Client().get(local(pixel(html))).status_code == 200
    with scope_for(office=campaign.office_id):
        assert not Event.objects.exists()


def test_a_contact_who_refuses_on_the_preferences_page_gets_no_pixel_nor_tracked_links(agent, campaign, settings):
    ann = person(agent, "Ann", "ann@example.org")
    person(agent, "Bob", "bob@example.org")
    first = Recipient.objects.create(campaign=campaign, contact=ann, email="ann@example.org", language="fr",
                                     status=Recipient.Status.SENT)  # fmt: skip
    page = Client().post(f"/campaigns/p/{render.link_token(first.pk)}/", {"purpose_newsletter": "on", "language": "fr"})
    assert page.status_code == 200
    with scope_for(office=campaign.office_id):
        assert TrackingRefusal.objects.filter(contact=ann).exists()
    first.delete()
    sent = send(agent, campaign, settings)
    assert pixel(sent["ann@example.org"]) is None
    assert click_links(sent["ann@example.org"]) == []
    assert pixel(sent["bob@example.org"])
    assert click_links(sent["bob@example.org"])


def test_the_campaign_page_shows_figures_by_link_and_by_segment(agent, campaign, settings):
    ann = person(agent, "Ann", "ann@example.org")
    person(agent, "Bob", "bob@example.org")
    person(agent, "Cyd", "cyd@example.org")
    sent = send(agent, campaign, settings)
    public = Client()
    public.get(local(pixel(sent["ann@example.org"])))
    public.get(local(pixel(sent["ann@example.org"])))  # twice: one person
    public.get(local(pixel(sent["bob@example.org"])))
    public.get(local(click_links(sent["ann@example.org"])[0]))
    with scope_for(office=campaign.office_id):
        Recipient.objects.filter(email="cyd@example.org").update(status=Recipient.Status.BOUNCED)
        recipient = Recipient.objects.select_related("campaign__office", "contact").get(contact=ann)
    services.unsubscribe(recipient=recipient, text="Non.", origin="test")
    with scope_for(office=campaign.office_id):
        figures = selectors.figures(Campaign.objects.get(pk=campaign.pk))
    assert figures["total"] == {"recipients": 3, "delivered": 2, "bounced": 1, "opened": 2, "clicked": 1,
                                "unsubscribed": 1}  # fmt: skip
    assert [name for name, _row in figures["segments"]] == ["Allemands"]
    assert figures["segments"][0][1]["opened"] == 2
    assert figures["links"] == [{"url": BUTTON, "clicks": 1, "people": 1}]
    client = Client()
    client.force_login(agent)
    page = client.get(f"/campaigns/{campaign.pk}/")
    assert 'id="figures-table"' in page.text
    assert 'id="figures-links"' in page.text
    assert "<svg" in page.text
    assert "Segment « Allemands »" in page.text  # the agents read French


def test_another_office_sees_no_figures_and_its_switch_is_its_own(agent, other_agent, croix_valmer, campaign, settings):
    person(agent, "Ann", "ann@example.org")
    send(agent, campaign, settings)
    client = Client()
    client.force_login(other_agent)
    assert client.get(f"/campaigns/{campaign.pk}/").status_code == 404
    client.force_login(make_user("other.manager", croix_valmer, Role.MANAGER))
    assert client.post("/campaigns/tracking/", {}).status_code == 302
    assert not tracking.office_tracks(croix_valmer.pk)
    assert tracking.office_tracks(campaign.office_id)


def delivered_parts(smtp) -> dict[str, tuple[str, str]]:
    """What the SMTP server received, parsed: address → (plain-text part, HTML part)."""
    found = {}
    for envelope in smtp.envelopes:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
        body = message.get_body(("html",)).get_content()
        for address in envelope.rcpt_tos:
            found[address] = (text, body)
    return found


def send_by_smtp(agent, campaign, settings):
    settings.ACVS_CAMPAIGN_RATE = 1000
    m = membership(agent)
    text = f"Tout le programme : {BUTTON}. Ailleurs : https://autre.example/ et {BUTTON}2"
    services.block_save(membership=m, campaign=campaign, block=None, language="fr", kind=Block.Kind.TEXT, text=text)
    services.campaign_schedule(membership=m, campaign=campaign, at=soon(1), site_url=SITE)
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at=timezone.now())
    assert sending.campaign_run(campaign.pk) == "sent"


def test_the_plain_text_part_carries_the_same_tracked_links_as_the_html_part(agent, campaign, smtp, settings):
    ann = person(agent, "Ann", "ann@example.org")
    bob = person(agent, "Bob", "bob@example.org")
    tracking.contact_set(bob, False)  # Bob refused to be measured
    send_by_smtp(agent, campaign, settings)
    parts = delivered_parts(smtp)

    text, body = parts["ann@example.org"]
    links = re.findall(r"http://testserver/campaigns/c/\S+?(?=\.?\s)", text)
    # The button's line and the text's mention of the same address; another address, or a longer one, is left alone.
    assert len(links) == 2
    assert set(links) == set(click_links(body))
    assert BUTTON not in text.replace(f"{BUTTON}2", "")
    assert "Ailleurs : https://autre.example/ et https://cavalaire.example/programme2" in text
    response = Client().get(local(links[0]))
    assert (response.status_code, response["Location"]) == (302, BUTTON)
    with scope_for(office=campaign.office_id):
        assert list(Event.objects.values_list("recipient__contact", "kind", "url")) == [(ann.pk, "click", BUTTON)]

    text, body = parts["bob@example.org"]
    assert "/campaigns/c/" not in text
    assert f"Programme: {BUTTON}\n" in text
    assert f"Tout le programme : {BUTTON}." in text
    assert click_links(body) == []


def test_with_the_office_switch_off_the_plain_text_links_are_left_as_written(agent, campaign, smtp, settings):
    person(agent, "Ann", "ann@example.org")
    tracking.office_set(campaign.office_id, False)
    send_by_smtp(agent, campaign, settings)
    text, body = delivered_parts(smtp)["ann@example.org"]
    assert "/campaigns/c/" not in text
    assert f"Programme: {BUTTON}\n" in text
    assert f'href="{BUTTON}"' in body
