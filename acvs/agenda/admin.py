from django.contrib import admin

from acvs.core.admin import ReadOnlyAdmin

from .models import EventSchedule


@admin.register(EventSchedule)
class EventScheduleAdmin(ReadOnlyAdmin):
    list_display = ("offer", "start_date", "end_date", "start_time", "end_time")
    list_select_related = ("offer",)
    search_fields = ("offer__name",)
