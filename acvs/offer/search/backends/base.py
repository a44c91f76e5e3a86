"""What both databases do the same way: totals counted up to a cap, a page and its offers in one statement, facets
over the results.

A search is narrow or broad. A narrow one (up to the cap, 10,000 matches) is answered from its matches read once:
the page, the exact total and the facets. A broad one is never read whole: its page comes from an index in result
order, its total says "more than the cap" and its facets may be estimated from a sample. Counting 10,000 matches
of a word means visiting 10,000 table pages; that alone would cost more than the page target.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet

from acvs.network.models import Commune

from ...models import Offer, OfferType
from ..filters import ORDERINGS_SQL
from ..rows import OfferRows

if TYPE_CHECKING:
    from ..compiled import Search

# The offer fields each order reads besides the id and the computed values (filters.ORDERINGS_SQL).
SORT_FIELDS = {"rank": ["name"], "distance": [], "name": ["name"], "freshness": ["verified_at"]}


def total_cap() -> int:
    return settings.ACVS_SEARCH_TOTAL_CAP


@dataclass(frozen=True)
class Total:
    """Matches counted up to the cap: `count` is exact up to it, cap + 1 means "more than the cap". `estimated`:
    that "more" is the database's estimate (statistics, no count), not a count."""

    count: int
    estimated: bool = False


class SearchBackend:
    """One database's way of searching offers. Subclasses give the text match and may tell broad searches apart
    (`is_broad`) and answer them without reading every match."""

    vendor = ""
    materialized = ""  # "MATERIALIZED " where a common table expression must be computed once

    def __init__(self, connection):
        self.connection = connection

    # --- text -----------------------------------------------------------------------------------------------------

    def text_values(self, text: str) -> tuple:
        """The text as `match_text` puts it in the SQL (its criterion's values); () when it can match nothing."""
        raise NotImplementedError

    def match_text(self, qs: QuerySet[Offer], values: tuple) -> QuerySet[Offer]:
        """Keep the offers matching the text of `text_values`, annotated with `rank` (lower is a better match)."""
        raise NotImplementedError

    def write_documents(self, offers: list[Offer]) -> None:
        """Store anything besides offer.search_document that the text index reads (SQLite's FTS5 rows)."""

    def new_columns(self) -> dict:
        """What a new offer's row carries besides the model's fields (`core.bulk.insert`'s `extra`): PostgreSQL's
        search_types, from the offer's types as prefetched (the row is then not written a second time)."""
        return {}

    def write_types(self, offer_ids: list[int]) -> None:
        """Store anything the text search reads of these offers' types besides their links (PostgreSQL's
        offer_offer.search_types), from the links as they are now."""

    # The condition on the sub-types of a text search (a callable of their ids), instead of the link table's.
    types_condition = None

    # --- narrow or broad ------------------------------------------------------------------------------------------

    def is_broad(self, search: "Search") -> bool:
        """Whether the database expects well over the cap of matches (its estimate, nothing read); if it cannot
        tell, the search is narrow: read and counted up to the cap."""
        return False

    # --- pages and totals -----------------------------------------------------------------------------------------

    def head(self, search: "Search", start: int, stop: int, rows: OfferRows, *, guess: bool = True):
        """The offers of results start..stop in order, with their computed values (rank, distance) and the rows
        `rows` selects, and the Total. `guess`: whether a broad search may be told apart by estimate (False: count,
        after an estimate proved wrong)."""
        if guess and self.is_broad(search):
            return self.ordered_page(search, start, stop, rows), Total(total_cap() + 1, estimated=True)
        offers, count = self.narrow_page(search, start, stop, rows)
        if count <= total_cap():
            return offers, Total(count)
        return self.ordered_page(search, start, stop, rows), Total(count)

    def narrow_page(self, search: "Search", start: int, stop: int, rows: OfferRows):
        """One statement reads the matches once, up to the cap + 1 (ids, sort keys and computed values only), counts
        them, orders them for the page and reads the page's offers. Past the cap the page is wrong (the cap + 1 are
        any matches): the caller asks `ordered_page` instead."""
        sort = search.sort

        def matches(qs):
            computed = list(qs.query.annotation_select)
            # Only the columns the order needs: a name order then reads an index alone (offer_commune_status_name).
            fields = [name for name in SORT_FIELDS[sort] if name not in computed]
            inner = qs.order_by().values_list("pk", *fields, *computed)[: total_cap() + 1]
            return inner, (computed, ["id", *fields, *inner.query.annotation_select])

        statement = search.statement(("matches",), matches)
        if statement is None:
            return [], 0
        sql, params, (computed, columns) = statement
        matches = f"m ({', '.join(columns)}) AS {self.materialized}({sql})"
        page = f"""SELECT {", ".join([*columns, "(SELECT count(*) FROM m)"])} FROM m
                    ORDER BY {ORDERINGS_SQL[sort]} LIMIT {int(stop - start)} OFFSET {int(start)}"""
        found = self.read_page([matches], page, params, [*columns, "total"], computed, sort, rows)
        if not found:
            return [], self.count(search) if start else 0
        return [offer for offer, _values in found], found[0][1]["total"]

    def ordered_page(self, search: "Search", start: int, stop: int, rows: OfferRows) -> list[Offer]:
        """Results start..stop straight from the ordered search (an index gives the order), nothing counted."""

        def page(qs):
            computed = list(qs.query.annotation_select)
            fields = [name for name in SORT_FIELDS[search.sort] if name not in computed]
            inner = qs.values_list("pk", *fields, *computed)[start:stop]
            return inner, (computed, ["id", *fields, *inner.query.annotation_select])

        statement = search.statement(("ordered page", start, stop), page)
        if statement is None:
            return []
        sql, params, (computed, columns) = statement
        return [offer for offer, _values in self.read_page([], sql, params, columns, computed, search.sort, rows)]

    def read_page(self, ctes, page: str, params, columns: list[str], computed: list[str], sort: str, rows: OfferRows):
        """Run `page` (after the common table expressions `ctes`), whose rows are a page of results in `sort` order
        named `columns` (the id first, then the sort keys and computed values), joined to its offers' rows:
        [(offer, {column: value})] in order, each offer with the `computed` values set on it."""
        order = ", ".join(f"p.{term}" for term in ORDERINGS_SQL[sort].split(", "))
        statement = f"""
            WITH {"".join(f"{cte}, " for cte in ctes)}p ({", ".join(columns)}) AS ({page})
            SELECT {", ".join(f"p.{c}" for c in columns)}, {rows.select} FROM p {rows.joins("p.id")}
             ORDER BY {order}"""
        with self.connection.cursor() as cursor:
            cursor.execute(statement, params)
            found = cursor.fetchall()
        width = len(columns)
        page_rows = []
        for row in found:
            values = dict(zip(columns, row[:width], strict=True))
            offer = rows.build(row[width:])
            for name in computed:
                setattr(offer, name, values[name])
            page_rows.append((offer, values))
        return page_rows

    def count(self, search: "Search") -> int:
        """The matches, counted up to the cap + 1."""
        statement = search.statement(("count",), lambda qs: (qs.order_by().values("pk")[: total_cap() + 1], None))
        if statement is None:
            return 0
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({statement[0]}) capped", statement[1])
            return cursor.fetchone()[0]

    # --- facets ---------------------------------------------------------------------------------------------------

    def facets(self, search: "Search", *, guess: bool = True) -> dict:
        """Counts of the results per type family, label, feature and commune (the 12 first), exact when the search
        is narrow. Above the cap a backend may estimate them (and says so with "estimated")."""
        results = results_sql(search)
        if results is None:
            return empty_facets()
        if not (guess and self.is_broad(search)):
            sql, params, columns = results
            capped = f"{sql} LIMIT {total_cap() + 1}"
            facets = self.counted_facets(capped, params, columns)
            if facets["matches"] <= total_cap():
                return facets
        return self.broad_facets(search, results)

    def broad_facets(self, search: "Search", results: tuple[str, list, list[str]]) -> dict:
        return self.counted_facets(*results)

    def counted_facets(self, results_sql: str, params, columns: list[str], *, scale: float = 1.0) -> dict:
        """One statement: the results are computed once (a CTE), then the counts are taken over them. Four queries
        each with the search as a subquery would repeat it, and let the planner probe the type, label and feature
        tables row by row against the text filter. Counts are multiplied by `scale` (a sample's)."""
        types, ancestors = Offer.types.through._meta.db_table, OfferType.ancestors.through._meta.db_table
        labels, features = Offer.labels.through._meta.db_table, Offer.features.through._meta.db_table
        offer_type, commune = OfferType._meta.db_table, Commune._meta.db_table
        m = self.materialized
        # rt holds the results' types, joined to the type tree by index: the planner neither hashes every offer type
        # of the base against the tree nor needs a hash join (the sampled facets run without them).
        sql = f"""
            WITH r ({", ".join(columns)}) AS {m}({results_sql}),
            rt AS {m}(SELECT ot.offer_id, ot.offertype_id FROM {types} ot JOIN r ON r.id = ot.offer_id)
            SELECT 'matches', NULL, NULL, NULL, COUNT(*) FROM r
            UNION ALL
            SELECT 'families', a.to_offertype_id, NULL, NULL, COUNT(DISTINCT rt.offer_id)
              FROM rt JOIN {ancestors} a ON a.from_offertype_id = rt.offertype_id
              JOIN {offer_type} t ON t.id = a.to_offertype_id AND t.is_family = %s
             GROUP BY a.to_offertype_id
            UNION ALL
            SELECT 'labels', l.label_id, NULL, NULL, COUNT(*)
              FROM r JOIN {labels} l ON l.offer_id = r.id GROUP BY l.label_id
            UNION ALL
            SELECT 'features', f.feature_id, NULL, NULL, COUNT(*)
              FROM r JOIN {features} f ON f.offer_id = r.id GROUP BY f.feature_id
            UNION ALL
            SELECT * FROM (
                SELECT 'communes', CAST(NULL AS BIGINT), r.commune_id, c.name, COUNT(*) AS n
                  FROM r JOIN {commune} c ON c.insee = r.commune_id
                 GROUP BY r.commune_id, c.name
                 ORDER BY n DESC, c.name
                 LIMIT 12
            ) top_communes
        """
        facets = empty_facets(estimated=scale != 1.0)
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, True])
            for kind, pk, insee, name, n in cursor.fetchall():
                if kind == "matches":
                    facets["matches"] = n
                elif kind == "communes":
                    facets["communes"].append({"commune_id": insee, "commune__name": name, "n": round(n * scale)})
                else:
                    facets[kind][pk] = round(n * scale)
        facets["communes"].sort(key=lambda row: (-row["n"], row["commune__name"]))
        return facets


def results_sql(search: "Search") -> tuple[str, list, list[str]] | None:
    """SQL of the results' ids and communes, with the names of its two columns (values() orders them either way)."""

    def results(qs):
        results = qs.order_by().values("pk", "commune_id")
        return results, [{"pk": "id", "commune_id": "commune_id"}[name] for name in results.query.values_select]

    return search.statement(("results",), results)


def empty_facets(*, estimated: bool = False) -> dict:
    return {"families": {}, "labels": {}, "features": {}, "communes": [], "matches": 0, "estimated": estimated}
