"""A person's rights over what an office holds on them: export everything, erase it.

Every app that stores personal data about a contact declares it here, as a `PersonalData`: the fields that hold it
(`"app_label.Model": (field, …)`), the rows of one contact (`rows(contact)`, querysets), and optionally its own
erasure. Contacts declares its own rows and those of the apps below it (desk's requests, booklets, the history);
apps above it (mailing, campaigns) register theirs in their AppConfig.ready(). Fields that look personal but are not
are declared in `NOT_PERSONAL` (or by a higher app with `declare_not_personal`): tests/contacts/test_personal_fields.py
fails on a field that is neither.
"""

import datetime
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from acvs.booklet.models import Booklet, BookletItem, BookletSending
from acvs.core.models import AuditEntry, Job
from acvs.desk.models import VisitorRequest
from acvs.network import rules
from acvs.network.models import Membership

from .models import AccessAction, AccessLog, ConfirmationMail, ConsentEvent, Contact, ContactEmail, ContactPhone
from .models.consent import IDENTITY_FIELDS

Rows = Callable[[Contact], Iterable[QuerySet]]


@dataclass(frozen=True)
class PersonalData:
    name: str  # the key of the JSON export
    label: str  # a heading of the readable export and of the erasure's report
    fields: dict[str, tuple[str, ...]]  # "app_label.Model" -> its personal fields
    rows: Rows
    # Erases the contact's rows and returns {label: rows changed}; by default the personal fields are emptied.
    erase: Callable[[Contact], dict[str, int]] | None = None


REGISTRY: dict[str, PersonalData] = {}
NOT_PERSONAL: dict[str, str] = {}


def register(data: PersonalData) -> None:
    REGISTRY[data.name] = data


def declare_not_personal(fields: dict[str, str]) -> None:
    """`{"app_label.Model.field": why it is not a visitor's personal data}`."""
    NOT_PERSONAL.update(fields)


def personal_fields() -> set[str]:
    return {f"{model}.{name}" for data in REGISTRY.values() for model, names in data.fields.items() for name in names}


# Export --------------------------------------------------------------------------------------------------------------


def _value(value):
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)  # decimals, phone numbers, files


def row_dict(obj: models.Model) -> dict:
    """Every field of a row: concrete ones by their column's value (a link by its id), many-to-many as names."""
    data = {}
    for f in obj._meta.concrete_fields:
        data[f.attname] = _value(f.value_from_object(obj))
    for f in obj._meta.many_to_many:
        data[f.name] = [str(x) for x in getattr(obj, f.name).all()]
    return data


def export(contact: Contact) -> dict:
    """Everything the office holds on the contact, per kind of data, as plain JSON values."""
    sections = {}
    for data in REGISTRY.values():
        section = {}
        for queryset in data.rows(contact):
            section.setdefault(queryset.model._meta.label, []).extend(row_dict(obj) for obj in queryset)
        sections[data.name] = section
    return {
        "contact": contact.pk,
        "office": contact.office.name,
        "exported_at": timezone.now().isoformat(),
        "data": sections,
    }


def _readable(value) -> str:
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _as_read(obj: models.Model) -> list[tuple[str, str]]:
    """A row as people read it: choices by their label, links by their name, empty values left out."""
    pairs = []
    for f in obj._meta.concrete_fields:
        value = f.value_from_object(obj)
        if value in (None, "", [], {}):
            continue
        if f.choices:
            value = getattr(obj, f"get_{f.name}_display")()
        elif f.is_relation:
            value = getattr(obj, f.name)
        elif isinstance(value, datetime.datetime):
            value = formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        pairs.append((str(f.verbose_name), _readable(_value(value))))
    for f in obj._meta.many_to_many:
        if names := [str(x) for x in getattr(obj, f.name).all()]:
            pairs.append((str(f.verbose_name), ", ".join(names)))
    return pairs


def readable(contact: Contact) -> list[dict]:
    """The export for people: per kind, per model, its rows as (field label, value) pairs."""
    sections = []
    for data in REGISTRY.values():
        tables = []
        for queryset in data.rows(contact):
            if rows := [_as_read(obj) for obj in queryset]:
                tables.append({"label": str(queryset.model._meta.verbose_name_plural), "rows": rows})
        sections.append({"label": str(data.label), "tables": tables})
    return sections


# Erasure -------------------------------------------------------------------------------------------------------------


def _blank(model, name: str):
    f = model._meta.get_field(name)
    if f.null:
        return None
    if isinstance(f, models.JSONField):
        return f.get_default()
    return ""


def erase_fields(data: PersonalData, contact: Contact) -> dict[str, int]:
    """The default erasure: each row's personal fields emptied (NULL where allowed)."""
    counts = {}
    for queryset in data.rows(contact):
        model = queryset.model
        names = data.fields[model._meta.label]
        changed = queryset.update(**{name: _blank(model, name) for name in names})
        if changed:
            counts[str(model._meta.verbose_name_plural)] = changed
    return counts


def erase(contact: Contact) -> dict[str, int]:
    """Remove or anonymise everything that names the contact; returns the rows changed per kind. The caller holds
    the transaction and the contact's lock (services.contact_erase, retention's purge)."""
    counts: dict[str, int] = {}
    # Higher apps first: they find their rows through the requests and booklets erased after them.
    for data in reversed(REGISTRY.values()):
        for label, n in (data.erase(contact) if data.erase else erase_fields(data, contact)).items():
            counts[label] = counts.get(label, 0) + n
    return counts


# Contacts' own data and the apps below it ---------------------------------------------------------------------------


def _contact_rows(contact: Contact):
    return [
        Contact.objects.filter(pk=contact.pk),
        ContactEmail.objects.filter(contact=contact),
        ContactPhone.objects.filter(contact=contact),
    ]


def _erase_contact(contact: Contact) -> dict[str, int]:
    emails = ContactEmail.objects.filter(contact=contact).delete()[0]
    phones = ContactPhone.objects.filter(contact=contact).delete()[0]
    contact.tags.clear()
    contact.interests.clear()
    Contact.objects.filter(pk=contact.pk).update(
        name="", address="", postcode="", commune=None, erased_at=timezone.now(), retention_asked_at=None
    )
    counts = {str(Contact._meta.verbose_name_plural): 1}
    for model, n in ((ContactEmail, emails), (ContactPhone, phones)):
        if n:
            counts[str(model._meta.verbose_name_plural)] = n
    return counts


def _consent_rows(contact: Contact):
    return [ConsentEvent.objects.filter(contact=contact), ConfirmationMail.objects.filter(event__contact=contact)]


def _erase_consents(contact: Contact) -> dict[str, int]:
    counts = {}
    if n := ConsentEvent.objects.filter(contact=contact).strip_identity():
        counts[str(ConsentEvent._meta.verbose_name_plural)] = n
    # The confirmation mails stay as the proof of when a link was sent (a confirmed event names its mail); the
    # address it went to and the server's answer (which may quote it) go.
    if n := ConfirmationMail.objects.filter(event__contact=contact).update(email="", error=""):
        counts[str(ConfirmationMail._meta.verbose_name_plural)] = n
    return counts


def contact_requests(contact: Contact):
    return VisitorRequest.objects.filter(contact_link__contact=contact)


def _request_rows(contact: Contact):
    return [contact_requests(contact)]


def _erase_requests(contact: Contact) -> dict[str, int]:
    # Statistics read the other fields (origin, party, themes…): they stay, so the figures do not move. The version
    # moves on, so that an agent's form opened before the erasure cannot write the identity back.
    n = contact_requests(contact).update(
        name="", email="", address="", postcode="", phone="", message="", version=F("version") + 1
    )
    return {str(VisitorRequest._meta.verbose_name_plural): n} if n else {}


def contact_booklets(contact: Contact):
    return Booklet.objects.filter(visitor_request__contact_link__contact=contact)


def _booklet_jobs(contact: Contact):
    booklets = ContentType.objects.get_for_model(Booklet)
    return Job.objects.filter(target_type=booklets, target_id__in=contact_booklets(contact).values("pk"))


def _booklet_rows(contact: Contact):
    booklets = contact_booklets(contact)
    return [
        booklets,
        BookletItem.objects.filter(booklet__in=booklets),
        BookletSending.objects.filter(booklet__in=booklets),
        _booklet_jobs(contact),
    ]


def _erase_booklets(contact: Contact) -> dict[str, int]:
    data = REGISTRY["booklets"]
    counts = erase_fields(data, contact)
    # The public link answers 410 from now on (booklet.views.public).
    contact_booklets(contact).filter(erased_at__isnull=True).update(erased_at=timezone.now())
    return counts


def audited_objects(contact: Contact) -> Q:
    """The history entries about the contact and its requests."""
    ct = ContentType.objects.get_for_models(Contact, VisitorRequest)
    requests = list(contact_requests(contact).values_list("pk", flat=True))
    return Q(content_type=ct[Contact], object_id=contact.pk) | Q(
        content_type=ct[VisitorRequest], object_id__in=requests
    )


def _history_rows(contact: Contact):
    return [AuditEntry.objects.filter(audited_objects(contact))]


def _erase_history(contact: Contact) -> dict[str, int]:
    """Who changed which field and when stays; the values (names, addresses, "sent to …") go."""
    n = 0
    for entry in AuditEntry.objects.filter(audited_objects(contact)):
        changes = [{**c, "old": "", "new": ""} for c in entry.changes]
        if changes != entry.changes:
            AuditEntry.objects.filter(pk=entry.pk).update(changes=changes)
            n += 1
    return {str(AuditEntry._meta.verbose_name_plural): n} if n else {}


def register_defaults() -> None:
    register(PersonalData(
        "contact", _("Contact"),
        {"contacts.Contact": ("name", "address", "postcode", "commune"), "contacts.ContactEmail": ("email",
         "undeliverable_reason"), "contacts.ContactPhone": ("phone",)},
        _contact_rows, _erase_contact,
    ))  # fmt: skip
    register(PersonalData(
        "consents", _("Consents"),
        {"contacts.ConsentEvent": IDENTITY_FIELDS, "contacts.ConfirmationMail": ("email", "error")},
        _consent_rows, _erase_consents,
    ))  # fmt: skip
    register(PersonalData(
        "requests", _("Requests"),
        {"desk.VisitorRequest": ("name", "email", "address", "postcode", "phone", "message")},
        _request_rows, _erase_requests,
    ))  # fmt: skip
    register(PersonalData(
        "booklets", _("Stay booklets"),
        {"booklet.Booklet": ("title", "greeting", "closing", "recipient"), "booklet.BookletItem": ("note",),
         "booklet.BookletSending": ("to", "error"), "core.Job": ("message", "params")},
        _booklet_rows, _erase_booklets,
    ))  # fmt: skip
    register(PersonalData(
        "history", pgettext_lazy("audit", "History"), {"core.AuditEntry": ("changes",)}, _history_rows,
        _erase_history,
    ))  # fmt: skip
    declare_not_personal(_NOT_PERSONAL)


_STAFF = "a staff account, managed by the network (not a visitor)"
_PRO = "a professional contact published in the shared offer base (not the prospect file)"
_WORDS = "the office's or network's own words (names of things, texts of templates)"
_NOT_PERSONAL = {
    "contacts.ContactImport.filename": "the name of the office's file",
    "contacts.ContactImport.origin": "where the office's file came from (a fair, a former base)",
    "network.User.username": _STAFF, "network.User.first_name": _STAFF, "network.User.last_name": _STAFF,
    "network.User.email": _STAFF,
    "network.Department.name": _WORDS, "network.Commune.name": _WORDS, "network.Commune.postcodes": _WORDS,
    "network.Commune.epci_name": _WORDS,
    "network.Office.name": _PRO, "network.Office.address": _PRO, "network.Office.phone": _PRO,
    "network.Office.email": _PRO,
    "offer.Offer.name": _PRO, "offer.Offer.address": _PRO, "offer.Offer.postcode": _PRO, "offer.Offer.phone": _PRO,
    "offer.Offer.email": _PRO, "offer.Offer.short_description": _PRO, "offer.Offer.description": _PRO,
    "offer.OpeningPeriod.note": _PRO,
    "offer.Provider.name": _PRO, "offer.Provider.legal_name": _PRO, "offer.Provider.address": _PRO,
    "offer.Provider.phone": _PRO, "offer.Provider.email": _PRO,
    "offer.ProviderContact.name": _PRO, "offer.ProviderContact.phone": _PRO, "offer.ProviderContact.email": _PRO,
    "offer.Label.name": _WORDS, "offer.Feature.name": _WORDS,
    "agenda.EventSchedule.note": _PRO,
    "desk.VisitorRequest.origin": "France or abroad, a figure of the statistics",
    "booklet.BookletSending.message_id": "a random identifier",
    "documentation.Document.publisher_name": _PRO, "documentation.Document.description": _PRO,
    "documentation.Order.note": "orders of brochures between offices and suppliers (no visitor)",
    "documentation.OrderEvent.comment": "orders of brochures between offices and suppliers (no visitor)",
    "documentation.Movement.reason": "why a brochure stock moved (no visitor)",
    "contacts.ConsentEvent.text": "the wording the person agreed to, the same for everyone (the proof)",
    "contacts.Tag.name": _WORDS, "contacts.Segment.name": _WORDS,
    "interop.ImportRun.filename": "an offers import's file (no visitor)",
    "api.ApiToken.name": _WORDS,
}  # fmt: skip


# Services: the screens' entry points, rights checked and every use logged ---------------------------------------------


def log_access(*, office, contact: Contact | None, user, action: str, counts: dict | None = None) -> AccessLog:
    return AccessLog.objects.create(
        office=office,
        contact=contact,
        contact_number=contact.pk if contact else None,
        user=user,
        action=action,
        counts=counts or {},
    )


def _check(membership: Membership, contact: Contact, rule: str) -> None:
    if not rules.allowed(membership, rule) or contact.office_id != membership.office_id:
        raise PermissionDenied(rules.RULES[rule].refusal)


def _counts(exported: dict) -> dict[str, int]:
    labels = {data.name: str(data.label) for data in REGISTRY.values()}
    return {labels[name]: sum(len(rows) for rows in section.values()) for name, section in exported["data"].items()}


@transaction.atomic
def export_json(*, membership: Membership, contact: Contact) -> dict:
    _check(membership, contact, "contacts.export")
    exported = export(contact)
    log_access(office=membership.office, contact=contact, user=membership.user, action=AccessAction.EXPORT_JSON,
               counts=_counts(exported))  # fmt: skip
    return exported


def export_pdf(*, membership: Membership, contact: Contact) -> bytes:
    """The readable export; logged once rendered (WeasyPrint takes seconds: no transaction held meanwhile)."""
    from weasyprint import CSS, HTML

    _check(membership, contact, "contacts.export")
    sections = readable(contact)
    html = render_to_string(
        "contacts/rights_export.pdf.html",
        {"contact": contact, "office": contact.office, "sections": sections, "at": timezone.now()},
    )
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find("contacts/export-pdf.css"))])
    counts = {s["label"]: sum(len(t["rows"]) for t in s["tables"]) for s in sections}
    log_access(office=membership.office, contact=contact, user=membership.user, action=AccessAction.EXPORT_PDF,
               counts=counts)  # fmt: skip
    return pdf


@transaction.atomic
def erase_form_opened(*, membership: Membership, contact: Contact) -> None:
    _check(membership, contact, "contacts.erase")
    log_access(office=membership.office, contact=contact, user=membership.user, action=AccessAction.ERASE_FORM)


def erasure_word(contact: Contact) -> str:
    """What the manager types to confirm: the contact's name, or its number when it has none."""
    return contact.name.strip() or str(contact.pk)


@transaction.atomic
def contact_erase(*, membership: Membership, contact: Contact, confirmation: str) -> dict[str, int]:
    """Erase what names the contact everywhere (requests, booklets, answers…), keep the anonymous rows the figures
    count; returns the rows changed per kind, also kept in the access log."""
    _check(membership, contact, "contacts.erase")
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    if locked.erased_at is not None:
        raise ValidationError(_("This contact was already erased."))
    if " ".join(confirmation.split()).casefold() != " ".join(erasure_word(locked).split()).casefold():
        raise ValidationError({"confirmation": _("Type the contact’s name exactly to confirm.")})
    counts = erase(locked)
    log_access(office=membership.office, contact=locked, user=membership.user, action=AccessAction.ERASE,
               counts=counts)  # fmt: skip
    return counts


def held_counts(contact: Contact) -> list[tuple[str, int]]:
    """What the erasure form shows: the rows held on the contact, per kind."""
    return [(str(data.label), sum(q.count() for q in data.rows(contact))) for data in REGISTRY.values()]
