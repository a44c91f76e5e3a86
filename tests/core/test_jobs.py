"""Background jobs: run by a real worker, failures recorded with their reason, retried with the user's rights."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from acvs.core import jobs
from acvs.core.models import Job
from acvs.network.models import Membership, Role
from acvs.network.selectors import acting_membership
from tests.conftest import membership
from tests.workers import wait_until

pytestmark = pytest.mark.django_db


def count(job, progress):
    """A job's work for these tests: counts to params["to"], then fails or crashes when asked."""
    for i in range(job.params["to"] + 1):
        progress(i, job.params["to"])
    if job.params.get("fail"):
        raise jobs.JobFailed("Nothing to count.", retryable=job.params["fail"] == "retryable")
    if job.params.get("crash"):
        Job.objects.filter(pk=job.pk).update(params={"to": job.params["to"]})  # the next attempt succeeds
        raise RuntimeError("the counter broke")
    return f"Counted to {job.params['to']}."


@task
def count_task(job_id):
    return jobs.run_job(job_id, count)


COUNT = jobs.register(
    jobs.JobKind(
        name="test.count",
        label="Counting",
        task=count_task,
        may_start=lambda m, target: m.role in {Role.AGENT, Role.MANAGER},
    )
)


def start(user, **params) -> Job:
    return jobs.job_start(membership=membership(user), kind=COUNT, params=params)


def finished(job):
    return wait_until(lambda: (j := Job.objects.get(pk=job.pk)).is_finished and j, what="the job")


def task_result(job, status):
    """The task backend's record of the job's last task, once the worker has marked it `status`."""
    return wait_until(lambda: DBTaskResult.objects.filter(pk=job.task_id, status=status).first(), what=status)


def test_a_job_runs_on_the_worker_with_its_progress_and_outcome(agent, task_worker):
    job = start(agent, to=3)
    assert (job.status, job.language, job.user) == (Job.Status.QUEUED, "fr", agent)
    assert job.office == membership(agent).office
    job = finished(job)
    assert (job.status, job.message, job.done, job.total, job.attempts) == (Job.Status.DONE, "Counted to 3.", 3, 3, 1)
    assert job.finished_at is not None
    task_result(job, "SUCCESSFUL")


def test_a_known_failure_keeps_its_reason_and_whether_it_may_be_retried(agent, task_worker):
    job = finished(start(agent, to=1, fail="retryable"))
    assert (job.status, job.message) == (Job.Status.FAILED, "Nothing to count.")
    assert (job.retryable, job.can_retry) == (True, True)
    # The task itself ended normally: the reason belongs to the work, not to a crash.
    task_result(job, "SUCCESSFUL")
    job = finished(start(agent, to=1, fail="harmful"))
    assert (job.status, job.can_retry) == (Job.Status.FAILED, False)
    with pytest.raises(ValidationError):
        jobs.job_retry(membership=membership(agent), job=job)


def test_an_unexpected_error_is_shown_and_the_retry_runs_the_work_again(agent, task_worker):
    job = finished(start(agent, to=2, crash=True))
    assert job.status == Job.Status.FAILED
    assert job.message == "Une erreur inattendue a arrêté le travail (RuntimeError: the counter broke)."
    result = task_result(job, "FAILED")
    assert "RuntimeError: the counter broke" in result.traceback
    first_task = job.task_id

    jobs.job_retry(membership=membership(agent), job=job)
    job = finished(job)
    assert (job.status, job.message, job.attempts) == (Job.Status.DONE, "Counted to 2.", 2)
    assert job.task_id != first_task


def test_the_work_runs_with_the_starters_rights_of_the_moment(agent):
    job = start(agent, to=1)
    Membership.objects.filter(user=agent).update(is_active=False)

    def work(job, progress):
        acting_membership(job)
        return "ran"

    assert jobs.run_job(job.pk, work) == Job.Status.FAILED
    job.refresh_from_db()
    assert job.message == "La personne qui a lancé ce travail n’agit plus pour l’office."
    assert job.retryable is False


def test_a_partner_can_neither_start_nor_retry(partner, agent):
    with pytest.raises(PermissionDenied):
        start(partner, to=1)
    job = start(agent, to=1)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)
    with pytest.raises(PermissionDenied):
        jobs.job_retry(membership=membership(partner), job=job)
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED


def test_only_failed_or_stalled_jobs_are_retried(agent, settings):
    job = start(agent, to=1)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    with pytest.raises(ValidationError, match="ne peut pas être relancé maintenant"):
        jobs.job_retry(membership=membership(agent), job=job)
    # No sign of life for longer than the limit: its worker died, it may be retried.
    settings.ACVS_JOB_STALE_SECONDS = 60
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - datetime.timedelta(seconds=61))
    job.refresh_from_db()
    assert (job.is_stalled, job.can_retry) == (True, True)
    jobs.job_retry(membership=membership(agent), job=job)
    job.refresh_from_db()
    assert (job.status, job.is_stalled) == (Job.Status.QUEUED, False)


def test_progress_is_stored_at_most_twice_a_second_and_always_at_the_end(agent):
    job = start(agent, to=100)
    progress = jobs.Progress(job)
    progress(1, 100)
    progress(2, 100)  # too soon: not stored
    job.refresh_from_db()
    assert (job.done, job.total) == (1, 100)
    progress(100, 100)
    job.refresh_from_db()
    assert (job.done, job.total, job.percent) == (100, 100, 100)


def test_the_status_fragment_polls_while_the_job_runs_then_stops(client, agent, settings):
    job = start(agent, to=4)
    client.force_login(agent)
    client.cookies["django_language"] = "en"
    fragment = client.get(f"/jobs/{job.pk}/", {"next": "/somewhere/"}).text
    assert "Counting" in fragment
    assert "Queued: it starts in a moment." in fragment
    assert f'hx-get="/jobs/{job.pk}/?next=/somewhere/"' in fragment
    assert 'hx-trigger="every 1s"' in fragment
    assert '<a href="/somewhere/" class="job-refresh">Refresh</a>' in fragment
    assert 'role="status" aria-live="polite"' in fragment

    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=1, total=4)
    fragment = client.get(f"/jobs/{job.pk}/", {"next": "/somewhere/"}).text
    assert '<progress value="1" max="4" aria-label="Counting">25 %</progress>' in fragment
    assert "1 of 4 (25 %)" in fragment

    settings.ACVS_JOB_STALE_SECONDS = 0
    fragment = client.get(f"/jobs/{job.pk}/").text
    assert "No sign of progress for a while" in fragment
    assert 'hx-trigger="every 10s"' in fragment
    assert "job-retry" in fragment

    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, message="Counted to 4.")
    fragment = client.get(f"/jobs/{job.pk}/").text
    assert "Done." in fragment
    assert "Counted to 4." in fragment
    assert "hx-get" not in fragment
    assert "<progress" not in fragment
    assert "job-retry" not in fragment


def test_another_office_does_not_see_the_job(client, agent, other_agent):
    job = start(agent, to=1)
    client.force_login(other_agent)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
