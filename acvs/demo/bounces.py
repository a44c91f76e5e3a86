"""Demo bounces: in each office, a few answers came back (an unknown address, a full mailbox) and marked the contact's
address as the bounces reader does, so that the answers' "bounced" mark, the contact's page and timeline show them."""

import datetime
import random

from acvs.contacts import services as contact_services
from acvs.contacts.models import ContactEmail
from acvs.mailing.models import Answer
from acvs.mailing.verp import Bounce
from acvs.network.models import Office

PER_OFFICE = 6
REPORTS = [
    (True, "5.1.1", "smtp; 550 5.1.1 <{to}>: Recipient address rejected: User unknown in virtual mailbox table"),
    (True, "5.1.2", "smtp; 550 5.1.2 Host unknown: domain name not found"),
    (False, "4.2.2", "smtp; 452 4.2.2 The email account that you tried to reach is over quota"),
]


def fill(rng: random.Random, offices: dict[str, Office]) -> int:
    """Bounce a few answers per office whose visitor is a contact with an email; returns how many."""
    count = 0
    for office in offices.values():
        answers = list(
            Answer.objects.filter(visitor_request__office=office, visitor_request__contact_link__isnull=False)
            .select_related("visitor_request__contact_link")
            .order_by("-sent_at")[: PER_OFFICE * 4]
        )
        for answer in rng.sample(answers, min(PER_OFFICE, len(answers))):
            address = ContactEmail.objects.filter(contact=answer.visitor_request.contact_link.contact_id).first()
            if address is None:
                continue
            hard, status, diagnostic = rng.choice(REPORTS)
            bounce = Bounce(address=address.email, hard=hard, status=status, diagnostic=diagnostic.format(to=address))
            answer.to = address.email
            answer.bounced_at = answer.sent_at + datetime.timedelta(minutes=rng.randint(1, 90))
            answer.bounce_reason = contact_services.bounce_reason(bounce)
            answer.save(update_fields=["to", "bounced_at", "bounce_reason"])
            contact_services.record_bounce(office=office, address=address.email, bounce=bounce)
            count += 1
    return count
