"""Number expressions (French, English…; the words are in ``data/<lang>/numbers.tsv``): digits in every layout, words, approximations, bounds, ranges.

``find_quantities(text)`` returns every quantity with its span; ``parse_quantity(words)``
reads one expression. Examples::

    "1 200" -> 1200        "1.200" -> 1200         "quarante-deux" -> 42
    "au moins 12" -> 12 (low 12, high None)        "plus de 100" -> 100 (low 101)
    "1,4 million" -> 1400000   "10 million" -> 10000000
    "une centaine" -> 100 (90-110)                 "entre 10 et 15" -> 10 (10-15)
"""
from __future__ import annotations

import functools
import re

from .model import Quantity
from .resources import read_table

__all__ = ["find_quantities", "parse_quantity", "word_number"]

# Digits with French or English grouping: 1 200 / 1 200 (nbsp) / 1.200 / 1,200 / 12
_DIGITS_RE = r"\b\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+\b|\b\d+\b"


@functools.cache
def _units(lang: str) -> dict[str, int]:
    """Number words of ``lang`` (``data/<lang>/numbers.tsv``, rows ``unit``) and their values; the
    joining word (« et », "and") is 0."""
    return {r[1].lower(): int(r[2]) for r in read_table(f"{lang}/numbers.tsv") if r[0] == "unit"}


@functools.cache
def _bound_words(lang: str) -> tuple[tuple[str, str], ...]:
    """(words, kind) of the bounds before a number: min, more, about, less, most."""
    return tuple((r[1].lower(), r[2]) for r in read_table(f"{lang}/numbers.tsv") if r[0] == "bound")


@functools.cache
def _misc(lang: str) -> dict[str, str]:
    """The language's range and approximation words (``range``, ``range_sep``, ``approx_lead``)."""
    return {r[0]: r[1] for r in read_table(f"{lang}/numbers.tsv") if r[0] not in ("unit", "bound")}


@functools.cache
def _approx(lang: str = "fr") -> dict[str, tuple[int, int, int]]:
    return {row[0].lower(): (int(row[1]), int(row[2]), int(row[3])) for row in read_table(f"{lang}/approximations.tsv")}


@functools.cache
def _quantity_re(lang: str = "fr") -> re.Pattern[str]:
    units = _units(lang)
    joiners = [w for w, v in units.items() if v == 0]
    number_word = r"(?:" + "|".join(sorted((re.escape(w) for w in units if units[w] != 0), key=len, reverse=True)) + r")"
    join = rf"(?:[\s-]+(?:(?:{'|'.join(joiners)})[\s-]+)?)" if joiners else r"[\s-]+"
    # a run of number words: "quatre-vingt-dix", "deux cent cinquante", "one hundred and twenty"
    words_re = rf"\b{number_word}(?:{join}{number_word})*\b"
    approx = "|".join(sorted((re.escape(w) for w in _approx(lang)), key=len, reverse=True))
    bounds = "|".join(sorted((w for w, _ in _bound_words(lang)), key=len, reverse=True))
    misc = _misc(lang)
    # digits scaled by a word of a million or more: "10 million", « 1,4 million », "2.5 billion" (one number)
    scales = "|".join(sorted((re.escape(w) for w, v in units.items() if v >= 1_000_000), key=len, reverse=True)) or "(?!)"
    return re.compile(
        r"(?P<bound>\b(?:" + bounds + r")\s*)?"
        r"(?:(?P<range>(?:(?:" + misc.get("range", "(?!)") + r")\s+)?(?P<r1>" + _DIGITS_RE + r")\s*(?:" + misc.get("range_sep", "-") + r"|-|–)\s*(?P<r2>" + _DIGITS_RE + r"))"
        r"|(?P<approx>\b(?:" + misc.get("approx_lead", "(?!)") + r")?\s*(?:" + approx + r")\b)"
        r"|(?P<scaled>(?P<sd>\b\d{1,3}(?:[.,]\d{1,2})?)\s+(?P<scale>" + scales + r")\b)"
        r"|(?P<digits>" + _DIGITS_RE + r")"
        r"|(?P<words>" + words_re + r"))",
        re.IGNORECASE)


def _digits(s: str) -> int:
    return int(re.sub(r"[ \u00a0\u202f.,]", "", s))


def word_number(words: str, lang: str = "fr") -> int | None:
    """Value of a run of number words of ``lang``, or None."""
    _UNITS = _units(lang)
    total, current = 0, 0
    parts = [p for p in re.split(r"[\s-]+", words.lower()) if p]
    if not parts or all(_UNITS.get(p) == 0 for p in parts):
        return None
    for p in parts:
        if p not in _UNITS:
            return None
        v = _UNITS[p]
        if v == 0:
            continue
        if v == 100:
            current = max(current, 1) * 100
        elif v >= 1000:
            total += max(current, 1) * v
            current = 0
        elif p in ("vingt", "vingts") and current and current % 100 == 4:
            current = current - 4 + 80   # quatre-vingt(s)
        else:
            current += v
    return total + current


def _bounds(bound: str | None, value: int, lang: str = "fr") -> tuple[int | None, int | None, bool]:
    b = " ".join((bound or "").lower().split())
    kind = next((k for w, k in _bound_words(lang) if re.fullmatch(w, b)), None)
    if kind == "min":
        return value, None, False
    if kind == "more":
        return value + 1, None, False
    if kind == "about":
        return int(value * 0.9), int(value * 1.1 + 0.999), True
    if kind in ("less", "most"):
        return None, value, False
    return value, value, False


# No count of people, vehicles or shells in the news exceeds the world's population: a longer
# string of digits is an id, a phone number or noise, not a quantity (and would not fit SQLite).
MAX_COUNT = 10_000_000_000


def _from_match(m: re.Match[str], lang: str = "fr") -> Quantity | None:
    q = _quantity(m, lang)
    if q is None or any(v is not None and v > MAX_COUNT for v in (q.value, q.low, q.high)):
        return None
    return q


def _quantity(m: re.Match[str], lang: str = "fr") -> Quantity | None:
    text = m.group(0).strip()
    if m.group("range"):
        lo, hi = _digits(m.group("r1")), _digits(m.group("r2"))
        if hi < lo or hi > 10 * max(lo, 1) + 10:     # "2016-2017" or "10 à 1500" are not ranges
            return None
        return Quantity(lo, lo, hi, text, m.start(), m.end())
    if m.group("approx"):
        raw = m.group("approx").lower().split()[-1]
        table = _approx(lang)
        # the pattern matches without case as the regex engine folds it (« plusıeurs » with a dotless ı
        # matches « plusieurs »), which str.lower() does not: find the row the way the regex did
        row = table.get(raw) or next((v for k, v in table.items() if re.fullmatch(re.escape(k), raw, re.IGNORECASE)),
                                     None)
        if row is None:
            return None
        best, lo, hi = row
        if raw in _misc(lang).get("vague", "").split("|"):
            return Quantity(None, lo, hi, text, m.start(), m.end(), True)
        return Quantity(best, lo, hi, text, m.start(), m.end(), True)
    if m.group("scaled"):
        value = round(float(m.group("sd").replace(",", ".")) * _units(lang)[m.group("scale").lower()])
    elif m.group("digits"):
        value = _digits(m.group("digits"))
    else:
        value = word_number(m.group("words"), lang)
        if value is None:
            return None
    lo, hi, approx = _bounds(m.group("bound"), value, lang)
    return Quantity(value, lo, hi, text, m.start(), m.end(), approx)


def find_quantities(text: str, lang: str = "fr") -> list[Quantity]:
    """Every number expression in ``text`` (in ``lang``) with its character span."""
    out = []
    for m in _quantity_re(lang).finditer(text):
        if not m.group(0).strip():
            continue
        q = _from_match(m, lang)
        if q is None:
            continue
        # leading/trailing spaces are not part of the span
        lead = len(m.group(0)) - len(m.group(0).lstrip())
        q.start, q.end = m.start() + lead, m.start() + lead + len(q.text)
        out.append(q)
    return out


def parse_quantity(words: str, lang: str = "fr") -> Quantity | None:
    """Read one expression such as "au moins 12", "une centaine", "quarante-deux"."""
    found = find_quantities(words, lang)
    return found[0] if found else None
