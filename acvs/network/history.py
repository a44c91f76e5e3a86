"""Readable pictures of network records, compared before and after a change to fill the audit log."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from acvs.core.audit import audit_record, snapshot_diff
from acvs.core.models import AuditEntry

from .models import Membership, Office

OFFICE_FIELDS = [
    "name", "slug", "kind", "department", "address", "commune", "phone", "email", "website", "logo", "is_active",
]  # fmt: skip
MEMBERSHIP_FIELDS = ["user", "office", "role", "is_active"]
DEPARTMENT_FIELDS = ["code", "name"]


def _display(instance: models.Model, name: str) -> str:
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if field.choices:
        return str(getattr(instance, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value in (None, "") or (isinstance(value, models.fields.files.FieldFile) and not value):
        return ""
    if name == "user":
        return f"{value} ({value.username})"
    return str(value)


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, tuple[str, str]]:
    """{field: (label, displayed value)} as users read them, in the active language."""
    return {name: (str(instance._meta.get_field(name).verbose_name), _display(instance, name)) for name in fields}


def office_snapshot(office: Office, territory: list | None = None) -> dict:
    snap = snapshot(office, OFFICE_FIELDS)
    communes = territory if territory is not None else (office.territory.all() if office.pk else [])
    # Kept as a set so that a change records only the communes added and removed, not two long lists.
    snap["territory"] = (str(Office._meta.get_field("territory").verbose_name), {str(c) for c in communes})
    return snap


def record(*, instance, membership: Membership, before: dict, after: dict) -> None:
    """One audit entry for the change between two snapshots; an empty `before` means a creation."""
    changes = snapshot_diff(before, after)
    if before and not changes:
        return
    action = AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE
    audit_record(instance=instance, action=action, user=membership.user, office=membership.office, changes=changes)


def office_history(office: Office, members: list[Membership], limit: int = 50) -> list[AuditEntry]:
    """Changes to the office and to its memberships, newest first; each entry gets the person it concerns."""
    content_types = ContentType.objects.get_for_models(Office, Membership)
    by_pk = {m.pk: m for m in members}
    entries = list(
        AuditEntry.objects.filter(
            Q(content_type=content_types[Office], object_id=office.pk)
            | Q(content_type=content_types[Membership], object_id__in=list(by_pk))
        ).select_related("user", "office")[:limit]
    )
    for entry in entries:
        member = by_pk.get(entry.object_id) if entry.content_type_id == content_types[Membership].pk else None
        entry.subject = member.user if member else None
    return entries
