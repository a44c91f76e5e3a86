"""Every page declares its rule from the one table (network.rules.RULES), or says why it has none."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from acvs.network import rules
from acvs.network.models import Role
from tests.conftest import membership

# Pages every logged-in person opens (or anyone, for the public link): the objects they act on are checked by an
# object rule in the view and the service.
WITHOUT_PAGE_RULE = {
    "home": "each office's home page",
    "job": "a job of the acting office (the tenancy scope), shown to who follows it",
    "job_retry": "the job kind's own rule is asked with the job (JobKind.may_start)",
    "network:switch_office": "one's own memberships only",
    "offer:search": "everyone reads the offers",
    "offer:facets": "everyone reads the offers",
    "offer:types": "everyone reads the offers",
    "offer:detail": "everyone reads the offers",
    "offer:export": "everyone reads the offers",
    "offer:export_one": "everyone reads the offers",
    "offer:edit": "offer.change, on the offer",
    "offer:verify": "offer.change, on the offer",
    "offer:photo_add": "offer.change, on the offer",
    "offer:photo_delete": "offer.change, on the offer",
    "offer:providers": "everyone reads the providers",
    "offer:provider_detail": "everyone reads the providers",
    "offer:provider_edit": "provider.change, on the provider",
    "agenda:agenda": "everyone reads the offers' dates",
    "agenda:schedule_add": "offer.change, on the event",
    "agenda:schedule_delete": "offer.change, on the event",
    "agenda:places": "offer.change, on the event",
    "availability:section": "everyone reads an offer's availability",
    "availability:set": "offer.change, on the accommodation",
    "api:offers": "everyone reads the offers; writing asks the offer services' rules and the token's scope",
    "api:offer": "everyone reads the offers; writing asks offer.change and the token's office (api.services)",
    "api:availability": "everyone reads availability; writing asks offer.change and the token's office",
    "api:providers": "everyone reads the providers",
    "api:provider": "everyone reads the providers",
    "api:events": "everyone reads the offers' dates",
    "api:types": "everyone reads the offers",
    "booklet:public": "the unguessable link is the right to read the booklet",
    "booklet:public_colours": "the unguessable link is the right to read the booklet's colours",
    "documentation:public_pdf": "the signed link sent in an answer is the right to read the brochure's PDF",
    "contacts:keep": "the signed link sent to a contact is the right to keep it (retention)",
    "contacts:public": "an office's public page: anyone writes to the office or subscribes (double opt-in)",
    "contacts:confirm": "the signed link mailed to a person is the right to confirm that one consent",
    "campaigns:open": "the open pixel of one message: its signed token is the right to count that open",
    "campaigns:click": "a tracked link of one message: its signature over recipient and destination is the right",
    "campaigns:unsubscribe": "the signed link is the right to unsubscribe (RFC 8058: no log-in)",
    "campaigns:preferences": "the signed link is the right to set one's preferences",
    "interop:events_ics": "public: published events only, for anyone to subscribe",
    "interop:widget_offers": "public: published offers only, framed by the offices' websites",
    "interop:widget_events": "public: published events only, framed by the offices' websites",
    "interop:widget_builder": "builds links to public data only: everyone reads the offers",
}


def our_views():
    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, ":".join(filter(None, [namespace, p.namespace])))
            elif isinstance(p, URLPattern) and p.name and p.callback.__module__.startswith("acvs."):
                yield (f"{namespace}:{p.name}" if namespace else p.name), p.callback

    return dict(walk(get_resolver().url_patterns, ""))


def test_every_page_declares_a_rule_of_the_table_or_says_why_not():
    views = our_views()
    declared = {name: getattr(view, "required_rule", None) for name, view in views.items()}
    assert sorted(name for name, rule in declared.items() if rule is None and name not in WITHOUT_PAGE_RULE) == []
    assert sorted(name for name in WITHOUT_PAGE_RULE if declared.get(name, "") is not None) == []
    assert {rule for rule in declared.values() if rule} <= set(rules.RULES)


def test_a_page_cannot_declare_an_object_rule():
    with pytest.raises(ValueError, match="rule of an object"):
        rules.requires("offer.change")


@pytest.mark.parametrize(
    ("role", "granted"),
    [
        (Role.AGENT, {"offer.create", "desk.use", "booklet.build", "documentation.use", "documentation.create",
                      "documentation.order", "mailing.answer", "contacts.use", "observatory.office",
                      "contacts.export"}),
        (Role.MANAGER, {"api.tokens", "network.manage", "offer.create", "offer.import", "desk.use", "desk.settings",
                        "booklet.build",
                        "booklet.branding", "documentation.use", "documentation.create", "documentation.order",
                        "mailing.answer", "mailing.manage", "contacts.use", "observatory.office",
                        "contacts.export", "contacts.erase", "contacts.access_log"}),
        (Role.PARTNER, {"documentation.use"}),
    ],
)  # fmt: skip
def test_what_each_role_may_open(role, granted, cavalaire):
    from tests.conftest import make_user

    m = membership(make_user(f"u-{role}", cavalaire, role))
    pages = {name for name, rule in rules.RULES.items() if not rule.of_object}
    assert {name for name in pages if rules.allowed(m, name)} == granted
    assert {name for name in pages if rules.allowed(None, name)} == set()
