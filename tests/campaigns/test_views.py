import datetime

import pytest
from django.test import Client
from django.utils import timezone

from acvs.campaigns import render, selectors, services
from acvs.campaigns.models import Block, Campaign, Recipient
from acvs.contacts import services as contact_services
from acvs.contacts.models import ConsentEvent
from acvs.core.tenancy import scope_for
from tests.conftest import membership

from .conftest import SITE, jpeg, person, soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(agent, campaign):
    """A recipient row of a sent campaign, as the signed links name it."""
    ann = person(agent, "Ann Smith", "ann@example.org", language="en")
    return Recipient.objects.create(campaign=campaign, contact=ann, email="ann@example.org", language="en",
                                    status=Recipient.Status.SENT)  # fmt: skip


def test_the_editor_shows_the_count_the_exclusions_and_both_previews(client, agent, campaign):
    person(agent, "Ann", "ann@example.org")
    person(agent, "Bob", "bob@example.org", consent=False)
    client.force_login(agent)
    page = client.get(f"/campaigns/{campaign.pk}/")
    assert page.status_code == 200
    assert "1 recipient" in page.text
    assert "consent withdrawn (unsubscribed): 1" in page.text
    assert f'src="/campaigns/{campaign.pk}/preview/fr/"' in page.text
    assert 'class="preview-phone"' in page.text
    preview = client.get(f"/campaigns/{campaign.pk}/preview/fr/")
    assert preview.status_code == 200
    assert "style-src 'unsafe-inline'" in preview["Content-Security-Policy"]
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert "Le printemps" not in preview.text  # the subject is not in the body; the title block is
    assert "Bonjour" in preview.text


def test_a_block_with_an_image_is_added_and_weighed_on_the_page(client, agent, campaign, media):
    client.force_login(agent)
    response = client.post(f"/campaigns/{campaign.pk}/blocks/", {
        "language": "fr", "kind": "image", "text": "Le port", "credit": "OT Cavalaire", "image": jpeg()})  # fmt: skip
    assert response.status_code == 302
    block = campaign.blocks.get(kind=Block.Kind.IMAGE)
    page = client.get(f"/campaigns/{campaign.pk}/")
    assert "images:" in page.text
    assert block.image.url in page.text


def test_a_time_in_the_past_is_refused_with_a_message(client, agent, campaign):
    person(agent, "Ann", "ann@example.org")
    client.force_login(agent)
    past = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/campaigns/{campaign.pk}/schedule/", {"at": past})
    assert response.status_code == 400
    assert "Choose a date and time in the future." in response.text
    assert Campaign.objects.get().status == Campaign.Status.DRAFT


def test_a_segment_with_nobody_consenting_is_refused_with_a_message(client, agent, campaign):
    person(agent, "Bob", "bob@example.org", consent=False)
    client.force_login(agent)
    future = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/campaigns/{campaign.pk}/schedule/", {"at": future})
    assert response.status_code == 400
    assert "Nobody in these segments can receive this campaign" in response.text


def test_unsubscribe_asks_then_records_the_withdrawal(client, sent):
    url = f"/campaigns/u/{render.link_token(sent.pk)}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "I no longer wish to receive" in page.text
    assert not ConsentEvent.objects.filter(contact=sent.contact, given=False).exists()
    done = client.post(url)
    assert done.status_code == 200
    assert "You are unsubscribed" in done.text
    event = ConsentEvent.objects.filter(contact=sent.contact).first()
    assert (event.purpose, event.given, event.method) == ("newsletter", False, "form")
    assert event.text.startswith("I no longer wish to receive")
    client.post(url)  # twice: nothing new
    assert ConsentEvent.objects.filter(contact=sent.contact, given=False).count() == 1


def test_one_click_unsubscribe_works_without_cookie_or_csrf_token(sent):
    response = Client(enforce_csrf_checks=True).post(
        f"/campaigns/u/{render.link_token(sent.pk)}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    event = ConsentEvent.objects.filter(contact=sent.contact).first()
    assert not event.given
    assert "One-click" in event.origin


@pytest.mark.parametrize("tamper", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "9" + t])
def test_a_tampered_link_changes_nothing(client, sent, tamper):
    token = tamper(render.link_token(sent.pk))
    before = ConsentEvent.objects.count()
    for url in (f"/campaigns/u/{token}/", f"/campaigns/p/{token}/"):
        assert client.get(url).status_code == 404
        response = client.post(url, {"List-Unsubscribe": "One-Click", "language": "de"})
        assert response.status_code == 404
        assert "This link is not valid" in response.text
    assert ConsentEvent.objects.count() == before


def test_preferences_record_each_change_as_a_consent_event(client, sent):
    url = f"/campaigns/p/{render.link_token(sent.pk)}/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="purpose_newsletter"' in page.text
    assert "checked" in page.text
    response = client.post(url, {"purpose_network": "on", "language": "de"})
    assert response.status_code == 200
    assert "Your choices are saved." in response.text
    events = {(e.purpose, e.given): e for e in ConsentEvent.objects.filter(contact=sent.contact, method="form")}
    assert set(events) == {("newsletter", False), ("network", True)}
    assert "département" in events[("network", True)].text
    sent.contact.refresh_from_db()
    assert sent.contact.language == "de"


def test_another_offices_campaign_is_not_found(client, other_agent, campaign):
    client.force_login(other_agent)
    for url in (f"/campaigns/{campaign.pk}/", f"/campaigns/{campaign.pk}/preview/fr/"):
        assert client.get(url).status_code == 404
    for action in ("pause", "cancel", "schedule", "edit", "blocks", "test"):
        assert client.post(f"/campaigns/{campaign.pk}/{action}/").status_code == 404
    assert Campaign.objects.get().status == Campaign.Status.DRAFT


def test_the_audience_in_the_offices_scope_never_holds_another_offices_contacts(agent, other_agent, campaign):
    mine = person(agent, "Ann", "ann@example.org")
    person(other_agent, "Ida", "ida@example.org")
    # Even a campaign pointing at another office's segment (written past the service) reads none of its contacts.
    other_segment = contact_services.segment_save(membership=membership(other_agent), name="Tous", criteria={})
    campaign.segments.add(other_segment)
    with scope_for(office=campaign.office_id):
        found = selectors.audience(Campaign.objects.get(pk=campaign.pk))
    assert [r[0] for r in found.recipients] == [mine.pk]


def test_calendar_page(client, agent, campaign):
    person(agent, "Ann", "ann@example.org")
    services.campaign_schedule(membership=membership(agent), campaign=campaign, at=soon(60 * 24), site_url=SITE)
    client.force_login(agent)
    year = timezone.localtime(Campaign.objects.get().scheduled_at).year
    page = client.get(f"/campaigns/calendar/?year={year}")
    assert page.status_code == 200
    assert "Printemps" in page.text
