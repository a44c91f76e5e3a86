"""Thin views of a person's rights: export (JSON, PDF), erasure with confirmation, the access log, and the public
"keep me" link of the retention. Every use is logged by the services (rights.py, retention.py)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from acvs.core.forms import attach_errors
from acvs.core.paginator import paginate
from acvs.network import rules

from . import retention, rights, selectors
from .forms import EraseForm


def _filename(contact, ext: str) -> str:
    return f"contact-{contact.pk}-{timezone.localdate():%Y-%m-%d}.{ext}"


@rules.requires("contacts.export")
def export_json(request, pk):
    contact = selectors.get_contact(pk)
    data = rights.export_json(membership=request.membership, contact=contact)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(contact, "json")}"'
    return response


@rules.requires("contacts.export")
def export_pdf(request, pk):
    contact = selectors.get_contact(pk)
    response = HttpResponse(rights.export_pdf(membership=request.membership, contact=contact),
                            content_type="application/pdf")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="{_filename(contact, "pdf")}"'
    return response


@rules.requires("contacts.erase")
def erase(request, pk):
    contact = selectors.get_contact(pk)
    if contact.erased_at:
        return redirect("contacts:detail", contact.pk)
    status = 200
    if request.method == "POST":
        form = EraseForm(request.POST)
        if form.is_valid():
            try:
                counts = rights.contact_erase(
                    membership=request.membership, contact=contact, confirmation=form.cleaned_data["confirmation"]
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request, _("Contact erased: %(rows)s rows erased or anonymised.") % {"rows": sum(counts.values())}
                )
                return redirect("contacts:detail", contact.pk)
        status = 400
    else:
        form = EraseForm()
        rights.erase_form_opened(membership=request.membership, contact=contact)
    context = {"contact": contact, "form": form, "word": rights.erasure_word(contact),
               "held": rights.held_counts(contact)}  # fmt: skip
    return render(request, "contacts/erase.html", context, status=status)


@rules.requires("contacts.access_log")
def access_log(request):
    page = paginate(request, selectors.access_log(), 50)
    return render(request, "contacts/access_log.html", {"page": page})


@login_not_required
def keep(request, token):
    """The "keep me" link of the retention's email: a button (a mail scanner opening the link changes nothing)."""
    try:
        retention.read_token(token)
    except signing.BadSignature:
        return render(request, "contacts/keep.html", {"state": "invalid"}, status=400)
    if request.method == "POST":
        contact = retention.keep(token)
        if contact is None:
            return render(request, "contacts/keep.html", {"state": "erased"}, status=410)
        return render(request, "contacts/keep.html", {"state": "kept", "office": contact.office})
    return render(request, "contacts/keep.html", {"state": "ask"})
