"""Small helpers and fields shared by the forms of every domain."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils.translation import gettext_lazy as _

# The dates the network deals in (stays, events, nights, requests, prices). Beyond them date arithmetic (a default
# period, a stay's days, the time zone) left what Python and the databases hold: year 9999 or 1 crashed pages.
FIRST_DATE, LAST_DATE = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)


def formset_rows(formset) -> list[dict]:
    """The kept rows of a valid inline formset, as plain dicts for a service (the parent key left out)."""
    fields = [name for name in formset.form._meta.fields if name != formset.fk.name]
    return [
        {name: form.cleaned_data[name] for name in fields}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def attach_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing an id no id column can hold like any unknown id. Django guards `pk=` lookups against
    such numbers but not the `IN` query this field runs, where the database crashed (SQLite: OverflowError)."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        meta = self.queryset.model._meta
        field = meta.pk if key == "pk" else meta.get_field(key)
        ops = connections[self.queryset.db].ops
        if field.get_internal_type() in ops.integer_field_ranges:
            low, high = ops.integer_field_range(field.get_internal_type())
            for pk in value:
                try:
                    number = int(str(pk))
                except ValueError:
                    continue  # not a number: Django's own check refuses it
                if not low <= number <= high:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


class SearchTextForm(forms.Form):
    """The text of a search box (?q=) read like any field: too long or holding NUL characters (PostgreSQL refuses
    them in a query) it is refused, with the reason, rather than searched."""

    q = forms.CharField(required=False, max_length=200)

    def text(self) -> str:
        return self.cleaned_data["q"] if self.is_valid() else ""


class _Bounded:
    """Refuses dates outside FIRST_DATE..LAST_DATE with a message that says which years are accepted."""

    default_error_messages = {"out_of_range": _("Type a date between the years %(first)s and %(last)s.")}

    def validate(self, value):
        super().validate(value)
        day = value.date() if isinstance(value, datetime.datetime) else value
        if day is not None and not FIRST_DATE <= day <= LAST_DATE:
            params = {"first": FIRST_DATE.year, "last": LAST_DATE.year}
            raise ValidationError(self.error_messages["out_of_range"], code="out_of_range", params=params)


class DateField(_Bounded, forms.DateField):
    pass


class DateTimeField(_Bounded, forms.DateTimeField):
    pass
