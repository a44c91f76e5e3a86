from django.contrib import admin

from acvs.core.admin import OfficePrivateAdmin

from .models import ConsentEvent, Contact


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
