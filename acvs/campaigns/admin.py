from django.contrib import admin

from acvs.core.admin import OfficePrivateAdmin

from .models import Campaign


@admin.register(Campaign)
class CampaignAdmin(OfficePrivateAdmin):
    list_display = ("pk", "office", "name", "purpose", "status", "scheduled_at", "finished_at")
    list_filter = ("status", "purpose")
    list_select_related = ("office",)
