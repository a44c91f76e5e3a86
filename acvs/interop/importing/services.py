"""Import runs: read a file, dry run (the real writes, rolled back), then commit all or nothing.

Every record goes through the offer services the screens use (`offer_create`, `offer_update`: rights, validation,
history, search index), owned by the importing office where the ownership rule allows it. The dry run plays
exactly the commit's writes inside a transaction that is rolled back, so what it announces is what the commit does.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acvs.network import rules
from acvs.network.models import Commune, Membership
from acvs.offer.models import Offer, OfferType, Status
from acvs.offer.services import OfferData, offer_create, offer_update
from acvs.offer.snapshot import offer_snapshot

from ..models import ImportedRecord, ImportRun
from ..models.importing import Source
from . import datatourisme


class _Rollback(Exception):
    """Leaves a transaction without keeping its writes."""


def import_prepare(*, membership: Membership, name: str, content: bytes) -> ImportRun:
    """Read the file (datatourisme.FileRefused when it cannot be read at all) and dry-run it."""
    if not rules.can_import_offers(membership):
        raise PermissionDenied(_("Only the office’s managers and its administrators can import offers."))
    records = datatourisme.read_file(name, content)
    run = ImportRun(office=membership.office, started_by=membership.user, filename=name[:200], records=records)
    run.report = _play(run, membership, commit=False, exclude_refused=False)
    run.save()
    return run


def import_commit(*, membership: Membership, run: ImportRun, exclude_refused: bool) -> ImportRun:
    """Write every record in one transaction; one refusal writes nothing unless refused records are left out."""
    if not rules.can_import_offers(membership) or run.office_id != membership.office_id:
        raise PermissionDenied(_("Only the office’s managers and its administrators can import offers."))
    if run.status == ImportRun.Status.COMMITTED:
        raise ValidationError(_("This file has already been imported."))
    report = _play(run, membership, commit=True, exclude_refused=exclude_refused)
    refused = any(line["action"] == "refused" for line in report)
    run.report = report
    run.exclude_refused = exclude_refused
    if refused and not exclude_refused:
        run.status = ImportRun.Status.REFUSED
    else:
        run.status, run.committed_at = ImportRun.Status.COMMITTED, timezone.now()
    run.save()
    return run


def _play(run: ImportRun, membership: Membership, *, commit: bool, exclude_refused: bool) -> list[dict]:
    report = []
    try:
        with transaction.atomic():
            context = _Context.load(run.records)
            for record in run.records:
                report.append(_apply(record, membership, context))
            refused = any(line["action"] == "refused" for line in report)
            if not commit or (refused and not exclude_refused):
                raise _Rollback
    except _Rollback:
        pass
    return report


class _Context:
    """The types and communes a file names, read once."""

    def __init__(self, types: dict, families: dict, communes: dict):
        self.types, self.families, self.communes = types, families, communes

    @classmethod
    def load(cls, records: list[dict]):
        codes = {code for r in records for code in r.get("types", [])}
        types = {t.code: t for t in OfferType.objects.filter(code__in=codes).prefetch_related("ancestors")}
        families = {t.code: {a.code for a in t.ancestors.all()} - {t.code} for t in types.values()}
        communes = Commune.objects.in_bulk({r.get("insee") for r in records if r.get("insee")})
        return cls(types, families, communes)

    def precise_types(self, codes: list[str]) -> list[OfferType]:
        """The most precise known types: a family is dropped when one of its sub-types is there."""
        known = {c for c in codes if c in self.types}
        broader = set().union(*(self.families[c] for c in known))
        return [self.types[c] for c in sorted(known - broader)]


def _line(record: dict, action: str, reason: str = "", offer: Offer | None = None) -> dict:
    return {"line": record["line"], "file": record.get("file", ""), "source_id": record.get("source_id", ""),
            "name": record.get("name", ""), "action": action, "reason": reason,
            "offer": offer.pk if offer else None}  # fmt: skip


def _apply(record: dict, membership: Membership, context: _Context) -> dict:
    if record.get("refused"):
        return _line(record, "refused", record["refused"])
    types = context.precise_types(record["types"])
    if not types:
        return _line(
            record, "refused", _("No known offer type among %(types)s.") % {"types": ", ".join(record["types"])}
        )
    commune = context.communes.get(record["insee"])
    if commune is None:
        return _line(record, "refused", _("Unknown commune (INSEE code “%(insee)s”, %(city)s).") % record)
    data = OfferData(
        fields={
            **record["fields"],
            "commune": commune,
            "latitude": record["latitude"],
            "longitude": record["longitude"],
        },  # fmt: skip
        types=types,
        periods=[_period(p) for p in record["periods"]],
        owner_office=membership.office,
    )
    known = ImportedRecord.objects.filter(source=Source.DATATOURISME, source_id=record["source_id"]).first()
    try:
        with transaction.atomic():
            if known is None:
                data.fields["status"] = Status.PUBLISHED
                offer = offer_create(membership=membership, data=data)
                ImportedRecord.objects.create(source=Source.DATATOURISME, source_id=record["source_id"], offer=offer,
                                              source_updated=record["updated"])  # fmt: skip
                return _line(record, "created", offer=offer)
            offer = _update(known, record, membership, data)
            return _line(record, "updated" if offer else "unchanged", offer=offer or known.offer)
    except ValidationError as error:
        return _line(record, "refused", " ".join(_messages(error)))
    except PermissionDenied as error:
        return _line(record, "refused", str(error))


def _update(known: ImportedRecord, record: dict, membership: Membership, data: OfferData) -> Offer | None:
    """Update the offer from the record; None (and nothing written) when nothing would change."""
    offer = known.offer
    # What the file does not carry stays as the office set it.
    data.labels, data.features = list(offer.labels.all()), list(offer.features.all())
    data.owner_office = None  # a re-import never moves an offer to another office
    data.prices = list(offer.prices.values("label", "min_amount", "max_amount", "unit", "valid_from", "valid_to"))
    before = _comparable(offer)
    try:
        with transaction.atomic():
            offer_update(offer=offer, membership=membership, version=offer.version, data=data)
            if _comparable(Offer.objects.get(pk=offer.pk)) == before:
                raise _Rollback
    except _Rollback:
        return None
    known.source_updated = record["updated"]
    known.save()
    return offer


def _comparable(offer: Offer) -> dict:
    """The offer's snapshot with its periods and prices in a fixed order (those of the same day and hour come in any
    order from the database)."""
    snapshot = offer_snapshot(offer)
    for name in ("periods", "prices"):
        label, value = snapshot[name]
        snapshot[name] = (label, "\n".join(sorted(value.split("\n"))))
    return snapshot


def _period(p: dict) -> dict:
    times = {k: datetime.time.fromisoformat(p[k]) if p[k] else None for k in ("opens", "closes")}
    dates = {k: datetime.date.fromisoformat(p[k]) for k in ("start_date", "end_date")}
    return {**dates, **times, "weekdays": p["weekdays"]}


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [f"{field}: {m}" if field != "__all__" else m for field, ms in error.message_dict.items() for m in ms]
    return list(error.messages)
