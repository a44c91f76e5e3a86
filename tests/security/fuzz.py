"""Hostile values for every parameter of a route: what the fuzz test sends, deterministically.

Small forms get every hostile value on every parameter, one at a time. Large forms get each value on all the
parameters of its family at once (a form checks each field on its own, so one request exercises them all; rendering
a large form again costs tenths of a second). Pairs of dates (start and end) also get extreme combinations, where
date arithmetic overflows. Path parameters get ids beyond 2^63 and odd strings.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

BIG = 2**63  # one more than the largest id a database column holds
SMALL_FORM = 5  # parameters

LONG = "é✓" * 1500
# Every parameter gets an empty value and a word; typed ones then get values their type parses but nothing can hold
# (a malformed number or date is refused like the word), other texts NUL characters (PostgreSQL refuses them).
COMMON = ("", "abc")
INTEGER = ("-1", str(BIG), str(-BIG - 1), "9" * 40)
DECIMAL = ("1e400", "NaN", "-inf")
DATE = ("9999-12-31", "0001-01-01")
DATETIME = ("9999-12-31T23:59", "0001-01-01T00:00")
MONTH = ("9999-12", "0001-01", "0000-13", "9" * 30 + "-01")
URL = ("\x00", "javascript:alert(1)", "//evil.example/", "https://evil.example/" + LONG)
OTHER = ("\x00",)
TEXT = ("\x00", LONG, "")
# A start at the end of time with a default or equal end; the longest spans, backwards and forwards.
DATE_PAIRS = (
    ("9999-12-31", ""), ("9999-12-31", "9999-12-31"), ("0001-01-01", ""), ("0001-01-01", "9999-12-31"),
    ("9999-12-31", "0001-01-01"),
)  # fmt: skip
# Return addresses: not URLs, URL names, other sites, schemes that are not the web's.
NEXT = (
    "not-a-url", "home", "offer:search", "https://evil.example/", "//evil.example/", "/\\evil.example",
    "https:evil.example", "http:///evil.example", "javascript:alert(1)", "\x00", " ", "/" + "é" * 3000,
)  # fmt: skip
PATH_INTS = (str(BIG), "9" * 40)
PATH_STRS = ("x" * 300, "é✓", "%00", "..")

# Families, by the look of the valid value.
FAMILIES = {
    "integer": (re.compile(r"^-?\d+$"), INTEGER),
    "decimal": (re.compile(r"^-?\d+\.\d+$"), INTEGER + DECIMAL),
    "date": (re.compile(r"^\d{4}-\d{2}-\d{2}$"), DATE),
    "datetime": (re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$"), DATETIME),
    "month": (re.compile(r"^\d{4}-\d{2}$"), MONTH),
    "url": (re.compile(r"^https?://"), URL),
}


@dataclass
class Probe:
    """One request, and which parameters it changed (for the failure message)."""

    where: str  # "base", "path", "query", "form" or "next"
    changed: dict
    query: dict = field(default_factory=dict)
    form: dict = field(default_factory=dict)

    def __str__(self):
        shown = {k: (v[:40] + "…" if isinstance(v, str) and len(v) > 40 else v) for k, v in self.changed.items()}
        return f"{self.where} {shown}"


def family(valid, text: bool) -> str:
    if text:
        return "text"
    sample = valid[0] if isinstance(valid, list) and valid else valid
    sample = "" if sample is None or hasattr(sample, "read") else str(sample)
    return next((name for name, (pattern, _values) in FAMILIES.items() if pattern.match(sample)), "other")


def hostile_values(kind: str) -> tuple:
    if kind == "text":
        return TEXT
    return COMMON + (FAMILIES[kind][1] if kind in FAMILIES else OTHER)


def _as(valid, value):
    return [value] if isinstance(valid, list) else value


def _date_pairs(base: dict) -> Iterator[dict]:
    """Dates two by two in the form's order (start and end of the same thing), at the extremes."""
    dates = [k for k, v in base.items() if family(v, False) == "date"]
    for first, second in zip(dates[::2], dates[1::2], strict=False):
        for a, b in DATE_PAIRS:
            yield {first: a, second: b}


def mutations(base: dict, text: tuple[str, ...] = ()) -> Iterator[dict]:
    """The changes to make to `base`, one request each."""
    kinds = {name: family(valid, name in text) for name, valid in base.items()}
    if len(base) <= SMALL_FORM:
        for name, valid in base.items():
            for value in hostile_values(kinds[name]):
                yield {name: _as(valid, value)}
    else:
        for kind in dict.fromkeys(kinds.values()):
            names = [name for name in base if kinds[name] == kind]
            for value in hostile_values(kind):
                yield {name: _as(base[name], value) for name in names}
    yield from _date_pairs(base)
