import datetime
import random

import pytest
from django.utils import timezone, translation

from acvs.booklet.models import Booklet
from acvs.desk.models import Channel, Outcome, Profile, Theme, VisitorCount, VisitorRequest
from acvs.desk.reference import ensure_themes
from acvs.documentation.models import Document, Movement, MovementKind, Place
from acvs.network.models import Department
from acvs.offer.models import OfferType


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def themes(db):
    ensure_themes(Theme)
    return list(Theme.objects.all())


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), timezone.get_current_timezone())


def raw_request(office, received, **fields) -> VisitorRequest:
    """A request written as the demo loader does (bulk, no service: no activity mark)."""
    base = {"origin": "abroad", "country": "DE", "adults": 2, "children": 0, "language": "de"}
    base.update(fields)
    return VisitorRequest.objects.create(office=office, received_at=received, **base)


def random_activity(rng: random.Random, offices, first: datetime.date, days: int, requests: int) -> None:
    """Requests with every dimension drawn at random (times near midnight included), and hourly counts."""
    departments = list(Department.objects.filter(code__in=["83", "04", "75", "13", "69"]))
    types = list(OfferType.objects.filter(code__in=["Hotel", "Camping", "Restaurant", "Museum", "Event"]))
    themes = list(Theme.objects.all())
    for _n in range(requests):
        day = first + datetime.timedelta(days=rng.randrange(days))
        received = at(day, rng.choice([0, 9, 12, 18, 23]), rng.randrange(60))
        fields = {
            "channel": rng.choice(Channel.values),
            "profile": rng.choice(["", *Profile.values]),
            "outcome": rng.choice(Outcome.values),
            "language": rng.choice(["fr", "en", "de", "it"]),
            "adults": rng.randrange(1, 5),
            "children": rng.randrange(0, 3),
        }
        if rng.random() < 0.1:
            fields.update(is_group=True, group_size=rng.randrange(10, 40))
        if rng.random() < 0.6:  # a stay: its first day may be before the request (already begun), its last too
            start = day + datetime.timedelta(days=rng.choice([-2, 0, 0, 1, 5, 20, 45, 120]))
            fields["stay_start"] = start
            if rng.random() < 0.8:
                fields["stay_end"] = start + datetime.timedelta(days=rng.choice([0, 1, 2, 3, 6, 10, 20]))
        if rng.random() < 0.5:
            fields.update(origin="france", country="", department=rng.choice(departments))
        else:
            fields.update(origin="abroad", country=rng.choice(["DE", "GB", "BE", "IT", "US"]))
        request = raw_request(rng.choice(offices), received, **fields)
        request.themes.set(rng.sample(themes, rng.randrange(0, 3)))
        request.requested_types.set(rng.sample(types, rng.randrange(0, 3)))
        request.missing_types.set(rng.sample(types, rng.randrange(0, 2)))
    documents = [
        Document.objects.create(title=title, publisher=offices[0], managed_by=offices[0])
        for title in ("Guide du Var", "Carte des sentiers")
    ]
    movements, booklets = [], []
    for office in offices:
        for _n in range(days):
            when = at(first + datetime.timedelta(days=rng.randrange(days)), rng.choice([0, 11, 23]), rng.randrange(60))
            kind = rng.choice([MovementKind.HANDED_OUT, MovementKind.HANDED_OUT, MovementKind.POSTED])
            movements.append(
                Movement(
                    office=office, document=rng.choice(documents), place=Place.COUNTER, kind=kind,
                    quantity=-rng.randrange(1, 4), balance_after=0, at=when,
                )
            )  # fmt: skip
        for _n in range(days // 4):
            made = at(first + datetime.timedelta(days=rng.randrange(days)), rng.choice([0, 15, 23]), rng.randrange(60))
            opened = made + datetime.timedelta(hours=rng.randrange(1, 72)) if rng.random() < 0.6 else None
            booklets.append((office, made, opened))
    Movement.objects.bulk_create(movements)
    for office, made, opened in booklets:
        booklet = Booklet.objects.create(office=office, title="Séjour")
        Booklet.objects.filter(pk=booklet.pk).update(created_at=made, first_opened_at=opened)  # auto_now_add
    VisitorCount.objects.bulk_create(
        [
            VisitorCount(office=office, hour=at(first + datetime.timedelta(days=d), hour), count=rng.randrange(0, 30))
            for office in offices
            for d in range(0, days, 3)
            for hour in (0, 10, 23)
        ]
    )
