from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "acvs.desk"
    verbose_name = _("Counter")

    def ready(self):
        from acvs.core.home import register_panel

        register_panel("desk/_home_overdue.html")
