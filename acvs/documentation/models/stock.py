"""Each office's stock of documents (its tenant data), changed only through movements."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from acvs.core.tenancy import scoped_manager


class Place(models.TextChoices):
    COUNTER = "counter", _("Counter")
    STOREROOM = "storeroom", _("Storeroom")


class MovementKind(models.TextChoices):
    RECEIVED = "received", _("Copies received")
    HANDED_OUT = "handed_out", _("Handed out at the counter")
    POSTED = "posted", _("Sent by post")
    TRANSFER_OUT = "transfer_out", _("Transferred to another office")
    TRANSFER_IN = "transfer_in", _("Received from another office")
    DESTROYED = "destroyed", _("Destroyed or outdated")
    ADJUSTMENT = "adjustment", _("Inventory adjustment")
    MOVED = "moved", _("Moved between places")


# Kinds that add to the stock, kinds that take from it; an adjustment sets the counted quantity.
INCOMING = {MovementKind.RECEIVED, MovementKind.TRANSFER_IN}
OUTGOING = {MovementKind.HANDED_OUT, MovementKind.POSTED, MovementKind.TRANSFER_OUT, MovementKind.DESTROYED}
WITH_COUNTERPART = {MovementKind.TRANSFER_IN, MovementKind.TRANSFER_OUT}


class Stock(models.Model):
    """How many copies of a document an office holds at one place. Written only by `services`."""

    office = models.ForeignKey(
        "network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="document_stocks"
    )
    document = models.ForeignKey(
        "documentation.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="stocks"
    )
    place = models.CharField(_("place"), max_length=10, choices=Place.choices, default=Place.STOREROOM)
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stocks")
        ordering = ["document__title", "place"]
        constraints = [
            models.UniqueConstraint(fields=["office", "document", "place"], name="documentation_stock_unique_place"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="documentation_stock_not_negative"),
        ]

    def __str__(self):
        return f"{self.document} @ {self.office} ({self.get_place_display()}): {self.quantity}"


class StockSetting(models.Model):
    """An office's alert threshold and usual reorder quantity for one document (all places together)."""

    office = models.ForeignKey("network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(
        "documentation.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="stock_settings"
    )
    alert_threshold = models.PositiveIntegerField(
        _("alert threshold"), default=0, help_text=_("Reorder when the stock falls to this quantity (0: no alert).")
    )
    reorder_quantity = models.PositiveIntegerField(_("usual reorder quantity"), default=0)

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("stock threshold")
        verbose_name_plural = _("stock thresholds")
        constraints = [
            models.UniqueConstraint(fields=["office", "document"], name="documentation_setting_unique"),
        ]

    def __str__(self):
        return f"{self.document} @ {self.office}: {self.alert_threshold}"


class Movement(models.Model):
    """One change of a stock: what, how many (signed), the balance after it, who, when and why."""

    office = models.ForeignKey(
        "network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="document_movements"
    )
    document = models.ForeignKey(
        "documentation.Document", verbose_name=_("document"), on_delete=models.RESTRICT, related_name="movements"
    )
    place = models.CharField(_("place"), max_length=10, choices=Place.choices)
    kind = models.CharField(_("movement"), max_length=14, choices=MovementKind.choices)
    quantity = models.IntegerField(_("quantity"))
    balance_after = models.PositiveIntegerField(_("balance after"))
    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    visitor_request = models.ForeignKey(
        "desk.VisitorRequest",
        verbose_name=_("visitor request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="document_movements",
    )
    order = models.ForeignKey(
        "documentation.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="movements",
    )
    counterpart = models.ForeignKey(
        "network.Office",
        verbose_name=_("other office"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = scoped_manager(office="office")

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["office", "-at"], name="documentation_move_office_at"),
            models.Index(fields=["office", "document", "-at"], name="documentation_move_doc_at"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.quantity:+d} {self.document}"

    @property
    def reason_label(self) -> str:
        """The reason typed, else "Order #N" for an order's movement, in the reader's language (never stored)."""
        if self.reason or not self.order_id:
            return self.reason
        return gettext("Order #%(number)s") % {"number": self.order_id}
