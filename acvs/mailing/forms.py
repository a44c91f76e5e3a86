from django import forms
from django.utils.translation import gettext_lazy as _

from acvs.booklet.models import Booklet
from acvs.core.forms import ModelMultipleChoiceField
from acvs.desk import reference
from acvs.documentation import selectors as documentation_selectors
from acvs.documentation.models import Document

from .models import AnswerTemplate


class TemplateForm(forms.ModelForm):
    class Meta:
        model = AnswerTemplate
        fields = ["language", "name", "subject", "body"]
        widgets = {
            "language": forms.Select(choices=reference.language_choices()),
            "body": forms.Textarea(attrs={"rows": 14}),
        }

    def _post_clean(self):
        """The service validates the merge fields and the name (with the office): nothing to check twice."""


class TemplateChoiceForm(forms.Form):
    # Choosing another template reloads the page with it merged (the button does it without JavaScript).
    template = forms.ModelChoiceField(
        label=_("Template"),
        queryset=AnswerTemplate.objects.none(),
        required=False,
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )

    def __init__(self, *args, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates if templates is not None else AnswerTemplate.objects.none()


class AnswerForm(forms.Form):
    template = forms.ModelChoiceField(queryset=AnswerTemplate.objects.none(), required=False, widget=forms.HiddenInput)
    # A plain text field: the service validates the address and says clearly what is wrong.
    to = forms.CharField(label=_("Visitor’s email"), max_length=254, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Answer"), max_length=20_000, required=False, widget=forms.Textarea(attrs={"rows": 16})
    )
    booklet = forms.ModelChoiceField(
        label=_("Attach the stay booklet (PDF)"), queryset=Booklet.objects.none(), required=False
    )
    # Any brochure of the network's catalogue that has a PDF or a link (the page offers the handed-out ones and a
    # search); the template draws the checkboxes of those it offers.
    brochures = ModelMultipleChoiceField(queryset=Document.objects.none(), required=False)
    brochure_q = forms.CharField(label=_("Find a brochure of the catalogue"), max_length=100, required=False)

    def __init__(self, *args, templates=None, booklets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates if templates is not None else AnswerTemplate.objects.none()
        self.fields["booklet"].queryset = booklets if booklets is not None else Booklet.objects.none()
        self.fields["booklet"].empty_label = _("No attachment")
        self.fields["brochures"].queryset = documentation_selectors.emailable_brochures()

    def chosen_brochures(self) -> list[Document]:
        """The brochures ticked, in the order of the page, whatever else is wrong with the form."""
        if self.is_bound and "brochures" in getattr(self, "cleaned_data", {}):
            chosen = {d.pk: d for d in self.cleaned_data["brochures"]}
            order = [int(pk) for pk in self.data.getlist("brochures") if pk.isdigit() and int(pk) in chosen]
            return [chosen[pk] for pk in dict.fromkeys(order)]
        return []
