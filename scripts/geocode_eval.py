#!/usr/bin/env python3
"""Measure the geocoder on a list of real place-name spellings (tests/geo/spellings.tsv).

Each spelling is resolved the way `sitrep geocode NAME --country CC` does. A place counts as
*held* by the gazetteer when an entry within 25 km of its true point carries one of the place's
spellings (or its canonical name) by spelling key: only those can be found, and the target is
that ≥95 % of them resolve within 25 km. Provinces (kind admin1) count as right when the province
of that name is chosen (centroids differ between sources). Wrong-country answers are counted
apart: with the country in context there must be none.

    python scripts/geocode_eval.py [tests/geo/spellings.tsv] [--misses]
"""
from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

from sitrep.gazetteer import Gazetteer, distance_km, spelling_key
from sitrep.geocode import GeoContext, _admin_key, resolve_name

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "tests" / "geo" / "spellings.tsv"
WITHIN_KM = 25.0


def read_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for r in rows:
        r["lat"], r["lon"] = float(r["lat"]), float(r["lon"])
    return rows


def evaluate(gz: Gazetteer, rows: list[dict]) -> dict:
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        groups[(r["canonical"], r["country"])] |= {spelling_key(r["spelling"]), spelling_key(r["canonical"])}
    held_cache: dict[tuple[str, str], bool] = {}
    results = []
    for r in rows:
        g = (r["canonical"], r["country"])
        if r["kind"] == "admin1":
            held = True
        else:
            if g not in held_cache:
                held_cache[g] = any(set(keys) & groups[g] for _, keys in gz.near(r["lat"], r["lon"], WITHIN_KM))
            held = held_cache[g]
        res = resolve_name(r["spelling"], gz, GeoContext(r["country"], {r["country"]}))
        p = res.place
        if p is None:
            outcome = "unresolved"
        elif p.country != r["country"]:
            outcome = "wrong-country"
        elif r["kind"] == "admin1":
            outcome = "ok" if p.feature == "admin1" and _admin_key(p.name) in {_admin_key(x) for x in (r["canonical"], r["spelling"])} | groups[g] else "far"
        else:
            outcome = "ok" if distance_km(r["lat"], r["lon"], p.lat, p.lon) <= WITHIN_KM else "far"
        results.append({**r, "held": held, "outcome": outcome,
                        "got": None if p is None else f"{p.name} ({p.country}, {p.feature}) "
                        f"{distance_km(r['lat'], r['lon'], p.lat, p.lon):.0f} km"})
    held = [x for x in results if x["held"]]
    ok_held = sum(x["outcome"] == "ok" for x in held)
    return {
        "rows": len(results), "places": len(groups), "held": len(held), "held_ok": ok_held,
        "held_rate": ok_held / len(held) if held else 0.0,
        "all_ok": sum(x["outcome"] == "ok" for x in results),
        "wrong_country": sum(x["outcome"] == "wrong-country" for x in results),
        "by_outcome": Counter((x["held"], x["outcome"]) for x in results),
        "misses": [x for x in results if x["outcome"] != "ok"],
    }


def main(argv: list[str]) -> int:
    path = Path(next((a for a in argv if not a.startswith("--")), DEFAULT))
    rep = evaluate(Gazetteer(), read_rows(path))
    print(f"{rep['rows']} spellings of {rep['places']} places; held by the gazetteer: {rep['held']}")
    print(f"held and resolved within {WITHIN_KM:.0f} km: {rep['held_ok']}/{rep['held']} = {rep['held_rate']:.3f}")
    print(f"all spellings resolved within {WITHIN_KM:.0f} km: {rep['all_ok']}/{rep['rows']}")
    print(f"wrong-country answers with the country in context: {rep['wrong_country']}")
    kinds = Counter((x["kind"], x["held"], x["outcome"]) for x in rep["misses"])
    print("misses by kind (kind, held, outcome):")
    for k, n in sorted(kinds.items()):
        print(f"  {k}: {n}")
    if "--misses" in argv:
        for x in rep["misses"]:
            print(f"  {x['spelling']!r} {x['country']} {x['kind']} held={x['held']} -> {x['outcome']}: {x['got']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
