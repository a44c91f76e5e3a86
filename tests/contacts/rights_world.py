"""A person known everywhere an office keeps personal data: a request with its message, its contact (emails, phones,
address, consents with an origin, a confirmation mail, history), a booklet with a note, a sending and its job, an
answer, a reply. Every declared personal field holds the marker `ZEB` (or a value made from it), so tests can find it
in exports and miss it after erasure."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from acvs.booklet.models import Booklet, BookletItem, BookletSending
from acvs.campaigns.models import Campaign, Event, Recipient
from acvs.contacts import services
from acvs.contacts.models import ConfirmationMail, Contact, ContactEmail, RequestLink
from acvs.contacts.services import ContactData
from acvs.core.models import Job
from acvs.desk import services as desk_services
from acvs.desk.services import RequestData
from acvs.mailing.models import Answer, IncomingMessage
from acvs.network.models import Commune
from tests.conftest import membership
from tests.factories import OfferFactory

ZEB = "Zébulon Quatremare"
EMAIL = "zebulon@example.de"


@dataclass
class Person:
    contact: Contact
    request: object
    booklet: Booklet


def make_person(agent, office, *, name=ZEB, email=EMAIL, phone="+49 30 1234567") -> Person:
    m = membership(agent)
    visitor_request = desk_services.request_create(
        membership=m,
        data=RequestData(fields={
            "origin": "france", "department": Commune.objects.get(insee="83036").department, "adults": 2,
            "language": "fr", "outcome": "fully", "postcode": "83240", "name": name, "email": email,
            "phone": phone, "address": f"12 rue des Lilas, chez {name}", "consent_newsletter": True,
            "message": f"Bonjour, ici {name}", "received_at": timezone.now() - datetime.timedelta(days=3),
        }),
    )  # fmt: skip
    contact = RequestLink.objects.get(visitor_request=visitor_request).contact
    commune = Commune.objects.get(insee="83036")
    services.contact_update(
        membership=m,
        contact=contact,
        data=ContactData(
            fields={"name": name, "address": f"12 rue des Lilas, chez {name}", "postcode": "83240",
                    "commune": commune, "department": commune.department, "country": "FR", "language": "fr"},
            emails=[email], phones=[phone], tags=["fidèle"],
        ),
    )  # fmt: skip
    ContactEmail.objects.filter(contact=contact).update(undeliverable_reason=f"550 {email}: no such user")
    services.consent_record(membership=m, contact=contact, purpose="network", given=True, text="Oui",
                            method="import", origin=f"Salon de Stuttgart, stand de {name}")  # fmt: skip
    # The imported email consent awaits its confirmation: the mail asking for it was refused.
    ConfirmationMail.objects.filter(event__contact=contact).update(error=f"550 {email}: no such user")
    offer = OfferFactory(owner_office=office)
    booklet = Booklet.objects.create(
        office=office,
        visitor_request=visitor_request,
        title=f"Séjour de {name}",
        greeting=f"Cher {name}",
        closing=f"À bientôt, {name}",
        recipient=email,
    )
    BookletItem.objects.create(booklet=booklet, offer=offer, note=f"Pour {name}")
    job = Job.objects.create(kind="booklet.send", office=office, user=agent, language="fr", target=booklet,
                             params={"to": email}, message=f"Refusé : {email}")  # fmt: skip
    BookletSending.objects.create(booklet=booklet, job=job, to=email, error=f"550 {email} unknown")
    answer_job = Job.objects.create(kind="mailing.answer", office=office, user=agent, language="fr",
                                    params={"to": email}, message=f"Envoyé à {email}")  # fmt: skip
    answer = Answer.objects.create(
        visitor_request=visitor_request,
        job=answer_job,
        to=email,
        subject=f"Votre séjour, {name}",
        body=f"Cher {name}, …",
        error=f"451 {email}",
        bounce_reason=f"5.1.1 <{email}>: user unknown",
    )
    IncomingMessage.objects.create(visitor_request=visitor_request, answer=answer, message_id=f"<{answer.pk}@ex>",
                                   sender=f"{name} <{email}>", subject=f"Re: Votre séjour, {name}",
                                   body=f"Merci ! {name}", received_at=timezone.now())  # fmt: skip
    campaign = Campaign.objects.create(office=office, name="Printemps", subjects={"fr": "Le printemps"})
    recipient = Recipient.objects.create(campaign=campaign, contact=contact, email=email, language="fr",
                                         error=f"451 {email}")  # fmt: skip
    Event.objects.create(campaign=campaign, recipient=recipient, kind=Event.Kind.CLICK,
                         url="https://cavalaire.example/programme", at=timezone.now())  # fmt: skip
    contact.refresh_from_db()
    return Person(contact, visitor_request, booklet)
