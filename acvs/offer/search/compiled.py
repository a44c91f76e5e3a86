"""A search and its statements, each compiled to SQL once per shape of query rather than once per page.

Building the ORM query and compiling it cost a commune's page ~1 ms of its ~4 (issue 10: the page must stay within
1.5× its raw SQL). The SQL of a statement depends on which criteria are present, how many values each has, the
order, the statement (page, count, estimate...), the database and the total cap, never on the values themselves
(`filters.criteria` gives them, by name). So the first search of a shape compiles its statement twice: once with
placeholder values, distinct and of the same types (`_placeholders`), which tells which parameter is which value,
and once with its own values, which must then give the same SQL and the parameters rebound from the template, or
nothing is kept. Later searches of that shape rebind their values into the kept SQL text. Only SQL is kept, never
results; a search with a criterion that is not among `criteria`'s values (the offers to verify, a stay, any new one)
is compiled every time.
"""

import dataclasses
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db.models import QuerySet

from ..models import Offer
from .backends import backend, total_cap
from .filters import ORDERINGS, criteria, filtered
from .query import OfferQuery

# The query's fields whose values all go through `filters.criteria` (or the backend's text values) or the order:
# a search that sets any other field away from its default is not compiled once per shape.
REBOUND_FIELDS = frozenset(
    {"text", "types", "commune", "office", "point", "radius_km", "labels", "features", "statuses", "owner", "order"}
)
MAX_STATEMENTS = 500  # kept statements (a few KB each); past it the cache starts again
_statements: dict[tuple, "Template"] = {}
stats = {"hits": 0, "compiled": 0}  # observable by tests and the bench


@dataclasses.dataclass(frozen=True)
class Template:
    """A statement's SQL with, for each parameter, the (criterion, index) of the value it takes, or a constant."""

    sql: str
    slots: tuple[tuple[str | None, int, Any], ...]
    extra: Any

    def bind(self, values: dict[str, tuple]) -> list:
        return [values[name][i] if name is not None else constant for name, i, constant in self.slots]


class Search:
    """One search: its query, the values of its criteria, its backend and its statements."""

    def __init__(self, query: OfferQuery, using: str = "default"):
        self.query, self.using = query, using
        self.backend = backend(using)
        self.values = criteria(query, using)
        if query.has_text:
            self.values["text"] = self.backend.text_values(query.text)

    @property
    def sort(self) -> str:
        return self.query.sort

    @cached_property
    def queryset(self) -> QuerySet[Offer]:
        """The matching offers in result order, annotated with `rank` (text) and `distance_km` (around a centre)."""
        return self.build(self.values)

    def build(self, values: dict[str, tuple]) -> QuerySet[Offer]:
        types_condition = self.backend.types_condition if "text" in values else None
        qs = filtered(self.query, self.using, values, types_condition)
        if "text" in values:
            qs = self.backend.match_text(qs, values["text"])
        return qs.order_by(*ORDERINGS[self.query.sort])

    @cached_property
    def shape(self) -> tuple | None:
        """What the SQL of this search's statements depends on besides the statement; None: compile every time."""
        for field in dataclasses.fields(OfferQuery):
            if field.name not in REBOUND_FIELDS and getattr(self.query, field.name) != field.default:
                return None
        return (self.query.sort, tuple((name, len(values)) for name, values in self.values.items()))

    def statement(self, name: tuple, make: Callable[[QuerySet[Offer]], tuple[QuerySet, Any]]):
        """(sql, params, extra) of `make(queryset)` -> (queryset of the statement, extra), None when the search can
        match nothing. `name` must tell apart every statement `make` can give for the same shape of search."""
        connection = self.backend.connection
        key = None
        if self.shape is not None:
            key = (connection.alias, connection.vendor, total_cap(), name, self.shape)
            template = _statements.get(key)
            if template is not None:
                stats["hits"] += 1
                return template.sql, template.bind(self.values), template.extra
        stats["compiled"] += 1
        qs, extra = make(self.queryset)
        sql = compiled(qs)
        if sql is None:
            return None
        if key is not None:
            template = self._template(make)
            if template and (template.sql, template.bind(self.values), template.extra) == (sql[0], list(sql[1]), extra):
                if len(_statements) >= MAX_STATEMENTS:
                    _statements.clear()
                _statements[key] = template
        return sql[0], list(sql[1]), extra

    def _template(self, make) -> Template | None:
        """The statement compiled with placeholders, each parameter traced to its criterion's value."""
        placeholders = _placeholders(self.values)
        if placeholders is None:
            return None
        values, traces = placeholders
        qs, extra = make(self.build(values))
        sql = compiled(qs)
        if sql is None:
            return None
        slots = []
        for param in sql[1]:
            try:
                trace = traces.get((type(param), param))
            except TypeError:  # unhashable: a constant
                trace = None
            slots.append((*trace, None) if trace else (None, 0, param))
        return Template(sql[0], tuple(slots), extra)


def _placeholders(values: dict[str, tuple]):
    """Values of the same names, counts and types, each distinct from any other parameter of a statement, with the
    (name, index) of each; None when a value is of a type without placeholders."""
    placeholders, traces = {}, {}
    n = 0
    for name, items in values.items():
        replaced = []
        for i, value in enumerate(items):
            n += 1
            if isinstance(value, bool):
                return None
            if isinstance(value, int):
                placeholder = 2_000_000_000 - n  # an integer column's range, far from ids and constants
            elif isinstance(value, float):
                placeholder = 1e9 + n + 0.125
            elif isinstance(value, str):  # or a subclass: a choice's enum member
                placeholder = f"\x1facvs-criterion-{n}\x1f"
            else:
                return None
            replaced.append(placeholder)
            traces[(type(placeholder), placeholder)] = (name, i)
        placeholders[name] = tuple(replaced)
    return placeholders, traces


def compiled(qs: QuerySet) -> tuple[str, tuple] | None:
    """The SQL of `qs`, None when it can match nothing (e.g. a text of stop words only)."""
    try:
        return qs.query.sql_with_params()
    except EmptyResultSet:
        return None


def forget(**kwargs) -> None:
    """A setting may change what a statement is compiled to (tests change the cap, the databases)."""
    _statements.clear()


setting_changed.connect(forget)
