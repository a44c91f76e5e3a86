"""The API speaks DATAtourisme JSON-LD too: the same offers as its JSON, SHACL-valid, paged by Link headers,
cached by ETag, and errors still explained in JSON."""

import json

import pytest
from django.urls import reverse
from rdflib import RDF, RDFS, Graph, URIRef

from acvs.interop.datatourisme.export import CORE
from acvs.offer.models import Offer
from tests.api.test_api import bearer, reader  # noqa: F401 (the token fixture)
from tests.factories import OfferFactory
from tests.interop.test_datatourisme import conforms

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotels(cavalaire):
    return [OfferFactory(name=f"Hôtel {n}", owner_office=cavalaire, types=["Hotel"]) for n in range(3)]


def graph_of(response) -> Graph:
    assert response["Content-Type"].startswith("application/ld+json")
    return Graph().parse(data=response.content, format="json-ld")


def points_of(graph: Graph) -> set[str]:
    return {str(s) for s in graph.subjects(RDF.type, CORE.PointOfInterest)}


def names_of(graph: Graph) -> set[str]:
    return {str(graph.value(URIRef(poi), RDFS.label)) for poi in points_of(graph)}


def test_the_offers_list_in_json_ld_holds_the_page_the_json_holds(client, reader, hotels):  # noqa: F811
    params = {"type": "Hotel", "order": "name", "per_page": "2"}
    as_json = client.get(reverse("api:offers"), params, headers=bearer(reader)).json()
    response = client.get(reverse("api:offers"), params | {"format": "jsonld"}, headers=bearer(reader))
    graph = graph_of(response)
    uuids = {str(result["uuid"]) for result in as_json["results"]}
    assert {iri.rsplit("/", 1)[-1] for iri in points_of(graph)} == uuids
    assert names_of(graph) == {"Hôtel 0", "Hôtel 1"}
    assert response["X-Total-Count"] == "3"
    assert 'rel="next"' in response["Link"]
    ok, report = conforms(graph)
    assert ok, report


def test_the_next_link_gives_the_rest(client, reader, hotels):  # noqa: F811
    params = {"type": "Hotel", "order": "name", "per_page": "2", "format": "jsonld"}
    first = client.get(reverse("api:offers"), params, headers=bearer(reader))
    next_url = first["Link"].split(";")[0].strip("<>")
    second = client.get(next_url, headers=bearer(reader))
    assert names_of(graph_of(second)) == {"Hôtel 2"}
    assert 'rel="previous"' in second["Link"]
    assert 'rel="next"' not in second["Link"]


def test_an_offer_by_accept_header_with_etag(client, reader, hotels):  # noqa: F811
    url = reverse("api:offer", args=[hotels[0].pk])
    headers = bearer(reader) | {"Accept": "application/ld+json"}
    response = client.get(url, headers=headers)
    graph = graph_of(response)
    assert len(points_of(graph)) == 1
    again = client.get(url, headers=headers | {"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    Offer.objects.filter(pk=hotels[0].pk).update(name="Hôtel Zéro")
    changed = client.get(url, headers=headers | {"If-None-Match": response["ETag"]})
    assert changed.status_code == 200
    assert "Hôtel Zéro" in changed.content.decode()


def test_errors_stay_explained_in_json(client, reader):  # noqa: F811
    response = client.get(reverse("api:offers"), {"format": "jsonld", "radius": "-3"}, headers=bearer(reader))
    assert response.status_code == 400
    assert "radius" in json.loads(response.content)
    missing = client.get(reverse("api:offer", args=[999999]), {"format": "jsonld"}, headers=bearer(reader))
    assert missing.status_code == 404


def test_an_unknown_format_is_refused(client, reader):  # noqa: F811
    response = client.get(reverse("api:offers"), headers=bearer(reader) | {"Accept": "text/turtle"})
    assert response.status_code == 406
    assert response.json()["detail"]
