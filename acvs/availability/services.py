"""Writes of the availability calendar. Views, the API and imports all go through here."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acvs.network import rules
from acvs.network.models import Membership
from acvs.offer.models import Offer

from . import selectors
from .models import AvailabilityChange, AvailabilityNight, State

MAX_NIGHTS = 366


def _validate(offer: Offer, start, end, state: str, units_free: int | None) -> None:
    errors = {}
    if not isinstance(start, datetime.date) or not isinstance(end, datetime.date):
        raise ValidationError(_("Give the first and the last night."))
    if end < start:
        errors["end"] = _("The last night is before the first one.")
    elif (end - start).days + 1 > MAX_NIGHTS:
        errors["end"] = _("At most %(max)s nights at once.") % {"max": MAX_NIGHTS}
    if state not in State.values:
        errors["state"] = _("Unknown availability state.")
    if units_free is not None:
        if units_free < 0:
            errors["units_free"] = _("The number of units free cannot be negative.")
        elif units_free > 0 and state in (State.FULL, State.CLOSED):
            errors["units_free"] = _("A full or closed night has no units free.")
    if errors:
        raise ValidationError(errors)
    if not selectors.is_accommodation(offer):
        raise ValidationError(_("Availability is only kept for accommodation offers."))


@transaction.atomic
def availability_set(
    *, membership: Membership, offer: Offer, start: datetime.date, end: datetime.date, state: str, units_free=None
) -> list[AvailabilityChange]:
    """Set every night from `start` to `end` (both included) to `state`; returns the changes recorded.

    Writes to one offer's calendar are serialised: the offer row is locked (SELECT … FOR UPDATE on PostgreSQL; on
    SQLite the transaction is an immediate write transaction), so the old values read for the change log are the
    ones being replaced, and the last confirmed write wins with every change recorded. The nights are then
    written with one INSERT … ON CONFLICT DO UPDATE (both databases).
    """
    if not rules.can_change_offer(membership, offer):
        raise PermissionDenied(_("Only the office that keeps this offer up to date can change its availability."))
    _validate(offer, start, end, state, units_free)
    if state in (State.FULL, State.CLOSED) and units_free is None:
        units_free = 0 if state == State.FULL else None
    Offer.objects.select_for_update().filter(pk=offer.pk).values_list("pk", flat=True).first()

    nights = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    existing = {
        row.night: row for row in AvailabilityNight.objects.filter(offer=offer, night__gte=start, night__lte=end)
    }
    now = timezone.now()
    user = membership.user
    AvailabilityNight.objects.bulk_create(
        [
            AvailabilityNight(
                offer=offer, night=night, state=state, units_free=units_free, updated_at=now, updated_by=user
            )
            for night in nights
        ],
        update_conflicts=True,
        unique_fields=["offer", "night"],
        update_fields=["state", "units_free", "updated_at", "updated_by"],
    )
    changes = []
    for night in nights:
        old = existing.get(night)
        old_state, old_units = (old.state, old.units_free) if old else ("", None)
        if (old_state, old_units) != (state, units_free):
            changes.append(
                AvailabilityChange(
                    offer=offer,
                    night=night,
                    old_state=old_state,
                    new_state=state,
                    old_units=old_units,
                    new_units=units_free,
                    user=user,
                    office=membership.office,
                    at=now,
                )
            )
    AvailabilityChange.objects.bulk_create(changes)
    return changes
