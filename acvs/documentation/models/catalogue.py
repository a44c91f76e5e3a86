"""The network catalogue of brochures and documents: shared by every office, like the offers."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from acvs.core.models import Tracked
from acvs.desk.models import validate_language


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
    def publisher_label(self) -> str:
        return self.publisher.name if self.publisher_id else self.publisher_name
