"""Thin views of the prospect file: every contact is read through `selectors` (the acting office's only)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acvs.core import exports
from acvs.core.forms import attach_errors
from acvs.core.paginator import paginate
from acvs.network import rules

from . import selectors, services, timeline
from .forms import CONSENT_WORDING, ConsentForm, ContactForm, FilterForm, MergeForm, SegmentForm, initial_from_contact

PAGE_SIZE = 25


def _filters(request) -> tuple[FilterForm, object]:
    """The list's filters: the query's, or a saved segment's (?segment=)."""
    data = request.GET
    segment = None
    if request.GET.get("segment"):
        segment = selectors.get_segment(request.GET["segment"])
        data = QueryDict(mutable=True)
        data.update(segment.criteria)
    form = FilterForm(data or None)
    return form, segment


@rules.requires("contacts.use")
def contact_list(request):
    form, segment = _filters(request)
    valid = not form.is_bound or form.is_valid()
    found = selectors.search(form.criteria() if form.is_bound else {}) if valid else selectors.contacts().none()
    page = paginate(request, found, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form, "page": page, "query": query.urlencode(), "segment": segment, "segments": selectors.segments(),
        "segment_form": SegmentForm(), "saved": form.saved() if form.is_bound and valid else {},
    }  # fmt: skip
    return render(request, "contacts/contact_list.html", context, status=200 if valid else 400)


@rules.requires("contacts.use")
def contact_export(request, fmt):
    form, segment = _filters(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("The filters are not valid: nothing was exported."))
        return redirect("contacts:list")
    header, rows = selectors.export_rows(selectors.search(form.criteria() if form.is_bound else {}))
    return exports.response(fmt, "contacts", header, rows)


@require_POST
@rules.requires("contacts.use")
def segment_save(request):
    form = SegmentForm(request.POST)
    filters = FilterForm(request.POST)
    if form.is_valid() and filters.is_valid():
        try:
            segment = services.segment_save(
                membership=request.membership, name=form.cleaned_data["name"], criteria=filters.saved()
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Segment saved."))
            return redirect(f"{reverse('contacts:list')}?segment={segment.pk}")
    else:
        messages.error(request, _("Give the segment a name and valid filters: nothing was saved."))
    return redirect("contacts:list")


@require_POST
@rules.requires("contacts.use")
def segment_delete(request, pk):
    services.segment_delete(membership=request.membership, segment=selectors.get_segment(pk))
    messages.success(request, _("Segment deleted."))
    return redirect("contacts:list")


@rules.requires("contacts.use")
def contact_create(request):
    status = 200
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                contact = services.contact_create(membership=request.membership, data=form.contact_data())
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Contact created."))
                return redirect("contacts:detail", contact.pk)
        status = 400
    else:
        form = ContactForm()
    return render(request, "contacts/contact_form.html", {"form": form, "contact": None}, status=status)


@rules.requires("contacts.use")
def contact_edit(request, pk):
    contact = selectors.get_contact(pk)
    if not rules.can_change_contact(request.membership, contact):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                services.contact_update(membership=request.membership, contact=contact, data=form.contact_data())
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Contact saved."))
                return redirect("contacts:detail", contact.pk)
        status = 400
    else:
        form = ContactForm(initial=initial_from_contact(contact))
    return render(request, "contacts/contact_form.html", {"form": form, "contact": contact}, status=status)


def _detail(request, contact, consent_form=None, status=200):
    consents = [
        (purpose, label, event, ConsentForm(initial={"purpose": purpose, "text": CONSENT_WORDING[purpose]}))
        for purpose, label, event in selectors.current_consents(contact)
    ]
    context = {
        "contact": contact, "consents": consents, "consent_form": consent_form,
        "history_consents": selectors.consent_history(contact), "timeline": timeline.timeline(contact),
        "duplicates": selectors.duplicates(contact), "history": selectors.contact_history(contact),
        "can_change": rules.can_change_contact(request.membership, contact),
    }  # fmt: skip
    return render(request, "contacts/contact_detail.html", context, status=status)


@rules.requires("contacts.use")
def contact_detail(request, pk):
    return _detail(request, selectors.get_contact(pk))


@require_POST
@rules.requires("contacts.use")
def consent(request, pk):
    contact = selectors.get_contact(pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_record(membership=request.membership, contact=contact, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            given = form.cleaned_data["given"]
            messages.success(request, _("Consent recorded.") if given else _("Withdrawal recorded."))
            return redirect("contacts:detail", contact.pk)
    return _detail(request, contact, consent_form=form, status=400)


@rules.requires("contacts.use")
def merge(request, pk):
    kept = selectors.get_contact(pk)
    other = selectors.get_contact(request.GET.get("with") or request.POST.get("with"))
    if other.pk == kept.pk:
        messages.error(request, _("Choose another contact to merge with."))
        return redirect("contacts:detail", kept.pk)
    if not rules.can_change_contact(request.membership, kept):
        raise PermissionDenied
    fields = [(name, str(kept._meta.get_field(name).verbose_name)) for name in services.FIELDS]
    form = MergeForm(request.POST or None, fields=fields)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.contact_merge(membership=request.membership, kept=kept, merged=other, choices=form.choices())
            messages.success(request, _("Contacts merged."))
            return redirect("contacts:detail", kept.pk)
        status = 400
    mine, theirs = services.contact_snapshot(kept), services.contact_snapshot(other)
    rows = [(form[f"keep_{name}"], label, mine[name][1], theirs[name][1]) for name, label in fields]
    context = {"kept": kept, "other": other, "form": form, "rows": rows}
    return render(request, "contacts/merge.html", context, status=status)
