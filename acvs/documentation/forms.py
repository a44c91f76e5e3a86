"""Forms of the documentation stock, and the hand-out field convention shared with the counter screen.

Hand-out fields: one POST field per document, named ``doc-<document id>``, whose value is the number of copies
handed out (blank or 0: none). ``parse_handout(request.POST, office)`` turns them into the ``lines`` argument of
``services.handout`` and a dict of field errors.
"""

import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from acvs.core.forms import ModelMultipleChoiceField
from acvs.desk import reference
from acvs.desk.models import Theme
from acvs.network.models import Office

from . import selectors
from .models import Document, MovementKind, Place

HANDOUT_FIELD = re.compile(r"^doc-(\d{1,18})$")
HANDOUT_MAX = 500


def handout_field_name(document) -> str:
    return f"doc-{document.pk}"


def parse_handout(data, office: Office | None) -> tuple[dict[Document, int], dict[str, str]]:
    """Read the ``doc-<id>=<copies>`` fields of `data` (a QueryDict or dict).

    Returns ``(lines, errors)``: ``lines`` maps each document to a positive number of copies (ready for
    ``services.handout``); ``errors`` maps a field name to a message (not a whole number, negative, too many,
    unknown document). Copies in stock are checked by the service, which refuses the whole hand-out if one document
    lacks copies. Without an office nothing is read.
    """
    lines, errors, wanted = {}, {}, {}
    if office is None:
        return lines, errors
    for name in data:
        match = HANDOUT_FIELD.match(name)
        if not match:
            continue
        raw = (data.get(name) or "").strip()
        if raw in ("", "0"):
            continue
        try:
            qty = int(raw)
        except ValueError:
            errors[name] = gettext("Type a whole number of copies.")
            continue
        if qty < 0:
            errors[name] = gettext("A number of copies cannot be negative.")
        elif qty > HANDOUT_MAX:
            errors[name] = gettext("At most %(max)s copies at once.") % {"max": HANDOUT_MAX}
        elif qty:
            wanted[int(match.group(1))] = (name, qty)
    found = Document.objects.in_bulk(list(wanted))
    for pk, (name, qty) in wanted.items():
        if pk in found:
            lines[found[pk]] = qty
        else:
            errors[name] = gettext("Unknown document.")
    return lines, errors


class OfficeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DocumentForm(forms.ModelForm):
    publisher = OfficeChoiceField(
        label=_("Publisher (office of the network)"),
        queryset=Office.objects.filter(is_active=True).order_by("name"),
        required=False,
    )
    language = forms.ChoiceField(label=_("Language"), initial="fr", choices=reference.language_choices)
    themes = ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    # The version the form was opened on (see services.document_update); the view fills it in.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Document
        fields = [
            "title", "publisher", "publisher_name", "language", "edition_year", "themes", "cover", "pdf", "public_url",
            "unit_weight_g", "is_current", "description",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "pdf": forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        }

    def clean(self):
        data = super().clean()
        publisher, name = data.get("publisher"), (data.get("publisher_name") or "").strip()
        if publisher and name:
            self.add_error("publisher_name", _("Choose an office or type another publisher, not both."))
        elif not publisher and not name and "publisher" not in self.errors:
            self.add_error("publisher", _("Choose the publishing office, or type the name of another publisher."))
        return data

    def service_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name not in ("themes", "version")}


# Places are changed with the move form; every other kind can be recorded by hand.
MANUAL_KINDS = [(value, label) for value, label in MovementKind.choices if value != MovementKind.MOVED]


def _quantity_field(label, min_value=0):
    return forms.IntegerField(
        label=label,
        min_value=min_value,
        max_value=1_000_000,
        error_messages={
            "invalid": _("Type a whole number of copies."),
            "min_value": _("Type a number of copies greater than zero.")
            if min_value
            else _("A number of copies cannot be negative."),
            "required": _("Type a number of copies."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class MovementForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=MANUAL_KINDS)
    place = forms.ChoiceField(label=_("Place"), choices=Place.choices, initial=Place.STOREROOM)
    quantity = _quantity_field(_("Copies"))
    counterpart = OfficeChoiceField(label=_("Other office (transfers)"), queryset=Office.objects.none(), required=False)
    reason = forms.CharField(label=_("Why"), max_length=300, required=False)

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counterpart"].queryset = selectors.offices_for_orders(office)
        self.fields["quantity"].help_text = _("For an inventory adjustment: the quantity counted.")


class MoveForm(forms.Form):
    quantity = _quantity_field(_("Copies"), min_value=1)
    source = forms.ChoiceField(label=_("From (place)"), choices=Place.choices, initial=Place.STOREROOM)
    destination = forms.ChoiceField(label=_("To (place)"), choices=Place.choices, initial=Place.COUNTER)


class StockSettingForm(forms.Form):
    alert_threshold = _quantity_field(_("Alert threshold"))
    reorder_quantity = _quantity_field(_("Usual reorder quantity"))


class SupplierForm(forms.Form):
    supplier = OfficeChoiceField(label=_("Order from"), queryset=Office.objects.none())

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = selectors.offices_for_orders(office)


class OrderLinkForm(forms.Form):
    """The documents an order link asks for (?document=<id>&…, from the stock page's reorder links)."""

    document = ModelMultipleChoiceField(queryset=Document.objects.all(), required=False)

    def documents(self) -> list:
        """The documents asked for; a malformed link asks for none."""
        return list(self.cleaned_data["document"]) if self.is_valid() else []


class OrderForm(SupplierForm):
    note = forms.CharField(label=_("Note for the supplier"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=300, required=False)


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"), max_length=300, error_messages={"required": _("Say why the order is refused.")}
    )


class PlaceForm(forms.Form):
    place = forms.ChoiceField(label=_("Place"), choices=Place.choices, initial=Place.STOREROOM)


def parse_shipped(data, order) -> tuple[dict[int, int], dict[str, str]]:
    """``line-<line id>=<copies shipped>`` fields of the ship form (blank: the quantity ordered)."""
    shipped, errors = {}, {}
    for line in order.lines.all():
        name = f"line-{line.pk}"
        raw = (data.get(name) or "").strip()
        if raw == "":
            continue
        try:
            qty = int(raw)
        except ValueError:
            errors[name] = gettext("Type a whole number of copies.")
            continue
        if not 0 <= qty <= line.quantity:
            errors[name] = gettext("Ship between 0 and %(max)s copies of “%(document)s”.") % {
                "max": line.quantity,
                "document": line.document.title,
            }
        else:
            shipped[line.pk] = qty
    return shipped, errors
