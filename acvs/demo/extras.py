"""Labels, features, languages and pets policy of a demo offer, consistent with its kind."""


def _stars(quality: float) -> int:
    return min(5, max(1, round(1 + quality * 4)))


def labels(rule: str, rng, zone: str, quality: float, population: int) -> list[str]:
    """Label codes (offer.reference_data.LABELS) plausible for the kind: stars only where they exist."""
    out = []

    def maybe(code: str, chance: float):
        if rng.random() < chance:
            out.append(code)

    n = _stars(quality)
    if rule == "hotel":
        maybe(f"hotel-{n}-etoiles", 0.9)
        if n in (2, 3):
            maybe("logis-hotels", 0.15)
        maybe("qualite-tourisme", 0.15)
        maybe("clef-verte", 0.06)
        maybe("tourisme-handicap-moteur", 0.06)
        if zone != "coast":
            maybe("accueil-velo", 0.12)
    elif rule == "camping":
        maybe(f"camping-{n}-etoiles", 0.92)
        maybe("clef-verte", 0.08)
        maybe("qualite-tourisme", 0.08)
    elif rule == "gite":
        if rng.random() < 0.75:
            out.append(f"gites-de-france-{min(4, max(1, n))}-epis")
        else:
            out.append(f"meuble-{min(4, n)}-etoiles")
        maybe("accueil-velo", 0.08)
    elif rule == "meuble":
        r = rng.random()
        if r < 0.6:
            out.append(f"meuble-{n}-etoiles")
        elif r < 0.8:
            out.append(f"clevacances-{min(4, n)}-cles")
    elif rule == "guesthouse":
        r = rng.random()
        if r < 0.5:
            out.append(f"gites-de-france-{min(4, max(2, n))}-epis")
        elif r < 0.6:
            out.append(f"clevacances-{min(4, max(2, n))}-cles")
        maybe("accueil-velo", 0.1)
        maybe("qualite-tourisme", 0.05)
    elif rule == "collective":
        maybe("qualite-tourisme", 0.15)
        maybe("tourisme-handicap-moteur", 0.1)
    elif rule == "residence":
        maybe("residence-tourisme-4-etoiles", 0.3)
    elif rule in ("food", "gourmet"):
        maybe("maitre-restaurateur", 0.3 if rule == "gourmet" else 0.07)
        maybe("qualite-tourisme", 0.1)
    elif rule == "bar":
        if population < 2500:
            maybe("bistrot-de-pays", 0.2)
    elif rule == "museum":
        maybe("musee-de-france", 0.25)
        maybe("tourisme-handicap-moteur", 0.2)
        maybe("qualite-tourisme", 0.12)
    elif rule == "monument":
        maybe("monument-historique", 0.45)
    elif rule == "garden":
        maybe("jardin-remarquable", 0.12)
    elif rule == "wine":
        maybe("vignobles-decouvertes", 0.4)
        maybe("bienvenue-a-la-ferme", 0.08)
    elif rule == "farm":
        maybe("bienvenue-a-la-ferme", 0.4)
    elif rule == "activity":
        maybe("qualite-tourisme", 0.15)
        maybe("famille-plus", 0.08)
    elif rule == "rental":
        maybe("accueil-velo", 0.4)
    elif rule == "office":
        maybe("qualite-tourisme", 0.7)
        maybe("tourisme-handicap-moteur", 0.4)
    if rule in ("gite", "guesthouse", "farm", "activity") and zone in ("verdon", "haute"):
        maybe("valeurs-parc-naturel", 0.08)
    return out


ACCESSIBILITY = ("fauteuil-roulant", "toilettes-adaptees", "stationnement-pmr", "boucle-magnetique",
                 "documents-braille", "chiens-guides", "facile-a-lire", "pret-fauteuil")  # fmt: skip
PAYMENTS = {
    "stay": (("carte-bancaire", 0.95), ("especes", 0.7), ("cheques", 0.4), ("cheques-vacances", 0.45),
             ("virement", 0.5), ("sans-contact", 0.5), ("american-express", 0.15)),
    "food": (("carte-bancaire", 0.95), ("especes", 0.9), ("titre-restaurant", 0.55), ("sans-contact", 0.7),
             ("cheques", 0.2), ("cheques-vacances", 0.2), ("american-express", 0.1)),
    "shop": (("carte-bancaire", 0.9), ("especes", 0.95), ("sans-contact", 0.6), ("cheques", 0.3)),
    "site": (("carte-bancaire", 0.7), ("especes", 0.95), ("cheques", 0.3), ("cheques-vacances", 0.3)),
}  # fmt: skip


def features(kind, rng, quality: float) -> list[str]:
    out = [code for code in kind.features if rng.random() < 0.35 + 0.4 * quality]
    if kind.access and rng.random() < 0.45:
        out += rng.sample(ACCESSIBILITY, rng.randint(1, 4))
    out += [code for code, chance in PAYMENTS.get(kind.pay, ()) if rng.random() < chance]
    return list(dict.fromkeys(out))


def languages(kind, rng) -> list[str]:
    if kind.provider == "none":
        return []
    spoken = ["fr"]
    for code, chance in (("en", 0.8), ("it", 0.3), ("de", 0.25), ("es", 0.15), ("nl", 0.08)):
        if rng.random() < chance:
            spoken.append(code)
    return spoken


PETS = {
    "stay": (("allowed", 0.4), ("on_request", 0.3), ("forbidden", 0.25), ("", 0.05)),
    "food": (("allowed", 0.7), ("forbidden", 0.15), ("", 0.15)),
    "indoor": (("forbidden", 0.6), ("", 0.4)),
    "outdoor": (("allowed", 0.5), ("", 0.5)),
    "beach": (("forbidden", 0.8), ("", 0.2)),
}


def pets(rule: str, rng) -> str:
    if rule not in PETS:
        return ""
    values, weights = zip(*PETS[rule], strict=True)
    return rng.choices(values, weights)[0]
