"""The search's paginator: a page and its total from one scan, the search's computed values kept."""

import pytest
from django.urls import reverse

from acvs.core.paginator import OneQueryPaginator, page_number
from acvs.network.models import Commune
from acvs.offer.models import Offer
from acvs.offer.selectors import OfferQuery, offers_search
from tests.factories import OfferFactory


@pytest.fixture
def offers(cavalaire):
    commune = Commune.objects.get(insee="83036")
    # Due north of Cavalaire, 0 to 4 km away (1/111 of a degree of latitude is about 1 km).
    return [
        OfferFactory(
            name=f"Hôtel {i}", owner_office=cavalaire, latitude=commune.latitude + i / 111, longitude=commune.longitude
        )
        for i in range(5)
    ]


def test_a_page_comes_with_the_total_in_order_with_the_distance(offers):
    query = OfferQuery(commune=Commune.objects.get(insee="83036"), radius_km=10, order="distance")
    paginator = OneQueryPaginator(offers_search(query).select_related("commune"), 2)
    page = paginator.get_page(2)
    assert [o.name for o in page] == ["Hôtel 2", "Hôtel 3"]
    assert paginator.count == 5
    assert paginator.num_pages == 3
    assert page.has_next()
    assert page[0].distance_km == pytest.approx(2.0, abs=0.1)
    assert page[0].commune.insee == "83036"


def test_past_the_end_gives_the_last_page_and_garbage_the_first(offers):
    paginator = OneQueryPaginator(Offer.objects.order_by("name"), 2)
    assert [o.name for o in paginator.get_page(99)] == ["Hôtel 4"]
    assert paginator.get_page("abc").number == 1


def test_text_search_pages_keep_their_rank(offers):
    paginator = OneQueryPaginator(offers_search(OfferQuery(text="hôtel")), 3)
    page = paginator.get_page(1)
    assert paginator.count == 5
    assert len(page) == 3
    assert all(o.rank is not None for o in page)


def test_no_result_is_an_empty_first_page(db):
    paginator = OneQueryPaginator(Offer.objects.order_by("pk"), 20)
    page = paginator.get_page(1)
    assert list(page) == []
    assert (paginator.count, page.number) == (0, 1)


@pytest.mark.parametrize(
    ("asked", "number"),
    [
        ("3", 3),
        ("0", 1),
        ("-4", 1),
        ("abc", 1),
        ("", 1),
        (None, 1),
        ("1.5", 1),
        (str(2**63), 100_000),
        ("9" * 40, 100_000),
    ],  # fmt: skip
)
def test_the_page_number_is_a_whole_number_within_bounds(asked, number):
    assert page_number(asked) == number


@pytest.mark.parametrize("asked", [str(2**63), "9" * 40])
def test_a_page_far_past_the_end_gives_the_last_page(client, agent, offers, asked):
    client.force_login(agent)
    response = client.get(reverse("offer:search"), {"q": "hôtel", "order": "name", "page": asked})
    assert (response.status_code, response.context["page"].number) == (200, 1)
