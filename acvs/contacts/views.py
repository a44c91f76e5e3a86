"""Thin views of the prospect file: every contact is read through `selectors` (the acting office's only)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acvs.core import exports
from acvs.core.exceptions import ConflictError
from acvs.core.forms import attach_errors
from acvs.core.paginator import page_number
from acvs.network import rules

from . import optin, selectors, services, timeline
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
    criteria = form.criteria() if form.is_bound and valid else {}
    found = selectors.search(criteria) if valid else selectors.contacts().none()
    number = page_number(request.GET.get("page"))
    by_text = bool(criteria.get("q"))
    walk = selectors.search(criteria, walk=True) if by_text and valid else None
    page = selectors.list_page(found, number, PAGE_SIZE, by_text=by_text, walk=walk)
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
                services.contact_update(
                    membership=request.membership,
                    contact=contact,
                    data=form.contact_data(),
                    version=form.cleaned_data["version"] or 0,
                )
            except ConflictError as conflict:
                form.add_error(None, str(conflict))
                form.add_error(None, _("Your input is kept below: reload the contact to see the other changes."))
                status = 409
            except services.ContactErased as error:
                attach_errors(form, error)
                status = 409
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Contact saved."))
                return redirect("contacts:detail", contact.pk)
        status = 409 if status == 409 else 400
    else:
        form = ContactForm(initial=initial_from_contact(contact))
    return render(request, "contacts/contact_form.html", {"form": form, "contact": contact}, status=status)


def _detail(request, contact, consent_form=None, status=200):
    current = selectors.current_consents(contact)
    awaiting = selectors.awaiting_confirmation(contact, {purpose: event for purpose, _label, event in current})
    consents = [
        (purpose, label, event, awaiting.get(purpose),
         ConsentForm(initial={"purpose": purpose, "text": CONSENT_WORDING[purpose]}))
        for purpose, label, event in current
    ]  # fmt: skip
    context = {
        "contact": contact, "consents": consents, "consent_form": consent_form,
        "history_consents": selectors.consent_history(contact), "timeline": timeline.timeline(contact),
        "duplicates": selectors.duplicates(contact), "history": selectors.contact_history(contact),
        # An erased contact stays an anonymous row: nothing to edit, consent or merge any more.
        "can_change": rules.can_change_contact(request.membership, contact) and contact.erased_at is None,
        "can_erase": rules.can_erase_contacts(request.membership),
        "erasure": selectors.last_erasure(contact) if contact.erased_at else None,
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
            event = services.consent_record(
                membership=request.membership, contact=contact, site_url=_site_url(request), **form.cleaned_data
            )
        except services.ContactErased as error:
            attach_errors(form, error)
            return _detail(request, contact, consent_form=form, status=409)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if event.pending:
                messages.success(request, _("Consent recorded: it counts once the person confirms it by email."))
            else:
                given = form.cleaned_data["given"]
                messages.success(request, _("Consent recorded.") if given else _("Withdrawal recorded."))
            return redirect("contacts:detail", contact.pk)
    return _detail(request, contact, consent_form=form, status=400)


def _site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_POST
@rules.requires("contacts.use")
def resend_confirmation(request, pk, event_pk):
    contact = selectors.get_contact(pk)
    event = selectors.get_pending_event(contact, event_pk)
    try:
        mail = optin.resend(membership=request.membership, event=event, site_url=_site_url(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Confirmation sent again to %(email)s.") % {"email": mail.email})
    return redirect("contacts:detail", contact.pk)


@rules.requires("contacts.use")
def email_deliverable(request, pk, email_pk):
    """Confirm, then mark an undeliverable address deliverable again (the visitor gave it anew, a typo was fixed)."""
    contact = selectors.get_contact(pk)
    address = selectors.get_email(contact, email_pk)
    if not rules.can_change_contact(request.membership, contact):
        raise PermissionDenied
    if request.method == "POST":
        services.email_mark_deliverable(membership=request.membership, address=address)
        messages.success(request, _("%(address)s will be written to again.") % {"address": address.email})
        return redirect("contacts:detail", contact.pk)
    return render(request, "contacts/email_deliverable.html", {"contact": contact, "address": address})


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
            try:
                services.contact_merge(membership=request.membership, kept=kept, merged=other, choices=form.choices())
            except services.ContactErased as error:
                form.add_error(None, error)
                status = 409
            else:
                messages.success(request, _("Contacts merged."))
                return redirect("contacts:detail", kept.pk)
        status = 409 if status == 409 else 400
    mine, theirs = services.contact_snapshot(kept), services.contact_snapshot(other)
    rows = [(form[f"keep_{name}"], label, mine[name][1], theirs[name][1]) for name, label in fields]
    context = {"kept": kept, "other": other, "form": form, "rows": rows}
    return render(request, "contacts/merge.html", context, status=status)
