from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookletConfig(AppConfig):
    name = "acvs.booklet"
    verbose_name = _("Stay booklets")

    def ready(self):
        from . import tasks  # noqa: F401 — registers its background jobs
