"""Extraction on a Dask cluster (``sitrep run --dask [ADDRESS] --out DIR``, ``sitrep extract --dask``).

The client only lists the inputs (files, folders walked, JSONL files, quoted globs: paths, never
their contents) and sends them in batches to the workers, which read them (``scan_files``) and
return what the client needs to decide, in input order and without the texts, what ``sitrep run``
decides: each article's id, source, the hash of its text (duplicate ids) and of the article as read
(``input_hash``: inputs a database holds as read are not extracted), its reading warnings and the
inputs that cannot be read. The articles to extract are cut into partitions of ``partition_size``
(the same partitions, and names, as when the client read them), each extracted by one task: the
worker opens the partition's files itself (``extract_partition``), reads the articles it was given,
extracts them with the models it loaded once (the ``Models`` worker plugin: the extractor of
``sitrep.parallel``'s pool workers) and writes one shard into DIR (``sitrep.shards``). At most two
partitions per worker thread are in flight, and the listing is read ahead only as far as they
need, so the client never holds more than a few partitions' metadata; they are handed back in
input order. The inputs and DIR must be where the workers can read and write them under the names
the client gives (local, or a shared file system; relative names are sent absolute).
"""
from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from distributed import Client, LocalCluster, WorkerPlugin

from . import parallel
from .gazetteer import GazetteerError
from .ingest import InputError, read_file
from .model import Article, content_id
from .pipeline import Result
from .shards import partition_done, partition_name, write_partition

__all__ = ["PARTITION", "Models", "Listed", "connect", "scan_files", "scan_inputs", "extract_partition",
           "run_partitions", "SchedulerError"]

PARTITION = 64        # articles per task: ~3 s of work on one core, against a few ms of scheduling
SCAN_FILES = 64       # files a worker reads per listing task
SCAN_BYTES = 16 << 20  # ... and at most this many bytes of them (a JSONL file may hold thousands of articles)

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


@dataclass(slots=True)
class Listed:
    """One article as a worker read it for the client: where it is (the file the workers open,
    its name as given, the file's article id, its place among what ``read_file`` yields of that
    file) and what the client decides on (its id, source, the hash of its text and of the article
    as read, the reading warnings), never its text."""
    path: str
    where: str
    file_id: str
    index: int
    article_id: str
    source: str
    digest: str
    input_hash: str
    warnings: list[str] = field(default_factory=list)

    def stub(self) -> Article:
        """An Article without text holding what the client checks (id, source, hashes, warnings)."""
        return Article(article_id=self.article_id, text="", source=self.source, warnings=self.warnings,
                       input_hash=self.input_hash)


def scan_files(files: list[tuple[str, str, str]]) -> list[Listed | InputError]:
    """On a worker: read the files ``(path, name as given, article id)`` as ``sitrep run`` reads
    them, and return each article's ``Listed`` and each input that cannot be read, in order."""
    from .store import raw_hash
    out: list[Listed | InputError] = []
    for path, where, file_id in files:
        for index, item in enumerate(read_file(Path(path), file_id, where)):
            if isinstance(item, InputError):
                out.append(item)
                continue
            out.append(Listed(path, where, file_id, index, item.article_id, item.source,
                              content_id(item.text, size=40), raw_hash(item), list(item.warnings)))
    return out


def _articles_of(items: list[Listed]) -> list[Article | Result]:
    """On a worker: the articles of ``items``, each read again from its file with the id the client
    gave it; one whose file no longer holds it as listed is a failed Result."""
    from .store import raw_hash
    out: list[Article | Result] = []
    i = 0
    while i < len(items):
        first = items[i]
        group = [first]
        while i + len(group) < len(items) and (items[i + len(group)].path, items[i + len(group)].file_id) == \
                (first.path, first.file_id):
            group.append(items[i + len(group)])
        i += len(group)
        wanted = {it.index: it for it in group}
        found: dict[int, Article] = {}
        for index, item in enumerate(read_file(Path(first.path), first.file_id, first.where)):
            if index in wanted and isinstance(item, Article):
                found[index] = item
            if len(found) == len(wanted) or index >= max(wanted):
                break
        for it in group:
            art = found.get(it.index)
            if art is None or raw_hash(art) != it.input_hash:
                stub = it.stub()
                stub.warnings = []
                out.append(Result(stub, failed="reading: the input changed after it was listed; run again"))
                continue
            art.article_id, art.input_hash, art.warnings = it.article_id, it.input_hash, []
            out.append(art)
    return out


def extract_partition(out: str, name: str, items: list[Listed | Article], langs: tuple[str, ...]) -> str:
    """On a worker: read (``Listed``: from its file) and extract one partition, and write its shard
    into ``out``."""
    from .events import extractor_name
    todo: list[Article | Result] = []
    listed = [it for it in items if isinstance(it, Listed)]
    read = iter(_articles_of(listed)) if listed else iter(())
    for it in items:
        todo.append(next(read) if isinstance(it, Listed) else it)
    extracted: Iterator[Result] = iter(())
    if any(isinstance(a, Article) for a in todo):
        with _LOCK:
            if parallel._WORKER is None:          # a worker that joined without the plugin
                parallel._start(tuple(langs))
            extracted = iter(parallel._extract_chunk([a for a in todo if isinstance(a, Article)]))
    results = [a if isinstance(a, Result) else next(extracted) for a in todo]
    write_partition(Path(out), name, results, extractor_name)
    return name


def _batches(files: Iterable[tuple[Path, str] | InputError]) -> Iterator[list[tuple[str, str, str]] | InputError]:
    """The listed files in batches of at most SCAN_FILES files and SCAN_BYTES bytes (a larger file
    alone), the listing's errors in their place."""
    batch: list[tuple[str, str, str]] = []
    size = 0
    for item in files:
        if isinstance(item, InputError):
            if batch:
                yield batch
                batch, size = [], 0
            yield item
            continue
        path, file_id = item
        try:
            n = path.stat().st_size
        except OSError:
            n = 0                            # the worker says why it cannot be read
        if batch and size + n > SCAN_BYTES:
            yield batch
            batch, size = [], 0
        batch.append((str(path.absolute()), str(path), file_id))
        size += n
        if len(batch) >= SCAN_FILES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def scan_inputs(client: Client, files: Iterable[tuple[Path, str] | InputError],
                ahead: int | None = None) -> Iterator[Listed | InputError]:
    """The articles of ``files`` (``ingest.list_files``) as the workers read them, and the inputs
    that cannot be read, in input order; ``ahead`` batches are read ahead (default: one per worker
    thread, and one more), before the extraction tasks waiting (a higher priority)."""
    if ahead is None:
        ahead = max(1, sum(client.nthreads().values())) + 1
    source = _batches(files)
    pending: deque = deque()
    exhausted = False
    while True:
        while not exhausted and sum(1 for p in pending if not isinstance(p[0], InputError)) < ahead:
            batch = next(source, None)
            if batch is None:
                exhausted = True
            elif isinstance(batch, InputError):
                pending.append((batch, None))
            else:
                pending.append((batch, client.submit(scan_files, batch, pure=False, priority=10)))
        if not pending:
            return
        batch, fut = pending.popleft()
        if fut is None:
            yield batch
            continue
        try:
            items = fut.result()
        except GazetteerError:
            raise
        except Exception as exc:      # the batch's worker died: its files are reported, the rest goes on
            why = " ".join(str(exc).split())[:200]
            items = [InputError(where, f"cannot read (on the cluster: {type(exc).__name__}: {why})")
                     for _, where, _ in batch]
        fut.release()
        yield from items


# The workers of a LocalCluster: no statistical profiler (it samples the running task's stack every
# 10 ms, under the interpreter lock of a pure-Python extraction) and glibc's own trimming of freed
# memory (Dask's nannies set MALLOC_TRIM_THRESHOLD_ to 64 KB, so spaCy's allocations go back to the
# system and come again); one BLAS/OpenMP thread each, as Dask sets it. 640 articles, 1 and 2 workers,
# the machine otherwise idle: extraction 46.6 / 30.5 s with Dask's defaults, 45.0 / 26.7 s with these.
LOCAL_WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ": {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1},
}


def local_cluster(workers: int, **kwargs) -> LocalCluster:
    """A ``LocalCluster`` of ``workers`` processes, one thread each, set for extraction
    (``LOCAL_WORKER_CONFIG``)."""
    import dask
    with dask.config.set(LOCAL_WORKER_CONFIG):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, **kwargs)


@contextlib.contextmanager
def connect(address: str | None, workers: int, log: Callable[[str], None]) -> Iterator[Client]:
    """A client of the scheduler at ``address``, or of a new ``LocalCluster`` of ``workers``
    processes with one thread each (closed on the way out)."""
    cluster = None
    try:
        if address is None:
            cluster = local_cluster(workers)
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


def run_partitions(client: Client, articles: Iterable[Listed | Article], out: Path, langs: tuple[str, ...],
                   partition_size: int = PARTITION) -> Iterator[tuple[str, list[Listed | Article], BaseException | None]]:
    """Extract ``articles`` partition by partition on the cluster; yield ``(name, articles, error)``
    for each partition in input order once its shard is written (``error``: why the cluster could
    not extract it, e.g. its workers died). ``Listed`` articles (``scan_inputs``) are read by the
    workers from their files; an ``Article`` (with its ``input_hash``) is sent as it is. Partitions
    whose shard is already in ``out`` (a run started again) are not extracted again. A damaged
    gazetteer stops the run."""
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
