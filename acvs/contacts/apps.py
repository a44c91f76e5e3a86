from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "acvs.contacts"
    verbose_name = _("Contacts")

    def ready(self):
        from acvs.desk.services import register_request_hook

        from . import rights, services, tasks, timeline  # noqa: F401 — tasks registers the import's background job

        # A request recorded with an email or a phone finds (or makes) its contact, in the same transaction.
        register_request_hook(services.request_recorded)
        timeline.register_defaults()
        rights.register_defaults()
