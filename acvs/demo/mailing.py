"""Demo written answers: every office's answer templates in French, English, German and Italian, and an answer sent
for each written request the demo marks answered (its answer time in working days, late or not)."""

import datetime
import random

from django.utils import timezone

from acvs.desk.models import RequestStatus, VisitorRequest
from acvs.desk.reference import add_working_days
from acvs.mailing.models import Answer, AnswerTemplate
from acvs.mailing.sending import working_days_between
from acvs.network.models import Office

# (language, name, subject, body): the office's usual answer to "send me information about a stay".
TEMPLATES = [
    ("fr", "Documentation séjour", "Votre séjour – {office_name}",
     "{greeting}\n\nMerci de votre demande. Vous trouverez ci-joint notre sélection pour votre séjour {stay_dates}.\n\n"
     "Notre accueil est ouvert :\n{opening_hours}\n\nÀ bientôt,\n{signature}\n{office_contact}"),
    ("en", "Stay information", "Your stay – {office_name}",
     "{greeting}\n\nThank you for your request. Please find attached our selection for your stay {stay_dates}.\n\n"
     "Our information desk is open:\n{opening_hours}\n\nKind regards,\n{signature}\n{office_contact}"),
    ("de", "Aufenthalt", "Ihr Aufenthalt – {office_name}",
     "{greeting}\n\nvielen Dank für Ihre Anfrage. Anbei unsere Auswahl für Ihren Aufenthalt {stay_dates}.\n\n"
     "Unser Empfang ist geöffnet:\n{opening_hours}\n\nMit freundlichen Grüßen\n{signature}\n{office_contact}"),
    ("it", "Soggiorno", "Il vostro soggiorno – {office_name}",
     "{greeting}\n\ngrazie per la sua richiesta. In allegato la nostra selezione per il soggiorno {stay_dates}.\n\n"
     "Il nostro ufficio è aperto:\n{opening_hours}\n\nCordiali saluti,\n{signature}\n{office_contact}"),
]  # fmt: skip
# Of the answered requests: the share answered on the day, the next working day, ... (most within the due date).
DELAYS = {0: 30, 1: 35, 2: 20, 3: 9, 5: 6}


def fill(rng: random.Random, offices: dict[str, Office]) -> int:
    """Templates for every office with a counter, and the answers; returns the number of answers."""
    AnswerTemplate.objects.bulk_create(
        AnswerTemplate(office=office, language=language, name=name, subject=subject, body=body)
        for office in offices.values()
        if office.kind != Office.Kind.UNION
        for language, name, subject, body in TEMPLATES
    )
    answered = VisitorRequest.objects.filter(
        office__in=offices.values(), status=RequestStatus.ANSWERED, due_date__isnull=False
    ).select_related("office")
    now, zone = timezone.now(), timezone.get_current_timezone()
    answers = []
    for request in answered.iterator(chunk_size=2000):
        received = timezone.localtime(request.received_at).date()
        days = rng.choices(list(DELAYS), weights=list(DELAYS.values()))[0]
        sent_on = add_working_days(received, days) if days else received
        sent_at = datetime.datetime.combine(sent_on, datetime.time(rng.randint(9, 17), rng.randrange(60)), zone)
        sent_at = max(min(sent_at, now), request.received_at)
        answers.append(
            Answer(
                visitor_request=request,
                to=f"visiteur-{request.pk}@example.org",
                subject=f"Votre séjour – {request.office.name}",
                body="Bonjour,\n\nMerci de votre demande.",
                by_id=request.assignee_id or request.recorded_by_id,
                status=Answer.Status.SENT,
                sent_at=sent_at,
                working_days=working_days_between(received, timezone.localtime(sent_at).date()),
                late=timezone.localtime(sent_at).date() > request.due_date,
                message_id=f"<demo.{request.pk}@acvs.example>",
            )  # fmt: skip
        )
    Answer.objects.bulk_create(answers, batch_size=1000)
    return len(answers)
