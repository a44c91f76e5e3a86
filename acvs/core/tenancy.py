"""Tenancy that fails closed: office-private rows are reachable only inside a scope (django-scopes).

A scope says who is acting: `scope_for(office=...)` for the staff of an office; `provider=...` is the second key,
kept for the provider accounts to come. The office middleware enters it once per request, `core.jobs.run_job` in
the worker, management commands explicitly. Every office-private model's default manager is `scoped_manager(...)`:
it filters on the scope, and outside any scope it refuses to query (`ScopeError`) instead of returning every
office's rows. A key given as None means "not acting as one": nothing of it is visible (unlike django-scopes'
own manager, for which None means "everything").

Reading across offices goes through one named escape hatch, `all_offices(reason)`, whose reasons are declared in
`CROSS_OFFICE_READS` and logged on each use. Models linked to an office that are not private are listed in
`SHARED` with the reason; tests/tenancy/test_fail_closed.py checks that every model is one or the other.
"""

import logging
from contextlib import contextmanager
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q
from django_scopes import ScopeError, get_scope, scope, scopes_disabled
from django_scopes.manager import DisabledQuerySet

__all__ = ["ScopeError", "all_offices", "owner_office_id", "scope_for", "scoped_manager"]

log = logging.getLogger("acvs.tenancy")

# The tenant keys a scope carries. "provider" is planned for provider accounts (a provider sees the rows of its own
# offers); no model declares it yet. A model shared by both declares both keys: either one makes a row visible.
KEYS = ("office", "provider")

# The cross-office reads the application makes, each with its reason.
CROSS_OFFICE_READS = {
    "statistics": (
        "the observatory: rollups recounted from each office's rows, and dashboards of a département or the "
        "network summing them; only aggregates leave it (small figures suppressed), never rows of personal data"
    ),
    "network_stock": "stock levels of every office of the network (not personal data), to know where to order",
    "network_campaigns": (
        "a département's or the network's campaign: the worker builds its send list from every office's contacts "
        "who consented to the network's purpose, and its sender sees counts (audience, progress, returns), never rows; "
        "an open or a click of its message, recorded in the contact's office, reads whether the sender's office "
        "measures its campaigns (one switch, campaigns.tracking)"
    ),
    "support": "the admin site: superusers (support staff) read any office's rows, read-only, to help it",
}

# Models with a link to an office that are not office-private, and why.
SHARED = {
    "network.Membership": "the network's directory of people; read and changed under network.rules (offices_managed)",
    "offer.Offer": "the shared offer base: everyone reads, the owning office writes (network.rules)",
    "offer.Provider": "providers are shared like the offers: everyone reads, the owning office writes",
    "documentation.Document": "the network's brochure catalogue: everyone reads, the keeping office writes",
    "availability.AvailabilityChange": "an offer's availability log, read with the offer; its office is the actor's",
    "core.AuditEntry": (
        "history, read only through core.audit.audit_history(instance) for an object the reader already reached; "
        "its office is the actor's, not an owner"
    ),
}


def _id(value):
    return getattr(value, "pk", value)


def scope_for(*, office, provider=None):
    """Act for `office` (a staff member) or, later, `provider`; None: acting as no such tenant."""
    return scope(office=_id(office), provider=_id(provider))


@contextmanager
def all_offices(reason: str):
    """The escape hatch: read the rows of every office, for one of the declared `CROSS_OFFICE_READS`."""
    if reason not in CROSS_OFFICE_READS:
        raise ValueError(f"Undeclared cross-office read: {reason!r} (declare it in tenancy.CROSS_OFFICE_READS)")
    current = get_scope()
    log.info("cross-office read %s (acting for office %s)", reason, current.get("office"))
    with scopes_disabled():
        yield


def owner_office_id(model: type[models.Model], **lookup) -> int | None:
    """The office a row belongs to, found without a scope; the caller then enters that office's scope.

    For code that starts from an id or a key and no office: the worker (a job's id) and links that are their own
    right of access (a booklet's unguessable token). Returns the office's id only, never the row.
    """
    (path,) = model._default_manager.tenant_keys["office"]
    with scopes_disabled():
        return model._default_manager.filter(**lookup).values_list(path, flat=True).first()


def scoped_manager(**keys):
    """A default manager for an office-private model: `office="office"`, or the path through its parent
    (`office="booklet__office"`), or several paths any of which makes a row visible (`office=("requester",
    "supplier")`)."""
    unknown = set(keys) - set(KEYS)
    if unknown or not keys:
        raise ValueError(f"Tenant keys are among {KEYS}, not {sorted(unknown)}")
    declared = {key: (paths,) if isinstance(paths, str) else tuple(paths) for key, paths in keys.items()}

    class ScopedManager(models.Manager):
        tenant_keys = declared

        def get_queryset(self):
            queryset = super().get_queryset()
            current = get_scope()
            if not current.get("_enabled", True):
                return queryset
            given = [key for key in self.tenant_keys if key in current]
            if not given:
                return DisabledQuerySet(self.model, using=self._db, missing_scopes=list(self.tenant_keys))
            visible = [
                Q(**{f"{path}__in" if isinstance(current[key], list | tuple) else path: current[key]})
                for key in given
                if current[key] is not None
                for path in self.tenant_keys[key]
            ]
            return queryset.filter(reduce(or_, visible)) if visible else queryset.none()

        def all(self):
            # Outside a scope, .all() raises at once (as django-scopes' manager does). Inside, the queryset itself
            # as Django's own manager gives it: a copy would drop the rows prefetch_related put on a related manager.
            queryset = self.get_queryset()
            return queryset.all() if isinstance(queryset, DisabledQuerySet) else queryset

    return ScopedManager()
