from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingConfig(AppConfig):
    name = "acvs.mailing"
    verbose_name = _("Mailing")

    def ready(self):
        from acvs.contacts.timeline import register_source
        from acvs.core.home import register_panel

        from . import selectors, sending, verp

        register_panel("mailing/_home_answers.html")
        register_source(selectors.timeline_entries)
        verp.register("answer", sending.answer_bounced)

        from . import personal

        personal.register()
