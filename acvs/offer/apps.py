from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfferConfig(AppConfig):
    name = "acvs.offer"
    verbose_name = _("Offer base")

    def ready(self):
        from . import thumbnails  # noqa: F401 — registers its background job
