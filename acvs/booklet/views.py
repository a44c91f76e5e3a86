"""Thin views of stay booklets. Staff reach booklets only through `selectors` (always filtered on the office)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acvs.core import jobs
from acvs.core.exceptions import ConflictError
from acvs.core.forms import SearchTextForm, attach_errors
from acvs.core.paginator import paginate
from acvs.core.tenancy import scope_for
from acvs.desk import selectors as desk_selectors
from acvs.desk.models import Suggestion
from acvs.network import rules
from acvs.offer.search import OfferQuery, search_page

from . import render as booklet_render
from . import selectors, services, tasks
from .forms import BookletForm, BrandingForm, ItemAddForm, ItemForm, SendForm
from .models import Booklet

SEARCH_RESULTS = 12
PAGE_SIZE = 50


def site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@rules.requires("booklet.build")
def booklet_list(request):
    page = paginate(request, selectors.booklets(), PAGE_SIZE)
    context = {
        "booklets": page.object_list,
        "page": page,
        "can_change_branding": rules.can_change_branding(request.membership, request.office),
    }
    return render(request, "booklet/list.html", context)


@require_POST
@rules.requires("booklet.build")
def booklet_new(request):
    booklet = services.booklet_create(membership=request.membership)
    return redirect(booklet)


@require_POST
@rules.requires("booklet.build")
def booklet_from_request(request, request_pk):
    visitor_request = desk_selectors.get_request(request_pk)
    booklet = services.booklet_create(membership=request.membership, visitor_request=visitor_request)
    messages.success(request, _("Stay booklet created from the request’s suggestions."))
    return redirect(booklet)


def _editor_context(request, booklet, form=None) -> dict:
    items = list(selectors.booklet_items(booklet))
    in_booklet = {i.offer_id for i in items}
    suggestions = []
    if booklet.visitor_request_id:
        suggestions = [
            s.offer
            for s in Suggestion.objects.filter(visitor_request_id=booklet.visitor_request_id)
            .select_related("offer", "offer__commune")
            .order_by("added_at", "pk")
            if s.offer_id not in in_booklet
        ]
    search = SearchTextForm(request.GET)
    q = search.text()
    results = []
    if q:
        # The first page as the offer search gives it: a common word reads its best offers from the index.
        results = list(search_page(OfferQuery(text=q), 1, SEARCH_RESULTS, select_related=("commune",)))
    return {
        "booklet": booklet,
        "form": form or BookletForm(instance=booklet),
        "items": items,
        "in_booklet": in_booklet,
        "suggestions": suggestions,
        "q": q,
        "search_errors": search.errors.get("q", []),
        "results": results,
        **_sending_context(request, booklet),
        "send_form": SendForm(initial={"to": booklet.recipient, "with_pdf": True}),
        "day_choices": range(1, _days_offered(booklet, items) + 1),
    }


def _days_offered(booklet, items) -> int:
    """Days to choose from: the stay's, at least a fortnight, and any day already given (at most 60)."""
    stay = (booklet.stay_end - booklet.stay_start).days + 1 if booklet.stay_start and booklet.stay_end else 0
    return min(ItemForm.base_fields["day"].max_value, max(14, stay, *(i.day or 0 for i in items)))


@rules.requires("booklet.build")
def booklet_edit(request, pk):
    booklet = selectors.get_booklet(pk)
    status, form = 200, None
    if request.method == "POST":
        form = BookletForm(request.POST, instance=booklet)
        status = 400
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in services.BOOKLET_FIELDS}
            try:
                services.booklet_update(
                    membership=request.membership, booklet=booklet, version=form.cleaned_data["version"], data=data
                )
            except ValidationError as error:
                attach_errors(form, error)
            except ConflictError as error:
                form.add_error(None, str(error))
                # What was typed stays, on the current version: saving it again, knowingly, overwrites.
                form.data = form.data.copy()
                form.data["version"] = Booklet.objects.values_list("version", flat=True).get(pk=booklet.pk)
            else:
                messages.success(request, _("Booklet saved."))
                return redirect(booklet)
        booklet = selectors.get_booklet(pk)
    context = _editor_context(request, booklet, form)
    if context["search_errors"] and request.method == "GET":
        status = 400
    return render(request, "booklet/editor.html", context, status=status)


def _back(request, booklet):
    url = booklet.get_absolute_url()
    q = request.POST.get("q", "").strip()
    if q:
        from urllib.parse import urlencode

        url += "?" + urlencode({"q": q})
    return redirect(url + "#items")


@require_POST
@rules.requires("booklet.build")
def item_add(request, pk):
    booklet = selectors.get_booklet(pk)
    form = ItemAddForm(request.POST)
    if not form.is_valid():
        raise Http404
    offer = form.cleaned_data["offer"]
    try:
        services.item_add(membership=request.membership, booklet=booklet, offer=offer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” added to the booklet.") % {"name": offer.name})
    return _back(request, booklet)


@require_POST
@rules.requires("booklet.build")
def item_remove(request, pk, item_pk):
    booklet = selectors.get_booklet(pk)
    try:
        services.item_remove(membership=request.membership, booklet=booklet, item_id=item_pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, booklet)


@require_POST
@rules.requires("booklet.build")
def item_move(request, pk, item_pk):
    booklet = selectors.get_booklet(pk)
    delta = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.item_move(membership=request.membership, booklet=booklet, item_id=item_pk, delta=delta)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, booklet)


@require_POST
@rules.requires("booklet.build")
def item_update(request, pk, item_pk):
    booklet = selectors.get_booklet(pk)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            services.item_update(
                membership=request.membership,
                booklet=booklet,
                item_id=item_pk,
                day=form.cleaned_data["day"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Offer updated."))
    else:
        messages.error(request, _("Choose a day between 1 and 60."))
    return _back(request, booklet)


@require_POST
@rules.requires("booklet.build")
def booklet_delete(request, pk):
    booklet = selectors.get_booklet(pk)
    services.booklet_delete(membership=request.membership, booklet=booklet)
    messages.success(request, _("Booklet deleted."))
    return redirect("booklet:list")


def _pdf_response(request, booklet, *, attachment: bool) -> HttpResponse:
    pdf = booklet_render.render_pdf(booklet, site_url=site_url(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{booklet_render.pdf_filename(booklet)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@rules.requires("booklet.build")
def booklet_pdf(request, pk):
    booklet = selectors.get_booklet(pk)
    return _pdf_response(request, booklet, attachment=True)


@rules.requires("booklet.build")
def booklet_print(request, pk):
    """The PDF shown in the browser, to print it at the counter."""
    booklet = selectors.get_booklet(pk)
    return _pdf_response(request, booklet, attachment=False)


@rules.requires("booklet.build")
def booklet_preview(request, pk):
    booklet = selectors.get_booklet(pk)
    return HttpResponse(booklet_render.render_web(booklet, site_url=site_url(request), preview=True, request=request))


@require_POST
@rules.requires("booklet.build")
def booklet_send(request, pk):
    """Queue the sending; the page then shows it queued, then its outcome (`sending_status`)."""
    booklet = selectors.get_booklet(pk)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            services.booklet_send(
                membership=request.membership,
                booklet=booklet,
                to=form.cleaned_data["to"],
                with_pdf=form.cleaned_data["with_pdf"],
                site_url=site_url(request),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect(booklet.get_absolute_url() + "#send")
    context = _editor_context(request, booklet)
    context["send_form"] = form
    return render(request, "booklet/editor.html", context, status=400)


@rules.requires("booklet.build")
def sending_status(request, pk):
    """The sending's state and the attempts, polled by htmx while the worker sends."""
    booklet = selectors.get_booklet(pk)
    return render(request, "booklet/_sending_status.html", _sending_context(request, booklet))


def _sending_context(request, booklet) -> dict:
    return {
        "booklet": booklet,
        "send_job": jobs.latest_job(tasks.SEND, booklet),
        "sendings": selectors.booklet_sendings(booklet)[:20],
        "editor_url": booklet.get_absolute_url() + "#send",
    }


@login_not_required
def public(request, token):
    """The web version sent to the visitor: anyone with the unguessable link, no log-in."""
    office_id = selectors.token_office_id(token)
    if office_id is None:
        raise Http404("No such booklet")
    # The link opens this booklet only, read in its office's scope.
    with scope_for(office=office_id):
        booklet = selectors.get_booklet_by_token(token)
        if booklet.erased_at:
            # Its holder's data was erased (contacts' rights): gone for good, said kindly.
            return render(request, "booklet/erased.html", status=410)
        services.record_first_opening(booklet=booklet, user=request.user)
        response = HttpResponse(booklet_render.render_web(booklet, site_url=site_url(request), request=request))
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
def public_colours(request, token):
    """The web version's colours as a stylesheet: the Content-Security-Policy admits no inline style."""
    office_id = selectors.token_office_id(token)
    if office_id is None:
        raise Http404("No such booklet")
    with scope_for(office=office_id):
        booklet = selectors.get_booklet_by_token(token)
        if booklet.erased_at:
            raise Http404("No such booklet")
        colours = booklet_render.colours_of(booklet.office)
    response = render(request, "booklet/colours.css", {"colours": colours}, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@rules.requires("booklet.branding")
def branding(request):
    office = request.office
    instance = selectors.branding_for(office)
    status = 200
    if request.method == "POST":
        form = BrandingForm(request.POST, instance=instance)
        if form.is_valid():
            try:
                services.branding_update(membership=request.membership, office=office, data=form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Booklet branding saved."))
                return redirect("booklet:branding")
        status = 400
    else:
        form = BrandingForm(instance=instance)
    return render(request, "booklet/branding.html", {"form": form, "office": office}, status=status)
