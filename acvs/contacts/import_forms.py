"""Forms of the contact import: the file, the column mapping, the lines left out."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import import_files
from .importing import FIELDS


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (UTF-8 or Windows-1252, separated by ; or ,) or XLSX, with the column names on the first line."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=100,
        required=False,
        help_text=_("Where the file comes from (a form, a fair…): its column mapping is remembered for the next time."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.ACVS_CONTACT_IMPORT_MAX_BYTES:
            raise forms.ValidationError(import_files.too_large(upload.size))
        return upload


class MappingForm(forms.Form):
    """One choice per column of the file, then the origin and wording of the consents it holds."""

    origin = forms.CharField(
        label=_("Where these consents were collected"),
        max_length=200,
        required=False,
        help_text=_("Required when a consent column is mapped, e.g. “Salon du randonneur, Lyon, March 2026”."),
    )
    consent_text = forms.CharField(
        label=_("Wording the people agreed to"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, header: list[str], samples: list[list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— ignore —")), *((k, v) for k, v in FIELDS.items())]
        self.columns = []
        for index, name in enumerate(header):
            key = f"col_{index}"
            self.fields[key] = forms.ChoiceField(label=name or _("Column %(n)s") % {"n": index + 1},
                                                 choices=choices, required=False)  # fmt: skip
            examples = [row[index] for row in samples if index < len(row) and row[index]][:3]
            self.columns.append((self[key], examples))

    def mapping(self) -> dict[str, str]:
        return {key.removeprefix("col_"): value for key, value in self.cleaned_data.items()
                if key.startswith("col_") and value}  # fmt: skip


class ExcludeForm(forms.Form):
    """The lines of one page of the report: those ticked are left out, the others taken back."""

    shown = forms.CharField(required=False, max_length=20_000)  # the page's line numbers, comma-separated
    refused = forms.BooleanField(required=False)

    def __init__(self, *args, lines: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines

    def _numbers(self, values) -> set[int]:
        return {int(v) for v in values if str(v).isdigit() and 2 <= int(v) <= self.lines + 1 and len(str(v)) < 8}

    def clean(self):
        data = super().clean()
        data["shown"] = self._numbers((data.get("shown") or "").split(","))
        data["exclude"] = self._numbers(self.data.getlist("exclude")[:1000]) & data["shown"]
        return data
