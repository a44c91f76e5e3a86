from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.utils.translation import gettext_lazy as _


class LockoutForm(forms.Form):
    """Which lock-out to lift: an account (its username) or an address."""

    kind = forms.ChoiceField(label=_("Lock-out"), choices=[("account", _("Account")), ("address", _("Address"))])
    value = forms.CharField(label=_("Account or address"), max_length=255)

    def clean(self):
        data = super().clean()
        if data.get("kind") == "address" and data.get("value"):
            try:
                validate_ipv46_address(data["value"])
            except ValidationError as error:
                self.add_error("value", error)
        return data
