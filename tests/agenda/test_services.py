from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from acvs.agenda import services
from acvs.agenda.models import MAX_OCCURRENCES, EventOccurrence, EventSchedule
from acvs.core.audit import audit_history
from tests.conftest import membership
from tests.factories import OfferFactory


def dates_of(offer):
    return list(EventOccurrence.objects.filter(offer=offer).order_by("date").values_list("date", flat=True))


def test_every_tuesday_in_july_and_august_2027(event, agent):
    schedule = services.schedule_add(
        offer=event,
        membership=membership(agent),
        data={
            "start_date": date(2027, 7, 1),
            "end_date": date(2027, 8, 31),
            "weekdays": [1],
            "start_time": time(21, 0),
            "end_time": time(23, 0),
        },
    )
    expected = [date(2027, 7, d) for d in (6, 13, 20, 27)] + [date(2027, 8, d) for d in (3, 10, 17, 24, 31)]
    assert dates_of(event) == expected
    assert all(o.start_time == time(21, 0) and o.schedule_id == schedule.pk for o in event.event_occurrences.all())
    entry = audit_history(event).first()
    assert entry.changes[0]["field"] == "event_dates"
    assert "mardi" in entry.changes[0]["new"]


def test_single_date_and_every_day_of_a_range(event, agent):
    m = membership(agent)
    services.schedule_add(offer=event, membership=m, data={"start_date": date(2027, 6, 21), "end_date": None})
    services.schedule_add(
        offer=event, membership=m, data={"start_date": date(2027, 9, 1), "end_date": date(2027, 9, 3), "weekdays": []}
    )
    assert dates_of(event) == [date(2027, 6, 21), date(2027, 9, 1), date(2027, 9, 2), date(2027, 9, 3)]


def test_update_regenerates_and_delete_removes_occurrences(event, agent):
    m = membership(agent)
    schedule = services.schedule_add(
        offer=event, membership=m, data={"start_date": date(2027, 7, 1), "end_date": date(2027, 7, 31), "weekdays": [5]}
    )
    assert len(dates_of(event)) == 5
    services.schedule_update(schedule=schedule, membership=m, data={"weekdays": [5, 6]})
    assert len(dates_of(event)) == 9
    services.schedule_delete(schedule=schedule, membership=m)
    assert dates_of(event) == []
    assert not EventSchedule.objects.exists()
    assert audit_history(event).count() == 3


def test_cap_on_occurrences(event, agent):
    with pytest.raises(ValidationError) as error:
        services.schedule_add(
            offer=event,
            membership=membership(agent),
            data={"start_date": date(2027, 1, 1), "end_date": date(2028, 12, 31)},
        )
    assert f"{MAX_OCCURRENCES} au plus" in " ".join(error.value.messages)
    assert not EventSchedule.objects.exists()
    assert not EventOccurrence.objects.exists()
    # Exactly at the cap is accepted.
    services.schedule_add(
        offer=event,
        membership=membership(agent),
        data={"start_date": date(2027, 1, 1), "end_date": date(2028, 2, 4)},
    )
    assert len(dates_of(event)) == MAX_OCCURRENCES


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"start_date": date(2027, 7, 10), "end_date": date(2027, 7, 1)}, "end_date", "La dernière date est avant"),
        (
            {"start_date": date(2027, 7, 1), "start_time": time(22, 0), "end_time": time(21, 0)},
            "end_time",
            "L’heure de fin doit être après l’heure de début.",
        ),
        (
            {"start_date": date(2027, 7, 1), "end_date": date(2027, 7, 2), "weekdays": [0]},
            "weekdays",
            "Aucune date de cette période",
        ),
        ({"start_date": date(2027, 7, 1), "end_time": time(21, 0)}, "start_time", "Indiquez aussi l’heure de début."),
    ],
)
def test_validation_messages_in_french(event, agent, data, field, message):
    with pytest.raises(ValidationError) as error:
        services.schedule_add(offer=event, membership=membership(agent), data={"end_date": None, **data})
    assert message in " ".join(error.value.message_dict[field])
    assert not EventOccurrence.objects.exists()


def test_only_events_have_dates(cavalaire, agent):
    hotel = OfferFactory(owner_office=cavalaire)
    with pytest.raises(ValidationError, match="Seuls les événements"):
        services.schedule_add(offer=hotel, membership=membership(agent), data={"start_date": date(2027, 7, 1)})


@pytest.mark.parametrize("who", ["other_agent", "partner"])
def test_other_office_and_partner_cannot_change_dates(request, event, agent, who):
    schedule = services.schedule_add(offer=event, membership=membership(agent), data={"start_date": date(2027, 7, 1)})
    intruder = membership(request.getfixturevalue(who))
    with pytest.raises(PermissionDenied):
        services.schedule_add(offer=event, membership=intruder, data={"start_date": date(2027, 7, 2)})
    with pytest.raises(PermissionDenied):
        services.schedule_update(schedule=schedule, membership=intruder, data={"start_date": date(2027, 7, 3)})
    with pytest.raises(PermissionDenied):
        services.schedule_delete(schedule=schedule, membership=intruder)
    assert dates_of(event) == [date(2027, 7, 1)]
    assert audit_history(event).count() == 1


def test_department_admin_may_change_dates(event, department_admin):
    services.schedule_add(offer=event, membership=membership(department_admin), data={"start_date": date(2027, 7, 1)})
    assert dates_of(event) == [date(2027, 7, 1)]
