"""Cost of one long article: extraction time against text length.

Builds one French article of N characters from the bundled examples (their paragraphs repeated,
with the publication date line of the first) and times ``Extractor.run`` on it, after a warm-up
on a short article so that model loading is not counted. Prints one line per size: characters,
seconds, microseconds per character, events found. Linear cost shows as a flat µs/char column.

    .venv/bin/python scripts/long_article_cost.py 20000 200000 1000000
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from sitrep.ingest import article_from_text
from sitrep.pipeline import Extractor

ROOT = Path(__file__).resolve().parents[1]


def long_text(size: int) -> str:
    paragraphs: list[str] = []
    for p in sorted((ROOT / "examples").glob("*.txt")):
        body = p.read_text(encoding="utf-8")
        if body.lstrip().startswith("date "):
            body = body.split("\n", 1)[1]
        paragraphs += [q.strip() for q in body.split("\n\n") if q.strip()]
    out, n, i = [], 0, 0
    while n < size:
        para = paragraphs[i % len(paragraphs)]
        out.append(para)
        n += len(para) + 2
        i += 1
    return " date 2017-03-03\n" + "\n\n".join(out)[:size]


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [20_000, 100_000, 200_000, 1_000_000]
    ex = Extractor("fr")
    ex.extract(article_from_text(long_text(2_000), "warmup"))
    print(f"{'chars':>10} {'seconds':>9} {'us/char':>8} {'events':>7}")
    for size in sizes:
        art = article_from_text(long_text(size), f"long{size}")
        t0 = time.perf_counter()
        res = next(ex.run([art]))
        dt = time.perf_counter() - t0
        status = res.events if getattr(res, "failed", None) is None else res.failed
        n = len(res.events)
        print(f"{size:>10} {dt:>9.1f} {1e6 * dt / size:>8.1f} {n:>7}"
              + ("" if status is res.events else f"  failed: {status}"), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
