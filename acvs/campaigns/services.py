"""Writes of campaigns: design (blocks, images), audience, planning (schedule, pause, resume, cancel), a test to
oneself, and the recipients' own unsubscribe and preferences. One transaction each, rights checked."""

import io
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from acvs.contacts.models import ConsentEvent, ConsentMethod, Purpose
from acvs.core import french
from acvs.network import rules
from acvs.network.models import Membership

from . import render, selectors
from .models import Block, Campaign, Recipient

IMAGE_SIZE = (1200, 1200)
IMAGE_MAX_UPLOAD = 15 * 1024 * 1024
NETWORK_ONLY = gettext_lazy("Only the département’s and the network’s administrators prepare their campaigns.")
EDITABLE = {Campaign.Status.DRAFT, Campaign.Status.SCHEDULED, Campaign.Status.PAUSED}


def _check(membership: Membership, campaign: Campaign | None = None) -> None:
    if not rules.can_use_contacts(membership):
        raise PermissionDenied(_("Your role does not give access to the contacts."))
    if campaign is not None and campaign.office_id != membership.office_id:
        raise PermissionDenied(_("Only the office that prepares this campaign can change it."))
    if campaign is not None and campaign.reach not in rules.campaign_reaches(membership):
        raise PermissionDenied(NETWORK_ONLY)


def _editable(campaign: Campaign) -> None:
    if campaign.status not in EDITABLE or campaign.started_at is not None:
        raise ValidationError(_("This campaign has started sending: its design and audience can no longer change."))


def campaign_save(*, membership: Membership, campaign: Campaign | None, name: str, purpose: str, subjects: dict,
                  segments, reach: str = Campaign.Reach.OFFICE) -> Campaign:  # fmt: skip
    """An office's campaign (its segments, any purpose), or a département's or the network's (`reach`): sent to the
    contacts of every office it reaches who consented to the network's purpose, with no segment of any office."""
    _check(membership, campaign)
    if campaign is None:
        if reach not in rules.campaign_reaches(membership):
            raise PermissionDenied(NETWORK_ONLY)
        campaign = Campaign(office=membership.office, created_by=membership.user, reach=reach)
    else:
        _editable(campaign)
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": _("Unknown purpose.")})
    if campaign.is_network:
        if purpose != Purpose.NETWORK:
            raise ValidationError({"purpose": _("A département’s or the network’s campaign goes to the contacts who "
                                                "consented to its communications: choose that purpose.")})  # fmt: skip
        if segments:
            raise ValidationError({"segments": _("A département’s or the network’s campaign has no segment: it "
                                                 "reaches every consenting contact of its offices.")})  # fmt: skip
    subjects = {lang: text.strip() for lang, text in subjects.items() if text.strip()}
    if not subjects:
        raise ValidationError({"subjects": _("Give the subject in at least one language.")})
    if any(s.office_id != membership.office_id for s in segments):
        raise PermissionDenied
    campaign.name, campaign.purpose, campaign.subjects = name.strip(), purpose, subjects
    with transaction.atomic():
        campaign.save()
        campaign.segments.set(segments)
    return campaign


def campaign_returns_save(*, membership: Membership, campaign: Campaign, cost, return_days: int) -> None:
    """The campaign's cost and its return window: entered at any time, even once it is sent."""
    _check(membership, campaign)
    if cost is not None and cost < 0:
        raise ValidationError({"cost": _("A cost cannot be negative.")})
    if not 1 <= return_days <= 365:
        raise ValidationError({"return_days": _("Choose a window between 1 and 365 days.")})
    Campaign.objects.filter(pk=campaign.pk).update(cost=cost, return_days=return_days)
    campaign.cost, campaign.return_days = cost, return_days


def _image(upload) -> tuple[ContentFile, int]:
    """The upload resized to at most 1200 px and saved as JPEG; ValidationError for what Pillow cannot read."""
    if upload.size > IMAGE_MAX_UPLOAD:
        raise ValidationError({"image": _("The image is over 15 MB.")})
    try:
        with Image.open(upload) as picture:
            picture = picture.convert("RGB")
            picture.thumbnail(IMAGE_SIZE)
            buffer = io.BytesIO()
            picture.save(buffer, "JPEG", quality=80, optimize=True, progressive=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError({"image": _("This file is not an image we can read (JPEG, PNG, WebP).")}) from None
    data = buffer.getvalue()
    return ContentFile(data, name=f"{Path(upload.name).stem[:40] or 'image'}.jpg"), len(data)


def block_save(*, membership: Membership, campaign: Campaign, block: Block | None, language: str, kind: str,
               text: str = "", url: str = "", credit: str = "", image=None, offers=()) -> Block:  # fmt: skip
    _check(membership, campaign)
    _editable(campaign)
    if language not in campaign.subjects:
        raise ValidationError({"language": _("Give the subject in this language first.")})
    if block is None:
        block = Block(campaign=campaign, language=language, kind=kind)
        last = campaign.blocks.filter(language=language).aggregate(m=Max("position"))["m"]
        block.position = 0 if last is None else last + 1
    if block.kind == Block.Kind.IMAGE and image is None and not block.image:
        raise ValidationError({"image": _("Choose the image.")})
    if block.kind == Block.Kind.IMAGE and not credit.strip():
        raise ValidationError({"credit": _("Give the photographer or rights holder.")})
    if block.kind == Block.Kind.BUTTON and not url:
        raise ValidationError({"url": _("A button needs a link.")})
    try:
        render._merge(text, "", _("Text"))
    except ValidationError as error:
        raise ValidationError({"text": error.messages}) from None
    block.text, block.url, block.credit = text.strip(), url, credit.strip()
    with transaction.atomic():
        if image is not None:
            content, size = _image(image)
            block.image.save(content.name, content, save=False)
            block.image_bytes = size
        block.save()
        if block.kind == Block.Kind.OFFERS:
            if not offers:
                raise ValidationError({"offers": _("Choose at least one offer or event.")})
            block.offers.set(offers)
    return block


def block_delete(*, membership: Membership, block: Block) -> None:
    _check(membership, block.campaign)
    _editable(block.campaign)
    block.delete()


def block_move(*, membership: Membership, block: Block, up: bool) -> None:
    _check(membership, block.campaign)
    _editable(block.campaign)
    with transaction.atomic():
        siblings = list(block.campaign.blocks.filter(language=block.language).order_by("position", "pk"))
        i = siblings.index(block)
        j = i - 1 if up else i + 1
        if 0 <= j < len(siblings):
            siblings[i], siblings[j] = siblings[j], siblings[i]
        for position, sibling in enumerate(siblings):
            Block.objects.filter(pk=sibling.pk).update(position=position)


def campaign_schedule(*, membership: Membership, campaign: Campaign, at, site_url: str) -> selectors.Audience:
    """Plan the sending at `at`: refused in the past, with a design that renders, or with nobody to send to."""
    from . import tasks

    _check(membership, campaign)
    _editable(campaign)
    if at is None or at <= timezone.now():
        raise ValidationError({"at": _("Choose a date and time in the future.")})
    render.render_all(campaign, site_url)
    found = selectors.audience_counts(campaign)  # a network campaign's list is built by the worker only
    if not found.count:
        raise ValidationError(
            _("Nobody in these segments can receive this campaign (no consent for its purpose, or no valid "
              "address): nothing is planned.")
        )  # fmt: skip
    with transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(
            status=Campaign.Status.SCHEDULED, scheduled_at=at, site_url=site_url, reason=""
        )
        campaign.refresh_from_db()
        tasks.enqueue_send(campaign)
    return found


def campaign_pause(*, membership: Membership, campaign: Campaign) -> None:
    _check(membership, campaign)
    if not Campaign.objects.filter(
        pk=campaign.pk, status__in=[Campaign.Status.SCHEDULED, Campaign.Status.SENDING]
    ).update(status=Campaign.Status.PAUSED):
        raise ValidationError(_("Only a planned or sending campaign can be paused."))


def campaign_resume(*, membership: Membership, campaign: Campaign) -> None:
    """Go on from where it stopped: a paused campaign, or one whose worker died (no sign of life)."""
    from . import tasks

    _check(membership, campaign)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status not in {Campaign.Status.PAUSED, Campaign.Status.SENDING}:
            raise ValidationError(_("Only a paused or interrupted campaign can be resumed."))
        status = Campaign.Status.SENDING if campaign.started_at else Campaign.Status.SCHEDULED
        Campaign.objects.filter(pk=campaign.pk).update(status=status, reason="")
        campaign.status = status
        tasks.enqueue_send(campaign)


def campaign_cancel(*, membership: Membership, campaign: Campaign) -> None:
    _check(membership, campaign)
    if (
        not Campaign.objects.filter(pk=campaign.pk)
        .exclude(status__in=[Campaign.Status.SENT, Campaign.Status.CANCELLED])
        .update(status=Campaign.Status.CANCELLED, finished_at=timezone.now())
    ):
        raise ValidationError(_("This campaign is already over."))


def campaign_send_test(*, membership: Membership, campaign: Campaign, language: str, site_url: str) -> str:
    """The message in `language` to the agent's own address, at once; returns the address."""
    from . import sending

    _check(membership, campaign)
    to = membership.user.email
    if not to:
        raise ValidationError(_("Your account has no email address to send the test to."))
    rendered = render.render_language(campaign, language, site_url)
    sending.send_test(campaign, rendered, to)
    return to


# The recipients' own links (no log-in: the signed link is the right) ---------------------------------------------

# Translators: in French, office arrives with its "de" (de l’Office…, du Syndicat…, de Var Tourisme).
UNSUBSCRIBE_TEXT = gettext_lazy("I no longer wish to receive “%(purpose)s” from %(office)s.")


def unsubscribe_text(recipient: Recipient) -> str:
    campaign = recipient.campaign
    return UNSUBSCRIBE_TEXT % {"purpose": campaign.get_purpose_display(), "office": french.of(campaign.office.name)}


def unsubscribe(*, recipient: Recipient, text: str, origin: str) -> bool:
    """Record the withdrawal of the campaign's purpose (once: a second click records nothing new)."""
    campaign = recipient.campaign
    with transaction.atomic():
        latest = ConsentEvent.objects.filter(contact=recipient.contact, purpose=campaign.purpose).first()
        if latest is not None and not latest.given:
            return False
        ConsentEvent.objects.create(
            # In the contact's office's history (a département's or the network's campaign reaches other offices').
            office_id=recipient.contact.office_id, contact=recipient.contact, purpose=campaign.purpose, given=False,
            at=timezone.now(), method=ConsentMethod.FORM, origin=origin, text=text,
        )  # fmt: skip
    return True


def preferences_save(*, recipient: Recipient, wanted: dict[str, bool], texts: dict[str, str], language: str) -> int:
    """Record each purpose whose consent changes (method "form", the text shown) and the language; returns the
    number of consent events written."""
    contact = recipient.contact
    written = 0
    with transaction.atomic():
        current = {}
        for event in ConsentEvent.objects.filter(contact=contact).order_by("at", "id"):
            current[event.purpose] = event.given
        for purpose, given in wanted.items():
            if current.get(purpose, False) != given:
                ConsentEvent.objects.create(
                    office_id=contact.office_id, contact=contact, purpose=purpose, given=given, at=timezone.now(),
                    method=ConsentMethod.FORM, origin=_("Preferences page of a campaign"), text=texts[purpose],
                )  # fmt: skip
                written += 1
        if language and language != contact.language:
            contact.language = language
            contact.save(update_fields=["language"])
    return written
