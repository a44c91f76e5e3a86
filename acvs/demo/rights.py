"""The demo's rights and retention: in each office with contacts, one erased on request (after an export), one
asked whether to stay a few days ago, one asked more than the notice ago (the next nightly purge erases it)."""

import datetime

from django.db import transaction
from django.utils import timezone

from acvs.contacts import rights
from acvs.contacts.models import AccessAction, Contact
from acvs.network.models import Membership, Office, Role


def fill(offices: dict[str, Office]) -> dict:
    now = timezone.now()
    totals = {"erased": 0, "asked": 0}
    silent = now - datetime.timedelta(days=365 * 3 + 30)
    for office in offices.values():
        manager = Membership.objects.filter(office=office, role=Role.MANAGER).select_related("user").first()
        picked = list(Contact.objects.filter(office=office, erased_at=None).exclude(name="").order_by("pk")[:3])
        if manager is None or len(picked) < 3:
            continue
        erased, pending, overdue = picked
        with transaction.atomic():
            for action in (AccessAction.EXPORT_JSON, AccessAction.EXPORT_PDF):
                rights.log_access(office=office, contact=erased, user=manager.user, action=action)
            counts = rights.erase(erased)
            rights.log_access(office=office, contact=erased, user=manager.user, action=AccessAction.ERASE,
                              counts=counts)  # fmt: skip
        for contact, asked in (
            (pending, now - datetime.timedelta(days=5)),
            (overdue, now - datetime.timedelta(days=40)),
        ):
            Contact.objects.filter(pk=contact.pk).update(last_contact_at=silent, retention_asked_at=asked)
            rights.log_access(office=office, contact=contact, user=None, action=AccessAction.RETENTION_ASKED,
                              counts={"email": 1})  # fmt: skip
        totals["erased"] += 1
        totals["asked"] += 2
    return totals
