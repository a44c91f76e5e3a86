"""`core.bulk.insert`: many new rows at once (COPY on PostgreSQL), read back as `bulk_create` would write them."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from acvs.core import bulk
from acvs.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _entry(n: int, **fields) -> AuditEntry:
    kind = ContentType.objects.get_for_model(AuditEntry)
    return AuditEntry(content_type=kind, object_id=n, action=AuditEntry.Action.UPDATE, **fields)


def test_rows_get_their_ids_and_read_back_with_their_values():
    changes = [{"field": "name", "label": "Nom", "old": "", "new": "Café « L’Étoile »\t\\ n°1\nsuite"}]
    entries = [_entry(n, changes=changes if n % 2 else []) for n in range(1, 5001)]
    before = datetime.datetime.now(datetime.UTC)
    assert bulk.insert(AuditEntry, entries) == entries
    assert len({e.pk for e in entries}) == 5000
    assert None not in {e.pk for e in entries}
    assert not entries[0]._state.adding
    stored = AuditEntry.objects.in_bulk([e.pk for e in entries])
    assert len(stored) == 5000
    for entry in (entries[0], entries[1], entries[-1]):
        row = stored[entry.pk]
        assert (row.object_id, row.action, row.changes, row.user_id) == (entry.object_id, "update", entry.changes, None)
        assert row.at >= before - datetime.timedelta(seconds=1)  # auto_now_add, set by the field as bulk_create does
    assert stored[entries[0].pk].changes[0]["new"] == "Café « L’Étoile »\t\\ n°1\nsuite"


def test_a_row_saved_afterwards_gets_an_id_of_its_own():
    entries = bulk.insert(AuditEntry, [_entry(n) for n in range(3)])
    later = _entry(99)
    later.save()
    assert later.pk not in {e.pk for e in entries}
    assert AuditEntry.objects.count() == 4


def test_nothing_to_insert_is_nothing():
    assert bulk.insert(AuditEntry, []) == []


def test_a_column_the_model_does_not_declare_is_written_with_the_rows_on_postgresql_only(cavalaire):
    from django.db import connection

    from acvs.network.models import Commune
    from acvs.offer.models import Offer

    commune = Commune.objects.get(insee="83036")
    offers = [Offer(name=f"Les Mimosas {n}", commune=commune, latitude=commune.latitude, longitude=commune.longitude,
                    owner_office=cavalaire) for n in range(2)]  # fmt: skip
    extra = {"search_types": lambda offer: [offer.pk]}
    if connection.vendor != "postgresql":
        with pytest.raises(ValueError, match="PostgreSQL only"):
            bulk.insert(Offer, offers, extra=extra)
        return
    bulk.insert(Offer, offers, extra=extra)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, search_types FROM offer_offer WHERE id = ANY(%s) ORDER BY id", [[o.pk for o in offers]]
        )
        assert cursor.fetchall() == sorted((o.pk, [o.pk]) for o in offers)
