#!/usr/bin/env python3
"""Measure the geocoder on the gold place spellings of the corpora (tests/geo/gold_places.tsv).

Each spelling is resolved as `sitrep geocode NAME --country CC [--context SENTENCE] [--article TEXT]`
does, with the country alone, with the sentence it was written in, and with the sentence and its
whole article (scripts/gold_places.py article_texts()). Outcomes: right (within 25 km of the
gold point), wrong (an answer further off), none (no answer), province (no sure answer: the
province the context names, at precision 3). The context's town given for a name not placed
(fallback "town", precision 2) is an answer, right or wrong by its distance. Rows of kind "name" are
scored; landmarks (streets, embassies, camps) and descriptions (« la ville ») apart. Figures per split: training data
(shared-train, own) and held out (shared-dev, devset).

    python scripts/geocode_gold_eval.py [FILE] [--misses] [--no-context] [--fitted]
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

from sitrep.gazetteer import Gazetteer, distance_km
from sitrep.geocode import context_from_text, resolve_name

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from gold_places import article_texts  # noqa: E402

MODES = {"country": "country only", "sentence": "country + sentence", "article": "country + sentence + article"}
WITHIN_KM = 25.0
HELD_OUT = ("shared-dev", "devset", "own-test")


def outcome(row: dict, gz: Gazetteer, with_context: bool, fitted: bool = False, article: str = "") -> tuple[str, object]:
    text = row["context"] if with_context else ""
    try:
        ctx = context_from_text(text, gz, [row["country"]], exclude=row["spelling"], article=article)
    except TypeError:                 # an older sitrep (side-by-side runs): no exclusion, no article
        ctx = context_from_text(text, gz, [row["country"]])
    res = resolve_name(row["spelling"], gz, ctx, fitted=fitted)
    p = res.place
    if p is None or p.lat is None:
        return "none", p
    if res.fallback == "province":
        return "province", p          # not sure of the place: the context's province, said so
    d = distance_km(float(row["lat"]), float(row["lon"]), p.lat, p.lon)
    return ("right" if d <= WITHIN_KM else "wrong"), p


def evaluate(rows: list[dict], gz: Gazetteer, with_context: bool, misses: bool = False,
             fitted: bool = False, articles: dict | None = None) -> dict[str, Counter]:
    """Outcomes by split; ``articles`` ((split, source) -> text, article_texts()): the row's article
    is context too."""
    by: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        art = (articles or {}).get((r["split"], r["source"]), "") if with_context else ""
        o, p = outcome(r, gz, with_context, fitted, art)
        if r["kind"] != "name":
            by[f"({r['kind']}s)"][o] += 1
            continue
        for split in (r["split"], "all", "held-out" if r["split"] in HELD_OUT else "training"):
            by[split][o] += 1
        if misses and o != "right":
            where = f"{p.name} {p.country} {p.admin1} ({p.lat:.3f},{p.lon:.3f}) {p.feature}" if p else "-"
            print(f"  {o:5} {r['split']:12} {r['spelling']!r} {r['country']} ({r['lat']},{r['lon']}) -> {where}")
    return by


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", type=Path, default=ROOT / "tests" / "geo" / "gold_places.tsv")
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--no-context", action="store_true")
    ap.add_argument("--fitted", action="store_true", help="the fitted ranker (with abstention) instead of the hand-set order")
    a = ap.parse_args()
    with open(a.file, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    gz = Gazetteer()
    texts = article_texts()
    for mode in (["country"] if a.no_context else list(MODES)):
        by = evaluate(rows, gz, mode != "country", a.misses, a.fitted, texts if mode == "article" else None)
        print(f"{MODES[mode]}:")
        for split in ("all", "training", "held-out", "shared-train", "own", "shared-dev", "devset", "own-test",
                      "(landmarks)", "(descriptions)", "(areas)", "(estimates)"):
            c = by.get(split)
            if c:
                n = sum(c.values())
                print(f"  {split:12} n={n:4}  right {c['right'] / n:.3f}  wrong {c['wrong'] / n:.3f}  "
                      f"none {c['none'] / n:.3f}  province {c['province'] / n:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
