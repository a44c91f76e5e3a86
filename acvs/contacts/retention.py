"""Retention: a contact with no exchange for ACVS_CONTACT_RETENTION_YEARS is asked once by email whether to stay (a
signed "keep me" link); without an answer (and without a new exchange) after ACVS_CONTACT_RETENTION_NOTICE_DAYS it
is erased (contacts.rights). `purge()` runs daily as a scheduled task (contacts.tasks); what it did is in each office's
access log: counts and contact numbers, never the data.

Asking is at most once, as the house's sendings: the question is marked asked (committed) before the mail server
hears of it; a definite refusal or an unreachable server clears the mark, so the next run asks again. A contact
without an email address cannot be asked: it is marked asked without a message and erased after the same delay.
"""

import datetime
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from acvs.core.tenancy import scope_for
from acvs.network.models import Office

from . import rights
from .models import AccessAction, Contact

SALT = "acvs.contacts.keep"
# The mail server refused, or was never reached: nothing was delivered.
DEFINITE_FAILURES = (
    ConnectionRefusedError, smtplib.SMTPConnectError, smtplib.SMTPHeloError, smtplib.SMTPAuthenticationError,
    smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError,
)  # fmt: skip


def retention_years() -> int:
    return settings.ACVS_CONTACT_RETENTION_YEARS


def notice_days() -> int:
    return settings.ACVS_CONTACT_RETENTION_NOTICE_DAYS


def _last_exchange():
    return Coalesce("last_contact_at", "created_at")


def due_to_ask(now: datetime.datetime):
    """The acting office's contacts silent for the retention period and not asked yet."""
    limit = now - datetime.timedelta(days=round(365.25 * retention_years()))
    return (
        Contact.objects.filter(erased_at=None, retention_asked_at=None)
        .alias(last=_last_exchange())
        .filter(last__lt=limit)
        .order_by("pk")
    )


def due_to_erase(now: datetime.datetime):
    """Asked more than the notice period ago, with no answer and no exchange since."""
    return (
        Contact.objects.filter(erased_at=None, retention_asked_at__lt=now - datetime.timedelta(days=notice_days()))
        .alias(last=_last_exchange())
        .filter(last__lt=F("retention_asked_at"))
        .order_by("pk")
    )


def keep_token(contact: Contact) -> str:
    return signing.dumps({"o": contact.office_id, "c": contact.pk}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, int]:
    """(office id, contact id) of a link we signed; BadSignature for anything else."""
    data = signing.loads(token, salt=SALT, max_age=datetime.timedelta(days=notice_days() + 365))
    if not isinstance(data, dict) or not isinstance(data.get("o"), int) or not isinstance(data.get("c"), int):
        raise signing.BadSignature("Not one of our links")
    return data["o"], data["c"]


def _address(contact: Contact) -> str:
    email = contact.emails.filter(undeliverable_at=None).order_by("id").first()
    return email.email if email else ""


def _message(contact: Contact, to: str, site_url: str) -> EmailMessage:
    office = contact.office
    context = {
        "contact": contact, "office": office, "years": retention_years(), "days": notice_days(),
        "url": site_url.rstrip("/") + reverse("contacts:keep", args=[keep_token(contact)]),
    }  # fmt: skip
    with translation.override(contact.language or "fr"):
        subject = " ".join(render_to_string("contacts/email/retention_subject.txt", context).split())
        body = render_to_string("contacts/email/retention_body.txt", context)
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
                        reply_to=[office.email] if office.email else None)  # fmt: skip


def ask(contact: Contact, *, now: datetime.datetime, site_url: str) -> str:
    """Ask once whether to stay: "asked", "no address" or "failed" (asked again on the next run)."""
    to = _address(contact)
    with transaction.atomic():
        if not Contact.objects.filter(pk=contact.pk, retention_asked_at=None).update(retention_asked_at=now):
            return "skipped"  # another run asked meanwhile
        rights.log_access(office=contact.office, contact=contact, user=None, action=AccessAction.RETENTION_ASKED,
                          counts={"email": 1 if to else 0})  # fmt: skip
    if not to:
        return "no address"
    try:
        _message(contact, to, site_url).send()
    except DEFINITE_FAILURES:
        # Nothing was delivered: clear the mark, the next run asks again.
        Contact.objects.filter(pk=contact.pk, retention_asked_at=now).update(retention_asked_at=None)
        return "failed"
    except (smtplib.SMTPException, OSError):
        # Cut off mid-conversation: the message may have arrived, so it stays asked (never twice).
        return "asked"
    return "asked"


@transaction.atomic
def keep(token: str) -> Contact | None:
    """The person clicked "keep me": the silence ends now. None when the contact was erased meanwhile."""
    office_id, contact_id = read_token(token)
    with scope_for(office=office_id):
        contact = Contact.objects.select_for_update().filter(pk=contact_id).first()
        if contact is None or contact.erased_at is not None:
            return None
        contact.last_contact_at = timezone.now()
        contact.retention_asked_at = None
        contact.save(update_fields=["last_contact_at", "retention_asked_at"])
        rights.log_access(office=contact.office, contact=contact, user=None, action=AccessAction.RETENTION_KEPT)
        return contact


@dataclass
class Report:
    """What a purge did in one office: counts only."""

    asked: int = 0
    not_asked: int = 0  # no address, or the mail server refused (asked again next time)
    erased: int = 0
    rows: dict[str, int] = field(default_factory=dict)


def purge_office(office: Office, *, now: datetime.datetime | None = None, site_url: str = "") -> Report:
    now = now or timezone.now()
    site_url = site_url or settings.ACVS_SITE_URL
    report = Report()
    with scope_for(office=office.pk):
        for contact in due_to_erase(now).select_related("office"):
            with transaction.atomic():
                locked = Contact.objects.select_for_update().filter(pk=contact.pk, erased_at=None).first()
                if locked is None:
                    continue
                counts = rights.erase(locked)
                rights.log_access(office=office, contact=locked, user=None, action=AccessAction.PURGE, counts=counts)
            report.erased += 1
            for label, n in counts.items():
                report.rows[label] = report.rows.get(label, 0) + n
        for contact in due_to_ask(now).select_related("office"):
            outcome = ask(contact, now=now, site_url=site_url)
            report.asked += outcome == "asked"
            report.not_asked += outcome in ("no address", "failed")
    return report


def purge(*, now: datetime.datetime | None = None) -> dict[int, Report]:
    """Every office, one after the other (each in its own scope)."""
    return {office.pk: purge_office(office, now=now) for office in Office.objects.order_by("pk")}
