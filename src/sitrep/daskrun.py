"""Extraction on a Dask cluster (``sitrep run --dask [ADDRESS] --out DIR``).

The client reads the inputs (files, folders, JSONL shards, globs) as ``sitrep run`` does — the
same article ids, the same duplicates and the same hashes — and cuts the stream into partitions of
``partition_size`` articles. Each partition is extracted by one task on a worker, with the models
the worker loaded once (the ``Models`` worker plugin: the extractor of ``sitrep.parallel``'s pool
workers), and written by the worker into DIR as one shard (``sitrep.shards``). At most two
partitions per worker thread are in flight, so the client never holds the whole input; they are
handed back in input order. DIR must be a folder the workers can write and the client can read
(local, or a shared file system).
"""
from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

from distributed import Client, LocalCluster, WorkerPlugin

from . import parallel
from .gazetteer import GazetteerError
from .model import Article
from .shards import partition_done, partition_name, write_partition

__all__ = ["PARTITION", "Models", "connect", "extract_partition", "run_partitions", "SchedulerError"]

PARTITION = 64        # articles per task: ~3 s of work on one core, against a few ms of scheduling

_LOCK = threading.Lock()    # one extractor per worker process: its threads take turns


class SchedulerError(Exception):
    """The Dask scheduler cannot be reached or the cluster cannot be started."""


class Models(WorkerPlugin):
    """Loads the extractor (spaCy pipelines, gazetteer, learned weights) once in each worker,
    as it joins; registering the plugin again keeps the models already loaded."""

    name = "sitrep-models"

    def __init__(self, langs: tuple[str, ...]) -> None:
        self.langs = tuple(langs)

    def setup(self, worker=None) -> None:
        with _LOCK:
            if parallel._WORKER is None or parallel._WORKER.langs != self.langs:
                parallel._start(self.langs)


def extract_partition(out: str, name: str, articles: list[Article], langs: tuple[str, ...]) -> str:
    """On a worker: extract one partition and write its shard into ``out``."""
    from .events import extractor_name
    with _LOCK:
        if parallel._WORKER is None:          # a worker that joined without the plugin
            parallel._start(tuple(langs))
        results = parallel._extract_chunk(articles)
    write_partition(Path(out), name, results, extractor_name)
    return name


@contextlib.contextmanager
def connect(address: str | None, workers: int, log: Callable[[str], None]) -> Iterator[Client]:
    """A client of the scheduler at ``address``, or of a new ``LocalCluster`` of ``workers``
    processes with one thread each (closed on the way out)."""
    cluster = None
    try:
        if address is None:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True)
            client = Client(cluster)
        else:
            client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        where = address or "LocalCluster"
        raise SchedulerError(f"{where}: cannot reach the Dask scheduler ({' '.join(str(exc).split())[:200]})") from exc
    log(f"Dask dashboard: {client.dashboard_link}")
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_partitions(client: Client, articles: Iterable[Article], out: Path, langs: tuple[str, ...],
                   partition_size: int = PARTITION) -> Iterator[tuple[str, list[Article], BaseException | None]]:
    """Extract ``articles`` partition by partition on the cluster; yield ``(name, articles, error)``
    for each partition in input order once its shard is written (``error``: why the cluster could
    not extract it, e.g. its workers died). Partitions whose shard is already in ``out`` (a run
    started again) are not extracted again. A damaged gazetteer stops the run."""
    from .events import extractor_name
    extractors = tuple(extractor_name(lang) for lang in langs)
    slots = max(1, sum(client.nthreads().values()))
    source = iter(articles)
    in_flight: deque = deque()
    index, registered = 0, False
    while True:
        part = list(islice(source, partition_size))
        if part:
            name = partition_name(index, part, extractors)
            index += 1
            fut = None
            if not partition_done(out, name):
                if not registered:        # the workers load the models when there is work for them
                    client.register_plugin(Models(tuple(langs)))
                    registered = True
                fut = client.submit(extract_partition, str(Path(out).absolute()), name, part, tuple(langs),
                                    pure=False)           # the workers' own folder may be another
            in_flight.append((name, part, fut))
            if len(in_flight) < 2 * slots:
                continue
        if not in_flight:
            return
        name, done, fut = in_flight.popleft()
        error = None
        if fut is not None:
            try:
                fut.result()
            except GazetteerError:
                raise
            except Exception as exc:        # this partition only (KilledWorker, a shard not writable…)
                error = exc
            fut.release()
        yield name, done, error
