from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from acvs.core import french
from acvs.core.forms import DateField, ModelMultipleChoiceField
from acvs.desk import reference
from acvs.desk.forms import DateInput
from acvs.desk.models import Theme
from acvs.network.models import Commune, Department
from acvs.network.selectors import place_index

from . import selectors
from .models import ContactKind, Purpose
from .services import ContactData, normalise_phone

# The wording an agent reads out before recording a consent; the agent may adapt it, what is stored is what was said.
CONSENT_WORDING = {
    Purpose.NEWSLETTER: _("I agree to receive the office’s newsletter by email. I can unsubscribe at any time."),
    Purpose.REQUEST: _("I agree to be contacted by the office about my request."),
    Purpose.NETWORK: _("I agree to receive communications from the département and the network of tourist offices."),
}


def _language_choices():
    return [("", "—"), *sorted(reference.languages().items(), key=lambda c: c[1])]


def _country_choices():
    return [("", "—"), *sorted(reference.countries().items(), key=lambda c: c[1])]


class FilterForm(forms.Form):
    q = forms.CharField(label=pgettext_lazy("search field", "Search"), required=False, max_length=200,
                        help_text=_("Name, email, phone or commune."))  # fmt: skip
    interest = forms.ModelChoiceField(label=_("Interest"), queryset=Theme.objects.all(), required=False,
                                      empty_label="—")  # fmt: skip
    language = forms.ChoiceField(label=_("Language"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    department = forms.ModelChoiceField(label=_("Département"), queryset=Department.objects.all(),
                                        required=False, empty_label="—")  # fmt: skip
    since = DateField(label=_("Last contact from"), required=False, widget=DateInput())
    until = DateField(label=_("Last contact until"), required=False, widget=DateInput())
    consent = forms.ChoiceField(label=_("Consents to"), required=False, choices=[("", "—"), *Purpose.choices])
    tag = forms.ModelChoiceField(label=_("Tag"), queryset=None, required=False, empty_label="—")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices()
        self.fields["country"].choices = _country_choices()
        self.fields["tag"].queryset = selectors.tags()

    def clean_q(self):
        value = self.cleaned_data["q"]
        if "\x00" in value:
            raise ValidationError(_("The search holds a character that cannot be searched."))
        return value.strip()

    def criteria(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}

    def saved(self) -> dict:
        """The filters as typed (text values), to be saved in a segment and read back by this form."""
        return {name: self.data.get(name) for name in self.fields if self.data.get(name)}


class SegmentForm(forms.Form):
    name = forms.CharField(label=_("Segment name"), max_length=80)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace(",", "\n").splitlines() if line.strip()]


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices, widget=forms.RadioSelect,
                             initial=ContactKind.PERSON)  # fmt: skip
    name = forms.CharField(label=_("Name"), max_length=150)
    emails = forms.CharField(label=_("Emails"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}), help_text=_("One per line."))  # fmt: skip
    phones = forms.CharField(label=_("Phones"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}), help_text=_("One per line."))  # fmt: skip
    address = forms.CharField(label=_("Postal address"), required=False, max_length=300)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=10)
    commune = forms.CharField(label=_("Commune"), required=False, max_length=100,
                              help_text=_("A French commune: its name or postcode."))  # fmt: skip
    country = forms.ChoiceField(label=_("Country"), required=False)
    department = forms.ModelChoiceField(label=_("Département"), queryset=Department.objects.all(), required=False)
    language = forms.ChoiceField(label=_("Language"), initial="fr")
    interests = ModelMultipleChoiceField(label=_("Interests"), queryset=Theme.objects.all(), required=False,
                                         widget=forms.CheckboxSelectMultiple)  # fmt: skip
    tags = forms.CharField(label=_("Tags"), required=False, max_length=500, help_text=_("Separated by commas."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices()[1:]
        self.fields["country"].choices = _country_choices()

    def clean_emails(self):
        emails = _lines(self.cleaned_data["emails"])
        field = forms.EmailField()
        for email in emails:
            try:
                field.clean(email)
            except ValidationError:
                raise ValidationError(_("Not a valid email address: %(value)s."), params={"value": email}) from None
        return emails

    def clean_phones(self):
        phones = _lines(self.cleaned_data["phones"])
        for phone in phones:
            try:
                normalise_phone(phone)
            except ValidationError as error:
                raise ValidationError(error.message_dict["phones"]) from None
        return phones

    def clean_commune(self):
        text = self.cleaned_data["commune"].strip()
        if not text:
            return None
        place = place_index().find(text)
        if place is None:
            raise ValidationError(_("Unknown French commune: %(value)s."), params={"value": text})
        return Commune.objects.select_related("department").get(pk=place.insee)

    def clean(self):
        data = super().clean()
        commune = data.get("commune")
        if commune is not None:
            if data.get("country") not in ("", "FR"):
                self.add_error("commune", _("A French commune goes with France as the country."))
            data["country"] = "FR"
            data["department"] = commune.department
        return data

    def contact_data(self) -> ContactData:
        data = self.cleaned_data
        names = ["kind", "name", "address", "postcode", "commune", "country", "department", "language"]
        return ContactData(
            fields={name: data[name] for name in names},
            emails=data["emails"],
            phones=data["phones"],
            interests=list(data["interests"]),
            tags=[t.strip() for t in data["tags"].split(",") if t.strip()],
        )


def initial_from_contact(contact) -> dict:
    return {
        "kind": contact.kind, "name": contact.name, "address": contact.address, "postcode": contact.postcode,
        "country": contact.country, "department": contact.department_id,
        "commune": contact.commune.name if contact.commune else "", "language": contact.language,
        "emails": "\n".join(e.email for e in contact.emails.all()),
        "phones": "\n".join(p.phone.as_international for p in contact.phones.all()),
        "interests": list(contact.interests.all()), "tags": ", ".join(t.name for t in contact.tags.all()),
        "version": contact.version,
    }  # fmt: skip


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=Purpose.choices, widget=forms.HiddenInput)
    given = forms.TypedChoiceField(choices=[("1", _("Give")), ("0", _("Withdraw"))], coerce=lambda v: v == "1")
    text = forms.CharField(label=_("Text read or shown to the person"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    face_to_face = forms.BooleanField(
        label=_("The person is in front of me"), required=False,
        help_text=_("Otherwise an email consent counts once the person confirms it from the email sent to them."),
    )  # fmt: skip


class MergeForm(forms.Form):
    """For each identity field, whose value stays; `confirm` makes the choice deliberate."""

    confirm = forms.BooleanField(label=_("I have checked: these two records are the same person or group."))

    def __init__(self, *args, fields: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in fields:
            self.fields[f"keep_{name}"] = forms.ChoiceField(
                label=label, choices=[("kept", _("this one")), ("merged", _("the other one"))], initial="kept",
                widget=forms.RadioSelect, required=False,
            )  # fmt: skip

    def choices(self) -> dict[str, str]:
        # A field left unanswered keeps the kept contact's value.
        return {name[5:]: value for name, value in self.cleaned_data.items() if name.startswith("keep_") and value}


class EraseForm(forms.Form):
    """Erasure cannot be undone: the manager types the contact's name and ticks the box."""

    confirmation = forms.CharField(label=_("Type the contact’s name to confirm"), max_length=200)
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone."))


def newsletter_wording(office) -> str:
    # Translators: in French, office arrives with its "de" (de l’Office…, du Syndicat…, de Var Tourisme).
    text = _("I agree to receive the newsletter of %(office)s by email. I can unsubscribe at any time.")
    return text % {"office": french.of(office.name)}


def request_wording(office) -> str:
    # Translators: in French, office arrives with its article (l’Office…, le Syndicat…, Var Tourisme).
    return _("By sending my request, I agree to be contacted by %(office)s about it.") % {
        "office": french.the(office.name)
    }


class PublicForm(forms.Form):
    """The office's public page: a written request, the newsletter, or both. Labels are what the visitor reads:
    the page is rendered in the visitor's language and the consent's text is stored as shown."""

    name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Your email"), max_length=254)
    country = forms.ChoiceField(label=_("Country"), initial="FR")
    commune = forms.CharField(label=_("Commune or postcode (France)"), required=False, max_length=100)
    message = forms.CharField(label=_("Your request"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 5}))  # fmt: skip
    newsletter = forms.BooleanField(required=False)
    # Hidden from people by the stylesheet; robots fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))  # fmt: skip
    started = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        self.fields["country"].choices = _country_choices()[1:]
        self.fields["newsletter"].label = newsletter_wording(office)

    def clean_commune(self):
        text = self.cleaned_data["commune"].strip()
        if not text:
            return None
        place = place_index().find(text)
        if place is None:
            raise ValidationError(_("Unknown French commune: %(value)s."), params={"value": text})
        return Commune.objects.select_related("department").get(pk=place.insee)

    def clean_message(self):
        return self.cleaned_data["message"].replace("\x00", "").strip()

    def clean(self):
        data = super().clean()
        if not data.get("message") and not data.get("newsletter"):
            raise ValidationError(_("Write your request or subscribe to the newsletter."))
        if data.get("country") == "FR" and data.get("message") and not data.get("commune") and "commune" in data:
            self.add_error("commune", _("Give your commune or postcode, so that we know where you come from."))
        if data.get("commune") is not None and data.get("country") != "FR":
            self.add_error("commune", _("A French commune goes with France as the country."))
        return data
