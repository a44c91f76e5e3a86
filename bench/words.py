"""Word pools the synthetic offers are written from: French, tourism-flavoured, deliberately repetitive.

Frequencies matter more than literary quality: the benchmark needs common words ("plage", "piscine", "camping")
to match a few percent of the base, as they do in the real DATAtourisme feed.
"""

# Share of offers per DATAtourisme family (roughly the national feed: many events, accommodation and restaurants).
FAMILY_WEIGHTS = {
    "Accommodation": 24,
    "EntertainmentAndEvent": 20,
    "FoodEstablishment": 13,
    "SportsAndLeisurePlace": 10,
    "CulturalSite": 8,
    "NaturalHeritage": 5,
    "Tour": 5,
    "ActivityProvider": 3,
    "Store": 3,
    "TastingProvider": 2,
    "ServiceProvider": 1,
    "ConvenientService": 2,
    "TouristInformationCenter": 1,
    "Transport": 1,
    "BusinessPlace": 0.5,
    "MedicalPlace": 0.5,
    "Product": 1,
}

# Types more frequent than the others of their family (weight multiplier). Hotel and Restaurant are not leaves
# (their only sub-types are Hôtel-restaurant and a few restaurant kinds) but are the commonest real types.
TYPE_BOOST = {
    "SelfCateringAccommodation": 12,
    "Hotel": 6,
    "Camping": 5,
    "TableHoteGuesthouse": 5,
    "HolidayResort": 1.5,
    "Restaurant": 10,
    "BarOrPub": 2,
    "CafeOrTeahouse": 2,
    "Church": 4,
    "Museum": 4,
    "Castle": 3,
    "Chapel": 3,
    "Beach": 5,
    "Lake": 2,
    "PointOfView": 3,
    "Forest": 2,
    "LocalAnimation": 5,
    "Concert": 4,
    "Market": 3,
    "Exhibition": 3,
    "Festival": 2,
    "WalkingTour": 8,
    "CyclingTour": 3,
    "Gymnasium": 2,
    "SwimmingPool": 2,
    "GolfCourse": 1.5,
    "Marina": 1.5,
    "Producer": 3,
    "CraftsmanShop": 3,
}
EXTRA_TYPES = {"Hotel": "Accommodation", "Restaurant": "FoodEstablishment"}

# The head of an offer's name, by type code, when the type label is not what people write on a sign.
NAME_HEADS = {
    "SelfCateringAccommodation": ["Gîte", "Meublé", "Villa", "Appartement", "Maison", "Studio", "Mas"],
    "TableHoteGuesthouse": ["Chambres d'hôtes", "Chambre d'hôtes", "Maison d'hôtes"],
    "TableHotes": ["Table d'hôtes"],
    "HotelRestaurant": ["Hôtel-restaurant", "Auberge", "Hôtel"],
    "HolidayResort": ["Résidence", "Résidence de tourisme"],
    "CamperVanArea": ["Aire de camping-car"],
    "StopOverOrGroupLodge": ["Gîte d'étape", "Refuge"],
    "YouthHostelAndInternationalCenter": ["Auberge de jeunesse"],
    "ClubOrHolidayVillage": ["Village vacances", "Club"],
    "GourmetRestaurant": ["Restaurant", "La Table"],
    "FastFoodRestaurant": ["Snack", "Pizzeria", "Burger"],
    "BrasserieOrTavern": ["Brasserie", "Taverne"],
    "BistroOrWineBar": ["Bistrot", "Bar à vin"],
    "CafeOrTeahouse": ["Café", "Salon de thé"],
    "FarmhouseInn": ["Ferme-auberge", "Auberge"],
    "StreetFood": ["Food truck"],
    "MountainRestaurant": ["Restaurant d'altitude"],
    "WalkingTour": ["Randonnée", "Sentier", "Balade", "Boucle"],
    "CyclingTour": ["Circuit vélo", "Boucle cyclable", "Véloroute"],
    "Gymnasium": ["Gymnase", "Complexe sportif"],
}

QUALIFIERS = [
    "du Port", "des Oliviers", "Les Pins", "de la Plage", "du Château", "Le Mas Fleuri", "Bellevue", "Beau Rivage",
    "du Moulin", "de la Forêt", "Les Tilleuls", "du Lac", "de la Source", "des Cigales", "du Soleil", "La Bastide",
    "Les Mimosas", "du Vieux Pont", "de l'Abbaye", "des Remparts", "du Golf", "de la Gare", "du Centre",
    "Saint-Pierre", "Sainte-Anne", "La Chaumière", "Le Relais", "des Alpes", "de la Vallée", "du Marché",
    "Les Glycines", "L'Oustalet", "La Pinède", "du Roy", "des Dunes", "de la Colline", "des Vignes", "du Verger",
    "Le Belvédère", "Les Terrasses", "Le Panorama", "des Îles", "de la Baie", "du Cap", "de la Tour", "Le Clos",
    "Les Lavandes", "du Prieuré", "des Sources", "de la Fontaine", "Les Chênes", "du Grand Cerf", "de l'Horloge",
    "Les Hirondelles", "du Phare", "des Pêcheurs", "de la Citadelle", "Le Cèdre", "Les Amandiers", "du Lavoir",
    "des Bruyères", "de la Grange", "Le Fournil", "La Closerie", "du Bois Joli", "Les Écureuils", "du Rocher",
    "de la Calanque", "des Marais", "du Val", "La Roseraie", "Les Platanes", "de la Poste", "du Midi", "Le Chalet",
    "Les Sapins", "des Neiges", "du Torrent", "de la Cascade", "La Ferme", "Le Domaine", "Les Coquelicots",
]  # fmt: skip

SAINTS = [
    "Saint-Martin", "Saint-Pierre", "Saint-Jean", "Notre-Dame", "Saint-Michel", "Saint-Roch", "Saint-Nicolas",
    "Sainte-Anne", "Saint-Étienne", "Saint-Laurent", "Sainte-Marie", "Saint-Sauveur", "Saint-Vincent",
]  # fmt: skip

RESTAURANT_NAMES = [
    "Le Petit Bouchon", "La Table de Marie", "Chez Paul", "Le Comptoir", "L'Escale", "La Marmite", "Le Bistrot",
    "Les Saveurs", "La Bonne Franquette", "Le Jardin Gourmand", "L'Ardoise", "La Cuisine de Léa", "Le Patio",
    "Le Grain de Sel", "La Fourchette", "Les Délices", "Le Vieux Four", "La Paillote", "Le Cabanon", "Chez Nous",
    "L'Instant", "Le Quai", "La Criée", "Le Fournil", "Les Copains d'Abord", "La Guinguette", "Le Sud",
]  # fmt: skip

EVENT_TOPICS = [
    "de jazz", "de la lavande", "du livre", "des vendanges", "de la musique", "médiéval", "du cinéma",
    "de la photographie", "des arts de la rue", "du terroir", "de l'olive", "de la châtaigne", "du vin",
    "nocturne", "des potiers", "de Noël", "de la mer", "du patrimoine", "des enfants", "gourmand",
]  # fmt: skip

WHERE = [
    "au cœur de", "à deux pas du centre de", "aux portes de", "sur les hauteurs de", "au calme à",
    "en pleine nature près de", "dans le village de", "à la sortie de", "à quelques minutes de",
]  # fmt: skip

ADJECTIVES = [
    "familial", "convivial", "authentique", "chaleureux", "typique", "confortable", "rénové", "calme",
    "charmant", "spacieux", "lumineux", "traditionnel", "moderne", "accueillant", "paisible",
]  # fmt: skip

FAMILY_SENTENCES = {
    "Accommodation": [
        "{n} chambres {adj} avec salle d'eau privative et literie de qualité.",
        "Emplacements ombragés, mobil-homes et chalets tout équipés.",
        "Logement {adj} pour {n} personnes, cuisine équipée et linge fourni.",
        "Petit-déjeuner maison servi en terrasse ou dans la salle voûtée.",
        "Séjours à la semaine en haute saison, courts séjours le reste de l'année.",
    ],
    "FoodEstablishment": [
        "Cuisine {adj} à base de produits frais du marché et du terroir.",
        "Spécialités régionales, poissons grillés et desserts maison.",
        "Menu du jour le midi, carte le soir, vins de la région.",
        "Pizzas au feu de bois, salades composées et glaces artisanales.",
    ],
    "CulturalSite": [
        "Édifice du {century} siècle, classé monument historique.",
        "Visites guidées toute l'année, expositions temporaires en été.",
        "Collections {adj}s retraçant l'histoire locale et le patrimoine rural.",
        "Remarquable ensemble architectural, fresques et vitraux restaurés.",
    ],
    "NaturalHeritage": [
        "Site naturel préservé, faune et flore remarquables.",
        "Baignade surveillée en juillet et août, sable fin et eaux claires.",
        "Point de départ de sentiers balisés, panorama sur la vallée.",
        "Espace naturel sensible : restez sur les sentiers.",
    ],
    "SportsAndLeisurePlace": [
        "Activités pour tous les âges : {activity}, {activity2} et {activity3}.",
        "Encadrement par des moniteurs diplômés d'État, matériel fourni.",
        "Ouvert toute l'année, réservation conseillée en haute saison.",
    ],
    "EntertainmentAndEvent": [
        "Rendez-vous incontournable de l'été, entrée libre.",
        "Concerts, animations de rue, buvette et restauration sur place.",
        "Programme détaillé à l'office de tourisme.",
        "Exposants, artisans et producteurs locaux tout le week-end.",
    ],
    "Tour": [
        "Boucle de {n} km, balisage jaune, dénivelé modéré.",
        "Itinéraire accessible en famille, quelques passages techniques.",
        "Parcours jalonné de points de vue et de tables d'orientation.",
    ],
}
GENERIC_SENTENCES = [
    "Accès direct à la plage.", "Piscine chauffée d'avril à octobre.", "Parking gratuit à proximité.",
    "Idéal pour les familles avec enfants.", "Vue panoramique sur la mer.", "Animaux acceptés sur demande.",
    "Au départ de nombreux sentiers de randonnée.", "Proche des pistes de ski et des remontées mécaniques.",
    "Terrasse ombragée et grand jardin.", "Location de vélos et de VTT sur place.", "Wi-Fi gratuit.",
    "Ouvert toute l'année.", "Fermé le lundi hors saison.", "À proximité des commerces et du marché provençal.",
    "Dans un parc arboré de deux hectares.", "Au bord de la rivière, baignade et pêche.",
    "Face au port de pêche.", "Entre mer et montagne.", "Accueil en anglais, allemand et italien.",
    "Groupes sur réservation.", "Tarifs réduits pour les enfants.", "Spa, sauna et hammam.",
    "Soirées à thème en été.", "Produits bio et locaux.", "Navette gratuite vers le centre.",
    "Classé parmi les plus beaux villages de France.", "Vue imprenable sur les vignes.",
]  # fmt: skip
ACTIVITIES = [
    "randonnée", "vélo", "baignade", "pêche", "kayak", "escalade", "équitation", "plongée", "voile",
    "paddle", "tennis", "golf", "ski", "canyoning", "parapente", "tir à l'arc", "accrobranche",
]  # fmt: skip

STREETS = [
    "rue de la République", "avenue du Général de Gaulle", "chemin des Vignes", "route de la Mer",
    "place de l'Église", "boulevard Victor Hugo", "impasse des Lilas", "quai du Port", "lieu-dit Les Granges",
    "rue Jean Jaurès", "avenue de la Libération", "chemin du Moulin", "route nationale", "place du Marché",
]  # fmt: skip

# Labels an offer may carry, by type code (codes of acvs.offer.reference_data.LABELS): (probability, code prefix).
TYPE_LABELS = {
    "Hotel": (0.7, "hotel-{n}-etoiles"),
    "HotelRestaurant": (0.6, "hotel-{n}-etoiles"),
    "Camping": (0.7, "camping-{n}-etoiles"),
    "SelfCateringAccommodation": (0.5, "meuble-{n}-etoiles"),
    "TableHoteGuesthouse": (0.3, "gites-de-france-{n}-epis"),
    "StopOverOrGroupLodge": (0.2, "gites-de-france-{n}-epis"),
}
# Labels any offer may carry (probability each).
COMMON_LABELS = {
    "qualite-tourisme": 0.06,
    "tourisme-handicap-moteur": 0.03,
    "accueil-velo": 0.04,
    "famille-plus": 0.02,
    "clef-verte": 0.01,
}
FAMILY_LABELS = {
    "FoodEstablishment": {"maitre-restaurateur": 0.05, "bistrot-de-pays": 0.02, "vignobles-decouvertes": 0.03},
    "Accommodation": {"logis-hotels": 0.03, "clevacances-{n}-cles": 0.05, "gites-de-france-{n}-epis": 0.05},
    "CulturalSite": {"monument-historique": 0.25, "musee-de-france": 0.05, "jardin-remarquable": 0.02},
    "TastingProvider": {"vignobles-decouvertes": 0.3, "bienvenue-a-la-ferme": 0.2},
}
