"""Writes of written answers: the office's templates and its answers to requests (keyword-only, membership first)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from acvs.booklet.models import Booklet, BookletItem
from acvs.core import jobs
from acvs.desk.models import VisitorRequest
from acvs.documentation import selectors as documentation_selectors
from acvs.documentation.models import Document
from acvs.network import rules
from acvs.network.models import Membership

from . import brochures as brochure_files
from . import tasks
from .brochures import pdf_size
from .models import Answer, AnswerBrochure, AnswerTemplate
from .sending import new_message_id

TEMPLATE_FIELDS = ("language", "name", "subject", "body")
MAX_BROCHURES = 10
SentAs = AnswerBrochure.SentAs


def _check_manager(membership: Membership) -> None:
    if not rules.can_manage_answer_templates(membership):
        raise PermissionDenied(_("Only the office’s manager or its administrators can manage its answers."))


@transaction.atomic
def template_save(*, membership: Membership, data: dict, template: AnswerTemplate | None = None) -> AnswerTemplate:
    """Create or change one of the office's templates; unknown merge fields are refused (ValidationError)."""
    _check_manager(membership)
    if template is not None and template.office_id != membership.office_id:
        raise PermissionDenied
    template = template or AnswerTemplate(office=membership.office)
    for name in TEMPLATE_FIELDS:
        setattr(template, name, data[name])
    template.full_clean(exclude=["office"])
    if AnswerTemplate.objects.filter(language=template.language, name=template.name).exclude(pk=template.pk).exists():
        raise ValidationError({"name": _("The office already has a template with this name in this language.")})
    template.save()
    return template


@transaction.atomic
def template_delete(*, membership: Membership, template: AnswerTemplate) -> None:
    _check_manager(membership)
    if template.office_id != membership.office_id:
        raise PermissionDenied
    template.delete()


@dataclass
class PlannedBrochure:
    document: Document
    sent_as: str
    url: str
    size: int | None


def brochure_plan(brochures, site_url: str) -> list[PlannedBrochure]:
    """How each brochure goes with the answer, in the order chosen: its PDF attached while the PDFs fit together
    under ATTACHMENTS_MAX_BYTES, else its link (its public link, or the signed link to its PDF); one with neither
    is refused (ValidationError). The stay booklet's PDF, made when the answer is sent, is counted then
    (`sending.fit_brochures`): brochures planned as PDFs may still go as links."""
    plan, total, unusable = [], 0, []
    for document in brochures:
        size = pdf_size(document)
        pdf_url = site_url + documentation_selectors.pdf_link(document) if size is not None else ""
        if size is not None and total + size <= brochure_files.ATTACHMENTS_MAX_BYTES:
            total += size
            plan.append(PlannedBrochure(document, SentAs.PDF, "", size))
        elif size is not None:
            plan.append(PlannedBrochure(document, SentAs.LINK_SIZE, document.public_url or pdf_url, size))
        elif document.public_url:
            plan.append(PlannedBrochure(document, SentAs.LINK, document.public_url, None))
        else:
            unusable.append(document.title)
    if unusable:
        raise ValidationError(
            {
                "brochures": _("“%(titles)s”: neither a PDF nor a public link, it cannot be sent by email.")
                % {"titles": "”, “".join(unusable)}
            }
        )
    return plan


def links_text(plan: list[PlannedBrochure], language: str) -> str:
    """The lines added to the answer for the brochures sent as links, in the visitor's language when we have it."""
    links = [(p.document.title[:200], p.url) for p in plan if p.sent_as != SentAs.PDF]
    return brochure_files.links_text(links, language)


def answer_send(
    *,
    membership: Membership,
    visitor_request: VisitorRequest,
    to: str,
    subject: str,
    body: str,
    template: AnswerTemplate | None,
    booklet: Booklet | None,
    site_url: str,
    brochures=(),
) -> Answer:
    """Record the answer and queue its sending (the worker sends it once: `sending.answer_deliver`).

    `brochures` (documents of the network's catalogue, any office's) go as their PDF or as links added to the body
    (`brochure_plan`). Raises ValidationError before anything is queued (bad address, empty text, a booklet of
    another request, a brochure that cannot be emailed).
    """
    if not rules.can_answer_request(membership, visitor_request):
        raise PermissionDenied(_("Only the office that received this request can answer it."))
    to, subject, body = (to or "").strip(), " ".join((subject or "").split()), (body or "").strip()
    errors = {}
    try:
        validate_email(to)
    except ValidationError:
        errors["to"] = (
            _("“%(address)s” is not a valid email address.") % {"address": to}
            if to
            else _("Give the visitor’s email address.")
        )
    if not subject:
        errors["subject"] = _("Give the answer a subject.")
    if not body:
        errors["body"] = _("Write the answer.")
    if booklet is not None:
        if booklet.visitor_request_id != visitor_request.pk:
            errors["booklet"] = _("Attach a booklet made for this request.")
        elif not BookletItem.objects.filter(booklet=booklet).exists():
            errors["booklet"] = _("This booklet is empty: add at least one offer before attaching it.")
    if template is not None and template.office_id != visitor_request.office_id:
        raise PermissionDenied
    brochures = list(dict.fromkeys(brochures))
    plan = []
    if len(brochures) > MAX_BROCHURES:
        errors["brochures"] = _("Choose at most %(max)s brochures.") % {"max": MAX_BROCHURES}
    else:
        try:
            plan = brochure_plan(brochures, site_url)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    links = links_text(plan, visitor_request.language)
    if links:
        body = f"{body}\n\n{links}"
    with transaction.atomic():
        job = jobs.job_start(
            membership=membership, kind=tasks.SEND, target=visitor_request, params={"site_url": site_url}
        )
        answer = Answer.objects.create(
            visitor_request=visitor_request,
            template=template,
            job=job,
            to=to,
            subject=subject,
            body=body,
            booklet=booklet,
            by=membership.user,
            message_id=new_message_id(),
        )
        AnswerBrochure.objects.bulk_create(
            AnswerBrochure(answer=answer, document=p.document, title=p.document.title[:200], sent_as=p.sent_as,
                           url=p.url, size=p.size, position=i)
            for i, p in enumerate(plan)
        )  # fmt: skip
    return answer
