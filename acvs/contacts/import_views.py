"""Pages of the contact import: upload, column mapping, the dry run's report (lines left out), the commit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acvs.core.forms import attach_errors
from acvs.core.http import upload_page
from acvs.core.paginator import page_number
from acvs.network import rules

from . import import_files, importing, selectors
from .import_forms import ExcludeForm, MappingForm, UploadForm

REPORT_PAGE = 100
SHOWN = ("all", "refuse", "create", "merge", "duplicate", "exclude")


@rules.requires("contacts.use")
def import_start(request):
    return upload_page(
        request,
        UploadForm,
        create=lambda name, content, data: importing.import_upload(
            membership=request.membership, name=name, content=content, source=data["source"]
        ),
        refused=import_files.FileRefused,
        then="contacts:import_mapping",
        template="contacts/import_start.html",
        context={"runs": selectors.imports()[:20]},
    )


def _mapping_form(run, data=None):
    initial = {f"col_{i}": f for i, f in run.columns.items()}
    initial |= {"origin": run.origin, "consent_text": run.consent_text}
    return MappingForm(data, initial=initial, header=run.header, samples=run.rows[:5])


@rules.requires("contacts.use")
def import_mapping(request, pk):
    run = selectors.get_import(pk)
    form = _mapping_form(run, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            importing.import_map(membership=request.membership, run=run, columns=form.mapping(),
                                 origin=data["origin"], consent_text=data["consent_text"])  # fmt: skip
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("contacts:import_run", pk=run.pk)
    return render(
        request, "contacts/import_mapping.html", {"run": run, "form": form}, status=400 if form.errors else 200
    )


def _report_page(request, run):
    show = request.GET.get("show") if request.GET.get("show") in SHOWN else "all"
    lines = run.report if show == "all" else [line for line in run.report if line[1] == show]
    page = Paginator(lines, REPORT_PAGE).get_page(page_number(request.GET.get("page")))
    rows = [dict(zip(("line", "action", "contact", "earlier", "reason", "label"), line, strict=True)) for line in page]
    return show, page, rows


@rules.requires("contacts.use")
def import_run(request, pk, errors=(), status=200):
    run = selectors.get_import(pk)
    show, page, rows = _report_page(request, run)
    context = {
        "run": run, "counts": run.counts(), "show": show, "page": page, "rows": rows, "errors": errors,
        "shown": ",".join(str(r["line"]) for r in rows), "filters": SHOWN,
    }  # fmt: skip
    return render(request, "contacts/import_run.html", context, status=status)


@require_POST
@rules.requires("contacts.use")
def import_exclude(request, pk):
    run = selectors.get_import(pk)
    form = ExcludeForm(request.POST, lines=len(run.rows))
    if form.is_valid():
        data = form.cleaned_data
        try:
            importing.import_exclude(membership=request.membership, run=run, exclude=data["exclude"],
                                     include=data["shown"] - data["exclude"], refused=data["refused"])  # fmt: skip
        except ValidationError as error:
            return import_run(request, pk, errors=error.messages, status=400)
        return redirect(f"{reverse('contacts:import_run', args=[run.pk])}?{request.GET.urlencode()}")
    return import_run(request, pk, errors=[e for errors in form.errors.values() for e in errors], status=400)


@require_POST
@rules.requires("contacts.use")
def import_commit(request, pk):
    run = selectors.get_import(pk)
    try:
        run = importing.import_commit(membership=request.membership, run=run)
    except ValidationError as error:
        return import_run(request, pk, errors=error.messages, status=400)
    if run.status == run.Status.COMMITTED:
        messages.success(request, _("The file has been imported."))
    elif run.status == run.Status.REFUSED:
        messages.error(request, _("Nothing was imported: some lines are now refused (see the report)."))
    return redirect("contacts:import_run", pk=run.pk)
