"""The current-consent table (models.consent.CurrentConsent) against its definition, the latest counted event per
contact and purpose (one awaiting its email confirmation never counts), after random sequences of what changes events:
gives and withdrawals (now or back-dated, face to face or to confirm by email), confirmations, the counter's boxes,
bulk imports, merges. Runs on SQLite and PostgreSQL (DATABASE_URL)."""

import contextlib
import datetime
import random
import threading

import pytest
from django.db import connection
from django.utils import timezone

from acvs.contacts import optin, selectors, services
from acvs.contacts.models import ConfirmationMail, ConsentEvent, Contact, CurrentConsent, Purpose, refresh_current
from acvs.contacts.services import ContactData
from acvs.core.tenancy import scope_for
from tests.conftest import membership


def latest_events() -> dict[tuple[int, str], tuple[int, bool]]:
    """The definition, computed apart: of each contact's counted (not pending) events per purpose, the one with the
    latest time, then id."""
    latest = {}
    for event in ConsentEvent.objects.filter(pending=False).order_by("at", "id"):
        latest[event.contact_id, event.purpose] = (event.pk, event.given)
    return latest


def table() -> dict[tuple[int, str], tuple[int, bool]]:
    rows = CurrentConsent.objects.values_list("contact_id", "purpose", "event_id", "given")
    return {(contact, purpose): (event, given) for contact, purpose, event, given in rows}


def check(office) -> None:
    assert table() == latest_events()
    assert set(CurrentConsent.objects.values_list("office", flat=True)) <= {office.pk}
    with scope_for(office=office):
        for purpose in Purpose.values:
            expected = {c for (c, p), (_e, given) in latest_events().items() if p == purpose and given}
            assert set(selectors.search({"consent": purpose}).values_list("pk", flat=True)) == expected


@pytest.mark.parametrize("seed", range(4))
def test_the_table_is_the_latest_event_per_purpose_after_random_changes(agent, cavalaire, seed):
    rng = random.Random(seed)
    m = membership(agent)
    people = [
        services.contact_create(
            membership=m, data=ContactData(fields={"name": f"Personne {i}"}, emails=[f"p{seed}-{i}@example.org"])
        )
        for i in range(5)
    ]
    now = timezone.now()
    for step in range(30):
        people = list(Contact.objects.filter(pk__in=[c.pk for c in people]))
        action = rng.choice(["record", "record", "backdated", "confirm", "bulk", "merge", "new"])
        contact = rng.choice(people)
        purpose, given = rng.choice(Purpose.values), rng.random() < 0.6
        # An email consent given by phone awaits its confirmation; face to face it counts at once.
        face_to_face = rng.random() < 0.5
        if action == "record":
            services.consent_record(membership=m, contact=contact, purpose=purpose, given=given, text="Texte",
                                    face_to_face=face_to_face)  # fmt: skip
        elif action == "backdated":
            # Recorded now, dated earlier: it may not be the latest one.
            at = now - datetime.timedelta(days=rng.randrange(5))
            services.consent_record(membership=m, contact=contact, purpose=purpose, given=given, text="Texte", at=at,
                                    face_to_face=face_to_face)  # fmt: skip
        elif action == "confirm" and (mails := list(ConfirmationMail.objects.order_by("pk"))):
            # Refused when a later counted event settled it: then nothing changes.
            with contextlib.suppress(optin.LinkRefused):
                optin.confirm(mail=rng.choice(mails))
        elif action == "bulk":
            ConsentEvent.objects.bulk_create(
                ConsentEvent(office=cavalaire, contact=rng.choice(people), purpose=rng.choice(Purpose.values),
                             given=rng.random() < 0.5, at=now + datetime.timedelta(seconds=rng.randrange(60)),
                             method="import", origin="Salon", text="Import", pending=rng.random() < 0.3)
                for _ in range(rng.randrange(1, 4))
            )  # fmt: skip
        elif action == "merge" and len(people) > 2:
            kept, merged = rng.sample(people, 2)
            services.contact_merge(membership=m, kept=kept, merged=merged, choices={})
            people.remove(merged)
        else:
            people.append(services.contact_create(
                membership=m, data=ContactData(fields={"name": "Nouveau"}, emails=[f"new-{seed}-{step}@example.org"])
            ))  # fmt: skip
        check(cavalaire)
    assert ConsentEvent.objects.filter(pending=True).exists()  # the sequence did ask for confirmations


def test_the_counter_boxes_keep_the_table(agent, cavalaire):
    from tests.contacts.test_services import counter_request

    counter_request(agent, email="jean@example.fr", consent_newsletter=True, consent_contact=True)
    check(cavalaire)
    assert CurrentConsent.objects.filter(given=True).count() == 2


def test_a_full_rebuild_gives_the_same_rows(agent, cavalaire):
    m = membership(agent)
    contact = services.contact_create(membership=m, data=ContactData(fields={"name": "A"}))
    services.consent_record(membership=m, contact=contact, purpose="newsletter", given=True, text="Oui",
                            face_to_face=True)  # fmt: skip
    services.consent_record(membership=m, contact=contact, purpose="newsletter", given=False, text="Non")
    before = table()
    CurrentConsent.objects.all()._raw_delete(CurrentConsent.objects.db)
    refresh_current()
    assert table() == before == latest_events()


def test_another_offices_current_consents_are_not_seen(agent, other_agent, cavalaire):
    for user in (agent, other_agent):
        m = membership(user)
        contact = services.contact_create(membership=m, data=ContactData(fields={"name": "A"}))
        services.consent_record(membership=m, contact=contact, purpose="newsletter", given=True, text="Oui",
                                face_to_face=True)  # fmt: skip
    with scope_for(office=cavalaire):
        assert CurrentConsent.objects.count() == 1
        assert selectors.search({"consent": "newsletter"}).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every write")
def test_concurrent_events_for_one_contact_leave_the_latest(agent):
    m = membership(agent)
    contact = services.contact_create(membership=m, data=ContactData(fields={"name": "A"}))
    barrier = threading.Barrier(4)
    errors = []

    def record(given: bool):
        try:
            barrier.wait()
            for _ in range(5):
                services.consent_record(membership=m, contact=contact, purpose="newsletter", given=given, text="T",
                                        face_to_face=True)  # fmt: skip
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(i % 2 == 0,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert table() == latest_events()
    assert ConsentEvent.objects.count() == 20
