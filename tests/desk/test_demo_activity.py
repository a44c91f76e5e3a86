"""The demo's counter activity: two years of hourly counts and requests for every office, plausible and fast."""

import datetime
import random

import pytest
from django.db import transaction
from django.db.models import Count, Sum

from acvs.demo import desk as demo_desk
from acvs.demo import documentation as demo_documentation
from acvs.demo import network
from acvs.desk.models import OPEN_STATUSES, Channel, Origin, RequestStatus, Suggestion, VisitorCount, VisitorRequest
from acvs.documentation.models import Movement, MovementKind
from tests.factories import OfferFactory

# The module loads the demo once: under pytest-xdist its tests stay in one process.
pytestmark = pytest.mark.xdist_group("demo-desk")

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
        summary = demo_desk.fill(random.Random(2026), offices, users, today=TODAY, years=2)
        yield offices, summary
        transaction.set_rollback(True)


@pytest.fixture
def season(loaded, db):
    return loaded


def test_every_office_has_two_years_of_counts_and_requests(season):
    offices, loaded = season
    assert loaded["requests"] == VisitorRequest.objects.count() > 10_000
    for slug, office in offices.items():
        if office.kind == office.Kind.UNION:
            assert not VisitorCount.objects.filter(office=office).exists()
            continue
        months = VisitorCount.objects.filter(office=office).dates("hour", "month")
        assert len(months) == 25, slug  # December two years ago to this December
        assert VisitorRequest.objects.filter(office=office).exists(), slug
    # A seaside office: August is much busier than January.
    cavalaire = offices["cavalaire"]
    mine = VisitorCount.objects.filter(office=cavalaire)
    months = {m: mine.filter(hour__year=2026, hour__month=m).aggregate(n=Sum("count"))["n"] for m in (1, 8)}
    assert months[8] > 4 * months[1] > 0
    # The year before is there to compare with, a little quieter.
    years = {y: mine.filter(hour__year=y, hour__month__in=(1, 8)).aggregate(n=Sum("count"))["n"] for y in (2025, 2026)}
    assert 0.8 * years[2026] < years[2025] < years[2026]


def test_requests_look_like_a_counter_s(season):
    offices, _loaded = season
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
    # The network's newest ones (an office may have had none in its last two December days) wait for an agent.
    newest = VisitorRequest.objects.filter(
        received_at__date__gte=TODAY - datetime.timedelta(days=1), due_date__isnull=False
    )
    assert set(newest.values_list("status", flat=True)) == {RequestStatus.TO_HANDLE}
    # The brochures handed out at the counter went with a walk-in of that day.
    handed = Movement.objects.filter(office=cavalaire, kind=MovementKind.HANDED_OUT)
    assert handed.filter(visitor_request__isnull=False).count() == handed.count() > 0
    # Each request came in during its office's life, not at load time.
    assert mine.order_by("created_at").first().created_at.date() < TODAY - datetime.timedelta(days=300)
