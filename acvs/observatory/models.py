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
    STAY = "stay", _("Stay length")
    NIGHTS = "nights", _("Nights of the stays")  # their sum (key empty): the mean stay length
    LEAD = "lead", _("Lead time")
    LEAD_DAYS = "lead_days", _("Days of lead time")  # their sum (key empty): the mean lead time
    BROCHURES = "brochures", _("Brochures handed out")  # copies, per document (key: its id)
    BOOKLETS = "booklets", _("Stay booklets")  # keys "made" and "opened" (first opened on that day)


# The figures compared office by office (and département by département): requests, visitors, from abroad, not
# satisfied (the desk's Origin.ABROAD and Outcome.NOT).
UNIT_FIGURES = [
    (Dimension.REQUESTS.value, ""), (Dimension.VISITORS.value, ""),
    (Dimension.ORIGIN.value, "abroad"), (Dimension.OUTCOME.value, "not"),
]  # fmt: skip


def unit_figures() -> models.Q:
    """The rows of UNIT_FIGURES: the condition of the selector and of its partial index (the same expression, so
    that PostgreSQL sees that the index holds every row the query asks for)."""
    condition = models.Q()
    for dimension, key in UNIT_FIGURES:
        condition |= models.Q(dimension=dimension, key=key)
    return condition


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
        indexes = [
            # The network's views read one dimension of every office over a range of months.
            models.Index(fields=["dimension", "month", "office"], name="observatory_monthly_dim"),
            # A département's compares its offices on four figures: without this index PostgreSQL read all the
            # offices' rows (every dimension, ~40 times more) to keep those (docs/performance-observatory.md).
            models.Index(fields=["office", "month"], condition=unit_figures(), name="observatory_monthly_unit"),
        ]

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
        indexes = [
            models.Index(fields=["department", "month", "dimension"], name="observatory_area_month"),
            # The network compares its départements on four figures: without this index PostgreSQL scanned every
            # area row (1.1 million at full scale, ~120 ms) to keep 9,600; the figures in the index, it reads them
            # from the index alone (key columns, not INCLUDE: SQLite has no non-key columns and warns).
            models.Index(
                fields=["month", "department", "dimension", "key", "value"],
                condition=unit_figures(),
                name="observatory_area_unit",
            ),
        ]

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


class OfferFigure(models.Model):
    """The published offers of a type, its sub-types included, in a département: the offer side of the fit for the
    département and network dashboards (the network's is the sum over the départements, an offer being in one),
    so that no page counts offers. Kept by the worker (`services.refresh_offers`), recounted per département
    whenever one of its offers changes; a full recount gives the same table."""

    department = models.ForeignKey(
        "network.Department", verbose_name=_("département"), on_delete=models.CASCADE, related_name="+"
    )
    type = models.CharField(_("type"), max_length=80)  # an OfferType's code, as the demand figures' keys
    value = models.PositiveIntegerField(_("value"))

    class Meta:
        verbose_name = _("published offers of a type")
        verbose_name_plural = _("published offers of types")
        constraints = [models.UniqueConstraint(fields=["department", "type"], name="observatory_offer_figure_unique")]
        # The network sums a few types over every département.
        indexes = [models.Index(fields=["type", "department"], name="observatory_offer_type")]

    def __str__(self):
        return f"{self.department_id} {self.type}: {self.value}"


class DirtyDepartment(models.Model):
    """A département whose published offers changed: its `OfferFigure` rows must be recounted. Written with the
    change (same transaction), drained by the worker; duplicates are allowed."""

    department = models.ForeignKey(
        "network.Department", verbose_name=_("département"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("département to recount")
        verbose_name_plural = _("départements to recount")

    def __str__(self):
        return str(self.department_id)
