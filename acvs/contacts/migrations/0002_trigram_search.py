"""Trigram indexes for the contact list's text search on PostgreSQL (names and emails are matched anywhere in the
text: a B-tree cannot help). SQLite has no such index: nothing is done there."""

import logging

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger(__name__)

INDEXES = (
    ("contacts_contact_name_trgm", "contacts_contact", "name"),
    ("contacts_email_trgm", "contacts_contactemail", "email"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        # A role that may not create extensions: the search still works, by scanning (docs/performance.md).
        log.warning("pg_trgm is not available: the contact search runs without trigram indexes")
        return
    for name, table, column in INDEXES:
        # The expression Django's icontains compares: UPPER(column::text).
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _table, _column in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
