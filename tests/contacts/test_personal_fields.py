"""Every field of the project that may hold a visitor's personal data is declared: personal (exported and erased by a
`contacts.rights.PersonalData`) or not personal (with the reason). A new field named like a name, an email, a phone,
an address… fails here until it is declared; test_rights.py checks that the declared ones are exported and erased."""

import re

from django.apps import apps
from django.db import models
from phonenumber_field.modelfields import PhoneNumberField

from acvs.contacts import rights

# Names that say "a person may be written here"; types that can hold such text.
LOOKS_PERSONAL = re.compile(
    r"name|e?mail|phone|mobile|address|postcode|zip|street|birth|sender|recipient|^to$|^from$|body|subject|note|"
    r"greeting|closing|comment|message|origin|error|reason|params|^ip|ip_address|user_agent",
    re.IGNORECASE,
)
TEXT_TYPES = (models.CharField, models.TextField, models.JSONField, models.GenericIPAddressField, PhoneNumberField)
LANGUAGES = re.compile(r"_(fr|en|de|it|es|nl)$")  # modeltranslation's copies follow their field's declaration


def candidates() -> set[str]:
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("acvs."):
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, TEXT_TYPES) and not f.choices and LOOKS_PERSONAL.search(f.name):
                name = LANGUAGES.sub("", f.name) if hasattr(model, LANGUAGES.sub("", f.name)) else f.name
                found.add(f"{model._meta.label}.{name}")
    return found


def test_every_field_that_may_hold_personal_data_is_declared():
    declared = rights.personal_fields() | set(rights.NOT_PERSONAL)
    assert sorted(candidates() - declared) == []


def test_declarations_name_real_fields_and_do_not_contradict():
    personal = rights.personal_fields()
    assert sorted(personal & set(rights.NOT_PERSONAL)) == []
    for dotted in personal | set(rights.NOT_PERSONAL):
        label, name = dotted.rsplit(".", 1)
        apps.get_model(label)._meta.get_field(name)  # raises for a stale declaration
    assert all(reason.strip() for reason in rights.NOT_PERSONAL.values())


def test_the_heuristics_catch_a_new_personal_field(monkeypatch):
    """A model gaining `visitor_email` would be caught: the walk sees it as undeclared."""
    from acvs.desk.models import VisitorRequest

    extra = models.EmailField(name="visitor_email")
    extra.set_attributes_from_name("visitor_email")
    extra.model = VisitorRequest
    monkeypatch.setattr(VisitorRequest._meta, "concrete_fields", (*VisitorRequest._meta.concrete_fields, extra))
    assert "desk.VisitorRequest.visitor_email" in candidates() - rights.personal_fields() - set(rights.NOT_PERSONAL)
