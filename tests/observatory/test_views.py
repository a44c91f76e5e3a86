"""The dashboards: each level shows what its readers may see, small cells suppressed across offices, exports read
back, refusals explained."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from acvs.desk.models import VisitorCount
from acvs.network.models import Role
from acvs.observatory.models import MonthlyFigure
from acvs.observatory.services import recount
from tests.conftest import make_user

from .conftest import at, raw_request

PERIOD = {"start": "2026-01", "end": "2026-06"}


def requests(office, number, day=datetime.date(2026, 3, 10), **fields):
    for n in range(number):
        raw_request(office, at(day, 10, n % 60), **fields)


@pytest.fixture
def activity(cavalaire, croix_valmer, greoux):
    """Cavalaire: 12 requests from Germany, 3 from Italy; La Croix-Valmer: 2; Gréoux (another département): 7."""
    requests(cavalaire, 12)
    requests(cavalaire, 3, country="IT", language="it")
    requests(croix_valmer, 2, day=datetime.date(2026, 4, 2))
    requests(greoux, 7)
    requests(cavalaire, 9, day=datetime.date(2025, 3, 1))  # the year before
    recount()


def get(client, user, name, **query):
    client.force_login(user)
    return client.get(reverse(name), {**PERIOD, **query})


def export(client, user, name, table, fmt, **query):
    client.force_login(user)
    return client.get(reverse(name, args=[table, fmt]), {**PERIOD, **query})


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_the_office_sees_its_own_exact_figures_compared_with_the_year_before(client, activity, agent):
    response = get(client, agent, "observatory:office")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Observatoire" in page
    assert "<svg" in page
    dashboard = response.context["dashboard"]
    assert (dashboard.requests.total.now, dashboard.requests.total.before) == (15, 9)
    countries = {row.label: row.now_shown for row in dashboard.table("country").rows}
    assert countries == {"Allemagne": 12, "Italie": 3}  # within one office, nothing is suppressed
    assert "< 5" not in page


def test_an_office_never_sees_another_offices_figures(client, activity, other_agent, ahp_agent):
    assert get(client, other_agent, "observatory:office").context["dashboard"].requests.total.now == 2
    assert get(client, ahp_agent, "observatory:office").context["dashboard"].requests.total.now == 7
    rows = read_csv(export(client, other_agent, "observatory:office_export", "country", "csv"))
    assert rows[1:] == [["Allemagne", "2", "0", ""], ["Total", "2", "0", ""]]


def test_small_cells_are_suppressed_across_offices_in_the_page_and_its_exports(client, activity, department_admin):
    response = get(client, department_admin, "observatory:department")
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert dashboard.requests.total.now_shown == 17
    countries = {row.label: row.now_shown for row in dashboard.table("country").rows}
    # Germany would be the 17 from abroad minus Italy: hidden beside it ("s", secondary suppression).
    assert countries == {"Allemagne": "s", "Italie": "< 5"}
    units = {unit.label: unit.cells()[1] for unit in dashboard.units}
    assert units["Office de tourisme de Cavalaire"] == "s"  # else 17 − 15 would give La Croix-Valmer away
    assert units["Office de tourisme de La Croix-Valmer"] == "< 5"
    assert "Gréoux" not in response.content.decode()  # another département
    rows = read_csv(export(client, department_admin, "observatory:department_export", "country", "csv"))
    assert ["Italie", "< 5", "< 5", ""] in rows  # 0 too: "under 5"
    book = load_workbook(
        io.BytesIO(export(client, department_admin, "observatory:department_export", "units", "xlsx").content)
    )
    values = [[cell.value for cell in row] for row in book.active.iter_rows()]
    assert values[0][0] == "Office"
    assert ["Office de tourisme de La Croix-Valmer", "< 5", "< 5", "< 5", "< 5", None] in values


def test_the_network_compares_its_departements(client, activity, network_admin):
    dashboard = get(client, network_admin, "observatory:network").context["dashboard"]
    assert dashboard.requests.total.now == 24
    assert {unit.label: unit.cells()[1] for unit in dashboard.units} == {
        "Var (83)": 17,
        "Alpes-de-Haute-Provence (04)": 7,
    }
    rows = read_csv(export(client, network_admin, "observatory:network_export", "requests", "csv"))
    # The other months add up to 2 (under 5 each): March is hidden, else the total would give their sum away.
    assert ["mars 2026", "s", "s", ""] in rows
    assert ["Total", "24", "9", "167"] in rows


def test_network_admins_pick_a_departement_department_admins_read_their_own(client, activity, network_admin, greoux):
    response = get(client, network_admin, "observatory:department", department=greoux.department_id)
    assert response.context["dashboard"].requests.total.now_shown == 7
    admin = make_user("ahpadmin", greoux, Role.DEPARTMENT_ADMIN)
    assert get(client, admin, "observatory:department").context["dashboard"].requests.total.now_shown == 7


@pytest.mark.parametrize(
    ("user", "name", "status"),
    [
        ("partner", "observatory:office", 403),
        ("agent", "observatory:department", 403),
        ("manager", "observatory:network", 403),
        ("department_admin", "observatory:network", 403),
        ("department_admin", "observatory:department", 200),
        ("network_admin", "observatory:network", 200),
    ],
)
def test_who_sees_which_level(client, activity, request, user, name, status):
    response = get(client, request.getfixturevalue(user), name)
    assert response.status_code == status
    if status == 403:
        assert "administrat" in response.content.decode() or "rôle" in response.content.decode()


def test_a_departement_admin_cannot_read_another_departement(client, activity, department_admin, ahp):
    response = get(client, department_admin, "observatory:department", department=ahp.pk)
    assert response.status_code == 403
    assert "votre département" in response.content.decode()
    assert (
        export(client, department_admin, "observatory:department_export", "units", "csv", department=ahp.pk).status_code
        == 403
    )


def test_a_period_that_ends_before_it_starts_is_refused_with_its_reason(client, agent):
    response = get(client, agent, "observatory:office", start="2026-06", end="2026-01")
    assert response.status_code == 400
    assert "La période se termine avant de commencer." in response.content.decode()
    response = export(client, agent, "observatory:office_export", "channel", "csv", start="9999-01")
    assert response.status_code == 400


def test_an_unknown_table_is_not_found(client, agent):
    assert export(client, agent, "observatory:office_export", "nothing", "csv").status_code == 404


def test_the_dashboard_reads_the_rollups_in_a_few_queries(
    client, activity, network_admin, django_assert_max_num_queries
):
    client.force_login(network_admin)
    client.get(reverse("observatory:network"), PERIOD)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("observatory:network"), PERIOD)
    assert response.status_code == 200
    assert MonthlyFigure.objects.exists()


def test_offer_and_demand_fit_ranks_what_was_missing_beside_the_offer(
    client, cavalaire, greoux, agent, department_admin
):
    from acvs.offer.models import OfferType
    from tests.factories import OfferFactory

    camping, hotel = OfferType.objects.get(code="Camping"), OfferType.objects.get(code="Hotel")
    for n in range(8):
        request = raw_request(cavalaire, at(datetime.date(2026, 4, 1), 10, n), outcome="partly" if n < 6 else "fully")
        request.requested_types.set([camping] if n < 6 else [hotel])
        if n < 6:
            request.missing_types.set([camping])
    OfferFactory(types=["Hotel"], owner_office=cavalaire)  # in Cavalaire
    OfferFactory(
        types=["Hotel"], owner_office=greoux, commune=greoux_commune()
    )  # elsewhere: not in Cavalaire's territory
    recount()
    gaps = get(client, agent, "observatory:office").context["dashboard"].gaps
    assert [g.cells() for g in gaps] == [["Camping", 6, 6, 100, 0], ["Hôtel", 2, 0, 0, 1]]
    rows = read_csv(export(client, department_admin, "observatory:department_export", "fit", "csv"))
    assert rows[1:] == [["Camping", "6", "6", "100", "0"], ["Hôtel", "< 5", "< 5", "", "1"]]


def greoux_commune():
    from acvs.network.models import Commune

    return Commune.objects.get(insee="04094")


def test_the_map_shades_the_departements_of_origin_and_hides_small_ones(
    client, cavalaire, croix_valmer, agent, department_admin
):
    from acvs.network.models import Department
    from acvs.observatory.selectors import NO_DATA, SHADES

    var, paris = Department.objects.get(code="83"), Department.objects.get(code="75")
    bouches = Department.objects.get(code="13")
    requests(cavalaire, 12, origin="france", country="", department=var)
    requests(croix_valmer, 2, origin="france", country="", department=paris)
    requests(croix_valmer, 8, origin="france", country="", department=bouches)
    recount()
    areas = {a.name: a for a in get(client, agent, "observatory:office").context["origin_map"].areas}
    assert len(areas) == 96
    assert areas["Var (83)"].fill in SHADES
    assert areas["Paris (75)"].fill == NO_DATA
    areas = {a.name: a for a in get(client, department_admin, "observatory:department").context["origin_map"].areas}
    assert areas["Var (83)"].fill in SHADES
    assert areas["Var (83)"].shown == 12
    assert (areas["Paris (75)"].fill, areas["Paris (75)"].shown) == (NO_DATA, "< 5")  # 2 requests: not drawn
    assert (areas["Bouches-du-Rhône (13)"].fill, areas["Bouches-du-Rhône (13)"].shown) == (
        NO_DATA,
        "s",
    )  # hidden beside


def test_the_classification_figures_come_in_one_workbook_a_sheet_per_figure(client, cavalaire, agent):
    requests(cavalaire, 6, channel="phone", outcome="not")
    requests(cavalaire, 4, channel="email", outcome="partly")
    requests(cavalaire, 2, day=datetime.date(2025, 3, 4), outcome="not")  # the year before
    VisitorCount.objects.create(office=cavalaire, hour=at(datetime.date(2026, 3, 10), 10), count=40)
    VisitorCount.objects.create(office=cavalaire, hour=at(datetime.date(2025, 3, 10), 10), count=32)
    recount()
    response = get(client, agent, "observatory:office_quality")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="office-de-tourisme-de-cavalaire-')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["À propos", "Visiteurs par mois", "Demandes par canal", "Satisfaction", "Réclamations"]

    def rows(name):
        return [[cell.value for cell in row] for row in book[name].iter_rows()]

    assert ["mars 2026", 40, 32, 25] in rows("Visiteurs par mois")
    assert rows("Visiteurs par mois")[-1] == ["Total", 40, 32, 25]
    channels = rows("Demandes par canal")
    assert channels[0] == ["Mois", "Accueil", "Téléphone", "Courrier", "E-mail", "Formulaire web", "Réseaux sociaux",
                           "Demandes"]  # fmt: skip
    assert ["mars 2026", 0, 6, 0, 4, 0, 0, 10] in channels
    assert ["mars 2026", 0, 4, 6, 10, 40] in rows("Satisfaction")
    assert ["mars 2026", 6, 10, 60, 2] in rows("Réclamations")  # not satisfied, requests, %, a year before
    about = dict(rows("À propos")[1:])
    assert "« non satisfait »" in about["Réclamations"]


def test_a_bad_period_of_the_workbook_is_refused(client, agent):
    response = get(client, agent, "observatory:office_quality", start="2026-05", end="2026-01")
    assert response.status_code == 400
    assert "La période se termine avant de commencer" in response.content.decode()
