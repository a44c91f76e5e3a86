import pytest
from django.urls import reverse

from acvs.core.http import safe_next
from acvs.offer.models import Offer
from tests.factories import OfferFactory

UNSAFE = [
    "not-a-url", "home", "offer:search", "https://evil.example/", "//evil.example/", "/\\evil.example",
    "https:evil.example", "http:///evil.example", "javascript:alert(1)", "\x00", " /", "/" + "x" * 2000, "", None,
]  # fmt: skip


@pytest.mark.parametrize("url", UNSAFE)
def test_next_that_is_not_a_path_of_this_site_is_dropped(rf, url):
    assert safe_next(rf.get("/"), url) == ""


@pytest.mark.parametrize("url", ["/", "/offers/?q=h%C3%B4tel&page=2", "/network/users/3/", "http://testserver/desk/"])
def test_paths_of_this_site_are_kept(rf, url):
    assert safe_next(rf.get("/"), url) == url


@pytest.mark.parametrize("bad", ["not-a-url", "https://evil.example/", "/" + "é" * 3000])
def test_a_bad_next_keeps_the_change_and_goes_back_to_a_safe_page(client, agent, cavalaire, bad):
    offer = OfferFactory(owner_office=cavalaire)
    client.force_login(agent)
    response = client.post(reverse("offer:verify", args=[offer.pk]), {"next": bad})
    assert (response.status_code, response.headers["Location"]) == (302, reverse("offer:detail", args=[offer.pk]))
    assert Offer.objects.get(pk=offer.pk).verified_at is not None


def test_a_good_next_is_followed(client, agent, cavalaire):
    offer = OfferFactory(owner_office=cavalaire)
    client.force_login(agent)
    response = client.post(reverse("offer:verify", args=[offer.pk]), {"next": "/?from=verify"})
    assert response.headers["Location"] == "/?from=verify"
