"""Merge fields of answer templates: `{field}` replaced by values of a fixed context, nothing else.

A small explicit substitution rather than a template engine: an office's text can name only the fields below (no
attribute access, no filters, no tags), `{{` and `}}` write braces, and an unknown or malformed field is refused when
the template is saved.
"""

from string import Formatter

from django.core.exceptions import ValidationError
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

FIELDS = {
    "greeting": _("greeting with the visitor’s name (“Dear Ann Smith,”)"),
    "visitor_name": _("the visitor’s name"),
    "stay_dates": _("the dates of the stay"),
    "signature": _("the agent’s signature (name and office)"),
    "office_name": _("the office’s name"),
    "opening_hours": _("the office’s opening hours (from its booklet branding)"),
    "office_contact": _("the office’s address, email and website"),
}

# The visitor's language, not the agent's: written here rather than in the UI catalogues.
GREETINGS = {
    "fr": ("Bonjour {name},", "Bonjour,"),
    "en": ("Dear {name},", "Hello,"),
    "de": ("Guten Tag {name},", "Guten Tag,"),
    "it": ("Gentile {name},", "Buongiorno,"),
    "es": ("Estimado/a {name}:", "Buenos días:"),
    "nl": ("Beste {name},", "Goedendag,"),
}


def _parse(text: str) -> list[tuple[str, str | None]]:
    """(literal, field) pairs; ValidationError for malformed braces and unknown, formatted or converted fields."""
    try:
        parts = list(Formatter().parse(text))
    except ValueError:
        raise ValidationError(
            _("A brace is not closed or not opened: write merge fields as {visitor_name}, and a brace as {{ or }}.")
        ) from None
    unknown = []
    for _literal, field, spec, conversion in parts:
        if field is not None and (field not in FIELDS or spec or conversion):
            unknown.append("{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}")
    if unknown:
        raise ValidationError(
            _("Unknown merge field(s): %(fields)s. Available: %(available)s."),
            params={"fields": ", ".join(unknown), "available": ", ".join(f"{{{f}}}" for f in FIELDS)},
            code="merge_field",
        )
    return [(literal, field) for literal, field, _spec, _conversion in parts]


def check(text: str) -> None:
    _parse(text)


def render(text: str, values: dict[str, str]) -> str:
    """The text with its fields replaced (a template saved before a field was removed keeps the field's name)."""
    out = []
    for literal, field in _parse(text):
        out.append(literal)
        if field is not None:
            out.append(values.get(field, ""))
    return "".join(out)


def _date(day, language: str) -> str:
    with translation.override(language):
        return formats.date_format(day, "DATE_FORMAT")


def values_for(*, visitor_request, office, user, language: str, opening_hours: str) -> dict[str, str]:
    """The fixed context of a request's answer, in the answer's language."""
    name = visitor_request.name.strip()
    with_name, without = GREETINGS.get(language, GREETINGS["en"])
    start, end = visitor_request.stay_start, visitor_request.stay_end
    if start and end and end != start:
        stay = f"{_date(start, language)} – {_date(end, language)}"
    else:
        stay = _date(start, language) if start else ""
    stay = " ".join(filter(None, [stay, visitor_request.stay_label]))
    agent = (user.get_full_name() or user.get_username()) if user is not None else ""
    commune = office.commune.name if office.commune_id else ""
    contact = [", ".join(filter(None, [office.address, commune])), office.email, office.website]
    return {
        "greeting": with_name.format(name=name) if name else without,
        "visitor_name": name,
        "stay_dates": stay,
        "signature": "\n".join(filter(None, [agent, office.name])),
        "office_name": office.name,
        "opening_hours": opening_hours,
        "office_contact": "\n".join(filter(None, contact)),
    }
