"""Date expressions in French text, resolved against the publication date.

``find_dates(text, published)`` finds date expressions with its own patterns (a general date
searcher reads "7870" as a year and "Tu-22M3" as a date) and resolves each to an ISO interval
with a time precision (1 day, 2 week or a few days, 3 month or vaguer). Nothing resolves
after the publication date. Without a publication date the latest explicit date of the text is
the reference, and each result's rule says so (``…@text``).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .model import DateExpr

__all__ = ["find_dates", "Reference", "reference_for", "valid_published"]

MONTHS = {"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
          "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
          "décembre": 12, "decembre": 12}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
            "dimanche": 6}
_M = "(?:" + "|".join(MONTHS) + ")"
_W = "(?:" + "|".join(WEEKDAYS) + ")"
_PART = r"(?:\s+(?:soir|matin|après-midi|midi|dernier|passé|prochain))?"
_NUMS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
         "huit": 8, "neuf": 9, "dix": 10, "quinze": 15}

# Patterns in priority order: the first that matches at a position wins, longer spans first.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [(name, re.compile(rx, re.IGNORECASE)) for name, rx in [
    ("night_days", rf"\b(?:dans\s+|durant\s+|pendant\s+)?la\s+nuit\s+du\s+(?P<d1>\d{{1,2}})(?:er)?(?:\s+{_M})?\s+au\s+(?P<d2>\d{{1,2}})(?:er)?\s+(?P<m2>{_M})(?:\s+(?P<y>\d{{4}}))?"),
    ("range_days", rf"\bdu\s+(?P<d1>\d{{1,2}})(?:er)?\s*(?P<m1>{_M})?\s+au\s+(?P<d2>\d{{1,2}})(?:er)?\s+(?P<m2>{_M})(?:\s+(?P<y>\d{{4}}))?"),
    ("since_day", rf"\bdepuis\s+(?:le\s+)?(?:{_W}\s+)?(?P<d>\d{{1,2}})(?:er)?\s+(?P<m>{_M})(?:\s+(?P<y>\d{{4}}))?"),
    ("night", rf"\bdans\s+la\s+nuit\s+d[ue]\s+(?:(?P<w1>{_W})\s*(?P<d1>\d{{1,2}})?)\s+(?:à|au)\s+(?P<w2>{_W})\s*(?P<d2>\d{{1,2}})?(?:\s+(?P<m>{_M}))?(?:\s+(?P<y>\d{{4}}))?"),
    ("full", rf"\b(?:(?P<w>{_W})\s+)?(?P<d>\d{{1,2}}|1er)(?:\s+(?P<m>{_M})|(?=\s+(?:et|ou|au)\s+(?:{_W}\s+)?\d{{1,2}}(?:er)?\s+(?P<m2>{_M})))(?:\s+(?P<y>\d{{4}}))?(?:\s+dernier)?"),
    ("numeric", r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\b"),
    ("period", rf"\b(?:(?:en|au|à la|à)\s+)?(?P<p>début|mi|fin)[\s-]+(?P<m>{_M})(?:\s+(?P<y>\d{{4}}))?"),
    ("earlier_month", rf"\bplus\s+tôt\s+(?:en|au\s+mois\s+d[e'])\s*(?P<m>{_M})"),
    ("month", rf"\b(?:en|au\s+mois\s+d[e']|depuis|mois\s+d[e'])\s*(?P<m>{_M})(?:\s+(?P<y>\d{{4}}))?|\b(?P<m2>{_M})\s+(?P<y2>\d{{4}})"),
    ("last24", r"\b(?:au\s+cours\s+des|ces|durant\s+les|dans\s+les|lors\s+des|pendant\s+les)\s+(?:dernières\s+)?24\s+(?:dernières\s+)?heures"),
    ("ago", r"\bil\s+y\s+a\s+(?P<n>\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|quinze)\s+(?P<u>jours?|semaines?|mois|ans?|années?)"),
    ("yesterday", r"\b(?:avant-hier|hier|la\s+veille)(?:\s+(?:au\s+)?(?:soir|matin|après-midi))?"),
    ("today", r"\b(?:aujourd'hui|aujourd’hui|ce\s+matin|ce\s+soir|cette\s+nuit|la\s+nuit\s+dernière)\b"),
    ("end_last_week", r"\b(?:en\s+)?fin\s+de\s+semaine\s+(?:dernière|passée)"),
    ("last_week", r"\b(?:la|durant\s+la|au\s+cours\s+de\s+la)\s+(?:seule\s+)?semaine\s+(?:dernière|passée)"),
    ("this_week", r"\bcette\s+semaine\b"),
    ("last_month", r"\ble\s+mois\s+(?:dernier|passé)\b"),
    ("this_month", r"\b(?:plus\s+tôt\s+)?ce\s+mois(?:-ci)?\b"),
    ("weekday", rf"\b(?:ce\s+|dès\s+|le\s+)?(?P<w>{_W}){_PART}\b"),
    ("year", r"\b(?:en|depuis)\s+(?P<y>(?:19|20)\d{2})\b"),
]]


@dataclass(slots=True, frozen=True)
class Reference:
    """What relative dates are resolved against: the last day known to be at or before
    publication (``day``), whether that day is exact, and where it came from."""
    day: dt.date | None
    exact: bool
    source: str   # "published" | "text" | "none"
    floor: dt.date | None = None   # publication is on or after this day (latest date the text gives)


# A date resolved before this year is a historical aside (« il y a 2000 ans »), never an event's
# date; leaving it out also keeps date arithmetic downstream (windows of days) inside the calendar.
EARLIEST_YEAR = 1000
PUBLISHED_YEARS = (1800, 2200)   # a publication year outside these is a placeholder or a typo
_PUBLISHED = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?")


def valid_published(value: object) -> str | None:
    """``value`` as an ISO publication day or month ("2017-10-14", "2017-10"), or None when it is
    not one: a number (20180201), words, an impossible day (2017-13-45). An ISO date-time keeps
    its day."""
    if not isinstance(value, str):
        return None
    m = _PUBLISHED.fullmatch(value.strip())
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
    try:
        dt.date(year, month, int(day) if day else 1)
    except ValueError:
        return None
    if not PUBLISHED_YEARS[0] <= year <= PUBLISHED_YEARS[1]:
        return None               # 0001-01-01 is a placeholder, not a day news was published
    return f"{m.group(1)}-{m.group(2)}" + (f"-{day}" if day else "")


def _parse_published(published: str | None) -> tuple[dt.date | None, bool]:
    s = valid_published(published) if published else None
    if s is None:
        return None, False        # a number or words are no publication date (ingest warns)
    for fmt, exact in (("%Y-%m-%d", True), ("%Y-%m", False)):
        size = {"%Y-%m-%d": 10, "%Y-%m": 7}[fmt]
        try:
            d = dt.datetime.strptime(s[:size], fmt).date()
        except ValueError:
            continue
        if exact:
            return d, True
        return d.replace(day=calendar.monthrange(d.year, d.month)[1]), False
    return None, False


BYLINE_CHARS = 400    # a numeric date this close to the top is the page's own date line


def _byline_day(text: str) -> dt.date | None:
    """The date of the page's byline (« Publié le 26/02/2018 », « AFP | 17/10/2017 »): a numeric
    day/month/year date near the top of the text."""
    m = re.search(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})(?![\d/.])", text[:BYLINE_CHARS])
    if not m:
        return None
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    if len(line) > 120 and not re.search(r"(?:publié|mis\s+à\s+jour|modifié|dernière\s+modification|\|)", line, re.I):
        return None       # « … le 03/10/2017, selon l'OSDH »: a date in a sentence, not the page's date line
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def reference_for(published: str | None, text: str = "") -> Reference:
    """The reference day for ``text``: the publication date, else the latest explicit dated
    expression of the text (with a year), else none."""
    day, exact = _parse_published(published)
    if day:
        floor = None
        if not exact:      # a month-only publication date: the text's own dates narrow it
            start = day.replace(day=1)
            byline = _byline_day(text)
            if byline and start <= byline <= day:
                return Reference(byline, True, "byline")   # « OLJ/AFP | 17/10/2017 » under the title
            for d in find_dates(text, ref=Reference(day, False, "published")):
                if d.time_precision == 1 and start <= dt.date.fromisoformat(d.date) <= day:
                    cand = dt.date.fromisoformat(d.date)
                    floor = max(floor, cand) if floor else cand
        return Reference(day, exact, "published", floor)
    # The latest explicit date with a year ("13 octobre 2017", "décembre 2016", "en 2014")...
    latest: dt.date | None = None
    for m in re.finditer(rf"\b(?:(\d{{1,2}}|1er)\s+)?({_M})\s+((?:19|20)\d{{2}})\b", text, re.IGNORECASE):
        day = 1 if not m.group(1) or m.group(1).lower() == "1er" else int(m.group(1))
        try:
            d = dt.date(int(m.group(3)), MONTHS[m.group(2).lower()], day)
        except ValueError:
            continue
        latest = max(latest, d) if latest else d
    for y in re.findall(r"\b(?:en|depuis|dès|de|in|since)\s+((?:19|20)\d{2})\b", text, re.IGNORECASE):
        d = dt.date(int(y), 1, 1)
        latest = max(latest, d) if latest else d
    if latest is None:
        return _weekday_reference(text)
    # ... then day-month dates without a year are read as the first such day after it; a
    # weekday given with them ("mercredi 8 novembre") fixes the year.
    ref = latest
    for m in re.finditer(rf"\b(?:({_W})\s+)?(\d{{1,2}}|1er)\s+({_M})(?!\s+(?:19|20)\d{{2}})", text, re.IGNORECASE):
        day = 1 if m.group(2).lower() == "1er" else int(m.group(2))
        month = MONTHS[m.group(3).lower()]
        for year in range(latest.year, latest.year + 12):
            try:
                d = dt.date(year, month, day)
            except ValueError:
                continue
            if d < latest:
                continue
            if m.group(1) and d.weekday() != WEEKDAYS[m.group(1).lower()]:
                continue
            ref = max(ref, d)
            break
    return Reference(ref, False, "text")


def _weekday_reference(text: str, today: dt.date | None = None) -> Reference:
    """No year anywhere: "samedi 15 octobre" fixes the year as the latest one, up to today, in
    which 15 October was a Saturday."""
    today = today or dt.date.today()
    best = None
    for m in re.finditer(rf"\b({_W})\s+(\d{{1,2}}|1er)\s+({_M})\b", text, re.IGNORECASE):
        day = 1 if m.group(2).lower() == "1er" else int(m.group(2))
        month = MONTHS[m.group(3).lower()]
        for year in range(today.year, today.year - 30, -1):
            try:
                d = dt.date(year, month, day)
            except ValueError:
                continue
            if d <= today and d.weekday() == WEEKDAYS[m.group(1).lower()]:
                best = max(best, d) if best else d
                break
    if best is None:
        return Reference(None, False, "none")
    return Reference(best, False, "text-weekday")


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _year_for(month: int, day: int, ref: Reference, explicit: str | None) -> int | None:
    if explicit:
        return int(explicit)
    if not ref.day:
        return None
    year = ref.day.year
    try:
        if dt.date(year, month, day) > ref.day:
            year -= 1
    except ValueError:
        return None
    return year


NARRATIVE_WINDOW = 250   # chars: « En juillet 2016, … Le 15 novembre, … » reads 15 November 2016


def _narrative_year(m: re.Match[str], ref: Reference) -> str | None:
    """The year of a retrospective passage: an explicit earlier year just before the date."""
    if not ref.day:
        return None
    before = m.string[max(0, m.start() - NARRATIVE_WINDOW):m.start()]
    years = [int(y) for y in re.findall(rf"\b{_M}\s+((?:19|20)\d{{2}})\b", before, re.IGNORECASE)]
    if not years or years[-1] >= ref.day.year:
        return None
    year = years[-1]
    weekday = m.groupdict().get("w")
    if weekday:
        try:
            day = 1 if m.group("d").lower() == "1er" else int(m.group("d"))
            month = MONTHS[(m.group("m") or m.groupdict().get("m2")).lower()]
            if dt.date(year, month, day).weekday() != WEEKDAYS[weekday.lower()]:
                return None
        except (KeyError, ValueError):
            return None
    try:
        mname = m.group("m") or m.groupdict().get("m2") or ""
        month = MONTHS[mname.lower()] if not mname.isdigit() else int(mname)
        if dt.date(year, month, 1) > ref.day:
            return None
    except (KeyError, ValueError, IndexError):
        return None
    return str(year)


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _vague(ref: Reference) -> tuple[dt.date, dt.date, int] | None:
    """Fallback for a relative expression when the reference is not an exact day."""
    if not ref.day:
        return None
    start = ref.day.replace(day=1)
    return start, ref.day, 3


def _resolve(name: str, m: re.Match[str], ref: Reference) -> tuple[dt.date, dt.date | None, int] | None:
    g = m.groupdict()
    low = m.group(0).lower()
    if name in ("full", "numeric"):
        month = MONTHS[(g["m"] or g["m2"]).lower()] if name == "full" else int(g["m"])
        day = 1 if g["d"].lower() == "1er" else int(g["d"])
        year = _year_for(month, day, ref, g.get("y") or _narrative_year(m, ref))
        if year is None:
            return None
        try:
            return dt.date(year, month, day), None, 1
        except ValueError:
            return None
    if name == "night_days":
        # « la nuit du 11 au 12 mars »: one night, dated by its evening (the codebook's day), the
        # morning after as its end
        m2 = MONTHS[g["m2"].lower()]
        y2 = _year_for(m2, int(g["d2"]), ref, g.get("y"))
        if y2 is None:
            return None
        try:
            end = dt.date(y2, m2, int(g["d2"]))
        except ValueError:
            return None
        return end - dt.timedelta(days=1), end, 1
    if name == "range_days":
        m2 = MONTHS[g["m2"].lower()]
        m1 = MONTHS[g["m1"].lower()] if g.get("m1") else m2
        y2 = _year_for(m2, int(g["d2"]), ref, g.get("y"))
        if y2 is None:
            return None
        try:
            start = dt.date(y2 if m1 <= m2 else y2 - 1, m1, int(g["d1"]))
            end = dt.date(y2, m2, int(g["d2"]))
        except ValueError:
            return None
        return start, end, 2
    if name == "since_day":
        month, day = MONTHS[g["m"].lower()], int(g["d"])
        year = _year_for(month, day, ref, g.get("y"))
        if year is None or not ref.day:
            return None
        try:
            return dt.date(year, month, day), ref.day, 2
        except ValueError:
            return None
    if name == "period":
        month = MONTHS[g["m"].lower()]
        year = _year_for(month, 1, ref, g.get("y"))
        if year is None:
            return None
        first, last = _month_bounds(year, month)
        part = g["p"].lower()
        if part == "début":
            span = first, first.replace(day=10)
        elif part == "mi":
            span = first.replace(day=11), first.replace(day=20)
        else:
            span = first.replace(day=21), last
        end = min(span[1], ref.day) if ref.day and span[0] <= ref.day else span[1]
        return span[0], end, 2
    if name in ("month", "earlier_month"):
        mname = g.get("m") or g.get("m2")
        month = MONTHS[mname.lower()]
        year = _year_for(month, 1, ref, g.get("y") or g.get("y2"))
        if year is None:
            return None
        first, last = _month_bounds(year, month)
        if ref.day and first <= ref.day <= last:
            last = ref.day
        return first, last, 3
    if name == "year":
        year = int(g["y"])
        end = dt.date(year, 12, 31)
        if ref.day and ref.day.year == year:
            end = ref.day
        return dt.date(year, 1, 1), end, 3
    # everything below is relative to the reference day
    if not ref.day:
        return None
    if not ref.exact:
        return _vague(ref)
    day = ref.day
    if name == "last24":
        return day - dt.timedelta(days=1), None, 1
    if name == "yesterday":
        return day - dt.timedelta(days=2 if low.startswith("avant") else 1), None, 1
    if name == "today":
        return day, None, 1
    if name == "ago":
        n = g["n"].lower()
        count = int(n) if n.isdigit() else _NUMS.get(n, 1)
        unit = g["u"].lower()
        if unit.startswith("jour"):
            return day - dt.timedelta(days=count), None, 1
        if unit.startswith("semaine"):
            start = day - dt.timedelta(weeks=count)
            return start - dt.timedelta(days=start.weekday()), start + dt.timedelta(days=6 - start.weekday()), 2
        if unit.startswith(("an", "année")):
            year = day.year - count
            return dt.date(year, 1, 1), dt.date(year, 12, 31), 3
        if unit == "mois":
            year, month0 = divmod(day.year * 12 + day.month - 1 - count, 12)   # arithmetic, not a loop of count steps
            prev = dt.date(year, month0 + 1, 1)       # ValueError before year 1: left out
            return prev, _month_bounds(prev.year, prev.month)[1], 3
        return None
    if name in ("last_week", "end_last_week"):
        monday = day - dt.timedelta(days=day.weekday() + 7)
        if name == "end_last_week":
            return monday + dt.timedelta(days=4), monday + dt.timedelta(days=6), 2
        return monday, monday + dt.timedelta(days=6), 2
    if name == "this_week":
        return day - dt.timedelta(days=day.weekday()), day, 2
    if name == "last_month":
        prev = day.replace(day=1) - dt.timedelta(days=1)
        first, last = _month_bounds(prev.year, prev.month)
        return first, last, 3
    if name == "this_month":
        return day.replace(day=1), day, 3
    if name == "weekday":
        target = WEEKDAYS[g["w"].lower()]
        back = (day.weekday() - target) % 7
        if "prochain" in low:
            return None
        return day - dt.timedelta(days=back), None, 1
    if name == "night":
        target = WEEKDAYS[g["w1"].lower()]
        if g.get("d1") and g.get("m"):
            month = MONTHS[g["m"].lower()]
            year = _year_for(month, int(g["d1"]), ref, g.get("y"))
            try:
                start = dt.date(year, month, int(g["d1"]))
            except (TypeError, ValueError):
                return None
        else:
            back = (day.weekday() - target) % 7
            start = day - dt.timedelta(days=back)
            if start == day:            # "nuit de dimanche à lundi" published on Sunday: last week's
                start -= dt.timedelta(days=7) if target == (day.weekday() + 1) % 7 else dt.timedelta(0)
        end = start + dt.timedelta(days=1)
        if end > day:
            start, end = start - dt.timedelta(days=7), end - dt.timedelta(days=7)
        return start, end, 1
    return None


def find_dates(text: str, published: str | None = None, ref: Reference | None = None) -> list[DateExpr]:
    """Every date expression in ``text``, resolved; non-overlapping, in text order."""
    ref = ref or reference_for(published, text)
    taken: list[tuple[int, int]] = []
    out: list[DateExpr] = []
    for name, pat in _PATTERNS:
        for m in pat.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            try:
                resolved = _resolve(name, m, ref)
            except (OverflowError, ValueError):
                resolved = None           # « il y a 3000 ans », a year before 1: no such day
            if resolved is None:
                continue
            start, end, precision = resolved
            if start.year < EARLIEST_YEAR:
                continue
            if ref.day and start > ref.day:       # never after publication
                continue
            if end and ref.day and end > ref.day:
                end = ref.day
            if end == start:
                end = None
            taken.append((s, e))
            rule = f"fr.{name}@{ref.source}" + ("" if ref.exact or ref.source == "none" else "~")
            out.append(DateExpr(s, e, m.group(0), start.isoformat(), _iso(end), precision, rule))
    out.sort(key=lambda d: d.start)
    return out
