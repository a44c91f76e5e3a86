"""The counter's quick line: what an agent types ("couple nantes vélo ch d'hôtes 1 sem") understood into fields.

`parse` is a pure function of the text, the day and a place lookup (so it is tested on hundreds of phrasings without
a database). Every word is either understood (it belongs to a `Fact`, shown as a chip the agent can remove) or kept
in `unknown`, shown as well: nothing the agent typed is silently dropped.
"""

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from . import reference

# A place found by name or postcode: (INSEE code, display name, postcode).
Place = tuple[str, str, str]
PlaceLookup = Callable[[str], Place | None]

MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9, "sep": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}  # fmt: skip
NUMBERS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
           "neuf": 9, "dix": 10, "quinze": 15}  # fmt: skip

# Profiles (codes of desk.models.Profile) and the party each one implies when none is given.
PROFILES = {
    "couple": ["couple", "couples", "cpl", "amoureux", "en amoureux"],
    "family": ["famille", "familles", "fam", "famile", "familly", "family", "en famille"],
    "solo": ["seul", "seule", "solo", "1 pers", "une personne", "personne seule"],
    "senior": ["senior", "seniors", "retraite", "retraites", "retraitee", "retraitees", "3e age", "3eme age", "ages",
               "sr", "seigneurs"],
    "friends": ["amis", "amies", "entre amis", "potes", "copains", "copines", "bande de potes"],
    "group": ["groupe", "gpe", "grp", "groupes", "club", "association", "asso"],
    "business": ["pro", "affaires", "business", "seminaire", "professionnel", "professionnels"],
}  # fmt: skip
PROFILE_PARTY = reference.PROFILE_PARTY

# Theme codes (desk.reference.THEMES).
THEMES = {
    "hiking": ["rando", "randos", "randonnee", "randonnees", "randonner", "marche", "balade", "balades", "trek",
               "trekking", "pedestre", "sentier", "sentiers", "hiking"],
    "heritage": ["patrimoine", "histoire", "chateau", "chateaux", "monument", "monuments", "musee", "musees",
                 "eglise", "village perche", "villages perches", "visite", "visites", "culture historique"],
    "beaches": ["plage", "plages", "baignade", "mer", "bord de mer", "se baigner", "crique", "criques"],
    "food-wine": ["gastronomie", "gastro", "vin", "vins", "vignoble", "vignobles", "degustation", "oenologie",
                  "terroir", "cave", "caves", "resto", "restaurant", "restaurants", "cuisine", "produits locaux"],
    "water-sports": ["kayak", "canoe", "plongee", "voile", "paddle", "surf", "jet ski", "nautique", "nautiques",
                     "sports nautiques", "rafting", "snorkeling", "peche", "aquatique"],
    "cycling": ["velo", "velos", "vtt", "cyclisme", "cyclo", "cyclotourisme", "bicyclette", "vae", "gravel",
                "velo electrique", "a velo", "en velo", "bike"],
    "nature": ["nature", "faune", "flore", "parc naturel", "gorges", "lac", "lacs", "verdon", "oiseaux"],
    "culture-festivals": ["festival", "festivals", "concert", "concerts", "spectacle", "spectacles", "expo",
                          "exposition", "culture", "theatre", "evenements", "animations", "fete", "fetes"],
    "wellness": ["bien etre", "spa", "thermes", "thermal", "detente", "yoga", "massage"],
    "ski-mountain": ["ski", "montagne", "raquettes", "station de ski", "alpinisme", "escalade", "via ferrata"],
    "shopping-markets": ["marche provencal", "marches", "marches provencaux", "shopping", "boutiques", "brocante",
                         "artisanat", "souvenirs"],
    "children-family": ["enfants activites", "activites enfants", "pour enfants", "parc d attractions", "zoo",
                        "aire de jeux", "jeux"],
}  # fmt: skip

# DATAtourisme type codes and what agents type for them.
TYPES = {
    "Guesthouse": ["chambre d hotes", "chambres d hotes", "chambre d hote", "chbre d hotes", "chbre d hote",
                   "ch d hotes", "ch d hote", "ch hotes", "cdh", "chambre hote", "chambres hotes", "b&b", "bnb",
                   "b and b", "bed and breakfast", "chambre chez l habitant", "chez l habitant"],
    "Camping": ["camping", "campings", "campin", "camp", "tente", "emplacement", "emplacements", "mobil home",
                "mobilhome", "mobil-home"],
    "Hotel": ["hotel", "hotels", "hotl", "hostel"],
    "SelfCateringAccommodation": ["gite", "gites", "meuble", "meubles", "location", "locations", "loc",
                                  "appartement", "appart", "villa", "maison", "location saisonniere"],
    "CamperVanArea": ["camping car", "camping-car", "campingcar", "aire de camping car", "van", "fourgon"],
    "YouthHostelAndInternationalCenter": ["auberge de jeunesse", "aj"],
    "ClubOrHolidayVillage": ["village vacances", "village de vacances", "club vacances"],
    "HolidayResort": ["residence", "residence de tourisme", "residence hoteliere"],
    "StopOverOrGroupLodge": ["refuge", "refuges", "gite d etape", "gite etape"],
    "Accommodation": ["hebergement", "hebergements", "heberg", "hebgt", "logement", "dormir", "nuitee"],
    "FoodEstablishment": ["restauration", "manger", "ou manger"],
    "WalkingTour": ["itineraire pedestre", "itineraires pedestres", "circuit pedestre", "circuits pedestres",
                    "circuit rando", "circuits rando", "topo rando", "topo", "parcours pedestre"],
    "CyclingTour": ["itineraire velo", "itineraires velo", "circuit velo", "circuits velo", "piste cyclable",
                    "pistes cyclables", "voie verte", "velo route", "parcours velo", "itineraire cyclable"],
    "Beach": ["plage surveillee", "plages surveillees"],
    "Museum": ["musee d art"],
    "Market": ["marche local", "jour de marche"],
}  # fmt: skip

# Country codes and the French names and adjectives (masculine singular: feminine and plurals are derived).
COUNTRIES = {
    "DE": (["allemagne", "rfa"], ["allemand"]),
    "BE": (["belgique", "belg"], ["belge"]),
    "NL": (["pays bas", "pays-bas", "hollande", "nl"], ["neerlandais", "hollandais"]),
    "GB": (["royaume uni", "angleterre", "uk", "grande bretagne", "ecosse", "pays de galles"],
           ["anglais", "britannique", "ecossais", "gallois", "brit"]),
    "IT": (["italie"], ["italien", "rital"]),
    "CH": (["suisse"], ["suisse", "helvete"]),
    "ES": (["espagne"], ["espagnol"]),
    "US": (["etats unis", "usa", "amerique"], ["americain", "ricain"]),
    "CA": (["canada", "quebec"], ["canadien", "quebecois"]),
    "LU": (["luxembourg", "lux"], ["luxembourgeois"]),
    "AT": (["autriche"], ["autrichien"]),
    "DK": (["danemark"], ["danois"]),
    "SE": (["suede"], ["suedois"]),
    "NO": (["norvege"], ["norvegien"]),
    "FI": (["finlande"], ["finlandais"]),
    "PL": (["pologne"], ["polonais"]),
    "CZ": (["tchequie", "republique tcheque"], ["tcheque"]),
    "PT": (["portugal"], ["portugais"]),
    "IE": (["irlande"], ["irlandais"]),
    "JP": (["japon"], ["japonais"]),
    "CN": (["chine"], ["chinois"]),
    "AU": (["australie"], ["australien"]),
    "RU": (["russie"], ["russe"]),
    "BR": (["bresil"], ["bresilien"]),
    "GR": (["grece"], ["grec"]),
    "HU": (["hongrie"], ["hongrois"]),
    "IL": (["israel"], ["israelien"]),
    "KR": (["coree du sud", "coree"], ["coreen"]),
    "IN": (["inde"], ["indien"]),
    "MA": (["maroc"], ["marocain"]),
    "TN": (["tunisie"], ["tunisien"]),
    "DZ": (["algerie"], ["algerien"]),
    "MX": (["mexique"], ["mexicain"]),
    "AR": (["argentine"], ["argentin"]),
    "SK": (["slovaquie"], ["slovaque"]),
    "RO": (["roumanie"], ["roumain"]),
    "UA": (["ukraine"], ["ukrainien"]),
    "TR": (["turquie"], ["turc"]),
    "NZ": (["nouvelle zelande"], ["neo zelandais"]),
    "ZA": (["afrique du sud"], ["sud africain"]),
    "MC": (["monaco"], ["monegasque"]),
}  # fmt: skip
# Languages (ISO 639-1) by the adjective used after "parle", "en", or as "-phone".
LANGUAGES = {
    "fr": ["francais", "francophone", "francophones", "fr"],
    "en": ["anglais", "anglophone", "anglophones", "english", "en"],
    "de": ["allemand", "germanophone", "germanophones", "deutsch", "de"],
    "nl": ["neerlandais", "neerlandophone", "neerlandophones", "hollandais", "flamand", "nl"],
    "it": ["italien", "italophone", "italophones", "it"],
    "es": ["espagnol", "hispanophone", "hispanophones", "es"],
    "pt": ["portugais", "lusophone", "pt"],
    "ja": ["japonais"],
    "zh": ["chinois", "mandarin"],
    "ru": ["russe", "russophone"],
    "pl": ["polonais"],
    "da": ["danois"],
    "sv": ["suedois"],
}
LANGUAGE_CUES = {"parle", "parlent", "parlant", "langue", "en", "lang", "parl"}
# A visitor's country suggests the language (the agent corrects it if needed).
COUNTRY_LANGUAGE = {"DE": "de", "AT": "de", "NL": "nl", "GB": "en", "US": "en", "IE": "en", "AU": "en", "NZ": "en",
                    "CA": "fr", "IT": "it", "ES": "es", "MX": "es", "AR": "es", "PT": "pt", "BR": "pt", "JP": "ja",
                    "CN": "zh", "RU": "ru", "PL": "pl", "DK": "da", "SE": "sv", "BE": "fr", "CH": "de",
                    "LU": "fr", "MC": "fr"}  # fmt: skip

# Words that carry no fact: never "not understood", never a place.
FILLERS = {
    "de", "du", "des", "d", "la", "le", "les", "l", "a", "au", "aux", "et", "pour", "avec", "sur", "en", "un",
    "une", "qui", "veut", "veulent", "cherche", "cherchent", "recherche", "voudrait", "voudraient", "souhaite",
    "souhaitent", "aimerait", "aimeraient", "demande", "demandent", "infos", "info", "renseignements", "rens",
    "visiteur", "visiteurs", "client", "clients", "touristes", "touriste", "venant", "viennent", "vient", "venus",
    "originaire", "originaires", "habitant", "habitants", "de passage", "passage", "sejour", "sejourne",
    "sejournent", "dans", "le coin", "coin", "region", "secteur", "ici", "on", "nous", "ils", "elles", "il", "elle",
    "+", "&", ",", ".", "/", "-", "pers", "personnes", "personne", "ppl", "pax", "avec leurs", "leurs", "leur",
    "ses", "son", "sa", "mon", "ma", "mes", "y", "par", "jour", "nuit", "pdt", "pendant", "dispo", "dispos",
    "disponibilite", "disponibilites", "quoi", "faire", "que faire", "idees", "idee", "un peu", "bcp", "tres",
    "aussi", "ou", "mais", "chez", "vers", "entre", "depuis", "arrivent", "arrive", "arrivee", "partent",
}  # fmt: skip


@dataclass
class Fact:
    """One thing understood, from some of the words typed: `kind` names the field (or group of fields) it sets."""

    kind: str  # place, country, profile, party, theme, type, stay, language
    value: object
    words: str  # what the agent typed for it, shown on the chip


@dataclass
class Parsed:
    facts: list[Fact] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    # The line in order, each piece with its fact (None: not understood; kind "filler": a word without meaning,
    # like "de"): the chips, and the line without one of them.
    pieces: list[tuple[str, Fact | None]] = field(default_factory=list)

    def values(self, kind: str) -> list:
        return [f.value for f in self.facts if f.kind == kind]

    def first(self, kind: str):
        found = self.values(kind)
        return found[0] if found else None

    @property
    def party(self) -> tuple[int, int] | None:
        """(adults, children) given, else implied by the profile."""
        given = self.first("party")
        if given:
            return given
        for profile in self.values("profile"):
            if profile in PROFILE_PARTY:
                return PROFILE_PARTY[profile]
        return None

    @property
    def profile(self) -> str:
        """One profile: "couple de retraités" is a senior couple (the party says couple)."""
        profiles = self.values("profile")
        for preferred in ("senior", "family", "group", "business", "friends", "couple", "solo"):
            if preferred in profiles:
                return preferred
        return ""

    @property
    def language(self) -> str:
        said = self.first("language")
        if said:
            return said
        return COUNTRY_LANGUAGE.get(self.first("country") or "", "")


def normalize(text: str) -> str:
    """Lower case, no accents, apostrophes and hyphens as spaces: the form agents' spellings share."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("œ", "oe").replace("æ", "ae")
    text = re.sub(r"(\d)\s*-\s*(\d)", r"\1~\2", text)  # "12-15 août": a range, not two words
    text = re.sub(r"[’'`´\-_]", " ", text).replace("~", "-")
    text = re.sub(r"(\d)\s*\+\s*(\d)", r"\1+\2", text)  # "2 + 2" → "2+2"
    text = re.sub(r"([,;:!?()\[\]\"])", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _adjective_forms(adjective: str) -> list[str]:
    if adjective.endswith("ien"):
        stems = [adjective, adjective + "ne"]
    elif adjective.endswith(("ais", "ois")):
        stems = [adjective, adjective + "e"]
    elif adjective.endswith("e"):
        stems = [adjective]
    elif adjective == "grec":
        stems = ["grec", "grecque"]
    elif adjective == "turc":
        stems = ["turc", "turque"]
    else:
        stems = [adjective, adjective + "e"]
    return [form for stem in stems for form in {stem, stem + "s"} if not form.endswith("ss")] + [
        stem for stem in stems if stem.endswith("s")
    ]


def _phrases() -> dict[str, tuple[str, object]]:
    """Every known phrase (normalized) → (kind, value)."""
    table: dict[str, tuple[str, object]] = {}
    for code, (names, adjectives) in COUNTRIES.items():
        for name in names:
            table[normalize(name)] = ("country", code)
        for adjective in adjectives:
            for form in _adjective_forms(normalize(adjective)):
                table.setdefault(form, ("country", code))
    for code, words in PROFILES.items():
        for word in words:
            table[normalize(word)] = ("profile", code)
    for code, words in THEMES.items():
        for word in words:
            table[normalize(word)] = ("theme", code)
    for code, words in TYPES.items():
        for word in words:
            table[normalize(word)] = ("type", code)
    for code, words in LANGUAGES.items():
        for word in words:
            if word.endswith(("phone", "phones")):
                table[normalize(word)] = ("language", code)
    return table


PHRASES = _phrases()
LONGEST = max(len(p.split()) for p in PHRASES)
LANGUAGE_WORDS = {normalize(w): code for code, words in LANGUAGES.items() for w in words}


def _fuzzy(word: str) -> tuple[str, object] | None:
    """One typo (a letter missing, doubled, swapped or wrong) in a word of 5 letters or more."""
    if len(word) < 5:
        return None
    for phrase, meaning in PHRASES.items():
        if " " in phrase or abs(len(phrase) - len(word)) > 1 or len(phrase) < 5 or phrase[0] != word[0]:
            continue
        if _one_edit(word, phrase):
            return meaning
    return None


def _one_edit(a: str, b: str) -> bool:
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])  # fmt: skip
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


def _weekend(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """From Friday (today if the weekend has begun) to Sunday."""
    if today.weekday() >= 4:
        return today, today + datetime.timedelta(days=6 - today.weekday())
    friday = today + datetime.timedelta(days=4 - today.weekday())
    return friday, friday + datetime.timedelta(days=2)


def _date(day: int, month: int, today: datetime.date) -> datetime.date | None:
    """The next such day (this year, or next year if already past)."""
    for year in (today.year, today.year + 1):
        try:
            found = datetime.date(year, month, day)
        except ValueError:
            return None
        if found >= today:
            return found
    return None


DAY_MONTH = r"(\d{1,2})(?:er)?(?:\s*(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b|/(\d{1,2}))?"
RANGE = re.compile(rf"^(?:du |de )?{DAY_MONTH}\s*(?:au|a|-|jusqu au)\s*{DAY_MONTH}")
DURATION = re.compile(
    r"^(?:pour |pdt |pendant )?(\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|quinze)\s*"
    r"(nuits?|nuitees?|n|nts?|soirs?|jours?|j|jrs?|semaines?|sem|sems|sm|w|wk|mois)\b"
)
PARTY = re.compile(
    r"^(\d+|un|une|deux|trois|quatre|cinq|six)\s*(?:adultes?|adlt?s?|ad|a)\b"
    r"(?:\s*(?:et|\+|,)?\s*(\d+|un|une|deux|trois|quatre|cinq|six)\s*(?:enfants?|enf|e|kids?|gamins?|petits?)\b)?"
)
PLUS = re.compile(r"^(\d{1,2})\+(\d{1,2})\b")
CHILDREN = re.compile(
    r"^(?:\+\s*|avec\s+|et\s+)?(\d+|un|une|deux|trois|quatre|cinq|six)\s*"
    r"(?:enfants?|enf|kids?|gamins?|petits?|ados?|bebes?)\b"
)
GROUP = re.compile(r"^(?:groupe|gpe|grp)\s+(?:de\s+)?(\d+)\b|^(\d+)\s*(?:personnes|pers|pax|ppl)\b")
POSTCODE = re.compile(r"^(\d{5})\b")


def _stay_facts(text: str, today: datetime.date) -> tuple[tuple[datetime.date, datetime.date] | None, int]:
    """A stay starting the text: ((start, end), characters used) or (None, 0)."""
    if m := RANGE.match(text):
        d1, m1, n1, d2, m2, n2 = m.groups()
        month2 = MONTHS[m2] if m2 else int(n2) if n2 else today.month
        month1 = MONTHS[m1] if m1 else int(n1) if n1 else month2
        end_guess = _date(int(d2), month2, today)
        start = _date(int(d1), month1, today)
        if start and end_guess and 1 <= month1 <= 12:
            end = end_guess if end_guess >= start else _date(int(d2), month2, start)
            if end:
                return (start, end), m.end()
    if m := DURATION.match(text):
        count = _number(m.group(1)) or 0
        unit = m.group(2)
        if unit.startswith(("sem", "sm", "w")):
            nights = 7 * count
        elif unit == "mois":
            nights = 30 * count
        elif unit.startswith("j"):
            nights = max(count - 1, 1) if count > 1 else 1
        else:
            nights = count
        if 0 < nights <= 366:
            return (today, today + datetime.timedelta(days=nights)), m.end()
    for phrase, stay in (
        ("ce week end", _weekend(today)), ("ce we", _weekend(today)), ("week end", _weekend(today)),
        ("we", _weekend(today)), ("weekend", _weekend(today)), ("ce weekend", _weekend(today)),
        ("ce soir", (today, today + datetime.timedelta(days=1))),
        ("cette nuit", (today, today + datetime.timedelta(days=1))),
        ("une nuit", (today, today + datetime.timedelta(days=1))),
        ("demain", (today + datetime.timedelta(days=1), today + datetime.timedelta(days=2))),
    ):  # fmt: skip
        if text == phrase or text.startswith(phrase + " "):
            return stay, len(phrase)
    return None, 0


def parse(text: str, today: datetime.date, places: PlaceLookup) -> Parsed:
    """Understand `text` as of `today`; `places` finds a commune by normalized name or by postcode."""
    result = Parsed()
    rest = normalize(text)[:500]
    raw_words = text.split()
    while rest:
        rest = rest.strip()
        if not rest:
            break
        last = result.facts[-1] if result.facts else None
        consumed = _take(rest, today, places, result)
        if consumed:
            fact = result.facts[-1] if result.facts and result.facts[-1] is not last else Fact("filler", None, "")
            result.pieces.append((rest[:consumed], fact))
            rest = rest[consumed:]
            continue
        word, _sep, rest = rest.partition(" ")
        if word not in FILLERS or word.isdigit():
            result.unknown.append(_original(word, raw_words))
            result.pieces.append((result.unknown[-1], None))
        else:
            result.pieces.append((word, Fact("filler", None, word)))
    return result


def _original(word: str, raw_words: list[str]) -> str:
    """The word as the agent typed it (accents and case), for the "not understood" chip."""
    for raw in raw_words:
        if normalize(raw) == word:
            return raw
    return word


def _take(rest: str, today, places, result: Parsed) -> int:
    """Understand what starts `rest`; returns the number of characters used (0: nothing understood)."""
    if m := PARTY.match(rest):
        adults = _number(m.group(1)) or 0
        children = _number(m.group(2)) if m.group(2) else 0
        result.facts.append(Fact("party", (adults, children or 0), m.group(0)))
        return m.end()
    if m := PLUS.match(rest):
        result.facts.append(Fact("party", (int(m.group(1)), int(m.group(2))), m.group(0)))
        return m.end()
    if m := CHILDREN.match(rest):
        children = _number(m.group(1)) or 0
        adults = (result.party or (2, 0))[0]
        result.facts = [f for f in result.facts if f.kind != "party"]
        result.facts.append(Fact("party", (adults, children), m.group(0)))
        return m.end()
    if m := GROUP.match(rest):
        size = int(m.group(1) or m.group(2))
        if size > 0:
            result.facts.append(Fact("group", size, m.group(0)))
            if m.group(1):
                result.facts.append(Fact("profile", "group", m.group(0)))
            return m.end()
    stay, used = _stay_facts(rest, today)
    if stay:
        result.facts.append(Fact("stay", stay, rest[:used]))
        return used
    if m := POSTCODE.match(rest):
        place = places(m.group(1))
        if place:
            result.facts.append(Fact("place", place, m.group(1)))
            return m.end()
    words = rest.split(" ")
    # A language: "parle anglais", "en allemand", "langue es".
    if words[0] in LANGUAGE_CUES and len(words) > 1 and words[1] in LANGUAGE_WORDS:
        result.facts.append(Fact("language", LANGUAGE_WORDS[words[1]], f"{words[0]} {words[1]}"))
        return len(words[0]) + 1 + len(words[1])
    # Known phrases, longest first, then communes by name (up to five words: "saint jean de luz").
    for size in range(min(max(LONGEST, 5), len(words)), 0, -1):
        phrase = " ".join(words[:size])
        if phrase in PHRASES:
            kind, value = PHRASES[phrase]
            result.facts.append(Fact(kind, value, phrase))
            return len(phrase)
        if phrase in FILLERS:
            continue
        if (size > 1 or len(phrase) >= 3) and not phrase.isdigit():
            place = places(phrase)
            if place:
                result.facts.append(Fact("place", place, phrase))
                return len(phrase)
    if meaning := _fuzzy(words[0]):
        result.facts.append(Fact(meaning[0], meaning[1], words[0]))
        return len(words[0])
    return 0
