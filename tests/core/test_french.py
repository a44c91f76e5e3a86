"""French usage Django's formats lack: prepositions before an office's name, "1er", short dates."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from acvs.core import french


@pytest.mark.parametrize(
    ("name", "of", "to"),
    [
        (
            "Office de tourisme de Cavalaire",
            "de l’Office de tourisme de Cavalaire",
            "à l’Office de tourisme de Cavalaire",
        ),
        (
            "Syndicat d'initiative de Bargème",
            "du Syndicat d'initiative de Bargème",
            "au Syndicat d'initiative de Bargème",
        ),
        (
            "Bureau d'information de Pampelonne",
            "du Bureau d'information de Pampelonne",
            "au Bureau d'information de Pampelonne",
        ),
        ("Maison de la Mer", "de la Maison de la Mer", "à la Maison de la Mer"),
        ("Union des offices du Var", "de l’Union des offices du Var", "à l’Union des offices du Var"),
        ("Var Tourisme", "de Var Tourisme", "à Var Tourisme"),
        (
            "Alpes-de-Haute-Provence Tourisme",
            "d’Alpes-de-Haute-Provence Tourisme",
            "à Alpes-de-Haute-Provence Tourisme",
        ),
    ],
)
def test_french_prepositions_take_the_article(name, of, to):
    with translation.override("fr"):
        assert (french.of(name), french.to(name)) == (of, to)
    with translation.override("en"):  # the English message carries its own preposition
        assert (french.of(name), french.to(name)) == (name, name)


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
