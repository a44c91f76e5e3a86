"""The demo's web-form subscriptions: per office, a few visitors subscribed from its public page; most confirmed
from the emailed link, some still awaiting it, a few never confirmed in time (they count as not consented)."""

import datetime
import random

from django.utils import timezone, translation

from acvs.contacts.forms import newsletter_wording
from acvs.contacts.models import ConfirmationMail, ConsentEvent, ConsentMethod, Contact, Purpose
from acvs.network.models import Office

PER_OFFICE = 12
CONFIRMED, PENDING = 0.6, 0.25  # the rest: expired


def fill(rng: random.Random, offices: dict[str, Office]) -> dict:
    now = timezone.now()
    totals = {"confirmed": 0, "pending": 0, "expired": 0}
    for office in offices.values():
        if office.kind == Office.Kind.UNION:
            continue
        known = list(
            Contact.objects.filter(office=office, emails__isnull=False, consents__isnull=True)
            .order_by("pk")
            .values_list("pk", "language", "emails__email")[:200]
        )
        for pk, language, email in rng.sample(known, min(PER_OFFICE, len(known))):
            lang = language if language in ("fr", "en") else "en"
            roll = rng.random()
            state = "confirmed" if roll < CONFIRMED else "pending" if roll < CONFIRMED + PENDING else "expired"
            days = rng.randint(1, 5) if state == "pending" else rng.randint(9, 60)
            asked = now - datetime.timedelta(days=days, minutes=rng.randint(0, 600))
            with translation.override(lang):
                text = newsletter_wording(office)
            pending = ConsentEvent.objects.create(
                office=office, contact_id=pk, purpose=Purpose.NEWSLETTER, given=True, at=asked,
                method=ConsentMethod.FORM, text=text, pending=True,
            )  # fmt: skip
            mail = ConfirmationMail.objects.create(office=office, event=pending, email=email, language=lang)
            ConfirmationMail.objects.filter(pk=mail.pk).update(created_at=asked, sent_at=asked)
            if state == "confirmed":
                ConsentEvent.objects.create(
                    office=office, contact_id=pk, purpose=Purpose.NEWSLETTER, given=True,
                    at=asked + datetime.timedelta(minutes=rng.randint(2, 2000)), method=ConsentMethod.FORM,
                    text=text, confirmation_mail=mail,
                    origin=f"Lien envoyé à {email} (courriel n° {mail.pk})",
                )  # fmt: skip
            totals[state] += 1
    return totals
