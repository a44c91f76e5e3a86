"""The current consent per contact and purpose (a table derived from the events, backfilled here), and on PostgreSQL
the text search's indexes scoped per office: a trigram GIN index led by the office (btree_gin), so that a common name
of one office is not looked for among every office's contacts; a B-tree for an address typed from its start. The
office is keyed as `office_id::integer`, an expression no B-tree has (selectors._in_office says why)."""

import logging

import django.db.models.deletion
from django.db import DatabaseError, migrations, models, transaction

log = logging.getLogger(__name__)

# The state of models.consent.current_events when this migration was written: the latest event per purpose.
BACKFILL = """
    INSERT INTO contacts_currentconsent (office_id, contact_id, purpose, given, event_id)
    SELECT office_id, contact_id, purpose, given, id FROM (
        SELECT office_id, contact_id, purpose, given, id,
               ROW_NUMBER() OVER (PARTITION BY contact_id, purpose ORDER BY at DESC, id DESC) AS latest
        FROM contacts_consentevent
    ) AS ranked
    WHERE latest = 1
"""

# (name, table, method and key); the trigram ones replace 0002's, which were not led by the office.
INDEXES = (
    ("contacts_contact_office_name_trgm", "contacts_contact", "gin ((office_id::integer), (UPPER(name::text)) gin_trgm_ops)"),
    ("contacts_email_office_trgm", "contacts_contactemail", "gin ((office_id::integer), (UPPER(email::text)) gin_trgm_ops)"),
    ("contacts_phone_office_trgm", "contacts_contactphone", "gin ((office_id::integer), (phone::text) gin_trgm_ops)"),
)
PREFIX = ("contacts_email_office_prefix", "contacts_contactemail", "btree (office_id, (email::text) text_pattern_ops)")
REPLACED = (
    ("contacts_contact_name_trgm", "contacts_contact", "gin ((UPPER(name::text)) gin_trgm_ops)"),
    ("contacts_email_trgm", "contacts_contactemail", "gin ((UPPER(email::text)) gin_trgm_ops)"),
)


def backfill(apps, schema_editor):
    schema_editor.execute(BACKFILL)


def _has(schema_editor, extension: str) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = %s", [extension])
        return cursor.fetchone() is not None


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    name, table, key = PREFIX
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING {key}")
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    except DatabaseError:
        log.warning("btree_gin is not available: the contact search keeps its trigram indexes across offices")
        return
    if not _has(schema_editor, "pg_trgm"):  # 0002 could not create it: the search scans
        return
    for name, table, key in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING {key}")
    for name, _table, _key in REPLACED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _key in (*INDEXES, PREFIX):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    if _has(schema_editor, "pg_trgm"):
        for name, table, key in REPLACED:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING {key}")


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0003_erasure_and_bounces'),
        ('network', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='CurrentConsent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('purpose', models.CharField(choices=[('newsletter', 'Office newsletter'), ('request', 'Contact about the request'), ('network', 'Département and network communications')], max_length=10, verbose_name='purpose')),
                ('given', models.BooleanField(verbose_name='given')),
                ('contact', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='current_consents', to='contacts.contact')),
                ('event', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contacts.consentevent')),
                ('office', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='network.office')),
            ],
            options={
                'verbose_name': 'current consent',
                'verbose_name_plural': 'current consents',
                'indexes': [models.Index(condition=models.Q(('given', True)), fields=['office', 'purpose', 'contact'], name='contacts_current_given')],
                'constraints': [models.UniqueConstraint(fields=('contact', 'purpose'), name='contacts_current_unique')],
            },
        ),
        migrations.AddIndex(
            model_name='contact',
            index=models.Index(fields=['office', 'id'], name='contacts_office_pk'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
