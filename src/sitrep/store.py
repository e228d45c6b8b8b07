"""SQLite store: articles, events and claims, with recorded schema migrations.

Writes are upserts keyed by content-derived ids, one transaction per article: running twice on
the same articles changes nothing; an article whose text (or the extractor) changed has its
events replaced as a whole; a failure leaves what was stored before intact.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import __version__
from .model import Article, Event, content_id

__all__ = ["Store", "MIGRATIONS", "StoreError", "raw_hash"]


class StoreError(Exception):
    """The database cannot be used (not a sitrep database, newer schema, locked…)."""


MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "initial schema", """
CREATE TABLE articles (
  article_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, source TEXT, url TEXT, title TEXT,
  published TEXT, outlet TEXT, language TEXT, clean_text TEXT NOT NULL, furniture TEXT,
  extractor TEXT NOT NULL, processed_at TEXT NOT NULL);
CREATE TABLE events (
  event_id TEXT PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(article_id) ON DELETE CASCADE,
  event_type TEXT NOT NULL, sub_event_type TEXT NOT NULL, date TEXT, date_end TEXT,
  time_precision INTEGER, location_name TEXT, location_text TEXT, country TEXT, admin1 TEXT,
  lat REAL, lon REAL, geonames_id INTEGER, geo_precision INTEGER, actor1 TEXT, actor2 TEXT,
  fatalities INTEGER, fatalities_low INTEGER, fatalities_high INTEGER, fatalities_text TEXT,
  evidence_text TEXT, evidence_start INTEGER, evidence_end INTEGER, aggregate INTEGER NOT NULL DEFAULT 0,
  language TEXT, provenance TEXT, incident_id TEXT);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_country ON events(country);
CREATE TABLE claims (
  event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE, claimant TEXT NOT NULL,
  role TEXT NOT NULL, claimant_text TEXT, outlet TEXT, hedged INTEGER NOT NULL, hedge_text TEXT,
  via TEXT, PRIMARY KEY (event_id, claimant, role));
"""),
    (2, "incidents", """
ALTER TABLE claims ADD COLUMN denies INTEGER NOT NULL DEFAULT 0;
CREATE INDEX events_incident ON events(incident_id);
CREATE TABLE incidents (
  incident_id TEXT PRIMARY KEY, status TEXT NOT NULL, event_type TEXT, sub_event_type TEXT,
  date TEXT, date_end TEXT, time_precision INTEGER, country TEXT, location_name TEXT, lat REAL, lon REAL,
  geo_precision INTEGER, fatalities_low INTEGER, fatalities_best INTEGER, fatalities_high INTEGER,
  n_reports INTEGER NOT NULL, n_outlets INTEGER NOT NULL, n_claimants INTEGER NOT NULL,
  data TEXT NOT NULL, merged_at TEXT NOT NULL);
CREATE INDEX incidents_status ON incidents(status);
CREATE INDEX incidents_date ON incidents(date);
"""),
    (3, "merge neighbourhood indexes, raw input hash", """
CREATE INDEX events_country_date ON events(country, date);
CREATE INDEX events_long_span ON events(country, date) WHERE julianday(date_end) - julianday(date) > 62;
ALTER TABLE articles ADD COLUMN raw_hash TEXT;
"""),
    (4, "merge neighbourhood index covering what it filters on", """
DROP INDEX IF EXISTS events_country_date;
CREATE INDEX events_reach ON events(country, date, date_end, time_precision, geo_precision, lat, lon,
                                    event_type, sub_event_type);
"""),
    (5, "second-level unit of the event place (admin2)", """
ALTER TABLE events ADD COLUMN admin2 TEXT;
"""),
]


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _check_file(path: Path, readonly: bool) -> None:
    """Refuse what is not a SQLite file before SQLite is asked to open (and maybe format) it."""
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file")
    if not path.exists():
        if readonly:
            raise StoreError(f"{path}: no such database")
        if not path.resolve().parent.is_dir():
            raise StoreError(f"{path}: no such folder {path.parent}")
        return
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if not head:
        if readonly:
            raise StoreError(f"{path}: empty file, not a sitrep database")
        return                       # an empty file (touch, mktemp) becomes a new database
    if head != _SQLITE_MAGIC:
        raise StoreError(f"{path}: not a SQLite database (sitrep will not write over another file)")


def _check_sitrep(con: sqlite3.Connection, path: Path) -> None:
    tables = sorted(r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
    if tables and "schema_migrations" not in tables:
        shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        raise StoreError(f"{path}: a SQLite database of another application (tables: {shown});"
                         " sitrep will not use it")


def _writable(path: Path) -> bool:
    """Can SQLite write the file and its journal (-wal/-shm) beside it?"""
    folder = path.resolve().parent
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _connect_ro(path: Path) -> sqlite3.Connection:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    con = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return con
    except sqlite3.OperationalError:     # a WAL database whose -shm cannot be created: read-only media
        con.close()
    con = sqlite3.connect(uri + "&immutable=1", uri=True)
    con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    return con


class Store:
    """A sitrep SQLite database. Use as a context manager or call ``close``."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        """Open (or, unless ``readonly``, create) the database at ``path``. Refused with a
        StoreError: a file that is not SQLite, another application's SQLite database, a schema
        newer than this sitrep. ``readonly`` opens it with SQLite's ``mode=ro`` (and, when even
        that needs a write the medium refuses, ``immutable=1``): nothing is written, so a
        database on read-only media or someone else's copy can be read."""
        self.path = Path(path)
        self.readonly = readonly
        _check_file(self.path, readonly)
        try:
            if readonly:
                self.con = _connect_ro(self.path)
            else:
                self.con = sqlite3.connect(self.path, timeout=30)
            self.con.execute("PRAGMA foreign_keys = ON")
            _check_sitrep(self.con, self.path)
            if readonly:
                self._check_schema()
            else:
                self.con.execute("PRAGMA journal_mode = WAL")
                self._migrate()
        except sqlite3.DatabaseError as exc:
            if getattr(self, "con", None) is not None:
                self.con.close()
            if not readonly and not _writable(self.path):
                raise StoreError(f"{self.path}: read-only ({exc}); reading commands (events, incidents,"
                                 " export) still work") from exc
            raise StoreError(f"{self.path}: not a usable sitrep database ({exc})") from exc
        except StoreError:
            if getattr(self, "con", None) is not None:
                self.con.close()
            raise

    def _check_schema(self) -> None:
        done = {r[0] for r in self.con.execute("SELECT version FROM schema_migrations")}
        known = {v for v, _, _ in MIGRATIONS}
        if done - known:
            raise StoreError(f"{self.path}: schema version {max(done)} is newer than this sitrep "
                             f"({__version__}) knows; upgrade sitrep")
        if known - done:
            raise StoreError(f"{self.path}: schema version {max(done, default=0)} is older than this sitrep's;"
                             f" upgrade it with 'sitrep merge {self.path}' (needs write access)")

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # -- schema ------------------------------------------------------------------------------
    def _migrate(self) -> None:
        con = self.con
        con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                    " name TEXT NOT NULL, applied_at TEXT NOT NULL, sitrep_version TEXT NOT NULL)")
        done = {r[0] for r in con.execute("SELECT version FROM schema_migrations")}
        known = {v for v, _, _ in MIGRATIONS}
        if done - known:
            raise StoreError(f"{self.path}: schema version {max(done)} is newer than this sitrep "
                             f"({__version__}) knows; upgrade sitrep")
        for version, name, sql in MIGRATIONS:
            if version in done:
                continue
            with con:
                con.executescript("BEGIN;" + sql + ";"
                                  f"INSERT INTO schema_migrations VALUES ({version}, '{name}',"
                                  f" '{_now()}', '{__version__}'); COMMIT;")

    def schema_version(self) -> int:
        return self.con.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] or 0

    # -- writes --------------------------------------------------------------------------------
    def source_of(self, article_id: str) -> str | None:
        """Where the stored article ``article_id`` was read from (None when not stored)."""
        row = self.con.execute("SELECT source FROM articles WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def is_current(self, article: Article, extractor: str) -> bool:
        row = self.con.execute("SELECT content_hash, extractor FROM articles WHERE article_id = ?",
                               (article.article_id,)).fetchone()
        return row is not None and row[0] == article.content_hash and row[1] == extractor

    def unchanged_input(self, article: Article, extractor_of) -> bool:
        """Is ``article``, as read and before any extraction, the one stored (same raw text and
        metadata, hashed) and extracted by the current extractor (``extractor_of(language)``)? A
        re-run over a large folder then costs a hash per file, not an extraction."""
        row = self.con.execute("SELECT raw_hash, extractor, language FROM articles WHERE article_id = ?",
                               (article.article_id,)).fetchone()
        return row is not None and row[0] == raw_hash(article) and row[1] == extractor_of(row[2] or "fr")

    def save(self, article: Article, events: list[Event], extractor: str) -> str:
        """Store one article and its events; returns "unchanged", "added" or "replaced"."""
        if self.is_current(article, extractor):
            if self.con.execute("SELECT raw_hash IS NULL FROM articles WHERE article_id = ?",
                                (article.article_id,)).fetchone()[0]:
                with self.con:         # stored before raw hashes were kept: the next run skips it
                    self.con.execute("UPDATE articles SET raw_hash = ? WHERE article_id = ?",
                                     (raw_hash(article), article.article_id))
            return "unchanged"
        con = self.con
        existed = con.execute("SELECT 1 FROM articles WHERE article_id = ?", (article.article_id,)).fetchone()
        with con:
            # the incidents this article's old events belonged to are merged again by the next merge
            stale = [r[0] for r in con.execute(
                "SELECT DISTINCT incident_id FROM events WHERE article_id = ? AND incident_id IS NOT NULL",
                (article.article_id,))]
            for iid in stale:
                con.execute("UPDATE events SET incident_id = NULL WHERE incident_id = ?", (iid,))
                con.execute("DELETE FROM incidents WHERE incident_id = ?", (iid,))
            con.execute("DELETE FROM events WHERE article_id = ?", (article.article_id,))
            con.execute(
                "INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (article.article_id, article.content_hash, article.source, article.url, article.title,
                 article.published, article.outlet, article.language, article.clean,
                 json.dumps(article.furniture), extractor, _now(), raw_hash(article)))
            for e in events:
                loc = e.location
                con.execute(
                    "INSERT OR REPLACE INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (e.event_id, e.article_id, e.event_type, e.sub_event_type, e.date, e.date_end,
                     e.time_precision, loc.name if loc else None, loc.text if loc else None,
                     loc.country if loc else None, loc.admin1 if loc else None,
                     loc.lat if loc else None, loc.lon if loc else None,
                     loc.geonames_id if loc else None, loc.geo_precision if loc else None,
                     e.actor1, e.actor2, e.fatalities, e.fatalities_low, e.fatalities_high,
                     e.fatalities_text, e.evidence.text, e.evidence.start, e.evidence.end,
                     int(e.optional), e.language,
                     json.dumps(e.to_dict()["provenance"], ensure_ascii=False), None,
                     loc.admin2 if loc else None))
                for c in e.claims:
                    con.execute("INSERT OR REPLACE INTO claims (event_id, claimant, role, claimant_text, outlet,"
                                " hedged, hedge_text, via, denies) VALUES (?,?,?,?,?,?,?,?,?)",
                                (e.event_id, c.claimant, c.role, c.claimant_text, c.outlet,
                                 int(c.hedged), c.hedge_text, json.dumps(c.via, ensure_ascii=False),
                                 int(c.denies)))
        return "replaced" if existed else "added"

    # -- reads ---------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("articles", "events", "claims", "incidents")}

    def incidents(self, status: str | None = None, country: str | None = None) -> Iterator[dict[str, Any]]:
        """Merged incidents (``sitrep merge``) as dicts, by date."""
        return _incident_rows(self.con, status, country)

    def events(self, event_type: str | None = None, since: str | None = None, until: str | None = None,
               country: str | None = None, article_id: str | None = None,
               incident_id: str | None = None, event_ids: list[str] | None = None) -> Iterator[dict[str, Any]]:
        """Stored events as dicts shaped like ``Event.to_dict`` (plus ``incident_id``)."""
        ids = list(event_ids) if event_ids is not None else None
        where, args = _where([
            ("(e.event_type = ? OR e.sub_event_type = ?)", (event_type, event_type) if event_type else None),
            ("COALESCE(e.date_end, e.date) >= ?", (since,) if since else None),
            ("e.date <= ?", (until,) if until else None),
            ("UPPER(e.country) = UPPER(?)", (country,) if country else None),
            ("e.article_id = ?", (article_id,) if article_id else None),
            ("e.incident_id = ?", (incident_id,) if incident_id else None),
            (f"e.event_id IN ({','.join('?' * len(ids or [])) or 'NULL'})", tuple(ids) if ids is not None else None),
        ])
        return self.events_where(where[len(" WHERE "):] if where else "1", args)

    def events_where(self, where: str, args: tuple | list = ()) -> Iterator[dict[str, Any]]:
        """Stored events matching an SQL condition over ``events e`` (as ``events`` returns them)."""
        sql = ("SELECT e.*, a.outlet AS article_outlet, a.published AS article_published"
               " FROM events e JOIN articles a USING (article_id) WHERE " + where
               + " ORDER BY e.date, e.article_id, e.evidence_start, e.event_id")
        cur = self.con.execute(sql, list(args))
        cols = [d[0] for d in cur.description]
        while True:
            rows = [dict(zip(cols, row)) for row in cur.fetchmany(500)]
            if not rows:
                return
            found = self.claims_of([r["event_id"] for r in rows])
            for r in rows:
                yield _event_dict(r, found.get(r["event_id"], []))

    def report_rows(self, where: str, args: tuple | list = ()) -> Iterator[tuple]:
        """What the merge compares of each event matching an SQL condition over ``events e``, without
        claims (``claims_of``), in the field order of ``incident_summary.Report`` (outlet and
        published from the article; no place fields without a place name, as ``events`` gives them),
        then the event's incident."""
        return self.con.execute(
            "SELECT e.event_id, e.article_id, a.outlet, a.published, e.event_type, e.sub_event_type, e.date,"
            " e.date_end, e.time_precision, e.country, e.location_name, e.lat, e.lon, e.geo_precision,"
            " e.actor1, e.actor2, e.fatalities, e.fatalities_low, e.fatalities_high, e.aggregate,"
            " e.evidence_text, e.incident_id FROM events e JOIN articles a USING (article_id) WHERE " + where, list(args))

    def claims_of(self, event_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """The claims of the given events (as ``events`` gives them: by role, descending, then
        claimant), by event id; read 500 events at a time."""
        out: dict[str, list[dict[str, Any]]] = {}
        for k in range(0, len(event_ids), 500):
            chunk = event_ids[k:k + 500]
            for eid, *c in self.con.execute(
                    "SELECT event_id, claimant, role, claimant_text, outlet, hedged, hedge_text, via, denies FROM claims"
                    f" WHERE event_id IN ({','.join('?' * len(chunk))}) ORDER BY event_id, role DESC, claimant", chunk):
                out.setdefault(eid, []).append(
                    {"claimant": c[0], "role": c[1], "claimant_text": c[2], "outlet": c[3], "hedged": bool(c[4]),
                     "hedge_text": c[5], "via": json.loads(c[6] or "[]"), "denies": bool(c[7])})
        return out


def _where(conditions: list[tuple[str, tuple | None]]) -> tuple[str, list]:
    """" WHERE …" from the conditions whose values are given (None: left out), and its args."""
    used = [(sql, vals) for sql, vals in conditions if vals is not None]
    return (" WHERE " + " AND ".join(sql for sql, _ in used) if used else "",
            [v for _, vals in used for v in vals])


def _incident_rows(con, status: str | None, country: str | None) -> Iterator[dict[str, Any]]:
    where, args = _where([("status = ?", (status,) if status else None),
                          ("UPPER(country) = UPPER(?)", (country,) if country else None)])
    for (data,) in con.execute("SELECT data FROM incidents" + where + " ORDER BY date, incident_id", args):
        yield json.loads(data)


def _event_dict(r: dict[str, Any], claims: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "event_id": r["event_id"], "article_id": r["article_id"], "event_type": r["event_type"],
        "sub_event_type": r["sub_event_type"], "date": r["date"], "date_end": r["date_end"],
        "time_precision": r["time_precision"],
        "location": None if r["location_name"] is None else {
            "name": r["location_name"], "country": r["country"], "admin1": r["admin1"],
            "admin2": r.get("admin2"), "lat": r["lat"],
            "lon": r["lon"], "geonames_id": r["geonames_id"], "geo_precision": r["geo_precision"],
            "text": r["location_text"]},
        "actor1": r["actor1"], "actor2": r["actor2"], "fatalities": r["fatalities"],
        "fatalities_text": r["fatalities_text"], "fatalities_low": r["fatalities_low"],
        "fatalities_high": r["fatalities_high"], "claims": claims,
        "evidence": {"text": r["evidence_text"], "start": r["evidence_start"], "end": r["evidence_end"]},
        "aggregate": bool(r["aggregate"]), "language": r["language"],
        "provenance": json.loads(r["provenance"] or "{}"), "incident_id": r["incident_id"],
        "outlet": r.get("article_outlet"), "published": r.get("article_published"),
    }


def raw_hash(article: Article) -> str:
    """The article as read, before cleaning: its raw text and the metadata extraction uses (the
    hash taken when it was read, ``input_hash``, once the pipeline has filled language and outlet)."""
    if article.input_hash:
        return article.input_hash
    return content_id(article.text, article.published or "", article.outlet or "", article.title or "",
                      article.url or "", article.language or "", size=40)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

