"""The quick line on phrasings as agents type them: accents or not, abbreviations, typos, any order."""

import datetime

import pytest

from acvs.desk.quickline import parse

TODAY = datetime.date(2026, 12, 3)  # a Thursday
PLACES = {
    "nantes": ("44109", "Nantes (44000)", "44000"),
    "44000": ("44109", "Nantes (44000)", "44000"),
    "lyon": ("69123", "Lyon (69001)", "69001"),
    "69003": ("69123", "Lyon (69001)", "69001"),
    "saint etienne": ("42218", "Saint-Étienne (42000)", "42000"),
    "st etienne": ("42218", "Saint-Étienne (42000)", "42000"),
    "aix en provence": ("13001", "Aix-en-Provence (13080)", "13080"),
    "paris": ("75056", "Paris (75001)", "75001"),
    "75015": ("75056", "Paris (75001)", "75001"),
    "lille": ("59350", "Lille (59000)", "59000"),
}


def days(start: int, end: int) -> tuple[datetime.date, datetime.date]:
    return TODAY + datetime.timedelta(days=start), TODAY + datetime.timedelta(days=end)


def summary(text: str) -> dict:
    parsed = parse(text, TODAY, PLACES.get)
    found = {
        "place": parsed.first("place")[0] if parsed.first("place") else None,
        "country": parsed.first("country"),
        "profile": parsed.profile or None,
        "party": parsed.party,
        "themes": set(parsed.values("theme")) or None,
        "types": set(parsed.values("type")) or None,
        "stay": parsed.first("stay"),
        "language": parsed.language or None,
        "group": parsed.first("group"),
        "unknown": parsed.unknown or None,
    }
    return {k: v for k, v in found.items() if v is not None}


WEEK = days(0, 7)
WEEKEND = (datetime.date(2026, 12, 4), datetime.date(2026, 12, 6))
C, F, S = (2, 0), (2, 2), (1, 0)
CASES = [
    # The examples.
    (
        "couple nantes vélo chambre d'hôtes 1 semaine",
        {
            "place": "44109",
            "profile": "couple",
            "party": C,
            "themes": {"cycling"},
            "types": {"Guesthouse"},
            "stay": WEEK,
        },
    ),
    ("famille allemande 2+2", {"country": "DE", "profile": "family", "party": F, "language": "de"}),
    (
        "seniors belges rando 3 nuits",
        {"country": "BE", "profile": "senior", "party": C, "themes": {"hiking"}, "stay": days(0, 3), "language": "fr"},
    ),
    # Places: names, postcodes, "st", hyphens and accents.
    ("couple de Nantes", {"place": "44109", "profile": "couple", "party": C}),
    ("NANTES couple", {"place": "44109", "profile": "couple", "party": C}),
    ("44000 famille", {"place": "44109", "profile": "family", "party": F}),
    ("de lyon en velo", {"place": "69123", "themes": {"cycling"}}),
    ("69003 rando", {"place": "69123", "themes": {"hiking"}}),
    ("famille de St-Etienne", {"place": "42218", "profile": "family", "party": F}),
    ("famille de saint étienne", {"place": "42218", "profile": "family", "party": F}),
    ("couple d'Aix-en-Provence plage", {"place": "13001", "profile": "couple", "party": C, "themes": {"beaches"}}),
    ("aix en provence, camping", {"place": "13001", "types": {"Camping"}}),
    ("Paris 2 adultes", {"place": "75056", "party": (2, 0)}),
    ("75015 seul", {"place": "75056", "profile": "solo", "party": S}),
    ("lille famille 2+3", {"place": "59350", "profile": "family", "party": (2, 3)}),
    # Countries and adjectives, any gender or number.
    ("allemands", {"country": "DE", "language": "de"}),
    ("Allemagne", {"country": "DE", "language": "de"}),
    ("couple allemand", {"country": "DE", "profile": "couple", "party": C, "language": "de"}),
    ("belge", {"country": "BE", "language": "fr"}),
    ("famille belge", {"country": "BE", "profile": "family", "party": F, "language": "fr"}),
    ("Belgique", {"country": "BE", "language": "fr"}),
    ("hollandais", {"country": "NL", "language": "nl"}),
    ("néerlandaise", {"country": "NL", "language": "nl"}),
    ("Pays-Bas", {"country": "NL", "language": "nl"}),
    ("anglais", {"country": "GB", "language": "en"}),
    ("britanniques", {"country": "GB", "language": "en"}),
    ("uk", {"country": "GB", "language": "en"}),
    ("italiens", {"country": "IT", "language": "it"}),
    ("italienne", {"country": "IT", "language": "it"}),
    ("suisses", {"country": "CH", "language": "de"}),
    ("espagnols", {"country": "ES", "language": "es"}),
    ("américains", {"country": "US", "language": "en"}),
    ("usa", {"country": "US", "language": "en"}),
    ("canadiens", {"country": "CA", "language": "fr"}),
    ("québécoise", {"country": "CA", "language": "fr"}),
    ("autrichiens", {"country": "AT", "language": "de"}),
    ("danois", {"country": "DK", "language": "da"}),
    ("suédoises", {"country": "SE", "language": "sv"}),
    ("polonais", {"country": "PL", "language": "pl"}),
    ("portugais", {"country": "PT", "language": "pt"}),
    ("japonais", {"country": "JP", "language": "ja"}),
    ("luxembourgeois", {"country": "LU", "language": "fr"}),
    ("irlandais", {"country": "IE", "language": "en"}),
    ("grecs", {"country": "GR"}),
    ("tchèques", {"country": "CZ"}),
    # Languages.
    ("hollandais parlent anglais", {"country": "NL", "language": "en"}),
    ("suisses en allemand", {"country": "CH", "language": "de"}),
    ("couple anglophone", {"profile": "couple", "party": C, "language": "en"}),
    ("famille germanophone", {"profile": "family", "party": F, "language": "de"}),
    ("parle espagnol", {"language": "es"}),
    ("langue it", {"language": "it"}),
    ("belges néerlandophones", {"country": "BE", "language": "nl"}),
    # Profiles and parties.
    ("couple", {"profile": "couple", "party": C}),
    ("cpl", {"profile": "couple", "party": C}),
    ("fam", {"profile": "family", "party": F}),
    ("famile", {"profile": "family", "party": F}),
    ("seul", {"profile": "solo", "party": S}),
    ("seule", {"profile": "solo", "party": S}),
    ("retraités", {"profile": "senior", "party": C}),
    ("couple de retraités", {"profile": "senior", "party": C}),
    ("seniors", {"profile": "senior", "party": C}),
    ("amis", {"profile": "friends"}),
    ("entre potes", {"profile": "friends"}),
    ("2 adultes 1 enfant", {"party": (2, 1)}),
    ("2 adultes et 3 enfants", {"party": (2, 3)}),
    ("3 adultes", {"party": (3, 0)}),
    ("2a 2e", {"party": (2, 2)}),
    ("2+1", {"party": (2, 1)}),
    ("2 + 2", {"party": (2, 2)}),
    ("famille 2+3", {"profile": "family", "party": (2, 3)}),
    ("couple avec 1 enfant", {"profile": "couple", "party": (2, 1)}),
    ("famille avec 3 enfants", {"profile": "family", "party": (2, 3)}),
    ("deux adultes", {"party": (2, 0)}),
    ("groupe de 25", {"profile": "group", "group": 25}),
    ("gpe 12 rando", {"profile": "group", "group": 12, "themes": {"hiking"}}),
    ("30 personnes", {"group": 30}),
    # Themes, with abbreviations and typos.
    ("rando", {"themes": {"hiking"}}),
    ("randonnée", {"themes": {"hiking"}}),
    ("randonee", {"themes": {"hiking"}}),
    ("randonées patrimoine", {"themes": {"hiking", "heritage"}}),
    ("vélo", {"themes": {"cycling"}}),
    ("VTT", {"themes": {"cycling"}}),
    ("velo electrique", {"themes": {"cycling"}}),
    ("plage", {"themes": {"beaches"}}),
    ("plages et baignade", {"themes": {"beaches"}}),
    ("patrimoine musées", {"themes": {"heritage"}}),
    ("vins dégustation", {"themes": {"food-wine"}}),
    ("kayak plongée", {"themes": {"water-sports"}}),
    ("festival concerts", {"themes": {"culture-festivals"}}),
    ("spa détente", {"themes": {"wellness"}}),
    ("ski", {"themes": {"ski-mountain"}}),
    ("marchés provençaux", {"themes": {"shopping-markets"}}),
    ("nature gorges du verdon", {"themes": {"nature"}}),
    # Precise types.
    ("chambre d'hôtes", {"types": {"Guesthouse"}}),
    ("chambres d'hotes", {"types": {"Guesthouse"}}),
    ("chbre d'hôtes", {"types": {"Guesthouse"}}),
    ("ch d'hôtes", {"types": {"Guesthouse"}}),
    ("ch d hotes", {"types": {"Guesthouse"}}),
    ("B&B", {"types": {"Guesthouse"}}),
    ("camping", {"types": {"Camping"}}),
    ("campng", {"types": {"Camping"}}),
    ("mobil-home", {"types": {"Camping"}}),
    ("hôtel", {"types": {"Hotel"}}),
    ("hotels", {"types": {"Hotel"}}),
    ("gîte", {"types": {"SelfCateringAccommodation"}}),
    ("location", {"types": {"SelfCateringAccommodation"}}),
    ("camping-car", {"types": {"CamperVanArea"}}),
    ("camping car", {"types": {"CamperVanArea"}}),
    ("auberge de jeunesse", {"types": {"YouthHostelAndInternationalCenter"}}),
    ("hébergement", {"types": {"Accommodation"}}),
    ("hebgt", {"types": {"Accommodation"}}),
    ("circuits vélo", {"types": {"CyclingTour"}}),
    ("itinéraire pédestre", {"types": {"WalkingTour"}}),
    ("village vacances", {"types": {"ClubOrHolidayVillage"}}),
    # Stays.
    ("3 nuits", {"stay": days(0, 3)}),
    ("3 nuit", {"stay": days(0, 3)}),
    ("3n", {"stay": days(0, 3)}),
    ("trois nuits", {"stay": days(0, 3)}),
    ("1 semaine", {"stay": WEEK}),
    ("une semaine", {"stay": WEEK}),
    ("1 sem", {"stay": WEEK}),
    ("2 semaines", {"stay": days(0, 14)}),
    ("pour 5 nuits", {"stay": days(0, 5)}),
    ("ce week-end", {"stay": WEEKEND}),
    ("ce we", {"stay": WEEKEND}),
    ("ce weekend", {"stay": WEEKEND}),
    ("ce soir", {"stay": days(0, 1)}),
    ("cette nuit", {"stay": days(0, 1)}),
    ("demain", {"stay": days(1, 2)}),
    ("du 12 au 15 juillet", {"stay": (datetime.date(2027, 7, 12), datetime.date(2027, 7, 15))}),
    ("du 12 au 15 juil", {"stay": (datetime.date(2027, 7, 12), datetime.date(2027, 7, 15))}),
    ("12-15 août", {"stay": (datetime.date(2027, 8, 12), datetime.date(2027, 8, 15))}),
    ("du 28 décembre au 2 janvier", {"stay": (datetime.date(2026, 12, 28), datetime.date(2027, 1, 2))}),
    ("du 20/12 au 27/12", {"stay": (datetime.date(2026, 12, 20), datetime.date(2026, 12, 27))}),
    ("du 1er au 8 mai", {"stay": (datetime.date(2027, 5, 1), datetime.date(2027, 5, 8))}),
    # Whole lines, in any order.
    (
        "couple de retraités de Lyon, ch d'hôtes, ce week-end",
        {"place": "69123", "profile": "senior", "party": C, "types": {"Guesthouse"}, "stay": WEEKEND},
    ),
    (
        "famile belge chbre d hotes 5 nuits",
        {
            "country": "BE",
            "profile": "family",
            "party": F,
            "types": {"Guesthouse"},
            "stay": days(0, 5),
            "language": "fr",
        },
    ),
    (
        "randonée patrimoine 44000 cpl",
        {"place": "44109", "profile": "couple", "party": C, "themes": {"hiking", "heritage"}},
    ),
    (
        "hollandais camping car 1 sem parlent anglais",
        {"country": "NL", "types": {"CamperVanArea"}, "stay": WEEK, "language": "en"},
    ),
    (
        "2 adultes 1 enfant du 12 au 15 juillet camping",
        {"party": (2, 1), "types": {"Camping"}, "stay": (datetime.date(2027, 7, 12), datetime.date(2027, 7, 15))},
    ),
    (
        "italiens 2+2 plage hôtel 3 nuits",
        {"country": "IT", "party": F, "themes": {"beaches"}, "types": {"Hotel"}, "stay": days(0, 3), "language": "it"},
    ),
    (
        "Couple Allemand VELO gite 2 sem",
        {
            "country": "DE",
            "profile": "couple",
            "party": C,
            "themes": {"cycling"},
            "types": {"SelfCateringAccommodation"},
            "stay": days(0, 14),
            "language": "de",
        },
    ),
    (
        "seniors de Paris patrimoine hôtel ce we",
        {
            "place": "75056",
            "profile": "senior",
            "party": C,
            "themes": {"heritage"},
            "types": {"Hotel"},
            "stay": WEEKEND,
        },
    ),
    (
        "famille suisse camping plage 1 semaine",
        {
            "country": "CH",
            "profile": "family",
            "party": F,
            "themes": {"beaches"},
            "types": {"Camping"},
            "stay": WEEK,
            "language": "de",
        },
    ),
    ("couple nantais vélo", {"profile": "couple", "party": C, "themes": {"cycling"}, "unknown": ["nantais"]}),
    # What is not understood stays, as typed.
    (
        "couple xyzzy gîte",
        {"profile": "couple", "party": C, "types": {"SelfCateringAccommodation"}, "unknown": ["xyzzy"]},
    ),
    ("famille Blorp 2+2 rando", {"profile": "family", "party": F, "themes": {"hiking"}, "unknown": ["Blorp"]}),
    ("veulent voir les lavandes", {"unknown": ["voir", "lavandes"]}),
    ("2027", {"unknown": ["2027"]}),
]


def test_there_are_at_least_a_hundred_phrasings():
    assert len(CASES) >= 100


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_quick_line_understands(text, expected):
    assert summary(text) == expected


def test_every_word_is_understood_or_kept():
    parsed = parse("couple qwerty de Nantes azerty 3 nuits", TODAY, PLACES.get)
    assert parsed.unknown == ["qwerty", "azerty"]
    assert [f.words for f in parsed.facts] == ["couple", "nantes", "3 nuits"]


def test_long_or_hostile_input_is_bounded():
    parsed = parse("<script>alert(1)</script> " * 200, TODAY, PLACES.get)
    assert parsed.facts == []
    assert len(" ".join(parsed.unknown)) <= 500
