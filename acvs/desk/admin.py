from django.contrib import admin

from acvs.core.admin import OfficePrivateAdmin

from .models import VisitorRequest


@admin.register(VisitorRequest)
class VisitorRequestAdmin(OfficePrivateAdmin):
    list_display = ("pk", "office", "channel", "received_at", "status", "due_date", "version")
    list_filter = ("status", "channel")
    list_select_related = ("office",)
