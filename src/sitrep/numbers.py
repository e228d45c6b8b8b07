"""French number expressions: digits in every layout, words, approximations, bounds, ranges.

``find_quantities(text)`` returns every quantity with its span; ``parse_quantity(words)``
reads one expression. Examples::

    "1 200" -> 1200        "1.200" -> 1200         "quarante-deux" -> 42
    "au moins 12" -> 12 (low 12, high None)        "plus de 100" -> 100 (low 101)
    "une centaine" -> 100 (90-110)                 "entre 10 et 15" -> 10 (10-15)
"""
from __future__ import annotations

import functools
import re

from .model import Quantity
from .resources import read_table

__all__ = ["find_quantities", "parse_quantity", "word_number"]

_UNITS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100, "mille": 1000, "et": 0,
    "million": 1_000_000, "millions": 1_000_000,
}
_NUMBER_WORD = r"(?:" + "|".join(sorted((w for w in _UNITS if w != "et"), key=len, reverse=True)) + r")"
# A run of French number words: "quatre-vingt-dix", "deux cent cinquante", "vingt et un".
_WORDS_RE = rf"\b{_NUMBER_WORD}(?:(?:[\s-]+(?:et[\s-]+)?){_NUMBER_WORD})*\b"
# Digits with French or English grouping: 1 200 / 1 200 (nbsp) / 1.200 / 1,200 / 12
_DIGITS_RE = r"\b\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+\b|\b\d+\b"


@functools.cache
def _approx() -> dict[str, tuple[int, int, int]]:
    return {row[0]: (int(row[1]), int(row[2]), int(row[3])) for row in read_table("fr/approximations.tsv")}


@functools.cache
def _quantity_re() -> re.Pattern[str]:
    approx = "|".join(sorted(_approx(), key=len, reverse=True))
    return re.compile(
        r"(?P<bound>\b(?:au moins|au minimum|plus d[e']|près d[e']|environ|quelque|jusqu'à|"
        r"moins d[e']|au plus|pas moins d[e'])\s*)?"
        r"(?:(?P<range>(?:entre\s+)?(?P<r1>" + _DIGITS_RE + r")\s*(?:et|à|-|–)\s*(?P<r2>" + _DIGITS_RE + r"))"
        r"|(?P<approx>\b(?:une?|des|plusieurs)?\s*(?:" + approx + r")\b)"
        r"|(?P<digits>" + _DIGITS_RE + r")"
        r"|(?P<words>" + _WORDS_RE + r"))",
        re.IGNORECASE)


def _digits(s: str) -> int:
    return int(re.sub(r"[ \u00a0\u202f.,]", "", s))


def word_number(words: str) -> int | None:
    """Value of a run of French number words, or None."""
    total, current = 0, 0
    parts = [p for p in re.split(r"[\s-]+", words.lower()) if p]
    if not parts or all(p == "et" for p in parts):
        return None
    for p in parts:
        if p not in _UNITS:
            return None
        v = _UNITS[p]
        if p == "et":
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


def _bounds(bound: str | None, value: int) -> tuple[int | None, int | None, bool]:
    b = (bound or "").lower().strip()
    if b.startswith(("au moins", "au minimum", "pas moins")):
        return value, None, False
    if b.startswith("plus d"):
        return value + 1, None, False
    if b.startswith(("près d", "environ", "quelque")):
        return int(value * 0.9), int(value * 1.1 + 0.999), True
    if b.startswith(("moins d", "jusqu")):
        return None, value, False
    if b.startswith("au plus"):
        return None, value, False
    return value, value, False


# No count of people, vehicles or shells in the news exceeds the world's population: a longer
# string of digits is an id, a phone number or noise, not a quantity (and would not fit SQLite).
MAX_COUNT = 10_000_000_000


def _from_match(m: re.Match[str]) -> Quantity | None:
    q = _quantity(m)
    if q is None or any(v is not None and v > MAX_COUNT for v in (q.value, q.low, q.high)):
        return None
    return q


def _quantity(m: re.Match[str]) -> Quantity | None:
    text = m.group(0).strip()
    if m.group("range"):
        lo, hi = _digits(m.group("r1")), _digits(m.group("r2"))
        if hi < lo or hi > 10 * max(lo, 1) + 10:     # "2016-2017" or "10 à 1500" are not ranges
            return None
        return Quantity(lo, lo, hi, text, m.start(), m.end())
    if m.group("approx"):
        raw = m.group("approx").lower().split()[-1]
        best, lo, hi = _approx()[raw]
        if raw in ("plusieurs", "quelques"):
            return Quantity(None, lo, hi, text, m.start(), m.end(), True)
        return Quantity(best, lo, hi, text, m.start(), m.end(), True)
    if m.group("digits"):
        value = _digits(m.group("digits"))
    else:
        value = word_number(m.group("words"))
        if value is None:
            return None
    lo, hi, approx = _bounds(m.group("bound"), value)
    return Quantity(value, lo, hi, text, m.start(), m.end(), approx)


def find_quantities(text: str) -> list[Quantity]:
    """Every number expression in ``text`` with its character span."""
    out = []
    for m in _quantity_re().finditer(text):
        if not m.group(0).strip():
            continue
        q = _from_match(m)
        if q is None:
            continue
        # leading/trailing spaces are not part of the span
        lead = len(m.group(0)) - len(m.group(0).lstrip())
        q.start, q.end = m.start() + lead, m.start() + lead + len(q.text)
        out.append(q)
    return out


def parse_quantity(words: str) -> Quantity | None:
    """Read one expression such as "au moins 12", "une centaine", "quarante-deux"."""
    found = find_quantities(words)
    return found[0] if found else None
