"""The admin site, for support staff (superusers): they read every record; writes go through the application.

Changes to offers, requests, stock, orders, booklets and the network carry versions, history entries, stock rules
and rights that only the services apply, so the admin of those models is read-only.
"""

from django.contrib import admin

from . import tenancy
from .models import AuditEntry, Job


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OfficePrivateAdmin(ReadOnlyAdmin):
    """Every office's private rows: a cross-office read, declared (`support`) and logged like any other."""

    def get_queryset(self, request):
        with tenancy.all_offices("support"):
            return super().get_queryset(request)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "content_type", "object_id", "user", "office")
    list_filter = ("action",)
    list_select_related = ("content_type", "user", "office")
    date_hierarchy = "at"


@admin.register(Job)
class JobAdmin(OfficePrivateAdmin):
    list_display = ("pk", "kind", "status", "office", "user", "created_at", "finished_at")
    list_filter = ("status", "kind")
    list_select_related = ("office", "user")
