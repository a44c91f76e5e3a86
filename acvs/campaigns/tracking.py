"""Opens and clicks, with a privacy switch: signed links, the office's and the contact's consent to be measured.

An open is a 1×1 GIF the HTML part loads; a click goes through a redirect whose URL carries the destination and an
HMAC over (recipient, destination) with the installation's secret key: a link edited by hand, or one signed for
another recipient or destination, is refused (400) and records nothing, so the redirect cannot be used to send
people anywhere else.

Whether a message is measured (`measured()`, the one rule for every campaign, applied when the message is made and
again when an open or a click comes in, so that a switch turned off since the message left is obeyed):
- the contact's office measures its contacts' opens and clicks (its campaign settings): an office that turned it off
  never has its contacts measured, not even by a département's or the network's campaign;
- the contact did not refuse it (the preferences page);
- the sender's office measures its campaigns. For an office's own campaign it is the contact's office. For a
  département's or the network's campaign it is a veto of the sender on its own campaign: off, none of its messages is
  measured, whatever the contacts' offices chose; on, it measures nobody whose office or own choice says no (the
  sender cannot turn on what the contact's office turned off).
Unmeasured messages carry no pixel and their links are left as written; an open or a click forged for them records
nothing.

Each office's switch is read in a scope that sees its row: the contact's office's (an open or a click is handled in
the contact's office's scope, the worker sends a network campaign across offices), and the sender's switch of a
network campaign through the declared cross-office read "network_campaigns". A switch asked from a scope that cannot
see its row raises: a row filtered out by the scope would read as "no settings", that is "measured" (issue 13).
"""

import base64
import hashlib
import hmac

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django_scopes import get_scope

from acvs.core.tenancy import ScopeError, all_offices

from .models import Campaign, Event, OfficeSettings, Recipient, TrackingRefusal

_SALT = "acvs.campaigns.tracking"
# A 1×1 transparent GIF.
GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
_key: tuple[str, bytes] | None = None


def _hmac_key() -> bytes:
    """Derived once per secret key (salted_hmac derives its key on every call; this is per link of every message)."""
    global _key
    from django.conf import settings

    if _key is None or _key[0] != settings.SECRET_KEY:
        _key = (settings.SECRET_KEY, salted_hmac(_SALT, "click-key", algorithm="sha256").digest())
    return _key[1]


def signature(recipient_pk: int, url: str) -> str:
    digest = hmac.new(_hmac_key(), f"{recipient_pk}\n{url}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def click_valid(recipient_pk: int, sig: str, url: str) -> bool:
    return url.startswith(("http://", "https://")) and constant_time_compare(sig, signature(recipient_pk, url))


# The switch ----------------------------------------------------------------------------------------------------------


def _visible(office_ids) -> None:
    """Fail closed: the offices' rows (settings, refusals) must be visible from the current scope, else a row filtered
    out by the scope would read as "measured"."""
    current = get_scope()
    if not current.get("_enabled", True):
        return  # all_offices(reason): every row is visible
    office = current.get("office")
    seen = set(office) if isinstance(office, list | tuple) else {office}
    hidden = set(office_ids) - seen
    if hidden:
        raise ScopeError(f"Tracking switches of offices {sorted(hidden)} read from the scope of office {office}")


def offices_not_tracking(office_ids) -> set[int]:
    """The offices among `office_ids` that turned the measure off (no settings row: on)."""
    office_ids = set(office_ids)
    _visible(office_ids)
    off = OfficeSettings.objects.filter(office__in=office_ids, tracking=False)
    return set(off.values_list("office", flat=True))


def office_tracks(office_id: int) -> bool:
    return office_id not in offices_not_tracking([office_id])


def sender_tracks(campaign: Campaign) -> bool:
    """The sender's office's switch: for a département's or the network's campaign, read from a contact's office or
    by the worker, a declared cross-office read (one boolean, no personal data); see the module's docstring."""
    if not campaign.is_network:
        return office_tracks(campaign.office_id)
    with all_offices("network_campaigns"):
        return office_tracks(campaign.office_id)


def refusing(contact_ids) -> set[int]:
    """The contacts among `contact_ids` who asked not to be measured (the caller sees their offices' rows)."""
    return set(TrackingRefusal.objects.filter(contact__in=contact_ids).values_list("contact", flat=True))


def measured(campaign: Campaign, contacts: dict[int, int]) -> set[int]:
    """The rule (module docstring): which of `contacts` (contact's id → their office's id) a message of `campaign`
    measures; read in a scope that sees the contacts' offices."""
    if not contacts or not sender_tracks(campaign):
        return set()
    quiet = offices_not_tracking(contacts.values())
    candidates = {contact for contact, office in contacts.items() if office not in quiet}
    return candidates - refusing(candidates) if candidates else set()


def contact_tracks(contact) -> bool:
    return not TrackingRefusal.objects.filter(contact=contact).exists()


def contact_set(contact, wanted: bool) -> None:
    if wanted:
        TrackingRefusal.objects.filter(contact=contact).delete()
    else:
        TrackingRefusal.objects.get_or_create(contact=contact, defaults={"office_id": contact.office_id})


def office_set(office_id: int, wanted: bool) -> None:
    OfficeSettings.objects.update_or_create(office_id=office_id, defaults={"tracking": wanted})


# Recording -----------------------------------------------------------------------------------------------------------


def _allowed(recipient: Recipient) -> bool:
    contact = recipient.contact
    return contact.pk in measured(recipient.campaign, {contact.pk: contact.office_id})


def record(recipient: Recipient, kind: str, url: str = "") -> bool:
    """Record an open or a click (in the contact's office's scope), unless its message is not measured: by the rule
    of `measured()`, read now, so that a switch turned off since the message left is obeyed."""
    if not _allowed(recipient):
        return False
    with transaction.atomic():
        Event.objects.create(campaign_id=recipient.campaign_id, recipient=recipient, kind=kind, url=url,
                             at=timezone.now())  # fmt: skip
    return True
