"""Pages of the offer import: upload and dry run (a former base's file: its column mapping first), the report, the
review of uncertain matches, the commit."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from acvs.core.forms import attach_errors
from acvs.core.http import upload_page
from acvs.network import rules

from .forms import ConflictForm, ImportCommitForm, ImportUploadForm, LegacyMappingForm, LegacyUploadForm, ReviewForm
from .importing import connectors, legacy, selectors, services
from .importing.base import FileRefused


@rules.requires("offer.import")
def import_start(request):
    return upload_page(
        request,
        ImportUploadForm,
        create=lambda name, content, data: services.import_prepare(
            membership=request.membership, name=name, content=content, source=data["source"]
        ),
        refused=FileRefused,
        then="interop:import_run",
        template="interop/import_start.html",
        context={"runs": selectors.runs()[:20], "connectors": connectors.CONNECTORS.values()},
    )


@rules.requires("offer.import")
def import_run(request, pk):
    run = selectors.get_run(pk)
    context = {"run": run, "form": ImportCommitForm(), "job": selectors.run_job(run)}
    if request.htmx:  # a background job's polling: the run's body only
        return render(request, "interop/_import_body.html", context)
    return render(request, "interop/import_run.html", context)


@require_POST
@rules.requires("offer.import")
def import_commit(request, pk):
    run = selectors.get_run(pk)
    form = ImportCommitForm(request.POST)
    if form.is_valid():
        try:
            services.import_commit(
                membership=request.membership, run=run, exclude_refused=form.cleaned_data["exclude_refused"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("interop:import_run", pk=run.pk)
    context = {"run": run, "form": form, "job": selectors.run_job(run)}
    return render(request, "interop/import_run.html", context, status=400)


@require_POST
@rules.requires("offer.import")
def import_conflict(request, pk):
    """Settle one conflict of a run: take the source's value, or keep the office's."""
    run = selectors.get_run(pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.conflict_settle(
                membership=request.membership,
                run=run,
                line=form.cleaned_data["line"],
                field=form.cleaned_data["field"],
                accept=form.cleaned_data["choice"] == "accept",
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("interop:import_run", pk=run.pk)
    context = {"run": run, "form": form, "job": selectors.run_job(run)}
    return render(request, "interop/import_run.html", context, status=400)


@rules.requires("offer.import")
def legacy_start(request):
    """A former base's file: upload, then its column mapping."""
    return upload_page(
        request,
        LegacyUploadForm,
        create=lambda name, content, data: services.legacy_upload(
            membership=request.membership, name=name, content=content, label=data["source_label"]
        ),
        refused=FileRefused,
        then="interop:legacy_mapping",
        template="interop/legacy_start.html",
        context={"sources": selectors.legacy_sources()},
    )


@rules.requires("offer.import")
def legacy_mapping(request, pk):
    """Which offer field each column feeds, and which offer type each of the file's type labels is."""
    run = selectors.get_legacy_run(pk)
    header = run.table["header"]
    saved = run.legacy_source.columns if run.legacy_source else {}
    shown = request.POST.getlist("type_column")
    if request.method == "POST":
        columns = {t: f for i, t in enumerate(header) if (f := request.POST.get(f"col_{i}", "")) in legacy.FIELDS}
    else:
        columns = legacy.guess_columns(header, saved)
    labels = legacy.type_labels_of(run.table, columns)
    type_labels = {
        **services.suggest_type_labels(labels),
        **(run.legacy_source.type_labels if run.legacy_source else {}),
    }
    type_columns = [t for t in header if columns.get(t) == "type"]
    form = LegacyMappingForm(
        request.POST or None,
        header=header,
        columns=columns,
        labels=labels,
        type_labels=type_labels,
        rows=run.table["rows"],
    )
    status = 200
    if request.method == "POST" and shown != type_columns:  # the type column changed: its labels are to be given
        form = LegacyMappingForm(
            header=header, columns=columns, labels=labels, type_labels=type_labels, rows=run.table["rows"]
        )
        form.changed_types = True
    elif request.method == "POST" and form.is_valid():
        try:
            services.legacy_map(
                membership=request.membership, run=run, columns=form.columns(), type_labels=form.type_labels()
            )
        except ValidationError as error:
            attach_errors(form, error)
            status = 400
        else:
            return redirect("interop:import_run", pk=run.pk)
    context = {"run": run, "form": form, "type_columns": type_columns}
    return render(request, "interop/legacy_mapping.html", context, status=status)


@require_POST
@rules.requires("offer.import")
def import_review(request, pk):
    """The office's choice for the uncertain matches of a former base's file."""
    run = selectors.get_run(pk)
    form = ReviewForm(request.POST, lines=[line for line in run.report if line["action"] == "review"])
    if form.is_valid():
        try:
            services.review_decide(membership=request.membership, run=run, choices=form.choices())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("interop:import_run", pk=run.pk)
    context = {"run": run, "form": form, "job": selectors.run_job(run)}
    return render(request, "interop/import_run.html", context, status=400)
