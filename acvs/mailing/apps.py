from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingConfig(AppConfig):
    name = "acvs.mailing"
    verbose_name = _("Mailing")

    def ready(self):
        from acvs.core.home import register_panel

        register_panel("mailing/_home_answers.html")
