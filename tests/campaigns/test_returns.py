"""Return on investment: the contacts a campaign reached who came to the counter, wrote or had a booklet made within
the window after their message, counted from real requests, replies and booklets; never before the sending, never
after the window, never from another office."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from acvs.booklet.models import Booklet
from acvs.campaigns import returns, services, tracking
from acvs.campaigns.models import Campaign, Event, Recipient
from acvs.contacts.models import RequestLink
from acvs.desk import services as desk_services
from acvs.desk.services import RequestData
from acvs.mailing.models import Answer, IncomingMessage
from tests.conftest import membership

from .conftest import person

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def visit(user, at, *, email="", channel="counter"):
    fields = {"origin": "abroad", "country": "DE", "adults": 2, "language": "de", "outcome": "fully",
              "channel": channel, "received_at": at}  # fmt: skip
    if email:
        fields |= {"name": email.partition("@")[0].title(), "email": email}
    return desk_services.request_create(membership=membership(user), data=RequestData(fields=fields))


@pytest.fixture
def world(agent, other_agent, campaign):
    """A campaign delivered 45 days ago to five contacts of Cavalaire, and what each did since."""
    sent_at = timezone.now() - 45 * DAY
    people = {}
    for key in ("ann", "bob", "cid", "dan", "eve", "fay"):
        people[key] = person(agent, key.title(), f"{key}@example.org")
        status = Recipient.Status.BOUNCED if key == "fay" else Recipient.Status.SENT
        Recipient.objects.create(campaign=campaign, contact=people[key], email=f"{key}@example.org", language="fr",
                                 status=status, sent_at=sent_at)  # fmt: skip
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SENT, started_at=sent_at, cost=150)
    campaign.refresh_from_db()

    visit(agent, sent_at - DAY, email="ann@example.org")  # before the sending: not a return
    visit(agent, sent_at + 3 * DAY, email="ann@example.org")  # at the counter, 3 days after
    visit(agent, sent_at + 10 * DAY, email="bob@example.org", channel="email")  # wrote, 10 days after
    visit(agent, sent_at + 40 * DAY, email="cid@example.org")  # at the counter, 40 days after
    booklet = Booklet.objects.create(office=campaign.office, title="Séjour", recipient="Dan@Example.org")
    Booklet.objects.filter(pk=booklet.pk).update(created_at=sent_at + 5 * DAY)  # a booklet, 5 days after
    visit(agent, sent_at + 70 * DAY, email="fay@example.org")  # bounced: never reached
    # Eve went to another office: its request is its own contact's, and even linked by mistake it does not count.
    visit(other_agent, sent_at + 2 * DAY, email="eve@example.org")
    elsewhere = visit(other_agent, sent_at + 2 * DAY)
    RequestLink.objects.create(contact=people["eve"], visitor_request=elsewhere)
    return campaign, people, sent_at


def test_returns_within_the_window_by_kind_and_the_cost_per_return(world, django_assert_num_queries):
    campaign, _people, _sent_at = world
    with django_assert_num_queries(1):
        found = returns.campaign_returns(campaign)
    assert found.days == 30
    assert (found.reached, found.total) == (5, 3)
    assert found.by_kind == {"counter": 1, "written": 1, "booklet": 1}
    assert found.share == 60
    assert found.cost == Decimal("150.00")
    assert found.cost_per_return == Decimal("50.00")


def test_the_window_decides_what_counts(world):
    campaign, _people, _sent_at = world
    wider = returns.campaign_returns(campaign, days=60)
    assert (wider.total, wider.by_kind) == (4, {"counter": 2, "written": 1, "booklet": 1})
    narrow = returns.campaign_returns(campaign, days=2)
    assert (narrow.total, narrow.by_kind, narrow.cost_per_return) == (0, {"counter": 0, "written": 0, "booklet": 0},
                                                                      None)  # fmt: skip


def test_a_reply_to_an_answer_counts_as_writing(world, agent):
    campaign, people, sent_at = world
    before = visit(agent, sent_at - 20 * DAY, email="eve@example.org", channel="email")  # itself too early
    answer = Answer.objects.create(visitor_request=before, to="eve@example.org", subject="Re", body="…")
    IncomingMessage.objects.create(visitor_request=before, answer=answer, message_id="<r1@example.org>",
                                   sender="eve@example.org", received_at=sent_at + 6 * DAY)  # fmt: skip
    found = returns.campaign_returns(campaign)
    assert (found.total, found.by_kind["written"]) == (4, 2)


def test_the_seam_counts_from_another_moment(world):
    campaign, people, sent_at = world
    Recipient.objects.filter(contact=people["cid"]).update(sent_at=sent_at + 20 * DAY)
    found = returns.count_returns(Recipient.objects.filter(contact=people["cid"]), days=30)
    assert (found["reached"], found["total"], found["counter"], found["after_click"]) == (1, 1, 1, 0)


def click(recipient, at):
    assert tracking.record(recipient, Event.Kind.CLICK, "https://cavalaire.example/programme")
    Event.objects.filter(recipient=recipient).update(at=at)


def test_a_return_within_the_window_after_a_click_counts(world, client, agent, django_assert_num_queries):
    campaign, people, sent_at = world
    rows = {key: Recipient.objects.select_related("campaign").get(contact=people[key]) for key in ("cid", "eve", "fay")}
    # Cid came to the counter 40 days after the message, out of its 30-day window; he had clicked 20 days after it.
    click(rows["cid"], sent_at + 20 * DAY)
    # Fay's message bounced, yet she clicked (a click proves the message reached her), 65 days after, and came 5
    # days later. Eve clicked the day after; her visit the next day was at another office: not a return.
    click(rows["fay"], sent_at + 65 * DAY)
    click(rows["eve"], sent_at + DAY)
    with django_assert_num_queries(1):
        found = returns.campaign_returns(campaign)
    assert (found.reached, found.total, found.after_click) == (6, 5, 2)
    assert found.by_kind == {"counter": 3, "written": 1, "booklet": 1}
    assert found.cost_per_return == Decimal("30.00")

    # A click after the visit does not make the visit a return.
    Event.objects.filter(recipient=rows["cid"]).update(at=sent_at + 41 * DAY)
    Event.objects.filter(recipient=rows["fay"]).update(at=sent_at + 71 * DAY)
    found = returns.campaign_returns(campaign)
    assert (found.reached, found.total, found.after_click) == (6, 3, 0)

    Event.objects.filter(recipient=rows["cid"]).update(at=sent_at + 20 * DAY)
    client.force_login(agent)
    page = client.get(f"/campaigns/{campaign.pk}/")
    assert "4 returns" in page.text
    assert "(66.7 % of the 6 contacts reached)" in page.text
    assert '<td id="returns-after-click">1</td>' in page.text


def test_the_page_shows_the_returns_the_window_is_selectable_and_the_cost_is_entered(client, agent, world):
    campaign, _people, _sent_at = world
    client.force_login(agent)
    page = client.get(f"/campaigns/{campaign.pk}/")
    assert page.status_code == 200
    assert "3 returns" in page.text
    assert "(60.0 % of the 5 contacts reached)" in page.text
    assert '<td id="cost-per-return">50.00 €</td>' in page.text
    assert "4 returns" in client.get(f"/campaigns/{campaign.pk}/?days=60").text
    assert "3 returns" in client.get(f"/campaigns/{campaign.pk}/?days=nonsense").text

    response = client.post(f"/campaigns/{campaign.pk}/returns/", {"cost": "90", "return_days": "60"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.cost, campaign.return_days) == (Decimal("90.00"), 60)
    assert '<td id="cost-per-return">22.50 €</td>' in client.get(f"/campaigns/{campaign.pk}/").text

    refused = client.post(f"/campaigns/{campaign.pk}/returns/", {"cost": "-5", "return_days": "0"})
    assert refused.status_code == 400
    assert 'id="returns-form"' in refused.text
    campaign.refresh_from_db()
    assert (campaign.cost, campaign.return_days) == (Decimal("90.00"), 60)


def test_another_office_neither_reads_the_returns_nor_sets_the_cost(client, other_agent, partner, world):
    campaign, _people, _sent_at = world
    client.force_login(other_agent)
    assert client.get(f"/campaigns/{campaign.pk}/").status_code == 404
    assert client.post(f"/campaigns/{campaign.pk}/returns/", {"cost": "1", "return_days": "7"}).status_code == 404
    client.force_login(partner)
    assert client.post(f"/campaigns/{campaign.pk}/returns/", {"cost": "1", "return_days": "7"}).status_code == 403
    campaign.refresh_from_db()
    assert (campaign.cost, campaign.return_days) == (Decimal("150.00"), 30)


def test_the_service_refuses_another_office(other_agent, world):
    campaign, _people, _sent_at = world
    with pytest.raises(PermissionDenied):
        services.campaign_returns_save(membership=membership(other_agent), campaign=campaign, cost=1, return_days=7)
