#!/usr/bin/env python3
"""Time the cross-article merge at scale: full merges of 1k/5k/20k-article databases and the
incremental merge of 500 new articles into each.

The databases are generated, not extracted (extracting 20,000 articles takes an hour on one core):
the bundled sources (examples/, the dev set, tests/corpus/incidents and ../shared/corpus, ~200
articles, extracted once by scripts/merge_sources.py and cached) are replicated into real SQLite
stores through ``Store.save``. Two generators:

- ``spread``: copy k of an article has its places moved on a 5x5 grid of 0.3-degree steps (about
  33 km; town and "near" reports of neighbouring copies stay apart, province reports may meet) and,
  every 25 copies, its dates moved a year on; density per country and month stays bounded as the
  database grows.
- ``dup``: the same incidents duplicated: copies k and k' of one article within a block of 10 tell the
  same incident (same places, same days, other article ids), so incidents of up to 10 articles form.

The 500 new articles of the incremental merge are further copies of stored (article, copy)
positions under new article ids: each new report joins (or may join) an incident already stored,
the expensive case for an incremental merge. Two draws (``--draw``, both by default, each on its
own copy of the merged store):

- ``random``: positions drawn from the whole store. As the store grows the new articles spread
  over more year blocks (``spread``: 4 at 20,000 articles, 1 at 2,000-5,000) and so reach more
  distinct stored incidents than 500 articles of one stretch of time would.
- ``recent``: what a daily feed brings: positions drawn from the store's latest stretch only (the
  copies of its last filled block of dates: 25 copies, ``spread``; 10, ``dup``), so the new
  articles meet the store's own density per country and month there, whatever its size. (At 2,000 articles
  the two draws are the same; ``spread`` stores are denser per month from 5,000 articles on, where
  a block holds all 25 copies, than at 2,000, where it holds 10.)

    python scripts/merge_scale.py [--sizes 1000,5000,20000] [--mode spread|dup] [--new 500]
                                  [--draw random,recent] [--reference N]
                                  [--cache /tmp/sitrep-merge-sources.pickle]

The sentence vectors of the sources are encoded before anything is timed (``warm_sentences``).
``cpu_s`` is the processor time of the incremental merge (``incr_s`` is wall-clock: on a machine
shared with other jobs the two part). ``peak_rss_MB`` is the process's peak resident memory so far
(the sizes run in order, so it only grows). To compare with another version of sitrep, run this script with ``PYTHONPATH`` set to that
version's ``src`` (the first line printed says which sitrep ran).

``--reference N`` also times the all-pairs clustering that the merge used before blocking
(tests/merge_reference.py) on the reports of the N-article database (slow beyond a few thousand).
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import pickle
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

from sitrep.events import EXTRACTOR  # noqa: E402
from sitrep.incidents import Report, cluster, merge  # noqa: E402
from sitrep.store import Store  # noqa: E402

GRID = 5             # spread: copies on a GRID x GRID grid of places
STEP_DEG = 0.3       # ~33 km between neighbouring copies
DUP_BLOCK = 10       # dup: copies in a block of 10 tell the same incidents


def sources(cache: Path) -> list:
    if not cache.exists():
        import merge_sources
        cache.write_bytes(pickle.dumps(merge_sources.extract()))
    from sitrep.model import Article
    names = [f.name for f in dataclasses.fields(Article)]
    # rebuilt through the constructor: a cache written by an older sitrep lacks newer fields
    return [(Article(**{n: getattr(a, n) for n in names if hasattr(a, n)}), evs)
            for _, a, evs in pickle.loads(cache.read_bytes())]


def warm_sentences(src: list) -> int:
    """Encode the evidence sentences of the sources once, before anything is timed. The merge
    encodes a sentence when a near-tie first asks for it and keeps its vector for the process;
    copies share their source's sentences, so without this the first merge to meet a sentence
    pays for every later one (the first incremental merge, 500 new into 2,000, encoded 42
    sentences, ~0.15 s, that the 5,000 and 20,000 ones then found done)."""
    import sitrep.incidents as si
    if not hasattr(si, "_Similarity"):
        return 0
    reports = {r.event_id: r for r in (Report.from_event({**ev.to_dict(), "outlet": art.outlet})
                                       for art, evs in src for ev in evs)}
    si._Similarity(reports).prefetch(list(reports))
    return len(reports)


def _years(iso: str | None, n: int) -> str | None:
    if not iso or n == 0:
        return iso
    out = f"{int(iso[:4]) + n:04d}{iso[4:]}"
    return out.replace("-02-29", "-02-28")


def copy(article, events, k: int, mode: str, tag: str = "c"):
    """Copy ``k`` of one extracted article, as the generator ``mode`` moves it."""
    if mode == "spread":
        dlat, dlon, years = (k % GRID) * STEP_DEG, (k // GRID % GRID) * STEP_DEG, k // (GRID * GRID)
    else:
        dlat = dlon = 0.0
        years = k // DUP_BLOCK
    aid = f"{article.article_id}~{tag}{k}"
    art = dataclasses.replace(article, article_id=aid, clean=f"{article.clean}\n[{aid}]",
                              published=_years(article.published, years), furniture=list(article.furniture),
                              warnings=[])
    out = []
    for e in events:
        loc = e.location
        if loc is not None and loc.lat is not None:
            loc = dataclasses.replace(loc, lat=loc.lat + dlat, lon=loc.lon + dlon)
        ev = dataclasses.replace(e, article_id=aid, location=loc, date=_years(e.date, years),
                                 date_end=_years(e.date_end, years), claims=list(e.claims),
                                 event_id=hashlib.sha1(f"{e.event_id}|{aid}".encode()).hexdigest()[:16])
        out.append(ev)
    return art, out


def build(path: Path, src: list, n: int, mode: str) -> Store:
    store = Store(path)
    for j in range(n):
        art, evs = src[j % len(src)]
        store.save(*copy(art, evs, j // len(src), mode), EXTRACTOR)
    return store


def add_new(store: Store, src: list, n_base: int, n_new: int, mode: str, seed: int = 14,
            draw: str = "random") -> None:
    """Store ``n_new`` copies of stored positions under new article ids: of any stored copy
    (``random``) or of the copies of the store's latest block of dates (``recent``)."""
    rng = random.Random(seed)
    copies = max(1, n_base // len(src))
    first, last = 0, copies
    if draw == "recent":
        block = GRID * GRID if mode == "spread" else DUP_BLOCK      # copies sharing their dates
        if copies >= block:         # the last block filled (a later one, partly filled, is sparser)
            last = copies // block * block
            first = last - block
    for j in range(n_new):
        i = rng.randrange(len(src))
        art, evs = src[i]
        k = first + rng.randrange(last - first)
        a, e = copy(art, evs, k, mode, tag=f"new{j}-")
        store.save(a, e, EXTRACTOR)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,5000,20000")
    ap.add_argument("--mode", choices=["spread", "dup"], default="spread")
    ap.add_argument("--new", type=int, default=500)
    ap.add_argument("--draw", default="random,recent",
                    help="which stored positions the new articles copy: random, recent or both (comma)")
    ap.add_argument("--reference", type=int, default=0)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "sitrep-merge-sources.pickle")
    ap.add_argument("--keep", type=Path, help="keep the databases in this folder")
    args = ap.parse_args()
    src = sources(args.cache)
    print(f"sources: {len(src)} articles, {sum(len(e) for _, e in src)} events; mode {args.mode}")
    warm_sentences(src)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="sitrep-merge-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    import sitrep.incidents
    print(f"sitrep from {Path(sitrep.incidents.__file__).parents[1]}")
    draws = args.draw.split(",")
    if not set(draws) <= {"random", "recent"}:
        ap.error(f"--draw: random, recent or both, not {args.draw}")
    print("articles  reports  store_s  full_s  incidents  biggest  full_again_s  draw    incr_s(+new)  cpu_s  incr_reports"
          "  peak_rss_MB")
    for n in [int(s) for s in args.sizes.split(",")]:
        path = folder / f"{args.mode}-{n}.db"
        path.unlink(missing_ok=True)
        t = time.perf_counter()
        store = build(path, src, n, args.mode)
        t_store = time.perf_counter() - t
        reports = store.counts()["events"]
        t = time.perf_counter()
        full = merge(store, full=True)
        t_full = time.perf_counter() - t
        biggest = store.con.execute("SELECT MAX(n_reports) FROM incidents").fetchone()[0]
        t = time.perf_counter()
        merge(store, full=True)
        t_again = time.perf_counter() - t
        store.close()
        merged = path.with_name(path.stem + "-merged.db")
        shutil.copyfile(path, merged)          # each draw starts from the merged store as it is
        for k, draw in enumerate(draws):
            shutil.copyfile(merged, path)
            store = Store(path)
            add_new(store, src, n, args.new, args.mode, draw=draw)
            t, c = time.perf_counter(), time.process_time()
            inc = merge(store)
            t_inc, c_inc = time.perf_counter() - t, time.process_time() - c
            print(f"{n:8d} {reports:8d} {t_store:8.1f} {t_full:7.1f} {full['incidents']:10d} {biggest:8d}"
                  f" {t_again:13.1f}  {draw:6s} {t_inc:13.2f} {c_inc:7.2f} {inc['reports']:13d}"
                  f" {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024:12d}", flush=True)
            if k < len(draws) - 1:
                store.close()
        merged.unlink()
        if args.reference and n <= args.reference:
            rs = [Report.from_event(e) for e in store.events()]
            import merge_reference
            t = time.perf_counter()
            old = merge_reference.cluster(rs)
            t_old = time.perf_counter() - t
            t = time.perf_counter()
            new = cluster(rs)
            t_new = time.perf_counter() - t
            print(f"    reference all-pairs clustering of {len(rs)} reports: {t_old:.1f} s, blocked: {t_new:.1f} s,"
                  f" same incidents: {old == new}", flush=True)
        store.close()


if __name__ == "__main__":
    main()
