"""Fields whose content exists in several languages (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Feature, Label, Offer, OfferType


@register(OfferType)
class OfferTypeTranslation(TranslationOptions):
    fields = ("label",)


@register(Label)
class LabelTranslation(TranslationOptions):
    fields = ("name",)


@register(Feature)
class FeatureTranslation(TranslationOptions):
    fields = ("name",)


@register(Offer)
class OfferTranslation(TranslationOptions):
    fields = ("short_description", "description")
