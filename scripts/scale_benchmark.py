#!/usr/bin/env python3
"""Extraction throughput, one process vs. all the cores, side by side in one run.

The bundled articles (examples/, the dev set, tests/corpus/incidents, ../shared/corpus) are read
and repeated under new ids up to N articles; the same list is extracted with ``--workers 1`` and
``--workers K`` (sitrep.parallel.extract, as ``sitrep run`` does), in that order, and the events
compared. Prints articles/s, the speed-up and the peak RSS of the processes.

With ``--dask`` the same list goes through a Dask ``LocalCluster`` (worker processes, one thread
each) of 1 worker, then of K, as ``sitrep run --dask --out DIR`` runs it (partitions, the models
loaded once per worker by the worker plugin, shards written into a temporary folder), and the
events read back from the shards are compared. Prints for each the time with the cluster's start
and the model loading, the extraction alone, and the peak RSS of each worker.

    python scripts/scale_benchmark.py [--articles 2000] [--workers K] [--dask [--dask-workers 1,2]] [--partition-size 64]
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


def run_dask(arts: list, workers: int, partition_size: int) -> tuple[float, float, list, list]:
    """(seconds in all, seconds extracting, [(article id, event ids)], peak RSS MB of each worker)."""
    import tempfile

    from distributed import Client, LocalCluster

    from sitrep.daskrun import Models, run_partitions
    from sitrep.nlp import MODELS
    from sitrep.shards import read_partition
    from sitrep.store import raw_hash
    for a in arts:
        a.input_hash = raw_hash(a)
    langs = tuple(MODELS)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
                Client(cluster) as client:
            client.register_plugin(Models(langs))            # every worker loads the models
            t1 = time.perf_counter()
            names = [name for name, _, error in run_partitions(client, arts, Path(tmp), langs, partition_size)
                     if error is None]
            t2 = time.perf_counter()
            rss = sorted(client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024).values())
        out = [(r.article.article_id, [e.event_id for e in r.events])
               for name in names for r, _ in read_partition(Path(tmp), name)]
    return t2 - t0, t2 - t1, out, rss


def main_dask(arts: list, counts: list[int], partition_size: int) -> None:
    results = {}
    for k in counts:
        results[k] = run_dask(arts, k, partition_size)
    n = len(arts)
    for k, (total, extracting, _, rss) in results.items():
        print(f"Dask LocalCluster, {k} worker{'s' if k > 1 else ''}: {total:.1f} s in all ({n / total:.1f} art/s),"
              f" extraction {extracting:.1f} s ({n / extracting:.1f} art/s); peak RSS per worker"
              f" {', '.join(f'{m:.0f}' for m in rss)} MB")
    if len(counts) < 2:
        return
    one, many = results[counts[0]], results[counts[-1]]
    print(f"speed-up {one[0] / many[0]:.2f}x in all, {one[1] / many[1]:.2f}x extraction;"
          f" same events in the same order: {one[2] == many[2]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=available_cores())
    ap.add_argument("--dask", action="store_true", help="Dask LocalCluster, 1 worker vs --workers")
    ap.add_argument("--dask-workers", help="with --dask: the cluster sizes to run, e.g. 2 (default: 1,K)")
    ap.add_argument("--partition-size", type=int, default=64)
    args = ap.parse_args()
    arts = articles(args.articles)
    if args.dask:
        counts = [int(k) for k in args.dask_workers.split(",")] if args.dask_workers else [1, max(2, args.workers)]
        main_dask(arts, counts, args.partition_size)
        return
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
