"""Advising from a request: the offer search prefilled with its criteria, suggestions, types the offer lacked."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from acvs.core.audit import audit_record
from acvs.core.models import AuditEntry
from acvs.network import rules
from acvs.network.models import Membership
from acvs.offer.models import Offer, OfferType

from .models import Outcome, Suggestion, VisitorRequest


def advice_search_url(visitor_request: VisitorRequest) -> str:
    """The offer search with the request's types, stay nights and the office's territory."""
    params: list[tuple[str, object]] = [("advice", visitor_request.pk), ("office", visitor_request.office_id)]
    for offer_type in visitor_request.requested_types.all():
        params.append(("types" if offer_type.is_family else "subtype", offer_type.pk))
    start, end = visitor_request.stay_start, visitor_request.stay_end
    if start and end and end > start:
        params += [("arrival", start.isoformat()), ("departure", end.isoformat())]
    return f"{reverse('offer:search')}?{urlencode(params)}"


def _check(membership: Membership, visitor_request: VisitorRequest) -> None:
    if not rules.can_change_request(membership, visitor_request):
        raise PermissionDenied(_("Only the office that recorded this request can advise on it."))


def _log(membership, visitor_request, field: str, label: str, old: str, new: str) -> None:
    audit_record(
        instance=visitor_request,
        action=AuditEntry.Action.UPDATE,
        user=membership.user,
        office=membership.office,
        changes=[{"field": field, "label": label, "old": old, "new": new}],
    )


@transaction.atomic
def suggestion_add(*, membership: Membership, visitor_request: VisitorRequest, offer: Offer) -> bool:
    """Suggest `offer`; False when it already was (adding twice is harmless)."""
    _check(membership, visitor_request)
    try:
        with transaction.atomic():
            Suggestion.objects.create(visitor_request=visitor_request, offer=offer, added_by=membership.user)
    except IntegrityError:
        return False
    _log(membership, visitor_request, "suggestions", str(_("Suggestions")), "", offer.name)
    return True


@transaction.atomic
def suggestion_remove(*, membership: Membership, visitor_request: VisitorRequest, offer_id: int) -> None:
    _check(membership, visitor_request)
    suggestion = visitor_request.suggestions.select_related("offer").filter(offer_id=offer_id).first()
    if suggestion is not None:
        suggestion.delete()
        _log(membership, visitor_request, "suggestions", str(_("Suggestions")), suggestion.offer.name, "")


@transaction.atomic
def missing_type_add(*, membership: Membership, visitor_request: VisitorRequest, offer_type: OfferType) -> None:
    """The network had nothing of this type to offer: the request was not fully satisfied."""
    _check(membership, visitor_request)
    if visitor_request.missing_types.filter(pk=offer_type.pk).exists():
        return
    visitor_request.missing_types.add(offer_type)
    _log(membership, visitor_request, "missing_types", str(_("Missing offer types")), "", offer_type.label)
    if visitor_request.outcome == Outcome.FULLY:
        old = visitor_request.get_outcome_display()
        visitor_request.outcome = Outcome.PARTLY
        visitor_request.save(update_fields=["outcome"])
        _log(membership, visitor_request, "outcome", str(_("Answer")), old, visitor_request.get_outcome_display())
