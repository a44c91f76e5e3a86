from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acvs.core.forms import attach_errors
from acvs.core.paginator import paginate
from acvs.network import rules
from acvs.offer.forms import communes_for_datalist
from acvs.offer.models import Offer

from . import selectors, services
from .forms import AgendaForm, PlacesForm, ScheduleForm
from .models import EventOccurrence, EventSchedule

PAGE_SIZE = 50


def agenda(request):
    """Published events by day over a period, in an area, optionally matching a text."""
    form = AgendaForm(request.GET)
    page = days = None
    if form.is_valid():
        data = form.cleaned_data
        occurrences = selectors.events_during(
            data["date_from"],
            data["date_to"],
            commune=data.get("commune"),
            radius_km=data.get("radius"),
            office=data.get("office"),
            text=data.get("q") or "",
        )
        page = paginate(request, occurrences, getattr(settings, "ACVS_AGENDA_PAGE_SIZE", PAGE_SIZE))
        days = [(day, list(rows)) for day, rows in groupby(page.object_list, key=lambda o: o.date)]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "days": days,
        "querystring": query.urlencode(),
        "communes": communes_for_datalist(),
    }
    return render(request, "agenda/agenda.html", context, status=400 if form.errors else 200)


def _offer_for_change(request, pk) -> Offer:
    offer = get_object_or_404(Offer.objects.select_related("owner_office"), pk=pk)
    if not rules.can_change_offer(request.membership, offer):
        raise PermissionDenied
    return offer


@require_POST
def schedule_add(request, pk):
    offer = _offer_for_change(request, pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.schedule_add(offer=offer, membership=request.membership, data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Dates added."))
            return redirect(reverse("offer:detail", args=[offer.pk]) + "#dates")
    return render(request, "agenda/schedule_form.html", {"offer": offer, "form": form}, status=400)


@require_POST
def schedule_delete(request, pk, schedule_pk):
    schedule = get_object_or_404(
        EventSchedule.objects.select_related("offer__owner_office"), pk=schedule_pk, offer_id=pk
    )
    services.schedule_delete(schedule=schedule, membership=request.membership)
    messages.success(request, _("Dates deleted."))
    return redirect(reverse("offer:detail", args=[pk]) + "#dates")


@require_POST
def places_set(request, pk, occurrence_pk):
    """The places left on one date of an event (the owning office): the date's row again, or the offer's page."""
    offer = _offer_for_change(request, pk)
    occurrence = get_object_or_404(EventOccurrence, pk=occurrence_pk, offer=offer)
    form = PlacesForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            occurrence = services.places_set(
                occurrence=occurrence, membership=request.membership, places_left=form.cleaned_data["places_left"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(form.errors["places_left"])
    if request.htmx:
        context = {"o": occurrence, "offer": offer, "can_change": True, "error": error}
        return render(request, "agenda/_date_row.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Places saved."))
    return redirect(reverse("offer:detail", args=[offer.pk]) + "#dates")
