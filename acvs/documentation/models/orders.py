"""Orders of documents between two offices: the requester asks, the supplier accepts and ships, the requester
receives. Each order is visible only to its two offices."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from acvs.core.tenancy import scoped_manager

# An order is seen by both its offices: the one that asked and the one that supplies.
BOTH_SIDES = ("requester", "supplier")


class OrderStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    SHIPPED = "shipped", _("Shipped")
    RECEIVED = "received", _("Delivered")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ORDER_STATUSES = [OrderStatus.REQUESTED, OrderStatus.ACCEPTED, OrderStatus.SHIPPED]


class Order(models.Model):
    requester = models.ForeignKey(
        "network.Office", verbose_name=_("ordered by"), on_delete=models.CASCADE, related_name="document_orders"
    )
    supplier = models.ForeignKey(
        "network.Office", verbose_name=_("supplier"), on_delete=models.CASCADE, related_name="document_orders_in"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.REQUESTED, db_index=True
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("ordered on"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ordered by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager(office=BOTH_SIDES)

    class Meta:
        verbose_name = _("document order")
        verbose_name_plural = _("document orders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("supplier")), name="documentation_order_two_offices"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.requester} → {self.supplier}"

    def get_absolute_url(self) -> str:
        return reverse("documentation:order", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ORDER_STATUSES


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    document = models.ForeignKey(
        "documentation.Document", verbose_name=_("document"), on_delete=models.RESTRICT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity ordered"))
    quantity_shipped = models.PositiveIntegerField(_("quantity shipped"), default=0)

    objects = scoped_manager(office=[f"order__{side}" for side in BOTH_SIDES])

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "document"], name="documentation_orderline_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="documentation_orderline_positive"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.document}"


class OrderEvent(models.Model):
    """Each step of an order: who moved it to which status, when, with an optional comment."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=10, choices=OrderStatus.choices)
    at = models.DateTimeField(_("date"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    office = models.ForeignKey("network.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    # Seen by both offices of the order (its `office` is the one that took the step).
    objects = scoped_manager(office=[f"order__{side}" for side in BOTH_SIDES])

    class Meta:
        verbose_name = _("order step")
        verbose_name_plural = _("order steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.order_id}: {self.status}"
