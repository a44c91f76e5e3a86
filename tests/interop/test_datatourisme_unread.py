"""DATAtourisme flux: an object the flux's index dates as its last import is not even decoded (issue 15), without
losing what the full comparison guarantees."""

import json
import zipfile

import pytest

from acvs.interop.importing import base, datatourisme, services
from acvs.interop.models import ImportedRecord, ImportRun
from acvs.network.models import Role
from acvs.offer.models import Offer, OfferType
from tests.conftest import make_user, membership

from .test_datatourisme_import import SAMPLES, actions, zipped

CARCASSONNE = "41-42ea9b5e"  # the start of a file name of the 2024 flux


def flux(changes: dict | None = None, dates: dict | None = None, extra: dict | None = None) -> bytes:
    """The real 2024 flux (index.json + 5 objects): `changes` sets a property of the object whose file name starts
    with the key, `dates` its date in the index (and in the object), `extra` adds files."""
    with zipfile.ZipFile(SAMPLES / "flux-2024-oaz-sample.zip") as archive:
        files = {name: archive.read(name) for name in sorted(archive.namelist())}
    index = json.loads(files["index.json"])
    for name in [n for n in files if n.startswith("objects/")]:
        obj = json.loads(files[name])
        short = name.rsplit("/", 1)[-1]
        for prefix, (key, value) in (changes or {}).items():
            if short.startswith(prefix):
                obj[key] = value
        for prefix, date in (dates or {}).items():
            if short.startswith(prefix):
                obj["lastUpdateDatatourisme"] = date
                next(e for e in index if e["file"].endswith(short))["lastUpdateDatatourisme"] = date
        files[name] = json.dumps(obj).encode()
    files["index.json"] = json.dumps(index).encode()
    return zipped(files | (extra or {}))


@pytest.fixture
def m(manager):
    return membership(manager)


@pytest.fixture
def decoded(monkeypatch):
    """The names of the files decoded (an object's JSON parsed)."""
    names = []
    load = base.load_json

    def counted(name, content):
        names.append(name)
        return load(name, content)

    monkeypatch.setattr(base, "load_json", counted)
    monkeypatch.setattr(datatourisme, "load_json", counted)
    return names


def imported(m, content: bytes, name: str = "flux.zip") -> ImportRun:
    run = services.import_prepare(membership=m, name=name, content=content)
    services.import_commit(membership=m, run=run, exclude_refused=False)
    return run


def objects(names: list[str]) -> list[str]:
    return [n for n in names if n.startswith("objects/")]


def test_an_unchanged_flux_decodes_no_object_and_changes_nothing(m, decoded):
    first = imported(m, flux())
    assert actions(first) == ["created"] * 5
    assert len(objects(decoded)) == 5
    versions = dict(Offer.objects.values_list("pk", "version"))
    decoded.clear()

    again = imported(m, flux())
    assert actions(again) == ["unchanged"] * 5
    assert objects(decoded) == []
    assert dict(Offer.objects.values_list("pk", "version")) == versions
    # The report names each line's offer, its name (the index's label) and its file, as a decoded one does.
    assert [line["offer"] for line in again.report] == [line["offer"] for line in first.report]
    assert [line["file"] for line in again.report] == [line["file"] for line in first.report]
    assert [line["name"] for line in again.report] == [line["name"] for line in first.report]
    # What the run keeps of an unread record: its id, name, file, date and offer, not the object.
    assert all(set(r) == {"line", "file", "source_id", "name", "updated", "unread", "offer"} for r in again.records)


def test_a_record_with_a_new_date_is_decoded_and_compared(m, decoded):
    imported(m, flux())
    decoded.clear()
    changed = flux(changes={CARCASSONNE: ("rdfs:label", {"fr": ["La Cité (nouveau nom)"]})},
                   dates={CARCASSONNE: "2024-12-01T00:00:00Z"})  # fmt: skip
    run = imported(m, changed)
    assert sorted(actions(run)) == ["unchanged"] * 4 + ["updated"]
    assert [n.rsplit("/", 1)[-1][:11] for n in objects(decoded)] == [CARCASSONNE]
    assert Offer.objects.filter(name="La Cité (nouveau nom)").exists()
    assert ImportedRecord.objects.get(offer__name="La Cité (nouveau nom)").source_updated == "2024-12-01T00:00:00Z"


def test_the_same_date_with_a_changed_object_is_trusted_as_the_flux_says(m, decoded):
    """The index's date is the flux's word: an object changed without its date moving is not read (the day its date
    moves, it is)."""
    imported(m, flux())
    run = imported(m, flux(changes={CARCASSONNE: ("rdfs:label", {"fr": ["Autre nom"]})}))
    assert actions(run) == ["unchanged"] * 5
    assert not Offer.objects.filter(name="Autre nom").exists()


def test_a_provenance_without_digest_is_decoded_and_compared_in_full(m, decoded):
    """An unsettled conflict (or a provenance older than the digest) keeps no digest: the object is read, and the
    conflict listed again."""
    imported(m, flux())
    ImportedRecord.objects.filter(source_id__endswith="/42ea9b5e-3fbf-3f57-8e31-0bc91ae4c0ec").update(source_digest="")
    decoded.clear()
    run = imported(m, flux())
    assert actions(run) == ["unchanged"] * 5
    assert [n.rsplit("/", 1)[-1][:11] for n in objects(decoded)] == [CARCASSONNE]
    assert ImportedRecord.objects.exclude(source_digest="").count() == 5  # compared, and its digest kept again


def test_an_unsettled_conflict_is_listed_again(m):
    imported(m, flux())
    offer = Offer.objects.get(imported_from__source_id__endswith="/42ea9b5e-3fbf-3f57-8e31-0bc91ae4c0ec")
    Offer.objects.filter(pk=offer.pk).update(phone="+33 4 94 00 00 00")  # the office's own edit
    changed = flux(changes={CARCASSONNE: ("hasContact", [{"schema:telephone": ["+33 4 68 00 00 00"]}])},
                   dates={CARCASSONNE: "2024-12-01T00:00:00Z"})  # fmt: skip
    first = imported(m, changed)
    assert [c["field"] for line in first.report for c in line.get("conflicts", [])] == ["phone"]
    assert ImportedRecord.objects.get(offer=offer).source_digest == ""
    again = imported(m, changed)  # the same file: its date is the provenance's, yet the conflict is listed again
    assert [c["field"] for line in again.report for c in line.get("conflicts", [])] == ["phone"]


def test_another_office_is_refused_not_told_unchanged(m, croix_valmer, decoded):
    imported(m, flux())
    other = membership(make_user("othermanager", croix_valmer, Role.MANAGER))
    decoded.clear()
    run = services.import_prepare(membership=other, name="b.zip", content=flux())
    assert actions(run) == ["refused"] * 5
    assert run.report[0]["reason"] == "Seul l’office propriétaire peut modifier cette offre."
    assert len(objects(decoded)) == 5


def test_a_record_twice_in_the_flux_is_decoded_both_times(m, decoded):
    """A file of the flux holding the @id of another (unread) one: both are read, the second compared in full."""
    imported(m, flux())
    with zipfile.ZipFile(SAMPLES / "flux-2024-oaz-sample.zip") as archive:
        name = next(n for n in archive.namelist() if CARCASSONNE in n)
        copy = json.loads(archive.read(name)) | {"rdfs:label": {"fr": ["Copie"]}}
    decoded.clear()
    run = imported(m, flux(extra={"objects/z/zz/99-copy.json": json.dumps(copy).encode()}))
    assert sorted(n.rsplit("/", 1)[-1][:11] for n in objects(decoded)) == [CARCASSONNE, "99-copy.jso"]
    lines = {line["name"]: line["action"] for line in run.report}
    assert lines["Copie"] == "updated"  # after the original, read and unchanged (its digest), as the other four
    assert actions(run).count("unchanged") == 5


def test_a_type_the_base_learns_later_makes_the_record_read_again(m, decoded):
    imported(m, flux())
    codes = {c for r in datatourisme.read_file("flux.zip", flux()) for c in r["types"]}
    new = sorted(codes - set(OfferType.objects.values_list("code", flat=True)))
    assert new  # the flux names classes ACVS does not know (schema.org's)
    OfferType.objects.create(code=new[0], label="Nouveau type")
    decoded.clear()
    run = imported(m, flux())
    updated = {line["offer"] for line in run.report if line["action"] == "updated"}
    assert updated == set(Offer.objects.filter(types__code=new[0]).values_list("pk", flat=True))
    assert len(objects(decoded)) == len(updated)


def test_an_unread_record_changed_in_the_base_before_the_commit_is_refused(m):
    imported(m, flux())
    run = services.import_prepare(membership=m, name="b.zip", content=flux())
    assert actions(run) == ["unchanged"] * 5
    ImportedRecord.objects.filter(source_id__endswith="/42ea9b5e-3fbf-3f57-8e31-0bc91ae4c0ec").update(source_digest="")
    services.import_commit(membership=m, run=run, exclude_refused=False)
    assert run.status == ImportRun.Status.REFUSED
    assert sorted(actions(run)) == ["refused"] + ["unchanged"] * 4
    assert "envoyez à nouveau le fichier" in next(line["reason"] for line in run.report if line["action"] == "refused")


def test_a_flux_without_index_or_a_single_object_is_read_whole(m, decoded):
    imported(m, flux())
    with zipfile.ZipFile(SAMPLES / "flux-2024-oaz-sample.zip") as archive:
        files = {n: archive.read(n) for n in archive.namelist() if n != "index.json"}
    decoded.clear()
    run = imported(m, zipped(files))
    assert actions(run) == ["unchanged"] * 5
    assert len(objects(decoded)) == 5


def test_the_types_read_with_the_index_are_the_provenance_s_own_whatever_wrote_it(m, decoded):
    """The reading checks `values["types"]` through the columns the database derives from it (no JSON decoded per
    row): a provenance changed by a bulk update, which no `save()` sees, still makes its object read and compared."""
    imported(m, flux())
    known = ImportedRecord.objects.get(source_id__endswith="/42ea9b5e-3fbf-3f57-8e31-0bc91ae4c0ec")
    assert (known.source_types, known.stored_types) == (known.values["types"]["source"],
                                                        known.values["types"]["stored"])  # fmt: skip
    values = {**known.values, "types": {**known.values["types"], "stored": "Museum"}}
    ImportedRecord.objects.filter(pk=known.pk).update(values=values)  # as stored: not the types the classes give now
    assert ImportedRecord.objects.values_list("stored_types", flat=True).get(pk=known.pk) == "Museum"
    decoded.clear()
    run = imported(m, flux())
    assert [n.rsplit("/", 1)[-1][:11] for n in objects(decoded)] == [CARCASSONNE]
    assert len(run.report) == 5
    assert "refused" not in actions(run)
