"""Reads of the API's own data (tokens), and the lookups its endpoints add to the apps they read."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from acvs.core import tenancy
from acvs.network.models import Membership

from .models import PREFIX_LENGTH, TOKEN_START, ApiToken

# last_used_at is written at most this often per token: not one write per request.
LAST_USED_STEP_SECONDS = 60


def office_tokens():
    """The acting office's tokens (the scope says which office), newest first."""
    return ApiToken.objects.select_related("created_by", "revoked_by")


def get_token(pk: int) -> ApiToken:
    """One of the acting office's tokens; 404 for another office's."""
    return get_object_or_404(office_tokens(), pk=pk)


def token_for(raw: str) -> tuple[ApiToken | None, str]:
    """The token `raw` is, with `membership` (its creator's in its office, as it is now) set; or None and why.

    The token is its own right of access: its office is found from its prefix, then it is read in that office's
    scope (as the booklets' public links are)."""
    unknown = _("Unknown, revoked or expired token.")
    if not raw.startswith(TOKEN_START) or len(raw) > 100:
        return None, unknown
    prefix = raw[len(TOKEN_START) : len(TOKEN_START) + PREFIX_LENGTH]
    office_id = tenancy.owner_office_id(ApiToken, prefix=prefix)
    if office_id is None:
        return None, unknown
    with tenancy.scope_for(office=office_id):
        token = ApiToken.objects.select_related("office").get(prefix=prefix)
        if not token.matches(raw) or not token.is_active:
            return None, unknown
        token.membership = (
            Membership.objects.select_related("office", "office__department", "user")
            .filter(
                user_id=token.created_by_id,
                office_id=office_id,
                is_active=True,
                user__is_active=True,
                office__is_active=True,
            )
            .first()
        )
        if token.membership is None:
            return None, _("The person who created this token no longer acts for the office: create a new one.")
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_STEP_SECONDS:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token, ""
