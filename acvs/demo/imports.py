"""The demo's import: Cavalaire's offers as the regional DATAtourisme base publishes them, imported ten days ago.
Most came back unchanged, the base had a newer description for one, and one point of interest of another territory
(Gréoux-les-Bains) was refused and left out: the imports page shows a run with its report line by line."""

import datetime
import json

from django.utils import timezone

from acvs.interop.datatourisme.export import PREFETCH, json_ld, poi_iri
from acvs.interop.importing import services
from acvs.interop.models import ImportRun
from acvs.network.models import Membership, Office, User
from acvs.offer.models import Offer

SITE = "https://www.datatourisme-paca.example"
NEWER = "Nouveau pour la saison 2027 : "


def fill(offices: dict[str, Office], users: dict[str, list[User]]) -> int:
    office, elsewhere = offices.get("cavalaire"), offices.get("greoux-les-bains")
    if office is None or elsewhere is None:
        return 0
    manager = next(u for u in users["cavalaire"] if u.username.startswith("direction."))
    published = Offer.objects.filter(status="published").prefetch_related(*PREFETCH).order_by("name")
    offers = list(published.filter(owner_office=office)[:8]) + list(published.filter(owner_office=elsewhere)[:1])
    graph = json.loads(json_ld(offers, SITE))
    # The base's newer text for Cavalaire's first offer with a short description: in French, with a new opening.
    # (Found by its IRI: the graph's order varies from one process to the next.)
    first = str(poi_iri(next(o for o in offers if o.owner_office_id == office.pk and o.short_description_fr), SITE))
    comment = next((item.get("rdfs:comment", []) for item in graph["@graph"] if item["@id"] == first), [])
    for text in comment if isinstance(comment, list) else [comment]:
        if text["@language"] == "fr":
            text["@value"] = NEWER + text["@value"]
    membership = Membership.objects.get(user=manager, office=office)
    run = services.import_prepare(membership=membership, name="datatourisme-paca-cavalaire.jsonld",
                                  content=json.dumps(graph).encode(), source="datatourisme")  # fmt: skip
    run = services.import_commit(membership=membership, run=run, exclude_refused=True)
    when = timezone.now() - datetime.timedelta(days=10, hours=2)
    ImportRun.objects.filter(pk=run.pk).update(created_at=when, committed_at=when + datetime.timedelta(minutes=3))
    return len(run.report)
