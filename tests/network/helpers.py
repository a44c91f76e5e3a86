"""Small helpers shared by the network tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from acvs.core.models import AuditEntry

# The seven people of the permission matrix, in the order of the expected statuses.
ACTORS = ["network_admin", "department_admin", "manager", "agent", "partner", "other_agent", "ahp_agent"]


def as_(client, user):
    client.force_login(user)
    return client


def audit_count() -> int:
    return AuditEntry.objects.count()


def png(name="logo.png", size=(8, 8)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 120, 80)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form_errors(response, field: str = "__all__") -> list[str]:
    return response.context["form"].errors.get(field, [])
