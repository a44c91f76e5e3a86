"""Downloads of offers in every registered format (offer.exports): a search's results, or one offer."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import exports, selectors
from .forms import OfferSearchForm
from .search import OfferQuery


def _format(code: str) -> exports.Export:
    export = exports.get(code)
    if export is None:
        raise Http404(_("Unknown export format."))
    return export


def _download(request, export: exports.Export, offers, name: str) -> HttpResponse:
    content = export.render(offers, request.build_absolute_uri("/"))
    reply = HttpResponse(content, content_type=export.content_type)
    reply["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.{export.extension}"'
    return reply


def export_search(request, fmt):
    """The offers of the search in the query string (the search page's criteria), up to ACVS_EXPORT_MAX_OFFERS."""
    export = _format(fmt)
    back = reverse("offer:search") + ("?" + request.GET.urlencode() if request.GET else "")
    form = OfferSearchForm(request.GET or None, acting_office=request.office)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Nothing was exported: correct the search criteria first."))
        return redirect(back)
    query = form.to_query() if form.is_bound else None
    try:
        offers = exports.selection(query or OfferQuery(), export)
    except exports.TooMany as too_many:
        messages.error(
            request,
            _("Nothing was exported: the search finds more than %(cap)s offers. Add a criterion to narrow it.")
            % {"cap": too_many.cap},
        )
        return redirect(back)
    return _download(request, export, offers, "offers")


def export_offer(request, pk, fmt):
    export = _format(fmt)
    offer = selectors.get_offer(pk)
    return _download(request, export, exports.one(offer, export), slugify(offer.name) or "offer")
