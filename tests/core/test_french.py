"""French usage Django's formats lack: prepositions before an office's name, "1er", short dates."""

import datetime

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from acvs.core import french


@pytest.mark.parametrize(
    ("name", "of", "to", "the"),
    [
        ("Office de tourisme de Cavalaire", "de l’Office de tourisme de Cavalaire",
         "à l’Office de tourisme de Cavalaire", "l’Office de tourisme de Cavalaire"),
        ("Syndicat d'initiative de Bargème", "du Syndicat d'initiative de Bargème",
         "au Syndicat d'initiative de Bargème", "le Syndicat d'initiative de Bargème"),
        ("Bureau d'information de Pampelonne", "du Bureau d'information de Pampelonne",
         "au Bureau d'information de Pampelonne", "le Bureau d'information de Pampelonne"),
        ("Maison de la Mer", "de la Maison de la Mer", "à la Maison de la Mer", "la Maison de la Mer"),
        ("Union des offices du Var", "de l’Union des offices du Var", "à l’Union des offices du Var",
         "l’Union des offices du Var"),
        ("Var Tourisme", "de Var Tourisme", "à Var Tourisme", "Var Tourisme"),
        ("Alpes-de-Haute-Provence Tourisme", "d’Alpes-de-Haute-Provence Tourisme",
         "à Alpes-de-Haute-Provence Tourisme", "Alpes-de-Haute-Provence Tourisme"),
    ],
)  # fmt: skip
def test_french_prepositions_take_the_article(name, of, to, the):
    with translation.override("fr"):
        assert (french.of(name), french.to(name), french.the(name)) == (of, to, the)
    with translation.override("en"):  # the English message carries its own preposition and article
        assert (french.of(name), french.to(name), french.the(name)) == (name, name, name)


def test_first_of_the_month_is_an_ordinal_in_french():
    first, sixth = datetime.date(2026, 10, 1), datetime.date(2026, 12, 6)
    with translation.override("fr"):
        assert french.day(first) == "1er octobre 2026"
        assert french.day(first, "l j F Y") == "jeudi 1er octobre 2026"
        assert french.day(sixth, "l j F Y") == "dimanche 6 décembre 2026"
        assert french.day(sixth, "short") == "dim. 6 déc."
        assert french.day(first, "short") == "jeu. 1er oct."
        assert french.day(sixth, "day_month") == "6 déc."
        rendered = Template('{% load french %}le {{ d|day:"j F" }}').render(Context({"d": first}))
        assert rendered == "le 1er octobre"
    with translation.override("en"):
        assert french.day(sixth, "short") == "Sun 6 Dec"
        assert french.day(first, "j F Y") == "1 October 2026"


def test_stock_heading_names_the_office_with_its_article(client, agent):
    client.force_login(agent)
    response = client.get(reverse("documentation:stock"))
    assert "Stock de documentation de l’Office de tourisme de Cavalaire" in response.text


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("booklet/email/subject.txt", "Séjour — votre carnet de séjour de l’Office de tourisme de Cavalaire"),
        ("booklet/email/body.txt", "L’Office de tourisme de Cavalaire vous a préparé un carnet de séjour"),
        ("campaigns/email/body.txt", "accepté d’avoir des nouvelles de l’Office de tourisme de Cavalaire."),
        ("contacts/email/confirm_body.txt", "Vous avez demandé à l’Office de tourisme de Cavalaire de vous tenir"),
        ("contacts/email/retention_body.txt", "depuis un an. L’Office de tourisme de Cavalaire ne garde vos"),
    ],
)
def test_the_visitors_emails_name_the_office_with_its_article(template, expected):
    """What a visitor reads: "de l’Office", never "de Office" nor "de l’de l’Office" (the booklet's subject was)."""
    office = {"name": "Office de tourisme de Cavalaire", "email": ""}
    context = {"office": office, "booklet": {"title": "Séjour"}, "years": 1, "days": 7, "url": "", "event": {}}
    with translation.override("fr"):
        text = " ".join(render_to_string(template, context).split())
    assert expected in text
