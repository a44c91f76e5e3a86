"""Reads of written answers, in the acting office's scope: another office's templates and answers give 404."""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models.functions import TruncMonth
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from acvs.booklet.models import Branding
from acvs.contacts.timeline import Entry
from acvs.core import jobs
from acvs.desk.models import VisitorRequest
from acvs.documentation import selectors as documentation_selectors

from . import merge, tasks
from .brochures import ATTACHMENTS_MAX_BYTES, pdf_size
from .models import Answer, AnswerBrochure, AnswerTemplate, IncomingMessage


def templates():
    return AnswerTemplate.objects.all()


def get_template(pk) -> AnswerTemplate:
    """One template of the acting office; 404 when it does not exist or belongs to another office."""
    try:
        return AnswerTemplate.objects.get(pk=pk)
    except (AnswerTemplate.DoesNotExist, ValueError, TypeError):
        raise Http404("No such template") from None


def default_template(visitor_request: VisitorRequest) -> AnswerTemplate | None:
    """The first template in the visitor's language, else in French, else any."""
    found = {t.language: t for t in reversed(list(templates()))}
    return found.get(visitor_request.language) or found.get("fr") or next(iter(found.values()), None)


def opening_hours(office, language: str) -> str:
    branding = Branding.objects.filter(office=office).first()
    if branding is None:
        return ""
    return getattr(branding, f"opening_hours_{language}", "") or branding.opening_hours_fr or ""


def merged(template: AnswerTemplate | None, visitor_request: VisitorRequest, user) -> tuple[str, str]:
    """The subject and body of `template` with the request's merge fields filled in."""
    if template is None:
        return "", ""
    office = visitor_request.office
    values = merge.values_for(
        visitor_request=visitor_request,
        office=office,
        user=user,
        language=template.language,
        opening_hours=opening_hours(office, template.language),
    )
    return " ".join(merge.render(template.subject, values).split()), merge.render(template.body, values)


def request_answers(visitor_request: VisitorRequest):
    return Answer.objects.filter(visitor_request=visitor_request).select_related("by", "booklet")


def with_brochures(answers) -> list[Answer]:
    """The answers, each with `sent_brochures` (its AnswerBrochure rows in order), read in one query.

    Not prefetch_related: the scoped manager's `all()` copies the queryset, which drops prefetched rows."""
    answers = list(answers)
    sent: dict[int, list[AnswerBrochure]] = {}
    rows = AnswerBrochure.objects.filter(answer__in=[a.pk for a in answers]).order_by("answer_id", "position", "pk")
    for row in rows:
        sent.setdefault(row.answer_id, []).append(row)
    for answer in answers:
        answer.sent_brochures = sent.get(answer.pk, [])
    return answers


def size_notice(answer: Answer) -> str:
    """Why some of the answer's brochures went as links, for the agent; empty when every PDF fitted."""
    over = list(
        answer.brochures.filter(sent_as=AnswerBrochure.SentAs.LINK_SIZE)
        .order_by("position")
        .values_list("title", flat=True)
    )
    if not over:
        return ""
    return _(
        "The brochures’ PDFs together are over %(max)s, more than one email should carry: “%(titles)s” went as a "
        "link in the answer instead."
    ) % {"max": filesizeformat(ATTACHMENTS_MAX_BYTES), "titles": "”, “".join(over)}


@dataclass
class BrochureChoice:
    document: object
    handed_out: bool
    size: int | None

    @property
    def emailable(self) -> bool:
        return self.size is not None or bool(self.document.public_url)


def brochure_choices(visitor_request: VisitorRequest, chosen, query: str = "") -> tuple[list[BrochureChoice], bool]:
    """The brochures the answer form offers: those chosen, those handed out with the request, then those the search
    finds in the network's catalogue (each once). Returns them and whether the search found nothing."""
    handed = documentation_selectors.handed_out_documents(visitor_request)
    shown = list(dict.fromkeys([*chosen, *handed]))
    found = documentation_selectors.search_brochures(query, exclude=[d.pk for d in shown]) if query else []
    handed_ids = {d.pk for d in handed}
    choices = [BrochureChoice(d, d.pk in handed_ids, pdf_size(d)) for d in [*shown, *found]]
    return choices, bool(query.strip()) and not found


def request_replies(visitor_request: VisitorRequest):
    return IncomingMessage.objects.filter(visitor_request=visitor_request)


def answers_section(visitor_request: VisitorRequest) -> dict:
    """The answers section of a request's page (and its fragment polled while an answer is sent)."""
    return {
        "visitor_request": visitor_request,
        "send_job": jobs.latest_job(tasks.SEND, visitor_request),
        "answers": with_brochures(request_answers(visitor_request)[:20]),
        "replies": request_replies(visitor_request)[:20],
        "page_url": visitor_request.get_absolute_url() + "#answers",
    }


@dataclass
class MonthFigures:
    month: datetime.date
    sent: int
    median_days: float | None
    late: int

    @property
    def on_time_share(self) -> int:
        return round(100 * (self.sent - self.late) / self.sent) if self.sent else 0


def _months_start(months: int, today: datetime.date) -> datetime.date:
    first = today.replace(day=1)
    for _i in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first


@dataclass
class AgentFigures:
    agent: str
    sent: int
    median_days: float | None
    late: int


def answer_figures_by_agent(months: int = 12, today: datetime.date | None = None) -> list[AgentFigures]:
    """Per agent, over the last `months`: answers sent, median answer time in working days, late answers."""
    first = _months_start(months, today or timezone.localdate())
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    rows = Answer.objects.filter(status=Answer.Status.SENT, sent_at__gte=start).values_list(
        "by__first_name", "by__last_name", "by__username", "working_days", "late"
    )
    by_agent: dict[str, list] = {}
    for first_name, last_name, username, days, late in rows:
        name = " ".join(filter(None, [first_name, last_name])) or username or "—"
        by_agent.setdefault(name, []).append((days, late))
    figures = []
    for name, values in sorted(by_agent.items()):
        days = [d for d, _late in values if d is not None]
        median = statistics.median(days) if days else None
        figures.append(AgentFigures(name, len(values), median, sum(1 for _d, late in values if late)))
    return figures


def answer_figures(months: int = 12, today: datetime.date | None = None) -> list[MonthFigures]:
    """Per month of the last `months`: answers sent, median answer time in working days, late answers."""
    today = today or timezone.localdate()
    first = _months_start(months, today)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    rows = (
        Answer.objects.filter(status=Answer.Status.SENT, sent_at__gte=start)
        .annotate(month=TruncMonth("sent_at"))
        .values_list("month", "working_days", "late")
    )
    by_month: dict[datetime.date, list] = {}
    for month, days, late in rows:
        by_month.setdefault(month.date() if isinstance(month, datetime.datetime) else month, []).append((days, late))
    figures, month = [], first
    while month <= today:
        values = by_month.get(month, [])
        days = [d for d, _late in values if d is not None]
        figures.append(
            MonthFigures(
                month=month,
                sent=len(values),
                median_days=statistics.median(days) if days else None,
                late=sum(1 for _d, late in values if late),
            )
        )
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return figures


def timeline_entries(contact) -> list[Entry]:
    """A contact's answers (sent, bounced, with their brochures) and replies, for its timeline: three queries whatever
    their number."""
    entries = []
    answers = Answer.objects.filter(visitor_request__contact_link__contact=contact).exclude(sent_at=None)
    answers = list(answers.only("pk", "visitor_request_id", "subject", "to", "sent_at", "bounced_at", "bounce_reason"))
    brochures: dict[int, list[str]] = {}
    rows = AnswerBrochure.objects.filter(answer__in=[a.pk for a in answers]).order_by("answer_id", "position", "pk")
    for answer_id, title in rows.values_list("answer_id", "title"):
        brochures.setdefault(answer_id, []).append(_("brochure “%(title)s”") % {"title": title})
    for a in answers:
        url = reverse("desk:detail", args=[a.visitor_request_id])
        sent = [a.subject, a.to, *brochures.get(a.pk, [])]
        entries.append(Entry(a.sent_at, _("Answer sent"), " · ".join(sent), url))
        if a.bounced_at:
            entries.append(Entry(a.bounced_at, _("Answer bounced"), f"{a.subject} · {a.bounce_reason}", url))
    replies = IncomingMessage.objects.filter(visitor_request__contact_link__contact=contact)
    for m in replies.only("pk", "visitor_request_id", "subject", "sender", "received_at"):
        url = reverse("desk:detail", args=[m.visitor_request_id])
        entries.append(Entry(m.received_at, _("Reply"), f"{m.sender} · {m.subject}", url))
    return entries
