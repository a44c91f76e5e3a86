from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "acvs.campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        from acvs.mailing import verp

        from . import sending

        # The bounce mailbox reader (mailing) hands back the bounces of our messages to mark their rows.
        verp.register("campaign", sending.bounced)

        from . import personal

        personal.register()
