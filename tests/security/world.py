"""A small world for route-wide tests: the same objects for two offices, and one user per role.

`own` is the acting office (Cavalaire: its agent, manager and partner act for it); `other` is another office of the
same département (La Croix-Valmer), whose private objects no one of Cavalaire may reach. Every route of the catalogue
(tests/security/routes.py) builds its path from one side's objects, so a test can aim a route at either side.
Another tenant key (the provider accounts to come) adds its own pair of sides; routes say which in `scope`.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from acvs.agenda import services as agenda_services
from acvs.agenda.models import EventSchedule
from acvs.api import services as api_services
from acvs.api.models import ApiToken
from acvs.booklet import services as booklet_services
from acvs.booklet.models import Booklet, BookletItem
from acvs.campaigns import services as campaign_services
from acvs.campaigns.models import Block, Campaign, Recipient
from acvs.contacts import importing as contact_importing
from acvs.contacts import services as contact_services
from acvs.contacts.models import Contact, ContactImport, Segment
from acvs.contacts.services import ContactData
from acvs.core.models import Job
from acvs.desk import advice
from acvs.desk import services as desk_services
from acvs.desk.models import Theme, VisitorRequest
from acvs.desk.reference import ensure_themes
from acvs.desk.services import RequestData
from acvs.documentation import services as doc_services
from acvs.documentation.models import Document, MovementKind, Order, Place
from acvs.interop.models import ImportRun, LegacySource
from acvs.mailing.models import Answer, AnswerTemplate
from acvs.network.models import Department, Membership, Office, Role, User
from acvs.offer import providers
from acvs.offer.models import Offer, OfferPhoto, Provider
from tests.conftest import make_office, make_user, membership
from tests.factories import OfferFactory

# Who may act. "other_department_admin" administers another département (Alpes-de-Haute-Provence); "superuser" is
# the Django admin's. None of them belongs to the other office.
ROLES = (
    "agent", "manager", "partner", "department_admin", "other_department_admin", "network_admin", "anonymous",
    "superuser",
)  # fmt: skip


@dataclass
class Side:
    """One office and one object of each kind it owns (or, for orders, placed)."""

    office: Office
    agent: User
    offer: Offer  # an accommodation (availability applies)
    photo: OfferPhoto
    event: Offer
    schedule: EventSchedule
    provider: Provider
    visitor_request: VisitorRequest  # with `offer` suggested
    booklet: Booklet
    item: BookletItem
    document: Document  # kept by the office, some copies in its stock
    order: Order  # placed by the office to the CDT
    job: Job  # a failed sending of its booklet
    answer_template: AnswerTemplate  # in German, the language of its request
    answer: Answer  # a failed answer to its request
    contact: Contact  # in its prospect file, with a consent
    duplicate: Contact  # the same person typed twice (for the merge)
    segment: Segment
    import_run: ImportRun  # a checked import, awaiting confirmation
    campaign: Campaign | None = None  # a draft to its newsletter segment, one block in French
    block: Block | None = None
    recipient: Recipient | None = None  # a row of an earlier sending, for the signed links
    manager: User | None = None
    api_token: ApiToken | None = None  # made by its manager, may read and write
    api_key: str = ""  # the token in clear
    contact_import: ContactImport | None = None  # a checked contact file, awaiting confirmation
    legacy_run: ImportRun | None = None  # a former base's file, its columns to map

    @property
    def membership(self) -> Membership:
        return Membership.objects.get(user=self.agent, office=self.office)


@dataclass
class World:
    own: Side
    other: Side
    users: dict[str, User | None]  # role -> user (anonymous: None)
    guide: Document  # the CDT's, which both offices order
    group: Group  # for the admin site's pages
    group_type: ContentType

    def side(self, name: str) -> Side:
        return getattr(self, name)

    def refresh(self):
        """Versions move as forms save: the next form posts the current one."""
        for side in (self.own, self.other):
            for obj in (side.offer, side.visitor_request, side.booklet, side.document):
                obj.refresh_from_db()


def login(client, world: World, role: str):
    """Act as `role` (anonymous: logged out)."""
    client.logout()
    if world.users[role] is not None:
        client.force_login(world.users[role])


def build_side(office: Office, agent: User, supplier: Office, guide: Document) -> Side:
    m = membership(agent)
    offer = OfferFactory(name=f"Hôtel du port ({office.slug})", owner_office=office, commune=office.territory.get())
    photo = OfferPhoto.objects.create(offer=offer, image="offers/photos/missing.jpg", caption="Le port", position=0)
    event = OfferFactory(name=f"Fête du village ({office.slug})", owner_office=office, types=["Festival"],
                         commune=office.territory.get())  # fmt: skip
    today = datetime.date.today()
    schedule = agenda_services.schedule_add(
        offer=event, membership=m, data={"start_date": today, "end_date": today + datetime.timedelta(days=3)}
    )
    provider = providers.provider_save(membership=m, fields={"name": f"SARL du port ({office.slug})"}, contacts=[])
    visitor_request = desk_services.request_create(
        membership=m,
        data=RequestData(
            fields={"origin": "abroad", "country": "DE", "adults": 2, "language": "de", "outcome": "fully"},
            themes=list(Theme.objects.all()[:1]),
        ),
    )
    advice.suggestion_add(membership=m, visitor_request=visitor_request, offer=offer)
    booklet = booklet_services.booklet_create(membership=m, title=f"Séjour ({office.slug})")
    item = booklet_services.item_add(membership=m, booklet=booklet, offer=offer)
    pdf = ContentFile(b"%PDF-1.4\n%%EOF\n", name="plan.pdf")
    document = Document.objects.create(title=f"Plan de {office.slug}", language="fr", publisher=office,
                                       managed_by=office, pdf=pdf)  # fmt: skip
    for place in (Place.COUNTER, Place.STOREROOM):
        doc_services.movement_record(membership=m, document=document, kind=MovementKind.RECEIVED, quantity=50,
                                     place=place)  # fmt: skip
    order = doc_services.order_create(membership=m, supplier=supplier, lines={guide: 10})
    job = Job.objects.create(kind="booklet.send", office=office, user=agent, language="fr", status=Job.Status.FAILED,
                             target=booklet)  # fmt: skip
    contact = contact_services.contact_create(
        membership=m,
        data=ContactData(fields={"name": f"Famille Martin ({office.slug})"}, emails=[f"martin@{office.slug}.example"]),
    )
    contact_services.consent_record(
        membership=m, contact=contact, purpose="newsletter", given=True, text="Oui.", face_to_face=True
    )
    # Asked by phone: awaiting the confirmation emailed (the link and the agent's "send again" act on it).
    contact_services.consent_record(membership=m, contact=contact, purpose="network", given=True, text="J’accepte.")
    duplicate = contact_services.contact_create(
        membership=m, data=ContactData(fields={"name": f"Famille Martin ({office.slug})"})
    )
    segment = contact_services.segment_save(membership=m, name="Allemands", criteria={"country": "DE"})
    import_run = ImportRun.objects.create(office=office, started_by=agent, filename="flux.zip")
    legacy_run = ImportRun.objects.create(
        office=office, started_by=agent, source="legacy", filename="base.csv", status="mapping",
        legacy_source=LegacySource.objects.create(office=office, label="Ancienne base"),
        table={"header": ["Nom", "Type", "Commune"], "rows": [["Hôtel importé", "Hôtel", office.territory.get().insee]],
               "encoding": "utf-8"},
    )  # fmt: skip
    contact_import = contact_importing.import_upload(
        membership=m, name="salon.csv", content=f"Nom;Email\nAnna;anna@{office.slug}.example\n".encode(), source="Salon"
    )
    contact_import = contact_importing.import_map(membership=m, run=contact_import, columns=contact_import.columns,
                                                  origin="", consent_text="")  # fmt: skip
    answer_template = AnswerTemplate.objects.create(
        office=office, language="de", name="Auskunft", subject="Ihr Aufenthalt", body="{greeting}\n\n{signature}"
    )
    answer = Answer.objects.create(
        visitor_request=visitor_request, template=answer_template, to="ann@example.org", subject="Ihr Aufenthalt",
        body="Guten Tag,", by=agent, status=Answer.Status.FAILED, error="550 refused", message_id="<a@acvs.example>",
    )  # fmt: skip
    newsletter = contact_services.segment_save(membership=m, name="Lettre", criteria={"consent": "newsletter"})
    campaign = campaign_services.campaign_save(membership=m, campaign=None, name="Printemps", purpose="newsletter",
                                               subjects={"fr": "Le printemps"}, segments=[newsletter])  # fmt: skip
    block = campaign_services.block_save(membership=m, campaign=campaign, block=None, language="fr", kind="title",
                                         text="Bonjour {name}")  # fmt: skip
    recipient = Recipient.objects.create(campaign=campaign, contact=contact, email=contact.emails.get().email,
                                         language="fr", status=Recipient.Status.SENT)  # fmt: skip
    return Side(
        office, agent, offer, photo, event, schedule, provider, visitor_request, booklet, item, document, order, job,
        answer_template, answer, contact, duplicate, segment, import_run, contact_import=contact_import,
        legacy_run=legacy_run,
        campaign=campaign, block=block, recipient=recipient,
    )  # fmt: skip


def build_world() -> World:
    """The offices and people of tests/conftest.py (same names), an administrator of the other département, and
    the objects of both sides."""
    ensure_themes(Theme)
    var, ahp = Department.objects.get(code="83"), Department.objects.get(code="04")
    cavalaire = make_office("Office de tourisme de Cavalaire", "cavalaire", var, ["83036"])
    croix_valmer = make_office("Office de tourisme de La Croix-Valmer", "la-croix-valmer", var, ["83048"])
    cdt_var = make_office("Var Tourisme (CDT)", "cdt-var", var, [], kind=Office.Kind.CDT)
    cdt_ahp = make_office("Alpes-de-Haute-Provence Tourisme", "cdt-ahp", ahp, [], kind=Office.Kind.CDT)
    users = {
        "agent": make_user("agent", cavalaire, Role.AGENT),
        "manager": make_user("manager", cavalaire, Role.MANAGER),
        "partner": make_user("partner", cavalaire, Role.PARTNER),
        "department_admin": make_user("depadmin", cdt_var, Role.DEPARTMENT_ADMIN),
        "other_department_admin": make_user("ahpadmin", cdt_ahp, Role.DEPARTMENT_ADMIN),
        "network_admin": make_user("netadmin", cdt_var, Role.NETWORK_ADMIN),
        "anonymous": None,
        "superuser": User.objects.create_superuser("root", "root@example.org", "root-password"),
    }
    other_agent = make_user("other", croix_valmer, Role.AGENT)
    users["other_manager"] = make_user("othermanager", croix_valmer, Role.MANAGER)  # the control of its settings
    guide = Document.objects.create(title="Guide du Var", language="fr", publisher=cdt_var, managed_by=cdt_var)
    own = build_side(cavalaire, users["agent"], cdt_var, guide)
    other = build_side(croix_valmer, other_agent, cdt_var, guide)
    own.manager, other.manager = users["manager"], users["other_manager"]
    for side in (own, other):
        side.api_token, side.api_key = api_services.token_create(
            membership=membership(side.manager), name=f"Site web ({side.office.slug})", scopes=["read", "write"]
        )
    group = Group.objects.create(name="Guides")
    return World(own, other, users, guide, group, ContentType.objects.get_for_model(Group))
