"""Who calls the API: an office's token (`Authorization: Bearer acvs_…`) or a logged-in user's session; how often
(a rate per token or user, 429 with Retry-After)."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.throttling import SimpleRateThrottle

from . import selectors
from .models import ApiToken


class TokenAuthentication(BaseAuthentication):
    """An office's API token; the request then acts with its creator's membership of that office."""

    keyword = "Bearer"

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after “Bearer”, with no space in it."))
        try:
            raw = words[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Unknown, revoked or expired token.")) from None
        token, refusal = selectors.token_for(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(refusal)
        return token.membership.user, token

    def authenticate_header(self, request):
        return self.keyword  # so that a missing or refused token gives 401, not 403


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per minute for each token (or logged-in user, or address): over the rate, 429 and Retry-After."""

    scope = "api"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI description names the token."""

    target_class = TokenAuthentication
    name = "officeToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An office's API token: acvs_…"}
