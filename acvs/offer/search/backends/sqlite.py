"""SQLite: an FTS5 table (migration offer/0002) holds each offer's document stemmed in Python by the Snowball
French stemmer that PostgreSQL's configuration uses (offer.text), so both databases match the same words."""

from django.db.models import F, FloatField, Lookup, QuerySet, Value
from django.db.models.expressions import RawSQL

from ...models import Offer
from ...text import stems
from .base import SearchBackend

FTS_TABLE = "offer_offer_fts"


def fts5_query(text: str) -> str | None:
    """Every stemmed word of `text`, quoted (FTS5 syntax is not the user's); None when only stop words remain."""
    terms = stems(text)
    if not terms:
        return None
    return " ".join(f'"{t}"' for t in dict.fromkeys(terms))


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def text_values(self, text: str) -> tuple:
        match = fts5_query(text)
        return () if match is None else (match,)

    def match_text(self, qs: QuerySet[Offer], values: tuple) -> QuerySet[Offer]:
        if not values:  # only stop words: nothing to look for
            return qs.none().annotate(rank=Value(0.0, output_field=FloatField()))
        (match,) = values
        # The FTS5 table joins the query (one full-text scan gives the matches and their bm25), rather than a
        # correlated bm25 subquery, which re-ran the full-text query for every matching offer (40x slower).
        # bm25() is lower for better matches, as PostgreSQL's RUM distance.
        rank = RawSQL(f"bm25({FTS_TABLE})", [], output_field=FloatField())
        return qs.extra(tables=[FTS_TABLE]).filter(Fts5Match(match)).annotate(rank=rank)

    def write_documents(self, offers: list[Offer]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(o.pk,) for o in offers])
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (%s, %s)",
                [(o.pk, " ".join(stems(o.search_document))) for o in offers],
            )


class Fts5Match(Lookup):
    """The FTS5 row of the offer (a table added by extra(tables=...)) matches the FTS5 query `rhs`.

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
