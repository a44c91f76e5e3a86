import random

import pytest
from django.db.models import Sum
from pypdf import PdfReader

from acvs.core.tenancy import scope_for
from acvs.demo import documentation as demo_documentation
from acvs.demo import network
from acvs.desk.models import Theme
from acvs.desk.reference import ensure_themes
from acvs.documentation import selectors
from acvs.documentation.models import Document, Movement, Order, OrderStatus, Stock

pytestmark = pytest.mark.django_db


def test_demo_catalogue_stocks_and_orders_are_consistent(media):
    ensure_themes(Theme)
    offices = network.create_offices()
    users = network.create_users(random.Random(1), offices)
    count = demo_documentation.fill(random.Random(2026), offices, users)
    assert 15 <= count == Document.objects.count() <= 25
    assert set(Document.objects.values_list("language", flat=True)) == {"fr", "en", "de", "it"}
    assert Document.objects.filter(publisher__isnull=True).count() >= 2
    # Every local office and CDT holds documents; the movements add up to each stock, balances included.
    for slug in ("cavalaire", "greoux-les-bains", "var-tourisme", "barcelonnette"):
        assert Stock.objects.filter(office=offices[slug], quantity__gt=0).exists(), slug
    for stock in Stock.objects.all():
        moves = Movement.objects.filter(office=stock.office, document=stock.document, place=stock.place)
        assert moves.aggregate(total=Sum("quantity"))["total"] == stock.quantity
        assert moves.order_by("at", "pk").last().balance_after == stock.quantity
    with scope_for(office=offices["cavalaire"]):
        assert list(selectors.to_reorder())
        assert selectors.counter_documents()
    # A few brochures can be emailed: a real PDF each (its title inside), or a public link.
    with_pdf = Document.objects.exclude(pdf="")
    assert with_pdf.count() == len(demo_documentation.WITH_PDF)
    for document in with_pdf:
        reader = PdfReader(document.pdf.path, strict=True)
        assert document.title in reader.pages[0].extract_text()
        assert (media / document.pdf.name).is_file()
    assert Document.objects.exclude(public_url="").count() == len(demo_documentation.WITH_LINK)
    statuses = set(Order.objects.values_list("status", flat=True))
    assert statuses == {OrderStatus.REQUESTED, OrderStatus.ACCEPTED}
