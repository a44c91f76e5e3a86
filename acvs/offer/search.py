"""Full-text index of offers, French-aware on both databases.

PostgreSQL: a GIN index on to_tsvector('acvs_french', search_document), where acvs_french = unaccent + Snowball
French stemmer (created by migration 0002). SQLite: an FTS5 table fed with the same document, stemmed in Python
by the same Snowball algorithm (offer.text). Both give: accents, case and singular/plural do not matter.
"""

from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import F, FloatField, Func, QuerySet
from django.db.models.expressions import RawSQL

from .text import stems

FTS_TABLE = "offer_offer_fts"
PG_CONFIG = "acvs_french"


class FrenchVector(Func):
    """Must stay identical to the expression of the GIN index created in migration 0002."""

    template = f"to_tsvector('{PG_CONFIG}'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


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
        vector = FrenchVector(F("search_document"))
        return qs.annotate(fts=vector).filter(fts=query).annotate(rank=SearchRank(vector, query))
    match = _fts5_query(text)
    if match is None:
        return qs.none()
    # bm25 is lower for better matches: negate it so that "higher rank is better" holds on both databases.
    rank = RawSQL(
        f"(SELECT -bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid = offer_offer.id)",
        [match],
        output_field=FloatField(),
    )
    ids = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
    return qs.filter(pk__in=ids).annotate(rank=rank)
