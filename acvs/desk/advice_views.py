from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acvs.core.http import redirect_next, refused
from acvs.network import rules

from . import advice, selectors
from .forms import MissingTypeForm, SuggestForm


@rules.requires("desk.use")
def advise(request, pk):
    visitor_request = selectors.get_request(pk)
    return redirect(advice.advice_search_url(visitor_request))


@require_POST
@rules.requires("desk.use")
def suggest(request, pk):
    visitor_request = selectors.get_request(pk)
    form = SuggestForm(request.POST)
    if not form.is_valid():
        return refused(request, form, back=visitor_request.get_absolute_url())
    offer = form.cleaned_data["offer"]
    advice.suggestion_add(membership=request.membership, visitor_request=visitor_request, offer=offer)
    if request.htmx:
        return render(request, "desk/_suggested.html", {"offer": offer, "visitor_request": visitor_request})
    messages.success(request, _("“%(name)s” added to the suggestions.") % {"name": offer.name})
    return redirect_next(request, visitor_request)


@require_POST
@rules.requires("desk.use")
def suggestion_remove(request, pk, offer_pk):
    visitor_request = selectors.get_request(pk)
    advice.suggestion_remove(membership=request.membership, visitor_request=visitor_request, offer_id=offer_pk)
    messages.success(request, _("Suggestion removed."))
    return redirect(visitor_request.get_absolute_url())


@require_POST
@rules.requires("desk.use")
def missing_type(request, pk):
    visitor_request = selectors.get_request(pk)
    form = MissingTypeForm(request.POST)
    if not form.is_valid():
        return refused(request, form, back=visitor_request.get_absolute_url())
    offer_type = form.cleaned_data["type"]
    advice.missing_type_add(membership=request.membership, visitor_request=visitor_request, offer_type=offer_type)
    messages.success(request, _("Recorded: no “%(type)s” to offer.") % {"type": offer_type.label})
    return redirect(visitor_request.get_absolute_url())
