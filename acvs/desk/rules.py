"""Rights on the counter, in the style of network.rules: functions of the acting membership.

Requests belong to the office that recorded them: only that office's members see them. Read-only partners
never record nor see them (they hold visitors' personal data).
"""

from acvs.network.models import Membership
from acvs.network.rules import EDITOR_ROLES


def can_use_desk(m: Membership | None) -> bool:
    """Sees the counter and its office's requests, records and follows them up."""
    return m is not None and m.role in EDITOR_ROLES


def can_record_requests(m: Membership | None) -> bool:
    return can_use_desk(m)


def can_change_request(m: Membership | None, visitor_request) -> bool:
    return can_use_desk(m) and visitor_request.office_id == m.office_id


def can_delete_request(m: Membership | None, visitor_request) -> bool:
    """Undo: the agent who recorded it, or a manager or administrator of the office."""
    if not can_change_request(m, visitor_request):
        return False
    return visitor_request.recorded_by_id == m.user_id or m.role != "agent"


def can_count_visitors(m: Membership | None) -> bool:
    return can_use_desk(m)
