"""The fixed searches, each as the application runs it (selectors) and as hand-written SQL (the floor).

A page case times what a results page does on the server: the first 20 offers with their commune, then the total.
A facet case times offer_facets() on a broad result set. The raw SQL must give the same ids, count and facets:
`Case.check` asserts it before anything is timed.
"""

import math
from dataclasses import dataclass
from typing import Any

from django.db import connection

from acvs.core.paginator import OneQueryPaginator
from acvs.network.models import Commune, Office
from acvs.offer import postings, search
from acvs.offer.models import OfferType
from acvs.offer.selectors import EARTH_RADIUS_KM, OfferQuery, _counted_facets, offer_facets, offers_search, search_page

PAGE_SIZE = 20


@dataclass
class Case:
    key: str
    title: str
    kind: str  # "page" or "facets"
    query: OfferQuery
    sql: list[tuple[str, list]]  # page: [the page with the total, COUNT(*) OVER ()]; facets: [one statement]

    # --- the application ---------------------------------------------------------------------------------------

    def run_orm(self) -> Any:
        if self.kind == "facets":
            return offer_facets(self.query)
        # As the search page does.
        page = search_page(self.query, 1, PAGE_SIZE, select_related=("commune",))
        return [o.pk for o in page], page.paginator.count

    def run_general(self) -> Any:
        """The general path (no postings), which a single-key search must agree with."""
        qs = offers_search(self.query)
        if self.kind == "facets":
            return _counted_facets(qs)
        page = OneQueryPaginator(qs.select_related("commune"), PAGE_SIZE).get_page(1)
        return [o.pk for o in page], page.paginator.count

    # --- the floor ---------------------------------------------------------------------------------------------

    def run_raw(self) -> Any:
        with connection.cursor() as cursor:
            if self.kind == "facets":
                cursor.execute(*self.sql[0])
                return _facets_from_rows(cursor.fetchall())
            cursor.execute(*self.sql[0])
            page = cursor.fetchall()
            return [row[0] for row in page], page[0][-1] if page else 0

    def check(self) -> int:
        """Assert that both ways give the same answer; return the number of matching offers."""
        orm, raw = self.run_orm(), self.run_raw()
        general = self.run_general() if postings.single_key(self.query) is not None else orm
        if self.kind == "facets":
            assert _comparable_facets(orm) == _comparable_facets(raw), f"{self.key}: facets differ"
            assert _comparable_facets(orm) == _comparable_facets(general), f"{self.key}: postings != general"
            return offers_search(self.query).count()
        assert orm == general, f"{self.key}: postings {orm} != general {general}"
        assert orm == raw, f"{self.key}: ORM {orm} != raw SQL {raw}"
        assert len(orm[0]) == min(PAGE_SIZE, orm[1]), f"{self.key}: short page"
        return orm[1]


def _facets_from_rows(rows) -> dict:
    facets = {"families": {}, "labels": {}, "features": {}, "communes": []}
    for kind, key, name, n in rows:
        if kind == "commune":
            facets["communes"].append({"commune_id": key, "commune__name": name, "n": n})
        else:
            facets[kind][int(key)] = n
    facets["communes"].sort(key=lambda row: (-row["n"], row["commune__name"]))
    return facets


def _comparable_facets(facets: dict):
    # Communes tied on count and name may come in either order; their counts and set must match.
    communes = facets["communes"]
    return (
        facets["families"],
        facets["labels"],
        facets["features"],
        [row["n"] for row in communes],
        sorted((row["commune_id"], row["commune__name"], row["n"]) for row in communes),
    )


# --- hand-written SQL ------------------------------------------------------------------------------------------

COLUMNS = "o.*, c.*"
FROM = "offer_offer o JOIN network_commune c ON c.insee = o.commune_id"


class Sql:
    """Builds WHERE clauses and ordering for one vendor, with the same semantics as selectors.offers_search."""

    def __init__(self):
        self.pg = connection.vendor == "postgresql"
        self.where: list[str] = []
        self.params: list = []
        self.rank: str | None = None
        self.rank_params: list = []
        self.fts_join = ""
        self.distance: str | None = None
        self.distance_params: list = []

    def status(self, statuses=("published",)):
        self.where.append(f"o.status IN ({', '.join('%s' for _ in statuses)})")
        self.params += list(statuses)
        return self

    def types(self, type_ids):
        self.where.append(
            "EXISTS (SELECT 1 FROM offer_offer_types ot JOIN offer_offertype_ancestors a"
            " ON a.from_offertype_id = ot.offertype_id"
            f" WHERE ot.offer_id = o.id AND a.to_offertype_id IN ({', '.join('%s' for _ in type_ids)}))"
        )
        self.params += list(type_ids)
        return self

    def commune(self, insee):
        self.where.append("o.commune_id = %s")
        self.params.append(insee)
        return self

    def territory(self, office_id):
        self.where.append("o.commune_id IN (SELECT commune_id FROM network_office_territory WHERE office_id = %s)")
        self.params.append(office_id)
        return self

    def radius(self, lat, lon, km):
        dlat = km / 111.2
        dlon = km / (111.2 * max(math.cos(math.radians(lat)), 0.01))
        self.where.append("o.latitude BETWEEN %s AND %s AND o.longitude BETWEEN %s AND %s")
        self.params += [lat - dlat, lat + dlat, lon - dlon, lon + dlon]
        self.distance = (
            f"(2 * {EARTH_RADIUS_KM} * ASIN(SQRT(POWER(SIN((RADIANS(o.latitude) - %s) / 2), 2)"
            " + %s * COS(RADIANS(o.latitude)) * POWER(SIN((RADIANS(o.longitude) - %s) / 2), 2))))"
        )
        self.distance_params = [math.radians(lat), math.cos(math.radians(lat)), math.radians(lon)]
        self.where.append(f"{self.distance} <= %s")
        self.params += [*self.distance_params, km]
        return self

    def text(self, text):
        if self.pg:
            vector = "o.search_vector"  # the stored to_tsvector('acvs_french', search_document), migration 0003
            query = "websearch_to_tsquery('acvs_french'::regconfig, %s)"
            self.where.append(f"{vector} @@ {query}")
            self.params.append(text)
            self.rank = f"ts_rank({vector}, {query})"
            self.rank_params = [text]
        else:
            self.fts_join = f" JOIN {search.FTS_TABLE} ON {search.FTS_TABLE}.rowid = o.id"
            self.where.append(f"{search.FTS_TABLE} MATCH %s")
            self.params.append(search._fts5_query(text))
            self.rank = f"-bm25({search.FTS_TABLE})"
        return self

    def _where(self) -> str:
        return " AND ".join(self.where) or "TRUE"

    def page(self) -> tuple[str, list]:
        if self.rank:
            key, key_params, tie = f"{self.rank} DESC", self.rank_params, "name, "
        elif self.distance:
            key, key_params, tie = self.distance, self.distance_params, ""
        else:
            key, key_params, tie = "o.name", [], ""
        if not self.pg:  # SQLite: FTS5's bm25() cannot sit beside a window function, the total is counted apart
            total = f"SELECT count(*) FROM offer_offer o{self.fts_join} WHERE {self._where()}"
            sql = (
                f"SELECT {COLUMNS}, ({total}) FROM {FROM}{self.fts_join} WHERE {self._where()}"
                f" ORDER BY {key}, {tie and 'o.'}{tie}o.id LIMIT {PAGE_SIZE}"
            )
            return sql, [*self.params, *self.params, *key_params]
        # Ids first: the page's ids, sort keys and the total in one scan, then the 20 rows by primary key.
        direction = " DESC" if self.rank else ""
        sql = f"""
            WITH page AS MATERIALIZED (
                SELECT o.id, {key.removesuffix(" DESC")} AS k, o.name, count(*) OVER () AS total FROM offer_offer o
                 WHERE {self._where()} ORDER BY k{direction}, {tie}id LIMIT {PAGE_SIZE})
            SELECT {COLUMNS}, page.total
              FROM page JOIN offer_offer o ON o.id = page.id JOIN network_commune c ON c.insee = o.commune_id
             ORDER BY page.k{direction}, {tie and "page."}{tie}page.id"""
        return sql, [*key_params, *self.params]

    def facets(self) -> tuple[str, list]:
        """One statement: the result set once, then the four aggregates over it."""
        key = "CAST({} AS TEXT)"
        mat = "MATERIALIZED " if self.pg else ""
        sql = f"""
            WITH r AS {mat}(SELECT o.id, o.commune_id FROM offer_offer o{self.fts_join} WHERE {self._where()}),
            fam AS {mat}(SELECT a.from_offertype_id AS type_id, a.to_offertype_id AS family_id
                           FROM offer_offertype_ancestors a JOIN offer_offertype t ON t.id = a.to_offertype_id
                          WHERE t.is_family),
            rt AS {mat}(SELECT ot.offer_id, ot.offertype_id FROM offer_offer_types ot JOIN r ON r.id = ot.offer_id)
            SELECT 'families', {key.format("fam.family_id")}, NULL, count(DISTINCT rt.offer_id)
              FROM rt JOIN fam ON fam.type_id = rt.offertype_id GROUP BY fam.family_id
            UNION ALL
            SELECT 'labels', {key.format("l.label_id")}, NULL, count(*)
              FROM r JOIN offer_offer_labels l ON l.offer_id = r.id GROUP BY l.label_id
            UNION ALL
            SELECT 'features', {key.format("f.feature_id")}, NULL, count(*)
              FROM r JOIN offer_offer_features f ON f.offer_id = r.id GROUP BY f.feature_id
            UNION ALL
            SELECT * FROM (
              SELECT 'commune', r.commune_id, c.name, count(*) AS n
                FROM r JOIN network_commune c ON c.insee = r.commune_id
               GROUP BY r.commune_id, c.name ORDER BY n DESC, c.name LIMIT 12) top
        """
        return sql, list(self.params)


# A one-word or one-type search, as hand-written SQL over the search postings (PostgreSQL, migration offer/0005).
WORD_KEY = "(SELECT trim(both '''' from q::text) FROM websearch_to_tsquery('acvs_french'::regconfig, %s) q)"
TYPE_KEY = "('#t' || %s)"


def posting_page(key: str, param) -> tuple[str, list]:
    sql = f"""
        SELECT {COLUMNS}, (SELECT sum(n) FROM offer_search_count
                            WHERE key = {key} AND status = 'published' AND facet = '')
          FROM (SELECT offer_id, rank, name FROM offer_search_posting WHERE key = {key} AND status = 'published'
                 ORDER BY rank DESC, name, offer_id LIMIT {PAGE_SIZE}) p
          JOIN offer_offer o ON o.id = p.offer_id JOIN network_commune c ON c.insee = o.commune_id
         ORDER BY p.rank DESC, p.name, p.offer_id"""
    return sql, [param, param]


def posting_facets(key: str, param, *, word: bool) -> tuple[str, list]:
    if word:  # a word's communes are counted from its postings
        communes = f"""SELECT commune_id, count(*) FROM offer_search_posting
                        WHERE key = {key} AND status = 'published' GROUP BY commune_id"""
    else:  # the twelve largest counts (and the ties of the twelfth), from the partial index
        communes = f"""SELECT substr(facet, 2), n FROM offer_search_count
                        WHERE key = {key} AND status = 'published' AND facet LIKE 'c%%' AND n >= coalesce(
                              (SELECT n FROM offer_search_count WHERE key = {key} AND status = 'published'
                                  AND facet LIKE 'c%%' ORDER BY n DESC OFFSET 11 LIMIT 1), 1)"""
    sql = f"""
        WITH f AS (SELECT facet, n FROM offer_search_count
                    WHERE key = {key} AND status = 'published' AND facet >= 'd' AND n > 0),
        c (insee, n) AS ({communes})
        SELECT CASE left(facet, 1) WHEN 'f' THEN 'families' WHEN 'l' THEN 'labels' ELSE 'features' END,
               substr(facet, 2), NULL, n
          FROM f WHERE left(facet, 1) IN ('f', 'l', 'x')
        UNION ALL
        SELECT * FROM (SELECT 'commune', c.insee, (SELECT name FROM network_commune WHERE insee = c.insee) AS name, c.n
                         FROM c WHERE c.n >= coalesce((SELECT n FROM c ORDER BY n DESC OFFSET 11 LIMIT 1), 0)
                        ORDER BY c.n DESC, name LIMIT 12) top"""
    return sql, [param, param] if word else [param, param, param]


def build_cases() -> list[Case]:
    types = dict(OfferType.objects.filter(code__in=["Accommodation", "NaturalHeritage"]).values_list("code", "pk"))
    marseille = Commune.objects.get(insee="13055")
    cavalaire = Commune.objects.get(insee="83036")
    cases = []

    def page(key, title, query, sql):
        cases.append(Case(key, title, "page", query, [sql.page()]))

    pg = connection.vendor == "postgresql"
    for key, text in [("text", "camping"), ("text_two_words", "hôtel piscine"), ("text_plural", "hotels")]:
        sql = Sql().status().text(text).page()
        if pg and " " not in text:
            sql = posting_page(WORD_KEY, text)
        cases.append(Case(key, f"text «{text}»", "page", OfferQuery(text=text), [sql]))
    acc = types["Accommodation"]
    page(
        "type_commune",
        "Hébergement + Marseille",
        OfferQuery(types=(acc,), commune=marseille),
        Sql().status().types([acc]).commune(marseille.insee),
    )
    var = Office.objects.filter(territory__insee="83036").order_by("pk").first()  # the Var's office
    page(
        "type_territory",
        "Hébergement in the Var office's territory",
        OfferQuery(types=(acc,), office=var),
        Sql().status().types([acc]).territory(var.pk),
    )
    nat = types["NaturalHeritage"]
    page(
        "text_type_radius",
        "«plage» + Patrimoine naturel, 10 km of Cavalaire",
        OfferQuery(text="plage", types=(nat,), commune=cavalaire, radius_km=10),
        Sql().status().types([nat]).radius(cavalaire.latitude, cavalaire.longitude, 10).text("plage"),
    )
    cases.append(
        Case(
            "facets_text",
            "facets of «plage»",
            "facets",
            OfferQuery(text="plage"),
            [posting_facets(WORD_KEY, "plage", word=True) if pg else Sql().status().text("plage").facets()],
        )
    )
    cases.append(
        Case(
            "facets_type",
            "facets of Hébergement",
            "facets",
            OfferQuery(types=(acc,)),
            [posting_facets(TYPE_KEY, acc, word=False) if pg else Sql().status().types([acc]).facets()],
        )
    )
    return cases
