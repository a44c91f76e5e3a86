import pytest
from django.utils import translation

from acvs.desk.models import Theme
from acvs.desk.reference import ensure_themes
from acvs.documentation import services
from acvs.documentation.models import Document, MovementKind, Place, Stock
from tests.conftest import membership


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids); other tests may leave French active."""
    with translation.override("en"):
        yield


@pytest.fixture
def themes(db):
    ensure_themes(Theme)
    return {t.code: t for t in Theme.objects.all()}


@pytest.fixture
def make_document(cdt_var):
    def make(title="Guide des hébergements du Var", publisher=None, **fields):
        defaults = {"language": "fr", "edition_year": 2026, "managed_by": publisher or cdt_var}
        if "publisher_name" not in fields:
            defaults["publisher"] = publisher or cdt_var
        defaults.update(fields)
        return Document.objects.create(title=title, **defaults)

    return make


@pytest.fixture
def guide(make_document):
    return make_document()


@pytest.fixture
def map_(make_document):
    return make_document("Carte des randonnées du golfe de Saint-Tropez", language="en")


def receive(user, document, quantity, place=Place.COUNTER):
    return services.movement_record(
        membership=membership(user), document=document, kind=MovementKind.RECEIVED, quantity=quantity, place=place
    )


def quantity(office, document, place=Place.COUNTER) -> int:
    row = Stock.objects.filter(office=office, document=document, place=place).first()
    return row.quantity if row else 0


@pytest.fixture
def make_request(agent):
    """A walk-in request recorded by `user` (the Cavalaire agent by default)."""
    from acvs.desk import services as desk_services
    from acvs.desk.services import RequestData

    def make(user=None):
        data = RequestData(
            fields={
                "origin": "abroad",
                "country": "DE",
                "adults": 2,
                "children": 1,
                "language": "de",
                "outcome": "fully",
            }  # fmt: skip
        )
        return desk_services.request_create(membership=membership(user or agent), data=data)

    return make


@pytest.fixture
def client(client, settings):
    """Pages in English: the assertions read the msgids, whatever the French catalogue holds."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
