#!/usr/bin/env python3
"""Time the gazetteer's name lookups (the issue's floor: 5,000 names per second).

usage: lookup_speed.py [--rounds 3]

Looks up every distinct spelling of tests/geo/gold_places.tsv and tests/geo/spellings.tsv, plus
each with one letter changed (names the gazetteer mostly lacks: the slower path), in a fresh
Gazetteer each round (its per-name cache empty), and prints names per second, the best round.
The gazetteer is compiled first if its cache file is missing (not timed).
"""
from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from sitrep.gazetteer import Gazetteer  # noqa: E402


def names() -> list[str]:
    out: set[str] = set()
    for f, col in ((ROOT / "tests" / "geo" / "gold_places.tsv", "spelling"),
                   (ROOT / "tests" / "geo" / "spellings.tsv", None)):
        with open(f, encoding="utf-8") as fh:
            rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
        i = rows[0].index(col) if col else 0
        out |= {r[i] for r in rows[1:] if len(r) > i and r[i]}
    misspelt = {n[:len(n) // 2] + "x" + n[len(n) // 2 + 1:] for n in out if len(n) > 3}
    return sorted(out | misspelt)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    todo = names()
    Gazetteer()                       # compile once if needed
    best = 0.0
    for r in range(a.rounds):
        gz = Gazetteer()
        t0 = time.perf_counter()
        for n in todo:
            gz.lookup(n)
        rate = len(todo) / (time.perf_counter() - t0)
        best = max(best, rate)
        print(f"round {r + 1}: {len(todo)} names, {rate:,.0f} names/s")
    print(f"best: {best:,.0f} names/s (floor 5,000)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
