"""A small network for every test: two Var offices, one office in Alpes-de-Haute-Provence, the CDT, each role."""

import os
from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.commands import flush
from django.db import connection, transaction
from django.utils import translation
from django_scopes import scopes_disabled

from acvs.network.models import Commune, Department, Membership, Office, Role, User
from acvs.offer.models import Feature, Label, OfferType
from tests.workers import DATABASE_TASKS, IMMEDIATE_TASKS, ProcessWorker, ThreadWorker

PASSWORD = "acvs-test-password"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_reference", stdout=open(os.devnull, "w"))  # noqa: SIM115


def kept_tables() -> set[str]:
    """What no test writes and every test reads: every French commune, the DATAtourisme types, labels and features,
    and Django's content types and permissions."""
    models = [Department, Commune, OfferType, Label, Feature, ContentType, Permission]
    through = [OfferType.parents.through, OfferType.ancestors.through]
    return {model._meta.db_table for model in models + through}


@pytest.fixture(scope="session", autouse=True)
def _flush_keeps_reference_data():
    """Transactional tests (browser journeys, workers, concurrency) empty the database after each test. Loading the
    reference data again took seconds each time, a quarter of the suite: the flush leaves those tables alone."""
    kept = kept_tables()

    def sql_flush(style, connection, reset_sequences=True, allow_cascade=False):
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        tables = [table for table in tables if table not in kept]
        return connection.ops.sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)

    with mock.patch.object(flush, "sql_flush", sql_flush):
        yield


@pytest.fixture(scope="session", autouse=True)
def _tests_see_every_office():
    """Tests build and inspect the rows of several offices directly, outside any tenancy scope.

    The code under test is scoped as in production: every request by the office middleware (test client and
    browser alike), every task by `run_job`. Tests of tenancy itself enter a scope (`scope_for`, or `scope()` for
    none at all), which overrides this.
    """
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def fast_tests(settings):
    # The default hasher costs tenths of a second per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Otherwise WhiteNoise scans every static file each time a test client builds its middleware.
    settings.WHITENOISE_AUTOREFRESH = True
    # Work enqueued on commit runs at once, in the committing thread, unless the test starts a real worker
    # (`task_worker`, `worker_process`): those switch to the database backend of production.
    settings.TASKS = IMMEDIATE_TASKS
    cache.clear()
    # A request made by the test client leaves its language active in this thread: start each test in French.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def task_worker(transactional_db, settings):
    """A real worker (the loop of `manage.py db_worker`) in a thread, on the database backend."""
    settings.TASKS = DATABASE_TASKS
    worker = ThreadWorker().start()
    yield worker
    worker.stop()


@pytest.fixture
def worker_process(transactional_db, settings, tmp_path):
    """Starts `manage.py db_worker` processes on demand (`.start()`, `.crash()`); set mail and media first."""
    settings.TASKS = DATABASE_TASKS
    started = []

    class Factory:
        def start(self):
            worker = ProcessWorker(tmp_path / f"worker-{len(started)}.log").start()
            started.append(worker)
            return worker

    yield Factory()
    for worker in started:
        worker.stop()


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
