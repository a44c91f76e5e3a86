"""Labels, classifications and features used in French tourism (DATAtourisme thesaurus families).

Tuples: labels (code, scheme, kind, rank, French name, English name); features (code, kind, French, English).
"""

C, L, N = "classification", "label", "chain"

LABELS = [
    *[
        (
            f"hotel-{n}-etoiles",
            "Hôtellerie — étoiles",
            C,
            n,
            f"Hôtel {n} étoile{'s' if n > 1 else ''}",
            f"{n}-star hotel",
        )
        for n in range(1, 6)
    ],
    *[
        (
            f"camping-{n}-etoiles",
            "Hôtellerie de plein air — étoiles",
            C,
            n,
            f"Camping {n} étoile{'s' if n > 1 else ''}",
            f"{n}-star campsite",
        )
        for n in range(1, 6)
    ],
    *[
        (
            f"meuble-{n}-etoiles",
            "Meublés de tourisme — étoiles",
            C,
            n,
            f"Meublé de tourisme {n} étoile{'s' if n > 1 else ''}",
            f"{n}-star furnished rental",
        )
        for n in range(1, 6)
    ],
    *[
        (
            f"gites-de-france-{n}-epis",
            "Gîtes de France",
            L,
            n,
            f"Gîtes de France {n} épi{'s' if n > 1 else ''}",
            f"Gîtes de France {n} ear{'s' if n > 1 else ''}",
        )
        for n in range(1, 6)
    ],
    *[
        (
            f"clevacances-{n}-cles",
            "Clévacances",
            L,
            n,
            f"Clévacances {n} clé{'s' if n > 1 else ''}",
            f"Clévacances {n} key{'s' if n > 1 else ''}",
        )
        for n in range(1, 6)
    ],
    (
        "residence-tourisme-4-etoiles",
        "Résidences de tourisme — étoiles",
        C,
        4,
        "Résidence de tourisme 4 étoiles",
        "4-star tourist residence",
    ),
    ("qualite-tourisme", "Qualité Tourisme", L, 0, "Qualité Tourisme", "Qualité Tourisme"),
    (
        "tourisme-handicap-moteur",
        "Tourisme & Handicap",
        L,
        1,
        "Tourisme & Handicap — moteur",
        "Tourisme & Handicap — mobility",
    ),
    (
        "tourisme-handicap-auditif",
        "Tourisme & Handicap",
        L,
        2,
        "Tourisme & Handicap — auditif",
        "Tourisme & Handicap — hearing",
    ),
    (
        "tourisme-handicap-visuel",
        "Tourisme & Handicap",
        L,
        3,
        "Tourisme & Handicap — visuel",
        "Tourisme & Handicap — visual",
    ),
    (
        "tourisme-handicap-mental",
        "Tourisme & Handicap",
        L,
        4,
        "Tourisme & Handicap — mental",
        "Tourisme & Handicap — learning",
    ),
    ("accueil-velo", "Accueil Vélo", L, 0, "Accueil Vélo", "Accueil Vélo (cyclist friendly)"),
    (
        "vignobles-decouvertes",
        "Vignobles & Découvertes",
        L,
        0,
        "Vignobles & Découvertes",
        "Vignobles & Découvertes",
    ),
    ("maitre-restaurateur", "Maître Restaurateur", L, 0, "Maître Restaurateur", "Maître Restaurateur"),
    ("bistrot-de-pays", "Bistrot de Pays", L, 0, "Bistrot de Pays", "Bistrot de Pays"),
    ("logis-hotels", "Logis Hotels", N, 0, "Logis Hotels", "Logis Hotels"),
    ("clef-verte", "Clef Verte", L, 0, "Clef Verte", "Green Key"),
    ("ecolabel-europeen", "Écolabel européen", L, 0, "Écolabel européen", "EU Ecolabel"),
    ("musee-de-france", "Musée de France", L, 0, "Musée de France", "Musée de France"),
    ("monument-historique", "Monument historique", L, 0, "Monument historique", "Historic monument"),
    ("jardin-remarquable", "Jardin remarquable", L, 0, "Jardin remarquable", "Remarkable garden"),
    ("famille-plus", "Famille Plus", L, 0, "Famille Plus", "Famille Plus (family friendly)"),
    (
        "valeurs-parc-naturel",
        "Valeurs Parc naturel régional",
        L,
        0,
        "Valeurs Parc naturel régional",
        "Regional nature park values",
    ),
    ("bienvenue-a-la-ferme", "Bienvenue à la ferme", N, 0, "Bienvenue à la ferme", "Bienvenue à la ferme"),
    ("station-thermale", "Station thermale", L, 0, "Établissement thermal agréé", "Approved thermal spa"),
]

A, X, P = "amenity", "accessibility", "payment"

FEATURES = [
    ("piscine", A, "Piscine", "Swimming pool"),
    ("piscine-chauffee", A, "Piscine chauffée", "Heated swimming pool"),
    ("wifi", A, "Wi-Fi", "Wi-Fi"),
    ("parking", A, "Parking", "Car park"),
    ("parking-autocars", A, "Parking autocars", "Coach parking"),
    ("climatisation", A, "Climatisation", "Air conditioning"),
    ("restaurant", A, "Restaurant", "Restaurant"),
    ("bar", A, "Bar", "Bar"),
    ("terrasse", A, "Terrasse", "Terrace"),
    ("jardin", A, "Jardin", "Garden"),
    ("aire-de-jeux", A, "Aire de jeux", "Playground"),
    ("spa", A, "Spa, bien-être", "Spa, wellness"),
    ("laverie", A, "Laverie", "Laundry"),
    ("borne-recharge", A, "Borne de recharge électrique", "Electric vehicle charging"),
    ("acces-plage", A, "Accès direct à la plage", "Direct beach access"),
    ("barbecue", A, "Barbecue", "Barbecue"),
    ("location-velos", A, "Location de vélos", "Bike rental"),
    ("local-velos", A, "Local à vélos fermé", "Secure bike storage"),
    ("ascenseur", A, "Ascenseur", "Lift"),
    ("animations", A, "Animations", "Entertainment programme"),
    ("club-enfants", A, "Club enfants", "Kids' club"),
    ("salle-seminaire", A, "Salle de séminaire", "Meeting room"),
    ("boutique", A, "Boutique", "Shop"),
    ("visites-guidees", A, "Visites guidées", "Guided tours"),
    ("audioguide", A, "Audioguide", "Audio guide"),
    ("aire-pique-nique", A, "Aire de pique-nique", "Picnic area"),
    ("toilettes", A, "Toilettes", "Toilets"),
    ("fauteuil-roulant", X, "Accessible en fauteuil roulant", "Wheelchair accessible"),
    ("toilettes-adaptees", X, "Toilettes adaptées", "Accessible toilets"),
    ("stationnement-pmr", X, "Places de stationnement réservées", "Reserved disabled parking"),
    ("boucle-magnetique", X, "Boucle à induction magnétique", "Hearing loop"),
    ("documents-braille", X, "Documents en braille ou gros caractères", "Braille or large-print documents"),
    ("chiens-guides", X, "Chiens guides acceptés", "Guide dogs welcome"),
    ("facile-a-lire", X, "Information facile à lire et à comprendre", "Easy-to-read information"),
    ("pret-fauteuil", X, "Prêt de fauteuil roulant", "Wheelchair loan"),
    ("carte-bancaire", P, "Carte bancaire", "Credit card"),
    ("especes", P, "Espèces", "Cash"),
    ("cheques", P, "Chèques", "Cheques"),
    ("cheques-vacances", P, "Chèques-Vacances ANCV", "ANCV holiday vouchers"),
    ("virement", P, "Virement", "Bank transfer"),
    ("sans-contact", P, "Paiement sans contact", "Contactless payment"),
    ("american-express", P, "American Express", "American Express"),
    ("titre-restaurant", P, "Titre-restaurant", "Meal vouchers"),
]
