from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One change to a record: who, when, and each changed field with its old and new values.

    Written by services (the only write path), so it records business fields as users see them,
    including child collections such as opening periods, which model-level history tools miss.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        VERIFY = "verify", _("Verified")
        DELETE = "delete", _("Deleted")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    office = models.ForeignKey(
        "network.Office", verbose_name=_("office"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    # [{"field": "name", "label": "Nom", "old": "...", "new": "..."}]
    changes = models.JSONField(_("changes"), default=list)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
