"""Statistics of demand and offer/demand fit, from rollup tables kept by the worker."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "acvs.observatory"
    verbose_name = _("Observatory")

    def ready(self):
        from acvs.core import activity

        from . import signals
        from .services import mark

        activity.register(mark)
        signals.connect()
