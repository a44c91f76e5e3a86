"""Activity marks: the apps that record an office's activity (requests, visitor counts) say which (office, day) a
write touched; listeners registered by higher apps (the observatory's rollups) hear of them once it commits.

core imports no app, and the recording apps must not import the observatory: this registry is the door between
them. Marks of a rolled-back transaction go with the next commit of the connection (recounting a day is harmless).
"""

import datetime
from collections.abc import Callable, Iterable

from django.db import connections, transaction
from django.utils import timezone

PENDING = "_acvs_activity_pending"
Listener = Callable[[set[tuple[int, datetime.date]]], None]
_listeners: list[Listener] = []


def register(listener: Listener) -> None:
    """Hear of the (office id, local day) pairs each committed transaction touched."""
    if listener not in _listeners:
        _listeners.append(listener)


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


def touched(office, days: Iterable[datetime.date | datetime.datetime], *, using: str = "default") -> None:
    """The current transaction changed the activity of `office` (an Office or its id) on these days."""
    office_id = getattr(office, "pk", office)
    marks = {(office_id, _day(day)) for day in days if day is not None}
    if not marks or not _listeners:
        return
    connection = connections[using]
    if not hasattr(connection, PENDING):
        setattr(connection, PENDING, set())
    getattr(connection, PENDING).update(marks)
    transaction.on_commit(lambda: _flush(connection), using=using)


def _flush(connection) -> None:
    marks = getattr(connection, PENDING, set())
    if hasattr(connection, PENDING):
        delattr(connection, PENDING)
    if marks:
        for listener in _listeners:
            listener(marks)
