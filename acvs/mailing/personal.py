"""Mailing's part in a person's rights (contacts.rights): the written answers to the contact's requests, their
sending jobs and the replies read from the mailbox, exported and erased with the rest of the contact's data."""

from django.utils.translation import gettext_lazy as _

from acvs.contacts import rights
from acvs.core.models import Job

from .models import Answer, AnswerTemplate, IncomingMessage


def _rows(contact):
    answers = Answer.objects.filter(visitor_request__contact_link__contact=contact)
    return [
        answers,
        IncomingMessage.objects.filter(visitor_request__contact_link__contact=contact),
        Job.objects.filter(pk__in=answers.exclude(job=None).values("job")),
    ]


def register() -> None:
    rights.register(
        rights.PersonalData(
            "answers",
            _("Written answers"),
            {
                "mailing.Answer": ("to", "subject", "body", "error", "bounce_reason"),
                "mailing.IncomingMessage": ("sender", "subject", "body"),
                "core.Job": ("message", "params"),
            },
            _rows,
        )
    )
    words = "the office's answer templates, the same for every visitor"
    rights.declare_not_personal({
        f"{AnswerTemplate._meta.label}.name": words, f"{AnswerTemplate._meta.label}.subject": words,
        f"{AnswerTemplate._meta.label}.body": words,
        "mailing.Answer.message_id": "a random identifier", "mailing.IncomingMessage.message_id": "a random identifier",
    })  # fmt: skip
