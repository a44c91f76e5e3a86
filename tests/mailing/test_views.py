"""The pages: templates kept by managers, answering from the request page, the figures; another office sees nothing."""

import pytest
from django.utils import timezone

from acvs.desk.models import RequestStatus
from acvs.mailing import selectors, services
from acvs.mailing.models import Answer, AnswerTemplate
from acvs.network.models import Role
from tests.conftest import make_user, membership

pytestmark = pytest.mark.django_db


def test_a_manager_keeps_templates_and_unknown_fields_are_refused(client, manager):
    client.force_login(manager)
    form = {"language": "de", "name": "Auskunft", "subject": "Ihr Aufenthalt in {office}", "body": "{greeting} {{x}}"}
    response = client.post("/mailing/templates/new/", form)
    assert response.status_code == 400
    assert "Unknown merge field(s): {office}." in response.text
    assert not AnswerTemplate.objects.exists()

    response = client.post("/mailing/templates/new/", {**form, "subject": "Ihr Aufenthalt {"})
    assert response.status_code == 400
    assert "A brace is not closed or not opened" in response.text

    response = client.post("/mailing/templates/new/", {**form, "subject": "Ihr Aufenthalt in {office_name}"})
    assert response.status_code == 302
    template = AnswerTemplate.objects.get()
    assert (template.office.slug, template.language, template.body) == ("cavalaire", "de", "{greeting} {{x}}")
    page = client.get("/mailing/templates/")
    assert "Auskunft" in page.text
    assert "{visitor_name}" in page.text  # the list of merge fields


def test_an_agent_may_answer_but_not_change_templates(client, agent, template):
    client.force_login(agent)
    assert client.get("/mailing/templates/").status_code == 403
    assert client.post(f"/mailing/templates/{template.pk}/delete/").status_code == 403
    assert AnswerTemplate.objects.filter(pk=template.pk).exists()


def test_the_answer_page_merges_the_template_in_the_visitor_language(client, agent, manager, template, email_request):
    french = services.template_save(
        membership=membership(manager),
        data={"language": "fr", "name": "Infos", "subject": "Votre séjour", "body": "{greeting}\n\nÀ bientôt."},
    )
    client.force_login(agent)
    page = client.get(f"/mailing/requests/{email_request.pk}/answer/")
    assert page.status_code == 200
    assert "Dear Ann Smith," in page.text  # English, the visitor's language
    assert 'value="Your stay in Office de tourisme de Cavalaire"' in page.text
    assert 'value="ann@example.org"' in page.text
    page = client.get(f"/mailing/requests/{email_request.pk}/answer/", {"template": french.pk})
    assert "Bonjour Ann Smith," in page.text
    # Another office's template, or none by that number: refused with the reason, the default merged.
    page = client.get(f"/mailing/requests/{email_request.pk}/answer/", {"template": "999999"})
    assert page.status_code == 400
    assert "Select a valid choice." in page.text
    assert "Dear Ann Smith," in page.text


def test_answering_from_the_request_page(
    client, agent, template, email_request, smtp, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    detail = client.get(f"/desk/requests/{email_request.pk}/")
    assert f'href="/mailing/requests/{email_request.pk}/answer/"' in detail.text
    form = {"template": template.pk, "to": "ann@example.org", "subject": "Your stay", "body": "Dear Ann,\n\nWelcome."}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/mailing/requests/{email_request.pk}/answer/", form)
    assert response.status_code == 302
    assert response["Location"] == f"/desk/requests/{email_request.pk}/#answers"
    answer = Answer.objects.get()
    assert (answer.status, answer.template, answer.by) == (Answer.Status.SENT, template, agent)
    assert len(smtp.envelopes) == 1
    email_request.refresh_from_db()
    assert email_request.status == RequestStatus.ANSWERED
    detail = client.get(f"/desk/requests/{email_request.pk}/")
    assert "sent on" in detail.text
    assert "after 0 working days" in detail.text
    fragment = client.get(f"/mailing/requests/{email_request.pk}/answers/", headers={"HX-Request": "true"})
    assert 'id="answer-list"' in fragment.text
    assert "Done." in fragment.text


def test_a_refused_answer_keeps_what_was_typed(client, agent, email_request, smtp):
    client.force_login(agent)
    form = {"to": "ann@", "subject": "Your stay", "body": "A long answer typed with care."}
    response = client.post(f"/mailing/requests/{email_request.pk}/answer/", form)
    assert response.status_code == 400
    assert "“ann@” is not a valid email address." in response.text
    assert "A long answer typed with care." in response.text
    assert not Answer.objects.exists()
    assert smtp.envelopes == []


def test_another_office_never_sees_nor_sends_an_answer(
    client, other_agent, croix_valmer, agent, template, email_request, smtp
):
    answer = services.answer_send(
        membership=membership(agent), visitor_request=email_request, to="ann@example.org", subject="Your stay",
        body="Dear Ann,", template=template, booklet=None, site_url="http://testserver",
    )  # fmt: skip
    client.force_login(other_agent)
    assert client.get(f"/mailing/requests/{email_request.pk}/answer/").status_code == 404
    form = {"to": "x@example.org", "subject": "Spam", "body": "Spam"}
    assert client.post(f"/mailing/requests/{email_request.pk}/answer/", form).status_code == 404
    assert client.get(f"/mailing/requests/{email_request.pk}/answers/").status_code == 404
    assert client.post(f"/jobs/{answer.job_id}/retry/").status_code == 404
    assert Answer.objects.count() == 1
    client.force_login(make_user("othermanager", croix_valmer, Role.MANAGER))
    assert client.get(f"/mailing/templates/{template.pk}/").status_code == 404
    assert client.post(f"/mailing/templates/{template.pk}/delete/").status_code == 404
    assert template.subject not in client.get("/mailing/templates/").text
    assert AnswerTemplate.objects.filter(pk=template.pk).exists()


def test_the_partner_does_not_answer(client, partner, email_request):
    client.force_login(partner)
    assert client.get(f"/mailing/requests/{email_request.pk}/answer/").status_code == 403


def test_the_figures_per_month(client, manager, agent, email_request, make_request):
    now = timezone.now()
    for days, late in ((1, False), (3, False), (5, True)):
        Answer.objects.create(
            visitor_request=email_request, to="ann@example.org", subject="S", body="B", by=agent,
            status=Answer.Status.SENT, sent_at=now, working_days=days, late=late,
        )  # fmt: skip
    Answer.objects.create(visitor_request=email_request, to="ann@example.org", subject="S", body="B",
                          status=Answer.Status.FAILED)  # fmt: skip
    this_month = selectors.answer_figures()[-1]
    assert (this_month.month, this_month.sent, this_month.median_days, this_month.late) == (
        timezone.localdate().replace(day=1), 3, 3, 1,
    )  # fmt: skip
    assert this_month.on_time_share == 67
    assert len(selectors.answer_figures()) == 12
    client.force_login(manager)
    page = client.get("/mailing/figures/")
    assert page.status_code == 200
    assert "<svg" in page.text
    assert 'id="figures-table"' in page.text
    assert selectors.answer_figures_by_agent() == [selectors.AgentFigures("Agent", 3, 3, 1)]
    assert 'id="agents-table"' in page.text
    client.force_login(agent)
    assert client.get("/mailing/figures/").status_code == 403
