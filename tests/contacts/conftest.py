import pytest
from django.utils import translation

from acvs.desk.models import Theme
from acvs.desk.reference import ensure_themes


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def themes(db):
    ensure_themes(Theme)
    return {t.code: t for t in Theme.objects.all()}
