"""An import of an export gives back the same offers: the demo's offers exported as DATAtourisme JSON-LD, removed,
imported again, compare equal on every field the export carries; the same file again changes nothing."""

import datetime
import io

import pytest
from django.core.management import call_command

from acvs.agenda.services import schedules_from_opening_periods
from acvs.interop.datatourisme.export import PREFETCH, json_ld
from acvs.interop.importing import services
from acvs.interop.models import ImportRun
from acvs.network.models import Office, Role
from acvs.offer.models import Offer
from tests.conftest import make_user, membership
from tests.factories import OfferFactory

BASE_URL = "https://acvs.example.org"
TEXTS = [f"{field}_{lang}" for field in ("short_description", "description") for lang in ("fr", "en", "de", "it")]


def exported_fields(offer: Offer) -> tuple:
    """What the DATAtourisme export says of an offer (not its IRIs, which name the offer's own uuid)."""
    return (
        offer.name,
        tuple(getattr(offer, name) or "" for name in TEXTS),
        offer.address,
        offer.postcode,
        offer.commune_id,
        f"{offer.latitude:.7f}",
        f"{offer.longitude:.7f}",
        offer.phone.as_international if offer.phone else "",
        offer.email,
        offer.website,
        offer.capacity_persons,
        offer.owner_office_id,
        tuple(sorted(t.code for t in offer.types.all())),
        tuple(sorted(label.code for label in offer.labels.all())),
        tuple(sorted((p.start_date, p.end_date, tuple(p.weekdays), p.opens, p.closes, p.note)
                     for p in offer.periods.all())),
        tuple(sorted((p.label, p.unit, p.min_amount, p.max_amount) for p in offer.prices.all())),
        tuple(sorted((s.start_date, s.end_date, s.start_time, s.end_time) for s in offer.event_schedules.all())),
    )  # fmt: skip


@pytest.fixture
def demo(db, settings, tmp_path):
    """The demo's offers, and an event of its own (a demo this small may have none) with schedules as the demo's."""
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", offers=60, no_photos=True, years=1, stdout=io.StringIO())
    place = Offer.objects.order_by("pk").first()
    event = OfferFactory(
        name="Fête du mimosa", owner_office=place.owner_office, commune=place.commune, postcode=place.postcode,
        types=["Festival"], description_en="The mimosa festival.",
    )  # fmt: skip
    event.periods.create(
        start_date=datetime.date(2027, 2, 12), end_date=datetime.date(2027, 2, 14), weekdays=[4, 5, 6],
        opens=datetime.time(10), closes=datetime.time(18), note="Corso à 15 h",
    )  # fmt: skip
    schedules_from_opening_periods([event.pk])


def test_an_export_imported_gives_back_the_same_offers(demo):
    """Each office imports the export of its own offers (the demo gives a CDT the communes of no office)."""
    offers = list(Offer.objects.prefetch_related(*PREFETCH).order_by("pk"))
    assert any(o.prices.all() for o in offers)
    assert any(o.labels.all() for o in offers)
    assert any(o.event_schedules.all() for o in offers)
    before = sorted(exported_fields(o) for o in offers)
    exports = {
        office: json_ld([o for o in offers if o.owner_office == office], BASE_URL)
        for office in {o.owner_office for o in offers}
    }
    Offer.objects.all().delete()
    roles = {Office.Kind.CDT: Role.DEPARTMENT_ADMIN}  # a CDT's staff writes in the whole département
    managers = {o: membership(make_user(f"importer-{o.slug}", o, roles.get(o.kind, Role.MANAGER))) for o in exports}

    def import_all() -> set[str]:
        actions = set()
        for office, content in exports.items():
            run = services.import_prepare(membership=managers[office], name="export.jsonld", content=content)
            services.import_commit(membership=managers[office], run=run, exclude_refused=False)
            actions |= {line["action"] for line in run.report}
            assert run.status == ImportRun.Status.COMMITTED, [
                (x["name"], x["reason"]) for x in run.report if x["reason"]
            ][:3]
        return actions

    assert import_all() == {"created"}
    after = sorted(exported_fields(o) for o in Offer.objects.prefetch_related(*PREFETCH))
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        assert old == new

    versions = dict(Offer.objects.values_list("pk", "version"))
    assert import_all() == {"unchanged"}
    assert dict(Offer.objects.values_list("pk", "version")) == versions
