"""Campaigns' part in a person's rights (contacts.rights): the messages a contact was sent and the opens and clicks
measured on them, exported and erased with the rest of the contact's data (the campaign's counts keep the anonymous
rows; an erased click no longer names its link)."""

from django.utils.translation import gettext_lazy as _

from acvs.contacts import rights

from .models import Event, Recipient


def _rows(contact):
    return [Recipient.objects.filter(contact=contact), Event.objects.filter(recipient__contact=contact)]


def register() -> None:
    rights.register(
        rights.PersonalData(
            "campaigns",
            _("Campaign messages"),
            {"campaigns.Recipient": ("email", "error"), "campaigns.Event": ("url",)},
            _rows,
        )
    )
    words = "the office's campaign, the same for every recipient"
    rights.declare_not_personal({
        "campaigns.Recipient.message_id": "a random identifier", "campaigns.Campaign.name": words,
        "campaigns.Campaign.subjects": words, "campaigns.Campaign.reason": "why the office paused or stopped it",
    })  # fmt: skip
