"""Rights on stay booklets, in the style of network.rules: functions of the acting membership.

Booklets belong to the office that made them. Its agents and managers (and administrators acting for it) build and
send them; read-only partners do not. The branding is the office's: its manager or its administrators set it.
"""

from acvs.network.models import Membership
from acvs.network.rules import EDITOR_ROLES, can_change_office


def can_build_booklets(m: Membership | None) -> bool:
    return m is not None and m.role in EDITOR_ROLES


def can_change_booklet(m: Membership | None, booklet) -> bool:
    return can_build_booklets(m) and booklet.office_id == m.office_id


def can_send_booklet(m: Membership | None, booklet) -> bool:
    return can_change_booklet(m, booklet)


def can_change_branding(m: Membership | None, office) -> bool:
    return can_change_office(m, office)
