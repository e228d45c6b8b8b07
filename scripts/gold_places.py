#!/usr/bin/env python3
"""Collect the spellings of gold event places as the articles write them (tests/geo/gold_places.tsv).

usage: gold_places.py [--out FILE]

For every gold event located at a town or village (geo_precision 1 or 2) in ../shared/corpus
(train, dev), ../shared/devset and the project's own corpus/, each spelling of the place (its
name or an alias) that occurs in the article's text becomes a row, with the sentence it occurs in
as context, the gold point, the split it comes from (training data: shared-train, own; held out:
shared-dev, devset) and its source (article id and the report's url). One row per (split, article
country, spelling key, point): the same place spelled the same way in several articles counts once
per split.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))
from sitrep.gazetteer import spelling_key  # noqa: E402

COLUMNS = ["spelling", "kind", "country", "lat", "lon", "precision", "split", "source", "url", "context"]
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
                       r"province|state|état)\b", re.IGNORECASE)


def kind(spelling: str) -> str:
    if not re.sub(r"^(?:al|el|ad|ar|as|at|az|an|ash|ech|es|ez|ed)[-’' ]", "", spelling)[:1].isupper() or re.match(r"(?:Iraqi|Syrian|Afghan|Malian|Nigerian)\b", spelling):
        return "description"
    return "landmark" if _LANDMARK.search(spelling) else "name"


def _articles(folder: Path) -> dict[str, dict]:
    path = folder / "articles.jsonl"
    if path.exists():
        return {a["id"]: a for a in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if a}
    out = {}
    for f in sorted((folder / "articles").glob("*")):      # the dev set: one file per article
        out[f.stem] = {"id": f.stem, "text": f.read_text(encoding="utf-8"), "url": ""}
    return out


def _sentence(text: str, start: int, end: int) -> str:
    a = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    b = min([i for i in (text.find(".", end), text.find("\n", end)) if i >= 0] or [len(text)])
    return re.sub(r"\s+", " ", text[a:b + 1]).strip()[:400]


def collect(folder: Path, split: str) -> list[dict]:
    arts = _articles(folder)
    rows = []
    for g in sorted((folder / "gold").glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        art = arts.get(gold.get("article_id", g.stem)) or arts.get(g.stem)
        if art is None:
            continue
        text = art.get("text", "")
        for ev in gold.get("events", []):
            loc = ev.get("location") or {}
            if loc.get("lat") is None or (loc.get("geo_precision") or 9) > 2 or not loc.get("country"):
                continue
            if "estimated" in (ev.get("note") or "") and "coord" in (ev.get("note") or ""):
                continue
            for sp in [loc.get("name") or "", *(loc.get("aliases") or [])]:
                m = re.search(rf"(?<!\w){re.escape(sp)}(?!\w)", text) if len(sp) >= 3 else None
                if m is None:
                    continue
                rows.append({"spelling": sp, "kind": kind(sp), "country": loc["country"], "lat": f"{float(loc['lat']):.4f}",
                             "lon": f"{float(loc['lon']):.4f}", "precision": str(loc.get("geo_precision")),
                             "split": split, "source": art["id"], "url": art.get("url", ""),
                             "context": _sentence(text, m.start(), m.end())})
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "geo" / "gold_places.tsv")
    a = ap.parse_args()
    sets = [(SHARED / "corpus" / "train", "shared-train"), (SHARED / "corpus" / "dev", "shared-dev"),
            (SHARED / "devset", "devset")] + [(d, "own") for d in sorted((ROOT / "corpus").glob("*/*")) if d.is_dir()]
    rows, seen = [], set()
    for folder, split in sets:
        if not (folder / "gold").exists():
            print(f"gold_places: {folder}: no gold/ folder, skipped", file=sys.stderr)
            continue
        for r in collect(folder, split):
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
