"""The demo's written answers: templates in four languages for every office, an answer per answered request."""

import datetime
import random

import pytest
from django.utils import timezone

from acvs.demo import mailing as demo_mailing
from acvs.demo import network
from acvs.desk.models import RequestStatus, VisitorRequest
from acvs.mailing.models import Answer, AnswerTemplate
from acvs.mailing.sending import working_days_between
from acvs.network.models import Department, Office

pytestmark = pytest.mark.django_db


def test_demo_templates_and_answers():
    offices = network.create_offices()
    cavalaire = offices["cavalaire"]
    var = Department.objects.get(code="83")
    for days_ago in (40, 20, 10):
        received = timezone.now() - datetime.timedelta(days=days_ago)
        VisitorRequest.objects.create(
            office=cavalaire, channel="email", received_at=received, origin="france", department=var,
            status=RequestStatus.ANSWERED, due_date=timezone.localtime(received).date() + datetime.timedelta(days=3),
        )  # fmt: skip
    count = demo_mailing.fill(random.Random(2026), offices)

    counters = [o for o in offices.values() if o.kind != Office.Kind.UNION]
    assert AnswerTemplate.objects.count() == 4 * len(counters)
    assert set(AnswerTemplate.objects.filter(office=cavalaire).values_list("language", flat=True)) == {
        "fr", "en", "de", "it",
    }  # fmt: skip
    for template in AnswerTemplate.objects.all():
        template.full_clean()  # every merge field is known
        assert "{greeting}" in template.body
    assert count == Answer.objects.count() == 3
    for answer in Answer.objects.select_related("visitor_request"):
        request = answer.visitor_request
        sent_on = timezone.localtime(answer.sent_at).date()
        assert answer.sent_at >= request.received_at
        assert answer.working_days == working_days_between(timezone.localtime(request.received_at).date(), sent_on)
        assert answer.late == (sent_on > request.due_date)
