"""Writes of the API: its tokens, and the offers and availability a token's office keeps, through the same
services as the screens (offer.services, availability.services) with one more rule: a token writes only for its
own office."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acvs.availability import services as availability_services
from acvs.core import french
from acvs.core.audit import audit_record
from acvs.core.models import AuditEntry
from acvs.network import rules
from acvs.network.models import Membership
from acvs.offer import services as offer_services
from acvs.offer.models import Offer

from .models import ApiToken, Scope


@transaction.atomic
def token_create(*, membership: Membership, name: str, scopes: list[str], expires_at=None) -> tuple[ApiToken, str]:
    """A new token of the acting office; returns it with its clear value, which is never stored nor shown again."""
    if not rules.can_manage_api_tokens(membership):
        raise PermissionDenied(_("Only the office manager can manage its API tokens."))
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise ValidationError({"scopes": _("Choose what the token may do.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date is already past.")})
    prefix, raw = ApiToken.new_secret()
    token = ApiToken(
        office=membership.office,
        name=name,
        prefix=prefix,
        secret_hash=ApiToken.digest(raw),
        scopes=sorted(set(scopes)),
        created_by=membership.user,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    audit_record(
        instance=token,
        action=AuditEntry.Action.CREATE,
        user=membership.user,
        office=membership.office,
        changes=[{"field": "scopes", "label": str(_("Scopes")), "old": "", "new": ", ".join(token.scopes)}],
    )
    return token, raw


@transaction.atomic
def token_revoke(*, membership: Membership, token: ApiToken) -> ApiToken:
    """Revoke at once: the next request with it gets 401. Revoking twice changes nothing."""
    if not rules.can_manage_api_tokens(membership) or token.office_id != membership.office_id:
        raise PermissionDenied(_("Only the office manager can manage its API tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = membership.user
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(instance=token, action=AuditEntry.Action.DELETE, user=membership.user, office=membership.office)
    return token


def _check_writes(token: ApiToken | None, offer: Offer | None = None) -> None:
    """A token writes only with the write scope, and only the offers of its own office (a session user follows the
    screens' rules alone)."""
    if token is None:
        return
    if not token.allows(Scope.WRITE):
        raise PermissionDenied(_("This token may only read: create a token with the write scope."))
    if offer is not None and offer.owner_office_id != token.office_id:
        raise PermissionDenied(
            # Translators: in French, office arrives with its "à" (à l’Office…, au Syndicat…, à Var Tourisme).
            _("This offer belongs to %(office)s: a token writes only its own office's offers.")
            % {"office": french.to(offer.owner_office.name)}
        )


@transaction.atomic
def offer_create(*, membership: Membership, token: ApiToken | None, data: offer_services.OfferData) -> Offer:
    _check_writes(token)
    if token is not None:
        data.owner_office = token.office  # honoured for administrators; others get the commune's office
    offer = offer_services.offer_create(membership=membership, data=data)
    _check_writes(token, offer)  # the commune's office was another: nothing is saved
    return offer


def offer_update(
    *, membership: Membership, token: ApiToken | None, offer: Offer, version: int, data: offer_services.OfferData
) -> Offer:
    _check_writes(token, offer)
    return offer_services.offer_update(offer=offer, membership=membership, version=version, data=data)


def availability_set(*, membership: Membership, token: ApiToken | None, offer: Offer, **nights):
    _check_writes(token, offer)
    return availability_services.availability_set(membership=membership, offer=offer, **nights)
