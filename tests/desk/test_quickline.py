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
    ("couple nantes vélo chambre d'hôtes 1 semaine",
     dict(place="44109", profile="couple", party=C, themes={"cycling"}, types={"Guesthouse"}, stay=WEEK)),
    ("famille allemande 2+2", dict(country="DE", profile="family", party=F, language="de")),
    ("seniors belges rando 3 nuits",
     dict(country="BE", profile="senior", party=C, themes={"hiking"}, stay=days(0, 3), language="fr")),
    # Places: names, postcodes, "st", hyphens and accents.
    ("couple de Nantes", dict(place="44109", profile="couple", party=C)),
    ("NANTES couple", dict(place="44109", profile="couple", party=C)),
    ("44000 famille", dict(place="44109", profile="family", party=F)),
    ("de lyon en velo", dict(place="69123", themes={"cycling"})),
    ("69003 rando", dict(place="69123", themes={"hiking"})),
    ("famille de St-Etienne", dict(place="42218", profile="family", party=F)),
    ("famille de saint étienne", dict(place="42218", profile="family", party=F)),
    ("couple d'Aix-en-Provence plage", dict(place="13001", profile="couple", party=C, themes={"beaches"})),
    ("aix en provence, camping", dict(place="13001", types={"Camping"})),
    ("Paris 2 adultes", dict(place="75056", party=(2, 0))),
    ("75015 seul", dict(place="75056", profile="solo", party=S)),
    ("lille famille 2+3", dict(place="59350", profile="family", party=(2, 3))),
    # Countries and adjectives, any gender or number.
    ("allemands", dict(country="DE", language="de")),
    ("Allemagne", dict(country="DE", language="de")),
    ("couple allemand", dict(country="DE", profile="couple", party=C, language="de")),
    ("belge", dict(country="BE", language="fr")),
    ("famille belge", dict(country="BE", profile="family", party=F, language="fr")),
    ("Belgique", dict(country="BE", language="fr")),
    ("hollandais", dict(country="NL", language="nl")),
    ("néerlandaise", dict(country="NL", language="nl")),
    ("Pays-Bas", dict(country="NL", language="nl")),
    ("anglais", dict(country="GB", language="en")),
    ("britanniques", dict(country="GB", language="en")),
    ("uk", dict(country="GB", language="en")),
    ("italiens", dict(country="IT", language="it")),
    ("italienne", dict(country="IT", language="it")),
    ("suisses", dict(country="CH", language="de")),
    ("espagnols", dict(country="ES", language="es")),
    ("américains", dict(country="US", language="en")),
    ("usa", dict(country="US", language="en")),
    ("canadiens", dict(country="CA", language="fr")),
    ("québécoise", dict(country="CA", language="fr")),
    ("autrichiens", dict(country="AT", language="de")),
    ("danois", dict(country="DK", language="da")),
    ("suédoises", dict(country="SE", language="sv")),
    ("polonais", dict(country="PL", language="pl")),
    ("portugais", dict(country="PT", language="pt")),
    ("japonais", dict(country="JP", language="ja")),
    ("luxembourgeois", dict(country="LU", language="fr")),
    ("irlandais", dict(country="IE", language="en")),
    ("grecs", dict(country="GR")),
    ("tchèques", dict(country="CZ")),
    # Languages.
    ("hollandais parlent anglais", dict(country="NL", language="en")),
    ("suisses en allemand", dict(country="CH", language="de")),
    ("couple anglophone", dict(profile="couple", party=C, language="en")),
    ("famille germanophone", dict(profile="family", party=F, language="de")),
    ("parle espagnol", dict(language="es")),
    ("langue it", dict(language="it")),
    ("belges néerlandophones", dict(country="BE", language="nl")),
    # Profiles and parties.
    ("couple", dict(profile="couple", party=C)),
    ("cpl", dict(profile="couple", party=C)),
    ("fam", dict(profile="family", party=F)),
    ("famile", dict(profile="family", party=F)),
    ("seul", dict(profile="solo", party=S)),
    ("seule", dict(profile="solo", party=S)),
    ("retraités", dict(profile="senior", party=C)),
    ("couple de retraités", dict(profile="senior", party=C)),
    ("seniors", dict(profile="senior", party=C)),
    ("amis", dict(profile="friends")),
    ("entre potes", dict(profile="friends")),
    ("2 adultes 1 enfant", dict(party=(2, 1))),
    ("2 adultes et 3 enfants", dict(party=(2, 3))),
    ("3 adultes", dict(party=(3, 0))),
    ("2a 2e", dict(party=(2, 2))),
    ("2+1", dict(party=(2, 1))),
    ("2 + 2", dict(party=(2, 2))),
    ("famille 2+3", dict(profile="family", party=(2, 3))),
    ("couple avec 1 enfant", dict(profile="couple", party=(2, 1))),
    ("famille avec 3 enfants", dict(profile="family", party=(2, 3))),
    ("deux adultes", dict(party=(2, 0))),
    ("groupe de 25", dict(profile="group", group=25)),
    ("gpe 12 rando", dict(profile="group", group=12, themes={"hiking"})),
    ("30 personnes", dict(group=30)),
    # Themes, with abbreviations and typos.
    ("rando", dict(themes={"hiking"})),
    ("randonnée", dict(themes={"hiking"})),
    ("randonee", dict(themes={"hiking"})),
    ("randonées patrimoine", dict(themes={"hiking", "heritage"})),
    ("vélo", dict(themes={"cycling"})),
    ("VTT", dict(themes={"cycling"})),
    ("velo electrique", dict(themes={"cycling"})),
    ("plage", dict(themes={"beaches"})),
    ("plages et baignade", dict(themes={"beaches"})),
    ("patrimoine musées", dict(themes={"heritage"})),
    ("vins dégustation", dict(themes={"food-wine"})),
    ("kayak plongée", dict(themes={"water-sports"})),
    ("festival concerts", dict(themes={"culture-festivals"})),
    ("spa détente", dict(themes={"wellness"})),
    ("ski", dict(themes={"ski-mountain"})),
    ("marchés provençaux", dict(themes={"shopping-markets"})),
    ("nature gorges du verdon", dict(themes={"nature"})),
    # Precise types.
    ("chambre d'hôtes", dict(types={"Guesthouse"})),
    ("chambres d'hotes", dict(types={"Guesthouse"})),
    ("chbre d'hôtes", dict(types={"Guesthouse"})),
    ("ch d'hôtes", dict(types={"Guesthouse"})),
    ("ch d hotes", dict(types={"Guesthouse"})),
    ("B&B", dict(types={"Guesthouse"})),
    ("camping", dict(types={"Camping"})),
    ("campng", dict(types={"Camping"})),
    ("mobil-home", dict(types={"Camping"})),
    ("hôtel", dict(types={"Hotel"})),
    ("hotels", dict(types={"Hotel"})),
    ("gîte", dict(types={"SelfCateringAccommodation"})),
    ("location", dict(types={"SelfCateringAccommodation"})),
    ("camping-car", dict(types={"CamperVanArea"})),
    ("camping car", dict(types={"CamperVanArea"})),
    ("auberge de jeunesse", dict(types={"YouthHostelAndInternationalCenter"})),
    ("hébergement", dict(types={"Accommodation"})),
    ("hebgt", dict(types={"Accommodation"})),
    ("circuits vélo", dict(types={"CyclingTour"})),
    ("itinéraire pédestre", dict(types={"WalkingTour"})),
    ("village vacances", dict(types={"ClubOrHolidayVillage"})),
    # Stays.
    ("3 nuits", dict(stay=days(0, 3))),
    ("3 nuit", dict(stay=days(0, 3))),
    ("3n", dict(stay=days(0, 3))),
    ("trois nuits", dict(stay=days(0, 3))),
    ("1 semaine", dict(stay=WEEK)),
    ("une semaine", dict(stay=WEEK)),
    ("1 sem", dict(stay=WEEK)),
    ("2 semaines", dict(stay=days(0, 14))),
    ("pour 5 nuits", dict(stay=days(0, 5))),
    ("ce week-end", dict(stay=WEEKEND)),
    ("ce we", dict(stay=WEEKEND)),
    ("ce weekend", dict(stay=WEEKEND)),
    ("ce soir", dict(stay=days(0, 1))),
    ("cette nuit", dict(stay=days(0, 1))),
    ("demain", dict(stay=days(1, 2))),
    ("du 12 au 15 juillet", dict(stay=(datetime.date(2027, 7, 12), datetime.date(2027, 7, 15)))),
    ("du 12 au 15 juil", dict(stay=(datetime.date(2027, 7, 12), datetime.date(2027, 7, 15)))),
    ("12-15 août", dict(stay=(datetime.date(2027, 8, 12), datetime.date(2027, 8, 15)))),
    ("du 28 décembre au 2 janvier", dict(stay=(datetime.date(2026, 12, 28), datetime.date(2027, 1, 2)))),
    ("du 20/12 au 27/12", dict(stay=(datetime.date(2026, 12, 20), datetime.date(2026, 12, 27)))),
    ("du 1er au 8 mai", dict(stay=(datetime.date(2027, 5, 1), datetime.date(2027, 5, 8)))),
    # Whole lines, in any order.
    ("couple de retraités de Lyon, ch d'hôtes, ce week-end",
     dict(place="69123", profile="senior", party=C, types={"Guesthouse"}, stay=WEEKEND)),
    ("famile belge chbre d hotes 5 nuits",
     dict(country="BE", profile="family", party=F, types={"Guesthouse"}, stay=days(0, 5), language="fr")),
    ("randonée patrimoine 44000 cpl", dict(place="44109", profile="couple", party=C, themes={"hiking", "heritage"})),
    ("hollandais camping car 1 sem parlent anglais",
     dict(country="NL", types={"CamperVanArea"}, stay=WEEK, language="en")),
    ("2 adultes 1 enfant du 12 au 15 juillet camping",
     dict(party=(2, 1), types={"Camping"}, stay=(datetime.date(2027, 7, 12), datetime.date(2027, 7, 15)))),
    ("italiens 2+2 plage hôtel 3 nuits",
     dict(country="IT", party=F, themes={"beaches"}, types={"Hotel"}, stay=days(0, 3), language="it")),
    ("Couple Allemand VELO gite 2 sem",
     dict(country="DE", profile="couple", party=C, themes={"cycling"}, types={"SelfCateringAccommodation"},
          stay=days(0, 14), language="de")),
    ("seniors de Paris patrimoine hôtel ce we",
     dict(place="75056", profile="senior", party=C, themes={"heritage"}, types={"Hotel"}, stay=WEEKEND)),
    ("famille suisse camping plage 1 semaine",
     dict(country="CH", profile="family", party=F, themes={"beaches"}, types={"Camping"}, stay=WEEK,
          language="de")),
    ("couple nantais vélo", dict(profile="couple", party=C, themes={"cycling"}, unknown=["nantais"])),
    # What is not understood stays, as typed.
    ("couple xyzzy gîte", dict(profile="couple", party=C, types={"SelfCateringAccommodation"}, unknown=["xyzzy"])),
    ("famille Blorp 2+2 rando", dict(profile="family", party=F, themes={"hiking"}, unknown=["Blorp"])),
    ("veulent voir les lavandes", dict(unknown=["voir", "lavandes"])),
    ("2027", dict(unknown=["2027"])),
]  # fmt: skip


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
