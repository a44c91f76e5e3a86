from django.contrib import admin

from acvs.core.admin import OfficePrivateAdmin

from .models import Answer, AnswerTemplate, IncomingMessage


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(OfficePrivateAdmin):
    list_display = ["name", "language", "office", "updated_at"]
    list_select_related = ["office"]
    list_filter = ["language"]


@admin.register(Answer)
class AnswerAdmin(OfficePrivateAdmin):
    list_display = ["to", "subject", "status", "created_at", "sent_at", "working_days", "late"]
    list_filter = ["status", "late"]
    exclude = ["token"]  # in the reply address: a right to attach a message to the request


@admin.register(IncomingMessage)
class IncomingMessageAdmin(OfficePrivateAdmin):
    list_display = ["sender", "subject", "received_at"]
