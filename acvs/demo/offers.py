"""Builds demo offers in memory (unsaved model instances plus their child rows), one per call to make()."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import phonenumbers

from acvs.network.models import Office
from acvs.offer.models import Offer, Provider, ProviderContact, Status
from acvs.offer.services import owner_for_commune

from . import extras, schedule, texts
from .geo import jitter
from .names import PLACES, cap, de, person, pick, site_address, slug, street
from .network import CDT_OF, OFFICES
from .photos import ZONE_THEME

PHONE_PREFIX = {"83": ("494", "494", "498"), "04": ("492",)}
LEGAL_FORMS = {"wine": ("SCEA", "EARL", "SAS"), "farm": ("EARL", "GAEC", "EARL"), "": ("SARL", "SARL", "SAS", "EURL")}
# Rentals and guides are usually run by a person under their own name (entreprise individuelle).
SOLE_TRADERS = {"gite", "meuble", "guesthouse", "table_hotes", "guide", "outdoor_guide", "workshop"}


@dataclass
class Draft:
    offer: Offer
    types: list[str]
    labels: list[str]
    features: list[str]
    periods: list[dict]
    prices: list[dict]
    photo: str | None = None
    created: datetime | None = None
    updated: datetime | None = None


def phone(rng, department: str, mobile=False) -> str:
    """A French number that phonenumbers accepts: 04 92 (04), 04 94 / 04 98 (83), or a mobile."""
    while True:
        prefix = rng.choice(("6", "7")) + f"{rng.randint(10, 99)}" if mobile else rng.choice(PHONE_PREFIX[department])
        number = f"+33{prefix}{rng.randint(0, 999999):06d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            return number


def siret(rng) -> str:
    """A SIRET with valid Luhn keys (SIREN and SIRET), as validators expect."""

    def luhn_complete(digits: str) -> str:
        for check in "0123456789":
            candidate = digits + check
            total = sum(
                (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d
                for i, d in enumerate(int(c) for c in reversed(candidate))
            )
            if total % 10 == 0:
                return candidate
        raise AssertionError

    siren = luhn_complete(f"{rng.randint(30000000, 99999999)}")
    return luhn_complete(siren + "0001")


def _cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[:size].rsplit("-", 1)[0]


class Builder:
    """Holds what all offers share (owners, users, providers, names already used) while drafts are made."""

    def __init__(self, rng, places, offices: dict[str, Office], users: dict[str, list], photos, now: datetime):
        self.rng, self.now, self.photos = rng, now, photos
        self.cdt = {dep: offices[slug_] for dep, slug_ in CDT_OF.items()}
        self.editors = {offices[s].pk: [u for u in us if u.username != "partenaire.var"] for s, us in users.items()}
        local = [offices[o.slug] for o in OFFICES if o.kind not in (Office.Kind.CDT, Office.Kind.UNION)]
        # Owner of each covered commune, by the application's own rule; uncovered ones go to the CDT.
        self.owner = {}
        covered = set(Office.territory.through.objects.filter(office__in=local).values_list("commune_id", flat=True))
        for insee in sorted(covered & places.keys()):
            office = owner_for_commune(places[insee].commune)
            if office is not None:
                self.owner[insee] = office
        self.seats = {o.commune_id for o in local}
        self.names_used: dict[str, set[str]] = {}
        self.once: set[tuple[str, str]] = set()
        self.domains: set[str] = set()
        self.providers: list[Provider] = []
        self.contacts: list[ProviderContact] = []
        self.businesses: dict[str, list[Provider]] = {}  # per commune, with how many offers each runs
        self.runs: dict[int, int] = {}  # id(provider) -> offers
        self.public: dict[tuple[str, str], Provider] = {}
        self.drafts: list[Draft] = []

    def owner_of(self, place) -> Office:
        return self.owner.get(place.insee) or self.cdt[place.department]

    # --- naming -------------------------------------------------------------------------------------------
    def allowed(self, kind, place) -> bool:
        if (kind.per_commune and (place.insee, kind.key) in self.once) or kind.zones.get(place.zone, 0) <= 0:
            return False
        if kind.covered and (place.insee not in self.owner or place.insee in self.seats):
            return False
        return kind.min_pop <= place.population <= kind.max_pop

    def new_name(self, kind, place, fill) -> str | None:
        used = self.names_used.setdefault(place.insee, set())
        for _ in range(8):
            pattern = pick(self.rng, kind.names, place.zone)
            if "{" not in pattern and self.rng.random() < 0.6:
                continue  # fixed names ("Bar des Sports") would otherwise repeat too often
            name = cap(pattern.format_map(fill))
            if name not in used:
                used.add(name)
                return name
        return None

    def domain(self, name: str, place) -> str:
        """A unique .example domain; a DNS label is at most 63 characters."""
        base = _cut(slug(name.replace("Chambres d'hôtes ", "")), 36)
        domain = f"{base}.example"
        if domain in self.domains:
            domain = f"{base}-{_cut(slug(place.name), 24)}.example"
        for n in range(2, 50):
            if domain not in self.domains:
                break
            domain = f"{base}-{n}.example"
        self.domains.add(domain)
        return domain

    # --- providers ----------------------------------------------------------------------------------------
    def provider_for(self, kind, place, name: str, owner: Office, department: str) -> Provider | None:
        rng = self.rng
        if kind.provider == "none":
            return None
        if kind.provider in ("mairie", "asso") and (kind.provider == "mairie" or kind.loc == "event"):
            key = (place.insee, kind.provider)
            if key not in self.public:
                label = (
                    f"Mairie {de(place.name)}" if kind.provider == "mairie" else f"Comité des fêtes {de(place.name)}"
                )
                legal = f"Commune {de(place.name)}" if kind.provider == "mairie" else f"Association {label}"
                self.public[key] = self._provider(label, legal, place, owner, department, role="Secrétariat")
            return self.public[key]
        # A family or company may run up to three offers of the same commune (e.g. a hotel and its restaurant).
        businesses = self.businesses.setdefault(place.insee, [])
        if kind.provider == "business" and rng.random() < 0.12:
            mates = [p for p in businesses if self.runs[id(p)] < 3]
            if mates:
                provider = rng.choice(mates)
                self.runs[id(provider)] += 1
                return provider
        if kind.provider == "asso":
            return self._provider(name, f"Association {name}", place, owner, department)
        if kind.key in SOLE_TRADERS:
            legal = "EI {} {}".format(*person(rng))
        else:
            legal = f"{rng.choice(LEGAL_FORMS.get(kind.labels, LEGAL_FORMS['']))} {name}"
        provider = self._provider(name, legal, place, owner, department)
        businesses.append(provider)
        return provider

    def _provider(self, name, legal, place, owner, department, role=None) -> Provider:
        rng = self.rng
        domain = self.domain(name, place)
        provider = Provider(
            name=name, legal_name=legal, siret=siret(rng), address=street(rng, place), commune=place.commune,
            phone=phone(rng, department), email=f"contact@{domain}", website=f"https://www.{domain}",
            owner_office=owner,
        )  # fmt: skip
        self.providers.append(provider)
        self.runs[id(provider)] = 1
        for i in range(rng.choice((1, 1, 2))):
            first, last = person(rng)
            self.contacts.append(
                ProviderContact(
                    provider=provider,
                    name=f"{first} {last}",
                    role=role or rng.choice(("Gérance", "Direction", "Réservations", "Comptabilité", "Accueil")),
                    phone=phone(rng, department, mobile=i == 0 or rng.random() < 0.5),
                    email=f"{slug(first)}.{slug(last)}@{domain}",
                )  # fmt: skip
            )
        return provider

    # --- offers -------------------------------------------------------------------------------------------
    def make(self, kind, place, types=None, name=None, texts_fr=None, en=None, at=None, labels=(), prices=None,
             owner=None, address=None, contact=None) -> Draft | None:  # fmt: skip
        rng = self.rng
        quality = rng.betavariate(2.2, 2.2)
        fill = texts.filler(rng, place)
        name = name or self.new_name(kind, place, fill)
        if name is None:
            return None
        unit, units, persons = self._capacity(kind, quality * (0.5 if place.population < 1500 else 1), name)
        fill["units"], fill["persons"] = units or fill["units"], persons or fill["persons"]
        if kind.per_commune:
            self.once.add((place.insee, kind.key))
        department = place.department
        owner = owner or self.owner_of(place)
        provider = self.provider_for(kind, place, name, owner, department)
        short, desc = texts_fr or texts.french(rng, kind, place, name, fill)
        offer = Offer(
            name=name, short_description_fr=short, description_fr=desc, provider=provider, owner_office=owner,
            status=rng.choices((Status.PUBLISHED, Status.DRAFT, Status.ARCHIVED), (90, 7, 3))[0],
            address=address or self._address(kind, place), postcode=rng.choice(place.commune.postcode_list),
            commune=place.commune, capacity_unit=unit or "",
            capacity_units=units if unit else None, capacity_persons=persons if unit else None,
            languages=extras.languages(kind, rng), pets=extras.pets(kind.pets, rng), version=rng.randint(1, 4),
        )  # fmt: skip
        lat, lon = at or (place.commune.latitude, place.commune.longitude)
        offer.latitude, offer.longitude = jitter(rng, lat, lon, 0.15 if at else 1.2 if place.zone == "coast" else 3.0)
        if contact:
            offer.phone, offer.email, offer.website = contact
        elif provider is not None:
            mobile = kind.key in ("gite", "meuble", "guesthouse", "table_hotes", "guide") and rng.random() < 0.5
            offer.phone = provider.phone if rng.random() < 0.5 else phone(rng, department, mobile)
            offer.email = rng.choice(("contact", "info", "reservation", "bonjour")) + "@" + provider.email.split("@")[1]
            offer.website = provider.website
        self._translations(kind, place, name, offer, fill, en)
        draft = Draft(
            offer, list(types or kind.types),
            list(dict.fromkeys([*labels, *extras.labels(kind.labels, rng, place.zone, quality, place.population)])),
            extras.features(kind, rng, quality), schedule.periods(kind.schedule, rng, place.zone),
            schedule.prices(prices or kind.prices, rng, quality),
        )  # fmt: skip
        # Draw even without photos, so that the same seed gives the same offers either way.
        with_photo, variant = rng.random() < 0.3, rng.random()
        if with_photo and self.photos:
            choices = self.photos.get(kind.photo or ZONE_THEME[place.zone]) or self.photos[ZONE_THEME[place.zone]]
            draft.photo = choices[int(variant * len(choices))]
        self._freshness(draft, owner)
        self.drafts.append(draft)
        return draft

    def _address(self, kind, place) -> str:
        if kind.loc == "event":
            return pick(self.rng, PLACES, place.zone)
        if kind.provider == "none" and kind.loc in ("nature", "beach", "tour", "coastal"):
            return site_address(self.rng, place, kind.loc)
        return street(self.rng, place, rural=kind.loc == "nature")

    def _capacity(self, kind, quality, name: str):
        if not kind.capacity:
            return None, None, None
        unit, lo, hi, per_unit = kind.capacity
        units = round(lo + (hi - lo) * min(1.0, quality * self.rng.uniform(0.6, 1.4)))
        if unit == "lodgings" and hi == 1:  # a single rental: its size is in persons
            sizes = (2, 2, 3) if name.startswith("Studio") else (2, 4, 4, 5, 6, 6, 8, 10, 12)
            return unit, 1, self.rng.choice(sizes)
        return unit, units, max(1, round(units * per_unit)) if per_unit else None

    def _translations(self, kind, place, name, offer, fill, en):
        rng = self.rng
        if en is not None:
            if en:
                offer.short_description_en = offer.description_en = en
        elif rng.random() < 0.4:
            offer.short_description_en, offer.description_en = texts.english(rng, kind, place, name, fill)
        for code, func in (("de", texts.german), ("it", texts.italian)):
            speaks = code in offer.languages
            if rng.random() < (0.4 if speaks else 0.03):
                short, desc = func(kind, place, speaks)
                setattr(offer, f"short_description_{code}", short)
                setattr(offer, f"description_{code}", desc)

    def _freshness(self, draft: Draft, owner: Office) -> None:
        """Most offers verified within 11 months; about 12 % older than a year or never verified."""
        rng, now, offer = self.rng, self.now, draft.offer
        editors = self.editors.get(owner.pk) or []
        r = rng.random()
        age = rng.uniform(2, 330) if r < 0.88 else rng.uniform(380, 900) if r < 0.95 else None
        if age is not None and editors:
            offer.verified_at = now - timedelta(days=age, minutes=rng.randint(0, 600))
            offer.verified_by = rng.choice(editors)
        draft.created = now - timedelta(days=(age or 400) + rng.uniform(30, 1200))
        draft.updated = min(now, (offer.verified_at or draft.created) + timedelta(days=rng.uniform(0, 40)))
        offer.updated_by = offer.verified_by or (rng.choice(editors) if editors else None)
