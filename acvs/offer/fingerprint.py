"""A fingerprint of the data: compared before a backup and after its restore (bin/restore-check).

Row counts of every table of the database, the results of a few searches through the application's own search
(the text index, the type closure, the facet counts, the distance search), and a
checksum of every media file.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import connection

from acvs.network.models import Commune
from acvs.offer.models import OfferType
from acvs.offer.search import OfferQuery, offer_facets, search_page


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 — catalogue names
            counts[table] = cursor.fetchone()[0]
    return counts


def searches() -> dict[str, dict]:
    cavalaire = Commune.objects.get(insee="83036")
    accommodation = OfferType.objects.get(code="Accommodation")
    queries = {
        "plage": OfferQuery(text="plage"),
        "musee (unaccented)": OfferQuery(text="musee"),
        "accommodation and its sub-types": OfferQuery(types=(accommodation.pk,)),
        "everything published": OfferQuery(),
        "camping within 20 km of Cavalaire-sur-Mer": OfferQuery(text="camping", commune=cavalaire, radius_km=20),
        "every status, by name": OfferQuery(statuses=(), order="name"),
    }
    results = {}
    for name, query in queries.items():
        page = search_page(query, 1, 20, select_related=("commune",))
        results[name] = {"total": page.paginator.count, "first page": [offer.pk for offer in page.object_list]}
    for name in ("plage", "everything published"):
        results[name]["facets"] = offer_facets(queries[name])
    return results


def media_files(root: Path) -> dict[str, str]:
    """sha256 of every file under the media folder, by relative path."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def fingerprint() -> dict:
    return {
        "tables": table_counts(),
        "searches": searches(),
        "media": media_files(Path(settings.MEDIA_ROOT)),
    }
