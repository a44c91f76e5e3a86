from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from acvs.core.tenancy import scoped_manager


class Purpose(models.TextChoices):
    NEWSLETTER = "newsletter", _("Office newsletter")
    REQUEST = "request", _("Contact about the request")
    NETWORK = "network", _("Département and network communications")


class ConsentMethod(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    AGENT = "agent", _("Recorded by an agent")
    FORM = "form", _("Web form")
    IMPORT = "import", _("Import")


class AppendOnlyError(Exception):
    """Consent history is proof: it is never rewritten nor deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Consent events are never changed: record a new event.")

    def delete(self):
        raise AppendOnlyError("Consent events are never deleted: record a withdrawal.")

    def move_to(self, contact) -> int:
        """Merging contacts: the events change owner, never content (who, when, how, what was shown)."""
        return super().update(contact=contact)


# The office's scoped manager, whose querysets refuse updates and deletes.
_Scoped = type(scoped_manager(office="office"))


class ConsentManager(_Scoped.from_queryset(AppendOnlyQuerySet)):
    pass


class ConsentEvent(models.Model):
    """A consent given or withdrawn for one purpose, with its proof. Current consent: the latest event per purpose."""

    office = models.ForeignKey("network.Office", on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    given = models.BooleanField(_("given"))
    at = models.DateTimeField(_("when"), db_index=True)
    method = models.CharField(_("how"), max_length=8, choices=ConsentMethod.choices)
    origin = models.CharField(_("stated origin"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("text shown"))

    objects = ConsentManager()

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["contact", "purpose", "-at"], name="contacts_consent_latest")]

    def __str__(self):
        return f"{self.get_purpose_display()}: {self.given}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("Consent events are never changed: record a new event.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Consent events are never deleted: record a withdrawal.")
