"""Imports of other systems' offers: a run (uploaded, checked, then committed) and each offer's provenance."""

from django.conf import settings
from django.db import models
from django.db.models.fields.json import KT
from django.utils.translation import gettext_lazy as _

from acvs.core.tenancy import scoped_manager


class Source(models.TextChoices):
    DATATOURISME = "datatourisme", "DATAtourisme"
    APIDAE = "apidae", "Apidae"
    TOURINSOFT = "tourinsoft", "Tourinsoft"
    LEGACY = "legacy", _("Former base (CSV, XLSX)")


class LegacySource(models.Model):
    """One former base of an office (its old software, a spreadsheet kept by hand): how its files' columns map to
    offer fields, and its own type labels to offer types; offered again for the next file of the same source."""

    office = models.ForeignKey("network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    label = models.CharField(_("source"), max_length=100)
    columns = models.JSONField(_("column mapping"), default=dict, blank=True)  # header → field
    type_labels = models.JSONField(_("type labels"), default=dict, blank=True)  # the file's label → offer type code
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("former base")
        verbose_name_plural = _("former bases")
        ordering = ["label"]
        constraints = [models.UniqueConstraint(fields=["office", "label"], name="interop_legacy_source_unique")]

    def __str__(self):
        return self.label


class ImportRun(models.Model):
    """One uploaded file of an office: its records as read, the dry run's report, then the commit's."""

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Uploaded, columns to map")
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked, awaiting confirmation")
        COMMITTING = "committing", _("Being imported")
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
    # A former base's file: its source (mapping), the table as read ({"header", "rows", "encoding"}), and the office's
    # choice for each uncertain match ({line: offer id, or "new"}).
    legacy_source = models.ForeignKey(
        LegacySource, verbose_name=_("former base"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    table = models.JSONField(default=dict, editable=False)
    decisions = models.JSONField(default=dict, editable=False)

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.filename

    @property
    def awaiting_review(self) -> bool:
        return any(line["action"] == "review" for line in self.report)

    @property
    def in_background(self) -> bool:
        return self.status in {self.Status.CHECKING, self.Status.COMMITTING}

    def counts(self) -> dict[str, int]:
        if self.status in {self.Status.CHECKING, self.Status.MAPPING}:
            return {}
        totals = dict.fromkeys(("created", "updated", "unchanged", "refused", "review", "conflicts"), 0)
        totals |= {"providers_created": 0, "providers_updated": 0}
        for line in self.report:
            totals["conflicts"] += sum(not c.get("settled") for c in line.get("conflicts", []))
            if line.get("kind") == "provider" and line["action"] != "refused":
                totals[f"providers_{line['action']}"] = totals.get(f"providers_{line['action']}", 0) + 1
                continue
            totals[line["action"]] += 1
        return totals


class Provenance(models.Model):
    """A record of a source as imported: its identifier there and, per field, the value it gave and the one stored."""

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_id = models.CharField(_("source identifier"), max_length=255)
    source_updated = models.CharField(_("last update at the source"), max_length=40, blank=True)
    # Each imported field's provenance: {field: {"source": the source's value, "stored": the offer's as imported}}.
    values = models.JSONField(_("imported values"), default=dict, blank=True, editable=False)
    imported_at = models.DateTimeField(_("last imported"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.source}: {self.source_id}"


class ImportedRecord(Provenance):
    """Where an offer came from, so that importing the same record again updates it instead of duplicating it. One
    offer may come from several sources (the same hotel in a former base, Apidae and DATAtourisme), once each."""

    offer = models.ForeignKey("offer.Offer", verbose_name=_("offer"), on_delete=models.CASCADE,
                              related_name="imported_from")  # fmt: skip
    # What the source says that ACVS has no field for (an Apidae object's private criteria, its links…).
    extra = models.JSONField(_("other source data"), default=dict, blank=True)
    # A hash of the record as last applied, when nothing of it is left for the office to settle: the same record
    # again is then "unchanged" at once, without mapping it onto the offer (empty: the whole comparison).
    source_digest = models.CharField(_("digest of the source record"), max_length=64, blank=True, default="",
                                     editable=False)  # fmt: skip
    # `values["types"]` as columns, written by the database itself (so bulk writes have them too): reading a flux
    # checks the types of the objects it leaves unread without decoding each provenance's JSON.
    source_types = models.GeneratedField(expression=KT("values__types__source"), output_field=models.TextField(),
                                         db_persist=True)  # fmt: skip
    stored_types = models.GeneratedField(expression=KT("values__types__stored"), output_field=models.TextField(),
                                         db_persist=True)  # fmt: skip

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="imported_record_unique")]


class ImportedProvider(Provenance):
    """Where a provider came from (an Apidae structure), so that importing it again updates it: the provenance of its
    fields as for offers; the offers naming the structure are linked to it."""

    provider = models.ForeignKey("offer.Provider", verbose_name=_("provider"), on_delete=models.CASCADE,
                                 related_name="imported_from")  # fmt: skip

    class Meta:
        verbose_name = _("imported provider")
        verbose_name_plural = _("imported providers")
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="imported_provider_unique")]
