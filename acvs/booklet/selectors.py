"""Reads of stay booklets, in the acting office's scope: another office's booklets give 404."""

from django.db.models import Prefetch
from django.http import Http404

from acvs.core.tenancy import owner_office_id
from acvs.network.models import Office

from .models import Booklet, BookletItem, BookletSending, Branding


def booklets():
    return Booklet.objects.select_related("visitor_request").prefetch_related(
        Prefetch("sendings", queryset=BookletSending.objects.order_by("-at", "-id"))
    )


def get_booklet(pk) -> Booklet:
    """One booklet of the acting office; 404 when it does not exist or belongs to another office."""
    try:
        return Booklet.objects.select_related("office", "visitor_request").get(pk=pk)
    except (Booklet.DoesNotExist, ValueError, TypeError):
        raise Http404("No such booklet") from None


def token_office_id(token: str) -> int | None:
    """The office of the booklet whose web version the unguessable link opens (the link is the right to read it)."""
    if not token or len(token) < 16:
        return None
    return owner_office_id(Booklet, token=token)


def get_booklet_by_token(token: str) -> Booklet:
    """The public web version, in the scope of its office (`token_office_id`)."""
    try:
        return Booklet.objects.select_related("office", "office__commune").get(token=token)
    except Booklet.DoesNotExist:
        raise Http404("No such booklet") from None


def booklet_items(booklet: Booklet):
    return BookletItem.objects.filter(booklet=booklet).select_related("offer", "offer__commune")


def booklet_sendings(booklet: Booklet):
    return BookletSending.objects.filter(booklet=booklet).select_related("by")


def request_booklets(visitor_request):
    """The booklets made from a request, with their sendings."""
    if visitor_request is None or visitor_request.pk is None:
        return Booklet.objects.none()
    return Booklet.objects.filter(visitor_request=visitor_request).prefetch_related(
        Prefetch("sendings", queryset=BookletSending.objects.order_by("-at", "-id"))
    )


def branding_for(office: Office) -> Branding:
    """The office's branding, or the default one (unsaved) when it never set it."""
    found = Branding.objects.filter(office=office).first()
    return found or Branding(office=office)
