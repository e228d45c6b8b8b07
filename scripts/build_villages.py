#!/usr/bin/env python3
"""Derive the packaged village table (src/sitrep/data/villages.tsv.gz) from Who's On First.

usage: build_villages.py [SOURCE] [--out FILE]

SOURCE defaults to ../shared/gazetteer/wof_places_conflict23.tsv.gz (392,884 GeoNames-derived
places of 23 conflict countries, Who's On First; CC0 + GeoNames CC BY 4.0). What the matcher never
uses is pruned: deprecated or superseded records, regions (the packaged admin1 table has them),
names in scripts it cannot read (Arabic, Hebrew, CJK…; Cyrillic is kept, transliterated, because
Ukrainian and Russian romanisations differ), spellings whose key repeats one already kept, and
duplicate records of one GeoNames place. Coordinates keep 4 decimals (~11 m).

Columns: id (GeoNames id, or w<WOF id> when it has none), name (a Latin-script main name),
feature (village | district | admin2), country, region (WOF's admin1 name: mapped onto the
gazetteer's province names at compile time), county, lat, lon, population, names (other
spellings, ``|``-joined).
"""
from __future__ import annotations

import argparse
import csv
import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from sitrep.gazetteer import spelling_key  # noqa: E402

from unidecode import unidecode  # noqa: E402

DEFAULT_SOURCE = ROOT.parent / "shared" / "gazetteer" / "wof_places_conflict23.tsv.gz"
DEFAULT_OUT = ROOT / "src" / "sitrep" / "data" / "villages.tsv.gz"
FEATURES = {"locality": "village", "neighbourhood": "district", "county": "admin2", "localadmin": "admin2"}
_LATIN_OK = re.compile(r"^[\w\s'’`‘ʿʾ.,()-]+$")
_CODE = re.compile(r"^[A-Z0-9]{2,5}$")


def latin(name: str) -> bool:
    return bool(_LATIN_OK.match(name)) and all(ord(c) < 0x250 or c in "’‘ʿʾ" for c in name)


def cyrillic(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(0x400 <= ord(c) < 0x530 for c in letters)


def spellings(main: str, alts: list[str]) -> tuple[str | None, list[str]]:
    """A Latin display name and the other readable spellings, one per spelling key."""
    readable: list[str] = []
    for n in [main, *alts]:
        n = n.strip()
        if not n or _CODE.match(n):
            continue
        if latin(n):
            readable.append(n)
        elif cyrillic(n):
            readable.append(unidecode(n).replace("'", "’"))
    if not readable:
        return None, []
    name = readable[0]
    keys = {spelling_key(name)}
    out = []
    for n in readable[1:]:
        k = spelling_key(n)
        if len(k) >= 3 and k not in keys and len(n) <= 60:
            keys.add(k)
            out.append(n)
    return name, out


def build(source: Path, out: Path) -> tuple[int, int]:
    seen_gn: set[str] = set()
    rows = 0
    names = 0
    tmp = out.with_suffix(".tmp")
    with gzip.open(source, "rt", encoding="utf-8") as fh, \
            gzip.open(tmp, "wt", encoding="utf-8", compresslevel=9) as oh:
        reader = csv.DictReader(fh, delimiter="\t")
        w = csv.writer(oh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        w.writerow(["id", "name", "feature", "country", "region", "county", "lat", "lon", "population", "names"])
        for r in reader:
            feature = FEATURES.get(r["placetype"])
            if feature is None or r["deprecated"] or r["superseded_by"]:
                continue
            gn = r["gn_id"].strip()
            if gn and feature == "village":
                if gn in seen_gn:
                    continue
                seen_gn.add(gn)
            name, alts = spellings(r["name"], [a for a in r["alt_names"].split("|") if a])
            if name is None:
                continue
            try:
                lat, lon = round(float(r["lat"]), 4), round(float(r["lon"]), 4)
            except ValueError:
                continue
            pid = gn if (gn and feature == "village") else f"w{r['wof_id']}"
            w.writerow([pid, name, feature, r["country"], r["region"], r["county"], f"{lat:g}", f"{lon:g}",
                        r["population"] or "0", "|".join(alts)])
            rows += 1
            names += 1 + len(alts)
    tmp.replace(out)
    return rows, names


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    a = ap.parse_args()
    if not a.source.exists():
        print(f"build_villages: {a.source}: not found (the shared gazetteer file)", file=sys.stderr)
        return 2
    rows, names = build(a.source, a.out)
    print(f"{a.out}: {rows} places, {names} spellings, {a.out.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
