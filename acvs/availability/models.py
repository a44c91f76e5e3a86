"""Availability of accommodation offers, night by night, and the log of every change."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class State(models.TextChoices):
    FREE = "free", _("Free")
    FEW = "few", _("Few left")
    FULL = "full", _("Full")
    CLOSED = "closed", pgettext_lazy("availability", "Closed")


# States a visitor can book in.
AVAILABLE_STATES = (State.FREE, State.FEW)


class AvailabilityNight(models.Model):
    """The state of one night of an accommodation offer, as last confirmed by its office."""

    # No index of its own: the unique (offer, night) index starts with it.
    offer = models.ForeignKey(
        "offer.Offer",
        verbose_name=_("offer"),
        on_delete=models.CASCADE,
        related_name="availability_nights",
        db_index=False,
    )
    night = models.DateField(_("night"))
    state = models.CharField(_("state"), max_length=6, choices=State.choices)
    units_free = models.PositiveSmallIntegerField(_("units free"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("availability night")
        verbose_name_plural = _("availability nights")
        ordering = ["offer", "night"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "night"], name="availability_offer_night_unique"),
            models.CheckConstraint(condition=Q(state__in=[s.value for s in State]), name="availability_state_valid"),
        ]
        indexes = [
            # The search probes each candidate offer for each night of the stay (bookable state, confirmed
            # recently): one descent per probe and no row read (index-only; state and updated_at are in the key as
            # SQLite has no INCLUDE). With the night first, the two bookable states made it two descents.
            models.Index(fields=["offer", "night", "state", "updated_at"], name="availability_offer_night_fresh"),
        ]

    def __str__(self):
        return f"{self.offer_id} {self.night}: {self.state}"


class AvailabilityChange(models.Model):
    """One change of one night: who, when, for which office, old → new. Never updated nor deleted by the app."""

    offer = models.ForeignKey(
        "offer.Offer", verbose_name=_("offer"), on_delete=models.CASCADE, related_name="availability_changes"
    )
    night = models.DateField(_("night"))
    old_state = models.CharField(_("old state"), max_length=6, choices=State.choices, blank=True)
    new_state = models.CharField(_("new state"), max_length=6, choices=State.choices)
    old_units = models.PositiveSmallIntegerField(_("old units free"), null=True, blank=True)
    new_units = models.PositiveSmallIntegerField(_("new units free"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    office = models.ForeignKey(
        "network.Office", verbose_name=_("office"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("availability change")
        verbose_name_plural = _("availability changes")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["offer", "night", "at"], name="availability_change_night")]

    def __str__(self):
        return f"{self.offer_id} {self.night}: {self.old_state or '∅'} → {self.new_state}"
