from django.db import models
from django.utils.translation import gettext_lazy as _


class Label(models.Model):
    """A label or classification: Hôtel 3 étoiles, Gîtes de France 3 épis, Qualité Tourisme..."""

    class Kind(models.TextChoices):
        CLASSIFICATION = "classification", _("Official classification")
        LABEL = "label", _("Label")
        CHAIN = "chain", _("Chain or network")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LABEL)
    scheme = models.CharField(_("scheme"), max_length=100, help_text=_("e.g. Étoiles, Gîtes de France"))
    rank = models.PositiveSmallIntegerField(_("rank"), default=0, help_text=_("Stars, épis, clés..."))

    class Meta:
        verbose_name = _("label or classification")
        verbose_name_plural = _("labels and classifications")
        ordering = ["scheme", "rank", "name"]

    def __str__(self):
        return self.name


class Feature(models.Model):
    """A characteristic an offer has: an amenity, an accessibility provision or a payment method."""

    class Kind(models.TextChoices):
        AMENITY = "amenity", _("Amenity or service")
        ACCESSIBILITY = "accessibility", _("Accessibility")
        PAYMENT = "payment", _("Payment method")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("feature")
        verbose_name_plural = _("features")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name
