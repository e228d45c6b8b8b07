"""Geocode stage: find the places an article names and resolve them with the gazetteer.

``find_places(text, gazetteer, context)`` returns :class:`PlaceMention` records: the words, the
resolved place (or None when the gazetteer lacks it or only a wrong-country candidate exists),
the precision the wording implies (« près de », « à 20 km de », « région de » -> 2; « province
de » -> 3; a country -> 4), and the role of the mention in its clause (an origin « depuis X », a
destination « vers X », a descriptor « situé près de X ») so the event stage picks the event's
place, not every place the sentence mentions.
"""
from __future__ import annotations

import functools
import math
from collections import Counter
import re
from dataclasses import dataclass, field, replace

from .resources import data_text, grammar, read_table, scanner
from .gazetteer import ADMIN_WORDS, Gazetteer, _fold, _region_key, distance_km, packaged_provinces, skeleton, spelling_key
from .model import SETTLEMENTS, Location, Place

__all__ = ["PlaceMention", "GeoContext", "Resolution", "find_places", "rank", "choose", "resolve_name",
           "context_from_text", "to_location", "RULE"]

RULE = "sitrep.geocode.key.v1"


def _scanning(pattern: str, flags: int) -> re.Pattern[str]:
    """``pattern`` compiled to be searched for along a text (``resources.scanner``: the same
    matches, found faster)."""
    return scanner(pattern, flags)[0]


class _LangPattern:
    """A pattern of ``data/<lang>/geocode.tsv`` (``NAME<TAB>rx|rx-cs<TAB>regex``): the rows of that
    name in every language sitrep reads, joined as alternatives — the words around a place name
    are read whatever the article's language — and compiled on first use (``scanning``: with
    ``resources.scanner``)."""

    __slots__ = ("name", "scanning", "_rx")

    def __init__(self, name: str, scanning: bool = False) -> None:
        self.name, self.scanning, self._rx = name, scanning, None

    def compiled(self) -> re.Pattern[str]:
        if self._rx is None:
            from .nlp import MODELS
            rows = [row[1:3] for lang in MODELS for row in _geocode_rows(lang) if row[0] == self.name]
            if not rows or len({kind for kind, _ in rows}) != 1:
                raise ValueError(f"data/<lang>/geocode.tsv: {self.name}: no rows, or rows of several kinds")
            pattern = rows[0][1] if len(rows) == 1 else "|".join(f"(?:{value})" for _, value in rows)
            flags = re.IGNORECASE if rows[0][0] == "rx" else 0
            self._rx = _scanning(pattern, flags) if self.scanning else re.compile(pattern, flags)
        return self._rx

    def search(self, *args):
        return self.compiled().search(*args)

    def match(self, *args):
        return self.compiled().match(*args)

    def sub(self, *args):
        return self.compiled().sub(*args)


def _geocode_rows(lang: str) -> tuple[tuple[str, ...], ...]:
    try:
        return read_table(f"{lang}/geocode.tsv")
    except FileNotFoundError:
        return ()

# A place word: capitalised, or an Arabic article / particle glued to a capitalised word.
_PART = r"(?:(?:(?:al|el|ad|ar|as|at|az|an|ash|ech|es|ez|ed)[-’'])?[A-ZÀ-ÖØ-Þ][\w’'.-]*\w|[A-ZÀ-ÖØ-Þ])"
_NAME_RE = re.compile(
    rf"(?<![\w@#])(?:(?:le[ \t]+|la[ \t]+)?(?:sud|nord|est|ouest|centre|nord-est|nord-ouest|sud-est|sud-ouest)[ \t]+"
    rf"(?:du[ \t]+|de[ \t]+la[ \t]+|de[ \t]+l'|de[ \t]+l’|de[ \t]+))?(?:(?:al|el)[- \t])?{_PART}(?:(?:[ \t]+|-)(?:(?:al|el|ad|ar|as|at|az|an|ash|ech|es|ez|ed|de|du|des|la|le|da|do|dos|das|del|della|di|d’|d'|l’|l')(?:[ \t]+|-|(?<=['’])))?{_PART}){{0,3}}")
_TITLE = _LangPattern("TITLE_BEFORE", scanning=False)
_REGION_OF = _LangPattern("REGION_OF", scanning=False)
_DIRECTIONAL = _LangPattern("DIRECTIONAL", scanning=False)
_NEAR = _LangPattern("NEAR", scanning=True)
_PROVINCE = _LangPattern("PROVINCE_BEFORE", scanning=True)
_ORIGIN = _LangPattern("ORIGIN", scanning=True)
_DEST = _LangPattern("DESTINATION", scanning=False)
_DESCRIPTOR = _LangPattern("DESCRIPTOR", scanning=True)
_SECTOR = _LangPattern("SECTOR", scanning=False)
# « le nord syrien », « l'Est ukrainien », "the Syrian northeast", "Nigeria's northwest": a compass word and a
# country's adjective or possessive
_SECTOR_ADJ = _LangPattern("SECTOR_ADJ", scanning=False)
# Scores: calibrated on the dev set's place mentions; a candidate in the article's main country
# beats a bigger town of a neighbour; population only breaks ties between same-country names.
MAIN_COUNTRY_BONUS = 0.5
MENTIONED_COUNTRY_BONUS = 0.2
POPULATION_WEIGHT = 0.08     # per decade of population
ADMIN_WITHOUT_CUE = 0.3      # a province named like a town loses to the town unless the text says province
MIN_POPULATION_NO_CONTEXT = 5000
_IN_COUNTRY = _scanning(r"(?:\ben|\bau|\baux|\bdans|\bà travers|\bpartout en|\bsur le territoire|\bdu|\bde|\bd'|\bd’|"
                         r"\bin|\bacross)\s*(?:l'|l’|la\s+|le\s+|les\s+)?$", re.IGNORECASE)
PROVINCE_BONUS = 0.5         # the candidate lies in a province the article names
PROXIMITY_BONUS = 0.6        # ... fading to 0 at PROXIMITY_KM from the nearest place already resolved
PROXIMITY_KM = 100.0
# « l'ambassade d'Allemagne », « le ministère de la Défense de Russie »: a country owning something
_OF_COUNTRY = _LangPattern("OF_COUNTRY", scanning=True)
_OF_CAPITAL = _LangPattern("OF_CAPITAL", scanning=True)
_CAPITAL_ACTOR_AFTER = _LangPattern("CAPITAL_ACTOR_AFTER", scanning=False)
FAR_ABROAD_KM = 300.0        # a town abroad this far from the article's places in its theatre ...
NEAR_HOME_KM = 100.0         # ... gives way to a namesake of the theatre this near them
STRONG_MATCH = 0.7           # spelling-key matches score 0.9-1.0, skeleton matches 0.6
# Words before a name that make it a place even when the gazetteer lacks it ("village de Hamimah").
_PLACE_CUE = _scanning(r"(?:ville|village|localité|localités|agglomérations?|quartiers?|hameau|bourgade|commune|"
                        r"district|camp|base|aéroport|point de passage|champ pétrolier|champs pétroliers|"
                        r"colline|hauteurs?|secteur|région|province|gouvernorat|poste-frontière|banlieue|"
                        r"township|town|village of|city of)\s+(?:\w+\s+)?(?:d[eu]s?\s+|d'|d’|of\s+)?(?:la\s+|l'|l’)?$|\bet\s+(?:de\s+|d'|d’|à\s+)$",
                        re.IGNORECASE)


# The countries of the packaged village table (../shared/gazetteer: Who's On First, 23 countries at war): in the
# theatre's first pass their cities of OPEN_CITY_POPULATION or more count whatever countries the text names
# ("A Russian drone hit Kyiv": a report on Ukraine that never names it; "Washington" is no such city)
THEATRE_COUNTRIES = frozenset("AF BF CD CF CM ET IL IQ LB LY ML MM MZ NE NG PS SD SO SS SY TD UA YE".split())
OPEN_CITY_POPULATION = 100_000


def _open_city(p: Place) -> bool:
    """A sure match to a city the theatre's first pass counts whatever countries the text names."""
    return p.feature in SETTLEMENTS and p.country in THEATRE_COUNTRIES and p.score >= 0.9 \
        and p.population >= OPEN_CITY_POPULATION


@dataclass(slots=True)
class GeoContext:
    main_country: str | None
    countries: set[str] = field(default_factory=set)    # every country the article names
    excluded_spans: list[tuple[int, int]] = field(default_factory=list)  # actors, people, agencies
    per_spans: list[tuple[int, int]] = field(default_factory=list)       # NER person entities
    provinces: set[tuple[str, str]] = field(default_factory=set)         # (country, admin1) named
    anchors: list[tuple[float, float]] = field(default_factory=list)     # points already resolved
    towns: list[Place] = field(default_factory=list)          # the settlements behind ``anchors`` (--context)
    actor_countries: set[str] = field(default_factory=set)   # countries named as actors too (« irakiennes »)
    lang: str = "fr"                                          # the article's language (data/<lang>/geocode.tsv)
    # the whole article's resolved places (``article=``): how many fall in each (country, admin1 key),
    # and their points — wider evidence than the sentence's
    article_admin1: Counter = field(default_factory=Counter)
    article_anchors: list[tuple[float, float]] = field(default_factory=list)
    article_towns: list[Place] = field(default_factory=list)  # the settlements behind ``article_anchors``
    # second-level units (district, cercle, LGA: gazetteer ``admin2``, keys by county_key): those the
    # sentence and the article name (any resolved place's words: « province du Soum », "Maradun"), and
    # how many of the article's settlements lie in each
    counties: set[str] = field(default_factory=set)
    article_counties: set[str] = field(default_factory=set)
    article_admin2: Counter = field(default_factory=Counter)
    # the theatre's first pass: besides the countries named, any country's provinces (an article of
    # a local outlet need not name its own country, and a neighbour named as an actor — « l'armée
    # ougandaise » — must not hide the theatre; any country's larger towns too was measured and left
    # out: "Washington" made a report on Yemen American)
    open_pool: bool = False
    # the point the sentence puts the name being resolved at, reckoned from a known place by a distance
    # and a bearing (« X, à 40 km au nord-est de Beni »): (lat, lon, km), or None
    offset: tuple[float, float, float] | None = None
    # the parts of a country, a province or a town the sentence names by a compass word (« dans le nord du
    # Mali », "south of Damascus"): (bearing in degrees, -1 for the centre; the place; the frame of its
    # settlements, Gazetteer.extent, for a country or province, None for a town)
    sectors: list[tuple[float, Place, tuple[float, float, float, float] | None]] = field(default_factory=list)
    article_sectors: list[tuple[float, Place, tuple[float, float, float, float] | None]] = field(default_factory=list)


@dataclass(slots=True)
class PlaceMention:
    start: int
    end: int
    text: str
    place: Place | None
    precision: int
    role: str = "site"            # site | origin | destination | descriptor
    qualifier: str = ""
    candidates: list[Place] = field(default_factory=list)


@functools.cache
def _stopwords() -> tuple[frozenset[str], frozenset[str]]:
    """Words that never start a place name: French stop words and the calendar words of every
    language sitrep reads (a capitalised "Saturday" or « Selon » opens a sentence, not a town);
    and words that are never a place name alone: English stop words of four letters or more
    ("Many", "Several", "Whoever"), the articles ("The") and the landscape nouns ("Lake": NOT_PLACE_ALONE), less the four that name a town of 20,000 people in the gazetteer
    (Same, Most, Mine, Than) — as a first word they still open names (Even Yehuda, Side Khel)."""
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
    from spacy.lang.fr.stop_words import STOP_WORDS
    from .dates import calendar_of
    from .nlp import MODELS
    calendar_words = {w for lang in MODELS for w in (*calendar_of(lang).months, *calendar_of(lang).weekdays)}
    not_place = {w for lang in MODELS for w in grammar(lang, "geocode").words("NOT_PLACE_WORDS")}
    # ("The attacks hit…" under a headline with no full stop: no place "The"; "a" and "an" are too short for a name)
    alone = ({w.lower() for w in ENGLISH if len(w) >= 4} | {"the"}) - _NAMES_A_TOWN
    # the nouns of a landscape that begin a feature's name ("Lake Chad", « mont Sinjar ») name nothing alone
    alone |= {w for lang in MODELS for w in grammar(lang, "geocode").words("NOT_PLACE_ALONE")}
    return frozenset({w.lower() for w in STOP_WORDS} | not_place | calendar_words), frozenset(alone)


_NAMES_A_TOWN = frozenset({"same", "most", "mine", "than"})


@functools.lru_cache(maxsize=1)
def _multiword_stops() -> tuple[str, ...]:
    """The never-a-place names of several words ("white house", « maison blanche »)."""
    return tuple(sorted(n for n in _stopwords()[0] if " " in n))


_ARTICLE = re.compile(r"^(?:the|le|la|les|l['’])\s*")     # "The White House": the seat of government after its article


def _admin_key(name: str | None) -> str:
    """Province names differ between tables ("Muhafazat Kirkuk", "Kirkuk Governorate", "Kirkuk")."""
    if not name:
        return ""
    words = [w for w in re.split(r"[\s-]+", name) if w.lower() not in ADMIN_WORDS and w.lower() not in _OF]
    return spelling_key(" ".join(words) or name)


_OF = frozenset({"de", "du"})     # « gouvernorat de Kirkouk »


@functools.lru_cache(maxsize=1)
def _successors() -> dict[tuple[str, str], frozenset[str]]:
    """(country, key of a province the gazetteer still labels its places with) -> the keys of the
    provinces it has been split into (data/former_provinces.tsv)."""
    return {(row[0], _admin_key(row[1])): frozenset(_admin_key(s) for s in row[2].split("|"))
            for row in read_table("former_provinces.tsv")[1:]}


def province_keys(cc: str | None, admin1: str | None) -> frozenset[str]:
    """The keys of the provinces a place labelled ``admin1`` lies in as a text may name them: its label's,
    and for a label of a province since split (the Congo's Bandundu) those of its successors — a village of
    « territoire de Kwamouth (Mai-Ndombe) » the gazetteer files under Bandundu lies in the province named."""
    key = _admin_key(admin1)
    if not key:
        return frozenset()
    return frozenset({key}) | _successors().get((cc or "", key), frozenset())


def _in_named(p: Place, provinces: set[tuple[str, str]]) -> bool:
    """Whether a place lies in one of ``provinces`` ((country, key) pairs) by its label."""
    return any((p.country, k) in provinces for k in province_keys(p.country, p.admin1))


def _pool(candidates: list[Place], ctx: GeoContext) -> list[Place]:
    """The candidates believable in context at all (closed rules): a weak match (skeleton, fuzzy)
    only inside the article's main country; only the article's countries when it names any (with
    ``open_pool``, any country's provinces too), else provinces, countries and towns of some size."""
    candidates = [p for p in candidates if p.score >= STRONG_MATCH or p.country == ctx.main_country]
    if ctx.open_pool:
        pool = [p for p in candidates if p.country in ctx.countries or p.feature in ("admin1", "country", "user")
                or _open_city(p)]
    elif ctx.countries:
        pool = [p for p in candidates if p.country in ctx.countries]
    else:
        # (a province the packaged table lacks counts only in a country the text names: with none, a word
        # must not land in Togo's « Maritime » or in Kouilou, Congo, for the Congolese Kwilu)
        pool = [p for p in candidates if (p.feature in ("admin1", "country", "user") and not p.derived)
                or (p.feature in SETTLEMENTS and p.population >= MIN_POPULATION_NO_CONTEXT)]
    if any(p.feature == "admin1" and p.score >= 0.9 for p in pool):
        # « Cisjordanie », « bande de Gaza »: a province that a country's alias also names
        pool = [p for p in pool if p.feature != "country" or p.score > 0.9]
    return pool


def rank_features(p: Place, pool: list[Place], ctx: GeoContext, prefer_admin: bool,
                  provinces: set[tuple[str, str]] | None = None, query: str = "") -> dict[str, float]:
    """What the ranker weighs for one candidate: how the name matched (and whether its main name is
    written as the query is), what kind of place it is, its size, whether it lies in the article's
    countries and provinces, how far it is from the places already resolved, and how many
    namesakes compete with it."""
    if provinces is None:
        provinces = {(cc, _admin_key(a)) for cc, a in ctx.provinces}
    match = ("main" if p.score >= 1.0 else "alt" if p.score >= 0.9 else "skeleton" if p.score >= 0.6
             else "fuzzy" if p.score >= 0.5 else "local")
    kind = p.feature if p.feature in ("city", "village", "district", "admin2", "admin1", "country") else "other"
    where = ("main" if p.country == ctx.main_country else "mentioned" if p.country in ctx.countries
             else "actor" if p.country in ctx.actor_countries else "other")
    f = {f"match={match}": 1.0, f"kind={kind}": 1.0, f"country={where}": 1.0,
         f"kind={kind}&country={where}": 1.0,
         "logpop": math.log10(p.population + 1) / 6.0, "pop0": float(p.population == 0)}
    if query and _plain(query) == _plain(p.name):
        f["written_as_named"] = 1.0     # « Rann » is Rann before Ran, both keyed "ran"
    admin = kind in ("admin1", "admin2")
    key = spelling_key(p.name)
    namesakes = [o for o in pool if o is not p and o.country == p.country and spelling_key(o.name) == key]
    if admin:
        f[f"admin&cue={int(prefer_admin)}"] = 1.0
        f[f"{kind}&cue={int(prefer_admin)}"] = 1.0
        if not any(o.feature in SETTLEMENTS for o in namesakes):
            f[f"admin_without_town&cue={int(prefer_admin)}"] = 1.0    # « Paktia »: only the province has the name
    elif prefer_admin:
        f["settlement&cue"] = 1.0
    if kind in SETTLEMENTS and p.lat is not None and any(
            o.feature in ("admin1", "admin2") and o.lat is not None
            and distance_km(p.lat, p.lon, o.lat, o.lon) <= SEAT_KM for o in namesakes):
        f["seat"] = 1.0       # the town a province or district of its name is named after
    same = sum(1 for o in pool if o.country == p.country and (o.feature in SETTLEMENTS) == (p.feature in SETTLEMENTS))
    f["namesakes"] = math.log(same) if same > 1 else 0.0
    f["alone"] = float(len(pool) == 1)
    others = [o for o in pool if o is not p]
    if others:
        top_other = max(math.log10(o.population + 1) for o in others)
        margin = max(-3.0, min(3.0, math.log10(p.population + 1) - top_other))
        f["pop_margin"] = margin / 3.0
        f["largest"] = float(margin > 0)
        f["best_match"] = float(p.score >= max(o.score for o in others))
    if not admin and kind != "country":
        f.update(_article_features(p, pool, ctx))
        if ctx.sectors and p.lat is not None:
            f.update(_sector_features(p, ctx.sectors))
        if ctx.article_sectors and p.lat is not None:
            f.update({"art_" + k: v for k, v in _sector_features(p, ctx.article_sectors).items()})
        if p.admin2:
            ck = county_key(p.admin2)
            if ck in ctx.counties:
                f["county_named"] = 1.0      # « …à Nassoumbou, dans la province du Soum »
            elif ck in ctx.article_counties:
                f["art_county_named"] = 1.0
            if ctx.article_admin2.get((p.country, ck)):
                f["art_county"] = 1.0        # the article's other places lie in its district
        if provinces and _in_named(p, provinces):
            f["province"] = 1.0
        elif provinces:
            f["other_province"] = 1.0
        if ctx.anchors and p.lat is not None and p.country == (ctx.main_country or p.country):
            d = min(distance_km(p.lat, p.lon, a, b) for a, b in ctx.anchors)
            f["near"] = max(0.0, 1.0 - d / PROXIMITY_KM)
            f["far"] = float(d > 3 * PROXIMITY_KM)
            f["within25"] = float(d <= 25.0)
    return f


def _article_features(p: Place, pool: list[Place], ctx: GeoContext) -> dict[str, float]:
    """The article's evidence for a settlement: whether its province holds the article's other
    places (the most of them, some, none), and how near it lies to them — alone and compared with
    its namesakes (the nearest of them)."""
    f: dict[str, float] = {}
    counts = {k: n for k, n in ctx.article_admin1.items() if k[0] == p.country}
    if counts:
        n = sum(counts.get((p.country, k), 0) for k in province_keys(p.country, p.admin1))
        if n and n == max(counts.values()):
            f["art_admin1_top"] = 1.0
        elif n:
            f["art_admin1"] = 1.0
        else:
            f["art_other_admin1"] = 1.0
    anchors = ctx.article_anchors
    if anchors and p.lat is not None and p.country == (ctx.main_country or p.country):
        d = min(distance_km(p.lat, p.lon, a, b) for a, b in anchors)
        f["art_near"] = max(0.0, 1.0 - d / PROXIMITY_KM)
        f["art_far"] = float(d > 3 * PROXIMITY_KM)
        rivals = [o for o in pool if o is not p and o.lat is not None and o.country == p.country
                  and o.feature not in ("admin1", "admin2", "country")]
        if rivals:
            nearest_rival = min(min(distance_km(o.lat, o.lon, a, b) for a, b in anchors) for o in rivals)
            f["art_nearest"] = float(d + 1.0 < nearest_rival)
    return f


def _sector_features(p: Place, sectors: list) -> dict[str, float]:
    """Whether a settlement lies in the part of a country or province the sentence names (« le nord du
    Mali »: ``sector``, from -1, the opposite edge, to 1, the named edge, by its position in the frame of
    the country's settlements; the centre: 1 at the middle, -1 at the edges), or on the named side of a
    town and near it (« au sud de Damas »: ``sector_town``, the cosine of the bearing's error, fading to 0
    at SECTOR_TOWN_KM)."""
    f: dict[str, float] = {}
    for bearing, ref, box in sectors:
        if ref.country != p.country:
            continue
        if box is not None:
            where = in_frame(p, ref, box)
            if where is None:
                continue
            x, y = where
            if bearing < 0:
                v = 1.0 - 2.0 * min(1.0, math.hypot(x, y))
            else:
                v = x * math.sin(math.radians(bearing)) + y * math.cos(math.radians(bearing))
            f["sector"] = max(f.get("sector", -1.0), max(-1.0, min(1.0, v)))
        elif bearing >= 0 and ref.lat is not None:
            d = distance_km(ref.lat, ref.lon, p.lat, p.lon)
            if d < 2.0:
                continue
            dy = p.lat - ref.lat
            dx = (p.lon - ref.lon) * math.cos(math.radians(ref.lat))
            error = math.radians(math.degrees(math.atan2(dx, dy)) - bearing)
            f["sector_town"] = max(f.get("sector_town", -1.0), math.cos(error) * max(0.0, 1.0 - d / SECTOR_TOWN_KM))
    return f


SECTOR_TOWN_KM = 150.0


def in_frame(p, ref: Place, box: tuple[float, float, float, float]) -> tuple[float, float] | None:
    """Where a place (a Place or a Location) lies in the frame of a country's or a province's part
    (``sectors_of``): (x, y), east and north of the frame's centre in half-widths of the frame; None when
    it lies in another country or, for a province's part, another province."""
    if ref.country != p.country or (ref.feature == "admin1"
                                    and _region_key(p.admin1 or "") != _region_key(ref.admin1 or ref.name)):
        return None
    lat0, lat1, lon0, lon1 = box
    return ((p.lon - (lon0 + lon1) / 2) / max(0.05, (lon1 - lon0) / 2),
            (p.lat - (lat0 + lat1) / 2) / max(0.05, (lat1 - lat0) / 2))


@functools.cache
def _compass() -> dict[str, float]:
    """The compass words of every language sitrep reads (data/<lang>/offsets.tsv, bearing and sector
    rows), written without hyphens or spaces: degrees clockwise from north, -1 for the centre."""
    from .nlp import MODELS
    return {w: v for lang in MODELS for kind in ("bearing", "sector") for w, v in _offset_table(lang)[kind].items()}


# « l'est du pays », "the east of the country": the context's own country — not « le pays voisin », « le pays
# dogon », « le Pays basque », "the country's neighbour"
_COUNTRY_WORD = re.compile(r"(?:ce\s+|du\s+)?pays\b(?![\s-]+(?:voisins?\b|dogon\b|basque\b|[A-ZÀ-Þ]))"
                           r"|country\b(?!['’]s|\s+(?:next|to)\b)")
_FAR = re.compile(r"\b(?:extr[êe]me|far)[\s-]+", re.IGNORECASE)
# « le nord de la province de Gao », "the south of Gao region": the unit's word between the compass and the name
_UNIT_BEFORE = re.compile(r"(?:provinces?|régions?|region|gouvernorats?|governorate|état|state|oblast|district|cercle)"
                          r"\s+(?:de\s+la\s+|de\s+l['’]|du\s+|de\s+|d['’]|of\s+(?:the\s+)?)?", re.IGNORECASE)


# an English compass adjective ("eastern") before a province said so by its unit word ("Kharkiv region"), after a
# country's possessive or an article: the province's position in its country
_COMPASS_ADJ = re.compile(r"(?:ern|central)\s*$", re.IGNORECASE)
_PROVINCE_OWNER = re.compile(r"(?:\b([A-Z][\w-]+)['’]s|\b(?i:the|country['’]s))\s+$")
_PROVINCE_UNIT_AFTER = re.compile(r"(?:[A-Z][\w'’-]+\s+){1,3}(?:region|province|governorate|state|oblast)\b")


def sectors_of(text: str, gazetteer: Gazetteer, ctx: GeoContext, mentions: list[PlaceMention]) -> list:
    """The parts of places a text names by a compass word (GeoContext.sectors): « le nord du Mali », « l'est
    du pays » (the context's main country), « au sud de Damas »; the place right after the words is the
    text's resolved mention there, else a country or a province of the main country of that name."""
    out = []
    compass = _compass()
    for m in _SECTOR.compiled().finditer(text):
        words = _FAR.sub("", m.group(0))      # « l'extrême-nord du Cameroun »: the north
        bearing = next((compass[w] for w in (re.sub(r"[-\s]", "", t.lower()) for t in re.findall(r"[\w-]+", words))
                        if w in compass), None)
        if bearing is None:
            continue
        ref = None
        owner = _PROVINCE_OWNER.search(text, 0, m.start()) if _COMPASS_ADJ.search(words) else None
        if owner is not None and _PROVINCE_UNIT_AFTER.match(text, m.end()):
            # "Ukraine's eastern Kharkiv region", "the eastern Donetsk region": where the province lies
            # in its country, not a part of the province
            iso = _country_named_at(owner.group(1), 0, ctx.main_country) if owner.group(1) else None
            ref = gazetteer.country(iso or ctx.main_country) if (iso or ctx.main_country) else None
        elif _COUNTRY_WORD.match(text, m.end()):
            ref = gazetteer.country(ctx.main_country) if ctx.main_country else None
        else:
            at = m.end()
            unit = _UNIT_BEFORE.match(text, at)
            at = unit.end() if unit else at
            ref = next((x.place for x in mentions if x.start == at and x.place is not None), None)
            iso = _country_named_at(text, at, ctx.main_country) if ref is None else None
            if iso is not None:
                ref = gazetteer.country(iso)
            if ref is None:
                nm = _NAME_RE.match(text, at)
                if nm is not None:
                    hits = [q for q in gazetteer.lookup(nm.group(0)) if q.score >= 0.9]
                    ref = next((q for q in hits if q.feature == "country"), None) or next(
                        (q for q in hits if q.feature == "admin1" and q.country == ctx.main_country), None)
        if ref is None or ref.feature in ("admin2", "other"):
            continue
        box = None
        if ref.feature == "country":
            box = gazetteer.extent(ref.country)
        elif ref.feature == "admin1":
            box = gazetteer.province_extent(ref.country, ref.admin1 or ref.name)
        if box is None and ref.feature not in SETTLEMENTS:
            continue
        out.append((bearing, ref, box))
    adjectives = _country_adjectives()
    for m in _SECTOR_ADJ.compiled().finditer(text):
        words = re.findall(r"[\w-]+", re.sub(r"['’]s\b", "", _FAR.sub("", m.group(0))))
        bearing = next((compass[w] for w in (re.sub(r"[-\s]", "", t.lower()) for t in words) if w in compass), None)
        iso = next((adjectives[_fold(t)] for t in words if _fold(t) in adjectives), None)
        ref = gazetteer.country(iso) if bearing is not None and iso else None
        box = gazetteer.extent(iso) if ref is not None else None
        if box is not None:
            out.append((bearing, ref, box))
    return out


@functools.cache
def _country_names() -> tuple[tuple[str, str], ...]:
    """The English and French names of every country (data/countries.tsv), folded, longest first, with its code —
    not the other spellings, where « bande de Gaza » or "US" stand for a country."""
    out = [(_fold(n), row[0]) for row in read_table("countries.tsv")[1:] for n in row[1:3] if n.strip()]
    return tuple(sorted(set(out), key=lambda t: -len(t[0])))


def _country_named_at(text: str, at: int, main_country: str | None) -> str | None:
    """The country whose name the text writes at ``at`` in full (« la République démocratique du Congo »,
    whose lower-case words a name run stops at), or a word of the main country's name alone (« l'est du
    Congo », "eastern Congo" in an article on either Congo: the one the article is about)."""
    head = _fold(text[at:at + 60])
    for name, iso in _country_names():
        if head.startswith(name) and (len(head) == len(name) or not head[len(name)].isalnum()):
            return iso
    word = re.match(r"\w+", head)
    if word and main_country and len(word.group(0)) >= 4 and any(
            iso == main_country and word.group(0) in name.split() for name, iso in _country_names()):
        return main_country
    return None


@functools.cache
def _country_adjectives() -> dict[str, str]:
    """Country by its adjectives and its names, folded (data/countries.tsv): « syrien » SY, "Nigeria" NG."""
    out: dict[str, str] = {}
    for row in read_table("countries.tsv")[1:]:
        names = [row[1], row[2]] + (row[3].split("|") if len(row) > 3 else [])
        for n in names:
            if n and " " not in n.strip():
                out.setdefault(_fold(n), row[0])
    return out


def _plain(name: str) -> str:
    """A name without accents, articles and punctuation, letters as written (no spelling folds)."""
    return re.sub(r"^(?:al|el|ad|ar|as|at|az|an|ash|ech|es|ez|ed) ", "", _fold(name)).replace(" ", "")


def _hand_score(p: Place, ctx: GeoContext, prefer_admin: bool, provinces: set) -> float:
    """The hand-set score (the event stage's, the baseline, and the fallback without a fitted ranker)."""
    s = p.score + POPULATION_WEIGHT * math.log10(p.population + 1)
    if p.country == ctx.main_country:
        s += MAIN_COUNTRY_BONUS
    elif p.country in ctx.countries:
        s += MENTIONED_COUNTRY_BONUS
    if p.feature in ("admin1", "admin2"):
        s += (1.0 if p.feature == "admin1" else 0.3) if prefer_admin else -ADMIN_WITHOUT_CUE - (p.feature == "admin2")
    if p.feature == "country":
        s += 0.3
    if provinces and p.feature not in ("admin1", "admin2", "country") and _in_named(p, provinces):
        s += PROVINCE_BONUS
    if ctx.anchors and p.lat is not None and p.feature not in ("admin1", "admin2", "country") \
            and p.country == (ctx.main_country or p.country):   # proximity never crosses a border
        d = min(distance_km(p.lat, p.lon, a, b) for a, b in ctx.anchors)
        s += PROXIMITY_BONUS * max(0.0, 1.0 - d / PROXIMITY_KM)
    return s


def ranker():
    """The fitted candidate ranker (data/geo/ranker.json, scripts/train_geocoder.py), or None."""
    from .learned import geo_model
    return geo_model("ranker")


def context_candidates(pool: list[Place], ctx: GeoContext) -> list[tuple[Place, dict[str, float]]]:
    """The places the context itself offers for a name (the fitted ranker's, beside the gazetteer's
    candidates): the town the sentence places it in (_context_town) and the article's focal place
    (the settlement with the most of the article's places within TOWN_RADIUS_KM), each as a
    candidate of kind "context" — an answer at precision 2 (« in or near ») when the ranker
    prefers it: a neighbourhood, a hamlet the gazetteer lacks, or a namesake the context does not
    support. Each comes with what the ranker weighs for it."""
    out: list[tuple[Place, dict[str, float]]] = []
    town = _context_town(ctx)
    focal, share = _article_focus(ctx)
    if focal is not None and town is not None and distance_km(focal.lat, focal.lon, town.lat, town.lon) <= TOWN_RADIUS_KM:
        focal = None
    real = [p for p in pool if p.lat is not None and p.feature not in ("admin1", "country")]
    for place, source in ((town, "sentence"), (focal, "article")):
        if place is None:
            continue
        around = share if source == "article" else _share(place, ctx)     # (the focal place's share: computed once)
        f = {"ctx": 1.0, f"ctx={source}": 1.0, "ctx_nocand": float(not pool), f"ctx={source}&cand={int(bool(pool))}": 1.0,
             "ctx_share": around,
             "ctx_count": math.log1p(around * len(ctx.article_anchors)) / 3.0,
             "ctx_logpop": math.log10(place.population + 1) / 6.0}
        if real:
            d = min(distance_km(place.lat, place.lon, p.lat, p.lon) for p in real)
            f["ctx_cand_near"] = float(d <= SAME_PLACE_KM)
        out.append((replace(place, feature="context", score=0.0), f))
    return out


def _share(place: Place, ctx: GeoContext) -> float:
    """The share of the article's places within TOWN_RADIUS_KM of ``place``."""
    a = ctx.article_anchors
    return sum(1 for x, y in a if distance_km(place.lat, place.lon, x, y) <= TOWN_RADIUS_KM) / len(a) if a else 0.0


def _article_focus(ctx: GeoContext) -> tuple[Place | None, float]:
    """The article's settlement with the most of its places within TOWN_RADIUS_KM (ties: the
    larger, then by name) and that share."""
    towns = [t for t in ctx.article_towns if t.lat is not None]
    if not towns:
        return None, 0.0
    best = max(towns, key=lambda t: (_share(t, ctx), t.population, t.feature == "city", t.name))
    return best, _share(best, ctx)


def scored_candidates(candidates: list[Place], ctx: GeoContext, prefer_admin: bool = False,
                      query: str = "", context: bool = True) -> tuple[list[Place], list[dict[str, float]]]:
    """The fitted ranker's choice set: the gazetteer's candidates believable in context (_pool)
    and the context's own places (context_candidates), each with its features."""
    pool = _pool(candidates, ctx) if candidates else []
    provinces = {(cc, _admin_key(a)) for cc, a in ctx.provinces}
    feats = [rank_features(p, pool, ctx, prefer_admin, provinces, query) for p in pool]
    places = list(pool)
    if context and not prefer_admin:
        for p, f in context_candidates(pool, ctx):
            places.append(p)
            feats.append(f)
    return places, feats


def rank(candidates: list[Place], ctx: GeoContext, prefer_admin: bool = False,
         fitted: bool = False, query: str = "") -> list[tuple[float, Place]]:
    """Candidates believable in context with their scores, best first; an empty list rather than
    a wrong-country guess. ``fitted``: the fitted ranker scores each (a probability that it is
    the place meant), the context's own places among them (kind "context"); else the hand-set
    score (the event stage, for now)."""
    model = ranker() if fitted else None
    if model is None:
        if not candidates:
            return []
        pool = _pool(candidates, ctx)
        provinces = {(cc, _admin_key(a)) for cc, a in ctx.provinces}
        scored = [(_hand_score(p, ctx, prefer_admin, provinces), p) for p in pool]
        return sorted(scored, key=lambda t: (-t[0], t[1].name))
    pool, feats = scored_candidates(candidates, ctx, prefer_admin, query, context=model.weights.get("ctx") is not None)
    if not pool:
        return []
    # one choice among the candidates or none of them (utility 0): each candidate's score is
    # its share of the softmax, the probability that it is the place meant
    z = [model.margin(f) for f in feats]
    top = max(0.0, *z)
    e = [math.exp(v - top) for v in z]
    total = math.exp(-top) + sum(e)
    own = [x / total for x in e]
    summed = same_place(own, [(p.lat, p.lon) for p in pool], seat_keys(pool))
    # two candidates within SAME_PLACE_KM of each other share their summed score: a settlement before an
    # administrative unit nothing announces (the town of Tal Afar, not the district's centroid 27 km off),
    # then the one the ranker itself prefers (not the first by name)
    ranked = sorted(zip(summed, own, pool), key=lambda t: (-round(t[0], 9), _unannounced_unit(t[2], prefer_admin), -t[1], t[2].name))
    return [(s, p) for s, _, p in ranked]


SAME_PLACE_KM = 25.0


def _unannounced_unit(p: Place, prefer_admin: bool) -> bool:
    """An administrative unit named where no word announces one (« province de »): among candidates of one
    summed score, it comes after a settlement."""
    return not prefer_admin and p.feature in ("admin1", "admin2")


def same_place(probs: list[float], points: list[tuple], seats: list | None = None) -> list[float]:
    """Each candidate's probability summed with those of the candidates within SAME_PLACE_KM of it:
    the chance that the place meant lies there (two gazetteer rows of one town — "Zolochiv,
    Kharkiv" and "Zolochiv, Kharkiv Oblast" — do not split the ranker's confidence). ``seats``
    (seat_keys()): a town and the province or district named after it (« Ras al-Aïn » the town and
    its district, whose centroid lies 30 km off) pool too, within SEAT_KM: either reading puts the
    event there, and the seat is what is answered (resolve_name)."""
    out = []
    for i, (a, b) in enumerate(points):
        s = probs[i]
        if a is not None:
            for j, (q, (c, d)) in enumerate(zip(probs, points)):
                if j == i or c is None:
                    continue
                km = distance_km(a, b, c, d)
                if km <= SAME_PLACE_KM or (seats and _seat_pair(seats[i], seats[j]) and km <= SEAT_KM):
                    s += q
        out.append(min(1.0, s))
    return out


def seat_keys(pool: list[Place]) -> list[tuple | None]:
    """Each candidate's (country, seat key, is an admin unit) for same_place's seat pooling;
    None for what has no name of its own (the context's places) and for countries."""
    return [(p.country, _seat_key(p.name), p.feature in ("admin1", "admin2"))
            if p.feature in SETTLEMENTS or p.feature in ("admin1", "admin2") else None for p in pool]


def _seat_key(name: str) -> str:
    """The key a seat and its unit share: the consonant skeleton when it is long enough to name one place
    ("Quamishli" district, "Al Qamishli" town: kmsl), else the spelling key."""
    sk = skeleton(name)
    return sk if len(sk) >= SEAT_SKELETON_MIN else spelling_key(name)


SEAT_SKELETON_MIN = 4


def _seat_pair(a: tuple | None, b: tuple | None) -> bool:
    """A settlement and an admin unit of one country under one seat key (_seat_key)."""
    return a is not None and b is not None and a[:2] == b[:2] and a[2] != b[2]


def _learned_context() -> bool:
    """Whether the fitted ranker weighs the context's own places (then, given the article's places, no
    hand-set town fallback)."""
    model = ranker()
    return model is not None and model.weights.get("ctx") is not None


def confident(score: float) -> bool:
    """Whether the best candidate's score is worth an answer (below it: no answer, not a guess)."""
    model = ranker()
    return model is None or score >= model.threshold


def choose(candidates: list[Place], ctx: GeoContext, prefer_admin: bool = False) -> Place | None:
    """Pick the best candidate in context, or None rather than a wrong-country guess."""
    ranked = rank(candidates, ctx, prefer_admin)
    return ranked[0][1] if ranked else None


def _sub_spans(text: str, start: int) -> list[tuple[int, int]]:
    """Word sub-spans of a capitalised run, longest first."""
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\s]+", text)]
    spans = []
    for size in range(len(words), 0, -1):
        for i in range(0, len(words) - size + 1):
            spans.append((words[i][0], words[i + size - 1][1]))
    return spans


@dataclass(slots=True)
class _Probe:
    """What one candidate name's words and surroundings say, whatever the context: read once for
    the article's first pass and kept for the second."""
    words: str
    before: str             # the 80 characters before it
    admin_cue: bool         # « province de X », « X province »
    region_of: bool         # « région de X »
    candidates: list[Place]
    per: bool               # the tagger reads a person there
    place_cue: bool         # « village de », « camp d' »… within 50 characters before
    cued: bool              # that, or a locative (« à », « près de ») right before
    tail: tuple[str | None, str, bool, bool] | None = None   # see _tail
    told: bool = False      # a place noun right after it ("X village", "X, a locality": data/<lang>/geocode.tsv)


def _probe(text: str, s: int, e: int, gazetteer: Gazetteer, ctx: GeoContext) -> _Probe | None:
    """The probe of the span ``s:e`` (None: no place can be named there, whatever the context)."""
    words = text[s:e]
    before = text[max(0, s - 80):s]
    if re.search(r"«\s*[^»]{0,40}$", before) and re.match(r"[^«]{0,40}»", text[e:e + 42]):
        return None     # « Al-Arabi Al-Jadid »: a title or a newspaper in quotes
    admin_cue = bool(_PROVINCE.search(before)) or bool(grammar(ctx.lang, "geocode").rx("PROVINCE_AFTER").match(text, e))
    region_of = bool(_REGION_OF.search(before))
    candidates = gazetteer.lookup(words)
    if words.isupper() and len(words) <= 5:
        # an acronym (ONU, URSS, FDS) is a place only as a country or province alias
        candidates = [c for c in candidates if c.feature in ("country", "admin1")]
    if _TITLE.search(before[-30:]):
        return None     # "M. Hasakeh", "le général Souheil": a person
    G = grammar(ctx.lang, "geocode")
    # "Dioura village", "Kodyel, a locality": the text says outright that a place is named, whatever
    # the tagger reads there (the English tagger reads many such villages as people)
    told = bool(G.rx("PLACE_NOUN_AFTER").match(text, e))
    # « à Mamove, où … »: the text puts something at a one-word name (which the tagger may read as a person; a
    # person's full name, « à Jean Bosco, où », or a common word, "in Parliament, where", is none)
    told = told or bool(" " not in words and _WHERE_AFTER.match(text, e) and not _common_word(words, ctx.lang)
                        and (_LOCATIVE.search(before[-30:]) or G.rx("PLACE_LOCATIVE").search(before[-30:])))
    per = not told and any(s < pe and ps < e for ps, pe in ctx.per_spans)
    if not told and any(ps <= s and e <= pe and (pe - ps) > (e - s) for ps, pe in ctx.per_spans):
        return None     # part of a longer person name: "Birusk Hasakeh"
    place_cue = told or bool(_PLACE_CUE.search(before[-50:])) or bool(G.rx("PLACE_CUE").search(before[-50:]))
    return _Probe(words, before, admin_cue, region_of, candidates, per, place_cue,
                  place_cue or bool(_LOCATIVE.search(before[-30:])) or bool(G.rx("PLACE_LOCATIVE").search(before[-30:])),
                  told=told)


def _tail(p: _Probe, text: str, e: int) -> tuple[str | None, str, bool, bool]:
    """The wording around a resolved name: the « near » qualifier, the role, whether a country so
    named is a place (« en Syrie ») and whether it is an owner (« l'ambassade de Russie »)."""
    if p.tail is None:
        before = p.before
        near = _NEAR.search(before)
        role = "source" if _SPEAKS.match(text[e:e + 40]) or _STANCE_OF.search(before[-40:]) else _role(before)
        p.tail = (near.group(0).strip() if near else None, role, bool(_IN_COUNTRY.search(before[-40:])),
                  bool(_OF_COUNTRY.search(before[-40:])))
    return p.tail


def _names(text: str, ctx: GeoContext) -> list[tuple[bool, int, int, bool]]:
    """The spans that may name a place, in the order they are tried: the word sub-spans of each
    capitalised run outside the excluded spans, longest first, but a direction alone, a stop word
    or a name under three characters; each with whether it is the whole run and whether it begins
    with a stop word (a whole run of several words, kept only as a place's very name)."""
    stop, alone = _stopwords()
    multi = _multiword_stops()
    names = []
    for m in _NAME_RE.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in ctx.excluded_spans):
            continue
        # "Kharkiv Oblast's Kupiansk district": a possessive inside a run ends one name (the place
        # that encloses) and starts the next
        pieces, at = [], m.start()
        for q in _INNER_POSSESSIVE.finditer(m.group(0)):
            pieces.append((at, m.start() + q.end()))
            at = m.start() + q.end() + 1
        pieces.append((at, m.end()))
        for p0, p1 in pieces:
            low = text[p0:p1].lower()
            if p1 - p0 < 3 or _ARTICLE.sub("", low) in stop:
                continue      # ("The White House", « la Maison Blanche »: no part of it is a place either)
            # ("Chief White House Correspondent": nor a part of a seat of government named inside a longer run)
            blocked = [(p0 + low.find(n), p0 + low.find(n) + len(n)) for n in multi if n in low]
            for s, e in _sub_spans(text[p0:p1], p0):
                if any(s < be and bs < e for bs, be in blocked):
                    continue
                if text[e - 2:e] in ("'s", "’s"):
                    e -= 2            # "Mali's army": the possessive is not part of the name
                words = text[s:e]
                if words[:1].islower() and not _DIRECTIONAL.match(words) \
                        and not re.match(r"(?:al|el|ad|ar|as|at|az|an|ash|ech|es|ez|ed)[-’'\s]", words):
                    continue     # "nord" alone is a direction, not the Nord region
                first = re.split(r"[\s]", words)[0].lower().strip("’'")
                whole = s == p0 and (e == p1 or (p1 < m.end() and e == p1 - 2))
                if (first in stop and not (whole and " " in words)) or words.lower() in stop \
                        or words.lower() in alone or len(words) < 3:
                    continue
                # (a whole run of several words may still begin with a stop word — « Tel Aviv », "Dire Dawa",
                # « Les Cayes » — when it is a place's very name: find_places keeps it only on a sure match)
                # « Partis de Baga, localité nigériane… »: a run opening a sentence with a word the language writes in
                # lower case, a stop word inside it, is kept only as a place's very name, as one opening with a stop word is
                opener = " " in words and first in _common_words(ctx.lang) and _sentence_initial(text, s) \
                    and any(w.lower() in stop for w in words.split()[1:-1])    # (not « Petit Goave »)
                names.append((whole, s, e, first in stop or opener))
    return names


def _sentence_initial(text: str, at: int) -> bool:
    """Whether ``at`` opens a sentence or a line (only spaces, quotes or a dash after the last stop)."""
    return re.search(r"(?:^|[.!?:\n])[\s«\"“'‘—–-]*$", text[max(0, at - 12):at]) is not None


# "Borno State's Marte": the possessive ending a word inside a capitalised run
_INNER_POSSESSIVE = re.compile(r"(?<=\w)['’]s(?=[ \t])")


def find_places(text: str, gazetteer: Gazetteer, ctx: GeoContext, memo: dict | None = None) -> list[PlaceMention]:
    """Place mentions of ``text`` (the clean article), resolved in context. ``memo``: what the
    article's words say whatever the context, kept by one call for the next on the same text with
    the same excluded spans and people (the pipeline's two passes); pass the same dict to both."""
    if memo is None:
        memo = {}
    out: list[PlaceMention] = []
    if "names" not in memo:
        memo["names"] = _names(text, ctx)
    sure_runs: list[tuple[int, int]] = []     # whole runs of several words that are a place's very name
    for whole, s, e, stop_first in memo["names"]:
        words = text[s:e]
        if any(s < ee and ss < e for ss, ee, *_ in ((p.start, p.end) for p in out)):
            continue
        if not whole and any(rs <= s and e <= re_ for rs, re_ in sure_runs):
            continue
        if (s, e) not in memo:
            memo[s, e] = _probe(text, s, e, gazetteer, ctx)
        probe = memo[s, e]
        if probe is None:
            continue
        if stop_first and not any(c.score >= 0.9 and _fold(c.name) == _fold(words) for c in probe.candidates) \
                and not (probe.place_cue and not probe.told
                         and any(c.country == ctx.main_country for c in probe.candidates)):
            # « En Syrie », "On Tuesday": a stop word opens the sentence, not a name — unless a place noun before
            # it announces the run ("the town of Mai Kadra": May Cadera, a skeleton match in the theatre; not
            # one after it: « A Ngaoundaye, localité frontalière » is « à » unaccented and the town)
            continue
        if whole and re.search(r"[\s-]", words) and any(c.score >= 1.0 for c in probe.candidates):
            # « Hong Kong », "Sham Shui Po": when the run is dropped in context, its words are no places of their own
            sure_runs.append((s, e))
        before = probe.before
        prefer_admin = probe.admin_cue or bool(
            out and out[-1].place is not None and out[-1].place.feature == "admin1" and out[-1].precision == 3
            and re.fullmatch(r"\s*(?:,|et|ou)\s*(?:et\s+)?(?:de\s+|d'|d’)?", text[out[-1].end:s]))
        # « les provinces d'Alep, Hama et Lattaquié »: the list goes on naming provinces
        region_of = probe.region_of
        candidates = probe.candidates
        per = probe.per
        if per:
            # the tagger reads some Arabic place names as people: believe only a sure match (in the theatre's
            # first pass, before there is a theatre: a large city of a country at war — "struck Kharkiv")
            candidates = [c for c in candidates if c.score >= 0.9 and (
                c.country == ctx.main_country if ctx.main_country else _open_city(c))]
        cued = probe.cued
        # Villages only where the text says a place is named (_gate_minor):
        # with every village, event F1 fell on ../shared/corpus/dev (0.426 -> 0.400).
        candidates = _gate_minor(candidates, ctx, cued)
        if not candidates and not per and ctx.main_country and cued and whole:
            # a spelling the gazetteer does not know, where the text says a place is named
            key = ("fuzzy", words, ctx.main_country)
            if key not in memo:
                memo[key] = [c for c in gazetteer.fuzzy(words, [ctx.main_country]) if c.feature not in _MINOR]
            candidates = memo[key]
        if not candidates:
            # (a cue word right before — « au camp d'Al Jalaa » — outweighs the tagger's person reading)
            if whole and probe.place_cue \
                    and (not per or _PLACE_CUE.search(before[-20:])) \
                    and not any(s < pe and ps < e for ps, pe in ((p.start, p.end) for p in out)):
                out.append(PlaceMention(s, e, words, None, 1, _role(before), "", []))
            continue
        place = choose(candidates, ctx, prefer_admin)
        if place is None and ctx.actor_countries - ctx.countries:
            # « les forces irakiennes avaient repris Al-Qaïm » in a report on Syria: a sure match
            # in a country whose forces or people the article names
            sure = [c for c in candidates if c.score >= 0.9 and c.country in ctx.actor_countries
                    and (c.feature not in SETTLEMENTS or c.population >= MIN_POPULATION_NO_CONTEXT)]
            place = choose(sure, GeoContext(ctx.main_country, ctx.actor_countries), prefer_admin)
        if place is not None and _common_word(words, ctx.lang) and not (
                _plain(place.name) == _plain(words) and place.country in (ctx.actor_countries or ctx.countries)):
            # "Local Government Area", "Tolo News", "Western Kurdistan", "Four security personnel": a common
            # word, not Mundelein, Neuss, Cuba City or Four (France) — unless a place of a country the
            # article names bears that very name ("Hit" in Iraq)
            continue
        if probe.admin_cue and place is not None and place.feature in SETTLEMENTS:
            # "Guerrero state", "Mandera County" in a country whose provinces the packaged table lacks: the
            # province its towns name, not a town of that name (Guerrero, Coahuila)
            province = next((q for q in (gazetteer.province_of(cc, words) for cc in dict.fromkeys(
                (ctx.main_country, place.country))) if q is not None), None)
            if province is not None:
                place = province
        elif place is not None and place.feature in SETTLEMENTS and place.population < PROVINCE_OVER_TOWN \
                and ctx.main_country and packaged_provinces()(ctx.main_country, words) is None:
            # "Coyuca de Benítez township, Guerrero": a province of the theatre the packaged table lacks (the
            # gazetteer derives it from its towns), not a small town of that name in another province (Guerrero,
            # Coahuila)
            province = gazetteer.province_of(ctx.main_country, words)
            if province is not None and _admin_key(place.admin1 or "") != _admin_key(province.name):
                place = province
        if place is not None and place.feature in SETTLEMENTS and ctx.main_country and place.country != ctx.main_country \
                and cued and place.lat is not None:
            # « à Kaya, localité distante de 5 km de Bol » in a report on Chad: a town of that name abroad, far from
            # every place the article has named so far in its theatre, is not meant when the theatre has a
            # place of that very name near them
            anchors = [(o.place.lat, o.place.lon) for o in out if o.place is not None and o.place.lat is not None
                       and o.place.country == ctx.main_country and o.place.feature != "country"]

            def gap(p: Place) -> float:
                return min(distance_km(p.lat, p.lon, a, b) for a, b in anchors)

            if anchors and gap(place) > FAR_ABROAD_KM:
                near = [c for c in probe.candidates if c.country == ctx.main_country and c.score >= 0.9
                        and c.lat is not None and c.feature in SETTLEMENTS and gap(c) <= NEAR_HOME_KM]
                if near:
                    place = max(near, key=lambda c: (c.population, -gap(c)))
        if region_of and place is not None and place.feature in SETTLEMENTS:
            # « la région de Sagaing », « la vallée de la Békaa »: the province when one has that name, else the area
            admin = choose([c for c in candidates if c.feature == "admin1"], ctx, True)
            if admin is not None and (admin.country in (place.country, ctx.main_country) or admin.score > place.score):
                # (« la vallée de la Békaa »: Lebanon's province by its own name, not the Israeli village one of
                # whose former names is Beka')
                place = admin
        if place is None and not prefer_admin:
            if probe.place_cue:
                # keep the name: the event stage falls back to the enclosing place
                out.append(PlaceMention(s, e, words, None, 1, _role(before), "", candidates[:5]))
            continue
        if place is None:
            continue
        precision = FEATURE_PRECISION.get(place.feature, 1)
        near, role, in_country, of_country = _tail(probe, text, e)
        G = grammar(ctx.lang, "geocode")
        if place.feature == "country" and not in_country and not of_country and (
                probe.cued or G.rx("COUNTRY_LOCATIVE").search(before[-12:])):
            # « à Hong Kong », « à Djibouti », « à Mayotte »: a town's or an island's wording (a country takes « en »,
            # « au »): the province of that name (a territory that is its own province), else the capital that
            # bears the country's name (within 25 km of the country's point, which is its capital's)
            country = place
            place = next((c for c in candidates if c.feature == "admin1" and c.country == country.country
                          and c.score >= 0.9 and spelling_key(c.name) == spelling_key(country.name)), None) or next(
                (c for c in candidates if c.country == country.country and c.score >= 0.9 and c.feature in SETTLEMENTS
                 and None not in (c.lat, country.lat)
                 and distance_km(c.lat, c.lon, country.lat, country.lon) <= TOWN_RADIUS_KM), country)
            precision = FEATURE_PRECISION.get(place.feature, 1)
            if place is country and words.lower() in G.words("COUNTRY_WITH_A"):
                in_country = True
        if place.feature == "country" and (not in_country or of_country):
            continue     # "épaulées par la Russie": a country named as an actor, not a place
        if place.feature in SETTLEMENTS and (_OF_CAPITAL.search(before[-40:]) or _CAPITAL_ACTOR_AFTER.match(text, e)) \
                and _capital(place, gazetteer):
            role = "actor"   # « l'armée de Kiev », « le régime de Damas »: the capital stands for its government
        qualifier = ""
        if near is not None and precision < 3:
            precision, qualifier = 2, near
        out.append(PlaceMention(s, e, words, place, precision, role, qualifier, candidates[:5]))
    out.sort(key=lambda p: p.start)
    _refine(out, ctx)
    _far_villages(out)
    _outside_named_province(out, text, gazetteer)
    _outside_holder(out, text, gazetteer)
    return out


def _outside_holder(mentions: list[PlaceMention], text: str, gazetteer: Gazetteer) -> None:
    """A place named with its holder's possessive (« Kharkiv's Kyivskyi district », "Borno State's Marte") lies
    inside that holder — a town's holder: near it or in its province (« Kharkiv's Kupiansk » is the oblast's) —: a
    namesake outside it (Donetsk's Kyivskyi district, 250 km off; "Odesa's Prymorskyi district", not Primorskiy by
    Vladivostok) is a candidate inside it, else no place (the event then lies at the holder, as for a district the
    gazetteer lacks)."""
    for i, m in enumerate(mentions):
        if i == 0 or m.place is None or m.place.lat is None or m.place.feature not in SETTLEMENTS:
            continue      # (even a large town: the possessive says where it is)
        holder = mentions[i - 1]
        if holder.place is None or holder.place.lat is None or holder.place.country is None \
                or not re.fullmatch(r"\s*['’]s\s+", text[holder.end:m.start]):
            continue
        h = holder.place
        if h.feature == "admin1":
            first_level = frozenset(_admin_key(a) for a in gazetteer.first_level(h.country))

            def inside(c: Place) -> bool:
                return c.country == h.country and _in_province(c, h, first_level)
        elif h.feature in SETTLEMENTS:
            def inside(c: Place) -> bool:
                # a town's district, or a town of the province the town names (« Kharkiv's Kupiansk »: the oblast's)
                return c.country == h.country and (distance_km(c.lat, c.lon, h.lat, h.lon) <= HOLDER_TOWN_KM or (
                    bool(h.admin1) and _admin_key(c.admin1 or "") == _admin_key(h.admin1)))
        else:
            continue
        if inside(m.place):
            continue
        within = [c for c in m.candidates if c.country == h.country and c.feature in SETTLEMENTS
                  and c.lat is not None and inside(c)]
        wrong = m.place
        m.place = max(within, key=lambda c: (c.score, c.population)) if within else None
        for o in mentions:      # the article's other mentions of that name: one place throughout
            if o is not m and o.place is wrong:
                o.place = m.place


HOLDER_TOWN_KM = 50.0     # a town's own district or suburb (« Kharkiv's Kyivskyi district ») lies this close to it


def _capital(place: Place, gazetteer: Gazetteer) -> bool:
    """Whether a settlement is its country's capital itself (the country's point is its capital's; not a suburb
    or a town near it: Omdurman lies 12 km from Khartoum's point, Kati 18 km from Bamako's)."""
    country = gazetteer.country(place.country) if place.country else None
    return bool(country is not None and None not in (country.lat, place.lat)
                and distance_km(place.lat, place.lon, country.lat, country.lon) <= CAPITAL_KM)


CAPITAL_KM = 2.0


PROVINCE_AFTER_CHARS = 80    # « Nyaung Kone, in Sagaing region »: a province named this close after a place encloses it
PROVINCE_FAR_KM = 250.0      # a settlement this far from the enclosing province's point lies outside it (and a
                             # village this far from the towns the text names is a namesake: _far_villages)
PROVINCE_OVER_CITY = 50_000  # ... unless it is a city this large (« de Bagdad à la province de Ninive »)
# what comes right before a province that encloses the place named before it: "in", « dans la province de », "("
_ENCLOSED_IN = _LangPattern("ENCLOSED_IN", scanning=False)


def _in_province(p: Place, province: Place, first_level: frozenset[str]) -> bool:
    """Whether a settlement may lie in ``province``: its own province is that one; else, when both its
    province and the one named are first-level units of the country (``first_level``: Gazetteer.first_level,
    which do not nest), it lies outside however near the other's point (« Al-Rachad, un village de la province
    de Diyala »: not Qaryat ar Rashad of Anbar, 110 km from Diyala's point); else (a region that groups
    provinces — « dans la Ghouta orientale », "in the Kurdistan Region" — or splits one — "in the Khan Younis
    governorate" for a town the gazetteer labels Gaza Strip —, or an unmapped label) it may lie within
    PROVINCE_FAR_KM of the province's point."""
    if _admin_key(province.name) in province_keys(p.country, p.admin1):
        return True
    if p.admin1 and _admin_key(p.admin1) in first_level and _admin_key(province.name) in first_level:
        return False
    return distance_km(p.lat, p.lon, province.lat, province.lon) <= PROVINCE_FAR_KM


def _outside_named_province(mentions: list[PlaceMention], text: str, gazetteer: Gazetteer) -> None:
    """A settlement the text places in a province named right after it (« the village of Nyaung Kone, in
    Sagaing region ») is not a namesake far outside that province: a candidate inside it when there is
    one; else no place (the event falls back to the province, precision 3, rather than a town 800 km off)."""
    for i, m in enumerate(mentions):
        if m.place is None or m.place.feature not in SETTLEMENTS or m.place.lat is None \
                or m.place.score >= 1.0 or m.place.population >= PROVINCE_OVER_CITY:
            continue      # (the name as the gazetteer writes it, or a city everyone knows: that place)
        # the first province named after it in the same clause (« Nyaung Kone and Kyarsi villages in Pale
        # township in Sagaing region »)
        nxt = next((o for o in mentions[i + 1:] if o.start >= m.end and o.place is not None
                    and o.place.feature == "admin1" and o.precision == 3), None)
        if nxt is None or nxt.place.country != m.place.country or nxt.place.lat is None:
            continue
        gap = text[m.end:nxt.start]
        if len(gap) > PROVINCE_AFTER_CHARS or re.search(r"[.;!?\n]", gap) or not _ENCLOSED_IN.search(gap):
            continue      # (« Kharkiv and the Odesa province »: two places, neither in the other)
        first_level = frozenset(_admin_key(a) for a in gazetteer.first_level(m.place.country))
        if _in_province(m.place, nxt.place, first_level):
            continue
        inside = [c for c in m.candidates if c.country == m.place.country and c.feature in SETTLEMENTS
                  and c.lat is not None and _in_province(c, nxt.place, first_level)]
        wrong = m.place
        m.place = max(inside, key=lambda c: (c.score, c.population)) if inside else None
        for o in mentions:      # the article's other mentions of that name: one place throughout
            if o is not m and o.place is wrong:
                o.place = m.place


@functools.cache
def _common_words(lang: str) -> frozenset[str]:
    """``data/<lang>/common_words.txt`` (scripts/common_words.py): words the training articles write in
    lower case; a language without the file has none."""
    try:
        text = data_text(f"{lang}/common_words.txt")
    except FileNotFoundError:
        return frozenset()
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def _common_word(words: str, lang: str) -> bool:
    """One word that the language's training articles write in lower case ("Area", "News", "Air")."""
    return " " not in words and words.lower() in _common_words(lang)


def _refine(mentions: list[PlaceMention], ctx: GeoContext) -> None:
    """Second look at ambiguous names (several same-country towns share a name): prefer the one in
    a province the article names or near the places it resolved unambiguously."""
    def pool(m: PlaceMention) -> list[Place]:
        # towns of one name in the chosen country: proximity picks among them, never across borders
        return [c for c in m.candidates if c.feature == m.place.feature and c.country == m.place.country]

    resolved = [m for m in mentions if m.place is not None]
    ambiguous = [m for m in resolved if m.place.feature not in ("admin1", "country") and len(pool(m)) > 1]
    if not ambiguous:
        return
    provinces = {(m.place.country, m.place.name) for m in resolved if m.place.feature == "admin1"}
    for m in ambiguous:
        anchors = [(o.place.lat, o.place.lon) for o in resolved
                   if o is not m and o not in ambiguous and o.place.lat is not None
                   and o.place.feature not in ("admin1", "country")]
        if not anchors and not provinces:
            continue
        local = GeoContext(ctx.main_country, ctx.countries, provinces=ctx.provinces | provinces,
                           anchors=ctx.anchors + anchors)
        best = choose(pool(m), local)
        if best is not None:
            m.place = best


_MINOR = ("village", "district", "admin2")


NEAR_CHARS = 150     # a town named this close to a village is what the village is near (its sentence)
METROPOLIS = 1_000_000   # a city this large (a capital, mostly) anchors no village: the text names it as where one speaks


def _far_villages(mentions: list[PlaceMention]) -> None:
    """A village (or district, or a town matched only by a weak spelling) further than PROVINCE_FAR_KM
    from every town the text names surely in its country, or from every such town named within
    NEAR_CHARS of it, outside every province the text names there, is a namesake (« au camp d'Al
    Jalaa, dans le district de Bouraïka, à l'ouest d'Aden »: not Al Jala` of Saada, 485 km off): the
    name stays a place the gazetteer cannot place. Paired over every set (stop 33), villages: English
    pooled +0.004 (90 % +0.000..+0.008), French identical (at 100 km French fr_blind fell 0.022, at 400
    km English gained less); weak matches too: French +0.002 (+0.000..+0.003), English +0.001."""
    resolved = [m for m in mentions if m.place is not None and m.place.lat is not None]
    far = []
    for m in resolved:
        p = m.place
        weak = p.feature in SETTLEMENTS and p.score < 0.9     # a town matched by its skeleton or fuzzily
        if p.feature not in _MINOR and not weak:
            continue
        # the anchors: towns surely named, but a metropolis where governments and reporters speak from
        # (« a annoncé le gouvernement à Bamako » says nothing of where a village of Mopti lies) unless the
        # name is matched only weakly
        anchors = [o for o in resolved if o is not m and o.place.country == p.country and o.place.score >= 0.9
                   and o.place.feature not in _MINOR and o.place.feature not in ("admin1", "country")
                   and (weak or (o.place.population < METROPOLIS and o.role != "source"))]
        provinces = [o.place for o in resolved if o.place.country == p.country and o.place.feature == "admin1"]
        if not anchors or province_keys(p.country, p.admin1) & {_admin_key(q.name) for q in provinces} or any(
                distance_km(p.lat, p.lon, q.lat, q.lon) <= PROVINCE_FAR_KM for q in provinces):
            continue      # (a province named near it: the gazetteer's admin1 names differ — "Eastern Province", Ituri)
        km = {id(o): distance_km(p.lat, p.lon, o.place.lat, o.place.lon) for o in anchors}
        near = [km[id(o)] for o in anchors if abs(o.start - m.start) <= NEAR_CHARS]
        if min(km.values()) > PROVINCE_FAR_KM or (near and min(near) > PROVINCE_FAR_KM):
            far.append(m)
    for m in far:
        m.place = None


def _gate_minor(candidates: list[Place], ctx: GeoContext, cued: bool) -> list[Place]:
    """Towns, provinces and countries as found; a village (or district, admin2 unit) only when no
    town has the name, it lies in the article's theatre, its spelling matches a name of it and the
    text announces a place right before it (« au village de », « à », "in"). Until stop 33 the
    parser had to tag it a place too; without that (paired over every set, stop 33): French pooled
    +0.004 (90 % +0.000..+0.008), English +0.005 (+0.000..+0.012), no set lower; with every village of
    the theatre, cue or not, English pooled -0.005 (corpus dev -0.059)."""
    towns = [c for c in candidates if c.feature not in _MINOR]
    if towns or not cued or not ctx.main_country:
        return towns
    minor = [c for c in candidates if c.feature in _MINOR and c.country == ctx.main_country and c.score >= 0.9]
    return minor or towns


_LOCATIVE = _LangPattern("LOCATIVE", scanning=True)
# « à Mamove, où … », "in Mamove, where …": the text puts something at the name
_WHERE_AFTER = _LangPattern("WHERE_AFTER", scanning=False)
FEATURE_PRECISION = {"country": 4, "admin1": 3, "admin2": 3}


# A city that speaks is its government (« Damas dément », « la version de Moscou », « accusent
# Washington »): the place of no event.
_SPEAKS = _LangPattern("SPEAKS_AFTER", scanning=False)
_STANCE_OF = _LangPattern("STANCE_OF", scanning=True)


def _role(before: str) -> str:
    tail = before[-60:]
    if re.search(r"(?:selon|d'après|d’après|according to)\s+(?:la\s+|le\s+|l'|l’)?$", tail, re.IGNORECASE):
        return "source"
    if re.search(r"(?:\bavec|\bainsi que|\bcomme|\bpar)\s+(?:la\s+|le\s+|l'|l’)?$", tail, re.IGNORECASE):
        return "other"
    if _ORIGIN.search(tail):
        return "origin"
    if _DEST.search(tail):
        return "destination"
    clause = re.split(r"[.;:!?]|\bet\b|\bmais\b", before)[-1]
    if _DESCRIPTOR.search(clause):
        return "descriptor"
    return "site"


def to_location(mention: PlaceMention, precision: int | None = None, rule: str = RULE) -> Location:
    p = mention.place
    assert p is not None
    return Location(name=p.name, country=p.country, admin1=p.admin1 if p.feature != "country" else None,
                    lat=p.lat, lon=p.lon, geonames_id=p.geonames_id,
                    geo_precision=precision or mention.precision, text=mention.text,
                    start=mention.start, end=mention.end, rule=rule,
                    admin2=p.admin2 if p.feature in SETTLEMENTS or p.feature == "admin2" else None)


OFFSET_WITHIN = 120      # characters between a place and the known place its offset is counted from


@functools.cache
def _offset_table(lang: str) -> dict[str, dict[str, float]]:
    """data/<lang>/offsets.tsv by kind (bearing, unit, sector): word (lower case) -> value."""
    out: dict[str, dict[str, float]] = {"bearing": {}, "unit": {}, "sector": {}}
    for kind, word, value in read_table(f"{lang}/offsets.tsv"):
        out[kind][word.lower()] = float(value)
    return out


def _offset_words(lang: str) -> tuple[dict[str, float], dict[str, float]]:
    """The language's compass words (degrees clockwise from north) and units (kilometres each)."""
    table = _offset_table(lang)
    return table["bearing"], table["unit"]


def reckoned_point(gap: str, ref: Place, lang: str) -> tuple[float, float, float] | None:
    """The point a text puts a place at when ``gap``, the words between it and the known place
    ``ref`` after it, tell a distance and a bearing from ``ref`` (« , à quelque 40 km au nord-est de »,
    ", some 40 kilometers (25 miles) to the northeast of "): (lat, lon, km) reckoned from ``ref``'s
    point; None for a gap that does not only situate the place, or tells no bearing (a distance
    alone gives no point) or no distance."""
    if ref.lat is None:
        return None
    got = _gap_offset(gap, lang)
    if got is None or got[1] is None or got[0] > 300:
        return None
    km, bearing = got
    lat = ref.lat + km / 111.2 * math.cos(math.radians(bearing))
    lon = ref.lon + km / (111.2 * max(0.01, math.cos(math.radians(ref.lat)))) * math.sin(math.radians(bearing))
    return round(lat, 5), round(lon, 5), km


def _gap_offset(gap: str, lang: str) -> tuple[float, float | None] | None:
    """(km, bearing or None) when ``gap``, the words between a name and a known place after it, only
    situate the name at a distance from that place (« , à 100 km au sud de », ", some 60 km from ");
    None otherwise."""
    if re.search(r"[.!?;]\s", gap):
        return None
    G = grammar(lang, "placing")
    if not G.rx("SITUATES").match(gap):
        return None
    m = G.rx("OFFSET").search(gap)
    bearings, units = _offset_words(lang)
    if m is None or m.group("u").lower() not in units:
        return None
    km = float(m.group("n").replace(",", ".")) * units[m.group("u").lower()]
    if km <= 0:
        return None
    bearing = bearings.get(re.sub(r"[-\s]", "", m.group("dir").lower())) if m.group("dir") else None
    return km, bearing


def distant_reference(text: str, end: int, mentions: list[PlaceMention], lang: str) -> Place | None:
    """The known place the name ending at ``end`` is said to lie more than TOWN_RADIUS_KM from
    (« Hilla, ville située à 100 km au sud de Bagdad », "a village some 60 km from Kismayo"): not the
    town the name is in."""
    ref = _place_after(end, mentions)
    if ref is None:
        return None
    got = _gap_offset(text[end:ref.start], lang)
    return ref.place if got is not None and got[0] > TOWN_RADIUS_KM else None


def _place_after(end: int, mentions: list[PlaceMention]) -> PlaceMention | None:
    """The first resolved place within OFFSET_WITHIN characters after ``end``: the known place a distance may
    be counted from."""
    return next((m for m in mentions if m.place is not None and m.place.lat is not None
                 and end <= m.start <= end + OFFSET_WITHIN), None)


def offset_after(text: str, end: int, mentions: list[PlaceMention], lang: str) -> tuple[tuple[float, float, float], Place] | None:
    """The point the text reckons for the name ending at ``end`` from the first place resolved within
    OFFSET_WITHIN characters after it (reckoned_point), with that place; None when there is none, or it
    is no settlement (a distance from a province's or a country's centroid is no point)."""
    ref = _place_after(end, mentions)
    if ref is None or ref.place.feature not in SETTLEMENTS:
        return None
    got = reckoned_point(text[end:ref.start], ref.place, lang)
    return None if got is None else (got, ref.place)


@dataclass(slots=True)
class Resolution:
    """One name resolved on its own (``sitrep geocode``)."""
    name: str                       # the place name once qualifiers are stripped
    place: Place | None
    score: float = 0.0
    precision: int = 1
    runners_up: list[tuple[float, Place]] = field(default_factory=list)
    fallback: str = ""              # not sure of the place: "town", the context's town (precision 2);
                                    # "province", the context's province (precision 3); "offset", the
                                    # point the context reckons from a known place (precision 2)


_QUERY_NAME = re.compile(r"(?:(?:al|el|ad|ar|as|at|az|an|ash|ech|es|ez|ed)[-’'\s])?[A-ZÀ-ÖØ-Þ].*$")
_EN_ADMIN = _LangPattern("ADMIN_TAIL", scanning=False)
_EN_NEAR = _LangPattern("NEAR_QUERY", scanning=False)


# Words around a name that say what kind of place it is, not part of it: « village de X »,
# "X town", "X IDP camp". Stripped before the lookup (the whole query is tried first).
_LEAD_DESCRIPTOR = re.compile(
    r"^(?:(?:le|la|les|l'|l’|the)\s*)?(?:village|localité|ville|bourgade|hameau|quartier|banlieue|faubourg|cité|"
    r"camp(?:\s+de\s+déplacés)?|town|city|village|suburb|neighbourhood|neighborhood|district|locality|"
    r"camp)\s+(?:de\s+|d'|d’|du\s+|des\s+|of\s+)?(?:la\s+|l'|l’|the\s+)?(?=\S)", re.IGNORECASE)
_TAIL_DESCRIPTOR = re.compile(r"\s+(?:town|city|village|suburb|neighbourhood|neighborhood|locality|community|"
                              r"(?:idp\s+|refugee\s+|displacement\s+)?camp|settlement|market)$", re.IGNORECASE)


# A part of a town named after it: « Alep-Est », « Mossoul-Ouest », "Bamenda 2e" (an arrondissement).
_TOWN_PART = re.compile(r"(?:[\s-]+(?:est|ouest|nord|sud|east|west|north|south)|\s+(?:\d{1,2}|[IVX]{1,4})(?:e|er|ème|ième)?)$",
                        re.IGNORECASE)
# « Chaman-Spin Boldak », « Sévaré-Bankass »: two places joined (a road, a front between them).
_PAIR = re.compile(r"([A-ZÀ-ÖØ-Þ][\w’' ]{3,}?)\s*[-–]\s*([A-ZÀ-ÖØ-Þ][\w’' ]{3,}?)"
                   r"(?:\s+(?:highway|road|route|axis|axe|corridor))?")


def query_names(query: str) -> list[str]:
    """The names a query may stand for: itself, then each side of « A/B » and « A (B) », with
    descriptors (« village de », "town", "IDP camp") stripped, the town a part of it is named
    after (« Alep-Est », "Bamenda 2e"), and each of two capitalised names joined by a hyphen
    (« Sévaré-Bankass »)."""
    out: list[str] = []

    def add(n: str) -> None:
        n = n.strip(" ,.;:")
        for _ in range(2):
            n = _LEAD_DESCRIPTOR.sub("", n)
            n = _TAIL_DESCRIPTOR.sub("", n).strip(" ,.;:")
        if len(n) >= 2 and n not in out:
            out.append(n)

    add(query)
    paren = re.fullmatch(r"(.+?)\s*\((.+)\)\s*", query)
    parts = [paren.group(1), paren.group(2)] if paren else []
    parts += [x for x in re.split(r"\s*/\s*|\s+or\s+|\s+ou\s+", query) if x != query] if "/" in query else []
    for x in parts:
        add(x)
    for n in list(out):
        town = _TOWN_PART.sub("", n)
        if town != n and len(town) >= 3:
            add(town)
    for n in list(out):
        pair = None if _TOWN_PART.search(n) else _PAIR.fullmatch(n)
        if pair:
            add(pair.group(1))
            add(pair.group(2))
    return out


def query_candidates(query: str, gazetteer: Gazetteer, ctx: GeoContext) -> tuple[str, bool, bool, list[Place]]:
    """The name, whether the wording asks for an admin unit, whether it says « near », and the
    gazetteer's candidates for a query as a reporter writes it."""
    query = query.strip()
    m = _QUERY_NAME.search(query)
    prefix, name = (query[:m.start()], m.group(0)) if m else ("", query)
    prefer_admin = bool(_PROVINCE.search(prefix))
    near = bool(_NEAR.search(prefix) or _EN_NEAR.search(prefix))
    tail = _EN_ADMIN.search(name)
    if tail:
        name, prefer_admin = name[:tail.start()], True
    tail = re.search(r"\s+(?:countryside|area|outskirts)$", name, re.IGNORECASE)
    if tail:
        name, near = name[:tail.start()], True
    name = name.strip(" ,.;")
    if prefix and _REGION_OF.search(prefix):
        prefer_admin = True
    candidates: list[Place] = []
    if name != query:
        whole = gazetteer.lookup(query)
        if any(c.score >= 0.9 for c in whole):
            name, near, candidates = query, False, whole    # « bande de Gaza » is a name in itself
    names = query_names(name)
    pair = None if _TOWN_PART.search(name) else _PAIR.fullmatch(name)
    if pair and all(any(c.score >= 0.9 and (not ctx.countries or c.country in ctx.countries)
                        for c in gazetteer.lookup(part)) for part in pair.groups()):
        # two known places joined (« Sévaré-Bankass », "Abuja-Kaduna highway"): a road or a front
        # between them, no one point
        names = [n for n in names if n not in pair.groups()]
    if not candidates:
        best: dict[tuple, Place] = {}
        for n in names:
            for c in gazetteer.lookup(n):
                k = (c.name, c.country, c.lat, c.lon, c.feature)
                if k not in best or best[k].score < c.score:
                    best[k] = c
            if any(c.score >= 0.9 and (not ctx.countries or c.country in ctx.countries) for c in best.values()):
                name = n        # (a sure match only in another country: the other names are tried)
                break
        candidates = sorted(best.values(), key=lambda p: (-p.score, -p.population, p.name))
    if not candidates and ctx.main_country:
        for n in names:
            candidates = gazetteer.fuzzy(n, [ctx.main_country])
            if candidates:
                break
    if not candidates and ctx.main_country:
        provinces = _context_provinces(ctx)
        if provinces:
            admin1 = {a for a in gazetteer.admin1_names(ctx.main_country)
                      if province_keys(ctx.main_country, a) & provinces}
            for n in names:
                candidates = gazetteer.fuzzy_within(n, ctx.main_country, admin1, LOCAL_FUZZY_MIN)
                if candidates:
                    break
    return name, prefer_admin, near, candidates


# The similarity (0-100, spelling keys) a name must have with a place of a province the context
# names when nothing else matches it; chosen on the training rows of tests/geo/gold_places.tsv.
LOCAL_FUZZY_MIN = 80


def _context_provinces(ctx: GeoContext) -> set[str]:
    """The provinces of the main country the context points to (keys): those the sentence names,
    and the one holding most of the article's places."""
    out = {_admin_key(a) for cc, a in ctx.provinces if cc == ctx.main_country}
    counts = {k: n for k, n in ctx.article_admin1.items() if k[0] == ctx.main_country}
    if counts:
        top = max(counts.values())
        out |= {k[1] for k, n in counts.items() if n == top}
    return {k for k in out if k}


def _context_province(ranked: list[tuple[float, Place]], ctx: GeoContext, gazetteer: Gazetteer) -> Place | None:
    """Abstaining: the province the context names, when it is one and (if the name has candidates)
    holds the best of them — an answer at precision 3 instead of a guess at precision 1."""
    if len(ctx.provinces) != 1:
        return None
    cc, name = next(iter(ctx.provinces))
    if ranked and not any(p.country == cc and _admin_key(name) in province_keys(cc, p.admin1) for _, p in ranked[:3]):
        return None
    return next((p for p in gazetteer.lookup(name) if p.feature == "admin1" and p.country == cc), None)


TOWN_RADIUS_KM = 25.0
# below this population, a town outside the theatre's province of the same name is not what the name means
PROVINCE_OVER_TOWN = 10000
SEAT_KM = 150.0
# A town's name followed by a unit's word names the unit (« Segou region », "Mandera County").
_UNIT_AFTER = _LangPattern("UNIT_AFTER", scanning=False)
# A dateline: the place a report was filed from (« BEIRUT, May 14 (IANS) - », "Mogadishu (HOL) -").
_DATELINE_AFTER = _LangPattern("DATELINE_AFTER", scanning=False)


def _context_town(ctx: GeoContext) -> Place | None:
    """For a name the gazetteer lacks (a neighbourhood, a hamlet): the town the context places it
    in — when the sentence's settlements are one town's (all within TOWN_RADIUS_KM of each other,
    in the main country). An answer at precision 2 (« in or near »), said so. A name with
    candidates the ranker is not sure of gets none (measured: as often wrong as right)."""
    towns = [t for t in ctx.towns if t.lat is not None and t.country == ctx.main_country]
    if not towns:
        return None
    best = max(towns, key=lambda t: (t.population, t.feature == "city", t.name))
    if any(distance_km(best.lat, best.lon, t.lat, t.lon) > TOWN_RADIUS_KM for t in towns):
        return None
    return best


def resolve_name(query: str, gazetteer: Gazetteer, ctx: GeoContext, fitted: bool = False) -> Resolution:
    """Resolve a place name as a reporter writes it: « province de Homs » prefers the province,
    « près de Palmyre » / « 20 km south of Palmyra » give precision 2, « A/B » and « village de
    A » are tried part by part; fuzzy matching only inside the main country of the context.
    ``fitted``: the fitted ranker orders the candidates and below its threshold there is no answer
    (or the context's province, said so) — measured less right than the hand-set order on the
    spelling lists so far, hence not the default."""
    name, prefer_admin, near, candidates = query_candidates(query, gazetteer, ctx)
    ranked = rank(candidates, ctx, prefer_admin, fitted=fitted, query=name)
    if (not ranked or (fitted and not confident(ranked[0][0]))) and ctx.offset is not None and not prefer_admin:
        # no sure place of the name, and the sentence reckons where it lies: that point (precision 2)
        lat, lon, _km = ctx.offset
        point = Place(name, ctx.main_country, None, lat, lon, None, "village", 0, 0.0)
        return Resolution(name, point, ranked[0][0] if ranked else 0.0, 2, ranked[:5], "offset")
    if not ranked or (fitted and not confident(ranked[0][0])):
        # a name the gazetteer lacks, the sentence's town: the ranker's own choice when it weighs the
        # context's places and the article gives its places (it was fitted so); else this rule
        lacks = not any(p.feature != "context" for _, p in ranked)
        town = _context_town(ctx) if fitted and not prefer_admin and lacks and not (
            _learned_context() and ctx.article_anchors) else None
        if town is not None:
            return Resolution(name, town, ranked[0][0] if ranked else 0.0, 2, ranked[:5], "town")
        province = _context_province(ranked, ctx, gazetteer)
        if province is not None:
            return Resolution(name, province, ranked[0][0] if ranked else 0.0, 3, ranked[:5], "province")
        return Resolution(name, None, ranked[0][0] if ranked else 0.0, 1, ranked[:5])
    score, place = ranked[0]
    if place.feature == "context":
        # the context's own place: the town the sentence or the article places the name in
        town = next(t for t in [_context_town(ctx), _article_focus(ctx)[0]]
                    if t is not None and (t.name, t.lat, t.lon) == (place.name, place.lat, place.lon))
        return Resolution(name, town, score, 2, ranked[1:5], "town")
    if not prefer_admin:
        place = seat_of(place, [p for _, p in ranked])
    precision = FEATURE_PRECISION.get(place.feature, 1)
    if near and precision < 3:
        precision = 2
    return Resolution(name, place, score, precision, ranked[1:5])


def seat_of(place: Place, pool: list[Place]) -> Place:
    """For a province or district named after its seat (« Ras al-Aïn », "Kati", "Sanaa") when nothing
    announces the unit: the seat among ``pool`` (the largest settlement of its spelling key within
    SEAT_KM), not the centroid; else ``place`` itself."""
    if place.feature not in ("admin1", "admin2") or place.lat is None:
        return place
    key = spelling_key(place.name)
    seats = [p for p in pool if p.feature in SETTLEMENTS and p.country == place.country and p.lat is not None
             and spelling_key(p.name) == key and distance_km(p.lat, p.lon, place.lat, place.lon) <= SEAT_KM]
    return max(seats, key=lambda p: (p.population, p.feature == "city")) if seats else place


def _dateline(text: str, m: PlaceMention) -> bool:
    """Whether a mention is the report's dateline: at the text's head (nothing but a date or
    capitals before it), followed by a dash, a colon, an agency in brackets or « , Month day »."""
    return _dateline_shape(re.sub(r"^\W*(?:date\s+\S+\s*)?", "", text[:m.start]), text, m.start, m.end)


def _dateline_shape(head: str, text: str, start: int, end: int, min_upper: int = 0) -> bool:
    """A name told as a dateline: ``head`` (what comes before it) holds nothing but capitals or a
    date, and a dash, a colon, an agency in brackets or « , Month day » follows it — or the name
    is in capitals (longer than ``min_upper`` letters)."""
    if re.search(r"[a-zà-ÿ]{2,}", head) or len(head) > 40:
        return False
    if head.rstrip().endswith("(") and text.startswith(")", end):
        return True     # « (Beyrouth) Une frappe… », "(Bogotá)": the bracketed dateline
    name = text[start:end]
    return bool(_DATELINE_AFTER.match(text, end)) or (name.isupper() and len(name) > min_upper)


DATELINE_PARAGRAPHS = 3    # a dateline opens one of the article's first paragraphs (a headline may come first)


def dateline_paragraph(text: str, start: int, end: int) -> bool:
    """Whether the name at ``start:end`` opens one of the first paragraphs the way a dateline does
    (« Kandahar: The Taliban… » under a headline, « Islamabad, Feb 13 (EFE).- »): nothing but
    capitals or a date before it in its paragraph, a dash, a colon, an agency or a date after it."""
    para = text.rfind("\n", 0, start) + 1
    if text.count("\n\n", 0, para) >= DATELINE_PARAGRAPHS:
        return False
    return _dateline_shape(text[para:start], text, start, end, min_upper=3)


_MENTION_CACHE: dict[tuple, tuple[Gazetteer, list[PlaceMention]]] = {}


_COUNTY_WORDS = frozenset({"cercle", "departement", "department", "lga", "county", "de", "du", "des"})


def county_key(name: str) -> str:
    """A second-level unit's key: its name without unit words ("Soum Province", « cercle de Douentza »),
    as a province's is keyed (gazetteer._region_key)."""
    from .gazetteer import _region_key
    return _region_key(name, _COUNTY_WORDS)


_CAPITALISED_RUN = re.compile(r"[A-ZÀ-ÖØ-Þ][\w’'-]*(?:[ \t]+(?:[A-ZÀ-ÖØ-Þ][\w’'-]*|al|el|de|du|ad|an|as)[-’']?)*")


def named_keys(text: str, drop: set[str] = frozenset()) -> set[str]:
    """The spelling keys of the capitalised names of a text, each run of capitalised words and its
    runs of one to three words (« province du Soum », "Maradun LGA", "Birnin Magaji"): where a
    district named in the text is looked for (county_key of a candidate's ``admin2``). ``drop``: the
    keys of the name being resolved."""
    out: set[str] = set()
    for m in _CAPITALISED_RUN.finditer(text):
        words = m.group(0).split()
        for i in range(len(words)):
            for j in range(i + 1, min(len(words), i + 3) + 1):
                k = county_key(" ".join(words[i:j]))
                if len(k) >= 3 and k not in drop:
                    out.add(k)
    return out


def _resolved_mentions(text: str, gazetteer: Gazetteer, main: str | None, countries: set[str],
                       lang: str = "fr") -> list[PlaceMention]:
    """find_places on a context text, remembered (an article is the context of each of its names)."""
    key = (id(gazetteer), text, main, tuple(sorted(countries)), lang)
    hit = _MENTION_CACHE.get(key)
    if hit is None or hit[0] is not gazetteer:      # (the gazetteer is held: its id is not reused)
        if len(_MENTION_CACHE) > 256:
            _MENTION_CACHE.clear()
        hit = _MENTION_CACHE[key] = (gazetteer, [m for m in find_places(text, gazetteer, GeoContext(main, set(countries), lang=lang))
                                                 if m.place is not None])
    return hit[1]


def context_language(text: str, lang: str | None = None) -> str:
    """The language whose cues read a context (« région de Gao », "the Gao region"): ``lang`` when
    given, else detected; a language sitrep does not read reads as French, as before."""
    from .language import detect_language
    from .nlp import MODELS
    got = (lang or (detect_language(text) if text.strip() else "fr")).split("-")[0].split("_")[0].lower()
    return got if got in MODELS else "fr"


def context_from_text(text: str, gazetteer: Gazetteer, countries: list[str] | None = None,
                      exclude: str | None = None, article: str = "", lang: str | None = None) -> GeoContext:
    """A geocoding context from free text (``--context``): the countries it names or places in,
    its provinces, and its unambiguous places as anchors for proximity. Mentions of ``exclude``
    (the name being resolved) are left out: a name is no evidence for itself. ``article``
    (``--article``): the whole text the sentence comes from; its resolved places in the main
    country (provinces, towns and villages, not the dateline) are the wider evidence
    (``article_admin1``, ``article_anchors``). ``lang``: the text's language (detected when not
    given), whose cues tell a province from a town ("the Gao region")."""
    countries = [c for c in (countries or []) if c]
    ctx = GeoContext(main_country=countries[0] if countries else None, countries=set(countries),
                     lang=context_language(f"{text}\n{article}".strip(), lang))
    own = {spelling_key(n) for n in query_names(exclude)} if exclude else set()

    def others(t: str) -> list[PlaceMention]:
        return [m for m in _resolved_mentions(t, gazetteer, ctx.main_country, ctx.countries, ctx.lang)
                if spelling_key(m.text) not in own and not any(spelling_key(n) in own for n in query_names(m.text))]

    if article.strip():
        ctx.article_counties = named_keys(article, own)
        for m in others(article):
            p = m.place
            if p.feature not in SETTLEMENTS and p.feature != "admin1" or _dateline(article, m):
                continue
            if ctx.main_country and p.country != ctx.main_country:
                continue
            if p.admin1:
                ctx.article_admin1[(p.country, _admin_key(p.admin1))] += 1
            if p.feature in SETTLEMENTS and p.lat is not None:
                ctx.article_anchors.append((p.lat, p.lon))
                ctx.article_towns.append(p)
                if p.admin2:
                    ctx.article_admin2[(p.country, county_key(p.admin2))] += 1
    if not text.strip():
        return _with_article_sectors(ctx, article, gazetteer, others)
    ctx.counties = named_keys(text, own)
    mentions = others(text)
    seen = Counter(m.place.country for m in mentions if m.place.country)
    if ctx.main_country is None and seen:
        ctx.main_country = seen.most_common(1)[0][0]
    ctx.countries |= set(seen)
    ctx.provinces = {(m.place.country, m.place.name) for m in mentions if m.place.feature == "admin1"}
    ctx.anchors = [(m.place.lat, m.place.lon) for m in mentions
                   if m.place.feature not in ("admin1", "country") and m.place.lat is not None]
    ctx.towns = [m.place for m in mentions if m.place.feature in SETTLEMENTS and m.place.lat is not None
                 and not _dateline(text, m) and not _UNIT_AFTER.match(text, m.end)]
    ctx.sectors = sectors_of(text, gazetteer, ctx, mentions)
    if exclude:
        at = text.find(exclude)
        if at >= 0:
            got = offset_after(text, at + len(exclude), mentions, ctx.lang)
            ctx.offset = got[0] if got else None
            far = distant_reference(text, at + len(exclude), mentions, ctx.lang)
            if far is not None:
                ctx.towns = [t for t in ctx.towns if t is not far]
    return _with_article_sectors(ctx, article, gazetteer, others)


def _with_article_sectors(ctx: GeoContext, article: str, gazetteer: Gazetteer, others) -> GeoContext:
    """``ctx`` with the parts of countries and provinces the article names (« l'est du pays » read once the
    main country is known, from the countries given or the sentence)."""
    if article.strip():
        ctx.article_sectors = [s for s in sectors_of(article, gazetteer, ctx, others(article)) if s[2] is not None]
    return ctx
