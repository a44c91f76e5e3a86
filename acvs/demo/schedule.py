"""Opening periods (seasons, weekly hours, split lunch service, event dates) and prices of demo offers."""

from datetime import date, time, timedelta
from decimal import Decimal

YEARS = (2026, 2027)
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
MON_SAT = [0, 1, 2, 3, 4, 5]
TUE_SAT = [1, 2, 3, 4, 5]
TUE_SUN = [1, 2, 3, 4, 5, 6]
WHOLE = (date(2026, 1, 1), date(2027, 12, 31))


def t(hhmm: str) -> time:
    h, m = hhmm.split(":")
    return time(int(h), int(m))


def p(start, end, days=EVERY_DAY, opens=None, closes=None, note="") -> dict:
    return {
        "start_date": start,
        "end_date": end,
        "weekdays": list(days),
        "opens": t(opens) if opens else None,
        "closes": t(closes) if closes else None,
        "note": note,
    }


def split(start, end, days, am: str, pm: str, note="") -> list[dict]:
    """Two periods for a day with a break: am/pm as 'HH:MM-HH:MM'."""
    return [p(start, end, days, *am.split("-"), note=note), p(start, end, days, *pm.split("-"))]


def _day(rng, year: int, first: tuple[int, int], last: tuple[int, int]) -> date:
    start, end = date(year, *first), date(year, *last)
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _weekend(d: date) -> date:
    return d + timedelta(days=(5 - d.weekday()) % 7)


def _high_low(low_days, low_am, low_pm, high_hours, note="") -> list[dict]:
    """Split hours from September to June, continuous hours every day in July and August, for both years."""
    rows = []
    for y in YEARS:
        rows += split(date(y, 1, 1), date(y, 6, 30), low_days, low_am, low_pm, note)
        rows.append(p(date(y, 7, 1), date(y, 8, 31), EVERY_DAY, *high_hours.split("-")))
        rows += split(date(y, 9, 1), date(y, 12, 31), low_days, low_am, low_pm, note)
    return rows


def _seasons(rng, first, last, **hours) -> list[dict]:
    return [
        p(_day(rng, y, *first), _day(rng, y, *last), hours.get("days", EVERY_DAY), hours.get("opens"),
          hours.get("closes"), hours.get("note", ""))
        for y in YEARS
    ]  # fmt: skip


def _meals(rng, start, end) -> list[dict]:
    closed = rng.choice([[0], [0], [1], [2], [6], [0, 1], []])
    days = [d for d in EVERY_DAY if d not in closed]
    lunch = f"{rng.choice(['11:45', '12:00'])}-{rng.choice(['13:45', '14:00', '14:30'])}"
    dinner = f"{rng.choice(['19:00', '19:15', '19:30'])}-{rng.choice(['21:30', '22:00', '22:30'])}"
    return split(
        start, end, days, lunch, dinner, note="Réservation conseillée le week-end" if rng.random() < 0.3 else ""
    )


def periods(schedule: str, rng, zone: str) -> list[dict]:
    if schedule == "year" or (schedule == "hotel" and not (zone in ("coast", "mountain") and rng.random() < 0.4)):
        return [p(*WHOLE)]
    if schedule == "hotel" and zone == "mountain":
        return [p(date(2026, 1, 1), date(2026, 4, 6)), *_seasons(rng, ((6, 10), (6, 20)), ((9, 10), (9, 25))),
                p(date(2026, 12, 12), date(2027, 4, 11))]  # fmt: skip
    if schedule in ("hotel", "season"):
        first = ((3, 20), (4, 10)) if zone == "coast" else ((4, 1), (5, 1))
        if zone == "mountain":
            return _seasons(rng, ((6, 1), (6, 20)), ((9, 15), (9, 30)))
        return _seasons(rng, first, ((9, 30), (10, 31)))
    if schedule == "summer":
        return _seasons(rng, ((5, 25), (6, 15)), ((9, 10), (9, 30)), opens="09:30", closes="19:00")
    if schedule == "summer_evening":
        return [
            row for y in YEARS for row in split(date(y, 6, 1), date(y, 9, 15), EVERY_DAY, "10:00-13:00", "15:00-23:30")
        ]
    if schedule == "winter":
        return [p(date(2026, 1, 1), date(2026, 4, 6), opens="09:00", closes="16:45"),
                p(date(2026, 12, 19), date(2027, 4, 5), opens="09:00", closes="16:45")]  # fmt: skip
    if schedule == "museum":
        return _high_low(TUE_SAT if rng.random() < 0.5 else TUE_SUN, "10:00-12:30", "14:00-18:00", "10:00-19:00")
    if schedule == "office":
        return _high_low(MON_SAT, "09:00-12:30", "14:00-17:30", "09:00-19:00")
    if schedule == "summer_site":
        note = "Hors saison : visites sur rendez-vous auprès de l'office de tourisme"
        return [
            row
            for y in YEARS
            for row in split(date(y, 6, 15), date(y, 9, 15), TUE_SUN, "10:00-12:30", "15:00-19:00", note)
        ]
    if schedule == "daylight":
        return [p(*WHOLE, opens="09:00", closes=rng.choice(["18:00", "18:30", "19:00"]))]
    if schedule == "food":
        return _meals(rng, *WHOLE)
    if schedule == "food_season":
        return [
            row for y in YEARS for row in _meals(rng, _day(rng, y, (3, 15), (4, 5)), _day(rng, y, (10, 15), (11, 11)))
        ]
    if schedule == "cafe":
        return [
            p(*WHOLE, opens=rng.choice(["07:00", "07:30", "08:00"]), closes=rng.choice(["19:00", "20:00", "22:00"]))
        ]
    if schedule == "bar":
        return [p(*WHOLE, [d for d in EVERY_DAY if d != rng.choice([0, 6, 9])], "07:00", "23:00")]
    if schedule in ("shop", "tasting"):
        am, pm = ("09:30-12:30", "14:30-19:00") if schedule == "shop" else ("09:00-12:00", "14:00-18:30")
        return split(*WHOLE, MON_SAT, am, pm)
    if schedule == "activity":
        return _seasons(rng, ((3, 25), (4, 15)), ((10, 15), (11, 5)), opens="09:00", closes="18:00",
                        note="Sur réservation")  # fmt: skip
    if schedule == "night":
        return [p(*WHOLE, opens=rng.choice(["14:00", "18:00"]), closes="23:30")]
    if schedule == "market":
        days = sorted(rng.sample(MON_SAT + [6], rng.choice([1, 1, 2])))
        return [p(*WHOLE, days, rng.choice(["07:30", "08:00"]), rng.choice(["12:30", "13:00"]))]
    if schedule == "night_market":
        day = [rng.randint(0, 6)]
        return [p(date(y, 7, 1), date(y, 8, 31), day, "19:00", "23:30") for y in YEARS]
    return _events(schedule, rng)


def _events(schedule: str, rng) -> list[dict]:
    """Dated occurrences in 2026 and 2027."""
    rows = []
    for y in YEARS:
        if schedule == "event_summer":
            start = _day(rng, y, (6, 20), (9, 5))
            rows.append(p(start, start + timedelta(days=rng.randint(0, 3)), opens="10:00", closes="23:30"))
        elif schedule == "event_any":
            for _ in range(rng.randint(1, 2)):
                d = _day(rng, y, (1, 10), (12, 20))
                rows.append(p(d, d, [d.weekday()], "20:30", "22:30"))
        elif schedule == "event_december":
            d = _weekend(_day(rng, y, (12, 1), (12, 14)))
            rows.append(p(d, d + timedelta(days=1), opens="10:00", closes="19:00"))
        elif schedule == "event_september":
            d = _weekend(_day(rng, y, (9, 5), (9, 25)))
            rows.append(p(d, d + timedelta(days=1), opens="10:00", closes="19:00"))
        elif schedule == "event_spring":
            d = _weekend(_day(rng, y, *rng.choice([((4, 1), (5, 31)), ((9, 10), (10, 20))]))) + timedelta(days=1)
            rows.append(p(d, d, [6], "07:00", "18:00"))
        elif schedule == "event_february":
            d = _weekend(_day(rng, y, (2, 10), (3, 10))) + timedelta(days=1)
            rows.append(p(d, d, [6], "14:00", "18:00"))
        elif schedule == "exhibition" and (y == 2027 or rng.random() < 0.5):
            d = _day(rng, y, (3, 1), (10, 31))
            rows += split(d, d + timedelta(days=rng.randint(20, 60)), TUE_SUN, "10:00-12:30", "14:30-18:30")
    return rows


def _round(amount: float) -> Decimal:
    step = 0.5 if amount < 10 else 1 if amount < 100 else 5
    return Decimal(str(round(round(amount / step) * step, 2)))


def prices(specs, rng, quality: float) -> list[dict]:
    """Price rows from (label, unit, min, max) specs; `quality` (0-1) moves them within the range."""
    rows = []
    for label, unit, lo, hi in specs:
        if hi == 0:
            rows.append({"label": label, "unit": unit, "min_amount": Decimal("0"), "max_amount": None})
            continue
        base = lo + (hi - lo) * (0.1 + 0.55 * quality) * rng.uniform(0.85, 1.15)
        low = max(Decimal(str(lo)), _round(base))
        high = None
        if unit in ("room_night", "pitch_night", "week", "night", "menu", "flat") and rng.random() < 0.6:
            high = min(Decimal(str(hi)), _round(float(low) * rng.uniform(1.25, 1.8)))
            high = high if high > low else None
        row = {"label": label, "unit": unit, "min_amount": low, "max_amount": high}
        if unit in ("room_night", "pitch_night", "week", "night") and rng.random() < 0.4:
            row |= {"valid_from": date(2027, 1, 1), "valid_to": date(2027, 12, 31)}
        rows.append(row)
    return rows
