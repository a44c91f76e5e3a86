"""Reads of the prospect file. Lists are the scoped managers' querysets (the acting office's rows only); lookups
answer 404 for another office's contact."""

import re

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from acvs.core.audit import audit_history
from acvs.network.models import Commune

from .models import ConsentEvent, Contact, ContactEmail, ContactPhone, Purpose, Segment, Tag


def contacts():
    return Contact.objects.all()


def get_contact(pk) -> Contact:
    """One contact of the acting office; 404 when it does not exist or belongs to another office."""
    try:
        return contacts().select_related("commune", "department").get(pk=pk)
    except (Contact.DoesNotExist, ValueError, TypeError):
        raise Http404("No such contact") from None


def tags():
    return Tag.objects.all()


def segments():
    return Segment.objects.all()


def get_segment(pk) -> Segment:
    try:
        return segments().get(pk=pk)
    except (Segment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such segment") from None


def consenting(purpose: str):
    """The contacts whose latest event for `purpose` gives consent: a given event with no later one."""
    later = ConsentEvent.objects.filter(contact=OuterRef("contact"), purpose=purpose).filter(
        Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), pk__gt=OuterRef("pk"))
    )
    return ConsentEvent.objects.filter(purpose=purpose, given=True).filter(~Exists(later)).values("contact")


def search(criteria: dict):
    """The office's contacts matching the list's filters (a form's cleaned data; empty values are ignored)."""
    found = contacts().select_related("commune", "department")
    if text := criteria.get("q"):
        # A union of one indexed match per table (trigram indexes on PostgreSQL, migration 0002): an OR across
        # tables or joins made the database scan every contact.
        ids = [
            contacts().filter(name__icontains=text).values("pk"),
            contacts().filter(commune__in=Commune.objects.filter(name__icontains=text).values("pk")).values("pk"),
            ContactEmail.objects.filter(email__icontains=text).values("contact"),
        ]
        digits = re.sub(r"\D", "", text)
        if len(digits) >= 4:
            # Numbers are stored as +33612…: a typed 06 12… is found by its digits after the leading 0.
            ids.append(ContactPhone.objects.filter(phone__contains=digits.lstrip("0")).values("contact"))
        found = found.filter(pk__in=ids[0].union(*ids[1:]))
    if interest := criteria.get("interest"):
        found = found.filter(interests=interest)
    if tag := criteria.get("tag"):
        found = found.filter(tags=tag)
    for name in ("language", "country", "department"):
        if value := criteria.get(name):
            found = found.filter(**{name: value})
    if since := criteria.get("since"):
        found = found.filter(last_contact_at__date__gte=since)
    if until := criteria.get("until"):
        found = found.filter(last_contact_at__date__lte=until)
    if purpose := criteria.get("consent"):
        found = found.filter(pk__in=consenting(purpose))
    return found.order_by("name", "pk")


def current_consents(contact: Contact) -> list[tuple[str, str, ConsentEvent | None]]:
    """Per purpose (value, label, latest event or None): the current consent is the latest event."""
    latest = {}
    for event in ConsentEvent.objects.filter(contact=contact).select_related("by").order_by("at", "id"):
        latest[event.purpose] = event
    return [(value, label, latest.get(value)) for value, label in Purpose.choices]


def consent_history(contact: Contact):
    return ConsentEvent.objects.filter(contact=contact).select_related("by")


def duplicates(contact: Contact):
    """Other contacts of the office that may be the same person: same name (any case)."""
    if not contact.name:
        return contacts().none()
    return contacts().filter(name__iexact=contact.name).exclude(pk=contact.pk)[:10]


def export_rows(found) -> tuple[list[str], list[list]]:
    header = [_("Number"), _("Name"), _("Emails"), _("Phones"), _("Postal address"), _("Postcode"), _("Commune"),
              _("Country"), _("Language"), _("Last contact")]  # fmt: skip
    rows = []
    for c in found.prefetch_related("emails", "phones"):
        emails = ", ".join(e.email for e in c.emails.all())
        phones = ", ".join(p.phone.as_e164 for p in c.phones.all())
        last = c.last_contact_at.date().isoformat() if c.last_contact_at else ""
        commune = c.commune.name if c.commune else ""
        rows.append([c.pk, c.name, emails, phones, c.address, c.postcode, commune, c.country, c.language, last])
    return header, rows


def contact_history(contact: Contact):
    return audit_history(contact)
