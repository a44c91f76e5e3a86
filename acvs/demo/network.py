"""The demo network: the real CDTs, unions and tourist offices of Var and Alpes-de-Haute-Provence, and their users.

Addresses and phone numbers are the offices' public ones; e-mail addresses use .example domains so that the demo
never writes to a real mailbox.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType

from acvs.contacts.models import Contact
from acvs.core.models import AuditEntry
from acvs.desk.models import VisitorRequest
from acvs.network.models import Commune, Department, Membership, Office, Role, User
from acvs.offer.models import Offer, Provider

from .names import FIRST_NAMES, LAST_NAMES, slug

PASSWORD = "acvs-demo-2026"
K = Office.Kind


@dataclass(frozen=True)
class OfficeSpec:
    slug: str
    name: str
    kind: str
    department: str
    seat: str  # INSEE code of the commune the office sits in
    address: str  # street part; the UI adds the seat's postcode and name
    phone: str = ""
    website: str = ""
    territory: tuple[str, ...] = ()  # INSEE codes
    epci: str = ""  # every commune of this intercommunality (CSV column nom_epci)...
    exclude: tuple[str, ...] = ()  # ...except these

    @property
    def domain(self) -> str:
        host = self.website.removeprefix("https://").removeprefix("www.")
        return (host.rsplit(".", 1)[0] if host else self.slug) + ".example"


OFFICES = [
    OfficeSpec("var-tourisme", "Var Tourisme", K.CDT, "83", "83137", "1 boulevard de Strasbourg", "04 94 18 59 60",
               "https://www.visitvar.fr"),
    OfficeSpec("ahp-tourisme", "Alpes-de-Haute-Provence Tourisme", K.CDT, "04", "04070", "19 rue du Docteur Honnorat",
               "04 92 31 57 29", "https://www.tourisme-alpes-haute-provence.com"),
    OfficeSpec("udotsi-var", "UDOTSI Var", K.UNION, "83", "83144", ""),
    OfficeSpec("udotsi-04", "UDOTSI 04", K.UNION, "04", "04094", ""),
    OfficeSpec("la-croix-valmer", "Office de tourisme de La Croix-Valmer", K.OT, "83", "83048", "Esplanade de la Gare",
               "04 94 55 12 12", "https://www.lacroixvalmertourisme.com", ("83048",)),
    OfficeSpec("cavalaire", "Office de tourisme de Cavalaire-sur-Mer", K.OT, "83", "83036", "Maison de la Mer",
               "04 94 01 92 10", "https://www.cavalairesurmer.fr", ("83036",)),
    OfficeSpec("provence-verte", "Office intercommunal du tourisme de La Provence Verte", K.OTI, "83", "83023",
               "Carrefour de l'Europe", "04 94 72 04 21", "https://www.la-provence-verte.net",
               epci="CA de la Provence Verte"),
    OfficeSpec("ramatuelle", "Office de tourisme de Ramatuelle", K.OT, "83", "83101", "1 place de l'Ormeau",
               "04 98 12 64 00", "https://www.ramatuelle-tourisme.com", ("83101",)),
    OfficeSpec("toulon", "Office de tourisme de Toulon", K.OT, "83", "83137", "12 place Louis Blanc", "04 94 18 53 00",
               "https://www.toulontourisme.com", ("83137",)),
    OfficeSpec("saint-tropez", "Office de tourisme de Saint-Tropez", K.OT, "83", "83119", "Quai Jean Jaurès",
               "04 94 97 45 21", "https://www.sainttropeztourisme.com", ("83119",)),
    OfficeSpec("sainte-maxime", "Office de tourisme de Sainte-Maxime", K.OT, "83", "83115",
               "1 promenade Aymeric Simon-Lorière", "04 94 55 75 55", "https://www.sainte-maxime.com", ("83115",)),
    OfficeSpec("hyeres", "Office de tourisme d'Hyères", K.OT, "83", "83069", "Rotonde du Park Hôtel, avenue de "
    "Belgique",
               "04 94 01 84 50", "https://www.hyeres-tourisme.com", ("83069",)),
    OfficeSpec("esterel-cote-azur", "Office de tourisme intercommunal Estérel Côte d'Azur", K.OTI, "83", "83118",
               "99 quai Albert Ier", "04 94 19 52 52", "https://www.esterel-cotedazur.com",
               epci="CA Estérel Côte d'Azur Agglomération"),
    OfficeSpec("greoux-les-bains", "Office de tourisme de Gréoux-les-Bains", K.OT, "04", "04094",
               "5 avenue des Marronniers", "04 92 78 01 08", "https://www.greoux-les-bains.com",
               ("04094", "04189", "04081")),
    OfficeSpec("barcelonnette", "Office de tourisme de Barcelonnette – Vallée de l'Ubaye", K.OTI, "04", "04019",
               "Place Frédéric Mistral", "04 92 81 04 71", "https://www.ubaye.com",
               epci="CC Vallée de l'Ubaye - Serre-Ponçon"),
    OfficeSpec("manosque", "Office de tourisme de Manosque", K.OT, "04", "04112", "Place du Docteur Joubert",
               "04 92 72 16 00", "https://www.manosque-tourisme.com", ("04112", "04245", "04152", "04197", "04242")),
    OfficeSpec("digne-les-bains", "Office de tourisme Provence Alpes Digne-les-Bains", K.OTI, "04", "04070",
               "Place du Tampinet", "04 92 36 62 62", "https://www.dignelesbains-tourisme.com",
               epci="CA Provence-Alpes-Agglomération", exclude=("04135", "04176")),
    OfficeSpec("verdon", "Verdon Tourisme – Castellane", K.OTI, "04", "04039", "Rue Nationale", "04 92 83 61 14",
               "https://www.verdontourisme.com", epci='CC Alpes-Provence-Verdon "Sources de lumière"'),
    OfficeSpec("moustiers", "Office de tourisme de Moustiers-Sainte-Marie", K.OT, "04", "04135", "Place de l'Église",
               "04 92 74 67 84", "https://www.moustiers.fr", ("04135", "04176")),
]  # fmt: skip
SLUGS = [o.slug for o in OFFICES]
CDT_OF = {"83": "var-tourisme", "04": "ahp-tourisme"}
LOCAL = [o for o in OFFICES if o.kind not in (K.CDT, K.UNION)]

# (username, role, office slugs); one counter agent per office not listed here is added as accueil.<slug>.
USERS = [
    ("reseau", Role.NETWORK_ADMIN, ["var-tourisme"]),
    ("cdt.var", Role.DEPARTMENT_ADMIN, ["var-tourisme"]),
    ("cdt.ahp", Role.DEPARTMENT_ADMIN, ["ahp-tourisme"]),
    ("direction.cavalaire", Role.MANAGER, ["cavalaire"]),
    ("accueil.cavalaire", Role.AGENT, ["cavalaire"]),
    ("accueil.croixvalmer", Role.AGENT, ["la-croix-valmer"]),
    ("direction.greoux", Role.MANAGER, ["greoux-les-bains"]),
    ("accueil.greoux", Role.AGENT, ["greoux-les-bains"]),
    ("accueil.barcelonnette", Role.AGENT, ["barcelonnette"]),
    ("partenaire.var", Role.PARTNER, ["var-tourisme"]),
    ("multi", Role.AGENT, ["cavalaire", "ramatuelle"]),
]
_listed = {s for _, _, slugs in USERS if len(slugs) == 1 for s in slugs}
USERS += [(f"accueil.{o.slug}", Role.AGENT, [o.slug]) for o in LOCAL if o.slug not in _listed]
USERNAMES = ["admin", *(u for u, _, _ in USERS)]


def territory_codes(spec: OfficeSpec) -> list[str]:
    if spec.epci:
        codes = Commune.objects.filter(epci_name=spec.epci).values_list("insee", flat=True)
        return sorted(set(codes) - set(spec.exclude))
    return list(spec.territory)


def create_offices() -> dict[str, Office]:
    departments = {d.code: d for d in Department.objects.filter(code__in=["04", "83"])}
    offices = {}
    for spec in OFFICES:
        office = Office.objects.create(
            name=spec.name,
            slug=spec.slug,
            kind=spec.kind,
            department=departments[spec.department],
            commune_id=spec.seat,
            address=spec.address,
            phone=spec.phone,
            email=f"info@{spec.domain}" if spec.website else "",
            website=spec.website,
        )
        office.territory.set(territory_codes(spec))
        offices[spec.slug] = office
    return offices


def create_users(rng, offices: dict[str, Office]) -> dict[str, list[User]]:
    """All demo users with the one documented password; returns the users of each office."""
    hashed = make_password(PASSWORD)  # hashing is slow on purpose: hash once, share it
    User.objects.create(
        username="admin", password=hashed, first_name="Admin", last_name="ACVS", email="admin@acvs.example",
        is_staff=True, is_superuser=True,
    )  # fmt: skip
    specs = {o.slug: o for o in OFFICES}
    by_office: dict[str, list[User]] = {slug: [] for slug in offices}
    memberships = []
    for username, role, slugs in USERS:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        user = User.objects.create(
            username=username, password=hashed, first_name=first, last_name=last,
            email=f"{slug(first)}.{slug(last)}@{specs[slugs[0]].domain}",
        )  # fmt: skip
        for s in slugs:
            memberships.append(Membership(user=user, office=offices[s], role=role))
            by_office[s].append(user)
    Membership.objects.bulk_create(memberships)
    return by_office


def delete_demo() -> None:
    """Remove what a previous load_demo created (offers, providers, memberships, users, offices)."""
    offices = Office.objects.filter(slug__in=SLUGS)
    VisitorRequest.objects.filter(office__in=offices).delete()  # protected: they keep the office's statistics
    Contact.objects.filter(office__in=offices).delete()  # protected: the prospect file is deleted on purpose
    offers = Offer.objects.filter(owner_office__in=offices)
    AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Offer), object_id__in=offers.values("pk")
    ).delete()
    offers.delete()
    Provider.objects.filter(owner_office__in=offices).delete()
    User.objects.filter(username__in=USERNAMES).delete()
    offices.delete()
