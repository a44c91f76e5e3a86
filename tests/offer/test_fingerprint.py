"""The fingerprint the restore check compares: table counts, search results, media checksums."""

import hashlib
import io
import json

from django.core.management import call_command

from acvs.network.models import Commune
from acvs.offer.models import Status
from tests.factories import OfferFactory


def test_the_fingerprint_counts_rows_runs_the_searches_and_hashes_the_media(cavalaire, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "offers").mkdir()
    (tmp_path / "offers" / "a.jpg").write_bytes(b"jpeg")
    beach = OfferFactory(name="Plage de Bonporteau", owner_office=cavalaire)
    camping = OfferFactory(name="Camping La Baie", owner_office=cavalaire, types=["Camping"])
    OfferFactory(name="Camping Le Brouillon", owner_office=cavalaire, types=["Camping"], status=Status.DRAFT)
    out = io.StringIO()
    call_command("db_fingerprint", stdout=out)
    data = json.loads(out.getvalue())

    assert data["tables"]["offer_offer"] == 3
    assert data["tables"]["network_office"] == 1
    assert data["tables"]["network_commune"] == Commune.objects.count()
    searches = data["searches"]
    assert searches["plage"]["total"] == 2  # the hotel texts speak of the beach too
    assert searches["plage"]["first page"][0] == beach.pk  # in its name: ranked first
    assert searches["accommodation and its sub-types"] == {"total": 2, "first page": [camping.pk, beach.pk]}
    assert searches["every status, by name"]["total"] == 3
    assert searches["camping within 20 km of Cavalaire-sur-Mer"] == {"total": 1, "first page": [camping.pk]}
    assert data["media"] == {"offers/a.jpg": hashlib.sha256(b"jpeg").hexdigest()}
