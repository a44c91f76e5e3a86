from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD = 20 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("DATAtourisme file"),
        help_text=_("One JSON-LD object, a JSON list of objects, or a flux archive (.zip); at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.jsonld,.zip"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".json", ".jsonld", ".zip")):
            raise forms.ValidationError(_("Choose a .json, .jsonld or .zip file."))
        return upload


class ImportCommitForm(forms.Form):
    exclude_refused = forms.BooleanField(
        label=_("Import the other records and leave the refused ones out"), required=False
    )
