from django.contrib import admin

from acvs.core.admin import ReadOnlyAdmin

from .models import Membership, Office, User


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_superuser", "last_login")
    list_filter = ("is_active", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email")
    exclude = ("password",)


@admin.register(Office)
class OfficeAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "department", "commune", "is_active")
    list_filter = ("kind", "department", "is_active")
    list_select_related = ("department", "commune")
    search_fields = ("name", "slug")


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "office", "role", "is_active", "created_at")
    list_filter = ("role", "is_active")
    list_select_related = ("user", "office")
    search_fields = ("user__username", "user__last_name", "office__name")
