import csv
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from acvs.documentation import services
from acvs.documentation.models import Document, Movement, MovementKind, Place, StockSetting
from tests.conftest import membership
from tests.documentation.conftest import quantity, receive

pytestmark = pytest.mark.django_db


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (30, 42), "teal").save(out, "PNG")
    return SimpleUploadedFile("couverture.png", out.getvalue(), content_type="image/png")


def test_catalogue_lists_every_document_with_my_stock_and_filters(
    client, agent, cavalaire, guide, map_, make_document, themes, django_assert_max_num_queries
):
    map_.themes.set([themes["hiking"]])
    make_document("Agenda des festivités", language="de", is_current=False)
    receive(agent, guide, 12)
    receive(agent, guide, 40, Place.STOREROOM)
    client.force_login(agent)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("documentation:catalogue"))
    assert response.status_code == 200
    rows = {d.title: (d.at_counter, d.in_storeroom) for d in response.context["page"].object_list}
    assert rows["Guide des hébergements du Var"] == (12, 40)
    assert rows["Carte des randonnées du golfe de Saint-Tropez"] == (0, 0)

    def titles(**params):
        page = client.get(reverse("documentation:catalogue"), params).context["page"]
        return sorted(d.title for d in page.object_list)

    assert titles(language="en") == ["Carte des randonnées du golfe de Saint-Tropez"]
    assert titles(q="hébergements var") == ["Guide des hébergements du Var"]
    assert titles(theme=themes["hiking"].pk) == ["Carte des randonnées du golfe de Saint-Tropez"]
    assert titles(is_current="0") == ["Agenda des festivités"]
    assert titles(held="on") == ["Guide des hébergements du Var"]


def test_create_a_document_with_a_cover(client, agent, cavalaire, themes, media):
    client.force_login(agent)
    payload = {
        "title": "Plan de Cavalaire-sur-Mer", "publisher": cavalaire.pk, "language": "fr", "edition_year": 2026,
        "themes": [themes["hiking"].pk], "unit_weight_g": 45, "is_current": "on", "cover": png(),
    }  # fmt: skip
    response = client.post(reverse("documentation:create"), payload)
    doc = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documentation:detail", args=[doc.pk])
    assert (doc.managed_by, doc.publisher, doc.unit_weight_g) == (cavalaire, cavalaire, 45)
    assert doc.cover.name.startswith("documentation/covers/")
    assert list(doc.themes.all()) == [themes["hiking"]]
    detail = client.get(response["Location"])
    assert doc.cover.url in detail.content.decode()


def test_invalid_document_keeps_the_input_and_saves_nothing(client, agent, cavalaire):
    client.force_login(agent)
    payload = {"title": "Carte du Verdon", "language": "fr", "edition_year": 1800, "publisher_name": ""}
    response = client.post(reverse("documentation:create"), payload)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose the publishing office, or type the name of another publisher." in body
    assert 'value="Carte du Verdon"' in body
    assert "edition_year" in response.context["form"].errors
    both = client.post(
        reverse("documentation:create"),
        {"title": "X", "language": "fr", "publisher": cavalaire.pk, "publisher_name": "Autre"},
    )
    assert "not both" in both.content.decode()
    assert not Document.objects.exists()


def test_only_the_keeping_office_edits_a_document(client, agent, other_agent, department_admin, guide):
    # guide is kept by the CDT: a Cavalaire agent cannot edit it, the département administrator can.
    client.force_login(agent)
    assert client.get(reverse("documentation:edit", args=[guide.pk])).status_code == 403
    assert client.post(reverse("documentation:edit", args=[guide.pk]), {"title": "Volé"}).status_code == 403
    client.force_login(department_admin)
    payload = {
        "title": "Guide 2027", "publisher": guide.publisher_id, "language": "fr", "is_current": "on",
        "version": guide.version,
    }  # fmt: skip
    assert client.post(reverse("documentation:edit", args=[guide.pk]), payload).status_code == 302
    guide.refresh_from_db()
    assert guide.title == "Guide 2027"


def test_record_a_movement_from_the_document_page(client, agent, cavalaire, guide):
    client.force_login(agent)
    url = reverse("documentation:movement", args=[guide.pk])
    response = client.post(url, {"kind": "received", "place": "storeroom", "quantity": 200, "reason": "Livraison"})
    assert response.status_code == 302
    assert quantity(cavalaire, guide, "storeroom") == 200
    page = client.get(reverse("documentation:detail", args=[guide.pk]))
    assert page.context["places"] == {"counter": 0, "storeroom": 200}
    assert "Livraison" in page.content.decode()


def test_refused_movement_shows_why_and_keeps_the_input(client, agent, cavalaire, guide):
    receive(agent, guide, 3, Place.STOREROOM)
    client.force_login(agent)
    url = reverse("documentation:movement", args=[guide.pk])
    response = client.post(url, {"kind": "posted", "place": "storeroom", "quantity": 5, "reason": "Envoi Mme Weber"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "3 in stock, 5 asked" in body
    assert 'value="Envoi Mme Weber"' in body
    bad = client.post(url, {"kind": "posted", "place": "storeroom", "quantity": "deux"})
    assert "Type a whole number of copies." in bad.content.decode()
    no_reason = client.post(url, {"kind": "adjustment", "place": "storeroom", "quantity": 2})
    assert "Say why" in no_reason.content.decode()
    assert quantity(cavalaire, guide, "storeroom") == 3
    assert Movement.objects.count() == 1


def test_move_copies_and_set_the_threshold(client, agent, cavalaire, guide):
    receive(agent, guide, 50, Place.STOREROOM)
    client.force_login(agent)
    move = reverse("documentation:move", args=[guide.pk])
    assert client.post(move, {"quantity": 20, "source": "storeroom", "destination": "counter"}).status_code == 302
    assert (quantity(cavalaire, guide), quantity(cavalaire, guide, "storeroom")) == (20, 30)
    too_many = client.post(move, {"quantity": 31, "source": "storeroom", "destination": "counter"})
    assert too_many.status_code == 400
    threshold = reverse("documentation:threshold", args=[guide.pk])
    assert client.post(threshold, {"alert_threshold": 60, "reorder_quantity": 300}).status_code == 302
    assert client.post(threshold, {"alert_threshold": -1, "reorder_quantity": 0}).status_code == 400
    setting = StockSetting.objects.get(office=cavalaire, document=guide)
    assert (setting.alert_threshold, setting.reorder_quantity) == (60, 300)
    page = client.get(reverse("documentation:stock"))
    assert [d.pk for d in page.context["to_reorder"]] == [guide.pk]
    assert "to reorder" in client.get(reverse("documentation:detail", args=[guide.pk])).content.decode()


def _stock_world(agent, guide, map_):
    receive(agent, guide, 12)
    receive(agent, guide, 40, Place.STOREROOM)
    receive(agent, map_, 5)
    services.stock_setting_set(membership=membership(agent), document=map_, alert_threshold=10, reorder_quantity=50)


def test_stock_exports_read_back(client, agent, guide, map_):
    _stock_world(agent, guide, map_)
    client.force_login(agent)
    response = client.get(reverse("documentation:stock_export", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:7] == ["Document", "Publisher", "Language", "Edition year", "Counter", "Storeroom", "Total"]
    assert rows[1:] == [
        ["Carte des randonnées du golfe de Saint-Tropez", "Var Tourisme (CDT)", "en", "2026", "5", "0", "5", "10",
         "yes"],
        ["Guide des hébergements du Var", "Var Tourisme (CDT)", "fr", "2026", "12", "40", "52", "0", ""],
    ]  # fmt: skip
    xlsx = client.get(reverse("documentation:stock_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Document"
    assert values[2][:7] == ("Guide des hébergements du Var", "Var Tourisme (CDT)", "fr", 2026, 12, 40, 52)
    assert client.get("/documentation/stock/export.pdf").status_code == 404


def test_movements_list_filters_and_exports_with_the_filters(client, agent, other_agent, guide, map_):
    _stock_world(agent, guide, map_)
    receive(other_agent, guide, 99)  # another office's movement never shows
    client.force_login(agent)
    page = client.get(reverse("documentation:movements"), {"document": guide.pk})
    assert [m.quantity for m in page.context["page"].object_list] == [40, 12]
    assert client.get(reverse("documentation:movements"), {"date_from": "pas une date"}).status_code == 400
    response = client.get(reverse("documentation:movement_export", args=["csv"]), {"document": guide.pk})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [(r[1], r[3], r[5], r[6]) for r in rows[1:]] == [
        ("Guide des hébergements du Var", "Storeroom", "40", "40"),
        ("Guide des hébergements du Var", "Counter", "12", "12"),
    ]
    xlsx = client.get(reverse("documentation:movement_export", args=["xlsx"]), {"kind": "received"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 4  # header + the three receptions of my office
    assert sheet["E2"].value == "Copies received"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("formula", ['=HYPERLINK("http://example.com")', "+1+1", "-1+1", "@SUM(1)", "\t=1+1", "\r=1+1"])
def test_exports_neutralise_formulas(client, agent, make_document, fmt, formula):
    document = make_document(title=formula)
    receive(agent, document, 5, Place.STOREROOM)
    services.movement_record(
        membership=membership(agent), document=document, kind=MovementKind.DESTROYED, quantity=1, place="storeroom",
        reason=formula,
    )  # fmt: skip
    client.force_login(agent)
    for name, column in (("stock_export", 0), ("movement_export", 1)):
        response = client.get(reverse(f"documentation:{name}", args=[fmt]))
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))[1:]
        else:
            rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
        # XML, hence XLSX, stores a carriage return as a line feed.
        assert {row[column].replace("\r", "\n") for row in rows} == {"'" + formula.replace("\r", "\n")}
        if name == "movement_export":  # the reason as typed (the service strips blanks around it)
            assert "'" + formula.strip() in {row[-1] for row in rows}


def test_request_page_hands_out_brochures(client, agent, cavalaire, guide, map_, make_request):
    receive(agent, guide, 10)
    receive(agent, map_, 1)
    visitor_request = make_request()
    client.force_login(agent)
    page = client.get(reverse("desk:detail", args=[visitor_request.pk]))
    body = page.content.decode()
    assert 'id="handout-form"' in body
    assert f'name="doc-{guide.pk}"' in body
    url = reverse("documentation:handout", args=[visitor_request.pk])
    response = client.post(url, {f"doc-{guide.pk}": "2", f"doc-{map_.pk}": ""})
    assert response.status_code == 302
    assert response["Location"].endswith("#documentation")
    assert quantity(cavalaire, guide) == 8
    again = client.get(reverse("desk:detail", args=[visitor_request.pk])).content.decode()
    assert "Guide des hébergements du Var" in again.split('id="handed-out"')[1]


def test_htmx_hand_out_keeps_the_quantities_on_refusal(client, agent, cavalaire, guide, map_, make_request):
    receive(agent, guide, 10)
    receive(agent, map_, 1)
    visitor_request = make_request()
    client.force_login(agent)
    url = reverse("documentation:handout", args=[visitor_request.pk])
    response = client.post(url, {f"doc-{guide.pk}": "2", f"doc-{map_.pk}": "3"}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "1 in stock, 3 asked" in body
    assert f'name="doc-{map_.pk}" id="id_doc-{map_.pk}" value="3"' in body
    assert (quantity(cavalaire, guide), quantity(cavalaire, map_)) == (10, 1)
    bad = client.post(url, {f"doc-{guide.pk}": "beaucoup"}, headers={"HX-Request": "true"})
    assert "Type a whole number of copies." in bad.content.decode()
    ok = client.post(url, {f"doc-{guide.pk}": "2"}, headers={"HX-Request": "true"})
    assert ok.status_code == 200
    assert "Brochures handed out." in ok.content.decode()
    assert quantity(cavalaire, guide) == 8


def test_documentation_is_in_the_menu(client, agent, partner):
    for user in (agent, partner):
        client.force_login(user)
        assert reverse("documentation:catalogue") in client.get(reverse("documentation:stock")).content.decode()


def test_every_page_renders_for_an_agent(
    client, agent, department_admin, cdt_var, guide, map_, django_assert_max_num_queries
):
    _stock_world(agent, guide, map_)
    client.force_login(agent)
    pages = [
        reverse("documentation:stock"),
        reverse("documentation:movements"),
        reverse("documentation:detail", args=[guide.pk]),
        reverse("documentation:create"),
        reverse("documentation:orders"),
        reverse("documentation:order_create"),
        reverse("documentation:order_create") + f"?supplier={cdt_var.pk}",
    ]
    for url in pages:
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200, url
    client.force_login(department_admin)
    assert client.get(reverse("documentation:edit", args=[guide.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("documentation:stock")).status_code == 302  # to the log-in page


def test_clearing_a_cover_empties_it(client, agent, make_document, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from acvs.documentation import services
    from tests.conftest import membership

    document = make_document(managed_by=agent.memberships.get().office, publisher=agent.memberships.get().office)
    document.cover = SimpleUploadedFile("cover.png", b"png", content_type="image/png")
    document.save()
    services.document_update(
        membership=membership(agent), document=document, version=document.version, fields={"cover": False}
    )
    document.refresh_from_db()
    assert not document.cover


def test_a_malformed_document_link_on_the_order_page_is_ignored(client, agent, cavalaire, cdt_var, guide):
    client.force_login(agent)
    response = client.get(f"/documentation/orders/new/?supplier={cdt_var.pk}&document=²&document={guide.pk}")
    assert response.status_code == 200


def test_a_stale_document_edit_is_refused_and_keeps_what_was_typed(client, department_admin, network_admin, guide):
    url = reverse("documentation:edit", args=[guide.pk])
    client.force_login(department_admin)
    page = client.get(url)
    assert f'name="version" value="{guide.version}"' in page.content.decode()
    opened = guide.version
    base = {"publisher": guide.publisher_id, "language": "fr", "is_current": "on", "version": opened}
    # Someone else saves first, from the same version.
    other = Client()
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    other.force_login(network_admin)
    assert other.post(url, {**base, "title": "Guide 2027"}).status_code == 302
    response = client.post(url, {**base, "title": "Guide des hébergements 2027", "description": "Nouvelle édition"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Netadmin saved this document at" in body
    assert "Your changes were not saved." in body
    assert 'value="Guide des hébergements 2027"' in body
    assert "Nouvelle édition" in body
    guide.refresh_from_db()
    assert (guide.title, guide.description, guide.version) == ("Guide 2027", "", opened + 1)
    # What was typed is kept with the current version: saving it again is a deliberate choice, and goes through.
    assert f'name="version" value="{opened + 1}"' in body
    again = client.post(url, {**base, "version": opened + 1, "title": "Guide des hébergements 2027"})
    assert again.status_code == 302
    guide.refresh_from_db()
    assert (guide.title, guide.version) == ("Guide des hébergements 2027", opened + 2)


def test_hand_out_without_javascript_keeps_the_quantities_on_refusal(
    client, agent, cavalaire, guide, map_, make_request
):
    receive(agent, guide, 10)
    receive(agent, map_, 1)
    visitor_request = make_request()
    client.force_login(agent)
    url = reverse("documentation:handout", args=[visitor_request.pk])
    response = client.post(url, {f"doc-{guide.pk}": "2", f"doc-{map_.pk}": "3"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="request-facts"' in body  # the request page again, not a bare form
    assert "1 in stock, 3 asked" in body
    assert f'name="doc-{guide.pk}" id="id_doc-{guide.pk}" value="2"' in body
    assert f'name="doc-{map_.pk}" id="id_doc-{map_.pk}" value="3"' in body
    assert (quantity(cavalaire, guide), quantity(cavalaire, map_)) == (10, 1)
    bad = client.post(url, {f"doc-{guide.pk}": "beaucoup", f"doc-{map_.pk}": "1"})
    assert bad.status_code == 400
    assert "Type a whole number of copies." in bad.content.decode()
    assert f'name="doc-{map_.pk}" id="id_doc-{map_.pk}" value="1"' in bad.content.decode()
    # A later visit to the request page starts empty again.
    page = client.get(reverse("desk:detail", args=[visitor_request.pk])).content.decode()
    assert f'name="doc-{map_.pk}" id="id_doc-{map_.pk}" value=""' in page
