import pytest
from django.utils import translation

from acvs.network.models import Commune
from tests.factories import OfferFactory


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def make_event(office, name="Fête de la Saint-Pierre", insee="83036", **extra):
    commune = Commune.objects.get(insee=insee)
    return OfferFactory(
        name=name,
        owner_office=office,
        commune=commune,
        latitude=commune.latitude,
        longitude=commune.longitude,
        **{"types": ["Festival"], **extra},
    )


@pytest.fixture
def event(cavalaire):
    return make_event(cavalaire)
