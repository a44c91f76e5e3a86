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
