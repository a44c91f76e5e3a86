from django.contrib import admin

from acvs.core.admin import OfficePrivateAdmin, ReadOnlyAdmin

from .models import ImportedProvider, ImportedRecord, ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(OfficePrivateAdmin):
    list_display = ("filename", "office", "status", "created_at", "committed_at")
    list_filter = ("status", "source")
    list_select_related = ("office",)


@admin.register(ImportedRecord)
class ImportedRecordAdmin(ReadOnlyAdmin):
    list_display = ("source_id", "source", "offer", "source_updated", "imported_at")
    list_filter = ("source",)
    search_fields = ("source_id",)
    list_select_related = ("offer",)


@admin.register(ImportedProvider)
class ImportedProviderAdmin(ReadOnlyAdmin):
    list_display = ("source_id", "source", "provider", "source_updated", "imported_at")
    list_filter = ("source",)
    search_fields = ("source_id",)
    list_select_related = ("provider",)
