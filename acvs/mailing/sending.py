"""Delivering a queued answer (the work of its background job), at most once, as booklet sendings are.

The attempt is committed with its Message-ID before the mail server hears of it; queued → sending (committed just
before the SMTP conversation) → sent | failed | uncertain. A run that finds it "sending" knows an earlier run died
mid-conversation: the visitor may have it, so it becomes "uncertain" and is never sent again by itself.
"""

import datetime
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acvs.booklet import render
from acvs.booklet.sending import SendFailed, SendUncertain, smtp_send
from acvs.core.jobs import JobFailed
from acvs.core.models import Job
from acvs.desk import reference
from acvs.desk import services as desk_services
from acvs.desk.models import RequestStatus
from acvs.network import rules
from acvs.network.selectors import acting_membership

from .models import Answer

Status = Answer.Status


def new_message_id() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "acvs.invalid"
    return make_msgid("answer", domain=domain)


def reply_address(answer: Answer) -> str:
    """answers+<token>@domain when the answers mailbox is configured, else the office's own address."""
    if settings.ACVS_ANSWERS_ADDRESS:
        local, _at, domain = settings.ACVS_ANSWERS_ADDRESS.partition("@")
        return f"{local}+{answer.token}@{domain}"
    return answer.visitor_request.office.email


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to `end` included: answered the same day is 0 (French holidays excluded)."""
    days, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        days += reference.is_working_day(day)
    return days


def build_message(answer: Answer, pdf: bytes | None) -> EmailMessage:
    reply_to = reply_address(answer)
    message = EmailMessage(
        subject=answer.subject,
        body=answer.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[answer.to],
        reply_to=[reply_to] if reply_to else None,
        headers={"Message-ID": answer.message_id},
    )
    if pdf is not None:
        message.attach(render.pdf_filename(answer.booklet), pdf, "application/pdf")
    return message


def _uncertain(answer: Answer, reason: str) -> JobFailed:
    text = _(
        "The answer to %(to)s was interrupted while the mail server was receiving it (%(reason)s): the visitor may "
        "have it. It is not sent again by itself, so that it never arrives twice: check with the visitor, then "
        "write a new answer if needed. Message-ID: %(id)s."
    ) % {"to": answer.to, "reason": reason, "id": answer.message_id}
    Answer.objects.filter(pk=answer.pk, status__in=[Status.SENDING, Status.UNCERTAIN]).update(
        status=Status.UNCERTAIN, error=text
    )
    return JobFailed(text, retryable=False)


def _record_sent(answer: Answer, membership) -> None:
    """Sent, its answer time, the request answered and its history told: together and once."""
    visitor_request = answer.visitor_request
    now = timezone.now()
    sent_on = timezone.localdate(now)
    received_on = timezone.localdate(visitor_request.received_at)
    due = visitor_request.due_date
    with transaction.atomic():
        if not Answer.objects.filter(pk=answer.pk, status__in=[Status.SENDING, Status.UNCERTAIN]).update(
            status=Status.SENT,
            error="",
            sent_at=now,
            working_days=working_days_between(received_on, sent_on),
            late=due is not None and sent_on > due,
        ):
            return
        desk_services.request_follow_up(
            visitor_request=visitor_request,
            status=RequestStatus.ANSWERED,
            user=membership.user,
            office=membership.office,
            event=("answer", Answer._meta.verbose_name, _("“%(subject)s” sent to %(to)s") % {
                "subject": answer.subject, "to": answer.to}),
        )  # fmt: skip


def answer_deliver(job: Job, progress) -> str:
    """Send the job's answer; running it again never sends it twice."""
    membership = acting_membership(job)
    answer = Answer.objects.select_related("visitor_request__office", "booklet").filter(job=job).order_by("-id").first()
    if answer is None:
        raise JobFailed(_("There is nothing to send."), retryable=False)
    if not rules.can_answer_request(membership, answer.visitor_request):
        raise JobFailed(_("Only the office that received this request can answer it."), retryable=False)
    if answer.status == Status.SENT:
        return _("Answer sent to %(to)s.") % {"to": answer.to}
    if answer.status in {Status.SENDING, Status.UNCERTAIN}:
        raise _uncertain(answer, _("its worker stopped"))
    if answer.status == Status.FAILED:  # nothing was delivered: the retry sends it under a new Message-ID
        answer.message_id = new_message_id()
        Answer.objects.filter(pk=answer.pk, status=Status.FAILED).update(
            status=Status.QUEUED, message_id=answer.message_id
        )
    pdf = None
    if answer.booklet is not None:
        pdf = render.render_pdf(answer.booklet, site_url=job.params["site_url"])
    message = build_message(answer, pdf)
    if not Answer.objects.filter(pk=answer.pk, status=Status.QUEUED).update(status=Status.SENDING):
        raise JobFailed(_("Another run is already sending this answer."), retryable=False)
    try:
        smtp_send(message)
    except SendFailed as failure:
        Answer.objects.filter(pk=answer.pk).update(status=Status.FAILED, error=str(failure))
        raise JobFailed(_("The answer was not sent: %(reason)s You can try again.") % {"reason": failure}) from None
    except SendUncertain as failure:
        raise _uncertain(answer, str(failure)) from None
    _record_sent(answer, membership)
    return _("Answer sent to %(to)s.") % {"to": answer.to}
