"""The prospect file: one per office, never shared. Every model here is office-private (scoped on the office)."""

from .consent import ConsentEvent, ConsentMethod, Purpose
from .contact import Contact, ContactEmail, ContactKind, ContactPhone, RequestLink, Segment, Source, Tag

__all__ = [
    "ConsentEvent", "ConsentMethod", "Contact", "ContactEmail", "ContactKind", "ContactPhone", "Purpose",
    "RequestLink", "Segment", "Source", "Tag",
]  # fmt: skip
