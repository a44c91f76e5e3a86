"""French text normalisation shared by the SQLite full-text index and the PostgreSQL configuration.

PostgreSQL uses the `acvs_french` text search configuration (unaccent, then the Snowball French stemmer);
SQLite gets the same behaviour by stemming in Python with the same Snowball algorithm before FTS5 indexes it.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# The Snowball French stop-word list, as PostgreSQL's french.stop.
STOP_WORDS = frozenset(
    [
    "ai", "aie", "aient", "aies", "ait", "as", "au", "aura", "aurai", "auraient", "aurais",
    "aurait", "auras", "aurez", "auriez", "aurions", "aurons", "auront", "aux", "avaient", "avais",
    "avait", "avec", "avez", "aviez", "avions", "avons", "ayant", "ayante", "ayantes", "ayants",
    "ayez", "ayons", "c", "ce", "ces", "d", "dans", "de", "des", "du", "elle", "en", "es", "est",
    "et", "eu", "eue", "eues", "eurent", "eus", "eusse", "eussent", "eusses", "eussiez", "eussions",
    "eut", "eux", "eûmes", "eût", "eûtes", "furent", "fus", "fusse", "fussent", "fusses", "fussiez",
    "fussions", "fut", "fûmes", "fût", "fûtes", "il", "j", "je", "l", "la", "le", "leur", "lui",
    "m", "ma", "mais", "me", "mes", "moi", "mon", "même", "n", "ne", "nos", "notre", "nous", "on",
    "ont", "ou", "par", "pas", "pour", "qu", "que", "qui", "s", "sa", "se", "sera", "serai",
    "seraient", "serais", "serait", "seras", "serez", "seriez", "serions", "serons", "seront",
    "ses", "soient", "sois", "soit", "sommes", "son", "sont", "soyez", "soyons", "suis", "sur", "t",
    "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "y", "à", "étaient",
    "étais", "était", "étant", "étante", "étantes", "étants", "étiez", "étions", "été", "étée",
    "étées", "étés", "êtes",
    ]
)  # fmt: skip

_WORD = re.compile(r"\w+", re.UNICODE)
_stemmer = snowballstemmer.stemmer("french")


def unaccent(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_STOP_PLAIN = frozenset(unaccent(w) for w in STOP_WORDS)


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str | None:
    """The stem of one lower-case word, None for a stop word. Cached: the pure-Python Snowball stemmer and the
    Unicode decomposition cost ~15 µs a word, and documents share most of their vocabulary."""
    if word in STOP_WORDS:
        return None
    plain = unaccent(word)
    if plain in _STOP_PLAIN:
        return None
    return _stemmer.stemWord(plain)


def stems(text: str) -> list[str]:
    """Lower-case, unaccented, stemmed words of `text`, stop words removed."""
    return [s for s in map(_stem, _WORD.findall(text.lower())) if s is not None]
