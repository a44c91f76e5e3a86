"""A contact's one timeline, newest first. Each source gives the entries of one kind; apps above contacts (mailing's
answers, campaigns) register theirs in their AppConfig.ready()."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from acvs.booklet.models import Booklet

from .models import Contact, ContactEmail, RequestLink


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    kind: str  # what it is, as users read it
    title: str
    url: str = ""


Source = Callable[[Contact], Iterable[Entry]]
SOURCES: list[Source] = []


def register_source(source: Source) -> None:
    if source not in SOURCES:
        SOURCES.append(source)


def timeline(contact: Contact) -> list[Entry]:
    entries = [entry for source in SOURCES for entry in source(contact)]
    return sorted(entries, key=lambda e: e.at, reverse=True)


def _requests(contact: Contact) -> Iterable[Entry]:
    links = RequestLink.objects.filter(contact=contact).select_related("visitor_request")
    for link in links:
        r = link.visitor_request
        yield Entry(r.received_at, _("Request"), f"{r.get_channel_display()} · {r.get_status_display()}",
                    reverse("desk:detail", args=[r.pk]))  # fmt: skip


def _booklets(contact: Contact) -> Iterable[Entry]:
    for booklet in Booklet.objects.filter(visitor_request__contact_link__contact=contact):
        yield Entry(
            booklet.created_at, _("Stay booklet"), booklet.title or "—", reverse("booklet:edit", args=[booklet.pk])
        )


def _undeliverable(contact: Contact) -> Iterable[Entry]:
    for row in ContactEmail.objects.filter(contact=contact, undeliverable_at__isnull=False):
        yield Entry(row.undeliverable_at, _("Undeliverable address"), f"{row.email}: {row.undeliverable_reason}")


def register_defaults() -> None:
    register_source(_requests)
    register_source(_booklets)
    register_source(_undeliverable)
