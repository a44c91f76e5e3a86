import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from acvs.core.tenancy import scoped_manager


class Tracked(models.Model):
    """When a record was created and last changed, by whom, and the version optimistic locking compares.

    Services set `updated_by` and increment `version` under lock (`core.exceptions.check_version` refuses a save
    based on an older version, naming who saved in between); people never type these fields.
    """

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One change to a record: who, when, and each changed field with its old and new values.

    Written by services (the only write path), so it records business fields as users see them,
    including child collections such as opening periods, which model-level history tools miss.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        VERIFY = "verify", _("Verified")
        DELETE = "delete", _("Deleted")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    office = models.ForeignKey(
        "network.Office", verbose_name=_("office"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    # [{"field": "name", "label": "Nom", "old": "...", "new": "..."}]
    changes = models.JSONField(_("changes"), default=list)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class Job(models.Model):
    """Background work someone started for an office: what it is about, its state, progress and outcome.

    The task backend says whether a task ran; a job says what the work did in words its users read, keeps its
    progress, and outlives retries (a retry enqueues a new task for the same job). Written by `core.jobs` only.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40)
    office = models.ForeignKey("network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The language of the person who started it: the work writes its messages in it.
    language = models.CharField(_("language"), max_length=10)
    # What the work is about (a booklet...), to show it where it was started.
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    # A failure the user can do something about by trying again; false when trying again could do harm.
    retryable = models.BooleanField(default=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    # Moves with every change, progress included: the job's sign of life.
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["office", "-created_at"], name="job_office_created"),
            models.Index(fields=["target_type", "target_id", "-created_at"], name="job_target_created"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def is_stalled(self) -> bool:
        """Queued or running with no sign of life for too long: its worker is stopped or died mid-task."""
        limit = timezone.now() - datetime.timedelta(seconds=settings.ACVS_JOB_STALE_SECONDS)
        return not self.is_finished and self.updated_at < limit

    @property
    def can_retry(self) -> bool:
        return (self.status == self.Status.FAILED and self.retryable) or self.is_stalled

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0

    @property
    def label(self) -> str:
        from .jobs import label

        return label(self)
