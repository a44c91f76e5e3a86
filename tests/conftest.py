"""A small network for every test: two Var offices, one office in Alpes-de-Haute-Provence, the CDT, each role."""

import os
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction

from acvs.network.models import Commune, Department, Membership, Office, Role, User

PASSWORD = "acvs-test-password"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_reference", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def fast_tests(settings):
    # The default hasher costs tenths of a second per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Otherwise WhiteNoise scans every static file each time a test client builds its middleware.
    settings.WHITENOISE_AUTOREFRESH = True
    cache.clear()


@pytest.fixture(autouse=True)
def reference_data(request):
    """Transactional tests (browser journeys, concurrency) flush the database: load the reference data again."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("_django_db_helper")
        if not Department.objects.exists():
            call_command("load_reference", stdout=open(os.devnull, "w"))  # noqa: SIM115


def make_office(name, slug, department, communes, kind=Office.Kind.OT):
    office = Office.objects.create(name=name, slug=slug, kind=kind, department=department)
    office.territory.set(Commune.objects.filter(insee__in=communes))
    return office


def make_user(username, office, role, **extra):
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username.title(), **extra)
    Membership.objects.create(user=user, office=office, role=role)
    return user


@pytest.fixture
def var(db):
    return Department.objects.get(code="83")


@pytest.fixture
def ahp(db):
    return Department.objects.get(code="04")


@pytest.fixture
def cavalaire(var):
    # Cavalaire-sur-Mer
    return make_office("Office de tourisme de Cavalaire", "cavalaire", var, ["83036"])


@pytest.fixture
def croix_valmer(var):
    # La Croix-Valmer
    return make_office("Office de tourisme de La Croix-Valmer", "la-croix-valmer", var, ["83048"])


@pytest.fixture
def greoux(ahp):
    return make_office("Office de tourisme de Gréoux-les-Bains", "greoux-les-bains", ahp, ["04094"])


@pytest.fixture
def cdt_var(var):
    return make_office("Var Tourisme (CDT)", "cdt-var", var, [], kind=Office.Kind.CDT)


@pytest.fixture
def network_office(cdt_var):
    return cdt_var


@pytest.fixture
def agent(cavalaire):
    return make_user("agent", cavalaire, Role.AGENT)


@pytest.fixture
def manager(cavalaire):
    return make_user("manager", cavalaire, Role.MANAGER)


@pytest.fixture
def partner(cavalaire):
    return make_user("partner", cavalaire, Role.PARTNER)


@pytest.fixture
def other_agent(croix_valmer):
    return make_user("other", croix_valmer, Role.AGENT)


@pytest.fixture
def department_admin(cdt_var):
    return make_user("depadmin", cdt_var, Role.DEPARTMENT_ADMIN)


@pytest.fixture
def network_admin(cdt_var):
    return make_user("netadmin", cdt_var, Role.NETWORK_ADMIN)


@pytest.fixture
def ahp_agent(greoux):
    return make_user("greoux", greoux, Role.AGENT)


@contextmanager
def read_only():
    """Run the block in a transaction that cannot write, then roll it back: what runs in it must only read, as on a
    PostgreSQL read replica. PostgreSQL: SET TRANSACTION READ ONLY (what default_transaction_read_only = on gives
    every transaction; inside a test's transaction it applies to a savepoint and goes with it). SQLite: query_only.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET TRANSACTION READ ONLY")
            else:
                cursor.execute("PRAGMA query_only = ON")
        try:
            yield
        finally:
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA query_only = OFF")
            transaction.set_rollback(True)


def membership(user) -> Membership:
    return Membership.objects.select_related("office", "office__department", "user").get(user=user)


@pytest.fixture(scope="session", autouse=True)
def _remove_sqlite_side_files():
    """SQLite's WAL side files outlive the test database Django deletes."""
    yield
    from pathlib import Path

    from django.conf import settings

    name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if name:
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
