"""Written answers to visitors' requests: the office's templates, each answer sent and the replies it received."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

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
    to = models.EmailField(_("to"))
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


class IncomingMessage(models.Model):
    """A visitor's reply to an answer, read from the answers mailbox and attached to the same request."""

    visitor_request = models.ForeignKey(
        "desk.VisitorRequest", verbose_name=_("request"), on_delete=models.CASCADE, related_name="incoming_messages"
    )
    answer = models.ForeignKey(Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="replies")
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    sender = models.CharField(_("from"), max_length=300)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("body"), blank=True)
    received_at = models.DateTimeField(_("received"))

    objects = scoped_manager(office="visitor_request__office")

    class Meta:
        verbose_name = _("incoming message")
        verbose_name_plural = _("incoming messages")
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.sender} {self.received_at:%Y-%m-%d %H:%M}"
