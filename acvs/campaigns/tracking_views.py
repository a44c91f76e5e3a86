"""Public tracking endpoints (the open pixel, the click redirect; their signature is the right to use them) and the
office's tracking switch. Thin: signing and recording live in tracking.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acvs.core.tenancy import owner_office_id, scope_for
from acvs.network import rules

from . import render, selectors, tracking
from .models import Event, Recipient


def _scoped_recipient(pk: int):
    office_id = owner_office_id(Recipient, pk=pk)
    if office_id is None:
        raise Http404
    return office_id


@login_not_required
def open_pixel(request, token):
    pk = render.link_recipient_pk(token)
    if pk is None:
        raise Http404
    with scope_for(office=_scoped_recipient(pk)):
        recipient = selectors.recipient_by_link(pk)
        tracking.record(recipient, Event.Kind.OPEN)
    response = HttpResponse(tracking.GIF, content_type="image/gif")
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, max-age=0"
    return response


@login_not_required
def click(request, pk, signature):
    url = request.GET.get("u", "")
    if not tracking.click_valid(pk, signature, url):
        return HttpResponseBadRequest(_("This link is not valid."), content_type="text/plain; charset=utf-8")
    with scope_for(office=_scoped_recipient(pk)):
        tracking.record(selectors.recipient_by_link(pk), Event.Kind.CLICK, url)
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@rules.requires("contacts.use")
def office_tracking(request):
    if not rules.can_change_desk_settings(request.membership):
        raise PermissionDenied(_("Only the office's managers change its campaign settings."))
    wanted = request.POST.get("tracking") == "on"
    tracking.office_set(request.membership.office_id, wanted)
    messages.success(request, _("Opens and clicks are measured.") if wanted else _("Opens and clicks are no longer "
                                                                                     "measured."))  # fmt: skip
    return redirect("campaigns:list")
