"""The shared documentation stock: a network catalogue, each office's stock changed only by movements, orders."""

from .catalogue import Document
from .orders import Order, OrderEvent, OrderLine, OrderStatus
from .stock import Movement, MovementKind, Place, Stock, StockSetting

__all__ = [
    "Document",
    "Movement",
    "MovementKind",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderStatus",
    "Place",
    "Stock",
    "StockSetting",
]
