"""Return paths name the message that bounced, and a forged one names nothing."""

import pytest

from acvs.mailing import verp


@pytest.fixture
def bounces_address(settings):
    settings.ACVS_BOUNCES_ADDRESS = "bounces@ot.example"


def test_a_return_path_names_its_kind_and_row(bounces_address):
    address = verp.return_path("campaign", 42)
    assert address.startswith("bounces+campaign.42.")
    assert address.endswith("@ot.example")
    assert verp.target(address) == ("campaign", 42)


def test_a_forged_or_foreign_address_names_nothing(bounces_address):
    address = verp.return_path("campaign", 42)
    assert verp.target(address.replace(".42.", ".43.")) is None
    assert verp.target("bounces+campaign.42.forged@ot.example") is None
    assert verp.target("someone@example.org") is None
    assert verp.target("bounces+campaign.x.y@ot.example") is None


def test_no_bounces_mailbox_no_return_path(settings):
    settings.ACVS_BOUNCES_ADDRESS = ""
    assert verp.return_path("answer", 1) is None


def test_a_bounce_reaches_the_handler_of_its_kind(bounces_address):
    seen = []
    verp.register("testkind", lambda pk, bounce: seen.append((pk, bounce)))
    bounce = verp.Bounce(address="v@example.org", hard=True, status="5.1.1")
    assert verp.handle(verp.return_path("testkind", 7), bounce)
    assert seen == [(7, bounce)]
    assert not verp.handle(verp.return_path("unknownkind", 7), bounce)
    assert not verp.handle("bounces+testkind.7.nope@ot.example", bounce)
