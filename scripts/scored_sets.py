"""What the analysis scripts share: the named sets of ``evaluate.py`` with their gold read per
article, and the extractor's predictions for them as the scorer reads them (dicts).

    from scored_sets import predictions
    for name, golds, preds in predictions(["corpus-train", "own-train"], "en", extractor): ...
"""
from __future__ import annotations

import collections
import json
from pathlib import Path


def golds_of(entry: tuple, batches: list[str] | None = None):
    """(articles, {article_id: gold document}) of one set of ``evaluate.sets`` (its entry: articles,
    gold folder, language); the own training corpus ("own") is every batch folder under it (or
    those named in ``batches``)."""
    from sitrep.training import load_corpus

    arts, gold, lg = entry
    folders = [gold]
    if arts == "own":
        found = [b for b in load_corpus([gold], lg) if not batches or b.folder.name in batches]
        arts = [a for b in found for a in b.articles]
        folders = [b.folder / "gold" for b in found]
    golds = {}
    for f in sorted(p for folder in folders for p in Path(folder).glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        if lg and d.get("language", lg) != lg:
            continue
        golds[d.get("article_id", f.stem)] = d
    arts = [a for a in arts if a.article_id in golds]
    return arts, {a.article_id: golds[a.article_id] for a in arts}


def predictions(names: list[str], lang: str, extractor):
    """For each wanted set: (name, golds by article, predicted event dicts by article)."""
    from evaluate import sets
    known = sets(lang)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"unknown set(s) {', '.join(unknown)}; known: {', '.join(known)}")
    for name in known:
        if name not in names:
            continue
        arts, golds = golds_of(known[name])
        preds: dict[str, list] = collections.defaultdict(list)
        for res in extractor.run(arts):
            for e in res.events:
                preds[e.article_id].append(e.to_dict())
        yield name, golds, preds
