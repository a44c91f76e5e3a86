"""Migrations of the offer search on PostgreSQL."""

from importlib import import_module

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL extensions")

rum = import_module("acvs.offer.migrations.0008_search_rum")


def test_a_missing_extension_fails_naming_the_package_to_install(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int / 10000")
        major = cursor.fetchone()[0]
        with pytest.raises(RuntimeError) as error:
            rum.require_extension(cursor, "acvs_no_such_extension", "postgresql-{major}-rum")
    assert f"apt-get install postgresql-{major}-rum" in str(error.value)
    assert "'acvs_no_such_extension' is not available on the database server" in str(error.value)


def test_the_search_postings_are_gone_and_rum_orders_the_text(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'offer_search_%%' AND relkind = 'r'")
        assert cursor.fetchone()[0] == 0  # no table of 0005
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'offer_search_%%'")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM pg_proc WHERE proname LIKE 'offer_search_%%'")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'offer_search_%%' ORDER BY 1")
        assert [(name, definition.split(" USING ")[1]) for name, definition in cursor.fetchall()] == [
            ("offer_search_rum", "rum (search_vector)"),  # rum_tsvector_ops, the default
            ("offer_search_types", "gin (search_types)"),  # 0011: the offers' type ids
            ("offer_search_vector", "gin (search_vector)"),
        ]
