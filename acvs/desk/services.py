"""Writes of the counter: requests and the visitor counter. Views, the API and imports all go through here."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from acvs.core import activity
from acvs.core.audit import audit_record, snapshot_diff
from acvs.core.exceptions import check_version
from acvs.core.models import AuditEntry
from acvs.network import rules
from acvs.network.models import Membership, Office

from . import reference, selectors
from .models import (
    Channel,
    DeskSettings,
    Outcome,
    RequestStatus,
    VisitorCount,
    VisitorCountCorrection,
    VisitorRequest,
)


@dataclass
class RequestData:
    """Everything a request form or API payload carries, already validated field by field."""

    fields: dict
    themes: list = field(default_factory=list)
    requested_types: list = field(default_factory=list)
    missing_types: list = field(default_factory=list)


M2M = ("themes", "requested_types", "missing_types")
AUDITED = [
    "channel", "received_at", "origin", "department", "commune", "postcode", "country", "adults", "children",
    "is_group", "group_size", "profile", "stay_start", "stay_end", "stay_label", "language", "outcome", "due_date",
    "status", "assignee", "name", "email", "address", "phone", "consent_newsletter", "consent_contact",
]  # fmt: skip


def _display(obj: VisitorRequest, name: str) -> str:
    value = getattr(obj, name)
    if value is None or value == "":
        return ""
    model_field = obj._meta.get_field(name)
    if model_field.choices:
        return str(getattr(obj, f"get_{name}_display")())
    if name == "country":
        return reference.countries().get(value, value)
    if name == "language":
        return reference.languages().get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def request_snapshot(obj: VisitorRequest, collections: RequestData | None = None) -> dict:
    """Readable values of every audited field, collections included, keyed by field name.

    `collections` gives the collections just written, sparing a query each to read them back.
    """
    snap = {name: (str(obj._meta.get_field(name).verbose_name), _display(obj, name)) for name in AUDITED}
    for name in M2M:
        items = getattr(collections, name) if collections else getattr(obj, name).all()
        snap[name] = (str(obj._meta.get_field(name).verbose_name), ", ".join(sorted(str(x) for x in items)))
    return snap


# What apps above the counter do when a request is recorded or changed, in the same transaction (contacts matches the
# visitor to the office's prospect file). A hook takes (*, membership, visitor_request, previous): `previous` holds the
# consent flags before a change, None for a new request. The counter knows nothing of those apps.
CONSENTS = ("consent_newsletter", "consent_contact")
REQUEST_HOOKS: list[Callable[..., object]] = []


def register_request_hook(hook: Callable[..., object]) -> None:
    if hook not in REQUEST_HOOKS:
        REQUEST_HOOKS.append(hook)


def _request_saved(membership: Membership, visitor_request: VisitorRequest, *, previous: dict | None) -> None:
    for hook in REQUEST_HOOKS:
        hook(membership=membership, visitor_request=visitor_request, previous=previous)


def due_date_for(office: Office, received: datetime.date) -> datetime.date:
    return reference.add_working_days(received, selectors.desk_settings(office).due_days)


def _check_assignee(office: Office, assignee) -> None:
    if assignee is not None and not selectors.office_members(office).filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": _("Assign the request to a member of your office.")})


def _apply(obj: VisitorRequest, data: RequestData, membership: Membership, *, creating: bool) -> None:
    had_consent = obj.consent_newsletter or obj.consent_contact
    for name, value in data.fields.items():
        setattr(obj, name, value)
    if obj.channel == Channel.COUNTER and creating:
        # Answered on the spot: nothing to follow up.
        obj.status = RequestStatus.CLOSED
        obj.due_date = None
    elif creating and obj.due_date is None:
        obj.due_date = due_date_for(obj.office, timezone.localdate(obj.received_at))
    if obj.outcome == Outcome.FULLY and data.missing_types:
        raise ValidationError(
            {"missing_types": _("Missing types only apply when the visitor was not fully satisfied.")}
        )
    if (obj.consent_newsletter or obj.consent_contact) and not had_consent:
        obj.consent_at = timezone.now()
    elif not (obj.consent_newsletter or obj.consent_contact):
        obj.consent_at = None
    if obj.origin == "abroad":
        obj.department = obj.commune = None
        obj.postcode = ""
    else:
        obj.country = ""
    _check_assignee(obj.office, obj.assignee)
    obj.updated_by = membership.user if membership else None
    # clean() checks in Python what the table's check constraints enforce: no query per constraint.
    obj.full_clean(exclude=["office", "recorded_by", "updated_by", *M2M], validate_constraints=False)


def _write_children(obj: VisitorRequest, data: RequestData, *, creating: bool) -> None:
    # _apply() refused missing types on a fully satisfied request: the collections are written as given.
    for name in M2M:
        values = getattr(data, name)
        if not creating:
            getattr(obj, name).set(values)
        elif values:  # a new request has nothing to replace
            getattr(obj, name).add(*values)


@transaction.atomic
def request_create(*, membership: Membership, data: RequestData) -> VisitorRequest:
    """Record a request for the membership's office (the tenant is never taken from the payload)."""
    if not rules.can_record_requests(membership):
        raise PermissionDenied(_("Your role does not allow recording requests."))
    obj = VisitorRequest(office=membership.office, recorded_by=membership.user)
    if not data.fields.get("received_at"):
        data.fields["received_at"] = timezone.now()
    _apply(obj, data, membership, creating=True)
    obj.save()
    _write_children(obj, data, creating=True)
    _request_saved(membership, obj, previous=None)
    activity.touched(obj.office_id, [obj.received_at])
    audit_record(
        instance=obj,
        action=AuditEntry.Action.CREATE,
        user=membership.user,
        office=membership.office,
        changes=snapshot_diff({}, request_snapshot(obj, collections=data)),
    )
    return obj


@transaction.atomic
def request_receive(*, office: Office, data: RequestData) -> VisitorRequest:
    """Record a request the visitor sent themselves (the office's public page): no agent, to handle by its due
    date. The hooks run with `membership=None`: nobody of the office acted."""
    obj = VisitorRequest(office=office, recorded_by=None)
    data.fields.setdefault("received_at", timezone.now())
    data.fields["status"] = RequestStatus.TO_HANDLE
    _apply(obj, data, None, creating=True)
    obj.save()
    _write_children(obj, data, creating=True)
    _request_saved(None, obj, previous=None)
    activity.touched(obj.office_id, [obj.received_at])
    audit_record(
        instance=obj,
        action=AuditEntry.Action.CREATE,
        user=None,
        office=office,
        changes=snapshot_diff({}, request_snapshot(obj, collections=data)),
    )
    return obj


@transaction.atomic
def request_update(*, visitor_request: VisitorRequest, membership: Membership, version: int, data: RequestData):
    """Apply `data` if nobody saved the request since `version` was read; record what changed."""
    locked = VisitorRequest.objects.select_for_update().get(pk=visitor_request.pk, office=visitor_request.office_id)
    if not rules.can_change_request(membership, locked):
        raise PermissionDenied(_("Only the office that recorded this request can change it."))
    check_version(
        locked, version, _("%(user)s saved this request at %(time)s, after you opened it. Your changes were not saved.")
    )
    before = request_snapshot(locked)
    previous = {name: getattr(locked, name) for name in CONSENTS}
    received_before = locked.received_at
    if not data.fields.get("received_at"):
        data.fields.pop("received_at", None)
    _apply(locked, data, membership, creating=False)
    locked.version += 1
    locked.save()
    _write_children(locked, data, creating=False)
    _request_saved(membership, locked, previous=previous)
    activity.touched(locked.office_id, [received_before, locked.received_at])
    changes = snapshot_diff(before, request_snapshot(locked))
    if changes:
        audit_record(
            instance=locked,
            action=AuditEntry.Action.UPDATE,
            user=membership.user,
            office=membership.office,
            changes=changes,
        )
    return locked


@transaction.atomic
def request_delete(*, visitor_request: VisitorRequest, membership: Membership) -> None:
    """Undo a request recorded by mistake; the history keeps what it was."""
    if not rules.can_delete_request(membership, visitor_request):
        raise PermissionDenied(_("Only the agent who recorded this request or a manager can delete it."))
    before = request_snapshot(visitor_request)
    audit_record(
        instance=visitor_request,
        action=AuditEntry.Action.DELETE,
        user=membership.user,
        office=membership.office,
        # Every value goes: the trace keeps what was deleted.
        changes=snapshot_diff(before, {key: (label, "") for key, (label, _value) in before.items()}),
    )
    activity.touched(visitor_request.office_id, [visitor_request.received_at])
    visitor_request.delete()


@transaction.atomic
def request_follow_up(*, visitor_request: VisitorRequest, status: str, user, office, event: tuple[str, str, str]):
    """Another app's work moves a request on (an answer sent: answered; a visitor's reply: to handle again).

    `event` is the history line of what happened, (field, label, text); the status change is written beside it.
    """
    locked = VisitorRequest.objects.select_for_update().get(pk=visitor_request.pk)
    changes = [{"field": event[0], "label": str(event[1]), "old": "", "new": event[2]}]
    if locked.status != status:
        label = str(VisitorRequest._meta.get_field("status").verbose_name)
        new = RequestStatus(status).label
        changes.append({"field": "status", "label": label, "old": str(locked.get_status_display()), "new": str(new)})
        VisitorRequest.objects.filter(pk=locked.pk).update(
            status=status, version=F("version") + 1, updated_at=timezone.now(), updated_by=user
        )
    audit_record(instance=locked, action=AuditEntry.Action.UPDATE, user=user, office=office, changes=changes)


def _current_hour() -> datetime.datetime:
    return timezone.localtime().replace(minute=0, second=0, microsecond=0)


def _check_counter(membership: Membership) -> None:
    if not rules.can_count_visitors(membership):
        raise PermissionDenied(_("Your role does not allow counting visitors."))


@transaction.atomic
def visitor_count_increment(*, membership: Membership) -> int:
    """One person entered: +1 in the current hour. Returns today's total."""
    _check_counter(membership)
    office = membership.office
    hour = _current_hour()
    bucket, created = VisitorCount.objects.select_for_update().get_or_create(
        office=office, hour=hour, defaults={"count": 1}
    )
    if not created:
        VisitorCount.objects.filter(pk=bucket.pk).update(count=F("count") + 1)
    activity.touched(office, [hour])
    return selectors.visitors_on()


@transaction.atomic
def visitor_count_set(*, membership: Membership, value: int | None = None, delta: int | None = None) -> int:
    """Correct today's total to `value`, or by `delta` (−1). Leaves a trace: who, when, before, after."""
    _check_counter(membership)
    if value is not None and value < 0:
        raise ValidationError({"value": _("The number of visitors cannot be negative.")})
    office = membership.office
    start, end = selectors.today_bounds()
    buckets = list(
        VisitorCount.objects.select_for_update().filter(office=office, hour__gte=start, hour__lt=end).order_by("-hour")
    )
    old = sum(b.count for b in buckets)
    if delta is not None:
        value = max(old + delta, 0)
    if old == value:
        return old
    if value > old:
        bucket, _created = VisitorCount.objects.get_or_create(office=office, hour=_current_hour())
        VisitorCount.objects.filter(pk=bucket.pk).update(count=F("count") + (value - old))
    else:
        to_remove = old - value
        for bucket in buckets:  # latest hours first
            taken = min(bucket.count, to_remove)
            if taken:
                VisitorCount.objects.filter(pk=bucket.pk).update(count=F("count") - taken)
                to_remove -= taken
            if not to_remove:
                break
    activity.touched(office, [start])
    VisitorCountCorrection.objects.create(
        office=office, day=timezone.localdate(), user=membership.user, old_value=old, new_value=value
    )
    return value


def visitor_count_decrement(*, membership: Membership) -> int:
    return visitor_count_set(membership=membership, delta=-1)


# What the counter hands out with a request, recorded in the same transaction. The documentation app sits above the
# counter (its brochures are handed out for requests), so it registers its hand-out when it loads.
@dataclass(frozen=True)
class CounterHandout:
    parse: Callable[[QueryDict, Office | None], tuple[dict, dict[str, str]]]  # posted data -> (lines, errors)
    record: Callable[..., object]  # (*, membership, visitor_request, lines); raises ValidationError


COUNTER_HANDOUTS: list[CounterHandout] = []


def register_counter_handout(handout: CounterHandout) -> None:
    if handout not in COUNTER_HANDOUTS:
        COUNTER_HANDOUTS.append(handout)


def counter_handout_parse(data: QueryDict, office: Office | None) -> tuple[dict, dict[str, str]]:
    """The lines to hand out and the errors of the posted counter form, from every registered hand-out."""
    lines, errors = {}, {}
    for handout in COUNTER_HANDOUTS:
        found, refused = handout.parse(data, office)
        lines.update(found)
        errors.update(refused)
    return lines, errors


def counter_handout_record(*, membership: Membership, visitor_request: VisitorRequest, lines: dict) -> None:
    for handout in COUNTER_HANDOUTS:
        handout.record(membership=membership, visitor_request=visitor_request, lines=lines)


def _settings_snapshot(current: DeskSettings) -> dict:
    values = {"due_days": str(current.due_days), "quick_choices": str(current.quick_choices or {})}
    return {name: (str(DeskSettings._meta.get_field(name).verbose_name), value) for name, value in values.items()}


@transaction.atomic
def desk_settings_update(*, membership: Membership, due_days: int, countries: list, departments: list) -> None:
    if not rules.can_change_desk_settings(membership):
        raise PermissionDenied(_("Only the office manager can change the counter settings."))
    current, _created = DeskSettings.objects.select_for_update().get_or_create(office=membership.office)
    before = _settings_snapshot(current)
    current.due_days = due_days
    current.quick_choices = {k: v for k, v in {"countries": countries, "departments": departments}.items() if v}
    current.full_clean()
    current.save()
    changes = snapshot_diff(before, _settings_snapshot(current))
    if changes:
        audit_record(instance=current, action=AuditEntry.Action.UPDATE, user=membership.user,
                     office=membership.office, changes=changes)  # fmt: skip
