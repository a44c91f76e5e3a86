"""The single permission layer: what a membership (a user acting for an office) may do.

Every view, form, API endpoint and service asks here; nothing else decides rights. `RULES` at the end names each
decision (a function of the membership, or of the membership and an object); views declare the rule of their page
with `@requires("desk.use")` and the API will read the same names.

- Everyone in the network reads every offer, provider and catalogue document; writing follows ownership and role.
- An office's private data (requests, booklets, stock, orders) is its own: its agents and managers, and
  administrators acting for it; read-only partners never write, nor see visitors' personal data. Which rows an
  office reaches at all is the tenancy scope's business (core.tenancy); these rules decide what it may do.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Department, Membership, Office, Role

ADMIN_ROLES = {Role.NETWORK_ADMIN, Role.DEPARTMENT_ADMIN}
# Roles that manage people or offices: losing the last of them locks a person out of these pages.
MANAGING_ROLES = ADMIN_ROLES | {Role.MANAGER}
EDITOR_ROLES = {Role.NETWORK_ADMIN, Role.DEPARTMENT_ADMIN, Role.MANAGER, Role.AGENT}

# Which roles each role may grant.
GRANTABLE = {
    Role.NETWORK_ADMIN: list(Role),
    Role.DEPARTMENT_ADMIN: [Role.DEPARTMENT_ADMIN, Role.MANAGER, Role.AGENT, Role.PARTNER],
    Role.MANAGER: [Role.MANAGER, Role.AGENT, Role.PARTNER],
}


def is_network_admin(m: Membership | None) -> bool:
    return m is not None and m.role == Role.NETWORK_ADMIN


def governs_office(m: Membership | None, office: Office) -> bool:
    """True when the membership administers `office` (network-wide or in its département)."""
    if m is None:
        return False
    if m.role == Role.NETWORK_ADMIN:
        return True
    return m.role == Role.DEPARTMENT_ADMIN and office.department_id == m.office.department_id


def can_write_for_office(m: Membership | None, office_id: int, department_id: int) -> bool:
    """May edit records owned by the office `office_id` of département `department_id`."""
    if m is None or m.role not in EDITOR_ROLES:
        return False
    if m.role == Role.NETWORK_ADMIN:
        return True
    if m.role == Role.DEPARTMENT_ADMIN:
        return department_id == m.office.department_id
    return office_id == m.office_id


def can_create_offers(m: Membership | None) -> bool:
    return m is not None and m.role in EDITOR_ROLES


def can_change_offer(m: Membership | None, offer) -> bool:
    owner = offer.owner_office
    return can_write_for_office(m, owner.pk, owner.department_id)


def can_choose_owner(m: Membership | None) -> bool:
    return m is not None and m.role in ADMIN_ROLES


def can_import_offers(m: Membership | None) -> bool:
    """Imports another system's offers for the acting office: its managers and its administrators."""
    return m is not None and m.role in MANAGING_ROLES


def can_manage_network(m: Membership | None) -> bool:
    """Sees the network management pages; an office manager sees them for their own office only."""
    return m is not None and m.role in MANAGING_ROLES


def can_manage_departments(m: Membership | None) -> bool:
    return is_network_admin(m)


def can_audit_logins(m: Membership | None) -> bool:
    """Failed log-ins and lock-outs of the whole network: network administrators only."""
    return is_network_admin(m)


def departments_managed(m: Membership | None):
    """Départements where this membership may create offices or move them to."""
    if is_network_admin(m):
        return Department.objects.all()
    if m is not None and m.role == Role.DEPARTMENT_ADMIN:
        return Department.objects.filter(pk=m.office.department_id)
    return Department.objects.none()


def can_create_office(m: Membership | None, department_id: int | None = None) -> bool:
    if is_network_admin(m):
        return True
    return (
        m is not None
        and m.role == Role.DEPARTMENT_ADMIN
        and (department_id is None or department_id == m.office.department_id)
    )


def can_change_office(m: Membership | None, office: Office) -> bool:
    """Contact details and logo: the office's own manager, or its administrators."""
    if governs_office(m, office):
        return True
    return m is not None and m.role == Role.MANAGER and m.office_id == office.pk


def can_change_office_structure(m: Membership | None, office: Office) -> bool:
    """Kind, département and territory: administrators only."""
    return governs_office(m, office)


def can_manage_members(m: Membership | None, office: Office) -> bool:
    return can_change_office(m, office)


def grantable_roles(m: Membership | None, office: Office) -> list[Role]:
    if not can_manage_members(m, office):
        return []
    if m.role == Role.NETWORK_ADMIN:
        return list(Role)
    if m.role == Role.DEPARTMENT_ADMIN:
        # A département administrator's role only makes sense in an office of that département.
        return GRANTABLE[Role.DEPARTMENT_ADMIN]
    return GRANTABLE[Role.MANAGER]


def offices_managed(m: Membership | None):
    """Offices whose members and details this membership may manage."""
    qs = Office.objects.select_related("department")
    if m is None:
        return qs.none()
    if m.role == Role.NETWORK_ADMIN:
        return qs
    if m.role == Role.DEPARTMENT_ADMIN:
        return qs.filter(department_id=m.office.department_id)
    if m.role == Role.MANAGER:
        return qs.filter(pk=m.office_id)
    return qs.none()


def can_change_membership(m: Membership | None, target: Membership) -> bool:
    """Change the role of, or deactivate, `target`: only someone who could have granted its current role."""
    return target.role in grantable_roles(m, target.office)


def keeps_management(
    m: Membership | None, *, membership: Membership | None = None, role: str | None = None, office: Office | None = None
) -> bool:
    """False when a change would leave the acting person without any managing role, locking them out by mistake.

    The change is either `membership` taking `role` (None: deactivated) or `office` being deactivated.
    """
    if m is None:
        return False
    if membership is not None and (membership.user_id != m.user_id or role in MANAGING_ROLES):
        return True
    remaining = Membership.objects.filter(
        user_id=m.user_id, is_active=True, office__is_active=True, role__in=MANAGING_ROLES
    )
    if membership is not None:
        remaining = remaining.exclude(pk=membership.pk)
    if office is not None:
        remaining = remaining.exclude(office=office)
    return remaining.exists()


# Providers ---------------------------------------------------------------------------------------------------------


def can_change_provider(m: Membership | None, provider) -> bool:
    owner = provider.owner_office
    return can_write_for_office(m, owner.pk, owner.department_id)


# The counter -------------------------------------------------------------------------------------------------------
# Requests belong to the office that recorded them. Read-only partners never record nor see them (personal data).


def can_manage_api_tokens(m: Membership | None) -> bool:
    """Creates and revokes the office's API tokens: its manager, or an administrator acting for it."""
    return m is not None and m.role in MANAGING_ROLES


def can_use_desk(m: Membership | None) -> bool:
    """Sees the counter and its office's requests, records and follows them up."""
    return m is not None and m.role in EDITOR_ROLES


def can_record_requests(m: Membership | None) -> bool:
    return can_use_desk(m)


def can_count_visitors(m: Membership | None) -> bool:
    return can_use_desk(m)


def can_change_request(m: Membership | None, visitor_request) -> bool:
    return can_use_desk(m) and visitor_request.office_id == m.office_id


def can_delete_request(m: Membership | None, visitor_request) -> bool:
    """Undo: the agent who recorded it, or a manager or administrator of the office."""
    if not can_change_request(m, visitor_request):
        return False
    return visitor_request.recorded_by_id == m.user_id or m.role != Role.AGENT


def can_change_themes(m: Membership | None) -> bool:
    """The themes' offer types are the network's, used by every office's advice: network administrators."""
    return is_network_admin(m)


def can_change_desk_settings(m: Membership | None) -> bool:
    return m is not None and can_change_office(m, m.office)


# Contacts ----------------------------------------------------------------------------------------------------------
# Each office's prospect file is its own (personal data): its agents and managers, administrators acting for it;
# read-only partners never see it. Other offices, the département and the network only get aggregates.


def can_use_contacts(m: Membership | None) -> bool:
    return m is not None and m.role in EDITOR_ROLES


def can_change_contact(m: Membership | None, contact) -> bool:
    return can_use_contacts(m) and contact.office_id == m.office_id


def can_erase_contacts(m: Membership | None) -> bool:
    """Erasure cannot be undone: the office's manager (or its administrators) decide; they also read the access log
    of exports and erasures."""
    return can_use_contacts(m) and can_change_office(m, m.office)


def campaign_reaches(m: Membership | None) -> list[str]:
    """The reaches of the campaigns this membership may prepare and send (campaigns.Campaign.Reach values): its own
    office's contacts; for a département's administrators also the contacts of the département's offices, for
    network administrators those of every office (counts only, never a list: campaigns.selectors)."""
    if not can_use_contacts(m):
        return []
    if m.role == Role.NETWORK_ADMIN:
        return ["office", "department", "network"]
    if m.role == Role.DEPARTMENT_ADMIN:
        return ["office", "department"]
    return ["office"]


def can_send_network_campaigns(m: Membership | None) -> bool:
    return len(campaign_reaches(m)) > 1


# Stay booklets -----------------------------------------------------------------------------------------------------
# Booklets belong to the office that made them; its branding is set by its manager or its administrators.


def can_build_booklets(m: Membership | None) -> bool:
    return m is not None and m.role in EDITOR_ROLES


def can_change_booklet(m: Membership | None, booklet) -> bool:
    return can_build_booklets(m) and booklet.office_id == m.office_id


def can_send_booklet(m: Membership | None, booklet) -> bool:
    return can_change_booklet(m, booklet)


def can_change_branding(m: Membership | None, office) -> bool:
    return can_change_office(m, office)


# Written answers ---------------------------------------------------------------------------------------------------
# Agents answer their office's requests; the office's model answers and its answer-time figures are its manager's
# (or its administrators', acting for it).


def can_answer_requests(m: Membership | None) -> bool:
    return can_use_desk(m)


def can_answer_request(m: Membership | None, visitor_request) -> bool:
    return can_change_request(m, visitor_request)


def can_manage_answer_templates(m: Membership | None) -> bool:
    return m is not None and can_change_office(m, m.office)


# The documentation stock -------------------------------------------------------------------------------------------
# Everyone with a membership reads the catalogue, its own office's stock and the network's stock levels (not
# personal data). An office's stock changes only by its own agents, managers and administrators acting for it: even
# a network administrator changes another office's stock only by switching to it. A catalogue record is kept by the
# office that created it. An order is seen by its two offices only; the supplier accepts, refuses and ships, the
# requester receives or cancels.


def can_use_documentation(m: Membership | None) -> bool:
    return m is not None


def can_change_stock(m: Membership | None, office) -> bool:
    return m is not None and m.role in EDITOR_ROLES and office is not None and m.office_id == office.pk


def can_create_documents(m: Membership | None) -> bool:
    return m is not None and m.role in EDITOR_ROLES


def can_change_document(m: Membership | None, document) -> bool:
    keeper = document.managed_by
    return can_write_for_office(m, keeper.pk, keeper.department_id)


def can_order(m: Membership | None) -> bool:
    return m is not None and m.role in EDITOR_ROLES


def can_see_order(m: Membership | None, order) -> bool:
    return m is not None and m.office_id in (order.requester_id, order.supplier_id)


def can_act_on_orders(m: Membership | None) -> bool:
    """The role may take an order's steps (for its own office's side): not a read-only partner."""
    return m is not None and m.role in EDITOR_ROLES


# Which side moves an order on, and from which statuses (documentation.models.OrderStatus values).
ORDER_STEPS = {
    "accept": ("supplier", {"requested"}),
    "refuse": ("supplier", {"requested", "accepted"}),
    "ship": ("supplier", {"accepted"}),
    "receive": ("requester", {"shipped"}),
    "cancel": ("requester", {"requested", "accepted"}),
}


def can_act_on_order(m: Membership | None, order, step: str) -> bool:
    """May take `step` on `order` now (right side, right role, right status)."""
    side, statuses = ORDER_STEPS[step]
    return order.status in statuses and can_act_on_orders(m) and m.office_id == getattr(order, f"{side}_id")


def order_actions(m: Membership | None, order) -> list[str]:
    return [step for step in ORDER_STEPS if can_act_on_order(m, order, step)]


# The observatory ---------------------------------------------------------------------------------------------------
# An office's figures are its own (like its requests); a département's and the network's sum several offices'
# and are for their administrators. They are aggregates: small figures are suppressed across offices.


def can_see_office_figures(m: Membership | None) -> bool:
    return can_use_desk(m)


def can_see_department_figures(m: Membership | None, department: Department | None = None) -> bool:
    """A département administrator sees their own département's; network administrators every one."""
    if m is None or m.role not in ADMIN_ROLES:
        return False
    return m.role == Role.NETWORK_ADMIN or department is None or department.pk == m.office.department_id


# The table of rules --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    check: Callable[..., bool]  # (membership) for a page, (membership, object) for an object
    refusal: str | Promise = _("Your role does not allow this.")
    of_object: bool = False


RULES: dict[str, Rule] = {
    # Pages: what a membership may open, whatever the object.
    "network.manage": Rule(can_manage_network),
    "network.departments": Rule(can_manage_departments),
    "network.admin": Rule(is_network_admin, _("Only network administrators can do this.")),
    "network.logins": Rule(can_audit_logins, _("Only network administrators can do this.")),
    "offer.create": Rule(can_create_offers),
    "offer.import": Rule(can_import_offers, _("Only the office’s managers and its administrators can import offers.")),
    "api.tokens": Rule(can_manage_api_tokens, _("Only the office manager can manage its API tokens.")),
    "desk.use": Rule(can_use_desk, _("Your role does not give access to the counter.")),
    "desk.settings": Rule(can_change_desk_settings, _("Only the office manager can change the counter settings.")),
    "desk.themes": Rule(can_change_themes, _("Only network administrators can change what the themes propose.")),
    "contacts.use": Rule(can_use_contacts, _("Your role does not give access to the contacts.")),
    "contacts.export": Rule(can_use_contacts, _("Your role does not give access to the contacts.")),
    "contacts.erase": Rule(
        can_erase_contacts, _("Only the office’s manager or its administrators can erase a contact.")
    ),
    "contacts.access_log": Rule(
        can_erase_contacts, _("Only the office’s manager or its administrators read the access log.")
    ),
    "campaigns.network": Rule(
        can_send_network_campaigns,
        _("Only the département’s and the network’s administrators prepare their campaigns."),
    ),
    "booklet.build": Rule(can_build_booklets, _("Your role does not allow building stay booklets.")),
    "booklet.branding": Rule(
        lambda m: m is not None and can_change_branding(m, m.office),
        _("Only the office’s manager or its administrators can change its branding."),
    ),
    "mailing.answer": Rule(can_answer_requests, _("Your role does not allow answering requests.")),
    "mailing.manage": Rule(
        can_manage_answer_templates, _("Only the office’s manager or its administrators can manage its answers.")
    ),
    "documentation.use": Rule(can_use_documentation, _("You need a role in an office to see the documentation stock.")),
    "documentation.create": Rule(can_create_documents),
    "documentation.order": Rule(can_order),
    "observatory.office": Rule(can_see_office_figures, _("Your role does not give access to the office’s figures.")),
    "observatory.department": Rule(
        can_see_department_figures, _("Only département and network administrators see a département’s figures.")
    ),
    "observatory.network": Rule(is_network_admin, _("Only network administrators can do this.")),
    # Objects: what a membership may do with one of them.
    "offer.change": Rule(can_change_offer, of_object=True),
    "provider.change": Rule(can_change_provider, of_object=True),
    "office.change": Rule(can_change_office, of_object=True),
    "office.change_structure": Rule(can_change_office_structure, of_object=True),
    "office.members": Rule(can_manage_members, of_object=True),
    "membership.change": Rule(can_change_membership, of_object=True),
    "request.change": Rule(can_change_request, of_object=True),
    "request.delete": Rule(can_delete_request, of_object=True),
    "contact.change": Rule(can_change_contact, of_object=True),
    "request.answer": Rule(can_answer_request, of_object=True),
    "booklet.change": Rule(can_change_booklet, of_object=True),
    "booklet.send": Rule(can_send_booklet, of_object=True),
    "stock.change": Rule(can_change_stock, of_object=True),  # the object: the office whose stock it is
    "document.change": Rule(can_change_document, of_object=True),
    "order.see": Rule(can_see_order, of_object=True),
    "department.figures": Rule(can_see_department_figures, of_object=True),
}


def allowed(m: Membership | None, name: str, obj=None) -> bool:
    rule = RULES[name]
    return rule.check(m, obj) if rule.of_object else rule.check(m)


def requires(name: str):
    """Declare a view's page rule: refused with 403 (and the rule's reason) when the membership lacks it.

    The view keeps the name in `required_rule`, for the API and the tests to read.
    """
    rule = RULES[name]
    if rule.of_object:
        raise ValueError(f"{name} is a rule of an object: a view checks it once it has the object")

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not rule.check(request.membership):
                raise PermissionDenied(str(rule.refusal))
            return view(request, *args, **kwargs)

        wrapper.required_rule = name
        return wrapper

    return decorate
