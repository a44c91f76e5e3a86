"""Sending a campaign, by the tasks worker: recipients materialised as rows, then one message per SMTP transaction
over one kept connection, throttled (ACVS_CAMPAIGN_RATE), each at most once, the rows recorded "sent" in batches.

Why at most once, and how. A row moves queued → claimed → sent | failed | uncertain.
- One run at a time per campaign: a run holds the campaign's lock (PostgreSQL: an advisory lock of its session;
  SQLite: an flock on a file), which the system releases when the run's process dies. A run that finds it taken
  comes back later.
- A run claims the next BATCH queued rows in one statement, committed durably; each gets its Message-ID, which
  names the run (a random token), and the claim's time. Before the claim, the run creates its journal, a file named
  after its token (var/campaigns/…).
- Before each SMTP transaction, the run appends the row's id to its journal (one write(2), no database round trip):
  written to the kernel before the server hears of the message, it survives the worker killed at any point. The
  rows the server accepted are recorded "sent" in one statement at the end of each batch and once a second; a
  refusal is recorded at once (rare), after the accepted rows before it.
- A worker killed (SIGKILL) at any point leaves its rows "claimed" and its journal. The run that takes over
  (recover(), under the lock) reads it: the rows written in it before the last were handed over and the run went on,
  so the server took them (a refusal would have been recorded): "sent"; the last one may or may not have been
  accepted, nothing here can tell: "uncertain" (its Message-ID lets the mail server's log tell; a duplicate cannot
  be taken back while a gap can be checked: the house's rule, acvs/mailing/sending.py); the rows not in it were
  never handed over and go back to the queue: nobody gets a message twice, nobody is skipped, at most one row per
  interruption is uncertain. A run's rows whose journal is not on this machine (another worker host) are all
  uncertain: never sent twice.
- A crash of PostgreSQL itself (not of the worker) may lose the last "sent" marks (committed without waiting for the
  disk): the rows go back to "claimed", and the journal tells again. Rows of an older version (no journal, the
  "sending" mark) keep their rule: claimed before the database's start time, uncertain. (SQLite commits every mark.)
A connection dropped after the data was sent is treated as an interruption: the row is uncertain.

Refusals: a 5xx answer marks the row failed (nothing delivered); a 4xx puts it back in the queue for a later pass
(ACVS_CAMPAIGN_RETRY_SECONDS, at most ACVS_CAMPAIGN_ATTEMPTS tries); a server that cannot be reached pauses the
campaign with the reason, the agent resumes it later. The messages themselves are made by compose.py (the MIME
built once per language, the recipient's values put in by string replacement).
"""

import contextlib
import datetime
import email
import email.policy
import fcntl
import hashlib
import os
import re
import secrets
import smtplib
import threading
import time
from email.utils import make_msgid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from acvs.booklet.sending import smtp_reason
from acvs.contacts.models import Contact
from acvs.core.tenancy import all_offices, owner_office_id, scope_for
from acvs.mailing import verp

from . import compose, pipelining, render, selectors, tracking
from .models import Campaign, Recipient

Status = Recipient.Status
HEARTBEAT_SECONDS = 1.0
BATCH = 500  # rows claimed at once
LOCK_SPACE = 0x6163  # PostgreSQL advisory locks: (this namespace, the campaign's id)
BUSY_RETRY_SECONDS = 5  # a run that finds another one sending the campaign comes back after this
PACE_SLEEP_MIN = 0.002  # shorter sleeps cost more than they wait: the schedule is held over several messages
PACE_CATCH_UP = 0.05  # seconds of messages a late run may send at once to get back to its rate


def send_test(campaign: Campaign, rendered: render.Rendered, to: str) -> None:
    """A test to the agent at once (no row, links that lead nowhere); ValidationError when the server refuses."""
    from acvs.booklet.sending import SendFailed, SendUncertain, smtp_send

    subject, body_html, body_text = render.personalise(
        rendered, name=_("Test"), unsubscribe=campaign.site_url or "#", preferences=campaign.site_url or "#"
    )
    message = EmailMultiAlternatives(
        subject=f"[{_('Test')}] {subject}", body=body_text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
        headers={"From": compose.from_header(campaign),
                 "Message-ID": make_msgid("campaign-test", domain=compose.domain())},
    )  # fmt: skip
    message.attach_alternative(body_html, "text/html")
    try:
        smtp_send(message)
    except (SendFailed, SendUncertain) as error:
        raise ValidationError(str(error)) from None


# Materialising the audience ----------------------------------------------------------------------------------------


def materialise(campaign: Campaign) -> int:
    """One row per contact and address, written once, in one transaction (a run killed here wrote nothing)."""
    if campaign.recipients.exists():
        return 0
    found = selectors.audience(campaign)
    rows = [
        Recipient(campaign=campaign, contact_id=contact, email=email,
                  language=render.language_for(campaign, language))
        for contact, email, language in found.recipients
    ]  # fmt: skip
    with transaction.atomic():
        Recipient.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


# The run -----------------------------------------------------------------------------------------------------------


class ServerDown(Exception):
    pass


class RawMessage(EmailMessage):
    """Bytes already made (compose.py), for a mail backend that is not SMTP (tests' outbox, console, file)."""

    def __init__(self, sender: str, to: str, data: bytes):
        super().__init__(from_email=sender, to=[to])
        self.data = data

    def message(self, *, policy=email.policy.default):
        return email.message_from_bytes(self.data, policy=policy)


class Runner:
    """One run's sending: rows claimed BATCH at a time, one SMTP connection kept open, each row handed over in the
    same statement that records the previous one as sent (see the module's docstring)."""

    def __init__(self, campaign: Campaign, composer: compose.Composer):
        self.campaign = campaign
        self.composer = composer
        self.interval = 1 / max(settings.ACVS_CAMPAIGN_RATE, 0.001)
        self.due = time.monotonic()  # when the next message may go, at the throttled rate
        self.mailer = None
        self.smtp = None  # the smtplib connection when the mailer is Django's SMTP backend
        self.beat = 0.0
        self.token = secrets.token_hex(8)
        self.id_head, self.id_tail = "<campaign.", f".{self.token}@{compose.domain()}>"
        self.accepted: list[int] = []  # rows the server accepted, not yet recorded as sent
        self.in_flight = None  # the row handed to the server, its answer not yet known
        self.journal_path = journal_path(campaign.pk, self.token)
        self.journal = os.open(self.journal_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.table = connection.ops.quote_name(Recipient._meta.db_table)
        self.postgres = connection.vendor == "postgresql"

    # The connection -------------------------------------------------------------------------------------------------

    def connect(self):
        self.mailer = mailers.default
        try:
            self.mailer.open()
        except (OSError, ValueError, smtplib.SMTPException) as error:
            self.mailer = None
            raise ServerDown(smtp_reason(error)) from error
        connection_ = getattr(self.mailer, "connection", None)
        self.smtp = connection_ if isinstance(connection_, smtplib.SMTP) else None

    def close(self):
        if self.mailer is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.mailer.close()
            self.mailer, self.smtp = None, None

    def transmit(self, sender: str, to: str, data: bytes) -> None:
        if self.smtp is not None:
            sender, to = _envelope(sender, self.mailer), _envelope(to, self.mailer)
            if pipelining.offered(self.smtp):
                pipelining.sendmail(self.smtp, sender, to, data)
            else:
                self.smtp.sendmail(sender, [to], data)
        else:
            self.mailer.send_messages([RawMessage(sender, to, data)])

    def pace(self) -> None:
        """Hold ACVS_CAMPAIGN_RATE over the run: one slot per message, slept to only when ahead of the schedule by
        more than PACE_SLEEP_MIN, and a late run may catch up PACE_CATCH_UP at most. Sleeping what was left of each
        message's slot overshot every short sleep: asked for 1,000/s, it gave 488/s (docs/performance-campaigns.md)."""
        now = time.monotonic()
        self.due = max(self.due, now - PACE_CATCH_UP) + self.interval
        if self.due - now > PACE_SLEEP_MIN:
            time.sleep(self.due - now)

    def still_wanted(self) -> bool:
        """A sign of life, and whether the agent paused or cancelled meanwhile (read once a second)."""
        now = time.monotonic()
        if now - self.beat < HEARTBEAT_SECONDS:
            return True
        self.beat = now
        self.settle()
        Campaign.objects.filter(pk=self.campaign.pk).update(heartbeat_at=timezone.now())
        status = Campaign.objects.filter(pk=self.campaign.pk).values_list("status", flat=True).first()
        return status == Campaign.Status.SENDING

    # The rows -------------------------------------------------------------------------------------------------------

    def _execute(self, sql: str, params) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def claim(self, after: int) -> list[tuple]:
        """The next rows still queued, claimed for this run (one durable commit), with their claim time."""
        lock = " FOR UPDATE SKIP LOCKED" if self.postgres else ""
        sql = (
            f"UPDATE {self.table} SET status = %s, sent_at = %s, message_id = %s || CAST(id AS varchar(20)) || %s "
            f"WHERE id IN (SELECT id FROM {self.table} WHERE campaign_id = %s AND status = %s AND id > %s "
            f"ORDER BY id LIMIT %s{lock}) RETURNING id, contact_id, email, language, attempts"
        )
        params = [Status.CLAIMED, _now(), self.id_head, self.id_tail, self.campaign.pk, Status.QUEUED, after, BATCH]
        with transaction.atomic():
            if self.postgres:
                self._execute("SET LOCAL synchronous_commit TO on", [])
            return sorted(self._execute(sql, params))

    def hand_over(self, pk: int) -> None:
        """The row goes to the server next: its id appended to the journal first (a write the kernel keeps though
        this process be killed)."""
        os.write(self.journal, b"%d\n" % pk)
        self.in_flight = pk

    def settle(self) -> None:
        """Record the rows the server accepted as sent, in one statement (end of a batch, once a second, before a
        refusal is recorded, at the end of the run)."""
        if self.accepted:
            Recipient.objects.filter(pk__in=self.accepted, status=Status.CLAIMED).update(
                status=Status.SENT, sent_at=timezone.now(), error="", attempts=F("attempts") + 1
            )
            self.accepted = []

    def release(self) -> None:
        """This run's claimed rows that were never handed to the server go back to the queue, as they were; the one
        handed over whose outcome is unknown (an unexpected error) is uncertain. The journal is then of no use."""
        self.settle()
        if self.in_flight is not None:
            uncertain(self.in_flight, _("its worker stopped"))
            self.in_flight = None
        Recipient.objects.filter(
            campaign=self.campaign, status=Status.CLAIMED, message_id__endswith=self.id_tail
        ).update(status=Status.QUEUED, sent_at=None)
        os.close(self.journal)
        self.journal_path.unlink(missing_ok=True)

    def message_id(self, pk: int) -> str:
        return f"{self.id_head}{pk}{self.id_tail}"

    # One message ----------------------------------------------------------------------------------------------------

    def send_one(self, row: tuple, name: str, track: bool) -> None:
        pk, _contact, address, language, attempts = row
        data = self.composer.message(pk=pk, email=address, name=name, language=language,
                                     message_id=self.message_id(pk), track=track)  # fmt: skip
        sender = verp.return_path("campaign", pk) or settings.DEFAULT_FROM_EMAIL
        if self.smtp is not None and self.smtp.sock is None:
            self.close()  # the server closed it after a refusal (421): a new connection, not an uncertain message
        if self.mailer is None:
            self.connect()  # ServerDown: the row, never handed over, goes back to the queue (release)
        self.hand_over(pk)
        try:
            self.transmit(sender, address, data)
        except smtplib.SMTPRecipientsRefused as error:
            code = next(iter(error.recipients.values()))[0]
            self.refused(pk, attempts, code, smtp_reason(error))
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            self.refused(pk, attempts, error.smtp_code, smtp_reason(error))
        except ValueError as error:  # an address that cannot be written in an SMTP envelope
            self.refused(pk, attempts, 553, str(error))
        except (smtplib.SMTPServerDisconnected, OSError, smtplib.SMTPException) as error:
            self.close()
            self.settle()
            uncertain(pk, smtp_reason(error))
        else:
            self.accepted.append(pk)
        self.in_flight = None

    def refused(self, pk: int, attempts: int, code: int, reason: str) -> None:
        self.settle()  # the rows accepted before it first: its journal line is no longer the last of the run
        again = 400 <= code < 500 and attempts + 1 < settings.ACVS_CAMPAIGN_ATTEMPTS
        status = Status.QUEUED if again else Status.FAILED
        with _durably():
            Recipient.objects.filter(pk=pk, status=Status.CLAIMED).update(
                status=status, error=reason, sent_at=None, attempts=attempts + 1
            )


def _envelope(address: str, mailer) -> str:
    """The address for the SMTP envelope: as is when plainly ASCII (the usual case, and our return paths), else as
    Django's SMTP backend writes it (IDNA domain, refusal of what cannot be written: ValueError)."""
    if address.isascii() and address.isprintable() and not any(c in address for c in ' <>"(),;:[]'):
        return address
    return mailer.prep_address(address)


def _now():
    return connection.ops.adapt_datetimefield_value(timezone.now())


def uncertain(pk: int, reason: str) -> None:
    text = _(
        "Interrupted while the mail server was receiving it (%(reason)s): the person may have it. Not sent again, "
        "so that it never arrives twice."
    ) % {"reason": reason}
    with _durably():
        Recipient.objects.filter(pk=pk, status__in=[Status.CLAIMED, Status.SENDING]).update(
            status=Status.UNCERTAIN, error=text[:500], attempts=F("attempts") + 1
        )


@contextlib.contextmanager
def _durably():
    """PostgreSQL: this transaction's commit waits for the disk, whatever the session's setting (a refusal or an
    uncertain row is rare and must not be lost: the journal would read it as sent)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO on")
        yield


def journals() -> Path:
    """This installation's journals of runs (one folder per database, so that test databases never share one)."""
    name = str(connection.settings_dict["NAME"])
    folder = Path(settings.BASE_DIR) / "var" / "campaigns" / hashlib.sha256(name.encode()).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def journal_path(campaign_id: int, token: str) -> Path:
    return journals() / f"{campaign_id}.{token}.journal"


_TOKEN = re.compile(r"\.([0-9a-f]{16})@")


def recover(campaign: Campaign) -> None:
    """What dead runs left (the caller holds the campaign's lock: no other run is alive). Each run's journal tells
    which of its claimed rows were handed to the server: sent, but the last one, uncertain; the others go back to
    the queue (module docstring). Rows of an older version: the row "sending" may have been delivered (uncertain),
    the claimed rows go back to the queue unless PostgreSQL restarted since they were claimed."""
    stopped = _("its worker stopped")
    for pk in campaign.recipients.filter(status=Status.SENDING).values_list("pk", flat=True):
        uncertain(pk, stopped)
    claimed = campaign.recipients.filter(status=Status.CLAIMED)
    tokens = {}
    for pk, message_id in claimed.values_list("pk", "message_id"):
        found = _TOKEN.search(message_id)
        tokens.setdefault(found.group(1) if found else None, []).append(pk)
    for token, pks in tokens.items():
        if token is None:
            continue
        path = journal_path(campaign.pk, token)
        try:
            handed = [int(line) for line in path.read_bytes().split()]
        except FileNotFoundError:
            # Its worker ran on another machine: whether the server took them cannot be told here.
            for pk in pks:
                uncertain(pk, stopped)
            continue
        except ValueError:
            handed = []
        mine = set(pks)
        if handed and handed[-1] in mine:
            uncertain(handed[-1], stopped)
        went = [pk for pk in handed[:-1] if pk in mine]
        claimed.filter(pk__in=went).update(status=Status.SENT, error="", attempts=F("attempts") + 1)
        claimed.filter(pk__in=pks).exclude(pk__in=handed).update(status=Status.QUEUED, sent_at=None)
        path.unlink(missing_ok=True)
    old = claimed.exclude(message_id__regex=_TOKEN.pattern) if tokens.get(None) else None
    if old is not None:
        restarted = _database_started()
        if restarted is not None:
            text = _("The database restarted during the sending: not sent again, so that it never arrives twice.")
            old.filter(sent_at__lt=restarted).update(status=Status.UNCERTAIN, error=text[:500])
        old.update(status=Status.QUEUED, sent_at=None)


@contextlib.contextmanager
def campaign_lock(campaign_id: int):
    """Whether this run got the campaign's lock (one run at a time); released when the run ends or its process dies
    (PostgreSQL: an advisory lock of the session; SQLite: an flock on a file)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_SPACE, campaign_id])
            got = cursor.fetchone()[0]
        try:
            yield got
        finally:
            # A connection lost meanwhile (the database restarted) took the lock with it.
            if got and connection.is_usable():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_SPACE, campaign_id])
        return
    fd = os.open(journals() / f"{campaign_id}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
        else:
            yield True
    finally:
        os.close(fd)


def _database_started():
    if connection.vendor != "postgresql":
        return None  # SQLite commits each mark durably (WAL): nothing to lose
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_postmaster_start_time()")
        return cursor.fetchone()[0]


def _pause(campaign: Campaign, reason: str) -> str:
    Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(
        status=Campaign.Status.PAUSED, reason=reason[:500]
    )
    return reason


def campaign_run(campaign_id: int) -> str:
    """The task's work: send what remains of the campaign; safe to run again at any point."""
    office_id = owner_office_id(Campaign, pk=campaign_id)
    if office_id is None:
        return "no such campaign"
    with scope_for(office=office_id):
        network = Campaign.objects.filter(pk=campaign_id).exclude(reach=Campaign.Reach.OFFICE).exists()
    # A département's or the network's campaign: its send list is built here, from every office's contacts.
    with scope_for(office=office_id), all_offices("network_campaigns") if network else contextlib.nullcontext():
        with campaign_lock(campaign_id) as got, _lower_priority():
            outcome = _run(campaign_id) if got else "busy"
        # Once the lock is released (the immediate task backend runs the next pass at once, in this process).
        if outcome in {"some deferred", "busy"}:
            from . import tasks

            # Temporary refusals (4xx): another pass later; another run was sending it: come back to what it leaves.
            delay = settings.ACVS_CAMPAIGN_RETRY_SECONDS if outcome == "some deferred" else BUSY_RETRY_SECONDS
            tasks.enqueue_send(Campaign.objects.get(pk=campaign_id), delay=delay)
        return outcome


@contextlib.contextmanager
def _lower_priority():
    """The sending's thread runs at a lower CPU priority while it sends (Linux: per thread), so that on a machine
    shared with the web servers the pages keep the CPU first; put back afterwards when the system allows it (raising
    a priority needs CAP_SYS_NICE: otherwise the worker's thread stays lower, which suits background work).

    Two levers: a nice increment (ACVS_CAMPAIGN_NICE), which only weighs the shares, and Linux's SCHED_IDLE policy
    (ACVS_CAMPAIGN_IDLE), under which any page's process that wakes takes the CPU at once; the sending still gets a
    small share of a saturated machine, ample for a relay's rate. Measured by bench/campaigns.py --counter
    (docs/performance-campaigns.md)."""
    with contextlib.ExitStack() as stack:
        thread = threading.get_native_id()
        if settings.ACVS_CAMPAIGN_NICE > 0 and hasattr(os, "setpriority"):
            stack.enter_context(_lowered(
                read=lambda: os.getpriority(os.PRIO_PROCESS, thread),
                write=lambda nice: os.setpriority(os.PRIO_PROCESS, thread, nice),
                low=lambda before: min(before + settings.ACVS_CAMPAIGN_NICE, 19),
            ))  # fmt: skip
        if settings.ACVS_CAMPAIGN_IDLE and hasattr(os, "SCHED_IDLE"):
            stack.enter_context(_lowered(
                read=lambda: (os.sched_getscheduler(thread), os.sched_getparam(thread)),
                write=lambda policy: os.sched_setscheduler(thread, *policy),
                low=lambda _before: (os.SCHED_IDLE, os.sched_param(0)),
            ))  # fmt: skip
        yield


@contextlib.contextmanager
def _lowered(*, read, write, low):
    """Write `low(before)` for the block, then `before` back when the system allows it (else it stays lower)."""
    try:
        before = read()
        write(low(before))
    except OSError:
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            write(before)


@contextlib.contextmanager
def _marks_without_waiting_for_the_disk():
    """PostgreSQL: the "sent" marks of each batch are committed without waiting for the disk (synchronous_commit
    off, this session only): a killed worker loses nothing (the server has them), a crash of the database server may
    lose the last fraction of a second of them, which the run's journal tells again (recover())."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _run(campaign_id: int) -> str:
    campaign = Campaign.objects.select_related("office").get(pk=campaign_id)
    if campaign.status not in {Campaign.Status.SCHEDULED, Campaign.Status.SENDING}:
        return f"nothing to do ({campaign.status})"
    if campaign.scheduled_at and campaign.scheduled_at > timezone.now() + datetime.timedelta(seconds=1):
        return "not yet"  # rescheduled later: the task enqueued then will run
    now = timezone.now()
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.SENDING, started_at=campaign.started_at or now, heartbeat_at=now
    )
    campaign.refresh_from_db()
    with translation.override(settings.LANGUAGE_CODE):  # the reasons shown to the agents
        try:
            rendered = render.render_all(campaign, campaign.site_url)
        except ValidationError as error:
            return _pause(campaign, " ".join(error.messages))
        materialise(campaign)
        recover(campaign)
        runner = Runner(campaign, compose.Composer(campaign, rendered))
        last_pk = 0
        try:
            with _marks_without_waiting_for_the_disk():
                while batch := runner.claim(last_pk):
                    contacts = Contact.objects.filter(pk__in=[row[1] for row in batch])
                    found = list(contacts.values_list("pk", "name", "office"))
                    names = {pk: name for pk, name, _office in found}
                    # Measured or not (tracking.measured): the sender's, the contact's office's and the contact's
                    # choices, read again for each batch.
                    measured = tracking.measured(campaign, {pk: office for pk, _name, office in found})
                    for row in batch:
                        if not runner.still_wanted():
                            return "stopped by the agent"
                        runner.send_one(row, names.get(row[1], ""), row[1] in measured)
                        last_pk = row[0]
                        runner.pace()
                    runner.settle()
        except ServerDown as error:
            return _pause(campaign, str(error))  # smtp_reason: "The mail server (host) could not be reached: …"
        finally:
            runner.release()
            runner.close()
        deferred = campaign.recipients.filter(status=Status.QUEUED).exists()
    if deferred:
        return "some deferred"
    Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(
        status=Campaign.Status.SENT, finished_at=timezone.now()
    )
    return "sent"


def bounced(pk: int, bounce: verp.Bounce) -> None:
    """verp handler: the message of recipient `pk` came back."""
    office_id = owner_office_id(Recipient, pk=pk)
    if office_id is None:
        return
    with scope_for(office=office_id):
        Recipient.objects.filter(pk=pk).update(
            status=Status.BOUNCED, error=(f"{bounce.status} {bounce.diagnostic}".strip() or "bounce")[:500]
        )
