"""The rollups agree exactly with a count of the raw rows, after a full recount and after incremental refreshes."""

import datetime
import io
import random
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, DateField, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from acvs.booklet import services as booklets
from acvs.booklet.models import Booklet
from acvs.core.tenancy import all_offices, scope_for
from acvs.desk import advice, services
from acvs.desk.models import VisitorCount, VisitorRequest
from acvs.desk.services import RequestData
from acvs.documentation import services as documentation
from acvs.documentation.models import Document, Movement, MovementKind, Place
from acvs.network.models import Office, Role
from acvs.observatory.models import AreaFigure, DailyFigure, Dimension, DirtyDay, MonthlyFigure
from acvs.observatory.services import drain, lead_key, party_key, recount, refresh, stay_key
from acvs.offer.models import OfferType
from tests.conftest import make_user, membership
from tests.workers import DATABASE_TASKS

from .conftest import at, random_activity, raw_request

FIELDS = {
    Dimension.CHANNEL: "channel",
    Dimension.ORIGIN: "origin",
    Dimension.PROFILE: "profile",
    Dimension.LANGUAGE: "language",
    Dimension.OUTCOME: "outcome",
    Dimension.COUNTRY: "country",
    Dimension.DEPARTMENT: "department__code",
    Dimension.THEME: "themes__code",
    Dimension.TYPE: "requested_types__code",
    Dimension.MISSING: "missing_types__code",
}


def expected(trunc) -> dict[tuple, int]:
    """Every figure counted straight from the raw rows by the database (local days/months), not by our code."""
    zone = timezone.get_current_timezone()
    found = {}
    requests = VisitorRequest.objects.annotate(period=trunc("received_at", tzinfo=zone, output_field=DateField()))
    for office, period, n in requests.values_list("office", "period").annotate(n=Count("id")).order_by():
        found[office, period, Dimension.REQUESTS, ""] = n
    for dimension, path in FIELDS.items():
        rows = requests.exclude(**{f"{path}__isnull": True}).exclude(**{path: ""}) if "__" in path else requests
        if dimension in (Dimension.COUNTRY,):
            rows = rows.exclude(country="")
        grouped = rows.values_list("office", "period", path).annotate(n=Count("id")).order_by()
        for office, period, key, n in grouped:
            found[office, period, dimension, key] = n
    for office, period, *party in requests.values_list(
        "office", "period", "is_group", "adults", "children", "group_size"
    ):
        key = (office, period, Dimension.PARTY, party_key(*party))
        found[key] = found.get(key, 0) + 1
    for office, period, day, start, end in requests.annotate(day=TruncDate("received_at", tzinfo=zone)).values_list(
        "office", "period", "day", "stay_start", "stay_end"
    ):
        figures = []
        if start and end:
            nights = (end - start).days
            figures += [(Dimension.STAY, stay_key(nights), 1), (Dimension.NIGHTS, "", nights)]
        if start:
            lead = max((start - day).days, 0)
            figures += [(Dimension.LEAD, lead_key(lead), 1), (Dimension.LEAD_DAYS, "", lead)]
        for dimension, key, n in figures:
            found[office, period, dimension, key] = found.get((office, period, dimension, key), 0) + n
    handed = Movement.objects.filter(kind=MovementKind.HANDED_OUT).annotate(
        period=trunc("at", tzinfo=zone, output_field=DateField())
    )
    for office, period, document, n in (
        handed.values_list("office", "period", "document").annotate(n=Sum("quantity")).order_by()
    ):
        found[office, period, Dimension.BROCHURES, str(document)] = -n
    for column, key in (("created_at", "made"), ("first_opened_at", "opened")):
        booklets = Booklet.objects.exclude(**{column: None}).annotate(
            period=trunc(column, tzinfo=zone, output_field=DateField())
        )
        for office, period, n in booklets.values_list("office", "period").annotate(n=Count("id")).order_by():
            found[office, period, Dimension.BOOKLETS, key] = n
    found = {k: v for k, v in found.items() if v}  # a sum of zero nights or days is no row
    counts = VisitorCount.objects.filter(count__gt=0).annotate(
        period=trunc("hour", tzinfo=zone, output_field=DateField())
    )
    for office, period, n in counts.values_list("office", "period").annotate(n=Sum("count")).order_by():
        found[office, period, Dimension.VISITORS, ""] = n
    return found


def daily() -> dict[tuple, int]:
    return {
        (o, d, dim, k): v
        for o, d, dim, k, v in DailyFigure.objects.values_list("office", "day", "dimension", "key", "value")
    }


def monthly() -> dict[tuple, int]:
    rows = MonthlyFigure.objects.values_list("office", "month", "dimension", "key", "value")
    return {(o, m, dim, k): v for o, m, dim, k, v in rows}


def areas() -> dict[tuple, int]:
    rows = list(AreaFigure.objects.values_list("department", "month", "dimension", "key", "value"))
    found = {(d, m, dim, k): v for d, m, dim, k, v in rows}
    assert len(found) == len(rows), "a figure of an area written twice"
    return found


def areas_expected() -> dict[tuple, int]:
    """The départements' and the network's figures: the sums of their offices' monthly figures."""
    found = {}
    for office, month, dimension, key, value in MonthlyFigure.objects.values_list(
        "office__department", "month", "dimension", "key", "value"
    ):
        for area in (office, None):
            found[area, month, dimension, key] = found.get((area, month, dimension, key), 0) + value
    return found


def test_party_sizes():
    assert [party_key(False, 1, 0, None), party_key(False, 1, 1, None), party_key(False, 2, 2, None)] == [
        "1",
        "2",
        "3-4",
    ]
    assert [party_key(False, 3, 2, None), party_key(True, 1, 0, 30)] == ["5+", "group"]


def test_a_recount_equals_a_count_of_the_raw_rows(cavalaire, croix_valmer, greoux):
    random_activity(random.Random(14), [cavalaire, croix_valmer, greoux], datetime.date(2025, 11, 20), 80, 250)
    recount()
    assert daily() == expected(TruncDate)
    assert monthly() == expected(TruncMonth)
    assert areas() == areas_expected()
    # Counted per local day: a request at 00:30 in Paris (22:30 UTC the day before) is on its local day.
    assert DailyFigure.objects.filter(dimension=Dimension.REQUESTS).count() > 50


def test_the_command_rebuilds_what_was_lost(cavalaire):
    raw_request(cavalaire, at(datetime.date(2026, 3, 2), 10))
    call_command("observatory_recount", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert monthly() == expected(TruncMonth)
    DailyFigure.objects.update(value=99)
    call_command("observatory_recount", "--office", str(cavalaire.pk), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert daily() == expected(TruncDate)


def test_incremental_refresh_after_random_writes_edits_and_deletions(
    cavalaire, croix_valmer, manager, django_capture_on_commit_callbacks
):
    rng = random.Random(7)
    random_activity(rng, [cavalaire, croix_valmer], datetime.date(2026, 1, 1), 60, 120)
    recount()
    hotel = OfferType.objects.get(code="Hotel")
    other_manager = make_user("othermanager", croix_valmer, Role.MANAGER)
    members = {cavalaire.pk: membership(manager), croix_valmer.pk: membership(other_manager)}
    documents = list(Document.objects.order_by("pk"))
    with django_capture_on_commit_callbacks(execute=True):
        for m in members.values():
            with scope_for(office=m.office):
                for document in documents:
                    documentation.movement_record(
                        membership=m, document=document, kind=MovementKind.RECEIVED, quantity=500, place=Place.COUNTER
                    )
        for step in range(48):
            office = rng.choice([cavalaire, croix_valmer])
            m = members[office.pk]
            with scope_for(office=office):
                existing = list(VisitorRequest.objects.order_by("pk").values_list("pk", flat=True))
                made = list(Booklet.objects.order_by("pk"))
                action = step % 8
                if action == 0:
                    day = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randrange(60))
                    services.request_create(
                        membership=m,
                        data=RequestData(
                            fields={"origin": "abroad", "country": "IT", "adults": 1, "received_at": at(day, 23, 30)},
                            requested_types=[hotel],
                        ),
                    )
                elif action == 1:  # moved to another month: both months change
                    obj = VisitorRequest.objects.get(pk=rng.choice(existing))
                    fields = {
                        "origin": "france", "country": "", "department": obj.office.department, "adults": 3,
                        "channel": "phone", "outcome": "not", "received_at": at(datetime.date(2026, 2, 27), 0, 10),
                    }  # fmt: skip
                    services.request_update(
                        visitor_request=obj, membership=m, version=obj.version, data=RequestData(fields=fields)
                    )
                elif action == 2:
                    obj = VisitorRequest.objects.get(pk=rng.choice(existing))
                    services.request_delete(visitor_request=obj, membership=m)
                elif action == 3:
                    obj = VisitorRequest.objects.get(pk=rng.choice(existing))
                    advice.missing_type_add(membership=m, visitor_request=obj, offer_type=hotel)
                elif action == 4 and step % 16 == 4:  # a stay given later: its length and lead time count
                    obj = VisitorRequest.objects.get(pk=rng.choice(existing))
                    start = timezone.localdate(obj.received_at) + datetime.timedelta(days=rng.randrange(0, 60))
                    fields = {"stay_start": start, "stay_end": start + datetime.timedelta(days=rng.randrange(0, 9))}
                    services.request_update(
                        visitor_request=obj, membership=m, version=obj.version, data=RequestData(fields=fields)
                    )
                elif action == 5:
                    obj = VisitorRequest.objects.get(pk=rng.choice(existing))
                    lines = {document: rng.randrange(0, 4) for document in documents}
                    lines[documents[0]] += 1
                    documentation.handout(membership=m, visitor_request=obj, lines=lines)
                    documentation.movement_record(
                        membership=m, document=documents[1], kind=MovementKind.HANDED_OUT, quantity=2,
                        place=Place.COUNTER,
                    )  # fmt: skip
                elif action == 6 and step % 16 == 6:
                    booklets.booklet_create(membership=m, visitor_request=None)
                elif action == 6:
                    booklets.record_first_opening(booklet=rng.choice(made))
                elif action == 7 and made:
                    booklets.booklet_delete(membership=m, booklet=rng.choice(made))
                else:
                    services.visitor_count_increment(membership=m)
                    services.visitor_count_set(membership=m, value=rng.randrange(0, 50))
            drain()  # each step's marks alone: a write that forgot its mark leaves a figure behind
            assert daily() == expected(TruncDate), f"step {step}"
            # The areas are kept by adding each drain's changes: after every step they equal a full sum.
            assert areas() == areas_expected(), f"step {step}"
    new = {Dimension.STAY, Dimension.NIGHTS, Dimension.LEAD, Dimension.LEAD_DAYS, Dimension.BROCHURES}
    assert new | {Dimension.BOOKLETS} <= set(DailyFigure.objects.values_list("dimension", flat=True))
    assert set(DailyFigure.objects.filter(dimension=Dimension.BOOKLETS).values_list("key", flat=True)) == {
        "made",
        "opened",
    }
    assert daily() == expected(TruncDate)
    assert monthly() == expected(TruncMonth)
    assert areas() == areas_expected()


def test_a_new_request_shows_at_once_in_the_dashboard_figures(cavalaire, agent, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True), scope_for(office=cavalaire):
        services.request_create(
            membership=membership(agent),
            data=RequestData(fields={"origin": "abroad", "country": "GB", "adults": 2, "channel": "phone"}),
        )
    month = today.replace(day=1)
    figures = MonthlyFigure.objects.filter(office=cavalaire, month=month)
    assert figures.get(dimension=Dimension.REQUESTS).value == 1
    assert figures.get(dimension=Dimension.CHANNEL, key="phone").value == 1
    assert figures.get(dimension=Dimension.COUNTRY, key="GB").value == 1


def test_erasing_a_visitors_identity_changes_no_figure(cavalaire, agent, django_capture_on_commit_callbacks):
    obj = raw_request(cavalaire, at(datetime.date(2026, 5, 4), 11), name="Anna Schmidt", email="anna@example.org")
    recount()
    before = daily()
    fields = {"origin": "abroad", "country": "DE", "adults": 2, "language": "de", "name": "", "email": ""}
    with django_capture_on_commit_callbacks(execute=True), scope_for(office=cavalaire):
        services.request_update(
            visitor_request=obj, membership=membership(agent), version=obj.version, data=RequestData(fields=fields)
        )
    assert daily() == before


def test_refresh_of_a_day_without_activity_leaves_nothing(cavalaire):
    raw_request(cavalaire, at(datetime.date(2026, 5, 4), 11))
    recount()
    VisitorRequest.objects.all().delete()
    assert refresh([(cavalaire.pk, datetime.date(2026, 5, 4))]) == 1
    assert not DailyFigure.objects.exists()
    assert not MonthlyFigure.objects.exists()
    assert not AreaFigure.objects.exists()


def test_areas_out_of_step_are_summed_again_rather_than_going_below_zero(cavalaire, croix_valmer):
    """The areas take each drain's changes; should they have lost a figure (here: the network's requests of May,
    as after an office moved to another département without a recount), a change taking it below zero has those
    months summed again from the offices, not a negative figure written."""
    for office in (cavalaire, croix_valmer):
        raw_request(office, at(datetime.date(2026, 5, 4), 11))
        raw_request(office, at(datetime.date(2026, 5, 5), 11))
    recount()
    may = datetime.date(2026, 5, 1)
    AreaFigure.objects.filter(department=None, month=may, dimension=Dimension.REQUESTS).delete()
    with scope_for(office=cavalaire):
        VisitorRequest.objects.filter(received_at__lt=at(datetime.date(2026, 5, 5), 0)).delete()
    refresh([(cavalaire.pk, datetime.date(2026, 5, 4))])
    assert AreaFigure.objects.get(department=None, month=may, dimension=Dimension.REQUESTS).value == 3
    assert areas() == areas_expected()


def test_marks_of_a_busy_counter_are_drained_in_one_rebuild(cavalaire, agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, scope_for(office=cavalaire):
        for _n in range(3):
            services.visitor_count_increment(membership=membership(agent))
    assert [c.__name__ for c in callbacks].count("_enqueue_drain") == 1  # one task for the transaction
    assert DirtyDay.objects.filter(office=cavalaire).count() == 3  # marks are appended, never waited on
    assert drain() == 1
    assert not DirtyDay.objects.exists()
    today = timezone.localdate()
    assert DailyFigure.objects.get(office=cavalaire, day=today, dimension=Dimension.VISITORS).value == 3
    assert AreaFigure.objects.get(department=None, month=today.replace(day=1), dimension=Dimension.VISITORS).value == 3
    assert drain() == 0


def test_marks_left_by_a_lost_task_are_drained_by_the_periodic_command(
    cavalaire, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False), scope_for(office=cavalaire):  # the task never runs
        services.request_create(
            membership=membership(agent), data=RequestData(fields={"origin": "abroad", "country": "GB", "adults": 2})
        )
    assert DirtyDay.objects.count() == 1
    assert not MonthlyFigure.objects.exists()
    out = io.StringIO()
    call_command("observatory_drain", stdout=out)
    assert out.getvalue().startswith("Observatory: 1 days rebuilt")
    assert not DirtyDay.objects.exists()
    assert monthly() == expected(TruncMonth)


def test_a_waiting_drain_takes_the_marks_of_the_commits_after_it(transactional_db, cavalaire, agent, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS  # production's backend: the tasks are rows a worker claims
    fields = {"origin": "abroad", "country": "GB", "adults": 2}

    def record():  # its own transaction, committed: the drain is enqueued on commit
        with scope_for(office=cavalaire):
            services.request_create(membership=membership(agent), data=RequestData(fields=dict(fields)))

    for _n in range(3):  # three commits while no worker has started the first drain
        record()
    assert DBTaskResult.objects.count() == 1  # one drain waiting, not one per commit
    assert DBTaskResult.objects.ready().count() == 1
    DBTaskResult.objects.update(status="RUNNING")  # a worker started it: the next commit needs a drain of its own
    record()
    assert DBTaskResult.objects.ready().count() == 1
    assert DBTaskResult.objects.count() == 2
    assert drain() == 1  # the four marks, one (office, day)
    day = timezone.localdate()
    assert DailyFigure.objects.get(office=cavalaire, day=day, dimension=Dimension.REQUESTS).value == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL (SQLite has one writer)")
def test_recording_never_waits_for_a_refresh(transactional_db, cavalaire, agent):
    """A drain holds its offices and their départements until it commits: the counter's writes (foreign keys to
    both) must not wait for it, nor deadlock with it (they did under FOR UPDATE, at 200 requests a second)."""
    day = timezone.localdate()
    holding, release = threading.Event(), threading.Event()

    def refresher():
        try:
            with transaction.atomic():
                refresh([(cavalaire.pk, day)])
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=refresher)
    thread.start()
    try:
        assert holding.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            with scope_for(office=cavalaire):
                fields = {"origin": "france", "department": cavalaire.department, "adults": 2}
                services.request_create(membership=membership(agent), data=RequestData(fields=fields))
    finally:
        release.set()
        thread.join()
    refresh([(cavalaire.pk, day)])
    assert DailyFigure.objects.get(office=cavalaire, day=day, dimension=Dimension.REQUESTS).value == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL (SQLite has one writer)")
def test_concurrent_drains_share_the_offices_rather_than_wait_for_each_other(transactional_db, cavalaire, croix_valmer):
    """With several workers (`db_worker --workers 2`), a drain takes the offices no other drain holds: it rebuilds
    them at once and leaves the marks of a held office to the next batch. It took the marks alone (SKIP LOCKED on
    the marks), then waited on the office another drain was rebuilding, for that drain's whole batch."""
    day = timezone.localdate()
    for office in (cavalaire, croix_valmer):
        raw_request(office, at(day, 9))
    holding, release = threading.Event(), threading.Event()

    def other_drain():  # rebuilding Cavalaire: its office locked, as refresh() locks it, until it commits
        try:
            with transaction.atomic():
                Office.objects.select_for_update(no_key=True).filter(pk=cavalaire.pk).exists()
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_drain)
    thread.start()
    try:
        assert holding.wait(10)
        with all_offices("statistics"):
            DirtyDay.objects.bulk_create([DirtyDay(office=cavalaire, day=day), DirtyDay(office=croix_valmer, day=day)])
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            assert drain() == 1  # La Croix-Valmer's day, without waiting for Cavalaire
    finally:
        release.set()
        thread.join()
    figures = DailyFigure.objects.filter(day=day, dimension=Dimension.REQUESTS)
    assert dict(figures.values_list("office", "value")) == {croix_valmer.pk: 1}
    assert list(DirtyDay.objects.values_list("office", flat=True)) == [cavalaire.pk]  # left for the next batch
    assert drain() == 1
    assert dict(figures.values_list("office", "value")) == {cavalaire.pk: 1, croix_valmer.pk: 1}
    assert not DirtyDay.objects.exists()
