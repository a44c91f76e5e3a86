"""PostgreSQL: `search_vector` (a generated column, to_tsvector('acvs_french', search_document), migration 0003) with
a GIN index (the matches of a filter, `@@`) and a RUM index (migration 0008): `<=>`, RUM's relevance distance computed
from the positions stored in the index, orders the matches, so the first page of a common word is read in order from
the index."""

import json
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import transaction
from django.db.models import BigIntegerField, BooleanField, F, FloatField, QuerySet
from django.db.models.expressions import Col, Expression

from ...models import Offer
from ..filters import ORDERINGS_SQL
from ..rows import OfferRows
from .base import SearchBackend

if TYPE_CHECKING:
    from ..compiled import Search

PG_CONFIG = "acvs_french"
# The offer table as the results' SQL names it at its top level (subqueries give their tables aliases).
OFFER_TABLE = re.compile(r'FROM "offer_offer"(?=[\s)])')
# A search is broad when the planner expects more than this many times the cap. A text with a type filters on the
# offers' type ids column (TypesOverlap), whose statistics give estimates within 1-11% of the real matches at 512,000
# offers («plage» + Hébergement 11,521 / 10,917, + Restauration 6,713 / 6,067); a single word's are within 1-4%.
# With the link table's EXISTS they were 1.16-1.21 times the real matches and the factor was 1.2; at 1.2 now,
# «plage» + Hébergement would be counted (11,521 expected) and then read again in RUM order (docs/performance.md).
BROAD_FACTOR = 1.0
# The type ids of offers, from their links, written where they changed (an unchanged row is not written again).
TYPES_UPDATE = """
    UPDATE offer_offer o SET search_types = t.ids
      FROM (SELECT o2.id, ARRAY(SELECT ot.offertype_id FROM offer_offer_types ot WHERE ot.offer_id = o2.id
                                 ORDER BY ot.offertype_id) AS ids
              FROM offer_offer o2 WHERE o2.id = ANY(%s)) t
     WHERE o.id = t.id AND o.search_types IS DISTINCT FROM t.ids"""
# Matches of a text read to estimate the share of a type among them (sampled_estimate): a few hundred table pages.
TYPE_SAMPLE = 300
# ...when the planner expects more than this share of the cap (below, counting costs little, and an estimate is
# rarely wrong by five times).
SAMPLE_FLOOR = 0.2
# A facet sample reads at least this many offers (a few hundred table pages).
MIN_SAMPLE_ROWS = 2_000


class StoredColumn(Expression):
    """A column of offer_offer the model does not declare (PostgreSQL only: the generated search_vector, the
    search_types the re-indexing keeps), under whatever alias the query gives the offer table (subqueries relabel
    it): named next to search_document, which the model declares."""

    def __init__(self, column: str, output_field, document=None):
        super().__init__(output_field=output_field)
        self.column = column
        self.document = document if document is not None else F("search_document")

    def get_source_expressions(self):
        return [self.document]

    def set_source_expressions(self, exprs):
        (self.document,) = exprs

    def as_sql(self, compiler, connection):
        col = self.document
        if not isinstance(col, Col) or col.target.column != "search_document":
            raise ValueError(f"{self.column} is read beside the offer table's search_document column only")
        return f"{compiler.quote_name(col.alias)}.{connection.ops.quote_name(self.column)}", []


def stored_vector() -> StoredColumn:
    return StoredColumn("search_vector", SearchVectorField())


class RumDistance(Expression):
    """`vector <=> query`: RUM's relevance distance (1 / its rank; lower is better), an ORDER BY the index answers."""

    output_field = FloatField()

    def __init__(self, vector, query):
        super().__init__()
        self.vector, self.query = vector, query

    def get_source_expressions(self):
        return [self.vector, self.query]

    def set_source_expressions(self, exprs):
        self.vector, self.query = exprs

    def as_sql(self, compiler, connection):
        vector_sql, vector_params = compiler.compile(self.vector)
        query_sql, query_params = compiler.compile(self.query)
        return f"({vector_sql} <=> {query_sql})", [*vector_params, *query_params]


class TypesOverlap(Expression):
    """`offer_offer.search_types && ARRAY[ids]`: the offer has one of these types (the column, kept by the
    re-indexing, holds its type ids; migration 0011). Its GIN index combines with the text's in a bitmap (BitmapAnd),
    so counting a text with a broad type reads from the table the real matches only, not every match of the word."""

    output_field = BooleanField()

    def __init__(self, type_ids, types=None):
        super().__init__()
        self.type_ids = tuple(type_ids)
        self.types = types if types is not None else StoredColumn("search_types", ArrayField(BigIntegerField()))

    def get_source_expressions(self):
        return [self.types]

    def set_source_expressions(self, exprs):
        (self.types,) = exprs

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.types)
        placeholders = ", ".join("%s" for _ in self.type_ids)
        return f"{column} && ARRAY[{placeholders}]::bigint[]", [*params, *self.type_ids]


class PostgresBackend(SearchBackend):
    vendor = "postgresql"
    materialized = "MATERIALIZED "

    def __init__(self, connection):
        super().__init__(connection)
        self.estimates = {}

    def text_values(self, text: str) -> tuple:
        return (text,)

    def types_condition(self, type_ids) -> TypesOverlap:
        return TypesOverlap(type_ids)

    def new_columns(self) -> dict:
        return {"search_types": lambda offer: sorted(t.pk for t in offer.types.all())}  # as TYPES_UPDATE orders them

    def write_types(self, offer_ids: list[int]) -> None:
        if not offer_ids:
            return
        with self.connection.cursor() as cursor:
            cursor.execute(TYPES_UPDATE, [list(offer_ids)])

    def match_text(self, qs: QuerySet[Offer], values: tuple) -> QuerySet[Offer]:
        (text,) = values
        query = SearchQuery(text, config=PG_CONFIG, search_type="websearch")
        # alias, not annotate: the vector is a filter, never a value to send back with each row.
        return qs.alias(fts=stored_vector()).filter(fts=query).annotate(rank=RumDistance(stored_vector(), query))

    def estimate(self, search: "Search") -> int:
        """The planner's estimate of the matches (its statistics: the words' frequencies, the types' offers...)."""
        sql = search.statement(("ids",), lambda qs: (qs.order_by().values("pk"), None))
        if sql is None:
            return 0
        key = (sql[0], tuple(map(str, sql[1])))
        if key not in self.estimates:  # asked again by the same page or facets: planned once
            with self.connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql[0]}", sql[1])
                plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            self.estimates[key] = int(plan[0]["Plan"]["Plan Rows"])
        return self.estimates[key]

    def is_broad(self, search: "Search") -> bool:
        """Broad when the planner expects over the cap (BROAD_FACTOR times): a single word's estimate comes from the
        frequencies ANALYZE sampled and is within a few percent at these sizes. A search it underestimates is
        counted (the narrow path finds out and still answers right)."""
        cap = settings.ACVS_SEARCH_TOTAL_CAP
        expected = self.estimate(search)
        if expected > BROAD_FACTOR * cap:
            return True
        return expected > SAMPLE_FLOOR * cap and self.sampled_estimate(search) > BROAD_FACTOR * cap

    def sampled_estimate(self, search: "Search") -> int:
        """The matches of a text with a type, as the planner expects the text's times the share of the type among
        the first TYPE_SAMPLE matches of the text (in table order): 0 when not sampled. The planner takes the word
        and the type as independent, which they seldom are (hotels are accommodation: «hôtel» + Hébergement has
        25,774 matches, the planner expects 6,382), and counting them up to the cap then costs 0.1-0.2 s at
        512,000 offers where the page alone, read in RUM order, costs 15-35 ms. Only for a text with types (and
        statuses), whose text alone is expected over the cap: otherwise its matches are counted at no great cost."""
        values = search.values
        if not {"text", "subtypes"} <= set(values) or not set(values) <= {"text", "subtypes", "statuses"}:
            return 0
        statuses = list(values.get("statuses", ()))
        where = "status = ANY(%s) AND " if statuses else ""
        text = f"SELECT search_types FROM offer_offer WHERE {where}search_vector @@ websearch_to_tsquery(%s, %s)"
        params = [*([statuses] if statuses else []), PG_CONFIG, values["text"][0]]
        key = ("sampled", text, tuple(map(str, params)), values["subtypes"])
        if key not in self.estimates:
            with self.connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {text}", params)
                plan = cursor.fetchone()[0]
                expected = int((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"])
                self.estimates[key] = 0
                if expected > BROAD_FACTOR * settings.ACVS_SEARCH_TOTAL_CAP:
                    cursor.execute(
                        f"""SELECT count(*), count(*) FILTER (WHERE search_types && %s::bigint[])
                              FROM ({text} LIMIT {TYPE_SAMPLE}) sample""",
                        [list(values["subtypes"]), *params],
                    )
                    sampled, typed = cursor.fetchone()
                    if sampled == TYPE_SAMPLE:  # fewer: the text has fewer matches than sampled, all counted
                        self.estimates[key] = expected * typed // sampled
        return self.estimates[key]

    def ordered_page(self, search: "Search", start: int, stop: int, rows: OfferRows) -> list[Offer]:
        """By relevance, RUM gives the matches in distance order only. Many offers share a distance (a word found
        as often), so the first `stop` by distance are read from the index with every offer tied with the last of
        them (FETCH FIRST ... WITH TIES), then ordered by distance, name and id: the total order every other plan
        gives, so pages never overlap; read from the few rows of the tie instead of every match."""
        sort = search.sort
        if sort != "rank":
            return super().ordered_page(search, start, stop, rows)

        def by_distance(qs):
            computed = list(qs.query.annotation_select)
            inner = qs.order_by("rank").values_list("pk", "name", *computed)
            return inner, (computed, ["id", "name", *inner.query.annotation_select])

        statement = search.statement(("by distance",), by_distance)
        if statement is None:
            return []
        sql, params, (computed, columns) = statement
        hits = f"hits ({', '.join(columns)}) AS MATERIALIZED ({sql} FETCH FIRST {int(stop)} ROWS WITH TIES)"
        page = f"""SELECT {", ".join(columns)} FROM hits
                    ORDER BY {ORDERINGS_SQL["rank"]} LIMIT {int(stop - start)} OFFSET {int(start)}"""
        return [offer for offer, _values in self.read_page([hits], page, params, columns, computed, sort, rows)]

    def broad_facets(self, search: "Search", results: tuple[str, list, list[str]]) -> dict:
        """Counted over a sample of the table's pages (TABLESAMPLE SYSTEM, a fixed seed so that the same search
        gives the same figures) and scaled up: counting 100,000 offers' types, labels and features exactly takes
        seconds. The sample is sized to hold about ACVS_SEARCH_FACET_SAMPLE matches by the planner's estimate."""
        sql, params, columns = results
        percent = self._sample_percent(self.estimate(search))
        if percent >= 100 or len(OFFER_TABLE.findall(sql)) != 1:
            return super().broad_facets(search, results)
        sampled = OFFER_TABLE.sub(f'FROM "offer_offer" TABLESAMPLE SYSTEM ({percent:.6f}) REPEATABLE (0)', sql)
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            # A few thousand sampled offers: probe their types, labels and features by index rather than hash
            # every offer's (the planner's choice for the type filter, 0.1 s).
            cursor.execute(
                "SELECT set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)"
            )
            return self.counted_facets(sampled, params, columns, scale=100 / percent)

    def _sample_percent(self, expected: int) -> float:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'offer_offer'::regclass")
            rows = cursor.fetchone()[0]
        if rows <= 0 or expected <= 0:  # never analysed: no estimate of the table's size
            return 100.0
        fraction = settings.ACVS_SEARCH_FACET_SAMPLE / min(expected, rows)
        return min(100.0, 100.0 * max(fraction, MIN_SAMPLE_ROWS / rows))
