"""Retention: silent contacts are asked once by email (a real SMTP server) whether to stay; without an answer they
are erased by the daily scheduled purge, which reports counts only."""

import datetime
import email
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from crontask import scheduler
from django.urls import reverse
from django.utils import timezone

from acvs.contacts import retention, tasks
from acvs.contacts.models import AccessAction, AccessLog, Contact
from tests.booklet.conftest import closed_smtp, smtp  # noqa: F401 — fixtures

from .rights_world import EMAIL, make_person

YEARS = datetime.timedelta(days=365 * 3 + 2)


@pytest.fixture
def silent(agent, cavalaire):
    """A person whose last exchange was more than three years ago."""
    person = make_person(agent, cavalaire)
    Contact.objects.filter(pk=person.contact.pk).update(
        last_contact_at=timezone.now() - YEARS, created_at=timezone.now() - YEARS
    )
    return person


def keep_link(envelope) -> str:
    message = email.message_from_bytes(envelope.original_content)
    body = message.get_payload(decode=True).decode()
    return re.search(r"https?://\S+/contacts/keep/\S+/", body).group(0)


def test_a_silent_contact_is_asked_once_by_email(smtp, silent, agent, cavalaire):  # noqa: F811
    recent = make_person(agent, cavalaire, name="Nora Récente", email="nora@example.fr", phone="+33612345678")
    tasks.retention_purge.call()
    assert len(smtp.envelopes) == 1
    (envelope,) = smtp.envelopes
    assert envelope.rcpt_tos == [EMAIL]
    message = email.message_from_bytes(envelope.original_content)
    assert "on garde le contact ?" in str(email.header.make_header(email.header.decode_header(message["Subject"])))
    assert "/contacts/keep/" in keep_link(envelope)
    assert Contact.objects.get(pk=silent.contact.pk).retention_asked_at is not None
    assert Contact.objects.get(pk=recent.contact.pk).retention_asked_at is None
    tasks.retention_purge.call()
    assert len(smtp.envelopes) == 1  # asked once
    assert AccessLog.objects.filter(action=AccessAction.RETENTION_ASKED).count() == 1


def test_keep_me_ends_the_silence(client, smtp, silent):  # noqa: F811
    retention.purge()
    path = keep_link(smtp.envelopes[0]).split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200
    assert Contact.objects.get(pk=silent.contact.pk).retention_asked_at is not None  # a GET changes nothing
    kept = client.post("/" + path)
    assert kept.status_code == 200
    assert "garde vos coordonnées" in kept.content.decode()
    contact = Contact.objects.get(pk=silent.contact.pk)
    assert contact.retention_asked_at is None
    assert contact.last_contact_at > timezone.now() - datetime.timedelta(minutes=1)
    retention.purge(now=timezone.now() + datetime.timedelta(days=40))
    assert Contact.objects.get(pk=silent.contact.pk).erased_at is None


def test_without_an_answer_the_contact_is_erased_and_the_office_told_counts(client, smtp, silent):  # noqa: F811
    retention.purge()
    assert retention.purge(now=timezone.now() + datetime.timedelta(days=29))[silent.contact.office_id].erased == 0
    later = timezone.now() + datetime.timedelta(days=31)
    report = retention.purge(now=later)[silent.contact.office_id]
    assert report.erased == 1
    contact = Contact.objects.get(pk=silent.contact.pk)
    assert contact.erased_at is not None
    assert contact.name == ""
    assert client.get(reverse("booklet:public", args=[silent.booklet.token])).status_code == 410
    (entry,) = AccessLog.objects.filter(action=AccessAction.PURGE)
    assert entry.user is None
    assert entry.contact_number == contact.pk
    assert all(isinstance(n, int) for n in entry.counts.values())
    assert "Zébulon" not in str(entry.counts)
    # The link now says, kindly, that it is too late.
    path = keep_link(smtp.envelopes[0]).split("://", 1)[1].split("/", 1)[1]
    assert client.post("/" + path).status_code == 410


def test_a_new_exchange_after_the_question_keeps_the_contact(smtp, silent):  # noqa: F811
    retention.purge()
    Contact.objects.filter(pk=silent.contact.pk).update(last_contact_at=timezone.now() + datetime.timedelta(days=1))
    retention.purge(now=timezone.now() + datetime.timedelta(days=31))
    assert Contact.objects.get(pk=silent.contact.pk).erased_at is None


def test_a_tampered_link_changes_nothing(client, smtp, silent):  # noqa: F811
    retention.purge()
    path = keep_link(smtp.envelopes[0]).split("://", 1)[1].split("/", 1)[1]
    tampered = "/" + path.replace(":", "x", 1)
    response = client.post(tampered)
    assert response.status_code == 400
    assert "ne fonctionne pas" in response.content.decode()
    assert Contact.objects.get(pk=silent.contact.pk).retention_asked_at is not None


def test_an_unreachable_mail_server_means_asking_again_next_time(closed_smtp, silent):  # noqa: F811
    report = retention.purge()[silent.contact.office_id]
    assert (report.asked, report.not_asked) == (0, 1)
    assert Contact.objects.get(pk=silent.contact.pk).retention_asked_at is None


def test_the_clock_schedules_the_purge_and_the_periodic_work():
    import acvs.core.tasks
    import acvs.observatory.tasks  # noqa: F401

    names = {job.name for job in scheduler.get_jobs()}
    assert {tasks.retention_purge.name, "refresh_figures", "prune_task_results"} <= names


def test_the_clock_process_starts_and_stops_cleanly(tmp_path):
    env = {**os.environ, "ACVS_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path}/clock.sqlite3"}
    clock = subprocess.Popen([sys.executable, "manage.py", "crontask", "--no-heartbeat"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        lines = []
        while time.monotonic() < deadline:
            line = clock.stdout.readline()
            lines.append(line)
            if "Starting scheduler" in line:
                break
        assert any("Loaded tasks from acvs.contacts" in line for line in lines)
        time.sleep(2)  # the line is printed just before the scheduler starts
        clock.send_signal(signal.SIGTERM)
        assert clock.wait(timeout=20) == 0
    finally:
        if clock.poll() is None:
            clock.kill()
