import pytest
from django.urls import reverse

from acvs.core.models import AuditEntry
from acvs.offer.models import Offer, OfferType
from tests.factories import OfferFactory


@pytest.fixture
def offer(cavalaire):
    return OfferFactory(name="Hôtel Le Bon Port", owner_office=cavalaire)


def form_payload(offer, **changes):
    payload = {
        "version": offer.version,
        "name": offer.name,
        "types": [t.pk for t in offer.types.all()],
        "status": offer.status,
        "short_description_fr": offer.short_description_fr,
        "commune": "Cavalaire-sur-Mer (83240)",
        "postcode": "83240",
        "latitude": offer.latitude,
        "longitude": offer.longitude,
        "periods-TOTAL_FORMS": 0,
        "periods-INITIAL_FORMS": 0,
        "prices-TOTAL_FORMS": 0,
        "prices-INITIAL_FORMS": 0,
    }
    payload.update(changes)
    return payload


def test_search_page_lists_offers_with_few_queries(client, agent, offer, django_assert_max_num_queries):
    OfferFactory.create_batch(25, owner_office=offer.owner_office)
    client.force_login(agent)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("offer:search"), {"q": "hôtel"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 26
    assert len(response.context["page"].object_list) == 20
    assert "Hôtel Le Bon Port" in response.content.decode()


def test_search_form_errors_are_shown_in_french(client, agent):
    client.force_login(agent)
    response = client.get(reverse("offer:search"), {"commune": "Atlantis", "radius": "10"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Commune inconnue" in body
    assert 'value="Atlantis"' in body


def test_detail_is_readable_by_any_office_but_editable_only_by_owner(client, offer, other_agent, agent):
    client.force_login(other_agent)
    response = client.get(reverse("offer:detail", args=[offer.pk]))
    assert response.status_code == 200
    assert response.context["can_change"] is False
    assert "Office de tourisme de Cavalaire" in response.content.decode()
    client.force_login(agent)
    assert client.get(reverse("offer:detail", args=[offer.pk])).context["can_change"] is True


def test_unknown_offer_is_404(client, agent):
    client.force_login(agent)
    assert client.get(reverse("offer:detail", args=[999999])).status_code == 404
    assert client.get(reverse("offer:edit", args=[999999])).status_code == 404


@pytest.mark.parametrize("user_fixture", ["other_agent", "partner", "ahp_agent"])
def test_others_cannot_edit_or_verify(client, request, offer, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("offer:edit", args=[offer.pk])).status_code == 403
    response = client.post(reverse("offer:edit", args=[offer.pk]), form_payload(offer, name="Hacked"))
    assert response.status_code == 403
    assert client.post(reverse("offer:verify", args=[offer.pk])).status_code == 403
    offer.refresh_from_db()
    assert (offer.name, offer.version, offer.verified_at) == ("Hôtel Le Bon Port", 1, None)
    assert not AuditEntry.objects.filter(object_id=offer.pk).exists()


def test_owner_edits_and_history_shows_the_change(client, agent, offer):
    client.force_login(agent)
    response = client.post(reverse("offer:edit", args=[offer.pk]), form_payload(offer, name="Hôtel Le Bon Port & Spa"))
    assert response.status_code == 302
    detail = client.get(reverse("offer:detail", args=[offer.pk])).content.decode()
    assert "Hôtel Le Bon Port &amp; Spa" in detail
    assert "<del>Hôtel Le Bon Port</del>" in detail


def test_department_admin_edits_offers_of_the_department(client, department_admin, offer):
    client.force_login(department_admin)
    response = client.post(reverse("offer:edit", args=[offer.pk]), form_payload(offer, name="Renamed"))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.name == "Renamed"


def test_bad_input_is_refused_with_reasons_and_kept(client, agent, offer):
    client.force_login(agent)
    payload = form_payload(
        offer,
        name="Typed name kept",
        latitude="123",
        **{
            "prices-TOTAL_FORMS": 1,
            "prices-0-label": "Chambre double",
            "prices-0-min_amount": "-5",
            "prices-0-unit": "room_night",
            "periods-TOTAL_FORMS": 1,
            "periods-0-start_date": "2026-09-30",
            "periods-0-end_date": "2026-06-01",
        },
    )
    response = client.post(reverse("offer:edit", args=[offer.pk]), payload)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Typed name kept" in body
    assert "inférieure ou égale à 90" in body
    assert "supérieure ou égale à 0" in body
    assert "La période se termine avant de commencer." in body
    offer.refresh_from_db()
    assert offer.name == "Hôtel Le Bon Port"


def test_concurrent_edit_is_refused_with_a_clear_message(client, agent, manager, offer):
    stale = form_payload(offer, name="Agent's version")
    client.force_login(manager)
    assert client.post(reverse("offer:edit", args=[offer.pk]), form_payload(offer, name="Manager's")).status_code == 302
    client.force_login(agent)
    response = client.post(reverse("offer:edit", args=[offer.pk]), stale)
    assert response.status_code == 400
    assert "Vos modifications n’ont pas été enregistrées" in response.content.decode()
    offer.refresh_from_db()
    assert offer.name == "Manager's"


def test_create_offer_defaults_owner_and_coordinates(client, agent, cavalaire):
    client.force_login(agent)
    payload = {
        "name": "Camping Les Pins Parasols",
        "types": [OfferType.objects.get(code="Camping").pk],
        "status": "published",
        "commune": "83036",
        "periods-TOTAL_FORMS": 1,
        "periods-INITIAL_FORMS": 0,
        "periods-0-start_date": "2027-04-01",
        "periods-0-end_date": "2027-10-15",
        "periods-0-weekdays": ["0", "1", "2", "3", "4", "5", "6"],
        "prices-TOTAL_FORMS": 1,
        "prices-INITIAL_FORMS": 0,
        "prices-0-label": "Emplacement 2 personnes",
        "prices-0-min_amount": "24.50",
        "prices-0-max_amount": "39",
        "prices-0-unit": "pitch_night",
    }
    response = client.post(reverse("offer:create"), payload)
    assert response.status_code == 302, response.content.decode()[:2000]
    offer = Offer.objects.get(name="Camping Les Pins Parasols")
    assert offer.owner_office == cavalaire
    assert (offer.latitude, offer.longitude) == (offer.commune.latitude, offer.commune.longitude)
    assert offer.periods.get().weekdays == [0, 1, 2, 3, 4, 5, 6]
    assert str(offer.prices.get().max_amount) == "39.00"


def test_home_lists_offers_to_verify_and_one_click_verifies(client, agent, offer):
    client.force_login(agent)
    home = client.get(reverse("home"))
    assert f'id="stale-{offer.pk}"' in home.text  # the offer panel, registered by the offer app
    response = client.post(reverse("offer:verify", args=[offer.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    home = client.get(reverse("home"))
    assert f'id="stale-{offer.pk}"' not in home.text
    assert 'id="to-verify"' in home.text


def test_one_click_verify_escapes_the_offer_name(client, agent, cavalaire):
    payload = '<img src=x onerror="alert(1)">'
    offer = OfferFactory(name=payload, owner_office=cavalaire)
    client.force_login(agent)
    response = client.post(reverse("offer:verify", args=[offer.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert payload not in response.content.decode()
    assert "« &lt;img src=x onerror=&quot;alert(1)&quot;&gt; » : vérification enregistrée." in response.content.decode()


@pytest.mark.parametrize("prefix", ["periods", "prices"])
def test_a_huge_number_of_rows_posted_builds_no_more_than_the_maximum(client, agent, offer, prefix):
    client.force_login(agent)
    payload = form_payload(offer, **{f"{prefix}-TOTAL_FORMS": str(2**63)})
    response = client.post(reverse("offer:edit", args=[offer.pk]), payload)
    assert response.status_code == 400
    assert len(response.context[prefix].forms) == 60
    assert response.context[prefix].non_form_errors() == ["Veuillez soumettre au plus 60 formulaires."]


def test_a_commune_with_a_nul_character_is_refused_with_the_reason(client, agent):
    client.force_login(agent)
    response = client.get(reverse("offer:search"), {"commune": "Cavalaire\x00"})
    assert response.status_code == 400
    assert response.context["form"].errors["commune"] == ["Le caractère nul n’est pas autorisé."]
