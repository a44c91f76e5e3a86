"""Reads of written answers, in the acting office's scope: another office's templates and answers give 404."""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from acvs.booklet.models import Branding
from acvs.core import jobs
from acvs.desk.models import VisitorRequest

from . import merge, tasks
from .models import Answer, AnswerTemplate, IncomingMessage


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


def request_replies(visitor_request: VisitorRequest):
    return IncomingMessage.objects.filter(visitor_request=visitor_request)


def answers_section(visitor_request: VisitorRequest) -> dict:
    """The answers section of a request's page (and its fragment polled while an answer is sent)."""
    return {
        "visitor_request": visitor_request,
        "send_job": jobs.latest_job(tasks.SEND, visitor_request),
        "answers": request_answers(visitor_request)[:20],
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
