"""Writing many new rows at once: `insert`, Django's `bulk_create` for tens of thousands of rows.

On PostgreSQL the rows go through COPY, their ids taken from the table's sequence beforehand: an INSERT of 2,000
rows is a statement of some 20,000 placeholders that Django compiles and psycopg parses again in Python, which was
most of a 100,000-line contact import's commit (docs/performance.md, "Contact import"). Each value is prepared by
its field as `bulk_create` prepares it (defaults, `auto_now_add`, JSON, phone numbers). Elsewhere (SQLite) it is
`bulk_create`. Like `bulk_create`, no signal is sent and no `save()` runs.
"""

from django.db import connection, models

BATCH = 2000


def insert(model: type[models.Model], objs: list[models.Model], extra: dict | None = None) -> list[models.Model]:
    """Insert `objs` (new instances of `model`); their primary keys are set on return. `extra` (PostgreSQL only):
    {column the model does not declare: its value for an object}, written in the same rows."""
    extra = extra or {}
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        if extra:
            raise ValueError("columns the model does not declare are written by COPY, on PostgreSQL only")
        return model._default_manager.bulk_create(objs, batch_size=BATCH)
    opts = model._meta
    fields = [f for f in opts.concrete_fields if f.generated is False]
    with connection.cursor() as cursor:
        unset = [obj for obj in objs if obj.pk is None]
        if unset:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [opts.db_table, opts.pk.column, len(unset)],
            )
            for obj, (pk,) in zip(unset, cursor.fetchall(), strict=True):
                obj.pk = pk
        columns = ", ".join(connection.ops.quote_name(c) for c in [*(f.column for f in fields), *extra])
        with cursor.copy(f"COPY {connection.ops.quote_name(opts.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                row = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                copy.write_row(row + [value(obj) for value in extra.values()])
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
    return objs
