import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from acvs.core.models import Tracked
from acvs.network.models import latitude_validators, longitude_validators


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class PetsPolicy(models.TextChoices):
    UNKNOWN = "", _("Not specified")
    ALLOWED = "allowed", _("Pets allowed")
    ON_REQUEST = "on_request", _("Pets on request")
    FORBIDDEN = "forbidden", _("Pets not allowed")


class CapacityUnit(models.TextChoices):
    NONE = "", _("—")
    ROOMS = "rooms", _("rooms")
    PITCHES = "pitches", _("pitches")
    LODGINGS = "lodgings", _("lodgings")
    BEDS = "beds", _("beds")
    SEATS = "seats", _("seats")


class Offer(Tracked):
    """A point of interest in the DATAtourisme sense: accommodation, restaurant, site, activity, event..."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    types = models.ManyToManyField("offer.OfferType", verbose_name=_("types"), related_name="offers")
    short_description = models.CharField(_("short description"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    provider = models.ForeignKey(
        "offer.Provider",
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offers",
    )
    owner_office = models.ForeignKey(
        "network.Office", verbose_name=_("owning office"), on_delete=models.PROTECT, related_name="offers"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    address = models.CharField(_("address"), max_length=250, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    commune = models.ForeignKey(
        "network.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="offers"
    )
    latitude = models.FloatField(_("latitude"), validators=latitude_validators)
    longitude = models.FloatField(_("longitude"), validators=longitude_validators)

    phone = PhoneNumberField(_("phone"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)

    capacity_persons = models.PositiveIntegerField(_("capacity (persons)"), null=True, blank=True)
    capacity_units = models.PositiveIntegerField(_("capacity (units)"), null=True, blank=True)
    capacity_unit = models.CharField(
        _("unit"), max_length=10, choices=CapacityUnit.choices, default=CapacityUnit.NONE, blank=True
    )
    labels = models.ManyToManyField("offer.Label", verbose_name=_("labels and classifications"), blank=True)
    features = models.ManyToManyField(
        "offer.Feature", verbose_name=_("amenities, accessibility and payment"), blank=True
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    pets = models.CharField(_("pets"), max_length=12, choices=PetsPolicy.choices, default="", blank=True)

    verified_at = models.DateTimeField(_("last verified"), null=True, blank=True, db_index=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Denormalised text the full-text index is built from (see offer.search).
    search_document = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="offer_latlon"),
            models.Index(fields=["owner_office", "verified_at"], name="offer_owner_verified"),
            # A commune's (or a territory's) offers of a status in name order, without reading the table: the search
            # reads its narrow results' ids and names from here (index-only) to count and page them.
            models.Index(fields=["commune", "status", "name", "id"], name="offer_commune_status_name"),
            # The default listing (published offers by name) without reading the whole table.
            models.Index(fields=["name", "id"], condition=Q(status="published"), name="offer_published_name"),
            # Synchronisation (the API's updated_since, the feeds): the offers changed since a moment, a few of many.
            models.Index(fields=["updated_at"], name="offer_updated_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="offer_coordinates_valid",
            ),
        ]

    def __str__(self):
        return self.name


class OfferPhoto(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("image"), upload_to="offers/photos/%Y/")
    credit = models.CharField(_("credit"), max_length=150, help_text=_("Photographer or rights holder"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "id"]

    def __str__(self):
        return self.caption or self.image.name


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class OpeningPeriod(models.Model):
    """Opening hours on given weekdays over a date range (a DATAtourisme OpeningHoursSpecification).

    A split day (lunch break) is two periods with the same dates.
    """

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="periods")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    weekdays = models.JSONField(_("days"), default=list, help_text=_("0 = Monday … 6 = Sunday"))
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("opening period")
        verbose_name_plural = _("opening periods")
        ordering = ["start_date", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="period_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.start_date} → {self.end_date}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The period ends before it starts.")})
        if (self.opens is None) != (self.closes is None):
            raise ValidationError(_("Give both the opening and the closing time, or neither."))
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})
        if any(not isinstance(d, int) or d < 0 or d > 6 for d in self.weekdays):
            raise ValidationError({"weekdays": _("Unknown weekday.")})

    @property
    def weekday_labels(self) -> list[str]:
        names = dict(WEEKDAYS)
        return [str(names[d]) for d in sorted(self.weekdays)]


class Price(models.Model):
    class Unit(models.TextChoices):
        PERSON = "person", _("per person")
        NIGHT = "night", _("per night")
        ROOM_NIGHT = "room_night", _("per room per night")
        PITCH_NIGHT = "pitch_night", _("per pitch per night")
        WEEK = "week", _("per week")
        GROUP = "group", _("per group")
        MENU = "menu", _("per menu")
        FLAT = "flat", _("flat rate")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="prices")
    label = models.CharField(_("rate"), max_length=150, help_text=_("e.g. Adult, Double room, Menu du jour"))
    min_amount = models.DecimalField(_("from (€)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(0)])
    max_amount = models.DecimalField(
        _("up to (€)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices, default=Unit.PERSON)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        ordering = ["min_amount"]
        constraints = [
            models.CheckConstraint(condition=Q(min_amount__gte=0), name="price_min_non_negative"),
            models.CheckConstraint(
                condition=Q(max_amount__isnull=True) | Q(max_amount__gte=F("min_amount")),
                name="price_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.min_amount} €"

    def clean(self):
        if self.max_amount is not None and self.min_amount is not None and self.max_amount < self.min_amount:
            raise ValidationError({"max_amount": _("The maximum price is lower than the minimum price.")})
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The validity ends before it starts.")})
