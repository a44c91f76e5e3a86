import datetime

import pytest
from django.utils import timezone, translation

from acvs.desk import services
from acvs.desk.models import Theme
from acvs.desk.reference import ensure_themes
from acvs.desk.services import RequestData
from acvs.network.models import Department
from tests.conftest import membership


@pytest.fixture(autouse=True)
def french():
    """Services write readable audit values in the active language; other tests may leave English active."""
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def themes(db):
    """The data migration's themes; transactional tests elsewhere may have flushed them."""
    ensure_themes(Theme)
    return {t.code: t for t in Theme.objects.all()}


def walk_in(**fields) -> RequestData:
    base = {"origin": "abroad", "country": "DE", "adults": 2, "children": 2, "language": "de", "outcome": "fully"}
    base.update(fields)
    return RequestData(fields=base)


def written(**fields) -> RequestData:
    base = {
        "channel": "email",
        "origin": "france",
        "department": Department.objects.get(code="83"),
        "adults": 1,
        "children": 0,
        "language": "fr",
        "outcome": "fully",
        "status": "to_handle",
    }
    base.update(fields)
    return RequestData(fields=base)


@pytest.fixture
def make_request(agent):
    def make(user=None, data=None, **fields):
        return services.request_create(membership=membership(user or agent), data=data or walk_in(**fields))

    return make


def monday() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday())
