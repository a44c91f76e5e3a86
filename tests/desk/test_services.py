import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from acvs.core.exceptions import ConflictError
from acvs.core.models import AuditEntry
from acvs.core.tenancy import scope_for
from acvs.desk import reference, selectors, services
from acvs.desk.models import DeskSettings, RequestStatus, VisitorCountCorrection, VisitorRequest
from acvs.network.models import Commune
from acvs.offer.models import OfferType
from tests.conftest import membership
from tests.desk.conftest import walk_in, written


def test_walk_in_is_recorded_for_the_agents_office_with_a_create_audit(agent, cavalaire, themes):
    data = walk_in()
    data.themes = [themes["hiking"], themes["heritage"]]
    obj = services.request_create(membership=membership(agent), data=data)
    assert obj.office == cavalaire
    assert obj.recorded_by == agent
    assert obj.channel == "counter"
    assert obj.status == RequestStatus.CLOSED
    assert obj.due_date is None
    assert obj.party_size == 4
    assert {t.code for t in obj.themes.all()} == {"hiking", "heritage"}
    entry = AuditEntry.objects.get(object_id=obj.pk, action="create")
    fields = {c["field"]: c["new"] for c in entry.changes}
    assert fields["country"] == "Allemagne"
    assert fields["themes"] == "Patrimoine, Randonnée"


def test_partner_cannot_record(partner):
    with pytest.raises(PermissionDenied):
        services.request_create(membership=membership(partner), data=walk_in())
    assert not VisitorRequest.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"adults": 0, "children": 0}, "adults"),
        ({"country": "XX"}, "country"),
        ({"stay_start": datetime.date(2026, 7, 10), "stay_end": datetime.date(2026, 7, 1)}, "stay_end"),
        ({"is_group": True, "group_size": None}, "group_size"),
    ],
)
def test_invalid_requests_are_refused(agent, fields, field):
    with pytest.raises(ValidationError) as error:
        services.request_create(membership=membership(agent), data=walk_in(**fields))
    assert field in error.value.message_dict
    assert not VisitorRequest.objects.exists()


def test_origin_is_normalised(agent):
    obj = services.request_create(
        membership=membership(agent), data=walk_in(department=Commune.objects.get(insee="83036").department)
    )
    assert obj.department is None
    assert obj.country == "DE"


def test_missing_types_only_when_not_fully_satisfied(agent):
    hotel = OfferType.objects.get(code="Accommodation")
    data = walk_in(outcome="fully")
    data.missing_types = [hotel]
    with pytest.raises(ValidationError):
        services.request_create(membership=membership(agent), data=data)
    data = walk_in(outcome="partly")
    data.missing_types = [hotel]
    obj = services.request_create(membership=membership(agent), data=data)
    assert list(obj.missing_types.all()) == [hotel]


def test_working_days_skip_weekends():
    friday = datetime.date(2026, 11, 20)
    assert reference.add_working_days(friday, 2) == datetime.date(2026, 11, 24)  # Tuesday
    assert reference.add_working_days(datetime.date(2026, 11, 21), 1) == datetime.date(2026, 11, 23)  # Sat → Mon
    assert reference.add_working_days(datetime.date(2026, 11, 16), 2) == datetime.date(2026, 11, 18)


def test_working_days_skip_french_public_holidays():
    # May 2026: Friday 1st (Labour Day) and Friday 8th (Victory Day) are off, Thursday 14th is Ascension.
    assert reference.add_working_days(datetime.date(2026, 4, 30), 1) == datetime.date(2026, 5, 4)
    assert reference.add_working_days(datetime.date(2026, 5, 7), 1) == datetime.date(2026, 5, 11)
    assert reference.add_working_days(datetime.date(2026, 5, 13), 2) == datetime.date(2026, 5, 18)
    # Christmas 2026 is a Friday: a request of Thursday 24th is due two working days later, Tuesday 29th.
    assert reference.add_working_days(datetime.date(2026, 12, 24), 2) == datetime.date(2026, 12, 29)
    # New Year 2027 is a Friday too.
    assert reference.add_working_days(datetime.date(2026, 12, 31), 1) == datetime.date(2027, 1, 4)
    assert not reference.is_working_day(datetime.date(2026, 7, 14))
    assert reference.is_working_day(datetime.date(2026, 7, 15))


def test_written_request_gets_a_due_date_from_the_office_setting(agent, cavalaire):
    friday = timezone.make_aware(datetime.datetime(2026, 11, 20, 10, 0))
    obj = services.request_create(membership=membership(agent), data=written(received_at=friday))
    assert obj.due_date == datetime.date(2026, 11, 24)
    assert obj.status == RequestStatus.TO_HANDLE
    DeskSettings.objects.create(office=cavalaire, due_days=5)
    obj = services.request_create(membership=membership(agent), data=written(received_at=friday))
    assert obj.due_date == datetime.date(2026, 11, 27)


def test_overdue_requests(agent, other_agent, cavalaire, croix_valmer):
    today = timezone.localdate()
    old = timezone.now() - datetime.timedelta(days=10)
    late = services.request_create(membership=membership(agent), data=written(received_at=old))
    answered = services.request_create(
        membership=membership(agent), data=written(received_at=old, status=RequestStatus.ANSWERED)
    )
    fresh = services.request_create(membership=membership(agent), data=written())
    services.request_create(membership=membership(other_agent), data=written(received_at=old))
    with scope_for(office=cavalaire):
        overdue = list(selectors.overdue_requests(today))
    assert overdue == [late]
    assert answered not in overdue
    assert fresh not in overdue
    assert fresh.due_date >= today


def test_assignee_must_belong_to_the_office(agent, other_agent):
    with pytest.raises(ValidationError) as error:
        services.request_create(membership=membership(agent), data=written(assignee=other_agent))
    assert "assignee" in error.value.message_dict
    obj = services.request_create(membership=membership(agent), data=written(assignee=agent))
    assert obj.assignee == agent


def test_update_records_field_changes_and_refuses_stale_versions(agent, manager, make_request):
    obj = make_request(data=written())
    updated = services.request_update(
        visitor_request=obj,
        membership=membership(manager),
        version=1,
        data=written(status=RequestStatus.ANSWERED, email="anna@example.de", consent_contact=True),
    )
    assert updated.version == 2
    assert updated.consent_at is not None
    entry = AuditEntry.objects.get(object_id=obj.pk, action="update")
    changes = {c["field"]: (c["old"], c["new"]) for c in entry.changes}
    assert changes["status"] == ("À traiter", "Répondue")
    assert changes["email"] == ("", "anna@example.de")
    assert "channel" not in changes
    with pytest.raises(ConflictError):
        services.request_update(visitor_request=obj, membership=membership(agent), version=1, data=written())


def test_other_office_cannot_update_or_delete(agent, other_agent, make_request):
    obj = make_request()
    with pytest.raises(PermissionDenied):
        services.request_update(visitor_request=obj, membership=membership(other_agent), version=1, data=walk_in())
    with pytest.raises(PermissionDenied):
        services.request_delete(visitor_request=obj, membership=membership(other_agent))
    obj.refresh_from_db()
    assert obj.version == 1


def test_delete_is_undo_with_a_trace(agent, make_request):
    obj = make_request()
    pk = obj.pk
    services.request_delete(visitor_request=obj, membership=membership(agent))
    assert not VisitorRequest.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(object_id=pk, action="delete").exists()


def test_visitor_counter_and_corrections_leave_a_trace(agent, manager, cavalaire, croix_valmer, other_agent):
    for _ in range(3):
        services.visitor_count_increment(membership=membership(agent))
    with scope_for(office=croix_valmer):
        services.visitor_count_increment(membership=membership(other_agent))
        assert selectors.visitors_on() == 1
    with scope_for(office=cavalaire):
        assert selectors.visitors_on() == 3
        assert services.visitor_count_decrement(membership=membership(agent)) == 2
        assert services.visitor_count_set(membership=membership(manager), value=10) == 10
        assert services.visitor_count_set(membership=membership(manager), value=4) == 4
        assert selectors.visitors_on() == 4
        trace = [(c.user, c.old_value, c.new_value) for c in selectors.count_corrections()]
        assert trace == [(manager, 10, 4), (manager, 2, 10), (agent, 3, 2)]
        with pytest.raises(ValidationError):
            services.visitor_count_set(membership=membership(agent), value=-1)
    assert VisitorCountCorrection.objects.filter(office=croix_valmer).count() == 0


def test_decrement_at_zero_stays_at_zero(agent, cavalaire):
    assert services.visitor_count_decrement(membership=membership(agent)) == 0
    assert not VisitorCountCorrection.objects.exists()


def test_partner_cannot_count(partner):
    with pytest.raises(PermissionDenied):
        services.visitor_count_increment(membership=membership(partner))
