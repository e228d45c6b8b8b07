#!/usr/bin/env python3
"""Collect the spellings of gold event places as the articles write them (tests/geo/gold_places.tsv).

usage: gold_places.py [--out FILE]

For every gold event located at a town or village (geo_precision 1 or 2) in ../shared/corpus
(train, dev), ../shared/devset, the project's own corpus/ and its own test corpora (tests/corpus/:
written like corpus/, kept out of training), each spelling of the place (its name or an alias) that
occurs in the article's text becomes a row, with the sentence it occurs in as context, the gold
point, the split it comes from (training data: shared-train, own; held out: shared-dev, devset,
own-test) and its source (article id and the report's url). One row per (split, article country,
spelling key, point): the same place spelled the same way in several articles counts once per split.

Which rows are scored (kind "name") follows written rules, the same for every row (tests/geo/README.md):
- description: not a proper name (« la ville », "Iraqi capital");
- landmark: a street, building, camp, base, relief feature… (a gazetteer of settlements lacks it);
- area: an administrative unit, not a point: the spelling carries an admin-unit word (oblast,
  township, LGA, division, administrative post…) or it is the name of the gold place's first-level
  unit (the location's ``admin1``) while the location itself has another name ('Kirkouk' for an
  event at Hawija, 'Helmand' for one at Lashkar Gah);
- estimate: the gold point stands in for the place the spelling names: a note of an event at that
  point in that article says the coordinates are estimated or approximate, or says that the
  spelling (or "the village", "the hamlet"… when the spelling is not the location's name) is not
  in GeoNames / the gazetteer and was placed elsewhere;
- name: everything else, scored against the gold point (25 km). A spelling borne by a gazetteer
  place within 25 km of the gold point is always a name.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SITREP_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT / "src"))
from sitrep.gazetteer import Gazetteer, admin_words, distance_km, spelling_key  # noqa: E402
from sitrep.model import SETTLEMENTS  # noqa: E402

COLUMNS = ["spelling", "kind", "country", "lat", "lon", "precision", "split", "source", "url", "context", "note"]
# An alias that is no name of the event's point but of a town this near it is re-pointed to that town.
OTHER_TOWN_KM = 150.0
# A gold alias that is not a settlement's name: a description (« la ville », "Iraqi capital"),
# or a landmark a gazetteer of settlements does not hold (streets, embassies, camps, bases).
_LANDMARK = re.compile(r"\b(?:rue|route|road|street|avenue|place|square|junction|carrefour|rond-point|pont|bridge|"
                       r"ambassade|embassy|consulat|consulate|mosquée|mosque|église|church|hôpital|hospital|école|"
                       r"school|université|university|marché|market|hôtel|hotel|palais|palace|parlement|parliament|"
                       r"prison|aéroport|airport|port|gare|station|base|camp|caserne|barracks|checkpoint|poste|"
                       r"forêt|forest|mount|mont|jabal|djebel|wadi|oued|rivière|river|lac|lake|barrage|dam|"
                       r"quartier|district|county|local government|zone|secteur|sector|périphérie|outskirts|"
                       r"centre|center|dépôt|depot|usine|factory|stade|stadium|tour|tower|wagon|maison|house|"
                       r"bureau|office|ministère|ministry|capitale|capital|village|ville|city|town|région|region|"
                       r"province|state|état|desert|désert|valley|vallée|plain|plaine|fields?)\b", re.IGNORECASE)
# An administrative unit's word: the spelling names an area, not a point.
_AREA = re.compile(r"\b(?:oblast|township|division|administrative\s+post|lga|raion|rayon|county|district|province|"
                   r"governorate|gouvernorat|wilaya|département|department|cercle|commune|caza|préfecture|"
                   r"prefecture|state|région|region|territory|territoire)\b", re.IGNORECASE)
# What a coder's note says when the point is not the named place's own position.
_ESTIMATED = re.compile(r"coord\w*\s+(?:\w+\s+)?(?:estimated|estimate|approx\w*)|approximate\s+coord|"
                        r"(?:estimated|approximate)\s+(?:coord|position|location)|centroid", re.IGNORECASE)
_NOT_IN = re.compile(r"([^;:,.()>]{1,60}?)\s+(?:is\s+|are\s+)?not\s+in\s+(?:the\s+)?(?:geonames|gazetteer|cities500)",
                     re.IGNORECASE)
_GENERIC = re.compile(r"^(?:the\s+)?(?:village|villages|hamlet|barangay|place|camp|village\s+tract|"
                      r"localit(?:y|ies)|site|town|neighbourhood|district)$", re.IGNORECASE)


def kind(spelling: str) -> str:
    if not re.sub(r"^(?:al|el|ad|ar|as|at|az|an|ash|ech|es|ez|ed)[-’' ]", "", spelling)[:1].isupper() or re.match(r"(?:Iraqi|Syrian|Afghan|Malian|Nigerian)\b", spelling):
        return "description"
    if _AREA.search(spelling):
        return "area"
    return "landmark" if _LANDMARK.search(spelling) else "name"


def _admin_key(name: str) -> str:
    words = admin_words(name or "")
    return spelling_key(" ".join(words) or name or "")


def point_kind(spelling: str, loc: dict, notes: list[str], near: list, gz: Gazetteer) -> tuple[str, dict]:
    """The rules of the module's docstring for a proper name (kind() says "name") at a gold point:
    ("name" | "area" | "estimate", corrections). ``notes``: the notes of every event of the
    article at that point; ``near``: the gazetteer places within 25 km of the point (with keys)."""
    key = spelling_key(spelling)
    lat, lon = float(loc["lat"]), float(loc["lon"])
    if any(key in keys and p.feature in SETTLEMENTS for p, keys in near):
        return "name", {}          # a settlement within 25 km bears it: a name of the point
    if any(key in keys and p.feature in ("admin1", "admin2") and distance_km(lat, lon, p.lat, p.lon) <= 2.0
           for p, keys in near):
        return "area", {}          # the point is the centroid of the unit of that name
    own = key == spelling_key(loc.get("name") or "")
    if not own and loc.get("admin1") and key == _admin_key(loc["admin1"]):
        return "area", {}
    if not own:
        towns = sorted((distance_km(lat, lon, p.lat, p.lon), p.name, p) for p in gz.lookup(spelling)
                       if p.score >= 0.9 and p.feature == "city" and p.geonames_id is not None
                       and p.country == loc.get("country") and p.lat is not None)
        if towns and towns[0][0] <= OTHER_TOWN_KM:
            d, _, p = towns[0]
            return "name", {"lat": f"{p.lat:.4f}", "lon": f"{p.lon:.4f}",
                            "note": f"re-pointed: names the town {p.name} ({p.admin1}, GeoNames {p.geonames_id}), "
                                    f"{d:.0f} km from the event's point"}
    for note in notes:
        if _ESTIMATED.search(note):
            return "estimate", {}
        for m in _NOT_IN.finditer(note):
            said = m.group(1).strip()
            if _GENERIC.match(said):
                if not own:
                    return "estimate", {}
            elif len(key) >= 4 and key in spelling_key(said):
                return "estimate", {}
    return "name", {}


def _articles(folder: Path) -> dict[str, dict]:
    paths = sorted(folder.glob("articles*.jsonl"))
    if paths:
        return {a["id"]: a for path in paths
                for a in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if a}
    out = {}
    for f in sorted((folder / "articles").glob("*")):      # the dev set: one file per article
        out[f.stem] = {"id": f.stem, "text": f.read_text(encoding="utf-8"), "url": ""}
    return out


def _sentence(text: str, start: int, end: int) -> str:
    a = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    b = min([i for i in (text.find(".", end), text.find("\n", end)) if i >= 0] or [len(text)])
    return re.sub(r"\s+", " ", text[a:b + 1]).strip()[:400]


def _point(loc: dict) -> tuple[float, float]:
    return round(float(loc["lat"]), 3), round(float(loc["lon"]), 3)


def collect(folder: Path, split: str, gz: Gazetteer) -> list[dict]:
    arts = _articles(folder)
    rows = []
    near: dict[tuple[float, float], set[str]] = {}
    for g in sorted((folder / "gold").glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        art = arts.get(gold.get("article_id", g.stem)) or arts.get(g.stem)
        if art is None:
            continue
        text = art.get("text", "")
        notes: dict[tuple[float, float], list[str]] = {}
        for ev in gold.get("events", []):
            loc = ev.get("location") or {}
            if loc.get("lat") is not None and loc.get("lon") is not None:
                notes.setdefault(_point(loc), []).append(ev.get("note") or "")
        for ev in gold.get("events", []):
            loc = ev.get("location") or {}
            if loc.get("lat") is None or (loc.get("geo_precision") or 9) > 2 or not loc.get("country"):
                continue
            pt = _point(loc)
            if pt not in near:
                near[pt] = [(p, set(keys)) for p, keys in gz.near(float(loc["lat"]), float(loc["lon"]), 25.0)]
            for sp in [loc.get("name") or "", *(loc.get("aliases") or [])]:
                m = re.search(rf"(?<!\w){re.escape(sp)}(?!\w)", text) if len(sp) >= 3 else None
                if m is None:
                    continue
                k, fix = kind(sp), {}
                if k == "name":
                    k, fix = point_kind(sp, loc, notes.get(pt, []), near[pt], gz)
                rows.append({"spelling": sp, "kind": k, "country": loc["country"], "lat": f"{float(loc['lat']):.4f}",
                             "lon": f"{float(loc['lon']):.4f}", "precision": str(loc.get("geo_precision")),
                             "split": split, "source": art["id"], "url": art.get("url", ""),
                             "context": _sentence(text, m.start(), m.end()), "note": ""} | fix)
    return rows


def source_sets() -> list[tuple[Path, str]]:
    """The article folders the rows come from, with their split."""
    return [(SHARED / "corpus" / "train", "shared-train"), (SHARED / "corpus" / "dev", "shared-dev"),
            (SHARED / "devset", "devset")] + [(d, "own") for d in sorted((ROOT / "corpus").glob("*/*")) if d.is_dir()] \
        + [(ROOT / "tests" / "corpus" / d, "own-test") for d in ("fr", "fr_heldout", "en", "en_heldout")]


def article_texts() -> dict[tuple[str, str], str]:
    """The text of each row's article, by (split, source): the whole article is the row's wider
    context (its other places, its provinces), as the event stage sees it."""
    out: dict[tuple[str, str], str] = {}
    for folder, split in source_sets():
        if folder.exists():
            for aid, art in _articles(folder).items():
                out.setdefault((split, aid), art.get("text", ""))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "geo" / "gold_places.tsv")
    a = ap.parse_args()
    sets = source_sets()
    rows, seen = [], set()
    gz = Gazetteer()
    for folder, split in sets:
        if not (folder / "gold").exists():
            print(f"gold_places: {folder}: no gold/ folder, skipped", file=sys.stderr)
            continue
        for r in collect(folder, split, gz):
            key = (r["split"], r["country"], spelling_key(r["spelling"]), r["lat"][:5], r["lon"][:5])
            if key not in seen:
                seen.add(key)
                rows.append(r)
    with open(a.out, "w", encoding="utf-8") as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            fh.write("\t".join(r[c].replace("\t", " ") for c in COLUMNS) + "\n")
    by = {}
    for r in rows:
        by[r["split"]] = by.get(r["split"], 0) + 1
    print(f"{a.out}: {len(rows)} spellings {by}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
