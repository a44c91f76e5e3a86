import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from acvs.campaigns import services
from acvs.campaigns.models import Block
from acvs.contacts import services as contact_services
from acvs.contacts.services import ContactData
from acvs.desk.models import Theme
from acvs.desk.reference import ensure_themes
from tests.booklet.conftest import client, closed_smtp, english, free_port, smtp  # noqa: F401
from tests.conftest import membership

SITE = "http://testserver"


@pytest.fixture(autouse=True)
def themes(db):
    ensure_themes(Theme)


def jpeg(size=(2400, 1600), name="port.png", fmt="PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 160)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def person(agent, name, email, *, consent=True, language="fr", purpose="newsletter", country="DE"):
    m = membership(agent)
    contact = contact_services.contact_create(
        membership=m, data=ContactData(fields={"name": name, "language": language, "country": country},
                                       emails=[email] if email else [])
    )  # fmt: skip
    if consent is not None:
        contact_services.consent_record(
            membership=m, contact=contact, purpose=purpose, given=consent, text="Oui.", face_to_face=True
        )
    return contact


@pytest.fixture
def segment(agent):
    return contact_services.segment_save(membership=membership(agent), name="Allemands", criteria={"country": "DE"})


@pytest.fixture
def campaign(agent, segment, media):
    m = membership(agent)
    campaign = services.campaign_save(
        membership=m, campaign=None, name="Printemps", purpose="newsletter",
        subjects={"fr": "Le printemps à {office_name}", "en": "Spring in {office_name}"}, segments=[segment],
    )  # fmt: skip
    for lang, title in (("fr", "Bonjour {name}"), ("en", "Hello {name}")):
        services.block_save(membership=m, campaign=campaign, block=None, language=lang, kind=Block.Kind.TITLE,
                            text=title)  # fmt: skip
        services.block_save(membership=m, campaign=campaign, block=None, language=lang, kind=Block.Kind.TEXT,
                            text="Le marché revient.\nÀ bientôt.")  # fmt: skip
        services.block_save(membership=m, campaign=campaign, block=None, language=lang, kind=Block.Kind.BUTTON,
                            text="Programme", url="https://cavalaire.example/programme")  # fmt: skip
    return campaign


def soon(minutes=60):
    return timezone.now() + datetime.timedelta(minutes=minutes)
