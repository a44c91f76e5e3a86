"""The network catalogue of brochures and documents: shared by every office, like the offers."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from acvs.core.models import Tracked
from acvs.desk.models import validate_language

# A brochure's PDF: small enough to travel by email (mailing caps the total of an answer's attachments).
PDF_MAX_BYTES = 10 * 1024 * 1024
PDF_SIGNATURE = b"%PDF-"
# What browsers declare for a PDF (some say nothing precise); anything else is refused even with PDF bytes.
PDF_DECLARED_TYPES = (None, "application/pdf", "application/x-pdf", "application/octet-stream")


def pdf_path(document, filename: str) -> str:
    """A safe name under MEDIA: the title's slug and a random part, never the uploaded name (nor its extension)."""
    return f"documentation/brochures/{slugify(document.title)[:60] or 'brochure'}-{secrets.token_hex(6)}.pdf"


def validate_pdf(upload) -> None:
    """A PDF under the size limit: its first bytes must be the PDF signature, whatever its name or declared type."""
    if getattr(upload, "_committed", False):  # the file already stored, checked when it was uploaded
        return
    if upload.size > PDF_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s: a brochure’s PDF may be at most %(max)s."),
            code="pdf_size",
            params={"size": filesizeformat(upload.size), "max": filesizeformat(PDF_MAX_BYTES)},
        )
    declared = getattr(upload, "content_type", None) or getattr(getattr(upload, "file", None), "content_type", None)
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(len(PDF_SIGNATURE))
    upload.seek(position)
    if head != PDF_SIGNATURE or declared not in (
        None,
        "application/pdf",
        "application/x-pdf",
        "application/octet-stream",
    ):
        raise ValidationError(_("This file is not a PDF: choose the brochure’s PDF file."), code="pdf_type")


class Document(Tracked):
    """A brochure, map or guide; its publisher is an office of the network (often a CDT) or a partner."""

    title = models.CharField(_("title"), max_length=200)
    publisher = models.ForeignKey(
        "network.Office",
        verbose_name=_("publisher"),
        null=True,
        blank=True,
        # An office that publishes documents cannot be deleted unless they go with it (see managed_by).
        on_delete=models.RESTRICT,
        related_name="published_documents",
    )
    publisher_name = models.CharField(
        _("other publisher"), max_length=150, blank=True, help_text=_("A partner outside the network.")
    )
    managed_by = models.ForeignKey(
        "network.Office",
        verbose_name=_("record kept by"),
        on_delete=models.CASCADE,
        related_name="managed_documents",
    )
    language = models.CharField(_("language"), max_length=2, default="fr", validators=[validate_language])
    edition_year = models.PositiveSmallIntegerField(
        _("edition year"), null=True, blank=True, validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    themes = models.ManyToManyField("desk.Theme", verbose_name=_("themes"), blank=True, related_name="+")
    cover = models.ImageField(_("cover"), upload_to="documentation/covers/", blank=True)
    pdf = models.FileField(
        _("PDF file"),
        upload_to=pdf_path,
        max_length=200,
        blank=True,
        validators=[validate_pdf],
        help_text=_("Attached to the written answers that send this brochure (at most 10 MB)."),
    )
    public_url = models.URLField(
        _("public link"),
        max_length=500,
        blank=True,
        help_text=_("Where the brochure can be read online; sent in the answer when there is no PDF or it is too big."),
    )
    unit_weight_g = models.PositiveIntegerField(
        _("unit weight (g)"), null=True, blank=True, help_text=_("For postage.")
    )
    is_current = models.BooleanField(
        _("current edition"), default=True, help_text=_("Untick when the document is out of print.")
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["title", "language", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(publisher__isnull=False) & Q(publisher_name=""))
                | (Q(publisher__isnull=True) & ~Q(publisher_name="")),
                name="documentation_document_one_publisher",
            ),
        ]

    def __str__(self):
        year = f" {self.edition_year}" if self.edition_year else ""
        return f"{self.title} ({self.language.upper()}{year})"

    def get_absolute_url(self) -> str:
        return reverse("documentation:detail", args=[self.pk])

    @property
    def can_be_emailed(self) -> bool:
        return bool(self.pdf) or bool(self.public_url)

    @property
    def publisher_label(self) -> str:
        return self.publisher.name if self.publisher_id else self.publisher_name
