"""The observatory in the browser: an office manager, a département administrator and a network administrator each
read their dashboard (charts, tables, small cells suppressed across offices) and export a table."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from acvs.desk.models import VisitorRequest
from acvs.network.models import Role
from acvs.observatory.services import recount
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_three_levels_read_their_dashboards(page, manager, croix_valmer, department_admin, network_admin):
    this_month = timezone.localdate().replace(day=1)
    moment = datetime.datetime.combine(this_month, datetime.time(10), timezone.get_current_timezone())
    for n in range(12):
        VisitorRequest.objects.create(
            office=manager.memberships.get().office, received_at=moment + datetime.timedelta(minutes=n),
            origin="abroad", country="DE", language="de",
        )  # fmt: skip
    VisitorRequest.objects.create(office=croix_valmer, received_at=moment, origin="abroad", country="IT")
    make_user("partner2", croix_valmer, Role.PARTNER)
    recount()

    login(page, "manager", PASSWORD)
    page.get_by_role("link", name="Observatoire").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Office de tourisme de Cavalaire")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(page.get_by_role("region", name="Pays d’origine")).to_contain_text("Allemagne")
    with page.expect_download() as download:
        page.get_by_role("region", name="Pays d’origine").get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    expect(page.get_by_role("link", name="Département")).to_have_count(0)
    expect(page.get_by_role("region", name="Chiffres clés").first).to_be_visible()
    page.get_by_role("heading", level=1).scroll_into_view_if_needed()
    page.screenshot(path="/tmp/observatory-office.png", full_page=False)
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger le PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as download:
        page.get_by_role("link", name="Chiffres pour le classement et Qualité Tourisme (Excel)").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.context.clear_cookies()
    login(page, "depadmin", PASSWORD)
    page.goto("/observatory/department/")
    expect(page.locator("table").filter(has_text="Office de tourisme de La Croix-Valmer")).to_contain_text("< 5")
    page.screenshot(path="/tmp/observatory-department.png", full_page=False)

    page.context.clear_cookies()
    login(page, "netadmin", PASSWORD)
    page.goto("/observatory/network/")
    expect(page.locator("table").filter(has_text="Var (83)").first).to_be_visible()
