"""Word pools and French grammar helpers the demo names, addresses and texts are built from.

A pool entry may start with "zone1,zone2|" to be drawn only in those zones (see geo.ZONES).
"""

from django.utils.text import slugify

VOWELS = tuple("AEIOUYÉÈÊÂÎÔÛaeiouyéèêâîôûHh")
H_ASPIRE = ("Hautes-", "Haut-", "Haute-")


def _elides(word: str) -> bool:
    return word.startswith(VOWELS) and not word.startswith(H_ASPIRE)


def de(name: str) -> str:
    """'de' before a place or a phrase with its article: du Lavandou, des Mées, d'Hyères, de la Provence Verte."""
    for article, contracted in (("Le ", "du "), ("le ", "du "), ("Les ", "des "), ("les ", "des ")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    return ("d'" if _elides(name) else "de ") + name


def a(name: str) -> str:
    """'à' before a place or a phrase: au Lavandou, aux Mées, à La Croix-Valmer, à la rade de Toulon."""
    for article, contracted in (("Le ", "au "), ("le ", "au "), ("Les ", "aux "), ("les ", "aux ")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    return "à " + name


def words(text: str) -> list[str]:
    """Split a long literal list of words (kept compact on purpose)."""
    return text.split()


def cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def slug(text: str) -> str:
    return slugify(text.replace("'", " ").replace("’", " "))


def in_zone(entry: str, zone: str) -> str | None:
    """The entry's text if it may be drawn in `zone`, else None."""
    if "|" not in entry:
        return entry
    zones, text = entry.split("|", 1)
    return text if zone in zones.split(",") else None


def pick(rng, pool, zone: str) -> str:
    choices = [t for t in (in_zone(e, zone) for e in pool) if t is not None]
    return rng.choice(choices)


FIRST_NAMES = words(
    "Marie Nathalie Isabelle Sylvie Catherine Christine Sophie Valérie Sandrine Céline Julie Aurélie Émilie "
    "Laura Camille Manon Léa Chloé Pauline Marion Élodie Mireille Magali Odile Anne Claire Hélène Delphine "
    "Laetitia Jean Pierre Michel Philippe Alain Patrick Nicolas Christophe Laurent Stéphane Frédéric Olivier "
    "Thierry Sébastien Julien Guillaume Romain Thomas Maxime Antoine Lucas Hugo Mathieu Fabien Bruno Gilles "
    "Didier Marius"
)
LAST_NAMES = words(
    "Martin Bernard Giraud Blanc Roux Fabre Arnaud Olivier Reynaud Michel Rossi Bonnet Chabert Audibert Gras "
    "Imbert Ricard Aubert Maurel Barbier Guérin Ferrand Coste Sicard Féraud Laugier Garcia Bertrand Lambert "
    "Fournier Girard Mercier Jourdan Gilly Pellegrin Autran Bœuf Isnard Castellan Brun Ollivier Roche Faure "
    "Meffre Granier Espitalier Brémond Achard Tardieu Pons Vidal Gautier Arnoux Richaud Mouton Esmieu Chauvet "
    "Lombard Bellon Rolland Honnorat Arnal Dalmasso Ferrero Marino Fiori Leroy Moreau Petit Dubois Laurent"
)

STREETS = (
    "rue de la République", "rue Nationale", "rue Victor Hugo", "rue Jean Jaurès", "rue du Général de Gaulle",
    "avenue Jean Moulin", "avenue des Pins", "avenue Frédéric Mistral", "avenue de la Libération",
    "boulevard Pasteur", "boulevard Gambetta", "rue des Écoles", "rue de l'Église", "rue du Four", "rue Neuve",
    "traverse des Oliviers", "impasse des Cigales", "allée des Platanes", "rue des Remparts", "rue Paul Cézanne",
    "coast|boulevard du Front de Mer", "coast|promenade de la Mer", "coast|quai du Port", "coast|avenue de la Plage",
    "coast|corniche des Îles", "coast|boulevard des Mimosas", "coast|chemin du Littoral", "coast|avenue des Tamaris",
    "var,haute,verdon|chemin des Vignes", "var,haute,verdon|chemin de la Bastide", "var,haute,verdon|montée du Château",
    "var,haute,verdon|chemin des Oliviers", "var,haute|chemin de la Colle", "haute,verdon|chemin des Lavandes",
    "mountain|rue du Mélézen", "mountain|chemin des Mélèzes", "mountain|rue Manuel", "mountain|chemin de la Forêt",
    "mountain|avenue des Trois Frères Arnaud", "mountain,verdon|rue du Pont",
)  # fmt: skip
PLACES = (
    "place de la Mairie", "place de l'Église", "place du Marché", "place de la Fontaine", "cours Gambetta",
    "place des Ormeaux", "coast|place du Port", "mountain|place du Village",
)  # fmt: skip
LIEUX_DITS = (
    "quartier Saint-Pierre", "lieu-dit Les Plaines", "quartier Les Bastides", "lieu-dit La Grande Bastide",
    "quartier Sainte-Anne", "lieu-dit Le Collet", "quartier La Tuilière", "lieu-dit Les Fourques",
    "mountain|hameau Les Granges", "mountain|hameau de La Fresquière", "haute,verdon|lieu-dit Les Lavandins",
    "coast|quartier La Gaillarde", "coast|quartier Les Canebiers",
)  # fmt: skip

# Pools drawn by the {placeholders} of name patterns.
POOLS = {
    "plants": (
        "Les Oliviers", "Les Pins", "Les Cigales", "Les Lavandes", "Les Amandiers", "Les Figuiers", "Les Chênes verts",
        "Les Romarins", "Les Cyprès", "Les Arbousiers", "Les Micocouliers", "Les Platanes", "Les Bruyères",
        "Les Glycines", "Les Genêts", "coast,var|Les Mimosas", "coast,var|Les Lauriers-Roses", "coast|Les Tamaris",
        "coast|Les Palmiers", "coast|Les Agaves", "coast|Les Eucalyptus", "coast|Les Orangers", "coast|Les Myrtes",
        "coast,var|Les Chênes-Lièges", "mountain|Les Mélèzes", "mountain|Les Edelweiss", "mountain|Les Gentianes",
        "mountain|Les Sapins", "mountain|Les Myrtilles", "mountain|Les Marmottes",
    ),
    "plant": (
        "La Lavande", "Le Figuier", "L'Amandier", "La Glycine", "Le Romarin", "La Farigoule", "Le Micocoulier",
        "L'Arbousier", "La Sarriette", "Le Cade", "Le Thym", "La Capucine", "coast,var,verdon,haute|L'Olivier",
        "coast,var|Le Mimosa", "mountain|Le Mélèze", "mountain|L'Edelweiss", "mountain|La Gentiane",
        "mountain|L'Arnica", "mountain|Le Génépi",
    ),
    "des_plants": (
        "des Lavandes", "des Figuiers", "des Cyprès", "des Chênes", "des Pins", "des Sources", "des Tilleuls",
        "coast,var,verdon,haute|des Oliviers", "coast,var,verdon,haute|des Amandiers", "coast,var,haute|des Cigales",
        "coast,var|des Grenadiers", "coast,var,haute|des Vignes", "mountain|des Mélèzes", "mountain|des Marmottes",
        "mountain|des Sapins", "mountain|des Alpages",
    ),
    "view": (
        "Bellevue", "Beau Site", "Le Belvédère", "Bon Repos", "Le Panorama", "L'Horizon", "Les Terrasses",
        "Le Soleil", "coast|Miramar", "coast|Beau Rivage", "coast|La Vigie", "coast|Les Flots Bleus", "coast|Le Cap",
        "coast|La Calanque", "mountain|Le Chamois", "mountain|Les Cimes", "mountain|L'Adret", "verdon|Le Grand Canyon",
    ),
    "toponym": (
        "la Croix", "la Source", "Saint-Jean", "Saint-Pierre", "la Colle", "la Tour", "Sainte-Anne", "Saint-Martin",
        "la Bergerie", "la Pinède", "l'Oratoire", "la Garrigue", "la Verrerie", "la Font", "la Gavotte", "l'Ermitage",
        "la Bastide Neuve", "la Grande Pièce", "la Roque", "Saint-Honorat", "la Brulière", "Valcros", "la Mourre",
        "Fontvieille", "la Tuilière", "Pierrefeu", "Roquefeuille", "la Cabane", "Saint-Estève", "Beaulieu",
        "coast|la Pointe", "coast|la Madrague", "mountain|la Fresquière", "mountain|Fontanil",
    ),
    "beach": (
        "la Gaillarde", "l'Escalet", "la Briande", "Bon Porteau", "la Fossette", "l'Estagnol", "la Badine",
        "la Favière", "Saint-Clair", "la Garonnette", "la Nartelle", "la Péguière", "le Layet", "l'Argentière",
        "la Tour Fondue", "la Mitre", "la Baumette", "l'Anse du Pré", "la Vigie", "la Galère", "Pardigon",
        "le Canadeau", "la Bergerie", "l'Almanarre", "les Sablettes", "les Salins", "la Capte", "Cabasson",
        "la Moutte", "les Canebiers", "la Ponche", "les Graniers", "le Rayolet", "la Douane", "Héraclée",
    ),
    "saint": (
        "Pierre", "Roch", "Sébastien", "Honorat", "Trophime", "Eutrope", "Pons", "Michel", "Jean-Baptiste",
        "Marc", "Clair", "Hermentaire", "Étienne", "Laurent", "Martin", "Victor", "Joseph", "Vincent", "Maurice",
        "Grégoire", "Sauveur", "Blaise", "Cyprien", "Ferréol", "Donat", "Jacques", "Marcel", "Barthélemy",
    ),
    "sainte": ("Anne", "Madeleine", "Catherine", "Marguerite", "Brigitte", "Rosaline", "Consorce", "Christine"),
    "notre_dame": (
        "Notre-Dame-de-Pitié", "Notre-Dame-de-Consolation", "Notre-Dame-de-Beauvoir", "Notre-Dame-de-Bon-Secours",
        "Notre-Dame-de-l'Annonciade", "Notre-Dame-de-la-Garde", "Notre-Dame-de-Grâce", "Notre-Dame-de-Nazareth",
        "Notre-Dame-de-Lorette", "Notre-Dame-de-la-Salette", "Notre-Dame-de-Bon-Voyage", "Notre-Dame-de-l'Ormeau",
        "Notre-Dame-des-Anges", "Notre-Dame-de-Spéluque", "Notre-Dame-de-l'Assomption", "Notre-Dame-du-Roc",
        "Notre-Dame-de-la-Roquette", "Notre-Dame-de-Vie", "mountain|Notre-Dame-des-Neiges", "coast|Notre-Dame-du-Mai",
        "coast|Notre-Dame-de-la-Mer", "verdon|Notre-Dame-de-la-Roche",
    ),
    "river": (
        "var|l'Argens", "var|le Caramy", "var|l'Issole", "var|la Nartuby", "var|le Gapeau", "var|la Bresque",
        "var|l'Aille", "var|la Siagne", "haute|la Bléone", "haute|l'Asse", "haute|le Bès", "haute|le Vançon",
        "haute|le Lauzon", "haute|le Largue", "haute|le Jabron", "verdon|l'Artuby", "verdon|le Jabron",
        "verdon|le Colostre", "verdon|l'Issole", "verdon|le Bau", "mountain|l'Ubaye", "mountain|le Bachelard",
        "mountain|l'Ubayette", "mountain|le Riou Bourdoux", "mountain|le Verdon", "coast|la Giscle",
        "coast|le Préconil", "coast|le Batailler", "coast|la Môle", "coast|le Pansard", "coast|la Garonne",
    ),
    "summit": (
        "coast,var|la Colle Noire", "coast,var|le Bau Rouge", "coast,var|le Mont Caume", "var|la Loube",
        "coast|la Fenouillère", "coast|le Fenouillet", "coast|le Pic de l'Ours", "coast|le Mont Vinaigre",
        "var|le Mont Aurélien", "var|la Sainte-Baume", "var,verdon|le Grand Margès",
        "verdon,haute|le Mourre de Chanier",
        "verdon,haute|le Mont Denier", "haute|le Pic de Couar", "haute|la Montagne de Lure", "haute|le Cousson",
        "mountain|la Tête de Siguret", "mountain|le Chapeau de Gendarme", "mountain|le Pain de Sucre",
        "mountain|le Grand Bérard", "mountain|la Tête de la Sestrière", "mountain|la Tête de l'Estrop",
    ),
    "family": tuple(f"{n}" for n in LAST_NAMES[:40]),
    "first": tuple(FIRST_NAMES),
    "italian": (
        "Da Marco", "Chez Luigi", "La Dolce Vita", "Il Gusto", "Bella Napoli", "La Trattoria", "Il Forno", "Da Peppe",
        "La Piazza", "Il Vesuvio", "La Mamma", "Da Nino", "Il Borgo", "La Tavola", "Bella Vista", "Chez Giovanni",
        "Il Fornaio", "La Romana", "Da Sandro", "L'Antica Pizzeria",
    ),
    "asian": ("Le Jardin de Saigon", "Le Lotus d'Or", "Sakura", "Le Palais de Chine", "Thaï Orchidée", "Le Bambou"),
    "sea": (
        "La Table du Port", "Le Pescadou", "La Bouillabaisse", "Le Poisson d'Argent", "La Marée", "L'Écume",
        "La Vague", "Le Bistrot de la Plage", "Les Pieds dans l'Eau", "La Palangrotte", "Le Goéland", "La Rascasse",
    ),
    "provencal": (
        "La Table de Provence", "Le Mas", "L'Oustau", "La Farigoule", "Le Pistou", "La Bastide", "La Calade",
        "L'Aïoli", "La Fontaine", "Le Petit Jardin", "La Treille", "Le Cabanon", "L'Olivier", "Le Tilleul",
        "Lou Cigalou", "La Tonnelle", "La Cuisine de Margot", "Les Saveurs du Marché", "L'Épicurien",
    ),
    "mountain_food": (
        "La Marmotte", "Le Chamois", "Le Refuge", "La Grange", "Le Mélézin", "La Bergerie", "L'Ubayette",
        "La Tartiflette", "Le Bivouac", "L'Edelweiss",
    ),
}  # fmt: skip


def street(rng, place, rural=False) -> str:
    """A plausible postal address in the place's commune; out in the countryside when rural."""
    kind = rng.choice((0.6, 0.9)) if rural else rng.random()
    if kind < 0.55:
        return f"{rng.randint(1, 48)} {pick(rng, STREETS, place.zone)}"
    if kind < 0.72 and place.neighbours:
        return f"{rng.randrange(20, 2400, 10)} route {de(rng.choice(place.neighbours[:3]))}"
    if kind < 0.85:
        return pick(rng, PLACES, place.zone)
    return f"{cap(pick(rng, LIEUX_DITS, place.zone))}, chemin {de(rng.choice(POOLS['toponym'][:28]))}"


def site_address(rng, place, loc: str) -> str:
    """Where a place without a street address is found: a departure point, a lieu-dit, or nothing."""
    spot = rng.choice(POOLS["toponym"][:28])
    if loc in ("tour", "coastal"):
        return rng.choice(
            ("Départ : parking de la mairie", "Départ : place de l'Église", f"Départ : parking {de(spot)}")
        )
    if loc == "beach":
        return rng.choice(("", "", "Boulevard du Front de Mer", "Corniche du littoral", "Chemin de la plage"))
    return "" if rng.random() < 0.4 else f"Lieu-dit {cap(spot)}"


def person(rng) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
