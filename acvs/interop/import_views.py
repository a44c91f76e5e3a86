"""Pages of the offer import: upload and dry run, the report, the commit."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from acvs.core.forms import attach_errors
from acvs.network import rules

from .forms import ImportCommitForm, ImportUploadForm
from .importing import datatourisme, selectors, services


@rules.requires("offer.import")
def import_start(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = services.import_prepare(membership=request.membership, name=upload.name, content=upload.read())
        except datatourisme.FileRefused as error:
            form.add_error("file", str(error))
        else:
            return redirect("interop:import_run", pk=run.pk)
    status = 400 if form.errors else 200
    runs = selectors.runs()[:20]
    return render(request, "interop/import_start.html", {"form": form, "runs": runs}, status=status)


@rules.requires("offer.import")
def import_run(request, pk):
    run = selectors.get_run(pk)
    return render(request, "interop/import_run.html", {"run": run, "form": ImportCommitForm()})


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
    return render(request, "interop/import_run.html", {"run": run, "form": form}, status=400)
