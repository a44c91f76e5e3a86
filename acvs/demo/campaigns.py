"""The demo's campaigns: for a few offices, a newsletter sent last spring (its recipients, a few refusals, the opens
and clicks of the following days), one planned in the coming weeks and a draft; all to a segment of the contacts who
accepted the newsletter. Each départemental committee sent one campaign to the contacts of its offices who accepted
the network's communications (its page shows counts, never their names)."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from acvs.campaigns import selectors, tasks
from acvs.campaigns.models import Block, Campaign, Event, Recipient
from acvs.contacts.models import ConsentEvent, Purpose, Segment
from acvs.network.models import Office
from acvs.offer.models import Offer

OFFICES = ("cavalaire", "greoux-les-bains", "barcelonnette")
COMMITTEES = {"var-tourisme": "Le Var hors saison", "ahp-tourisme": "Les Alpes-de-Haute-Provence en automne"}
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


def _recipients(rng: random.Random, campaign: Campaign, at: datetime.datetime) -> list[Recipient]:
    """Its audience as the worker would have listed it at sending time (today's, less those who consented later):
    one in thirty refused by the receiving server, one in thirty come back later as a bounce."""
    statuses = [Recipient.Status.SENT] * 28 + [Recipient.Status.FAILED, Recipient.Status.BOUNCED]
    consented = ConsentEvent.objects.filter(purpose=campaign.purpose, given=True)
    later = set(
        consented.filter(at__gt=at).exclude(contact__in=consented.filter(at__lte=at).values("contact"))
        .values_list("contact", flat=True)
    )  # fmt: skip
    rows = []
    for contact, email, _language in selectors.audience(campaign).recipients:
        if contact in later:
            continue
        status = rng.choice(statuses)
        rows.append(
            Recipient(
                campaign=campaign, contact_id=contact, email=email, language="fr", status=status,
                sent_at=None if status == Recipient.Status.FAILED else at,
                error="" if status == Recipient.Status.SENT else "550 5.1.1 Adresse inconnue",
            )
        )  # fmt: skip
    Recipient.objects.bulk_create(rows)
    return [r for r in rows if r.status == Recipient.Status.SENT]


def _committees(rng: random.Random, offices: dict[str, Office], users: dict[str, list]) -> int:
    # Two months ago: most of the season's consents were given by then.
    sent_at = (timezone.now() - datetime.timedelta(days=60)).replace(hour=9, minute=30, second=0, microsecond=0)
    made = 0
    for slug, name in COMMITTEES.items():
        office = offices.get(slug)
        if office is None:
            continue
        author = next((u for u in users.get(slug, []) if u.username.startswith("cdt.")), None)
        offers = list(
            Offer.objects.filter(owner_office__department=office.department_id, status="published").order_by("name")[:3]
        )
        sent = Campaign.objects.create(
            office=office, name=name, subjects={"fr": name}, reach=Campaign.Reach.DEPARTMENT,
            purpose=Purpose.NETWORK, status=Campaign.Status.SENT, scheduled_at=sent_at, started_at=sent_at,
            finished_at=sent_at + datetime.timedelta(minutes=6), site_url=SITE, created_by=author,
            cost=Decimal("1200.00"),
        )  # fmt: skip
        _blocks(sent, "Bonjour {name},", "Villages perchés, sentiers et tables de saison : partez quand les autres "
                "rentrent.", offers)  # fmt: skip
        _reactions(rng, sent, _recipients(rng, sent, sent_at), offers)
        made += 1
    return made


def fill(rng: random.Random, offices: dict[str, Office], users: dict[str, list]) -> int:
    now = timezone.now()
    today = timezone.localdate()  # the last spring, within the season of requests
    spring = timezone.make_aware(datetime.datetime(today.year - (today.month < 5), 4, 15, 10, 0))
    made = _committees(rng, offices, users)
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
        _reactions(rng, sent, _recipients(rng, sent, spring), offers)
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
