from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AvailabilityConfig(AppConfig):
    name = "acvs.availability"
    verbose_name = _("Availability")

    def ready(self):
        from acvs.offer.search.filters import register_stay_filter

        from .selectors import filter_available

        register_stay_filter(filter_available)
