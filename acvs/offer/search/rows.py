"""The page's offers read by the page's own statement: the page's ids, order and computed values, the offers' columns
and those of the rows they select (select_related) come back together, and the instances are built from them as a
queryset builds them (`Model.from_db`, the fields' converters). A second statement by primary key, its compiling and
its round trip cost as much as the search itself for a commune's page."""

from django.db.models import ForeignKey, Model
from django.db.models.expressions import Col

from ..models import Offer

OFFER_ALIAS = "o"
LAYOUTS = "acvs_offer_rows"  # attribute of a connection: its OfferRows by (select_related, only)


class OfferRows:
    """The columns of the page's offers (`only`: these fields, all by default) and of the foreign keys they select.

    `select` is the SQL list of those columns and `joins(id_sql)` the joins that read them for the offer whose id is
    `id_sql`; `build(values)` makes the offer from the values, in that order.
    """

    @classmethod
    def of(cls, connection, *, select_related: tuple = (), only: tuple = ()) -> "OfferRows":
        """The layout of these rows on this connection, computed once (the fields' converters take ~0.1 ms)."""
        layouts = connection.__dict__.setdefault(LAYOUTS, {})
        key = (select_related, only)
        if key not in layouts:
            layouts[key] = cls(connection, select_related=select_related, only=only)
        return layouts[key]

    def __init__(self, connection, *, select_related=(), only=()):
        self.connection = connection
        quote = connection.ops.quote_name
        for name in only:
            Offer._meta.get_field(name)  # an unknown name raises, as only() does
        wanted = {*only, *select_related} if only else None
        fields = [
            f
            for f in Offer._meta.concrete_fields
            if wanted is None or f.primary_key or f.name in wanted or f.attname in wanted
        ]
        self.parts = [_Part(Offer, fields, OFFER_ALIAS, connection)]
        self._joins = [f"JOIN {quote(Offer._meta.db_table)} {OFFER_ALIAS} ON {OFFER_ALIAS}.{quote('id')} = {{id}}"]
        self.related = []
        for i, name in enumerate(select_related):
            field = Offer._meta.get_field(name)
            if not isinstance(field, ForeignKey):
                raise ValueError(f"select_related: {name} is not a foreign key of the offer")
            alias, model = f"r{i}", field.related_model
            self.parts.append(_Part(model, model._meta.concrete_fields, alias, connection))
            join = "LEFT OUTER JOIN" if field.null else "JOIN"
            self._joins.append(
                f"{join} {quote(model._meta.db_table)} {alias}"
                f" ON {alias}.{quote(field.target_field.column)} = {OFFER_ALIAS}.{quote(field.column)}"
            )
            self.related.append(field)
        self.select = ", ".join(column for part in self.parts for column in part.columns)
        self.width = sum(len(part.columns) for part in self.parts)

    def joins(self, id_sql: str) -> str:
        return " ".join(join.format(id=id_sql) for join in self._joins)

    def build(self, values) -> Offer:
        db = self.connection.alias
        offer_part, *related_parts = self.parts
        start = len(offer_part.columns)
        offer = offer_part.build(db, values[:start])
        for field, part in zip(self.related, related_parts, strict=True):
            stop = start + len(part.columns)
            field.set_cached_value(offer, part.build(db, values[start:stop]))
            start = stop
        return offer


class _Part:
    """One model's columns in the statement, and its instance built from their values (None for a NULL key)."""

    def __init__(self, model: type[Model], fields, alias: str, connection):
        self.model, self.connection = model, connection
        quote = connection.ops.quote_name
        self.columns = [f"{alias}.{quote(f.column)}" for f in fields]
        self.attnames = [f.attname for f in fields]
        self.pk_index = next(i for i, f in enumerate(fields) if f.primary_key)
        # What the queryset's compiler applies to each value read (SQLite's dates and booleans, JSON fields...).
        self.converters = []
        for i, f in enumerate(fields):
            col = Col(alias, f)
            functions = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if functions:
                self.converters.append((i, col, functions))

    def build(self, db: str, values) -> Model | None:
        if values[self.pk_index] is None:
            return None
        if self.converters:
            values = list(values)
            for i, col, functions in self.converters:
                for convert in functions:
                    values[i] = convert(values[i], col, self.connection)
        return self.model.from_db(db, self.attnames, values)
