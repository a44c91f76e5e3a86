"""The type tree's closure (offer_offertype_ancestors), kept per process: the type filter lists a type's sub-types as
values (see filters.filtered), and reading them cost every search by type a statement of its own.

The tree changes only when the DATAtourisme ontology is loaded (`offer.reference.load_offer_types`), which calls
`changed()`: this process forgets its copy at once and again when the transaction commits, and reads the tree live
until then (that transaction may still roll back). Other processes read it again within TTL_SECONDS.
"""

import time
from collections import defaultdict

from django.db import connections, transaction

from ..models import OfferType

TTL_SECONDS = 300.0

_closures: dict[str, tuple[float, dict[int, tuple[int, ...]]]] = {}  # database alias: (read at, type: sub-types)


def subtypes(type_ids, using: str = "default") -> list[int]:
    """The types and all their sub-types, sorted."""
    connection = connections[using]
    if _changing(connection):
        return _read(using, type_ids)
    read_at, closure = _closures.get(using, (None, None))
    if closure is None or time.monotonic() - read_at > TTL_SECONDS:
        read_at, closure = time.monotonic(), _read_all(using)
        _closures[using] = (read_at, closure)
    return sorted({sub for type_id in type_ids for sub in closure.get(type_id, ())})


def changed(using: str = "default") -> None:
    """The type tree was written in the current transaction."""
    forget()
    transaction.on_commit(forget, using=using)


def forget() -> None:
    _closures.clear()


def _changing(connection) -> bool:
    # `forget` still waits for the commit of a transaction that changed the tree (a rollback discards it).
    return any(func is forget for _savepoints, func, _robust in connection.run_on_commit)


def _read_all(using: str) -> dict[int, tuple[int, ...]]:
    closure = defaultdict(list)
    rows = OfferType.ancestors.through.objects.using(using).values_list("to_offertype_id", "from_offertype_id")
    for ancestor_id, type_id in rows:
        closure[ancestor_id].append(type_id)
    return {ancestor_id: tuple(sorted(ids)) for ancestor_id, ids in closure.items()}


def _read(using: str, type_ids) -> list[int]:
    rows = OfferType.ancestors.through.objects.using(using).filter(to_offertype_id__in=type_ids)
    return sorted(set(rows.values_list("from_offertype_id", flat=True)))
