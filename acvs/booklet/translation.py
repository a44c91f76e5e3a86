"""The office writes its booklets' footer and opening hours in each booklet language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Branding


@register(Branding)
class BrandingTranslation(TranslationOptions):
    fields = ("opening_hours", "footer")
