"""The demo's campaigns: one sent last spring with its recipients, opens and clicks, one planned, one draft, per demo
office; one sent by each départemental committee to the contacts of its offices who accepted its communications."""

import datetime
import random

import pytest
from django.db import transaction

from acvs.campaigns import selectors
from acvs.campaigns.models import Campaign, Event, Recipient
from acvs.contacts.models import ConsentEvent
from acvs.demo import campaigns as demo_campaigns
from acvs.demo import contacts as demo_contacts
from acvs.demo import desk as demo_desk
from acvs.demo import network


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        offices = network.create_offices()
        users = network.create_users(random.Random(1), offices)
        demo_desk.fill(random.Random(2026), offices, users, today=datetime.date(2026, 12, 3), years=2)  # as the loader
        demo_contacts.fill(random.Random(2026), offices)
        made = demo_campaigns.fill(random.Random(2026), offices, users)
        yield made
        transaction.set_rollback(True)


def test_each_demo_office_has_a_sent_a_planned_and_a_draft_campaign(loaded, db):
    assert loaded == 11
    sent = Campaign.objects.filter(status=Campaign.Status.SENT, reach=Campaign.Reach.OFFICE)
    assert sent.count() == 3
    assert Campaign.objects.filter(status=Campaign.Status.SCHEDULED).count() == 3
    for campaign in sent:
        recipients = Recipient.objects.filter(campaign=campaign)
        assert recipients.count() >= 10
        assert recipients.filter(status=Recipient.Status.SENT).count() > recipients.count() / 2
        # Only contacts who had accepted the newsletter by then, of the campaign's own office.
        contacts = set(recipients.values_list("contact", flat=True))
        consented = ConsentEvent.objects.filter(purpose="newsletter", given=True, at__lte=campaign.started_at)
        assert set(consented.filter(contact__in=contacts).values_list("contact", flat=True)) == contacts
        assert set(recipients.values_list("contact__office", flat=True)) == {campaign.office_id}


def test_each_committee_sent_to_its_offices_contacts_who_accepted_the_network_s_communications(loaded, db):
    sent = Campaign.objects.filter(status=Campaign.Status.SENT).exclude(reach=Campaign.Reach.OFFICE)
    assert sorted(c.office.slug for c in sent) == ["ahp-tourisme", "var-tourisme"]
    for campaign in sent:
        assert campaign.purpose == "network"
        recipients = Recipient.objects.filter(campaign=campaign)
        assert recipients.count() >= 10
        offices = set(recipients.values_list("contact__office", flat=True))
        assert len(offices) > 1, "a committee's campaign reaches several offices' contacts"
        assert set(recipients.values_list("contact__office__department", flat=True)) == {campaign.office.department_id}
        contacts = set(recipients.values_list("contact", flat=True))
        consented = ConsentEvent.objects.filter(purpose="network", given=True, at__lte=campaign.started_at)
        assert set(consented.filter(contact__in=contacts).values_list("contact", flat=True)) == contacts


def test_the_sent_campaigns_show_opens_and_clicks_of_delivered_messages(loaded, db):
    for campaign in Campaign.objects.filter(status=Campaign.Status.SENT):
        events = Event.objects.filter(campaign=campaign)
        assert set(events.values_list("recipient__status", flat=True)) == {Recipient.Status.SENT}
        assert not events.filter(at__lt=campaign.started_at).exists()
        opened = set(events.filter(kind=Event.Kind.OPEN).values_list("recipient", flat=True))
        clicked = set(events.filter(kind=Event.Kind.CLICK).values_list("recipient", flat=True))
        assert clicked
        assert clicked <= opened
        total = selectors.figures(campaign)["total"]
        assert 0 < total["clicked"] < total["opened"] < total["delivered"]
