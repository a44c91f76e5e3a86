"""Delivering a queued booklet sending (the work of its background job), at most once.

Each attempt (`BookletSending`) is committed with its Message-ID before the mail server hears of it, and moves:
queued → sending (committed just before the SMTP conversation) → sent | failed | uncertain. A run that finds its
attempt already "sending" knows an earlier run died during the conversation: the server may have accepted the
message, so that attempt becomes "uncertain" and nothing is sent again by itself. A definite failure (server down,
address or message refused) leaves nothing delivered: trying again makes a new attempt.
"""

import contextlib
import smtplib
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from acvs.core.audit import audit_record
from acvs.core.jobs import JobFailed
from acvs.core.models import AuditEntry, Job
from acvs.network import rules
from acvs.network.selectors import acting_membership

from . import render
from .models import Booklet, BookletSending

Status = BookletSending.Status


class SendFailed(Exception):
    """The server could not be reached or refused: the message was not delivered."""


class SendUncertain(Exception):
    """The conversation broke off after the message may have been handed over."""


def new_message_id() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "acvs.invalid"
    return make_msgid("booklet", domain=domain)


def smtp_reason(error: Exception) -> str:
    """A readable reason for a failed sending, for the agent and the record."""
    options = settings.MAILERS["default"].get("OPTIONS", {})
    host = f"{options.get('host', 'localhost')}:{options.get('port', 25)}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(
            f"{address}: {code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
            for address, (code, message) in error.recipients.items()
        )
        return _("The mail server refused the address (%(details)s).") % {"details": refused}
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        message = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return _("The mail server refused the message: %(code)s %(message)s.") % {
            "code": error.smtp_code,
            "message": message,
        }
    if isinstance(error, smtplib.SMTPException):
        return _("The mail server failed: %(error)s.") % {"error": error}
    return _("The mail server (%(host)s) could not be reached: %(error)s.") % {
        "host": host,
        "error": getattr(error, "strerror", None) or error,
    }


def smtp_send(message: EmailMultiAlternatives) -> None:
    """Hand the message to the mail server; raise SendFailed (not delivered) or SendUncertain (maybe delivered)."""
    mailer = mailers.default
    try:
        mailer.open()  # connection, TLS, login: nothing is sent yet
    except (OSError, ValueError) as error:
        raise SendFailed(smtp_reason(error)) from error
    try:
        mailer.send_messages([message])
    except smtplib.SMTPServerDisconnected as error:
        raise SendUncertain(smtp_reason(error)) from error
    except (smtplib.SMTPException, ValueError) as error:  # the server answered no: nothing was accepted
        raise SendFailed(smtp_reason(error)) from error
    except OSError as error:  # a time-out or a reset mid-conversation
        raise SendUncertain(smtp_reason(error)) from error
    finally:
        # A failed QUIT changes nothing: the server had answered the message already.
        with contextlib.suppress(OSError):
            mailer.close()


def build_message(
    booklet: Booklet, *, to: str, public_url: str, pdf: bytes | None, message_id: str = ""
) -> EmailMultiAlternatives:
    office = booklet.office
    with translation.override(booklet.language):
        context = {"booklet": booklet, "office": office, "public_url": public_url, "with_pdf": pdf is not None}
        subject = " ".join(render_to_string("booklet/email/subject.txt", context).split())
        text = render_to_string("booklet/email/body.txt", context)
        html = render_to_string("booklet/email/body.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[office.email] if office.email else None,
        headers={"Message-ID": message_id} if message_id else None,
    )
    message.attach_alternative(html, "text/html")
    if pdf is not None:
        message.attach(render.pdf_filename(booklet), pdf, "application/pdf")
    return message


def _uncertain(attempt: BookletSending, reason: str) -> JobFailed:
    text = _(
        "The sending to %(to)s was interrupted while the mail server was receiving it (%(reason)s): the message may "
        "have reached the visitor. It is not sent again by itself, so that it never arrives twice: check with the "
        "visitor, then send it again from the form if needed. Message-ID: %(id)s."
    ) % {"to": attempt.to, "reason": reason, "id": attempt.message_id}
    BookletSending.objects.filter(pk=attempt.pk, status__in=[Status.SENDING, Status.UNCERTAIN]).update(
        status=Status.UNCERTAIN, error=text
    )
    return JobFailed(text, retryable=False)


def _record_sent(attempt: BookletSending, booklet: Booklet, membership) -> None:
    """Sent, the recipient remembered and the request's history told, together and once."""
    with transaction.atomic():
        if not BookletSending.objects.filter(pk=attempt.pk, status__in=[Status.SENDING, Status.UNCERTAIN]).update(
            status=Status.SENT, error=""
        ):
            return
        if booklet.recipient != attempt.to:
            Booklet.objects.filter(pk=booklet.pk).update(recipient=attempt.to)
        if booklet.visitor_request_id:
            audit_record(
                instance=booklet.visitor_request,
                action=AuditEntry.Action.UPDATE,
                user=membership.user,
                office=membership.office,
                changes=[
                    {
                        "field": "booklet",
                        "label": str(Booklet._meta.verbose_name),
                        "old": "",
                        "new": _("“%(title)s” sent to %(to)s") % {"title": booklet.title, "to": attempt.to},
                    }
                ],
            )


def booklet_deliver(job: Job, progress) -> str:
    """Send the job's booklet (its latest attempt); running it again never sends a message twice."""
    membership = acting_membership(job)
    booklet = Booklet.objects.select_related("office", "visitor_request").filter(pk=job.target_id).first()
    if booklet is None or booklet.office_id != job.office_id:
        raise JobFailed(_("This booklet no longer exists."), retryable=False)
    if not rules.can_send_booklet(membership, booklet):
        raise JobFailed(_("Only the office that made this booklet can send it."), retryable=False)
    attempt = BookletSending.objects.filter(job=job).order_by("-id").first()
    if attempt is None:
        raise JobFailed(_("There is nothing to send."), retryable=False)
    if attempt.status == Status.SENT:
        return _("Booklet sent to %(to)s.") % {"to": attempt.to}
    if attempt.status in {Status.SENDING, Status.UNCERTAIN}:
        raise _uncertain(attempt, _("its worker stopped"))
    if attempt.status == Status.FAILED:  # nothing was delivered: a new attempt
        attempt = BookletSending.objects.create(
            booklet=booklet,
            job=job,
            to=attempt.to,
            with_pdf=attempt.with_pdf,
            by=membership.user,
            message_id=new_message_id(),
        )
    site_url = job.params["site_url"]
    pdf = render.render_pdf(booklet, site_url=site_url) if attempt.with_pdf else None
    public_url = site_url.rstrip("/") + booklet.get_public_path()
    message = build_message(booklet, to=attempt.to, public_url=public_url, pdf=pdf, message_id=attempt.message_id)
    # Committed before the first byte goes out: a run that dies from here on leaves "sending" behind.
    if not BookletSending.objects.filter(pk=attempt.pk, status=Status.QUEUED).update(status=Status.SENDING):
        raise JobFailed(_("Another run is already sending this booklet."), retryable=False)
    try:
        smtp_send(message)
    except SendFailed as failure:
        BookletSending.objects.filter(pk=attempt.pk).update(status=Status.FAILED, error=str(failure))
        raise JobFailed(_("The booklet was not sent: %(reason)s You can try again.") % {"reason": failure}) from None
    except SendUncertain as failure:
        raise _uncertain(attempt, str(failure)) from None
    _record_sent(attempt, booklet, membership)
    return _("Booklet sent to %(to)s.") % {"to": attempt.to}
