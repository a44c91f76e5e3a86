import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from acvs.contacts import selectors, services
from acvs.contacts.models import ConsentEvent, Contact, ContactEmail, ContactPhone, Purpose, RequestLink
from acvs.contacts.models.consent import AppendOnlyError
from acvs.contacts.services import ContactData
from acvs.core.models import AuditEntry
from acvs.desk import services as desk_services
from acvs.desk.services import RequestData
from tests.conftest import membership


def counter_request(agent, **fields):
    base = {"origin": "abroad", "country": "DE", "adults": 2, "language": "de", "outcome": "fully"}
    base.update(fields)
    return desk_services.request_create(membership=membership(agent), data=RequestData(fields=base))


def test_a_request_with_an_email_creates_a_contact_with_its_consents(agent, cavalaire, themes):
    data = RequestData(
        fields={"origin": "abroad", "country": "DE", "adults": 2, "language": "de", "outcome": "fully",
                "name": "Anna Weber", "email": "Anna.Weber@Example.DE", "consent_newsletter": True},
        themes=[themes["hiking"]],
    )  # fmt: skip
    r = desk_services.request_create(membership=membership(agent), data=data)
    contact = RequestLink.objects.get(visitor_request=r).contact
    assert contact.office == cavalaire
    assert contact.name == "Anna Weber"
    assert contact.country == "DE"
    assert contact.language == "de"
    assert [e.email for e in contact.emails.all()] == ["anna.weber@example.de"]
    assert list(contact.interests.all()) == [themes["hiking"]]
    assert contact.last_contact_at == r.received_at
    (event,) = ConsentEvent.objects.filter(contact=contact)
    assert (event.purpose, event.given, event.method, event.by) == (Purpose.NEWSLETTER, True, "counter", agent)
    assert event.text == "Accepte de recevoir la lettre d’information"


def test_the_same_email_or_phone_finds_the_same_contact(agent):
    first = counter_request(agent, email="jean@example.fr", phone="+33612345678")
    second = counter_request(agent, email="JEAN@example.fr")
    third = counter_request(agent, phone="06 12 34 56 78")
    contacts = {RequestLink.objects.get(visitor_request=r).contact_id for r in (first, second, third)}
    assert len(contacts) == 1
    assert Contact.objects.count() == 1


def test_the_same_email_in_another_office_is_another_contact(agent, other_agent):
    counter_request(agent, email="jean@example.fr")
    counter_request(other_agent, email="jean@example.fr")
    assert Contact.objects.count() == 2
    assert len({c.office_id for c in Contact.objects.all()}) == 2


def test_a_request_without_email_or_phone_makes_no_contact(agent):
    counter_request(agent, name="Anonyme")
    assert not Contact.objects.exists()


def test_unticking_a_box_on_edit_records_a_withdrawal(agent):
    r = counter_request(agent, email="jean@example.fr", consent_contact=True)
    fields = {"origin": "abroad", "country": "DE", "adults": 2, "language": "de", "outcome": "fully",
              "email": "jean@example.fr", "consent_contact": False}  # fmt: skip
    desk_services.request_update(
        visitor_request=r, membership=membership(agent), version=r.version, data=RequestData(fields=fields)
    )
    events = list(ConsentEvent.objects.order_by("at", "id").values_list("purpose", "given"))
    assert events == [("request", True), ("request", False)]
    (_v, _l, latest), *_ = [c for c in selectors.current_consents(Contact.objects.get()) if c[0] == "request"]
    assert latest.given is False


def test_consent_events_are_append_only(agent):
    counter_request(agent, email="jean@example.fr", consent_newsletter=True)
    event = ConsentEvent.objects.get()
    event.given = False
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        ConsentEvent.objects.filter(pk=event.pk).update(given=False)
    with pytest.raises(AppendOnlyError):
        ConsentEvent.objects.all().delete()
    assert ConsentEvent.objects.get().given is True


def test_give_and_withdraw_keep_the_whole_history(agent):
    m = membership(agent)
    contact = services.contact_create(membership=m, data=ContactData(fields={"name": "Famille Martin"}))
    services.consent_record(
        membership=m, contact=contact, purpose="network", given=True, text="J’accepte.", face_to_face=True
    )
    services.consent_record(membership=m, contact=contact, purpose="network", given=False, text="Je retire.")
    current = {p: e for p, _l, e in selectors.current_consents(contact)}
    assert current["network"].given is False
    assert current["newsletter"] is None
    assert ConsentEvent.objects.filter(contact=contact).count() == 2
    with pytest.raises(ValidationError):
        services.consent_record(
            membership=m, contact=contact, purpose="network", given=True, text="  ", face_to_face=True
        )
    with pytest.raises(ValidationError):
        services.consent_record(membership=m, contact=contact, purpose="network", given=True, text="Oui",
                                method="import")  # fmt: skip


def test_addresses_are_normalised_and_unique_per_office(agent):
    m = membership(agent)
    data = ContactData(fields={"name": "A"}, emails=["A@Example.fr"], phones=["06 12 34 56 78"])
    a = services.contact_create(membership=m, data=data)
    assert ContactEmail.objects.get(contact=a).email == "a@example.fr"
    assert ContactPhone.objects.get(contact=a).phone.as_e164 == "+33612345678"
    with pytest.raises(ValidationError) as refused:
        services.contact_create(membership=m, data=ContactData(fields={"name": "B"}, emails=["a@example.FR"]))
    assert "a@example.fr" in str(refused.value)
    with pytest.raises(ValidationError):
        services.contact_create(membership=m, data=ContactData(fields={"name": "B"}, phones=["12"]))
    assert Contact.objects.count() == 1


def test_a_partner_cannot_create_nor_change_a_contact(agent, partner, other_agent):
    with pytest.raises(PermissionDenied):
        services.contact_create(membership=membership(partner), data=ContactData(fields={"name": "X"}))
    mine = services.contact_create(membership=membership(agent), data=ContactData(fields={"name": "X"}))
    with pytest.raises(PermissionDenied):
        services.consent_record(membership=membership(other_agent), contact=mine, purpose="network", given=True,
                                text="Oui")  # fmt: skip


def test_merge_moves_everything_and_is_audited(agent, themes):
    m = membership(agent)
    r1 = counter_request(agent, name="Jean Dupont", email="jean@example.fr", consent_newsletter=True)
    r2 = counter_request(agent, name="J. Dupont", phone="+33612345678", consent_contact=True)
    kept, merged = (RequestLink.objects.get(visitor_request=r).contact for r in (r1, r2))
    merged.tags.add(*services._tags(merged.office, ["fidèle"]))
    merged.interests.add(themes["heritage"])
    kept = services.contact_merge(membership=m, kept=kept, merged=merged, choices={"name": "merged"})
    assert kept.name == "J. Dupont"
    assert not Contact.objects.filter(pk=merged.pk).exists()
    assert {link.visitor_request_id for link in kept.request_links.all()} == {r1.pk, r2.pk}
    assert kept.emails.count() == 1
    assert kept.phones.count() == 1
    assert sorted(ConsentEvent.objects.filter(contact=kept).values_list("purpose", flat=True)) == [
        "newsletter",
        "request",
    ]
    assert [t.name for t in kept.tags.all()] == ["fidèle"]
    assert themes["heritage"] in kept.interests.all()
    entry = AuditEntry.objects.filter(object_id=kept.pk, action="update").latest("at")
    assert any(c["field"] == "merged" for c in entry.changes)
    assert AuditEntry.objects.filter(object_id=merged.pk, action="delete").exists()


def test_merge_refuses_the_same_contact_and_another_offices(agent, other_agent):
    m = membership(agent)
    mine = services.contact_create(membership=m, data=ContactData(fields={"name": "X"}))
    theirs = services.contact_create(membership=membership(other_agent), data=ContactData(fields={"name": "X"}))
    with pytest.raises(ValidationError):
        services.contact_merge(membership=m, kept=mine, merged=mine, choices={})
    with pytest.raises(PermissionDenied):
        services.contact_merge(membership=m, kept=mine, merged=theirs, choices={})
    assert Contact.objects.count() == 2
