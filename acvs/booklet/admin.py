from django.contrib import admin

from acvs.core.admin import OfficePrivateAdmin

from .models import Booklet, BookletSending


@admin.register(Booklet)
class BookletAdmin(OfficePrivateAdmin):
    list_display = ("title", "office", "language", "created_at", "first_opened_at", "version")
    list_select_related = ("office",)
    exclude = ("token",)  # the link is the right to read it: not shown to support


@admin.register(BookletSending)
class BookletSendingAdmin(OfficePrivateAdmin):
    list_display = ("pk", "booklet", "to", "status", "at", "message_id")
    list_filter = ("status",)
    list_select_related = ("booklet",)
