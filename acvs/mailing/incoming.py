"""Visitors' replies to answers, read from the answers mailbox (IMAP) and attached to the answered request.

A reply is matched by the token of the address it was sent to (answers+<token>@…) or, when the visitor's client
replied to another address, by the answer's Message-ID in In-Reply-To / References. A matched reply is stored once
(its Message-ID is unique), reopens the request and is marked read in the mailbox; an unmatched one is left unread
for a person to look at.
"""

import contextlib
import email
import email.policy
import hashlib
import imaplib
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acvs.core.tenancy import owner_office_id, scope_for
from acvs.desk import services as desk_services
from acvs.desk.models import RequestStatus
from acvs.network.models import Office

from .models import Answer, IncomingMessage

TOKEN = re.compile(r"\+([0-9a-f]{20})@", re.IGNORECASE)
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
BODY_LIMIT = 100_000


@dataclass
class FetchReport:
    read: int = 0
    attached: int = 0
    unmatched: list[str] = field(default_factory=list)  # subjects left unread


def _find_answer(message: EmailMessage) -> tuple[int, dict] | None:
    """(office id, lookup) of the answer a reply is about, found without a scope."""
    addresses = getaddresses(
        message.get_all("To", []) + message.get_all("Cc", []) + message.get_all("Delivered-To", [])
    )
    for _name, address in addresses:
        if match := TOKEN.search(address):
            office_id = owner_office_id(Answer, token=match.group(1).lower())
            if office_id is not None:
                return office_id, {"token": match.group(1).lower()}
    quoted = MESSAGE_ID.findall(" ".join(str(message.get(h, "")) for h in ("In-Reply-To", "References")))
    for message_id in reversed(quoted):  # the closest parent last in References
        office_id = owner_office_id(Answer, message_id=message_id)
        if office_id is not None:
            return office_id, {"message_id": message_id}
    return None


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    try:
        text = part.get_content() if part is not None else ""
    except (LookupError, UnicodeError):
        text = part.get_payload(decode=True).decode("utf-8", errors="replace")
    return text[:BODY_LIMIT]


def _received_at(message: EmailMessage):
    try:
        when = parsedate_to_datetime(str(message["Date"]))
    except (TypeError, ValueError):
        return timezone.now()
    return when if timezone.is_aware(when) else timezone.make_aware(when)


def attach_reply(raw: bytes) -> IncomingMessage | None:
    """Store a raw reply on its request and reopen it; None when it matches no answer. Storing it twice does nothing."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    found = _find_answer(message)
    if found is None:
        return None
    office_id, lookup = found
    message_id = (MESSAGE_ID.findall(str(message.get("Message-ID", ""))) or [None])[0]
    message_id = message_id or f"<sha256.{hashlib.sha256(raw).hexdigest()}@acvs.invalid>"
    with scope_for(office=office_id), transaction.atomic():
        answer = Answer.objects.select_related("visitor_request").get(**lookup)
        if existing := IncomingMessage.objects.filter(message_id=message_id).first():
            return existing
        sender = str(message.get("From", ""))[:300]
        subject = " ".join(str(message.get("Subject", "")).split())[:300]
        reply = IncomingMessage.objects.create(
            visitor_request=answer.visitor_request,
            answer=answer,
            message_id=message_id[:255],
            sender=sender,
            subject=subject,
            body=_text(message),
            received_at=_received_at(message),
        )
        desk_services.request_follow_up(
            visitor_request=answer.visitor_request,
            status=RequestStatus.TO_HANDLE,
            user=None,
            office=Office.objects.get(pk=office_id),
            event=("reply", IncomingMessage._meta.verbose_name, _("Reply from %(sender)s: “%(subject)s”") % {
                "sender": sender, "subject": subject}),
        )  # fmt: skip
    return reply


def connect(*, user: str = "", password: str = "") -> imaplib.IMAP4:
    """A logged-in client of the IMAP server (ACVS_IMAP_*), as the answers' user unless another is given."""
    if not settings.ACVS_IMAP_HOST:
        raise ImproperlyConfigured("ACVS_IMAP_HOST is not set: there is no answers mailbox to read.")
    kind = imaplib.IMAP4_SSL if settings.ACVS_IMAP_SSL else imaplib.IMAP4
    client = kind(settings.ACVS_IMAP_HOST, settings.ACVS_IMAP_PORT, timeout=30)
    client.login(user or settings.ACVS_IMAP_USER, password or settings.ACVS_IMAP_PASSWORD)
    return client


def fetch_mailbox() -> FetchReport:
    """Read the unread messages of the answers folder; attach the replies and mark them read."""
    report = FetchReport()
    client = connect()
    try:
        status, _data = client.select(settings.ACVS_IMAP_FOLDER)
        if status != "OK":
            raise ImproperlyConfigured(f"The IMAP folder {settings.ACVS_IMAP_FOLDER!r} cannot be opened.")
        _status, data = client.uid("SEARCH", None, "UNSEEN")
        for uid in data[0].split():
            _status, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((part[1] for part in parts if isinstance(part, tuple)), None)
            if raw is None:
                continue
            report.read += 1
            if attach_reply(raw) is None:
                subject = email.message_from_bytes(raw, policy=email.policy.default).get("Subject", "")
                report.unmatched.append(str(subject))
                continue
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            report.attached += 1
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    return report
