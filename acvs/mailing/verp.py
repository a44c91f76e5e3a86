"""Variable envelope return paths: each message's bounces come back to an address that says what bounced.

A message is sent with the envelope sender bounces+<kind>.<pk>.<signature>@domain (ACVS_BOUNCES_ADDRESS); the
delivery status notification that comes back to it names the sending row without trusting the report's body. The
signature keeps a forged report from marking someone else's address. The app that sent registers a handler per kind.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

_SIGNER = signing.Signer(salt="acvs.mailing.verp")
_SIGNATURE_LENGTH = 12


@dataclass(frozen=True)
class Bounce:
    """What a delivery status notification (RFC 3464) says of one recipient."""

    address: str
    hard: bool
    status: str = ""
    diagnostic: str = ""


Handler = Callable[[int, Bounce], None]
_handlers: dict[str, Handler] = {}


def register(kind: str, handler: Handler) -> None:
    """`handler(pk, bounce)` is called for each bounce of a message sent with `return_path(kind, pk)`."""
    if not kind.isalnum():
        raise ValueError(f"A bounce kind is alphanumeric, not {kind!r}.")
    _handlers[kind] = handler


def _signature(kind: str, pk: int) -> str:
    return _SIGNER.signature(f"{kind}.{pk}")[:_SIGNATURE_LENGTH]


def return_path(kind: str, pk: int) -> str | None:
    """The envelope sender for one message, or None when no bounces mailbox is configured."""
    if not settings.ACVS_BOUNCES_ADDRESS:
        return None
    local, _at, domain = settings.ACVS_BOUNCES_ADDRESS.partition("@")
    return f"{local}+{kind}.{pk}.{_signature(kind, pk)}@{domain}"


def target(address: str) -> tuple[str, int] | None:
    """(kind, pk) named by a return path this installation signed; None for anything else."""
    local = address.strip().strip("<>").partition("@")[0]
    tag = local.partition("+")[2]
    kind, _dot, rest = tag.partition(".")
    pk, _dot, signature = rest.partition(".")
    if not kind or not pk.isdigit() or not constant_time_compare(signature, _signature(kind, int(pk))):
        return None
    return kind, int(pk)


def handle(address: str, bounce: Bounce) -> bool:
    """Hand a bounce to the handler of the return path it came back to; False when none claims it."""
    found = target(address)
    if found is None or found[0] not in _handlers:
        return False
    _handlers[found[0]](found[1], bounce)
    return True
