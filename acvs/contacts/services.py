"""Writes of the prospect file: contacts, their addresses, consents, segments and merges. One transaction each,
rights checked, history written. The counter's requests reach here through desk's request hook (apps.py)."""

from dataclasses import dataclass, field
from typing import Protocol

import phonenumbers
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acvs.core.audit import audit_record, snapshot_diff
from acvs.core.exceptions import check_version
from acvs.core.models import AuditEntry
from acvs.network import rules
from acvs.network.models import Membership

from . import optin
from .models import (
    ConsentEvent,
    ConsentMethod,
    Contact,
    ContactEmail,
    ContactPhone,
    Purpose,
    RequestLink,
    Segment,
    Source,
    Tag,
)

# The identity fields a person types and a merge chooses between.
FIELDS = ("kind", "name", "address", "postcode", "commune", "department", "country", "language")


def normalise_email(value: str) -> str:
    return value.strip().lower()


def normalise_phone(value) -> str:
    """E.164 form of a number (French numbers may be typed nationally); refused when it is not a valid number."""
    try:
        number = phonenumbers.parse(str(value), "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError({"phones": _("Not a valid phone number: %(value)s.") % {"value": value}})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _check(membership: Membership) -> None:
    if not rules.can_use_contacts(membership):
        raise PermissionDenied(_("Your role does not give access to the contacts."))


def _check_contact(membership: Membership, contact: Contact) -> None:
    if not rules.can_change_contact(membership, contact):
        raise PermissionDenied(_("Only the office that keeps this contact can change it."))


class ContactErased(ValidationError):
    """A write aimed at an erased contact: it stays an anonymous row, nothing is changed on it nor added to it."""

    def __init__(self):
        super().__init__(_("This contact was erased: nothing can be changed on it or added to it."), code="erased")


def _check_not_erased(*contacts: Contact) -> None:
    """Read under lock in the caller's transaction: an erasure finishing meanwhile is seen (rights.contact_erase
    locks the contact too). Callers checked the contacts already: read without the tenancy scope."""
    pks = [c.pk for c in contacts]
    locked = Contact._base_manager.select_for_update().filter(pk__in=pks).order_by("pk")
    if any(erased_at is not None for erased_at in locked.values_list("erased_at", flat=True)):
        raise ContactErased


def contact_snapshot(contact: Contact) -> dict:
    snap = {}
    for name in FIELDS:
        model_field = Contact._meta.get_field(name)
        value = getattr(contact, name)
        if model_field.choices:
            value = getattr(contact, f"get_{name}_display")()
        snap[name] = (str(model_field.verbose_name), "" if value is None else str(value))
    snap["emails"] = (_("emails"), {e.email for e in contact.emails.all()})
    snap["phones"] = (_("phones"), {str(p.phone) for p in contact.phones.all()})
    snap["interests"] = (_("interests"), {str(t) for t in contact.interests.all()})
    snap["tags"] = (_("tags"), {t.name for t in contact.tags.all()})
    return snap


@dataclass
class ContactData:
    """What a contact form carries, validated field by field."""

    fields: dict
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    interests: list = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def _write_addresses(contact: Contact, emails: list[str], phones: list[str]) -> None:
    """Replace the contact's addresses; one already held by another contact of the office is refused by name."""
    emails = list(dict.fromkeys(normalise_email(e) for e in emails if e.strip()))
    phones = list(dict.fromkeys(normalise_phone(p) for p in phones if str(p).strip()))
    for model, attr, values, key in (
        (ContactEmail, "email", emails, "emails"),
        (ContactPhone, "phone", phones, "phones"),
    ):
        taken = model.objects.filter(office=contact.office_id, **{f"{attr}__in": values})
        taken = taken.exclude(contact=contact).select_related("contact")
        for row in taken:
            raise ValidationError(
                {key: _("%(value)s already belongs to %(contact)s.") % {"value": row, "contact": row.contact}}
            )
        model.objects.filter(contact=contact).exclude(**{f"{attr}__in": values}).delete()
        known = {_key(v) for v in model.objects.filter(contact=contact).values_list(attr, flat=True)}
        model.objects.bulk_create(
            [model(office_id=contact.office_id, contact=contact, **{attr: v}) for v in values if v not in known]
        )


def _key(value) -> str:
    return getattr(value, "as_e164", None) or str(value)


def _tags(office, names: list[str]) -> list[Tag]:
    names = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    existing = {t.name: t for t in Tag.objects.filter(office=office, name__in=names)}
    missing = [Tag(office=office, name=n) for n in names if n not in existing]
    Tag.objects.bulk_create(missing)
    return [*existing.values(), *missing]


def _save(contact: Contact, data: ContactData) -> None:
    for name, value in data.fields.items():
        setattr(contact, name, value)
    if contact.country and contact.country != "FR":
        contact.department = None
    contact.full_clean(exclude=["office", "interests", "tags"])
    contact.save()
    _write_addresses(contact, data.emails, data.phones)
    contact.interests.set(data.interests)
    contact.tags.set(_tags(contact.office, data.tags))


@transaction.atomic
def contact_create(*, membership: Membership, data: ContactData, source: str = Source.MANUAL) -> Contact:
    _check(membership)
    contact = Contact(office=membership.office, source=source)
    _save(contact, data)
    audit_record(
        instance=contact,
        action=AuditEntry.Action.CREATE,
        user=membership.user,
        office=membership.office,
        changes=snapshot_diff({}, contact_snapshot(contact)),
    )
    return contact


@transaction.atomic
def contact_update(
    *, membership: Membership, contact: Contact, data: ContactData, version: int | None = None
) -> Contact:
    """Apply `data` if nobody saved the contact since `version` was read (ConflictError otherwise); a write that
    read no form (an import) gives no version."""
    _check_contact(membership, contact)
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    if locked.erased_at is not None:
        raise ContactErased
    if version is not None:
        message = _("%(user)s saved this contact at %(time)s, after you opened it. Your changes were not saved.")
        check_version(locked, version, message)
    before = contact_snapshot(locked)
    locked.version += 1
    locked.updated_by = membership.user
    _save(locked, data)
    changes = snapshot_diff(before, contact_snapshot(locked))
    if changes:
        audit_record(
            instance=locked,
            action=AuditEntry.Action.UPDATE,
            user=membership.user,
            office=membership.office,
            changes=changes,
        )
    return locked


@transaction.atomic
def consent_record(
    *,
    membership: Membership,
    contact: Contact,
    purpose: str,
    given: bool,
    text: str,
    method: str = ConsentMethod.AGENT,
    origin: str = "",
    at=None,
    face_to_face: bool = False,
    site_url: str = "",
) -> ConsentEvent:
    """Append one event to the contact's consent history: the proof (when, how, by whom, the exact text shown).
    An email consent not given face to face is recorded pending and a confirmation mail sent (optin.py)."""
    _check_contact(membership, contact)
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": _("Unknown purpose.")})
    if not text.strip():
        raise ValidationError({"text": _("Give the exact text the person agreed to or withdrew from.")})
    if method == ConsentMethod.IMPORT and not origin.strip():
        raise ValidationError({"origin": _("An imported consent states where it was collected.")})
    _check_not_erased(contact)
    pending = given and optin.needs_confirmation(purpose, method, face_to_face=face_to_face)
    email = optin.address_for(contact) if pending else None
    if pending and not email:
        raise ValidationError(
            {"purpose": _("This consent must be confirmed by email: give the contact an email address first.")}
        )
    event = ConsentEvent.objects.create(
        office=contact.office,
        contact=contact,
        purpose=purpose,
        given=given,
        at=at or timezone.now(),
        method=method,
        origin=origin.strip(),
        by=membership.user,
        text=text.strip(),
        pending=pending,
    )
    if pending:
        optin.ask(event=event, email=email, language=contact.language, site_url=site_url)
    return event


# The counter -------------------------------------------------------------------------------------------------------


def _match(visitor_request) -> Contact | None:
    """The office's contact holding the request's email, else its phone."""
    office = visitor_request.office_id
    if visitor_request.email:
        found = ContactEmail.objects.filter(office=office, email=normalise_email(visitor_request.email)).select_related(
            "contact"
        )
        if row := found.first():
            return row.contact
    if visitor_request.phone:
        found = ContactPhone.objects.filter(office=office, phone=visitor_request.phone.as_e164).select_related(
            "contact"
        )
        if row := found.first():
            return row.contact
    return None


def _counter_wording() -> dict[str, tuple[str, str]]:
    # The request form's own labels: the exact words the agent read out and ticked (desk.forms).
    from acvs.desk.forms import RequestForm

    labels = RequestForm.base_fields
    return {
        "consent_newsletter": (Purpose.NEWSLETTER, str(labels["consent_newsletter"].label)),
        "consent_contact": (Purpose.REQUEST, str(labels["consent_contact"].label)),
    }


def request_recorded(*, membership: Membership | None, visitor_request, previous: dict | None) -> None:
    """Desk's request hook: link the request to the office's contact with the same email or phone (created when
    none), and turn the consent boxes ticked or unticked into consent events (how: at the counter, or by the agent
    for a request by phone, mail or email, which then needs the double opt-in). A request the visitor sent
    themselves (`membership` None: the public page) records its consents there, with the words the visitor read."""
    if not (visitor_request.email or visitor_request.phone):
        return
    link = RequestLink.objects.filter(visitor_request=visitor_request).select_related("contact").first()
    # An erased contact stays anonymous: an identity typed later into one of its requests starts a new contact.
    contact = link.contact if link and not link.contact.erased_at else _match(visitor_request)
    if contact is None:
        contact = Contact.objects.create(
            office=visitor_request.office,
            source=Source.COUNTER if membership else Source.FORM,
            name=visitor_request.name,
            address=visitor_request.address,
            postcode=visitor_request.postcode,
            commune=visitor_request.commune,
            department=visitor_request.department,
            country=visitor_request.country or ("FR" if visitor_request.origin == "france" else ""),
            language=visitor_request.language,
        )
    elif not contact.name and visitor_request.name:
        contact.name = visitor_request.name
    if link is None:
        RequestLink.objects.create(contact=contact, visitor_request=visitor_request)
    elif link.contact_id != contact.pk:
        link.contact = contact
        link.save(update_fields=["contact"])
    contact.last_contact_at = max(filter(None, [contact.last_contact_at, visitor_request.received_at]))
    contact.save()
    _add_missing(contact, visitor_request)
    contact.interests.add(*visitor_request.themes.all())
    if membership is None:
        return
    face_to_face = visitor_request.channel == "counter"
    method = ConsentMethod.COUNTER if face_to_face else ConsentMethod.AGENT
    for name, (purpose, text) in _counter_wording().items():
        now, before = getattr(visitor_request, name), (previous or {}).get(name, False)
        # At a new request an unticked box says nothing (the visitor was not asked to withdraw): only changes count.
        if now == before:
            continue
        pending = now and optin.needs_confirmation(purpose, method)
        email = normalise_email(visitor_request.email) if visitor_request.email else None
        if pending and not email:
            continue  # by phone without an address: nothing can confirm it, so nothing is consented
        event = ConsentEvent.objects.create(
            office=contact.office,
            contact=contact,
            purpose=purpose,
            given=now,
            at=timezone.now(),
            method=method,
            by=membership.user,
            text=text,
            pending=pending,
        )
        if pending:
            optin.ask(event=event, email=email, language=contact.language)


def _add_missing(contact: Contact, visitor_request) -> None:
    if visitor_request.email:
        email = normalise_email(visitor_request.email)
        if not ContactEmail.objects.filter(office=contact.office_id, email=email).exists():
            ContactEmail.objects.create(office_id=contact.office_id, contact=contact, email=email)
    if visitor_request.phone:
        phone = visitor_request.phone.as_e164
        if not ContactPhone.objects.filter(office=contact.office_id, phone=phone).exists():
            ContactPhone.objects.create(office_id=contact.office_id, contact=contact, phone=phone)


# Segments ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def segment_save(*, membership: Membership, name: str, criteria: dict) -> Segment:
    """Save the list's filters under a name (the same name replaces the office's earlier segment)."""
    _check(membership)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the segment a name.")})
    segment, _created = Segment.objects.update_or_create(
        office=membership.office, name=name, defaults={"criteria": criteria, "created_by": membership.user}
    )
    return segment


@transaction.atomic
def segment_delete(*, membership: Membership, segment: Segment) -> None:
    _check(membership)
    segment.delete()


# Merging -----------------------------------------------------------------------------------------------------------


@transaction.atomic
def contact_merge(*, membership: Membership, kept: Contact, merged: Contact, choices: dict[str, str]) -> Contact:
    """Fold `merged` into `kept`: for each identity field `choices` says whose value stays ("kept" or "merged");
    requests, emails, phones, consent events, interests and tags move; `merged` is deleted; both are audited."""
    _check_contact(membership, kept)
    _check_contact(membership, merged)
    if kept.pk == merged.pk:
        raise ValidationError(_("Choose two different contacts."))
    _check_not_erased(kept, merged)
    kept, merged = (Contact.objects.select_for_update().get(pk=c.pk) for c in (kept, merged))
    before, gone = contact_snapshot(kept), contact_snapshot(merged)
    for name in FIELDS:
        if choices.get(name) == "merged":
            setattr(kept, name, getattr(merged, name))
    kept.last_contact_at = max(filter(None, [kept.last_contact_at, merged.last_contact_at]), default=None)
    RequestLink.objects.filter(contact=merged).update(contact=kept)
    ContactEmail.objects.filter(contact=merged).update(contact=kept)
    ContactPhone.objects.filter(contact=merged).update(contact=kept)
    ConsentEvent.objects.filter(contact=merged).move_to(kept)
    kept.interests.add(*merged.interests.all())
    kept.tags.add(*merged.tags.all())
    kept.full_clean(exclude=["office", "interests", "tags"])
    kept.save()
    label = _("merged contact")
    changes = snapshot_diff(before, contact_snapshot(kept))
    changes.append({"field": "merged", "label": label, "old": "", "new": f"#{merged.pk} {merged}"})
    audit_record(
        instance=kept, action=AuditEntry.Action.UPDATE, user=membership.user, office=membership.office, changes=changes
    )
    audit_record(
        instance=merged,
        action=AuditEntry.Action.DELETE,
        user=membership.user,
        office=membership.office,
        changes=snapshot_diff(gone, {k: (lbl, set() if isinstance(v, set) else "") for k, (lbl, v) in gone.items()}),
    )
    merged.delete()
    return kept


# Bounces -----------------------------------------------------------------------------------------------------------


class BounceLike(Protocol):
    """What a delivery report says of one recipient (mailing's `verp.Bounce`, campaigns' recipients alike)."""

    hard: bool
    status: str
    diagnostic: str


def bounce_reason(bounce: BounceLike) -> str:
    return " ".join(f"{bounce.status} {bounce.diagnostic}".split())[:300]


def _deliverability_audit(row: ContactEmail, old: str, new: str, user, office) -> None:
    audit_record(
        instance=row.contact, action=AuditEntry.Action.UPDATE, user=user, office=office,
        changes=[{"field": "undeliverable", "label": _("undeliverable address"), "old": old, "new": new}],
    )  # fmt: skip


@transaction.atomic
def record_bounce(*, office, address: str, bounce: BounceLike) -> ContactEmail | None:
    """A bounce of a message sent to `address` by `office`, called in that office's scope by the sending's handler.

    A hard bounce makes the address undeliverable at once; soft ones are counted and the ACVS_SOFT_BOUNCES_LIMIT-th
    in a row makes it undeliverable. An address already undeliverable, or no contact's, is left as it is.
    """
    row = ContactEmail.objects.select_for_update().filter(office=office, email=normalise_email(address)).first()
    if row is None or row.undeliverable_at is not None:
        return row
    reason = bounce_reason(bounce)
    if not bounce.hard:
        row.soft_bounces += 1
    if bounce.hard or row.soft_bounces >= settings.ACVS_SOFT_BOUNCES_LIMIT:
        row.undeliverable_at, row.undeliverable_reason = timezone.now(), reason
        _deliverability_audit(row, "", f"{row.email}: {reason}", None, row.office)
    row.save(update_fields=["soft_bounces", "undeliverable_at", "undeliverable_reason"])
    return row


@transaction.atomic
def email_mark_deliverable(*, membership: Membership, address: ContactEmail) -> ContactEmail:
    """An agent checked the address (the visitor confirmed it): it is sent to again, its bounce count starts over."""
    row = ContactEmail.objects.select_for_update().select_related("contact").get(pk=address.pk)
    _check_contact(membership, row.contact)
    if row.undeliverable_at is None and not row.soft_bounces:
        return row
    old = f"{row.email}: {row.undeliverable_reason}" if row.undeliverable_at else ""
    row.soft_bounces, row.undeliverable_at, row.undeliverable_reason = 0, None, ""
    row.save(update_fields=["soft_bounces", "undeliverable_at", "undeliverable_reason"])
    _deliverability_audit(row, old, _("%(address)s: deliverable again") % {"address": row.email},
                          membership.user, membership.office)  # fmt: skip
    return row
