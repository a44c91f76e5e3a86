"""Import runs: read a file, dry run (the real writes, rolled back), then commit all or nothing.

Every record goes through the offer services the screens use (`offer_create`, `offer_update`: rights, validation,
history, search index), owned by the importing office where the ownership rule allows it. The dry run plays
exactly the commit's writes inside a transaction that is rolled back, so what it announces is what the commit does.
A batch's new records are created together (`creating`), validated by the same code, and not written by a dry run.
"""

import datetime
import decimal
import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from acvs.agenda.services import schedules_from_opening_periods
from acvs.core import jobs
from acvs.core.jobs import JobFailed
from acvs.core.models import Job
from acvs.network import rules
from acvs.network.models import Commune, Membership
from acvs.network.selectors import acting_membership, place_key
from acvs.offer.models import Label, Offer, OfferType, OpeningPeriod, Price, Status
from acvs.offer.services import OfferData, offer_create, offer_update, provider_create, provider_update
from acvs.offer.snapshot import offer_snapshot, period_text, price_text

from ..models import ImportedProvider, ImportedRecord, ImportRun, LegacySource, Source
from . import connectors, creating, legacy, matching
from .base import FileRefused, map_objects, read_records

SYNC_RECORDS = 100  # a larger file is checked and imported in the background, with a progress bar
BATCH = 50  # records per transaction in the background


class _Rollback(Exception):
    """Leaves a transaction without keeping its writes."""


def import_prepare(*, membership: Membership, name: str, content: bytes, source: str = connectors.DEFAULT) -> ImportRun:
    """Read the file with the source's connector (FileRefused when it cannot be read at all) and dry-run it: at once
    for a small file, in the background (a job with progress) for a large one."""
    if not rules.can_import_offers(membership):
        raise PermissionDenied(_("Only the office’s managers and its administrators can import offers."))
    offers = {}  # source id of an object the file's index says is unchanged → its offer

    def unchanged(dates: dict[str, str]) -> set[str]:
        offers.update(_unread_unchanged(dates, source=source, membership=membership))
        return set(offers)

    records = read_records(connectors.get(source), name, content, unchanged=unchanged)
    for record in records:
        if record.get("unread"):
            record["offer"] = offers[record["source_id"]]  # for the dry run; the commit checks it again
    run = ImportRun(
        office=membership.office, started_by=membership.user, source=source, filename=name[:200], records=records
    )
    return _check(run, membership)


def _check(run: ImportRun, membership: Membership) -> ImportRun:
    """The dry run of the run's records: at once for a few, in the background for many."""
    records = run.records
    run.status = ImportRun.Status.CHECKED
    if len(records) <= SYNC_RECORDS:
        run.report = _play(run, membership, commit=False, exclude_refused=False)
        run.save()
        return run
    from .. import tasks  # here: the tasks module imports this one

    with transaction.atomic():
        run.status = ImportRun.Status.CHECKING
        run.save()
        jobs.job_start(membership=membership, kind=tasks.CHECK, target=run, total=len(records))
    return run


def import_commit(*, membership: Membership, run: ImportRun, exclude_refused: bool) -> ImportRun:
    """Write every record in one transaction; one refusal writes nothing unless refused records are left out. A large
    run is written in the background."""
    if not rules.can_import_offers(membership) or run.office_id != membership.office_id:
        raise PermissionDenied(_("Only the office’s managers and its administrators can import offers."))
    if len(run.records) <= SYNC_RECORDS:
        return _commit(membership, run, exclude_refused)
    from .. import tasks  # here: the tasks module imports this one

    with transaction.atomic():
        locked = ImportRun.objects.select_for_update().defer("records", "table").get(pk=run.pk)  # not decoded
        _check_committable(locked)
        locked.status = ImportRun.Status.COMMITTING
        locked.save(update_fields=["status"])
        params = {"exclude_refused": exclude_refused}
        jobs.job_start(membership=membership, kind=tasks.COMMIT, target=locked, params=params, total=len(run.records))
    run.status = locked.status
    return run


def _check_committable(run: ImportRun) -> None:
    if run.status == ImportRun.Status.COMMITTED:
        raise ValidationError(_("This file has already been imported."))
    if run.in_background:
        raise ValidationError(_("This file is being worked on in the background: wait for the end."))
    if run.status == ImportRun.Status.MAPPING:
        raise ValidationError(_("Map the file’s columns first."))
    if run.awaiting_review:
        raise ValidationError(_("Choose first, for each possible duplicate, the same offer or a new one."))


def _commit(membership: Membership, run: ImportRun, exclude_refused: bool) -> ImportRun:
    _check_committable(run)
    report = _play(run, membership, commit=True, exclude_refused=exclude_refused)
    refused = any(line["action"] in BLOCKING for line in report)
    run.report = report
    run.exclude_refused = exclude_refused
    if refused and not exclude_refused:
        run.status = ImportRun.Status.REFUSED
    else:
        run.status, run.committed_at = ImportRun.Status.COMMITTED, timezone.now()
    run.save()
    return run


def check_work(job: Job, progress) -> str:
    """The background dry run of a large file (core.jobs work), batch by batch."""
    run = _job_run(job, ImportRun.Status.CHECKING)
    run.report = _play_batches(run, acting_membership(job), commit=False, exclude_refused=False, progress=progress)
    run.status = ImportRun.Status.CHECKED
    run.save(update_fields=["report", "status"])
    return _("%(count)s records checked.") % {"count": len(run.records)}


def commit_work(job: Job, progress) -> str:
    """The background commit of a large file (core.jobs work): all or nothing per batch of records."""
    run = _job_run(job, ImportRun.Status.COMMITTING)
    exclude_refused = job.params.get("exclude_refused", False)
    if not exclude_refused and any(line["action"] in BLOCKING for line in run.report):
        run.status = ImportRun.Status.REFUSED  # as the dry run said: nothing is written
    else:
        membership = acting_membership(job)
        run.report = _play_batches(run, membership, commit=True, exclude_refused=exclude_refused, progress=progress)
        run.status, run.committed_at, run.exclude_refused = ImportRun.Status.COMMITTED, timezone.now(), exclude_refused
    # Its records are as the dry run read them: not written again (a flux file's are megabytes of JSON).
    run.save(update_fields=["report", "status", "committed_at", "exclude_refused"])
    return str(run.get_status_display())


def _job_run(job: Job, status: str) -> ImportRun:
    run = ImportRun.objects.filter(pk=job.target_id).first()
    if run is None or run.status != status:  # deleted, or already done by an earlier attempt
        raise JobFailed(_("This import is no longer waiting for this work."), retryable=False)
    return run


def _play(run: ImportRun, membership: Membership, *, commit: bool, exclude_refused: bool) -> list[dict]:
    report = []
    try:
        with transaction.atomic():
            context = _Context.load(run.records, run.decisions, run.source, membership, commit)
            for start in range(0, len(run.records), BATCH):
                batch = run.records[start : start + BATCH]
                report += creating.apply_all(batch, membership, context, run.source, commit)
            refused = any(line["action"] in BLOCKING for line in report)
            if not commit or (refused and not exclude_refused):
                raise _Rollback
    except _Rollback:
        pass
    return report


def _play_batches(run: ImportRun, membership: Membership, *, commit: bool, exclude_refused: bool, progress) -> list:
    """`_play` batch by batch, each in its own transaction, so that the progress between them is seen (and a
    worker's transaction stays short): a batch with a refused record writes nothing unless the refused are left
    out. A dry run's batches do not see each other's writes."""
    report, context = [], _Context.load(run.records, run.decisions, run.source, membership, commit)
    for start in range(0, len(run.records), BATCH):
        lines = []
        try:
            with transaction.atomic():
                lines += creating.apply_all(run.records[start : start + BATCH], membership, context, run.source, commit)
                refused = any(line["action"] in BLOCKING for line in lines)
                if not commit or (refused and not exclude_refused):
                    raise _Rollback
        except _Rollback:
            if commit:
                lines = [_unwritten(line) for line in lines]
        report += lines
        progress(start + len(lines), len(run.records))
    return report


def _unwritten(line: dict) -> dict:
    if line["action"] in BLOCKING:
        return line
    reason = _("Not written: another record of its batch was refused.")
    return {**line, "action": "refused", "reason": reason, "offer": None}


class _Context:
    """The types and communes a file names, read once, the offers its records may be matched to, and the digests of
    the records already imported as they were last applied."""

    def __init__(self, types: dict, families: dict, communes: dict, decisions: dict, pool: matching.Pool,
                 digests: dict | None = None, unread: dict | None = None):  # fmt: skip
        self.types, self.families, self.communes = types, families, communes
        self.decisions = decisions  # the uncertain matches, as the office settled them
        self.pool = pool
        self.digests = digests or {}  # source id → (digest, offer id, owner office id, its département id)
        self.unread = unread or {}  # source id of an object left unread → its offer, when it is still unchanged
        self.seen: set[str] = set()  # source ids met in this run: a second one is compared in full

    @classmethod
    def load(cls, records: list[dict], decisions: dict, source: str, membership: Membership, commit: bool = True):
        # One pass over the records (a flux file's are thousands, most of them unread in a daily re-import).
        codes, insee, ids, dates, offers = set(), set(), [], {}, {}
        for r in records:
            if r.get("unread"):  # its id, date and (for the dry run) offer only
                dates[r["source_id"]] = r["updated"]
                if r.get("offer"):
                    offers[r["source_id"]] = r["offer"]
                continue
            codes.update(r.get("types", []))
            if r.get("insee"):
                insee.add(r["insee"])
            if r.get("source_id") and not r.get("refused"):
                ids.append(r["source_id"])
        types, families = cls.type_tables(codes)
        communes = Commune.objects.in_bulk(insee)
        digests = {}
        for start in range(0, len(ids), DIGESTS_AT_ONCE):
            known = _among(ImportedRecord.objects.filter(source=source), ids[start : start + DIGESTS_AT_ONCE])
            rows = known.exclude(source_digest="").values_list(
                "source_id", "source_digest", "offer_id", "offer__owner_office_id", "offer__owner_office__department_id"
            )
            digests.update((row[0], row[1:]) for row in rows)
        # The objects left unread: as the file's reading found them for the dry run (moments before: it writes
        # nothing), checked again for the commit (the base may have changed since).
        if not commit:
            unread = offers
        elif dates:
            unread = _unread_unchanged(dates, source=source, membership=membership, types=False)
        else:
            unread = {}
        return cls(types, families, communes, decisions, matching.Pool.load(source, records), digests, unread)

    def unread_unchanged(self, record: dict) -> int | None:
        """The offer of an object left unread, when it is still as last imported, met for the first time in the
        run; None when it is not (changed in the base since the file was read: it cannot be compared)."""
        first = record["source_id"] not in self.seen
        self.seen.add(record["source_id"])
        return self.unread.get(record["source_id"]) if first else None

    def unchanged(self, record: dict, digest: str, membership: Membership) -> int | None:
        """The offer of a record imported before exactly as it is now (the same digest), that the importer may
        change: nothing to compare, nothing to write. None when the record must be compared in full (new, changed,
        met earlier in this run, a conflict still listed, or another office's offer: refused the usual way)."""
        source_id = record["source_id"]
        first = source_id not in self.seen
        self.seen.add(source_id)
        known = self.digests.get(source_id)
        if not first or known is None or known[0] != digest:
            return None
        _, offer, owner, department = known
        return offer if rules.can_write_for_office(membership, owner, department) else None

    @staticmethod
    def type_tables(codes) -> tuple[dict, dict]:
        types = {t.code: t for t in OfferType.objects.filter(code__in=codes).prefetch_related("ancestors")}
        return types, {t.code: {a.code for a in t.ancestors.all()} - {t.code} for t in types.values()}

    def precise_types(self, codes: list[str]) -> list[OfferType]:
        """The most precise known types: a family is dropped when one of its sub-types is there."""
        known = {c for c in codes if c in self.types}
        broader = set().union(*(self.families[c] for c in known))
        return [self.types[c] for c in sorted(known - broader)]


DIGESTS_AT_ONCE = 5000


def _unread_unchanged(dates: dict[str, str], *, source: str, membership: Membership, types: bool = True) -> dict:
    """Of records known by their id and their date at the source ({source id: date}), those that need not be read:
    {source id: its offer}. So when the provenance has the same date and a digest (the record was applied as it
    is, nothing left for the office to settle), the importer may change the offer (another office's is refused
    the usual way, which needs the record), and (`types`: when the file is read) the types the base knows for the
    record's are still those it was given (a type the base learns later makes it read and compared in full, as the
    digest does; the dry run and the commit check the rest again, not this)."""
    fields = ["source_id", "source_updated", "offer_id", "offer__owner_office_id", "offer__owner_office__department_id"]
    ids, rows = list(dates), []
    for start in range(0, len(ids), DIGESTS_AT_ONCE):
        known = _among(ImportedRecord.objects.filter(source=source), ids[start : start + DIGESTS_AT_ONCE])
        # values["types"] as its columns (source_types, stored_types): the provenance's JSON is not read.
        rows += known.exclude(source_digest="").values_list(
            *fields, *(["source_types", "stored_types"] if types else [])
        )
    rows = [row for row in rows if row[1] and row[1] == dates[row[0]]]
    rows = [row for row in rows if rules.can_write_for_office(membership, row[3], row[4])]
    if not types:
        return {row[0]: row[2] for row in rows}
    context = _Context(*_Context.type_tables({c for row in rows for c in (row[5] or "").split()}), {}, {}, None)
    precise: dict[str, str] = {}  # the precise types of a set of classes, worked out once
    unchanged = {}
    for source_id, _updated, offer, _owner, _department, codes, stored in rows:
        if codes is None or stored is None:  # no types in the provenance: read and compared in full
            continue
        if codes not in precise:
            precise[codes] = " ".join(t.code for t in context.precise_types(codes.split()))
        if precise[codes] == stored:
            unchanged[source_id] = offer
    return unchanged


def _among(queryset, ids: list[str]):
    """`source_id__in=ids`, as one parameter on PostgreSQL (thousands of placeholders cost more to send): a JSON
    array, which json.dumps writes at C speed (psycopg writes a text[] element by element, in Python: 0.3 s of 6 s
    at 20,000 under cProfile)."""
    if connection.vendor == "postgresql":
        return queryset.filter(source_id__in=RawSQL("SELECT jsonb_array_elements_text(%s::jsonb)", [json.dumps(ids)]))
    return queryset.filter(source_id__in=ids)


def _digest(record: dict, types: list[OfferType]) -> str:
    """A hash of the record as mapped (its place in the file aside) and of the types ACVS knows it by (a type the
    base learns later changes it): the same digest, the same record."""
    form = {key: value for key, value in record.items() if key not in {"line", "file"}}
    form["known_types"] = [t.code for t in types]
    return hashlib.sha256(json.dumps(form, sort_keys=True, default=str).encode()).hexdigest()


def _settled_digest(known: ImportedRecord, record: dict, digest: str) -> str:
    """The digest to keep with the provenance: none while a value of the record is not the source's the provenance
    holds (a conflict the office has not settled is listed again on the next import)."""
    names = [*record["fields"], *TRACKED]
    settled = all(known.values.get(name, {}).get("source") == _raw(record, name) for name in names)
    sources = _source_children(record)  # the types, periods and prices as wholes, listed as conflicts too
    settled = settled and all(known.values[name]["source"] == (sources[name] or "") for name in CHILDREN
                              if name in known.values)  # fmt: skip
    return digest if settled else ""


def _line(record: dict, action: str, reason: str = "", offer: Offer | None = None) -> dict:
    return {"line": record["line"], "file": record.get("file", ""), "source_id": record.get("source_id", ""),
            "name": record.get("name", ""), "action": action, "reason": reason,
            "offer": offer.pk if offer else None}  # fmt: skip


def _apply(record: dict, membership: Membership, context: _Context, source: str) -> dict:
    line = _resolve(record, membership, context, source)
    if line.get("offer"):
        context.pool.taken.add(line["offer"])  # one offer, one record of the run
    return line


def _resolve(record: dict, membership: Membership, context: _Context, source: str) -> dict:
    if record.get("refused"):
        return _line(record, "refused", record["refused"])
    if record.get("unread"):  # as last imported, the flux's index said: the offer stays as it is
        if (same := context.unread_unchanged(record)) is not None:
            return {**_line(record, "unchanged"), "offer": same}
        return _line(record, "refused", _("Changed in the base since the file was read: upload the file again."))
    if record.get("kind") == "provider":
        return _resolve_provider(record, membership, context, source)
    if record.get("provider"):  # the provider of the source's structure, imported earlier or above in the file
        linked = ImportedProvider.objects.filter(source=source, source_id=record["provider"])
        if (provider := linked.values_list("provider_id", flat=True).first()) is not None:
            record = {**record, "fields": {**record["fields"], "provider_id": provider}}
    types = context.precise_types(record["types"])
    if not types:
        return _line(
            record, "refused", _("No known offer type among %(types)s.") % {"types": ", ".join(record["types"])}
        )
    commune = context.communes.get(record["insee"])
    if commune is None:
        return _line(record, "refused", _("Unknown commune (INSEE code “%(insee)s”, %(city)s).") % record)
    digest = _digest(record, types)
    if (same := context.unchanged(record, digest, membership)) is not None:
        return {**_line(record, "unchanged"), "offer": same}  # as last applied: the offer stays as it is
    positioned = record["latitude"] is not None  # a former base may give none: the commune's centre then
    data = OfferData(
        fields={
            **record["fields"],
            "commune": commune,
            "latitude": record["latitude"] if positioned else commune.latitude,
            "longitude": record["longitude"] if positioned else commune.longitude,
        },  # fmt: skip
        types=types,
        periods=[_period(p) for p in record.get("periods", [])],
        prices=[_price(p) for p in record.get("prices", [])],
        labels=list(Label.objects.filter(code__in=record.get("labels", []))),
        # The usual rule: the importing office where its role lets it choose, else the office whose territory holds
        # the commune (offer_create refuses a territory the importer may not write in).
        owner_office=membership.office,
    )
    known = ImportedRecord.objects.filter(source=source, source_id=record["source_id"]).first()
    if known is None:
        found = _matched(record, context)
        if isinstance(found, dict):
            return found  # uncertain: for the office to choose
        if found is not None:
            known = _provenance_for(found, record, context.pool, data)
            if not positioned:
                data.fields.pop("latitude"), data.fields.pop("longitude")
    try:
        with transaction.atomic():
            if known is not None and known.pk and known.source_id != record["source_id"]:
                known.source_id = record["source_id"]  # a renamed line of a former base: known by its new name
                known.save(update_fields=["source_id"])
            if known is None:
                data.fields["status"] = Status.PUBLISHED
                offer = offer_create(membership=membership, data=data)
                schedules_from_opening_periods([offer.pk])  # an event's dates are its opening periods, as on loads
                ImportedRecord.objects.create(
                    source=source,
                    source_id=record["source_id"],
                    offer=offer,
                    source_updated=record["updated"],
                    extra=record.get("extra", {}),
                    values=_provenance(offer, record),
                    source_digest=digest,
                )
                return _line(record, "created", offer=offer)
            offer, conflicts = _update(known, record, membership, data, digest)
            line = _line(record, "updated" if offer else "unchanged", offer=offer or known.offer)
            return {**line, "conflicts": conflicts} if conflicts else line
    except ValidationError as error:
        return _line(record, "refused", " ".join(_messages(error)))
    except PermissionDenied as error:
        return _line(record, "refused", str(error))


def _resolve_provider(record: dict, membership: Membership, context: _Context, source: str) -> dict:
    """A source's structure as a provider: created, updated, or left alone when unchanged; what the office changed
    since the last import stays its own (said in the line's reason)."""
    insee = record.get("insee") or ""
    values = {**record["fields"], "commune_id": insee if insee in context.communes else None}
    known = ImportedProvider.objects.filter(source=source, source_id=record["source_id"]).first()
    line = {**_line(record, "created"), "kind": "provider"}
    try:
        with transaction.atomic():
            if known is None:
                provider = provider_create(membership=membership, fields=values)
                provider = type(provider).objects.get(pk=provider.pk)
                ImportedProvider.objects.create(source=source, source_id=record["source_id"], provider=provider,
                                                source_updated=record["updated"],
                                                values=_provider_provenance(provider, values))  # fmt: skip
                return {**line, "provider": provider.pk}
            provider = known.provider
            line = {**line, "provider": provider.pk}
            if all(_plain(value) == known.values.get(name, {}).get("source") for name, value in values.items()):
                return {**line, "action": "unchanged"}  # the source says what it said: nothing to look at
            if not rules.can_change_provider(membership, provider):  # another office's: it stays as that one keeps it
                return {**line, "action": "unchanged", "reason": _("Only the owning office can change this provider.")}
            kept = [name for name, seen in known.values.items()
                    if name in values and _plain(getattr(provider, name)) != seen["stored"]]  # fmt: skip
            if kept:
                names = ", ".join(str(type(provider)._meta.get_field(name).verbose_name) for name in kept)
                line["reason"] = _("The office’s own value kept for: %(fields)s.") % {"fields": names}
            # Changed at the source too: listed for the office to take the source's value or keep its own.
            conflicts = [{"field": name, "label": str(type(provider)._meta.get_field(name).verbose_name),
                          "current": _provider_shown(name, getattr(provider, name)),
                          "incoming": _provider_shown(name, values[name]), "source": _plain(values[name])}
                         for name in kept if _plain(values[name]) != known.values[name]["source"]]  # fmt: skip
            if conflicts:
                line["conflicts"] = conflicts
            fields = {name: getattr(provider, name) if name in kept else value for name, value in values.items()}
            before = _provider_plain(provider)
            try:
                with transaction.atomic():
                    provider_update(provider=provider, membership=membership, version=provider.version, fields=fields)
                    changed = type(provider).objects.get(pk=provider.pk)
                    if _provider_plain(changed) == before:
                        raise _Rollback
            except _Rollback:
                return {**line, "action": "unchanged"}
            known.source_updated = record["updated"]
            known.values = {**_provider_provenance(changed, values), **{name: known.values[name] for name in kept}}
            known.save()
            return {**line, "action": "updated"}
    except ValidationError as error:
        return {**_line(record, "refused", " ".join(_messages(error))), "kind": "provider"}
    except PermissionDenied as error:
        return {**_line(record, "refused", str(error)), "kind": "provider"}


def _provider_shown(name: str, value) -> str:
    """A provider's field as the run's page shows it (a commune by its name)."""
    if name == "commune_id" and value:
        commune = Commune.objects.filter(pk=value).first()
        return f"{commune.name} ({value})" if commune else _plain(value)
    return _plain(value)


def _provider_plain(provider) -> dict:
    return {name: _plain(getattr(provider, name)) for name in PROVIDER_TRACKED}


def _provider_provenance(provider, values: dict) -> dict:
    return {
        name: {"source": _plain(value), "stored": _plain(getattr(provider, name))} for name, value in values.items()
    }


PROVIDER_TRACKED = ("name", "legal_name", "siret", "address", "commune_id", "phone", "email", "website")


BLOCKING = {"refused", "review"}  # a record that keeps the commit from writing its batch


def _matched(record: dict, context: _Context):
    """The offer a record without a known source id is the same as (by the office's choice, or a certain match),
    None for a new one, or the report's line of an uncertain match for the office to settle."""
    decision = context.decisions.get(str(record["line"]))
    if decision == "new":
        return None
    if decision:
        return None if int(decision) in context.pool.taken else context.pool.offers().filter(pk=decision).first()
    kind, candidates = matching.match(record, context.pool)
    if kind == "certain":
        return Offer.objects.get(pk=candidates[0].offer)
    if kind == "uncertain":
        reason = _("Maybe an offer already in the base: choose below.")
        return {**_line(record, "review", reason), "candidates": [c.as_json() for c in candidates]}
    return None


def _provenance_for(offer: Offer, record: dict, pool: matching.Pool, data: OfferData) -> ImportedRecord:
    """The record's provenance on the offer it matched: a renamed line's own (re-keyed when written), else a new one.

    A new one on an offer of the base (typed by hand, or brought by another source) takes nothing the office gave the
    offer silently: a field the offer already holds with another value than the record's is kept and listed as a
    conflict, for the office to accept or keep like any other (a former base's file is the office's own data: its
    values are taken). So do the types, periods and prices the offer has when they say something else than the
    record's; its labels stay."""
    if offer.pk in pool.vanished:
        return ImportedRecord.objects.get(pk=pool.vanished[offer.pk])
    known = ImportedRecord(source=pool.source, source_id=record["source_id"], offer=offer)
    if pool.source != Source.LEGACY:
        # Seen as edited by the office (no stored value is the offer's): kept, and listed until settled.
        known.values = {name: {"source": None, "stored": None} for name in [*record["fields"], *TRACKED]
                        if _differs(getattr(offer, name), _raw(record, name), name)}  # fmt: skip
        incoming = _incoming_children(record, data)
        own = {name: _offer_children(offer, name) for name in CHILDREN}  # none: the record's are taken
        known.values |= {name: {"source": None, "stored": None} for name in CHILDREN
                         if own[name] and incoming[name] is not None
                         and _summary(name, own[name], True) != _summary(name, incoming[name], True)}  # fmt: skip
    return known


def _differs(current, incoming: str, name: str) -> bool:
    """Whether the office's value of a field says something else than the record's (an empty one says nothing)."""
    if _plain(current) == "" or incoming == "":
        return False
    if name == "phone":
        return matching.phone_key(current) != matching.phone_key(incoming)
    if name == "website":
        return matching.website_key(current) != matching.website_key(incoming)
    if name in TRACKED:
        return abs(float(current) - float(incoming)) > 1e-6
    return _plain(current).strip().lower() != incoming.strip().lower()


def _update(known: ImportedRecord, record: dict, membership: Membership, data: OfferData, digest: str) -> tuple:
    """Update the offer from the record; (None, conflicts) and nothing written when nothing would change.

    A field the office edited since the last import (its value is no longer the one the import stored) keeps the
    office's value; when the source changed it too, that is a conflict, listed for the office to settle."""
    offer = known.offer
    incoming = _incoming_children(record, data)  # before the office's own replace them below
    # What the file does not carry stays as the office set it.
    data.features = list(offer.features.all())
    if "periods" not in record:
        data.periods = list(offer.periods.values("start_date", "end_date", "weekdays", "opens", "closes", "note"))
    data.owner_office = None  # a re-import never moves an offer to another office
    if not data.labels:
        data.labels = list(offer.labels.all())
    if not record.get("prices"):
        data.prices = list(offer.prices.values(*PRICE_FIELDS))
    conflicts, edited = [], []
    children, sources = _children(offer), _source_children(record)
    for name in CHILDREN:  # the types, periods and prices the office changed since stay its own
        if name in known.values and children[name] != known.values[name]["stored"]:
            edited.append(name)
            if sources[name] is not None and sources[name] != known.values[name]["source"]:
                conflicts.append({"field": name, "label": _children_label(name), "lines": True,
                                  "current": _summary(name, _offer_children(offer, name)),
                                  "incoming": _summary(name, incoming[name]), "source": sources[name]})  # fmt: skip
            if name == "types":
                data.types = list(offer.types.all())
            elif name == "periods":
                data.periods = list(offer.periods.values(*PERIOD_FIELDS))
            else:
                data.prices = list(offer.prices.values(*PRICE_FIELDS))
    for name, seen in known.values.items():
        if name in CHILDREN or name not in data.fields or _plain(getattr(offer, name)) == seen["stored"]:
            continue
        edited.append(name)
        incoming = _raw(record, name)
        if incoming != seen["source"]:
            conflicts.append({"field": name, "label": str(Offer._meta.get_field(name).verbose_name),
                              "current": _plain(getattr(offer, name)), "incoming": incoming})  # fmt: skip
        data.fields[name] = getattr(offer, name)
    before = _comparable(offer)
    try:
        with transaction.atomic():
            offer_update(offer=offer, membership=membership, version=offer.version, data=data)
            changed = Offer.objects.get(pk=offer.pk)
            if _comparable(changed) == before:
                raise _Rollback
    except _Rollback:
        if not known.pk or not known.values:  # a matched offer's new record, or one older than the provenance
            kept = {name: known.values[name] for name in edited}
            known.values = {**_provenance(offer, record), **kept}
            known.source_updated, known.extra = record["updated"], record.get("extra", {})
            known.source_digest = _settled_digest(known, record, digest)
            known.save()
        elif renewed := {name: {**known.values[name], "source": sources[name] or ""} for name in CHILDREN
                         if name in known.values and name not in edited
                         and known.values[name]["source"] != (sources[name] or "")}:  # fmt: skip
            # The source's form of what the offer already holds (a provenance older than the conflicts on them).
            known.values = {**known.values, **renewed}
            known.source_digest = _settled_digest(known, record, digest)
            known.save(update_fields=["values", "source_digest"])
        elif known.source_digest != (settled := _settled_digest(known, record, digest)):
            known.source_digest = settled  # a record imported before digests were kept, or with a conflict listed
            known.save(update_fields=["source_digest"])
        return None, conflicts
    kept = {name: known.values[name] for name in edited}  # the office's edits stay recognisable as such
    known.source_updated, known.extra = record["updated"], record.get("extra", {})
    known.values = {**_provenance(changed, record), **kept}
    known.source_digest = _settled_digest(known, record, digest)
    known.save()
    return offer, conflicts


TRACKED = ("latitude", "longitude")  # besides the record's own fields
CHILDREN = ("types", "periods", "prices")  # tracked as a whole: an office's change keeps them all
PERIOD_FIELDS = ("start_date", "end_date", "weekdays", "opens", "closes", "note")
PRICE_FIELDS = ("label", "min_amount", "max_amount", "unit", "valid_from", "valid_to")


def _source_children(record: dict) -> dict[str, str | None]:
    """The record's types, periods and prices as the source gives them, in no language (a change at the source shows
    as a difference); None for what the record does not carry (the offer's stay then)."""

    def form(rows: list[dict]) -> str:
        return json.dumps(sorted(json.dumps(row, sort_keys=True) for row in rows))

    return {
        "types": " ".join(sorted(record.get("types", []))),
        "periods": form(record["periods"]) if "periods" in record else None,
        "prices": form(record["prices"]) if record.get("prices") else None,
    }


def _incoming_children(record: dict, data: OfferData) -> dict:
    """The types, periods and prices the record brings (as `_resolve` read them), None for what it does not carry."""
    return {
        "types": list(data.types),
        "periods": list(data.periods) if "periods" in record else None,
        "prices": list(data.prices) if record.get("prices") else None,
    }


def _offer_children(offer: Offer, name: str) -> list:
    return list({"types": offer.types, "periods": offer.periods, "prices": offer.prices}[name].all())


def _children_label(name: str) -> str:
    if name == "types":
        return str(Offer._meta.get_field("types").verbose_name)
    return str((OpeningPeriod if name == "periods" else Price)._meta.verbose_name_plural)


SUMMARY_LINES = 12  # a conflict shows at most so many types, periods or prices of each side


def _summary(name: str, items: list, full: bool = False) -> str:
    """Types, periods or prices in words, one a line (rows as `_resolve` reads them, or the offer's own)."""
    if name == "types":
        lines = sorted(str(t) for t in items)
    else:
        model, text = (OpeningPeriod, period_text) if name == "periods" else (Price, price_text)
        rows = [model(**row) if isinstance(row, dict) else row for row in items]
        if name == "periods":
            rows.sort(key=lambda p: (p.start_date, p.end_date, p.opens or datetime.time.min))
        else:
            rows.sort(key=lambda p: (p.min_amount or 0, p.label))
        lines = [text(row) for row in rows]
    if not full and len(lines) > SUMMARY_LINES:
        more = len(lines) - SUMMARY_LINES
        lines = [*lines[:SUMMARY_LINES], ngettext("… and %(n)s more", "… and %(n)s more", more) % {"n": more}]
    return "\n".join(lines)


def _children(offer: Offer) -> dict[str, str]:
    """The offer's types, periods and prices as comparable text (in no language: a dry run and a job compare)."""
    rows = {"periods": offer.periods.values_list(*PERIOD_FIELDS), "prices": offer.prices.values_list(*PRICE_FIELDS)}
    found = {name: json.dumps(sorted([str(v) for v in row] for row in query)) for name, query in rows.items()}
    return {"types": " ".join(sorted(offer.types.values_list("code", flat=True))), **found}


def _plain(value) -> str:
    return "" if value is None else str(value)


def _raw(record: dict, name: str) -> str:
    return _plain(record[name] if name in TRACKED else record["fields"].get(name))


def _provenance(offer: Offer, record: dict, stored: dict | None = None) -> dict:
    """Per field: the source's value and the offer's as the import stored it (an edit since shows as a difference);
    the types, periods and prices as the source gave them and as stored (`stored`: `_children(offer)` already)."""
    names = [*record["fields"], *TRACKED]
    values = {name: {"source": _raw(record, name), "stored": _plain(getattr(offer, name))} for name in names}
    sources = _source_children(record)
    stored = stored if stored is not None else _children(offer)
    return values | {name: {"source": sources[name] or "", "stored": stored[name]} for name in CHILDREN}


def conflict_settle(*, membership: Membership, run: ImportRun, line: int, field: str, accept: bool) -> None:
    """Take the source's value for a conflicting field (`accept`), or keep the office's: either way the conflict is
    settled, and comes back only if the source changes the field again. A field of an offer (its types, periods or
    prices as wholes too) or of a provider (an Apidae structure)."""
    if not rules.can_import_offers(membership) or run.office_id != membership.office_id:
        raise PermissionDenied(_("Only the office’s managers and its administrators can import offers."))
    entry = next((e for e in run.report if e["line"] == line), None)
    conflict = next((c for c in (entry or {}).get("conflicts", []) if c["field"] == field), None)
    if conflict is None or conflict.get("settled") or run.status != ImportRun.Status.COMMITTED:
        raise ValidationError(_("There is no such conflict to settle."))
    record = next((r for r in run.records if r["line"] == line), None)
    if accept and record is None:
        raise ValidationError(_("There is no such conflict to settle."))
    with transaction.atomic():
        if entry.get("kind") == "provider":
            _provider_settle(membership, run, entry, conflict, record, accept)
        else:
            _offer_settle(membership, run, entry, conflict, record, accept)
        conflict["settled"] = "accepted" if accept else "kept"
        run.save(update_fields=["report"])


def _offer_settle(membership: Membership, run: ImportRun, entry: dict, conflict: dict, record: dict, accept: bool):
    field = conflict["field"]
    known = ImportedRecord.objects.select_for_update().get(source=run.source, source_id=entry["source_id"])
    offer = known.offer
    if accept:
        data = OfferData(
            fields={},
            types=list(offer.types.all()),
            labels=list(offer.labels.all()),
            features=list(offer.features.all()),
            periods=list(offer.periods.values(*PERIOD_FIELDS)),
            prices=list(offer.prices.values(*PRICE_FIELDS)),
        )
        if field == "types":
            data.types = _Context(*_Context.type_tables(record["types"]), {}, {}, None).precise_types(record["types"])
        elif field == "periods":
            data.periods = [_period(p) for p in record["periods"]]
        elif field == "prices":
            data.prices = [_price(p) for p in record["prices"]]
        elif field == "provider_id":  # resolved when the run was played: the conflict holds it
            data.fields[field] = int(conflict["incoming"]) if conflict["incoming"] else None
        else:
            data.fields[field] = record[field] if field in TRACKED else record["fields"][field]
        offer = offer_update(offer=offer, membership=membership, version=offer.version, data=data)
    elif not rules.can_change_offer(membership, offer):
        raise PermissionDenied(_("Only the owning office can change this offer."))
    # Kept: the source's value is acknowledged, the office's edit stays one (its stored value is the import's).
    if not accept:
        stored = known.values[field]["stored"]
    elif field in CHILDREN:
        stored = _children(offer)[field]
    else:
        stored = _plain(getattr(offer, field))
    known.values[field] = {"source": conflict.get("source", conflict["incoming"]), "stored": stored}
    known.save(update_fields=["values"])


def _provider_settle(membership: Membership, run: ImportRun, entry: dict, conflict: dict, record: dict, accept: bool):
    field = conflict["field"]
    known = ImportedProvider.objects.select_for_update().get(source=run.source, source_id=entry["source_id"])
    provider = known.provider
    if accept:
        # The source's commune is the INSEE code the run found in the base (none if unknown there).
        value = (conflict["source"] or None) if field == "commune_id" else record["fields"][field]
        provider = provider_update(provider=provider, membership=membership, version=provider.version,
                                   fields={field: value})  # fmt: skip
    elif not rules.can_change_provider(membership, provider):
        raise PermissionDenied(_("Only the owning office can change this provider."))
    stored = _plain(getattr(provider, field)) if accept else known.values[field]["stored"]
    known.values[field] = {"source": conflict["source"], "stored": stored}
    known.save(update_fields=["values"])


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
    return {**dates, **times, "weekdays": p["weekdays"], "note": p.get("note", "")}


def _price(p: dict) -> dict:
    dates = {k: datetime.date.fromisoformat(p[k]) if p.get(k) else None for k in ("valid_from", "valid_to")}
    amounts = {k: decimal.Decimal(p[k]) if p.get(k) is not None else None for k in ("min_amount", "max_amount")}
    return {"label": p["label"], "unit": p.get("unit") or Price.Unit.PERSON, **amounts, **dates}


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [f"{field}: {m}" if field != "__all__" else m for field, ms in error.message_dict.items() for m in ms]
    return list(error.messages)


def _check_rights(membership: Membership, run: ImportRun | None = None) -> None:
    if not rules.can_import_offers(membership) or (run is not None and run.office_id != membership.office_id):
        raise PermissionDenied(_("Only the office’s managers and its administrators can import offers."))


def legacy_upload(*, membership: Membership, name: str, content: bytes, label: str) -> ImportRun:
    """Read a former base's file (FileRefused when it cannot be read at all) and keep its table for the mapping
    screen, with the source's saved mapping (a new source is created under the name given)."""
    _check_rights(membership)
    table = legacy.read_table(name, content)
    if not table.rows:
        raise FileRefused(_("%(name)s holds no record.") % {"name": name})
    source, _created = LegacySource.objects.get_or_create(office=membership.office, label=label.strip()[:100])
    return ImportRun.objects.create(
        office=membership.office,
        started_by=membership.user,
        source=Source.LEGACY,
        legacy_source=source,
        filename=name[:200],
        status=ImportRun.Status.MAPPING,
        table={"header": table.header, "rows": table.rows, "encoding": table.encoding},
    )


def legacy_map(*, membership: Membership, run: ImportRun, columns: dict[str, str], type_labels: dict[str, str]):
    """Save the mapping with the source (for its next files), map every line and dry-run the file."""
    _check_rights(membership, run)
    if run.source != Source.LEGACY or run.status not in {run.Status.MAPPING, run.Status.CHECKED, run.Status.REFUSED}:
        raise ValidationError(_("This file can no longer be mapped."))
    columns = {title: field for title, field in columns.items() if field in legacy.FIELDS}
    if missing := legacy.missing_fields(columns):
        raise ValidationError(_("Map a column to each of: %(fields)s.") % {"fields": ", ".join(missing)})
    mapped = [field for field in columns.values() if field != "address"]
    if twice := sorted({str(legacy.FIELDS[f]) for f in mapped if mapped.count(f) > 1}):
        raise ValidationError(_("Only one column may be mapped to: %(fields)s.") % {"fields": ", ".join(twice)})
    type_labels = {label: code for label, code in type_labels.items() if code}
    unknown = set(type_labels.values()) - set(OfferType.objects.filter(code__in=type_labels.values()).values_list(
        "code", flat=True))  # fmt: skip
    if unknown:
        raise ValidationError(_("Unknown offer types: %(types)s.") % {"types": ", ".join(sorted(unknown))})
    source = run.legacy_source
    with transaction.atomic():
        if source is not None:
            source.columns = {**{t: f for t, f in source.columns.items() if t not in run.table["header"]}, **columns}
            source.type_labels = {**source.type_labels, **type_labels}
            source.save()
        key = str(source.pk if source else run.pk)
        objects = legacy.objects(run.table, columns, key)
        run.records = map_objects(legacy.connector(key, columns, type_labels), run.filename, objects)
        run.decisions, run.report = {}, []
        return _check(run, membership)


def review_decide(*, membership: Membership, run: ImportRun, choices: dict[int, str]) -> ImportRun:
    """The office's choice for uncertain matches ("new", or one of the offers proposed), then the dry run again."""
    _check_rights(membership, run)
    if run.status not in {run.Status.CHECKED, run.Status.REFUSED}:
        raise ValidationError(_("This file can no longer be reviewed."))
    lines = {line["line"]: line for line in run.report if line["action"] == "review"}
    for number, choice in choices.items():
        line = lines.get(number)
        offers = {str(c["offer"]) for c in (line or {}).get("candidates", [])}
        if line is None or (choice != "new" and choice not in offers):
            raise ValidationError(_("There is no such match to settle."))
    run.decisions = {**run.decisions, **{str(number): choice for number, choice in choices.items()}}
    return _check(run, membership)


def suggest_type_labels(labels: list[str]) -> dict[str, str]:
    """A file's type labels that name an offer type (its DATAtourisme class or its French label), with its code."""
    known = {}
    for code, label in OfferType.objects.values_list("code", "label"):
        known.setdefault(place_key(code), code)
        known.setdefault(place_key(label), code)
    return {label: known[place_key(label)] for label in labels if place_key(label) in known}
