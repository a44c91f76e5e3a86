"""The demo's prospect files: a few hundred contacts per office, matched from its season of requests.

The written requests (email, web form, phone, letters) and a share of the counter ones leave an identity; some
visitors come back, so a contact gathers one to four requests. Consents follow the boxes ticked at the time, with
the counter form's wording; one newsletter subscriber in three also agreed, at the counter, to hear from the
département and the network (the audience of their campaigns). Everything is bulk-inserted: the whole network
takes a few seconds.
"""

import random
from collections import defaultdict

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from acvs.contacts.forms import CONSENT_WORDING
from acvs.contacts.models import (
    ConsentEvent,
    ConsentMethod,
    Contact,
    ContactEmail,
    ContactPhone,
    Purpose,
    RequestLink,
    Source,
)
from acvs.desk.forms import RequestForm
from acvs.desk.models import Channel, VisitorRequest
from acvs.network.models import Office

from .names import FIRST_NAMES, LAST_NAMES

PER_OFFICE = 300
COUNTER_SHARE = 0.04  # counter visitors who leave an address
RETURNING = 0.25  # a request from someone already known
WITH_PHONE = {Channel.PHONE, Channel.COUNTER}
NEWSLETTER, CONTACT = 0.35, 0.6
NETWORK_EVERY = 3  # newsletter subscribers who also accept the network's communications: one in three


def _phone(number: int) -> str:
    # ARCEP's range for fiction in the south-east (04 65 71 00 00 to 04 65 71 99 99): no one is ever reached.
    return f"+3346571{number:04d}"


def fill(rng: random.Random, offices: dict[str, Office]) -> dict:
    wording = {name: str(RequestForm.base_fields[name].label) for name in ("consent_newsletter", "consent_contact")}
    totals = defaultdict(int)
    for office in offices.values():
        if office.kind == Office.Kind.UNION:
            continue
        season = VisitorRequest.objects.filter(office=office).order_by("received_at").values_list("pk", "channel")
        eligible = [pk for pk, channel in season if channel != Channel.COUNTER or rng.random() < COUNTER_SHARE]
        # Spread over the whole season, in order: someone known comes back later.
        picked = rng.sample(eligible, min(len(eligible), int(PER_OFFICE / (1 - RETURNING))))
        requests = VisitorRequest.objects.filter(pk__in=picked).order_by("received_at").prefetch_related("themes")
        people: list[dict] = []
        chosen = []
        for r in requests:
            returning = bool(people) and (rng.random() < RETURNING or len(people) >= PER_OFFICE)
            if returning:
                person = rng.choice(people)
            else:
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                email = f"{slugify(first)}.{slugify(last)}.{len(people)}@example.org"
                person = {"name": f"{first} {last}", "email": email, "phone": _phone(len(people)), "requests": []}
                people.append(person)
            r.name = person["name"]
            r.email = person["email"] if r.channel != Channel.PHONE else ""
            r.phone = person["phone"] if r.channel in WITH_PHONE or not r.email else ""
            r.consent_newsletter = bool(r.email) and rng.random() < NEWSLETTER
            r.consent_contact = rng.random() < CONTACT
            r.consent_at = r.received_at if (r.consent_newsletter or r.consent_contact) else None
            person["requests"].append(r)
            chosen.append(r)
        _identify(chosen)
        _contacts(office, people, wording, totals)
    return dict(totals)


def _identify(requests: list[VisitorRequest]) -> None:
    """Write the identities and boxes in one statement run per row: bulk_update's CASE expressions took seconds."""
    columns = ("name", "email", "phone", "consent_newsletter", "consent_contact", "consent_at")
    quote, adapt = connection.ops.quote_name, connection.ops.adapt_datetimefield_value
    sql = "UPDATE {} SET {} WHERE id = %s".format(
        quote(VisitorRequest._meta.db_table), ", ".join(f"{quote(c)} = %s" for c in columns)
    )
    rows = [
        (
            r.name,
            r.email,
            r.phone.as_e164 if r.phone else "",
            r.consent_newsletter,
            r.consent_contact,
            adapt(r.consent_at),
            r.pk,
        )
        for r in requests
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _contacts(office: Office, people: list[dict], wording: dict, totals) -> None:
    contacts = []
    for person in people:
        first = person["requests"][0]
        contacts.append(
            Contact(
                office=office, name=person["name"], source=Source.COUNTER, language=first.language,
                country=first.country or "FR", department_id=first.department_id, commune_id=first.commune_id,
                last_contact_at=person["requests"][-1].received_at,
            )
        )  # fmt: skip
    Contact.objects.bulk_create(contacts, batch_size=1000)
    emails, phones, links, consents, interests = [], [], [], [], []
    through = Contact.interests.through
    now = timezone.now()
    for contact, person in zip(contacts, people, strict=True):
        requests = person["requests"]
        if any(r.email for r in requests):
            emails.append(ContactEmail(office=office, contact=contact, email=person["email"]))
        if any(r.phone for r in requests):
            phones.append(ContactPhone(office=office, contact=contact, phone=person["phone"]))
        themes = set()
        given = {Purpose.NEWSLETTER: False, Purpose.REQUEST: False}
        for r in requests:
            links.append(RequestLink(contact=contact, visitor_request=r))
            themes.update(t.pk for t in r.themes.all())
            for name, purpose in (("consent_newsletter", Purpose.NEWSLETTER), ("consent_contact", Purpose.REQUEST)):
                ticked = getattr(r, name)
                if ticked != given[purpose] and (ticked or r is not requests[0]):
                    given[purpose] = ticked
                    consents.append(
                        ConsentEvent(
                            office=office, contact=contact, purpose=purpose, given=ticked, at=min(r.received_at, now),
                            method=ConsentMethod.COUNTER, by_id=r.recorded_by_id, text=wording[name],
                        )
                    )  # fmt: skip
        subscribed = next((e for e in reversed(consents) if e.contact is contact and e.purpose == Purpose.NEWSLETTER),
                          None)  # fmt: skip
        if subscribed is not None and subscribed.given and contact.pk % NETWORK_EVERY == 0:
            consents.append(
                ConsentEvent(
                    office=office, contact=contact, purpose=Purpose.NETWORK, given=True, at=subscribed.at,
                    method=ConsentMethod.COUNTER, by_id=subscribed.by_id, text=str(CONSENT_WORDING[Purpose.NETWORK]),
                )
            )  # fmt: skip
        interests.extend(through(contact_id=contact.pk, theme_id=pk) for pk in themes)
    ContactEmail.objects.bulk_create(emails, batch_size=1000)
    ContactPhone.objects.bulk_create(phones, batch_size=1000)
    RequestLink.objects.bulk_create(links, batch_size=1000)
    ConsentEvent.objects.bulk_create(consents, batch_size=1000)
    through.objects.bulk_create(interests, batch_size=1000)
    totals["contacts"] += len(contacts)
    totals["consents"] += len(consents)
    totals["requests"] += len(links)
