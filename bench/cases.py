"""The fixed searches, each as the application runs it (acvs.offer.search) and as hand-written SQL of the same plan
(the floor).

A page case times what a results page does on the server: the first 20 offers with their commune and the total
(counted up to the cap, or "more than the cap" for a broad search). A facet case times offer_facets(). The raw SQL
runs the same statements as the application, written by hand and with the offers joined in the same statement:
the planner's estimate first on PostgreSQL, then, for a narrow search, its matches read once (ids and sort keys) and
counted, for a broad one the page straight from the ordered index (RUM by relevance, with the ties of the last row).
`Case.check` asserts that both give the same answer, and that the page equals the full order's first 20, before
anything is timed.
"""

import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from acvs.network.models import Commune, Office
from acvs.offer.models import OfferType
from acvs.offer.search import OfferQuery, offer_facets, offers_search, search_page
from acvs.offer.search.backends.postgres import BROAD_FACTOR, MIN_SAMPLE_ROWS
from acvs.offer.search.backends.sqlite import FTS_TABLE, fts5_query
from acvs.offer.search.filters import EARTH_RADIUS_KM
from acvs.offer.views import RESULT_FIELDS

PAGE_SIZE = 20


@dataclass
class Case:
    key: str
    title: str
    kind: str  # "page" or "facets"
    query: OfferQuery
    sql: "Sql"

    # --- the application ---------------------------------------------------------------------------------------

    def run_orm(self) -> Any:
        if self.kind == "facets":
            return offer_facets(self.query)
        # As the search page does.
        page = search_page(self.query, 1, PAGE_SIZE, select_related=("commune",), only=RESULT_FIELDS)
        return [o.pk for o in page], page.paginator.count, page.paginator.capped

    # --- the floor ---------------------------------------------------------------------------------------------

    def run_raw(self) -> Any:
        return self.sql.run_facets() if self.kind == "facets" else self.sql.run_page()

    def check(self) -> int:
        """Assert that both ways give the same answer; return the number of matching offers (capped)."""
        orm, raw = self.run_orm(), self.run_raw()
        if self.kind == "facets":
            assert _comparable_facets(orm) == _comparable_facets(raw), f"{self.key}: facets differ"
            return offers_search(self.query).count()
        assert orm == raw, f"{self.key}: ORM {orm} != raw SQL {raw}"
        full = list(offers_search(self.query).values_list("pk", flat=True)[:PAGE_SIZE])  # one sort of every match
        assert orm[0] == full, f"{self.key}: page {orm[0]} != first of the full order {full}"
        assert len(orm[0]) == min(PAGE_SIZE, orm[1]), f"{self.key}: short page"
        return orm[1]


def _comparable_facets(facets: dict):
    # Communes tied on count and name may come in either order; their counts and set must match.
    communes = facets["communes"]
    return (
        facets["families"],
        facets["labels"],
        facets["features"],
        facets["estimated"],
        [row["n"] for row in communes],
        sorted((row["commune_id"], row["commune__name"], row["n"]) for row in communes),
    )


# --- hand-written SQL ------------------------------------------------------------------------------------------

# The columns the application reads: the page's fields (offer.views.RESULT_FIELDS) and the commune.
COLUMNS = ", ".join(["o.id", *(f"o.{name}" for name in RESULT_FIELDS), "o.commune_id", "c.*"])


class Sql:
    """WHERE clauses, sort keys and the statements of one search, with the semantics of acvs.offer.search."""

    def __init__(self, sort: str = "name"):
        self.pg = connection.vendor == "postgresql"
        self.sort = sort
        self.where: list[str] = []
        self.params: list = []
        self.fts_join = ""
        self.keys: list[tuple[str, str, list]] = []  # (name, SQL, params) of the computed values
        self.in_area = False  # a place bounds the search: narrow, no estimate (OfferQuery.in_area)

    @property
    def cap(self) -> int:
        return settings.ACVS_SEARCH_TOTAL_CAP

    def status(self, statuses=("published",)):
        self.where.append(f"o.status IN ({', '.join('%s' for _ in statuses)})")
        self.params += list(statuses)
        return self

    def types(self, type_ids):
        subtypes = list(
            OfferType.ancestors.through.objects.filter(to_offertype_id__in=type_ids)
            .order_by("from_offertype_id")
            .values_list("from_offertype_id", flat=True)
            .distinct()
        )
        self.where.append(
            "EXISTS (SELECT 1 FROM offer_offer_types ot WHERE ot.offer_id = o.id"
            f" AND ot.offertype_id IN ({', '.join('%s' for _ in subtypes)}))"
        )
        self.params += subtypes
        return self

    def commune(self, insee):
        self.where.append("o.commune_id = %s")
        self.params.append(insee)
        self.in_area = True
        return self

    def territory(self, office_id):
        self.where.append("o.commune_id IN (SELECT commune_id FROM network_office_territory WHERE office_id = %s)")
        self.params.append(office_id)
        self.in_area = True
        return self

    def radius(self, lat, lon, km):
        dlat = km / 111.2
        dlon = km / (111.2 * max(math.cos(math.radians(lat)), 0.01))
        self.where.append("o.latitude BETWEEN %s AND %s AND o.longitude BETWEEN %s AND %s")
        self.params += [lat - dlat, lat + dlat, lon - dlon, lon + dlon]
        distance = (
            f"(2 * {EARTH_RADIUS_KM} * ASIN(SQRT(POWER(SIN((RADIANS(o.latitude) - %s) / 2), 2)"
            " + %s * COS(RADIANS(o.latitude)) * POWER(SIN((RADIANS(o.longitude) - %s) / 2), 2))))"
        )
        distance_params = [math.radians(lat), math.cos(math.radians(lat)), math.radians(lon)]
        self.where.append(f"{distance} <= %s")
        self.params += [*distance_params, km]
        self.keys.append(("distance_km", distance, distance_params))
        if self.sort != "rank":
            self.sort = "distance"
        self.in_area = True
        return self

    def text(self, text):
        if self.pg:
            query = "websearch_to_tsquery('acvs_french'::regconfig, %s)"
            self.where.append(f"o.search_vector @@ {query}")
            self.params.append(text)
            self.keys.insert(0, ("rank", f"(o.search_vector <=> {query})", [text]))
        else:
            self.fts_join = f" JOIN {FTS_TABLE} ON {FTS_TABLE}.rowid = o.id"
            self.where.append(f"{FTS_TABLE} MATCH %s")
            self.params.append(fts5_query(text))
            self.keys.insert(0, ("rank", f"bm25({FTS_TABLE})", []))
        self.sort = "rank"
        return self

    # --- statements ----------------------------------------------------------------------------------------------

    def _where(self) -> str:
        return " AND ".join(self.where) or "TRUE"

    def _order(self, prefix: str = "") -> str:
        order = {"rank": "rank, name, id", "distance": "distance_km, id", "name": "name, id"}[self.sort]
        return ", ".join(prefix + part for part in order.split(", "))

    def _key_columns(self):
        return "".join(f", {sql} AS {name}" for name, sql, _ in self.keys), [p for *_, ps in self.keys for p in ps]

    def estimate(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT o.id FROM offer_offer o WHERE {self._where()}", self.params)
            return int(cursor.fetchone()[0][0]["Plan"]["Plan Rows"])

    def is_broad(self) -> bool:
        return self.pg and not self.in_area and self.estimate() > BROAD_FACTOR * self.cap

    def run_page(self, *, broad: bool | None = None):
        keys, key_params = self._key_columns()
        if broad is None:
            broad = self.is_broad()
        if broad:
            if self.sort == "rank":  # the first 20 by RUM distance with their ties, then the total order
                rank, rank_params = self.keys[0][1], self.keys[0][2]
                page = f"""SELECT * FROM (
                    SELECT o.id, o.name{keys} FROM offer_offer o WHERE {self._where()}
                     ORDER BY {rank} FETCH FIRST {PAGE_SIZE} ROWS WITH TIES) hits
                    ORDER BY {self._order()} LIMIT {PAGE_SIZE}"""
                params = [*key_params, *self.params, *rank_params]
            else:  # straight from the ordered index
                page = f"""SELECT o.id, o.name{keys} FROM offer_offer o WHERE {self._where()}
                            ORDER BY {self._order("o.")} LIMIT {PAGE_SIZE}"""
                params = [*key_params, *self.params]
            total = self.cap + 1
            sql = f"""SELECT {COLUMNS} FROM ({page}) p JOIN offer_offer o ON o.id = p.id
                        JOIN network_commune c ON c.insee = o.commune_id ORDER BY {self._order("p.")}"""
        else:  # the matches once, up to the cap + 1: ids and sort keys, ordered and counted
            mat = "MATERIALIZED " if self.pg else ""
            name = ", o.name" if self.sort in ("rank", "name") else ""  # the columns the order needs
            sql = f"""
                WITH m AS {mat}(SELECT o.id{name}{keys} FROM offer_offer o{self.fts_join} WHERE {self._where()}
                                 LIMIT {self.cap + 1})
                SELECT {COLUMNS}, (SELECT count(*) FROM m) FROM (SELECT * FROM m ORDER BY {self._order()} LIMIT
                       {PAGE_SIZE}) p JOIN offer_offer o ON o.id = p.id JOIN network_commune c ON c.insee = o.commune_id
                 ORDER BY {self._order("p.")}"""
            params, total = [*key_params, *self.params], None
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if total is None:
            total = rows[0][-1] if rows else 0
            if total > self.cap:  # more matches than the estimate said: the page from the ordered index, as the app
                return self.run_page(broad=True)[0], self.cap, True
        return [row[0] for row in rows], min(total, self.cap), total > self.cap

    def run_facets(self):
        """Exact over the matches when narrow; over a sample of the table's pages when broad (PostgreSQL)."""
        source, scale, estimated = f"offer_offer o{self.fts_join}", 1.0, False
        limit = f"LIMIT {self.cap + 1}"
        if self.is_broad():
            with connection.cursor() as cursor:
                cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'offer_offer'::regclass")
                rows = cursor.fetchone()[0]
            expected = min(self.estimate(), rows)
            percent = min(100.0, 100.0 * max(settings.ACVS_SEARCH_FACET_SAMPLE / expected, MIN_SAMPLE_ROWS / rows))
            source = f"offer_offer o TABLESAMPLE SYSTEM ({percent:.6f}) REPEATABLE (0)"
            scale, estimated, limit = 100 / percent, True, ""
        mat = "MATERIALIZED " if self.pg else ""
        sql = f"""
            WITH r AS {mat}(SELECT o.id, o.commune_id FROM {source} WHERE {self._where()} {limit}),
            rt AS {mat}(SELECT ot.offer_id, ot.offertype_id FROM offer_offer_types ot JOIN r ON r.id = ot.offer_id)
            SELECT 'families', CAST(a.to_offertype_id AS TEXT), NULL, count(DISTINCT rt.offer_id)
              FROM rt JOIN offer_offertype_ancestors a ON a.from_offertype_id = rt.offertype_id
              JOIN offer_offertype t ON t.id = a.to_offertype_id AND t.is_family
             GROUP BY a.to_offertype_id
            UNION ALL
            SELECT 'labels', CAST(l.label_id AS TEXT), NULL, count(*)
              FROM r JOIN offer_offer_labels l ON l.offer_id = r.id GROUP BY l.label_id
            UNION ALL
            SELECT 'features', CAST(f.feature_id AS TEXT), NULL, count(*)
              FROM r JOIN offer_offer_features f ON f.offer_id = r.id GROUP BY f.feature_id
            UNION ALL
            SELECT * FROM (
              SELECT 'commune', r.commune_id, c.name, count(*) AS n
                FROM r JOIN network_commune c ON c.insee = r.commune_id
               GROUP BY r.commune_id, c.name ORDER BY n DESC, c.name LIMIT 12) top
        """
        facets = {"families": {}, "labels": {}, "features": {}, "communes": [], "estimated": estimated}
        with connection.cursor() as cursor:
            if estimated:  # as the application: probe the sample's links rather than hash every offer's
                cursor.execute("SET enable_hashjoin = off")
                cursor.execute("SET enable_mergejoin = off")
            try:
                cursor.execute(sql, self.params)
                rows = cursor.fetchall()
            finally:
                if estimated:
                    cursor.execute("RESET enable_hashjoin")
                    cursor.execute("RESET enable_mergejoin")
        for kind, key, name, n in rows:
            if kind == "commune":
                facets["communes"].append({"commune_id": key, "commune__name": name, "n": round(n * scale)})
            else:
                facets[kind][int(key)] = round(n * scale)
        facets["communes"].sort(key=lambda row: (-row["n"], row["commune__name"]))
        return facets


def build_cases() -> list[Case]:
    types = dict(OfferType.objects.filter(code__in=["Accommodation", "NaturalHeritage"]).values_list("code", "pk"))
    marseille = Commune.objects.get(insee="13055")
    cavalaire = Commune.objects.get(insee="83036")
    acc, nat = types["Accommodation"], types["NaturalHeritage"]
    var = Office.objects.filter(territory__insee="83036").order_by("pk").first()  # the Var's office
    return [
        *(
            Case(key, f"text «{text}»", "page", OfferQuery(text=text), Sql().status().text(text))
            for key, text in [("text", "camping"), ("text_two_words", "hôtel piscine"), ("text_plural", "hotels")]
        ),
        Case(
            "type_commune",
            "Hébergement + Marseille",
            "page",
            OfferQuery(types=(acc,), commune=marseille),
            Sql().status().commune(marseille.insee).types([acc]),
        ),
        Case(
            "type_territory",
            "Hébergement in the Var office's territory",
            "page",
            OfferQuery(types=(acc,), office=var),
            Sql().status().territory(var.pk).types([acc]),
        ),
        Case(
            "text_type_radius",
            "«plage» + Patrimoine naturel, 10 km of Cavalaire",
            "page",
            OfferQuery(text="plage", types=(nat,), commune=cavalaire, radius_km=10),
            Sql().status().radius(cavalaire.latitude, cavalaire.longitude, 10).types([nat]).text("plage"),
        ),
        Case(
            "text_type",
            "«plage» + Hébergement",
            "page",
            OfferQuery(text="plage", types=(acc,)),
            Sql().status().types([acc]).text("plage"),
        ),
        Case("facets_text", "facets of «plage»", "facets", OfferQuery(text="plage"), Sql().status().text("plage")),
        Case("facets_type", "facets of Hébergement", "facets", OfferQuery(types=(acc,)), Sql().status().types([acc])),
    ]
