"""Full-text search ranked by a RUM index (PostgreSQL extension `rum`, Debian package postgresql-<major>-rum).

RUM is GIN with each lexeme's positions stored in the index, so `search_vector <=> query` (a relevance distance)
orders the matches without reading them from the table: the first page of a word that matches 20,000 offers is
read in order from the index. The GIN index of 0003 stays: it finds the matches of a filter (a bitmap) two to three
times faster than RUM for a query of several words, whose posting lists RUM reads with their positions.
"""

from django.db import migrations

INDEX = "CREATE INDEX offer_search_rum ON offer_offer USING rum (search_vector rum_tsvector_ops)"


def require_extension(cursor, name: str, package: str) -> None:
    """Create extension `name`, or fail naming the server package that provides it."""
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = %s", [name])
    if cursor.fetchone() is None:
        cursor.execute("SELECT current_setting('server_version_num')::int / 10000")
        package = package.format(major=cursor.fetchone()[0])
        raise RuntimeError(
            f"The PostgreSQL extension '{name}' is not available on the database server. Install the package "
            f"{package} on the server (Debian/Ubuntu: apt-get install {package}; `make test` and `.ci/run` do it "
            f"when run as root), then run the migrations again."
        )
    cursor.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        require_extension(cursor, "rum", "postgresql-{major}-rum")
        cursor.execute(INDEX)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS offer_search_rum")


class Migration(migrations.Migration):
    dependencies = [("offer", "0007_drop_search_postings")]

    operations = [migrations.RunPython(forward, backward)]
