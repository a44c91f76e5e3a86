"""Reading a contact file (acvs.core.tables) within the contacts' limits of size and lines."""

from django.conf import settings

from acvs.core import tables
from acvs.core.tables import FileRefused, Table

__all__ = ["FileRefused", "Table", "read", "too_large"]


def read(name: str, content: bytes) -> Table:
    return tables.read(
        name,
        content,
        max_bytes=settings.ACVS_CONTACT_IMPORT_MAX_BYTES,
        max_lines=settings.ACVS_CONTACT_IMPORT_MAX_LINES,
    )


def too_large(size: int) -> str:
    return tables.too_large(size, settings.ACVS_CONTACT_IMPORT_MAX_BYTES)
