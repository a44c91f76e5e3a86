"""Office-private rows fail closed: outside a scope their queries raise; every model is private or shared on purpose.

The private models are read from the app registry, so a new model linked to an office (or to a private row) fails
here until it gets a scoped default manager or a reason in `tenancy.SHARED`.
"""

import pytest
from django.apps import apps
from django.db import models
from django_scopes import ScopeError, scope

from acvs.core import tenancy
from acvs.network.models import Office

pytestmark = pytest.mark.django_db


def label(model) -> str:
    return model._meta.label


def private_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if hasattr(m._default_manager, "tenant_keys")]


def linked_models() -> list[type[models.Model]]:
    """Models with a foreign key to an office or to an office-private model."""
    private = set(private_models())
    return [
        model
        for model in apps.get_models()
        if any(
            field.many_to_one or field.one_to_one
            for field in model._meta.get_fields()
            if field.concrete
            and field.is_relation
            and (field.related_model is Office or field.related_model in private)
        )
    ]


def test_every_model_linked_to_an_office_is_private_or_shared_with_a_reason():
    private = {label(m) for m in private_models()}
    undecided = sorted(label(m) for m in linked_models() if label(m) not in private | set(tenancy.SHARED))
    assert undecided == []
    assert sorted(private & set(tenancy.SHARED)) == []
    assert all(reason.strip() for reason in tenancy.SHARED.values())


def test_the_private_models_are_the_expected_ones():
    assert sorted(label(m) for m in private_models()) == [
        "api.ApiToken", "booklet.Booklet", "booklet.BookletItem", "booklet.BookletSending", "booklet.Branding",
        "campaigns.Block", "campaigns.Campaign", "campaigns.Event", "campaigns.OfficeSettings", "campaigns.Recipient",
        "campaigns.TrackingRefusal",
        "contacts.AccessLog", "contacts.ConfirmationMail", "contacts.ConsentEvent", "contacts.Contact",
        "contacts.ContactEmail", "contacts.ContactImport", "contacts.ContactPhone", "contacts.CurrentConsent",
        "contacts.ImportMapping", "contacts.RequestLink", "contacts.Segment", "contacts.Tag", "core.Job",
        "desk.DeskSettings", "desk.Suggestion", "desk.VisitorCount", "desk.VisitorCountCorrection",
        "desk.VisitorRequest", "documentation.Movement", "documentation.Order", "documentation.OrderEvent",
        "documentation.OrderLine", "documentation.Stock", "documentation.StockSetting", "interop.ImportRun",
        "interop.LegacySource", "mailing.Answer", "mailing.AnswerBrochure", "mailing.AnswerTemplate",
        "mailing.IncomingMessage", "observatory.DailyFigure", "observatory.DirtyDay", "observatory.MonthlyFigure",
    ]  # fmt: skip


@pytest.mark.parametrize("model", private_models(), ids=label)
def test_a_query_outside_any_scope_raises(model):
    reads = [
        lambda: list(model.objects.all()),
        lambda: model.objects.count(),
        lambda: model.objects.filter(pk=1).exists(),
        lambda: model.objects.get(pk=1),
        lambda: model.objects.values_list("pk").first(),
        lambda: model.objects.update(pk=models.F("pk")),
        lambda: model.objects.filter(pk=0).delete(),
    ]
    with scope():  # enabled, no key: what a thread, a command or a task that forgot its scope gets
        for read in reads:
            with pytest.raises(ScopeError):
                read()


def test_child_rows_are_not_reachable_around_their_parent(world):
    """Through a parent's related manager, or filtering on a parent of another office, a child stays in scope."""
    mine, theirs = world.own, world.other
    with tenancy.scope_for(office=mine.office):
        assert list(theirs.booklet.items.all()) == []
        assert list(theirs.visitor_request.suggestions.all()) == []
        assert theirs.order.lines.count() == 0
        assert theirs.booklet.sendings.count() == theirs.booklet.jobs.count() == 0
    with scope(), pytest.raises(ScopeError):
        list(mine.booklet.items.all())


def test_prefetched_children_are_read_once(world, django_assert_num_queries):
    with tenancy.scope_for(office=world.own.office):
        booklets = list(world.own.booklet.__class__.objects.prefetch_related("items"))
        with django_assert_num_queries(0):
            items = [list(booklet.items.all()) for booklet in booklets]
    assert any(items)


def test_an_order_is_seen_by_its_two_offices_only(world):
    order = world.other.order  # La Croix-Valmer orders from the CDT
    supplier = order.supplier
    for office, seen in ((order.requester, True), (supplier, True), (world.own.office, False)):
        with tenancy.scope_for(office=office):
            assert world_order_ids(order) == ({order.pk} if seen else set()), office
            assert order.lines.exists() is seen


def world_order_ids(order) -> set[int]:
    from acvs.documentation.models import Order

    return set(Order.objects.filter(pk=order.pk).values_list("pk", flat=True))


def test_none_shows_nothing_and_a_list_of_offices_shows_theirs(world):
    from acvs.booklet.models import Booklet

    with tenancy.scope_for(office=None):
        assert Booklet.objects.count() == 0
    with scope(office=[world.own.office.pk, world.other.office.pk]):
        assert Booklet.objects.count() == 2


def test_the_provider_key_is_planned_for_provider_accounts(world):
    """A model may declare the provider key beside the office's: either one makes a row visible; a scope acting
    for a provider sees nothing of a model that declares only the office."""
    from acvs.booklet.models import Booklet

    shared = tenancy.scoped_manager(office="office", provider="office")  # a stand-in path for the provider's
    shared.model, shared.name = Booklet, "shared"
    with tenancy.scope_for(office=None, provider=world.other.office):
        assert set(shared.values_list("office", flat=True)) == {world.other.office.pk}
        assert Booklet.objects.count() == 0
    with pytest.raises(ValueError, match="Tenant keys"):
        tenancy.scoped_manager(event="event")


def test_the_escape_hatch_reads_every_office_for_a_declared_reason_and_says_so(world, caplog):
    from acvs.booklet.models import Booklet

    with tenancy.scope_for(office=world.own.office):
        with caplog.at_level("INFO", logger="acvs.tenancy"), tenancy.all_offices("network_stock"):
            assert Booklet.objects.count() == 2
        assert Booklet.objects.count() == 1
        with pytest.raises(ValueError, match="Undeclared"), tenancy.all_offices("curiosity"):
            pass
    assert [r.getMessage() for r in caplog.records] == [
        f"cross-office read network_stock (acting for office {world.own.office.pk})"
    ]
