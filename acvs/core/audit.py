"""Record changes in the audit log and read them back."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def audit_record(*, instance: models.Model, action: str, user, office, changes: list[dict] | None = None):
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        action=action,
        user=user,
        office=office,
        changes=changes or [],
    )


def audit_history(instance: models.Model):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk
    ).select_related("user", "office")


def snapshot_diff(before: dict, after: dict) -> list[dict]:
    """Changes between two snapshots {field: (label, displayed value)}, in the audit log's format.

    A value is a text, or a set (a territory's communes...): a change to a set records only what was removed (old)
    and added (new), one per line, rather than two long lists. An empty `before` is a creation.
    """
    changes = []
    for key, (label, new) in after.items():
        old = before.get(key, (label, set() if isinstance(new, set) else ""))[1]
        if old == new:
            continue
        if isinstance(new, set):
            old, new = "\n".join(sorted(old - new)), "\n".join(sorted(new - old))
        changes.append({"field": key, "label": label, "old": old, "new": new})
    return changes
