from django.contrib import admin

from acvs.core.admin import OfficePrivateAdmin, ReadOnlyAdmin

from .models import Document, Movement, Order, Stock


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "language", "managed_by", "is_current", "version", "updated_at")
    list_filter = ("language", "is_current")
    list_select_related = ("managed_by",)
    search_fields = ("title",)


@admin.register(Stock)
class StockAdmin(OfficePrivateAdmin):
    list_display = ("document", "office", "place", "quantity", "updated_at")
    list_filter = ("place",)
    list_select_related = ("document", "office")


@admin.register(Movement)
class MovementAdmin(OfficePrivateAdmin):
    list_display = ("at", "office", "document", "place", "kind", "quantity", "balance_after", "user")
    list_filter = ("kind", "place")
    list_select_related = ("office", "document", "user")


@admin.register(Order)
class OrderAdmin(OfficePrivateAdmin):
    list_display = ("pk", "requester", "supplier", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("requester", "supplier")
