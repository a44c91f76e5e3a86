"""Full-text index of offers, French-aware on both databases.

PostgreSQL: to_tsvector('acvs_french', search_document), where acvs_french = unaccent + Snowball French stemmer
(migration 0002), stored in the generated column offer_offer.search_vector with a GIN index (migration 0003).
SQLite: an FTS5 table fed with the same document, stemmed in Python by the same Snowball algorithm (offer.text).
Both give: accents, case and singular/plural do not matter.
"""

from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import F, FloatField, Func, Lookup, QuerySet, Value
from django.db.models.expressions import Col, Expression, RawSQL

from .text import stems

FTS_TABLE = "offer_offer_fts"
PG_CONFIG = "acvs_french"


class FrenchVector(Func):
    """The expression the stored column search_vector is generated from (migration 0003)."""

    template = f"to_tsvector('{PG_CONFIG}'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


class StoredVector(Expression):
    """offer_offer.search_vector (PostgreSQL): FrenchVector(search_document), computed once on write by the database.

    The model does not declare the column (a generated column PostgreSQL-only); this expression names it next to
    search_document, under whatever alias the query gives the offer table (subqueries relabel it).
    """

    output_field = SearchVectorField()

    def __init__(self, document=None):
        super().__init__()
        self.document = document if document is not None else F("search_document")

    def get_source_expressions(self):
        return [self.document]

    def set_source_expressions(self, exprs):
        (self.document,) = exprs

    def as_sql(self, compiler, connection):
        col = self.document
        if not isinstance(col, Col) or col.target.column != "search_document":
            raise ValueError("StoredVector works on the offer table's search_document column only")
        return f"{compiler.quote_name(col.alias)}.{connection.ops.quote_name('search_vector')}", []


def build_document(offer) -> str:
    """The text an offer is found by: name (twice, to weigh it), types with their families, place, texts."""
    type_labels = {t.label_fr for t in offer.types.all()}
    for t in offer.types.all():
        type_labels.update(a.label_fr for a in t.ancestors.all() if a.is_family)
    parts = [
        offer.name,
        offer.name,
        " ".join(sorted(type_labels)),
        offer.commune.name if offer.commune_id else "",
        offer.provider.name if offer.provider_id else "",
        " ".join(label.name_fr for label in offer.labels.all()),
        offer.short_description_fr or "",
        offer.description_fr or "",
    ]
    return "\n".join(p for p in parts if p)


def reindex(offer_ids: Iterable[int]) -> None:
    """Rebuild the search document (and on SQLite the FTS row) of the given offers."""
    from .models import Offer

    ids = list(offer_ids)
    for start in range(0, len(ids), 500):
        chunk = (
            Offer.objects.filter(pk__in=ids[start : start + 500])
            .select_related("commune", "provider")
            .prefetch_related("types__ancestors", "labels")
        )
        offers = list(chunk)
        for offer in offers:
            offer.search_document = build_document(offer)
        Offer.objects.bulk_update(offers, ["search_document"])
        if connection.vendor == "sqlite":
            _sqlite_write(offers)


def _sqlite_write(offers) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(o.pk,) for o in offers])
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (%s, %s)",
            [(o.pk, " ".join(stems(o.search_document))) for o in offers],
        )


def _fts5_query(text: str) -> str | None:
    terms = stems(text)
    if not terms:
        return None
    return " ".join(f'"{t}"' for t in dict.fromkeys(terms))


def filter_text(qs: QuerySet, text: str) -> QuerySet:
    """Keep offers matching `text`; annotate `rank` (higher is better)."""
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=PG_CONFIG, search_type="websearch")
        # alias, not annotate: the vector is a filter, never a value to send back with each row.
        return qs.alias(fts=StoredVector()).filter(fts=query).annotate(rank=SearchRank(StoredVector(), query))
    match = _fts5_query(text)
    if match is None:  # only stop words: nothing to look for
        return qs.none().annotate(rank=Value(0.0, output_field=FloatField()))
    # The FTS5 table joins the query (one full-text scan gives the matches and their bm25), rather than a
    # correlated bm25 subquery, which re-ran the full-text query for every matching offer (40x slower).
    # bm25 is lower for better matches: negate it so that "higher rank is better" holds on both databases.
    rank = RawSQL(f"-bm25({FTS_TABLE})", [], output_field=FloatField())
    return qs.extra(tables=[FTS_TABLE]).filter(Fts5Match(match)).annotate(rank=rank)


class Fts5Match(Lookup):
    """SQLite: the FTS5 row of the offer (a table added by extra(tables=...)) matches the FTS5 query `rhs`.

    A lookup, so that SQLite takes it as a WHERE condition as it is (MATCH cannot be compared to TRUE), and the
    offer's id (`lhs`) is a resolved column that follows the table's alias when the queryset is used as a subquery.
    """

    lookup_name = "fts5_match"
    prepare_rhs = False

    def __init__(self, match: str):
        super().__init__(F("pk"), match)

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        return f"({FTS_TABLE}.rowid = {lhs_sql} AND {FTS_TABLE} MATCH %s)", [*lhs_params, self.rhs]
