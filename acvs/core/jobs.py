"""Background jobs: work a user starts for their office, run by the task worker, with progress, reason and retry.

A domain registers a `JobKind` (its task and who may start it) and starts jobs with `job_start`; its task is thin:
`run_job(job_id, work)` re-enters the job's office scope, reloads the job, calls the work (which reloads the
starter's membership with `network.selectors.acting_membership` and calls one service) with a progress callback and
records the outcome. A known failure (`JobFailed`) is recorded with its reason for the user; anything else is
recorded too and re-raised, so the task backend keeps the traceback.

Tasks are enqueued when the transaction that created the job commits. No task backend retries by itself: a failed
or stalled job is retried by a user (`job_retry`, with their rights at that moment), and the work must be written
so that running it again does no step twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.tasks import Task
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from acvs.core.tenancy import owner_office_id, scope_for

from .models import Job

if TYPE_CHECKING:  # core sits below network: the acting membership is only named here
    from acvs.network.models import Membership


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str | Promise
    task: Task  # called with the job's id
    may_start: Callable[[Membership, object], bool]  # (membership, target): also checked on retry


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    KINDS[kind.name] = kind
    return kind


class JobFailed(Exception):
    """A reason the work could not be done, for the user; `retryable=False` when trying again could do harm."""

    def __init__(self, message: str, *, retryable: bool = True):
        super().__init__(message)
        self.retryable = retryable


# Starting and retrying (in the web process) ---------------------------------------------------------------------


def _enqueue_on_commit(job: Job) -> None:
    task = KINDS[job.kind].task

    def enqueue():
        result = task.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=result.id)

    transaction.on_commit(enqueue)


def job_start(*, membership: Membership, kind: JobKind, target=None, params: dict | None = None, total: int = 0) -> Job:
    """Record the work and enqueue its task when the current transaction commits."""
    if not kind.may_start(membership, target):
        raise PermissionDenied(_("Your role does not allow this."))
    job = Job.objects.create(
        kind=kind.name,
        office=membership.office,
        user=membership.user,
        language=translation.get_language() or "fr",
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        params=params or {},
        total=total,
    )
    _enqueue_on_commit(job)
    return job


@transaction.atomic
def job_retry(*, membership: Membership, job: Job) -> Job:
    """Queue a failed or stalled job again, if the user may start it now."""
    locked = Job.objects.select_for_update().get(pk=job.pk, office=membership.office)
    if not KINDS[locked.kind].may_start(membership, locked.target):
        raise PermissionDenied(_("Your role does not allow this."))
    if not locked.can_retry:
        raise ValidationError(_("This work cannot be tried again now."))
    locked.status, locked.message, locked.retryable = Job.Status.QUEUED, "", True
    locked.updated_at, locked.finished_at = timezone.now(), None
    locked.save(update_fields=["status", "message", "retryable", "updated_at", "finished_at"])
    _enqueue_on_commit(locked)
    return locked


# Reads -------------------------------------------------------------------------------------------------------------


def get_job(pk) -> Job:
    """One job of the acting office; 404 when it does not exist or belongs to another office."""
    try:
        return Job.objects.select_related("user").get(pk=pk)
    except (Job.DoesNotExist, ValueError, TypeError):
        raise Http404("No such job") from None


def latest_job(kind: JobKind, target=None) -> Job | None:
    jobs = Job.objects.filter(kind=kind.name)
    if target is not None:
        jobs = jobs.filter(target_type=ContentType.objects.get_for_model(target), target_id=target.pk)
    return jobs.order_by("-created_at", "-id").first()


def label(job: Job) -> str:
    kind = KINDS.get(job.kind)
    return str(kind.label) if kind else job.kind


# Running (in the worker) ------------------------------------------------------------------------------------------


def _save(job: Job, **fields) -> None:
    fields["updated_at"] = timezone.now()
    Job.objects.filter(pk=job.pk).update(**fields)


class Progress:
    """`progress(done, total)` stores how far the job is, at most every half second (and always at the end)."""

    INTERVAL = 0.5

    def __init__(self, job: Job):
        self.job = job
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < self.INTERVAL:
            return
        self._last = now
        _save(self.job, done=done, total=total)


def run_job(job_id: int, work: Callable[[Job, Progress], str]) -> str:
    """Run `work(job, progress)` in the scope of the job's office and record its outcome; returns the job's status."""
    with scope_for(office=owner_office_id(Job, pk=job_id)):
        return _run(job_id, work)


def _run(job_id: int, work: Callable[[Job, Progress], str]) -> str:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status == Job.Status.DONE:
        return "gone" if job is None else job.status  # deleted with its target, or a retry racing a success
    _save(job, status=Job.Status.RUNNING, attempts=F("attempts") + 1, message="", finished_at=None)
    with translation.override(job.language):
        try:
            message = work(job, Progress(job))
        except JobFailed as failure:
            now = timezone.now()
            _save(job, status=Job.Status.FAILED, message=str(failure), retryable=failure.retryable, finished_at=now)
            return Job.Status.FAILED
        except Exception as error:
            detail = f"{type(error).__name__}: {error}"[:500]
            message = _("An unexpected error stopped the work (%(error)s).") % {"error": detail}
            _save(job, status=Job.Status.FAILED, message=message, retryable=True, finished_at=timezone.now())
            raise
    _save(job, status=Job.Status.DONE, message=message or "", finished_at=timezone.now())
    return Job.Status.DONE
