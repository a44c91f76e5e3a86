"""Writes of stay booklets: building, branding, sending by email, first opening (keyword-only, membership first)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from acvs.core import activity, jobs
from acvs.core.exceptions import ConflictError
from acvs.desk.models import Suggestion, VisitorRequest
from acvs.network import rules
from acvs.network.models import Membership, Office
from acvs.offer.models import Offer, Status

from . import tasks
from .models import LANGUAGE_CODES, Booklet, BookletItem, BookletSending, Branding, Layout
from .sending import new_message_id

BOOKLET_FIELDS = ("title", "greeting", "closing", "language", "layout", "stay_start", "stay_end", "recipient")
# The footer and the office's hours are written per booklet language (acvs/booklet/translation.py).
BRANDING_TEXTS = [f"{name}_{code}" for name in ("opening_hours", "footer") for code in LANGUAGE_CODES]
BRANDING_FIELDS = ("primary_colour", "accent_colour", "default_layout", *BRANDING_TEXTS)


def _check_change(membership: Membership, booklet: Booklet) -> None:
    if not rules.can_change_booklet(membership, booklet):
        raise PermissionDenied(_("Only the office that made this booklet can change it."))


def _default_layout(office: Office) -> str:
    branding = Branding.objects.filter(office=office).only("default_layout").first()
    return branding.default_layout if branding else Layout.CLASSIC


@transaction.atomic
def booklet_create(
    *, membership: Membership, visitor_request: VisitorRequest | None = None, title: str = ""
) -> Booklet:
    """A new booklet of the membership's office; from a request, with its suggestions in order, dates and language."""
    if not rules.can_build_booklets(membership):
        raise PermissionDenied(_("Your role does not allow building stay booklets."))
    office = membership.office
    booklet = Booklet(office=office, created_by=membership.user, layout=_default_layout(office))
    offers = []
    if visitor_request is not None:
        if visitor_request.office_id != office.pk:
            raise PermissionDenied(_("This request belongs to another office."))
        booklet.visitor_request = visitor_request
        # The visitor's language when offers can be written in it, else English.
        booklet.language = visitor_request.language if visitor_request.language in LANGUAGE_CODES else "en"
        booklet.stay_start, booklet.stay_end = visitor_request.stay_start, visitor_request.stay_end
        booklet.recipient = visitor_request.email
        suggested = Suggestion.objects.filter(visitor_request=visitor_request, offer__status=Status.PUBLISHED)
        offers = [s.offer_id for s in suggested.order_by("added_at", "pk")]
        with translation.override(booklet.language):
            greeting_name = visitor_request.name or ""
            booklet.title = title or _("Your stay")
            booklet.greeting = (
                _("Hello %(name)s, here is the selection we prepared for your stay.") % {"name": greeting_name}
                if greeting_name
                else _("Hello, here is the selection we prepared for your stay.")
            )
            booklet.closing = _("Have a wonderful stay! We are glad to help at the office.")
    else:
        with translation.override(booklet.language):
            booklet.title = title or _("Your stay")
    booklet.full_clean(exclude=["office", "visitor_request", "created_by", "token"])
    booklet.save()
    BookletItem.objects.bulk_create(
        BookletItem(booklet=booklet, offer_id=offer_id, position=i) for i, offer_id in enumerate(offers, start=1)
    )
    activity.touched(office, [booklet.created_at])
    return booklet


def _touch(booklet: Booklet) -> None:
    Booklet.objects.filter(pk=booklet.pk).update(updated_at=timezone.now())


def _next_position(booklet: Booklet) -> int:
    return (BookletItem.objects.filter(booklet=booklet).aggregate(top=Max("position"))["top"] or 0) + 1


@transaction.atomic
def item_add(*, membership: Membership, booklet: Booklet, offer: Offer) -> BookletItem:
    """Add an offer at the end; adding it twice keeps the first. Only published offers: the web version is public."""
    _check_change(membership, booklet)
    if offer.status != Status.PUBLISHED:
        raise ValidationError(_("Only published offers can go in a booklet."))
    item, created = BookletItem.objects.get_or_create(
        booklet=booklet, offer=offer, defaults={"position": _next_position(booklet)}
    )
    if created:
        _touch(booklet)
    return item


def _item(booklet: Booklet, item_id) -> BookletItem:
    try:
        return BookletItem.objects.select_for_update().get(booklet=booklet, pk=item_id)
    except (BookletItem.DoesNotExist, ValueError, TypeError):
        raise ValidationError(_("This offer is no longer in the booklet.")) from None


@transaction.atomic
def item_remove(*, membership: Membership, booklet: Booklet, item_id: int) -> None:
    _check_change(membership, booklet)
    _item(booklet, item_id).delete()
    _touch(booklet)


@transaction.atomic
def item_move(*, membership: Membership, booklet: Booklet, item_id: int, delta: int) -> None:
    """Move an offer one place up (delta −1) or down (+1); positions are renumbered 1..n."""
    _check_change(membership, booklet)
    items = list(BookletItem.objects.select_for_update().filter(booklet=booklet).order_by("position", "pk"))
    index = next((i for i, it in enumerate(items) if it.pk == int(item_id)), None)
    if index is None:
        raise ValidationError(_("This offer is no longer in the booklet."))
    target = index + (1 if delta > 0 else -1)
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, it in enumerate(items, start=1):
        it.position = position
    BookletItem.objects.bulk_update(items, ["position"])
    _touch(booklet)


@transaction.atomic
def item_update(*, membership: Membership, booklet: Booklet, item_id: int, day: int | None, note: str) -> BookletItem:
    _check_change(membership, booklet)
    item = _item(booklet, item_id)
    if day is not None and not 1 <= day <= 60:
        raise ValidationError({"day": _("Choose a day between 1 and 60.")})
    item.day, item.note = day, note.strip()
    item.save(update_fields=["day", "note"])
    _touch(booklet)
    return item


@transaction.atomic
def booklet_update(*, membership: Membership, booklet: Booklet, version: int, data: dict) -> Booklet:
    """Save the booklet's settings if nobody saved it since `version` was read."""
    locked = Booklet.objects.select_for_update().get(pk=booklet.pk, office=booklet.office_id)
    _check_change(membership, locked)
    if locked.version != version:
        raise ConflictError(_("Someone saved this booklet after you opened it. Your changes were not saved."))
    for name in BOOKLET_FIELDS:
        if name in data:
            value = data[name]
            setattr(locked, name, "" if value is None and not name.startswith("stay") else value)
    if locked.stay_start and locked.stay_end and locked.stay_end < locked.stay_start:
        raise ValidationError({"stay_end": _("The end of the stay cannot be before its start.")})
    locked.full_clean(exclude=["office", "visitor_request", "created_by", "token"])
    locked.version += 1
    locked.save()
    return locked


@transaction.atomic
def booklet_delete(*, membership: Membership, booklet: Booklet) -> None:
    _check_change(membership, booklet)
    activity.touched(booklet.office_id, [booklet.created_at, booklet.first_opened_at])
    booklet.delete()


@transaction.atomic
def branding_update(*, membership: Membership, office: Office, data: dict) -> Branding:
    if not rules.can_change_branding(membership, office):
        raise PermissionDenied(_("Only the office’s manager or its administrators can change its branding."))
    branding = Branding.objects.select_for_update().filter(office=office).first() or Branding(office=office)
    for name in BRANDING_FIELDS:
        if name in data:
            setattr(branding, name, data[name])
    branding.primary_colour = branding.primary_colour.lower()
    branding.accent_colour = branding.accent_colour.lower()
    branding.full_clean(exclude=["office"])
    branding.save()
    return branding


# Sending -------------------------------------------------------------------------------------------------------


def booklet_send(*, membership: Membership, booklet: Booklet, to: str, with_pdf: bool, site_url: str) -> BookletSending:
    """Queue the emailing of the booklet's link (and optionally its PDF) to the visitor; the worker sends it.

    Raises ValidationError before anything is queued (empty booklet, malformed address). The outcome, sent or
    failed with its reason, is recorded on the attempt and its job (`sending.booklet_deliver`).
    """
    if not rules.can_send_booklet(membership, booklet):
        raise PermissionDenied(_("Only the office that made this booklet can send it."))
    to = (to or "").strip()
    if not BookletItem.objects.filter(booklet=booklet).exists():
        raise ValidationError(_("This booklet is empty: add at least one offer before sending it."))
    try:
        validate_email(to)
    except ValidationError:
        raise ValidationError(
            {
                "to": _("“%(address)s” is not a valid email address.") % {"address": to}
                if to
                else _("Give an email address.")
            }
        ) from None
    with transaction.atomic():
        job = jobs.job_start(membership=membership, kind=tasks.SEND, target=booklet, params={"site_url": site_url})
        return BookletSending.objects.create(
            booklet=booklet, job=job, to=to, with_pdf=with_pdf, by=membership.user, message_id=new_message_id()
        )


def record_first_opening(*, booklet: Booklet, user=None) -> bool:
    """Note when the visitor first opened the web version (once). Members of the office previewing do not count."""
    if booklet.first_opened_at is not None:
        return False
    if (
        user is not None
        and user.is_authenticated
        and Membership.objects.filter(user=user, office_id=booklet.office_id, is_active=True).exists()
    ):
        return False
    now = timezone.now()
    with transaction.atomic():
        updated = Booklet.objects.filter(pk=booklet.pk, first_opened_at__isnull=True).update(first_opened_at=now)
        if updated:
            booklet.first_opened_at = now
            activity.touched(booklet.office_id, [now])
    return bool(updated)
