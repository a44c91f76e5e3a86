"""Short descriptions and descriptions, in French and (for some offers) English, German and Italian."""

from .names import POOLS, a, cap, de, in_zone, pick

# Where the offer is, by kind of place (Kind.loc). No commas: they are embedded in longer sentences.
LOCATIONS = {
    "stay": (
        "coast|à deux pas de la plage", "coast|face à la mer", "coast|à quelques minutes du port",
        "coast|sur les hauteurs avec vue sur la mer", "verdon|aux portes des gorges du Verdon",
        "verdon|à quelques minutes du lac", "mountain|au pied des pistes", "mountain|au cœur de la vallée",
        "mountain|face aux sommets", "var|entre vignes et oliviers", "haute|au milieu des champs de lavande",
        "haute|face aux collines de Haute-Provence", "au cœur du village", "au calme à la sortie du village",
        "dans un cadre verdoyant", "à proximité du centre", "var,haute,verdon|en pleine campagne",
    ),
    "site": (
        "au cœur du village", "dans le centre ancien", "sur la place principale", "à l'entrée du village",
        "coast|près du port", "var,haute,verdon,mountain|au sommet du village", "à proximité du centre",
    ),
    "nature": (
        "à quelques kilomètres du village", "dans un site préservé", "au bout d'une petite route",
        "coast|au bord de la mer", "verdon|au-dessus du Verdon", "mountain|en pleine montagne",
        "var,haute|au milieu des collines",
    ),
    "beach": (
        "coast|à l'abri du vent d'est", "coast|au pied de la pinède", "coast|près du centre",
        "coast|au bout du sentier du littoral", "coast|entre deux pointes rocheuses", "verdon|sur les rives du lac",
        "verdon|au bord de l'eau", "mountain,var,haute|au bord de la rivière",
    ),
    "event": (
        "sur la place principale", "dans les rues du centre ancien", "sur le cours ombragé de platanes",
        "coast|sur le port", "coast|sur le front de mer",
    ),
    "tour": (
        "au départ du village", "au départ du parking de la mairie", "coast|le long de la côte",
        "verdon|au-dessus des gorges", "mountain|au cœur de la vallée", "var,haute|à travers les collines",
        "à travers la forêt",
    ),
    "coastal": ("entre pinède et rochers", "au départ du port", "au pied des falaises"),
    "village": ("dominant la vallée", "au-dessus de la plaine", "accroché à la colline", "mountain|face aux sommets"),
}  # fmt: skip
LOCATIONS_EN = {
    "stay": (
        "coast|a stone's throw from the beach", "coast|facing the sea", "coast|a few minutes from the harbour",
        "verdon|at the gateway to the Verdon gorges", "verdon|a few minutes from the lake",
        "mountain|at the foot of the slopes", "mountain|in the heart of the valley",
        "var|among vineyards and olive groves",
        "haute|among lavender fields", "in the heart of the village", "in a quiet spot just outside the village",
        "in green surroundings",
    ),
    "site": ("in the heart of the village", "in the old town", "on the main square", "coast|near the harbour",
             "close to the centre"),
    "nature": ("a few kilometres from the village", "in an unspoilt setting", "coast|by the sea",
               "verdon|above the Verdon", "mountain|high in the mountains", "var,haute|in the hills"),
    "beach": ("coast|sheltered from the east wind", "coast|below the pine woods", "coast|close to the town centre",
              "verdon|on the lake shore", "mountain,var,haute|on the river bank"),
    "event": ("on the main square", "in the streets of the old town", "coast|on the harbour front"),
    "tour": ("starting from the village", "coast|along the coast", "verdon|above the gorges",
             "mountain|through the valley", "var,haute|through the hills", "through the forest"),
    "coastal": ("along the coast", "between pine woods and rocks", "starting from the harbour"),
    "village": ("overlooking the valley", "clinging to the hillside", "mountain|facing the peaks"),
}  # fmt: skip
CLOSINGS = (
    "Une bonne adresse pour découvrir {region}.",
    "Un point de départ idéal pour explorer {region}.",
    "Une étape à ne pas manquer lors d'un séjour dans {region}.",
)
CLOSINGS_EVENT = (
    "Un rendez-vous attendu chaque année par les habitants {de_commune}.",
    "Une date à noter pour qui séjourne dans {region}.",
)
CLOSINGS_EN = ("A good base for exploring {region_en}.", "A great way to discover {region_en}.")
ZONE_DE = {
    "coast": "am Mittelmeer",
    "verdon": "am Tor zur Verdonschlucht",
    "mountain": "in den Alpen der Haute-Provence",
    "var": "im Hinterland des Var",
    "haute": "in der Haute-Provence",
}
ZONE_IT = {
    "coast": "sul Mediterraneo",
    "verdon": "alle porte delle gole del Verdon",
    "mountain": "nelle Alpi dell'Alta Provenza",
    "var": "nell'entroterra del Var",
    "haute": "in Alta Provenza",
}


# Towns are not villages: wording for communes of TOWN people or more.
TOWN = 10000
TOWN_FR = (("au cœur du village", "en centre-ville"), ("au départ du village", "au départ du centre-ville"),
           ("au sommet du village", "dans la vieille ville"), ("à quelques kilomètres du village", "à quelques "
           "kilomètres du centre"), (" du village", " de la ville"))  # fmt: skip
TOWN_EN = (("in the heart of the village", "in the town centre"), ("starting from the village", "starting from the "
           "town centre"), ("the village", "the town"))  # fmt: skip


def townify(text: str, place, pairs) -> str:
    if place.population < TOWN:
        return text
    for old, new in pairs:
        text = text.replace(old, new)
    return text


class Filler(dict):
    """format_map() mapping: fixed values, else a fresh draw from names.POOLS ({de_x} adds 'de', {X} capitalises)."""

    def __init__(self, rng, zone: str, **fixed):
        super().__init__(fixed)
        self.rng, self.zone = rng, zone

    def __missing__(self, key):
        if key in POOLS:
            return pick(self.rng, POOLS[key], self.zone)
        if key.startswith("de_") and key[3:] in POOLS:
            return de(pick(self.rng, POOLS[key[3:]], self.zone))
        low = key[:1].lower() + key[1:]
        if low in POOLS:
            return cap(pick(self.rng, POOLS[low], self.zone))
        raise KeyError(key)


def filler(rng, place) -> Filler:
    km = rng.choice([3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16])
    half_hours = max(2, round(km / 3.5 * 2))
    hours_fr = f"{half_hours // 2} h" + (" 30" if half_hours % 2 else "")
    hours_en = f"{half_hours // 2}{'½' if half_hours % 2 else ''} hours"
    return Filler(
        rng,
        place.zone,
        commune=place.name,
        de_commune=de(place.name),
        a_commune=a(place.name),
        region=place.region_fr,
        de_region=de(place.region_fr),
        region_en=place.region_en,
        De_commune=cap(de(place.name)),
        a_neighbour=a(place.neighbours[0] if place.neighbours else place.name),
        units=rng.randint(20, 80),
        persons=rng.randint(4, 10),
        km=km,
        hours=hours_fr,
        hours_en=hours_en,
        elev=rng.randrange(80, 900, 10),
        year=rng.randint(1998, 2021),
    )


def _strip_article(phrase: str, articles: tuple[str, ...]) -> str:
    for art in articles:
        if phrase.startswith(art):
            return phrase[len(art) :]
    return phrase


def _details(rng, pool, zone: str, fill: Filler, count: int) -> list[str]:
    choices = [t for t in (in_zone(e, zone) for e in pool) if t is not None]
    rng.shuffle(choices)
    return [t.format_map(fill) for t in choices[:count]]


def french(rng, kind, place, name: str, fill: Filler) -> tuple[str, str]:
    what, details = kind.fr
    un_what = pick(rng, what, place.zone)
    bare = cap(_strip_article(un_what, ("un ", "une ", "des ", "la ", "le ", "les ")))
    loc = pick(rng, LOCATIONS[kind.loc], place.zone)
    short = rng.choice([f"{bare} {a(place.name)}, {loc}.", f"{bare} {loc}.", f"{bare} {loc}, {a(place.name)}."])
    closing_pool = CLOSINGS_EVENT if kind.loc == "event" else CLOSINGS
    closing = rng.choice(closing_pool).format_map(fill)
    d = _details(rng, details, place.zone, fill, 2)
    d1, d2 = (d + ["", ""])[:2]
    template = rng.randrange(3)
    if template == 0:
        parts = [f"{cap(un_what)} {a(place.name)}, {loc}.", d1, d2]
    elif template == 1:
        parts = [f"{cap(a(place.name))}, {un_what} {loc} {rng.choice(kind.verb)}.", d1, closing]
    else:
        parts = [f"{name} : {un_what} {loc}, {a(place.name)}.", d1, d2, closing]
    return townify(short, place, TOWN_FR), townify(" ".join(p for p in parts if p), place, TOWN_FR)


def english(rng, kind, place, name: str, fill: Filler) -> tuple[str, str]:
    what, details = kind.en
    a_what = pick(rng, what, place.zone)
    bare = cap(_strip_article(a_what, ("a ", "an ", "the ")))
    loc = pick(rng, LOCATIONS_EN[kind.loc], place.zone)
    short = rng.choice([f"{bare} in {place.name}, {loc}.", f"{bare} {loc}."])
    d = _details(rng, details, place.zone, fill, 2)
    if rng.random() < 0.5:
        parts = [f"{cap(a_what)} in {place.name}, {loc}.", *d]
    else:
        parts = [
            f"{name} is {a_what} {loc} in {place.name}.",
            d[0] if d else "",
            rng.choice(CLOSINGS_EN).format_map(fill),
        ]
    return townify(short, place, TOWN_EN), townify(" ".join(p for p in parts if p), place, TOWN_EN)


def german(kind, place, speaks: bool) -> tuple[str, str]:
    short = f"{kind.de} in {place.name} {ZONE_DE[place.zone]}."
    return short, short + (" Auskünfte auch auf Deutsch." if speaks else "")


def italian(kind, place, speaks: bool) -> tuple[str, str]:
    short = f"{kind.it} a {place.name}, {ZONE_IT[place.zone]}."
    return short, short + (" Si parla italiano." if speaks else "")
