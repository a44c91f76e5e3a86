"""PostgreSQL: offer_offer.search_types, the offer's type ids (kept by the re-indexing from offer_offer_types), with a
GIN index. A text search with a type filters on it: the planner combines its index with the text's (BitmapAnd), so
counting «plage» + Restauration reads the 6,000 real matches from the table rather than the 54,000 offers of the
word to test their type (docs/performance.md, "A text with a broad type"). SQLite: nothing (its search filters the
link table)."""

from django.db import migrations

FORWARD = [
    "ALTER TABLE offer_offer ADD COLUMN search_types bigint[]",
    """UPDATE offer_offer o SET search_types = t.ids
         FROM (SELECT offer_id, array_agg(offertype_id ORDER BY offertype_id) AS ids
                 FROM offer_offer_types GROUP BY offer_id) t
        WHERE t.offer_id = o.id""",
    "UPDATE offer_offer SET search_types = '{}' WHERE search_types IS NULL",
    "CREATE INDEX offer_search_types ON offer_offer USING gin (search_types)",
]
BACKWARD = ["DROP INDEX IF EXISTS offer_search_types", "ALTER TABLE offer_offer DROP COLUMN IF EXISTS search_types"]


def on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("offer", "0010_offer_updated_at")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
