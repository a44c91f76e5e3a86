import pytest
from django.db import transaction
from django.test.utils import override_settings

from tests.security.world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once per module in a transaction rolled back at its end; each test runs in a savepoint inside it."""
    media = tmp_path_factory.mktemp("media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast, MEDIA_ROOT=media), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
