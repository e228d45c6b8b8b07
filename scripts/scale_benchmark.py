#!/usr/bin/env python3
"""Extraction throughput, one process vs. all the cores, side by side in one run.

The bundled articles (examples/, the dev set, tests/corpus/incidents, ../shared/corpus) are read
and repeated under new ids up to N articles; the same list is extracted with ``--workers 1`` and
``--workers K`` (sitrep.parallel.extract, as ``sitrep run`` does), in that order, and the events
compared. Prints articles/s, the speed-up and the peak RSS of the processes.

    python scripts/scale_benchmark.py [--articles 2000] [--workers K]
"""
from __future__ import annotations

import argparse
import dataclasses
import resource
import sys
import time
from pathlib import Path

from sitrep.ingest import InputError, read_inputs
from sitrep.parallel import available_cores, extract

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from merge_sources import SOURCES  # noqa: E402


def articles(n: int) -> list:
    base = [a for src in SOURCES for a in read_inputs([str(src)]) if not isinstance(a, InputError)]
    return [dataclasses.replace(base[j % len(base)], article_id=f"{base[j % len(base)].article_id}~{j // len(base)}",
                                furniture=[], warnings=[]) for j in range(n)]


def run(arts: list, workers: int) -> tuple[float, list]:
    t = time.perf_counter()
    out = [(r.article.article_id, [e.event_id for e in r.events]) for r in extract(arts, workers)]
    return time.perf_counter() - t, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=available_cores())
    args = ap.parse_args()
    arts = articles(args.articles)
    t1, one = run(arts, 1)
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tk, many = run(arts, args.workers)
    rss_workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{len(arts)} articles; 1 worker: {t1:.1f} s ({len(arts) / t1:.1f} art/s), peak RSS {rss_self:.0f} MB")
    print(f"{args.workers} workers: {tk:.1f} s ({len(arts) / tk:.1f} art/s, model loading included),"
          f" peak RSS of a worker {rss_workers:.0f} MB")
    print(f"speed-up {t1 / tk:.2f}x; same events in the same order: {one == many}")


if __name__ == "__main__":
    main()
