import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from acvs.booklet import services
from acvs.booklet.models import Booklet, BookletItem, Branding
from acvs.core.exceptions import ConflictError
from acvs.desk import advice
from tests.conftest import membership

pytestmark = pytest.mark.django_db


def positions(booklet):
    return list(BookletItem.objects.filter(booklet=booklet).order_by("position").values_list("offer__name", flat=True))


def test_from_request_takes_its_suggestions_in_order_dates_language_and_email(agent, offers, make_request):
    request = make_request(
        language="en", stay_start=datetime.date(2026, 7, 10), stay_end=datetime.date(2026, 7, 17), name="Ann"
    )
    request.email = "ann@example.org"
    request.save()
    for offer in (offers[2], offers[0]):
        advice.suggestion_add(membership=membership(agent), visitor_request=request, offer=offer)

    booklet = services.booklet_create(membership=membership(agent), visitor_request=request)

    assert positions(booklet) == ["Sentier du Littoral", "Plage de Bonporteau"]
    assert (booklet.language, booklet.stay_start, booklet.stay_end) == ("en", request.stay_start, request.stay_end)
    assert booklet.recipient == "ann@example.org"
    assert booklet.office == request.office
    assert "Ann" in booklet.greeting
    assert len(booklet.token) >= 30


def test_a_request_in_an_unsupported_language_gives_an_english_booklet(agent, make_request):
    request = make_request(country="JP", language="ja")
    assert services.booklet_create(membership=membership(agent), visitor_request=request).language == "en"


def test_a_german_request_gives_a_german_booklet(agent, make_request):
    request = make_request()  # walk_in(): German family
    assert services.booklet_create(membership=membership(agent), visitor_request=request).language == "de"


def test_another_offices_request_is_refused(other_agent, make_request):
    request = make_request()
    with pytest.raises(PermissionDenied):
        services.booklet_create(membership=membership(other_agent), visitor_request=request)
    assert not Booklet.objects.exists()


def test_a_partner_cannot_build(partner):
    with pytest.raises(PermissionDenied):
        services.booklet_create(membership=membership(partner))


def test_items_move_up_and_down_and_take_a_day_and_a_note(agent, booklet, offers):
    m = membership(agent)
    items = {i.offer.name: i for i in booklet.items.select_related("offer")}
    services.item_move(membership=m, booklet=booklet, item_id=items["Sentier du Littoral"].pk, delta=-1)
    assert positions(booklet) == ["Plage de Bonporteau", "Sentier du Littoral", "Musée de la Mer"]
    services.item_move(membership=m, booklet=booklet, item_id=items["Plage de Bonporteau"].pk, delta=+1)
    assert positions(booklet) == ["Sentier du Littoral", "Plage de Bonporteau", "Musée de la Mer"]
    # Moving the first one up changes nothing.
    services.item_move(membership=m, booklet=booklet, item_id=items["Sentier du Littoral"].pk, delta=-1)
    assert positions(booklet) == ["Sentier du Littoral", "Plage de Bonporteau", "Musée de la Mer"]

    services.item_update(membership=m, booklet=booklet, item_id=items["Musée de la Mer"].pk, day=2, note=" Go early ")
    item = BookletItem.objects.get(pk=items["Musée de la Mer"].pk)
    assert (item.day, item.note) == (2, "Go early")
    with pytest.raises(ValidationError):
        services.item_update(membership=m, booklet=booklet, item_id=item.pk, day=0, note="")

    services.item_remove(membership=m, booklet=booklet, item_id=item.pk)
    assert positions(booklet) == ["Sentier du Littoral", "Plage de Bonporteau"]
    # Adding an offer already there keeps one row.
    services.item_add(membership=m, booklet=booklet, offer=offers[0])
    assert positions(booklet) == ["Sentier du Littoral", "Plage de Bonporteau"]


def test_another_office_cannot_touch_the_items(other_agent, booklet, offers):
    item = booklet.items.first()
    with pytest.raises(PermissionDenied):
        services.item_remove(membership=membership(other_agent), booklet=booklet, item_id=item.pk)
    with pytest.raises(PermissionDenied):
        services.item_add(membership=membership(other_agent), booklet=booklet, offer=offers[0])
    assert booklet.items.count() == 3


def test_update_refuses_a_stale_version(agent, manager, booklet):
    services.booklet_update(
        membership=membership(manager), booklet=booklet, version=booklet.version, data={"title": "By the manager"}
    )
    with pytest.raises(ConflictError):
        services.booklet_update(
            membership=membership(agent), booklet=booklet, version=booklet.version, data={"title": "By the agent"}
        )
    assert Booklet.objects.get(pk=booklet.pk).title == "By the manager"


def test_update_refuses_a_stay_ending_before_it_starts(agent, booklet):
    with pytest.raises(ValidationError):
        services.booklet_update(
            membership=membership(agent),
            booklet=booklet,
            version=booklet.version,
            data={"stay_start": datetime.date(2026, 7, 10), "stay_end": datetime.date(2026, 7, 1)},
        )


def test_branding_is_set_by_the_manager_not_the_agent(agent, manager, cavalaire):
    with pytest.raises(PermissionDenied):
        services.branding_update(membership=membership(agent), office=cavalaire, data={"primary_colour": "#112233"})
    with pytest.raises(ValidationError):
        services.branding_update(membership=membership(manager), office=cavalaire, data={"primary_colour": "red"})
    services.branding_update(
        membership=membership(manager),
        office=cavalaire,
        data={"primary_colour": "#AA2233", "default_layout": "magazine"},
    )
    branding = Branding.objects.get(office=cavalaire)
    assert (branding.primary_colour, branding.default_layout) == ("#aa2233", "magazine")
    # New booklets take the office's default layout.
    assert services.booklet_create(membership=membership(agent)).layout == "magazine"


def test_first_opening_is_recorded_once_and_not_for_the_office_previewing(agent, other_agent, booklet):
    assert services.record_first_opening(booklet=booklet, user=agent) is False
    assert Booklet.objects.get(pk=booklet.pk).first_opened_at is None
    assert services.record_first_opening(booklet=booklet, user=other_agent) is True
    first = Booklet.objects.get(pk=booklet.pk).first_opened_at
    assert first is not None
    assert services.record_first_opening(booklet=Booklet.objects.get(pk=booklet.pk), user=None) is False
    assert Booklet.objects.get(pk=booklet.pk).first_opened_at == first
