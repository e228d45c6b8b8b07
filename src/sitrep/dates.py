"""Date expressions in French text, resolved against the publication date.

``find_dates(text, published)`` finds date expressions with its own patterns (a general date
searcher reads "7870" as a year and "Tu-22M3" as a date) and resolves each to an ISO interval
with a time precision (1 day, 2 week or a few days, 3 month or vaguer). Nothing resolves
after the publication date. Without a publication date the latest explicit date of the text is
the reference, and each result's rule says so (``…@text``).
"""
from __future__ import annotations

import calendar
import functools
import datetime as dt
import re
from dataclasses import dataclass

from .model import DateExpr
from .resources import lowered, may_match, read_table, scanner

__all__ = ["find_dates", "is_shift", "Reference", "reference_for", "valid_published"]


@dataclass(slots=True, frozen=True)
class Calendar:
    """The date words and patterns of one language (``data/<lang>/calendar.tsv`` and ``dates.tsv``)."""
    lang: str
    months: dict[str, int]
    weekdays: dict[str, int]
    nums: dict[str, int]
    units: dict[str, str]
    parts: dict[str, str]
    shifts: dict[str, int]                                # "later" +1, "earlier" -1 ("two days later")
    vague: frozenset[str]                                 # counts that are about that many ("a few", « quinze »)
    patterns: tuple[tuple[str, re.Pattern[str]], ...]     # resolvable expressions, in priority order
    pattern_words: tuple[tuple[str, ...] | None, ...]     # one of which each one's every match holds (scanner)
    helpers: dict[str, re.Pattern[str]]                   # "_dated", "_year", … (reference finding)


@functools.cache
def calendar_of(lang: str = "fr") -> Calendar:
    """The compiled calendar of ``lang`` (cached)."""
    kinds: dict[str, dict[str, str]] = {}
    for row in read_table(f"{lang}/calendar.tsv"):
        kinds.setdefault(row[0], {})[row[1].lower()] = row[2]
    months = {w: int(v) for w, v in kinds.get("month", {}).items()}
    weekdays = {w: int(v) for w, v in kinds.get("weekday", {}).items()}
    alt_m = "(?:" + "|".join(sorted(months, key=len, reverse=True)) + ")"
    alt_w = "(?:" + "|".join(sorted(weekdays, key=len, reverse=True)) + ")"
    patterns, words, helpers = [], [], {}
    for row in read_table(f"{lang}/dates.tsv"):
        if row[0].startswith("_"):
            helpers[row[0]] = re.compile(row[1].replace("{M}", alt_m).replace("{W}", alt_w), re.IGNORECASE)
        else:
            rx, needs = scanner(row[1].replace("{M}", alt_m).replace("{W}", alt_w))
            patterns.append((row[0], rx))
            words.append(needs)
    return Calendar(lang, months, weekdays, {" ".join(w.replace("-", " ").split()): int(v)
                                             for w, v in kinds.get("num", {}).items()},
                    kinds.get("unit", {}), kinds.get("part", {}),
                    {" ".join(w.split()): int(v) for w, v in kinds.get("shift", {}).items()},
                    frozenset(" ".join(w.split()) for w in kinds.get("vague", {})),
                    tuple(patterns), tuple(words), helpers)


MONTHS = calendar_of("fr").months        # French month and weekday names (attribution reads them)
WEEKDAYS = calendar_of("fr").weekdays


def _pick(m: re.Match[str], name: str) -> str | None:
    """Group ``name`` or, when the pattern has alternatives, ``name2``/``name3`` ("12 March" or
    "March 12" in one English pattern)."""
    g = m.groupdict()
    return g.get(name) or g.get(name + "2") or g.get(name + "3")


def _day(s: str) -> int:
    """« 1er », "1st", "22nd", "12": the day of the month."""
    return int(re.match(r"\d+", s).group())


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


def _byline_day(text: str, lang: str = "fr") -> dt.date | None:
    """The date of the page's byline (« Publié le 26/02/2018 », « AFP | 17/10/2017 »): a numeric
    day/month/year date near the top of the text."""
    m = re.search(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})(?![\d/.])", text[:BYLINE_CHARS])
    if not m:
        return None
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    if len(line) > 120 and not calendar_of(lang).helpers["_byline"].search(line):
        return None       # « … le 03/10/2017, selon l'OSDH »: a date in a sentence, not the page's date line
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def reference_for(published: str | None, text: str = "", lang: str = "fr") -> Reference:
    """The reference day for ``text``: the publication date, else the latest explicit dated
    expression of the text (with a year), else none."""
    day, exact = _parse_published(published)
    if day:
        floor = None
        if not exact:      # a month-only publication date: the text's own dates narrow it
            start = day.replace(day=1)
            byline = _byline_day(text, lang)
            if byline and start <= byline <= day:
                return Reference(byline, True, "byline")   # « OLJ/AFP | 17/10/2017 » under the title
            for d in find_dates(text, ref=Reference(day, False, "published"), lang=lang):
                if d.time_precision == 1 and start <= dt.date.fromisoformat(d.date) <= day:
                    cand = dt.date.fromisoformat(d.date)
                    floor = max(floor, cand) if floor else cand
        return Reference(day, exact, "published", floor)
    # No publication date: the page's own date line (« Publié le 10/03/2024 », « Bamako, 14 mars 2024 — ») is it
    own = _footer_day(text, lang) or _dateline_day(text, lang)
    if own is not None:
        return Reference(own, True, "byline")
    # The latest explicit date with a year ("13 octobre 2017", "décembre 2016", "en 2014")...
    cal = calendar_of(lang)
    latest: dt.date | None = None
    days: list[dt.date] = []        # those of them that give a day
    for m in cal.helpers["_dated"].finditer(text):
        day = _day(_pick(m, "d")) if _pick(m, "d") else 1
        try:
            d = dt.date(int(m.group("y")), cal.months[_pick(m, "m").lower().rstrip(".")], day)
        except ValueError:
            continue
        latest = max(latest, d) if latest else d
        if _pick(m, "d"):
            days.append(d)
    for m in cal.helpers["_year"].finditer(text):
        d = dt.date(int(m.group("y")), 1, 1)
        latest = max(latest, d) if latest else d
    if latest is None:
        return _weekday_reference(text, lang=lang)
    # ... then day-month dates without a year are read as the first such day after it; a
    # weekday given with them ("mercredi 8 novembre") fixes the year.
    ref = latest
    for m in cal.helpers["_undated"].finditer(text):
        day = _day(_pick(m, "d"))
        month = cal.months[_pick(m, "m").lower()]
        options = []
        for year in range(latest.year - 1, latest.year + 12):
            try:
                d = dt.date(year, month, day)
            except ValueError:
                continue
            if m.group("w") and d.weekday() != cal.weekdays[m.group("w").lower()]:
                continue
            options.append(d)
        if days:
            # beside a full date: the first such day after it within half a year (« Le 15 mars 2024 … Le 2 septembre »),
            # else one a few weeks before it (« tués le 10 mars … dans un communiqué publié le 12 mars 2024 »: 10 March
            # 2024, not 2025)
            after = [d for d in options if any(0 <= (d - x).days <= UNDATED_AFTER_DAYS for x in days)]
            before = [d for d in options if any(0 < (x - d).days <= UNDATED_BEFORE_DAYS for x in days)]
            if after or before:
                ref = max(ref, min(after) if after else max(before))
                continue
        # a month or a year alone only bounds it below (« en 2014 … le 8 novembre »): the first such day after
        after = [d for d in options if d >= latest]
        if after:
            ref = max(ref, after[0])
    return Reference(ref, False, "text")


UNDATED_AFTER_DAYS = 183    # a day-month date read after a full date of the text, up to half a year after it ...
UNDATED_BEFORE_DAYS = 31    # ... or, else, up to a month before it


def _footer_day(text: str, lang: str = "fr") -> dt.date | None:
    """The date of a short line anywhere that says the page was published (« Publié le 10/03/2024 à 14h05 »,
    "Published 10/03/2024"): its first numeric day/month/year date; a line with words (« publié », « mis à jour »)
    before one with only a bar ("Mali | 12/05/2019" may head a related article); the first such line when several.
    English writes the month first or second: a date whose order the numbers do not tell (03/10/2024) is none."""
    cal = calendar_of(lang)
    lines = [line for line in text.splitlines() if len(line) <= 120 and cal.helpers["_byline"].search(line)]
    worded = [line for line in lines if re.search(r"[^\W\d_]", cal.helpers["_byline"].search(line).group(0))]
    for line in worded + [line for line in lines if line not in worded]:
        m = re.search(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})(?![\d/.])", line)
        if not m:
            continue
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if lang == "en":
            if a <= 12 and b <= 12 and a != b:
                continue          # 03/10/2024: 3 October or March 10
            a, b = (a, b) if a > 12 else (b, a)
        try:
            return dt.date(year, b, a)
        except ValueError:
            continue
    return None


def _dateline_day(text: str, lang: str = "fr") -> dt.date | None:
    """The day of a dateline near the top (« Bamako, 14 mars 2024 — », "KHARTOUM, March 14, 2024 (Reuters) -"):
    a full date with its year right after a place name that opens a line, a dash or a bracket after it."""
    head = text[:BYLINE_CHARS]
    for d in find_dates(head, ref=Reference(None, False, "none"), lang=lang):
        if d.time_precision != 1 or not d.date:
            continue
        line_start = head.rfind("\n", 0, d.start) + 1
        before, after = head[line_start:d.start], head[d.end:d.end + 40]
        if re.fullmatch(r"\s*[A-ZÀ-Ý][\w'’. -]{1,40}(?:\s*\([^()\n]{1,30}\))?\s*,\s*", before) \
                and re.match(r"\s*(?:\([^()\n]{1,30}\)\s*)?[—–-]", after):
            return dt.date.fromisoformat(d.date)
    return None


def _weekday_reference(text: str, today: dt.date | None = None, lang: str = "fr") -> Reference:
    """No year anywhere: "samedi 15 octobre" fixes the year as the latest one, up to today, in
    which 15 October was a Saturday."""
    today = today or dt.date.today()
    best = None
    cal = calendar_of(lang)
    for m in cal.helpers["_weekday_date"].finditer(text):
        day = _day(_pick(m, "d"))
        month = cal.months[_pick(m, "m").lower()]
        for year in range(today.year, today.year - 30, -1):
            try:
                d = dt.date(year, month, day)
            except ValueError:
                continue
            if d <= today and d.weekday() == cal.weekdays[m.group("w").lower()]:
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


def _narrative_year(m: re.Match[str], ref: Reference, cal: Calendar) -> str | None:
    """The year of a retrospective passage: an explicit earlier year just before the date."""
    if not ref.day:
        return None
    before = m.string[max(0, m.start() - NARRATIVE_WINDOW):m.start()]
    years = [int(x.group("y")) for x in cal.helpers["_narrative"].finditer(before)]
    if not years or years[-1] >= ref.day.year:
        return None
    year = years[-1]
    weekday = m.groupdict().get("w")
    if weekday:
        try:
            day = _day(_pick(m, "d"))
            month = cal.months[_pick(m, "m").lower()]
            if dt.date(year, month, day).weekday() != cal.weekdays[weekday.lower()]:
                return None
        except (KeyError, ValueError):
            return None
    try:
        mname = m.group("m") or m.groupdict().get("m2") or ""
        month = cal.months[mname.lower()] if not mname.isdigit() else int(mname)
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


def _resolve(name: str, m: re.Match[str], ref: Reference, cal: Calendar) -> tuple[dt.date, dt.date | None, int] | None:
    g = m.groupdict()
    MONTHS, WEEKDAYS = cal.months, cal.weekdays
    if name in ("full", "numeric"):
        month = MONTHS[_pick(m, "m").lower()] if name == "full" else int(g["m"])
        day = _day(g["d"])
        year = _year_for(month, day, ref, g.get("y") or _narrative_year(m, ref, cal))
        if year is None:
            return None
        try:
            return dt.date(year, month, day), None, 1
        except ValueError:
            return None
    if name == "night_days":
        # « la nuit du 11 au 12 mars »: one night, dated by its evening (sitrep's day of a night), the
        # morning after as its end
        m2 = MONTHS[g["m2"].lower()]
        y2 = _year_for(m2, _day(g["d2"]), ref, g.get("y"))
        if y2 is None:
            return None
        try:
            end = dt.date(y2, m2, _day(g["d2"]))
        except ValueError:
            return None
        return end - dt.timedelta(days=1), end, 1
    if name == "range_days":
        if not (g.get("m2") or g.get("m3") or g.get("m1")):
            return None      # "from 10 to 15" with no month: a range of numbers, not of days
        m2 = MONTHS[(g.get("m2") or g.get("m3") or g["m1"]).lower()]
        m1 = MONTHS[g["m1"].lower()] if g.get("m1") else m2
        y2 = _year_for(m2, _day(g["d2"]), ref, g.get("y"))
        if y2 is None:
            return None
        try:
            start = dt.date(y2 if m1 <= m2 else y2 - 1, m1, _day(g["d1"]))
            end = dt.date(y2, m2, _day(g["d2"]))
        except ValueError:
            return None
        return start, end, 2
    if name == "since_day":
        month, day = MONTHS[_pick(m, "m").lower()], _day(_pick(m, "d"))
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
        part = cal.parts.get(g["p"].lower())
        if part == "early":
            span = first, first.replace(day=10)
        elif part == "mid":
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
        return day - dt.timedelta(days=1), None, 1
    if name == "day_before_yesterday":
        return day - dt.timedelta(days=2), None, 1
    if name == "today":
        return day, None, 1
    if name == "ago":
        n = g["n"].lower()
        count = int(n) if n.isdigit() else cal.nums.get(n, 1)
        unit = cal.units.get(g["u"].lower())
        if unit == "day":
            return day - dt.timedelta(days=count), None, 1
        if unit == "week":
            start = day - dt.timedelta(weeks=count)
            return start - dt.timedelta(days=start.weekday()), start + dt.timedelta(days=6 - start.weekday()), 2
        if unit == "year":
            year = day.year - count
            return dt.date(year, 1, 1), dt.date(year, 12, 31), 3
        if unit == "month":
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
    if name == "night_into":
        # "overnight into Sunday": the night that ends on the latest Sunday, dated by its evening
        end = day - dt.timedelta(days=(day.weekday() - WEEKDAYS[g["w"].lower()]) % 7)
        return end - dt.timedelta(days=1), end, 1
    if name == "weekday":
        target = WEEKDAYS[g["w"].lower()]
        back = (day.weekday() - target) % 7
        if g.get("next"):
            return None
        if g.get("last") and back == 0:
            back = 7        # « jeudi dernier », "last Thursday" written on a Thursday: a week before
        return day - dt.timedelta(days=back), None, 1
    if name == "night":
        target = WEEKDAYS[g["w1"].lower()]
        if g.get("d1") and g.get("m"):
            month = MONTHS[g["m"].lower()]
            year = _year_for(month, _day(g["d1"]), ref, g.get("y"))
            try:
                start = dt.date(year, month, _day(g["d1"]))
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


SHIFTS = ("shift", "next_day", "same_month")     # counted from the day the text last told, not from publication


def _pattern_of(d: DateExpr) -> str:
    """The dates.tsv row that found ``d`` ("en.range_days@published~" -> "range_days")."""
    return d.rule.split("@", 1)[0].rsplit(".", 1)[-1]


def is_shift(d: DateExpr) -> bool:
    """Counted from another day the text told ("two days later", « le lendemain »)."""
    return _pattern_of(d) in SHIFTS


def _shift(name: str, m: re.Match[str], cal: Calendar) -> tuple[int, int] | None:
    """Days from the day last told, and the precision: "72 hours earlier" (-3, 1), « le
    lendemain » (+1, 1), "a week later" (+7, 2). None for a count the calendar does not know."""
    g = m.groupdict()
    if name == "next_day":
        return (2 if g.get("two") else 1), 1
    n = " ".join(g["n"].lower().replace("-", " ").split())
    count = int(n) if n.isdigit() else cal.nums.get(n)
    unit = cal.units.get(g["u"].lower())
    sign = cal.shifts.get(" ".join(g["s"].lower().split()))
    if count is None or sign is None:
        return None
    vague = n in cal.vague                      # "a few days later", « quinze jours plus tard »: about that
    if unit == "hour":
        return sign * (count // 24), 2 if vague and count >= 24 else 1   # "a few hours later": the same day
    if unit == "day":
        return sign * count, 2 if vague else 1
    if unit == "week":
        return sign * 7 * count, 2
    return None


def find_dates(text: str, published: str | None = None, ref: Reference | None = None,
               lang: str = "fr") -> list[DateExpr]:
    """Every date expression in ``text``, resolved; non-overlapping, in text order. "Two days
    later", « le lendemain »: counted from the nearest exact day told before them (or, going back,
    from the reference day when none was)."""
    ref = ref or reference_for(published, text, lang)
    cal = calendar_of(lang)
    taken: list[tuple[int, int]] = []
    out: list[DateExpr] = []
    shifts: list[tuple[str, re.Match[str]]] = []
    low = lowered(text)
    for (name, pat), words in zip(cal.patterns, cal.pattern_words):
        if not may_match(words, low):
            continue          # none of the words its every match holds
        for m in pat.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            if name in SHIFTS:
                shifts.append((name, m))
                taken.append((s, e))
                continue
            try:
                resolved = _resolve(name, m, ref, cal)
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
            rule = f"{lang}.{name}@{ref.source}" + ("" if ref.exact or ref.source == "none" else "~")
            out.append(DateExpr(s, e, m.group(0), start.isoformat(), _iso(end), precision, rule))
    out.sort(key=lambda d: d.start)
    if shifts:
        out = _resolve_shifts(shifts, out, ref, cal, lang)
    return out


def _same_month(m: re.Match[str], out: list[DateExpr], ref: Reference, lang: str) -> None:
    """« le 9 du même mois », "the 9th of that month": that day of the month the text told last before
    it (of a range, the month it ends in: « du 28 juillet au 3 août … le 9 du même mois » is 9 August),
    added to ``out``; nothing when what was told last is no day, week or month (a year, « depuis
    2019 ») or nothing was."""
    before = [d for d in out if d.start < m.start()]
    if not before:
        return
    last = max(before, key=lambda d: d.start)
    start = dt.date.fromisoformat(last.date)
    anchor = dt.date.fromisoformat(last.date_end) if last.date_end else start
    if _pattern_of(last) == "year" or (anchor - start).days > 31:
        return
    try:
        day = anchor.replace(day=int(re.sub(r"\D", "", m.group("d")) or 1))
    except ValueError:
        return                    # « le 31 du même mois » of a month of 30 days
    if ref.day and day > ref.day and ref.source in ("published", "byline"):
        return
    source = "told" + ("~" if last.rule.endswith("~") else "")
    out.append(DateExpr(m.start(), m.end(), m.group(0), day.isoformat(), None, 1, f"{lang}.same_month@{source}"))
    out.sort(key=lambda d: d.start)


def _resolve_shifts(shifts: list[tuple[str, re.Match[str]]], out: list[DateExpr], ref: Reference,
                    cal: Calendar, lang: str) -> list[DateExpr]:
    """Each shift in text order, from the day told last before it (a shift resolved before counts:
    "the next day … two days later"): an exact day, or a range of named days — its last day going forward
    ("from 3 to 5 August … the next day": the 6th), its first going back; after a vaguer date (a week,
    "since", a month) no day. With nothing told before, a shift back counts from an exact reference day."""
    for name, m in sorted(shifts, key=lambda x: x[1].start()):
        if name == "same_month":
            _same_month(m, out, ref, lang)
            continue
        got = _shift(name, m, cal)
        if got is None:
            continue
        days, precision = got
        before = [d for d in out if d.start < m.start()]
        if before:
            last = max(before, key=lambda d: d.start)
            if last.time_precision == 1:
                anchor = dt.date.fromisoformat(last.date)
            elif _pattern_of(last) == "range_days":
                anchor = dt.date.fromisoformat((last.date_end or last.date) if days > 0 else last.date)
            else:
                continue             # "last week … two days later": no day
            source = "told" + ("~" if last.rule.endswith("~") else "")
        elif days < 0 and ref.day and ref.exact:
            anchor, source = ref.day, ref.source
        else:
            continue             # "the following day" of nothing told
        try:
            day = anchor + dt.timedelta(days=days)
        except OverflowError:
            continue
        if day.year < EARLIEST_YEAR or (ref.day and day > ref.day and ref.source in ("published", "byline")):
            continue             # (a reference read from the text only bounds publication from below)
        out.append(DateExpr(m.start(), m.end(), m.group(0), day.isoformat(), None, precision,
                            f"{lang}.{name}@{source}"))
        out.sort(key=lambda d: d.start)
    return out
