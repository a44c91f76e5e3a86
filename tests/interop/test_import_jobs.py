"""Large files: checked and imported in the background, with progress, the page polling the run's body."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from acvs.core.models import Job
from acvs.interop.importing import services
from acvs.interop.models import ImportRun
from acvs.offer.models import Offer
from tests.conftest import membership
from tests.interop.test_datatourisme_import import flux_2024, objects_2023


@pytest.fixture(autouse=True)
def small_sync_limit(monkeypatch):
    monkeypatch.setattr(services, "SYNC_RECORDS", 3)  # the five records of the 2024 flux go to the background


def test_a_large_file_is_checked_then_imported_in_the_background(manager, django_capture_on_commit_callbacks):
    m = membership(manager)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.import_prepare(membership=m, name="flux.zip", content=flux_2024())
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CHECKED
    assert [line["action"] for line in run.report] == ["created"] * 5
    check = Job.objects.get(kind="interop.import_check")
    assert (check.status, check.done, check.total) == (Job.Status.DONE, 5, 5)
    assert not Offer.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.import_commit(membership=m, run=run, exclude_refused=False)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.COMMITTED
    assert Offer.objects.count() == 5
    assert Job.objects.get(kind="interop.import_commit").status == Job.Status.DONE


def test_the_page_shows_the_progress_then_the_report(client, manager, django_capture_on_commit_callbacks):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("interop:import_start"), {"file": SimpleUploadedFile("f.zip", flux_2024())})
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.CHECKING
    page = client.get(response["Location"]).content.decode()
    assert 'hx-target="#import-body"' in page
    assert "En cours de vérification" in page
    # Not yet checked: it cannot be imported.
    refused = client.post(reverse("interop:import_commit", args=[run.pk]))
    assert refused.status_code == 400
    assert "en arrière-plan" in refused.content.decode()

    for callback in queued:
        callback()
    fragment = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="import-body">')
    assert "5 offres créées" in fragment
    assert "hx-trigger" not in fragment


def test_a_refused_record_in_the_background_writes_nothing_unless_left_out(
    manager, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "BATCH", 2)
    m = membership(manager)
    content = objects_2023(**{"58-": ("@type", ["schema:Thing", "Spaceport"])})
    with django_capture_on_commit_callbacks(execute=True):
        run = services.import_prepare(membership=m, name="flux.zip", content=content)
    run.refresh_from_db()
    assert sorted(line["action"] for line in run.report) == ["created"] * 9 + ["refused"]
    with django_capture_on_commit_callbacks(execute=True):
        services.import_commit(membership=m, run=run, exclude_refused=False)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.REFUSED
    assert not Offer.objects.exists()

    run.status = ImportRun.Status.CHECKED  # as the page lets one try again, leaving the refused out
    run.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.import_commit(membership=m, run=run, exclude_refused=True)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.COMMITTED
    assert Offer.objects.count() == 9


def test_the_background_commit_does_not_write_the_run_s_records_again(manager, django_capture_on_commit_callbacks):
    """A flux file's records are megabytes of JSON: read once, stored when read, not written again by the commit (nor
    read by its lock), and still there, unchanged, afterwards (conflicts are settled against them)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    m = membership(manager)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.import_prepare(membership=m, name="flux.zip", content=flux_2024())
    run.refresh_from_db()
    records = run.records
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        services.import_commit(membership=m, run=run, exclude_refused=False)
    writes = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "interop_importrun"')]
    assert writes
    assert not [sql for sql in writes if '"records"' in sql]
    if connection.features.has_select_for_update:  # SQLite locks the whole base instead
        locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"] and '"interop_importrun"' in q["sql"]]
        assert locks
        assert not [sql for sql in locks if '"interop_importrun"."records"' in sql]
    run.refresh_from_db()
    assert run.status == ImportRun.Status.COMMITTED
    assert run.records == records
    assert Offer.objects.count() == 5
