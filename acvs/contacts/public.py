"""An office's public page (no log-in, framed in the office's website): a visitor subscribes to the newsletter or
sends a written request. Spam is kept out without a third-party captcha: a field people never see (honeypot), a
minimum time between serving the page and posting it (a signed timestamp), and a rate limit per client address."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from acvs.desk import services as desk_services
from acvs.desk.models import Channel
from acvs.network.logins import client_ip
from acvs.network.models import Office

from . import optin, selectors
from .models import ConsentEvent, ConsentMethod, Contact, ContactEmail, Purpose, RequestLink, Source
from .services import normalise_email

_SALT = "acvs.contacts.public"


# Spam guards -------------------------------------------------------------------------------------------------------


def embed_code(url: str, title: str) -> str:
    """The snippet an office pastes into its own website (that site's rules, not ours: it may style inline)."""
    return format_html(
        '<iframe src="{}" title="{}" style="width:100%;min-height:720px;border:0" loading="lazy"></iframe>', url, title
    )


def started_token() -> str:
    """Served with the form: when the page was made, signed so that a robot cannot backdate it."""
    return signing.dumps(time.time(), salt=_SALT)


def fill_time_error(token: str) -> str | None:
    """Why the post comes too soon, too late or without a genuine page, or None."""
    try:
        started = float(signing.loads(token, salt=_SALT, max_age=settings.ACVS_PUBLIC_FORM_MAX_AGE))
    except signing.SignatureExpired:
        return _("The page stayed open too long. Please check your message and send it again.")
    except (signing.BadSignature, TypeError, ValueError):
        return _("This form could not be checked. Please send it again.")
    if time.time() - started < settings.ACVS_PUBLIC_FORM_MIN_SECONDS:
        return _("The form was sent too quickly. Please check your message and send it again.")
    return None


def over_rate(request) -> bool:
    """Count one post from the client's address in the current hour; True beyond ACVS_PUBLIC_FORM_RATE."""
    key = f"acvs:contacts:public:{client_ip(request)}:{int(time.time() // 3600)}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > settings.ACVS_PUBLIC_FORM_RATE


# The submission ----------------------------------------------------------------------------------------------------


@dataclass
class Submission:
    """What the visitor typed, validated, with the exact words the page showed them."""

    name: str
    email: str
    language: str
    country: str
    commune: object
    department: object
    message: str
    newsletter: bool
    newsletter_text: str
    request_text: str


def _contact_for(office: Office, data: Submission) -> Contact:
    """The office's contact holding the address, else a new one. What a stranger types never overwrites what the
    office knows (anyone can type anyone's address): only a missing name is filled."""
    email = normalise_email(data.email)
    row = ContactEmail.objects.filter(office=office, email=email).select_related("contact").first()
    if row:
        contact = row.contact
        if not contact.name and data.name:
            contact.name = data.name
    else:
        contact = Contact.objects.create(
            office=office, source=Source.FORM, name=data.name, country=data.country, language=data.language,
            commune=data.commune, department=data.department,
        )  # fmt: skip
        ContactEmail.objects.create(office=office, contact=contact, email=email)
    contact.last_contact_at = timezone.now()
    contact.save()
    return contact


@transaction.atomic
def submit(*, office: Office, data: Submission, site_url: str) -> Contact:
    """Record the visitor's request (desk, channel web) and their contact, the consent to be answered (given by
    sending) and the newsletter's, pending until the emailed link confirms it."""
    now = timezone.now()
    if data.message:
        fields = {
            "channel": Channel.WEB, "received_at": now, "origin": "france" if data.country == "FR" else "abroad",
            "country": "" if data.country == "FR" else data.country, "department": data.department,
            "commune": data.commune, "postcode": "", "language": data.language, "name": data.name,
            "email": normalise_email(data.email), "message": data.message,
            "consent_newsletter": data.newsletter, "consent_contact": True,
        }  # fmt: skip
        visitor_request = desk_services.request_receive(office=office, data=desk_services.RequestData(fields=fields))
        contact = RequestLink.objects.select_related("contact").get(visitor_request=visitor_request).contact
        ConsentEvent.objects.create(
            office=office, contact=contact, purpose=Purpose.REQUEST, given=True, at=now, method=ConsentMethod.FORM,
            text=data.request_text,
        )  # fmt: skip
    else:
        contact = _contact_for(office, data)
    if data.newsletter and not selectors.consenting(Purpose.NEWSLETTER).filter(contact=contact).exists():
        event = ConsentEvent.objects.create(
            office=office, contact=contact, purpose=Purpose.NEWSLETTER, given=True, at=now,
            method=ConsentMethod.FORM, text=data.newsletter_text, pending=True,
        )  # fmt: skip
        optin.ask(event=event, email=normalise_email(data.email), language=data.language, site_url=site_url)
    return contact
