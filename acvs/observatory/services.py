"""Writes of the observatory: its rollups, recounted from the raw rows of the offices (requests, visitor counts).

Writes of the counter mark the (office, day) they touch (`mark`, through core.activity, in their transaction);
after they commit the task `refresh_figures` drains the marks: however many requests a busy hour brings, each
(office, day) is rebuilt once per drain. `refresh(marks)` rebuilds the daily figures of those days, the monthly
figures of their months and the areas' (département, network) sums of those months; `recount()` rebuilds
everything. Both read each office's rows in that office's scope and write one office at a time under a lock on the
office (then its département's, then the network's), so two workers refreshing never interleave.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from acvs.core.tenancy import all_offices, scope_for
from acvs.desk.models import VisitorCount, VisitorRequest
from acvs.network.models import Department, Office

from .models import AreaFigure, DailyFigure, Dimension, DirtyDay, MonthlyFigure

BATCH = 2000


def party_key(is_group: bool, adults: int, children: int, group_size: int | None) -> str:
    """The party size as counted: 1, 2, 3–4, 5 or more, or a group."""
    if is_group:
        return "group"
    people = adults + children
    return "1" if people == 1 else "2" if people == 2 else "3-4" if people <= 4 else "5+"


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
            "outcome", "is_group", "adults", "children", "group_size",
        )  # fmt: skip
        for pk, received, channel, origin, country, dept, profile, language, outcome, *party in requests.order_by(
            "pk"
        ).values_list(*columns):
            day = timezone.localtime(received, zone).date()
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


def _write_days(office_id: int, days: set[datetime.date], counts: dict[tuple, int]) -> None:
    DailyFigure.objects.filter(office_id=office_id, day__in=days).delete()
    rows = ((office_id, day, dimension, key, value) for (day, dimension, key), value in counts.items() if value)
    _insert(DailyFigure, ("office_id", "day", *FIGURE), rows)


def _write_months(office_id: int, months: set[datetime.date]) -> None:
    """A month's figures are the sum of its days' (read back from the daily table)."""
    MonthlyFigure.objects.filter(office_id=office_id, month__in=months).delete()
    rows = []
    for month in sorted(months):
        sums = (
            DailyFigure.objects.filter(office_id=office_id, day__gte=month, day__lt=_next_month(month))
            .values_list("dimension", "key")
            .annotate(total=Sum("value"))
        )
        rows += [(office_id, month, dimension, key, total) for dimension, key, total in sums]
    _insert(MonthlyFigure, ("office_id", "month", *FIGURE), rows)


def _lock_network() -> None:
    """Serialise the rewrites of the network's rows (PostgreSQL; SQLite already runs one writer at a time)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('acvs.observatory.network'))")


def _write_areas(department_ids: set[int], months: set[datetime.date]) -> None:
    """The départements' figures of these months, summed from their offices', then the network's from theirs.

    Locks: the départements' rows (in id order), then the network's, always in this order after the office's."""
    list(Department.objects.select_for_update().filter(pk__in=department_ids).order_by("pk").values_list("pk"))
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
    for office_id, days in sorted(by_office.items()):
        with transaction.atomic(), scope_for(office=office_id):
            locked = Office.objects.select_for_update().filter(pk=office_id)
            department_id = locked.values_list("department", flat=True).first()
            if department_id is None:
                continue  # deleted since: its figures went with it
            counts = {}
            for start, end in _runs(sorted(days)):
                counts.update(count_days(office_id, start, end))
            months = {_first_of_month(day) for day in days}
            _write_days(office_id, days, counts)
            _write_months(office_id, months)
            _write_areas({department_id}, months)
    return sum(len(days) for days in by_office.values())


def recount(office_ids: Iterable[int] | None = None) -> int:
    """Rebuild every figure of these offices (all by default) from their raw rows. Returns the rows written."""
    ids = (
        list(office_ids) if office_ids is not None else list(Office.objects.order_by("pk").values_list("pk", flat=True))
    )
    written = 0
    for office_id in ids:
        with transaction.atomic(), scope_for(office=office_id):
            Office.objects.select_for_update().filter(pk=office_id).exists()
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

    refresh_figures.enqueue()


def drain() -> int:
    """Rebuild the marked days (those no concurrent drain holds), removing their marks in the same transaction: a
    failure leaves them marked. Returns the days rebuilt."""
    rebuilt = 0
    while True:
        with transaction.atomic(), all_offices("statistics"):
            taken = list(
                DirtyDay.objects.select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", "office_id", "day")[:DRAIN_BATCH]
            )
            if not taken:
                return rebuilt
            DirtyDay.objects.filter(pk__in=[pk for pk, _office, _day in taken]).delete()
            rebuilt += refresh({(office_id, day) for _pk, office_id, day in taken})
