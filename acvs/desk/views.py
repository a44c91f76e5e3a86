"""Thin views of the counter. Requests are read only through `selectors` (always filtered on the office)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from acvs.core.exceptions import ConflictError
from acvs.core.forms import attach_errors
from acvs.core.paginator import paginate
from acvs.network import rules
from acvs.network.selectors import place_index

from . import selectors, services
from .forms import (
    CounterForm,
    CountSetForm,
    FilterForm,
    RequestForm,
    apply_quick_line,
    initial_from_request,
    quick_chips,
)

PAGE_SIZE = 25


def _count_context(request) -> dict:
    return {
        "visitors_today": selectors.visitors_on(),
        "count_corrections": selectors.count_corrections()[:5],
        "count_form": CountSetForm(),
    }


@rules.requires("desk.use")
def counter(request):
    status = 200
    lines, handout_errors = {}, {}
    if request.method == "POST":
        data = request.POST
        if data.get("quick", "") != data.get("quick_parsed", ""):  # recorded before the line was read back
            data, _parsed = apply_quick_line(data, request.office)
        form = CounterForm(data, office=request.office)
        lines, handout_errors = services.counter_handout_parse(request.POST, request.office)
        if form.is_valid() and not handout_errors:
            try:
                created = _record_at_counter(request.membership, form.request_data(), lines)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                return _counter_recorded(request, created, handed_out=bool(lines))
        status = 400
    else:
        form = CounterForm(office=request.office)
    context = {"form": form, "handout_errors": handout_errors, "handout_open": bool(lines or handout_errors),
               **_counter_context()}  # fmt: skip
    if status == 400 and request.htmx:
        # Only the form goes back, with its errors and what was typed.
        response = render(request, "desk/_counter_form.html", context, status=422)
        return reswap(retarget(response, "#counter-form"), "outerHTML")
    context.update(
        can_change_settings=rules.can_change_desk_settings(request.membership),
        todays_requests=selectors.todays_requests(),
        **_count_context(request),
    )
    return render(request, "desk/counter.html", context, status=status)


def _counter_context(chips=None) -> dict:
    """What the counter's fields need besides the form: the quick line's chips (None: not read), theme→type hints,
    today."""
    return {
        "quick_chips": chips,
        "theme_types": selectors.theme_type_suggestions(),
        "today": timezone.localdate(),
    }


@require_POST
@rules.requires("desk.use")
def quick_line(request):
    """The quick line read back into the counter's fields: the fields part of the form, with chips."""
    drop = request.POST.get("quick_drop", "")
    data, parsed = apply_quick_line(request.POST, request.office, drop=int(drop) if drop.isdigit() else None)
    form = CounterForm(data, office=request.office)
    context = {"form": form, **_counter_context(quick_chips(parsed)), "quick_rewritten": drop != ""}
    return render(request, "desk/_counter_fields.html", context)


@rules.requires("desk.use")
def places(request):
    """Completion of the commune field: communes by name or postcode (a listbox of options)."""
    text = request.GET.get("postcode", "")[:100]
    return render(request, "desk/_places.html", {"places": place_index().complete(text) if text else []})


def _record_at_counter(membership, data, lines):
    """The request and the brochures handed to the visitor: one step, all or nothing."""
    if not lines:  # the common case: no outer transaction, hence no savepoint round trips
        return services.request_create(membership=membership, data=data)
    with transaction.atomic():
        created = services.request_create(membership=membership, data=data)
        services.counter_handout_record(membership=membership, visitor_request=created, lines=lines)
        return created


def _counter_recorded(request, created, handed_out: bool):
    """With htmx, a one-line answer (the page resets its own form); without, back to an empty counter."""
    if request.htmx:
        # After a hand-out the counter stock changed: the answer also refreshes the brochure fields.
        context = {"visitor_request": created, "refresh_handout": handed_out,
                   "todays_requests": selectors.todays_requests()}  # fmt: skip
        response = render(request, "desk/_counter_recorded.html", context)
        return trigger_client_event(response, "counter-recorded")
    messages.success(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("Request recorded."),
            reverse("desk:edit", args=[created.pk]),
            _("Correct or undo"),
        ),
    )
    return redirect("desk:counter")


def _count_response(request):
    if request.htmx:
        return render(request, "desk/_count.html", _count_context(request))
    return redirect("desk:counter")


@require_POST
@rules.requires("desk.use")
def count_increment(request):
    services.visitor_count_increment(membership=request.membership)
    return _count_response(request)


@require_POST
@rules.requires("desk.use")
def count_decrement(request):
    services.visitor_count_decrement(membership=request.membership)
    return _count_response(request)


@require_POST
@rules.requires("desk.use")
def count_set(request):
    form = CountSetForm(request.POST)
    if form.is_valid():
        services.visitor_count_set(membership=request.membership, value=form.cleaned_data["value"])
        return _count_response(request)
    context = {**_count_context(request), "count_form": form}
    return render(request, "desk/_count.html", context, status=400)


@rules.requires("desk.use")
def request_list(request):
    form = FilterForm(request.GET or None, office=request.office)
    results = selectors.requests_search(form.criteria()) if not form.is_bound or form.is_valid() else []
    page = paginate(request, results, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "today": timezone.localdate()}
    return render(request, "desk/request_list.html", context, status=200 if not form.errors else 400)


@rules.requires("desk.use")
def request_create(request):
    status = 200
    if request.method == "POST":
        form = RequestForm(request.POST, office=request.office)
        if form.is_valid():
            try:
                created = services.request_create(membership=request.membership, data=form.request_data())
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Request recorded."))
                return redirect("desk:detail", created.pk)
        status = 400
    else:
        form = RequestForm(office=request.office)
    return render(request, "desk/request_form.html", {"form": form, "visitor_request": None}, status=status)


@rules.requires("desk.use")
def request_detail(request, pk):
    obj = selectors.get_request(pk)
    return render(request, "desk/request_detail.html", selectors.request_page(request.membership, obj))


@rules.requires("desk.use")
def request_edit(request, pk):
    obj = selectors.get_request(pk)
    if not rules.can_change_request(request.membership, obj):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = RequestForm(request.POST, office=request.office)
        if form.is_valid():
            try:
                services.request_update(
                    visitor_request=obj,
                    membership=request.membership,
                    version=form.cleaned_data.get("version") or 0,
                    data=form.request_data(),
                )
            except ConflictError as conflict:
                form.add_error(None, str(conflict))
                status = 409
            except ValidationError as error:
                attach_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Changes saved."))
                return redirect("desk:detail", obj.pk)
        else:
            status = 400
    else:
        form = RequestForm(initial=initial_from_request(obj), office=request.office)
    context = {"form": form, "visitor_request": obj, "can_delete": rules.can_delete_request(request.membership, obj)}
    return render(request, "desk/request_form.html", context, status=status)


@require_POST
@rules.requires("desk.use")
def request_delete(request, pk):
    obj = selectors.get_request(pk)
    services.request_delete(visitor_request=obj, membership=request.membership)
    messages.success(request, _("Request deleted."))
    return redirect("desk:list")
