"""French usage the formats of Django lack: "de"/"à"/the article before a name, "le 1er octobre", "dim. 6 déc."

Prepositions before a proper name: "de" and "à" contract with the name's article; other words ("par", "pour", a
sentence's start) take the name with its article (`the`).

"Stock de documentation de l’Office de tourisme…", "du Syndicat d’initiative…", "à la Maison du tourisme…".
Messages whose French translation needs them take the name already preceded by its preposition in French (and the
bare name in any other language, whose message carries its own preposition): translators see a comment saying so.
"""

import datetime
import re

from django.utils.formats import date_format, get_format
from django.utils.translation import get_language

# The common nouns an office's name may start with, and their gender; any other name is a proper name (no article).
_NOUNS = {
    "office": "m",
    "syndicat": "m",
    "bureau": "m",
    "comité": "m",
    "point": "m",
    "pays": "m",
    "relais": "m",
    "espace": "m",
    "service": "m",
    "maison": "f",
    "union": "f",
    "fédération": "f",
    "agence": "f",
    "communauté": "f",
    "destination": "f",
    "direction": "f",
}
# Without "h": whether it elides depends on the word (l’hôtel, le Haut-Var); no office noun starts with one.
_VOWELS = "aeiouyàâäéèêëîïôöùûü"


def _starts_with_vowel(name: str) -> bool:
    return name[:1].lower() in _VOWELS


def _article(name: str) -> str:
    """ "l’", "le ", "la " or "" (a proper name) for the name's first word."""
    gender = _NOUNS.get(name.split(" ", 1)[0].split("’", 1)[0].lower())
    if gender is None:
        return ""
    if _starts_with_vowel(name):
        return "l’"
    return "le " if gender == "m" else "la "


def of(name: str) -> str:
    """French "de" + the name: "de l’Office…", "du Syndicat…", "de la Maison…", "de Var Tourisme", "d’Alpes…"."""
    if not _french() or not name:
        return name
    article = _article(name)
    if article == "le ":
        return f"du {name}"
    if article:
        return f"de {article}{name}"
    return f"d’{name}" if _starts_with_vowel(name) else f"de {name}"


def to(name: str) -> str:
    """French "à" + the name: "à l’Office…", "au Syndicat…", "à la Maison…", "à Var Tourisme"."""
    if not _french() or not name:
        return name
    article = _article(name)
    if article == "le ":
        return f"au {name}"
    return f"à {article}{name}"


def the(name: str) -> str:
    """The name with its French article: "l’Office…", "le Syndicat…", "la Maison…", "Var Tourisme" (for "par", "pour"
    or a sentence's start, with `capfirst`)."""
    if not _french() or not name:
        return name
    return f"{_article(name)}{name}"


# French typography: "dim. 6 déc." (lower case, abbreviations with their full stop, the Imprimerie nationale's).
_WEEKDAYS_SHORT = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
_MONTHS_SHORT = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def _french() -> bool:
    return (get_language() or "").startswith("fr")


def day(value, format_string: str = "DATE_FORMAT") -> str:
    """A date in words, French style in French: "le 1er octobre" (the first of the month is an ordinal).

    `format_string` is a Django date format, "short" (French "dim. 6 déc.", English "Sun 6 Dec") or "day_month"
    (French "6 déc.", English "6 Dec").
    """
    if not isinstance(value, datetime.date):
        return ""
    if format_string in ("short", "day_month"):
        if _french():
            first = "1er" if value.day == 1 else str(value.day)
            text = f"{first} {_MONTHS_SHORT[value.month - 1]}"
            return f"{_WEEKDAYS_SHORT[value.weekday()]} {text}" if format_string == "short" else text
        return date_format(value, "D j M" if format_string == "short" else "j M")
    if _french() and value.day == 1:
        resolved = get_format(format_string) if format_string.isupper() else format_string
        # In a Django format, a backslash makes the next letter literal.
        format_string = re.sub(r"(?<!\\)j", r"j\\e\\r", resolved)
    return date_format(value, format_string)
