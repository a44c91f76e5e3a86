"""The prospect file: one per office, never shared. Every model here is office-private (scoped on the office)."""

from .consent import ConfirmationMail, ConsentEvent, ConsentMethod, CurrentConsent, Purpose, refresh_current
from .contact import Contact, ContactEmail, ContactKind, ContactPhone, RequestLink, Segment, Source, Tag
from .importing import ContactImport, ImportMapping
from .rights import AccessAction, AccessLog

__all__ = [
    "AccessAction", "AccessLog", "ConfirmationMail", "ConsentEvent", "ConsentMethod", "Contact", "ContactEmail",
    "ContactImport", "ContactKind", "ContactPhone", "CurrentConsent", "ImportMapping", "Purpose", "RequestLink",
    "Segment", "Source", "Tag", "refresh_current",
]  # fmt: skip
