"""Forms of départements and offices. An administrator edits a whole office, its manager the contact details only."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .. import rules, services
from ..models import Commune, Department, Office

LOGO_MAX_BYTES = 2 * 1024 * 1024


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["code", "name"]


class TerritoryField(forms.ModelMultipleChoiceField):
    """Communes with their postcodes; a commune held by another local office says so before anyone saves."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, **kwargs):
        self.holders: dict[str, str] = {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, commune):
        label = f"{commune.name} ({', '.join(commune.postcode_list)})"
        holder = self.holders.get(commune.pk)
        return _("%(commune)s · territory of %(office)s") % {"commune": label, "office": holder} if holder else label


class _OfficeFormBase(forms.ModelForm):
    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        if "department" in self.fields:
            self.fields["department"].queryset = rules.departments_managed(membership)
        self.department = self.chosen_department()
        communes = Commune.objects.filter(department=self.department) if self.department else Commune.objects.none()
        self.fields["commune"].queryset = communes
        if "territory" in self.fields:
            self.fields["territory"].queryset = communes

    def chosen_department(self) -> Department | None:
        return self.instance.department if self.instance.department_id else None

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile) and logo.size > LOGO_MAX_BYTES:
            raise ValidationError(_("The logo must weigh less than 2 MB."))
        return logo

    def office_data(self) -> dict:
        """What the services receive: model fields only."""
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


class OfficeContactForm(_OfficeFormBase):
    """What an office's own manager may change."""

    class Meta:
        model = Office
        fields = ["address", "commune", "phone", "email", "website", "logo"]


class OfficeForm(_OfficeFormBase):
    """Everything, for the office's administrators."""

    confirm_deactivation = forms.BooleanField(
        label=_("I confirm the deactivation: the office and its members can no longer act; nothing is deleted."),
        required=False,
    )

    class Meta:
        model = Office
        fields = [
            "name", "slug", "kind", "department", "territory", "address", "commune",
            "phone", "email", "website", "logo", "is_active",
        ]  # fmt: skip
        field_classes = {"territory": TerritoryField}

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, membership=membership, **kwargs)
        if not self.instance.pk:
            del self.fields["is_active"], self.fields["confirm_deactivation"]
        elif not self.instance.is_active:
            del self.fields["confirm_deactivation"]
        if self.department is not None:
            holders = (
                Office.territory.through.objects.filter(
                    commune__department=self.department, office__is_active=True, office__kind__in=services.LOCAL_KINDS
                )
                .exclude(office_id=self.instance.pk)
                .values_list("commune_id", "office__name")
            )
            self.fields["territory"].holders = dict(holders)

    def chosen_department(self) -> Department | None:
        """The département being chosen decides which communes can be picked (the page reloads them on change)."""
        raw = self.data.get("department") if self.is_bound else self.initial.get("department")
        if raw:
            try:
                return self.fields["department"].clean(raw)
            except ValidationError:
                pass
        return super().chosen_department()

    def clean(self):
        data = super().clean()
        deactivating = self.instance.pk and self.instance.is_active and data.get("is_active") is False
        if deactivating and not data.get("confirm_deactivation"):
            self.add_error("confirm_deactivation", _("Tick this box to confirm the deactivation."))
        if data.get("department") and data.get("kind") and "territory" in data:
            # The same check as the service's, shown now along with the other errors.
            office = Office(
                pk=self.instance.pk,
                department=data["department"],
                kind=data["kind"],
                is_active=data.get("is_active", True),
            )
            for error in services.territory_errors(office, list(data["territory"])):
                self.add_error("territory", error)
        return data
