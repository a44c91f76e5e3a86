"""Sending by real workers to a real SMTP sink: killed mid-campaign and restarted, nobody gets a message twice and
nobody is skipped; refusals and a dead server."""

import collections
import datetime
from pathlib import Path

from django.conf import settings as django_settings
from django.utils import timezone

from acvs.campaigns import sending, services
from acvs.campaigns.models import Campaign, Recipient
from tests.conftest import membership
from tests.workers import wait_until

from .conftest import SITE, person

Status = Recipient.Status


def plan(agent, campaign, seconds=2):
    at = timezone.now() + datetime.timedelta(seconds=seconds)
    services.campaign_schedule(membership=membership(agent), campaign=campaign, at=at, site_url=SITE)


def received(smtp) -> collections.Counter:
    return collections.Counter(address for envelope in smtp.envelopes for address in envelope.rcpt_tos)


def test_a_worker_killed_twice_mid_campaign_sends_each_message_at_most_once_and_skips_nobody(
    agent, campaign, smtp, worker_process, monkeypatch
):
    monkeypatch.setenv("ACVS_CAMPAIGN_RATE", "25")
    addresses = {f"guest{i:02}@example.org" for i in range(40)}
    for address in sorted(addresses):
        person(agent, address.partition("@")[0], address)
    plan(agent, campaign)

    # First kill: the server holds its answer to the first message, which it has already taken: the worst window,
    # between the server's acceptance and the row's update.
    smtp.hold = True
    first = worker_process.start()
    wait_until(lambda: len(smtp.envelopes) >= 1, timeout=90, what="the held message")
    first.crash()
    smtp.hold = False
    # Its batch is claimed; its journal names the one row handed to the server, whose answer it never had.
    assert Recipient.objects.filter(status=Status.CLAIMED).count() == 40
    (journal,) = Path(django_settings.BASE_DIR, "var", "campaigns").glob(f"*/{campaign.pk}.*.journal")
    assert journal.read_text() == f"{Recipient.objects.get(email=smtp.envelopes[0].rcpt_tos[0]).pk}\n"
    assert Campaign.objects.get().status == Campaign.Status.SENDING

    # The agent resumes the interrupted campaign; the second worker is killed wherever it happens to be.
    second = worker_process.start()
    services.campaign_resume(membership=membership(agent), campaign=campaign)
    wait_until(lambda: len(smtp.envelopes) >= 25, timeout=90, what="25 messages at the server")
    second.crash()

    worker_process.start()
    services.campaign_resume(membership=membership(agent), campaign=campaign)
    wait_until(lambda: Campaign.objects.get().status == Campaign.Status.SENT, timeout=90, what="the campaign sent")

    counts = received(smtp)
    rows = dict(Recipient.objects.values_list("email", "status"))
    assert set(rows) == addresses
    assert max(counts.values()) == 1, "somebody got the message twice"
    uncertain = {email for email, status in rows.items() if status == Status.UNCERTAIN}
    sent = {email for email, status in rows.items() if status == Status.SENT}
    assert sent | uncertain == addresses, "a recipient was skipped"
    assert 1 <= len(uncertain) <= 2  # at most one per kill; the held message's row at least
    assert sent <= set(counts)  # every row marked sent was received, once
    assert set(counts) <= addresses


def test_refusals_and_a_dead_server(agent, campaign, smtp, settings):
    settings.ACVS_CAMPAIGN_RATE = 1000
    settings.ACVS_CAMPAIGN_ATTEMPTS = 2
    for address in ("ann@example.org", "bob@example.org"):
        person(agent, address.partition("@")[0], address)
    plan(agent, campaign, seconds=1)
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at=timezone.now())

    smtp.refuse_rcpt = "550 5.1.1 No such user"
    assert sending.campaign_run(campaign.pk) == "sent"
    assert set(Recipient.objects.values_list("status", flat=True)) == {Status.FAILED}
    assert "550" in Recipient.objects.first().error


def test_a_temporary_refusal_is_tried_again_later(agent, campaign, smtp, settings):
    settings.ACVS_CAMPAIGN_RATE = 1000
    person(agent, "ann", "ann@example.org")
    plan(agent, campaign, seconds=1)
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at=timezone.now())
    smtp.refuse_rcpt = "451 4.7.1 Try again later"
    # The immediate backend runs the retry at once (no delay): the second pass is accepted.
    assert sending.campaign_run(campaign.pk) == "some deferred"
    smtp.refuse_rcpt = None
    assert sending.campaign_run(campaign.pk) == "sent"
    recipient = Recipient.objects.get()
    assert (recipient.status, recipient.attempts) == (Status.SENT, 2)
    assert received(smtp) == {"ann@example.org": 1}


def test_a_server_closing_after_a_refusal_defers_that_message_and_the_next_goes_by_a_new_connection(
    agent, campaign, smtp, settings, monkeypatch
):
    settings.ACVS_CAMPAIGN_RATE = 1000
    for address in ("ann@example.org", "bob@example.org"):
        person(agent, address.partition("@")[0], address)
    plan(agent, campaign, seconds=1)
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at=timezone.now())
    refuse_first = smtp.handle_RCPT

    async def handle_rcpt(server, session, envelope, address, options):
        if address == "ann@example.org":
            return "421 4.3.2 Shutting down"
        return await refuse_first(server, session, envelope, address, options)

    monkeypatch.setattr(smtp, "handle_RCPT", handle_rcpt)
    assert sending.campaign_run(campaign.pk) == "some deferred"
    rows = {r.email: (r.status, r.attempts) for r in Recipient.objects.all()}
    assert rows == {"ann@example.org": (Status.QUEUED, 1), "bob@example.org": (Status.SENT, 1)}
    assert received(smtp) == {"bob@example.org": 1}


def test_a_server_without_pipelining_gets_the_campaign_too(agent, campaign, smtp, settings):
    settings.ACVS_CAMPAIGN_RATE = 1000
    smtp.pipelining = False
    for address in ("ann@example.org", "bob@example.org"):
        person(agent, address.partition("@")[0], address)
    plan(agent, campaign, seconds=1)
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at=timezone.now())
    assert sending.campaign_run(campaign.pk) == "sent"
    assert received(smtp) == {"ann@example.org": 1, "bob@example.org": 1}


def test_a_dead_server_pauses_the_campaign_and_nothing_is_lost(agent, campaign, closed_smtp, settings):
    settings.ACVS_CAMPAIGN_RATE = 1000
    person(agent, "ann", "ann@example.org")
    plan(agent, campaign, seconds=1)
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at=timezone.now())
    sending.campaign_run(campaign.pk)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PAUSED
    assert "injoignable" in campaign.reason  # in the agents' language (LANGUAGE_CODE)
    assert Recipient.objects.get().status == Status.QUEUED


def test_rows_claimed_before_the_database_restarted_are_not_sent_again(agent, campaign, monkeypatch):
    """A crash of PostgreSQL may lose the per-message marks committed without waiting for the disk: a row claimed
    before the database's start may have been handed over, so it is uncertain, never resent; a row claimed after
    it, and one of a worker that merely died, goes back to the queue."""
    for address in ("ann@example.org", "bob@example.org", "cyd@example.org"):
        person(agent, address.partition("@")[0], address)
    plan(agent, campaign)
    sending.materialise(campaign)
    now = timezone.now()
    ann, bob, cyd = Recipient.objects.order_by("email")
    Recipient.objects.filter(pk=ann.pk).update(status=Status.CLAIMED, sent_at=now - datetime.timedelta(minutes=5))
    Recipient.objects.filter(pk=bob.pk).update(status=Status.CLAIMED, sent_at=now)
    Recipient.objects.filter(pk=cyd.pk).update(status=Status.SENDING, sent_at=now)
    monkeypatch.setattr(sending, "_database_started", lambda: now - datetime.timedelta(minutes=1))
    sending.recover(campaign)
    assert dict(Recipient.objects.values_list("email", "status")) == {
        "ann@example.org": Status.UNCERTAIN, "bob@example.org": Status.QUEUED, "cyd@example.org": Status.UNCERTAIN,
    }  # fmt: skip


def test_a_dead_runs_journal_tells_what_the_server_had(agent, campaign):
    """A run killed after handing three rows to the server (its journal) before recording them: the first two were
    taken (the run went on), the third may have been; the rest of its batch never left. A run whose journal is not
    on this machine (another worker host) leaves all its rows uncertain: never sent twice."""
    addresses = [f"guest{i}@example.org" for i in range(6)]
    for address in addresses:
        person(agent, address.partition("@")[0], address)
    plan(agent, campaign)
    sending.materialise(campaign)
    rows = list(Recipient.objects.order_by("pk"))
    here, elsewhere = "0123456789abcdef", "fedcba9876543210"
    for token, batch in ((here, rows[:4]), (elsewhere, rows[4:])):
        for row in batch:
            Recipient.objects.filter(pk=row.pk).update(
                status=Status.CLAIMED, sent_at=timezone.now(), message_id=f"<campaign.{row.pk}.{token}@acvs.example>"
            )
    journal = sending.journal_path(campaign.pk, here)
    journal.write_text("".join(f"{row.pk}\n" for row in rows[:3]))
    sending.recover(campaign)
    assert [Recipient.objects.get(pk=row.pk).status for row in rows] == [
        Status.SENT, Status.SENT, Status.UNCERTAIN, Status.QUEUED, Status.UNCERTAIN, Status.UNCERTAIN,
    ]  # fmt: skip
    assert not journal.exists()


def test_the_sending_runs_at_a_lower_cpu_priority_than_the_pages(campaign, monkeypatch, settings):
    """The sending's thread is niced by ACVS_CAMPAIGN_NICE and takes Linux's SCHED_IDLE policy (ACVS_CAMPAIGN_IDLE)
    while it sends (the counter keeps the CPU first), and is put back afterwards when the system allows it (root, or
    CAP_SYS_NICE)."""
    import os
    import threading

    thread = threading.get_native_id()
    before = os.getpriority(os.PRIO_PROCESS, thread), os.sched_getscheduler(thread)
    seen = []

    def now():
        return os.getpriority(os.PRIO_PROCESS, thread), os.sched_getscheduler(thread)

    monkeypatch.setattr(sending, "_run", lambda pk: seen.append(now()) or "sent")
    settings.ACVS_CAMPAIGN_NICE, settings.ACVS_CAMPAIGN_IDLE = 3, True
    assert sending.campaign_run(campaign.pk) == "sent"
    assert seen == [(min(before[0] + 3, 19), os.SCHED_IDLE)]
    if os.geteuid() == 0:
        assert now() == before
    settings.ACVS_CAMPAIGN_NICE, settings.ACVS_CAMPAIGN_IDLE = 0, False
    sending.campaign_run(campaign.pk)
    assert seen[-1] == now()


def test_campaigns_go_to_a_worker_of_their_own(agent, campaign, settings, django_capture_on_commit_callbacks):
    """The sending lowers its thread for good where the worker cannot raise it again (not root): the other tasks
    (the figures' drains, imports) are run by a worker that never sends a campaign (Procfile, docs/deployment.md)."""
    from django_tasks_db.models import DBTaskResult

    from tests.workers import DATABASE_TASKS

    settings.TASKS = DATABASE_TASKS
    person(agent, "ann", "ann@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        plan(agent, campaign, seconds=60)
    assert set(DBTaskResult.objects.values_list("queue_name", flat=True)) == {"campaigns"}
    processes = dict(
        line.split(":", 1) for line in Path(django_settings.BASE_DIR, "Procfile").read_text().splitlines()
        if line and not line.startswith("#")
    )  # fmt: skip
    assert "--queue-name campaigns" in processes["campaigns"]
    assert "--exclude-queues campaigns" in processes["worker"]
