"""Small helpers shared by the forms of every domain."""

from django.core.exceptions import ValidationError


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
