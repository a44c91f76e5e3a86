"""The writes that change a département's published offers mark it for the worker (`services.mark_departments`):
an offer saved (its status, its commune), deleted, or its types changed. Through the model's signals, so that every
path (services, imports, the admin) is heard; bulk writes that bypass them are followed by
`manage.py observatory_recount` (without --office)."""

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from acvs.network.models import Commune
from acvs.offer.models import Offer

from . import services


def _departments(commune_ids) -> set[int]:
    return set(Commune.objects.filter(pk__in=list(commune_ids)).values_list("department", flat=True))


def _loaded(sender, instance, **kwargs):
    # The commune as read (not a deferred field read again): the département an offer leaves when it moves.
    instance._observatory_commune_before = instance.__dict__.get("commune_id")


def _saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not {"status", "commune"} & set(update_fields)):
        return
    communes = {instance.commune_id, getattr(instance, "_observatory_commune_before", None)} - {None}
    services.mark_departments(_departments(communes))
    instance._observatory_commune_before = instance.commune_id


def _deleted(sender, instance, **kwargs):
    services.mark_departments(_departments([instance.commune_id]))


def _types_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        return
    if not reverse:
        if action != "pre_clear":
            services.mark_departments(_departments([instance.commune_id]))
        return
    # From a type's side: the offers added or removed (or, on clear, all of the type's before it is cleared).
    if action == "pre_clear":
        offers = instance.offers.all()
    elif action == "post_clear":
        return
    else:
        offers = Offer.objects.filter(pk__in=pk_set or [])
    services.mark_departments(set(offers.values_list("commune__department", flat=True)))


def connect() -> None:
    post_init.connect(_loaded, sender=Offer, dispatch_uid="observatory_offer_loaded")
    post_save.connect(_saved, sender=Offer, dispatch_uid="observatory_offer_saved")
    post_delete.connect(_deleted, sender=Offer, dispatch_uid="observatory_offer_deleted")
    m2m_changed.connect(_types_changed, sender=Offer.types.through, dispatch_uid="observatory_offer_types")
