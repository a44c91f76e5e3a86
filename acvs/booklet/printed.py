"""What a booklet prints in the visitor's language: opening hours in the short local form, prices, dates, and colours
readable on the office's branding.

Babel gives the local names and forms (weekday abbreviations, "10 juil." / "Jul 10", "12,50 €" / "€12.50"): the
Django catalogues of the six languages hold none of these short forms. Fixed words come from the booklet's own
catalogues (acvs/booklet/locale).
"""

import datetime
import re
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_skeleton, get_day_names
from babel.numbers import format_currency
from django.utils.translation import pgettext, pgettext_lazy

from acvs.offer.models import Price

# The offer's price units as a booklet prints them (the application's own labels exist in French only).
UNITS = {
    Price.Unit.PERSON: pgettext_lazy("price unit", "per person"),
    Price.Unit.NIGHT: pgettext_lazy("price unit", "per night"),
    Price.Unit.ROOM_NIGHT: pgettext_lazy("price unit", "per room per night"),
    Price.Unit.PITCH_NIGHT: pgettext_lazy("price unit", "per pitch per night"),
    Price.Unit.WEEK: pgettext_lazy("price unit", "per week"),
    Price.Unit.GROUP: pgettext_lazy("price unit", "per group"),
    Price.Unit.MENU: pgettext_lazy("price unit", "per menu"),
    Price.Unit.FLAT: pgettext_lazy("price unit", "flat rate"),
}

# The demo's pictures carry one fixed credit (acvs/demo/photos.py): printed in the booklet's language.
CREDITS = {"Illustration ACVS (démo)": pgettext_lazy("photo credit", "ACVS illustration (demo)")}


def photo_credit(credit: str) -> str:
    return str(CREDITS.get(credit, credit))


def colon(language: str) -> str:
    return "\u00a0: " if language == "fr" else ": "  # French puts a (non-breaking) space before a colon


# Hours ---------------------------------------------------------------------------------------------------------


def _clock(t: datetime.time, language: str) -> str:
    """One time of day as people write it locally: 9 h 30 (fr), 9:30am (en), 9:30 (de, it, es, nl)."""
    if language == "fr":
        return f"{t.hour} h {t.minute:02d}" if t.minute else f"{t.hour} h"
    if language == "en":
        hour = t.hour % 12 or 12
        suffix = "am" if t.hour < 12 else "pm"
        return f"{hour}:{t.minute:02d}{suffix}" if t.minute else f"{hour}{suffix}"
    return f"{t.hour}:{t.minute:02d}" if t.minute else str(t.hour)


# The word after a range of hours: "9–19 Uhr", "9–19 uur", "9–19 h".
HOURS_SUFFIX = {"de": " Uhr", "nl": " uur", "es": " h"}


def time_range(opens: datetime.time, closes: datetime.time, language: str) -> str:
    return f"{_clock(opens, language)}–{_clock(closes, language)}{HOURS_SUFFIX.get(language, '')}"


def weekdays_text(weekdays, language: str) -> str:
    """0..6 (Monday first) in the short local form: "lun.–sam.", "Mon–Sat", "Sat, Sun"; "" for every day."""
    days = sorted(set(weekdays))
    if len(days) == 7 or not days:
        return ""
    names = get_day_names("abbreviated", locale=language)  # keyed 0 = Monday
    runs, run = [], [days[0]]
    for day in days[1:]:
        if day == run[-1] + 1:
            run.append(day)
        else:
            runs.append(run)
            run = [day]
    runs.append(run)
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{names[run[0]]}–{names[run[-1]]}")
        else:
            parts.extend(names[d] for d in run)
    return ", ".join(parts)


def short_date(day: datetime.date, language: str) -> str:
    return _first(format_skeleton("MMMd", day, locale=language), day, language)


def day_date(day: datetime.date, language: str) -> str:
    """A day of the stay: "vendredi 10 juillet", "Friday, July 10", "Freitag, 10. Juli", "viernes, 10 de julio"."""
    full = Locale.parse(language).date_formats["full"].pattern
    without_year = re.sub(r"[,\s]*(?:'[^']*'\s*)?y+\.?$", "", full)  # "EEEE, d 'de' MMMM 'de' y" -> "EEEE, d 'de' MMMM"
    return _first(format_date(day, without_year, locale=language), day, language)


def long_date(day: datetime.date, language: str) -> str:
    """ "10 juillet 2026", "July 10, 2026", "10. Juli 2026", "10 de julio de 2026"."""
    return _first(format_date(day, "long", locale=language), day, language)


def _first(text: str, day: datetime.date, language: str) -> str:
    """French writes the first day of a month "1er"."""
    if language == "fr" and day.day == 1:
        return re.sub(r"(?<!\d)1(?=[\s\u00a0])", "1er", text, count=1)
    return text


def hours_lines(periods, language: str, *, stay_start=None, stay_end=None) -> list[str]:
    """One line per date range: "lun.–sam. 9 h–12 h, 14 h–19 h". The dates are left out when the range covers the
    whole stay; periods with the same dates and days (a lunch break) share their line."""
    groups: dict = {}
    for p in periods:
        days = groups.setdefault((p.start_date, p.end_date), {})
        times = days.setdefault(tuple(sorted(set(p.weekdays))), [])
        if p.opens and p.closes:
            times.append((p.opens, p.closes))
        if p.note:
            times.append(p.note)
    lines = []
    for (start, end), days in groups.items():
        covers_stay = stay_start and stay_end and start <= stay_start and end >= stay_end
        dates = "" if covers_stay else f"{short_date(start, language)} – {short_date(end, language)}"
        parts = []
        for weekdays, times in days.items():
            hours = ", ".join(
                time_range(*t, language) if isinstance(t, tuple) else f"({t})"
                for t in sorted(times, key=lambda t: (isinstance(t, str), t if isinstance(t, tuple) else ()))
            )
            day_text = weekdays_text(weekdays, language) or (pgettext("opening", "daily") if not hours else "")
            parts.append(" ".join(x for x in (day_text, hours) if x) or pgettext("opening", "daily"))
        text = "; ".join(parts)
        lines.append(f"{dates}{colon(language)}{text}" if dates else text)
    return lines


# Prices --------------------------------------------------------------------------------------------------------


def money(amount: Decimal, language: str) -> str:
    """12,50 € / €12.50; whole amounts without decimals (5 €, €5)."""
    if amount != amount.to_integral_value():
        return format_currency(amount, "EUR", locale=language)
    pattern = Locale.parse(language).currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
    return format_currency(amount, "EUR", format=pattern, locale=language, currency_digits=False)


def price_line(price, language: str) -> str:
    amount = money(price.min_amount, language)
    if price.max_amount is not None and price.max_amount != price.min_amount:
        amount = f"{amount} – {money(price.max_amount, language)}"
    unit = UNITS.get(price.unit, "")
    return f"{price.label}{colon(language)}{amount} {unit}".strip()


# Colours (WCAG 2 contrast) -------------------------------------------------------------------------------------

WHITE, INK = "#ffffff", "#1c1917"


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str) -> float:
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_on(background: str, colour: str, minimum: float = 4.5) -> str:
    """`colour`, darkened just enough to be read on `background` (WCAG AA: 4.5:1 for text)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(0, 101, 2):
        k = 1 - step / 100
        candidate = f"#{round(r * k):02x}{round(g * k):02x}{round(b * k):02x}"
        if contrast(background, candidate) >= minimum:
            return candidate
    return INK


def text_on(background: str) -> str:
    """White or ink, whichever reads better on `background`."""
    return WHITE if contrast(background, WHITE) >= contrast(background, INK) else INK


def palette(primary: str, accent: str) -> dict:
    """The branding's colours and the text colours that stay readable with them (pages are white or nearly)."""
    page = "#fafaf9"  # the web page's background, a shade darker than the PDF's white
    return {
        "primary": primary,
        "accent": accent,
        "on_primary": text_on(primary),  # text on the band, the numbers, buttons
        "primary_text": readable_on(page, primary),  # headings and labels on the page
        "accent_text": readable_on(page, accent),  # the stay dates
    }
