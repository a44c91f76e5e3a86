from acvs.network.models import Commune
from acvs.offer.models import OfferType


def test_reference_data_is_loaded(db):
    assert Commune.objects.get(insee="83036").name == "Cavalaire-sur-Mer"
    hotel = OfferType.objects.get(code="Hotel")
    assert hotel.label_fr == "Hôtel"
    assert set(hotel.ancestors.values_list("code", flat=True)) >= {
        "Hotel",
        "Accommodation",
        "PointOfInterest",
    }
