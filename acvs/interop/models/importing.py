"""Imports of other systems' offers: a run (uploaded, checked, then committed) and each offer's provenance."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from acvs.core.tenancy import scoped_manager


class Source(models.TextChoices):
    DATATOURISME = "datatourisme", "DATAtourisme"


class ImportRun(models.Model):
    """One uploaded file of an office: its records as read, the dry run's report, then the commit's."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked, awaiting confirmation")
        COMMITTED = "committed", _("Imported")
        REFUSED = "refused", _("Not imported: some records were refused")

    office = models.ForeignKey("network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.DATATOURISME)
    filename = models.CharField(_("file"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CHECKED)
    # The records as read from the file (mapped, not yet resolved against the base): the commit replays them.
    records = models.JSONField(default=list, editable=False)
    # One line per record: {"line", "source_id", "name", "action", "reason", "offer"}.
    report = models.JSONField(default=list, editable=False)
    exclude_refused = models.BooleanField(_("refused records left out"), default=False)

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.filename

    def counts(self) -> dict[str, int]:
        totals = dict.fromkeys(("created", "updated", "unchanged", "refused"), 0)
        for line in self.report:
            totals[line["action"]] += 1
        return totals


class ImportedRecord(models.Model):
    """Where an offer came from, so that importing the same record again updates it instead of duplicating it."""

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_id = models.CharField(_("source identifier"), max_length=255)
    offer = models.OneToOneField("offer.Offer", verbose_name=_("offer"), on_delete=models.CASCADE,
                                 related_name="imported_from")  # fmt: skip
    source_updated = models.CharField(_("last update at the source"), max_length=40, blank=True)
    imported_at = models.DateTimeField(_("last imported"), auto_now=True)

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="imported_record_unique")]

    def __str__(self):
        return f"{self.source}: {self.source_id}"
