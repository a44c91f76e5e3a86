"""Reads of campaigns: the office's own (another office's campaign answers 404) and a campaign's audience."""

import contextlib
import datetime
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from acvs.contacts import selectors as contact_selectors
from acvs.contacts.forms import FilterForm
from acvs.contacts.models import ConsentEvent, Contact, ContactEmail, CurrentConsent
from acvs.core import charts
from acvs.core.tenancy import all_offices
from acvs.network.models import Office

from .models import Campaign, Event, OfficeSettings, Recipient, TrackingRefusal

EXCLUSIONS = {
    "erased": pgettext_lazy("reason left out", "erased"),
    "no_consent": _("no consent for this purpose"),
    "unsubscribed": _("consent withdrawn (unsubscribed)"),
    "no_email": _("no email address"),
    "undeliverable": _("address bounced or undeliverable"),
    "duplicate": _("same address in another office's file (sent once)"),
}


def campaigns():
    return Campaign.objects.all()


def get_campaign(pk) -> Campaign:
    try:
        return campaigns().select_related("office").get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404("No such campaign") from None


def segment_contacts(segments):
    """The office's contacts in any of the segments (each segment's saved filters, as the contact list reads them)."""
    matches = []
    for segment in segments:
        form = FilterForm(segment.criteria)
        if form.is_valid():
            matches.append(Q(pk__in=contact_selectors.search(form.criteria()).order_by().values("pk")))
    if not matches:
        return Contact.objects.none()
    return Contact.objects.filter(reduce(or_, matches))


@dataclass
class Audience:
    recipients: list[tuple[int, str, str]] = field(default_factory=list)  # (contact, email, contact's language)
    excluded: dict[str, int] = field(default_factory=dict)  # reason → contacts (or addresses)
    counted: int | None = None  # a network campaign's page: the count without the list

    @property
    def count(self) -> int:
        return len(self.recipients) if self.counted is None else self.counted

    def reasons(self) -> list[tuple[str, int]]:
        return [(EXCLUSIONS[k], n) for k, n in self.excluded.items() if n]


def audience(campaign: Campaign) -> Audience:
    if campaign.is_network:
        return network_audience(campaign, listing=True)
    return office_audience(campaign)


def audience_counts(campaign: Campaign) -> Audience:
    """What the campaign's page shows: for a network campaign the counts only (no list is built)."""
    if campaign.is_network:
        return network_audience(campaign, listing=False)
    return office_audience(campaign)


def office_audience(campaign: Campaign) -> Audience:
    """Who gets the campaign: its segments' contacts with a valid consent for its purpose (the latest event per
    purpose), not erased, at each deliverable address; and how many were left out, by reason."""
    found = Audience(excluded=dict.fromkeys([k for k in EXCLUSIONS if k != "duplicate"], 0))
    # The worker runs in the campaign's office scope; the explicit filter keeps it so in any scope.
    people = segment_contacts(campaign.segments.filter(office=campaign.office_id)).filter(office=campaign.office_id)
    ids = people.values("pk")
    consented = set(
        contact_selectors.consenting(campaign.purpose).filter(contact__in=ids).values_list("contact", flat=True)
    )
    asked = set(
        ConsentEvent.objects.filter(contact__in=ids, purpose=campaign.purpose).values_list("contact", flat=True)
    )
    addresses = {}
    for contact, email, undeliverable in (
        ContactEmail.objects.filter(contact__in=ids).order_by("pk").values_list("contact", "email", "undeliverable_at")
    ):
        addresses.setdefault(contact, []).append((email, undeliverable))
    for pk, erased_at, language in people.order_by("pk").values_list("pk", "erased_at", "language"):
        if erased_at is not None:
            found.excluded["erased"] += 1
        elif pk not in consented:
            found.excluded["unsubscribed" if pk in asked else "no_consent"] += 1
        elif pk not in addresses:
            found.excluded["no_email"] += 1
        else:
            for email, undeliverable in addresses[pk]:
                if undeliverable is None:
                    found.recipients.append((pk, email, language))
                else:
                    found.excluded["undeliverable"] += 1
    return found


def reach_offices(campaign: Campaign):
    """The offices whose contacts a département's or the network's campaign may reach."""
    offices = Office.objects.filter(is_active=True)
    if campaign.reach == Campaign.Reach.DEPARTMENT:
        offices = offices.filter(department=campaign.office.department_id)
    return offices.values("pk")


def network_audience(campaign: Campaign, *, listing: bool) -> Audience:
    """A département's or the network's campaign: the contacts of every office it reaches whose current consent for
    its purpose is given, not erased, at each deliverable address (one message per address). Counted by the
    database; the list (`listing`) is built only by the worker, at sending time, never for a page."""
    found = Audience(excluded=dict.fromkeys(EXCLUSIONS, 0))
    with all_offices("network_campaigns"):
        people = Contact.objects.filter(office__in=reach_offices(campaign))
        alive = people.filter(erased_at=None)
        given = CurrentConsent.objects.filter(purpose=campaign.purpose, given=True).values("contact")
        withdrawn = CurrentConsent.objects.filter(purpose=campaign.purpose, given=False).values("contact")
        consented = alive.filter(pk__in=given)
        emails = ContactEmail.objects.filter(contact__in=consented.values("pk"))
        deliverable = emails.filter(undeliverable_at=None)
        found.excluded["erased"] = people.exclude(erased_at=None).count()
        found.excluded["unsubscribed"] = alive.filter(pk__in=withdrawn).count()
        found.excluded["no_consent"] = alive.exclude(pk__in=given).exclude(pk__in=withdrawn).count()
        found.excluded["no_email"] = consented.exclude(pk__in=ContactEmail.objects.values("contact")).count()
        found.excluded["undeliverable"] = emails.exclude(undeliverable_at=None).count()
        addresses = deliverable.count()
        distinct = deliverable.values("email").distinct().count()
        found.excluded["duplicate"] = addresses - distinct
        if listing:
            seen = set()
            for contact, email, language in deliverable.order_by("contact", "pk").values_list(
                "contact", "email", "contact__language"
            ):
                if email not in seen:
                    seen.add(email)
                    found.recipients.append((contact, email, language))
        else:
            found.counted = distinct
    return found


def progress(campaign: Campaign) -> dict[str, int]:
    """Messages by status (for a network campaign: counted across the offices, never listed)."""
    with all_offices("network_campaigns") if campaign.is_network else contextlib.nullcontext():
        counts = dict(
            Recipient.objects.filter(campaign=campaign).values_list("status").annotate(n=Count("pk")).order_by()
        )
    counts["total"] = sum(counts.values())
    # Claimed by a run but not yet handed to the server: still waiting, for the agent.
    counts["queued"] = counts.get(Recipient.Status.QUEUED, 0) + counts.pop(Recipient.Status.CLAIMED, 0)
    return counts


def year_calendar(year: int) -> list[tuple[datetime.date, list[Campaign]]]:
    """The office's campaigns planned or sent in `year`, by month."""
    months = [(datetime.date(year, m, 1), []) for m in range(1, 13)]
    for campaign in campaigns().exclude(status=Campaign.Status.CANCELLED).exclude(scheduled_at=None):
        when = timezone.localtime(campaign.scheduled_at)
        if when.year == year:
            months[when.month - 1][1].append(campaign)
    for _month, items in months:
        items.sort(key=lambda c: c.scheduled_at)
    return months


def recipient_by_link(pk: int) -> Recipient | None:
    """The recipient a signed link names (the caller entered its office's scope)."""
    return Recipient.objects.select_related("campaign__office", "contact").filter(pk=pk).first()


# Figures of a sent campaign (opens and clicks: only where tracking was on) -----------------------------------------

FIGURES = (
    ("delivered", pgettext_lazy("campaign figures", "Delivered")),
    ("bounced", pgettext_lazy("campaign figures", "Bounced")),
    ("opened", pgettext_lazy("campaign figures", "Opened")),
    ("clicked", pgettext_lazy("campaign figures", "Clicked")),
    ("unsubscribed", pgettext_lazy("campaign figures", "Unsubscribed")),
)


def _figures_row(campaign: Campaign, recipients) -> dict[str, int]:
    counts = dict(recipients.values_list("status").annotate(n=Count("pk")).order_by())
    events = Event.objects.filter(campaign=campaign, recipient__in=recipients.values("pk"))
    unsubscribed = 0
    if campaign.started_at is not None:
        unsubscribed = (
            ConsentEvent.objects.filter(
                contact__in=recipients.values("contact"), purpose=campaign.purpose, given=False,
                at__gte=campaign.started_at,
            ).values("contact").distinct().count()
        )  # fmt: skip
    return {
        "recipients": sum(counts.values()),
        "delivered": counts.get(Recipient.Status.SENT, 0),
        "bounced": counts.get(Recipient.Status.BOUNCED, 0),
        "opened": events.filter(kind=Event.Kind.OPEN).values("recipient").distinct().count(),
        "clicked": events.filter(kind=Event.Kind.CLICK).values("recipient").distinct().count(),
        "unsubscribed": unsubscribed,
    }


def figures(campaign: Campaign) -> dict:
    """Delivered, bounced, opened, clicked, unsubscribed (people, not events): for the whole campaign, for each of
    its segments (as the segment reads now), and the clicks by link. A département's or the network's campaign is
    counted across the offices it reached (figures only, as its progress)."""
    with all_offices("network_campaigns") if campaign.is_network else contextlib.nullcontext():
        return _figures(campaign)


def _unmeasured(recipients) -> int:
    """Recipients whose opens and clicks are not measured now, by their office's switch or their own refusal
    (`tracking.measured`'s rule, read as it applies to an open or a click coming in today): a count, never who."""
    quiet = OfficeSettings.objects.filter(tracking=False).values("office")
    refused = TrackingRefusal.objects.values("contact")
    return recipients.filter(Q(contact__office__in=quiet) | Q(contact__in=refused)).count()


def _figures(campaign: Campaign) -> dict:
    total = _figures_row(campaign, campaign.recipients.all())
    # An office's campaign by segment (a département's or the network's has none: it reaches consent, not segments).
    segments = [] if campaign.is_network else [
        (segment.name, _figures_row(campaign, campaign.recipients.filter(contact__in=segment_contacts([segment]))))
        for segment in campaign.segments.filter(office=campaign.office_id).order_by("name")
    ]  # fmt: skip
    links = list(
        Event.objects.filter(campaign=campaign, kind=Event.Kind.CLICK).values("url")
        .annotate(clicks=Count("pk"), people=Count("recipient", distinct=True)).order_by("-clicks", "url")
    )  # fmt: skip
    base = max(total["recipients"], 1)
    bars = [(str(label), total[key], round(100 * total[key] / base, 1)) for key, label in FIGURES]
    chart = charts.shares(
        "figures-chart",
        str(_("Share of the recipients")),
        str(_("Each figure of the whole campaign as a share of its recipients.")),
        bars,
        [str(_("Figure")), str(_("Recipients")), str(_("Share (%)"))],
    )
    return {"total": total, "segments": segments, "links": links, "chart": chart, "labels": FIGURES,
            "unmeasured": _unmeasured(campaign.recipients.all())}  # fmt: skip
