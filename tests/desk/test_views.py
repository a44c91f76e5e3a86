import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopeError, scope

from acvs.core.models import AuditEntry
from acvs.core.tenancy import scope_for
from acvs.desk import services
from acvs.desk.models import VisitorCountCorrection, VisitorRequest
from tests.conftest import membership
from tests.desk.conftest import walk_in, written


def counter_payload(**changes):
    payload = {"origin_pick": "country:DE", "adults": 2, "children": 2, "language": "de", "outcome": "fully"}
    payload.update(changes)
    return payload


def test_counter_records_a_walk_in_and_offers_undo(client, agent, cavalaire, themes):
    client.force_login(agent)
    payload = counter_payload(themes=[themes["hiking"].pk, themes["heritage"].pk], profile="family")
    response = client.post(reverse("desk:counter"), payload, follow=True)
    assert response.redirect_chain[-1][0] == reverse("desk:counter")
    obj = VisitorRequest.objects.get()
    assert (obj.office, obj.country, obj.adults, obj.children, obj.profile) == (cavalaire, "DE", 2, 2, "family")
    body = response.content.decode()
    assert reverse("desk:edit", args=[obj.pk]) in body
    # Back to an empty counter: nothing pre-checked.
    assert response.context["form"].is_bound is False


def test_counter_resolves_postcodes_to_communes(client, agent):
    client.force_login(agent)
    client.post(reverse("desk:counter"), counter_payload(origin_pick="", postcode="83240"))
    obj = VisitorRequest.objects.get()
    assert (obj.origin, obj.commune.name, obj.department.code) == ("france", "Cavalaire-sur-Mer", "83")
    # Every commune of France is known.
    client.post(reverse("desk:counter"), counter_payload(origin_pick="", postcode="44300"))
    nantes = VisitorRequest.objects.latest("id")
    assert (nantes.department.code, nantes.commune.name, nantes.postcode) == ("44", "Nantes", "44300")
    client.post(reverse("desk:counter"), counter_payload(origin_pick="", postcode="69003"))
    lyon = VisitorRequest.objects.latest("id")
    assert (lyon.department.code, lyon.commune.name, lyon.postcode) == ("69", "Lyon", "69003")


def test_counter_quick_department_and_country_select(client, agent):
    client.force_login(agent)
    assert client.post(reverse("desk:counter"), counter_payload(origin_pick="dep:06")).status_code == 302
    assert client.post(reverse("desk:counter"), counter_payload(origin_pick="", country="JP")).status_code == 302
    origins = list(VisitorRequest.objects.order_by("id").values_list("origin", "department__code", "country"))
    assert origins == [("france", "06", ""), ("abroad", None, "JP")]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"adults": -1}, "Un nombre de personnes ne peut pas être négatif."),
        ({"adults": 0, "children": 0}, "Comptez au moins une personne."),
        ({"origin_pick": "", "postcode": "83999"}, "Code postal inconnu : 83999."),
        ({"origin_pick": "", "postcode": "8324"}, "Un code postal français a 5 chiffres."),
        ({"origin_pick": "", "country": "XX"}, "Pays inconnu : XX."),
        ({"origin_pick": ""}, "D’où vient le visiteur ?"),
        ({"stay_start": "2026-07-10", "stay_end": "2026-07-01"}, "La fin du séjour ne peut pas précéder son début."),
        ({"stay_start": "2026-02-30"}, "Saisissez une date valide."),
        ({"stay_start": "9999-12-31"}, "Saisissez une date comprise entre les années 1900 et 2100."),
    ],
)
def test_counter_refuses_bad_input_in_french_and_keeps_what_was_typed(client, agent, changes, message):
    client.force_login(agent)
    response = client.post(reverse("desk:counter"), counter_payload(**changes))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "La demande n’a pas été enregistrée" in body
    for value in changes.values():
        if value not in ("", 0, "XX"):
            assert f'value="{value}"' in body
    assert not VisitorRequest.objects.exists()


def test_counter_with_htmx_answers_one_line_and_lets_the_page_reset_its_form(client, agent, cavalaire):
    client.force_login(agent)
    response = client.post(reverse("desk:counter"), counter_payload(), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "counter-recorded" in response["HX-Trigger"]
    obj = VisitorRequest.objects.get()
    body = response.content.decode()
    assert "Demande enregistrée." in body
    assert reverse("desk:edit", args=[obj.pk]) in body
    assert "<form" not in body  # not the whole page again


def test_counter_with_htmx_sends_back_the_form_with_its_errors(client, agent):
    client.force_login(agent)
    response = client.post(reverse("desk:counter"), counter_payload(adults=-1), headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#counter-form", "outerHTML")
    body = response.content.decode()
    assert body.count('id="counter-form"') == 1
    assert "Un nombre de personnes ne peut pas être négatif." in body
    assert 'value="-1"' in body
    assert not VisitorRequest.objects.exists()


def test_partner_has_no_counter(client, partner):
    client.force_login(partner)
    assert client.get(reverse("desk:counter")).status_code == 403
    assert client.post(reverse("desk:counter"), counter_payload()).status_code == 403
    assert client.get(reverse("desk:list")).status_code == 403
    assert not VisitorRequest.objects.exists()
    assert reverse("desk:counter") not in client.get(reverse("home")).content.decode()


def test_another_office_gets_404_and_nothing_changes(client, agent, other_agent, make_request):
    obj = make_request(data=written(name="Anna Schmidt"))
    client.force_login(other_agent)
    assert client.get(reverse("desk:detail", args=[obj.pk])).status_code == 404
    assert client.get(reverse("desk:edit", args=[obj.pk])).status_code == 404
    response = client.post(reverse("desk:edit", args=[obj.pk]), {"version": 1, "adults": 9})
    assert response.status_code == 404
    assert client.post(reverse("desk:delete", args=[obj.pk])).status_code == 404
    listing = client.get(reverse("desk:list"))
    assert listing.context["page"].paginator.count == 0
    assert "Anna Schmidt" not in listing.content.decode()
    obj.refresh_from_db()
    assert (obj.version, obj.adults) == (1, 1)
    assert AuditEntry.objects.filter(object_id=obj.pk).count() == 1


def test_unknown_request_is_404(client, agent):
    client.force_login(agent)
    assert client.get(reverse("desk:detail", args=[999999])).status_code == 404


def test_list_filters_and_query_count(client, agent, manager, make_request, django_assert_max_num_queries, themes):
    old = timezone.now() - datetime.timedelta(days=10)
    for _ in range(30):
        data = walk_in()
        data.themes = [themes["hiking"], themes["nature"]]
        make_request(data=data)
    late = make_request(data=written(received_at=old, assignee=manager, name="En retard"))
    make_request(data=written(channel="phone"))
    client.force_login(agent)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("desk:list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 32
    assert len(response.context["page"].object_list) == 25
    assert client.get(reverse("desk:list"), {"page": 2}).context["page"].number == 2
    overdue = client.get(reverse("desk:list"), {"overdue": "on"}).context["page"].object_list
    assert list(overdue) == [late]
    assert client.get(reverse("desk:list"), {"channel": "phone"}).context["page"].paginator.count == 1
    assert client.get(reverse("desk:list"), {"assignee": manager.pk}).context["page"].paginator.count == 1
    today = timezone.localdate().isoformat()
    by_date = client.get(reverse("desk:list"), {"date_from": today, "date_to": today})
    assert by_date.context["page"].paginator.count == 31
    reversed_dates = client.get(reverse("desk:list"), {"date_from": today, "date_to": "2000-01-01"})
    assert reversed_dates.status_code == 400
    assert "La date de fin ne peut pas précéder la date de début." in reversed_dates.content.decode()


def test_full_form_records_an_email_with_due_date_and_assignee(client, agent, manager):
    client.force_login(agent)
    page = client.get(reverse("desk:create")).content.decode()
    assert 'type="radio" name="channel" value="phone"' in page
    assert re.search(r'<input type="radio" name="channel" value="phone"[^>]* checked', page)
    payload = {
        "channel": "email",
        "status": "to_handle",
        "assignee": manager.pk,
        "origin_pick": "country:BE",
        "adults": 2,
        "children": 0,
        "language": "fr",
        "outcome": "fully",
        "name": "Claire Dupont",
        "email": "claire@example.be",
        "consent_newsletter": "on",
    }
    response = client.post(reverse("desk:create"), payload)
    assert response.status_code == 302
    obj = VisitorRequest.objects.get()
    assert (obj.channel, obj.assignee, obj.country) == ("email", manager, "BE")
    assert obj.due_date is not None
    assert obj.consent_at is not None
    detail = client.get(response.url)
    assert "Claire Dupont" in detail.content.decode()
    assert 'id="history"' in detail.content.decode()


def test_edit_shows_history_and_refuses_stale_version(client, agent, make_request):
    obj = make_request(data=written())
    client.force_login(agent)
    form = client.get(reverse("desk:edit", args=[obj.pk])).context["form"]
    payload = {k: v for k, v in form.initial.items() if v not in (None, "")}
    payload.update(
        {
            "themes": [],
            "requested_types": [],
            "missing_types": [],
            "status": "answered",
            "origin_pick": "dep:83",
            "received_at": "",
            "due_date": obj.due_date.isoformat(),
        }
    )
    response = client.post(reverse("desk:edit", args=[obj.pk]), payload)
    assert response.status_code == 302, response.context["form"].errors
    obj.refresh_from_db()
    assert (obj.status, obj.version) == ("answered", 2)
    detail = client.get(reverse("desk:detail", args=[obj.pk])).content.decode()
    assert "Répondue" in detail
    stale = client.post(reverse("desk:edit", args=[obj.pk]), {**payload, "status": "closed", "version": 1})
    assert stale.status_code == 409
    assert "Vos modifications n’ont pas été enregistrées." in stale.content.decode()


def test_visitor_counter_buttons_with_htmx(client, agent, cavalaire):
    client.force_login(agent)
    htmx = {"HTTP_HX_REQUEST": "true"}
    for _ in range(2):
        response = client.post(reverse("desk:count_add"), **htmx)
    assert response.status_code == 200
    assert 'id="visitors-today">2<' in response.content.decode()
    response = client.post(reverse("desk:count_remove"), **htmx)
    assert 'id="visitors-today">1<' in response.content.decode()
    response = client.post(reverse("desk:count_set"), {"value": "-3"}, **htmx)
    assert response.status_code == 400
    assert "Le nombre de visiteurs ne peut pas être négatif." in response.content.decode()
    assert '<details class="dropdown-count" open>' in response.content.decode()  # the refusal stays in sight
    response = client.post(reverse("desk:count_set"), {"value": "7"}, **htmx)
    assert 'id="visitors-today">7<' in response.content.decode()
    assert list(VisitorCountCorrection.objects.values_list("old_value", "new_value")) == [(1, 7), (2, 1)]
    assert client.get(reverse("desk:count_add")).status_code == 405


def test_home_lists_overdue_requests(client, agent, other_agent, make_request):
    old = timezone.now() - datetime.timedelta(days=10)
    late = make_request(data=written(received_at=old, name="Lettre de M. Martin"))
    services.request_create(membership=membership(other_agent), data=written(received_at=old, name="Autre office"))
    client.force_login(agent)
    body = client.get(reverse("home")).content.decode()
    assert 'id="desk-overdue"' in body
    assert reverse("desk:detail", args=[late.pk]) in body
    assert "Lettre de M. Martin" in body
    assert "Autre office" not in body


def test_full_form_refuses_reversed_dates_and_unknown_country_in_french(client, agent):
    client.force_login(agent)
    payload = {
        "channel": "phone",
        "status": "to_handle",
        "origin_pick": "",
        "country": "ZZ",
        "adults": 2,
        "children": 0,
        "language": "fr",
        "outcome": "fully",
        "stay_start": "2026-08-10",
        "stay_end": "2026-08-01",
        "name": "Jean Martin",
    }
    response = client.post(reverse("desk:create"), payload)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Pays inconnu : ZZ." in body
    assert 'value="Jean Martin"' in body
    assert 'value="2026-08-10"' in body
    response = client.post(reverse("desk:create"), {**payload, "country": "CH"})
    assert response.status_code == 400
    assert "La fin du séjour ne peut pas précéder son début." in response.content.decode()
    assert not VisitorRequest.objects.exists()


def test_counter_link_only_for_roles_that_record(client, agent, partner):
    client.force_login(agent)
    assert f'href="{reverse("desk:counter")}"' in client.get(reverse("home")).content.decode()
    client.force_login(partner)
    assert f'href="{reverse("desk:counter")}"' not in client.get(reverse("home")).content.decode()


def test_views_never_query_requests_directly():
    """Reads go through desk.selectors, which always filter on the office."""
    from pathlib import Path

    import acvs.desk.views

    assert "VisitorRequest.objects" not in Path(acvs.desk.views.__file__).read_text()


def test_requests_fail_closed(agent, make_request, cavalaire, croix_valmer):
    make_request()
    with scope_for(office=cavalaire):
        assert VisitorRequest.objects.count() == 1
    for office in (croix_valmer, None):
        with scope_for(office=office):
            assert VisitorRequest.objects.count() == 0
    with scope(), pytest.raises(ScopeError):
        VisitorRequest.objects.count()


@pytest.mark.parametrize("field", ["themes", "requested_types", "missing_types"])
def test_counter_refuses_ids_beyond_64_bits_like_unknown_ones(client, agent, field):
    client.force_login(agent)
    response = client.post(reverse("desk:counter"), counter_payload(outcome="partly", **{field: [str(2**63)]}))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == ["«\xa09223372036854775808\xa0» n’est pas une valeur correcte."]
    assert not VisitorRequest.objects.exists()


@pytest.mark.parametrize("field", ["received_at", "due_date"])
@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_request_dates_beyond_the_years_of_the_network_are_refused(client, agent, field, value):
    client.force_login(agent)
    typed = value if field == "received_at" else value[:10]
    payload = counter_payload(channel="email", status="to_handle", **{field: typed})
    response = client.post(reverse("desk:create"), payload)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == ["Saisissez une date comprise entre les années 1900 et 2100."]
    assert not VisitorRequest.objects.exists()


def test_counter_finds_a_commune_by_name_or_by_the_completion(client, agent):
    client.force_login(agent)
    client.post(reverse("desk:counter"), counter_payload(origin_pick="", postcode="saint-etienne"))
    client.post(reverse("desk:counter"), counter_payload(origin_pick="", postcode="Lyon (69001)", commune_code="69123"))
    found = list(VisitorRequest.objects.order_by("id").values_list("commune__name", "department__code", "postcode"))
    assert found == [("Saint-Étienne", "42", "42000"), ("Lyon", "69", "69001")]
    response = client.post(reverse("desk:counter"), counter_payload(origin_pick="", postcode="Nulle-Part-sur-Mer"))
    assert response.status_code == 400
    assert "Commune inconnue : Nulle-Part-sur-Mer." in response.content.decode()


def test_commune_completion_by_name_or_postcode(client, agent):
    client.force_login(agent)
    body = client.get(reverse("desk:places"), {"postcode": "nant"}).content.decode()
    assert body.index("Nantes") < body.index("Nanterre")
    assert 'role="option"' in body
    assert 'data-insee="44109"' in client.get(reverse("desk:places"), {"postcode": "4400"}).content.decode()
    assert client.get(reverse("desk:places"), {"postcode": "<b>"}).content.decode().strip() == ""


def test_quick_line_fills_the_fields_shows_chips_and_keeps_what_it_did_not_understand(client, agent, themes):
    from acvs.offer.models import OfferType

    client.force_login(agent)
    line = "couple retraités nantes vélo chbre d'hôtes 1 semaine zorglub"
    response = client.post(reverse("desk:quick"), {"quick": line, "adults": 1, "children": 0, "language": "fr"})
    assert response.status_code == 200
    form = response.context["form"]
    data = form.data
    today = timezone.localdate()
    assert (data["postcode"], data["commune_code"], data["profile"], data["adults"], data["children"]) == (
        "Nantes (44000)", "44109", "senior", "2", "0"
    )  # fmt: skip
    assert data.getlist("themes") == [str(themes["cycling"].pk)]
    assert data.getlist("requested_types") == [str(OfferType.objects.get(code="Guesthouse").pk)]
    assert (data["stay_start"], data["stay_end"]) == (str(today), str(today + datetime.timedelta(days=7)))
    chips = response.context["quick_chips"]
    assert [c["label"] for c in chips if not c["understood"]] == ["zorglub"]
    assert "Chambre d'hôtes" in [str(c["label"]) for c in chips]
    body = response.content.decode()
    assert "zorglub" in body
    assert "Nantes (44000)" in body

    # Editing the line edits the fields it had set; a chip's × takes its words out of the line.
    changed = client.post(reverse("desk:quick"), {**data.dict(), "quick": "couple nantes camping"}).context["form"].data
    assert changed.getlist("themes") == []
    assert changed.getlist("requested_types") == [str(OfferType.objects.get(code="Camping").pk)]
    assert (changed["profile"], changed["stay_start"]) == ("couple", "")
    index = next(c["index"] for c in client.post(reverse("desk:quick"), changed).context["quick_chips"]
                 if c["words"] == "nantes")  # fmt: skip
    dropped = client.post(reverse("desk:quick"), {**changed.dict(), "quick_drop": index})
    assert dropped.context["form"].data["quick"] == "couple camping"
    assert dropped.context["form"].data["commune_code"] == ""
    assert 'id="id_quick"' in dropped.content.decode()  # the line itself is rewritten (out of band)
    assert 'id="id_quick"' not in response.content.decode()  # while typing, the line is left alone


def test_a_line_recorded_before_it_was_read_back_is_read_at_recording(client, agent):
    client.force_login(agent)
    response = client.post(reverse("desk:counter"), {"quick": "famille allemande 2+2", "adults": 1, "children": 0,
                                                     "language": "fr", "outcome": "fully"})  # fmt: skip
    assert response.status_code == 302
    obj = VisitorRequest.objects.get()
    assert (obj.country, obj.profile, obj.adults, obj.children, obj.language) == ("DE", "family", 2, 2, "de")


def test_counter_lists_todays_requests_with_the_advice_link(client, agent, make_request):
    client.force_login(agent)
    made = make_request()
    body = client.get(reverse("desk:counter")).content.decode()
    assert reverse("desk:advise", args=[made.pk]) in body
    response = client.post(reverse("desk:counter"), counter_payload(), HTTP_HX_REQUEST="true")
    recorded = VisitorRequest.objects.latest("id")
    body = response.content.decode()
    assert reverse("desk:advise", args=[recorded.pk]) in body
    assert "Conseiller" in body
    assert reverse("desk:advise", args=[made.pk]) in body  # today's list, refreshed


def test_todays_list_shows_the_latest_requests_and_links_to_all_of_them(client, agent, make_request):
    """A busy day's counter redraws only the latest requests with the day's total: recording stays as fast at the
    two hundredth request as at the first."""
    from acvs.desk.selectors import TODAY_SHOWN

    client.force_login(agent)
    made = [make_request() for _ in range(TODAY_SHOWN + 2)]
    response = client.post(reverse("desk:counter"), counter_payload(), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    total = len(made) + 1
    assert f"Aujourd’hui : {total} demandes" in body or f"Today: {total} requests" in body
    recorded = VisitorRequest.objects.latest("id")
    shown = [r.pk for r in made[-(TODAY_SHOWN - 1) :]] + [recorded.pk]
    for pk in shown:
        assert reverse("desk:detail", args=[pk]) in body
    for r in made[: len(made) - (TODAY_SHOWN - 1)]:
        assert reverse("desk:detail", args=[r.pk]) not in body
    link = re.search(r'href="([^"]+)" id="todays-all"', body).group(1).replace("&amp;", "&")
    listed = client.get(link)
    assert listed.status_code == 200
    assert all(reverse("desk:detail", args=[r.pk]) in listed.content.decode() for r in made[:3])
