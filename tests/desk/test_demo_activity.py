"""The demo's counter activity: a year of hourly counts and requests for every office, plausible and fast."""

import datetime
import random
import time

import pytest
from django.db import transaction
from django.db.models import Count, Sum

from acvs.demo import desk as demo_desk
from acvs.demo import documentation as demo_documentation
from acvs.demo import network
from acvs.desk.models import OPEN_STATUSES, Channel, Origin, RequestStatus, Suggestion, VisitorCount, VisitorRequest
from acvs.documentation.models import Movement, MovementKind
from tests.factories import OfferFactory

TODAY = datetime.date(2026, 12, 3)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Loaded once for the module in a transaction rolled back at the end (each test runs in a savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        offices = network.create_offices()
        users = network.create_users(random.Random(1), offices)
        demo_documentation.fill(random.Random(2026), offices, users)
        for types in (["Hotel"], ["Hotel"], ["Camping"], ["Restaurant"], ["Museum"]):
            OfferFactory(owner_office=offices["cavalaire"], types=types)
        start = time.perf_counter()
        summary = demo_desk.fill(random.Random(2026), offices, users, today=TODAY)
        yield offices, summary, time.perf_counter() - start
        transaction.set_rollback(True)


@pytest.fixture
def season(loaded, db):
    return loaded


def test_every_office_has_a_year_of_counts_and_requests(season):
    offices, loaded, seconds = season
    # Bulk inserts: about 12 s on SQLite on a busy 2-core machine (model instances and bulk_create took 100 s).
    assert seconds < 90, seconds
    assert loaded["requests"] == VisitorRequest.objects.count() > 10_000
    for slug, office in offices.items():
        if office.kind == office.Kind.UNION:
            assert not VisitorCount.objects.filter(office=office).exists()
            continue
        months = VisitorCount.objects.filter(office=office).dates("hour", "month")
        assert len(months) == 13, slug  # December last year to this December
        assert VisitorRequest.objects.filter(office=office).exists(), slug
    # A seaside office: August is much busier than January.
    cavalaire = offices["cavalaire"]
    mine = VisitorCount.objects.filter(office=cavalaire)
    months = {m: mine.filter(hour__year=2026, hour__month=m).aggregate(n=Sum("count"))["n"] for m in (1, 8)}
    assert months[8] > 4 * months[1] > 0


def test_requests_look_like_a_counter_s(season):
    offices, _loaded, _seconds = season
    cavalaire = offices["cavalaire"]
    mine = VisitorRequest.objects.filter(office=cavalaire)
    channels = dict(mine.values_list("channel").annotate(n=Count("pk")))
    assert channels[Channel.COUNTER] > channels[Channel.PHONE] > channels[Channel.EMAIL] > channels[Channel.MAIL] > 0
    assert set(channels) == set(Channel.values)
    abroad = mine.filter(origin=Origin.ABROAD).count() / mine.count()
    assert 0.25 < abroad < 0.35
    assert mine.filter(country="DE").count() > mine.filter(country="ES").count()
    assert mine.exclude(profile="").count() == mine.count()
    assert mine.filter(themes__isnull=False).distinct().count() > mine.count() / 2
    assert mine.filter(requested_types__isnull=False).distinct().count() > mine.count() / 2
    assert mine.filter(missing_types__isnull=False).exists()
    assert Suggestion.objects.filter(visitor_request__office=cavalaire).exists()
    # The written requests of the last days are still to answer, some past their due date.
    assert mine.filter(status__in=OPEN_STATUSES, due_date__lt=TODAY).exists()
    assert mine.filter(status=RequestStatus.TO_HANDLE, due_date__gte=TODAY).exists()
    # The brochures handed out at the counter went with a walk-in of that day.
    handed = Movement.objects.filter(office=cavalaire, kind=MovementKind.HANDED_OUT)
    assert handed.filter(visitor_request__isnull=False).count() == handed.count() > 0
    # Each request came in during its office's life, not at load time.
    assert mine.order_by("created_at").first().created_at.date() < TODAY - datetime.timedelta(days=300)
