import re

import pytest

from acvs.booklet import services
from acvs.booklet.models import Booklet, BookletItem, BookletSending, Branding
from acvs.core.models import Job
from acvs.desk import advice
from acvs.offer.models import Offer, Status
from tests.conftest import membership
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def staff_urls(booklet) -> list[tuple[str, str]]:
    item = booklet.items.first()
    base = f"/booklets/{booklet.pk}"
    return [
        ("get", f"{base}/"),
        ("get", f"{base}/pdf/"),
        ("get", f"{base}/print/"),
        ("get", f"{base}/preview/"),
        ("post", f"{base}/"),
        ("post", f"{base}/send/"),
        ("post", f"{base}/delete/"),
        ("post", f"{base}/items/add/"),
        ("post", f"{base}/items/{item.pk}/"),
        ("post", f"{base}/items/{item.pk}/move/"),
        ("post", f"{base}/items/{item.pk}/remove/"),
    ]


def test_another_offices_agent_gets_404_everywhere_and_changes_nothing(client, other_agent, booklet, offers):
    client.force_login(other_agent)
    before = list(BookletItem.objects.order_by("pk").values_list("pk", "position", "note"))
    for method, url in staff_urls(booklet):
        data = {"offer": offers[0].pk, "to": "x@example.org", "title": "Hacked", "direction": "down"}
        response = getattr(client, method)(url, data if method == "post" else None)
        assert response.status_code == 404, (method, url, response.status_code)
    assert Booklet.objects.get(pk=booklet.pk).title == "Séjour à Cavalaire"
    assert list(BookletItem.objects.order_by("pk").values_list("pk", "position", "note")) == before


def test_a_partner_cannot_build_booklets(client, partner, booklet, make_request):
    request = make_request()
    client.force_login(partner)
    assert client.get("/booklets/").status_code == 403
    assert client.post("/booklets/new/").status_code == 403
    assert client.post(f"/booklets/from-request/{request.pk}/").status_code == 403
    assert client.get(f"/booklets/{booklet.pk}/pdf/").status_code == 403
    assert Booklet.objects.count() == 1


def test_the_branding_page_is_for_managers(client, agent, manager, cavalaire):
    client.force_login(agent)
    assert client.get("/booklets/branding/").status_code == 403
    client.force_login(manager)
    assert client.get("/booklets/branding/").status_code == 200
    data = {
        "primary_colour": "#123456",
        "accent_colour": "#abcdef",
        "default_layout": "magazine",
        "footer": "Bienvenue",
    }
    assert client.post("/booklets/branding/", data).status_code == 302
    assert Branding.objects.get(office=cavalaire).primary_colour == "#123456"
    response = client.post("/booklets/branding/", {**data, "primary_colour": "blue"})
    assert response.status_code == 400


def test_the_public_web_version_opens_without_login_and_records_the_first_opening(client, agent, booklet):
    url = f"/booklets/b/{booklet.token}/"
    client.force_login(agent)  # the office previewing: not counted
    assert client.get(url).status_code == 200
    assert Booklet.objects.get(pk=booklet.pk).first_opened_at is None

    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert 'name="viewport"' in response.text
    for name in ("Plage de Bonporteau", "Musée de la Mer", "Sentier du Littoral"):
        assert name in response.text
    assert "<svg" in response.text  # the map
    first = Booklet.objects.get(pk=booklet.pk).first_opened_at
    assert first is not None
    client.get(url)
    assert Booklet.objects.get(pk=booklet.pk).first_opened_at == first


@pytest.mark.parametrize("token", ["unknown-token-of-enough-length", "short", "x" * 80])
def test_a_wrong_token_is_404(client, booklet, token):
    assert client.get(f"/booklets/b/{token}/").status_code == 404


def test_pdf_download_is_an_attachment_with_a_readable_name(client, agent, booklet):
    client.force_login(agent)
    response = client.get(f"/booklets/{booklet.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="sejour-a-cavalaire-{booklet.pk}.pdf"'
    assert response.content.startswith(b"%PDF")
    response = client.get(f"/booklets/{booklet.pk}/print/")
    assert response["Content-Disposition"].startswith("inline;")


def test_request_page_lists_its_booklets_and_builds_one(
    client, agent, offers, make_request, smtp, django_capture_on_commit_callbacks
):
    request = make_request()
    advice.suggestion_add(membership=membership(agent), visitor_request=request, offer=offers[1])
    client.force_login(agent)
    page = client.get(f"/desk/requests/{request.pk}/")
    assert 'id="build-booklet"' in page.text

    response = client.post(f"/booklets/from-request/{request.pk}/")
    booklet = Booklet.objects.get(visitor_request=request)
    assert response.status_code == 302
    assert response["Location"] == f"/booklets/{booklet.pk}/"
    assert list(booklet.items.values_list("offer__name", flat=True)) == ["Musée de la Mer"]

    with django_capture_on_commit_callbacks(execute=False) as queued:
        sending = services.booklet_send(
            membership=membership(agent), booklet=booklet, to="ann@example.org", with_pdf=False, site_url="http://t"
        )
    page = client.get(f"/desk/requests/{request.pk}/")
    assert f'id="booklet-{booklet.pk}"' in page.text
    assert "· queued ·" in " ".join(page.text.split())
    [enqueue] = queued
    enqueue()  # the transaction committed: the (immediate) task backend sends now
    assert BookletSending.objects.get(pk=sending.pk).status == BookletSending.Status.SENT
    page = client.get(f"/desk/requests/{request.pk}/")
    assert "sent to ann@example.org" in page.text
    assert "not opened yet" in page.text


def test_another_office_cannot_build_from_a_request(client, other_agent, make_request):
    request = make_request()
    client.force_login(other_agent)
    assert client.post(f"/booklets/from-request/{request.pk}/").status_code == 404
    assert not Booklet.objects.exists()


def test_the_editor_searches_offers_and_adds_them(client, agent, booklet, cavalaire):
    OfferFactory(owner_office=cavalaire, name="Domaine des Pins Parasols")
    client.force_login(agent)
    page = client.get(f"/booklets/{booklet.pk}/", {"q": "parasols"})
    assert page.status_code == 200
    assert "Domaine des Pins Parasols" in page.text
    offer_pk = page.context["results"][0].pk
    response = client.post(f"/booklets/{booklet.pk}/items/add/", {"offer": offer_pk, "q": "parasols"})
    assert response.status_code == 302
    assert "q=parasols" in response["Location"]
    assert booklet.items.order_by("position").last().offer.name == "Domaine des Pins Parasols"


def test_an_offer_search_that_cannot_be_searched_is_refused_with_the_reason(client, agent, booklet):
    client.force_login(agent)
    page = client.get(f"/booklets/{booklet.pk}/", {"q": "parasols\x00"})
    assert (page.status_code, page.context["results"]) == (400, [])
    assert "Null characters are not allowed." in page.text


def test_the_editor_saves_the_settings_and_reports_errors(client, agent, booklet):
    client.force_login(agent)
    data = {"title": "Week-end", "language": "en", "layout": "magazine", "version": booklet.version}
    assert client.post(f"/booklets/{booklet.pk}/", data).status_code == 302
    saved = Booklet.objects.get(pk=booklet.pk)
    assert (saved.title, saved.language, saved.layout) == ("Week-end", "en", "magazine")
    # A second save based on the old version is refused, nothing lost silently.
    response = client.post(f"/booklets/{booklet.pk}/", {**data, "title": "Stale"})
    assert response.status_code == 400
    assert Booklet.objects.get(pk=booklet.pk).title == "Week-end"
    # The page keeps what was typed on the current version: saving it again is a deliberate overwrite.
    assert 'value="Stale"' in response.text
    assert f'name="version" value="{saved.version}"' in response.text


def test_the_list_page_runs_a_fixed_number_of_queries(client, agent, offers, django_assert_max_num_queries):
    for i in range(5):
        services.booklet_create(membership=membership(agent), title=f"Booklet {i}")
    client.force_login(agent)
    client.get("/booklets/")
    with django_assert_max_num_queries(12):
        response = client.get("/booklets/")
    assert len(re.findall(r'id="booklet-\d+"', response.text)) == 5


def test_only_published_offers_go_in_and_a_bad_id_is_404(client, agent, booklet, cavalaire):
    draft = OfferFactory(name="Gîte en projet", owner_office=cavalaire, status=Status.DRAFT)
    client.force_login(agent)
    response = client.post(f"/booklets/{booklet.pk}/items/add/", {"offer": draft.pk}, follow=True)
    assert "Only published offers can go in a booklet." in response.text
    assert not booklet.items.filter(offer=draft).exists()
    assert client.post(f"/booklets/{booklet.pk}/items/add/", {"offer": "abc"}).status_code == 404
    # An offer withdrawn after it was added leaves the public web version.
    first = booklet.items.order_by("position").first().offer
    Offer.objects.filter(pk=first.pk).update(status=Status.ARCHIVED)
    assert first.name not in client.get(f"/booklets/b/{booklet.token}/").text


def test_days_beyond_a_fortnight_stay_selectable(client, agent, booklet):
    item = booklet.items.order_by("position").first()
    services.item_update(membership=membership(agent), booklet=booklet, item_id=item.pk, day=20, note="")
    client.force_login(agent)
    assert '<option value="20" selected>' in client.get(f"/booklets/{booklet.pk}/").text.replace("  ", " ")


def test_the_page_shows_the_sending_queued_then_its_outcome(
    client, agent, booklet, smtp, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    editor = f"/booklets/{booklet.pk}/"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(f"{editor}send/", {"to": "bob@example.org", "with_pdf": ""})
    assert response.status_code == 302
    assert response["Location"] == f"{editor}#send"
    job = Job.objects.get()
    page = client.get(editor).text
    # Queued: polled by htmx, with a refresh link for pages without JavaScript.
    assert "Sending the booklet" in page
    assert "Queued: it starts in a moment." in page
    assert f'hx-get="/booklets/{booklet.pk}/sendings/"' in page
    assert 'hx-trigger="every 1s"' in page
    assert f'<a href="{editor}#send" class="job-refresh">Refresh</a>' in page
    assert '<li class="queued">' in page

    [enqueue] = queued
    enqueue()
    fragment = client.get(f"/booklets/{booklet.pk}/sendings/").text
    assert fragment.lstrip().startswith('<div id="sending-status">')
    assert "Done." in fragment
    assert "Booklet sent to bob@example.org." in fragment
    assert '<li class="sent">' in fragment
    assert "hx-trigger" not in fragment  # finished: the polling stops
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE


def test_a_failed_sending_shows_its_reason_and_is_retried_to_the_same_address(
    client, agent, booklet, smtp, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    editor = f"/booklets/{booklet.pk}/"
    smtp.refuse = "550 5.1.1 Unknown user"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{editor}send/", {"to": "dora@example.org"})
    job = Job.objects.get()
    page = client.get(editor).text
    assert "Failed." in page
    assert "The mail server refused the message: 550 5.1.1 Unknown user." in page
    assert '<li class="failed">' in page
    assert f'<form method="post" action="/jobs/{job.pk}/retry/"' in page

    smtp.refuse = None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/jobs/{job.pk}/retry/", {"next": f"{editor}#send"})
    assert response["Location"] == f"{editor}#send"
    page = client.get(editor).text
    assert "The work is queued again." in page
    assert "Booklet sent to dora@example.org." in page
    assert [e.rcpt_tos for e in smtp.envelopes] == [["dora@example.org"]]


def test_a_retry_elsewhere_than_this_site_comes_back_home(client, agent, booklet):
    job = services.booklet_send(
        membership=membership(agent), booklet=booklet, to="ann@example.org", with_pdf=False, site_url="http://t"
    ).job
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)
    client.force_login(agent)
    response = client.post(f"/jobs/{job.pk}/retry/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_running_sending_cannot_be_retried_yet(client, agent, booklet):
    job = services.booklet_send(
        membership=membership(agent), booklet=booklet, to="ann@example.org", with_pdf=False, site_url="http://t"
    ).job
    client.force_login(agent)
    response = client.post(f"/jobs/{job.pk}/retry/", {"next": f"/booklets/{booklet.pk}/"}, follow=True)
    assert "This work cannot be tried again now." in response.text
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED


def test_reversed_stay_dates_get_a_clear_message(client, agent, booklet):
    client.force_login(agent)
    data = {"title": "Séjour", "language": "fr", "layout": "classic", "version": booklet.version}
    response = client.post(f"/booklets/{booklet.pk}/", {**data, "stay_start": "2027-07-10", "stay_end": "2027-07-01"})
    assert response.status_code == 400
    assert "The end of the stay cannot be before its start." in response.text


def test_the_web_version_takes_its_colours_from_a_stylesheet_of_its_own(client, booklet, cavalaire):
    Branding.objects.create(office=cavalaire, primary_colour="#fde047", accent_colour="#facc15")
    response = client.get(f"/booklets/b/{booklet.token}/")
    assert "<style" not in response.text  # the policy admits no inline style
    assert response["Content-Security-Policy"].split("; ")[2] == "style-src 'self'"
    [href] = re.findall(r'<link rel="stylesheet" href="(/booklets/b/[\w-]+/colours\.css)">', response.text)
    css = client.get(href)
    assert css.status_code == 200
    assert css["Content-Type"] == "text/css; charset=utf-8"
    # The pale yellows themselves for surfaces, and dark enough versions of them for text on the white page.
    assert "--primary: #fde047;" in css.text
    assert "--on-primary: #1c1917;" in css.text
    assert re.search(r"--accent-text: #[0-9a-f]{6};", css.text)
    assert "--accent-text: #facc15;" not in css.text
    assert client.get("/booklets/b/not-a-booklet-token-at-all/colours.css").status_code == 404
