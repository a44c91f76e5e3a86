"""Writes of the observatory: its rollups, recounted from the raw rows of the offices (requests, visitor counts,
brochures handed out, stay booklets made and opened).

Writes of the counter mark the (office, day) they touch (`mark`, through core.activity, in their transaction);
after they commit the task `refresh_figures` drains the marks: however many requests a busy hour brings, each
(office, day) is rebuilt once per drain. `refresh(marks)` rebuilds the daily figures of those days and the monthly
figures of their months, and adds what changed in those to the areas' (département, network) figures; `recount()`
rebuilds everything, the areas summed again from the offices. Both read each office's rows in that office's scope
and write one office at a time under a lock on the office (then its département's, then the network's), so two
workers refreshing never interleave. These locks are FOR NO KEY UPDATE: they exclude each other but not the
foreign-key checks of the counter's writes (KEY SHARE), so that recording a request never waits for a refresh, nor
deadlocks with a drain that holds several offices.
"""

import datetime
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from acvs.booklet.models import Booklet
from acvs.core.tenancy import all_offices, scope_for
from acvs.desk.models import VisitorCount, VisitorRequest
from acvs.documentation.models import Movement, MovementKind
from acvs.network.models import Department, Office
from acvs.offer.models import Offer, Status

from .models import AreaFigure, DailyFigure, Dimension, DirtyDay, DirtyDepartment, MonthlyFigure, OfferFigure

BATCH = 2000
logger = logging.getLogger(__name__)


def party_key(is_group: bool, adults: int, children: int, group_size: int | None) -> str:
    """The party size as counted: 1, 2, 3–4, 5 or more, or a group."""
    if is_group:
        return "group"
    people = adults + children
    return "1" if people == 1 else "2" if people == 2 else "3-4" if people <= 4 else "5+"


def stay_key(nights: int) -> str:
    """The stay length as counted, in nights: 0 (a day out), 1, 2–3, 4–7, 8–14, 15 or more."""
    return next(key for limit, key in STAY_CLASSES if nights <= limit)


def lead_key(days: int) -> str:
    """Days between the request and the stay's first day: 0 (the same day, or the stay already begun), 1–7, 8–30,
    31–90, 91 or more."""
    return next(key for limit, key in LEAD_CLASSES if days <= limit)


STAY_CLASSES = [(0, "0"), (1, "1"), (3, "2-3"), (7, "4-7"), (14, "8-14"), (float("inf"), "15+")]
LEAD_CLASSES = [(0, "0"), (7, "1-7"), (30, "8-30"), (90, "31-90"), (float("inf"), "91+")]


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, zone),
        datetime.datetime.combine(end, datetime.time.min, zone),
    )


def count_days(office_id: int, start: datetime.date, end: datetime.date) -> dict[tuple, int]:
    """The figures of the office's days in [start, end), read from its raw rows: {(day, dimension, key): value}."""
    low, high = _bounds(start, end)
    zone = timezone.get_current_timezone()
    counts = Counter()
    with scope_for(office=office_id):
        requests = VisitorRequest.objects.filter(received_at__gte=low, received_at__lt=high)
        day_of = {}
        columns = (
            "pk", "received_at", "channel", "origin", "country", "department__code", "profile", "language",
            "outcome", "stay_start", "stay_end", "is_group", "adults", "children", "group_size",
        )  # fmt: skip
        rows = requests.order_by("pk").values_list(*columns)
        for pk, received, channel, origin, country, dept, profile, language, outcome, start, end, *party in rows:
            day = timezone.localtime(received, zone).date()
            if start and end:
                nights = (end - start).days
                counts[day, Dimension.STAY, stay_key(nights)] += 1
                counts[day, Dimension.NIGHTS, ""] += nights
            if start:
                lead = max((start - day).days, 0)
                counts[day, Dimension.LEAD, lead_key(lead)] += 1
                counts[day, Dimension.LEAD_DAYS, ""] += lead
            day_of[pk] = day
            counts[day, Dimension.REQUESTS, ""] += 1
            counts[day, Dimension.CHANNEL, channel] += 1
            counts[day, Dimension.ORIGIN, origin] += 1
            if country:
                counts[day, Dimension.COUNTRY, country] += 1
            if dept:
                counts[day, Dimension.DEPARTMENT, dept] += 1
            counts[day, Dimension.PROFILE, profile] += 1
            counts[day, Dimension.LANGUAGE, language] += 1
            counts[day, Dimension.OUTCOME, outcome] += 1
            counts[day, Dimension.PARTY, party_key(*party)] += 1
        # The collections, through their link tables (not office-private themselves: filtered on the request's).
        for dimension, relation, label in (
            (Dimension.THEME, VisitorRequest.themes, "theme__code"),
            (Dimension.TYPE, VisitorRequest.requested_types, "offertype__code"),
            (Dimension.MISSING, VisitorRequest.missing_types, "offertype__code"),
        ):
            links = relation.through.objects.filter(
                visitorrequest__office_id=office_id,
                visitorrequest__received_at__gte=low,
                visitorrequest__received_at__lt=high,
            )
            for request_id, code in links.values_list("visitorrequest_id", label):
                if request_id in day_of:  # else recorded since the first read: its own refresh will count it
                    counts[day_of[request_id], dimension, code] += 1
        hours = VisitorCount.objects.filter(hour__gte=low, hour__lt=high, count__gt=0)
        for hour, number in hours.values_list("hour", "count"):
            counts[timezone.localtime(hour, zone).date(), Dimension.VISITORS, ""] += number
        handed = Movement.objects.filter(kind=MovementKind.HANDED_OUT, at__gte=low, at__lt=high)
        for at, document_id, quantity in handed.values_list("at", "document_id", "quantity"):
            counts[timezone.localtime(at, zone).date(), Dimension.BROCHURES, str(document_id)] -= quantity
        for column, key in (("created_at", "made"), ("first_opened_at", "opened")):
            booklets = Booklet.objects.filter(**{f"{column}__gte": low, f"{column}__lt": high})
            for at in booklets.values_list(column, flat=True):
                counts[timezone.localtime(at, zone).date(), Dimension.BOOKLETS, key] += 1
    return counts


def _first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _insert(model, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Rows written by one statement run many times, without building instances: a recount writes hundreds of
    thousands of figures, which bulk_create would compile one by one."""
    ops = connection.ops
    names = ", ".join(ops.quote_name(column) for column in columns)
    sql = f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    values = [[ops.adapt_datefield_value(v) if isinstance(v, datetime.date) else v for v in row] for row in rows]
    if values:
        with connection.cursor() as cursor:
            for start in range(0, len(values), BATCH):
                cursor.executemany(sql, values[start : start + BATCH])


FIGURE = ("dimension", "key", "value")
MONTH = ("month", *FIGURE)


def _write_days(office_id: int, days: set[datetime.date], counts: dict[tuple, int]) -> None:
    DailyFigure.objects.filter(office_id=office_id, day__in=days).delete()
    rows = ((office_id, day, dimension, key, value) for (day, dimension, key), value in counts.items() if value)
    _insert(DailyFigure, ("office_id", "day", *FIGURE), rows)


def _write_months(office_id: int, months: set[datetime.date]) -> dict[tuple, int]:
    """A month's figures are the sum of its days' (read back from the daily table). Returns what changed:
    {(month, dimension, key): new value − old value}, the figures not changed left out."""
    old = MonthlyFigure.objects.filter(office_id=office_id, month__in=months)
    change = Counter({(month, dimension, key): -value for month, dimension, key, value in old.values_list(*MONTH)})
    old.delete()
    rows = []
    for month in sorted(months):
        sums = (
            DailyFigure.objects.filter(office_id=office_id, day__gte=month, day__lt=_next_month(month))
            .values_list("dimension", "key")
            .annotate(total=Sum("value"))
        )
        rows += [(office_id, month, dimension, key, total) for dimension, key, total in sums]
    _insert(MonthlyFigure, ("office_id", "month", *FIGURE), rows)
    for _office, month, dimension, key, total in rows:
        change[month, dimension, key] += total
    return {figure: value for figure, value in change.items() if value}


def _lock_network() -> None:
    """Serialise the rewrites of the network's rows (PostgreSQL; SQLite already runs one writer at a time)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('acvs.observatory.network'))")


def _write_areas(department_ids: set[int], months: set[datetime.date]) -> None:
    """The départements' figures of these months, summed from their offices', then the network's from theirs.

    Locks: the départements' rows (in id order), then the network's, always in this order after the office's."""
    departments = Department.objects.select_for_update(no_key=True).filter(pk__in=department_ids)
    list(departments.order_by("pk").values_list("pk"))
    with all_offices("statistics"):
        AreaFigure.objects.filter(department_id__in=department_ids, month__in=months).delete()
        sums = (
            MonthlyFigure.objects.filter(office__department_id__in=department_ids, month__in=months)
            .values_list("office__department_id", "month", "dimension", "key")
            .annotate(total=Sum("value"))
            .order_by()
        )
        _insert(AreaFigure, ("department_id", "month", *FIGURE), sums)
    _lock_network()
    AreaFigure.objects.filter(department=None, month__in=months).delete()
    sums = (
        AreaFigure.objects.filter(department__isnull=False, month__in=months)
        .values_list("month", "dimension", "key")
        .annotate(total=Sum("value"))
        .order_by()
    )
    _insert(AreaFigure, ("month", *FIGURE), sums)


def _add_to_areas(changes: dict[tuple, int]) -> None:
    """Add the changes of offices' monthly figures, {(département id, month, dimension, key): change}, to their
    départements' figures and to the network's, rather than summing every office of those départements again: a
    drain of 200 offices spread over 100 départements summed the whole month of the network (460,000 rows at 2,300
    offices, ~3 s) to change a few thousand figures. The result is the same as `_write_areas` (the agreement tests
    compare it with a full recount after each change); a figure that would fall below zero (the areas out of step,
    e.g. after an office moved to another département without a recount) has its months summed again in full.

    Locks as `_write_areas`: the départements' rows (in id order), then the network's, after the offices'."""
    totals = Counter()
    for (department_id, month, dimension, key), value in changes.items():
        totals[department_id, month, dimension, key] += value
        totals[None, month, dimension, key] += value
    totals = {figure: value for figure, value in totals.items() if value}
    if not totals:
        return
    departments = {department for department, *_figure in totals if department is not None}
    months = {month for _department, month, _dimension, _key in totals}
    list(Department.objects.select_for_update(no_key=True).filter(pk__in=departments).order_by("pk").values_list("pk"))
    _lock_network()
    rows = AreaFigure.objects.filter(
        Q(department__in=departments) | Q(department=None),
        month__in=months,
        dimension__in={dimension for _department, _month, dimension, _key in totals},
    ).values_list("pk", "department", *MONTH)
    found, twice = {}, False
    for pk, department, month, dimension, key, value in rows:
        if (department, month, dimension, key) in totals:
            twice |= (department, month, dimension, key) in found
            found[department, month, dimension, key] = (pk, value)
    values = {figure: found.get(figure, (None, 0))[1] + change for figure, change in totals.items()}
    if twice or any(value < 0 for value in values.values()):
        _write_areas(departments, months)
        return
    AreaFigure.objects.filter(pk__in=[pk for pk, _value in found.values()]).delete()
    rows = (figure + (value,) for figure, value in sorted(values.items(), key=_area_order) if value)
    _insert(AreaFigure, ("department_id", *MONTH), rows)


def _area_order(item):
    (department, month, dimension, key), _value = item
    return (department or 0, month, dimension, key)


def _runs(days: list[datetime.date]) -> Iterable[tuple[datetime.date, datetime.date]]:
    """Consecutive days as [start, end) ranges, so that a week of marks reads the raw rows once."""
    start = previous = days[0]
    for day in days[1:]:
        if day != previous + datetime.timedelta(days=1):
            yield start, previous + datetime.timedelta(days=1)
            start = day
        previous = day
    yield start, previous + datetime.timedelta(days=1)


def refresh(marks: Iterable[tuple[int, datetime.date]]) -> int:
    """Rebuild the figures of these (office id, day) pairs and of their months. Returns the days rebuilt."""
    by_office = defaultdict(set)
    for office_id, day in marks:
        by_office[office_id].add(day)
    changes = Counter()  # {(département id, month, dimension, key): change} of the offices' monthly figures
    with transaction.atomic():
        for office_id, days in sorted(by_office.items()):
            with scope_for(office=office_id):
                locked = Office.objects.select_for_update(no_key=True).filter(pk=office_id)
                department_id = locked.values_list("department", flat=True).first()
                if department_id is None:
                    continue  # deleted since: its figures went with it
                counts = {}
                for start, end in _runs(sorted(days)):
                    counts.update(count_days(office_id, start, end))
                months = {_first_of_month(day) for day in days}
                _write_days(office_id, days, counts)
                for (month, dimension, key), change in _write_months(office_id, months).items():
                    changes[department_id, month, dimension, key] += change
        # The areas once for all these offices (not once per office), after the offices' locks, in the same
        # transaction: what changed in their months added to their départements' figures and the network's.
        _add_to_areas(changes)
    return sum(len(days) for days in by_office.values())


def recount(office_ids: Iterable[int] | None = None) -> int:
    """Rebuild every figure of these offices (all by default, and then the published offers per département and
    type too) from their raw rows. Returns the daily rows written."""
    if office_ids is None:
        recount_offers()
    ids = (
        list(office_ids) if office_ids is not None else list(Office.objects.order_by("pk").values_list("pk", flat=True))
    )
    written = 0
    for office_id in ids:
        with transaction.atomic(), scope_for(office=office_id):
            Office.objects.select_for_update(no_key=True).filter(pk=office_id).exists()
            counts = count_days(office_id, datetime.date(1900, 1, 1), datetime.date(2101, 1, 1))
            DailyFigure.objects.filter(office_id=office_id).delete()
            days = {day for day, _dimension, _key in counts}
            _write_days(office_id, days, counts)
            _write_months(office_id, {_first_of_month(day) for day in days})
            written += len(counts)
    with transaction.atomic():
        departments = set(Office.objects.filter(pk__in=ids).values_list("department", flat=True))
        with all_offices("statistics"):
            months = set(MonthlyFigure.objects.filter(office__in=ids).values_list("month", flat=True).distinct())
        # Also the months an office no longer has: their area rows are rebuilt from what remains.
        months |= set(AreaFigure.objects.filter(department__in=departments).values_list("month", flat=True).distinct())
        if departments and months:
            _write_areas(departments, months)
    return written


DRAIN_BATCH = 5000


def mark(marks: set[tuple[int, datetime.date]]) -> None:
    """Note days to rebuild in the writing transaction, and drain them once it commits (one task per commit)."""
    DirtyDay.objects.bulk_create([DirtyDay(office_id=office_id, day=day) for office_id, day in marks])
    # Django's list of this transaction's callbacks (emptied on a rollback): one drain per commit is enough.
    if not any(func is _enqueue_drain for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(_enqueue_drain)


def _enqueue_drain() -> None:
    from .tasks import refresh_figures  # tasks import this module

    if not _drain_waiting(refresh_figures):
        refresh_figures.enqueue()


def _drain_waiting(task) -> bool:
    """Is a drain already queued and not started? It will take the marks committed before it starts, these ones
    included: at 200 commits a second, one waiting drain instead of 200 queued tasks a second (which one worker
    could not even claim as fast). Known for the database backend (the project's); other backends always enqueue."""
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    waiting = DBTaskResult.objects.ready().filter(backend_name=backend.alias, task_path=task.module_path)
    return waiting.exists()


def drain() -> int:
    """Rebuild the marked days, removing their marks in the same transaction (a failure leaves them marked); then
    the offers' figures of the marked départements. Returns the days rebuilt.

    Concurrent drains (`db_worker --workers 2`, or several workers) share the work by office, not by mark: each
    batch takes the offices of the oldest marks that no other drain holds (their rows locked FOR NO KEY UPDATE
    SKIP LOCKED, as `refresh` locks them), at most DRAIN_OFFICES, then the marks of those offices only. Taking marks
    alone (SKIP LOCKED on the marks) let a second drain hold the newer marks of offices the first was rebuilding
    and wait for its whole batch on their locks: the two ran one after the other, each holding marks the other
    could not take."""
    rebuilt = 0
    while drain_offers():
        pass
    while True:
        started = time.monotonic()
        with transaction.atomic(), all_offices("statistics"):
            taken = _take_marks()
            if not taken:
                return rebuilt
            days = refresh({(office_id, day) for _pk, office_id, day in taken})
        rebuilt += days
        logger.info(
            "observatory drain: %d marks of %d offices, %d days rebuilt in %.2f s",
            len(taken), len({office_id for _pk, office_id, _day in taken}), days, time.monotonic() - started,
        )  # fmt: skip


# Offices rebuilt per batch (one transaction; ~10-80 ms each, docs/performance-observatory.md). Fewer than a busy
# network has recording at once, so that the offices of the oldest marks are rebuilt (and committed) first rather than
# waiting for every marked office, and so that a second worker finds offices the first does not hold.
DRAIN_OFFICES = 50


def _take_marks() -> list[tuple[int, int, datetime.date]]:
    """The marks of the offices this drain now holds, removed (in the caller's transaction): the offices of the
    oldest marks first, those another drain holds skipped."""
    oldest = DirtyDay.objects.order_by("pk").values_list("office_id", flat=True)[:DRAIN_BATCH]
    candidates = list(dict.fromkeys(oldest))  # in the order of their oldest mark
    held = []
    for start in range(0, len(candidates), DRAIN_OFFICES):
        if len(held) >= DRAIN_OFFICES:
            break
        # At most the offices still wanted are locked (LIMIT under FOR ... SKIP LOCKED stops locking there): a
        # drain holds no office it will not rebuild in this batch.
        free = Office.objects.select_for_update(no_key=True, skip_locked=True).filter(
            pk__in=candidates[start : start + DRAIN_OFFICES]
        )
        held += free.order_by("pk").values_list("pk", flat=True)[: DRAIN_OFFICES - len(held)]
    if not held:
        return []
    marks = DirtyDay.objects.filter(office_id__in=held)
    taken = list(marks.select_for_update(skip_locked=True).order_by("pk").values_list("pk", "office_id", "day"))
    if taken:
        DirtyDay.objects.filter(pk__in=[pk for pk, _office, _day in taken]).delete()
    return taken


# The offer side of the fit ---------------------------------------------------------------------------------------


def count_offers(department_ids: Iterable[int]) -> dict[tuple[int, str], int]:
    """{(département id, type code): published offers of that type or a sub-type}, read from the offers."""
    links = Offer.types.through.objects.filter(
        offer__status=Status.PUBLISHED, offer__commune__department__in=list(department_ids)
    )
    rows = (
        links.values_list("offer__commune__department", "offertype__ancestors__code")
        .annotate(n=Count("offer", distinct=True))
        .order_by()
    )
    return {(department, code): n for department, code, n in rows if code is not None}


def refresh_offers(department_ids: Iterable[int]) -> None:
    """Recount the published offers per type of these départements, under the lock on each (as the areas'
    figures): two drains never interleave their rewrites of a département."""
    ids = sorted(set(department_ids))
    if not ids:
        return
    with transaction.atomic():
        list(Department.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values_list("pk"))
        counts = count_offers(ids)
        OfferFigure.objects.filter(department__in=ids).delete()
        rows = ((department, code, n) for (department, code), n in sorted(counts.items()))
        _insert(OfferFigure, ("department_id", "type", "value"), rows)


def recount_offers() -> None:
    """Rebuild the offers' figures of every département (after a bulk load, or a change of the type tree)."""
    refresh_offers(Department.objects.values_list("pk", flat=True))
    OfferFigure.objects.exclude(department__in=Department.objects.values("pk")).delete()


def mark_departments(department_ids: set[int]) -> None:
    """Note départements whose offers changed, in the writing transaction; drained once it commits."""
    DirtyDepartment.objects.bulk_create([DirtyDepartment(department_id=pk) for pk in department_ids if pk])
    if not any(func is _enqueue_drain for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(_enqueue_drain)


def drain_offers() -> int:
    """Recount the départements marked (those no concurrent drain holds) and remove their marks, in one
    transaction. Returns the départements recounted (0 when none was waiting)."""
    with transaction.atomic():
        taken = list(DirtyDepartment.objects.select_for_update(skip_locked=True).values_list("pk", "department_id"))
        if not taken:
            return 0
        DirtyDepartment.objects.filter(pk__in=[pk for pk, _department in taken]).delete()
        departments = {department for _pk, department in taken}
        refresh_offers(departments)
    return len(departments)
