"""The new records of a batch, created together: what `services._resolve` does to a record that creates an offer,
for all of a batch's at once (docs/performance.md, "DATAtourisme import").

A record goes here only when nothing about it needs the base one record at a time: mapped and not refused, not a
provider and not naming one, its source id met nowhere yet (no provenance of that source, not seen earlier in the
run, once in the batch), no choice of the office for its line, known types and commune, and no offer of its commune
the matching could take (`_matchable`: one query for the batch, the same candidates `matching._candidates` reads,
or more). Every other record takes `services._apply`, one at a time, in the file's order; nothing a record of one
path writes changes what a record of the other path finds (a created offer is claimed by its provenance: no
candidate for the matching; a source id is in one path only).

Each offer is validated by the offer services' own code (`offers_create_bulk`): a record it refuses gets the same
reason as on its own, and the batch's other records are written. The dry run plays this as the commit does, inside
its rolled-back transaction: what it announces is what the commit does.
"""

import decimal
import json
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from acvs.agenda.services import schedules_from_opening_periods
from acvs.core import bulk
from acvs.network.models import Membership
from acvs.offer.models import Label, Offer, Price, Status
from acvs.offer.services import OfferData, offers_check_bulk, offers_create_bulk

from ..models import ImportedRecord
from . import matching


def apply_all(records: list[dict], membership: Membership, context, source: str, commit: bool) -> list[dict]:
    """The report's lines of a batch of records, in their order: its new records created together, the others by
    `services._apply`. A dry run (not `commit`) validates the new records without writing them (see `_create_new`)."""
    from . import services  # here: services imports this module

    created = _create_new(records, membership, context, source, commit) if len(records) > 1 else {}
    return [created[i] if i in created else services._apply(r, membership, context, source)
            for i, r in enumerate(records)]  # fmt: skip


def _new(records: list[dict], context, source: str) -> dict[int, tuple]:
    """The records of the batch to create together: {index: (types, commune)}."""
    twice = {sid for sid, n in Counter(r.get("source_id") for r in records).items() if n > 1}
    chosen = {}
    for i, record in enumerate(records):
        if record.get("refused") or record.get("unread") or record.get("kind") == "provider" or record.get("provider"):
            continue
        source_id = record.get("source_id")
        if not source_id or source_id in twice or source_id in context.seen or source_id in context.digests:
            continue
        if str(record["line"]) in context.decisions:
            continue
        types = context.precise_types(record["types"])
        commune = context.communes.get(record["insee"])
        if types and commune is not None:
            chosen[i] = (types, commune)
    if chosen:
        ids = [records[i]["source_id"] for i in chosen]
        known = set(ImportedRecord.objects.filter(source=source, source_id__in=ids).values_list("source_id", flat=True))
        chosen = {i: found for i, found in chosen.items() if records[i]["source_id"] not in known}
    if chosen:
        matchable = _matchable({i: records[i] for i in chosen}, context.pool)
        chosen = {i: found for i, found in chosen.items() if i not in matchable}
    return chosen


def _matchable(records: dict[int, dict], pool: matching.Pool) -> set[int]:
    """The records (by index) for which the matching may find a candidate: every candidate `matching._candidates`
    would read for them (offers of their commune the pool offers, narrowed on PostgreSQL by the same clues), in one
    query. A record it names may still be new: `services._apply` decides it, as before."""
    communes = {r["insee"] for r in records.values()}
    offers = pool.offers().filter(commune_id__in=communes)
    if connection.vendor != "postgresql":
        found = {}
        for commune, pk in offers.values_list("commune_id", "pk"):
            if pk not in pool.taken:
                found[commune] = True
        return {i for i, r in records.items() if r["insee"] in found}
    # The clues of `_candidates` (a name at least PREFILTER alike, a renamed line's old offer, the same phone, email
    # or website), or looser: a website's key is matched unescaped.
    sql, params = offers.order_by().values("pk").query.sql_with_params()
    rows = [(i, r["name"], r["insee"], dict(matching.contact_keys(*(r["fields"].get(f) for f in matching.CONTACTS))))
            for i, r in records.items()]  # fmt: skip
    query = f"""
        SELECT DISTINCT r.i FROM unnest(%s::int[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
            AS r(i, name, insee, phone, email, website)
        JOIN {Offer._meta.db_table} AS o ON o.commune_id = r.insee AND o.id IN ({sql})
        WHERE similarity(o.name, r.name) >= %s OR o.id = ANY(%s::bigint[]) OR o.phone = r.phone
            OR UPPER(o.email::text) = UPPER(r.email) OR UPPER(o.website::text) LIKE UPPER('%%' || r.website || '%%')
    """
    arrays = [[row[0] for row in rows], [row[1] for row in rows], [row[2] for row in rows]]
    arrays += [[row[3].get(kind) for row in rows] for kind in matching.CONTACTS]
    with connection.cursor() as cursor:
        cursor.execute(query, [*arrays, *params, matching.PREFILTER, list(pool.vanished)])
        return {row[0] for row in cursor.fetchall()}


def _create_new(records: list[dict], membership: Membership, context, source: str, commit: bool) -> dict[int, dict]:
    """The lines of the batch's new records, created together: {index: line}.

    The dry run stops before the writes (`offers_check_bulk`, the validation `offers_create_bulk` runs first): its
    lines are the commit's, refusals and reasons alike, the created ones without an offer id (the dry run's would name
    a rolled-back row). Nothing the writes do is seen by the batch's other records: a created offer is claimed by its
    provenance (no candidate for the matching), a source id is in one path only, and the writes refuse nothing (a
    failing write is an error of the whole batch, as on the one-record path)."""
    from . import services  # here: services imports this module

    chosen = _new(records, context, source)
    if not chosen:
        return {}
    codes = {code for i in chosen for code in records[i].get("labels", [])}
    labels = {label.code: label for label in Label.objects.filter(code__in=codes)} if codes else {}
    order, datas, digests = list(chosen), [], {}
    for i in order:
        record, (types, commune) = records[i], chosen[i]
        digests[i] = services._digest(record, types)
        context.seen.add(record["source_id"])  # as `context.unchanged` marks it (it has no digest: not unchanged)
        positioned = record["latitude"] is not None
        fields = {**record["fields"], "commune": commune,
                  "latitude": record["latitude"] if positioned else commune.latitude,
                  "longitude": record["longitude"] if positioned else commune.longitude,
                  "status": Status.PUBLISHED}  # fmt: skip
        datas.append(OfferData(
            fields=fields, types=types,
            periods=[services._period(p) for p in record.get("periods", [])],
            prices=[services._price(p) for p in record.get("prices", [])],
            labels=[labels[c] for c in dict.fromkeys(record.get("labels", [])) if c in labels],
            owner_office=membership.office,
        ))  # fmt: skip
    try:
        results = (offers_create_bulk if commit else offers_check_bulk)(membership=membership, datas=datas)
    except PermissionDenied as error:
        return {i: services._line(records[i], "refused", str(error)) for i in order}
    if not commit:
        return {i: services._line(records[i], "refused", " ".join(services._messages(result)))
                if isinstance(result, ValidationError) else services._line(records[i], "created")
                for i, result in zip(order, results, strict=True)}  # fmt: skip
    lines, provenances = {}, []
    for i, result in zip(order, results, strict=True):
        record = records[i]
        if isinstance(result, ValidationError):
            lines[i] = services._line(record, "refused", " ".join(services._messages(result)))
            continue
        provenances.append(ImportedRecord(
            source=source, source_id=record["source_id"], offer=result, source_updated=record["updated"],
            extra=record.get("extra", {}), values=services._provenance(result, record, _stored(result)),
            source_digest=digests[i],
        ))  # fmt: skip
        lines[i] = services._line(record, "created", offer=result)
        context.pool.taken.add(result.pk)  # as `services._apply` does
    bulk.insert(ImportedRecord, provenances)
    schedules_from_opening_periods([p.offer_id for p in provenances])
    return lines


def _stored(offer: Offer) -> dict[str, str]:
    """`services._children` of an offer just created in bulk, from its rows in memory (no query): the same text as
    read back from the base (an amount with its two decimals)."""
    from . import services

    cents = {f.name: decimal.Decimal(1).scaleb(-f.decimal_places) for f in Price._meta.fields
             if isinstance(f, type(Price._meta.get_field("min_amount")))}  # fmt: skip

    def value(row, name):
        v = getattr(row, name)
        return v.quantize(cents[name]) if name in cents and v is not None else v

    rows = {
        "periods": [[value(p, n) for n in services.PERIOD_FIELDS] for p in offer.periods.all()],
        "prices": [[value(p, n) for n in services.PRICE_FIELDS] for p in offer.prices.all()],
    }
    found = {name: json.dumps(sorted([str(v) for v in row] for row in values)) for name, values in rows.items()}
    return {"types": " ".join(sorted(t.code for t in offer.types.all())), **found}
