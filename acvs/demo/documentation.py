"""Demo documentation: a catalogue of brochures by the demo CDTs, offices and a few partners, every office's stock
(some under their alert threshold), movements that add up to it, and orders at several steps."""

import datetime
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from acvs.desk.models import Theme
from acvs.documentation.models import (
    Document,
    Movement,
    MovementKind,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Place,
    Stock,
    StockSetting,
)
from acvs.network.models import Office, User

# (title, publisher: office slug or a partner's name, language, edition year, themes, unit weight in grams)
CATALOGUE = [
    ("Guide des hébergements du Var", "var-tourisme", "fr", 2026, ["beaches", "nature"], 180),
    ("Var accommodation guide", "var-tourisme", "en", 2026, ["beaches", "nature"], 180),
    ("Carte touristique du Var", "var-tourisme", "fr", 2025, ["hiking", "heritage"], 60),
    ("Var – Die schönsten Wanderungen", "var-tourisme", "de", 2025, ["hiking", "nature"], 120),
    ("Var – Guida delle spiagge", "var-tourisme", "it", 2026, ["beaches", "water-sports"], 90),
    ("Routes des vins de Provence", "Conseil interprofessionnel des vins de Provence", "fr", 2025, ["food-wine"], 70),
    ("Golfe de Saint-Tropez – Guide pratique", "saint-tropez", "fr", 2026, ["beaches", "shopping-markets"], 110),
    ("Gulf of Saint-Tropez – Visitor guide", "saint-tropez", "en", 2026, ["beaches", "culture-festivals"], 110),
    ("Sentier du littoral de Cavalaire à la Croix-Valmer", "cavalaire", "fr", 2026, ["hiking", "beaches"], 40),
    ("Agenda des festivités de l'été – Cavalaire", "cavalaire", "fr", 2026, ["culture-festivals"], 30),
    ("Plan de ville de Toulon", "toulon", "fr", 2025, ["heritage", "shopping-markets"], 25),
    ("Îles d'Or : Porquerolles, Port-Cros, Le Levant", "hyeres", "fr", 2026, ["nature", "water-sports"], 80),
    ("Guide des hébergements des Alpes-de-Haute-Provence", "ahp-tourisme", "fr", 2026, ["nature", "wellness"], 170),
    ("Alpes-de-Haute-Provence – Urlaubsplaner", "ahp-tourisme", "de", 2026, ["nature", "hiking"], 150),
    ("Gorges du Verdon – Carte des randonnées", "ahp-tourisme", "fr", 2025, ["hiking", "nature"], 65),
    ("Verdon Gorges – Hiking map", "ahp-tourisme", "en", 2025, ["hiking", "nature"], 65),
    ("Vallée de l'Ubaye – Hiver", "barcelonnette", "fr", 2025, ["ski-mountain", "children-family"], 90),
    ("Gréoux-les-Bains, station thermale", "greoux-les-bains", "fr", 2026, ["wellness"], 50),
    ("Moustiers-Sainte-Marie et ses faïences", "moustiers", "fr", 2024, ["heritage"], 45),
    ("Parc naturel régional du Verdon – Découverte", "Parc naturel régional du Verdon", "fr", 2025, ["nature"], 55),
    ("Lavandes de Valensole – Itinéraires", "Association Valensole Lavandes", "it", 2024, ["nature", "cycling"], 35),
    ("Guide des hébergements du Var 2024", "var-tourisme", "fr", 2024, ["beaches"], 180),  # out of print
]
OUT_OF_PRINT = {"Guide des hébergements du Var 2024"}
# The office that keeps the record of a partner's document.
PARTNER_KEEPER = {
    "Conseil interprofessionnel des vins de Provence": "var-tourisme",
    "Parc naturel régional du Verdon": "ahp-tourisme",
    "Association Valensole Lavandes": "ahp-tourisme",
}


# A few brochures can be sent with written answers: their PDF (a one-page leaflet written at load time) or a link.
WITH_PDF = {
    "Sentier du littoral de Cavalaire à la Croix-Valmer": ["Du port de Cavalaire à la plage de Gigaro", "12 km, 4 h"],
    "Var accommodation guide": ["Hotels, campsites, holiday rentals", "Var Tourisme"],
    "Gulf of Saint-Tropez – Visitor guide": ["Beaches, villages, markets", "Saint-Tropez tourist office"],
    "Gorges du Verdon – Carte des randonnées": ["Sentier Blanc-Martel, sentier de l'Imbut", "Verdon"],
}
WITH_LINK = {"Routes des vins de Provence": "https://www.vinsdeprovence.fr/"}


def _pdf_text(text: str) -> str:
    return (
        text.encode("cp1252", "replace").decode("latin-1").replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    )


def leaflet_pdf(title: str, lines: list[str]) -> bytes:
    """A valid one-page PDF (A5) with the title and a few lines in Helvetica: a real file, a kilobyte, in no time."""
    text = [f"BT /F1 20 Tf 40 520 Td ({_pdf_text(title)}) Tj ET"]
    text += [f"BT /F1 12 Tf 40 {480 - 20 * i} Td ({_pdf_text(line)}) Tj ET" for i, line in enumerate(lines)]
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _attachments(documents) -> None:
    changed = []
    for doc in documents:
        if doc.title in WITH_PDF:
            doc.pdf.save("leaflet.pdf", ContentFile(leaflet_pdf(doc.title, WITH_PDF[doc.title])), save=False)
            changed.append(doc)
        if doc.title in WITH_LINK:
            doc.public_url = WITH_LINK[doc.title]
            changed.append(doc)
    Document.objects.bulk_update(changed, ["pdf", "public_url"])


def fill(rng: random.Random, offices: dict[str, Office], users: dict[str, list[User]]) -> int:
    """Create the catalogue, the stocks with their movements and a few orders; returns the number of documents."""
    now = timezone.now()
    themes = {t.code: t for t in Theme.objects.all()}
    documents = []
    for title, publisher, language, year, theme_codes, weight in CATALOGUE:
        office = offices.get(publisher)
        doc = Document(
            title=title, publisher=office, publisher_name="" if office else publisher,
            managed_by=office or offices[PARTNER_KEEPER[publisher]], language=language,
            edition_year=year, unit_weight_g=weight, is_current=title not in OUT_OF_PRINT,
            description=f"{title}. Édition {year}.",
        )  # fmt: skip
        doc.theme_codes = theme_codes
        documents.append(doc)
    Document.objects.bulk_create(documents)
    _attachments(documents)
    Document.themes.through.objects.bulk_create(
        [
            Document.themes.through(document_id=d.pk, theme_id=themes[c].pk)
            for d in documents
            for c in d.theme_codes
            if c in themes
        ]
    )
    stocks, movements, settings = [], [], []
    for slug, office in offices.items():
        if office.kind == Office.Kind.UNION:
            continue
        user = (users.get(slug) or [None])[0]
        is_cdt = office.kind == Office.Kind.CDT
        for doc in documents:
            own = doc.publisher_id == office.pk
            same_department = (doc.publisher or doc.managed_by).department_id == office.department_id
            if not doc.is_current or not (own or (same_department and rng.random() < 0.55)):
                continue
            received = rng.choice([500, 1000, 2000]) if own or is_cdt else rng.choice([50, 100, 150, 200])
            at = now - datetime.timedelta(days=rng.randint(20, 60), hours=rng.randint(0, 8))
            storeroom = received - (0 if is_cdt else received // 2)
            counter = received - storeroom
            handed = [rng.randint(1, 3) for _ in range(rng.randint(0, 6))] if counter else []
            for place, quantity in ((Place.STOREROOM, received), (Place.COUNTER, None)):
                if place == Place.COUNTER and not counter:
                    continue
                if place == Place.STOREROOM:
                    movements.append(_move(office, doc, place, MovementKind.RECEIVED, quantity, quantity, at, user,
                                           "Livraison de l'éditeur"))  # fmt: skip
                    if counter:
                        movements.append(_move(office, doc, place, MovementKind.MOVED, -counter, storeroom,
                                               at + datetime.timedelta(hours=1), user))  # fmt: skip
                    continue
                balance = counter
                movements.append(_move(office, doc, place, MovementKind.MOVED, counter, balance,
                                       at + datetime.timedelta(hours=1), user))  # fmt: skip
                for i, n in enumerate(handed):
                    n = min(n, balance)
                    balance -= n
                    when = now - datetime.timedelta(days=len(handed) - i, hours=rng.randint(0, 6))
                    movements.append(_move(office, doc, place, MovementKind.HANDED_OUT, -n, balance, when, user))
                counter = balance
            stocks.append(Stock(office=office, document=doc, place=Place.STOREROOM, quantity=storeroom))
            if counter or handed:
                stocks.append(Stock(office=office, document=doc, place=Place.COUNTER, quantity=counter))
            if not is_cdt and rng.random() < 0.5:
                # Some thresholds above the stock: the office's "to reorder" list is never empty.
                threshold = storeroom + counter + rng.choice([10, 40]) if rng.random() < 0.3 else 20
                settings.append(StockSetting(office=office, document=doc, alert_threshold=threshold,
                                             reorder_quantity=rng.choice([100, 200])))  # fmt: skip
    Stock.objects.bulk_create(stocks)
    Movement.objects.bulk_create(movements, batch_size=1000)
    StockSetting.objects.bulk_create(settings)
    _orders(offices, users, documents, now)
    return len(documents)


def _move(office, doc, place, kind, quantity, balance, at, user, reason=""):
    return Movement(
        office=office, document=doc, place=place, kind=kind, quantity=quantity, balance_after=balance, at=at,
        user=user, reason=reason,
    )  # fmt: skip


def _orders(offices, users, documents, now) -> None:
    """Cavalaire waits for an accepted order from Var Tourisme; Gréoux has asked the CDT 04 for Verdon maps."""
    by_title = {d.title: d for d in documents}
    specs = [
        ("cavalaire", "var-tourisme", OrderStatus.ACCEPTED,
         [("Guide des hébergements du Var", 200), ("Var accommodation guide", 100)], "Pour l'ouverture de saison."),
        ("greoux-les-bains", "ahp-tourisme", OrderStatus.REQUESTED,
         [("Gorges du Verdon – Carte des randonnées", 150), ("Verdon Gorges – Hiking map", 50)], ""),
    ]  # fmt: skip
    for requester, supplier, status, lines, note in specs:
        if requester not in offices or supplier not in offices:
            continue
        order = Order.objects.create(
            requester=offices[requester], supplier=offices[supplier], status=status, note=note,
            created_by=(users.get(requester) or [None])[0],
        )  # fmt: skip
        OrderLine.objects.bulk_create(
            [OrderLine(order=order, document=by_title[title], quantity=qty) for title, qty in lines]
        )
        steps = [(OrderStatus.REQUESTED, requester)]
        if status == OrderStatus.ACCEPTED:
            steps.append((OrderStatus.ACCEPTED, supplier))
        OrderEvent.objects.bulk_create(
            [
                OrderEvent(order=order, status=s, office=offices[slug], user=(users.get(slug) or [None])[0])
                for s, slug in steps
            ]
        )
