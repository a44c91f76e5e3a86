"""Demo availability: the next 90 nights of most published accommodation, updated in the last few days."""

import datetime
import random

from django.utils import timezone

from acvs.availability.models import AvailabilityNight, State
from acvs.offer.models import Offer, Status

NIGHTS = 90
# Weights of free, few left, full, closed; summer weekends fill up.
WEEKDAY_WEIGHTS = (65, 20, 12, 3)
BUSY_WEIGHTS = (35, 25, 37, 3)
STATES = (State.FREE, State.FEW, State.FULL, State.CLOSED)


def fill(rng: random.Random, offer_ids: list[int], updated_by_office: dict[int, int]) -> int:
    """Calendars for about 70% of the published accommodation among `offer_ids`; returns the nights written."""
    offers = (
        Offer.objects.filter(pk__in=offer_ids, status=Status.PUBLISHED, types__ancestors__code="Accommodation")
        .values_list("pk", "owner_office_id", "capacity_units")
        .distinct()
    )
    today = timezone.localdate()
    rows = []
    for pk, office_id, units in offers:
        if rng.random() > 0.7:
            continue
        updated_at = timezone.now() - datetime.timedelta(hours=rng.randint(1, 96))
        for n in range(NIGHTS):
            night = today + datetime.timedelta(days=n)
            busy = night.weekday() >= 4 or night.month in (7, 8)
            state = rng.choices(STATES, BUSY_WEIGHTS if busy else WEEKDAY_WEIGHTS)[0]
            free_units = None
            if units and state in (State.FREE, State.FEW):
                free_units = rng.randint(1, max(1, units // (4 if state == State.FREE else 20)))
            rows.append(
                AvailabilityNight(
                    offer_id=pk, night=night, state=state, units_free=free_units, updated_at=updated_at,
                    updated_by_id=updated_by_office.get(office_id),
                )
            )  # fmt: skip
    AvailabilityNight.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
