"""Loads the whole demo in one transaction: network, users, providers, offers and their children, search index."""

import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from acvs.agenda.services import schedules_from_opening_periods
from acvs.network.models import Office, User
from acvs.offer.models import (
    Feature,
    Label,
    Offer,
    OfferPhoto,
    OfferType,
    OpeningPeriod,
    Price,
    Provider,
    ProviderContact,
)
from acvs.offer.search import indexing

from . import api as demo_api
from . import availability as demo_availability
from . import booklets as demo_booklets
from . import bounces as demo_bounces
from . import campaigns as demo_campaigns
from . import contact_imports as demo_contact_imports
from . import contacts as demo_contacts
from . import desk as demo_desk
from . import documentation as demo_documentation
from . import imports as demo_imports
from . import mailing as demo_mailing
from . import network, photos
from . import optin as demo_optin
from . import rights as demo_rights
from .geo import TOURISTY, ZONE_WEIGHT, load_places
from .kinds import catalogue
from .landmarks import landmarks
from .offers import Builder

SEED = 2026
KINDS = {k.key: k for k in catalogue()}


@dataclass
class Summary:
    offers: int
    providers: int
    families: list[tuple[str, int]]
    logins: list[tuple[str, str, str]]


def demo_exists() -> bool:
    return (
        Office.objects.filter(slug__in=network.SLUGS).exists()
        or User.objects.filter(username__in=network.USERNAMES).exists()
    )


def load(count: int = 3000, reset: bool = False, with_photos: bool = True, years: int = 2) -> Summary | None:
    """Create the demo data; None when it already exists and `reset` is false.

    It writes (and on reset deletes) the private rows of every demo office: no tenancy scope applies.
    """
    with translation.override("fr"), transaction.atomic(), scopes_disabled():
        if demo_exists():
            if not reset:
                return None
            network.delete_demo()
        rng = random.Random(SEED)
        offices = network.create_offices()
        users = network.create_users(rng, offices)
        pictures = photos.generate(random.Random(SEED)) if with_photos else {}
        places = load_places()
        builder = Builder(rng, places, offices, users, pictures, timezone.now())
        _office_offers(builder, places, offices)
        for mark in landmarks():
            if len(builder.drafts) >= count:
                break
            _landmark(builder, places[mark.insee], mark)
        _spread(builder, places, count)
        _save(builder)
        editors = {offices[slug].pk: people[0].pk for slug, people in users.items() if people}
        demo_availability.fill(random.Random(SEED), [d.offer.pk for d in builder.drafts], editors)
        demo_booklets.fill(offices, users)
        demo_documentation.fill(random.Random(SEED), offices, users)
        demo_desk.fill(random.Random(SEED), offices, users, years=years)
        demo_mailing.fill(random.Random(SEED), offices)
        demo_contacts.fill(random.Random(SEED), offices)
        demo_bounces.fill(random.Random(SEED), offices)
        demo_contact_imports.fill(offices, users)
        demo_campaigns.fill(random.Random(SEED), offices, users)
        demo_optin.fill(random.Random(SEED), offices)
        demo_rights.fill(offices)
        demo_api.fill(offices, users)
        demo_imports.fill(offices, users)
    return summary()


def _office_offers(builder: Builder, places, offices) -> None:
    for spec in network.OFFICES:
        if spec.kind == Office.Kind.UNION:
            continue
        office = offices[spec.slug]
        cdt = spec.kind == Office.Kind.CDT
        if cdt:
            short = "Informations, brochures et conseils pour préparer votre séjour."
            more = "Le comité départemental accompagne les professionnels et promeut la destination."
        else:
            short = "Accueil, information, billetterie et boutique de l'office de tourisme."
            more = "Les conseillers en séjour vous renseignent sur les hébergements, les activités et les sorties."
        draft = builder.make(
            KINDS["bit"],
            places[spec.seat],
            types=["DepartementTourismCommittee" if cdt else "LocalTouristOffice"],
            name=spec.name,
            texts_fr=(short, f"{short} {more}"),
            en="Tourist information, brochures and advice for your stay.",
            owner=office,
            address=spec.address,
            contact=(spec.phone, office.email, spec.website),
        )
        draft.offer.languages = ["fr", "en", "it"] if spec.department == "83" else ["fr", "en", "de"]


def _landmark(builder: Builder, place, mark) -> None:
    kind = KINDS[mark.kind]
    builder.make(
        kind,
        place,
        types=mark.types or None,
        name=mark.name,
        texts_fr=(mark.short, f"{mark.short} {mark.description}"),
        en=mark.en,
        at=mark.at,
        labels=mark.labels,
        prices=mark.prices or None,
    )
    builder.names_used.setdefault(place.insee, set()).add(mark.name)


def _spread(builder: Builder, places, count: int) -> None:
    """Every kind once (where it fits best), then offers drawn commune by commune, weighted by size and appeal."""
    rng = builder.rng
    kinds = list(KINDS.values())
    plist = sorted(places.values(), key=lambda p: p.insee)
    weights = [
        (p.population**0.45 + 6)
        * ZONE_WEIGHT[p.zone]
        * (1.8 if p.insee in builder.owner else 1)
        * (2.0 if p.insee in TOURISTY else 1)
        for p in plist
    ]
    for kind in kinds:
        if len(builder.drafts) >= count:
            return
        fits = [(p, w * kind.zones[p.zone]) for p, w in zip(plist, weights, strict=True) if builder.allowed(kind, p)]
        if fits:
            builder.make(kind, rng.choices([p for p, _ in fits], [w for _, w in fits])[0])
    misses = 0
    while len(builder.drafts) < count and misses < 5000:
        place = rng.choices(plist, weights)[0]
        fits = [k for k in kinds if builder.allowed(k, place)]
        kind = rng.choices(fits, [k.zones[place.zone] for k in fits])[0] if fits else None
        if kind is None or builder.make(kind, place) is None:
            misses += 1


def _save(builder: Builder) -> None:
    drafts = builder.drafts
    Provider.objects.bulk_create(builder.providers, batch_size=500)
    ProviderContact.objects.bulk_create(builder.contacts, batch_size=500)
    offers = Offer.objects.bulk_create([d.offer for d in drafts], batch_size=500)
    type_ids = dict(OfferType.objects.values_list("code", "pk"))
    label_ids = dict(Label.objects.values_list("code", "pk"))
    feature_ids = dict(Feature.objects.values_list("code", "pk"))
    missing = {c for d in drafts for c in d.types if c not in type_ids}
    if missing:
        raise LookupError(f"Unknown offer types {sorted(missing)}: run load_reference first.")
    through = [
        (Offer.types.through, "offertype_id", "types", type_ids),
        (Offer.labels.through, "label_id", "labels", label_ids),
        (Offer.features.through, "feature_id", "features", feature_ids),
    ]
    for model, column, attr, ids in through:
        rows = [model(offer_id=d.offer.pk, **{column: ids[c]}) for d in drafts for c in getattr(d, attr)]
        model.objects.bulk_create(rows, batch_size=1000)
    OpeningPeriod.objects.bulk_create(
        [OpeningPeriod(offer_id=d.offer.pk, **row) for d in drafts for row in d.periods], batch_size=1000
    )
    Price.objects.bulk_create([Price(offer_id=d.offer.pk, **row) for d in drafts for row in d.prices], batch_size=1000)
    schedules_from_opening_periods([o.pk for o in offers])
    OfferPhoto.objects.bulk_create(
        [
            OfferPhoto(offer_id=d.offer.pk, image=d.photo, credit=photos.CREDIT, caption=d.offer.name[:200])
            for d in drafts
            if d.photo
        ],
        batch_size=1000,
    )
    # auto_now(_add) fields ignore assigned values on insert: give them a plausible history afterwards.
    for d in drafts:
        d.offer.created_at, d.offer.updated_at = d.created, d.updated
    Offer.objects.bulk_update(offers, ["created_at", "updated_at"], batch_size=500)
    indexing.reindex([o.pk for o in offers])


def summary() -> Summary:
    offices = Office.objects.filter(slug__in=network.SLUGS)
    offers = Offer.objects.filter(owner_office__in=offices)
    families = (
        OfferType.objects.filter(is_family=True)
        .annotate(n=Count("descendants__offers", filter=Q(descendants__offers__in=offers), distinct=True))
        .order_by("position")
        .values_list("label_fr", "n")
    )
    logins = []
    for username in network.USERNAMES:
        user = User.objects.prefetch_related("memberships__office").get(username=username)
        ms = list(user.memberships.all())
        role = ", ".join(sorted({m.get_role_display() for m in ms})) or "superuser (Django admin)"
        logins.append((username, str(role), ", ".join(m.office.name for m in ms) or "—"))
    return Summary(
        offers=offers.count(),
        providers=Provider.objects.filter(owner_office__in=offices).count(),
        families=list(families),
        logins=logins,
    )
