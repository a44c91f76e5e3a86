"""Several counters hand out the same brochures at the same moment: totals stay exact and never negative.

Runs on SQLite (immediate write transactions queue) and on PostgreSQL (row locks taken by the conditional UPDATE).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from acvs.core.tenancy import scope_for
from acvs.documentation import services
from acvs.documentation.models import Document, Movement, MovementKind, Place, Stock
from acvs.network.models import Role
from tests.conftest import make_user, membership

THREADS = 4
PER_THREAD = 10


def run_in_threads(work, args_list, office=None):
    """Each thread acts as a request of `office` would: in its scope (a new thread starts outside any scope)."""
    barrier = threading.Barrier(len(args_list))
    errors = []

    def target(*args):
        try:
            barrier.wait()
            with scope_for(office=office):
                work(*args)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()  # this thread's connection, so that the test database can be dropped

    threads = [threading.Thread(target=target, args=args) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return errors


@pytest.fixture
def counters(cavalaire):
    return [make_user(f"counter{i}", cavalaire, Role.AGENT) for i in range(THREADS)]


def stock(office, document) -> int:
    return Stock.objects.get(office=office, document=document, place=Place.COUNTER).quantity


@pytest.mark.django_db(transaction=True)
def test_simultaneous_handouts_never_take_more_than_the_stock(cavalaire, cdt_var, counters):
    guide = Document.objects.create(title="Guide des hébergements", publisher=cdt_var, managed_by=cdt_var)
    initial = 30  # less than the 40 copies asked for in all
    services.movement_record(
        membership=membership(counters[0]), document=guide, kind=MovementKind.RECEIVED, quantity=initial,
        place=Place.COUNTER,
    )  # fmt: skip
    done, refused = [], []
    lock = threading.Lock()

    def hand_out(user):
        acting = membership(user)
        for _ in range(PER_THREAD):
            try:
                services.handout(membership=acting, lines={guide: 1})
            except ValidationError:
                outcome = refused
            else:
                outcome = done
            with lock:
                outcome.append(user.pk)

    assert run_in_threads(hand_out, [(u,) for u in counters], office=cavalaire) == []
    assert len(done) == initial
    assert len(refused) == THREADS * PER_THREAD - initial
    assert stock(cavalaire, guide) == 0
    handed = Movement.objects.filter(document=guide, kind=MovementKind.HANDED_OUT)
    assert handed.count() == initial
    # Every balance is exact: each one-copy hand-out left one less, none twice the same, none negative.
    assert sorted(handed.values_list("balance_after", flat=True)) == list(range(initial))


@pytest.mark.django_db(transaction=True)
def test_simultaneous_handouts_and_receptions_keep_exact_totals(cavalaire, cdt_var, counters):
    guide = Document.objects.create(title="Guide des hébergements", publisher=cdt_var, managed_by=cdt_var)
    map_ = Document.objects.create(title="Carte du Verdon", publisher=cdt_var, managed_by=cdt_var)
    for doc in (guide, map_):
        services.movement_record(
            membership=membership(counters[0]), document=doc, kind=MovementKind.RECEIVED, quantity=100,
            place=Place.COUNTER,
        )  # fmt: skip

    def work(user, index):
        acting = membership(user)
        for _ in range(PER_THREAD):
            if index % 2:
                # Lines in opposite orders from one thread to the next: no deadlock either.
                services.handout(membership=acting, lines={map_: 2, guide: 1})
            else:
                services.handout(membership=acting, lines={guide: 1, map_: 2})
                services.movement_record(
                    membership=acting, document=guide, kind=MovementKind.RECEIVED, quantity=1, place=Place.COUNTER
                )

    assert run_in_threads(work, [(u, i) for i, u in enumerate(counters)], office=cavalaire) == []
    receptions = (THREADS // 2) * PER_THREAD
    assert stock(cavalaire, guide) == 100 - THREADS * PER_THREAD + receptions
    assert stock(cavalaire, map_) == 100 - 2 * THREADS * PER_THREAD
    for doc in (guide, map_):
        moves = list(Movement.objects.filter(document=doc).order_by("pk"))
        # Each write holds the stock row until it commits and records its movement meanwhile: replayed in order,
        # the movements give every recorded balance exactly, and the final stock.
        balance = 0
        for m in moves:
            balance += m.quantity
            assert m.balance_after == balance >= 0
        assert balance == stock(cavalaire, doc)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_edits_of_a_document_save_exactly_one(cavalaire, counters):
    from acvs.core.exceptions import ConflictError

    doc = Document.objects.create(title="Plan de Cavalaire", publisher=cavalaire, managed_by=cavalaire)
    opened = doc.version
    saved, conflicts, lock = [], [], threading.Lock()

    def edit(user):
        try:
            services.document_update(
                membership=membership(user), document=doc, version=opened, fields={"title": f"Plan ({user.username})"}
            )
        except ConflictError:
            outcome = conflicts
        else:
            outcome = saved
        with lock:
            outcome.append(user.username)

    assert run_in_threads(edit, [(u,) for u in counters], office=cavalaire) == []
    assert (len(saved), len(conflicts)) == (1, THREADS - 1)
    doc.refresh_from_db()
    assert (doc.title, doc.version) == (f"Plan ({saved[0]})", opened + 1)
