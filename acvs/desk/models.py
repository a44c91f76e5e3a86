"""Visitor requests recorded by an office (its tenant data) and the visitor counter."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from acvs.core.models import Tracked
from acvs.core.tenancy import scoped_manager

from . import reference


class Theme(models.Model):
    """What a visitor is interested in (randonnée, patrimoine...): a small reference table shared by all offices."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # DATAtourisme class codes (sub-types included) the advice proposes for the theme; codes rather than rows, so the
    # mapping outlives a reload of the type tree and its default is set before the tree is loaded.
    offer_types = models.JSONField(_("offer types"), default=list, blank=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "code"]

    def __str__(self):
        return gettext(self.label)

    def type_ids(self) -> list[int]:
        from acvs.offer.models import OfferType

        return list(OfferType.objects.filter(code__in=self.offer_types or []).values_list("pk", flat=True))


class DeskSettings(models.Model):
    """Per-office settings of the counter."""

    office = models.OneToOneField(
        "network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="desk_settings"
    )
    due_days = models.PositiveSmallIntegerField(_("answer within (working days)"), default=2)
    # {"countries": ["DE", ...], "departments": ["83", ...]}: overrides the default quick choices.
    quick_choices = models.JSONField(_("pinned quick choices"), default=dict, blank=True)

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("counter settings")
        verbose_name_plural = _("counter settings")

    def __str__(self):
        return str(self.office)


class Channel(models.TextChoices):
    COUNTER = "counter", _("Counter")
    PHONE = "phone", _("Phone")
    MAIL = "mail", _("Postal mail")
    EMAIL = "email", _("Email")
    WEB = "web", _("Web form")
    SOCIAL = "social", _("Social networks")


class Origin(models.TextChoices):
    FRANCE = "france", _("France")
    ABROAD = "abroad", _("Abroad")


class Profile(models.TextChoices):
    FAMILY = "family", _("Family")
    COUPLE = "couple", _("Couple")
    FRIENDS = "friends", _("Friends")
    SENIOR = "senior", _("Seniors")
    GROUP = "group", _("Group")
    BUSINESS = "business", _("Business")
    SOLO = "solo", _("Solo")


class Outcome(models.TextChoices):
    FULLY = "fully", _("Fully satisfied")
    PARTLY = "partly", _("Partly satisfied")
    NOT = "not", _("Not satisfied")


class RequestStatus(models.TextChoices):
    TO_HANDLE = "to_handle", _("To handle")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = [RequestStatus.TO_HANDLE, RequestStatus.IN_PROGRESS]


def validate_country(value: str) -> None:
    if value and value not in reference.countries():
        raise ValidationError(_("Unknown country: %(value)s."), params={"value": value}, code="country")


def validate_language(value: str) -> None:
    if value and value not in reference.languages():
        raise ValidationError(_("Unknown language: %(code)s."), params={"code": value}, code="language")


class VisitorRequest(Tracked):
    """One visitor contact, recorded by (and visible only to) one office: reached only in that office's scope."""

    office = models.ForeignKey(
        "network.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="visitor_requests"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.COUNTER)
    received_at = models.DateTimeField(_("received"), db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    department = models.ForeignKey(
        "network.Department",
        verbose_name=_("département"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    commune = models.ForeignKey(
        "network.Commune", verbose_name=_("commune"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, validators=[validate_country])

    adults = models.PositiveSmallIntegerField(_("adults"), default=1)
    children = models.PositiveSmallIntegerField(_("children"), default=0)
    is_group = models.BooleanField(_("group"), default=False)
    group_size = models.PositiveSmallIntegerField(_("group size"), null=True, blank=True)
    profile = models.CharField(_("profile"), max_length=10, choices=Profile.choices, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")
    requested_types = models.ManyToManyField(
        "offer.OfferType", verbose_name=_("requested offer types"), blank=True, related_name="+"
    )
    stay_start = models.DateField(_("stay from"), null=True, blank=True)
    stay_end = models.DateField(_("stay until"), null=True, blank=True)
    stay_label = models.CharField(_("stay period"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=2, default="fr", validators=[validate_language])

    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.FULLY)
    missing_types = models.ManyToManyField(
        "offer.OfferType", verbose_name=_("missing offer types"), blank=True, related_name="+"
    )

    # Follow-up of written requests (and phone calls that need an answer).
    due_date = models.DateField(_("answer due"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.CLOSED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Optional identity, kept only with the visitor's consent to be contacted.
    name = models.CharField(_("visitor name"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("postal address"), max_length=300, blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    consent_newsletter = models.BooleanField(_("agrees to receive the newsletter"), default=False)
    consent_contact = models.BooleanField(_("agrees to be contacted"), default=False)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    # What the visitor wrote, for a request they sent themselves (the office's public page).
    message = models.TextField(_("message"), blank=True)

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("visitor request")
        verbose_name_plural = _("visitor requests")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["office", "-received_at"], name="desk_request_office_received"),
            models.Index(fields=["office", "status", "due_date"], name="desk_request_office_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(adults__gt=0) | Q(children__gt=0), name="desk_request_has_people"),
            models.CheckConstraint(
                condition=Q(stay_start__isnull=True)
                | Q(stay_end__isnull=True)
                | Q(stay_end__gte=models.F("stay_start")),
                name="desk_request_stay_order",
            ),
            models.CheckConstraint(
                condition=(Q(origin="france") & Q(country="") & Q(department__isnull=False))
                | (Q(origin="abroad") & ~Q(country="") & Q(department__isnull=True) & Q(commune__isnull=True)),
                name="desk_request_origin_consistent",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.received_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("desk:detail", args=[self.pk])

    @property
    def party_size(self) -> int:
        return self.group_size if self.is_group and self.group_size else self.adults + self.children

    @property
    def origin_label(self) -> str:
        if self.origin == Origin.ABROAD:
            return reference.countries().get(self.country, self.country)
        if self.commune_id:
            return f"{self.commune.name} ({self.department.code})"
        return str(self.department) if self.department_id else ""

    @property
    def language_label(self) -> str:
        return reference.languages().get(self.language, self.language)

    def clean(self):
        errors = {}
        if self.adults == 0 and self.children == 0:
            errors["adults"] = _("Count at least one person.")
        if self.stay_start and self.stay_end and self.stay_end < self.stay_start:
            errors["stay_end"] = _("The end of the stay cannot be before its start.")
        if self.is_group and not self.group_size:
            errors["group_size"] = _("Give the size of the group.")
        if self.origin == Origin.FRANCE and not self.department_id:
            errors["origin"] = _("Choose the visitor’s département or type a postcode.")
        if self.origin == Origin.ABROAD and not self.country:
            errors["country"] = _("Choose the visitor’s country.")
        if self.commune_id and self.department_id and self.commune.department_id != self.department_id:
            errors["commune"] = _("This commune is not in the chosen département.")
        if errors:
            raise ValidationError(errors)


class VisitorCount(models.Model):
    """People entering the office, per hour."""

    office = models.ForeignKey(
        "network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="visitor_counts"
    )
    hour = models.DateTimeField(_("hour"))
    count = models.PositiveIntegerField(_("visitors"), default=0)

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("visitor count")
        verbose_name_plural = _("visitor counts")
        ordering = ["-hour"]
        constraints = [models.UniqueConstraint(fields=["office", "hour"], name="desk_count_unique_office_hour")]

    def __str__(self):
        return f"{self.office} {self.hour:%Y-%m-%d %H}h: {self.count}"


class VisitorCountCorrection(models.Model):
    """The trace of a correction of the visitor counter: who, when, the day's total before and after."""

    office = models.ForeignKey("network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("date"), auto_now_add=True)
    old_value = models.PositiveIntegerField(_("before"))
    new_value = models.PositiveIntegerField(_("after"))

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("visitor count correction")
        verbose_name_plural = _("visitor count corrections")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.day}: {self.old_value} → {self.new_value}"


class Suggestion(models.Model):
    """An offer the agent suggested to the visitor of a request."""

    visitor_request = models.ForeignKey(VisitorRequest, on_delete=models.CASCADE, related_name="suggestions")
    offer = models.ForeignKey("offer.Offer", verbose_name=_("offer"), on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(office="visitor_request__office")

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["visitor_request", "offer"], name="suggestion_unique_offer")]

    def __str__(self):
        return str(self.offer)
