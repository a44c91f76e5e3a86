"""Background work of the prospect file: thin tasks taking ids (see core.jobs); the daily retention purge,
scheduled by the clock process (crontask)."""

from crontask import cron
from django.tasks import task
from django.utils.translation import gettext_lazy

from acvs.core import jobs
from acvs.network import rules

from . import importing, optin, retention


@task()
def contact_import(job_id: int) -> str:
    return jobs.run_job(job_id, importing.import_work)


IMPORT = jobs.register(
    jobs.JobKind(
        name="contacts.import",
        label=gettext_lazy("Contact import"),
        task=contact_import,
        may_start=lambda membership, run: (
            run is not None and rules.can_use_contacts(membership) and run.office_id == membership.office_id
        ),
    )
)


@cron("20 3 * * *")  # every night, 03:20 (Europe/Paris)
@task
def retention_purge() -> dict:
    """Ask the silent contacts whether to stay, erase those that did not answer in time. Counts only, per office."""
    return {
        str(office): {"asked": r.asked, "not_asked": r.not_asked, "erased": r.erased}
        for office, r in retention.purge().items()
        if r.asked or r.not_asked or r.erased
    }


@task
def confirmations_send(mail_ids: list[int]) -> int:
    """Send queued confirmation mails (a failure is kept on its row, for the agent to send again)."""
    for pk in mail_ids:
        optin.deliver(pk)
    return len(mail_ids)
