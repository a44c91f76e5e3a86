"""The registry of import connectors: one per source, in the order the upload form offers them."""

from . import apidae, datatourisme, tourinsoft
from .base import Connector

CONNECTORS: dict[str, Connector] = {c.code: c for c in (datatourisme.CONNECTOR, apidae.CONNECTOR, tourinsoft.CONNECTOR)}
DEFAULT = datatourisme.CONNECTOR.code


def get(code: str) -> Connector:
    return CONNECTORS[code]


def choices() -> list[tuple[str, str]]:
    return [(c.code, c.label) for c in CONNECTORS.values()]


def extensions() -> list[str]:
    return sorted({e for c in CONNECTORS.values() for e in c.extensions})
