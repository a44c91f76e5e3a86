"""Double opt-in: an email consent not given face to face counts only once the person clicked an emailed link.

Which consents need it: the purposes that bring email (the office's newsletter, the network's communications)
given anywhere but in front of an agent: a web form and an import always, an agent unless the agent states the
person is present (a phone call, a letter, an email need the confirmation), the counter never. Being contacted about
one's own request needs none: the person asked for the answer.

Such a consent is recorded as a pending event (`ConsentEvent.pending`), which never counts (selectors.consenting,
current_consents). A `ConfirmationMail` carries a link signed with its id and date: valid ACVS_OPTIN_DAYS days,
then the consent stays not given. Opening the link shows the text agreed to and a button (mail scanners open links
by themselves: only the person's click confirms); the click appends a given event with that text, naming the mail
(when, which link). A tampered, expired or superseded link changes nothing.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from acvs.booklet.sending import SendFailed, SendUncertain, smtp_send
from acvs.core import bulk
from acvs.core.tenancy import owner_office_id, scope_for
from acvs.network import rules

from .models import ConfirmationMail, ConsentEvent, ConsentMethod, Contact, Purpose

log = logging.getLogger("acvs.contacts.optin")

OPT_IN_PURPOSES = (Purpose.NEWSLETTER, Purpose.NETWORK)
_SALT = "acvs.contacts.optin"


class LinkRefused(Exception):
    """A confirmation link that confirms nothing; `reason` says why, for the page."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def needs_confirmation(purpose: str, method: str, *, face_to_face: bool = False) -> bool:
    if purpose not in OPT_IN_PURPOSES or method == ConsentMethod.COUNTER:
        return False
    return not (method == ConsentMethod.AGENT and face_to_face)


def mail_language(language: str) -> str:
    """The person's language when the site speaks it, else English."""
    return language if language in dict(settings.LANGUAGES) else "en"


def link_token(mail: ConfirmationMail) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(str(mail.pk))


def link_url(mail: ConfirmationMail, site_url: str = "") -> str:
    base = (site_url or settings.ACVS_SITE_URL).rstrip("/")
    return base + reverse("contacts:confirm", args=[link_token(mail)])


def mail_id(token: str) -> int:
    """The mail a link names; LinkRefused when it was altered or is older than ACVS_OPTIN_DAYS."""
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        value = signer.unsign(token, max_age=timedelta(days=settings.ACVS_OPTIN_DAYS))
    except signing.SignatureExpired:
        raise LinkRefused("expired") from None
    except signing.BadSignature:
        raise LinkRefused("invalid") from None
    if not value.isdigit():
        raise LinkRefused("invalid")
    return int(value)


def office_of(mail_pk: int) -> int | None:
    """The office whose scope the link is read in (the signed link is the right to open it)."""
    return owner_office_id(ConfirmationMail, pk=mail_pk)


def ask(*, event: ConsentEvent, email: str, language: str, site_url: str = "", by=None) -> ConfirmationMail:
    """Queue the confirmation mail of a pending event; sent once the transaction commits (never for a rollback)."""
    mail = ConfirmationMail.objects.create(
        office_id=event.office_id, event=event, email=email, language=mail_language(language), by=by
    )
    transaction.on_commit(lambda: deliver(mail.pk, site_url))
    return mail


def ask_many(pending: list[tuple[ConsentEvent, str, str]], *, by=None, chunk: int = 500) -> list[ConfirmationMail]:
    """Queue the confirmation mails of many pending events (event, email, language), e.g. an import's: written in bulk,
    then sent by the worker in chunks once the transaction commits, so that a large file does not wait on SMTP."""
    from .tasks import confirmations_send  # the tasks module imports the importer, which imports this one

    mails = bulk.insert(
        ConfirmationMail,
        [
            ConfirmationMail(office_id=e.office_id, event=e, email=email, language=mail_language(language), by=by)
            for e, email, language in pending
        ],
    )
    ids = [m.pk for m in mails]
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        transaction.on_commit(lambda part=part: confirmations_send.enqueue(part))
    return mails


def build_message(mail: ConfirmationMail, site_url: str = "") -> EmailMultiAlternatives:
    office = mail.event.office
    with translation.override(mail.language):
        context = {
            "office": office,
            "event": mail.event,
            "url": link_url(mail, site_url),
            "days": settings.ACVS_OPTIN_DAYS,
        }
        subject = " ".join(render_to_string("contacts/email/confirm_subject.txt", context).split())
        text = render_to_string("contacts/email/confirm_body.txt", context)
    return EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.email],
        reply_to=[office.email] if office.email else None,
    )


def deliver(mail_pk: int, site_url: str = "") -> None:
    """Send one confirmation mail; a failure is kept on the row (the agent sees it and sends again)."""
    with scope_for(office=office_of(mail_pk)):
        mail = ConfirmationMail.objects.select_related("event__office").get(pk=mail_pk)
        try:
            smtp_send(build_message(mail, site_url))
        except (SendFailed, SendUncertain) as error:
            log.warning("confirmation mail %s to %s not sent: %s", mail.pk, mail.email, error)
            ConfirmationMail.objects.filter(pk=mail.pk).update(error=str(error)[:500])
        else:
            ConfirmationMail.objects.filter(pk=mail.pk).update(sent_at=timezone.now(), error="")


def _superseded(pending: ConsentEvent) -> bool:
    """A later counted event for the purpose (a withdrawal, a consent given otherwise) outranks the old request."""
    return ConsentEvent.objects.filter(
        contact=pending.contact_id, purpose=pending.purpose, pending=False, at__gt=pending.at
    ).exists()


def confirmation_of(pending: ConsentEvent) -> ConsentEvent | None:
    return ConsentEvent.objects.filter(confirmation_mail__event=pending).first()


@transaction.atomic
def confirm(*, mail: ConfirmationMail) -> tuple[ConsentEvent, bool]:
    """Append the given event that confirms the mail's pending consent; (event, False) when it was confirmed
    already. LinkRefused("superseded") when the person's consent changed since, ("erased") when the contact was
    erased."""
    pending = ConsentEvent.objects.select_for_update().get(pk=mail.event_id)
    if done := confirmation_of(pending):
        return done, False
    if _superseded(pending):
        raise LinkRefused("superseded")
    if Contact.objects.filter(pk=pending.contact_id, erased_at__isnull=False).exists():
        raise LinkRefused("erased")  # an anonymous row: nothing is added to it (services.ContactErased)
    sent = formats.date_format(timezone.localtime(mail.created_at), "SHORT_DATETIME_FORMAT")
    origin = _("Confirmed by the link emailed to %(email)s on %(date)s (mail no. %(pk)s)") % {
        "email": mail.email, "date": sent, "pk": mail.pk,
    }  # fmt: skip
    event = ConsentEvent.objects.create(
        office_id=pending.office_id,
        contact_id=pending.contact_id,
        purpose=pending.purpose,
        given=True,
        at=timezone.now(),
        method=pending.method,
        origin=origin[:200],
        text=pending.text,
        confirmation_mail=mail,
    )
    return event, True


def state(pending: ConsentEvent, mails: list[ConfirmationMail]) -> str:
    """confirmed, superseded, expired (no link still valid) or pending."""
    if confirmation_of(pending):
        return "confirmed"
    if _superseded(pending):
        return "superseded"
    latest = max((m.created_at for m in mails), default=pending.at)
    if latest + timedelta(days=settings.ACVS_OPTIN_DAYS) < timezone.now():
        return "expired"
    return "pending"


def address_for(contact: Contact) -> str | None:
    row = contact.emails.filter(undeliverable_at__isnull=True).first()
    return row.email if row else None


@transaction.atomic
def resend(*, membership, event: ConsentEvent, site_url: str = "") -> ConfirmationMail:
    """An agent sends the confirmation again: a new link, valid ACVS_OPTIN_DAYS days from now."""
    contact = event.contact
    if not rules.can_change_contact(membership, contact):
        raise PermissionDenied(_("Only the office that keeps this contact can change it."))
    if not event.pending or state(event, list(event.confirmation_mails.all())) in ("confirmed", "superseded"):
        raise ValidationError(_("This consent does not await a confirmation any more."))
    latest = event.confirmation_mails.first()
    emails = set(contact.emails.filter(undeliverable_at__isnull=True).values_list("email", flat=True))
    email = latest.email if latest and latest.email in emails else address_for(contact)
    if not email:
        raise ValidationError(_("This contact has no email address the confirmation can be sent to."))
    return ask(event=event, email=email, language=contact.language, site_url=site_url, by=membership.user)
