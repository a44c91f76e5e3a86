from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from acvs.core.tenancy import scoped_manager
from acvs.desk import reference
from acvs.desk.models import Theme, validate_country, validate_language


class ContactKind(models.TextChoices):
    PERSON = "person", _("Person")
    GROUP = "group", _("Group")


class Source(models.TextChoices):
    COUNTER = "counter", _("Counter")
    MANUAL = "manual", _("Typed by an agent")
    FORM = "form", _("Web form")
    IMPORT = "import", _("Import")


class Tag(models.Model):
    """A label an office gives its contacts (its own words; another office never sees them)."""

    office = models.ForeignKey("network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=60)

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="contacts_tag_unique_per_office")]

    def __str__(self):
        return self.name


class Contact(models.Model):
    """A person or a group known to one office: its requests, booklets and consents gather here."""

    office = models.ForeignKey(
        "network.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="contacts"
    )
    kind = models.CharField(_("kind"), max_length=6, choices=ContactKind.choices, default=ContactKind.PERSON)
    name = models.CharField(_("name"), max_length=150, blank=True)
    address = models.CharField(_("postal address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    commune = models.ForeignKey(
        "network.Commune", verbose_name=_("commune"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "network.Department",
        verbose_name=_("département"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    country = models.CharField(_("country"), max_length=2, blank=True, validators=[validate_country])
    language = models.CharField(_("language"), max_length=2, default="fr", validators=[validate_language])
    interests = models.ManyToManyField(Theme, verbose_name=_("interests"), blank=True, related_name="+")
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="contacts")
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    # Erasure keeps an anonymous row, so that figures and campaign counts stay right; nothing personal remains.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    # Retention (contacts/retention.py): when the contact was asked whether to stay; erased if it does not answer.
    retention_asked_at = models.DateTimeField(_("asked whether to stay"), null=True, blank=True)
    # Optimistic locking of the edit form (core.exceptions.check_version): two agents never overwrite each other.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    version = models.PositiveIntegerField(default=1)

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["office", "name"], name="contacts_office_name"),
            models.Index(fields=["office", "-last_contact_at"], name="contacts_office_last"),
            # The office's ids in order, read from the index alone: the count of a search joins on them.
            models.Index(fields=["office", "id"], name="contacts_office_pk"),
            # A segment's language and country, combined by the database (BitmapAnd) with each other and the dates.
            models.Index(fields=["office", "language"], name="contacts_office_language"),
            models.Index(fields=["office", "country"], name="contacts_office_country"),
        ]

    def __str__(self):
        return self.name or _("Contact #%(pk)s") % {"pk": self.pk}

    @property
    def language_label(self) -> str:
        return reference.languages().get(self.language, self.language)

    @property
    def country_label(self) -> str:
        return reference.countries().get(self.country, self.country)


class ContactEmail(models.Model):
    """An address of a contact, lower-cased: one address belongs to one contact of the office."""

    office = models.ForeignKey("network.Office", on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="emails")
    email = models.EmailField(_("email"))
    # Bounces (acvs/mailing/verp.py): a hard one, or too many soft ones in a row, make the address undeliverable.
    soft_bounces = models.PositiveSmallIntegerField(_("soft bounces in a row"), default=0)
    undeliverable_at = models.DateTimeField(_("undeliverable since"), null=True, blank=True)
    undeliverable_reason = models.CharField(_("why undeliverable"), max_length=300, blank=True)

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["office", "email"], name="contacts_email_unique_per_office")]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class ContactPhone(models.Model):
    """A phone number of a contact, stored in E.164: one number belongs to one contact of the office."""

    office = models.ForeignKey("network.Office", on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    phone = PhoneNumberField(_("phone"))

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["office", "phone"], name="contacts_phone_unique_per_office")]

    def __str__(self):
        return str(self.phone)


class RequestLink(models.Model):
    """Which contact a visitor request is about. Owned by contacts: the counter knows nothing of contacts."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="request_links")
    visitor_request = models.OneToOneField("desk.VisitorRequest", on_delete=models.CASCADE, related_name="contact_link")

    objects = scoped_manager(office="contact__office")

    class Meta:
        verbose_name = _("request of a contact")
        verbose_name_plural = _("requests of contacts")

    def __str__(self):
        return f"{self.contact_id} ← {self.visitor_request_id}"


class Segment(models.Model):
    """A named set of filters of the contact list, shared by the office's staff."""

    office = models.ForeignKey("network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    criteria = models.JSONField(_("filters"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="contacts_segment_unique_per_office")]

    def __str__(self):
        return self.name
