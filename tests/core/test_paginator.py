"""The one parser of the page asked for, bounded so that no OFFSET overflows."""

import pytest
from django.urls import reverse

from acvs.core.paginator import page_number
from acvs.network.models import Commune
from tests.factories import OfferFactory


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
def test_a_page_far_past_the_end_gives_the_last_page(client, agent, cavalaire, asked):
    commune = Commune.objects.get(insee="83036")
    for i in range(3):
        OfferFactory(name=f"Hôtel {i}", owner_office=cavalaire, commune=commune)
    client.force_login(agent)
    response = client.get(reverse("offer:search"), {"q": "hôtel", "order": "name", "page": asked})
    assert (response.status_code, response.context["page"].number) == (200, 1)
