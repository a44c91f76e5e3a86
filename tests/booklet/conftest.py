import asyncio
import datetime
import socket
import threading
from decimal import Decimal

import pytest
from aiosmtpd.controller import Controller
from django.utils import translation

from acvs.booklet import services
from acvs.offer.models import OfferPhoto, OpeningPeriod, Price
from tests.conftest import membership
from tests.desk.conftest import make_request  # noqa: F401 — fixture, for the booklet tests
from tests.factories import OfferFactory


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids); other tests may leave French active."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings):
    """Pages in English: the assertions read the msgids, whatever the French catalogue holds."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smtp_mailers(port: int) -> dict:
    """The test environment swaps every mailer for locmem: put a real SMTP one back."""
    backend = "django.core.mail.backends.smtp.EmailBackend"
    return {"default": {"BACKEND": backend, "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5}}}


class Collector:
    """An aiosmtpd handler keeping every message it accepts.

    `refuse_rcpt` / `refuse` (e.g. "550 ...") answer RCPT / DATA with a refusal. With `hold`, a message is kept but
    the answer to DATA waits until `release` is set: the sender is left not knowing whether it went through. It
    offers PIPELINING, as the common relays do, unless `pipelining` is turned off.
    """

    def __init__(self):
        self.envelopes = []
        self.refuse = None
        self.refuse_rcpt = None
        self.hold = False
        self.release = threading.Event()
        self.pipelining = True

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return self.refuse
        self.envelopes.append(envelope)
        while self.hold and not self.release.is_set():
            await asyncio.sleep(0.02)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on localhost; Django's mail settings point at it."""
    handler = Collector()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = smtp_mailers(port)
    handler.port = port
    try:
        yield handler
    finally:
        handler.release.set()
        controller.stop()


@pytest.fixture
def closed_smtp(settings):
    """Mail settings pointing at a port where nothing listens."""
    port = free_port()
    settings.MAILERS = smtp_mailers(port)
    return port


def add_photo(offer, media_root, colour=(30, 120, 160)):
    from PIL import Image

    folder = media_root / "offers" / "photos" / "test"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"offer-{offer.pk}.png"
    Image.new("RGB", (960, 640), colour).save(path)
    return OfferPhoto.objects.create(offer=offer, image=f"offers/photos/test/{path.name}", credit="Test", position=0)


@pytest.fixture
def offers(cavalaire, media):
    """Three offers: one with English texts, a period and a price in July 2026, one French only, one with a website."""
    beach = OfferFactory(
        owner_office=cavalaire,
        name="Plage de Bonporteau",
        short_description_fr="Une crique abritée aux eaux turquoise.",
        short_description_en="A sheltered cove with turquoise water.",
        website="https://bonporteau.example",
    )
    OpeningPeriod.objects.create(
        offer=beach,
        start_date=datetime.date(2026, 6, 1),
        end_date=datetime.date(2026, 9, 30),
        weekdays=[0, 1, 2, 3, 4, 5, 6],
    )
    Price.objects.create(offer=beach, label="Parking", min_amount=Decimal("5.00"), unit=Price.Unit.FLAT)
    museum = OfferFactory(
        owner_office=cavalaire,
        name="Musée de la Mer",
        short_description_fr="Les épaves de la baie racontées aux enfants.",
    )
    OpeningPeriod.objects.create(
        offer=museum,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 3, 31),
        weekdays=[2],
    )
    walk = OfferFactory(
        owner_office=cavalaire,
        name="Sentier du Littoral",
        short_description_fr="Balade sur le sentier des douaniers.",
        short_description_en="A walk along the customs officers’ path.",
    )
    add_photo(beach, media)
    return [beach, museum, walk]


@pytest.fixture
def booklet(agent, offers):
    b = services.booklet_create(membership=membership(agent), title="Séjour à Cavalaire")
    for offer in offers:
        services.item_add(membership=membership(agent), booklet=b, offer=offer)
    return b


@pytest.fixture(autouse=True)
def drawn_map(settings):
    """No tile server: the drawn map (a test of the tiles starts its own server)."""
    settings.ACVS_MAP_TILES_URL = ""
