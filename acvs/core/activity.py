"""Activity marks: the apps that record an office's activity (requests, visitor counts) say which (office, day) a
write touched; listeners registered by higher apps (the observatory's rollups) hear of it inside the same
transaction, so that a mark is kept exactly when the write is.

core imports no app, and the recording apps must not import the observatory: this registry is the door between them.
"""

import datetime
from collections.abc import Callable, Iterable

from django.utils import timezone

Listener = Callable[[set[tuple[int, datetime.date]]], None]
_listeners: list[Listener] = []


def register(listener: Listener) -> None:
    """Hear of the (office id, local day) pairs each write touches, in its transaction."""
    if listener not in _listeners:
        _listeners.append(listener)


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


def touched(office, days: Iterable[datetime.date | datetime.datetime]) -> None:
    """The current transaction changed the activity of `office` (an Office or its id) on these days."""
    office_id = getattr(office, "pk", office)
    marks = {(office_id, _day(day)) for day in days if day is not None}
    if marks:
        for listener in _listeners:
            listener(marks)
