"""Delivery status notifications (RFC 3464) read from the bounces mailbox (IMAP) and handed to their sending.

A report is found by its parts (multipart/report; report-type=delivery-status, with a message/delivery-status part),
read with the standard library's email package: each recipient block whose Action is "failed" is a bounce, hard
when its Status is 5.x.x (or, without a Status, its Diagnostic-Code a 5xx reply), soft otherwise. The return path it
came back to (To, Delivered-To or X-Original-To of the report, Postfix's X-Postfix-Sender, or the Return-Path of the
original message it quotes) names the sending through `verp.handle`; nothing in the body is trusted to name it.

Out-of-office replies and other auto-replies carry no delivery-status part: they are not bounces, only marked read.
A report that cannot be read, or whose handling fails, is logged and moved to the aside folder for a person. Every
message read is marked read or moved, so none is handled twice; the handlers record a sending's bounce once too.
"""

import contextlib
import email
import email.policy
import imaplib
import logging
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import InterfaceError, OperationalError

from . import incoming, verp

logger = logging.getLogger(__name__)

REPORT_TYPES = {"message/delivery-status", "message/global-delivery-status"}
ORIGINAL_TYPES = {"message/rfc822", "text/rfc822-headers", "message/global", "message/global-headers"}
AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(auto(matic)?[ -]?(reply|response)|out of (the )?office|absence|absent|r[ée]ponse automatique|"
    r"abwesenheit|fuera de la oficina|vacation|away from)",
    re.IGNORECASE,
)
BOUNCE_SUBJECT = re.compile(
    r"undeliver|delivery status notification|mail delivery (failed|subsystem)|failure notice|returned mail|"
    r"non remis|delivery failure",
    re.IGNORECASE,
)
STATUS = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")
REPLY_CODE = re.compile(r"\b([245])\d\d\b")


class Malformed(ValueError):
    """A message that looks like a delivery report but cannot be read as one."""


@dataclass
class Report:
    """What one message of the bounces mailbox says: its bounces (none for a delay warning) and where they came back."""

    bounces: list[verp.Bounce]
    return_paths: list[str]


def _address(value: str) -> str:
    """`rfc822; <b+x@ot.example>` → b+x@ot.example (the address type is optional in practice). Case is kept: the
    return path's signature is case-sensitive."""
    value = str(value or "")
    return (value.partition(";")[2] if ";" in value else value).strip().strip("<>")


def _one_line(value) -> str:
    return " ".join(str(value or "").split())


def is_auto_reply(message: EmailMessage) -> bool:
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    return (
        auto not in {"", "no"}
        or any(message.get(name) for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"))
        or str(message.get("Precedence", "")).strip().lower() == "auto_reply"
        or bool(AUTO_REPLY_SUBJECT.match(str(message.get("Subject", ""))))
    )


def _blocks(part) -> list:
    """The header blocks of a delivery-status part: per message first, then one per recipient."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return payload
    text = part.get_payload(decode=True) or b""  # a body the parser left as text: read its blocks ourselves
    blocks = re.split(rb"\r?\n\s*\r?\n", text.strip())
    return [email.message_from_bytes(block, policy=email.policy.default) for block in blocks if block.strip()]


def _bounce(block) -> verp.Bounce | None:
    action = str(block.get("Action", "")).strip().lower()
    if not action:
        raise Malformed("a recipient block without Action")
    if action != "failed":  # delayed, delivered, relayed, expanded: nothing bounced
        return None
    status = STATUS.search(str(block.get("Status", "")))
    diagnostic = _one_line(block.get("Diagnostic-Code", ""))
    if status is not None:
        hard = status.group(1) == "5"
    else:
        reply = REPLY_CODE.search(diagnostic)
        hard = reply is None or reply.group(1) == "5"  # "failed" is final unless the server said it was temporary
    address = _address(block.get("Final-Recipient", "") or block.get("Original-Recipient", "")).lower()
    return verp.Bounce(address=address, hard=hard, status=status.group(0) if status else "", diagnostic=diagnostic)


def _original_return_path(message: EmailMessage) -> list[str]:
    for part in message.walk():
        if part.get_content_type() not in ORIGINAL_TYPES:
            continue
        if part.get_content_type() in {"message/rfc822", "message/global"}:
            payload = part.get_payload()
            original = payload[0] if isinstance(payload, list) and payload else None
        else:
            original = email.message_from_bytes(part.get_payload(decode=True) or b"", policy=email.policy.default)
        if original is not None and original.get("Return-Path"):
            return [_address(original["Return-Path"])]
    return []


def read_report(raw: bytes) -> Report | None:
    """The bounces of a raw message, or None when it is not a delivery report. Raises Malformed."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parts = [part for part in message.walk() if part.get_content_type() in REPORT_TYPES]
    if not parts:
        if not is_auto_reply(message) and (
            BOUNCE_SUBJECT.search(str(message.get("Subject", "")))
            or "mailer-daemon" in str(message.get("From", "")).lower()
        ):
            raise Malformed("a delivery failure without a delivery-status part")
        return None
    blocks = _blocks(parts[0])
    recipients = [block for block in blocks if block.get("Final-Recipient") or block.get("Action")]
    if not recipients:
        raise Malformed("a delivery-status part without a recipient")
    bounces = [bounce for block in recipients if (bounce := _bounce(block)) is not None]
    headers = [str(v) for name in ("To", "Delivered-To", "X-Original-To") for v in message.get_all(name, [])]
    paths = [address for _name, address in getaddresses(headers) if address]
    paths += [_address(block["X-Postfix-Sender"]) for block in blocks[:1] if block.get("X-Postfix-Sender")]
    paths += _original_return_path(message)
    return Report(bounces=bounces, return_paths=list(dict.fromkeys(paths)))


def handle_report(report: Report) -> int:
    """Hand each bounce to the sending its return path names; the number claimed."""
    claimed = 0
    for bounce in report.bounces:
        claimed += any(verp.handle(path, bounce) for path in report.return_paths)
    return claimed


@dataclass
class FetchReport:
    read: int = 0
    recorded: int = 0  # bounces handed to their sending
    not_bounces: int = 0  # auto-replies, delay warnings
    unclaimed: int = 0  # reports naming no sending of ours
    aside: list[str] = field(default_factory=list)  # subjects moved to the aside folder


def _move_aside(client: imaplib.IMAP4, uid: bytes) -> None:
    folder = settings.ACVS_BOUNCES_ASIDE_FOLDER
    client.create(folder)  # refused when it exists already
    status, _data = client.uid("MOVE", uid, folder)
    if status != "OK":  # the message stays, but read: it is never handled twice
        logger.error("The bounce message %s could not be moved to %r.", uid.decode(), folder)
        client.uid("STORE", uid, "+FLAGS", "(\\Seen)")


def fetch_mailbox() -> FetchReport:
    """Read the unread messages of the bounces folder once; record the bounces, mark every message read or move it."""
    report = FetchReport()
    client = incoming.connect(user=settings.ACVS_BOUNCES_IMAP_USER, password=settings.ACVS_BOUNCES_IMAP_PASSWORD)
    try:
        status, _data = client.select(settings.ACVS_BOUNCES_IMAP_FOLDER)
        if status != "OK":
            raise ImproperlyConfigured(f"The IMAP folder {settings.ACVS_BOUNCES_IMAP_FOLDER!r} cannot be opened.")
        _status, data = client.uid("SEARCH", None, "UNSEEN")
        for uid in data[0].split():
            _status, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((part[1] for part in parts if isinstance(part, tuple)), None)
            if raw is None:
                continue
            report.read += 1
            try:
                found = read_report(raw)
                claimed = handle_report(found) if found is not None else 0
            except (OperationalError, InterfaceError):
                raise  # the database is away: the message stays unread for the next run
            except Exception as error:  # noqa: BLE001 — one bad message never stops the others
                subject = _one_line(email.message_from_bytes(raw, policy=email.policy.default).get("Subject", ""))
                logger.warning(
                    "Bounce message %r moved aside: %s", subject, error, exc_info=not isinstance(error, Malformed)
                )
                _move_aside(client, uid)
                report.aside.append(subject)
                continue
            if found is None or not found.bounces:
                report.not_bounces += 1
            else:
                report.recorded += claimed
                report.unclaimed += len(found.bounces) - claimed
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    return report
