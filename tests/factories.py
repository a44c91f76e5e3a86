"""Factories for offers; network objects come from the fixtures of conftest.py."""

import factory

from acvs.network.models import Commune
from acvs.offer.models import Offer, OfferType, Status
from acvs.offer.search import indexing


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Hôtel Les Mimosas {n}")
    status = Status.PUBLISHED
    commune = factory.LazyFunction(lambda: Commune.objects.get(insee="83036"))
    latitude = factory.LazyAttribute(lambda o: o.commune.latitude)
    longitude = factory.LazyAttribute(lambda o: o.commune.longitude)
    short_description_fr = "Un hôtel familial à deux pas de la plage."

    @factory.post_generation
    def types(self, create, extracted, **kwargs):
        codes = extracted or ["Hotel"]
        self.types.set(OfferType.objects.filter(code__in=codes))
        indexing.reindex([self.pk])
