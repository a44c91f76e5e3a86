"""Read-side queries of the management pages, with their counts computed in the database."""

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from acvs.core.jobs import JobFailed
from acvs.core.models import Job

from . import rules
from .lookups import users_managed
from .models import Commune, Department, Membership, Office


def _count(queryset, link: str):
    """A correlated COUNT: several of them on one row do not multiply each other as joins would."""
    counted = queryset.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def departments_with_counts():
    return Department.objects.annotate(
        office_count=_count(Office.objects.all(), "department"),
        commune_count=_count(Commune.objects.all(), "department"),
    )


def offices_with_counts(membership):
    return rules.offices_managed(membership).annotate(
        member_count=_count(Membership.objects.filter(is_active=True), "office"),
        commune_count=_count(Office.territory.through.objects.all(), "office"),
    )


def people(membership):
    """People of the offices one manages, each with their memberships in those offices only."""
    memberships = (
        Membership.objects.filter(office__in=rules.offices_managed(membership))
        .select_related("office")
        .order_by("office__name")
    )
    return (
        users_managed(membership)
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="managed_memberships"))
        .order_by("last_name", "first_name", "username")
    )


def office_members(office: Office) -> list[Membership]:
    return list(office.memberships.select_related("user").order_by("-is_active", "user__last_name", "user__username"))


def acting_membership(job: Job) -> Membership:
    """The starter's membership of the job's office, as it is now (rights may have changed since the start)."""
    membership = (
        Membership.objects.select_related("office", "office__department", "user")
        .filter(user_id=job.user_id, office_id=job.office_id, is_active=True, user__is_active=True)
        .first()
    )
    if membership is None:
        raise JobFailed(_("The person who started this work no longer acts for the office."), retryable=False)
    return membership


@dataclass(frozen=True)
class Place:
    """A commune as the counter offers it: found by name or postcode, shown with its main postcode."""

    insee: str
    name: str
    postcodes: tuple[str, ...]
    department: str
    key: str  # the name normalized for matching (lower case, no accents, "st" spelled "saint")

    @property
    def postcode(self) -> str:
        return self.postcodes[0] if self.postcodes else ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.postcode})" if self.postcode else self.name


def place_key(text: str) -> str:
    """Names as agents type them: no case, accents, hyphens or apostrophes; "st"/"ste" for saint/sainte."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("œ", "oe")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join({"st": "saint", "ste": "sainte"}.get(w, w) for w in words)


class PlaceIndex:
    """Every commune in memory (35,000 small rows), most populous first: completion at each keystroke, the quick
    line's place names, postcodes. Built once per process; communes change only when the reference is reloaded."""

    def __init__(self, places: list[Place]):
        self.places = places
        self.by_key: dict[str, Place] = {}
        self.by_postcode: dict[str, Place] = {}
        for place in places:
            self.by_key.setdefault(place.key, place)
            for postcode in place.postcodes:
                self.by_postcode.setdefault(postcode, place)

    def find(self, text: str) -> Place | None:
        """The commune of a postcode, or the most populous of that name."""
        text = text.strip()
        return self.by_postcode.get(text) if text.isdigit() else self.by_key.get(place_key(text))

    def complete(self, text: str, limit: int = 8) -> list[Place]:
        """Communes whose name, or a word of it, starts with `text`, or with such a postcode; largest first."""
        text = text.strip()
        if text.isdigit():
            return [p for p in self.places if any(c.startswith(text) for c in p.postcodes)][:limit]
        key = place_key(text)
        if len(key) < 2:
            return []
        found = [p for p in self.places if p.key.startswith(key)][:limit]
        if len(found) < limit:
            found += [p for p in self.places if f" {key}" in p.key and p not in found][: limit - len(found)]
        return found


_index: PlaceIndex | None = None


def place_index() -> PlaceIndex:
    global _index  # noqa: PLW0603 - one index per process, built on first use
    if _index is None or not _index.places:
        rows = Commune.objects.order_by("-population", "insee").values_list("insee", "name", "postcodes",
                                                                                "department__code")  # fmt: skip
        _index = PlaceIndex(
            [Place(i, n, tuple(p for p in pc.split("|") if p), d, place_key(n)) for i, n, pc, d in rows]
        )
    return _index
