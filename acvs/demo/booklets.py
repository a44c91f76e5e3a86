"""Demo stay booklets: every office gets a branding (its own colours), a few offices a couple of booklets."""

import datetime

from django.utils import timezone

from acvs.booklet.models import Booklet, BookletItem, Branding, Layout
from acvs.network.models import Membership, Office
from acvs.offer.models import Offer, Status

# (main, accent) colour pairs, given to the offices in turn.
PALETTE = [
    ("#0f766e", "#f59e0b"), ("#1d4ed8", "#f97316"), ("#7c3aed", "#facc15"), ("#be123c", "#0ea5e9"),
    ("#15803d", "#e11d48"), ("#0369a1", "#84cc16"), ("#9a3412", "#14b8a6"), ("#4338ca", "#fb7185"),
]  # fmt: skip
# The office's hours and footer as it writes them in each booklet language.
HOURS = {
    "fr": "lun.–sam. 9 h–12 h 30, 14 h–18 h\njuillet–août : tous les jours 9 h–19 h",
    "en": "Mon–Sat 9am–12:30pm, 2pm–6pm\nJuly–August: daily 9am–7pm",
    "de": "Mo.–Sa. 9–12:30, 14–18 Uhr\nJuli–August: täglich 9–19 Uhr",
    "it": "lun–sab 9–12:30, 14–18\nluglio–agosto: tutti i giorni 9–19",
    "es": "lun–sáb 9–12:30 h, 14–18 h\njulio–agosto: todos los días 9–19 h",
    "nl": "ma–za 9–12.30, 14–18 uur\njuli–augustus: dagelijks 9–19 uur",
}
FOOTER = {
    "fr": "Document remis par l’office de tourisme — informations sous réserve de modification.",
    "en": "Given to you by the tourist office — information subject to change.",
    "de": "Überreicht vom Fremdenverkehrsamt — Angaben ohne Gewähr.",
    "it": "Documento consegnato dall’ufficio turistico — informazioni soggette a modifiche.",
    "es": "Documento entregado por la oficina de turismo — información sujeta a cambios.",
    "nl": "Aangeboden door het toeristenbureau — informatie onder voorbehoud van wijzigingen.",
}
# office slug -> (title, language, layout, days, greeting)
BOOKLETS = {
    "cavalaire": [
        ("Votre semaine à Cavalaire", "fr", Layout.CLASSIC, 3, "Bonjour, voici notre sélection pour votre séjour."),
        ("Your week on the coast", "en", Layout.MAGAZINE, 0, "Hello, here is our selection for your stay."),
    ],
    "greoux-les-bains": [
        ("Séjour thermal et balades", "fr", Layout.MAGAZINE, 2, "Bonjour, voici quelques idées de sorties."),
    ],
}
PER_BOOKLET = 6


def fill(offices: dict[str, Office], users: dict[str, list]) -> int:
    """Brandings for every office and the booklets above; returns the number of booklets."""
    Branding.objects.bulk_create(
        Branding(
            office=office,
            primary_colour=PALETTE[i % len(PALETTE)][0],
            accent_colour=PALETTE[i % len(PALETTE)][1],
            **{
                f"opening_hours_{code}": text if office.kind != Office.Kind.UNION else ""
                for code, text in HOURS.items()
            },
            **{f"footer_{code}": text for code, text in FOOTER.items()},
            default_layout=Layout.MAGAZINE if i % 3 == 2 else Layout.CLASSIC,
        )
        for i, office in enumerate(sorted(offices.values(), key=lambda o: o.slug))
    )
    created = 0
    today = timezone.localdate()
    for slug, specs in BOOKLETS.items():
        office = offices.get(slug)
        people = users.get(slug) or []
        if office is None or not people:
            continue
        membership = Membership.objects.select_related("office", "user").get(user=people[0], office=office)
        published = Offer.objects.filter(owner_office=office, status=Status.PUBLISHED).order_by("name")
        wanted = PER_BOOKLET * len(specs)
        # Offers with a photo first (none when the demo was loaded without photos).
        offers = list(published.filter(photos__isnull=False).distinct().values_list("pk", flat=True)[:wanted])
        offers = offers or list(published.values_list("pk", flat=True)[:wanted])
        for n, (title, language, layout, days, greeting) in enumerate(specs):
            chosen = offers[n * PER_BOOKLET : (n + 1) * PER_BOOKLET] or offers[:PER_BOOKLET]
            start = today + datetime.timedelta(days=14 + 7 * n)
            booklet = Booklet.objects.create(
                office=office,
                created_by=membership.user,
                title=title,
                language=language,
                layout=layout,
                greeting=greeting,
                stay_start=start,
                stay_end=start + datetime.timedelta(days=6),
            )
            BookletItem.objects.bulk_create(
                BookletItem(booklet=booklet, offer_id=pk, position=i, day=(i - 1) % days + 1 if days else None)
                for i, pk in enumerate(chosen, start=1)
            )
            if n % 2 == 0:  # opened by its visitor: the observatory counts booklets made and opened
                Booklet.objects.filter(pk=booklet.pk).update(first_opened_at=timezone.now())
            created += 1
    return created
