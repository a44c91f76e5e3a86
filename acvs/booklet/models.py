"""Stay booklets ("carnets de séjour"): a selection of offers an office prepares for a visitor, as PDF and web page.

Booklets belong to the office that made them (its tenant data): reached only in that office's scope.
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from acvs.core.tenancy import scoped_manager

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Give a colour as #rrggbb, e.g. #0f766e."))

# Languages a booklet can be written in: the offers' content languages (texts fall back to French).
LANGUAGES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("es", _("Spanish")),
    ("nl", _("Dutch")),
]
LANGUAGE_CODES = [code for code, _label in LANGUAGES]


class Layout(models.TextChoices):
    CLASSIC = "classic", _("Classic: one column, large photos")
    MAGAZINE = "magazine", _("Magazine: two compact columns")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Branding(models.Model):
    """How an office's booklets look: colours, opening hours, footer, default layout (the logo is Office.logo)."""

    office = models.OneToOneField(
        "network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="booklet_branding"
    )
    primary_colour = models.CharField(_("main colour"), max_length=7, default="#0f766e", validators=[colour_validator])
    accent_colour = models.CharField(_("accent colour"), max_length=7, default="#f59e0b", validators=[colour_validator])
    opening_hours = models.TextField(_("office opening hours"), blank=True)
    footer = models.CharField(_("footer text"), max_length=300, blank=True)
    default_layout = models.CharField(
        _("default layout"), max_length=10, choices=Layout.choices, default=Layout.CLASSIC
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("booklet branding")
        verbose_name_plural = _("booklet brandings")

    def __str__(self):
        return str(self.office)


class Booklet(models.Model):
    office = models.ForeignKey(
        "network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="booklets"
    )
    visitor_request = models.ForeignKey(
        "desk.VisitorRequest",
        verbose_name=_("visitor request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="booklets",
    )
    title = models.CharField(_("title"), max_length=150)
    greeting = models.TextField(_("greeting"), blank=True)
    closing = models.TextField(_("closing words"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="fr")
    layout = models.CharField(_("layout"), max_length=10, choices=Layout.choices, default=Layout.CLASSIC)
    stay_start = models.DateField(_("stay from"), null=True, blank=True)
    stay_end = models.DateField(_("stay until"), null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    recipient = models.EmailField(_("visitor’s email"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    first_opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Its holder's data was erased (contacts' rights): the public link answers 410, the texts are empty.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    # Its background jobs (sendings) go with it.
    jobs = GenericRelation("core.Job", content_type_field="target_type", object_id_field="target_id")

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("stay booklet")
        verbose_name_plural = _("stay booklets")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["office", "-created_at"], name="booklet_office_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stay_start__isnull=True)
                | models.Q(stay_end__isnull=True)
                | models.Q(stay_end__gte=models.F("stay_start")),
                name="booklet_stay_order",
                violation_error_code="stay_order",
                violation_error_message=_("The end of the stay cannot be before its start."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("booklet:edit", args=[self.pk])

    def get_public_path(self) -> str:
        return reverse("booklet:public", args=[self.token])


class BookletItem(models.Model):
    booklet = models.ForeignKey(Booklet, on_delete=models.CASCADE, related_name="items")
    offer = models.ForeignKey("offer.Offer", verbose_name=_("offer"), on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(_("position"), default=0)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True, help_text=_("Day of the stay (1, 2…)"))
    note = models.TextField(_("personal note"), blank=True)

    objects = scoped_manager(office="booklet__office")

    class Meta:
        verbose_name = _("booklet offer")
        verbose_name_plural = _("booklet offers")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["booklet", "offer"], name="booklet_item_unique_offer")]

    def __str__(self):
        return f"{self.position}. {self.offer_id}"


class BookletSending(models.Model):
    """One attempt to email a booklet, recorded before it is handed to the mail server.

    The worker moves it from queued to sending (committed) just before talking to the server, then to sent or
    failed. An attempt found still "sending" by a later run was interrupted mid-conversation: the server may have
    accepted the message, so it becomes "uncertain" and is never sent again by itself (docs/architecture.md).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("not sent")
        UNCERTAIN = "uncertain", _("may have been sent")

    booklet = models.ForeignKey(Booklet, on_delete=models.CASCADE, related_name="sendings")
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to = models.EmailField(pgettext_lazy("email", "to"))
    with_pdf = models.BooleanField(_("PDF attached"), default=False)
    at = models.DateTimeField(_("date"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Fixed before the first byte goes out: the mail server's log can tell whether an uncertain attempt arrived.
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = scoped_manager(office="booklet__office")

    class Meta:
        verbose_name = _("booklet sending")
        verbose_name_plural = _("booklet sendings")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.to} {self.at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def ok(self) -> bool:
        return self.status == self.Status.SENT
