"""The office's counter settings: answer delay and the one-tap origins pinned on the counter screen."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from acvs.network import rules

from . import selectors
from .forms import DeskSettingsForm
from .services import desk_settings_update


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
