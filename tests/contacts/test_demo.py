"""The demo's prospect files: a few hundred contacts per office matched from its requests, with consents."""

import datetime
import random

import pytest
from django.db import transaction
from django.db.models import Count

from acvs.contacts.models import ConsentEvent, Contact, ContactEmail, ContactPhone, RequestLink
from acvs.contacts.services import normalise_phone
from acvs.demo import contacts as demo_contacts
from acvs.demo import desk as demo_desk
from acvs.demo import network
from acvs.desk.models import VisitorRequest

# The module loads the demo once: under pytest-xdist its tests stay in one process.
pytestmark = pytest.mark.xdist_group("demo-contacts")


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        offices = network.create_offices()
        users = network.create_users(random.Random(1), offices)
        demo_desk.fill(random.Random(2026), offices, users, today=datetime.date(2026, 12, 3))
        summary = demo_contacts.fill(random.Random(2026), offices)
        yield offices, summary
        transaction.set_rollback(True)


@pytest.fixture
def season(loaded, db):
    return loaded


def test_every_office_with_a_counter_has_a_few_hundred_contacts(season):
    _offices, summary = season
    per_office = dict(Contact.objects.values_list("office__slug").annotate(n=Count("pk")))
    assert per_office
    assert all(100 <= n <= 300 for n in per_office.values()), per_office
    assert summary["contacts"] == sum(per_office.values())


def test_requests_and_contacts_agree(season):
    link = RequestLink.objects.select_related("contact", "visitor_request").order_by("?").first()
    r, contact = link.visitor_request, link.contact
    assert r.office_id == contact.office_id
    assert r.name == contact.name
    if r.email:
        assert ContactEmail.objects.get(office=r.office, email=r.email).contact_id == contact.pk
    returning = RequestLink.objects.values("contact").annotate(n=Count("pk")).filter(n__gt=1)
    assert returning.exists()
    assert not VisitorRequest.objects.exclude(email="").filter(contact_link__isnull=True).exists()


def test_consents_follow_the_boxes_ticked_and_phones_are_valid(season):
    assert ConsentEvent.objects.filter(given=True, method="counter").exists()
    given = ConsentEvent.objects.filter(purpose="newsletter", given=True).values_list("contact", flat=True)
    assert VisitorRequest.objects.filter(consent_newsletter=True, contact_link__contact__in=given).exists()
    for phone in ContactPhone.objects.all()[:50]:
        assert normalise_phone(phone.phone.as_e164) == phone.phone.as_e164


def test_the_demo_shows_an_erasure_and_the_retention_at_work(loaded, db):
    from acvs.contacts.models import AccessAction, AccessLog
    from acvs.demo import rights as demo_rights

    offices, _summary = loaded
    totals = demo_rights.fill(offices)
    assert totals["erased"] >= 2
    assert totals["asked"] == 2 * totals["erased"]
    erased = Contact.objects.filter(erased_at__isnull=False)
    assert erased.count() == totals["erased"]
    assert not ContactEmail.objects.filter(contact__in=erased).exists()
    assert AccessLog.objects.filter(action=AccessAction.ERASE).count() == totals["erased"]


def test_web_form_subscriptions_are_confirmed_pending_or_expired(season):
    from acvs.contacts import selectors
    from acvs.demo import optin as demo_optin

    totals = demo_optin.fill(random.Random(7), season[0])
    assert all(totals[state] for state in ("confirmed", "pending", "expired")), totals
    confirmed = ConsentEvent.objects.filter(confirmation_mail__isnull=False)
    assert confirmed.count() == totals["confirmed"]
    pending = ConsentEvent.objects.filter(pending=True, method="form").exclude(
        pk__in=confirmed.values("confirmation_mail__event")
    )
    assert not selectors.consenting("newsletter").filter(contact__in=pending.values("contact")).exists()
