"""Single-key searches on PostgreSQL, read from the search postings (migration offer/0005).

A search with one word, or one type, or nothing at all (besides statuses) is one key of offer_search_posting: its
page is a range of the index (already in result order) and its total and facets are stored counts. These are the
broadest searches, the ones that would otherwise read tens of thousands of offers. Every other search takes the
general path (selectors.offers_search). Both paths give the same offers in the same order (tests/offer).
"""

from functools import lru_cache

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models.expressions import RawSQL

from acvs.core.paginator import page_number

from .models import SearchPosting
from .search import PG_CONFIG


def single_key(query, ordering: list | None = None) -> str | None:
    """The posting key `query` reduces to: a lexeme, '#t<type id>' or '' (every offer); None if it does not.

    With `ordering` (the search's), only if the postings give that order; without, for counting (facets).
    """
    if connection.vendor != "postgresql" or not query.statuses:
        return None
    others = (query.commune, query.office, query.point, query.radius_km, query.labels, query.features, query.arrival)
    if any(others) or (query.text.strip() and query.types) or len(query.types) > 1:
        return None
    if query.types:
        return f"#t{query.types[0]}" if ordering in (None, ["name", "pk"]) else None
    if not query.text.strip():
        return "" if ordering in (None, ["name", "pk"]) else None
    if ordering not in (None, ["-rank", "name", "pk"]):
        return None
    return _lexeme(query.text)


TOTAL = "SELECT coalesce(sum(n), 0) FROM offer_search_count WHERE key = %s AND status = ANY(%s) AND facet = ''"


@lru_cache(maxsize=4096)
def _lexeme(text: str) -> str | None:
    """The one lexeme the full-text search makes of `text`, if it makes exactly one. Cached: it depends only on the
    text and the text search configuration, which only a migration changes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT numnode(q), q::text FROM websearch_to_tsquery(%s::regconfig, %s) q", [PG_CONFIG, text])
        nodes, printed = cursor.fetchone()
    if nodes != 1:  # several words, a negation, or only stop words
        return None
    # A tsquery prints an operand quoted, with quotes doubled and backslashes escaped.
    return printed[1:-1].replace("''", "'").replace("\\\\", "\\")


def _flush() -> None:
    """Index what this transaction changed. Outside a transaction, every earlier write was indexed at its commit."""
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT offer_search_flush()")


class PostingsPaginator(Paginator):
    """The offers of one key. One query reads the page from the key's index range, joined to the offers, with the
    stored total. `object_list` is the key."""

    def __init__(self, key: str, statuses, per_page: int, select_related=()):
        super().__init__(key, per_page)
        self.statuses, self.select_related = list(statuses), select_related

    def get_page(self, number, *, again=False):
        number = page_number(number)
        _flush()
        bottom = (number - 1) * self.per_page
        total = RawSQL(TOTAL, [self.object_list, self.statuses])
        hits = list(
            SearchPosting.objects.filter(key=self.object_list, status__in=self.statuses)
            .select_related("offer", *(f"offer__{name}" for name in self.select_related))
            .annotate(total=total)
            .order_by("-rank", "name", "offer_id")[bottom : bottom + self.per_page]
        )
        if not hits and number > 1 and not again:  # past the last page: the last one
            with connection.cursor() as cursor:
                cursor.execute(TOTAL, [self.object_list, self.statuses])
                self.__dict__["count"] = cursor.fetchone()[0]
            return self.get_page(self.num_pages, again=True)
        self.__dict__["count"] = hits[0].total if hits else 0  # Paginator.count is a cached property
        for hit in hits:
            hit.offer.rank = hit.rank
        return self._get_page([hit.offer for hit in hits], number, self)


def page(key: str, statuses, number, per_page: int, select_related=()) -> Page:
    return PostingsPaginator(key, statuses, per_page, select_related).get_page(number)


def facets(key: str, statuses) -> dict:
    """Facet counts of the key's offers, read from the stored counts (communes of a lexeme: from its postings)."""
    _flush()
    statuses = list(statuses)
    # Families (f), labels (l) and features (x) sort after 'd', communes (c) and the total ('') before.
    if len(statuses) == 1:
        counts = "SELECT facet, n FROM offer_search_count WHERE key = %s AND status = %s AND facet >= 'd' AND n > 0"
        params = [key, statuses[0]]
    else:
        counts = """SELECT facet, sum(n) FROM offer_search_count WHERE key = %s AND status = ANY(%s) AND facet >= 'd'
                     GROUP BY facet HAVING sum(n) > 0"""
        params = [key, statuses]
    if key and not key.startswith("#"):  # a lexeme
        communes = """SELECT commune_id, count(*) FROM offer_search_posting WHERE key = %s AND status = ANY(%s)
                       GROUP BY commune_id"""
        params += [key, statuses]
    elif len(statuses) == 1:  # the first entries of the partial index, with the ties of the twelfth
        communes = """SELECT substr(facet, 2), n FROM offer_search_count
                       WHERE key = %s AND status = %s AND facet LIKE 'c%%' AND n > 0 AND n >= coalesce(
                             (SELECT n FROM offer_search_count WHERE key = %s AND status = %s AND facet LIKE 'c%%'
                               ORDER BY n DESC OFFSET 11 LIMIT 1), 1)"""
        params += [key, statuses[0], key, statuses[0]]
    else:
        communes = """SELECT substr(facet, 2), sum(n) FROM offer_search_count
                       WHERE key = %s AND status = ANY(%s) AND facet LIKE 'c%%' GROUP BY facet HAVING sum(n) > 0"""
        params += [key, statuses]
    sql = f"""
        WITH f (facet, n) AS MATERIALIZED ({counts}), c (insee, n) AS MATERIALIZED ({communes})
        SELECT facet, n, NULL FROM f
        UNION ALL
        SELECT * FROM (  -- names looked up for the first communes only (a join would read them all)
            SELECT c.insee, c.n, (SELECT m.name FROM network_commune m WHERE m.insee = c.insee) AS name FROM c
             WHERE c.n >= coalesce((SELECT n FROM c ORDER BY n DESC OFFSET 11 LIMIT 1), 0)
             ORDER BY c.n DESC, name LIMIT 12
        ) top_communes
    """
    result = {"families": {}, "labels": {}, "features": {}, "communes": []}
    kinds = {"f": "families", "l": "labels", "x": "features"}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, n, name in cursor.fetchall():
            if name is not None:
                result["communes"].append({"commune_id": facet, "commune__name": name, "n": n})
            else:
                result[kinds[facet[0]]][int(facet[1:])] = n
    result["communes"].sort(key=lambda row: (-row["n"], row["commune__name"]))
    return result


def rebuild() -> None:
    """Re-index every offer at once (after a bulk load made with triggers off, or a change of the type tree)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT offer_search_rebuild()")
