from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfferConfig(AppConfig):
    name = "acvs.offer"
    verbose_name = _("Offer base")

    def ready(self):
        from acvs.core.home import register_panel

        from . import thumbnails  # noqa: F401 — registers its background job

        register_panel("offer/_home_to_verify.html")
