"""A contact's timeline shows its answers (sent, bounced) and replies, in a number of queries that does not grow."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from acvs.contacts.models import ContactEmail
from acvs.mailing.models import Answer, IncomingMessage

pytestmark = pytest.mark.django_db


def add_entries(visitor_request, count: int, start: int = 0) -> None:
    base = timezone.now() - datetime.timedelta(days=30)
    for n in range(start, start + count):
        at = base + datetime.timedelta(hours=n)
        answer = Answer.objects.create(
            visitor_request=visitor_request, to="ann@example.org", subject=f"Your stay {n}", body="Dear Ann,",
            status=Answer.Status.SENT, sent_at=at, message_id=f"<a{n}@acvs.example>",
            bounced_at=at + datetime.timedelta(minutes=5), bounce_reason=f"5.1.1 user unknown {n}",
        )  # fmt: skip
        IncomingMessage.objects.create(
            visitor_request=visitor_request, answer=answer, message_id=f"<r{n}@visitor.example>",
            sender="Ann <ann@example.org>", subject=f"Re: Your stay {n}", received_at=at + datetime.timedelta(hours=1),
        )  # fmt: skip


def test_the_timeline_shows_answers_bounces_and_replies_without_a_query_per_entry(
    client, agent, email_request, django_assert_max_num_queries
):
    contact_id = ContactEmail.objects.get(email="ann@example.org").contact_id
    client.force_login(agent)
    add_entries(email_request, 1)
    client.get(f"/contacts/{contact_id}/")  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as one:
        page = client.get(f"/contacts/{contact_id}/")
    assert page.status_code == 200

    add_entries(email_request, 9, start=1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(f"/contacts/{contact_id}/")
    timeline = page.text.split('id="timeline"')[1].split("</section>")[0]
    assert timeline.count("Answer sent: ") == 10
    assert timeline.count("Answer bounced: ") == 10
    assert timeline.count("Reply: ") == 10
    assert "Your stay 9 · 5.1.1 user unknown 9" in timeline
    # Newest first: the last reply comes before the last answer sent.
    assert timeline.index("Re: Your stay 9") < timeline.index("Your stay 9 · ann@example.org")
