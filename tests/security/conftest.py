import pytest
from django.db import transaction
from django.template import Template
from django.test.utils import _TestState, override_settings

from .world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once per module in a transaction rolled back at its end; each test runs in a savepoint inside it
    (pytest-django's own per-test transaction), so a test's changes never reach the next one."""
    media = tmp_path_factory.mktemp("media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast, MEDIA_ROOT=media), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def in_savepoint(db, world, settings, tmp_path):
    """Every test of this package runs in its own savepoint (`db`), uploads in its own folder."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def uninstrumented(monkeypatch):
    """Templates rendered without the test client's copies of their contexts (responses have no .context): tests
    that read hundreds of pages need answers, not contexts, and large forms render five times faster."""
    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)
