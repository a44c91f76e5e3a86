"""DATAtourisme exports: SHACL-valid for the demo's offers of every family, invalid when broken, made of the
ontology's terms and of the real flux's structure, Turtle and JSON-LD saying the same, downloads on both pages."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from pyshacl import validate
from rdflib import OWL, RDF, Graph, URIRef
from rdflib.compare import isomorphic

from acvs.interop.datatourisme.export import CORE, graph_of
from acvs.network.models import Role, User
from acvs.offer import exports
from acvs.offer.models import Offer, OfferType

# The module loads the demo once: under pytest-xdist its tests stay in one process.
pytestmark = pytest.mark.xdist_group("demo-interop")

SHAPES = Graph().parse(Path(__file__).parents[2] / "acvs" / "interop" / "shapes" / "datatourisme.ttl")
ONTOLOGY = Graph().parse(Path(__file__).parents[2] / "acvs" / "offer" / "data" / "datatourisme-core-3.1.6.ttl")
SAMPLES = Path(__file__).parents[1] / "data" / "datatourisme"
# In the ontology, not in the five sample objects (they have no capacity; prices' and hours' notes are in others).
NOT_IN_SAMPLES = {CORE.allowedPersons, CORE.additionalInformation}


def conforms(graph: Graph) -> tuple[bool, str]:
    ok, _report, text = validate(graph, shacl_graph=SHAPES, ont_graph=ONTOLOGY, inference="none", allow_infos=True)
    return ok, text


def sample_graph() -> Graph:
    context = json.loads((SAMPLES / "context-2023.jsonld").read_text())
    graph = Graph()
    for path in sorted(SAMPLES.glob("[0-9]*.json")):
        data = json.loads(path.read_text())
        data["@context"] = context
        graph.parse(data=json.dumps(data), format="json-ld")
    return graph


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's network and 300 offers, loaded once for the module and rolled back at its end."""
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
    )
    with django_db_blocker.unblock(), fast, transaction.atomic():
        call_command("load_demo", offers=300, no_photos=True, years=1, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def agent_client(demo, db):
    client = Client()
    client.force_login(User.objects.filter(memberships__role=Role.AGENT).order_by("pk").first())
    return client


@pytest.fixture
def demo_export(agent_client) -> Graph:
    response = agent_client.get(reverse("offer:export", args=["ttl"]), {"all_statuses": "on", "order": "name"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/turtle")
    return Graph().parse(data=response.content, format="turtle")


def test_the_demo_offers_of_every_family_pass_the_shapes(demo_export):
    pois = set(demo_export.subjects(RDF.type, CORE.PointOfInterest))
    assert len(pois) == Offer.objects.count()
    in_demo = {f.code for f in OfferType.objects.filter(is_family=True, descendants__offers__isnull=False)}
    classes = {str(c).removeprefix(str(CORE)) for c in demo_export.objects(None, RDF.type)}
    exported = {f.code for f in OfferType.objects.filter(is_family=True, descendants__code__in=classes).distinct()}
    assert exported == in_demo
    assert len(exported) >= 10
    # Opening periods, prices, labels, event dates, contacts: each part of the mapping is exercised.
    for predicate in (CORE.takesPlaceAt, CORE.hasReview, CORE.offers, CORE.hasContact, CORE.allowedPersons):
        assert any(demo_export.triples((None, predicate, None))), predicate
    ok, text = conforms(demo_export)
    assert ok, text


def test_a_broken_export_fails_the_shapes(demo_export):
    broken = Graph() + demo_export
    poi = next(iter(broken.subjects(RDF.type, CORE.PointOfInterest)))
    place = broken.value(poi, CORE.isLocatedAt)
    address = broken.value(place, URIRef("http://schema.org/address"))
    broken.remove((address, CORE.hasAddressCity, None))
    ok, text = conforms(broken)
    assert not ok
    assert "hasAddressCity" in text

    unnamed = Graph() + demo_export
    unnamed.remove((poi, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None))
    assert not conforms(unnamed)[0]


def test_every_term_of_the_core_namespace_is_in_the_ontology(demo_export):
    used = set(demo_export.predicates()) | set(demo_export.objects(None, RDF.type))
    core_terms = {t for t in used if str(t).startswith(str(CORE))}
    known = {
        s for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty) for s in ONTOLOGY.subjects(RDF.type, kind)
    }
    assert core_terms - known == set()


def test_the_properties_are_those_of_the_real_flux(demo_export):
    real = set(sample_graph().predicates())
    assert set(demo_export.predicates()) - real - NOT_IN_SAMPLES == set()


def test_json_ld_says_what_turtle_says(agent_client, demo_export):
    response = agent_client.get(reverse("offer:export", args=["jsonld"]), {"all_statuses": "on", "order": "name"})
    assert response["Content-Type"] == "application/ld+json"
    document = json.loads(response.content)
    assert document["@context"]["@vocab"] == str(CORE)
    assert isomorphic(Graph().parse(data=response.content, format="json-ld"), demo_export)


def test_one_offer_from_its_page(agent_client):
    offer = Offer.objects.filter(event_schedules__isnull=False).first()
    page = agent_client.get(reverse("offer:detail", args=[offer.pk])).content.decode()
    url = reverse("offer:export_one", args=[offer.pk, "jsonld"])
    assert url in page
    graph = Graph().parse(data=agent_client.get(url).content, format="json-ld")
    (poi,) = graph.subjects(RDF.type, CORE.PointOfInterest)
    assert str(graph.value(poi, URIRef("http://purl.org/dc/elements/1.1/identifier"))) == str(offer.uuid)
    assert any(graph.triples((poi, CORE.takesPlaceAt, None)))
    assert conforms(graph)[0]


def test_registered_in_the_offer_exports(db, demo):  # db: ordered with the tests that keep the reference data
    assert {"ttl", "jsonld"} <= {e.code for e in exports.available()}
    assert len(graph_of([], "https://acvs.example/")) == 0


def test_rdf_formats_have_their_own_cap(agent_client, settings):
    settings.ACVS_EXPORT_MAX_RDF_OFFERS = 10
    criteria = {"all_statuses": "on"}
    refused = agent_client.get(reverse("offer:export", args=["jsonld"]), criteria, follow=True)
    assert "plus de 10 offres" in refused.content.decode()
    assert agent_client.get(reverse("offer:export", args=["csv"]), criteria).status_code == 200
