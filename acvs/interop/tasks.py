"""Background work of the imports: a large file's dry run and its commit, with progress (see core.jobs)."""

from django.tasks import task
from django.utils.translation import gettext_lazy

from acvs.core import jobs
from acvs.network import rules

from .importing import services


@task
def import_check(job_id: int) -> str:
    return jobs.run_job(job_id, services.check_work)


@task
def import_commit(job_id: int) -> str:
    return jobs.run_job(job_id, services.commit_work)


def _may_import(membership, run) -> bool:
    return run is not None and rules.can_import_offers(membership) and run.office_id == membership.office_id


CHECK = jobs.register(
    jobs.JobKind(
        name="interop.import_check", label=gettext_lazy("Checking the import"), task=import_check, may_start=_may_import
    )
)
COMMIT = jobs.register(
    jobs.JobKind(name="interop.import_commit", label=gettext_lazy("Import"), task=import_commit, may_start=_may_import)
)
