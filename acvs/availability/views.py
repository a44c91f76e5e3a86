"""Thin views of the availability calendar: the section of the offer page, and setting a range of nights."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acvs.core.forms import FIRST_DATE, LAST_DATE, attach_errors
from acvs.network import rules
from acvs.offer.models import Offer

from . import selectors, services
from .forms import AvailabilityForm

MONTHS_SHOWN = 2


def _accommodation(pk: int) -> Offer:
    offer = get_object_or_404(Offer.objects.select_related("owner_office"), pk=pk)
    if not selectors.is_accommodation(offer):
        raise Http404
    return offer


def parse_month(value: str | None) -> datetime.date:
    """ "2026-07" → 1 July 2026; anything else, or a year outside the forms' dates, → the current month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if FIRST_DATE.year <= year <= LAST_DATE.year:
            return datetime.date(year, month, 1)
    except ValueError:
        pass
    return selectors.month_start(timezone.localdate())


def section_context(membership, offer: Offer, first: datetime.date, form=None) -> dict:
    can_change = rules.can_change_offer(membership, offer)
    if form is None and can_change:
        today = timezone.localdate()
        form = AvailabilityForm(initial={"start": today, "end": today})
    return {
        "offer": offer,
        "months": selectors.calendar_months(offer, first, MONTHS_SHOWN),
        "previous_month": selectors.add_months(first, -1).strftime("%Y-%m"),
        "next_month": selectors.add_months(first, 1).strftime("%Y-%m"),
        "current_month": first.strftime("%Y-%m"),
        "last_update": selectors.last_update(offer),
        "stale_days": settings.ACVS_AVAILABILITY_STALE_DAYS,
        "can_change": can_change,
        "form": form if can_change else None,
    }


def section(request, offer_pk):
    offer = _accommodation(offer_pk)
    first = parse_month(request.GET.get("month"))
    return render(request, "availability/_section.html", section_context(request.membership, offer, first))


@require_POST
def availability_set(request, offer_pk):
    offer = _accommodation(offer_pk)
    if not rules.can_change_offer(request.membership, offer):
        raise PermissionDenied(_("Only the office that keeps this offer up to date can change its availability."))
    first = parse_month(request.POST.get("month"))
    form = AvailabilityForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changes = services.availability_set(
                membership=request.membership,
                offer=offer,
                start=data["start"],
                end=data["end"],
                state=data["state"],
                units_free=data["units_free"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            message = _("Availability saved (%(count)s nights changed).") % {"count": len(changes)}
            if not request.htmx:
                messages.success(request, message)
                return redirect("offer:detail", offer.pk)
            context = section_context(request.membership, offer, first)
            context["saved_message"] = message
            return render(request, "availability/_section.html", context)
    if not request.htmx:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("offer:detail", offer.pk)
    return render(request, "availability/_section.html", section_context(request.membership, offer, first, form))
