import datetime
import threading

import pytest
from django.db import connection

from acvs.availability.models import AvailabilityChange, AvailabilityNight
from acvs.availability.services import availability_set
from tests.conftest import membership
from tests.factories import OfferFactory

NIGHT = datetime.date(2026, 8, 15)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_updates_of_the_same_night_lose_nothing(agent, manager, cavalaire):
    hotel = OfferFactory(name="Hôtel Le Bon Port", owner_office=cavalaire, types=["Hotel"])
    barrier = threading.Barrier(2)
    outcomes, errors = {}, []

    def update(user, state, units):
        try:
            acting = membership(user)
            barrier.wait()
            changes = availability_set(
                membership=acting, offer=hotel, start=NIGHT, end=NIGHT + datetime.timedelta(days=2), state=state,
                units_free=units,
            )  # fmt: skip
            outcomes[state] = changes[0].at
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()  # this thread's connection, so that the test database can be dropped

    threads = [threading.Thread(target=update, args=args) for args in ((agent, "few", 1), (manager, "full", None))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert set(outcomes) == {"few", "full"}  # both succeeded (one waited for the other)
    last = max(outcomes, key=outcomes.get)
    first = min(outcomes, key=outcomes.get)
    nights = AvailabilityNight.objects.filter(offer=hotel).order_by("night")
    assert [n.state for n in nights] == [last, last, last]
    log = list(AvailabilityChange.objects.filter(offer=hotel, night=NIGHT).order_by("at", "pk"))
    # Both changes are recorded, the second one starting from the first one's value.
    assert [(c.old_state, c.new_state) for c in log] == [("", first), (first, last)]
    assert AvailabilityChange.objects.filter(offer=hotel).count() == 6
