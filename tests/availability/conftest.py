import pytest
from django.utils import translation

from tests.factories import OfferFactory


@pytest.fixture(autouse=True)
def french():
    """Messages are checked in French; other tests may leave English active."""
    with translation.override("fr"):
        yield


@pytest.fixture
def hotel(cavalaire):
    return OfferFactory(name="Hôtel Le Bon Port", owner_office=cavalaire, types=["Hotel"])


@pytest.fixture
def museum(cavalaire):
    return OfferFactory(name="Musée de la Mer", owner_office=cavalaire, types=["Museum"])
