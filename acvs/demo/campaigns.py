"""The demo's campaigns: for a few offices, a newsletter sent last spring (its recipients, a few refusals, the opens
and clicks of the following days), one planned in the coming weeks and a draft; all to a segment of the contacts who
accepted the newsletter."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from acvs.campaigns import selectors, tasks
from acvs.campaigns.models import Block, Campaign, Event, Recipient
from acvs.contacts.models import Segment
from acvs.network.models import Office
from acvs.offer.models import Offer

OFFICES = ("cavalaire", "greoux-les-bains", "barcelonnette")
SITE = "http://127.0.0.1:8000"
BUTTON = "https://www.example.org/agenda"
# Shares of the delivered messages opened, and of the opened ones followed by a click: a tourist office's usual rates.
OPENED, CLICKED = 0.38, 0.22


def _blocks(campaign: Campaign, title: str, text: str, offers) -> None:
    rows = [
        Block(campaign=campaign, language="fr", position=0, kind=Block.Kind.TITLE, text=title),
        Block(campaign=campaign, language="fr", position=1, kind=Block.Kind.TEXT, text=text),
        Block(campaign=campaign, language="fr", position=2, kind=Block.Kind.OFFERS, text="Nos coups de cœur"),
        Block(
            campaign=campaign,
            language="fr",
            position=3,
            kind=Block.Kind.BUTTON,
            text="Tout le programme",
            url=BUTTON,
        ),  # fmt: skip
    ]
    Block.objects.bulk_create(rows)
    rows[2].offers.set(offers)


def _reactions(rng: random.Random, campaign: Campaign, delivered: list[Recipient], offers) -> None:
    """Opens within three days of the sending, then clicks on the button or an offer's website; as the tracking
    would have recorded them (every demo office measures its campaigns)."""
    links = [BUTTON, *(offer.website for offer in offers if offer.website)]
    events = []
    for recipient in delivered:
        if rng.random() >= OPENED:
            continue
        opened = campaign.started_at + datetime.timedelta(minutes=rng.randint(5, 3 * 24 * 60))
        events.append(Event(campaign=campaign, recipient=recipient, kind=Event.Kind.OPEN, at=opened))
        if rng.random() < CLICKED:
            at = opened + datetime.timedelta(seconds=rng.randint(10, 600))
            events.append(Event(campaign=campaign, recipient=recipient, kind=Event.Kind.CLICK, url=rng.choice(links),
                                at=at))  # fmt: skip
    Event.objects.bulk_create(events)


def fill(rng: random.Random, offices: dict[str, Office], users: dict[str, list]) -> int:
    now = timezone.now()
    spring = timezone.make_aware(datetime.datetime(timezone.localdate().year - 1, 4, 15, 10, 0))
    made = 0
    for slug in OFFICES:
        office = offices.get(slug)
        if office is None:
            continue
        author = users[slug][0] if users.get(slug) else None
        segment, _created = Segment.objects.get_or_create(
            office=office, name="Lettre d’information", defaults={"criteria": {"consent": "newsletter"}}
        )
        offers = list(Offer.objects.filter(owner_office=office, status="published").order_by("name")[:3])
        sent = Campaign.objects.create(
            office=office, name="Le printemps arrive", subjects={"fr": "Le printemps arrive à {office_name}"},
            status=Campaign.Status.SENT, scheduled_at=spring, started_at=spring,
            finished_at=spring + datetime.timedelta(minutes=4), site_url=SITE, created_by=author,
            cost=Decimal("450.00"),  # design and a purchased photo: the page shows the cost per return
        )  # fmt: skip
        sent.segments.set([segment])
        _blocks(sent, "Bonjour {name},", "Les marchés et les sentiers rouvrent : voici nos idées de sorties.", offers)
        # One in thirty refused by the receiving server, one in thirty come back later as a bounce.
        statuses = [Recipient.Status.SENT] * 28 + [Recipient.Status.FAILED, Recipient.Status.BOUNCED]
        rows = []
        for contact, email, _language in selectors.audience(sent).recipients:
            status = rng.choice(statuses)
            error = "" if status == Recipient.Status.SENT else "550 5.1.1 Adresse inconnue"
            rows.append(
                Recipient(
                    campaign=sent,
                    contact_id=contact,
                    email=email,
                    language="fr",
                    status=status,
                    sent_at=None if status == Recipient.Status.FAILED else spring,
                    error=error,
                )
            )
        Recipient.objects.bulk_create(rows)  # fmt: skip
        _reactions(rng, sent, [r for r in rows if r.status == Recipient.Status.SENT], offers)
        planned = Campaign.objects.create(
            office=office, name="Fête de l’été", subjects={"fr": "L’été à {office_name} : le programme"},
            status=Campaign.Status.SCHEDULED, site_url=SITE, created_by=author,
            scheduled_at=(now + datetime.timedelta(days=21)).replace(hour=9, minute=0, second=0, microsecond=0),
        )  # fmt: skip
        planned.segments.set([segment])
        _blocks(planned, "Bonjour {name},", "Concerts, marchés nocturnes et feux d’artifice : réservez vos soirées.",
                offers)  # fmt: skip
        tasks.enqueue_send(planned)
        draft = Campaign.objects.create(office=office, name="Automne (brouillon)",
                                        subjects={"fr": "Les couleurs de l’automne"}, created_by=author)  # fmt: skip
        draft.segments.set([segment])
        made += 3
    return made
