from django.contrib import admin

from acvs.core.admin import OfficePrivateAdmin

from .models import AccessLog, ConsentEvent, Contact, ContactImport


@admin.register(Contact)
class ContactAdmin(OfficePrivateAdmin):
    list_display = ("pk", "office", "kind", "source", "created_at", "last_contact_at")
    list_filter = ("kind", "source")
    list_select_related = ("office",)


@admin.register(ConsentEvent)
class ConsentEventAdmin(OfficePrivateAdmin):
    list_display = ("pk", "office", "purpose", "given", "method", "at")
    list_filter = ("purpose", "given", "method")
    list_select_related = ("office",)


@admin.register(ContactImport)
class ContactImportAdmin(OfficePrivateAdmin):
    list_display = ("pk", "office", "filename", "source", "status", "created_at", "committed_at")
    list_filter = ("status",)
    list_select_related = ("office",)
    exclude = ("header", "rows", "report")


@admin.register(AccessLog)
class AccessLogAdmin(OfficePrivateAdmin):
    list_display = ("pk", "office", "action", "contact_number", "user", "at")
    list_filter = ("action",)
    list_select_related = ("office", "user")
