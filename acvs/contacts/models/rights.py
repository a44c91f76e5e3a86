from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from acvs.core.tenancy import scoped_manager


class AccessAction(models.TextChoices):
    EXPORT_JSON = "export_json", _("Export (JSON)")
    EXPORT_PDF = "export_pdf", _("Export (PDF)")
    ERASE_FORM = "erase_form", _("Erasure form opened")
    ERASE = "erase", _("Erasure")
    RETENTION_ASKED = "asked", _("Asked whether to stay")
    RETENTION_KEPT = "kept", _("Chose to stay")
    PURGE = "purge", _("Retention purge")


class AccessLog(models.Model):
    """Who used a person's rights (export, erasure) or the retention on which contact, and when: read by managers.

    The contact's number is kept apart from the link, so an entry still names it after a merge deleted the row.
    Counts only (rows exported or erased), never the data itself.
    """

    office = models.ForeignKey("network.Office", on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="access_log"
    )
    contact_number = models.PositiveBigIntegerField(_("contact number"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=12, choices=AccessAction.choices)
    # {"label as users read it": count}
    counts = models.JSONField(_("counts"), default=dict, blank=True)

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("access to personal data")
        verbose_name_plural = _("accesses to personal data")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["office", "-at"], name="contacts_access_office_at")]

    def __str__(self):
        return f"{self.get_action_display()} #{self.contact_number} {self.at:%Y-%m-%d %H:%M}"
