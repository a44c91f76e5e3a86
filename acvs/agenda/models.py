"""Dates of events: schedules entered by the offices and the occurrences they give (one row per day)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from acvs.offer.models.offer import WEEKDAYS

# A schedule giving more dates than this is refused: split it or choose fewer weekdays.
MAX_OCCURRENCES = 400


class EventSchedule(models.Model):
    """When an event takes place: one date, or a date range on some weekdays (every Tuesday in July and August)."""

    offer = models.ForeignKey(
        "offer.Offer", verbose_name=_("offer"), on_delete=models.CASCADE, related_name="event_schedules"
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    weekdays = models.JSONField(_("days"), default=list, blank=True, help_text=_("Empty: every day of the range"))
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    end_time = models.TimeField(_("ends at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # What the iCal feeds say of each date (LAST-MODIFIED; SEQUENCE with the offer's version): calendars that
    # subscribed replace a date whose schedule changed.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)

    class Meta:
        verbose_name = _("event schedule")
        verbose_name_plural = _("event schedules")
        ordering = ["start_date", "start_time", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="agenda_schedule_dates_ordered"),
        ]

    def __str__(self):
        return self.describe()

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last date is before the first one.")})
        if self.start_time is None and self.end_time is not None:
            raise ValidationError({"start_time": _("Give the start time as well.")})
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The end time must be after the start time.")})
        if not isinstance(self.weekdays, list) or any(
            not isinstance(d, int) or isinstance(d, bool) or d < 0 or d > 6 for d in self.weekdays
        ):
            raise ValidationError({"weekdays": _("Unknown weekday.")})
        if self.start_date and self.end_date:
            count = self.count_dates()
            if count == 0:
                raise ValidationError({"weekdays": _("No date of this range falls on the chosen days.")})
            if count > MAX_OCCURRENCES:
                raise ValidationError(
                    _("This schedule gives %(count)s dates; at most %(max)s are allowed: split it into shorter ones."),
                    params={"count": count, "max": MAX_OCCURRENCES},
                    code="too_many",
                )

    def dates(self, limit: int | None = None):
        """The days of the schedule, in order; stops after `limit` days."""
        days = set(self.weekdays or range(7))
        day, n = self.start_date, 0
        while day <= self.end_date:
            if day.weekday() in days:
                yield day
                n += 1
                if limit is not None and n >= limit:
                    return
            day += timedelta(days=1)

    def count_dates(self) -> int:
        return sum(1 for _d in self.dates(limit=MAX_OCCURRENCES + 1))

    @property
    def weekday_labels(self) -> list[str]:
        names = dict(WEEKDAYS)
        return [str(names[d]) for d in sorted(self.weekdays)]

    def describe(self) -> str:
        """A readable line for the page and the history: dates, days, times, note."""
        start = date_format(self.start_date, "SHORT_DATE_FORMAT") if isinstance(self.start_date, date) else ""
        text = start
        if self.end_date and self.end_date != self.start_date:
            text += " → " + date_format(self.end_date, "SHORT_DATE_FORMAT")
            if self.weekdays:
                text += " (" + ", ".join(self.weekday_labels) + ")"
        if self.start_time:
            text += f" {self.start_time:%H:%M}"
            if self.end_time:
                text += f"–{self.end_time:%H:%M}"
        if self.note:
            text += f" · {self.note}"
        return text


class EventOccurrence(models.Model):
    """One day an event takes place, materialised from a schedule so that the agenda reads an indexed table."""

    offer = models.ForeignKey(
        "offer.Offer", verbose_name=_("offer"), on_delete=models.CASCADE, related_name="event_occurrences"
    )
    schedule = models.ForeignKey(
        EventSchedule,
        verbose_name=_("schedule"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="occurrences",
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    end_time = models.TimeField(_("ends at"), null=True, blank=True)
    # Availability of the date, kept by the owning office: None is unknown (or no booking), 0 is sold out.
    places_left = models.PositiveIntegerField(_("places left"), null=True, blank=True)
    places_updated_at = models.DateTimeField(_("places updated"), null=True, blank=True)

    class Meta:
        verbose_name = _("event date")
        verbose_name_plural = _("event dates")
        ordering = ["date", "start_time", "id"]
        indexes = [models.Index(fields=["date", "offer"], name="agenda_occurrence_date_offer")]

    def __str__(self):
        return f"{self.date} {self.start_time or ''}".strip()

    @property
    def sold_out(self) -> bool:
        return self.places_left == 0
