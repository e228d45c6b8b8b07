#!/usr/bin/env python3
"""Time the cross-article merge at scale: full merges of 1k/5k/20k-article databases and the
incremental merge of 500 new articles into each.

The databases are generated, not extracted (extracting 20,000 articles takes an hour on one core):
the bundled sources (examples/, the dev set, tests/corpus/incidents and ../shared/corpus, ~200
articles, extracted once by scripts/merge_sources.py and cached) are replicated into real SQLite
stores through ``Store.save``. Two generators:

- ``spread``: copy k of an article has its places moved on a 5x5 grid of 0.3-degree steps (about
  33 km; town and "near" reports of neighbouring copies stay apart, province reports may meet) and,
  every ``--block`` copies (25), its dates moved a year on; density per country and month stays
  bounded as the database grows. With the default 25 a 2,000-article store holds 10 copies of each
  article in its one year and a 20,000-article store 25 in each of four: 2.5 times denser per month.
  ``--block 5`` gives every size the same density (5 copies a year) and the same shape in time (the
  new articles' year has stored years before it): 2 years at 2,000 articles, 20 at 20,000 — a
  store that grew by more days, which is how a war's database grows.
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
                                  [--draw random,recent] [--block 25] [--repeat 3] [--reference N]
                                  [--cache /tmp/sitrep-merge-sources.pickle]

The sentence vectors of the sources are encoded before anything is timed (``warm_sentences``).
The incremental merges run after every store is built, ``--repeat`` rounds in which the sizes and
draws take turns, each on a fresh copy of its merged store; printed per size and draw: the ranges of
the wall-clock (``incr_s``) and processor time (``cpu_s``: on a machine shared with other jobs the
two part), the processor time's median and its ratio to the first size's (same draw), and the
reports clustered. ``peak_rss_MB`` is the process's peak resident memory so far (the sizes are
built in order, so it only grows). To compare with another version of sitrep, run this script with ``PYTHONPATH`` set to that
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
import statistics
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


def copy(article, events, k: int, mode: str, tag: str = "c", block: int = GRID * GRID):
    """Copy ``k`` of one extracted article, as the generator ``mode`` moves it (``spread``: ``block``
    copies share their dates, the next ``block`` are a year later)."""
    if mode == "spread":
        dlat, dlon, years = (k % GRID) * STEP_DEG, (k // GRID % GRID) * STEP_DEG, k // block
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


def build(path: Path, src: list, n: int, mode: str, block: int = GRID * GRID) -> Store:
    store = Store(path)
    for j in range(n):
        art, evs = src[j % len(src)]
        store.save(*copy(art, evs, j // len(src), mode, block=block), EXTRACTOR)
    return store


def add_new(store: Store, src: list, n_base: int, n_new: int, mode: str, seed: int = 14,
            draw: str = "random", block: int = GRID * GRID) -> None:
    """Store ``n_new`` copies of stored positions under new article ids: of any stored copy
    (``random``) or of the copies of the store's latest block of dates (``recent``)."""
    rng = random.Random(seed)
    copies = max(1, n_base // len(src))
    first, last = 0, copies
    if draw == "recent":
        if mode != "spread":
            block = DUP_BLOCK                                       # copies sharing their dates
        if copies >= block:         # the last block filled (a later one, partly filled, is sparser)
            last = copies // block * block
            first = last - block
    for j in range(n_new):
        i = rng.randrange(len(src))
        art, evs = src[i]
        k = first + rng.randrange(last - first)
        a, e = copy(art, evs, k, mode, tag=f"new{j}-", block=block)
        store.save(a, e, EXTRACTOR)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,5000,20000")
    ap.add_argument("--mode", choices=["spread", "dup"], default="spread")
    ap.add_argument("--new", type=int, default=500)
    ap.add_argument("--draw", default="random,recent",
                    help="which stored positions the new articles copy: random, recent or both (comma)")
    ap.add_argument("--block", type=int, default=GRID * GRID,
                    help="spread: copies that share their dates (default 25: one per grid place; 10 holds the "
                         "density per country and month of a 2,000-article store at every size)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds of incremental merges (medians printed)")
    ap.add_argument("--reference", type=int, default=0)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "sitrep-merge-sources.pickle")
    ap.add_argument("--keep", type=Path, help="keep the databases in this folder")
    args = ap.parse_args()
    src = sources(args.cache)
    print(f"sources: {len(src)} articles, {sum(len(e) for _, e in src)} events; mode {args.mode}"
          + (f", {args.block} copies per year" if args.mode == "spread" else ""))
    warm_sentences(src)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="sitrep-merge-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    import sitrep.incidents
    print(f"sitrep from {Path(sitrep.incidents.__file__).parents[1]}")
    draws = args.draw.split(",")
    if not set(draws) <= {"random", "recent"}:
        ap.error(f"--draw: random, recent or both, not {args.draw}")
    sizes = [int(s) for s in args.sizes.split(",")]
    print("articles  reports  store_s  full_s  incidents  biggest  full_again_s  peak_rss_MB")
    for n in sizes:
        path = folder / f"{args.mode}-{n}.db"
        path.unlink(missing_ok=True)
        t = time.perf_counter()
        store = build(path, src, n, args.mode, block=args.block)
        t_store = time.perf_counter() - t
        reports = store.counts()["events"]
        t = time.perf_counter()
        full = merge(store, full=True)
        t_full = time.perf_counter() - t
        biggest = store.con.execute("SELECT MAX(n_reports) FROM incidents").fetchone()[0]
        t = time.perf_counter()
        merge(store, full=True)
        t_again = time.perf_counter() - t
        print(f"{n:8d} {reports:8d} {t_store:8.1f} {t_full:7.1f} {full['incidents']:10d} {biggest:8d}"
              f" {t_again:13.1f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024:12d}", flush=True)
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
    # the incremental merges, each on a fresh copy of a merged store, the sizes and draws taking
    # turns round after round (so the machine's load falls on all of them alike)
    wall: dict[tuple, list[float]] = {}
    cpu: dict[tuple, list[float]] = {}
    clustered: dict[tuple, int] = {}
    work = folder / f"{args.mode}-work.db"
    for _ in range(args.repeat):
        for n in sizes:
            for draw in draws:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{work}{suffix}").unlink(missing_ok=True)
                shutil.copyfile(folder / f"{args.mode}-{n}.db", work)
                store = Store(work)
                add_new(store, src, n, args.new, args.mode, draw=draw, block=args.block)
                t, c = time.perf_counter(), time.process_time()
                inc = merge(store)
                wall.setdefault((n, draw), []).append(time.perf_counter() - t)
                cpu.setdefault((n, draw), []).append(time.process_time() - c)
                clustered[(n, draw)] = inc["reports"]
                store.close()
    print(f"incremental merge of {args.new} new articles, {args.repeat} rounds: wall-clock range, processor time"
          f" range and median; the median's ratio to the first size's, same draw")
    print("articles  draw    incr_s(+new)   cpu_s          cpu_median  ratio  incr_reports")
    for n in sizes:
        for draw in draws:
            w, c = wall[(n, draw)], cpu[(n, draw)]
            base = statistics.median(cpu[(sizes[0], draw)])
            print(f"{n:8d}  {draw:6s} {min(w):5.2f}-{max(w):5.2f}    {min(c):5.2f}-{max(c):5.2f}    {statistics.median(c):8.2f}"
                  f"  {statistics.median(c) / base:5.2f}x {clustered[(n, draw)]:13d}", flush=True)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)

if __name__ == "__main__":
    main()
