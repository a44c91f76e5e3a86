"""Writes of written answers: the office's templates and its answers to requests (keyword-only, membership first)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from acvs.booklet.models import Booklet, BookletItem
from acvs.core import jobs
from acvs.desk.models import VisitorRequest
from acvs.network import rules
from acvs.network.models import Membership

from . import tasks
from .models import Answer, AnswerTemplate
from .sending import new_message_id

TEMPLATE_FIELDS = ("language", "name", "subject", "body")


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
) -> Answer:
    """Record the answer and queue its sending (the worker sends it once: `sending.answer_deliver`).

    Raises ValidationError before anything is queued (bad address, empty text, a booklet of another request).
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
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        job = jobs.job_start(
            membership=membership, kind=tasks.SEND, target=visitor_request, params={"site_url": site_url}
        )
        return Answer.objects.create(
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
