"""Partitioned results: what ``sitrep run --dask --out DIR`` writes and ``sitrep load`` reads back.

    DIR/manifest.json                    the run: sitrep version, partitions in input order, counts,
                                         the inputs that could not be read
    DIR/events/part-NNNNN-KEY.jsonl      one event a line, exactly as ``sitrep extract --format jsonl``
                                         prints it (stable event ids, claims, evidence, provenance)
    DIR/articles/part-NNNNN-KEY.jsonl    one article a line: id, metadata, clean text (the events'
                                         offsets point into it), removed furniture, the hash of the
                                         article as read, the extractor, and whether it was skipped
                                         or failed (with the reason)

JSON lines, not Parquet: the event records are nested (location, claims with their ``via``
chains, provenance) and must come back exactly, floats and nulls included, to be stored as the
one-process run stores them; JSON does that with the standard library, and pandas
(``read_json(lines=True)``), DuckDB (``read_json('DIR/events/*.jsonl')``) and Dask
(``dask.bag.read_text(...).map(json.loads)``) read the shards as they are.

``KEY`` hashes the partition's article ids and raw hashes and the extractors' names: a run started
again over the same inputs with the same sitrep finds the partitions already written (the articles file is renamed into place last) and
does not extract them again.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from . import __version__
from .model import Article, Claim, Event, Location, Span, content_id
from .pipeline import Result

__all__ = ["MANIFEST", "ShardError", "partition_name", "write_partition", "partition_done",
           "read_partition", "write_manifest", "read_manifest", "check_out_dir", "event_from_dict"]

MANIFEST = "manifest.json"
FORMAT = "sitrep-shards"
VERSION = 1


class ShardError(Exception):
    """A results folder that cannot be used (no manifest, another format, a damaged shard)."""


def partition_name(index: int, articles: list[Article], extractors: tuple[str, ...] = ()) -> str:
    """``part-NNNNN-KEY``: the position in the run and a hash of what the partition holds and of
    the ``extractors`` (a new sitrep or new weights extract it again)."""
    key = content_id(*extractors, *(f"{a.article_id}\x1e{a.input_hash}" for a in articles), size=12)
    return f"part-{index:05d}-{key}"


def _atomic_write(path: Path, lines: Iterator[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        for line in lines:
            fh.write(line)
            fh.write("\n")
    os.replace(tmp, path)


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


def write_partition(out: Path, name: str, results: list[Result], extractor_of) -> None:
    """The events and articles of one partition; the articles file, written last, marks it done."""
    _atomic_write(out / "events" / f"{name}.jsonl", (_dumps(e.to_dict()) for r in results for e in r.events))
    _atomic_write(out / "articles" / f"{name}.jsonl", (_dumps(_article_record(r, extractor_of)) for r in results))


def _article_record(res: Result, extractor_of) -> dict:
    a = res.article
    return {"article_id": a.article_id, "source": a.source, "url": a.url, "title": a.title,
            "published": a.published, "outlet": a.outlet, "language": a.language, "clean": a.clean,
            "furniture": [list(f) for f in a.furniture], "input_hash": a.input_hash,
            "extractor": extractor_of(a.language or "fr"), "events": len(res.events),
            "skipped": res.skipped, "failed": res.failed}


def partition_done(out: Path, name: str) -> bool:
    return (out / "articles" / f"{name}.jsonl").is_file() and (out / "events" / f"{name}.jsonl").is_file()


def _lines(path: Path) -> Iterator[tuple[int, dict]]:
    try:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    yield n, json.loads(line)
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ShardError(f"{path}: unreadable shard ({exc})") from exc


def read_partition(out: Path, name: str) -> Iterator[tuple[Result, str]]:
    """The results of one partition in input order, each with the extractor that made it: articles
    and events rebuilt so that ``Store.save`` stores exactly what the one-process run stores."""
    events: dict[str, list[Event]] = {}
    for _, d in _lines(out / "events" / f"{name}.jsonl"):
        events.setdefault(d["article_id"], []).append(event_from_dict(d))
    for n, r in _lines(out / "articles" / f"{name}.jsonl"):
        art = Article(article_id=r["article_id"], text="", source=r["source"] or "", url=r["url"], title=r["title"],
                      published=r["published"], outlet=r["outlet"], language=r["language"], clean=r["clean"],
                      furniture=[tuple(f) for f in r["furniture"]], input_hash=r["input_hash"])
        evs = events.pop(art.article_id, [])
        if len(evs) != r["events"]:
            raise ShardError(f"{out / 'articles' / (name + '.jsonl')}:{n}: {r['events']} events listed for"
                             f" {art.article_id!r}, {len(evs)} in its events shard")
        yield Result(art, evs, skipped=r["skipped"], failed=r["failed"]), r["extractor"]
    if events:
        raise ShardError(f"{out / 'events' / (name + '.jsonl')}: events of articles the partition does not hold"
                         f" ({', '.join(sorted(events)[:3])})")


def event_from_dict(d: dict) -> Event:
    """An Event from its ``to_dict`` form (``event_from_dict(d).to_dict() == d`` for what this version wrote;
    a location written before ``admin2`` existed comes back with ``admin2`` null)."""
    loc, prov, ev = d["location"], d["provenance"], d["evidence"]
    location = None if loc is None else Location(
        name=loc["name"], country=loc["country"], admin1=loc["admin1"], lat=loc["lat"], lon=loc["lon"],
        geonames_id=loc["geonames_id"], geo_precision=loc["geo_precision"], text=loc["text"],
        rule=prov.get("geo_rule", ""), admin2=loc.get("admin2"))
    claims = [Claim(claimant=c["claimant"], claimant_text=c["claimant_text"], outlet=c["outlet"], hedged=c["hedged"],
                    hedge_text=c["hedge_text"], via=list(c["via"]), role=c["role"], denies=c["denies"])
              for c in d["claims"]]
    return Event(article_id=d["article_id"], event_type=d["event_type"], sub_event_type=d["sub_event_type"],
                 date=d["date"], date_end=d["date_end"], time_precision=d["time_precision"], location=location,
                 actor1=d["actor1"], actor2=d["actor2"], fatalities=d["fatalities"],
                 fatalities_text=d["fatalities_text"], claims=claims,
                 evidence=Span(ev["start"], ev["end"], ev["text"]), fatalities_low=d["fatalities_low"],
                 fatalities_high=d["fatalities_high"], trigger=prov["trigger"], language=d["language"],
                 date_rule=prov["date_rule"], date_text=prov["date_text"], optional=d["aggregate"],
                 extractor=prov["extractor"], event_id=d["event_id"])


def check_out_dir(out: Path) -> None:
    """``out`` may receive shards: missing, empty, or a results folder of an earlier run."""
    if out.exists() and not out.is_dir():
        raise ShardError(f"{out}: not a folder")
    if out.is_dir() and any(out.iterdir()) and not ((out / MANIFEST).exists() or (out / "articles").is_dir()):
        raise ShardError(f"{out}: a folder with other files in it, not a sitrep results folder; give a new"
                         " or empty folder")


def write_manifest(out: Path, manifest: dict) -> None:
    """The run's manifest (written last, whole or not at all); shards of earlier runs into the same
    folder that this run does not list are removed."""
    keep = {p["name"] for p in manifest["partitions"]}
    _atomic_write(out / MANIFEST, [json.dumps({"format": FORMAT, "version": VERSION, "sitrep": __version__,
                                               **manifest}, ensure_ascii=False, indent=1)])
    for sub in ("events", "articles"):
        for p in (out / sub).glob("part-*.jsonl"):
            if p.stem not in keep:
                p.unlink()


def read_manifest(out: Path) -> dict:
    path = out / MANIFEST
    if not path.is_file():
        raise ShardError(f"{out}: no {MANIFEST} (not a results folder of 'sitrep run --dask --out', or its run"
                         " did not finish: run it again, the partitions written are kept)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ShardError(f"{path}: unreadable manifest ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ShardError(f"{path}: not a sitrep results manifest")
    if manifest.get("version", 0) > VERSION:
        raise ShardError(f"{path}: results format version {manifest['version']} is newer than this sitrep knows;"
                         " upgrade sitrep")
    return manifest
