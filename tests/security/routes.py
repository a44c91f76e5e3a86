"""The route catalogue: every named route of the URL resolver, how to reach it and what it reads.

One entry per URL name (test_catalogue.py fails when a route has none). An entry says:
- `kwargs`: the path parameters, built from the objects of one side of the world (tests/security/world.py): aim it
  at `world.own` (the acting office's objects) or at `world.other` (another office's);
- `methods` it answers, and the `query` and `form` parameters it reads, each with a valid value (the base request);
- `text` / `urls`: the form fields that store free text / a web address (the escaping test writes markup there);
- `actors`: roles that use it fully, one per code path (an administrator's form has more fields than a manager's):
  the base request and the fuzz act as each, other tests as the first; `ok`: the status of the base request;
- `tenancy`: what another office's object gives, `scope`: which tenant key separates its objects ("office"; the
  provider accounts will add theirs), `next`: reads a return address, `htmx`: the headers of its fragment request.

Parameter values are plain values, lists (repeated parameters), files, or functions of (world, side).
"""

import datetime
import io
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from acvs.campaigns import render, tracking
from acvs.contacts import optin
from acvs.contacts.models import ConsentEvent
from acvs.contacts.retention import keep_token
from acvs.core.models import AuditEntry
from acvs.desk.models import Theme
from acvs.documentation import selectors as doc_selectors
from acvs.documentation.models import Movement, Stock
from acvs.offer.models import OfferType
from tests.conftest import PASSWORD

from .world import Side, World


class Tenancy(StrEnum):
    """What a route does with an object of another office (for the isolation matrix)."""

    NONE = "none"  # no object in the path
    PRIVATE = "private"  # the office's own data (requests, booklets, orders, stock): another office gets 404
    SHARED = "shared"  # everyone reads (offers, providers, catalogue), the owner writes: others get 403 on writes
    MANAGED = "managed"  # network management: reachable by the roles that manage the object's office, else 404
    PUBLIC = "public"  # anyone holding the link (booklet web version)
    ADMIN = "admin"  # the Django admin site: superusers only


Params = dict | Callable[[World, Side], dict]


@dataclass(frozen=True)
class Route:
    kwargs: Callable[[World, Side], dict] | None = None
    methods: tuple[str, ...] = ("GET",)
    query: Params = field(default_factory=dict)
    form: Params = field(default_factory=dict)
    text: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    actors: tuple[str, ...] = ("agent",)
    ok: dict[str, int] = field(default_factory=lambda: {"GET": 200, "POST": 302})
    tenancy: Tenancy = Tenancy.NONE
    scope: str = "office"
    next: bool = False
    htmx: dict | None = None
    anonymous: int | None = None  # what an anonymous visitor gets when not the log-in page (the API: 401)

    @property
    def actor(self) -> str:
        return self.actors[0]


def params(value: Params, world: World, side: Side) -> dict:
    return value(world, side) if callable(value) else dict(value)


def path(name: str, world: World, side: Side, **override) -> str:
    route = ROUTES[name]
    kwargs = route.kwargs(world, side) if route.kwargs else {}
    return reverse(name, kwargs={**kwargs, **override})


def named_routes() -> set[str]:
    """Every named route of the URL resolver, with its namespace."""

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = ":".join(filter(None, [namespace, p.namespace]))
                yield from walk(p.url_patterns, inner)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{namespace}:{p.name}" if namespace else p.name

    return set(walk(get_resolver().url_patterns, ""))


# Valid values ------------------------------------------------------------------------------------------------------


def png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 120, 80)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def contact_file(w: World, s: Side) -> dict:
    """A contact file as the import page receives it."""
    content = f"Nom;Courriel\nAnna Schmidt;anna@{s.office.slug}.example\n".encode()
    return {"file": SimpleUploadedFile("salon.csv", content, content_type="text/csv"), "source": "Salon"}


def legacy_file(w: World, s: Side) -> dict:
    """A former base's table in the side's commune, as the legacy import page receives it."""
    content = f"Nom;Type;Commune\nHôtel importé;Hôtel;{s.office.territory.get().insee}\n".encode()
    return {"file": SimpleUploadedFile("base.csv", content, content_type="text/csv"), "source_label": "Ancienne base"}


def contact_import_pk(w: World, s: Side) -> dict:
    return {"pk": s.contact_import.pk}


def poi_file(w: World, s: Side) -> dict:
    """A DATAtourisme object in the side's commune, as the import page receives it."""
    commune = s.office.territory.get()
    poi = {
        "@id": f"https://data.datatourisme.fr/83/{s.office.slug}", "@type": ["Hotel", "Accommodation"],
        "rdfs:label": {"fr": ["Hôtel importé"]}, "rdfs:comment": {"fr": ["Vue sur mer."]},
        "isLocatedAt": [{"schema:address": [{"schema:postalCode": commune.main_postcode,
                                             "schema:streetAddress": ["1 quai du Port"],
                                             "hasAddressCity": {"insee": commune.insee}}],
                         "schema:geo": {"schema:latitude": str(commune.latitude),
                                        "schema:longitude": str(commune.longitude)}}],
    }  # fmt: skip
    return {"file": SimpleUploadedFile("poi.json", json.dumps(poi).encode(), content_type="application/json")}


def soon(days: int) -> str:
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


def campaign_pk(w: World, s: Side) -> dict:
    return {"pk": s.campaign.pk}


def block_pk(w: World, s: Side) -> dict:
    return {"pk": s.campaign.pk, "block_pk": s.block.pk}


# Where a tracked link of a campaign leads (the click route's signed destination).
CLICKED = "https://www.cavalaire.fr/agenda/"


def link_token(w: World, s: Side) -> dict:
    return {"token": render.link_token(s.recipient.pk)}


def campaign_form(w: World, s: Side) -> dict:
    return {"name": "Printemps", "purpose": "newsletter", "subject_fr": "Le printemps", "subject_en": "Spring",
            "segments": [s.segment.pk]}  # fmt: skip


def type_pk(code: str) -> int:
    return OfferType.objects.get(code=code).pk


def theme_pk() -> int:
    return Theme.objects.order_by("pk").values_list("pk", flat=True)[0]


def counterpart(w: World, s: Side) -> Side:
    return w.other if s is w.own else w.own


def commune_text(s: Side) -> str:
    return str(s.office.territory.get())


OFFER_TEXT = (
    "name", "short_description_fr", "description_fr", "short_description_en", "description_en", "address",
)  # fmt: skip


def offer_form(w: World, s: Side, offer=None) -> dict:
    commune = s.office.territory.get()
    return {
        "version": offer.version if offer else "",
        "name": "Hôtel de la Plage",
        "types": [type_pk("Hotel")],
        "status": "published",
        "short_description_fr": "Face à la mer.",
        "description_fr": "Vingt chambres.",
        "short_description_en": "By the sea.",
        "description_en": "Twenty rooms.",
        "address": "1 quai du Port",
        "postcode": commune.postcode_list[0],
        "commune": str(commune),
        "latitude": "",
        "longitude": "",
        "phone": "04 94 00 00 00",
        "email": "hotel@example.org",
        "website": "https://hotel.example.org",
        "capacity_persons": "40",
        "capacity_units": "20",
        "capacity_unit": "rooms",
        "languages": ["fr", "en"],
        "pets": "allowed",
        "periods-TOTAL_FORMS": "1",
        "periods-INITIAL_FORMS": "0",
        "periods-0-start_date": soon(0),
        "periods-0-end_date": soon(90),
        "periods-0-weekdays": ["0", "1"],
        "periods-0-opens": "09:00",
        "periods-0-closes": "18:00",
        "periods-0-note": "Saison",
        "prices-TOTAL_FORMS": "1",
        "prices-INITIAL_FORMS": "0",
        "prices-0-label": "Chambre double",
        "prices-0-min_amount": "80",
        "prices-0-max_amount": "120",
        "prices-0-unit": "night",
        "prices-0-valid_from": soon(0),
        "prices-0-valid_to": soon(90),
    }


def provider_form(w: World, s: Side) -> dict:
    return {
        "name": "SARL Les Mimosas",
        "legal_name": "Les Mimosas SARL",
        "siret": "12345678901234",
        "address": "2 rue des Mimosas",
        "commune": commune_text(s),
        "phone": "04 94 00 00 01",
        "email": "contact@example.org",
        "website": "https://mimosas.example.org",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "Marie Martin",
        "contacts-0-role": "Gérante",
        "contacts-0-phone": "06 00 00 00 00",
        "contacts-0-email": "marie@example.org",
    }


def counter_form(w: World, s: Side) -> dict:
    return {
        "origin_pick": "country:DE",
        "postcode": "",
        "country": "",
        "adults": "2",
        "children": "1",
        "group_size": "",
        "profile": "family",
        "themes": [theme_pk()],
        "requested_types": [type_pk("Accommodation")],
        "stay_start": soon(10),
        "stay_end": soon(14),
        "stay_label": "Une semaine en août",
        "language": "de",
        "outcome": "fully",
        f"doc-{s.document.pk}": "1",
    }


def request_form(w: World, s: Side, visitor_request=None) -> dict:
    data = {k: v for k, v in counter_form(w, s).items() if not k.startswith("doc-")}
    return data | {
        "channel": "email",
        "received_at": f"{soon(0)}T09:30",
        "due_date": soon(3),
        "status": "in_progress",
        "assignee": s.agent.pk,
        "name": "Anna Schmidt",
        "email": "anna@example.org",
        "address": "Hauptstraße 1, Berlin",
        "phone": "+49 30 123456",
        "consent_newsletter": "on",
        "version": visitor_request.version if visitor_request else "",
    }


def office_form(w: World, s: Side) -> dict:
    return {
        "name": s.office.name,
        "slug": s.office.slug,
        "kind": "ot",
        "department": s.office.department_id,
        "territory": list(s.office.territory.values_list("pk", flat=True)),
        "address": "Place de l'Ormeau",
        "commune": s.office.territory.get().pk,
        "phone": "04 98 12 64 00",
        "email": "info@example.org",
        "website": "https://ot.example.org",
        "is_active": "on",
    }


def new_office_form(w: World, s: Side) -> dict:
    ramatuelle = {"name": "Office de tourisme de Ramatuelle", "slug": "ramatuelle", "territory": ["83101"]}
    return office_form(w, s) | ramatuelle | {"commune": "83101"}


def pdf_link_token(document) -> str:
    # Each test has its own media folder: the world's PDF is written there first.
    if not default_storage.exists(document.pdf.name):
        default_storage.save(document.pdf.name, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return doc_selectors.pdf_link(document).rstrip("/").rpartition("/")[2]


def document_form(w: World, s: Side, document=None) -> dict:
    return {
        "title": "Guide des plages",
        "publisher": s.office.pk,
        "publisher_name": "",
        "language": "fr",
        "edition_year": "2026",
        "themes": [theme_pk()],
        "unit_weight_g": "120",
        "is_current": "on",
        "description": "Toutes les plages du golfe.",
        "version": document.version if document else "",
    }


def booklet_form(w: World, s: Side) -> dict:
    return {
        "title": "Votre séjour",
        "language": "fr",
        "layout": "classic",
        "stay_start": soon(10),
        "stay_end": soon(14),
        "greeting": "Bienvenue !",
        "closing": "À bientôt.",
        "recipient": "visitor@example.org",
        "version": s.booklet.version,
    }


def search_query(w: World, s: Side) -> dict:
    return {
        "q": "hôtel",
        "types": [type_pk("Accommodation")],
        "subtype": type_pk("Hotel"),
        "commune": commune_text(s),
        "radius": "10",
        "office": s.office.pk,
        "all_statuses": "on",
        "owner": "mine",
        "stale": "1",
        "order": "distance",
        "arrival": soon(10),
        "departure": soon(12),
        "page": "1",
    }


# The catalogue -----------------------------------------------------------------------------------------------------

offer_pk = lambda w, s: {"pk": s.offer.pk}  # noqa: E731
request_pk = lambda w, s: {"pk": s.visitor_request.pk}  # noqa: E731
booklet_pk = lambda w, s: {"pk": s.booklet.pk}  # noqa: E731
item = lambda w, s: {"pk": s.booklet.pk, "item_pk": s.item.pk}  # noqa: E731
document_pk = lambda w, s: {"pk": s.document.pk}  # noqa: E731
office_pk = lambda w, s: {"pk": s.office.pk}  # noqa: E731
group_pk = lambda w, s: {"object_id": w.group.pk}  # noqa: E731
GET_POST = ("GET", "POST")
POST = ("POST",)
ADMIN = {"actors": ("superuser",), "tenancy": Tenancy.ADMIN}
TASK_RESULT = "00000000-0000-0000-0000-000000000000"
# Records the admin only shows (no one adds them; a record that is not there sends back to the index).
READ_ONLY_ADMIN = {"add": 403, "change": 302, "changelist": 200, "delete": 302, "history": 302}
# The same pages aimed at a record that is there: shown (read-only), never deleted.
READ_ONLY_RECORD = {"add": 403, "change": 200, "changelist": 200, "delete": 403, "history": 200}


def read_only_admin(model: str, record: Callable[[World, Side], object] | None) -> dict[str, "Route"]:
    """The admin pages of one of our models (acvs/*/admin.py: read-only, writes go through the services), aimed at
    `record(world, side)` or, without one, at a record that is not there; any office's rows for support staff, so
    the tenancy is the admin site's."""
    statuses = READ_ONLY_RECORD if record else {**READ_ONLY_ADMIN, "delete": 403}
    target = (lambda w, s: {"object_id": record(w, s).pk}) if record else (lambda w, s: {"object_id": 1})
    return {
        f"admin:{model}_{page}": Route(
            kwargs=None if page in ("add", "changelist") else target, ok={"GET": status}, **ADMIN
        )
        for page, status in statuses.items()
    }


# Our models in the admin site, each aimed at a record of the side (the world keeps no night nor sending).
OUR_ADMIN = {
    "core_auditentry": lambda w, s: AuditEntry.objects.order_by("pk").first(),
    "core_job": lambda w, s: s.job,
    "network_user": lambda w, s: s.agent,
    "network_office": lambda w, s: s.office,
    "network_membership": lambda w, s: s.membership,
    "offer_offer": lambda w, s: s.offer,
    "offer_provider": lambda w, s: s.provider,
    "agenda_eventschedule": lambda w, s: s.schedule,
    "availability_availabilitynight": None,
    "desk_visitorrequest": lambda w, s: s.visitor_request,
    "booklet_booklet": lambda w, s: s.booklet,
    "booklet_bookletsending": None,
    "documentation_document": lambda w, s: s.document,
    "documentation_stock": lambda w, s: Stock.objects.filter(office=s.office).first(),
    "documentation_movement": lambda w, s: Movement.objects.filter(office=s.office).first(),
    "documentation_order": lambda w, s: s.order,
    "mailing_answertemplate": lambda w, s: s.answer_template,
    "mailing_answer": lambda w, s: s.answer,
    "mailing_incomingmessage": None,
    "contacts_contact": lambda w, s: s.contact,
    "contacts_consentevent": lambda w, s: s.contact.consents.first(),
    "contacts_accesslog": None,
    "campaigns_campaign": lambda w, s: s.campaign,
    "interop_importrun": lambda w, s: s.import_run,
    "contacts_contactimport": lambda w, s: s.contact_import,
    "interop_importedrecord": None,
    "interop_importedprovider": None,
    "api_apitoken": lambda w, s: s.api_token,
}


def contact_pk(w: World, s: Side) -> dict:
    return {"pk": s.contact.pk}


def pending_consent(s: Side):
    """The side's contact's consent asked by phone, awaiting its email confirmation (world.py)."""
    return ConsentEvent.objects.get(contact=s.contact, pending=True)


def public_form(w: World, s: Side) -> dict:
    """A visitor's request from the office's public page, as a person sends it (the page served a minute ago)."""
    started = signing.dumps(time.time() - 60, salt="acvs.contacts.public")
    return {"name": "Emma Brown", "email": "emma@example.co.uk", "country": "GB", "message": "Beaches for children?",
            "newsletter": "on", "started": started}  # fmt: skip


def contact_form(w: World, s: Side, contact=None) -> dict:
    """A new contact's addresses, or (editing) the contact's own: an address is one contact's in an office."""
    emails = [e.email for e in contact.emails.all()] if contact else ["anna.schmidt@example.de"]
    return {
        "kind": "person",
        "name": "Anna Schmidt",
        "emails": "\n".join(emails),
        "phones": "" if contact else "+49 30 1234567",
        "address": "Hauptstraße 1, Berlin",
        "postcode": "10115",
        "country": "DE",
        "language": "de",
        "interests": [theme_pk()],
        "tags": "Allemagne, famille",
        # Editing: the version as stored now (the edit form refuses a save based on an older one).
        **({"version": type(contact).objects.get(pk=contact.pk).version} if contact else {}),
    }


def api_offer_form(w: World, s: Side) -> dict:
    """An offer posted to the API as a form (programs send JSON; tests/api covers it, with periods and prices)."""
    commune = s.office.territory.get()
    return {
        "name": "Gîte des Mimosas",
        "types": ["Hotel"],
        "status": "published",
        "short_description_fr": "Au calme.",
        "address": "2 chemin des Mimosas",
        "postcode": commune.postcode_list[0],
        "commune": commune.insee,
        "email": "gite@example.org",
        "website": "https://gite.example.org",
        "labels": [],
        "languages": ["fr"],
    }


def api_range(w: World, s: Side) -> dict:
    return {"start": soon(0), "end": soon(30)}


ROUTES: dict[str, Route] = {
    # Core and accounts
    "home": Route(),
    "job": Route(kwargs=lambda w, s: {"pk": s.job.pk}, query={"next": "/booklets/"}, tenancy=Tenancy.PRIVATE),
    "job_retry": Route(
        kwargs=lambda w, s: {"pk": s.job.pk},
        methods=POST,
        form={"next": "/booklets/"},
        tenancy=Tenancy.PRIVATE,
        next=True,
    ),
    "login": Route(
        methods=GET_POST,
        query={"next": "/offers/"},
        form={"username": "agent", "password": PASSWORD},
        actors=("anonymous",),
        next=True,
    ),
    "logout": Route(methods=POST, next=True),
    "set_language": Route(methods=POST, form={"language": "en"}, next=True),
    # Network management
    "network:switch_office": Route(methods=POST, form=lambda w, s: {"office": s.office.pk}, next=True),
    "network:departments": Route(actors=("network_admin",)),
    "network:department_create": Route(
        methods=GET_POST,
        form={"code": "990", "name": "Département d'essai"},
        text=("name",),
        actors=("network_admin",),
    ),
    "network:department_edit": Route(
        kwargs=lambda w, s: {"pk": s.office.department_id},
        methods=GET_POST,
        form=lambda w, s: {"code": s.office.department.code, "name": "Var (83)"},
        text=("name",),
        actors=("network_admin",),
        tenancy=Tenancy.MANAGED,
    ),
    "network:offices": Route(
        query=lambda w, s: {"department": s.office.department_id, "kind": "ot"}, actors=("department_admin",)
    ),
    "network:office_create": Route(
        methods=GET_POST,
        query=lambda w, s: {"department": s.office.department_id},
        form=new_office_form,
        text=("name", "address"),
        urls=("website",),
        actors=("department_admin",),
    ),
    "network:office_detail": Route(kwargs=office_pk, actors=("department_admin",), tenancy=Tenancy.MANAGED),
    "network:office_edit": Route(
        kwargs=office_pk,
        methods=GET_POST,
        query=lambda w, s: {"department": s.office.department_id},
        form=office_form,
        text=("name", "address"),
        urls=("website",),
        actors=("department_admin", "manager"),
        tenancy=Tenancy.MANAGED,
    ),
    "network:office_deactivate": Route(
        kwargs=office_pk, methods=GET_POST, actors=("department_admin",), tenancy=Tenancy.MANAGED
    ),
    "network:member_add": Route(
        kwargs=office_pk,
        methods=GET_POST,
        form=lambda w, s: {"person": counterpart(w, s).agent.username, "role": "partner"},
        actors=("manager",),
        tenancy=Tenancy.MANAGED,
    ),
    "network:users": Route(query=lambda w, s: {"q": "agent", "office": s.office.pk, "page": "1"}, actors=("manager",)),
    "network:user_create": Route(
        methods=GET_POST,
        query=lambda w, s: {"office": s.office.pk},
        form=lambda w, s: {
            "office": s.office.pk,
            "role": "agent",
            "username": "nouvelle.recrue",
            "first_name": "Léa",
            "last_name": "Durand",
            "email": "lea@example.org",
            "password1": "Xk2!vbn-longer-pass",
            "password2": "Xk2!vbn-longer-pass",
        },
        text=("first_name", "last_name"),
        actors=("manager",),
    ),
    "network:user_detail": Route(kwargs=lambda w, s: {"pk": s.agent.pk}, actors=("manager",), tenancy=Tenancy.MANAGED),
    "network:user_office_add": Route(
        kwargs=lambda w, s: {"pk": s.agent.pk},
        methods=GET_POST,
        form=lambda w, s: {"office": counterpart(w, s).office.pk, "role": "partner"},
        actors=("department_admin",),
        tenancy=Tenancy.MANAGED,
    ),
    "network:membership_edit": Route(
        kwargs=lambda w, s: {"pk": s.membership.pk},
        methods=GET_POST,
        form={"role": "partner"},
        actors=("manager",),
        tenancy=Tenancy.MANAGED,
        next=True,
    ),
    "network:membership_deactivate": Route(
        kwargs=lambda w, s: {"pk": s.membership.pk},
        methods=GET_POST,
        actors=("manager",),
        tenancy=Tenancy.MANAGED,
        next=True,
    ),
    # Offers and providers
    "offer:search": Route(query=search_query, htmx={"HX-Target": "search-body"}),
    "offer:facets": Route(query=search_query, htmx={"HX-Target": "facets"}),
    "offer:export": Route(kwargs=lambda w, s: {"fmt": "xlsx"}, query=search_query),
    "offer:export_one": Route(kwargs=lambda w, s: {"pk": s.offer.pk, "fmt": "csv"}, tenancy=Tenancy.SHARED),
    "offer:thumbnails": Route(methods=GET_POST, actors=("network_admin",)),
    "network:logins": Route(query={"page": "1"}, actors=("network_admin",)),
    "network:lockout_lift": Route(
        methods=GET_POST,
        query={"kind": "account", "value": "agent"},
        form={"kind": "account", "value": "agent"},
        actors=("network_admin",),
    ),
    "offer:create": Route(
        methods=GET_POST,
        form=offer_form,
        text=(*OFFER_TEXT, "periods-0-note", "prices-0-label"),
        urls=("website",),
        actors=("department_admin",),  # an administrator's form also has the owner
    ),
    "offer:types": Route(),
    "offer:detail": Route(kwargs=offer_pk, tenancy=Tenancy.SHARED),
    "offer:edit": Route(
        kwargs=offer_pk,
        methods=GET_POST,
        form=lambda w, s: offer_form(w, s, s.offer),
        text=(*OFFER_TEXT, "periods-0-note", "prices-0-label"),
        urls=("website",),
        tenancy=Tenancy.SHARED,
    ),
    "offer:verify": Route(kwargs=offer_pk, methods=POST, tenancy=Tenancy.SHARED, next=True, htmx={}),
    "offer:photo_add": Route(
        kwargs=offer_pk,
        methods=POST,
        form=lambda w, s: {"image": png(), "credit": "Jean Photographe", "caption": "La terrasse"},
        text=("credit", "caption"),
        tenancy=Tenancy.SHARED,
    ),
    "offer:photo_delete": Route(
        kwargs=lambda w, s: {"pk": s.offer.pk, "photo_pk": s.photo.pk}, methods=POST, tenancy=Tenancy.SHARED
    ),
    "offer:providers": Route(query={"q": "SARL", "page": "1"}),
    "offer:provider_create": Route(
        methods=GET_POST,
        form=provider_form,
        text=("name", "legal_name", "address", "contacts-0-name", "contacts-0-role"),
        urls=("website",),
    ),
    "offer:provider_detail": Route(kwargs=lambda w, s: {"pk": s.provider.pk}, tenancy=Tenancy.SHARED),
    "offer:provider_edit": Route(
        kwargs=lambda w, s: {"pk": s.provider.pk},
        methods=GET_POST,
        form=provider_form,
        text=("name", "legal_name", "address", "contacts-0-name", "contacts-0-role"),
        urls=("website",),
        tenancy=Tenancy.SHARED,
    ),
    # The prospect file
    "contacts:list": Route(query={"q": "Martin", "consent": "newsletter", "page": "1"}),
    "contacts:export": Route(kwargs=lambda w, s: {"fmt": "csv"}, query={"q": "Martin"}),
    "contacts:segment_save": Route(methods=POST, form={"name": "Randonneurs", "country": "DE"}, text=("name",)),
    "contacts:segment_delete": Route(kwargs=lambda w, s: {"pk": s.segment.pk}, methods=POST, tenancy=Tenancy.PRIVATE),
    "contacts:create": Route(methods=GET_POST, form=contact_form, text=("name", "address", "tags")),
    "contacts:detail": Route(kwargs=contact_pk, tenancy=Tenancy.PRIVATE),
    "contacts:edit": Route(
        kwargs=contact_pk,
        methods=GET_POST,
        form=lambda w, s: contact_form(w, s, s.contact),
        text=("name", "address", "tags"),
        tenancy=Tenancy.PRIVATE,
    ),  # fmt: skip
    "contacts:consent": Route(
        kwargs=contact_pk,
        methods=POST,
        form={
            "purpose": "network",
            "given": "1",
            "text": "J’accepte les communications du réseau.",
            "face_to_face": "on",
        },
        text=("text",),
        tenancy=Tenancy.PRIVATE,
    ),
    "contacts:merge": Route(
        kwargs=contact_pk,
        methods=GET_POST,
        query=lambda w, s: {"with": s.duplicate.pk},
        form=lambda w, s: {"with": s.duplicate.pk, "confirm": "on", "keep_name": "merged"},
        tenancy=Tenancy.PRIVATE,
    ),
    "contacts:email_deliverable": Route(
        kwargs=lambda w, s: {"pk": s.contact.pk, "email_pk": s.contact.emails.get().pk},
        methods=GET_POST,
        tenancy=Tenancy.PRIVATE,
    ),
    "contacts:export_json": Route(kwargs=contact_pk, tenancy=Tenancy.PRIVATE),
    "contacts:export_pdf": Route(kwargs=contact_pk, tenancy=Tenancy.PRIVATE),
    "contacts:erase": Route(
        kwargs=contact_pk,
        methods=GET_POST,
        form=lambda w, s: {"confirmation": s.contact.name, "confirm": "on"},
        actors=("manager",),
        tenancy=Tenancy.PRIVATE,
    ),
    "contacts:access_log": Route(query={"page": "1"}, actors=("manager",)),
    "contacts:keep": Route(
        kwargs=lambda w, s: {"token": keep_token(s.contact)},
        methods=GET_POST,
        ok={"GET": 200, "POST": 200},
        actors=("anonymous",),
        tenancy=Tenancy.PUBLIC,
    ),
    "contacts:resend": Route(
        kwargs=lambda w, s: {"pk": s.contact.pk, "event_pk": pending_consent(s).pk},
        methods=POST,
        tenancy=Tenancy.PRIVATE,
    ),
    "contacts:public_embed": Route(),
    "contacts:public": Route(
        kwargs=lambda w, s: {"slug": s.office.slug},
        methods=GET_POST,
        query={"lang": "en"},
        form=public_form,
        text=("name", "message"),
        actors=("anonymous",),
        tenancy=Tenancy.PUBLIC,
    ),
    "contacts:confirm": Route(
        kwargs=lambda w, s: {"token": optin.link_token(pending_consent(s).confirmation_mails.first())},
        methods=GET_POST,
        actors=("anonymous",),
        ok={"GET": 200, "POST": 200},
        tenancy=Tenancy.PUBLIC,
    ),
    # Campaigns
    "campaigns:list": Route(),
    "campaigns:calendar": Route(query={"year": "2026"}),
    "campaigns:create": Route(methods=GET_POST, form=campaign_form, text=("name", "subject_fr", "subject_en")),
    "campaigns:detail": Route(kwargs=campaign_pk, tenancy=Tenancy.PRIVATE),
    "campaigns:edit": Route(
        kwargs=campaign_pk, methods=POST, form=campaign_form, text=("name", "subject_fr"), tenancy=Tenancy.PRIVATE
    ),
    "campaigns:returns": Route(
        kwargs=campaign_pk, methods=POST, form={"cost": "120.50", "return_days": "30"}, tenancy=Tenancy.PRIVATE
    ),
    "campaigns:block_add": Route(
        kwargs=campaign_pk,
        methods=POST,
        form={"language": "fr", "kind": "text", "text": "Le marché revient.", "url": "https://example.org/"},
        text=("text",),
        urls=("url",),
        tenancy=Tenancy.PRIVATE,
    ),
    "campaigns:block_delete": Route(kwargs=block_pk, methods=POST, tenancy=Tenancy.PRIVATE),
    "campaigns:block_move": Route(kwargs=block_pk, methods=POST, form={"up": "1"}, tenancy=Tenancy.PRIVATE),
    "campaigns:preview": Route(kwargs=lambda w, s: {"pk": s.campaign.pk, "language": "fr"}, tenancy=Tenancy.PRIVATE),
    "campaigns:send_test": Route(kwargs=campaign_pk, methods=POST, form={"language": "fr"}, tenancy=Tenancy.PRIVATE),
    "campaigns:schedule": Route(
        kwargs=campaign_pk,
        methods=POST,
        form={"at": (datetime.datetime.now() + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")},
        tenancy=Tenancy.PRIVATE,
    ),
    "campaigns:pause": Route(kwargs=campaign_pk, methods=POST, tenancy=Tenancy.PRIVATE),
    "campaigns:resume": Route(kwargs=campaign_pk, methods=POST, tenancy=Tenancy.PRIVATE),
    "campaigns:cancel": Route(kwargs=campaign_pk, methods=POST, tenancy=Tenancy.PRIVATE),
    "campaigns:unsubscribe": Route(
        kwargs=link_token,
        methods=GET_POST,
        actors=("anonymous",),
        ok={"GET": 200, "POST": 200},
        tenancy=Tenancy.PUBLIC,
    ),  # fmt: skip
    "campaigns:preferences": Route(
        kwargs=link_token,
        methods=GET_POST,
        form={"language": "en", "purpose_newsletter": "on"},
        actors=("anonymous",),
        ok={"GET": 200, "POST": 200},
        tenancy=Tenancy.PUBLIC,
    ),  # fmt: skip
    "campaigns:open": Route(kwargs=link_token, actors=("anonymous",), tenancy=Tenancy.PUBLIC),
    "campaigns:click": Route(
        kwargs=lambda w, s: {"pk": s.recipient.pk, "signature": tracking.signature(s.recipient.pk, CLICKED)},
        query={"u": CLICKED},
        actors=("anonymous",),
        ok={"GET": 302},
        tenancy=Tenancy.PUBLIC,
    ),
    "campaigns:office_tracking": Route(methods=POST, form={"tracking": "on"}, actors=("manager",)),
    # The counter
    "desk:counter": Route(methods=GET_POST, form=counter_form, text=("stay_label",), htmx={}),
    "desk:quick": Route(
        methods=POST,
        form=lambda w, s: {**counter_form(w, s), "quick": "famille allemande 2+2 rando 3 nuits", "quick_drop": "1"},
        ok={"POST": 200},
        htmx={},
    ),
    "desk:places": Route(query={"postcode": "nant"}, htmx={}),
    "desk:settings": Route(
        methods=GET_POST,
        form={"due_days": "5", "countries": ["DE", "GB"], "departments": ["83", "04"]},
        actors=("manager",),
    ),
    "desk:count_add": Route(methods=POST, htmx={}),
    "desk:count_remove": Route(methods=POST, htmx={}),
    "desk:count_set": Route(methods=POST, form={"value": "12"}, htmx={}),
    "desk:visitors": Route(query={"unit": "week", "date": soon(-30)}),
    "desk:visitors_export": Route(kwargs=lambda w, s: {"fmt": "xlsx"}, query={"unit": "day", "date": soon(0)}),
    "desk:list": Route(
        query=lambda w, s: {
            "channel": "email",
            "status": "to_handle",
            "overdue": "on",
            "date_from": soon(-30),
            "date_to": soon(0),
            "assignee": s.agent.pk,
            "page": "1",
        },
    ),
    "desk:create": Route(methods=GET_POST, form=request_form, text=("stay_label", "name", "address")),
    "desk:detail": Route(kwargs=request_pk, tenancy=Tenancy.PRIVATE),
    "desk:edit": Route(
        kwargs=request_pk,
        methods=GET_POST,
        form=lambda w, s: request_form(w, s, s.visitor_request),
        text=("stay_label", "name", "address"),
        tenancy=Tenancy.PRIVATE,
    ),
    "desk:delete": Route(kwargs=request_pk, methods=POST, tenancy=Tenancy.PRIVATE),
    "desk:advise": Route(
        kwargs=request_pk,
        query=lambda w, s: {"without": ["language", "party"], "place": commune_text(s)},
        tenancy=Tenancy.PRIVATE,
        htmx={"HX-Target": "advice"},
    ),
    "desk:themes": Route(
        methods=GET_POST,
        form=lambda w, s: {"theme": theme_pk(), "offer_types": ["WalkingTour", "Beach"]},
        actors=("network_admin",),
    ),
    "desk:suggest": Route(
        kwargs=request_pk,
        methods=POST,
        form=lambda w, s: {"offer": s.event.pk},
        tenancy=Tenancy.PRIVATE,
        next=True,
        htmx={},
    ),
    "desk:unsuggest": Route(
        kwargs=lambda w, s: {"pk": s.visitor_request.pk, "offer_pk": s.offer.pk},
        methods=POST,
        tenancy=Tenancy.PRIVATE,
    ),
    "desk:missing_type": Route(
        kwargs=request_pk,
        methods=POST,
        form=lambda w, s: {"type": type_pk("Accommodation")},
        tenancy=Tenancy.PRIVATE,
    ),
    # Agenda and availability
    "agenda:agenda": Route(
        query=lambda w, s: {
            "date_from": soon(0),
            "date_to": soon(30),
            "commune": commune_text(s),
            "radius": "10",
            "office": s.office.pk,
            "q": "fête",
            "page": "1",
        },
    ),
    "interop:events_ics": Route(
        query=lambda w, s: {
            "office": s.office.pk,
            "commune": commune_text(s),
            "radius": "10",
            "type": type_pk("Festival"),
            "q": "fête",
            "lang": "en",
            "days": "60",
        },
        actors=("anonymous",),
    ),
    "interop:widget_offers": Route(
        query=lambda w, s: {
            "office": s.office.pk,
            "commune": commune_text(s),
            "radius": "10",
            "type": type_pk("Hotel"),
            "q": "hôtel",
            "lang": "de",
            "limit": "5",
        },
        actors=("anonymous",),
    ),
    "interop:widget_events": Route(
        query=lambda w, s: {"office": s.office.pk, "type": type_pk("Festival"), "q": "fête", "lang": "fr"},
        actors=("anonymous",),
    ),
    "interop:widget_builder": Route(
        query=lambda w, s: {
            "kind": "events",
            "office": s.office.pk,
            "commune": commune_text(s),
            "radius": "10",
            "type": type_pk("Festival"),
            "q": "fête",
            "lang": "en",
            "limit": "8",
        },
        htmx={"HX-Target": "builder-result"},
    ),
    "agenda:schedule_add": Route(
        kwargs=lambda w, s: {"pk": s.event.pk},
        methods=POST,
        form={
            "start_date": soon(20),
            "end_date": soon(27),
            "weekdays": ["5", "6"],
            "start_time": "20:00",
            "end_time": "23:00",
            "note": "Feu d'artifice",
        },
        text=("note",),
        tenancy=Tenancy.SHARED,
    ),
    "agenda:places": Route(
        kwargs=lambda w, s: {"pk": s.event.pk, "occurrence_pk": s.schedule.occurrences.order_by("pk").first().pk},
        methods=POST,
        form={"places_left": "25"},
        tenancy=Tenancy.SHARED,
        htmx={},
    ),
    "agenda:schedule_delete": Route(
        kwargs=lambda w, s: {"pk": s.event.pk, "schedule_pk": s.schedule.pk}, methods=POST, tenancy=Tenancy.SHARED
    ),
    "availability:section": Route(
        kwargs=lambda w, s: {"offer_pk": s.offer.pk}, query={"month": soon(0)[:7]}, tenancy=Tenancy.SHARED, htmx={}
    ),
    "availability:set": Route(
        kwargs=lambda w, s: {"offer_pk": s.offer.pk},
        methods=POST,
        form={"start": soon(1), "end": soon(5), "state": "few", "units_free": "3", "month": soon(0)[:7]},
        tenancy=Tenancy.SHARED,
        htmx={},
    ),
    # Imports
    "interop:import_start": Route(methods=GET_POST, form=poi_file, actors=("manager",)),
    "interop:import_run": Route(
        kwargs=lambda w, s: {"pk": s.import_run.pk}, actors=("manager",), tenancy=Tenancy.PRIVATE
    ),  # fmt: skip
    "interop:import_commit": Route(
        kwargs=lambda w, s: {"pk": s.import_run.pk}, methods=POST, actors=("manager",), tenancy=Tenancy.PRIVATE
    ),  # fmt: skip
    "interop:legacy_start": Route(methods=GET_POST, form=legacy_file, text=("source_label",), actors=("manager",)),
    "interop:legacy_mapping": Route(
        kwargs=lambda w, s: {"pk": s.legacy_run.pk},
        methods=GET_POST,
        form={"col_0": "name", "col_1": "type", "col_2": "commune", "type_column": "Type", "label_0": "Hotel"},
        actors=("manager",),
        tenancy=Tenancy.PRIVATE,
    ),
    "interop:import_review": Route(
        kwargs=lambda w, s: {"pk": s.import_run.pk},
        methods=POST,
        form={"match_1": "new"},
        actors=("manager",),
        tenancy=Tenancy.PRIVATE,
    ),
    # Contact imports
    "contacts:import_start": Route(methods=GET_POST, form=contact_file, text=("source",), ok={"GET": 200, "POST": 302}),
    "contacts:import_run": Route(
        kwargs=contact_import_pk, query={"show": "refuse", "page": "1"}, tenancy=Tenancy.PRIVATE
    ),
    "contacts:import_mapping": Route(
        kwargs=contact_import_pk,
        methods=GET_POST,
        form={"col_0": "name", "col_1": "email", "origin": "Salon"},
        text=("origin", "consent_text"),
        tenancy=Tenancy.PRIVATE,
    ),  # fmt: skip
    "contacts:import_exclude": Route(
        kwargs=contact_import_pk, methods=POST, form={"shown": "2", "exclude": "2"}, tenancy=Tenancy.PRIVATE
    ),
    "contacts:import_commit": Route(kwargs=contact_import_pk, methods=POST, tenancy=Tenancy.PRIVATE),
    "interop:import_conflict": Route(
        kwargs=lambda w, s: {"pk": s.import_run.pk},
        methods=POST,
        form={"line": "1", "field": "name", "choice": "keep"},
        actors=("manager",),
        tenancy=Tenancy.PRIVATE,
        ok={"POST": 400},  # the world's run has no conflict to settle
    ),
    # The public API (tests/api tries it with tokens; here as a logged-in user of the session)
    "api:offers": Route(
        methods=GET_POST,
        query=lambda w, s: {
            "q": "hôtel",
            "type": "Accommodation,Hotel",
            "commune": s.office.territory.get().insee,
            "radius": "10",
            "labels": [],
            "order": "name",
            "updated_since": f"{soon(-30)}T00:00:00",
            "per_page": "20",
            "page": "1",
        },
        form=api_offer_form,
        ok={"GET": 200, "POST": 201},
        anonymous=401,
    ),
    "api:offer": Route(kwargs=offer_pk, tenancy=Tenancy.SHARED, anonymous=401),
    "api:availability": Route(
        kwargs=lambda w, s: {"pk": s.offer.pk},
        methods=GET_POST,
        query=api_range,
        form={"start": soon(1), "end": soon(5), "state": "few", "units_free": "3"},
        ok={"GET": 200, "POST": 200},
        tenancy=Tenancy.SHARED,
        anonymous=401,
    ),
    "api:providers": Route(query={"q": "SARL", "page": "1"}, anonymous=401),
    "api:provider": Route(kwargs=lambda w, s: {"pk": s.provider.pk}, tenancy=Tenancy.SHARED, anonymous=401),
    "api:events": Route(
        query=lambda w, s: api_range(w, s) | {"q": "fête", "commune": s.office.territory.get().insee, "radius": "10"},
        anonymous=401,
    ),
    "api:types": Route(anonymous=401),
    "api:schema": Route(),
    "api:docs": Route(),
    "api:tokens": Route(
        methods=GET_POST,
        form={"name": "Site web", "scopes": ["read", "write"], "expires_at": soon(30)},
        text=("name",),
        actors=("manager",),
    ),
    "api:token_revoke": Route(
        kwargs=lambda w, s: {"pk": s.api_token.pk}, methods=GET_POST, actors=("manager",), tenancy=Tenancy.PRIVATE
    ),
    # Stay booklets
    "booklet:list": Route(query={"page": "1"}),
    "booklet:new": Route(methods=POST),
    "booklet:branding": Route(
        methods=GET_POST,
        form={
            "primary_colour": "#0f766e",
            "accent_colour": "#f59e0b",
            "default_layout": "classic",
            "opening_hours_fr": "Tous les jours, 9 h - 18 h",
            "opening_hours_en": "Daily 9am-6pm",
            "footer_fr": "Office de tourisme",
            "footer_en": "Tourist office",
        },
        text=("opening_hours_fr", "opening_hours_en", "footer_fr", "footer_en"),
        actors=("manager",),
    ),
    "booklet:from_request": Route(
        kwargs=lambda w, s: {"request_pk": s.visitor_request.pk}, methods=POST, tenancy=Tenancy.PRIVATE
    ),
    "booklet:edit": Route(
        kwargs=booklet_pk,
        methods=GET_POST,
        query={"q": "hôtel"},
        form=booklet_form,
        text=("title", "greeting", "closing"),
        tenancy=Tenancy.PRIVATE,
    ),
    "booklet:delete": Route(kwargs=booklet_pk, methods=POST, tenancy=Tenancy.PRIVATE),
    "booklet:item_add": Route(
        kwargs=booklet_pk,
        methods=POST,
        form=lambda w, s: {"offer": s.event.pk, "q": "fête"},
        tenancy=Tenancy.PRIVATE,
    ),
    "booklet:item_update": Route(
        kwargs=item,
        methods=POST,
        form={"day": "2", "note": "Réservez la veille.", "q": "hôtel"},
        text=("note",),
        tenancy=Tenancy.PRIVATE,
    ),
    "booklet:item_remove": Route(kwargs=item, methods=POST, tenancy=Tenancy.PRIVATE),
    "booklet:item_move": Route(kwargs=item, methods=POST, form={"direction": "up"}, tenancy=Tenancy.PRIVATE),
    "booklet:pdf": Route(kwargs=booklet_pk, tenancy=Tenancy.PRIVATE),
    "booklet:print": Route(kwargs=booklet_pk, tenancy=Tenancy.PRIVATE),
    "booklet:preview": Route(kwargs=booklet_pk, tenancy=Tenancy.PRIVATE),
    "booklet:send": Route(
        kwargs=booklet_pk,
        methods=POST,
        form={"to": "visitor@example.org", "with_pdf": ""},  # without the PDF: its rendering is tested elsewhere
        tenancy=Tenancy.PRIVATE,
    ),
    "booklet:sending_status": Route(kwargs=booklet_pk, tenancy=Tenancy.PRIVATE, htmx={}),
    "booklet:public": Route(
        kwargs=lambda w, s: {"token": s.booklet.token}, actors=("anonymous",), tenancy=Tenancy.PUBLIC
    ),
    "booklet:public_colours": Route(
        kwargs=lambda w, s: {"token": s.booklet.token}, actors=("anonymous",), tenancy=Tenancy.PUBLIC
    ),
    # Written answers
    "mailing:templates": Route(actors=("manager",)),
    "mailing:template_create": Route(
        methods=GET_POST,
        form={
            "language": "en",
            "name": "Information",
            "subject": "Your stay in {office_name}",
            "body": "{greeting}\n\nHere is our brochure.\n\n{signature}",
        },  # fmt: skip
        text=("name", "subject", "body"),
        actors=("manager",),
    ),
    "mailing:template_edit": Route(
        kwargs=lambda w, s: {"pk": s.answer_template.pk},
        methods=GET_POST,
        form={"language": "de", "name": "Auskunft", "subject": "Ihr Aufenthalt", "body": "{greeting}\n\nBis bald."},
        text=("name", "subject", "body"),
        actors=("manager",),
        tenancy=Tenancy.PRIVATE,
    ),
    "mailing:template_delete": Route(
        kwargs=lambda w, s: {"pk": s.answer_template.pk}, methods=POST, actors=("manager",), tenancy=Tenancy.PRIVATE
    ),
    "mailing:answer": Route(
        kwargs=lambda w, s: {"request_pk": s.visitor_request.pk},
        methods=GET_POST,
        query=lambda w, s: {"template": s.answer_template.pk},
        form=lambda w, s: {
            "template": s.answer_template.pk,
            "to": "ann@example.org",
            "subject": "Ihr Aufenthalt",
            "body": "Guten Tag,\n\nbis bald.",
        },  # fmt: skip
        text=("subject", "body"),
        tenancy=Tenancy.PRIVATE,
    ),
    "mailing:answer_status": Route(
        kwargs=lambda w, s: {"request_pk": s.visitor_request.pk}, tenancy=Tenancy.PRIVATE, htmx={}
    ),
    "mailing:figures": Route(actors=("manager",)),
    # Documentation
    "documentation:catalogue": Route(
        query=lambda w, s: {
            "q": "plan",
            "language": "fr",
            "theme": theme_pk(),
            "publisher": s.office.pk,
            "is_current": "1",
            "held": "on",
            "page": "1",
        },
    ),
    "documentation:create": Route(methods=GET_POST, form=document_form, text=("title", "description")),
    "documentation:detail": Route(kwargs=document_pk, tenancy=Tenancy.SHARED),
    "documentation:edit": Route(
        kwargs=document_pk,
        methods=GET_POST,
        form=lambda w, s: document_form(w, s, s.document),
        text=("title", "description"),
        tenancy=Tenancy.SHARED,
    ),
    "documentation:movement": Route(
        kwargs=document_pk,
        methods=POST,
        form={"kind": "posted", "place": "storeroom", "quantity": "2", "counterpart": "", "reason": "Envoi postal"},
        text=("reason",),
        tenancy=Tenancy.SHARED,
    ),
    "documentation:move": Route(
        kwargs=document_pk,
        methods=POST,
        form={"quantity": "5", "source": "storeroom", "destination": "counter"},
        tenancy=Tenancy.SHARED,
    ),
    "documentation:threshold": Route(
        kwargs=document_pk,
        methods=POST,
        form={"alert_threshold": "10", "reorder_quantity": "100"},
        tenancy=Tenancy.SHARED,
    ),
    "documentation:public_pdf": Route(
        kwargs=lambda w, s: {"token": pdf_link_token(s.document)}, actors=("anonymous",), tenancy=Tenancy.PUBLIC
    ),
    "documentation:stock": Route(),
    "documentation:stock_export": Route(kwargs=lambda w, s: {"fmt": "csv"}),
    "documentation:movements": Route(
        query=lambda w, s: {
            "document": s.document.pk,
            "kind": "received",
            "place": "counter",
            "date_from": soon(-7),
            "date_to": soon(0),
            "page": "1",
        },
    ),
    "documentation:movement_export": Route(
        kwargs=lambda w, s: {"fmt": "xlsx"},
        query=lambda w, s: {"document": s.document.pk, "kind": "received", "date_from": soon(-7), "date_to": soon(0)},
    ),
    "documentation:handout": Route(
        kwargs=lambda w, s: {"request_pk": s.visitor_request.pk},
        methods=POST,
        form=lambda w, s: {f"doc-{s.document.pk}": "2"},
        tenancy=Tenancy.PRIVATE,
        htmx={},
    ),
    "documentation:orders": Route(query={"status": "open"}),
    "documentation:order_create": Route(
        methods=GET_POST,
        query=lambda w, s: {"supplier": w.guide.publisher_id, "document": [w.guide.pk]},
        form=lambda w, s: {"supplier": w.guide.publisher_id, "note": "Pour l'été", f"doc-{w.guide.pk}": "20"},
        text=("note",),
    ),
    "documentation:order": Route(kwargs=lambda w, s: {"pk": s.order.pk}, tenancy=Tenancy.PRIVATE),
    "documentation:order_step": Route(
        kwargs=lambda w, s: {"pk": s.order.pk, "step": "cancel"},
        methods=POST,
        form={"reason": "Plus besoin"},
        text=("reason",),
        tenancy=Tenancy.PRIVATE,
    ),
    # The observatory: figures of the acting office, of a département, of the network (aggregates only).
    "observatory:office": Route(query={"start": "2025-01", "end": "2025-12"}),
    "observatory:office_export": Route(
        kwargs=lambda w, s: {"table": "channel", "fmt": "xlsx"}, query={"start": "2025-01", "end": "2025-12"}
    ),
    "observatory:office_report": Route(query={"month": "2025-03"}),
    "observatory:office_quality": Route(query={"start": "2025-01", "end": "2025-12"}),
    "observatory:department": Route(
        query=lambda w, s: {"start": "2025-01", "end": "2025-12", "department": s.office.department_id},
        actors=("department_admin",),
    ),
    "observatory:department_export": Route(
        kwargs=lambda w, s: {"table": "units", "fmt": "csv"},
        query=lambda w, s: {"start": "2025-01", "end": "2025-12", "department": s.office.department_id},
        actors=("department_admin",),
    ),
    "observatory:network": Route(query={"start": "2025-01", "end": "2025-12"}, actors=("network_admin",)),
    "observatory:network_export": Route(
        kwargs=lambda w, s: {"table": "country", "fmt": "csv"},
        query={"start": "2025-01", "end": "2025-12"},
        actors=("network_admin",),
    ),
    # The Django admin site
    "admin:index": Route(**ADMIN),
    "admin:login": Route(
        methods=GET_POST,
        query={"next": "/admin/"},
        form={"username": "root", "password": "root-password"},
        actors=("anonymous",),
        tenancy=Tenancy.ADMIN,
        next=True,
    ),
    "admin:logout": Route(methods=POST, **ADMIN),
    "admin:password_change": Route(
        methods=GET_POST,
        form={"old_password": "root-password", "new_password1": "Xk2!vbn-pass", "new_password2": "Xk2!vbn-pass"},
        **ADMIN,
    ),
    "admin:password_change_done": Route(**ADMIN),
    "admin:autocomplete": Route(
        query={"app_label": "auth", "model_name": "group", "field_name": "permissions", "term": "a"},
        ok={"GET": 403},
        **ADMIN,  # no admin declares an autocomplete field: refused, as Django does
    ),
    "admin:jsi18n": Route(**ADMIN),
    "admin:view_on_site": Route(
        kwargs=lambda w, s: {"content_type_id": w.group_type.pk, "object_id": w.group.pk}, ok={"GET": 404}, **ADMIN
    ),  # a group has no page on the site
    "admin:app_list": Route(kwargs=lambda w, s: {"app_label": "auth"}, **ADMIN),
    "admin:auth_group_changelist": Route(query={"q": "guides", "o": "1", "p": "1"}, **ADMIN),
    "admin:auth_group_add": Route(methods=GET_POST, form={"name": "Rédacteurs"}, text=("name",), **ADMIN),
    "admin:auth_group_history": Route(kwargs=group_pk, **ADMIN),
    "admin:auth_group_delete": Route(kwargs=group_pk, methods=GET_POST, form={"post": "yes"}, **ADMIN),
    "admin:auth_group_change": Route(
        kwargs=group_pk, methods=GET_POST, form={"name": "Guides"}, text=("name",), **ADMIN
    ),
    # No office's: the task results of the worker (any id, the admin refuses everyone but superusers first).
    **{
        f"admin:django_tasks_database_dbtaskresult_{page}": Route(
            kwargs=None if page in ("add", "changelist") else (lambda w, s: {"object_id": TASK_RESULT}),
            ok={"GET": status},
            **ADMIN,
        )
        for page, status in {**READ_ONLY_ADMIN, "delete": 403}.items()
    },
    # No office's: django-axes' log-in records (network-wide, superusers only in the admin).
    **{
        f"admin:axes_{model}_{page}": Route(
            kwargs=None if page in ("add", "changelist") else (lambda w, s: {"object_id": 1}),
            ok={"GET": status},
            **ADMIN,
        )
        for model in ("accessattempt", "accessfailurelog", "accesslog")
        for page, status in READ_ONLY_ADMIN.items()
    },
    **{name: route for model, record in OUR_ADMIN.items() for name, route in read_only_admin(model, record).items()},
}
