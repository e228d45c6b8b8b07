"""Which country an article reports from (its theatre): every country the text gives a sign of is
a candidate, described by the signs (named how often and how early, its towns and provinces, how
ambiguous their names are, the outlet's country-code domain and home country), and the candidate the fitted model
scores highest wins (``data/geo/theatre.json``, ``scripts/train_theatre.py``). Without the weights,
the hand vote: towns and provinces count twice, a country named once.

The theatre decides where ambiguous towns are looked for and whose civilians and forces the actors
are, so an article on Ituri read as one on Benin loses every event.
"""
from __future__ import annotations

import functools
import math
import re
from collections import Counter
from urllib.parse import urlparse

HAND_TOWN_WEIGHT = 2.0
HAND_COUNTRY_WEIGHT = 1.0
# country-code domains that are sold as generic names, not run from their country
_GENERIC_TLD = {"co", "io", "tv", "me", "fm", "ai", "ly", "cc", "ws", "to", "la", "am", "eu", "us", "uk"}


def model():
    """The fitted theatre model, or None (then the hand vote decides)."""
    from .learned import geo_model
    return geo_model("theatre")


def _host(url: str | None) -> str:
    try:
        return (urlparse(url or "").hostname or "").lower()
    except ValueError:           # a malformed url (« http://[bad ») names no host
        return ""


def url_country(url: str | None) -> str | None:
    """The ISO code of a url's country-code domain (« actualite.cd » -> CD), generic ones aside."""
    tld = _host(url).rpartition(".")[2]
    if len(tld) != 2 or not tld.isalpha() or tld in _GENERIC_TLD:
        return None
    return tld.upper()


@functools.cache
def _outlet_table() -> tuple[list[tuple[re.Pattern[str], str]], list[tuple[str, str]]]:
    from .resources import read_table
    names, domains = [], []
    for kind, pattern, iso in read_table("outlet_countries.tsv"):
        if kind == "name":
            names.append((re.compile(r"(?<!\w)" + re.escape(pattern) + r"(?!\w)", re.IGNORECASE), iso))
        elif kind == "domain":
            domains.append((pattern.lower(), iso))
    return names, domains


def outlet_country(outlet: str | None, url: str | None) -> str | None:
    """The home country of a national or local outlet (data/outlet_countries.tsv), by its name or
    its web domain; None for international outlets and those the table lacks."""
    names, domains = _outlet_table()
    host = _host(url)
    if host:
        for pattern, iso in domains:
            if host == pattern or host.endswith("." + pattern):
                return iso
    # the outlet itself first (« Actu Cameroun (AFP) » is Cameroonian), then the report it relays
    # (« AllAfrica (Addis Standard) »)
    own = re.sub(r"\s*\([^)]*\)\s*$", "", outlet or "")
    for name in (own, outlet or ""):
        for rx, iso in names:
            if rx.search(name):
                return iso
    return None


def signals(text: str, places, mentions: Counter, place_mentions: Counter, first_at: dict[str, int],
            url: str | None, gazetteer=None, outlet: str | None = None) -> dict[str, dict[str, float]]:
    """Features of every candidate country. ``places``: the first-pass place mentions;
    ``mentions``: countries named (by name or demonym) with counts; ``place_mentions``: the same
    counting only names used as places; ``first_at``: where each country is first named."""
    n = max(1, len(text))
    head_end = text.find("\n", 0, 300)
    head_end = head_end if head_end > 0 else min(len(text), 200)
    towns: Counter = Counter()
    provinces: Counter = Counter()
    sources: Counter = Counter()
    spread: Counter = Counter()        # a town whose name k countries share counts 1/k for each
    unique: Counter = Counter()
    as_place: Counter = Counter()      # a country named where something happens (« en Syrie »)
    first_place: dict[str, int] = {}
    for p in places:
        cands = p.candidates or []
        if gazetteer is not None and p.role in ("site", "descriptor"):
            cands = gazetteer.lookup(p.text)     # villages too: a hamlet's name still points at its country
        countries = {c.country for c in cands if c.country and c.score >= 0.9}
        if p.place is not None and p.place.country:
            countries.add(p.place.country)
        if not countries:
            continue
        if p.role not in ("site", "descriptor"):
            if p.place is not None and p.place.country:
                sources[p.place.country] += 1
            continue
        for c in countries:
            spread[c] += 1.0 / len(countries)
        if len(countries) == 1:
            unique[next(iter(countries))] += 1
        if p.place is None or not p.place.country:
            continue
        cc = p.place.country
        if p.place.feature == "country":
            as_place[cc] += 1
            continue
        first_place.setdefault(cc, p.start)
        if p.place.feature in ("admin1", "admin2"):
            provinces[cc] += 1
        else:
            towns[cc] += 1
    tld = url_country(url)
    home = outlet_country(outlet, url)
    cands = set(mentions) | set(towns) | set(provinces) | set(spread)
    for cc in (tld, home):
        if cc:
            cands.add(cc)
    hand = {c: HAND_TOWN_WEIGHT * (towns[c] + provinces[c]) + HAND_COUNTRY_WEIGHT * (mentions.get(c, 0) + as_place[c])
            for c in cands}
    total_m = sum(mentions.values()) or 1
    total_t = sum(towns.values()) + sum(provinces.values()) or 1
    total_h = sum(hand.values()) or 1
    top_m = max(mentions.values(), default=0)
    top_t = max((towns[c] + provinces[c] for c in cands), default=0)
    top_h = max(hand.values(), default=0)
    out: dict[str, dict[str, float]] = {}
    for c in sorted(cands):      # a fixed order: the fitted weights must not depend on string hashing
        first = min(first_at.get(c, n), first_place.get(c, n))
        f = {
            "mentions": math.log1p(mentions.get(c, 0)),
            "mentions_share": mentions.get(c, 0) / total_m,
            "place_names": math.log1p(place_mentions.get(c, 0)),
            "towns": math.log1p(towns[c]),
            "towns_share": (towns[c] + provinces[c]) / total_t,
            "provinces": math.log1p(provinces[c]),
            "spread": math.log1p(spread[c]),
            "unique": math.log1p(unique[c]),
            "sources": math.log1p(sources[c]),
            "first": 1.0 - first / n,
            "headline": float(first < head_end),
            "tld": float(c == tld),
            "top_mentions": float(top_m > 0 and mentions.get(c, 0) == top_m),
            "top_towns": float(top_t > 0 and towns[c] + provinces[c] == top_t),
            "hand_share": hand[c] / total_h,
            "hand_top": float(top_h > 0 and hand[c] == top_h),
            "no_town": float(towns[c] + provinces[c] == 0),
            "as_place": math.log1p(as_place[c]),
            "only_named": float(mentions.get(c, 0) > 0 and not (place_mentions.get(c, 0) or as_place[c]
                                                                or towns[c] or provinces[c])),
            "tld_only": float(c == tld and not (mentions.get(c, 0) or spread[c])),
            "home": float(c == home),
            "home_only": float(c == home and not (mentions.get(c, 0) or spread[c])),
        }
        out[c] = f
    return out


def choose(feats: dict[str, dict[str, float]], fitted: bool = True, scorer=None) -> str | None:
    """The theatre: the best-scored candidate (by ``scorer``, a fitted LinearModel; else the shipped
    model when ``fitted``; else the hand vote)."""
    if not feats:
        return None
    m = scorer if scorer is not None else model() if fitted else None
    if m is None:
        return max(sorted(feats), key=lambda c: (feats[c]["hand_share"], feats[c]["first"]))
    return max(sorted(feats), key=lambda c: m.score(feats[c]))
