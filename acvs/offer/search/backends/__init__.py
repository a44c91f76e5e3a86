"""One search backend per database vendor; `backend()` gives the one of a connection."""

from django.db import connections

from .base import SearchBackend, total_cap
from .postgres import PostgresBackend
from .sqlite import SqliteBackend

BACKENDS = {cls.vendor: cls for cls in (PostgresBackend, SqliteBackend)}

__all__ = ["SearchBackend", "backend", "total_cap"]


def backend(using: str = "default") -> SearchBackend:
    connection = connections[using]
    return BACKENDS[connection.vendor](connection)
