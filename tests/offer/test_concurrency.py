import threading

import pytest
from django.db import connection

from acvs.core.exceptions import ConflictError
from acvs.network.models import Commune
from acvs.offer import services
from acvs.offer.models import Offer, OfferType
from tests.conftest import membership
from tests.factories import OfferFactory


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_the_same_version_one_wins(agent, manager, cavalaire):
    offer = OfferFactory(name="Hôtel Le Bon Port", owner_office=cavalaire)
    camping = list(OfferType.objects.filter(code="Camping"))
    commune = Commune.objects.get(insee="83036")
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(user, name):
        try:
            data = services.OfferData(
                fields={"name": name, "commune": commune, "latitude": 43.17, "longitude": 6.53}, types=camping
            )
            acting = membership(user)
            barrier.wait()
            services.offer_update(offer=offer, membership=acting, version=1, data=data)
            outcomes[name] = "saved"
        except ConflictError:
            outcomes[name] = "refused"
        finally:
            connection.close()  # this thread's connection, so that the test database can be dropped

    threads = [threading.Thread(target=save, args=args) for args in ((agent, "A"), (manager, "B"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes.values()) == ["refused", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    offer = Offer.objects.get(pk=offer.pk)
    assert (offer.name, offer.version) == (winner, 2)
