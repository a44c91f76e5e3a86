"""A bounced address in the browser: the contact's page says why, the agent confirms it works again."""

import pytest
from playwright.sync_api import expect

from acvs.contacts import services as contact_services
from acvs.contacts.models import ContactEmail
from acvs.mailing.verp import Bounce
from tests.conftest import PASSWORD, membership
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_agent_sees_an_undeliverable_address_and_marks_it_deliverable_again(page, agent, cavalaire):
    data = contact_services.ContactData(fields={"name": "Anna Schmidt"}, emails=["anna@example.de"])
    contact = contact_services.contact_create(membership=membership(agent), data=data)
    reason = "smtp; 550 5.1.1 <anna@example.de>: Recipient address rejected: User unknown in virtual mailbox table"
    contact_services.record_bounce(
        office=cavalaire, address="anna@example.de", bounce=Bounce("anna@example.de", True, "5.1.1", reason)
    )
    login(page, "agent", PASSWORD)
    page.goto(f"/contacts/{contact.pk}/")
    facts = page.locator("#contact-facts")
    expect(facts).to_contain_text("non distribuable depuis le")
    expect(facts).to_contain_text("User unknown in virtual mailbox table")
    expect(page.locator("#timeline")).to_contain_text("Adresse non distribuable")

    facts.get_by_role("link", name="De nouveau distribuable…").click()
    expect(page.get_by_role("heading", name="Écrire de nouveau à cette adresse ?")).to_be_visible()
    page.get_by_role("button", name="Oui, la marquer distribuable").click()
    expect(page.get_by_text("On écrira de nouveau à anna@example.de.")).to_be_visible()
    expect(page.locator("#contact-facts")).not_to_contain_text("non distribuable")
    assert ContactEmail.objects.get().undeliverable_at is None
