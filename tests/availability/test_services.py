import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from acvs.availability import selectors
from acvs.availability.models import AvailabilityChange, AvailabilityNight, State
from acvs.availability.services import availability_set
from tests.conftest import membership

D = datetime.date


def states(offer) -> dict:
    return dict(AvailabilityNight.objects.filter(offer=offer).values_list("night", "state"))


def test_sets_a_range_of_nights_and_logs_each_change(agent, hotel):
    changes = availability_set(
        membership=membership(agent),
        offer=hotel,
        start=D(2026, 7, 1),
        end=D(2026, 7, 3),
        state=State.FREE,
        units_free=4,
    )
    assert len(changes) == 3
    assert states(hotel) == {D(2026, 7, 1): "free", D(2026, 7, 2): "free", D(2026, 7, 3): "free"}
    night = AvailabilityNight.objects.get(offer=hotel, night=D(2026, 7, 2))
    assert (night.units_free, night.updated_by) == (4, agent)

    availability_set(membership=membership(agent), offer=hotel, start=D(2026, 7, 2), end=D(2026, 7, 2), state="full")
    assert states(hotel)[D(2026, 7, 2)] == "full"
    assert AvailabilityNight.objects.get(offer=hotel, night=D(2026, 7, 2)).units_free == 0
    last = AvailabilityChange.objects.filter(offer=hotel, night=D(2026, 7, 2)).order_by("-pk").first()
    assert (last.old_state, last.new_state, last.old_units, last.new_units) == ("free", "full", 4, 0)
    assert (last.user, last.office) == (agent, agent.memberships.get().office)
    assert AvailabilityChange.objects.filter(offer=hotel).count() == 4


def test_setting_the_same_value_again_confirms_without_a_change(agent, hotel):
    acting = membership(agent)
    availability_set(membership=acting, offer=hotel, start=D(2026, 7, 1), end=D(2026, 7, 1), state="few")
    before = AvailabilityNight.objects.get(offer=hotel).updated_at
    assert availability_set(membership=acting, offer=hotel, start=D(2026, 7, 1), end=D(2026, 7, 1), state="few") == []
    assert AvailabilityNight.objects.get(offer=hotel).updated_at >= before
    assert AvailabilityChange.objects.filter(offer=hotel).count() == 1


@pytest.mark.parametrize("who", ["other_agent", "partner"])
def test_others_cannot_change_and_nothing_is_written(request, who, hotel):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        availability_set(membership=membership(user), offer=hotel, start=D(2026, 7, 1), end=D(2026, 7, 2), state="free")
    assert not AvailabilityNight.objects.exists()
    assert not AvailabilityChange.objects.exists()


def test_department_admin_can_change(department_admin, hotel):
    availability_set(
        membership=membership(department_admin), offer=hotel, start=D(2026, 7, 1), end=D(2026, 7, 1), state="closed"
    )
    assert states(hotel) == {D(2026, 7, 1): "closed"}


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"start": D(2026, 7, 5), "end": D(2026, 7, 1)}, "end", "La dernière nuit est avant la première."),
        ({"start": D(2026, 1, 1), "end": D(2027, 1, 2)}, "end", "366 nuits au plus à la fois."),
        ({"units_free": -1}, "units_free", "Le nombre d’unités libres ne peut pas être négatif."),
        ({"state": "full", "units_free": 2}, "units_free", "Une nuit complète ou fermée n’a pas d’unité libre."),
        ({"state": "maybe"}, "state", "État de disponibilité inconnu."),
    ],
)
def test_validation_messages_in_french(agent, hotel, kwargs, field, message):
    args = {"start": D(2026, 7, 1), "end": D(2026, 7, 2), "state": "free", **kwargs}
    with pytest.raises(ValidationError) as error:
        availability_set(membership=membership(agent), offer=hotel, **args)
    assert error.value.message_dict[field] == [message]
    assert not AvailabilityNight.objects.exists()


def test_only_accommodation_offers(agent, museum):
    with pytest.raises(ValidationError) as error:
        availability_set(
            membership=membership(agent), offer=museum, start=D(2026, 7, 1), end=D(2026, 7, 1), state="free"
        )
    assert error.value.messages == ["Les disponibilités ne concernent que les offres d’hébergement."]
    assert not AvailabilityNight.objects.exists()
    assert not selectors.is_accommodation(museum)


def test_camping_is_accommodation(cavalaire):
    from tests.factories import OfferFactory

    assert selectors.is_accommodation(OfferFactory(owner_office=cavalaire, types=["Camping"]))
