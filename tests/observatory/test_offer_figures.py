"""The published offers per (département, type) kept by the worker agree with a count of the offers themselves, after
random creations, publications, withdrawals, moves, changes of types and deletions; the pages read them."""

import random

from django.db.models import Count

from acvs.network.models import Commune, Department
from acvs.observatory.models import DirtyDepartment, OfferFigure
from acvs.observatory.selectors import published_counts, published_figures
from acvs.observatory.services import drain, recount_offers
from acvs.offer.models import Offer, OfferType, Status
from tests.factories import OfferFactory

COMMUNES = ["83036", "83048", "04094"]  # two in the Var, one in the Alpes-de-Haute-Provence
TYPES = ["Hotel", "Camping", "Restaurant", "Museum", "HotelRestaurant", "CampingAndCaravanning"]


def table() -> dict[tuple[int, str], int]:
    return {(f.department_id, f.type): f.value for f in OfferFigure.objects.all()}


def counted() -> dict[tuple[int, str], int]:
    """The full recount: every published offer, under each of its types' ancestors (self included)."""
    rows = (
        Offer.types.through.objects.filter(offer__status=Status.PUBLISHED)
        .values_list("offer__commune__department", "offertype__ancestors__code")
        .annotate(n=Count("offer", distinct=True))
        .order_by()
    )
    return {(department, code): n for department, code, n in rows}


def test_the_table_equals_a_recount_after_random_changes_of_the_offers(cavalaire):
    rng = random.Random(14)
    communes = list(Commune.objects.filter(insee__in=COMMUNES))
    types = list(OfferType.objects.filter(code__in=TYPES))
    assert len(communes) == 3
    assert len(types) >= 4
    statuses = [Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT, *[s for s in Status.values if s != "published"]]
    for step in range(60):
        offers = list(Offer.objects.order_by("pk"))
        action = step % 6 if offers else 0
        if action in (0, 1):  # a new offer, published or not
            commune = rng.choice(communes)
            offer = OfferFactory(
                commune=commune,
                status=rng.choice(statuses),
                types=[t.code for t in rng.sample(types, 2)],
                owner_office=cavalaire,
            )
        elif action == 2:  # published, withdrawn, archived…
            offer = rng.choice(offers)
            offer.status = rng.choice(statuses)
            offer.save()
        elif action == 3:  # moved to a commune of another département (both change)
            offer = rng.choice(offers)
            offer.commune = rng.choice([c for c in communes if c.pk != offer.commune_id])
            offer.save()
        elif action == 4:  # its types changed
            offer = rng.choice(offers)
            offer.types.set(rng.sample(types, rng.randrange(1, 3)))
        else:
            rng.choice(offers).delete()
        assert DirtyDepartment.objects.exists(), f"step {step}: the change marked no département"
        drain()  # each step's marks alone: a write that forgot its mark leaves a figure behind
        assert not DirtyDepartment.objects.exists()
        assert table() == counted(), f"step {step}"
    assert Offer.objects.filter(status=Status.PUBLISHED).exists()
    assert len({department for department, _code in table()}) == 2  # both départements hold published offers
    # A full recount writes the same table.
    before = table()
    OfferFigure.objects.all().delete()
    recount_offers()
    assert table() == before


def test_a_departement_and_the_network_read_the_same_counts_as_the_offers_give(cavalaire):
    var, ahp = Department.objects.get(code="83"), Department.objects.get(code="04")
    OfferFactory(types=["Hotel"], owner_office=cavalaire)  # Cavalaire, in the Var
    OfferFactory(types=["Hotel", "Camping"], commune=Commune.objects.get(insee="83048"), owner_office=cavalaire)
    OfferFactory(types=["Hotel"], commune=Commune.objects.get(insee="04094"), owner_office=cavalaire)
    OfferFactory(types=["Camping"], status=Status.DRAFT, owner_office=cavalaire)  # not published: not counted
    drain()
    codes = {"Hotel", "Camping"}
    for department in (var, ahp):
        figures = dict(published_figures(OfferFigure.objects.filter(department=department), codes))
        assert figures == dict(published_counts({"commune__department": department}, codes))
    assert dict(published_figures(OfferFigure.objects.all(), codes)) == {"Hotel": 3, "Camping": 1}
    assert dict(published_counts({}, codes)) == {"Hotel": 3, "Camping": 1}


def test_saving_what_the_counts_do_not_read_marks_nothing(cavalaire):
    offer = OfferFactory(types=["Hotel"], owner_office=cavalaire)
    drain()
    offer.save(update_fields=["verified_at"])
    assert not DirtyDepartment.objects.exists()


def test_the_unit_figures_of_the_partial_index_are_the_desks_values():
    from acvs.desk.models import Origin, Outcome
    from acvs.observatory.models import UNIT_FIGURES

    assert ("origin", Origin.ABROAD) in UNIT_FIGURES
    assert ("outcome", Outcome.NOT) in UNIT_FIGURES
