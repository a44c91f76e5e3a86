from django.contrib import admin

from acvs.core.admin import OfficePrivateAdmin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(OfficePrivateAdmin):
    list_display = ["name", "office", "prefix", "scopes", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["office"]
    exclude = ["secret_hash"]
