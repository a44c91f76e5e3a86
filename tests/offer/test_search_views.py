"""The search page shows its results at once; the facet counts come after, from their own URL (htmx), or in the
page itself without JavaScript."""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from acvs.network.models import Commune
from acvs.offer.forms import OfferSearchForm
from acvs.offer.models import Status
from acvs.offer.search import OfferQuery
from acvs.offer.selectors import offers_to_verify
from tests.factories import OfferFactory

HTMX = {"HX-Request": "true", "HX-Target": "facets"}


@pytest.fixture
def offers(cavalaire, croix_valmer):
    return [
        OfferFactory(name="Camping Les Pins", owner_office=cavalaire, types=["Camping"]),
        OfferFactory(name="Camping de la Mer", owner_office=croix_valmer, types=["Camping"],
                     commune=Commune.objects.get(insee="83048")),
        OfferFactory(name="Musée de la Mer", owner_office=cavalaire, types=["Museum"]),
    ]  # fmt: skip


def test_the_results_page_asks_for_its_facets_after(client, agent, offers, django_assert_max_num_queries):
    client.force_login(agent)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("offer:search"), {"q": "camping", "page": "1"})
    body = response.content.decode()
    assert response.context["facets"] is None
    assert "2 offres" in body
    facets_url = reverse("offer:facets") + "?q=camping"  # the same search, any page
    assert f'hx-get="{facets_url}" hx-trigger="load"' in body
    assert f'<a href="{facets_url}">Afficher les décomptes</a>' in body  # without JavaScript
    assert "facet-count" not in body


def test_facets_come_as_the_filters_with_counts(client, agent, offers):
    client.force_login(agent)
    response = client.get(reverse("offer:facets"), {"q": "mer"}, headers=HTMX)
    assert response.status_code == 200
    assert response.templates[0].name == "offer/_partials/facets.html"
    body = response.content.decode()
    families = [(t.code, n) for t, n in response.context["facets"]["families"]]
    assert families == [("Accommodation", 2), ("CulturalSite", 1)]  # «mer»: Cavalaire-sur-Mer is in the documents
    assert 'name="types"' in body  # the filters themselves, to swap in place
    assert '<span class="facet-count">(2)</span>' in body
    communes = body[body.index('id="main-communes"') :].split("</p>")[0]
    assert "Cavalaire-sur-Mer <span" in communes
    assert "La Croix-Valmer <span" in communes
    assert "hx-get" not in body  # no second round


def test_without_javascript_the_facets_link_gives_the_page_with_its_counts(client, agent, offers):
    client.force_login(agent)
    response = client.get(reverse("offer:facets"), {"q": "camping"})
    assert response.templates[0].name == "offer/search.html"
    body = response.content.decode()
    assert "Camping Les Pins" in body  # the results
    assert '<span class="facet-count">(2)</span>' in body


def test_facets_of_bad_criteria_say_what_to_do(client, agent, offers):
    client.force_login(agent)
    response = client.get(reverse("offer:facets"), {"commune": "Atlantis", "radius": "10"}, headers=HTMX)
    assert response.status_code == 200  # swapped by htmx (it leaves 4xx answers out)
    assert "Corrigez les critères de recherche pour voir les décomptes." in response.content.decode()


def test_a_total_above_the_cap_says_more_than(client, agent, offers, cavalaire, settings):
    settings.ACVS_SEARCH_TOTAL_CAP = 2
    OfferFactory(name="Musée de la Plage", owner_office=cavalaire, types=["Museum"])
    client.force_login(agent)
    with connection.cursor() as cursor:  # PostgreSQL tells a broad search by its statistics
        cursor.execute("ANALYZE offer_offer" if connection.vendor == "postgresql" else "SELECT 1")
    body = client.get(reverse("offer:search"), {"order": "name"}).content.decode()
    assert "Plus de 2 offres" in body
    # An estimate (4 offers expected > 1.2 x 2) on PostgreSQL, a count on SQLite.
    assert ("(estimation)" in body) is (connection.vendor == "postgresql")
    assert "Seules les 2 premières peuvent être parcourues" in body
    assert "Page 1 sur" not in body


def test_the_home_page_link_lists_the_offices_offers_to_verify(client, agent, cavalaire, croix_valmer, settings):
    """«See all the offers to verify» on the home page: the office's own offers (drafts included) not verified
    for the freshness period, as the home page counts them; both filters shown and removable."""
    settings.ACVS_SEARCH_PAGE_SIZE = 10
    long_ago = timezone.now() - timedelta(days=800)
    for i in range(15):
        OfferFactory(name=f"Ancien {i:02d}", owner_office=cavalaire, verified_at=long_ago)
    OfferFactory(name="Brouillon jamais vérifié", owner_office=cavalaire, status=Status.DRAFT)
    OfferFactory(name="Vérifié hier", owner_office=cavalaire, verified_at=timezone.now() - timedelta(days=1))
    OfferFactory(name="Archivé", owner_office=cavalaire, status=Status.ARCHIVED)
    OfferFactory(name="Ancien voisin", owner_office=croix_valmer, verified_at=long_ago)
    client.force_login(agent)
    home = client.get(reverse("home")).content.decode()
    link = html.unescape(re.search(r'<a href="([^"]*owner=mine[^"]*)">', home)[1])
    response = client.get(link)
    assert response.status_code == 200
    page = response.context["page"]
    expected = set(offers_to_verify(cavalaire).values_list("name", flat=True))
    assert len(expected) == 16
    assert page.paginator.count == 16
    body = response.content.decode()
    following = html.unescape(
        re.search(r'<a href="([^"]+)" hx-get="[^"]+" hx-target="#search-body" hx-push-url="true" rel="next"', body)[1]
    )
    second = client.get(following).context["page"]
    assert second.number == 2
    assert {o.name for o in page} | {o.name for o in second} == expected
    assert re.search(r'<input type="checkbox" name="owner" value="mine"[^>]* checked', body)
    assert re.search(r'<input type="checkbox" name="stale" value="1"[^>]* checked', body)
    # Removing «my office's offers» keeps «to verify»: the neighbour's old offer comes in.
    remove = html.unescape(re.search(r'id="filter-owner">[^<]*<a href="([^"]+)"', body)[1])
    others = client.get(remove)
    assert others.context["query"] == OfferQuery(to_verify=True, statuses=())
    assert others.context["page"].paginator.count == 17
    assert 'id="filter-owner"' not in others.content.decode()
    assert 'id="filter-stale"' in others.content.decode()


def test_owner_mine_needs_an_office_and_a_known_value(client, agent, offers):
    form = OfferSearchForm({"owner": "mine"}, acting_office=None)
    assert not form.is_valid()
    assert form.errors["owner"] == ["Vous n’agissez pour aucun office : aucune offre n’est à vous."]
    client.force_login(agent)
    response = client.get(reverse("offer:search"), {"owner": "all", "stale": "yes"})
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count('class="field-error" role="alert"') == 2  # both shown beside their checkbox
    mine = client.get(reverse("offer:search"), {"owner": "mine", "q": "camping"})
    assert [o.name for o in mine.context["page"]] == ["Camping Les Pins"]  # not the neighbour's camping


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
@pytest.mark.django_db(transaction=True)
def test_the_search_pages_answer_with_default_transaction_read_only(client, agent, offers):
    """As on a read replica: every transaction of the connection is read-only (default_transaction_read_only = on),
    and the results page, its facets and a page by type still answer."""
    client.force_login(agent)
    with connection.cursor() as cursor:
        cursor.execute("SET SESSION default_transaction_read_only = on")
    try:
        for url, params in [
            ("offer:search", {"q": "camping"}),
            ("offer:facets", {"q": "mer"}),
            ("offer:search", {"types": offers[0].types.get().ancestors.get(is_family=True).pk, "page": "1"}),
            ("offer:search", {"owner": "mine", "stale": "1", "order": "freshness"}),
        ]:
            response = client.get(reverse(url), params)
            assert response.status_code == 200, url
        with connection.cursor() as cursor:
            cursor.execute("SHOW default_transaction_read_only")
            assert cursor.fetchone() == ("on",)  # the setting held for every request
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET default_transaction_read_only")
