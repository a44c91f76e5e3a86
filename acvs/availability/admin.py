from django.contrib import admin

from acvs.core.admin import ReadOnlyAdmin

from .models import AvailabilityNight


@admin.register(AvailabilityNight)
class AvailabilityNightAdmin(ReadOnlyAdmin):
    list_display = ("offer", "night", "state", "units_free", "updated_at", "updated_by")
    list_filter = ("state",)
    list_select_related = ("offer", "updated_by")
    search_fields = ("offer__name",)
