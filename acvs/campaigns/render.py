"""A campaign's message: a responsive HTML email (tables, inline styles, light colours forced for dark mode) and its
plain-text part, rendered once per language; each recipient's name and signed links are put in afterwards, so that
sending renders no template per message.

Texts may name two merge fields, `{name}` and `{office_name}`; `{{` and `}}` write braces. A malformed or unknown
field, or an image whose file is missing, is refused with the block it is in: nothing is sent.
"""

import html
from dataclasses import dataclass
from pathlib import Path
from string import Formatter

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from acvs.desk import reference
from acvs.offer import thumbnails

from .models import Block, Campaign

FIELDS = ("name", "office_name")
# Put in place of the per-recipient values in the rendered message, then replaced for each recipient.
NAME, UNSUBSCRIBE, PREFERENCES = "\x1fNAME\x1f", "\x1fUNSUBSCRIBE\x1f", "\x1fPREFERENCES\x1f"
_SIGNER = signing.Signer(salt="acvs.campaigns.link")


def link_token(recipient_pk: int) -> str:
    """The signed key of an unsubscribe or preferences link: the recipient's row names office, contact, purpose."""
    return _SIGNER.sign(str(recipient_pk)).replace(":", ".")


def link_recipient_pk(token: str) -> int | None:
    try:
        value = _SIGNER.unsign(token.replace(".", ":"))
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def _merge(text: str, office_name: str, where: str) -> str:
    try:
        parts = list(Formatter().parse(text))
    except ValueError:
        raise ValidationError(
            _("%(where)s: a brace is not closed or not opened (write {name}, and a brace as {{ or }}).")
            % {"where": where}
        ) from None
    out = []
    for literal, field, spec, conversion in parts:
        out.append(literal)
        if field is None:
            continue
        if field not in FIELDS or spec or conversion:
            raise ValidationError(
                _("%(where)s: unknown merge field {%(field)s}; available: {name}, {office_name}.")
                % {"where": where, "field": field}
            )
        out.append(NAME if field == "name" else office_name)
    return "".join(out)


def absolute(site_url: str, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else site_url.rstrip("/") + url


@dataclass
class Rendered:
    language: str
    subject: str
    html: str
    text: str
    image_bytes: int


def _check_block(block: Block, index: int, office_name: str) -> None:
    """Raise what to fix in `block`, in the agent's language (rendering happens in the campaign's)."""
    where = _("Block %(n)s (%(kind)s, %(language)s)") % {
        "n": index, "kind": block.get_kind_display(), "language": block.language}  # fmt: skip
    _merge(block.text, office_name, where)
    if block.kind == Block.Kind.IMAGE and (
        not block.image.name or not (Path(settings.MEDIA_ROOT) / block.image.name).exists()
    ):
        raise ValidationError(_("%(where)s: the image file is missing; add it again.") % {"where": where})
    if block.kind == Block.Kind.BUTTON and not block.url:
        raise ValidationError(_("%(where)s: a button needs a link.") % {"where": where})


def _block_context(block: Block, office_name: str, site_url: str) -> dict:
    item = {"kind": block.kind, "text": _merge(block.text, office_name, ""), "url": block.url}
    if block.kind == Block.Kind.IMAGE:
        item |= {"src": absolute(site_url, settings.MEDIA_URL + block.image.name), "credit": block.credit}
    elif block.kind == Block.Kind.OFFERS:
        cards = []
        for offer in block.offers.all().prefetch_related("photos").order_by("name"):
            photo = next(iter(offer.photos.all()), None)
            thumb = thumbnails.thumbnail(photo) if photo else None
            cards.append({
                "name": offer.name, "description": offer.short_description, "url": offer.website,
                "src": absolute(site_url, thumb[1]) if thumb else "", "credit": photo.credit if photo else "",
            })  # fmt: skip
        item["cards"] = cards
    return item


def render_language(campaign: Campaign, language: str, site_url: str) -> Rendered:
    """The message in one language, with the recipient's values as markers. ValidationError: what to fix."""
    office = campaign.office
    subject = campaign.subjects.get(language, "").strip()
    if not subject:
        raise ValidationError(_("The subject in %(language)s is empty.") % {"language": language})
    blocks = [b for b in campaign.blocks.all() if b.language == language]
    if not blocks:
        raise ValidationError(_("The version in %(language)s has no block yet.") % {"language": language})
    for index, block in enumerate(blocks, 1):
        _check_block(block, index, office.name)
    with translation.override(language):
        items = [_block_context(b, office.name, site_url) for b in blocks]
        context = {
            "campaign": campaign, "office": office, "language": language, "blocks": items,
            "unsubscribe_url": UNSUBSCRIBE, "preferences_url": PREFERENCES, "name_marker": NAME,
        }  # fmt: skip
        body_html = render_to_string("campaigns/email/body.html", context)
        body_text = render_to_string("campaigns/email/body.txt", context)
    subject = _merge(subject, office.name, _("Subject"))
    weight = sum(b.image_bytes for b in blocks if b.kind == Block.Kind.IMAGE)
    return Rendered(language, subject, body_html, body_text, weight)


def render_all(campaign: Campaign, site_url: str) -> dict[str, Rendered]:
    """Every language of the campaign; ValidationError listing every problem found."""
    if not campaign.subjects:
        raise ValidationError(_("Write the campaign in at least one language."))
    found, errors = {}, []
    for language in campaign.languages:
        try:
            found[language] = render_language(campaign, language, site_url)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return found


def personalise(rendered: Rendered, *, name: str, unsubscribe: str, preferences: str) -> tuple[str, str, str]:
    """(subject, html, text) for one recipient."""
    pairs_text = ((NAME, name), (UNSUBSCRIBE, unsubscribe), (PREFERENCES, preferences))
    pairs_html = ((NAME, html.escape(name)), (UNSUBSCRIBE, html.escape(unsubscribe)),
                  (PREFERENCES, html.escape(preferences)))  # fmt: skip
    subject, body_html, body_text = rendered.subject, rendered.html, rendered.text
    for marker, value in pairs_text:
        subject = subject.replace(marker, value)
        body_text = body_text.replace(marker, value)
    for marker, value in pairs_html:
        body_html = body_html.replace(marker, value)
    return subject, body_html, body_text


def language_for(campaign: Campaign, contact_language: str) -> str:
    return contact_language if contact_language in campaign.subjects else campaign.languages[0]


def language_label(code: str) -> str:
    return reference.languages().get(code, code)
