"""The user's own places: ``sitrep gazetteer add FILE`` takes villages, oil fields, crossings the
packaged gazetteer lacks, from a simple TSV or a GeoNames country dump (e.g. SY.txt), and stores
them in a small SQLite file of their own (``gazetteer.user_path()``), which every lookup consults
beside the compiled gazetteer.

- TSV: ``name, lat, lon, country, admin1, aliases`` (aliases separated by ``|``; a header line is
  optional; admin1 and aliases may be empty).
- GeoNames dump: the 19 tab-separated columns of download.geonames.org/export/dump files. Populated
  places, administrative divisions and sites (class S, L, T: bases, airports, crossings, oil fields,
  hills) are kept; streams, roads and undersea features are not.

Adding is idempotent: a place is keyed by its GeoNames id or by (country, name, rounded point), so
adding a file twice, or a corrected file, updates rows instead of duplicating them. A bad line is
reported as ``FILE:LINE: why`` and skipped; the rest of the file goes in, in one transaction.
The raw names are kept, so the spelling keys are recomputed when the key functions change.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from unidecode import unidecode

from .gazetteer import GAZETTEER_VERSION, _latin, distance_km, skeleton, spelling_key

__all__ = ["UserPlace", "AddReport", "read_places", "add_places", "ensure_current", "count_places"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS places (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT, admin1 TEXT,
  lat REAL NOT NULL, lon REAL NOT NULL, population INTEGER DEFAULT 0, feature TEXT NOT NULL,
  geonames_id INTEGER, source TEXT NOT NULL, ext_key TEXT NOT NULL UNIQUE, aliases TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS names (key TEXT NOT NULL, skel TEXT NOT NULL, place_id INTEGER NOT NULL,
  main INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS u_names_key ON names(key);
CREATE INDEX IF NOT EXISTS u_names_skel ON names(skel);
CREATE INDEX IF NOT EXISTS u_names_place ON names(place_id);
CREATE INDEX IF NOT EXISTS u_places_country ON places(country);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
"""
# GeoNames feature classes and codes worth a name lookup in conflict reporting.
_ADMIN = {"ADM1": "admin1", "ADM2": "admin2", "ADM3": "admin2", "ADM4": "admin2", "ADMD": "admin2"}
_SITE_CLASSES = {"S", "L", "T"}


@dataclass(slots=True)
class UserPlace:
    name: str
    lat: float
    lon: float
    country: str
    admin1: str | None = None
    aliases: list[str] = field(default_factory=list)
    feature: str = "user"          # user | city | admin1 | admin2 | site
    population: int = 0
    geonames_id: int | None = None
    source: str = ""

    @property
    def ext_key(self) -> str:
        if self.geonames_id is not None:
            return f"geonames:{self.geonames_id}"
        return f"tsv:{self.country}:{stable_name(self.name)}:{self.lat:.3f}:{self.lon:.3f}"


def stable_name(name: str) -> str:
    """A place's name as identity: independent of the (versioned) spelling-key functions."""
    return " ".join(unidecode(name).casefold().split())


SAME_PLACE_KM = 10.0    # a corrected point for the same name within this distance updates the place


@dataclass
class AddReport:
    added: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


class _BadLine(ValueError):
    pass


def _float(value: str, what: str, lo: float, hi: float) -> float:
    try:
        v = float(value.strip().replace(",", "."))
    except ValueError:
        raise _BadLine(f"{what} {value.strip()!r} is not a number") from None
    if not lo <= v <= hi:
        raise _BadLine(f"{what} {v} is outside [{lo}, {hi}]")
    return v


def _country(value: str) -> str:
    cc = value.strip().upper()
    if len(cc) != 2 or not cc.isalpha():
        raise _BadLine(f"country {value.strip()!r} is not an ISO 3166 alpha-2 code")
    return cc


def _from_tsv(cols: list[str], source: str) -> UserPlace:
    if len(cols) < 4:
        raise _BadLine(f"{len(cols)} columns, expected name, lat, lon, country[, admin1, aliases]")
    name = cols[0].strip()
    if not name:
        raise _BadLine("empty name")
    aliases = [a.strip() for a in (cols[5] if len(cols) > 5 else "").split("|") if a.strip()]
    return UserPlace(name, _float(cols[1], "latitude", -90, 90), _float(cols[2], "longitude", -180, 180),
                     _country(cols[3]), (cols[4].strip() or None) if len(cols) > 4 else None, aliases,
                     source=source)


def _from_geonames(cols: list[str], admin1: dict[tuple[str, str], str], source: str) -> UserPlace | None:
    fclass, fcode = cols[6], cols[7]
    if fclass == "P":
        feature = "city"
    elif fclass == "A" and fcode in _ADMIN:
        feature = _ADMIN[fcode]
    elif fclass in _SITE_CLASSES:
        feature = "site"
    else:
        return None
    try:
        gid = int(cols[0])
        pop = int(cols[14] or 0)
    except ValueError:
        raise _BadLine(f"geonameid {cols[0]!r} or population {cols[14]!r} is not an integer") from None
    aliases = [a for a in cols[3].split(",") if a and a != cols[1]]
    if cols[2] and cols[2] != cols[1]:
        aliases.insert(0, cols[2])
    cc = _country(cols[8])
    return UserPlace(cols[1].strip(), _float(cols[4], "latitude", -90, 90), _float(cols[5], "longitude", -180, 180),
                     cc, admin1.get((cc, cols[10])), aliases, feature, pop, gid, source)


def read_places(path: Path) -> Iterator[tuple[int, UserPlace | None, str | None]]:
    """(line number, place or None, error or None) for each line of a TSV or GeoNames dump."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()   # a BOM (spreadsheet exports) is no name
    except UnicodeDecodeError as exc:
        yield 0, None, f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        return
    except OSError as exc:
        yield 0, None, f"{path}: cannot read ({exc.strerror})"
        return
    rows = [(i, line.split("\t")) for i, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")]
    dump = bool(rows) and len(rows[0][1]) >= 19 and rows[0][1][0].strip().isdigit()
    admin1: dict[tuple[str, str], str] = {}
    if dump:   # the dump's own first-level divisions name the admin1 codes of its places
        for _, cols in rows:
            if len(cols) >= 19 and cols[7] == "ADM1":
                admin1[(cols[8].upper(), cols[10])] = cols[1]
    for n, (lineno, cols) in enumerate(rows):
        if not dump and n == 0 and len(cols) > 1 and cols[1].strip().lower() in ("lat", "latitude"):
            continue     # a header line
        try:
            if dump:
                if len(cols) < 19:
                    raise _BadLine(f"{len(cols)} columns, a GeoNames dump line has 19")
                place = _from_geonames(cols, admin1, str(path))
            else:
                place = _from_tsv(cols, str(path))
            if place is not None and not any(_latin(n) for n in [place.name, *place.aliases]):
                raise _BadLine(f"no name in Latin script to look up ({place.name!r}): add a transliteration as alias")
        except _BadLine as exc:
            yield lineno, None, f"{path}:{lineno}: {exc}"
            continue
        yield lineno, place, None


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    con.executescript(_SCHEMA)
    return con


def _insert_names(con: sqlite3.Connection, pid: int, names: list[str]) -> None:
    seen = set()
    for i, n in enumerate(names):
        if not n or not _latin(n) or len(n) < 2:
            continue
        k = spelling_key(n)
        if len(k) < 2 or k in seen:
            continue
        seen.add(k)
        con.execute("INSERT INTO names VALUES (?,?,?,?)", (k, skeleton(n), pid, int(i == 0)))


def add_places(path: Path, places: list[UserPlace]) -> AddReport:
    """Insert or update ``places`` in the user gazetteer at ``path`` (one transaction)."""
    report = AddReport()
    con = _connect(path)
    con.close()
    ensure_current(path)      # older rows get today's keys before the file is marked current
    con = sqlite3.connect(path)
    try:
        with con:
            for p in places:
                row = con.execute("SELECT id FROM places WHERE ext_key = ?", (p.ext_key,)).fetchone()
                if row is None and p.geonames_id is None:
                    prefix = f"tsv:{p.country}:{stable_name(p.name)}:"
                    near = [(pid, lat, lon) for pid, lat, lon in con.execute(
                        "SELECT id, lat, lon FROM places WHERE substr(ext_key, 1, ?) = ?", (len(prefix), prefix))
                        if distance_km(lat, lon, p.lat, p.lon) <= SAME_PLACE_KM]
                    row = (min(near, key=lambda r: distance_km(r[1], r[2], p.lat, p.lon))[0],) if near else None
                values = (p.name, p.country, p.admin1, p.lat, p.lon, p.population, p.feature, p.geonames_id,
                          p.source, p.ext_key, "|".join(p.aliases))
                if row:
                    pid = row[0]
                    con.execute("UPDATE places SET name=?, country=?, admin1=?, lat=?, lon=?, population=?,"
                                " feature=?, geonames_id=?, source=?, ext_key=?, aliases=? WHERE id=?",
                                (*values, pid))
                    con.execute("DELETE FROM names WHERE place_id = ?", (pid,))
                    report.updated += 1
                else:
                    pid = con.execute("INSERT INTO places (name, country, admin1, lat, lon, population, feature,"
                                      " geonames_id, source, ext_key, aliases) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                                      values).lastrowid
                    report.added += 1
                _insert_names(con, pid, [p.name, *p.aliases])
            con.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (GAZETTEER_VERSION,))
    finally:
        con.close()
    return report


def ensure_current(path: Path) -> None:
    """Recompute the spelling keys when they were made by other key functions."""
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT v FROM meta WHERE k = 'version'").fetchone()
        if row and row[0] == GAZETTEER_VERSION:
            return
        with con:
            con.execute("DELETE FROM names")
            for pid, name, aliases, cc, lat, lon, ext in con.execute(
                    "SELECT id, name, aliases, country, lat, lon, ext_key FROM places").fetchall():
                _insert_names(con, pid, [name, *[a for a in aliases.split("|") if a]])
                if ext.startswith("tsv:"):
                    con.execute("UPDATE OR IGNORE places SET ext_key = ? WHERE id = ?",
                                (f"tsv:{cc}:{stable_name(name)}:{lat:.3f}:{lon:.3f}", pid))
            con.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (GAZETTEER_VERSION,))
    finally:
        con.close()


def count_places(path: Path) -> int:
    if not path.exists():
        return 0
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT COUNT(*) FROM places").fetchone()[0]
    finally:
        con.close()
