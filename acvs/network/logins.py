"""Login throttling (django-axes): an account is locked after a few failed log-ins, an address after more.

An account (from any address) is locked after ACVS_LOGIN_FAILURE_LIMIT failures within the cool-off, an address
(whatever the accounts tried) after ACVS_LOGIN_ADDRESS_FAILURE_LIMIT: a whole office behind one address is not
locked out by one agent's typos, and a password sprayed over many accounts from one address is still stopped.
Every attempt during a lock-out is refused, even with the right password, and starts the cool-off again.
Failures are kept (axes' AccessFailureLog) for the network administrators' audit page.
"""

import ipaddress
import logging

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Sum
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules

log = logging.getLogger(__name__)


def cool_off_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return _(
        "Too many failed log-ins for this account or from this address: logging in is blocked for %(minutes)s "
        "minutes. Each new attempt in the meantime starts the wait again. A network administrator can lift the block."
    ) % {"minutes": cool_off_minutes()}


def _failures(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per account and a higher one per address."""

    def get_failures(self, request, credentials=None) -> int:
        # Axes compares this number with AXES_FAILURE_LIMIT (the account's limit); an address over its own limit
        # counts as having reached it.
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        account = _failures(recent.filter(username=username)) if username else 0
        address = _failures(recent.filter(ip_address=request.axes_ip_address))
        if address >= settings.ACVS_LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(account, settings.AXES_FAILURE_LIMIT)
        return account

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        # Getting it right forgives one's own typos (this account from this address); not the address's count,
        # which anyone with an account of their own could otherwise clear.
        AccessAttempt.objects.filter(username=user.get_username(), ip_address=request.axes_ip_address).delete()


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses any log-in while its account or address is locked out; first of AUTHENTICATION_BACKENDS."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            # No address to count on (a shell, the test client's login()): every login page passes its request.
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the header named by CLIENT_IP_HEADER when a reverse proxy sets it.

    Only configure that header behind a proxy that overwrites it: a client could otherwise choose its address.
    In a list (X-Forwarded-For) the last address is the one the nearest proxy added.
    """
    if settings.CLIENT_IP_HEADER:
        candidate = request.META.get(settings.CLIENT_IP_HEADER, "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            log.warning("No valid client address in %s: %r", settings.CLIENT_IP_HEADER, candidate)
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """The login page as rendered, its form showing the lock-out message (LoginForm), answered 429."""
    response = original_response or HttpResponse(lockout_message(), content_type="text/plain; charset=utf-8")
    response.status_code = 429
    response["Retry-After"] = str(cool_off_minutes() * 60)
    return response


class LoginForm(AuthenticationForm):
    """A locked-out attempt reads why, instead of "wrong password"."""

    def get_invalid_login_error(self):
        if getattr(self.request, "axes_locked_out", False):
            return ValidationError(lockout_message(), code="locked_out")
        return super().get_invalid_login_error()


class AdminLoginForm(LoginForm, AdminAuthenticationForm):
    pass


# The network administrators' audit -----------------------------------------------------------------------------


def recent_failures():
    return AccessFailureLog.objects.order_by("-attempt_time", "-pk")


def current_lockouts() -> list[dict]:
    """Accounts and addresses locked out now: what, failures within the cool-off, last attempt, locked until."""
    cool_off = settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off).order_by()
    lockouts = []
    for kind, field, limit in (
        ("account", "username", settings.AXES_FAILURE_LIMIT),
        ("address", "ip_address", settings.ACVS_LOGIN_ADDRESS_FAILURE_LIMIT),
    ):
        rows = (
            recent.exclude(**{field: None})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=limit)
        )
        lockouts += [
            {"kind": kind, "value": row[field], "failures": row["failures"], "until": row["last"] + cool_off}
            for row in rows
        ]
    return sorted(lockouts, key=lambda lockout: lockout["until"], reverse=True)


def lockout_lift(*, membership, kind: str, value: str) -> int:
    """Forgets the failures of an account (from every address) or of an address (for every account)."""
    if not rules.can_audit_logins(membership):
        raise PermissionDenied(_("Only network administrators lift lock-outs."))
    field = {"account": "username", "address": "ip_address"}[kind]
    count, _deleted = AccessAttempt.objects.filter(**{field: value}).delete()
    log.warning("Login lock-out of %s %s lifted by %s (%d records)", kind, value, membership.user, count)
    return count
