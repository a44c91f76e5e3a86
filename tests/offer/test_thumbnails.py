"""Photo thumbnails: made by the worker when a photo is added, on demand when missing, all at once with progress."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from acvs.booklet import render
from acvs.core import jobs
from acvs.core.models import Job
from acvs.core.tenancy import scope_for
from acvs.offer import services, thumbnails
from acvs.offer.models import OfferPhoto
from tests.booklet.conftest import add_photo
from tests.conftest import membership
from tests.factories import OfferFactory
from tests.workers import wait_until

pytestmark = pytest.mark.django_db


def png(colour=(200, 40, 40), size=(1600, 1200)) -> SimpleUploadedFile:
    from io import BytesIO

    data = BytesIO()
    Image.new("RGB", size, colour).save(data, "PNG")
    return SimpleUploadedFile("photo.png", data.getvalue(), content_type="image/png")


def test_adding_a_photo_makes_its_thumbnail_on_the_worker(agent, cavalaire, media, task_worker):
    offer = OfferFactory(owner_office=cavalaire)
    photo = services.offer_photo_add(offer=offer, membership=membership(agent), image=png(), credit="OT")
    target = wait_until(lambda: thumbnails.thumbnail(photo, make=False), what="the thumbnail")[0]
    with Image.open(target) as image:
        assert (image.format, image.size) == ("JPEG", (800, 600))


def test_the_thumbnail_is_queued_when_the_photo_is_committed(
    agent, cavalaire, media, django_capture_on_commit_callbacks
):
    offer = OfferFactory(owner_office=cavalaire)
    with django_capture_on_commit_callbacks() as queued:
        photo = services.offer_photo_add(offer=offer, membership=membership(agent), image=png(), credit="OT")
    assert thumbnails.thumbnail(photo, make=False) is None
    [enqueue] = queued
    enqueue()
    assert thumbnails.thumbnail(photo, make=False) is not None


def test_a_missing_thumbnail_is_made_on_demand_and_a_deleted_photo_takes_it_along(agent, cavalaire, media):
    offer = OfferFactory(owner_office=cavalaire)
    photo = add_photo(offer, media)
    assert thumbnails.thumbnail(photo, make=False) is None
    path, url = thumbnails.thumbnail(photo)
    assert path.exists()
    assert url == f"/media/{thumbnails.thumbnail_name(photo)}"
    services.offer_photo_delete(photo=photo, membership=membership(agent))
    assert not path.exists()


def test_an_unreadable_photo_has_no_thumbnail_and_breaks_nothing(cavalaire, media):
    offer = OfferFactory(owner_office=cavalaire)
    photo = add_photo(offer, media)
    (media / photo.image.name).write_bytes(b"not a picture")
    assert thumbnails.thumbnail(photo) is None
    assert [p for p in (media / thumbnails.FOLDER).rglob("*") if p.is_file()] == []


def test_the_booklet_reads_the_thumbnail_made_beforehand(agent, cavalaire, media):
    from acvs.booklet import services as booklet_services

    offer = OfferFactory(owner_office=cavalaire)
    photo = add_photo(offer, media)
    path, _url = thumbnails.thumbnail(photo)
    made = path.stat().st_mtime_ns
    booklet = booklet_services.booklet_create(membership=membership(agent))
    booklet_services.item_add(membership=membership(agent), booklet=booklet, offer=offer)
    html = render.pdf_html(booklet, site_url="http://t")
    assert path.as_uri() in html
    assert path.stat().st_mtime_ns == made


def make_photos(media, cavalaire, count):
    return [add_photo(OfferFactory(owner_office=cavalaire), media, colour=(i, 100, 100)) for i in range(count)]


def test_the_missing_thumbnails_are_made_with_progress(media, cavalaire):
    photos = make_photos(media, cavalaire, 5)
    thumbnails.thumbnail(photos[0])
    (media / photos[1].image.name).unlink()
    steps = []
    with translation.override("en"):
        message = thumbnails.thumbnails_make_missing(None, lambda done, total: steps.append((done, total)))
    assert steps == [(0, 5), (1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    assert message == "3 thumbnails made, 5 photos checked. 1 photo has no readable file."
    assert all(thumbnails.thumbnail(p, make=False) for p in photos if p != photos[1])


def test_network_admins_make_the_missing_thumbnails_and_follow_the_progress(
    client,
    network_admin,
    cavalaire,
    media,
    task_worker,
):
    photos = make_photos(media, cavalaire, 4)
    client.force_login(network_admin)
    client.cookies["django_language"] = "en"
    page = client.get("/offers/photos/thumbnails/")
    assert "among the 4 photos of the network" in page.text
    assert 'id="job-' not in page.text

    assert client.post("/offers/photos/thumbnails/").status_code == 302
    job = wait_until(lambda: (j := Job.objects.get()).is_finished and j, what="the job")
    assert (job.status, job.done, job.total) == (Job.Status.DONE, 4, 4)
    assert job.message == "4 thumbnails made, 4 photos checked."
    assert all(thumbnails.thumbnail(p, make=False) for p in photos)
    page = client.get("/offers/photos/thumbnails/").text
    assert "4 thumbnails made, 4 photos checked." in page
    assert "hx-trigger" not in page


def test_the_progress_is_shown_and_polled_while_the_job_runs(client, network_admin, cdt_var):
    job = Job.objects.create(
        kind=thumbnails.REBUILD.name, office=cdt_var, user=network_admin, language="en", status="running"
    )
    Job.objects.filter(pk=job.pk).update(done=12, total=30)
    client.force_login(network_admin)
    client.cookies["django_language"] = "en"
    page = client.get("/offers/photos/thumbnails/").text
    assert '<progress value="12" max="30" aria-label="Photo thumbnails">40 %</progress>' in page
    assert "12 of 30 (40 %)" in page
    assert 'hx-get="/offers/photos/thumbnails/"' in page
    assert 'hx-target="#thumbnails-work"' in page
    assert '<button type="submit" id="make-thumbnails" disabled>' in page
    # htmx polls the work part only.
    fragment = client.get("/offers/photos/thumbnails/", headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith('<div id="thumbnails-work">')
    assert "12 of 30 (40 %)" in fragment
    # A second run is refused while this one goes on.
    client.post("/offers/photos/thumbnails/")
    assert Job.objects.count() == 1


@pytest.mark.parametrize("role", ["agent", "manager", "department_admin"])
def test_only_network_admins_make_thumbnails(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/offers/photos/thumbnails/").status_code == 403
    assert client.post("/offers/photos/thumbnails/").status_code == 403
    assert not Job.objects.exists()


def test_a_network_admin_of_another_office_cannot_follow_or_retry_this_job(client, network_admin, agent, cavalaire):
    job = Job.objects.create(kind=thumbnails.REBUILD.name, office=cavalaire, user=agent, language="en", status="failed")
    client.force_login(network_admin)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 404
    with scope_for(office=network_admin.memberships.get().office):
        assert jobs.latest_job(thumbnails.REBUILD) is None
    assert OfferPhoto.objects.count() == 0
