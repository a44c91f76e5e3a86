from django.contrib import admin

from acvs.core.admin import ReadOnlyAdmin

from .models import Offer, Provider


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ("name", "status", "commune", "owner_office", "version", "updated_at", "updated_by")
    list_filter = ("status",)
    list_select_related = ("commune", "owner_office", "updated_by")
    search_fields = ("name",)
    exclude = ("search_document",)


@admin.register(Provider)
class ProviderAdmin(ReadOnlyAdmin):
    list_display = ("name", "siret", "commune", "owner_office", "version", "updated_at")
    list_select_related = ("commune", "owner_office")
    search_fields = ("name", "legal_name", "siret")
