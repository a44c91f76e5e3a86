"""The list's page and total (selectors.list_page) and its date filters, as the list page reads them."""

import datetime
import re
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from acvs.contacts import selectors
from acvs.contacts.models import Contact, ContactEmail, ContactPhone
from acvs.core.tenancy import scope_for
from acvs.network.models import Commune
from tests.conftest import membership

PARIS = ZoneInfo("Europe/Paris")


def people(office, count: int, name: str = "Anna Schmidt", **fields) -> list[Contact]:
    with scopes_disabled():
        rows = [Contact(office=office, name=f"{name} {i:03}", **fields) for i in range(count)]
        return Contact.objects.bulk_create(rows)


def test_a_text_search_reads_its_page_then_counts_up_to_the_cap(agent, other_agent, django_assert_num_queries):
    office = membership(agent).office
    people(office, 30)
    people(office, 5, name="Jean Martin")
    people(membership(other_agent).office, 40)  # another office's Schmidts are neither counted nor shown
    with scope_for(office=office):
        # SQLite: the page (and the row after it), the count up to the cap. PostgreSQL: the estimate, then the page
        # and its total together.
        with django_assert_num_queries(2):
            page = selectors.list_page(selectors.search({"q": "schmidt"}), 1, 25, by_text=True)
        assert not getattr(page.paginator, "approximate", False)
        assert page.paginator.count == 30
        assert page.paginator.num_pages == 2
        assert [c.name for c in page.object_list] == [f"Anna Schmidt {i:03}" for i in range(25)]
        # A first page holding every match has its count (PostgreSQL: the estimate, then page and total together).
        with django_assert_num_queries(1 + (connection.vendor == "postgresql")):
            page = selectors.list_page(selectors.search({"q": "martin"}), 1, 25, by_text=True)
        assert (page.paginator.count, len(page.object_list), page.has_next()) == (5, 5, False)


def analyse() -> None:
    """PostgreSQL's statistics, as autovacuum keeps them: the planner's estimate decides the path there."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE contacts_contact; ANALYZE contacts_contactemail")


def page_of(text: str, number: int, per_page: int = 5):
    criteria = {"q": text}
    walk = selectors.search(criteria, walk=True)
    return selectors.list_page(selectors.search(criteria), number, per_page, by_text=True, walk=walk)


def test_beyond_the_cap_the_total_is_an_estimate_and_the_page_reads_only_its_rows(agent, other_agent, settings):
    """Both databases, the planner deciding on PostgreSQL: past ACVS_CONTACT_EXACT_COUNT_MAX the matches are not
    counted and the page is read alone; below it, they are counted exactly."""
    settings.ACVS_CONTACT_EXACT_COUNT_MAX = 12
    office = membership(agent).office
    people(office, 150)
    people(office, 8, name="Jean Martin")
    people(membership(other_agent).office, 60, name="Jean Martin")  # another office's: never counted
    analyse()
    postgres = connection.vendor == "postgresql"
    with scope_for(office=office):
        with CaptureQueriesContext(connection) as read:
            page = page_of("schmidt", 1)
        assert page.paginator.approximate
        # PostgreSQL's estimate when it is above the cap; else (SQLite) "more than the cap".
        assert page.paginator.count >= 13
        assert page.paginator.cap == 12
        assert page.paginator.estimated == postgres
        assert [c.name for c in page.object_list] == [f"Anna Schmidt {i:03}" for i in range(5)]
        assert page.has_next()
        assert page.next_page_number() == 2
        assert not page.has_previous()
        sql = [q["sql"] for q in read.captured_queries]
        assert not any("OVER" in q for q in sql)  # no total over every match
        assert any(q.startswith("EXPLAIN") for q in sql) == postgres  # the planner's estimate on PostgreSQL
        if not postgres:  # no estimate: counted up to the cap and one more
            assert any("LIMIT 13" in q and "COUNT(" in q for q in sql)
        # Later pages: the next one exists while a row follows; the last page has none.
        page = page_of("schmidt", 30)
        assert ([c.name for c in page.object_list], page.has_next()) == (
            [f"Anna Schmidt {i:03}" for i in range(145, 150)],
            False,
        )
        assert page.has_previous()
        assert page.previous_page_number() == 29
        assert page_of("schmidt", 40).object_list == []
        # Below the cap (8 of this office, the other office's 60 are not in its count): counted exactly. (On a table
        # this small, PostgreSQL's planner may estimate them at 40: an estimate within twice the cap is counted.)
        settings.ACVS_CONTACT_EXACT_COUNT_MAX = 30
        page = page_of("martin", 1)
        assert not getattr(page.paginator, "approximate", False)
        assert (page.paginator.count, page.paginator.num_pages) == (8, 2)
        page = page_of("martin", 9)
        assert (page.number, len(page.object_list)) == (2, 3)


def test_the_walk_tests_each_contact_as_the_gathered_matches_do(agent, other_agent):
    """`search(walk=True)` (each contact tested in turn, for a common text) finds what the union of indexed matches
    finds: by name, commune, part of an address, a whole address, a phone's digits; never another office's."""
    office, other = membership(agent).office, membership(other_agent).office
    with scopes_disabled():
        commune = Commune.objects.order_by("insee").first()
        rows = people(office, 6, name="Anna Weber")
        rows += people(office, 2, name="Paul Durand", commune=commune)
        people(other, 4, name="Anna Weber")
        for i, contact in enumerate(rows):
            ContactEmail.objects.create(office=office, contact=contact, email=f"aweber.{i}@example.org")
            ContactPhone.objects.create(office=office, contact=contact, phone=f"+3361200{i:04d}")
        durand = people(office, 1, name="Louis Durand")[0]
        ContactEmail.objects.create(office=office, contact=durand, email="louis@weber-gites.example.org")
    with scope_for(office=office):
        for text in ("weber", "WEBER", commune.name[:5], "aweber.3", "aweber.3@example", "06 12 00 00 05", "zzz"):
            gathered = list(selectors.search({"q": text}).values_list("pk", flat=True))
            walked = list(selectors.search({"q": text}, walk=True).values_list("pk", flat=True))
            assert walked == gathered, text
        assert len(selectors.search({"q": "weber"}, walk=True)) == 9  # six by name, three by address only


def test_an_estimate_near_the_cap_is_checked_by_counting_up_to_it(agent, settings, monkeypatch):
    """Whatever the database: an estimate within twice the cap is confirmed by a count up to the cap (a
    planner that overestimated gives way to the exact count); far beyond, the estimate stands uncounted."""
    settings.ACVS_CONTACT_EXACT_COUNT_MAX = 12
    people(membership(agent).office, 10)
    with scope_for(office=membership(agent).office):
        monkeypatch.setattr(selectors, "_estimate", lambda found: 20)
        page = page_of("schmidt", 1)
        assert not getattr(page.paginator, "approximate", False)
        assert (page.paginator.count, [c.name for c in page.object_list][:2]) == (
            10,
            ["Anna Schmidt 000", "Anna Schmidt 001"],
        )
        monkeypatch.setattr(selectors, "_estimate", lambda found: 12_345)
        with CaptureQueriesContext(connection) as read:
            page = page_of("schmidt", 1)
        assert (page.paginator.approximate, page.paginator.estimated, page.paginator.count) == (True, True, 12_000)
        assert not any("COUNT(" in q["sql"] for q in read.captured_queries)
        assert len(page.object_list) == 5


def test_the_list_says_the_total_is_approximate(client, agent, settings):
    settings.ACVS_CONTACT_EXACT_COUNT_MAX = 3
    people(membership(agent).office, 30)
    analyse()
    client.force_login(agent)
    page = client.get("/contacts/", {"q": "schmidt"}).text
    approximate = page.split('id="count-approximate">')[1].split("</p>")[0]
    if connection.vendor == "postgresql" and "Environ" in approximate:
        assert re.fullmatch(
            r"Environ [\d\s]+ contacts : une estimation, trop de résultats pour les compter exactement\.", approximate
        )
    else:
        assert approximate == "Plus de 3 contacts : trop de résultats pour les compter exactement."
    assert "Page 1</span>" in page
    assert "Page 1 sur" not in page
    assert 'page=2">Suivant</a>' in page
    settings.ACVS_CONTACT_EXACT_COUNT_MAX = 30
    page = client.get("/contacts/", {"q": "schmidt"}).text
    assert 'id="count-approximate"' not in page
    assert "30 contacts" in page
    assert "Page 1 sur 2" in page


def test_past_the_last_page_the_last_page_and_nothing_found_is_page_one(agent):
    office = membership(agent).office
    people(office, 30)
    with scope_for(office=office):
        page = selectors.list_page(selectors.search({"q": "schmidt"}), 9, 25, by_text=True)
        assert (page.number, page.paginator.count, len(page.object_list)) == (2, 30, 5)
        page = selectors.list_page(selectors.search({"q": "nobody"}), 1, 25, by_text=True)
        assert (page.number, page.paginator.count, list(page.object_list)) == (1, 0, [])
        page = selectors.list_page(selectors.search({}), 1, 25, by_text=False)
        assert (page.paginator.count, len(page.object_list)) == (30, 25)


def test_the_page_s_communes_are_read_with_it(agent, django_assert_num_queries):
    office = membership(agent).office
    commune = Commune.objects.get(insee="83036")
    people(office, 30, commune=commune, department=commune.department)
    with scope_for(office=office):
        with django_assert_num_queries(4):  # page and total (two statements), its communes, its départements
            page = selectors.list_page(selectors.search({"q": "schmidt"}), 1, 25, by_text=True)
        with django_assert_num_queries(4):  # the total, the page, its communes, its départements
            selectors.list_page(selectors.search({"language": "fr"}), 1, 25, by_text=False)
        with django_assert_num_queries(0):
            assert {c.commune.name for c in page.object_list} == {commune.name}
            assert {c.department.pk for c in page.object_list} == {commune.department_id}


def test_the_dates_are_the_agents_days_in_paris(agent):
    """A last contact at 23:30 in Paris on 1 March is on 1 March (22:30 UTC), and 00:30 on 2 March (23:30 UTC on
    1 March) on 2 March: the bounds are midnights in the current time zone, as the dates the agents type."""
    office = membership(agent).office
    late, early = people(office, 2)
    with scopes_disabled():
        Contact.objects.filter(pk=late.pk).update(last_contact_at=datetime.datetime(2026, 3, 1, 23, 30, tzinfo=PARIS))
        Contact.objects.filter(pk=early.pk).update(last_contact_at=datetime.datetime(2026, 3, 2, 0, 30, tzinfo=PARIS))
    march = {"1": datetime.date(2026, 3, 1), "2": datetime.date(2026, 3, 2)}
    with scope_for(office=office):

        def found(**criteria):
            return set(selectors.search(criteria).values_list("pk", flat=True))

        assert found(since=march["1"], until=march["1"]) == {late.pk}
        assert found(since=march["2"], until=march["2"]) == {early.pk}
        assert found(since=march["2"]) == {early.pk}
        assert found(until=march["1"]) == {late.pk}
        assert found(since="2026-03-01", until="2026-03-02") == {late.pk, early.pk}
