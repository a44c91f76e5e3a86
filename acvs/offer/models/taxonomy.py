from django.db import models
from django.utils.translation import gettext_lazy as _

DATATOURISME_CORE = "https://www.datatourisme.fr/ontology/core#"


class OfferType(models.Model):
    """A class of the DATAtourisme ontology (PointOfInterest sub-tree), e.g. Hotel or Campsite.

    The ontology is a graph (a class may have several parents), so parents are many-to-many.
    """

    code = models.CharField(_("code"), max_length=80, unique=True, help_text=_("DATAtourisme class name"))
    label = models.CharField(_("label"), max_length=150)
    parents = models.ManyToManyField(
        "self", verbose_name=_("parent types"), symmetrical=False, related_name="children", blank=True
    )
    # Transitive closure, self included: filtering on a type also finds its sub-types.
    ancestors = models.ManyToManyField(
        "self", verbose_name=_("ancestors"), symmetrical=False, related_name="descendants", blank=True
    )
    # The broad families the search groups its facets by (Hébergement, Restauration, ...).
    is_family = models.BooleanField(_("family"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("offer type")
        verbose_name_plural = _("offer types")
        ordering = ["position", "label"]

    def __str__(self):
        return self.label

    @property
    def uri(self) -> str:
        return DATATOURISME_CORE + self.code
