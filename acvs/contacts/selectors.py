"""Reads of the prospect file. Lists are the scoped managers' querysets (the acting office's rows only); lookups
answer 404 for another office's contact."""

import datetime
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Window, prefetch_related_objects
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import get_scope

from acvs.core.audit import audit_history
from acvs.network.models import Commune

from . import optin
from .models import (
    AccessAction,
    AccessLog,
    ConfirmationMail,
    ConsentEvent,
    Contact,
    ContactEmail,
    ContactImport,
    ContactPhone,
    CurrentConsent,
    Purpose,
    Segment,
    Tag,
)  # fmt: skip


def contacts():
    return Contact.objects.all()


def get_contact(pk) -> Contact:
    """One contact of the acting office; 404 when it does not exist or belongs to another office."""
    try:
        return contacts().select_related("commune", "department").get(pk=pk)
    except (Contact.DoesNotExist, ValueError, TypeError):
        raise Http404("No such contact") from None


def get_email(contact: Contact, pk) -> ContactEmail:
    """One address of a contact reached already; 404 for any other."""
    try:
        return ContactEmail.objects.get(contact=contact, pk=pk)
    except (ContactEmail.DoesNotExist, ValueError, TypeError):
        raise Http404("No such address") from None


def tags():
    return Tag.objects.all()


def segments():
    return Segment.objects.all()


def get_segment(pk) -> Segment:
    try:
        return segments().get(pk=pk)
    except (Segment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such segment") from None


def consenting(purpose: str):
    """The contacts whose current consent for `purpose` is given (models.consent.current_events)."""
    return CurrentConsent.objects.filter(purpose=purpose, given=True).values("contact")


def _in_office(model):
    """The scope's office's rows of `model`, selected on `office_id::integer` only: that expression leads the trigram
    indexes (migration 0004), and no B-tree has it, so the planner cannot trade the index for a scan of the office's
    rows. The list these rows feed is the scoped manager's, which filters on the office again."""
    office = get_scope().get("office")
    if office is None:  # scopes disabled (or no office): the outer list decides what is visible
        return model._base_manager.all()
    return model._base_manager.alias(office_key=Cast("office", IntegerField())).filter(office_key=office)


def _email_start(text: str) -> str | None:
    """An address typed with its @ is matched from its start (B-tree `contacts_email_office_prefix`)."""
    return text.strip().lower() if "@" in text[1:] else None


def _phone_digits(text: str) -> str | None:
    """Numbers are stored as +33612…: a typed 06 12… is found by its digits after the leading 0 (4 digits at least)."""
    digits = re.sub(r"\D", "", text)
    return digits.lstrip("0") if len(digits) >= 4 else None


def _text_matches(text: str):
    """The contacts whose name, commune, email or phone holds `text`, as a union of one indexed match per table (an
    OR across tables made the database scan every contact); anything but an address's start is matched anywhere in
    the text (trigram indexes on PostgreSQL)."""
    if start := _email_start(text):
        return ContactEmail.objects.filter(email__startswith=start).values("contact")
    ids = [
        _in_office(Contact).filter(name__icontains=text).values("pk"),
        contacts().filter(commune__in=Commune.objects.filter(name__icontains=text).values("pk")).values("pk"),
        _in_office(ContactEmail).filter(email__icontains=text).values("contact"),
    ]
    if digits := _phone_digits(text):
        ids.append(_in_office(ContactPhone).filter(phone__contains=digits).values("contact"))
    return ids[0].union(*ids[1:])


def _row_matches(text: str) -> Q:
    """The same matches as `_text_matches`, tested on each contact in turn (the walk): the name, the commune, then
    the contact's own addresses and numbers through their contact index, so that nothing is gathered beforehand."""
    emails = ContactEmail._base_manager.filter(contact=OuterRef("pk"))
    if start := _email_start(text):
        return Q(Exists(emails.filter(email__startswith=start)))
    found = (
        Q(name__icontains=text)
        | Q(commune__in=Commune.objects.filter(name__icontains=text).values("pk"))
        | Q(Exists(emails.filter(email__icontains=text)))
    )
    if digits := _phone_digits(text):
        found |= Q(Exists(ContactPhone._base_manager.filter(contact=OuterRef("pk"), phone__contains=digits)))
    return found


def _day_start(day) -> datetime.datetime:
    """Midnight of `day` (a date or its ISO text) in the current time zone: the list's dates are the agents' days."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def search(criteria: dict, *, walk: bool = False):
    """The office's contacts matching the list's filters (a form's cleaned data; empty values are ignored). The
    rows come without their commune nor département: `list_page` reads those for its page only (joined before the
    sort, they were read for every match).

    `walk`, for a text with many matches: the list is read in the order of the index (office, name), each contact
    tested in turn (`_row_matches`), until the page is full: a name in 7 % of 100,000 contacts reads some 400 of
    them, where gathering its 14,000 matches out of the trigram indexes first took most of the time. Only worth it
    when the matches are many (`list_page` decides): for a rare text that order would read the whole office."""
    found = contacts()
    if text := criteria.get("q"):
        found = found.filter(_row_matches(text) if walk else Q(pk__in=_text_matches(text)))
    if interest := criteria.get("interest"):
        found = found.filter(interests=interest)
    if tag := criteria.get("tag"):
        found = found.filter(tags=tag)
    for name in ("language", "country", "department"):
        if value := criteria.get(name):
            found = found.filter(**{name: value})
    # Bounds on the column itself (not on its date in the time zone), so that the index (office, last contact) serves.
    if since := criteria.get("since"):
        found = found.filter(last_contact_at__gte=_day_start(since))
    if until := criteria.get("until"):
        day = datetime.date.fromisoformat(until) if isinstance(until, str) else until
        found = found.filter(last_contact_at__lt=_day_start(day + datetime.timedelta(days=1)))
    if purpose := criteria.get("consent"):
        found = found.filter(pk__in=consenting(purpose))
    return found.order_by("name", "pk")


class EstimatedPaginator(Paginator):
    """The pages of a text search with more matches than settings.ACVS_CONTACT_EXACT_COUNT_MAX: they are not counted.
    `count` is PostgreSQL's estimate (`estimated`), or the cap plus one where there is none (SQLite: "more than");
    the list says it is approximate, and each page knows whether another follows from the row read after it."""

    approximate = True

    def __init__(self, object_list, per_page, *, count: int, estimated: bool, cap: int):
        super().__init__(object_list, per_page)
        self.count, self.estimated, self.cap = count, estimated, cap  # count: the cached property, set

    def validate_number(self, number):
        return number  # the last page is not known; a page past the matches is empty


class ReadAheadPage(Page):
    """A page of an EstimatedPaginator: it has a next page when a row follows it."""

    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more


def _estimate(found) -> int | None:
    """PostgreSQL's estimate of the rows of `found` (EXPLAIN, planning only: nothing is read); None elsewhere."""
    if connection.vendor != "postgresql":
        return None
    plan = json.loads(found.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def _rounded(count: int) -> int:
    """An estimate shown with two significant figures (12,345 → 12,000)."""
    return round(count, 2 - len(str(count))) if count >= 100 else count


def list_page(found, number: int, per_page: int, *, by_text: bool, walk=None) -> Page:
    """Page `number` of `found` (a `search`), with its contacts' communes and départements.

    A text search is counted exactly up to settings.ACVS_CONTACT_EXACT_COUNT_MAX matches; beyond, the list shows an
    estimate (`EstimatedPaginator`) and reads only its page, so that a common name's thousands of matches are not
    read for a figure nobody needs exactly (docs/performance.md):
    - on PostgreSQL, the planner's estimate of the matches (EXPLAIN, planning only) decides. Up to the cap, the
      page and its exact total in one statement (`COUNT(*) OVER ()`). Beyond, the page read along the name index
      (`walk`, `search(..., walk=True)`), one row more than the page to know whether another follows; when the
      estimate is within twice the cap, the matches are counted up to the cap (LIMIT) to confirm it.
    - elsewhere (SQLite: no estimate), the page, then the matches counted up to the cap.
    A first page that holds every match has its exact count. Other lists count apart: their total comes from an
    index alone (the office's ids, a consent's), and their page is read in the order of the index (office, name),
    which stops at the page's last row. Past the last page, the last page (as Paginator.get_page), except beyond
    the cap, where the last page is not known and a page past the matches is empty."""
    page = None
    paginator = Paginator(found, per_page)
    if by_text:
        cap, start = settings.ACVS_CONTACT_EXACT_COUNT_MAX, (number - 1) * per_page
        estimate = _estimate(found)
        if estimate is not None and estimate <= cap:
            rows = list(found.annotate(found_total=Window(Count("pk")))[start : start + per_page])
            if rows:
                paginator.count = rows[0].found_total  # the paginator's cached count
                page = Page(rows, number, paginator)
            elif number == 1:
                paginator.count = 0
                page = Page(rows, 1, paginator)
        else:
            reader = walk if walk is not None and estimate is not None else found
            rows = list(reader[start : start + per_page + 1])
            more, rows = len(rows) > per_page, rows[:per_page]
            counted = None
            if number == 1 and not more:
                counted = len(rows)
            elif estimate is None or estimate <= 2 * cap:
                counted = found.order_by()[: cap + 1].count()
            if counted is not None and counted <= cap:
                paginator.count = counted
                if rows or number == 1:
                    page = Page(rows, number, paginator)
            else:
                floor = max(cap + 1, start + len(rows) + more)
                paginator = EstimatedPaginator(
                    found,
                    per_page,
                    count=max(floor, _rounded(estimate or 0)),
                    estimated=estimate is not None and estimate >= floor,
                    cap=cap,
                )
                page = ReadAheadPage(rows, number, paginator, more=more)
    if page is None:
        page = paginator.get_page(number)
        page.object_list = list(page.object_list)
    prefetch_related_objects(page.object_list, "commune", "department")
    return page


def current_consents(contact: Contact) -> list[tuple[str, str, ConsentEvent | None]]:
    """Per purpose (value, label, the event that sets the current consent, or None)."""
    current = CurrentConsent.objects.filter(contact=contact).select_related("event__by")
    latest = {row.purpose: row.event for row in current}
    return [(value, label, latest.get(value)) for value, label in Purpose.choices]


@dataclass
class Awaiting:
    """A consent asked by email and not (yet) confirmed, newer than the purpose's current consent."""

    event: ConsentEvent
    state: str  # pending or expired (optin.state)
    mails: list[ConfirmationMail]


def awaiting_confirmation(contact: Contact, current: dict[str, ConsentEvent | None]) -> dict[str, Awaiting]:
    """Per purpose, the latest pending event that no later counted event settled (`current`: purpose → event)."""
    found = {}
    for event in ConsentEvent.objects.filter(contact=contact, pending=True).prefetch_related("confirmation_mails"):
        settled = current.get(event.purpose)
        if event.purpose in found or (settled and settled.at >= event.at):
            continue
        mails = list(event.confirmation_mails.all())
        state = optin.state(event, mails)
        if state in ("pending", "expired"):
            found[event.purpose] = Awaiting(event, state, mails)
    return found


def get_pending_event(contact: Contact, pk) -> ConsentEvent:
    try:
        return ConsentEvent.objects.get(contact=contact, pending=True, pk=pk)
    except (ConsentEvent.DoesNotExist, ValueError, TypeError):
        raise Http404("No such consent") from None


def get_confirmation_mail(pk: int) -> ConfirmationMail:
    """The mail a confirmation link names, in its office's scope (the views enter it from optin.office_of)."""
    try:
        return ConfirmationMail.objects.select_related("event__office", "event__contact").get(pk=pk)
    except ConfirmationMail.DoesNotExist:
        raise Http404("No such confirmation") from None


def consent_history(contact: Contact):
    return ConsentEvent.objects.filter(contact=contact).select_related("by")


def duplicates(contact: Contact):
    """Other contacts of the office that may be the same person: same name (any case)."""
    if not contact.name:
        return contacts().none()
    return contacts().filter(name__iexact=contact.name).exclude(pk=contact.pk)[:10]


def export_rows(found) -> tuple[list[str], list[list]]:
    header = [_("Number"), _("Name"), _("Emails"), _("Phones"), _("Postal address"), _("Postcode"), _("Commune"),
              _("Country"), _("Language"), _("Last contact")]  # fmt: skip
    rows = []
    for c in found.select_related("commune").prefetch_related("emails", "phones"):
        emails = ", ".join(e.email for e in c.emails.all())
        phones = ", ".join(p.phone.as_e164 for p in c.phones.all())
        last = c.last_contact_at.date().isoformat() if c.last_contact_at else ""
        commune = c.commune.name if c.commune else ""
        rows.append([c.pk, c.name, emails, phones, c.address, c.postcode, commune, c.country, c.language, last])
    return header, rows


def contact_history(contact: Contact):
    return audit_history(contact)


# Imports -----------------------------------------------------------------------------------------------------------


def imports():
    """The office's imports, newest first, without their rows (a file may hold 100,000 lines)."""
    return ContactImport.objects.defer("header", "rows", "report").select_related("started_by")


def get_import(pk) -> ContactImport:
    """One import of the acting office; 404 when it does not exist or belongs to another office."""
    try:
        return ContactImport.objects.select_related("job", "started_by").get(pk=pk)
    except (ContactImport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such import") from None


def access_log():
    """The office's log of exports, erasures and the retention's questions and purges, newest first."""
    return AccessLog.objects.select_related("user")


def last_erasure(contact: Contact) -> AccessLog | None:
    return AccessLog.objects.filter(contact=contact, action=AccessAction.ERASE).first()
