"""Return on investment of a campaign: the contacts it reached who, within a window after the message, came to the
counter, wrote, or had a stay booklet made, in their own office; beside the cost the office entered for it.

`count_returns` takes the contacts reached as rows with a contact and a moment (`at`); with `clicks`, the rows are
a campaign's recipients and a return within the window after any of their clicks (tracking) counts as well, so a
contact who clicks a link three weeks after the message and comes to the counter a week later is a return of a
30-day window. Everything is counted by the database in one query (an EXISTS per kind), never per recipient.
"""

import contextlib
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from acvs.booklet.models import Booklet
from acvs.contacts.models import ContactEmail, RequestLink
from acvs.core.tenancy import all_offices
from acvs.desk.models import Channel
from acvs.mailing.models import IncomingMessage

from .models import Campaign, Event, Recipient

KINDS = {
    "counter": _("came to the counter"),
    "written": _("wrote (email, letter, web form, social networks)"),
    "booklet": _("had a stay booklet made"),
}
WRITTEN_CHANNELS = (Channel.EMAIL, Channel.MAIL, Channel.WEB, Channel.SOCIAL)
WINDOWS = (7, 14, 30, 60, 90, 180)


@dataclass(frozen=True)
class Returns:
    days: int
    reached: int  # contacts the campaign reached
    total: int  # contacts with at least one return
    by_kind: dict[str, int]
    cost: Decimal | None
    after_click: int = 0  # contacts with a return within the window after one of their clicks

    @property
    def share(self) -> float | None:
        """Returns per contact reached, as a percentage."""
        return 100 * self.total / self.reached if self.reached else None

    @property
    def cost_per_return(self) -> Decimal | None:
        if self.cost is None or not self.total:
            return None
        return (self.cost / self.total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def kinds(self) -> list[tuple[str, str, int]]:
        return [(kind, label, self.by_kind[kind]) for kind, label in KINDS.items()]


def _kind_queries(at: str, days: int, contact: str = "contact") -> dict[str, Q]:
    """Per kind, a condition on a row of `reached` (its `contact`, its moment `at`): a return in (at, at + days]."""
    start = OuterRef(at)
    end = ExpressionWrapper(
        OuterRef(at) + Value(datetime.timedelta(days=days), output_field=DurationField()), output_field=DateTimeField()
    )
    office = f"{contact}__office"
    # The contact's own office's requests only (RequestLink links them so; said again, it costs nothing).
    links = RequestLink.objects.filter(contact=OuterRef(contact), visitor_request__office=OuterRef(office))
    counter = links.filter(
        visitor_request__channel=Channel.COUNTER,
        visitor_request__received_at__gt=start,
        visitor_request__received_at__lte=end,
    )
    written = links.filter(
        visitor_request__channel__in=WRITTEN_CHANNELS,
        visitor_request__received_at__gt=start,
        visitor_request__received_at__lte=end,
    )
    replies = IncomingMessage.objects.filter(
        visitor_request__contact_link__contact=OuterRef(contact),
        visitor_request__office=OuterRef(office),
        received_at__gt=start,
        received_at__lte=end,
    )
    same_address = ContactEmail.objects.filter(contact=OuterRef(OuterRef(contact)), email=Lower(OuterRef("recipient")))
    booklets = Booklet.objects.filter(office=OuterRef(office), created_at__gt=start, created_at__lte=end).filter(
        Q(visitor_request__contact_link__contact=OuterRef(contact)) | Q(Exists(same_address))
    )
    return {
        "counter": Q(Exists(counter)),
        "written": Q(Exists(written)) | Q(Exists(replies)),
        "booklet": Q(Exists(booklets)),
    }


def _after_clicks(days: int) -> dict[str, Q]:
    """Per kind, a condition on a recipient row: a return within `days` after one of its clicks."""
    clicks = Event.objects.filter(recipient=OuterRef("pk"), kind=Event.Kind.CLICK)
    return {
        kind: Q(Exists(clicks.filter(condition)))
        for kind, condition in _kind_queries("at", days, contact="recipient__contact").items()
    }


def count_returns(
    reached, *, days: int, at: str = "sent_at", delivered: Q | None = None, clicks: bool = False
) -> dict[str, int]:
    """The contacts of `reached`, a queryset of rows with a `contact` and a moment `at`, counted by the database:
    "reached", "total" (with at least one return), one count per kind of return, and "after_click".

    `delivered`: which rows reached their contact at their moment `at` (all rows with a moment by default).
    `clicks`: the rows are a campaign's recipients (Recipient), and a return within `days` after any of their clicks
    counts too; a recipient who clicked was reached, whatever its row says (a message left uncertain, say).
    """
    kinds = _kind_queries(at, days)
    has_moment = Q(**{f"{at}__isnull": False}) & (delivered or Q())
    if clicks:
        after = _after_clicks(days)
        clicked = Q(Exists(Event.objects.filter(recipient=OuterRef("pk"), kind=Event.Kind.CLICK)))
        reached = reached.filter(has_moment | clicked)
        kinds = {kind: (has_moment & condition) | after[kind] for kind, condition in kinds.items()}
        after_any = after["counter"] | after["written"] | after["booklet"]
    else:
        reached = reached.filter(has_moment)
        after_any = None
    contacts = {
        "reached": Count("contact", distinct=True),
        "total": Count("contact", distinct=True, filter=kinds["counter"] | kinds["written"] | kinds["booklet"]),
        **{kind: Count("contact", distinct=True, filter=condition) for kind, condition in kinds.items()},
    }
    if after_any is not None:
        contacts["after_click"] = Count("contact", distinct=True, filter=after_any)
    figures = reached.aggregate(**contacts)
    figures.setdefault("after_click", 0)
    return figures


def campaign_returns(campaign: Campaign, *, days: int | None = None) -> Returns:
    """The campaign's returns within `days` (its own window by default) of each message delivered, or of each click
    on one of its links. A département's or the network's campaign is counted across the offices it reached (figures
    only)."""
    days = days or campaign.return_days
    with all_offices("network_campaigns") if campaign.is_network else contextlib.nullcontext():
        # Built inside: a scoped manager reads the scope when the queryset is made. A message "sent" reached its
        # contact from its sending; any message clicked reached it from the click.
        rows = Recipient.objects.filter(campaign=campaign)
        figures = count_returns(rows, days=days, delivered=Q(status=Recipient.Status.SENT), clicks=True)
    return Returns(days=days, reached=figures["reached"], total=figures["total"],
                   by_kind={kind: figures[kind] for kind in KINDS}, cost=campaign.cost,
                   after_click=figures["after_click"])  # fmt: skip
