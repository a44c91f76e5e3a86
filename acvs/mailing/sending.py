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
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from acvs.booklet import render
from acvs.booklet.sending import SendFailed, SendUncertain, smtp_send
from acvs.contacts import services as contacts_services
from acvs.core.jobs import JobFailed
from acvs.core.models import Job
from acvs.core.tenancy import owner_office_id, scope_for
from acvs.desk import reference
from acvs.desk import services as desk_services
from acvs.desk.models import RequestStatus
from acvs.documentation import selectors as documentation_selectors
from acvs.network import rules
from acvs.network.selectors import acting_membership

from . import brochures, verp
from .brochures import pdf_bytes
from .models import Answer, AnswerBrochure

Status = Answer.Status
SentAs = AnswerBrochure.SentAs


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


def brochure_attachments(
    answer: Answer, *, booklet_size: int = 0, site_url: str = ""
) -> tuple[list[tuple[str, bytes]], list[str]]:
    """(file name, PDF) of each brochure the answer attaches, in the order chosen, and the titles of those that
    went as links instead; JobFailed when one is gone.

    The PDFs counted with the booklet's (`booklet_size`, known once it is made) stay under ATTACHMENTS_MAX_BYTES:
    a brochure planned as a PDF that no longer fits goes as a link (`fit_brochures`)."""
    attachments, names, contents = [], set(), {}
    rows = list(answer.brochures.select_related("document").order_by("position"))
    for row in rows:
        if row.sent_as != AnswerBrochure.SentAs.PDF:
            continue
        try:
            if row.document is None or not row.document.pdf:
                raise FileNotFoundError
            contents[row.pk] = pdf_bytes(row.document)
        except OSError:
            text = _(
                "The PDF of “%(title)s” is no longer in the catalogue: nothing was sent. Write the answer again."
            ) % {"title": row.title}
            Answer.objects.filter(pk=answer.pk, status=Status.QUEUED).update(status=Status.FAILED, error=text)
            raise JobFailed(text, retryable=False) from None
    moved = fit_brochures(answer, rows, {pk: len(c) for pk, c in contents.items()}, booklet_size, site_url)
    for row in rows:
        if row.sent_as != AnswerBrochure.SentAs.PDF:
            continue
        name, n = slugify(row.title) or "brochure", 1
        while name in names:  # two brochures with the same title keep two files
            n += 1
            name = f"{slugify(row.title) or 'brochure'}-{n}"
        names.add(name)
        attachments.append((f"{name}.pdf", contents[row.pk]))
    return attachments, moved


def fit_brochures(
    answer: Answer, rows: list[AnswerBrochure], sizes: dict[int, int], booklet_size: int, site_url: str
) -> list[str]:
    """The brochures' PDFs that still fit with the booklet's, in the order chosen; the others go as links: their
    rows say so (the agent sees it in the answer's list and the request's history) and the answer's text ends with
    every link. Recorded before sending, only while the answer is queued. Returns the titles that went as links."""
    total, links_before, moved = booklet_size, [(r.title, r.url) for r in rows if r.sent_as != SentAs.PDF], []
    for row in rows:
        if row.sent_as != SentAs.PDF:
            continue
        size = sizes[row.pk]
        if total + size <= brochures.ATTACHMENTS_MAX_BYTES:
            total += size
            continue
        row.sent_as, row.size = SentAs.LINK_SIZE, size
        row.url = row.document.public_url or site_url + documentation_selectors.pdf_link(row.document)
        moved.append(row)
    if not moved:
        return []
    language = answer.visitor_request.language
    body = brochures.with_links(
        answer.body,
        brochures.links_text(links_before, language),
        brochures.links_text([(r.title, r.url) for r in rows if r.sent_as != SentAs.PDF], language),
    )
    with transaction.atomic():
        if Answer.objects.filter(pk=answer.pk, status=Status.QUEUED).update(body=body):
            AnswerBrochure.objects.bulk_update(moved, ["sent_as", "url", "size"])
    answer.body = body
    return [row.title for row in moved]


def brochures_line(answer: Answer) -> str:
    """The brochures sent, for the request's history: titles and how each went."""
    rows = list(answer.brochures.order_by("position"))
    if not rows:
        return ""
    return _("brochures: %(list)s") % {"list": ", ".join(f"{row.title} ({row.get_sent_as_display()})" for row in rows)}


def build_message(answer: Answer, pdf: bytes | None, brochures=()) -> EmailMessage:
    reply_to = reply_address(answer)
    # Django's envelope sender is from_email: the answer's own return path when bounces are read, From kept.
    envelope = verp.return_path("answer", answer.pk)
    message = EmailMessage(
        subject=answer.subject,
        body=answer.body,
        from_email=envelope or settings.DEFAULT_FROM_EMAIL,
        to=[answer.to],
        reply_to=[reply_to] if reply_to else None,
        headers={"Message-ID": answer.message_id, "From": settings.DEFAULT_FROM_EMAIL},
    )
    if pdf is not None:
        message.attach(render.pdf_filename(answer.booklet), pdf, "application/pdf")
    for name, content in brochures:
        message.attach(name, content, "application/pdf")
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
            event=("answer", Answer._meta.verbose_name, " · ".join(filter(None, [
                _("“%(subject)s” sent to %(to)s") % {"subject": answer.subject, "to": answer.to},
                brochures_line(answer),
            ]))),
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
    attachments, moved = brochure_attachments(
        answer, booklet_size=len(pdf) if pdf is not None else 0, site_url=job.params["site_url"]
    )
    message = build_message(answer, pdf, attachments)
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
    done = _("Answer sent to %(to)s.") % {"to": answer.to}
    if moved:
        done += " " + _(
            "With the stay booklet’s PDF, the PDFs were over %(max)s: “%(titles)s” went as a link in the answer "
            "instead."
        ) % {"max": filesizeformat(brochures.ATTACHMENTS_MAX_BYTES), "titles": "”, “".join(moved)}
    return done


def answer_bounced(pk: int, bounce: verp.Bounce) -> None:
    """The "answer" handler of bounces: the answer shows why it bounced, the contact's address counts it. Once."""
    office_id = owner_office_id(Answer, pk=pk)
    if office_id is None:  # deleted with its request since
        return
    with scope_for(office=office_id), transaction.atomic():
        answer = Answer.objects.select_for_update().get(pk=pk)
        if answer.bounced_at is not None:
            return
        answer.bounced_at, answer.bounce_reason = timezone.now(), contacts_services.bounce_reason(bounce)
        answer.save(update_fields=["bounced_at", "bounce_reason"])
        contacts_services.record_bounce(office=office_id, address=answer.to, bounce=bounce)
