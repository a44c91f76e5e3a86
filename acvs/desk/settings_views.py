"""The office's counter settings: answer delay and the one-tap origins pinned on the counter screen."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from acvs.core.audit import audit_record
from acvs.core.models import AuditEntry
from acvs.network import rules
from acvs.network.models import Department, Membership

from . import reference, selectors
from .models import DeskSettings

MAX_PINNED = 12


class DeskSettingsForm(forms.Form):
    due_days = forms.IntegerField(label=gettext_lazy("Answer written requests within (working days)"), min_value=1,
                                  max_value=30)  # fmt: skip
    countries = forms.MultipleChoiceField(
        label=gettext_lazy("Countries pinned on the counter"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=gettext_lazy("Shown first, then your office’s most frequent origins of the last 90 days."),
    )  # fmt: skip
    departments = forms.MultipleChoiceField(
        label=gettext_lazy("Départements pinned on the counter"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=gettext_lazy("Shown first, then your office’s most frequent origins of the last 90 days."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = reference.country_choices()
        self.fields["departments"].choices = [(d.code, str(d)) for d in Department.objects.order_by("code")]

    def clean(self):
        data = super().clean()
        for name in ("countries", "departments"):
            if len(data.get(name) or []) > MAX_PINNED:
                self.add_error(name, _("Pin at most %(max)s choices: the counter must fit on one screen.")
                               % {"max": MAX_PINNED})  # fmt: skip
        return data


@transaction.atomic
def desk_settings_update(*, membership: Membership, due_days: int, countries: list, departments: list) -> None:
    if not rules.can_change_desk_settings(membership):
        raise PermissionDenied(_("Only the office manager can change the counter settings."))
    current, _created = DeskSettings.objects.select_for_update().get_or_create(office=membership.office)
    before = {"due_days": str(current.due_days), "quick_choices": str(current.quick_choices or {})}
    current.due_days = due_days
    current.quick_choices = {k: v for k, v in {"countries": countries, "departments": departments}.items() if v}
    current.full_clean()
    current.save()
    after = {"due_days": str(current.due_days), "quick_choices": str(current.quick_choices)}
    labels = {"due_days": str(DeskSettings._meta.get_field("due_days").verbose_name),
              "quick_choices": str(DeskSettings._meta.get_field("quick_choices").verbose_name)}  # fmt: skip
    changes = [
        {"field": k, "label": labels[k], "old": before[k], "new": after[k]} for k in after if before[k] != after[k]
    ]
    if changes:
        audit_record(instance=current, action=AuditEntry.Action.UPDATE, user=membership.user,
                     office=membership.office, changes=changes)  # fmt: skip


@rules.requires("desk.settings")
def desk_settings_view(request):
    current = selectors.desk_settings(request.office)
    if request.method == "POST":
        form = DeskSettingsForm(request.POST)
        if form.is_valid():
            desk_settings_update(membership=request.membership, **form.cleaned_data)
            messages.success(request, _("Counter settings saved."))
            return redirect("desk:settings")
    else:
        choices = current.quick_choices or {}
        form = DeskSettingsForm(initial={"due_days": current.due_days, "countries": choices.get("countries", []),
                                         "departments": choices.get("departments", [])})  # fmt: skip
    status = 400 if request.method == "POST" else 200
    return render(request, "desk/settings.html", {"form": form}, status=status)
