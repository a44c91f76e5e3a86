"""Search postings on PostgreSQL: broad searches answered from B-tree index-only scans (see offer.postings).

A common word («camping», «hôtel») or a broad type (Hébergement) matches tens of thousands of offers. Counting
and ranking them through the GIN index reads one heap page per match (~10 µs each), and facet counts aggregate
hundreds of thousands of rows: 0.1 to 2 s at the size of the national base. Here every offer is also written as
postings, one per search key (each lexeme of its vector, each of its types with their ancestors, and '' for "every
offer"), in a B-tree ordered as the results are (rank, then name), so a page is the first entries of one key. Facet
counts per key are kept up to date in offer_search_count, so a single-key search reads its facets instead of
computing them.

Nothing in the application writes these tables. Triggers on the offer tables and on the type tree mark the offers
they change as dirty, and the dirty offers are re-indexed once per transaction, at commit (a deferred constraint
trigger on offer_search_pending, one row per transaction), or earlier when the transaction itself searches
(offer_search_flush()). Re-indexing an offer compares what it was indexed as (offer_search_profile) with what it is
now, and writes the differences. offer_search_rebuild() re-indexes everything at once (after a bulk load with
triggers off).

Concurrency (READ COMMITTED, enforced): an offer's dirty row is unique, so a second transaction changing the same
offer waits for the first to commit before marking it, and re-indexes it from the first one's profile. Counts are
changed by one statement, in key order. Text columns and functions (not a view) keep the offer table's columns free
to change in later migrations.
"""

from django.db import migrations

# What an offer is indexed as. keys[i] has the rank ranks[i]: ts_rank of the offer's vector for that lexeme alone
# (the rank the full-text search gives a one-word query), 0 for type keys and ''. Facets: '' (the total),
# f<family id>, l<label id>, x<feature id>, c<commune INSEE code>.
PROFILE_SOURCE = r"""
SELECT o.id, o.status::text, o.name::text, o.commune_id::text, k.keys, k.ranks, f.facets
  FROM offer_offer o
 CROSS JOIN LATERAL (
       SELECT array_agg(x.key ORDER BY x.key) AS keys, array_agg(x.rank ORDER BY x.key) AS ranks
         FROM (SELECT ''::text AS key, 0::real AS rank
               UNION ALL
               SELECT u.lexeme, ts_rank(o.search_vector,
                          ('''' || replace(replace(u.lexeme, '\', '\\'), '''', '''''') || '''')::tsquery)
                 FROM unnest(o.search_vector) u
               UNION ALL
               SELECT DISTINCT '#t' || a.to_offertype_id, 0::real
                 FROM offer_offer_types ot
                 JOIN offer_offertype_ancestors a ON a.from_offertype_id = ot.offertype_id
                WHERE ot.offer_id = o.id) x
       ) k
 CROSS JOIN LATERAL (
       SELECT array_agg(y.facet ORDER BY y.facet) AS facets
         FROM (SELECT ''::text AS facet
               UNION ALL
               SELECT DISTINCT 'f' || a.to_offertype_id
                 FROM offer_offer_types ot
                 JOIN offer_offertype_ancestors a ON a.from_offertype_id = ot.offertype_id
                 JOIN offer_offertype t ON t.id = a.to_offertype_id AND t.is_family
                WHERE ot.offer_id = o.id
               UNION ALL
               SELECT 'l' || ol.label_id FROM offer_offer_labels ol WHERE ol.offer_id = o.id
               UNION ALL
               SELECT 'x' || of.feature_id FROM offer_offer_features of WHERE of.offer_id = o.id
               UNION ALL
               SELECT 'c' || o.commune_id) y
       ) f
 WHERE {where}
"""
PROFILE_COLUMNS = "offer_id bigint, status text, name text, commune_id text, keys text[], ranks real[], facets text[]"
SOURCES = [
    f"""CREATE FUNCTION offer_search_profiles(ids bigint[]) RETURNS TABLE ({PROFILE_COLUMNS}) LANGUAGE sql STABLE
        AS $$ {PROFILE_SOURCE.format(where="o.id = ANY(ids)")} $$""",
    f"""CREATE FUNCTION offer_search_all_profiles() RETURNS TABLE ({PROFILE_COLUMNS}) LANGUAGE sql STABLE
        AS $$ {PROFILE_SOURCE.format(where="TRUE")} $$""",
]

TABLES = [
    "CREATE TABLE offer_search_dirty (offer_id bigint PRIMARY KEY)",
    "CREATE TABLE offer_search_pending (txid bigint PRIMARY KEY)",
    """CREATE TABLE offer_search_profile (
           offer_id bigint PRIMARY KEY, status text NOT NULL, name text NOT NULL, commune_id text NOT NULL,
           keys text[] NOT NULL, ranks real[] NOT NULL, facets text[] NOT NULL)""",
    """CREATE TABLE offer_search_posting (
           key text NOT NULL, status text NOT NULL, rank real NOT NULL, name text NOT NULL, offer_id bigint NOT NULL,
           commune_id text NOT NULL)""",
    # The order of the index is the order of the results: a page is a range of it.
    """CREATE INDEX offer_search_posting_key
           ON offer_search_posting (key, status, rank DESC, name, offer_id) INCLUDE (commune_id)""",
    # Communes are counted per key for types and '' only: per lexeme they would be as many rows as the postings
    # (a lexeme's communes are counted from its postings instead). Both indexes answer without the table: the
    # facets of a key are a range of the primary key, its top communes the first entries of the partial index.
    """CREATE TABLE offer_search_count (
           key text NOT NULL, status text NOT NULL, facet text NOT NULL, n integer NOT NULL,
           PRIMARY KEY (key, status, facet) INCLUDE (n))""",
    """CREATE INDEX offer_search_count_communes
           ON offer_search_count (key, status, n DESC) INCLUDE (facet) WHERE facet LIKE 'c%'""",
    # Counts that fell to zero, deleted after each re-indexing.
    "CREATE INDEX offer_search_count_zero ON offer_search_count (key) WHERE n = 0",
    *SOURCES,
]

# The (key, facet) pairs an offer counts for, from its profile.
COUNTED = "(f NOT LIKE 'c%' OR k = '' OR k LIKE '#%')"

FUNCTIONS = [
    f"""
CREATE FUNCTION offer_search_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
WITH old AS MATERIALIZED (
    SELECT p.* FROM offer_search_profile p WHERE p.offer_id = ANY(ids)
), new AS MATERIALIZED (
    SELECT s.* FROM offer_search_profiles(ids) s
), kept AS (
    INSERT INTO offer_search_profile SELECT * FROM new
    ON CONFLICT (offer_id) DO UPDATE SET status = excluded.status, name = excluded.name,
        commune_id = excluded.commune_id, keys = excluded.keys, ranks = excluded.ranks, facets = excluded.facets
), dropped AS (
    DELETE FROM offer_search_profile p
     WHERE p.offer_id = ANY(ids) AND NOT EXISTS (SELECT 1 FROM new WHERE new.offer_id = p.offer_id)
), old_postings AS (
    SELECT u.key, o.status, u.rank, o.name, o.offer_id, o.commune_id FROM old o, unnest(o.keys, o.ranks) u(key, rank)
), new_postings AS (
    SELECT u.key, n.status, u.rank, n.name, n.offer_id, n.commune_id FROM new n, unnest(n.keys, n.ranks) u(key, rank)
), gone AS (
    DELETE FROM offer_search_posting p
     USING (SELECT * FROM old_postings EXCEPT ALL SELECT * FROM new_postings) d
     WHERE p.key = d.key AND p.status = d.status AND p.rank = d.rank AND p.name = d.name AND p.offer_id = d.offer_id
), added AS (
    INSERT INTO offer_search_posting SELECT * FROM new_postings EXCEPT ALL SELECT * FROM old_postings
), delta AS (
    SELECT key, status, facet, sum(d)::integer AS n
      FROM (SELECT k AS key, o.status, f AS facet, -1 AS d FROM old o, unnest(o.keys) k, unnest(o.facets) f
             WHERE {COUNTED}
            UNION ALL
            SELECT k, n.status, f, 1 FROM new n, unnest(n.keys) k, unnest(n.facets) f WHERE {COUNTED}) c
     GROUP BY key, status, facet HAVING sum(d) <> 0
)
INSERT INTO offer_search_count AS c (key, status, facet, n)
SELECT key, status, facet, n FROM delta ORDER BY key, status, facet
ON CONFLICT (key, status, facet) DO UPDATE SET n = c.n + excluded.n;
DELETE FROM offer_search_count WHERE n = 0;
$$""",
    """
CREATE FUNCTION offer_search_flush() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    DELETE FROM offer_search_pending WHERE txid = txid_current();
    WITH d AS (DELETE FROM offer_search_dirty RETURNING offer_id) SELECT array_agg(offer_id) INTO ids FROM d;
    IF ids IS NOT NULL THEN
        IF current_setting('transaction_isolation') <> 'read committed' THEN
            RAISE EXCEPTION 'offers are re-indexed for search under READ COMMITTED only';
        END IF;
        PERFORM offer_search_refresh(ids);
    END IF;
END
$$""",
    f"""
CREATE FUNCTION offer_search_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('maintenance_work_mem', '512MB', true);
    DELETE FROM offer_search_dirty;
    DELETE FROM offer_search_pending;  -- not TRUNCATE: the transaction may have a flush pending on it
    TRUNCATE offer_search_profile, offer_search_posting, offer_search_count;
    DROP INDEX offer_search_posting_key;
    INSERT INTO offer_search_profile SELECT * FROM offer_search_all_profiles();
    INSERT INTO offer_search_posting
    SELECT u.key, p.status, u.rank, p.name, p.offer_id, p.commune_id
      FROM offer_search_profile p, unnest(p.keys, p.ranks) u(key, rank);
    INSERT INTO offer_search_count (key, status, facet, n)
    SELECT k, p.status, f, count(*) FROM offer_search_profile p, unnest(p.keys) k, unnest(p.facets) f
     WHERE {COUNTED} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
    CREATE INDEX offer_search_posting_key
        ON offer_search_posting (key, status, rank DESC, name, offer_id) INCLUDE (commune_id);
END
$$""",
    """
CREATE FUNCTION offer_search_flush_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM offer_search_flush();
    RETURN NULL;
END
$$""",
    """
CREATE CONSTRAINT TRIGGER offer_search_flush AFTER INSERT ON offer_search_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION offer_search_flush_at_commit()""",
]

# Which offers a write changes, per table: (trigger name, event, transition tables, query of the offers' ids).
OFFER_IDS = {"new": "SELECT {c} FROM new_rows", "old": "SELECT {c} FROM old_rows"}
OFFER_IDS["both"] = f"{OFFER_IDS['old']} UNION {OFFER_IDS['new']}"
TYPED = "SELECT ot.offer_id FROM offer_offer_types ot JOIN {side}_rows r ON r.from_offertype_id = ot.offertype_id"
REFERENCING = {"new": "NEW TABLE AS new_rows", "old": "OLD TABLE AS old_rows"}
REFERENCING["both"] = f"{REFERENCING['old']} {REFERENCING['new']}"
SIDES = {"INSERT": "new", "UPDATE": "both", "DELETE": "old"}
MARKS = [
    (table, event, SIDES[event], OFFER_IDS[SIDES[event]].format(c=column))
    for table, column in [
        ("offer_offer", "id"),
        ("offer_offer_types", "offer_id"),
        ("offer_offer_labels", "offer_id"),
        ("offer_offer_features", "offer_id"),
    ]
    for event in SIDES
] + [
    # The type tree: offers are found by their types' ancestors and counted in their types' families.
    ("offer_offertype_ancestors", "INSERT", "new", TYPED.format(side="new")),
    ("offer_offertype_ancestors", "DELETE", "old", TYPED.format(side="old")),
    (
        "offer_offertype",
        "UPDATE",
        "both",
        """SELECT ot.offer_id FROM old_rows o
             JOIN new_rows n ON n.id = o.id AND n.is_family IS DISTINCT FROM o.is_family
             JOIN offer_offertype_ancestors a ON a.to_offertype_id = n.id
             JOIN offer_offer_types ot ON ot.offertype_id = a.from_offertype_id""",
    ),
]
TRUNCATED = ["offer_offer", "offer_offer_types", "offer_offer_labels", "offer_offer_features"]


def _marks() -> list[str]:
    statements = []
    for table, event, side, offer_ids in MARKS:
        name = f"offer_search_mark_{table}_{event.lower()}"
        statements.append(f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO offer_search_dirty SELECT DISTINCT * FROM ({offer_ids}) ids ORDER BY 1 ON CONFLICT DO NOTHING;
    IF FOUND THEN  -- one pending row per transaction: its deferred trigger flushes once, at commit
        INSERT INTO offer_search_pending VALUES (txid_current()) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$""")
        statements.append(
            f"CREATE TRIGGER offer_search_mark_{event.lower()} AFTER {event} ON {table}"
            f" REFERENCING {REFERENCING[side]} FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )
    # TRUNCATE fires no row trigger: start again from what is left (test databases are emptied this way).
    statements.append("""
CREATE FUNCTION offer_search_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM offer_search_rebuild();
    RETURN NULL;
END
$$""")
    for table in TRUNCATED:
        statements.append(
            f"CREATE TRIGGER offer_search_mark_truncate AFTER TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION offer_search_truncated()"
        )
    return statements


PG_FORWARD = [*TABLES, *FUNCTIONS, *_marks(), "SELECT offer_search_rebuild()"]
PG_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS offer_search_mark_{event.lower()} ON {table}" for table, event, _, _ in MARKS),
    *(f"DROP TRIGGER IF EXISTS offer_search_mark_truncate ON {table}" for table in TRUNCATED),
    "DROP TABLE IF EXISTS offer_search_dirty, offer_search_pending, offer_search_profile, offer_search_posting,"
    " offer_search_count",
    *(f"DROP FUNCTION IF EXISTS offer_search_mark_{table}_{event.lower()}()" for table, event, _, _ in MARKS),
    "DROP FUNCTION IF EXISTS offer_search_refresh(bigint[]), offer_search_flush(), offer_search_rebuild(),"
    " offer_search_flush_at_commit(), offer_search_truncated(), offer_search_profiles(bigint[]),"
    " offer_search_all_profiles()",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:  # not schema_editor.execute: it reads % as placeholders
            for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
                cursor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("offer", "0004_published_name_index")]

    operations = [
        migrations.RunPython(run({"postgresql": PG_FORWARD}), run({"postgresql": PG_BACKWARD})),
    ]
