"""Matching a record without a known source identifier to the offers already in the base: by name, commune and
position, with the phone, email and website as clues. Every source goes through it (a former base's lines as the
DATAtourisme, Apidae and Tourinsoft records), so an offer typed by hand or brought by another source gets the
record's provenance instead of a twin.

Candidates are the offers of the record's commune that no record of the same source claims yet (`Pool`). On
PostgreSQL the base narrows them with pg_trgm's `similarity` (a loose threshold) or a shared contact; the decision
is then taken the same way on every database, in Python: the trigram similarity of the normalised names (lower
case, no accents or punctuation, as pg_trgm counts trigrams), the distance between the positions when the record
gives one, and the contacts both share.

- certain: names at least CERTAIN_NAME alike and at most CERTAIN_METRES apart (or, without a position, names
  at least EXACT_NAME alike), or a former base's line whose old name left the file at the same place with the same
  phone, email or website (a renamed offer); and only one such offer: the record updates it;
- uncertain: names at least REVIEW_NAME alike and at most REVIEW_METRES apart (or without a position), the same
  phone, email or website within REVIEW_METRES, or a renamed line's old offer at the same place: the office chooses
  "same offer" or "new offer" on the run's review screen before the commit;
- otherwise a new offer.
"""

import math
import re
from dataclasses import dataclass

import phonenumbers
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from acvs.network.selectors import place_key
from acvs.offer.models import Offer

CERTAIN_NAME, CERTAIN_METRES, EXACT_NAME = 0.8, 300, 0.95
REVIEW_NAME, REVIEW_METRES = 0.45, 2000
PREFILTER = 0.2  # pg_trgm on the raw names, looser than REVIEW_NAME: accents and case do not lose a candidate
MAX_CANDIDATES = 200
SHOWN = 3
CONTACTS = ("phone", "email", "website")


@dataclass(frozen=True)
class Candidate:
    offer: int
    name: str
    score: float  # name similarity, 0 to 1
    metres: int | None  # None when the record has no position of its own

    def as_json(self) -> dict:
        return {"offer": self.offer, "name": self.name, "score": round(self.score, 2), "metres": self.metres}


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams of a text: each word padded with two spaces before and one after."""
    found = set()
    for word in place_key(text).split():
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def similarity(a: str, b: str) -> float:
    left, right = trigrams(a), trigrams(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


@dataclass
class Pool:
    """Which offers a run's records may be matched to, worked out once per run.

    An offer is a candidate unless a record of the same source already claims it (an offer imported from Apidae
    stays tied to its Apidae object; a former base's to that base: two lines of one base are two offers). Except
    one: a former base's line without an identifier is known by its name, so when the offer such a line made no
    longer appears under that name in the file, it is "vanished", and the renamed line may take it back."""

    source: str
    prefix: str  # a former base's records: "<its key>:"; other sources: ""
    vanished: dict[int, int]  # offer id → id of its vanished record (a former base's line known by its old name)
    taken: set[int]  # offers already matched in this run: not a candidate for another record (left out in Python)

    @classmethod
    def load(cls, source: str, records: list[dict]) -> "Pool":
        from ..models import ImportedRecord, Source  # here: the models import nothing of the importing package

        prefix = ""
        if source == Source.LEGACY:  # only a former base's records have a key (a flux's thousands are not looked at)
            keys = {str(r.get("source_id", "")).split(":", 1)[0] for r in records if not r.get("refused")}
            prefix = f"{next(iter(keys))}:" if len(keys) == 1 else ""
        vanished = {}
        if prefix:
            present = {r.get("source_id") for r in records}
            nameless = ImportedRecord.objects.filter(source=source, source_id__startswith=f"{prefix}~")
            for pk, offer, source_id in nameless.values_list("pk", "offer_id", "source_id").iterator():
                if source_id not in present:
                    vanished[offer] = pk
        return cls(source, prefix, vanished, set())

    def claimed(self) -> Exists:
        """Whether a record of the same source claims the offer (a correlated NOT EXISTS: one index look-up per
        offer of the commune, not the whole source's records per record)."""
        from ..models import ImportedRecord

        records = ImportedRecord.objects.filter(offer=OuterRef("pk"), source=self.source)
        if self.prefix:
            records = records.filter(source_id__startswith=self.prefix)
        return Exists(records)

    def offers(self):
        """The offers a record may be matched to (a commune's, once filtered)."""
        return Offer.objects.filter(~self.claimed() | Q(pk__in=list(self.vanished)))


def phone_key(value) -> str:
    """A phone number as E.164 (French numbers by default), "" when it is none."""
    try:
        number = phonenumbers.parse(str(value or ""), "FR")
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def website_key(value) -> str:
    """A website without its scheme, "www." or final slash, in lower case."""
    text = re.sub(r"^[a-z]+://", "", str(value or "").strip().lower())
    return text.removeprefix("www.").rstrip("/")


def contact_keys(phone, email, website) -> set[tuple[str, str]]:
    keys = {("phone", phone_key(phone)), ("email", str(email or "").strip().lower()), ("website", website_key(website))}
    return {key for key in keys if key[1]}


def _candidates(record: dict, pool: Pool) -> list[tuple]:
    offers = pool.offers().filter(commune_id=record["insee"])
    if connection.vendor == "postgresql":
        # pg_trgm narrows a large commune to the offers of a like name, of the same phone, email or website, and
        # the one a former base's line may have been before it was renamed.
        clue = Q(trigram__gte=PREFILTER) | Q(pk__in=list(pool.vanished))
        lookups = {"phone": "phone", "email": "email__iexact", "website": "website__icontains"}
        for kind, key in contact_keys(*(record["fields"].get(f) for f in CONTACTS)):
            clue |= Q(**{lookups[kind]: key})
        offers = offers.annotate(trigram=TrigramSimilarity("name", record["name"])).filter(clue)
        offers = offers.order_by("-trigram", "pk")
    else:
        offers = offers.order_by("pk")
    found = offers.values_list("pk", "name", "latitude", "longitude", *CONTACTS)[: MAX_CANDIDATES + len(pool.taken)]
    return [row for row in found if row[0] not in pool.taken][:MAX_CANDIDATES]


def match(record: dict, pool: Pool) -> tuple[str, list[Candidate]]:
    """("certain", [the offer]), ("uncertain", the likeliest offers) or ("none", [])."""
    certain, uncertain = [], []
    positioned = record.get("latitude") is not None
    clues = contact_keys(*(record["fields"].get(f) for f in CONTACTS))
    for pk, name, latitude, longitude, *contacts in _candidates(record, pool):
        score = similarity(record["name"], name)
        distance = round(metres(record["latitude"], record["longitude"], latitude, longitude)) if positioned else None
        near = distance is not None and distance <= CERTAIN_METRES
        same_contact = bool(clues & contact_keys(*contacts))
        renamed = pk in pool.vanished  # its former base's line under its old name is no longer in the file
        candidate = Candidate(pk, name, score, distance)
        alike = score >= CERTAIN_NAME and (near if positioned else score >= EXACT_NAME)
        if alike or (renamed and near and same_contact):
            certain.append(candidate)
        elif score >= REVIEW_NAME and (not positioned or distance <= REVIEW_METRES or score >= CERTAIN_NAME):
            uncertain.append(candidate)
        elif same_contact and (not positioned or distance <= REVIEW_METRES):
            uncertain.append(candidate)  # a new name, or another offer of the same business: the office knows
        elif renamed and near:
            uncertain.append(candidate)
    if len(certain) == 1:
        return "certain", certain
    ranked = sorted(certain + uncertain, key=lambda c: (-c.score, c.metres or 0, c.offer))
    return ("uncertain", ranked[:SHOWN]) if ranked else ("none", [])
