"""Thin views of written answers: the office's templates, answering a request, the answer-time figures."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acvs.booklet import selectors as booklet_selectors
from acvs.core import charts
from acvs.core.forms import attach_errors
from acvs.desk import selectors as desk_selectors
from acvs.network import rules

from . import merge, selectors, services
from .brochures import ATTACHMENTS_MAX_BYTES
from .forms import AnswerForm, TemplateChoiceForm, TemplateForm


def site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# Templates (the office's manager) ----------------------------------------------------------------------------------


@rules.requires("mailing.manage")
def template_list(request):
    context = {"templates": selectors.templates(), "fields": merge.FIELDS}
    return render(request, "mailing/templates.html", context)


def _template_form(request, template=None):
    status = 200
    if request.method == "POST":
        form = TemplateForm(request.POST, instance=template)
        if form.is_valid():
            try:
                services.template_save(membership=request.membership, data=form.cleaned_data, template=template)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Template saved."))
                return redirect("mailing:templates")
        status = 400
    else:
        form = TemplateForm(instance=template, initial=None if template else {"language": "fr"})
    context = {"form": form, "template": template, "fields": merge.FIELDS}
    return render(request, "mailing/template_form.html", context, status=status)


@rules.requires("mailing.manage")
def template_create(request):
    return _template_form(request)


@rules.requires("mailing.manage")
def template_edit(request, pk):
    return _template_form(request, selectors.get_template(pk))


@require_POST
@rules.requires("mailing.manage")
def template_delete(request, pk):
    template = selectors.get_template(pk)
    services.template_delete(membership=request.membership, template=template)
    messages.success(request, _("Template deleted."))
    return redirect("mailing:templates")


# Answering a request -----------------------------------------------------------------------------------------------


@rules.requires("mailing.answer")
def answer(request, request_pk):
    """Choose a template (the visitor's language first), read it merged, edit, attach the booklet and brochures, send.

    The brochure search posts the form with everything typed (htmx swaps only the brochures' fieldset).
    """
    visitor_request = desk_selectors.get_request(request_pk)
    if not rules.can_answer_request(request.membership, visitor_request):
        raise PermissionDenied(_("Your role does not allow answering requests."))
    templates = selectors.templates()
    booklets = booklet_selectors.request_booklets(visitor_request)
    status = 200
    if request.method == "POST":
        form = AnswerForm(request.POST, templates=templates, booklets=booklets)
        searching = "find_brochures" in request.POST
        if form.is_valid() and not searching:
            data = form.cleaned_data
            try:
                sent = services.answer_send(
                    membership=request.membership,
                    visitor_request=visitor_request,
                    to=data["to"],
                    subject=data["subject"],
                    body=data["body"],
                    template=data["template"],
                    booklet=data["booklet"],
                    brochures=form.chosen_brochures(),
                    site_url=site_url(request),
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The answer is queued: its sending shows below."))
                if notice := selectors.size_notice(sent):
                    messages.warning(request, notice)
                return redirect(visitor_request.get_absolute_url() + "#answers")
        if not (searching and form.is_valid()):
            status = 400
        choice = TemplateChoiceForm(templates=templates, initial={"template": request.POST.get("template")})
        query = form.cleaned_data.get("brochure_q", "") if form.is_valid() else ""
        chosen = form.chosen_brochures()
    else:
        choice = TemplateChoiceForm(request.GET or None, templates=templates)
        refused = choice.is_bound and not choice.is_valid()  # shown with its reason, the default merged below
        template = (choice.cleaned_data["template"] if choice.is_bound and not refused else None) or (
            selectors.default_template(visitor_request)
        )
        if refused:
            status = 400
        else:
            choice = TemplateChoiceForm(templates=templates, initial={"template": template.pk if template else None})
        subject, body = selectors.merged(template, visitor_request, request.user)
        form = AnswerForm(
            templates=templates,
            booklets=booklets,
            initial={
                "template": template.pk if template else None,
                "to": visitor_request.email,
                "subject": subject,
                "body": body,
                "booklet": booklets.order_by("-id").first(),
            },
        )
        query, chosen = "", []
    brochures, nothing_found = selectors.brochure_choices(visitor_request, chosen, query)
    context = {
        "visitor_request": visitor_request,
        "choice": choice,
        "form": form,
        "has_templates": templates.exists(),
        "can_manage": rules.can_manage_answer_templates(request.membership),
        "brochures": brochures,
        "chosen_ids": {d.pk for d in chosen},
        "nothing_found": nothing_found,
        "attachments_max": ATTACHMENTS_MAX_BYTES,
    }
    return render(request, "mailing/answer.html", context, status=status)


@rules.requires("mailing.answer")
def answer_status(request, request_pk):
    """The request's answers and their sending, polled by htmx while the worker sends."""
    visitor_request = desk_selectors.get_request(request_pk)
    return render(request, "mailing/_answers.html", selectors.answers_section(visitor_request))


# Figures -----------------------------------------------------------------------------------------------------------


@rules.requires("mailing.manage")
def figures(request):
    months = selectors.answer_figures()
    chart = charts.columns(
        "figures-chart",
        _("Answers sent per month, on time and late"),
        _("The table beside gives every figure."),
        [(date_format(m.month, "F Y"), date_format(m.month, "M y")) for m in months],
        [
            charts.Series(_("on time"), [m.sent - m.late for m in months]),
            charts.Series(_("late"), [m.late for m in months]),
        ],
        table_beside=True,
    )
    context = {"months": months, "chart": chart, "agents": selectors.answer_figures_by_agent()}
    return render(request, "mailing/figures.html", context)
