"""Offers as DATAtourisme RDF (Turtle, JSON-LD), shaped like the national flux (../shared/data/datatourisme-samples).

One point of interest per offer, typed with its DATAtourisme classes (offer types are the ontology's classes) and
:PointOfInterest; its place (postal address with the INSEE city `kb:<insee>`, coordinates, opening periods), its
contact (the offer's public phone, email and website: never a provider's staff), its texts in every language
(rdfs:comment and :hasDescription), its labels and classifications (:hasReview), capacity, prices (:offers), an
event's dates (:takesPlaceAt), and the owning office as creator and publisher. Nested nodes get IRIs under the
offer's (`#place`, `#address`…) so that a re-export says the same thing. Checked by SHACL shapes
(`interop/shapes/datatourisme.ttl`) in the tests.
"""

from collections.abc import Iterable

from django.conf import settings
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from acvs.offer.models import Label, Offer

CORE = Namespace("https://www.datatourisme.fr/ontology/core#")
KB = Namespace("https://www.datatourisme.fr/resource/core#")
SCHEMA = Namespace("http://schema.org/")
DC = Namespace("http://purl.org/dc/elements/1.1/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

# The JSON-LD context of the DATAtourisme flux (context-2023.jsonld), reduced to the prefixes we use.
CONTEXT = {
    "@vocab": str(CORE),
    "schema": str(SCHEMA),
    "kb": str(KB),
    "dc": str(DC),
    "foaf": str(FOAF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# What a format reads of each offer, beyond the offer's row (offer.exports.Export.prefetch).
# Up to this many offers, Turtle is pretty-printed.
PRETTY_TURTLE = 50
PREFETCH = ("types", "labels", "periods", "prices", "event_schedules")


def poi_iri(offer: Offer, base_url: str) -> URIRef:
    return URIRef(f"{base_url.rstrip('/')}/datatourisme/{offer.uuid}")


def _texts(graph: Graph, subject, predicate, offer: Offer, field: str) -> None:
    for lang in settings.MODELTRANSLATION_LANGUAGES:
        value = (getattr(offer, f"{field}_{lang}", "") or "").strip()
        if value:
            graph.add((subject, predicate, Literal(value, lang=lang)))


def _rating(graph: Graph, label: Label, base_url: str) -> URIRef:
    node = URIRef(f"{base_url.rstrip('/')}/datatourisme/labels/{label.code}")
    kind = CORE.ScaleRating if label.kind == Label.Kind.CLASSIFICATION else CORE.LabelRating
    graph.add((node, RDF.type, CORE.Rating))
    graph.add((node, RDF.type, kind))
    for lang in ("fr", "en"):
        name = getattr(label, f"name_{lang}", "") or ""
        if name:
            graph.add((node, RDFS.label, Literal(name, lang=lang)))
    return node


def add_offer(graph: Graph, offer: Offer, base_url: str) -> URIRef:
    poi = poi_iri(offer, base_url)
    add = graph.add
    add((poi, RDF.type, CORE.PointOfInterest))
    for offer_type in offer.types.all():
        add((poi, RDF.type, CORE[offer_type.code]))
    add((poi, DC.identifier, Literal(str(offer.uuid))))
    add((poi, RDFS.label, Literal(offer.name, lang="fr")))
    _texts(graph, poi, RDFS.comment, offer, "short_description")
    add((poi, CORE.lastUpdate, Literal(offer.updated_at.date(), datatype=XSD.date)))

    description = URIRef(f"{poi}#description")
    add((poi, CORE.hasDescription, description))
    add((description, RDF.type, CORE.Description))
    _texts(graph, description, DC.description, offer, "description")
    _texts(graph, description, CORE.shortDescription, offer, "short_description")

    place, address, city, geo = (URIRef(f"{poi}#{part}") for part in ("place", "address", "city", "geo"))
    add((poi, CORE.isLocatedAt, place))
    add((place, RDF.type, SCHEMA.Place))
    add((place, SCHEMA.address, address))
    add((address, RDF.type, SCHEMA.PostalAddress))
    add((address, RDF.type, CORE.PostalAddress))
    if offer.address:
        add((address, SCHEMA.streetAddress, Literal(offer.address)))
    postcode = offer.postcode or (offer.commune.postcode_list[0] if offer.commune.postcode_list else "")
    if postcode:
        add((address, SCHEMA.postalCode, Literal(postcode)))
    add((address, SCHEMA.addressLocality, Literal(offer.commune.name)))
    city = KB[offer.commune.insee]
    add((address, CORE.hasAddressCity, city))
    add((city, RDF.type, CORE.City))
    add((city, CORE.insee, Literal(offer.commune.insee)))
    add((city, RDFS.label, Literal(offer.commune.name, lang="fr")))
    add((place, SCHEMA.geo, geo))
    add((geo, RDF.type, SCHEMA.GeoCoordinates))
    add((geo, SCHEMA.latitude, Literal(f"{offer.latitude:.7f}", datatype=XSD.decimal)))
    add((geo, SCHEMA.longitude, Literal(f"{offer.longitude:.7f}", datatype=XSD.decimal)))
    for n, period in enumerate(offer.periods.all()):
        spec = URIRef(f"{poi}#opening-{n + 1}")
        add((place, SCHEMA.openingHoursSpecification, spec))
        add((spec, RDF.type, SCHEMA.OpeningHoursSpecification))
        add((spec, SCHEMA.validFrom, Literal(f"{period.start_date:%Y-%m-%d}T00:00:00", datatype=XSD.dateTime)))
        add((spec, SCHEMA.validThrough, Literal(f"{period.end_date:%Y-%m-%d}T23:59:59", datatype=XSD.dateTime)))
        for day in period.weekdays:
            add((spec, SCHEMA.dayOfWeek, SCHEMA[DAYS[day]]))
        if period.opens and period.closes:
            add((spec, SCHEMA.opens, Literal(period.opens.isoformat(), datatype=XSD.time)))
            add((spec, SCHEMA.closes, Literal(period.closes.isoformat(), datatype=XSD.time)))
        if period.note:
            add((spec, CORE.additionalInformation, Literal(period.note, lang="fr")))

    if offer.phone or offer.email or offer.website:
        contact = URIRef(f"{poi}#contact")
        add((poi, CORE.hasContact, contact))
        add((contact, RDF.type, FOAF.Agent))
        add((contact, RDF.type, CORE.Agent))
        if offer.phone:
            add((contact, SCHEMA.telephone, Literal(offer.phone.as_international)))
        if offer.email:
            add((contact, SCHEMA.email, Literal(offer.email)))
        if offer.website:
            add((contact, FOAF.homepage, URIRef(offer.website)))

    office = URIRef(f"{base_url.rstrip('/')}/datatourisme/offices/{offer.owner_office.slug}")
    add((poi, CORE.hasBeenCreatedBy, office))
    add((poi, CORE.hasBeenPublishedBy, office))
    add((office, RDF.type, FOAF.Agent))
    add((office, RDF.type, SCHEMA.Organization))
    add((office, SCHEMA.legalName, Literal(offer.owner_office.name)))

    for label in offer.labels.all():
        review = URIRef(f"{poi}#review-{label.code}")
        add((poi, CORE.hasReview, review))
        add((review, RDF.type, CORE.Review))
        add((review, CORE.hasReviewValue, _rating(graph, label, base_url)))

    if offer.capacity_persons:
        add((poi, CORE.allowedPersons, Literal(offer.capacity_persons, datatype=XSD.integer)))

    prices = list(offer.prices.all())
    if prices:
        sale = URIRef(f"{poi}#offer")
        add((poi, CORE.offers, sale))
        add((sale, RDF.type, SCHEMA.Offer))
        for n, price in enumerate(prices):
            spec = URIRef(f"{poi}#price-{n + 1}")
            add((sale, SCHEMA.priceSpecification, spec))
            add((spec, RDF.type, SCHEMA.PriceSpecification))
            add((spec, SCHEMA.minPrice, Literal(price.min_amount, datatype=XSD.decimal)))
            if price.max_amount is not None:
                add((spec, SCHEMA.maxPrice, Literal(price.max_amount, datatype=XSD.decimal)))
            add((spec, SCHEMA.priceCurrency, Literal("EUR")))
            add((spec, CORE.additionalInformation, Literal(f"{price.label} ({price.get_unit_display()})", lang="fr")))

    for n, schedule in enumerate(offer.event_schedules.all()):
        period = URIRef(f"{poi}#period-{n + 1}")
        add((poi, CORE.takesPlaceAt, period))
        add((period, RDF.type, CORE.Period))
        add((period, CORE.startDate, Literal(schedule.start_date, datatype=XSD.date)))
        add((period, CORE.endDate, Literal(schedule.end_date, datatype=XSD.date)))
        if schedule.start_time:
            add((period, CORE.startTime, Literal(schedule.start_time.isoformat(), datatype=XSD.time)))
        if schedule.end_time:
            add((period, CORE.endTime, Literal(schedule.end_time.isoformat(), datatype=XSD.time)))
    return poi


def graph_of(offers: Iterable[Offer], base_url: str) -> Graph:
    graph = Graph()
    for prefix, namespace in CONTEXT.items():
        if prefix != "@vocab":
            graph.bind(prefix, namespace)
    graph.bind("", CORE)
    for offer in offers:
        add_offer(graph, offer, base_url)
    return graph


def turtle(offers: list[Offer], base_url: str) -> bytes:
    """Pretty Turtle (prefixes, nested blocks) for a few offers; for more, one triple a line (N-Triples, which is
    Turtle too): rdflib's pretty printer takes ten times longer than the graph it writes."""
    graph = graph_of(offers, base_url)
    return graph.serialize(format="turtle" if len(offers) <= PRETTY_TURTLE else "nt", encoding="utf-8")


def json_ld(offers: list[Offer], base_url: str) -> bytes:
    return graph_of(offers, base_url).serialize(format="json-ld", context=CONTEXT, encoding="utf-8")
