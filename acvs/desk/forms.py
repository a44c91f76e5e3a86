"""Forms of the counter: the quick counter form, the full form of written requests, list filters."""

import re
from functools import cached_property

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from acvs.core.forms import DateField, DateTimeField, ModelMultipleChoiceField
from acvs.network.models import Commune, Department, Office
from acvs.network.selectors import place_index
from acvs.offer.models import Offer, OfferType

from . import quickline, reference, selectors
from .models import Channel, Origin, Outcome, Profile, RequestStatus, Theme, VisitorRequest
from .services import RequestData

POSTCODE = re.compile(r"^\d{5}$")


def _count_field(label, initial):
    return forms.IntegerField(
        label=label,
        initial=initial,
        min_value=0,
        max_value=999,
        error_messages={
            "min_value": _("A number of people cannot be negative."),
            "max_value": _("Type at most 999 people; record a larger party as a group."),
            "invalid": _("Type a whole number."),
            "required": _("Type a number of people (0 if none)."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "stepper-input"}),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OriginPickField(forms.ChoiceField):
    """The one-tap origins ("dep:83", "country:DE"). Any such value is accepted here and resolved by the form's
    clean(), so recording a request does not read the office's pinned choices: they only draw the buttons."""

    def valid_value(self, value):
        return str(value).startswith(("dep:", "country:"))


class CounterForm(forms.Form):
    """A walk-in request in a handful of taps: origin, party, profile, themes, types, stay, language, outcome."""

    origin_pick = OriginPickField(label=_("Origin"), required=False, widget=forms.RadioSelect)
    quick = forms.CharField(label=_("Quick line"), required=False, max_length=500)
    # What the quick line last set (field=value, one a line), undone when the line changes, and the text it read.
    quick_applied = forms.CharField(required=False, widget=forms.HiddenInput)
    quick_parsed = forms.CharField(required=False, widget=forms.HiddenInput)
    postcode = forms.CharField(label=_("Commune or postcode"), required=False, max_length=100)
    commune_code = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)  # chosen in the list
    # Callables: the long lists are built once, not copied into every form.
    country = forms.ChoiceField(
        label=_("Other country"),
        required=False,
        choices=lambda: [("", "—"), *reference.country_choices()],
        error_messages={"invalid_choice": _("Unknown country: %(value)s.")},
    )
    adults = _count_field(_("Adults"), 1)
    children = _count_field(_("Children"), 0)
    is_group = forms.BooleanField(label=_("Group"), required=False)
    group_size = forms.IntegerField(
        label=_("Group size"),
        required=False,
        min_value=1,
        max_value=9999,
        error_messages={"min_value": _("A group counts at least one person.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    profile = forms.ChoiceField(label=_("Profile"), required=False, choices=Profile.choices, widget=forms.RadioSelect)
    themes = ModelMultipleChoiceField(
        label=_("Themes"), required=False, queryset=Theme.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    requested_types = ModelMultipleChoiceField(
        label=_("Looking for"), required=False, queryset=OfferType.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    stay_start = DateField(label=_("Stay from"), required=False, widget=DateInput())
    stay_end = DateField(label=_("until"), required=False, widget=DateInput())
    stay_label = forms.CharField(
        label=_("or stay period"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. a week in August")}),
    )
    language = forms.ChoiceField(label=_("Visitor’s language"), initial="fr", choices=reference.language_choices)
    outcome = forms.ChoiceField(
        label=_("Answer"), choices=Outcome.choices, initial=Outcome.FULLY, widget=forms.RadioSelect
    )
    missing_types = ModelMultipleChoiceField(
        label=_("Missing"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        self.fields["origin_pick"].choices = lambda: self._quick_choices  # read when drawn, not when validating
        self.fields["missing_types"].queryset = selectors.family_types()

    @cached_property
    def _quick_choices(self) -> list[tuple[str, str]]:
        settings = selectors.desk_settings(self.office)
        departments = selectors.quick_departments(self.office, settings)
        countries = selectors.quick_countries(self.office, settings)
        return [(f"dep:{d.code}", d.name) for d in departments] + [(f"country:{c}", n) for c, n in countries]

    @cached_property
    def type_toggles(self) -> list[tuple[OfferType, bool, bool]]:
        """(type, checked, under "other families"): the main families, the office's most requested precise types,
        any other type chosen (by the quick line); the rarely asked families fold away unless checked."""
        if self.is_bound:
            chosen = {str(v) for v in self.data.getlist("requested_types")}
        else:
            chosen = {str(getattr(t, "pk", t)) for t in self.initial.get("requested_types", [])}
        shown = [*selectors.family_types(), *selectors.quick_types(self.office)]
        shown_ids = {str(t.pk) for t in shown}
        extra = [i for i in chosen - shown_ids if i.isdigit() and len(i) < 10][:20]
        shown += list(OfferType.objects.filter(pk__in=extra))
        main = set(selectors.MAIN_FAMILIES)
        return [(t, str(t.pk) in chosen, t.is_family and t.code not in main and str(t.pk) not in chosen) for t in shown]

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if postcode.isdigit() and not POSTCODE.match(postcode):
            raise forms.ValidationError(_("A French postcode has 5 digits."))
        return postcode

    def _resolve_postcode(self, postcode: str) -> dict:
        candidates = [
            c
            for c in Commune.objects.filter(postcodes__contains=postcode).select_related("department")
            if postcode in c.postcode_list
        ]
        if candidates:
            commune = max(candidates, key=lambda c: c.population)
            return {"origin": Origin.FRANCE, "department": commune.department, "commune": commune}
        department = Department.objects.filter(code=reference.department_code_for_postcode(postcode)).first()
        # Communes are loaded for some départements only: elsewhere the postcode gives the département.
        if department is None or department.communes.exists():
            raise forms.ValidationError({"postcode": _("Unknown postcode: %(code)s.") % {"code": postcode}})
        return {"origin": Origin.FRANCE, "department": department, "commune": None}

    def _resolve_place(self, data) -> dict:
        """The commune chosen in the completion list, else typed by postcode, else by name."""
        text = data.get("postcode") or ""
        chosen = Commune.objects.filter(insee=data.get("commune_code") or "").select_related("department").first()
        if chosen is None and POSTCODE.match(text):
            return {**self._resolve_postcode(text), "postcode": text, "country": ""}
        if chosen is None:
            place = place_index().find(text)
            chosen = place and Commune.objects.select_related("department").filter(insee=place.insee).first()
        if chosen is None:
            raise forms.ValidationError(
                {"postcode": _("Unknown commune: %(name)s. Choose one in the list or type its postcode.")
                 % {"name": text}}
            )  # fmt: skip
        postcode = text if text in chosen.postcode_list else chosen.main_postcode
        return {"origin": Origin.FRANCE, "department": chosen.department, "commune": chosen, "postcode": postcode,
                "country": ""}  # fmt: skip

    def _resolve_origin(self, data) -> dict:
        if data.get("postcode") or data.get("commune_code"):
            return self._resolve_place(data)
        if data.get("country"):
            return {"origin": Origin.ABROAD, "country": data["country"]}
        pick = data.get("origin_pick") or ""
        kind, _sep, code = pick.partition(":")
        if kind == "dep":
            department = Department.objects.filter(code=code).first()
            if department:
                return {"origin": Origin.FRANCE, "department": department, "commune": None, "postcode": ""}
        if kind == "country" and code in reference.countries():
            return {"origin": Origin.ABROAD, "country": code}
        raise forms.ValidationError(
            {"origin_pick": _("Where does the visitor come from? Tap a button, type a postcode or choose a country.")}
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data.update(self._resolve_origin(data))
        if data.get("adults") == 0 and data.get("children") == 0 and not data.get("is_group"):
            self.add_error("adults", _("Count at least one person."))
        if data.get("is_group") and not data.get("group_size"):
            self.add_error("group_size", _("Give the size of the group."))
        start, end = data.get("stay_start"), data.get("stay_end")
        if start and end and end < start:
            self.add_error("stay_end", _("The end of the stay cannot be before its start."))
        if data.get("outcome") == Outcome.FULLY and data.get("missing_types"):
            self.add_error("missing_types", _("Missing types only apply when the visitor was not fully satisfied."))
        return data

    model_fields = [
        "origin", "department", "commune", "postcode", "country", "adults", "children", "is_group", "group_size",
        "profile", "stay_start", "stay_end", "stay_label", "language", "outcome",
    ]  # fmt: skip

    def request_data(self) -> RequestData:
        data = self.cleaned_data
        fields = {name: data.get(name) for name in self.model_fields if name in data}
        fields.setdefault("department", None)
        fields.setdefault("commune", None)
        fields.setdefault("postcode", "")
        fields.setdefault("country", "")
        if fields.get("adults") == 0 and fields.get("children") == 0 and fields.get("is_group"):
            fields["adults"] = 1  # a group counted by its size only
        if not fields.get("is_group"):
            fields["group_size"] = None
        fields.update(self.extra_fields())
        return RequestData(
            fields=fields,
            themes=self._chosen("themes"),
            requested_types=self._chosen("requested_types"),
            missing_types=self._chosen("missing_types"),
        )

    def _chosen(self, name: str) -> list:
        # Nothing ticked: skip the empty queryset the field returns (evaluating it still compiles a query).
        return list(self.cleaned_data.get(name) or []) if self.data.get(name) else []

    def extra_fields(self) -> dict:
        return {"channel": Channel.COUNTER}


class RequestForm(CounterForm):
    """Every field: phone calls, letters, emails, web forms and social networks, with their follow-up."""

    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE, widget=forms.RadioSelect
    )
    received_at = DateTimeField(
        label=_("Received"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: now."),
    )
    due_date = DateField(
        label=_("Answer due"), required=False, widget=DateInput(), help_text=_("Empty: the office’s usual delay.")
    )
    status = forms.ChoiceField(label=_("Status"), choices=RequestStatus.choices, initial=RequestStatus.TO_HANDLE)
    assignee = forms.ModelChoiceField(label=_("Assigned to"), required=False, queryset=None)
    name = forms.CharField(label=_("Visitor name"), required=False, max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Postal address"), required=False, max_length=300)
    phone = PhoneNumberField(label=_("Phone"), required=False)
    consent_newsletter = forms.BooleanField(label=_("Agrees to receive the newsletter"), required=False)
    consent_contact = forms.BooleanField(label=_("Agrees to be contacted"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, office=office, **kwargs)
        self.fields["assignee"].queryset = selectors.office_members(office)

    def clean(self):
        data = super().clean()
        if (data.get("consent_newsletter") and not data.get("email")) and "email" not in self.errors:
            self.add_error("email", _("Give an email address to send the newsletter to."))
        return data

    def extra_fields(self) -> dict:
        data = self.cleaned_data
        names = ["channel", "received_at", "due_date", "status", "assignee", "name", "email", "address", "phone"]
        fields = {name: data.get(name) for name in names}
        fields["phone"] = fields["phone"] or ""
        fields["consent_newsletter"] = bool(data.get("consent_newsletter"))
        fields["consent_contact"] = bool(data.get("consent_contact"))
        return fields


def initial_from_request(obj: VisitorRequest) -> dict:
    initial = {
        name: getattr(obj, name)
        for name in [
            "adults", "children", "is_group", "group_size", "profile", "stay_start", "stay_end", "stay_label",
            "language", "outcome", "channel", "due_date", "status", "name", "email", "address", "phone",
            "consent_newsletter", "consent_contact", "version",
        ]
    }  # fmt: skip
    initial["received_at"] = timezone.localtime(obj.received_at)
    initial["assignee"] = obj.assignee_id
    initial["themes"] = list(obj.themes.all())
    initial["requested_types"] = list(obj.requested_types.all())
    initial["missing_types"] = list(obj.missing_types.all())
    if obj.origin == Origin.ABROAD:
        initial["country"] = obj.country
    elif obj.postcode:
        initial["postcode"] = obj.postcode
    elif obj.department_id:
        initial["origin_pick"] = f"dep:{obj.department.code}"
    return initial


class FilterForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All"))] + Channel.choices)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + RequestStatus.choices)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    date_from = DateField(label=_("From"), required=False, widget=DateInput())
    date_to = DateField(label=_("To"), required=False, widget=DateInput())
    assignee = forms.ModelChoiceField(label=_("Assigned to"), required=False, queryset=None)

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.office_members(office)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return data

    def criteria(self) -> selectors.RequestFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.RequestFilter(
            channel=data.get("channel") or "",
            status=data.get("status") or "",
            overdue=bool(data.get("overdue")),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            assignee=data.get("assignee"),
        )


class SuggestForm(forms.Form):
    offer = forms.ModelChoiceField(
        queryset=Offer.objects.all(),
        error_messages={"required": _("Choose an offer."), "invalid_choice": _("This offer does not exist any more.")},
    )


class MissingTypeForm(forms.Form):
    type = forms.ModelChoiceField(
        queryset=OfferType.objects.all(),
        error_messages={"required": _("Choose a type."), "invalid_choice": _("Choose a type from the list.")},
    )


class CountSetForm(forms.Form):
    value = forms.IntegerField(
        label=_("Today’s visitors"),
        min_value=0,
        max_value=100000,
        error_messages={"min_value": _("The number of visitors cannot be negative.")},
    )


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


QUICK_DEFAULTS = {"adults": "1", "children": "0", "language": "fr"}
QUICK_MULTIPLE = {"themes", "requested_types"}


def apply_quick_line(data, office: Office, drop: int | None = None):
    """The counter's data with the quick line understood into its fields: (new data, parsed line).

    What the line set last time is undone first, so editing the line edits the fields; what the agent set by hand
    stays. `drop` removes one piece of the line (a chip's ×) before reading it again.
    """
    data = data.copy()
    text = data.get("quick", "")[:500]
    parsed = quickline.parse(text, timezone.localdate(), _place_lookup)
    if drop is not None and 0 <= drop < len(parsed.pieces):
        text = " ".join(words for i, (words, _fact) in enumerate(parsed.pieces) if i != drop)
        parsed = quickline.parse(text, timezone.localdate(), _place_lookup)
    for line in data.get("quick_applied", "").splitlines()[:50]:
        name, _sep, value = line.partition("=")
        if name in QUICK_MULTIPLE:
            data.setlist(name, [v for v in data.getlist(name) if v != value])
        elif name in CounterForm.base_fields and data.get(name) == value:  # unless the agent changed it since
            data[name] = QUICK_DEFAULTS.get(name, "")
    applied = {}
    place = parsed.first("place")
    if place:
        applied.update(postcode=place[1], commune_code=place[0], origin_pick="", country="")
    country = parsed.first("country")
    if country and not place:
        quick_countries = {code for code, _name in selectors.quick_countries(office)}
        picked = f"country:{country}" if country in quick_countries else ""
        applied.update(origin_pick=picked, country="" if picked else country, postcode="", commune_code="")
    if parsed.profile:
        applied["profile"] = parsed.profile
    if parsed.party:
        applied.update(adults=str(parsed.party[0]), children=str(parsed.party[1]))
    if group := parsed.first("group"):
        applied.update(is_group="on", group_size=str(group))
    if stay := parsed.first("stay"):
        applied.update(stay_start=stay[0].isoformat(), stay_end=stay[1].isoformat())
    if parsed.language:
        applied["language"] = parsed.language
    entries = [f"{name}={value}" for name, value in applied.items() if value]
    for name, value in applied.items():
        data[name] = value
    codes = {"themes": parsed.values("theme"), "requested_types": parsed.values("type")}
    ids = {
        "themes": dict(Theme.objects.filter(code__in=codes["themes"]).values_list("code", "pk")),
        "requested_types": dict(OfferType.objects.filter(code__in=codes["requested_types"]).values_list("code", "pk")),
    }
    for name in QUICK_MULTIPLE:
        for code in codes[name]:
            if code in ids[name] and str(ids[name][code]) not in data.getlist(name):
                data.appendlist(name, str(ids[name][code]))
                entries.append(f"{name}={ids[name][code]}")
    data["quick"] = text
    data["quick_parsed"] = text
    data["quick_applied"] = "\n".join(entries)
    return data, parsed


def _place_lookup(text: str):
    place = place_index().find(text)
    return place and (place.insee, place.label, place.postcode)


def quick_chips(parsed) -> list[dict]:
    """What the quick line understood, and what it did not, in the order typed: one chip each."""
    themes = dict(Theme.objects.values_list("code", "label"))
    types = dict(OfferType.objects.filter(code__in=parsed.values("type")).values_list("code", "label"))
    profiles = dict(Profile.choices)
    chips = []
    for index, (words, fact) in enumerate(parsed.pieces):
        if fact is None:
            chips.append({"index": index, "words": words, "label": words, "understood": False})
            continue
        label = {
            "place": lambda v: v[1],
            "country": lambda v: reference.countries().get(v, v),
            "profile": lambda v: profiles.get(v, v),
            "party": lambda v: _("%(adults)s adults, %(children)s children") % {"adults": v[0], "children": v[1]},
            "group": lambda v: _("Group of %(size)s") % {"size": v},
            "theme": lambda v: _(themes.get(v, v)),
            "type": lambda v: types.get(v, v),
            "stay": lambda v: (
                _("%(start)s → %(end)s") % {"start": date_format(v[0], "D j b"), "end": date_format(v[1], "D j b")}
            ),
            "language": lambda v: reference.languages().get(v, v),
        }.get(fact.kind)
        if label:
            chips.append({"index": index, "words": words, "label": label(fact.value), "understood": True})
    return chips
