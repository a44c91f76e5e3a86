"""Imports of contact files (CSV, XLSX): the file as read, its column mapping, the dry run's report, the commit."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from acvs.core.tenancy import scoped_manager


class ImportMapping(models.Model):
    """How an office maps the columns of a source's files (by header), offered again for the next file."""

    office = models.ForeignKey("network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("source"), max_length=100)
    columns = models.JSONField(_("mapping"), default=dict)  # header → field
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        ordering = ["source"]
        constraints = [
            models.UniqueConstraint(fields=["office", "source"], name="contacts_import_mapping_unique_per_office")
        ]

    def __str__(self):
        return self.source


class ContactImport(models.Model):
    """One uploaded file of an office: its rows as read, then mapped, checked (dry run) and committed at once."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded, columns to map")
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked, awaiting confirmation")
        COMMITTING = "committing", _("Being imported")
        COMMITTED = "committed", _("Imported")
        REFUSED = "refused", _("Not imported: some lines were refused")

    office = models.ForeignKey("network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    filename = models.CharField(_("file"), max_length=200)
    source = models.CharField(_("source"), max_length=100)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    # The file as read: its header and its rows (text cells, kept as text whatever they hold).
    header = models.JSONField(default=list, editable=False)
    rows = models.JSONField(default=list, editable=False)
    columns = models.JSONField(_("mapping"), default=dict)  # column index (as text) → field
    origin = models.CharField(_("stated origin of the consents"), max_length=200, blank=True)
    consent_text = models.TextField(_("wording the people agreed to"), blank=True)
    excluded = models.JSONField(default=list, editable=False)  # line numbers left out
    # The lines as the dry run read them (normalised values, or their refusal): the commit matches them again.
    parsed = models.JSONField(default=list, editable=False)
    # One entry per line: [line, action, contact id or None, earlier line or None, reason, label].
    report = models.JSONField(default=list, editable=False)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("contact import")
        verbose_name_plural = _("contact imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.filename

    def counts(self) -> dict[str, int]:
        totals = dict.fromkeys(("create", "merge", "duplicate", "refuse", "exclude"), 0)
        for line in self.report:
            totals[line[1]] += 1
        return totals
