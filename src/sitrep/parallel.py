"""Extraction on every core of one machine: a pool of processes, each loading the models once
(spaCy pipeline, gazetteer, learned weights) when it starts, fed chunks of articles; results come
back in input order, so the output is the one a single process gives.

A batch too small to repay loading the models in every worker (fewer than ``MIN_PARALLEL``
articles) runs in the calling process. At most ``2 * workers`` chunks are in flight, so a million
inputs are never all read into memory.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice

from .model import Article
from .pipeline import Extractor, Result

__all__ = ["available_cores", "extract", "CHUNK", "MIN_PARALLEL"]

CHUNK = 8             # articles per task: two of the extractor's nlp.pipe batches of 16 would idle a worker
MIN_PARALLEL = 48     # below this a worker's model loading (~10 s) costs more than it saves (~20 art/s)

_WORKER: Extractor | None = None


def available_cores() -> int:
    """The cores this process may run on (the CPU affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:          # not Linux
        return os.cpu_count() or 1


def _start(langs: tuple[str, ...]) -> None:
    global _WORKER
    _WORKER = Extractor(langs=langs)


def _extract_chunk(articles: list[Article]) -> list[Result]:
    assert _WORKER is not None, "worker started without its models"
    return list(_WORKER.run(articles))


def extract(articles: Iterable[Article], workers: int, langs: tuple[str, ...] = ("fr", "en"),
            extractor: Extractor | Callable[[], Extractor] | None = None,
            min_parallel: int = MIN_PARALLEL) -> Iterator[Result]:
    """Results for ``articles`` in their order, extracted by ``workers`` processes. When ``workers``
    is 1 or the batch is small, in this process by ``extractor`` (an Extractor, or a function
    making one, called only then: the models are not loaded here when workers do the work)."""
    it = iter(articles)
    head = list(islice(it, min_parallel))
    if workers <= 1 or len(head) < min_parallel:
        if extractor is None:
            extractor = Extractor(langs=langs)
        elif not isinstance(extractor, Extractor):
            extractor = extractor()
        yield from extractor.run(chain(head, it))
        return
    source = chain(head, it)
    ctx = multiprocessing.get_context("spawn")      # a clean interpreter: no parent's threads or connections
    # Ctrl-C is held back while the workers start: one arriving between a worker's launch and the parent's
    # sending it what it needs left that worker to die on its own traceback (EOFError) after the run's one
    # line. The workers inherit the blocked signal and never see Ctrl-C themselves: the parent's
    # KeyboardInterrupt ends the pool, once the pool is up.
    held = _HeldInterrupt()
    try:
        pool = ctx.Pool(workers, initializer=_start, initargs=(tuple(langs),))
    except BaseException:
        held.release()
        raise
    with pool:
        held.release()
        in_flight: deque = deque()
        while True:
            chunk = list(islice(source, CHUNK))
            if not chunk:
                break
            in_flight.append(pool.apply_async(_extract_chunk, (chunk,)))
            if len(in_flight) >= 2 * workers:
                yield from in_flight.popleft().get()
        while in_flight:
            yield from in_flight.popleft().get()


class _HeldInterrupt:
    """SIGINT held back from here to ``release()``: blocked in this thread (so in the processes it starts,
    which inherit the mask), and, in the main thread, noted by a handler of its own instead of raising
    (another thread, a BLAS one, may take a signal sent to the process). ``release()`` restores both and
    delivers a SIGINT that came meanwhile to the handler there was."""

    def __init__(self) -> None:
        self.came = False
        self.mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) \
            if hasattr(signal, "pthread_sigmask") else None
        try:
            # (None: a handler not set from Python, given back as the default action)
            self.handler = signal.signal(signal.SIGINT, self._note) or signal.SIG_DFL
        except ValueError:          # not the main thread: only the mask holds it
            self.handler = None

    def _note(self, signum, frame) -> None:
        self.came = True

    def release(self) -> None:
        if self.handler is not None:
            signal.signal(signal.SIGINT, self.handler)
        if self.mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self.mask)
        if self.came and self.handler is not None:
            self.came = False
            if callable(self.handler):
                self.handler(signal.SIGINT, None)       # Python's own: KeyboardInterrupt
            elif self.handler == signal.SIG_DFL:
                os.kill(os.getpid(), signal.SIGINT)
