"""The demo loader (manage.py load_demo): network, log-ins, offers of every family, searchable, idempotent."""

import csv
import gzip
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from acvs.demo.network import OFFICES, PASSWORD, USERS
from acvs.interop.models import ImportRun
from acvs.network.models import Office, Role, User
from acvs.network.reference import DATA_DIR
from acvs.offer.models import Offer, OfferPhoto, OfferType, Status
from acvs.offer.search import OfferQuery, offers_search
from acvs.offer.services import owner_for_commune

# The module loads the demo once: under pytest-xdist its tests stay in one process.
pytestmark = pytest.mark.xdist_group("demo-core")

COUNT = 150


def epci_communes(name: str) -> set[str]:
    with gzip.open(DATA_DIR / "communes.csv.gz", "rt", encoding="utf-8", newline="") as f:
        return {row["code_insee"] for row in csv.DictReader(f) if row["nom_epci"] == name}


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_demo", offers=COUNT, years=1, stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load once for the module inside a transaction that is rolled back at the end; each test runs in a savepoint."""
    # Logging in twenty users with the production hasher would take most of the module's time.
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
    )
    with django_db_blocker.unblock(), fast, transaction.atomic():
        yield load()
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    return loaded


def territory(slug: str) -> set[str]:
    return set(Office.objects.get(slug=slug).territory.values_list("insee", flat=True))


def test_named_offices_exist_with_their_territory(demo):
    assert territory("la-croix-valmer") == {"83048"}
    assert territory("cavalaire") == {"83036"}
    assert territory("ramatuelle") == {"83101"}
    assert territory("toulon") == {"83137"}
    provence_verte = Office.objects.get(slug="provence-verte")
    assert provence_verte.kind == Office.Kind.OTI
    assert provence_verte.commune.name == "Brignoles"
    assert str(provence_verte.phone) == "04 94 72 04 21"
    assert territory("provence-verte") == epci_communes("CA de la Provence Verte")
    assert len(territory("provence-verte")) == 28
    assert territory("barcelonnette") == epci_communes("CC Vallée de l'Ubaye - Serre-Ponçon")
    assert "04094" in territory("greoux-les-bains")
    cdt = Office.objects.get(name="Var Tourisme")
    assert (cdt.kind, cdt.commune.name, cdt.address) == (Office.Kind.CDT, "Toulon", "1 boulevard de Strasbourg")
    assert Office.objects.get(name="Alpes-de-Haute-Provence Tourisme").commune.name == "Digne-les-Bains"
    assert Office.objects.get(name="UDOTSI Var").kind == Office.Kind.UNION
    assert Office.objects.get(name="UDOTSI 04").commune.name == "Gréoux-les-Bains"
    assert Office.objects.filter(slug__in=[o.slug for o in OFFICES]).count() == len(OFFICES)


def test_no_commune_belongs_to_two_local_offices(demo):
    local = Office.objects.exclude(kind__in=[Office.Kind.CDT, Office.Kind.UNION])
    seen: dict[str, str] = {}
    for office in local:
        for insee in office.territory.values_list("insee", flat=True):
            assert insee not in seen, f"{insee} in {seen.get(insee)} and {office.slug}"
            seen[insee] = office.slug


def test_every_demo_account_logs_in_with_its_role(demo, client):
    for username, role, slugs in USERS:
        assert client.login(username=username, password=PASSWORD), username
        client.logout()
        user = User.objects.get(username=username)
        assert {(m.office.slug, m.role) for m in user.memberships.all()} == {(s, role) for s in slugs}
        assert user.get_full_name() != username
        assert user.email.endswith(".example")
    assert User.objects.get(username="multi").memberships.count() == 2
    assert User.objects.get(username="reseau").memberships.get().role == Role.NETWORK_ADMIN
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    assert client.login(username="admin", password=PASSWORD)
    assert "Password for every account: acvs-demo-2026" in demo
    assert "accueil.cavalaire" in demo


def test_offers_cover_the_families_and_are_valid(demo):
    offers = Offer.objects.select_related("commune", "owner_office")
    assert offers.count() == COUNT
    families = OfferType.objects.filter(is_family=True, descendants__offers__isnull=False).distinct()
    assert {"Accommodation", "FoodEstablishment", "CulturalSite", "NaturalHeritage"} <= {f.code for f in families}
    assert families.count() >= 10
    for offer in offers:
        offer.full_clean(exclude=["types", "labels", "features"])
        expected = owner_for_commune(offer.commune)
        assert offer.owner_office == expected or offer.owner_office.kind == Office.Kind.CDT, offer
        assert offer.short_description_fr
        assert "lorem" not in offer.description_fr.lower()
    hotels = ["Hotel", "HotelRestaurant"]
    stars = Offer.objects.filter(labels__code__startswith="hotel-").exclude(types__code__in=hotels)
    assert not stars.exists()
    assert Offer.objects.filter(status=Status.PUBLISHED).count() > COUNT * 0.8
    assert OfferPhoto.objects.exists()
    assert default_storage.exists(OfferPhoto.objects.first().image.name)


def test_text_search_finds_demo_offers(demo):
    campings = offers_search(OfferQuery(text="camping"))
    assert campings.exists()
    assert offers_search(OfferQuery(text="gorges du Verdon")).filter(name="Gorges du Verdon").exists()
    assert offers_search(OfferQuery(text="plage")).count() >= 3


def test_offices_have_api_tokens_their_manager_sees(demo, client):
    from django.urls import reverse

    from acvs.api.models import ApiToken

    tokens = ApiToken.objects.filter(office__slug="cavalaire")
    assert tokens.count() == 3
    assert tokens.filter(revoked_at__isnull=False).count() == 1
    client.force_login(User.objects.get(username="direction.cavalaire"))
    page = client.get(reverse("api:tokens")).content.decode()
    assert "Centrale de réservation des meublés" in page
    assert "Site web de l'office" in page or "Site web de l&#x27;office" in page


def test_the_imports_page_shows_a_run_with_its_refusal_and_a_conflict_to_settle(demo, client):
    client.force_login(User.objects.get(username="direction.cavalaire"))
    assert "datatourisme-paca-cavalaire.jsonld" in client.get(reverse("interop:import_start")).text
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.COMMITTED
    page = client.get(reverse("interop:import_run", args=[run.pk])).text
    assert "Seul l’office propriétaire peut modifier cette offre." in page  # Gréoux's offer, left out
    assert "Nouveau pour la saison 2027 : " in page  # the base's newer text, for the office to settle
    assert 'name="choice" value="accept"' in page


def test_loading_twice_does_nothing_unless_reset(demo):
    names = sorted(Offer.objects.values_list("name", flat=True))
    assert "already loaded" in load(no_photos=True)
    assert Offer.objects.count() == COUNT
    load(reset=True, no_photos=True)
    assert sorted(Offer.objects.values_list("name", flat=True)) == names  # deterministic
    assert User.objects.filter(username="accueil.cavalaire").count() == 1
    from acvs.api.models import ApiToken

    assert ApiToken.objects.filter(office__slug="cavalaire").count() == 3  # the reset replaced them
