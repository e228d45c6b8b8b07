#!/usr/bin/env python3
"""Fit the geocoder's candidate ranker on the gold places of the training data.

usage: train_geocoder.py [--places FILE] [--out FILE] [--seed N]

Rows of tests/geo/gold_places.tsv from the training splits (shared-train: ../shared/corpus/train;
own: corpus/) are resolved as `sitrep geocode NAME --country CC --context SENTENCE` does; every
candidate the gazetteer offers becomes an example, positive when it lies within 25 km of the gold
point. A logistic regression (scikit-learn, seeded) is fitted on rank_features(); its C is chosen by
4-fold cross-validation grouped by article, and the abstention threshold on the out-of-fold scores:
the one that maximises right answers minus five times the wrong ones (further than 25 km). Held-out rows
(shared-dev, devset) are only reported. Writes src/sitrep/data/geo/ranker.json.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from sitrep import geocode  # noqa: E402
from sitrep.gazetteer import Gazetteer, distance_km  # noqa: E402
from sitrep.learned import LinearModel  # noqa: E402

WITHIN_KM = 25.0
WRONG_COST = 5.0
TRAINING = ("shared-train", "own")


def examples(rows: list[dict], gz: Gazetteer) -> list[dict]:
    """One group per row: its candidates' features and labels."""
    groups = []
    for r in rows:
        ctx = geocode.context_from_text(r["context"], gz, [r["country"]], exclude=r["spelling"])
        name, prefer_admin, _near, cands = geocode.query_candidates(r["spelling"], gz, ctx)
        pool = geocode._pool(cands, ctx)
        provinces = {(cc, geocode._admin_key(a)) for cc, a in ctx.provinces}
        feats, labels = [], []
        for p in pool:
            feats.append(geocode.rank_features(p, pool, ctx, prefer_admin, provinces, name))
            labels.append(int(p.lat is not None
                              and distance_km(float(r["lat"]), float(r["lon"]), p.lat, p.lon) <= WITHIN_KM))
        groups.append({"row": r, "feats": feats, "labels": labels})
    return groups


def fit(groups: list[dict], C: float, seed: int):
    X = [f for g in groups for f in g["feats"]]
    y = [l for g in groups for l in g["labels"]]
    vec = DictVectorizer()
    Xv = vec.fit_transform(X)
    if len(set(y)) < 2:
        raise SystemExit("train_geocoder: the training rows give one class only")
    clf = LogisticRegression(C=C, max_iter=2000, random_state=seed, class_weight="balanced")
    clf.fit(Xv, y)
    weights = {name: float(w) for name, w in zip(vec.get_feature_names_out(), clf.coef_[0])}
    return LinearModel(version="", weights=weights, bias=float(clf.intercept_[0]), threshold=0.0)


def top(model: LinearModel, g: dict) -> tuple[float, int] | None:
    """The best candidate's score and whether it is right; None without candidates."""
    if not g["feats"]:
        return None
    scores = [model.score(f) for f in g["feats"]]
    i = int(np.argmax(scores))
    return scores[i], g["labels"][i]


def outcomes(model: LinearModel, groups: list[dict], threshold: float) -> dict[str, float]:
    n = len(groups) or 1
    right = wrong = 0
    for g in groups:
        t = top(model, g)
        if t is None or t[0] < threshold:
            continue
        right += t[1]
        wrong += 1 - t[1]
    return {"n": len(groups), "right": round(right / n, 3), "wrong": round(wrong / n, 3),
            "none": round(1 - (right + wrong) / n, 3)}


def folds(groups: list[dict], k: int = 4) -> list[int]:
    def fold(src: str) -> int:
        return int(hashlib.sha1(src.encode()).hexdigest(), 16) % k
    return [fold(g["row"]["source"]) for g in groups]


def oof_tops(groups: list[dict], C: float, seed: int) -> list[tuple[float, int] | None]:
    fl = folds(groups)
    out: list = [None] * len(groups)
    for k in range(4):
        model = fit([g for g, f in zip(groups, fl) if f != k], C, seed)
        for i, (g, f) in enumerate(zip(groups, fl)):
            if f == k:
                out[i] = top(model, g)
    return out


def pick_threshold(tops: list, n: int) -> float:
    """The threshold that maximises right answers minus WRONG_COST times the wrong ones: a wrong
    place costs more than no place (the event falls back to its province or country)."""
    answered = sorted((t for t in tops if t is not None), key=lambda t: -t[0])
    best, best_gain, gain = 1.0, 0.0, 0.0
    for s, ok in answered:
        gain += 1.0 if ok else -WRONG_COST
        if gain > best_gain:
            best, best_gain = s, gain
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--places", type=Path, default=ROOT / "tests" / "geo" / "gold_places.tsv")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "sitrep" / "data" / "geo" / "ranker.json")
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args()
    t0 = time.time()
    with open(a.places, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    gz = Gazetteer()
    rows = [r for r in rows if r["kind"] == "name"]     # landmarks and descriptions are not settlements
    train = examples([r for r in rows if r["split"] in TRAINING], gz)
    held = examples([r for r in rows if r["split"] not in TRAINING], gz)
    best = None
    for C in (0.03, 0.1, 0.3, 1.0, 3.0):
        tops = oof_tops(train, C, a.seed)
        thr = pick_threshold(tops, len(train))
        right = sum(t[1] for t in tops if t is not None and t[0] >= thr) / len(train)
        wrong = sum(1 - t[1] for t in tops if t is not None and t[0] >= thr) / len(train)
        print(f"C={C}: out-of-fold right {right:.3f} wrong {wrong:.3f} at threshold {thr:.3f}")
        right -= WRONG_COST * wrong
        if best is None or right > best[0]:
            best = (right, C, thr)
    _, C, thr = best
    model = fit(train, C, a.seed)
    model.threshold = thr
    blob = json.dumps(model.to_json(), sort_keys=True).encode()
    model.version = "georank-" + hashlib.sha1(blob).hexdigest()[:10]
    report = {"C": C, "threshold": round(thr, 4), "training_rows": len(train), "held_out_rows": len(held),
              "training (fit)": outcomes(model, train, thr), "held-out": outcomes(model, held, thr),
              "seconds": round(time.time() - t0, 1)}
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(model.to_json(training=report), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))
    print(f"wrote {a.out} ({model.version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
