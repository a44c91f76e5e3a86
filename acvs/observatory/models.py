"""Rollups: figures of an office's activity pre-aggregated per day and per month, so that a dashboard reads a few
hundred rows instead of scanning requests. They are derived data: `services.refresh` rebuilds any (office, day) from
the raw rows, and a full recount gives the same tables. Aggregates only: no row holds a visitor's identity."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from acvs.core.tenancy import scoped_manager


class Dimension(models.TextChoices):
    REQUESTS = "requests", _("Requests")
    VISITORS = "visitors", _("Visitors")
    CHANNEL = "channel", _("Channel")
    ORIGIN = "origin", _("Origin")
    COUNTRY = "country", _("Country of origin")
    DEPARTMENT = "department", _("Département of origin")
    PROFILE = "profile", _("Profile")
    PARTY = "party", _("Party size")
    LANGUAGE = "language", _("Language")
    THEME = "theme", _("Theme")
    TYPE = "type", _("Requested type")
    MISSING = "missing", _("Missing type")
    OUTCOME = "outcome", _("Outcome")


class Figure(models.Model):
    """One number: how many requests of an office had `key` in `dimension` (the key is empty for the totals)."""

    office = models.ForeignKey("network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    key = models.CharField(_("key"), max_length=80, blank=True)
    value = models.PositiveIntegerField(_("value"))

    objects = scoped_manager(office="office")

    class Meta:
        abstract = True


class DailyFigure(Figure):
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(fields=["office", "day", "dimension", "key"], name="observatory_daily_unique")
        ]

    def __str__(self):
        return f"{self.day} {self.dimension} {self.key}: {self.value}"


class MonthlyFigure(Figure):
    month = models.DateField(_("month"), help_text=_("Its first day."))

    class Meta:
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(fields=["office", "month", "dimension", "key"], name="observatory_monthly_unique")
        ]
        # The département and network views read one dimension of every office over a range of months.
        indexes = [models.Index(fields=["dimension", "month", "office"], name="observatory_monthly_dim")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.dimension} {self.key}: {self.value}"


class AreaFigure(models.Model):
    """A département's monthly figure, the sum of its offices' (the network's when `department` is empty): what the
    département and network dashboards read, so that they never sum thousands of offices on each page. Not any
    office's: an aggregate of several, shown with small cells suppressed."""

    department = models.ForeignKey(
        "network.Department",
        verbose_name=_("département"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    month = models.DateField(_("month"), help_text=_("Its first day."))
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    key = models.CharField(_("key"), max_length=80, blank=True)
    value = models.PositiveIntegerField(_("value"))

    class Meta:
        verbose_name = _("figure of an area")
        verbose_name_plural = _("figures of areas")
        indexes = [models.Index(fields=["department", "month", "dimension"], name="observatory_area_month")]

    def __str__(self):
        return f"{self.department or '-'} {self.month:%Y-%m} {self.dimension} {self.key}: {self.value}"


class DirtyDay(models.Model):
    """A day of an office whose figures must be rebuilt: written with the activity that changed it (same
    transaction), drained by the worker. Duplicates are allowed (no waiting between concurrent counters)."""

    office = models.ForeignKey("network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("day to recount")
        verbose_name_plural = _("days to recount")

    def __str__(self):
        return f"{self.office_id} {self.day}"
