"""How an import run's documents are stored on PostgreSQL (issue 15: a flux file's records and report are megabytes
of JSON written at each step)."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_run_s_records_and_report_are_compressed_with_lz4_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's column compression")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)")
        if cursor.fetchone() is None:
            pytest.skip("a PostgreSQL built without lz4: the migration leaves its default")
        cursor.execute(
            "SELECT attname, attcompression FROM pg_attribute WHERE attrelid = 'interop_importrun'::regclass"
            " AND attname IN ('records', 'report') ORDER BY attname"
        )
        assert cursor.fetchall() == [("records", "l"), ("report", "l")]
