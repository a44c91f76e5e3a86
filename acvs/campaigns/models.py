"""Emailing campaigns of an office: a design made of blocks in one or more languages, an audience of saved segments
intersected with consent, a planned date, and one recipient row per contact and address (progress, at most once)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from acvs.contacts.models import Purpose
from acvs.core.tenancy import scoped_manager


class Campaign(models.Model):
    class Reach(models.TextChoices):
        # An office's own campaign goes to its own contacts; a département's or the network's to the contacts of
        # every office (of the département, or of the network) who consented to its purpose, built by the worker.
        OFFICE = "office", _("The office's contacts")
        DEPARTMENT = "department", _("Contacts of the département's offices")
        NETWORK = "network", _("Contacts of every office of the network")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("campaign", "Draft")
        SCHEDULED = "scheduled", pgettext_lazy("campaign", "Scheduled")
        SENDING = "sending", pgettext_lazy("campaign", "Sending")
        PAUSED = "paused", pgettext_lazy("campaign", "Paused")
        SENT = "sent", pgettext_lazy("campaign", "Sent")
        CANCELLED = "cancelled", pgettext_lazy("campaign", "Cancelled")

    office = models.ForeignKey("network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.NEWSLETTER)
    # The languages written, the first is the fallback: {"fr": "Subject", "en": "Subject"}.
    subjects = models.JSONField(_("subjects"), default=dict)
    segments = models.ManyToManyField("contacts.Segment", verbose_name=_("segments"), blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    reach = models.CharField(_("reach"), max_length=10, choices=Reach.choices, default=Reach.OFFICE)
    # Return on investment (returns.py): what the campaign cost, and how long after it a visit counts as its return.
    cost = models.DecimalField(
        _("cost (euros)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    return_days = models.PositiveSmallIntegerField(
        _("return window (days)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    scheduled_at = models.DateTimeField(_("sending date"), null=True, blank=True)
    started_at = models.DateTimeField(pgettext_lazy("campaign", "started"), null=True, blank=True)
    finished_at = models.DateTimeField(pgettext_lazy("campaign", "finished"), null=True, blank=True)
    # Why it stopped by itself (a dead mail server), for the agent.
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # The site's address when it was scheduled: links and images in the messages point there.
    site_url = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name

    @property
    def is_network(self) -> bool:
        """Sent to other offices' contacts: its sender sees counts, never a list."""
        return self.reach != self.Reach.OFFICE

    @property
    def languages(self) -> list[str]:
        return list(self.subjects)


class Block(models.Model):
    class Kind(models.TextChoices):
        TITLE = "title", _("Title")
        TEXT = "text", _("Text")
        IMAGE = "image", _("Image")
        OFFERS = "offers", _("Offers or events")
        BUTTON = "button", _("Button")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="blocks")
    language = models.CharField(_("language"), max_length=2)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    text = models.TextField(_("text"), max_length=10_000, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    image = models.ImageField(_("image"), upload_to="campaigns/%Y/", blank=True)
    image_bytes = models.PositiveIntegerField(default=0)
    credit = models.CharField(_("credit"), max_length=150, blank=True)
    offers = models.ManyToManyField("offer.Offer", verbose_name=_("offers"), blank=True, related_name="+")

    objects = scoped_manager(office="campaign__office")

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["language", "position", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.language})"


class Recipient(models.Model):
    """One message of a campaign: a contact at one address, materialised when the sending starts.

    queued → claimed (by a run, in batches) → sending (committed before the SMTP transaction) → sent | failed |
    uncertain; see sending.py.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        CLAIMED = "claimed", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", pgettext_lazy("campaign message", "Refused")
        UNCERTAIN = "uncertain", _("May have been sent")
        BOUNCED = "bounced", _("Bounced")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    contact = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=2)
    status = models.CharField(_("status"), max_length=9, choices=Status.choices, default=Status.QUEUED)
    message_id = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    # The message belongs to the contact's office (the same as the campaign's, but for a département's or the
    # network's campaign): its row is exported and erased with the contact, and never listed to the sender.
    objects = scoped_manager(office="contact__office")

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "email"], name="campaigns_recipient_unique")]
        indexes = [models.Index(fields=["campaign", "status", "id"], name="campaigns_recipient_next")]

    def __str__(self):
        return self.email


class OfficeSettings(models.Model):
    """An office's choices for its campaigns."""

    office = models.OneToOneField("network.Office", on_delete=models.CASCADE, related_name="+")
    tracking = models.BooleanField(
        _("measure opens and clicks"), default=True,
        help_text=_("Off: messages carry no open pixel and their links are left as written."),
    )  # fmt: skip

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("campaign settings")
        verbose_name_plural = _("campaign settings")

    def __str__(self):
        return str(self.office_id)


class TrackingRefusal(models.Model):
    """A contact who asked that the opens and clicks of their messages be not measured (preferences page)."""

    office = models.ForeignKey("network.Office", on_delete=models.CASCADE, related_name="+")
    contact = models.OneToOneField("contacts.Contact", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(office="office")

    def __str__(self):
        return str(self.contact_id)


class Event(models.Model):
    """An open (the pixel was loaded) or a click (a signed link was followed) of one recipient's message."""

    class Kind(models.TextChoices):
        OPEN = "open", _("Opened")
        CLICK = "click", _("Clicked")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    url = models.URLField(max_length=2000, blank=True)
    at = models.DateTimeField()

    # As its message (Recipient): the contact's office, which is not the campaign's for a département's or the
    # network's campaign. The sender reads such a campaign's opens and clicks as counts only (network_campaigns).
    objects = scoped_manager(office="recipient__contact__office")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["campaign", "kind"], name="campaigns_event_kind")]

    def __str__(self):
        return f"{self.kind} {self.recipient_id}"
