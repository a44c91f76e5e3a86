"""Indexes for the prospect file's list at 100,000 contacts per office (issue 12, docs/performance.md): a segment's
language and country led by the office, and on PostgreSQL a trigram index on the communes' names, which the text
search matches (it scanned the 35,000 communes for every search). The communes' table is the network's; the index
serves the contacts' search only, hence here, under a contacts name."""

import logging

from django.db import migrations, models

log = logging.getLogger(__name__)

COMMUNE_NAMES = ("contacts_commune_name_trgm", "network_commune", "gin ((UPPER(name::text)) gin_trgm_ops)")


def _has_trgm(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def create_commune_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    if not _has_trgm(schema_editor):  # 0002 could not create it: the search scans the communes
        log.warning("pg_trgm is not available: the contact search scans the communes' names")
        return
    name, table, key = COMMUNE_NAMES
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING {key}")


def drop_commune_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {COMMUNE_NAMES[0]}")


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0007_double_optin_and_version'),
        ('network', '0001_initial'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='contact',
            index=models.Index(fields=['office', 'language'], name='contacts_office_language'),
        ),
        migrations.AddIndex(
            model_name='contact',
            index=models.Index(fields=['office', 'country'], name='contacts_office_country'),
        ),
        migrations.RunPython(create_commune_index, drop_commune_index),
    ]
