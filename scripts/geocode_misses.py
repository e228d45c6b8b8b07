#!/usr/bin/env python3
"""Why the geocoder misses the gold place spellings it misses (tests/geo/gold_places.tsv, kind "name").

usage: geocode_misses.py [FILE] [--source WOF_FILE] [--list]

Each scored spelling is resolved as `geocode_gold_eval.py --fitted` does in its third pass (country,
sentence and article). A spelling not placed within 25 km of its gold point is counted under one
of these, by split (training / held out):

- ranked first, abstained: the right candidate is the ranker's best but under its threshold;
- ranked lower: a right candidate is in the pool, not first;
- no candidate within 25 km: the gazetteer offers none within 25 km of the gold point. For these,
  the shared Who's On First file (SOURCE, the one scripts/build_villages.py reads; under SITREP_SHARED) is searched for
  a record within 25 km whose name or alternate name (any script, romanised) is like the spelling
  (key similarity >= 80): "a WOF look-alike within 25 km" (perhaps the place under a spelling the
  keys or the pruning miss — or another place with a like name: a screen, read the list) or
  "absent from WOF here"; a country WOF does not cover is "country not in WOF".

`--list` prints each miss with its cause and the nearest WOF record found. Slow (reads the 390,000
WOF records once: ~1 min).
"""
from __future__ import annotations

import argparse
import csv
import gzip
import sys
from collections import Counter, defaultdict
from pathlib import Path

from rapidfuzz import fuzz
from unidecode import unidecode

from sitrep import geocode
from sitrep.gazetteer import Gazetteer, distance_km, spelling_key

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from geocode_gold_eval import HELD_OUT, WITHIN_KM  # noqa: E402
from gold_places import SHARED, article_texts  # noqa: E402

LIKE = 80


def resolve(rows: list[dict], gz: Gazetteer) -> list[dict]:
    texts = article_texts()
    out = []
    for r in rows:
        art = texts.get((r["split"], r["source"]), "")
        ctx = geocode.context_from_text(r["context"], gz, [r["country"]], exclude=r["spelling"], article=art)
        name, prefer_admin, _near, cands = geocode.query_candidates(r["spelling"], gz, ctx)
        res = geocode.resolve_name(r["spelling"], gz, ctx, fitted=True)
        lat, lon = float(r["lat"]), float(r["lon"])
        p = res.place
        if p is None or p.lat is None:
            o = "none"
        elif res.fallback == "province":
            o = "province"
        else:
            o = "right" if distance_km(lat, lon, p.lat, p.lon) <= WITHIN_KM else "wrong"
        ranked = geocode.rank(cands, ctx, prefer_admin, fitted=True, query=name)
        at = [i for i, (_s, c) in enumerate(ranked)
              if c.lat is not None and distance_km(lat, lon, c.lat, c.lon) <= WITHIN_KM]
        near = any(c.lat is not None and distance_km(lat, lon, c.lat, c.lon) <= WITHIN_KM for c in cands)
        if o == "right":
            cause = "right"
        elif at and at[0] == 0 and o != "wrong":
            cause = "ranked first, abstained"
        elif at:
            cause = "ranked lower" if at[0] else "ranked first, wrong answer"
        elif near:
            cause = "candidate left out of the pool"
        else:
            cause = "no candidate within 25 km"
        out.append({"row": r, "outcome": o, "cause": cause, "lat": lat, "lon": lon})
    return out


def wof_near(misses: list[dict], source: Path) -> tuple[dict[int, list[dict]], set[str]]:
    """The WOF records within 25 km of each miss's gold point, and the countries the file covers."""
    cell = defaultdict(list)
    for i, m in enumerate(misses):
        cell[(int(m["lat"] * 2), int(m["lon"] * 2))].append(i)
    near: dict[int, list[dict]] = defaultdict(list)
    countries: set[str] = set()
    csv.field_size_limit(10 ** 8)
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            countries.add(r["country"])
            try:
                la, lo = float(r["lat"]), float(r["lon"])
            except ValueError:
                continue
            a, b = int(la * 2), int(lo * 2)
            for da in (-1, 0, 1):
                for db in (-1, 0, 1):
                    for i in cell.get((a + da, b + db), ()):
                        if distance_km(la, lo, misses[i]["lat"], misses[i]["lon"]) <= WITHIN_KM:
                            near[i].append(r)
    return near, countries


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", type=Path, default=ROOT / "tests" / "geo" / "gold_places.tsv")
    ap.add_argument("--source", type=Path, default=SHARED / "gazetteer" / "wof_places_conflict23.tsv.gz")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    with open(a.file, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if r["kind"] == "name"]
    done = resolve(rows, Gazetteer())
    absent = [m for m in done if m["cause"] == "no candidate within 25 km"]
    if a.source.exists():
        near, covered = wof_near(absent, a.source)
        for i, m in enumerate(absent):
            k = spelling_key(m["row"]["spelling"])
            like = []
            for r in near[i]:
                for n in [r["name"], *[x for x in r["alt_names"].split("|") if x]]:
                    score = fuzz.ratio(k, spelling_key(unidecode(n)))
                    if score >= LIKE:
                        like.append((score, n, r["name"], r["placetype"]))
            like.sort(reverse=True)
            m["wof"] = like[0] if like else None
            m["cause"] = ("no candidate within 25 km: " + (
                "country not in WOF" if m["row"]["country"] not in covered
                else "a WOF look-alike within 25 km" if like else "absent from WOF here"))
    else:
        print(f"geocode_misses: {a.source}: not found, the WOF check is skipped", file=sys.stderr)
    by: dict[str, Counter] = defaultdict(Counter)
    for m in done:
        split = "held-out" if m["row"]["split"] in HELD_OUT else "training"
        by[split][m["cause"]] += 1
        by["all"][m["cause"]] += 1
        if a.list and m["cause"] != "right":
            r = m["row"]
            print(f"  {split:8} {m['outcome']:8} {r['spelling']!r} {r['country']} ({r['lat']},{r['lon']}): {m['cause']}"
                  + (f"  [WOF: {m['wof'][1]!r} of {m['wof'][2]!r}, {m['wof'][3]}]" if m.get("wof") else ""))
    for split in ("all", "training", "held-out"):
        c = by[split]
        n = sum(c.values())
        print(f"{split}: n={n}, right {c['right']} ({c['right'] / n:.3f})")
        for cause, k in sorted(c.items(), key=lambda t: -t[1]):
            if cause != "right":
                print(f"  {k:4}  {cause}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
