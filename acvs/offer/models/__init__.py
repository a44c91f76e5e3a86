from .offer import Offer, OfferPhoto, OpeningPeriod, PetsPolicy, Price, Status
from .provider import Provider, ProviderContact
from .reference import Feature, Label
from .taxonomy import OfferType

__all__ = [
    "Feature",
    "Label",
    "Offer",
    "OfferPhoto",
    "OfferType",
    "OpeningPeriod",
    "PetsPolicy",
    "Price",
    "Provider",
    "ProviderContact",
    "Status",
]
