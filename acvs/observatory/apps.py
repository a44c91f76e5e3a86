from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "acvs.observatory"
    verbose_name = _("Observatory")
