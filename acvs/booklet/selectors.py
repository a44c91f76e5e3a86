"""Reads of stay booklets. Every staff lookup requires the office: another office's booklets give 404."""

from django.db.models import Prefetch
from django.http import Http404

from acvs.network.models import Office

from .models import Booklet, BookletItem, BookletSending, Branding


def _require(office: Office | None) -> Office:
    if office is None or office.pk is None:
        raise Http404("No office")
    return office


def booklets_for_office(office: Office):
    return (
        Booklet.objects.for_office(_require(office))
        .select_related("visitor_request")
        .prefetch_related(Prefetch("sendings", queryset=BookletSending.objects.order_by("-at", "-id")))
    )


def get_booklet_for_office(office: Office | None, pk) -> Booklet:
    """One booklet of `office`; 404 when it does not exist or belongs to another office."""
    try:
        return Booklet.objects.for_office(_require(office)).select_related("office", "visitor_request").get(pk=pk)
    except (Booklet.DoesNotExist, ValueError, TypeError):
        raise Http404("No such booklet") from None


def get_booklet_by_token(token: str) -> Booklet:
    """The public web version: anyone holding the unguessable link."""
    if not token or len(token) < 16:
        raise Http404("No such booklet")
    try:
        return Booklet.objects.select_related("office", "office__commune").get(token=token)
    except Booklet.DoesNotExist:
        raise Http404("No such booklet") from None


def booklet_items(booklet: Booklet):
    return BookletItem.objects.filter(booklet=booklet).select_related("offer", "offer__commune")


def booklet_sendings(booklet: Booklet):
    return BookletSending.objects.filter(booklet=booklet).select_related("by")


def request_booklets(visitor_request):
    """The booklets made from a request, with their sendings (the request's office only)."""
    if visitor_request is None or visitor_request.pk is None:
        return Booklet.objects.none()
    return (
        Booklet.objects.for_office(visitor_request.office)
        .filter(visitor_request=visitor_request)
        .prefetch_related(Prefetch("sendings", queryset=BookletSending.objects.order_by("-at", "-id")))
    )


def branding_for(office: Office) -> Branding:
    """The office's branding, or the default one (unsaved) when it never set it."""
    found = Branding.objects.filter(office=_require(office)).first()
    return found or Branding(office=office)
