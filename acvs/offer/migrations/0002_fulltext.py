"""Full-text search structures, one per database vendor (see acvs/offer/search.py)."""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS acvs_french",
    "CREATE TEXT SEARCH CONFIGURATION acvs_french (COPY = french)",
    "ALTER TEXT SEARCH CONFIGURATION acvs_french ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem",
    "CREATE INDEX offer_fts ON offer_offer USING gin (to_tsvector('acvs_french'::regconfig, search_document))",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS offer_fts", "DROP TEXT SEARCH CONFIGURATION IF EXISTS acvs_french"]

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE offer_offer_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
    # Rows are written by offer.search.reindex (stemming happens in Python); deletions follow here.
    """CREATE TRIGGER offer_offer_fts_delete AFTER DELETE ON offer_offer BEGIN
         DELETE FROM offer_offer_fts WHERE rowid = old.id;
       END""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS offer_offer_fts_delete", "DROP TABLE IF EXISTS offer_offer_fts"]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("offer", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
