"""Written answers to visitors' requests: the office's templates, each answer sent and the replies it received."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from acvs.core.tenancy import scoped_manager
from acvs.desk.models import validate_language

from . import merge


def new_token() -> str:
    return secrets.token_hex(10)


class AnswerTemplate(models.Model):
    """An office's model answer in one language, with `{field}` merge fields (see `merge.FIELDS`)."""

    office = models.ForeignKey("network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language"), max_length=2, validators=[validate_language])
    name = models.CharField(_("name"), max_length=100)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), max_length=20_000)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        ordering = ["language", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["office", "language", "name"], name="mailing_template_unique_name")
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"

    def clean(self):
        errors = {}
        for name in ("subject", "body"):
            try:
                merge.check(getattr(self, name) or "")
            except ValidationError as error:
                errors[name] = error.messages
        if errors:
            raise ValidationError(errors)


class Answer(models.Model):
    """One written answer to a request, recorded before the mail server hears of it (sent at most once).

    queued → sending (committed just before the SMTP conversation) → sent | failed | uncertain, as booklet sendings.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("not sent")
        UNCERTAIN = "uncertain", _("may have been sent")

    visitor_request = models.ForeignKey(
        "desk.VisitorRequest", verbose_name=_("request"), on_delete=models.CASCADE, related_name="answers"
    )
    template = models.ForeignKey(
        AnswerTemplate, verbose_name=_("template"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to = models.EmailField(pgettext_lazy("email", "to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    booklet = models.ForeignKey(
        "booklet.Booklet",
        verbose_name=_("attached booklet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("failure reason"), blank=True)
    # Fixed before the first byte goes out: replies quote it (In-Reply-To), the mail server's log can tell.
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True, db_index=True)
    # In the reply address (answers+<token>@…): a reply finds its answer even when the headers were lost.
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    # Answer time, set when sent: working days from the request's reception, and whether it missed its due date.
    working_days = models.PositiveSmallIntegerField(_("answer time (working days)"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    # A delivery report came back to its return path (bounces.py): the visitor did not get it.
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    bounce_reason = models.CharField(_("why it bounced"), max_length=300, blank=True)

    objects = scoped_manager(office="visitor_request__office")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.to} {self.created_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.SENDING}


class AnswerBrochure(models.Model):
    """A brochure of the catalogue sent with an answer: its PDF attached, or a link written in the answer."""

    class SentAs(models.TextChoices):
        PDF = "pdf", _("PDF attached")
        LINK = "link", _("link")
        # It has a PDF, but the PDFs chosen were too big together for one email: its link went instead.
        LINK_SIZE = "link_size", _("link (the PDFs were too big for one email)")

    answer = models.ForeignKey(Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="brochures")
    document = models.ForeignKey(
        "documentation.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # As sent: the answer's record stays readable if the catalogue changes.
    title = models.CharField(_("title"), max_length=200)
    sent_as = models.CharField(_("sent as"), max_length=10, choices=SentAs.choices)
    url = models.URLField(_("link"), max_length=700, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = scoped_manager(office="answer__visitor_request__office")

    class Meta:
        verbose_name = _("brochure sent")
        verbose_name_plural = _("brochures sent")
        ordering = ["answer", "position", "pk"]

    def __str__(self):
        return f"{self.title} ({self.sent_as})"

    @property
    def attached(self) -> bool:
        return self.sent_as == self.SentAs.PDF


class IncomingMessage(models.Model):
    """A visitor's reply to an answer, read from the answers mailbox and attached to the same request."""

    visitor_request = models.ForeignKey(
        "desk.VisitorRequest", verbose_name=_("request"), on_delete=models.CASCADE, related_name="incoming_messages"
    )
    answer = models.ForeignKey(Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="replies")
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    sender = models.CharField(pgettext_lazy("email", "from"), max_length=300)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("body"), blank=True)
    received_at = models.DateTimeField(pgettext_lazy("email", "received"))

    objects = scoped_manager(office="visitor_request__office")

    class Meta:
        verbose_name = _("incoming message")
        verbose_name_plural = _("incoming messages")
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.sender} {self.received_at:%Y-%m-%d %H:%M}"
