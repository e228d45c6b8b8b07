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

With ``--rss 2000,20000`` the articles (their texts varied: each gets a closing line of made-up
words of its own, so that the vocabulary grows as a real corpus's does) are written as JSONL files
of 500 records, and ``sitrep run FILES --dask ADDRESS --out DIR`` (the command itself, in a
process of its own: the client lists the files, the workers read them) is run on a LocalCluster of
``--workers`` processes, once per count, each on a new cluster. The workers' resident memory is
read from /proc every 2 s (the client's too); printed: the time, the peak RSS of each worker, and
its RSS as the run passes each tenth of the articles
(``--rss-step``: every so many).

    python scripts/scale_benchmark.py [--articles 2000] [--workers K] [--dask [--dask-workers 1,2]] [--partition-size 64]
    python scripts/scale_benchmark.py --rss 2000,20000 [--workers 2]
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

    from distributed import Client

    from sitrep.daskrun import Models, local_cluster, run_partitions
    from sitrep.nlp import MODELS
    from sitrep.shards import read_partition
    from sitrep.store import raw_hash
    for a in arts:
        a.input_hash = raw_hash(a)
    langs = tuple(MODELS)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with local_cluster(workers, dashboard_address=":0") as cluster, \
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


_SYLLABLES = ("ka", "lo", "mer", "di", "sa", "vu", "ren", "to", "bi", "zo", "qa", "nel", "ru", "fi", "ham", "te")


def _made_up(j: int, salt: str) -> str:
    """A word of its own for article ``j``: syllables from a hash, capitalised."""
    import hashlib
    h = hashlib.sha1(f"{salt}{j}".encode()).digest()
    return "".join(_SYLLABLES[b % len(_SYLLABLES)] for b in h[:3 + h[5] % 2]).capitalize()


def write_inputs(arts: list, folder: Path, per_file: int = 500) -> None:
    """``arts`` as JSONL files of ``per_file`` records, each text with a closing line of its own."""
    import json
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(arts), per_file):
        with open(folder / f"feed-{start // per_file:05d}.jsonl", "w", encoding="utf-8") as fh:
            for j, a in enumerate(arts[start:start + per_file], start):
                text = f"{a.text.rstrip()}\n\n{_made_up(j, 'a')} {_made_up(j, 'b')}, correspondant de {_made_up(j, 'c')}.\n"
                fh.write(json.dumps({"id": a.article_id.replace("~", "-r"), "text": text, "url": a.url, "title": a.title,
                                     "published": a.published, "outlet": a.outlet, "language": a.language},
                                    ensure_ascii=False) + "\n")


def _status(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MB, from /proc."""
    fields = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


def run_rss(n: int, workers: int, partition_size: int, step: int) -> dict:
    """``sitrep run FILES --dask ADDRESS --out DIR`` on ``n`` articles on a new LocalCluster; the
    workers' RSS sampled from /proc."""
    import os
    import subprocess
    import tempfile

    from distributed import Client

    from sitrep.daskrun import local_cluster
    arts = articles(n)
    with tempfile.TemporaryDirectory() as tmp, \
            local_cluster(workers, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        write_inputs(arts, Path(tmp) / "in")
        del arts
        pids = sorted(client.run(os.getpid).values())
        out = Path(tmp) / "out"
        sitrep = Path(sys.executable).with_name("sitrep")
        t0 = time.perf_counter()
        log_out, log_err = open(Path(tmp) / "stdout.txt", "w+"), open(Path(tmp) / "stderr.txt", "w+")
        proc = subprocess.Popen([str(sitrep), "run", str(Path(tmp) / "in"), "--dask", cluster.scheduler_address,
                                 "--out", str(out), "--partition-size", str(partition_size), "--no-progress"],
                                stdout=log_out, stderr=log_err, text=True)     # files: a full pipe would stop it
        marks: dict[int, list[tuple[float, float]]] = {}
        client_peak = 0.0
        while proc.poll() is None:
            time.sleep(2)
            try:
                done = len(list((out / "articles").glob("part-*.jsonl"))) * partition_size
                now = [_status(pid) for pid in pids]
                client_peak = max(client_peak, _status(proc.pid)[1])
            except OSError:
                continue
            mark = min(n, done // step * step)
            if mark and mark not in marks:
                marks[mark] = now
        seconds = time.perf_counter() - t0
        log_out.seek(0)
        log_err.seek(0)
        stdout, stderr = log_out.read(), log_err.read()
        log_out.close()
        log_err.close()
        peaks = [_status(pid)[1] for pid in pids]
    last = stdout.strip().splitlines()[-1] if stdout.strip() else stderr.strip()[-300:]
    return {"n": n, "workers": workers, "seconds": seconds, "peaks": peaks, "marks": marks,
            "client_peak": client_peak, "summary": last, "exit": proc.returncode}


def main_rss(counts: list[int], workers: int, partition_size: int, step: int | None) -> None:
    for n in counts:
        r = run_rss(n, workers, partition_size, step or max(partition_size, n // 10))
        print(f"{n} articles, LocalCluster of {workers} workers, 'sitrep run --dask' (exit {r['exit']}):"
              f" {r['seconds']:.1f} s ({n / r['seconds']:.1f} art/s) with the cluster's model loading;"
              f" peak RSS per worker {', '.join(f'{m:.0f}' for m in r['peaks'])} MB; client peak RSS"
              f" {r['client_peak']:.0f} MB", flush=True)
        print("  RSS (peak so far) per worker as the run passes: " + "; ".join(
            f"{k}: {'/'.join(f'{m:.0f} ({h:.0f})' for m, h in v)}" for k, v in sorted(r["marks"].items())) + " MB",
              flush=True)
        print(f"  {r['summary']}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=available_cores())
    ap.add_argument("--dask", action="store_true", help="Dask LocalCluster, 1 worker vs --workers")
    ap.add_argument("--dask-workers", help="with --dask: the cluster sizes to run, e.g. 2 (default: 1,K)")
    ap.add_argument("--partition-size", type=int, default=64)
    ap.add_argument("--rss", metavar="N,N", help="peak RSS per worker of 'sitrep run --dask' on these article counts")
    ap.add_argument("--rss-step", type=int, help="with --rss: the RSS is printed every this many articles (a tenth)")
    args = ap.parse_args()
    if args.rss:
        main_rss([int(n) for n in args.rss.split(",")], max(1, args.workers), args.partition_size, args.rss_step)
        return
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
