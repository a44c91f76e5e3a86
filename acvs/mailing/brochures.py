"""Brochures of the catalogue sent with answers: the size an answer carries, the PDFs read for sending."""

from django.utils import translation
from django.utils.translation import ngettext

from acvs.documentation.models import Document

# The brochures' PDFs one answer carries at most together; those that do not fit go as links in the text.
ATTACHMENTS_MAX_BYTES = 15 * 1024 * 1024


def pdf_size(document: Document) -> int | None:
    """The size of the brochure's stored PDF; None without one, or when the file is missing from the storage."""
    if not document.pdf:
        return None
    try:
        return document.pdf.size
    except OSError:
        return None


def pdf_bytes(document: Document) -> bytes:
    """The brochure's PDF as stored (OSError when it is gone)."""
    with document.pdf.open("rb") as handle:
        return handle.read()


def links_text(links: list[tuple[str, str]], language: str) -> str:
    """The lines added to the answer for the brochures sent as links, (title, url) in order, in the visitor's
    language when we have it."""
    if not links:
        return ""
    with translation.override(language):
        head = ngettext("Our brochure to read online:", "Our brochures to read online:", len(links))
    return "\n".join([head, *(f"- {title}: {url}" for title, url in links)])


def with_links(body: str, old: str, new: str) -> str:
    """The answer's text with its links' lines `old` (written when it was queued) replaced by `new`."""
    if old and body.endswith(f"\n\n{old}"):
        body = body[: -len(old) - 2]
    return f"{body}\n\n{new}" if new else body
