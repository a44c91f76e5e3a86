from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from acvs.core import bulk
from acvs.core.tenancy import scoped_manager

from .contact import Contact


class Purpose(models.TextChoices):
    NEWSLETTER = "newsletter", _("Office newsletter")
    REQUEST = "request", _("Contact about the request")
    NETWORK = "network", _("Département and network communications")


class ConsentMethod(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    AGENT = "agent", _("Recorded by an agent")
    FORM = "form", _("Web form")
    IMPORT = "import", _("Import")


# The fields of a consent event that may name the person (contacts.rights clears them on erasure).
IDENTITY_FIELDS = ("origin",)


class AppendOnlyError(Exception):
    """Consent history is proof: it is never rewritten nor deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Consent events are never changed: record a new event.")

    def delete(self):
        raise AppendOnlyError("Consent events are never deleted: record a withdrawal.")

    def move_to(self, contact) -> int:
        """Merging contacts: the events change owner, never content (who, when, how, what was shown)."""
        with transaction.atomic():
            sources = set(self.values_list("contact_id", flat=True))
            moved = super().update(contact=contact)
            refresh_current({*sources, contact.pk})
        return moved

    def bulk_create(self, objs, *args, **kwargs):
        return self._refreshing(lambda: super(AppendOnlyQuerySet, self).bulk_create(objs, *args, **kwargs))

    def insert(self, objs):
        """Many events at once (an import): `core.bulk.insert`, the current consents kept as by `bulk_create`."""
        return self._refreshing(lambda: bulk.insert(self.model, objs))

    def _refreshing(self, write):
        with transaction.atomic():
            created = write()
            refresh_current({event.contact_id for event in created})
        return created

    def strip_identity(self) -> int:
        """Erasure, the one legitimate rewrite: the proof stays (purpose, given, when, how, by which agent, the text
        shown) on the contact's anonymous row; what may name the person (the stated origin) is emptied."""
        return super().update(**dict.fromkeys(IDENTITY_FIELDS, ""))


# The office's scoped manager, whose querysets refuse updates and deletes.
_Scoped = type(scoped_manager(office="office"))


class ConsentManager(_Scoped.from_queryset(AppendOnlyQuerySet)):
    pass


class ConsentEvent(models.Model):
    """A consent given or withdrawn for one purpose, with its proof. Current consent: the latest event per purpose."""

    office = models.ForeignKey("network.Office", on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    given = models.BooleanField(_("given"))
    at = models.DateTimeField(_("when"), db_index=True)
    method = models.CharField(_("how"), max_length=8, choices=ConsentMethod.choices)
    origin = models.CharField(_("stated origin"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("text shown"))
    # Double opt-in (acvs/contacts/optin.py): an email consent not given face to face is recorded pending and never
    # counts; the click on the emailed link appends a given event naming that mail (the proof of confirmation).
    pending = models.BooleanField(_("awaits confirmation"), default=False)
    confirmation_mail = models.ForeignKey(
        "contacts.ConfirmationMail",
        verbose_name=_("confirmed by the link of"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,  # deleted only with its contact, in the same cascade
        related_name="confirmations",
    )

    objects = ConsentManager()

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["contact", "purpose", "-at"], name="contacts_consent_latest")]

    def __str__(self):
        return f"{self.get_purpose_display()}: {self.given}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("Consent events are never changed: record a new event.")
        with transaction.atomic():
            super().save(*args, **kwargs)
            refresh_current([self.contact_id])

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Consent events are never deleted: record a withdrawal.")


class CurrentConsent(models.Model):
    """The current consent per contact and purpose, derived from the events by `refresh_current` in the transaction
    that adds or moves them: a segment's consent filter reads one indexed row per contact, not its history."""

    office = models.ForeignKey("network.Office", on_delete=models.CASCADE, related_name="+")
    # Indexed by the unique constraint, which starts with the contact.
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="current_consents", db_index=False
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    given = models.BooleanField(_("given"))
    event = models.OneToOneField(ConsentEvent, on_delete=models.CASCADE, related_name="+")

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("current consent")
        verbose_name_plural = _("current consents")
        constraints = [models.UniqueConstraint(fields=["contact", "purpose"], name="contacts_current_unique")]
        indexes = [
            models.Index(
                fields=["office", "purpose", "contact"], condition=Q(given=True), name="contacts_current_given"
            )
        ]

    def __str__(self):
        return f"{self.get_purpose_display()}: {self.given}"


def current_events(events):
    """THE definition of the current consent: of `events`, the latest counted one per contact and purpose (time, then
    id). An event awaiting its email confirmation (`pending`, acvs/contacts/optin.py) never counts, neither to give
    nor to withdraw: the confirmation appends the given event that does."""
    latest = Window(
        RowNumber(), partition_by=[F("contact_id"), F("purpose")], order_by=[F("at").desc(), F("pk").desc()]
    )
    return events.filter(pending=False).annotate(latest=latest).filter(latest=1)


def refresh_current(contact_ids=None) -> None:
    """Derive the contacts' `CurrentConsent` rows (every contact's when None) from their events, in one statement.
    Callers already hold the contacts: the rows are reached without the tenancy scope."""
    if contact_ids is None:
        _refresh(CurrentConsent._base_manager.all(), ConsentEvent._base_manager.all())
        return
    contact_ids = sorted(contact_ids)
    for start in range(0, len(contact_ids), 500):  # within SQLite's limit of bound values
        chunk = contact_ids[start : start + 500]
        _refresh(
            CurrentConsent._base_manager.filter(contact_id__in=chunk),
            ConsentEvent._base_manager.filter(contact_id__in=chunk),
            chunk,
        )


def _refresh(current, events, contact_ids=None) -> None:
    columns = ("office_id", "contact_id", "purpose", "given", "event_id")
    latest = current_events(events).order_by().values_list(*columns[:-1], "pk")
    select, params = latest.query.sql_with_params()
    with transaction.atomic():
        if contact_ids is not None:
            # Two transactions adding events to one contact refresh one after the other, each seeing the other's.
            locked = Contact._base_manager.select_for_update(no_key=True).filter(pk__in=contact_ids).order_by("pk")
            list(locked.values_list("pk"))
        current._raw_delete(current.db)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {CurrentConsent._meta.db_table} ({', '.join(columns)}) {select}", params)


class ConfirmationMail(models.Model):
    """One email asking to confirm a pending consent: its signed link names this row (sent again: a new row)."""

    office = models.ForeignKey("network.Office", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(ConsentEvent, on_delete=models.CASCADE, related_name="confirmation_mails")
    email = models.EmailField(_("sent to"))
    language = models.CharField(_("language"), max_length=2)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("why not sent"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent again by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("confirmation email")
        verbose_name_plural = _("confirmation emails")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.email} ({self.event_id})"
